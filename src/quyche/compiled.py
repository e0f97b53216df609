"""A rulebook compiled once into plain data: its readings applied, its registry merged, each rule's
kind and tests resolved, and the days on which what it says about a date can change.

`compiled(book, values, registry)` returns the same CompiledRulebook for the same three (identity),
so that an evaluation reuses what the previous one built; the caches it holds (`shapes`, `memos`) are
filled by evaluate.py and only ever return what building afresh would give.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from .institutions import Registry, registry_for
from .readings import SHARED, apply_readings, resolve_choices
from .rulebook import Citation, Rule, Rulebook
from .vocabulary import ObligationKind


@dataclass(frozen=True, slots=True)
class RuleInfo:
    rule: Rule
    provision: bool
    # Settled before reading times, events or counts (a standing or contingent duty with no period).
    static: bool


def _static(rule: Rule, kind: ObligationKind) -> bool:
    return (not rule.requires and rule.period is None and rule.kind != "during" and kind != "during"
            and (kind == "contingent" or rule.satisfied_by is None))


def _dates(value: object, out: set[date]) -> None:
    """Every date a model holds, at any depth."""
    if isinstance(value, date):
        out.add(value if type(value) is date else value.date())  # type: ignore[attr-defined]
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _dates(getattr(value, name), out)
    elif isinstance(value, list | tuple):
        for item in value:
            _dates(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _dates(item, out)


SHARED_IDS = tuple(r.id for r in SHARED)
# Per shape of plan (see evaluate._shape_key), the oldest dropped first beyond the cap: a shape holds its
# endpoints' own obligations (about 200 KiB for Gia Lai with three), and a year of meetings in rooms
# drawn from hundreds brings a new shape with nearly every plan.
SHAPE_CAP = 256
MEMO_CAP = 4096
DAY_COUNTS_CAP = 65536  # (day, period) pairs counted per calendar: 200 years × a rulebook's few periods


@dataclass
class CompiledRulebook:
    values: dict[str, str]  # every reading's value
    book: Rulebook  # with the readings applied
    registry: Registry  # the base registry merged with the rulebook's own bodies
    rules: tuple[RuleInfo, ...]
    by_id: dict[str, Rule]
    producers: dict[str, tuple[Rule, ...]]  # event kind -> rules with a period that it discharges
    used_kinds: frozenset[str]  # event kinds some rule reads
    citation_of: dict[str, Citation | None]  # body id -> the first duty naming it (its id, then its roles)
    # Every comparison of the meeting's day (force, rules' validity, the registry's changes) is
    # against one of these dates or the day after: between two of them nothing about the day changes.
    boundaries: tuple[date, ...]
    reading_rules: tuple[tuple[str, frozenset[str]], ...]  # each reading of the rulebook, and its rules
    kind: dict[str, ObligationKind]  # rule id -> Rule.obligation_kind
    sending: dict[str, bool]  # rule id -> Rule.counts_from_sending
    shapes: dict[Hashable, Any] = field(default_factory=dict)
    memos: dict[str, tuple[dict[Hashable, Any], dict[Hashable, Any]]] = field(default_factory=dict)
    # Per calendar (calendars do not change once built), dropped with it: see evaluate._count.
    day_counts: weakref.WeakKeyDictionary[Any, dict[Hashable, Any]] = field(default_factory=weakref.WeakKeyDictionary)

    def readings_used(self, live_rules: frozenset[str] | set[str]) -> list[str]:
        """The readings that affected a report: the shared ones, and each rulebook reading one of whose
        rules gave an obligation that applies."""
        return [*SHARED_IDS, *(rid for rid, rules in self.reading_rules if not live_rules.isdisjoint(rules))]

    def epoch(self, day: date) -> int:
        return bisect_right(self.boundaries, day)

    def counts_for(self, calendar: object) -> dict[Hashable, Any]:
        found = self.day_counts.get(calendar)
        if found is None:
            found = self.day_counts[calendar] = {}
        return found

    def memo(self, lang: str) -> tuple[dict[Hashable, Any], dict[Hashable, Any]]:
        """The general and the static obligation memo (two, so that keys holding times cannot crowd
        out the static ones)."""
        found = self.memos.get(lang)
        if found is None:
            found = self.memos[lang] = ({}, {})
        return found


def compile_rulebook(source: Rulebook, values: Mapping[str, str], registry: Registry | None) -> CompiledRulebook:
    book = apply_readings(source, values)
    if book is source:
        book = source.model_copy()  # the cache of `source` must not hold it (it is dropped with it)
    merged = registry_for(book, registry)
    infos = [RuleInfo(rule=r, provision=r.is_provision, static=not r.is_provision and _static(r, r.obligation_kind))
             for r in book.rules]
    kinds = {c.event for r in book.rules for c in r.satisfied_by or ()}
    producers: dict[str, tuple[Rule, ...]] = {
        k: tuple(r for r in book.rules if r.period is not None and r.discharged_by(k)) for k in kinds}
    used = kinds | {p.anchor_event for r in book.rules for p in (r.period, r.opens) if p and p.anchor_event}
    duties = [r for r in book.rules if not r.is_provision]
    citation_of: dict[str, Citation | None] = {}
    for body in book.parties:
        citation_of[body.id] = next((r.citation for r in duties if body.id in (*r.binds, *r.recipients)), None) or next(
            (r.citation for r in duties if set(body.roles) & {*r.binds, *r.recipients}), None)
    seen: set[date] = set()
    _dates(book, seen)
    _dates(merged, seen)
    edges = set(seen)
    edges.update(date.fromordinal(d.toordinal() + 1) for d in seen if d != date.max)
    return CompiledRulebook(
        values=dict(values), book=book, registry=merged, rules=tuple(infos),
        by_id={r.id: r for r in book.rules}, producers=producers, used_kinds=frozenset(used),
        citation_of=citation_of, boundaries=tuple(sorted(edges)),
        reading_rules=tuple((r.id, frozenset(r.rules)) for r in book.readings),
        kind={r.id: r.obligation_kind for r in book.rules}, sending={r.id: r.counts_from_sending for r in book.rules},
    )


# Keyed by the rulebook's identity (rulebooks are frozen, and unhashable) and dropped with it.
_COMPILED: dict[int, tuple[weakref.ref[Rulebook], dict[Hashable, tuple[Registry | None, CompiledRulebook]]]] = {}


def compiled(source: Rulebook, chosen: Mapping[str, str], registry: Registry | None) -> CompiledRulebook:
    """The CompiledRulebook of `source` under the chosen reading values (the others their defaults;
    unknown ones raise InputError) and base registry, built once."""
    entry = _COMPILED.get(id(source))
    if entry is None or entry[0]() is not source:
        key = id(source)
        entry = _COMPILED[key] = (weakref.ref(source, lambda _ref: _COMPILED.pop(key, None)), {})
    wanted = (tuple(sorted(chosen.items())), id(registry))
    hit = entry[1].get(wanted)
    if hit is not None and hit[0] is registry:
        return hit[1]
    built = compile_rulebook(source, resolve_choices(source.readings, chosen), registry)
    if len(entry[1]) >= 64:
        entry[1].clear()
    entry[1][wanted] = (registry, built)
    return built
