"""`--party ROLE|ID|NAME`: one party's part of a report, the same for every format."""

from __future__ import annotations

from .errors import InputError
from .report import Obligation, Report
from .rulebook import Rulebook
from .vocabulary import ROLES


def _matches(o: Obligation, wanted: str, key: str) -> bool:
    return wanted in o.party.roles or wanted == o.party.id or Rulebook.name_key(o.party.name) == key


def select_party(report: Report, book: Rulebook, wanted: str) -> Report:
    """The report with only the obligations of the parties `wanted` names: a role (every party holding
    it), a party id of the rulebook or the plan (`host`, `endpoint:2`), or a body's name or alias.
    The verdict stays the plan's: a filter changes what is shown, never what the law says.

    Raises InputError when `wanted` names no party of the rulebook or the plan."""
    key = Rulebook.name_key(wanted)
    body = book.body_named(wanted)
    ids = {o.party.id for o in report.obligations}
    known = wanted in ROLES or wanted in ids or any(b.id == wanted for b in book.parties) or body is not None
    names = {Rulebook.name_key(o.party.name) for o in report.obligations}
    if not known and key not in names:
        raise InputError(f"--party {wanted}: no party of the rulebook or the plan has this role, id or name")
    target = body.id if body is not None else None
    kept = [o for o in report.obligations if _matches(o, wanted, key) or o.party.id == target]
    rules = {o.rule for o in kept}
    findings = [f for f in report.findings if f.citation is None or f.code == "reference_only" or f.rule in rules]
    return report.model_copy(update={"obligations": kept, "findings": findings})
