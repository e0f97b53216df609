"""The report `evaluate` returns (CONTRACT.md section 5). `model_dump(mode="json")` is the contract JSON."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pydantic import BaseModel, ConfigDict, field_serializer

from .plan import to_local
from .rulebook import Citation, Period
from .vocabulary import Severity, Status


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
    message: str
    citation: Citation


class Obligation(_Model):
    rule: str
    topic: str
    party: PartyRef
    action: str
    period: Period | None
    not_before: datetime | None
    due: datetime | None
    status: Status
    provisional: bool
    citation: Citation
    # Beyond the contract: the fact the status rests on, and the deadline arithmetic in words.
    reason: str
    explanation: str | None = None
    estimated: bool = False  # counted from another duty's deadline because the plan lacks the event

    @field_serializer("not_before", "due")
    def _times(self, value: datetime | None) -> str | None:
        return _iso(value)


class Report(_Model):
    rulebook: str
    as_of: datetime
    reading: str
    lang: str
    compliant: bool
    findings: list[Finding]
    obligations: list[Obligation]

    @field_serializer("as_of")
    def _as_of(self, value: datetime) -> str | None:
        return _iso(value)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "violation"]
