"""Bodies in time: who a rulebook's named body is on a given date, and which document changed it.

The registry is data (rules/institutions.yaml). Resolution never changes a legal answer: deadlines stay
as the decision wrote them; a changed body is only named ("… (nay là …)") and reported as a warning.

A rulebook may add bodies of its own (its top-level `institutions` and `documents`, in the registry's
shape); `registry_for(book)` is the bundled registry with them merged in. They may name bundled
successors and documents, never redefine a bundled id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import RulebookError
from .text import clean_name, clean_optional_text
from .vocabulary import Level
from .yamlio import load_model, load_trusted, read_document

if TYPE_CHECKING:
    from .rulebook import Rulebook


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Document(_Model):
    id: str
    title: str
    effective: date
    note: str | None = None

    # Titles and names reach every report: one line, no control or bidi character (text.py).
    _title = field_validator("title")(clean_name)
    _note = field_validator("note")(clean_optional_text)


class LevelEnded(_Model):
    level: Level
    last_day: date
    document: str


class Institution(_Model):
    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    name: str
    level: Level | None = None
    since: date | None = None
    until: date | None = None  # last day it existed; None: still exists, or the sources do not say
    successor: str | None = None
    change: Literal["merged", "renamed", "ended"] | None = None
    document: str | None = None
    note: str | None = None

    _name = field_validator("name")(clean_name)
    _note = field_validator("note")(clean_optional_text)


class Registry(_Model):
    documents: list[Document]
    levels_ended: list[LevelEnded] = []
    institutions: list[Institution]

    @model_validator(mode="after")
    def _links(self) -> Registry:
        ids = {i.id for i in self.institutions}
        docs = {d.id for d in self.documents}
        problems = []
        if len(ids) != len(self.institutions):
            problems.append("two institutions share an id")
        for i in self.institutions:
            if i.successor is not None and i.successor not in ids:
                problems.append(f"{i.id}: successor {i.successor!r} is not in the registry")
            if i.document is not None and i.document not in docs:
                problems.append(f"{i.id}: document {i.document!r} is not in the registry")
            if (i.until is None) != (i.change is None):
                problems.append(f"{i.id}: `until` and `change` go together")
        for lv in self.levels_ended:
            if lv.document not in docs:
                problems.append(f"levels_ended {lv.level}: document {lv.document!r} is not in the registry")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def institution(self, inst_id: str) -> Institution:
        for i in self.institutions:
            if i.id == inst_id:
                return i
        raise RulebookError(f"institution {inst_id!r} is not in the registry")

    def document(self, doc_id: str) -> Document:
        return next(d for d in self.documents if d.id == doc_id)

    def resolve(self, inst_id: str, on: date) -> Resolution:
        """The body that holds `inst_id`'s place on `on`, following successors, with each change made."""
        current = self.institution(inst_id)
        changes: list[Change] = []
        seen = {current.id}
        while current.until is not None and on > current.until:
            doc = self.document(current.document) if current.document else None
            nxt = self.institution(current.successor) if current.successor else None
            changes.append(Change(current, nxt, current.change or "ended", doc))
            if nxt is None or nxt.id in seen:
                return Resolution(self.institution(inst_id), None, tuple(changes))
            seen.add(nxt.id)
            current = nxt
        return Resolution(self.institution(inst_id), current, tuple(changes))

    def level_ended(self, level: str | None, on: date) -> LevelEnded | None:
        for lv in self.levels_ended:
            if lv.level == level and on > lv.last_day:
                return lv
        return None


@dataclass(frozen=True)
class Change:
    before: Institution
    after: Institution | None
    kind: str
    document: Document | None

    def describe(self, lang: str = "vi") -> str:
        doc = f" ({self.document.title})" if self.document else ""
        day = self.before.until
        if self.after is None:
            return (
                f"{self.before.name} chấm dứt hoạt động sau ngày {day:%d/%m/%Y}{doc}"
                if lang != "en"
                else f"{self.before.name} ceased to exist after {day:%d/%m/%Y}{doc}"
            )
        return (
            f"{self.before.name} → {self.after.name} từ {self.after_from:%d/%m/%Y}{doc}"
            if lang != "en"
            else f"{self.before.name} → {self.after.name} from {self.after_from:%d/%m/%Y}{doc}"
        )

    @property
    def after_from(self) -> date:
        assert self.before.until is not None
        return date.fromordinal(self.before.until.toordinal() + 1)


@dataclass(frozen=True)
class Resolution:
    original: Institution
    current: Institution | None  # None: it ended with no successor
    changes: tuple[Change, ...]

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def name(self, written: str, lang: str = "vi") -> str:
        """The name as the decision wrote it, with what it is now."""
        if not self.changes:
            return written
        if self.current is None:
            return f"{written} ({'đã chấm dứt hoạt động' if lang != 'en' else 'no longer exists'})"
        return f"{written} ({'nay là' if lang != 'en' else 'now'} {self.current.name})"


def load_registry(path: str | Path, *, trusted: bool = False) -> Registry:
    return load_model(Registry, read_document(path, trusted=trusted))


@lru_cache(maxsize=1)
def bundled_registry() -> Registry:
    from .loader import rules_dir

    return load_trusted(Registry, rules_dir() / "institutions.yaml")


def rulebook_registry_problems(book: Rulebook, base: Registry | None = None) -> list[tuple[tuple[str | int, ...], str]]:
    """What keeps `book`'s own institutions and documents from merging into `base` (default: the
    bundled registry), and the institution ids its bodies and issuer name that neither holds:
    (path in the rulebook, message). An entry `base` already holds unchanged (a registry merged
    before) is no clash."""
    base = base or bundled_registry()
    registry = "the bundled registry" if base is bundled_registry() else "the registry"
    out: list[tuple[tuple[str | int, ...], str]] = []
    docs = _new_ids("documents", book.documents, base.documents, registry, out)
    ids = _new_ids("institutions", book.institutions, base.institutions, registry, out)
    for k, inst in enumerate(book.institutions):
        where = f"institutions[{k}] ({inst.id})"
        if inst.successor is not None and inst.successor not in ids:
            out.append((("institutions", k, "successor"), f"{where}: successor {inst.successor!r} is in neither "
                        f"this rulebook's institutions nor {registry}"))
        if inst.document is not None and inst.document not in docs:
            out.append((("institutions", k, "document"), f"{where}: document {inst.document!r} is in neither "
                        f"this rulebook's documents nor {registry}"))
        if (inst.until is None) != (inst.change is None):
            out.append((("institutions", k), f"{where}: `until` and `change` go together"))
        if inst.since is not None and inst.until is not None and inst.until < inst.since:
            out.append((("institutions", k, "until"), f"{where}: `until` {inst.until} is before `since` {inst.since}"))
    for k, body in enumerate(book.parties):
        if body.institution is not None and body.institution not in ids:
            out.append((("parties", k, "institution"), f"parties[{k}] ({body.id}): institution {body.institution!r} "
                        f"is in neither {registry} nor this rulebook's institutions"))
    issuer = book.metadata.issuer_institution
    if issuer is not None and issuer not in ids:
        out.append((("metadata", "issuer_institution"), f"metadata.issuer_institution: {issuer!r} is in neither "
                    f"{registry} nor this rulebook's institutions"))
    return out


_MERGED: dict[tuple[int, int], tuple[Rulebook, Registry, Registry]] = {}


def _new_ids(key: str, entries: Sequence[Document | Institution], bundled: Sequence[Document | Institution],
             registry: str, out: list[tuple[tuple[str | int, ...], str]]) -> set[str]:
    """Every id the rulebook's entries add to the registry's; a clash with another entry is a problem."""
    known = {e.id: e for e in bundled}
    ids = set(known)
    for k, e in enumerate(entries):
        if e.id in known and known[e.id] != e:
            out.append(((key, k, "id"), f"{key}[{k}]: id {e.id!r} is already in {registry}"))
        elif e.id in ids and e.id not in known:
            out.append(((key, k, "id"), f"{key}[{k}]: id {e.id!r} is already in an earlier entry"))
        ids.add(e.id)
    return ids


def registry_for(book: Rulebook, base: Registry | None = None) -> Registry:
    """`base` (default: the bundled registry) with `book`'s own institutions and documents merged in;
    `base` itself when it already holds them all (idempotent: registry_for(book, registry_for(book))).

    Raises RulebookError naming the rulebook and the offending entries when they do not fit, or when a
    body or the issuer names an institution that neither holds (`quyche lint` names the lines)."""
    base = base or bundled_registry()
    key = (id(book), id(base))
    hit = _MERGED.get(key)
    if hit is not None and hit[0] is book and hit[1] is base:
        return hit[2]
    problems = [m for _, m in rulebook_registry_problems(book, base)]
    if problems:
        # Without this, an unknown id surfaces mid-evaluation as "not in the registry", with no place.
        raise RulebookError(f"rulebook {book.id}: " + "; ".join(problems) + " (quyche lint names the lines)")
    have_docs = {d.id for d in base.documents}
    have = {i.id for i in base.institutions}
    docs = [d for d in book.documents if d.id not in have_docs]
    insts = [i for i in book.institutions if i.id not in have]
    merged = base if not docs and not insts else Registry(
        documents=[*base.documents, *docs], levels_ended=base.levels_ended, institutions=[*base.institutions, *insts])
    if len(_MERGED) >= 32:
        _MERGED.clear()
    _MERGED[key] = (book, base, merged)
    return merged
