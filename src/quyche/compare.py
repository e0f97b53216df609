"""One meeting plan under several rulebooks: for each party role, what it must do and by when, per rulebook.

Each rulebook judges the plan through `evaluate` (the plan's own `rulebook` key plays no part); this
module only lines the reports up, by the role of the party bound and then by topic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict, field_serializer

from .calendar import Reading, WorkingCalendar
from .errors import InputError
from .evaluate import evaluate
from .plan import MeetingPlan, to_local
from .readings import all_readings
from .report import Finding, Obligation, Report, iso_local
from .rulebook import Rulebook
from .vocabulary import ROLES, SHARED_TOPICS


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Verdict(_Model):
    """One rulebook's judgement of the plan."""

    rulebook: str
    title: str
    jurisdiction: str  # how a person tells the rulebooks apart (metadata.jurisdiction)
    compliant: bool
    violations: list[Finding]


class CompareRow(_Model):
    role: str  # the first role of the party bound (its own role for a named body)
    topic: str
    cells: list[list[Obligation]]  # one list per rulebook, in the order of `rulebooks`


class Comparison(_Model):
    title: str | None
    as_of: datetime
    reading: str
    lang: str
    rulebooks: list[Verdict]
    rows: list[CompareRow]

    @field_serializer("as_of")
    def _as_of(self, value: datetime) -> str:
        return iso_local(value)

    @property
    def compliant(self) -> bool:
        return all(v.compliant for v in self.rulebooks)


def compare(
    books: Sequence[Rulebook],
    plan: MeetingPlan,
    *,
    as_of: datetime,
    calendar: WorkingCalendar | None = None,
    reading: Reading = "default",
    lang: str = "vi",
    explain: bool = False,
    readings: Mapping[str, str] | None = None,
) -> Comparison:
    chosen = {**({"working_days": reading} if reading != "default" else {}), **(readings or {})}
    known = {r.id for book in books for r in all_readings(book.readings)}
    unknown = sorted(set(chosen) - known)
    if unknown:
        raise InputError(f"--reading {unknown[0]}: no such reading; known: {', '.join(sorted(known))}")
    reports = [
        evaluate(book, plan, as_of=as_of, calendar=calendar, lang=lang, explain=explain,
                 readings={k: v for k, v in chosen.items() if k in {r.id for r in all_readings(book.readings)}})
        for book in books
    ]
    return Comparison(
        title=plan.title,
        as_of=to_local(as_of),
        reading=chosen.get("working_days", "default"),
        lang=lang,
        rulebooks=[_verdict(book, r) for book, r in zip(books, reports, strict=True)],
        rows=_rows(reports),
    )


def _verdict(book: Rulebook, report: Report) -> Verdict:
    return Verdict(rulebook=book.id, title=book.metadata.title, jurisdiction=book.metadata.jurisdiction,
                   compliant=report.compliant,
                   violations=report.violations)


def _rows(reports: list[Report]) -> list[CompareRow]:
    cells: dict[tuple[str, str], list[list[Obligation]]] = {}
    for i, report in enumerate(reports):
        for o in report.obligations:
            role = o.party.roles[0] if o.party.roles else o.party.id
            cells.setdefault((role, o.topic), [[] for _ in reports])[i].append(o)

    def order(key: tuple[str, str]) -> tuple[int, str, int, str]:
        role, topic = key
        return (
            ROLES.index(role) if role in ROLES else len(ROLES),
            role,
            SHARED_TOPICS.index(topic) if topic in SHARED_TOPICS else len(SHARED_TOPICS),
            topic,
        )

    return [CompareRow(role=k[0], topic=k[1], cells=cells[k]) for k in sorted(cells, key=order)]
