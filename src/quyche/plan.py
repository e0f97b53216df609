"""The meeting plan a user hands in (CONTRACT.md section 3)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .errors import CalendarRangeError
from .text import clean_name, clean_optional_name
from .vocabulary import (
    SUPPORTED_YEARS,
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
    """A time without offset is Asia/Ho_Chi_Minh time; others are converted to it. Whole seconds:
    the report prints seconds, so a fraction would make "late by 0.5 s" verdicts it cannot show and
    a report whose JSON does not load back equal (`--as-of` defaults to now(), which has microseconds)."""
    value = value.replace(microsecond=0)
    if value.tzinfo is None:
        return value.replace(tzinfo=TZ)
    try:
        return value.astimezone(TZ)
    except OverflowError:
        # 9999-12-31T23:00-12:00 is past datetime.max in Vietnam time: a range error, not a crash.
        raise CalendarRangeError(
            f"{value.isoformat()}: outside the dates quyche can represent in Vietnam time"
        ) from None


_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _no_number(value: Any) -> Any:
    """Pydantic reads 1700000000 (or "1700000000") as Unix time; in a plan a bare number is a mistake."""
    if (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
        isinstance(value, str) and _NUMBER.fullmatch(value.strip())
    ):
        raise ValueError(f"want a date and time such as 2026-11-26T08:00:00+07:00, got the number {value!r}")
    return value


def _local_or_error(value: datetime | None) -> datetime | None:
    try:
        local = None if value is None else to_local(value)
    except CalendarRangeError as e:
        raise ValueError(str(e)) from None  # pydantic names the field and its line
    first, last = SUPPORTED_YEARS
    if local is not None and not first <= local.year <= last:
        # Here, not at evaluation, so that the message names the line (red team D19).
        raise PydanticCustomError(
            "year_out_of_range",
            "{value} is outside the supported years {first}–{last} (the lunar calendar that places Tết and "
            "Giỗ Tổ is known for these years only)",
            {"value": f"{local.day:02d}/{local.month:02d}/{local.year:04d}", "first": first, "last": last},
        )
    return local


def _not_blank(value: str) -> str:
    # Names reach every report: no control or bidi character, not blank or zero-width only (text.py).
    return clean_name(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Host(_Model):
    name: str = Field(min_length=1)
    kind: HostKind
    # strict: pydantic would read "yes", "off" or 1 as a bool; a plan says true or false.
    has_online_room: bool | None = Field(default=None, strict=True)

    _name = field_validator("name")(_not_blank)


class Endpoint(_Model):
    name: str = Field(min_length=1)
    role: EndpointRole
    level: Level | None = None
    # Counts left out are unknown, not zero. strict: true, "2" or 2.0 are not counts (pydantic would take them).
    technicians: int | None = Field(default=None, ge=0, strict=True)
    leaders: int | None = Field(default=None, ge=0, strict=True)
    # How many technicians are at the endpoint for this meeting (per-meeting duties read it).
    technicians_on_duty: int | None = Field(default=None, ge=0, strict=True)
    seats: int | None = Field(default=None, ge=0, strict=True)
    attendees: int | None = Field(default=None, ge=0, strict=True)

    _name = field_validator("name")(_not_blank)


class Event(_Model):
    kind: EventKind
    at: datetime
    # Party roles, party ids of the rulebook, `endpoint:N` (1-based, plan order) or an endpoint's name.
    to: list[str] | None = None  # None: whoever the rule needs
    by: list[str] | None = None  # who performed it, named the same way; None: any party the rule binds
    channel: Channel | None = None
    contents: list[Content] | None = None

    _at_not_number = field_validator("at", mode="before")(_no_number)

    @field_validator("at")
    @classmethod
    def _local(cls, v: datetime) -> datetime:
        out = _local_or_error(v)
        assert out is not None
        return out

    @field_validator("to", "by", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return [v] if isinstance(v, str) else v

    @field_validator("to", "by")
    @classmethod
    def _addresses(cls, v: list[str] | None) -> list[str] | None:
        for item in v or []:
            if not item.strip():
                raise ValueError("a party reference must not be blank")
            clean_name(item)
        return v


class MeetingPlan(_Model):
    rulebook: str | None = None
    title: str | None = None
    host: Host
    start: datetime
    end: datetime | None = None
    emergency: bool = Field(default=False, strict=True)
    requests: list[RequestKind] = []
    endpoints: list[Endpoint] | None = None  # None: not listed (unknown), [] : none
    events: list[Event] | None = None  # None: not recorded (unknown), [] : nothing done yet

    _times_not_numbers = field_validator("start", "end", mode="before")(_no_number)
    # The rulebook reference becomes a path and a title a heading: one line, no control characters.
    _one_line = field_validator("rulebook", "title")(clean_optional_name)

    @field_validator("start", "end")
    @classmethod
    def _local(cls, v: datetime | None, info: ValidationInfo) -> datetime | None:
        v = _local_or_error(v)
        # Checked on `end` (not the whole model) so that the error names end's line and field.
        start = info.data.get("start")
        if info.field_name == "end" and v is not None and start is not None and v < start:
            raise ValueError(f"end {v.isoformat()} is before start {start.isoformat()}")
        return v


def load_plan(path: str | Path) -> MeetingPlan:
    """Read a plan file (YAML or JSON); errors name the file, line and field."""
    return load_model(MeetingPlan, read_document(path))


def plan_from_data(data: Any, source: str = "<plan>") -> MeetingPlan:
    from .yamlio import Document

    return load_model(MeetingPlan, Document(data, source))


def parse_plan(data_or_text: Any, *, source: str = "<plan>") -> MeetingPlan:
    """A plan from data (a mapping) or from YAML/JSON text (str or bytes, read by the safe loader).

    Errors are `quyche.ValidationError` / `YamlError` naming the field path (and, for text, the line),
    never pydantic's own. A MeetingPlan is returned as it is.
    """
    if isinstance(data_or_text, MeetingPlan):
        return data_or_text
    return load_model(MeetingPlan, document_of(data_or_text, source, what="a plan"))


def document_of(data_or_text: Any, source: str, *, what: str) -> Any:
    """The yamlio Document of a mapping, or of YAML/JSON text (str, bytes)."""
    from collections.abc import Mapping

    from .errors import InputError
    from .yamlio import Document, decode, parse_document

    if isinstance(data_or_text, (bytes, bytearray, memoryview)):
        return parse_document(decode(bytes(data_or_text), source), source)
    if isinstance(data_or_text, str):
        return parse_document(data_or_text, source)
    if isinstance(data_or_text, Mapping):
        return Document(dict(data_or_text), source)
    got = type(data_or_text).__name__
    raise InputError(
        f"{source}: want {what} as a mapping or as YAML/JSON text, got {got}",
        code="bad_argument", place=source,
        params={"name": source, "want": "data_or_text", "got": got},
    )
