"""The report `evaluate` returns (CONTRACT.md section 5). `model_dump(mode="json")` is the contract JSON."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pydantic import BaseModel, ConfigDict, field_serializer

from .plan import to_local
from .rulebook import Citation, Period
from .vocabulary import ObligationKind, Severity, Status, Verdict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_ICT = timezone(timedelta(hours=7))


def _iso(value: datetime | None) -> str | None:
    # A fixed +07:00 as the contract pins: the zone's pre-1912 local mean time (+07:06:30) is no ISO offset.
    return None if value is None else to_local(value).astimezone(_ICT).isoformat(timespec="seconds")


class PartyRef(_Model):
    id: str
    name: str
    roles: list[str]


class Finding(_Model):
    rule: str
    topic: str
    severity: Severity
    code: str  # stable snake_case; `message` says it in words
    message: str
    citation: Citation | None  # None: a finding about the plan itself
    args: dict[str, object] = {}


class Obligation(_Model):
    rule: str
    topic: str
    kind: ObligationKind
    party: PartyRef
    action: str
    period: Period | None
    not_before: datetime | None
    due: datetime | None
    status: Status
    reason_code: str
    reason_args: dict[str, object]
    reason: str  # reason_code and reason_args in words (render/messages.py)
    provisional: bool
    citation: Citation
    # Beyond the contract: the deadline arithmetic in words.
    explanation: str | None = None
    estimated: bool = False  # counted from another duty's deadline because the plan lacks the event

    @field_serializer("not_before", "due")
    def _times(self, value: datetime | None) -> str | None:
        return _iso(value)


class Meeting(_Model):
    title: str | None
    start: datetime
    end: datetime | None
    host: str

    @field_serializer("start", "end")
    def _times(self, value: datetime | None) -> str | None:
        return _iso(value)


class Provision(_Model):
    rule: str
    citation: Citation


class Report(_Model):
    rulebook: str
    as_of: datetime
    meeting: Meeting
    in_force: bool
    reference_only: bool
    force: str  # in_force | draft | not_yet_in_force | no_longer_in_force | unknown
    readings: dict[str, str]
    lang: str
    verdict: Verdict
    compliant: bool
    findings: list[Finding]
    obligations: list[Obligation]
    provisions: list[Provision]

    @field_serializer("as_of")
    def _as_of(self, value: datetime) -> str | None:
        return _iso(value)

    @property
    def reading(self) -> str:
        return self.readings.get("working_days", "default")

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "violation"]
