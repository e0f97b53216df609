"""The report `evaluate` returns (CONTRACT.md section 5). `model_dump(mode="json")` is the contract JSON."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, field_serializer, field_validator

from .plan import TZ, to_local
from .rulebook import Citation, Period
from .vocabulary import ObligationKind, Severity, Status, Verdict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@lru_cache(maxsize=4096)  # a pure function of the instant; reports repeat their deadlines
def iso_local(value: datetime) -> str:
    """The local wall time in Vietnam with the offset Asia/Ho_Chi_Minh had then: +07:00 today, +08:00
    or +09:00 in 1943–1945, 1947–1955 and 1960–1975, so a deadline reads 23:59:59 as the text says.
    Before 1911-05-01 the zone kept mean time, +07:06:30, which ISO 8601 cannot write: the time is then
    printed without an offset, which the contract reads as Asia/Ho_Chi_Minh time (exact both ways)."""
    local = to_local(value)
    offset = local.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        local = local.replace(tzinfo=None)
    return local.isoformat(timespec="seconds")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else iso_local(value)


def _local(value: datetime | None) -> datetime | None:
    # JSON read back: a time without offset (before 1911, see iso_local) is Asia/Ho_Chi_Minh time.
    return value.replace(tzinfo=TZ) if value is not None and value.tzinfo is None else value


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

    _read_times = field_validator("not_before", "due")(_local)


class Meeting(_Model):
    title: str | None
    start: datetime
    end: datetime | None
    host: str

    @field_serializer("start", "end")
    def _times(self, value: datetime | None) -> str | None:
        return _iso(value)

    _read_times = field_validator("start", "end")(_local)


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

    _read_as_of = field_validator("as_of")(_local)

    @property
    def reading(self) -> str:
        return self.readings.get("working_days", "default")

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "violation"]
