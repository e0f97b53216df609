"""Rulebooks side by side (CONTRACT.md section 6), and two versions of one rulebook.

`align` puts every rule of every rulebook in exactly one row: rows are keyed by topic, then by the
group of parties the rule binds (host, endpoints, system operators, …), then by what its period counts
from. Rows no rulebook shares merge so the provinces still line up: the same topic and parties counted
from another anchor, or the same topic and anchor laid on other parties. `diff` is the contract's two-sided view;
`version_diff` matches two versions of one rulebook by rule id. Pure data: the renderers in
`render/diff_text.py` and `render/diff_html.py` only lay it out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, JsonValue, field_serializer

from .rulebook import Cadence, Citation, Condition, Period, Quota, Rule, Rulebook
from .vocabulary import EVENT_KINDS, PLAN_ROLES, SHARED_TOPICS, RulebookStatus

# Whom a rule binds, coarsely enough that provinces naming different bodies still line up.
GROUPS: dict[str, str] = {
    "host": "host",
    "main_endpoint": "endpoints",
    "branch_endpoint": "endpoints",
    "using_agency": "endpoints",
    "system_manager": "operators",
    "control_center": "operators",
    "scheduler": "operators",
    "provincial_office": "operators",
    "telecom": "telecom",
    "power_company": "power_company",
    "finance": "finance",
}
GROUP_ORDER: tuple[str, ...] = ("host", "endpoints", "operators", "telecom", "power_company", "finance")

Aspect = Literal[
    "missing", "rule_count", "untimed", "amount", "unit", "relation", "anchor", "window",
    "parties", "recipients", "conditions", "staffing", "cadence",
]
# The aspects that are about a rule's period (renderers mark the period line when one differs).
PERIOD_ASPECTS: frozenset[str] = frozenset({"untimed", "amount", "unit", "relation", "anchor", "window"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(_Model):
    """One rule in a row. The first five keys are the contract's; the rest is what drafters compare next."""

    rule: str
    citation: Citation
    summary: str
    parties: list[str]  # roles the rule binds (a named body stands for the roles it holds)
    period: Period | None
    opens: Period | None = None  # a window's far end
    bodies: list[str] = []  # names of the concrete bodies behind `parties`, where the rulebook names them
    recipients: list[str] = []  # roles the duty is owed to
    requires: list[Quota] = []
    cadence: Cadence | None = None
    applies_when: Condition | None = None
    unless: list[Condition] = []
    interpretation: str | None = None
    # Readings whose values change this rule's period or recipients (`quyche readings`), and their questions.
    readings: list[str] = []
    reading_questions: list[str] = []

    @field_serializer("applies_when")
    def _when(self, c: Condition | None) -> dict[str, JsonValue] | None:
        return None if c is None else c.model_dump(mode="json", exclude_none=True)

    @field_serializer("unless")
    def _unless(self, cs: list[Condition]) -> list[dict[str, JsonValue]]:
        return [c.model_dump(mode="json", exclude_none=True) for c in cs]


class Column(_Model):
    """A compared rulebook, as a column header."""

    id: str
    title: str
    jurisdiction: str
    decision_number: str | None
    status: RulebookStatus
    signed: date | None


class MatrixRow(_Model):
    topic: str
    binds: str  # a key of GROUPS' values
    anchor: str | None
    cells: list[list[Entry]]  # one list per column, in column order
    same: bool
    differences: list[Aspect]


class Matrix(_Model):
    columns: list[Column]
    rows: list[MatrixRow]


class Row(_Model):
    topic: str
    binds: str
    anchor: str | None
    a: list[Entry]
    b: list[Entry]
    same: bool
    differences: list[Aspect]


class FieldChange(_Model):
    field: str
    old: JsonValue  # null: the field (or party) is absent in the old version
    new: JsonValue


class RuleChange(_Model):
    rule: str  # the new version's id
    citation: Citation
    changes: list[FieldChange]
    summary: str = ""  # the new version's, in the diff's language


class VersionDiff(_Model):
    """Two versions of one rulebook: rules matched by id (less the rulebook prefix)."""

    old: str
    new: str
    metadata: list[FieldChange]  # metadata keys, and `anomalies` as a whole
    parties: list[FieldChange]  # field = body id
    added: list[Entry]
    removed: list[Entry]
    changed: list[RuleChange]
    unchanged: int
    bodies: dict[str, str] = {}  # body id -> name, over both versions (the new name wins), for renderers


class Diff(_Model):
    """The contract's diff of two rulebooks; `versions` when they are two versions of one rulebook."""

    a: str
    b: str
    rows: list[Row]
    columns: list[Column]
    versions: VersionDiff | None = None

    def matrix(self) -> Matrix:
        """The same rows as a two-column matrix, for renderers that lay out any number of columns."""
        rows = [
            MatrixRow(topic=r.topic, binds=r.binds, anchor=r.anchor, cells=[r.a, r.b], same=r.same,
                      differences=r.differences)
            for r in self.rows
        ]
        return Matrix(columns=self.columns, rows=rows)


@dataclass
class _Row:
    topic: str
    group: str
    anchor: str | None
    cells: list[list[Rule]]
    books: set[int] = field(default_factory=set)

    def absorb(self, other: _Row) -> None:
        for i, rules in enumerate(other.cells):
            self.cells[i].extend(rules)
        self.books |= other.books


def align(books: Sequence[Rulebook], lang: str = "vi", context: Sequence[Rulebook] = ()) -> Matrix:
    """Every rule of every rulebook, in exactly one row; columns in the order given.

    `context`: rulebooks aligned alongside but not shown (those with an id among `books` are skipped).
    Rows are merged as they would be with the context's columns present, so a pair of rulebooks sits
    in the same rows as in the matrix of all of them (the CLI passes the bundled rulebooks)."""
    shown = len(books)
    ids = {b.id for b in books}
    every = [*books, *(c for c in context if c.id not in ids)]
    keyed: dict[tuple[str, str, str | None], _Row] = {}
    for i, book in enumerate(every):
        for rule in sorted(book.rules, key=lambda r: r.citation.sort_key()):
            key = (rule.topic, group_of(book, rule), rule.period.anchor if rule.period else None)
            row = keyed.setdefault(key, _Row(*key, cells=[[] for _ in every]))
            row.cells[i].append(rule)
            row.books.add(i)
    rows = sorted(_merge_rows(list(keyed.values())), key=_row_order)
    for r in rows:
        r.cells = r.cells[:shown]
    return Matrix(
        columns=[_column(b) for b in books],
        rows=[_matrix_row(books, r, lang) for r in rows if any(r.cells)],
    )


def diff(a: Rulebook, b: Rulebook, lang: str = "vi", versions: bool | None = None,
         context: Sequence[Rulebook] = ()) -> Diff:
    """The contract's two-sided diff. `versions`: None = when both carry the same rulebook id.
    `context`: as for `align`."""
    m = align([a, b], lang, context)
    rows = [
        Row(topic=r.topic, binds=r.binds, anchor=r.anchor, a=r.cells[0], b=r.cells[1], same=r.same,
            differences=r.differences)
        for r in m.rows
    ]
    want = a.id == b.id if versions is None else versions
    return Diff(a=a.id, b=b.id, rows=rows, columns=m.columns,
                versions=version_diff(a, b, lang) if want else None)


def version_diff(old: Rulebook, new: Rulebook, lang: str = "vi") -> VersionDiff:
    """Rules added, removed and changed (field by field) from `old` to `new`, matched by rule id."""
    old_rules = {_local_id(old, r.id): r for r in old.rules}
    new_rules = {_local_id(new, r.id): r for r in new.rules}
    changed: list[RuleChange] = []
    for key, rule in new_rules.items():
        if key in old_rules:
            changes = _changes(_comparable(old, old_rules[key]), _comparable(new, rule))
            if changes:
                changed.append(RuleChange(rule=rule.id, citation=rule.citation, changes=changes,
                                          summary=rule.summary.get(lang)))
    meta = _changes(old.metadata.model_dump(mode="json"), new.metadata.model_dump(mode="json"))
    meta += _changes(
        {"anomalies": [x.model_dump(mode="json") for x in old.anomalies]},
        {"anomalies": [x.model_dump(mode="json") for x in new.anomalies]},
    )
    parties = _changes(
        {p.id: p.model_dump(mode="json") for p in old.parties},
        {p.id: p.model_dump(mode="json") for p in new.parties},
    )

    def by_citation(rules: list[Rule]) -> list[Rule]:
        return sorted(rules, key=lambda r: r.citation.sort_key())

    return VersionDiff(
        old=old.id,
        new=new.id,
        metadata=meta,
        parties=parties,
        added=[_entry(new, r, lang) for r in by_citation([r for k, r in new_rules.items() if k not in old_rules])],
        removed=[_entry(old, r, lang) for r in by_citation([r for k, r in old_rules.items() if k not in new_rules])],
        changed=sorted(changed, key=lambda c: c.citation.sort_key()),
        unchanged=sum(1 for k in new_rules if k in old_rules) - len(changed),
        bodies={b.id: b.name for book in (old, new) for b in book.parties},
    )


def group_of(book: Rulebook, rule: Rule) -> str:
    """The first group (in GROUP_ORDER) among the roles the rule binds."""
    groups = {GROUPS.get(role, role) for role in roles_of(book, rule.binds)}
    return min(groups, key=lambda g: (GROUP_ORDER.index(g) if g in GROUP_ORDER else len(GROUP_ORDER), g))


def roles_of(book: Rulebook, refs: list[str]) -> list[str]:
    """Roles and body ids as roles, in order, without repeats."""
    out: list[str] = []
    for ref in refs:
        body = book.bodies.get(ref)
        for role in body.roles if body is not None else [ref]:
            if role not in out:
                out.append(role)
    return out


def _bodies_of(book: Rulebook, refs: list[str]) -> list[str]:
    names: list[str] = []
    for ref in refs:
        body = book.bodies.get(ref)
        if body is not None:
            found = [body.name]
        elif ref in PLAN_ROLES:
            found = []  # filled from the meeting plan
        else:
            found = [b.name for b in book.parties if ref in b.roles]
        names += [n for n in found if n not in names]
    return names


def _entry(book: Rulebook, rule: Rule, lang: str) -> Entry:
    readings = [r for r in book.readings if any(
        ch.model_fields_set & {"period", "opens", "recipients"}
        for v in r.values for rid, ch in v.changes.items() if rid == rule.id)]
    return Entry(
        rule=rule.id,
        citation=rule.citation,
        summary=rule.summary.get(lang),
        parties=roles_of(book, rule.binds),
        period=rule.period,
        opens=rule.opens,
        bodies=_bodies_of(book, rule.binds),
        recipients=roles_of(book, rule.recipients),
        requires=rule.requires,
        cadence=rule.cadence,
        applies_when=rule.applies_when,
        unless=rule.unless,
        interpretation=rule.interpretation,
        readings=[r.id for r in readings],
        reading_questions=[r.question.get(lang) for r in readings],
    )


def _column(book: Rulebook) -> Column:
    m = book.metadata
    return Column(id=book.id, title=m.title, jurisdiction=m.jurisdiction, decision_number=m.decision_number,
                  status=m.status, signed=m.signed)


def _merge(rows: list[_Row], key: Callable[[_Row], Hashable | None]) -> list[_Row]:
    """Fold each row into an earlier one with the same key whose rulebooks it does not share."""
    kept: list[_Row] = []
    for row in sorted(rows, key=lambda r: (-len(r.books), _anchor_rank(r.anchor))):
        k = key(row)
        into = next((x for x in kept if k is not None and key(x) == k and not x.books & row.books), None)
        if into is None:
            kept.append(row)
        else:
            into.absorb(row)
    return kept


def _merge_rows(rows: list[_Row]) -> list[_Row]:
    # One question, one row: first the same parties counted from another anchor, then the same
    # timing laid on other parties (Triệu Sơn's test run binds the system manager, not the endpoints).
    rows = _merge(rows, lambda r: (r.topic, r.group))
    return _merge(rows, lambda r: (r.topic, r.anchor) if r.anchor is not None else None)


def _anchor_rank(anchor: str | None) -> int:
    if anchor == "meeting_start":
        return 0
    if anchor is not None and anchor.startswith("event:") and anchor[6:] in EVENT_KINDS:
        return 1 + EVENT_KINDS.index(anchor[6:])
    return len(EVENT_KINDS) + (1 if anchor == "meeting_end" else 2)


# The duties in the contract's order, then topics a rulebook added, and `scope` (no duty) last.
_TOPIC_ORDER: tuple[str, ...] = tuple(x for x in SHARED_TOPICS if x != "scope")


def _row_order(row: _Row) -> tuple[int, str, int, int]:
    topic = _TOPIC_ORDER.index(row.topic) if row.topic in _TOPIC_ORDER else len(_TOPIC_ORDER) + (row.topic == "scope")
    group = GROUP_ORDER.index(row.group) if row.group in GROUP_ORDER else len(GROUP_ORDER)
    return (topic, row.topic, group, _anchor_rank(row.anchor))


def _matrix_row(books: Sequence[Rulebook], row: _Row, lang: str) -> MatrixRow:
    cells = [
        [_entry(book, r, lang) for r in sorted(rules, key=lambda r: r.citation.sort_key())]
        for book, rules in zip(books, row.cells, strict=True)
    ]
    differences = _differences(cells)
    return MatrixRow(topic=row.topic, binds=row.group, anchor=row.anchor, cells=cells,
                     same=not differences, differences=differences)


def _conditions(e: Entry) -> tuple[str, ...]:
    pairs = [("when", e.applies_when)] if e.applies_when else []
    pairs += [("unless", c) for c in e.unless]
    return tuple(f"{kind}:{c.model_dump_json(exclude_none=True, exclude={'note'})}" for kind, c in pairs)


# What each aspect of a cell is, for comparing cells: a sorted tuple over the cell's entries.
_ASPECTS: tuple[tuple[Aspect, Callable[[Entry], tuple[Hashable, ...]]], ...] = (
    ("amount", lambda e: (e.period.amount,) if e.period else ()),
    ("unit", lambda e: (e.period.unit,) if e.period else ()),
    ("relation", lambda e: (e.period.relation,) if e.period else ()),
    ("anchor", lambda e: (e.period.anchor,) if e.period else ()),
    ("window", lambda e: (e.opens.amount,) if e.opens else ()),
    ("parties", lambda e: tuple(e.parties)),
    ("recipients", lambda e: tuple(e.recipients)),
    ("conditions", _conditions),
    ("staffing", lambda e: tuple((q.count, q.min) for q in e.requires)),
    ("cadence", lambda e: (e.cadence.model_dump_json(),) if e.cadence else ()),
)


def _values(cells: list[list[Entry]], name: str) -> list[tuple[Hashable, ...] | None]:
    """Each cell's value of one aspect (a sorted tuple over its entries); None where it is not compared."""
    of = next(f for n, f in _ASPECTS if n == name)
    timed = name in PERIOD_ASPECTS
    return [
        tuple(sorted({v for e in c for v in of(e)}, key=repr)) if c and (not timed or any(e.period for e in c))
        else None
        for c in cells
    ]


def _norm(values: Sequence[Hashable | None]) -> Hashable | None:
    """The one value most compared cells share (held by two or more, more than any other), or None."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    (top, n), *rest = counts.most_common()
    return top if n >= 2 and all(m < n for _, m in rest) else None


def outliers(values: Sequence[Hashable | None]) -> list[int]:
    """The columns whose value differs from the row's: from the one value most cells share when there is
    such a value, else every compared column (None: not compared). [] when all agree."""
    compared = [(i, v) for i, v in enumerate(values) if v is not None]
    if len({v for _, v in compared}) < 2:
        return []
    norm = _norm(values)
    return [i for i, v in compared if norm is None or v != norm]


def cell_marks(row: MatrixRow) -> list[set[str]]:
    """For each cell, the aspects in which it differs from the others (see `outliers`). A cell equal to
    the rest of its row on an aspect is not marked for it."""
    return [set().union(*marks) if marks else set() for marks in entry_marks(row)]


def entry_marks(row: MatrixRow) -> list[list[set[str]]]:
    """For each entry of each cell, the aspects to highlight: in a cell that differs, the entries whose
    own value is not the shared one (all of the cell's entries when none is, or no value is shared)."""
    marks: list[list[set[str]]] = [[set() for _ in cell] for cell in row.cells]
    for name in row.differences:
        if name not in _ASPECT_NAMES:
            continue
        values = _values(row.cells, name)
        norm = _norm(values)
        of = next(f for n, f in _ASPECTS if n == name)
        shared = set(norm) if isinstance(norm, tuple) else set()
        for i in outliers(values):
            entries = [k for k, e in enumerate(row.cells[i]) if e.period or name not in PERIOD_ASPECTS]
            odd = [k for k in entries if shared and not set(of(row.cells[i][k])) <= shared]
            for k in odd or entries:
                marks[i][k].add(name)
    return marks


def missing_columns(row: MatrixRow) -> list[int]:
    """Columns with no rule in the row."""
    return [i for i, c in enumerate(row.cells) if not c]


def untimed_columns(row: MatrixRow) -> list[int]:
    """Columns with rules but none setting a period, in a row where another column sets one."""
    if not any(e.period for c in row.cells for e in c):
        return []
    return [i for i, c in enumerate(row.cells) if c and not any(e.period for e in c)]


def _differences(cells: list[list[Entry]]) -> list[Aspect]:
    present = [c for c in cells if c]
    timed = [c for c in present if any(e.period for e in c)]
    out: list[Aspect] = []
    if len(present) < len(cells):
        out.append("missing")
    if len({len(c) for c in present}) > 1:
        out.append("rule_count")
    if 0 < len(timed) < len(present):
        out.append("untimed")  # periods are then compared among the cells that set one
    for name, of in _ASPECTS:
        compared = timed if name in PERIOD_ASPECTS else present
        values = {tuple(sorted({v for e in c for v in of(e)}, key=repr)) for c in compared}
        if len(values) > 1:
            out.append(name)
    return out


_ASPECT_NAMES: frozenset[str] = frozenset(name for name, _ in _ASPECTS)


def _local_id(book: Rulebook, rule_id: str) -> str:
    prefix = book.id + "."
    return rule_id[len(prefix):] if rule_id.startswith(prefix) else rule_id


def _comparable(book: Rulebook, rule: Rule) -> dict[str, JsonValue]:
    # Rule ids carry the rulebook id; compare them without it, so a renamed copy still matches.
    data: dict[str, JsonValue] = rule.model_dump(mode="json", exclude={"id"})
    data["overrides"] = [_local_id(book, r) for r in rule.overrides]
    return data


def _changes(old: dict[str, JsonValue], new: dict[str, JsonValue]) -> list[FieldChange]:
    keys = [*old, *(k for k in new if k not in old)]
    return [FieldChange(field=k, old=old.get(k), new=new.get(k)) for k in keys if old.get(k) != new.get(k)]
