"""The rulebook: one decision as data. Every rule is cited, quoted, and says whom it binds.

Conditions and exceptions are data the evaluator reads (`applies_when`, `unless`, `overrides`);
nothing in a rulebook is ever executed.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

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
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    """A recurring duty: every N months or years, optionally before a fixed day of the year (MM-DD)."""

    every: int = Field(ge=1)
    unit: Literal["months", "years"]
    before: str | None = Field(default=None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    on_request: bool = False  # "hoặc đột xuất khi có yêu cầu"


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


class Body(_Model):
    """A concrete body the decision names, and the roles it holds."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    level: Level | None = None
    # Its entry in the institutions registry (rules/institutions.yaml): who it is on a later date.
    institution: str | None = None
    note: str | None = None

    @field_validator("roles")
    @classmethod
    def _no_plan_roles(cls, v: list[str]) -> list[str]:
        bad = [r for r in v if r in PLAN_ROLES]
        if bad:
            raise ValueError(f"roles {bad} are filled from the meeting plan, not by a named body")
        return v


class Anomaly(_Model):
    kind: str = Field(pattern=_ID)
    description: str = Field(min_length=1)
    citation: Citation | None = None


class Metadata(_Model):
    title: str
    decision_number: str | None  # None: left blank in the source
    issuer: str
    signed: date | None
    status: RulebookStatus
    effective: date | None
    effective_note: str = Field(min_length=1)  # how the text sets the date, or why it is unknown
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
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Rulebook:
        problems: list[str] = []
        seen: set[str] = set()
        body_ids = {b.id for b in self.parties}
        if len(body_ids) != len(self.parties):
            problems.append("parties: two bodies share an id")
        clash = body_ids & set(ROLES)
        if clash:
            problems.append(f"parties: ids {sorted(clash)} are role names")
        for i, rule in enumerate(self.rules):
            where = f"rules[{i}] ({rule.id})"
            if rule.id in seen:
                problems.append(f"{where}: duplicate rule id")
            seen.add(rule.id)
            if not rule.id.startswith(self.id + "."):
                problems.append(f"{where}: rule ids start with the rulebook id '{self.id}.'")
            for ref in (*rule.binds, *rule.recipients):
                if ref not in ROLES and ref not in body_ids:
                    problems.append(f"{where}: {ref!r} is neither a role nor a party id of this rulebook")
        ids = {r.id for r in self.rules}
        for i, rule in enumerate(self.rules):
            for target in rule.overrides:
                if target not in ids or target == rule.id:
                    problems.append(f"rules[{i}] ({rule.id}): overrides unknown rule {target!r}")
            for target in rule.distinct_from:
                if target not in ids or target == rule.id:
                    problems.append(f"rules[{i}] ({rule.id}): distinct_from unknown rule {target!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @cached_property
    def bodies(self) -> dict[str, Body]:
        return {b.id: b for b in self.parties}

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

