"""What was in force on a date, and who a rulebook's bodies were then (the 2025 reorganisation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .institutions import Registry
from .rulebook import Rulebook


@dataclass(frozen=True)
class BodyOnDate:
    party: str
    written: str  # the name the decision uses
    current: str | None  # who holds its place on the date; None: it ended with no successor
    changes: tuple[str, ...]  # each change with its document


@dataclass(frozen=True)
class StatusOnDate:
    rulebook: str
    on: date
    force: str  # draft | not_yet_in_force | in_force | no_longer_in_force | unknown
    reason: str
    issuer: BodyOnDate
    bodies: tuple[BodyOnDate, ...]


def force_on(book: Rulebook, on: date) -> tuple[str, str]:
    m = book.metadata
    if m.status == "draft":
        return "draft", "dự thảo, chưa ban hành"
    if m.in_force_until is not None and on > m.in_force_until:
        return "no_longer_in_force", f"hết hiệu lực sau {m.in_force_until:%d/%m/%Y}"
    if m.effective is None or m.status == "unknown":
        return "unknown", m.effective_note.vi  # the reasons here are Vietnamese
    if on < m.effective:
        return "not_yet_in_force", f"có hiệu lực từ {m.effective:%d/%m/%Y}"
    return "in_force", f"có hiệu lực từ {m.effective:%d/%m/%Y}"


def _body(registry: Registry, party: str, written: str, inst: str | None, on: date, lang: str) -> BodyOnDate:
    if inst is None:
        return BodyOnDate(party, written, written, ())
    res = registry.resolve(inst, on)
    current = None if res.current is None else (written if not res.changed else res.current.name)
    return BodyOnDate(party, written, current, tuple(c.describe(lang) for c in res.changes))


def status_on(book: Rulebook, registry: Registry, on: date, lang: str = "vi") -> StatusOnDate:
    force, reason = force_on(book, on)
    m = book.metadata
    return StatusOnDate(
        rulebook=book.id,
        on=on,
        force=force,
        reason=reason,
        issuer=_body(registry, "issuer", m.issuer, m.issuer_institution, on, lang),
        bodies=tuple(_body(registry, b.id, b.name, b.institution, on, lang) for b in book.parties),
    )
