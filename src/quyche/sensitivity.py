"""What a verdict hangs on: the plan evaluated under each alternative value of every reading that
affected it, one reading at a time (`quyche check --sensitivity`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from .evaluate import evaluate
from .plan import MeetingPlan
from .readings import all_readings
from .report import Report
from .rulebook import Rulebook


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Change(_Model):
    rule: str
    party: str  # the party's name
    citation: str
    status: tuple[str, str]  # (under the chosen value, under the alternative); "" where there is none
    due: tuple[str | None, str | None]


class Alternative(_Model):
    value: str
    verdict: str
    verdict_changes: bool
    changes: list[Change]


class ReadingEffect(_Model):
    id: str
    value: str
    alternatives: list[Alternative]


class Sensitivity(_Model):
    verdict: str
    readings: list[ReadingEffect]
    verdict_hangs_on: list[str]  # readings one of whose other values changes the verdict


def _rows(report: Report) -> dict[tuple[str, str], tuple[str, str | None, str, str]]:
    return {(o.rule, o.party.id): (o.status, o.due.isoformat() if o.due else None, o.party.name, o.citation.label)
            for o in report.obligations}


def sensitivity(book: Rulebook, plan: MeetingPlan, *, as_of: datetime, readings: Mapping[str, str] | None = None,
                **kw: Any) -> tuple[Report, Sensitivity]:
    base = evaluate(book, plan, as_of=as_of, readings=readings, **kw)
    known = {r.id: r for r in all_readings(book.readings)}
    before = _rows(base)
    effects, hangs = [], []
    # Every reading, not only those that touched an applying rule: another value may make a rule apply.
    values = {r: base.readings.get(r, known[r].default) for r in known}
    for rid, value in values.items():
        alternatives = []
        for alt in known[rid].values:
            if alt.id == value:
                continue
            other = evaluate(book, plan, as_of=as_of, readings={**values, rid: alt.id}, **kw)
            after = _rows(other)
            changes = []
            for key in sorted(set(before) | set(after)):
                a, b = before.get(key), after.get(key)
                if a is not None and b is not None and a[:2] == b[:2]:
                    continue
                name, label = (a or b)[2:]  # type: ignore[index]
                changes.append(Change(rule=key[0], party=name, citation=label,
                                      status=(a[0] if a else "", b[0] if b else ""),
                                      due=(a[1] if a else None, b[1] if b else None)))
            flips = other.verdict != base.verdict
            if flips and rid not in hangs:
                hangs.append(rid)
            alternatives.append(Alternative(value=alt.id, verdict=other.verdict, verdict_changes=flips,
                                            changes=changes))
        if rid in base.readings or any(a.changes or a.verdict_changes for a in alternatives):
            effects.append(ReadingEffect(id=rid, value=value, alternatives=alternatives))
    return base, Sensitivity(verdict=base.verdict, readings=effects, verdict_hangs_on=hangs)
