"""The rulebook: one decision as data. Every rule is cited, quoted, and says whom it binds.

Conditions and exceptions are data the evaluator reads (`applies_when`, `unless`, `overrides`);
nothing in a rulebook is ever executed.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    computed_field,
    field_validator,
    model_serializer,
    model_validator,
)

from .institutions import Document as InstitutionDocument
from .institutions import Institution
from .text import clean_name, clean_names, clean_optional_name, clean_optional_text, clean_text
from .vocabulary import (
    EVENT_KINDS,
    PLAN_ROLES,
    ROLES,
    Channel,
    Content,
    EventKind,
    HostKind,
    JurisdictionLevel,
    Level,
    ObligationKind,
    Relation,
    RequestKind,
    Role,
    RulebookStatus,
    Unit,
)

_ID = r"^[a-z][a-z0-9_]*$"
_RULE_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
_POINT_NAMES = "abcdđeghiklmnopqrstuvxy"
_ORDINALS = {2: "hai", 3: "ba", 4: "tư", 5: "năm"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Citation(_Model):
    """Where a rule comes from. `part` tells the decision's own articles from its regulation's."""

    part: Literal["decision", "regulation"] = "regulation"
    article: int = Field(ge=1)
    clause: int | None = Field(default=None, ge=1)
    point: str | None = Field(default=None, pattern=r"^[a-zđ]$")
    # Counts repeats of an article number within the part (Cần Thơ has two "Điều 11").
    occurrence: int = Field(default=1, ge=1)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        text = f"Điều {self.article}"
        if self.occurrence > 1:
            # "thứ hai", never "thứ 2": beside dates, "thứ 2" reads as Monday.
            text += f" (thứ {_ORDINALS.get(self.occurrence, str(self.occurrence))})"
        if self.clause is not None:
            text += f" khoản {self.clause}"
        if self.point is not None:
            text += f" điểm {self.point}"
        if self.part == "decision":
            text += " Quyết định"
        return text

    @model_validator(mode="before")
    @classmethod
    def _drop_label(cls, data: object) -> object:
        # `label` is derived; accept it back (round trips) only when it says the same thing.
        if isinstance(data, dict) and "label" in data:
            data = {k: v for k, v in data.items() if k != "label"}
        return data

    def sort_key(self) -> tuple[int, int, int, int, int]:
        point = _POINT_NAMES.find(self.point) + 1 if self.point else 0
        return (self.part == "regulation", self.article, self.occurrence, self.clause or 0, point)


class Text(_Model):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)

    # Every text of a rulebook reaches reports and calendars: no control or bidi character (text.py).
    _clean = field_validator("vi", "en")(clean_text)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


Anchor = str  # meeting_start | meeting_end | event:<kind>


class Period(_Model):
    # No decision counts beyond a few years; the cap keeps a typo from running off the calendar.
    amount: int = Field(ge=0, le=100_000)
    unit: Unit
    relation: Relation
    anchor: Anchor
    # Count only from an anchor event sent this way, or by these parties ("sau khi thông báo bằng điện
    # thoại"); the event must also be the one that discharged the duty producing it.
    anchor_channels: list[Channel] | None = None
    anchor_by: list[str] | None = None

    @model_serializer(mode="wrap")
    def _contract_shape(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # The contract's period is {amount, unit, relation, anchor}: the filters appear only when set.
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None or k not in ("anchor_channels", "anchor_by")}

    @field_validator("anchor")
    @classmethod
    def _anchor(cls, v: str) -> str:
        if v in ("meeting_start", "meeting_end"):
            return v
        if v.startswith("event:") and v[6:] in EVENT_KINDS:
            return v
        raise ValueError(f"anchor {v!r}: want meeting_start, meeting_end or event:<one of {', '.join(EVENT_KINDS)}>")

    @property
    def anchor_event(self) -> str | None:
        return self.anchor[6:] if self.anchor.startswith("event:") else None


class Condition(_Model):
    """Facts of the plan a rule depends on. Every field given must hold; omitted fields do not matter."""

    host_kind: list[HostKind] | None = None
    emergency: bool | None = None
    host_has_online_room: bool | None = None
    requests_any: list[RequestKind] | None = None
    attendees_over_seats: bool | None = None
    # For per-endpoint duties: the endpoint's level; otherwise: some endpoint has that level.
    endpoint_level: list[Level] | None = None
    note: str | None = None

    _note = field_validator("note")(clean_optional_text)

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if all(getattr(self, f) is None for f in type(self).model_fields if f != "note"):
            raise ValueError("a condition must name at least one fact")
        return self


class EventCheck(_Model):
    """One kind of plan event that discharges the duty, and what the event must carry.

    The bound party performs it (an event `by` someone else, or addressed `to` the party itself, never
    discharges the party's duty); it must reach every one of the rule's `recipients`.
    """

    event: EventKind
    channels: list[Channel] | None = None
    contents: list[Content] | None = None


class Quota(_Model):
    """A minimum of staff per bound endpoint: the unit's roster (`technicians`, `leaders`: a standing
    quota) or those at the endpoint for this meeting (`technicians_on_duty`: a per-meeting duty)."""

    count: Literal["technicians", "leaders", "technicians_on_duty"]
    min: int = Field(ge=0)


class Cadence(_Model):
    """A recurring duty: every N months or years, optionally on fixed days of the year ("MM-DD").

    The days the text names, spelled one of three ways (at most one per cadence):

    - `before: "MM-DD"` — "trước ngày D": D itself is late, the due date is the day before D
      ("trước ngày 30 tháng 12": `before: "12-30"`, due by the end of 29/12).
    - `on_or_before: "MM-DD"` — "chậm nhất ngày D", "đến hết ngày D", a period's last day: the due
      date is D itself (`on_or_before: "12-31"`: due on 31/12).
    - `dates: [...]` with `due: before` or `due: on_or_before` — several days of the year, each read
      as above ("trước ngày 15 tháng 6 và ngày 15 tháng 12": `dates: ["06-15", "12-15"], due: before`).

    A months cadence with days names one day per period of the year (every 6 months: 2 days, every 3: 4,
    every 12: 1), exactly N months apart and on the same day of the month, where a day past a month's
    end is that month's last day (03-31, 06-30, 09-30, 12-31). A day must exist every year (no 02-29);
    `before: "01-01"` would fall in the year before (write `on_or_before: "12-31"`). Every N > 1 years on
    fixed days needs `first_year`, the year of the first due date. No days: the text fixes none, and the
    duty has no date (it stays out of calendars).
    """

    every: int = Field(ge=1)
    unit: Literal["months", "years"]
    before: str | None = Field(default=None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    on_or_before: str | None = Field(default=None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    dates: list[str] = []
    due: Literal["before", "on_or_before"] | None = None
    first_year: int | None = Field(default=None, ge=1901, le=2100)  # every N > 1 years: first_year + k·N
    on_request: bool = False  # "hoặc đột xuất khi có yêu cầu"

    @field_validator("before", "on_or_before")
    @classmethod
    def _a_day_of_every_year(cls, v: str | None) -> str | None:
        if v is not None and Cadence._month_length(int(v[:2])) < int(v[3:]):
            raise ValueError(f"{v!r} is not a day of every year")
        return v

    @field_validator("dates")
    @classmethod
    def _days_of_every_year(cls, v: list[str]) -> list[str]:
        for i, day in enumerate(v):
            month, dd = day[:2], day[3:]
            if not (len(day) == 5 and day[2] == "-" and month.isdigit() and dd.isdigit()
                    and 1 <= int(month) <= 12 and 1 <= int(dd) <= 31):
                raise ValueError(f"dates[{i}] {day!r}: want MM-DD (month 01-12, day 01-31)")
            if Cadence._month_length(int(month)) < int(dd):
                raise ValueError(f"dates[{i}] {day!r} is not a day of every year")
        twice = sorted({d for d in v if v.count(d) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} listed twice")
        return v

    @model_validator(mode="after")
    def _coherent(self) -> Cadence:
        spelled = [k for k in ("before", "on_or_before", "dates") if getattr(self, k)]
        if len(spelled) > 1:
            raise ValueError(f"{' and '.join(spelled)}: give the days once, in one of them")
        if self.dates and self.due is None:
            raise ValueError('due: dates need due: before ("trước ngày D": due the day before D) or due: '
                             "on_or_before (due on D itself)")
        if self.due is not None and not self.dates:
            raise ValueError("due: only with dates (before and on_or_before say it themselves)")
        field = spelled[0] if spelled else None
        if self.bound == "before" and (1, 1) in self.days:
            raise ValueError(f"{field}: before 01-01 would be due on 31/12 of the year before; write "
                             'on_or_before: "12-31"')
        if self.first_year is not None and (self.unit != "years" or self.every == 1):
            raise ValueError("first_year: only for a cadence of every N > 1 years")
        if field is None:
            return self
        if self.unit == "years":
            if self.every > 1 and self.first_year is None:
                raise ValueError(f"first_year: every {self.every} years on fixed days needs the year of the "
                                 "first due date, or which years are due is unknown")
            return self
        days = self._days_text()
        if 12 % self.every:
            raise ValueError(f"{field}: every {self.every} months does not divide the year, so a day of the "
                             "year cannot recur on it; leave the days out")
        want = 12 // self.every
        if len(self.days) != want:
            hint = ""
            if len(self.days) == 1:  # "every 6 months, before 06-15": the series through that day
                (month, day), = self.days
                series = [f'"{m:02d}-{min(day, self._month_length(m)):02d}"'
                          for m in range((month - 1) % self.every + 1, 13, self.every)]
                hint = f"; write dates: [{', '.join(series)}], due: {self.bound}"
            raise ValueError(f"{field}: every {self.every} months needs {want} day(s) of the year, one a "
                             f"period; got {len(self.days)} ({days}){hint}")
        months = [m for m, _ in self.days]
        if months != list(range(months[0], months[0] + 12, self.every)):
            raise ValueError(f"{field}: {days} are not {self.every} months apart")
        top = max(d for _, d in self.days)
        if any(d != min(top, self._month_length(m)) for m, d in self.days):
            raise ValueError(f"{field}: {days} are not the same day of the month (or each month's last day)")
        return self

    @property
    def days(self) -> tuple[tuple[int, int], ...]:
        """The days of the year the text names, as (month, day), in the order of the year."""
        given = self.dates or [d for d in (self.before, self.on_or_before) if d]
        return tuple(sorted((int(d[:2]), int(d[3:])) for d in given))

    @property
    def bound(self) -> Literal["before", "on_or_before"] | None:
        """How each day bounds the act: before (due the day before it) or on_or_before (due on it)."""
        if self.before is not None:
            return "before"
        if self.on_or_before is not None:
            return "on_or_before"
        return self.due if self.dates else None

    def _days_text(self) -> str:
        return ", ".join(f"{d:02d}/{m:02d}" for m, d in self.days)

    @staticmethod
    def _month_length(month: int) -> int:
        """Days of the month in a common year: a fixed day of the year must exist every year."""
        return date(2023 + month // 12, month % 12 + 1, 1).toordinal() - date(2023, month, 1).toordinal()


class Rule(_Model):
    id: str = Field(pattern=_RULE_ID)
    topic: str = Field(pattern=_ID)
    citation: Citation
    quote: str = Field(min_length=1)
    # A corrected reading of a damaged quote (dropped diacritics); the quote stays as the source has it.
    reading: str | None = None
    summary: Text
    binds: list[str] = Field(min_length=1)
    recipients: list[str] = []
    period: Period | None = None
    # A window's far end, a period of its own ("không sớm hơn 10 ngày và không muộn hơn 02 ngày làm
    # việc": period 2 working_days, opens 10 days; a same-day window: opens 0 days before the start).
    opens: Period | None = None
    # The step prepares the meeting, so it must land before the start whatever its own period gives
    # (Gia Lai 9.1-9.2, counted from a late form): the deadline is capped at the start, and flagged.
    before_start: bool = False
    # What the period counts from: a sending (notice, registration: the strict reading of BLDS Điều
    # 147 applies) or an act done in a window (test runs: it never does). None: derived from the
    # event kinds that discharge it (test runs are acts).
    counting: Literal["sending", "act"] | None = None
    applies_when: Condition | None = None
    unless: list[Condition] = []
    overrides: list[str] = []
    # Alternatives: any one of these events discharges the duty (a request stated in the notice itself,
    # or a separate request). None: no plan event records the act (an internal instruction, presence).
    satisfied_by: list[EventCheck] | None = None
    # Another duty that needs an act of its own: an event that discharged it cannot discharge this one.
    distinct_from: list[str] = []
    requires: list[Quota] = []
    # Derived when left out: contingent (with `contingency`), deadline (with `period`), else standing;
    # `provision` is a rule with nothing to check for a meeting (scope, definitions, force).
    kind: ObligationKind | Literal["provision"] | None = None
    cadence: Cadence | None = None
    contingency: Text | None = None  # arises only on something a plan does not record (an incident…)
    # A rule amended or added later than the decision: the meeting days it governs (inclusive).
    valid_from: date | None = None
    valid_until: date | None = None
    interpretation: str | None = None
    note: str | None = None

    # Quotes are legal text over several lines: line breaks allowed, other controls not (text.py).
    _quote = field_validator("quote")(clean_text)
    _texts = field_validator("reading", "interpretation", "note")(clean_optional_text)

    @field_validator("satisfied_by", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return [v] if isinstance(v, dict) else v

    @property
    def obligation_kind(self) -> ObligationKind:  # provisions are filtered out before this is read
        kind = self.kind_or_provision
        return "standing" if kind == "provision" else kind

    @property
    def is_provision(self) -> bool:
        return self.kind_or_provision == "provision"

    @property
    def kind_or_provision(self) -> ObligationKind | Literal["provision"]:
        if self.kind is not None:
            return self.kind
        if self.contingency is not None:
            return "contingent"
        if self.period is not None:
            return "deadline"
        if self.topic == "scope" and self.satisfied_by is None and not self.requires:
            return "provision"
        return "standing"

    @property
    def counts_from_sending(self) -> bool:
        if self.counting is not None:
            return self.counting == "sending"
        kinds = {c.event for c in self.satisfied_by or ()}
        return bool(kinds) and not kinds <= {"test_run"}

    def discharged_by(self, kind: str) -> bool:
        return any(c.event == kind for c in self.satisfied_by or ())

    @model_validator(mode="after")
    def _coherent(self) -> Rule:
        if self.opens is not None and self.kind != "during" and (
            self.period is None
            or self.opens.anchor != self.period.anchor
            or self.opens.relation != self.period.relation
            or (self.opens.unit == self.period.unit and self.opens.amount < self.period.amount)
        ):
            raise ValueError(
                "opens: a window needs a period with the same relation and anchor, and a farther far end"
            )
        return self


_READING_ID = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$"
_READING_VALUE = r"^[a-z0-9][a-z0-9_]*$"


class RuleChange(_Model):
    """The fields of one rule a reading's value sets; a field left out keeps the rule's own."""

    period: Period | None = None
    opens: Period | None = None
    recipients: list[str] | None = None
    satisfied_by: list[EventCheck] | None = None
    applies_when: Condition | None = None
    unless: list[Condition] | None = None
    requires: list[Quota] | None = None
    binds: list[str] | None = None
    overrides: list[str] | None = None
    before_start: bool | None = None
    cadence: Cadence | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_check(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("satisfied_by"), dict):
            data = {**data, "satisfied_by": [data["satisfied_by"]]}
        return data


class ReadingValue(_Model):
    id: str = Field(pattern=_READING_VALUE)
    encodes: Text  # what this value means, in words
    changes: dict[str, RuleChange] = {}  # rule id -> the fields this value sets


class Reading(_Model):
    id: str = Field(pattern=_READING_ID)
    question: Text
    values: list[ReadingValue] = Field(min_length=2)
    default: str
    why: Text  # why the default is the default
    # Rules it affects without changing their fields (set by code, e.g. working_days): for the listing.
    affects: list[str] = []

    @model_validator(mode="after")
    def _default_is_a_value(self) -> Reading:
        ids = [v.id for v in self.values]
        if len(set(ids)) != len(ids):
            raise ValueError(f"reading {self.id}: two values share an id")
        if self.default not in ids:
            raise ValueError(f"reading {self.id}: default {self.default!r} is not one of its values {ids}")
        return self

    def value(self, value_id: str) -> ReadingValue:
        return next(v for v in self.values if v.id == value_id)

    @property
    def rules(self) -> list[str]:
        seen = dict.fromkeys([*self.affects, *(r for v in self.values for r in v.changes)])
        return list(seen)


class Body(_Model):
    """A concrete body the decision names, and the roles it holds."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    level: Level | None = None
    # Its entry in the institutions registry (rules/institutions.yaml, or the rulebook's own
    # `institutions`): who it is on a later date.
    institution: str | None = None
    # Other names the text (or a plan) gives the same body ("Chi nhánh điện tại địa bàn" for "Công ty
    # Điện lực Triệu Sơn"); an event's `to`/`by` naming one means this body.
    aliases: list[str] = []
    note: str | None = None

    _name = field_validator("name")(clean_name)
    _aliases = field_validator("aliases")(clean_names)
    _note = field_validator("note")(clean_optional_text)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @field_validator("roles")
    @classmethod
    def _no_plan_roles(cls, v: list[str]) -> list[str]:
        bad = [r for r in v if r in PLAN_ROLES]
        if bad:
            raise ValueError(f"roles {bad} are filled from the meeting plan, not by a named body")
        return v


class Anomaly(_Model):
    kind: str = Field(pattern=_ID)
    description: Text  # a note about the source, shown by `show` in the language asked for
    citation: Citation | None = None


class Metadata(_Model):
    title: str
    decision_number: str | None  # None: left blank in the source
    issuer: str
    signed: date | None
    status: RulebookStatus
    effective: date | None
    effective_note: Text  # how the text sets the date, or why it is unknown
    in_force_until: date | None = None  # last day in force, when something ended it
    superseded_by: str | None = None
    supersedes: list[str] = []
    source: str  # path of the source text, relative to the rulebook file
    jurisdiction: str
    # Whose bodies it binds: a provincial decision binds provincial, district and commune bodies; a
    # district one its district and communes. A central host or endpoint is never bound.
    jurisdiction_level: JurisdictionLevel
    # The endpoint levels its endpoint duties reach; default: the jurisdiction's level and below.
    endpoint_levels: list[Level] | None = None
    issuer_institution: str | None = None  # the issuer's entry in the institutions registry
    note: str | None = None

    _names = field_validator("title", "issuer", "source", "jurisdiction")(clean_name)
    _number = field_validator("decision_number")(clean_optional_name)
    _note = field_validator("note")(clean_optional_text)

    @property
    def bound_levels(self) -> tuple[str, ...]:
        if self.endpoint_levels is not None:
            return tuple(self.endpoint_levels)
        return ("province", "district", "commune") if self.jurisdiction_level == "province" else ("district", "commune")


class Rulebook(_Model):
    id: str = Field(pattern=_ID)
    metadata: Metadata
    anomalies: list[Anomaly] = []
    parties: list[Body] = []
    # Bodies of its own, in the shape of rules/institutions.yaml, merged with the bundled registry
    # when this rulebook is evaluated (institutions.registry_for), and the documents they cite.
    institutions: list[Institution] = []
    documents: list[InstitutionDocument] = []
    rules: list[Rule] = Field(min_length=1)
    # The unclear phrases it resolves, each a named choice (quyche readings ID).
    readings: list[Reading] = []

    @model_validator(mode="after")
    def _readings_name_rules(self) -> Rulebook:
        ids = {r.id for r in self.rules}
        problems = []
        for reading in self.readings:
            if not reading.id.startswith(self.id + "."):
                problems.append(f"readings: {reading.id!r} must start with the rulebook id '{self.id}.'")
            problems += [f"readings: {reading.id} names unknown rule {rid!r}"
                         for rid in reading.rules if rid not in ids]
        if len({r.id for r in self.readings}) != len(self.readings):
            problems.append("readings: two readings share an id")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Rulebook:
        if info.context and info.context.get("lint"):
            return self  # `quyche lint` reports each of these at its own line (lint.py)
        problems = [message for _, message in self.reference_problems()]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def reference_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Ids that clash or name nothing: (the path of the offending value, the message)."""
        problems: list[tuple[tuple[str | int, ...], str]] = []
        seen: set[str] = set()
        body_ids = {b.id for b in self.parties}
        if len(body_ids) != len(self.parties):
            problems.append((("parties",), "parties: two bodies share an id"))
        clash = body_ids & set(ROLES)
        if clash:
            problems.append((("parties",), f"parties: ids {sorted(clash)} are role names"))
        named: dict[str, str] = {}
        for i, body in enumerate(self.parties):
            where = f"parties[{i}] ({body.id})"
            for j, alias in enumerate(body.aliases):
                key = self.name_key(alias)
                at = ("parties", i, "aliases", j)
                if alias in ROLES or alias in body_ids:
                    problems.append((at, f"{where}: alias {alias!r} is a role or a party id"))
                elif key == self.name_key(body.name) or body.aliases.index(alias) != j:
                    problems.append((at, f"{where}: alias {alias!r} repeats a name of the body"))
            for name in body.names:
                other = named.setdefault(self.name_key(name), body.id)
                if other != body.id:
                    problems.append((("parties", i), f"{where}: name {name!r} is also a name of {other}"))
        for i, rule in enumerate(self.rules):
            where = f"rules[{i}] ({rule.id})"
            if rule.id in seen:
                problems.append((("rules", i, "id"), f"{where}: duplicate rule id"))
            seen.add(rule.id)
            if not rule.id.startswith(self.id + "."):
                problems.append((("rules", i, "id"), f"{where}: rule ids start with the rulebook id '{self.id}.'"))
            for key in ("binds", "recipients"):
                for j, ref in enumerate(getattr(rule, key)):
                    if ref not in ROLES and ref not in body_ids:
                        problems.append((("rules", i, key, j),
                                         f"{where}: {ref!r} is neither a role nor a party id of this rulebook"))
        ids = {r.id for r in self.rules}
        for i, rule in enumerate(self.rules):
            for key in ("overrides", "distinct_from"):
                for j, target in enumerate(getattr(rule, key)):
                    if target not in ids or target == rule.id:
                        message = f"rules[{i}] ({rule.id}): {key} unknown rule {target!r}"
                        problems.append((("rules", i, key, j), message))
        return problems

    def body_named(self, name: str) -> Body | None:
        """The body a name or alias means (NFC, case and runs of whitespace ignored), or None."""
        return self._names.get(self.name_key(name))

    @staticmethod
    def name_key(name: str) -> str:
        """How names are compared: NFC, casefolded, runs of whitespace as one space."""
        import unicodedata

        return " ".join(unicodedata.normalize("NFC", name).casefold().split())

    @cached_property
    def _names(self) -> dict[str, Body]:
        out: dict[str, Body] = {}
        for body in self.parties:
            for name in body.names:
                out.setdefault(self.name_key(name), body)
        return out

    @cached_property
    def bodies(self) -> dict[str, Body]:
        return {b.id: b for b in self.parties}

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)
