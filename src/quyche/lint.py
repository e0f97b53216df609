"""`quyche lint`: a rulebook checked against its source text and against itself.

Errors (a rulebook that says something its source does not, or that the evaluator would misread) and
warnings (likely mistakes lint cannot prove); each names the file:line:col of the offending value and
the rule. What is checked, in order:

- references: duplicate ids, binds/recipients/anchor_by naming no role or party, aliases that clash,
  overrides/distinct_from naming no rule (the model refuses these too; lint gives each its own line);
- institutions: a rulebook's own institutions and documents merge with the registry, and every
  `institution` / `metadata.issuer_institution` id is known;
- the source: the cited article, clause (khoản) and point (điểm) exist, and the quote lies inside the
  cited clause and point. An article's lead-in (its heading and the text before khoản 1) counts as part
  of each of its clauses, and a clause's lead-in (before điểm a) as part of each of its points: "Sở Tài
  chính tổng hợp … đối với công tác: 1. Đầu tư …" is a quote of khoản 1. Structural quirks are accepted
  when an anomaly declares them: `unnumbered_clauses` on an article makes its unnumbered "- …"
  paragraphs before the first numbered clause clauses 1, 2, … (Triệu Sơn Điều 4); `unnumbered_points`
  on a clause does the same for points a, b, …; `duplicate_clause_number` on a clause says the source
  prints its number twice (Bắc Kạn Điều 14 khoản 2), and the quote may lie in either;
- cycles: overrides (every rule of the cycle would be displaced) and distinct_from (the evaluator breaks
  the cycle in evaluation order, so one event can count for both duties, or for neither);
- periods: a window whose far end (`opens`) can never be farther than its near end (`period`), and a
  step capped at the start (`before_start`) that its period puts after the start (cadences are checked
  by the model itself: one day per period of the year, days of every year);
- readings: each value of each reading applied alone, for what its changes break (an unknown party,
  an override cycle, an empty window), reported at the value;
- summaries (warning): a number of days, hours or minutes in `summary` that matches no period of the
  rule ("03 ngày làm việc" beside a period of 5).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .institutions import rulebook_registry_problems
from .rulebook import Citation, Period, Rule, Rulebook
from .vocabulary import ROLES
from .yamlio import Document, Path_, format_path, load_model, read_document

if TYPE_CHECKING:  # quyche.sources is imported by the functions that read a source (not by `quyche check`)
    from .sources import Division, Layout, SourceText

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class LintProblem:
    rule: str  # the rule id, or the part of the rulebook ("metadata", "parties[2] (so_tttt)", …)
    message: str
    severity: Severity = "error"
    where: str = ""  # file:line:col of the offending value

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.rule}: {self.message}"


def lint(ref: str | Path) -> tuple[Rulebook, list[LintProblem]]:
    """Load a rulebook and check it (see the module's docstring); problems in file order.

    A rulebook that does not even fit the model raises the model's error (file:line:col) instead."""
    from .loader import resolve
    from .sources import find_source

    path = resolve(ref)
    doc = read_document(path)
    # The model's own cross-reference checks are left to lint, which gives each its own line.
    book = load_model(Rulebook, doc, context={"lint": True})
    linter = _Linter(book, doc)
    linter.references()
    linter.institutions()
    # A source that is there but cannot be read (not UTF-8, a FIFO, too large) is an InputError, not a problem.
    source = find_source(path, book.metadata.source)
    if source is None:
        linter.add(("metadata", "source"), "metadata",
                   f"source {book.metadata.source!r} not found beside {path}")
    else:
        linter.source(source)
    linter.cycles("overrides")
    linter.cycles("distinct_from")
    for i, rule in enumerate(book.rules):
        linter.periods(i, rule)
        linter.summary(i, rule)
    linter.readings()
    return book, linter.sorted()


class _Linter:
    def __init__(self, book: Rulebook, doc: Document) -> None:
        self.book = book
        self.doc = doc
        self.raw: list[tuple[Path_, str, str, Severity]] = []  # (path, who, message, severity)

    def add(self, path: Path_, who: str, message: str, severity: Severity = "error") -> None:
        self.raw.append((path, who, message, severity))

    def sorted(self) -> list[LintProblem]:
        problems = [LintProblem(who, message, severity, self.doc.locate(path))
                    for path, who, message, severity in self.raw]

        def key(item: tuple[int, LintProblem]) -> tuple[int, int, int]:
            m = re.search(r":(\d+):(\d+)$", item[1].where)
            return (int(m.group(1)), int(m.group(2)), item[0]) if m else (0, 0, item[0])

        return [p for _, p in sorted(enumerate(problems), key=key)]

    def _who(self, path: Path_) -> str:
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int) and path[1] < len(self.book.rules):
            return self.book.rules[path[1]].id
        if len(path) >= 2 and path[0] == "parties" and isinstance(path[1], int) and path[1] < len(self.book.parties):
            return f"parties.{self.book.parties[path[1]].id}"
        return format_path(path[:1])

    # ------------------------------------------------------------------ references and institutions

    def references(self) -> None:
        for path, message in self.book.reference_problems():
            # The model's message starts with its own place ("rules[3] (x.y): …"); lint names it apart.
            self.add(path, self._who(path), re.sub(r"^[\w.\[\]]+(?: \([^)]*\))?: ", "", message))
        body_ids = {b.id for b in self.book.parties}
        for i, rule in enumerate(self.book.rules):
            for key, period in (("period", rule.period), ("opens", rule.opens)):
                for j, ref in enumerate(period.anchor_by or () if period else ()):
                    if ref not in ROLES and ref not in body_ids:
                        self.add(("rules", i, key, "anchor_by", j), rule.id,
                                 f"{key}.anchor_by: {ref!r} is neither a role nor a party id of this rulebook")

    def institutions(self) -> None:
        for path, message in rulebook_registry_problems(self.book):
            self.add(path, self._who(path), re.sub(r"^[\w.\[\]]+(?: \([^)]*\))?: ", "", message))

    # ------------------------------------------------------------------ the source text

    def source(self, source: SourceText) -> None:
        declared = _Declared(self.book)
        for i, rule in enumerate(self.book.rules):
            self._citation(source, declared, ("rules", i, "citation"), rule.id, rule.citation, rule.quote,
                           ("rules", i, "quote"))
        for k, anomaly in enumerate(self.book.anomalies):
            if anomaly.citation is not None:
                self._citation(source, declared, ("anomalies", k, "citation"), f"anomaly {anomaly.kind}",
                               anomaly.citation, None, None)

    def _citation(self, source: SourceText, declared: _Declared, path: Path_, who: str, c: Citation,
                  quote: str | None, quote_path: Path_ | None) -> None:
        article = source.article(c)
        if article is None:
            self.add(path, who, f"{c.label}: no such article in {source.name}")
            return
        layout = source.layout(article, bulleted_clauses=declared.bulleted_clauses(c),
                               bulleted_points=declared.bulleted_points(c))
        regions = self._regions(source, declared, layout, path, who, c)
        if regions is None or quote is None or quote_path is None:
            return
        from .sources import normalise

        q = normalise(quote)
        if any(q in r for r in regions):
            return
        if c.clause is None and c.point is None:
            where = "elsewhere in the source" if source.contains(quote) else "nowhere in the source"
            self.add(quote_path, who, f"quote not found in {c.label} (found {where})")
            return
        if source.quote_in_article(quote, _article_only(c)):
            found = _where_in(source, layout, q)
            self.add(quote_path, who, f"quote lies in {_article_only(c).label} but not in {c.label}"
                     + (f" (found in {found})" if found else " (it spans several clauses or points)"))
        else:
            where = "elsewhere in the source" if source.contains(quote) else "nowhere in the source"
            self.add(quote_path, who, f"quote not found in {c.label} (found {where})")

    def _regions(self, source: SourceText, declared: _Declared, layout: Layout, path: Path_, who: str,
                 c: Citation) -> list[str] | None:
        """The normalised texts the quote may lie in, or None after reporting the citation's problem."""
        a = layout.article
        article_label = _article_only(c).label
        lead = source.normalised(*layout.lead_in)
        if c.clause is None:
            if c.point is None:
                return [source.normalised(a.start, a.end)]
            if layout.clauses:
                self.add(path, who, f"{c.label}: {article_label} has clauses; cite the khoản of điểm {c.point}")
                return None
            points = [p for p in layout.points if p.label == c.point]
            if not points:
                self.add(path, who, f"{c.label}: {article_label} has no điểm {c.point}{_have(layout.points, 'điểm')}")
                return None
            return [_join(lead, source.normalised(p.start, p.end)) for p in points]
        clauses = layout.clause(c.clause)
        if not clauses:
            declared_hint = (
                "; if its unnumbered paragraphs stand as clauses, declare an `unnumbered_clauses` anomaly "
                f"citing {article_label}" if _has_bullets(source, layout) else "")
            self.add(path, who, f"{c.label}: {article_label} has no khoản {c.clause}"
                     f"{_have(layout.clauses, 'khoản')}{declared_hint}")
            return None
        if len(clauses) > 1 and not declared.duplicate_clause(c):
            self.add(path, who, f"{c.label}: {article_label} numbers {len(clauses)} clauses {c.clause}. (the quote "
                     "may lie in any); declare a `duplicate_clause_number` anomaly citing this clause", "warning")
        if c.point is None:
            return [_join(lead, source.normalised(k.start, k.end)) for k in clauses]
        out = []
        for k in clauses:
            for p in k.points:
                if p.label == c.point:
                    out.append(_join(lead, source.normalised(k.start, k.body), source.normalised(p.start, p.end)))
        if not out:
            points = [p for k in clauses for p in k.points]
            hint = ""
            if not points and _has_bullets(source, layout, clauses[0]):
                hint = ("; if its unnumbered paragraphs stand as points, declare an `unnumbered_points` anomaly "
                        f"citing {_article_only(c).label} khoản {c.clause}")
            self.add(path, who, f"{c.label}: khoản {c.clause} of {article_label} has no điểm {c.point}"
                     f"{_have(points, 'điểm')}{hint}")
            return None
        return out

    # ------------------------------------------------------------------ cycles

    def cycles(self, key: Literal["overrides", "distinct_from"]) -> None:
        rules = self.book.rules
        index = {r.id: i for i, r in enumerate(rules)}
        edges = {r.id: [t for t in getattr(r, key) if t in index and t != r.id] for r in rules}
        reported: set[frozenset[str]] = set()
        for cycle in _cycles(edges, [r.id for r in rules]):
            members = frozenset(cycle)
            if members in reported:
                continue
            reported.add(members)
            first = min(cycle, key=lambda rid: index[rid])
            k = cycle.index(first)
            ordered = [*cycle[k:], *cycle[:k], first]
            i = index[first]
            j = getattr(rules[i], key).index(ordered[1])
            chain = " → ".join(ordered)
            if key == "overrides":
                why = "when they all apply, each displaces the next and none of them is left"
            else:
                why = ("the evaluator breaks the cycle in evaluation order, so one event can end up counted for "
                       "both duties (or for neither); declare it on one side only")
            self.add(("rules", i, key, j), first, f"{key} cycle {chain}: {why}")

    # ------------------------------------------------------------------ periods and cadence

    def periods(self, i: int, rule: Rule) -> None:
        p, o = rule.period, rule.opens
        if p is not None and o is not None and rule.kind != "during" and p.relation == o.relation == "before" \
                and p.anchor == o.anchor and _never_farther(o, p):
            self.add(("rules", i, "opens"), rule.id,
                     f"opens ({_period_text(o)}) is never farther from {o.anchor} than period ({_period_text(p)}): "
                     "the window is empty")
        if rule.before_start and p is not None and p.relation == "after" and p.anchor in ("meeting_start",
                                                                                          "meeting_end"):
            self.add(("rules", i, "before_start"), rule.id,
                     f"before_start: the period ({_period_text(p)} after {p.anchor}) always lands after the start")
        # Cadence days (one per period of the year, days of every year, first_year) are the model's to
        # refuse: lint raises its error, with file:line:col, before any of these checks run.

    # ------------------------------------------------------------------ readings

    def readings(self) -> None:
        """Each value of each reading, applied alone: what its changes break that the rulebook as written
        does not (an unknown party, an override cycle, an empty window), at the value's line."""
        from .readings import apply_readings

        base = {(who, message) for _, who, message, _ in self.raw}
        for ri, reading in enumerate(self.book.readings):
            for vi, value in enumerate(reading.values):
                if not value.changes:
                    continue
                variant = apply_readings(self.book, {reading.id: value.id})
                sub = _Linter(variant, self.doc)
                sub.references()
                sub.cycles("overrides")
                sub.cycles("distinct_from")
                for i, rule in enumerate(variant.rules):
                    if rule.id in value.changes:
                        sub.periods(i, rule)
                for _, who, message, severity in sub.raw:
                    if (who, message) in base:
                        continue
                    path: Path_ = ("readings", ri, "values", vi)
                    if who in value.changes:
                        path = (*path, "changes", who)
                    self.add(path, who, f"with reading {reading.id} = {value.id}: {message}", severity)

    # ------------------------------------------------------------------ summaries

    def summary(self, i: int, rule: Rule) -> None:
        periods = [p for p in (rule.period, rule.opens) if p is not None]
        if not periods:
            return
        have = {(p.amount, p.unit) for p in periods}
        families = {_FAMILY[p.unit] for p in periods}
        vi_amount, en_amount, dates = _patterns()
        for lang, pattern in (("vi", vi_amount), ("en", en_amount)):
            text = dates.sub(" ", getattr(rule.summary, lang))
            for m in pattern.finditer(text):
                amount = int(m.group("n"))
                unit = _UNITS[m.group("unit").lower()]
                if _FAMILY[unit] not in families or (amount, unit) in have:
                    continue
                want = " and ".join(_period_text(p) for p in periods)
                self.add(("rules", i, "summary", lang), rule.id,
                         f"summary ({lang}) says {m.group(0).strip()!r} but the rule counts {want}", "warning")


# ---------------------------------------------------------------------------------------- helpers


class _Declared:
    """The structural quirks a rulebook's anomalies declare."""

    def __init__(self, book: Rulebook) -> None:
        self._by_kind: dict[str, list[Citation]] = {}
        for a in book.anomalies:
            if a.citation is not None:
                self._by_kind.setdefault(a.kind, []).append(a.citation)

    def _cites(self, kind: str, c: Citation, clause: int | None) -> bool:
        return any((d.part, d.article, d.occurrence, d.clause) == (c.part, c.article, c.occurrence, clause)
                   for d in self._by_kind.get(kind, ()))

    def bulleted_clauses(self, c: Citation) -> bool:
        return self._cites("unnumbered_clauses", c, None)

    def bulleted_points(self, c: Citation) -> frozenset[int]:
        here = (c.part, c.article, c.occurrence)
        return frozenset(d.clause for d in self._by_kind.get("unnumbered_points", ())
                         if d.clause is not None and (d.part, d.article, d.occurrence) == here)

    def duplicate_clause(self, c: Citation) -> bool:
        return self._cites("duplicate_clause_number", c, c.clause)


def _article_only(c: Citation) -> Citation:
    return Citation(part=c.part, article=c.article, occurrence=c.occurrence)


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _have(divisions: list[Division] | tuple[Division, ...], word: str) -> str:
    labels = list(dict.fromkeys(d.label for d in divisions))
    if not labels:
        return f" (the source numbers no {word})"
    return f" (the source has {word} {', '.join(labels)})"


def _has_bullets(source: SourceText, layout: Layout, clause: Division | None = None) -> bool:
    start, end = (clause.start, clause.body) if clause else layout.lead_in
    return bool(re.search(r"^[ \t]*[-–•][ \t]+\S", source.text[start:end], re.MULTILINE))


def _where_in(source: SourceText, layout: Layout, q: str) -> str | None:
    """The clause or point that holds the normalised quote, in words."""
    for k in layout.clauses:
        for p in k.points:
            if q in source.normalised(p.start, p.end):
                return f"khoản {k.label} điểm {p.label}"
        if q in source.normalised(k.start, k.end):
            return f"khoản {k.label}"
    for p in layout.points:
        if q in source.normalised(p.start, p.end):
            return f"điểm {p.label}"
    if q in source.normalised(*layout.lead_in):
        return "the article's lead-in"
    return None


def _cycles(edges: dict[str, list[str]], order: list[str]) -> list[list[str]]:
    """Elementary cycles, one per strongly connected component and self-contained (Tarjan, iterative),
    each given as a path through the component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    comps: list[list[str]] = []
    counter = 0
    for root in order:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on.add(v)
            succ = edges.get(v, [])
            if k < len(succ):
                work.append((v, k + 1))
                w = succ[k]
                if w not in index:
                    work.append((w, 0))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    comps.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    out = []
    for comp in comps:
        members = set(comp)
        start = min(comp, key=order.index)
        # a path from `start` back to it inside the component (breadth-first: the shortest)
        prev: dict[str, str] = {}
        frontier = [start]
        found = None
        while frontier and found is None:
            nxt = []
            for v in frontier:
                for w in edges.get(v, []):
                    if w not in members:
                        continue
                    if w == start:
                        found = v
                        break
                    if w not in prev:
                        prev[w] = v
                        nxt.append(w)
                if found is not None:
                    break
            frontier = nxt
        path = [found] if found is not None else []
        while path and path[-1] != start:
            path.append(prev[path[-1]])
        out.append(list(reversed(path)))
    return out


_MINUTES = {"minutes": 1, "hours": 60, "working_hours": 60, "days": 1440, "working_days": 1440}
_UNBOUNDED = {"working_days", "working_hours"}  # weekends, Tết and nights stretch them without limit
_DAY_UNITS = {"days", "working_days"}


def _never_farther(opens: Period, period: Period) -> bool:
    """Whether `opens` (a window's far end, before the anchor) is never farther than `period` (its near
    end), whatever the anchor's time of day: then the window is empty. Day counts open at 00:00 of their
    first day and close at 23:59:59 of their last (calendar.opening / calendar.deadline)."""
    for t in (0, 1439):  # minutes past midnight of the anchor
        # opens: the farthest it can be; period: the nearest it can be
        if opens.unit in _UNBOUNDED:
            return False
        far = opens.amount * _MINUTES[opens.unit] + (t if opens.unit in _DAY_UNITS else 0)
        near = period.amount * _MINUTES[period.unit]
        if period.unit in _DAY_UNITS:
            near = (period.amount - 1) * 1440 + t
        if far > near:
            return False
    return True


_VI_UNITS = {"ngày làm việc": "working_days", "ngày": "days", "giờ làm việc": "working_hours",
             "giờ": "hours", "tiếng": "hours", "phút": "minutes"}
_EN_UNITS = {"working days": "working_days", "working day": "working_days", "days": "days", "day": "days",
             "working hours": "working_hours", "working hour": "working_hours", "office hours": "working_hours",
             "office hour": "working_hours", "hours": "hours", "hour": "hours", "minutes": "minutes",
             "minute": "minutes"}
_UNITS = {**_VI_UNITS, **_EN_UNITS}
_FAMILY = {"working_days": "day", "days": "day", "working_hours": "time", "hours": "time", "minutes": "time"}


def _amount_pattern(units: dict[str, str]) -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(u) for u in units), key=len, reverse=True))
    # "03 (ba) ngày làm việc", "1 giờ"; never the 2 of "1/2 ngày" or of "2.5"
    return re.compile(rf"(?<![\d/.,])(?P<n>\d{{1,4}})(?:\s*\([^)\d]*\))?\s*(?P<unit>{names})\b", re.IGNORECASE)


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(Vietnamese amounts, English amounts, dates), compiled when a rulebook is first linted (not when
    quyche.loader imports this module on every cold start)."""
    # Dates are not periods: "ngày 15 tháng 6", "15/6/2025", "June 15".
    dates = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b",
                       re.IGNORECASE)
    return _amount_pattern(_VI_UNITS), _amount_pattern(_EN_UNITS), dates

def _period_text(p: Period) -> str:
    return f"{p.amount} {p.unit.replace('_', ' ')}"
