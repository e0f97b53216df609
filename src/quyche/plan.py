"""The meeting plan a user hands in (CONTRACT.md section 3)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .vocabulary import (
    ROLES,
    Channel,
    Content,
    EndpointRole,
    EventKind,
    HostKind,
    Level,
    RequestKind,
)
from .yamlio import load_model, read_document

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def to_local(value: datetime) -> datetime:
    """A time without offset is Asia/Ho_Chi_Minh time; others are converted to it."""
    if value.tzinfo is None:
        return value.replace(tzinfo=TZ)
    return value.astimezone(TZ)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Host(_Model):
    name: str = Field(min_length=1)
    kind: HostKind
    has_online_room: bool | None = None


class Endpoint(_Model):
    name: str = Field(min_length=1)
    role: EndpointRole
    level: Level | None = None
    # Counts left out are unknown, not zero.
    technicians: int | None = Field(default=None, ge=0)
    leaders: int | None = Field(default=None, ge=0)
    seats: int | None = Field(default=None, ge=0)
    attendees: int | None = Field(default=None, ge=0)


class Event(_Model):
    kind: EventKind
    at: datetime
    to: list[str] | None = None  # party roles or party ids of the rulebook; None: whoever the rule needs
    channel: Channel | None = None
    contents: list[Content] | None = None

    @field_validator("at")
    @classmethod
    def _local(cls, v: datetime) -> datetime:
        return to_local(v)

    @field_validator("to")
    @classmethod
    def _addresses(cls, v: list[str] | None) -> list[str] | None:
        for item in v or []:
            if not item or not (item in ROLES or item.replace("_", "").replace("-", "").isalnum()):
                raise ValueError(f"{item!r} is neither a party role nor a party id")
        return v


class MeetingPlan(_Model):
    rulebook: str | None = None
    title: str | None = None
    host: Host
    start: datetime
    end: datetime | None = None
    emergency: bool = False
    requests: list[RequestKind] = []
    endpoints: list[Endpoint] | None = None  # None: not listed (unknown), [] : none
    events: list[Event] | None = None  # None: not recorded (unknown), [] : nothing done yet

    @field_validator("start", "end")
    @classmethod
    def _local(cls, v: datetime | None) -> datetime | None:
        return None if v is None else to_local(v)

    @model_validator(mode="after")
    def _ordered(self) -> MeetingPlan:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end.isoformat()} is before start {self.start.isoformat()}")
        return self


def load_plan(path: str | Path) -> MeetingPlan:
    """Read a plan file (YAML or JSON); errors name the file, line and field."""
    return load_model(MeetingPlan, read_document(path))


def plan_from_data(data: Any, source: str = "<plan>") -> MeetingPlan:
    from .yamlio import Document

    return load_model(MeetingPlan, Document(data, source))
