"""Rulebooks side by side as a terminal table (100 columns) or a markdown memo; the words all diff views share.

Layout only: which rules sit in a row, how they differ and which cells differ was settled in `quyche.diff`.
A line of a cell that differs from the rest of its row is marked (text "»", markdown bold, HTML yellow);
a cell equal to the others on that aspect is not.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from pathlib import Path

from pydantic import JsonValue

from ..compare import Comparison, Verdict
from ..diff import (
    PERIOD_ASPECTS,
    Column,
    Diff,
    Entry,
    Matrix,
    MatrixRow,
    VersionDiff,
    cell_marks,
    entry_marks,
    missing_columns,
    untimed_columns,
)
from ..parties import role_name
from ..report import Obligation
from ..rulebook import Condition, Period
from .messages import word
from .report_text import status_word, when_text
from .rulebook_text import (
    TOPIC_NAMES,
    cadence_text,
    condition_text,
    conditions_text,
    name_in,
    period_text,
    staffing_text,
    status_name,
    t,
    topic_name,
)

__all__ = ["TOPIC_NAMES", "WIDTH", "render_diff", "render_markdown", "render_text", "t", "topic_name"]

WIDTH = 100
MARK = "» "  # a text line that differs from the rest of its row

GROUP_NAMES: dict[str, tuple[str, str]] = {
    "host": ("cơ quan chủ trì", "host"),
    "endpoints": ("các điểm cầu", "endpoints"),
    "operators": ("cơ quan quản lý, vận hành hệ thống", "system operators"),
    "telecom": ("doanh nghiệp viễn thông", "telecom"),
    "power_company": ("điện lực", "power company"),
    "finance": ("tài chính", "finance"),
}
ASPECT_NAMES: dict[str, tuple[str, str]] = {
    "rule_count": ("số điều khoản khác nhau", "a different number of provisions"),
    "amount": ("thời hạn", "the length of the period"),
    "unit": ("đơn vị tính", "the unit"),
    "relation": ("trước/sau", "before/after"),
    "anchor": ("mốc tính", "what the period counts from"),
    "window": ("khoảng thời gian", "the window"),
    "parties": ("bên thực hiện", "who acts"),
    "recipients": ("bên nhận", "the recipients"),
    "conditions": ("điều kiện/ngoại lệ", "conditions/exemptions"),
    "staffing": ("định mức nhân sự", "staffing"),
    "cadence": ("định kỳ", "cadence"),
}
_ANCHOR_NAMES: dict[str, tuple[str, str]] = {
    "meeting_start": ("giờ họp", "the meeting's start"),
    "meeting_end": ("khi kết thúc họp", "the meeting's end"),
}
# Which lines of an entry show which aspects (the HTML marks the same lines).
LINE_ASPECTS: dict[str, frozenset[str]] = {
    "period": PERIOD_ASPECTS,
    "parties": frozenset({"parties", "recipients"}),
    "staffing": frozenset({"staffing"}),
    "cadence": frozenset({"cadence"}),
    "conditions": frozenset({"conditions"}),
}
_PREFIXES = ("Thành phố ", "thành phố ", "Tỉnh ", "tỉnh ", "Huyện ", "huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ")


def _name(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    return name_in(table, key, lang)


def _condition(c: Condition, lang: str) -> str:
    """A condition in words (shared with `quyche show`)."""
    return condition_text(c, lang)


def row_title(row: MatrixRow, lang: str) -> str:
    parts = [topic_name(row.topic, lang), _name(GROUP_NAMES, row.binds, lang)]
    if row.anchor is not None:
        parts.append(t(lang, "mốc: ", "from ") + anchor_name(row.anchor, lang))
    return " · ".join(parts)


def anchor_name(anchor: str, lang: str) -> str:
    if anchor.startswith("event:"):
        return word("event", anchor[6:], lang)
    return _name(_ANCHOR_NAMES, anchor, lang)


def place_name(c: Column) -> str:
    return short_place(c.jurisdiction) or c.id


def short_place(jurisdiction: str) -> str:
    """"Cần Thơ" from "Thành phố Cần Thơ", "Triệu Sơn" from "Huyện Triệu Sơn, tỉnh Thanh Hóa"."""
    name = jurisdiction.split(",")[0].strip()
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


def column_labels(columns: Sequence[Column], files: Sequence[str] | None = None) -> list[str]:
    """Place names; where two columns share one (two versions of a rulebook), their file names."""
    labels = [place_name(c) for c in columns]
    if len(set(labels)) == len(labels):
        return labels
    if files is not None and len(files) == len(columns):
        names = [Path(f).name for f in files]
        paths = names if len(set(names)) == len(names) else list(files)
        if len(set(paths)) == len(paths):
            return [paths[i] if labels.count(labels[i]) > 1 else labels[i] for i in range(len(labels))]
    return numbered(labels)


def numbered(labels: Sequence[str]) -> list[str]:
    """The labels, each that comes more than once followed by its place: "Cần Thơ (1)", "Cần Thơ (2)"."""
    return [f"{label} ({i + 1})" if labels.count(label) > 1 else label for i, label in enumerate(labels)]


def _names(labels: Sequence[str], columns: list[int], lang: str) -> str:
    names = [labels[i] for i in columns]
    return ", ".join(names[:-1]) + t(lang, " và ", " and ") + names[-1] if len(names) > 1 else "".join(names)


def differences_text(row: MatrixRow, lang: str, labels: Sequence[str] | None = None) -> str:
    """What differs, in plain words, naming the rulebooks that stand out where some do."""
    if row.same:
        return t(lang, "giống nhau", "same")
    labels = labels or [f"#{i + 1}" for i in range(len(row.cells))]
    marks = cell_marks(row)
    parts = []
    for aspect in row.differences:
        if aspect == "missing":
            parts.append(t(lang, f"{_names(labels, missing_columns(row), lang)} không quy định",
                           f"no rule in {_names(labels, missing_columns(row), lang)}"))
        elif aspect == "untimed":
            parts.append(t(lang, f"{_names(labels, untimed_columns(row), lang)} không đặt thời hạn",
                           f"no period set in {_names(labels, untimed_columns(row), lang)}"))
        elif aspect == "rule_count":
            parts.append(_name(ASPECT_NAMES, aspect, lang))
        else:
            odd = [i for i, m in enumerate(marks) if aspect in m]
            compared = [i for i, c in enumerate(row.cells) if c]
            text = _name(ASPECT_NAMES, aspect, lang)
            if 0 < len(odd) < len(compared) - 1:  # a few stand out from a shared value: name them
                text += f" ({_names(labels, odd, lang)})"
            parts.append(text)
    return t(lang, "khác: ", "differs: ") + "; ".join(parts)


def _readings_note(e: Entry, lang: str) -> str:
    # The questions themselves are long; `quyche readings` lists them with their values.
    return t(lang, "[tùy cách hiểu: xem quyche readings]", "[depends on the reading: see quyche readings]")


def period_line(e: Entry, lang: str) -> str | None:
    text = None if e.period is None else period_text(e.period, lang, e.opens)
    if e.readings:
        # The cell depends on a reading: say which, so a drafter can try the other value.
        text = (text or "—") + " " + _readings_note(e, lang)
    return text


def parties_line(e: Entry, lang: str) -> str:
    text = ", ".join(role_name(r, lang) for r in e.parties)
    if e.bodies:
        text += f" ({'; '.join(e.bodies)})"
    if e.recipients:
        text += " → " + ", ".join(role_name(r, lang) for r in e.recipients)
    return text


def staffing_line(e: Entry, lang: str) -> str | None:
    return staffing_text(e.requires, lang)


def cadence_line(e: Entry, lang: str) -> str | None:
    return cadence_text(e.cadence, lang)


def conditions_line(e: Entry, lang: str) -> str | None:
    return conditions_text(e.applies_when, e.unless, lang)


def entry_parts(e: Entry, lang: str) -> list[tuple[str, str]]:
    """(kind, text) lines of an entry after its citation: period, parties, quotas, cadence, conditions, summary."""
    parts = [("period", period_line(e, lang)), ("parties", parties_line(e, lang)),
             ("staffing", staffing_line(e, lang)), ("cadence", cadence_line(e, lang)),
             ("conditions", conditions_line(e, lang)), ("sum", e.summary)]
    return [(kind, text) for kind, text in parts if text]


def marked(kind: str, marks: set[str]) -> bool:
    return bool(LINE_ASPECTS.get(kind, frozenset()) & marks)


def entry_lines(e: Entry, lang: str, marks: set[str] | None = None) -> list[str]:
    """An entry in plain lines, citation first; lines showing an aspect in `marks` start with MARK."""
    return [e.citation.label, *((MARK if marked(k, marks or set()) else "") + text for k, text in entry_parts(e, lang))]


def column_head(c: Column, lang: str) -> str:
    number = c.decision_number or t(lang, "(số để trống)", "(number blank)")
    signed = c.signed.strftime("%d/%m/%Y") if c.signed else t(lang, "(ngày ký để trống)", "(signing date blank)")
    return f"{c.jurisdiction} — {number} — {signed} — {status_name(c.status, lang)}"


def _wrap(lines: Sequence[str], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        indent = "   " if line.startswith(MARK) else "  "
        out += textwrap.wrap(line, width, subsequent_indent=indent) or [""]
    return out


def _cell(entries: list[Entry], width: int, lang: str, marks: list[set[str]]) -> list[str]:
    if not entries:
        return ["— " + t(lang, "không quy định", "no rule")]
    out: list[str] = []
    for i, (e, mk) in enumerate(zip(entries, marks, strict=True)):
        out += ([""] if i else []) + _wrap(entry_lines(e, lang, mk), width)
    return out


def shown_rows(m: Matrix, changed_only: bool) -> list[MatrixRow]:
    return [r for r in m.rows if not (changed_only and r.same)]


def _header(m: Matrix, labels: list[str], lang: str) -> list[str]:
    out = []
    for label, c in zip(labels, m.columns, strict=True):
        out += textwrap.wrap(f"  {label}: {column_head(c, lang)}", WIDTH, subsequent_indent="      ")
    return out


def render_text(m: Matrix, lang: str = "vi", versions: VersionDiff | None = None, *,
                changed_only: bool = False, files: Sequence[str] | None = None) -> str:
    """Two rulebooks in two columns; more, one block per rulebook under each row. Fits WIDTH columns."""
    labels = column_labels(m.columns, files)
    out = [t(lang, "So sánh quy chế: ", "Rulebooks compared: ") + " ↔ ".join(labels)]
    out += _header(m, labels, lang)
    out.append(t(lang, f"  ({MARK.strip()} đánh dấu dòng khác với các quy chế còn lại trong hàng)",
                 f"  ({MARK.strip()} marks a line that differs from the rest of its row)"))
    if versions is not None:
        out += ["", *render_versions_text(versions, lang, labels).rstrip("\n").split("\n")]
    half = (WIDTH - 3) // 2
    for row in shown_rows(m, changed_only):
        marks = entry_marks(row)
        mark = "=" if row.same else "≠"
        out += ["", f"{mark} {row_title(row, lang)}"[:WIDTH]]
        out += textwrap.wrap(differences_text(row, lang, labels), WIDTH, initial_indent="  ", subsequent_indent="    ")
        if len(m.columns) == 2:
            left, right = (_cell(c, half - 2, lang, mk) for c, mk in zip(row.cells, marks, strict=True))
            out.append(f"  {labels[0][: half - 2]:<{half - 2}} │ {labels[1]}"[:WIDTH])
            for i in range(max(len(left), len(right))):
                lt = left[i] if i < len(left) else ""
                rt = right[i] if i < len(right) else ""
                out.append(f"  {lt:<{half - 2}} │ {rt}".rstrip())
        else:
            pad = min(max(len(x) for x in labels), 14)
            for label, cell, mk in zip(labels, row.cells, marks, strict=True):
                lines = _cell(cell, WIDTH - pad - 3, lang, mk)
                out += [f"  {label[:pad] if i == 0 else '':<{pad}} {line}".rstrip() for i, line in enumerate(lines)]
    out += ["", *textwrap.wrap(summary_line(m, lang, labels, changed_only), WIDTH)]
    return "\n".join(out) + "\n"


def summary_line(m: Matrix, lang: str, labels: Sequence[str] | None = None, changed_only: bool = False) -> str:
    """A headline that says what differs: how many questions, how many differ and in what."""
    labels = labels or [c.id for c in m.columns]
    n = len(m.rows)
    differ = [r for r in m.rows if not r.same]

    def count(*aspects: str) -> int:
        return sum(any(a in r.differences for a in aspects) for r in differ)

    timing = count("amount", "unit", "relation", "anchor", "window", "untimed")
    who = count("parties", "recipients")
    missing = count("missing")
    if not differ:
        text = t(lang, f"{n} vấn đề, ở tất cả đều giống nhau.", f"{n} questions, the same in every one.")
    else:
        text = t(lang, f"{len(differ)} trong {n} vấn đề khác nhau: {timing} về thời hạn, {who} về bên thực hiện "
                       f"hoặc bên nhận, {missing} không phải quy chế nào cũng quy định.",
                 f"{len(differ)} of {n} questions differ: {timing} in timing, {who} in who acts or is told, "
                 f"{missing} not covered by every rulebook.")
    if len(labels) > 2 and missing:
        # The rulebook that most often says nothing: the first gap a drafter looks at.
        gaps = [sum(not r.cells[i] for r in m.rows) for i in range(len(labels))]
        worst = max(range(len(labels)), key=lambda i: gaps[i])
        text += t(lang, f" Ít quy định nhất: {labels[worst]} ({gaps[worst]} vấn đề không quy định).",
                  f" Fewest rules: {labels[worst]} (silent on {gaps[worst]} questions).")
    hidden = n - len(shown_rows(m, changed_only))
    if hidden:
        text += t(lang, f" {hidden} vấn đề giống nhau không hiện (--all-rows để xem).",
                  f" {hidden} unchanged questions are not shown (--all-rows shows them).")
    return text


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(m: Matrix, lang: str = "vi", versions: VersionDiff | None = None, *,
                    changed_only: bool = False, files: Sequence[str] | None = None) -> str:
    """A drafting memo: one table, one column per rulebook, each cell cited; differing lines in bold."""
    labels = column_labels(m.columns, files)
    out = [f"# {t(lang, 'So sánh quy chế', 'Rulebooks compared')}: {' ↔ '.join(labels)}", ""]
    out += [f"- **{_md(label)}**: {_md(c.title)} ({_md(column_head(c, lang))})"
            + (f" — `{_md(files[i])}`" if files is not None and label == files[i] else "")
            for i, (label, c) in enumerate(zip(labels, m.columns, strict=True))]
    out += ["", _md(summary_line(m, lang, labels, changed_only)), ""]
    if versions is not None:
        out += [render_versions_markdown(versions, lang, labels), ""]
    head = [t(lang, "Vấn đề", "Question"), *labels, t(lang, "Khác biệt", "Differences")]
    out += ["| " + " | ".join(map(_md, head)) + " |", "|" + " --- |" * len(head)]
    for row in shown_rows(m, changed_only):
        marks = entry_marks(row)
        cells = ["<br><br>".join(_md_entry(e, lang, mk) for e, mk in zip(cell, cell_mk, strict=True)) or "—"
                 for cell, cell_mk in zip(row.cells, marks, strict=True)]
        line = [_md(row_title(row, lang)), *cells, _md(differences_text(row, lang, labels))]
        out.append("| " + " | ".join(line) + " |")
    out.append("")
    return "\n".join(out)


def _md_entry(e: Entry, lang: str, marks: set[str]) -> str:
    lines = [f"**≠ {_md(text)}**" if marked(kind, marks) else _md(text) for kind, text in entry_parts(e, lang)]
    return "<br>".join([f"**{_md(e.citation.label)}**", *lines])


_FIELDS: dict[str, tuple[str, str]] = {
    "period": ("thời hạn", "period"),
    "opens": ("mở từ", "window opens"),
    "recipients": ("bên nhận", "recipients"),
    "binds": ("bên thực hiện", "who acts"),
    "summary": ("tóm tắt", "summary"),
    "quote": ("trích dẫn", "quote"),
    "reading": ("đọc lại", "corrected reading"),
    "citation": ("căn cứ", "citation"),
    "topic": ("vấn đề", "topic"),
    "applies_when": ("điều kiện áp dụng", "applies when"),
    "unless": ("ngoại lệ", "exemptions"),
    "requires": ("định mức nhân sự", "staffing"),
    "cadence": ("định kỳ", "cadence"),
    "satisfied_by": ("cách ghi nhận", "how it is recorded"),
    "overrides": ("thay cho quy định", "overrides"),
    "interpretation": ("cách hiểu", "interpretation"),
    "status": ("tình trạng", "status"),
    "title": ("tên văn bản", "title"),
    "decision_number": ("số quyết định", "decision number"),
    "signed": ("ngày ký", "signed"),
    "effective": ("ngày có hiệu lực", "in force from"),
    "effective_note": ("ghi chú hiệu lực", "note on force"),
    "issuer": ("cơ quan ban hành", "issuer"),
    "anomalies": ("lưu ý về văn bản", "notes on the text"),
    "source": ("văn bản nguồn", "source text"),
}


def _anomaly_text(a: JsonValue, lang: str) -> str:
    """One anomaly of a dumped rulebook: its citation and its note in `lang` (the kind is an id)."""
    if not isinstance(a, dict):
        return json.dumps(a, ensure_ascii=False)
    note, cite = a.get("description"), a.get("citation")
    text = str(note[lang]) if isinstance(note, dict) and isinstance(note.get(lang), str) else str(note)
    return f"{cite['label']}: {text}" if isinstance(cite, dict) and isinstance(cite.get("label"), str) else text


def value_text(field: str, value: JsonValue, lang: str, bodies: dict[str, str] | None = None) -> str:
    """A changed field's value in words: periods as periods, roles by name, summaries in the chosen language."""
    if value is None:
        return "—"
    if field in ("period", "opens") and isinstance(value, dict):
        return period_text(Period.model_validate(value), lang)
    if field in ("summary", "contingency", "effective_note") and isinstance(value, dict) \
            and isinstance(value.get(lang), str):
        return str(value[lang])
    if field == "anomalies" and isinstance(value, list):
        return "; ".join(_anomaly_text(a, lang) for a in value) or "—"
    if field == "status" and isinstance(value, str):
        return status_name(value, lang)
    if field in ("binds", "recipients") and isinstance(value, list):
        names = bodies or {}
        return ", ".join(names.get(str(v)) or role_name(str(v), lang) for v in value) or "—"
    if field in ("applies_when", "unless") and isinstance(value, (dict, list)):
        conds = value if isinstance(value, list) else [value]
        return "; ".join(condition_text(Condition.model_validate(c), lang) for c in conds) or "—"
    if field == "citation" and isinstance(value, dict) and isinstance(value.get("label"), str):
        return str(value["label"])
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _version_lines(v: VersionDiff, lang: str) -> list[tuple[int, str]]:
    """(depth, text) lines shared by the text and markdown views of a version diff."""
    out: list[tuple[int, str]] = []

    def field(name: str) -> str:
        return _name(_FIELDS, name, lang)

    for title, changes in ((t(lang, "Thông tin văn bản", "Metadata"), v.metadata),
                           (t(lang, "Cơ quan, đơn vị", "Parties"), v.parties)):
        if changes:
            out.append((0, f"{title} ({len(changes)})"))
            out += [(1, f"{field(c.field)}: {value_text(c.field, c.old, lang)} → {value_text(c.field, c.new, lang)}")
                    for c in changes]
    for title, entries in ((t(lang, "Thêm", "Added"), v.added), (t(lang, "Bỏ", "Removed"), v.removed)):
        if entries:
            out.append((0, f"{title} ({len(entries)})"))
            out += [(1, f"{e.citation.label}: {e.summary}") for e in entries]
    if v.changed:
        out.append((0, f"{t(lang, 'Sửa', 'Changed')} ({len(v.changed)})"))
        for rc in v.changed:
            out.append((1, f"{rc.citation.label}: {rc.summary}" if rc.summary else rc.citation.label))
            out += [(2, f"{field(c.field)}: {value_text(c.field, c.old, lang, v.bodies)} → "
                        f"{value_text(c.field, c.new, lang, v.bodies)}")
                    for c in rc.changes]
    out.append((0, t(lang, f"Không đổi: {v.unchanged} quy định", f"Unchanged: {v.unchanged} rule(s)")))
    return out


def _versions_title(v: VersionDiff, lang: str, labels: Sequence[str] | None) -> str:
    old, new = (labels[0], labels[1]) if labels and len(labels) == 2 else (v.old, v.new)
    return t(lang, f"Hai phiên bản: {old} → {new}", f"Two versions: {old} → {new}")


def render_versions_text(v: VersionDiff, lang: str = "vi", labels: Sequence[str] | None = None) -> str:
    out = [_versions_title(v, lang, labels)]
    for depth, text in _version_lines(v, lang):
        out += textwrap.wrap(text, WIDTH, initial_indent="  " * (depth + 1),
                             subsequent_indent="  " * (depth + 2)) or [""]
    return "\n".join(out) + "\n"


def render_versions_markdown(v: VersionDiff, lang: str = "vi", labels: Sequence[str] | None = None) -> str:
    out = [f"## {_md(_versions_title(v, lang, labels))}", ""]
    out += [("  " * depth) + "- " + _md(text) for depth, text in _version_lines(v, lang)]
    return "\n".join(out) + "\n"


def render_diff(d: Diff, fmt: str, lang: str = "vi", *, changed_only: bool = False,
                files: Sequence[str] | None = None) -> str:
    """The two-sided diff as text or markdown (the JSON is `d.model_dump(mode="json")`)."""
    render = render_markdown if fmt == "markdown" else render_text
    return render(d.matrix(), lang, d.versions, changed_only=changed_only, files=files)


def _applicable(cell: list[Obligation]) -> list[Obligation]:
    return [o for o in cell if o.status != "not_applicable"]


def _verdict(v: Verdict, lang: str) -> str:
    if v.compliant:
        return t(lang, "TUÂN THỦ", "COMPLIANT")
    return t(lang, f"KHÔNG TUÂN THỦ — {len(v.violations)} vi phạm", f"NOT COMPLIANT — {len(v.violations)} violation(s)")


def _compare_head(c: Comparison, lang: str) -> str:
    counted = (t(lang, "không tính ngày gửi (BLDS Điều 147)", "the sending day not counted (BLDS Điều 147)")
               if c.reading == "strict" else t(lang, "cách hiểu mặc định", "the default reading"))
    return (t(lang, "Kế hoạch: ", "Plan: ") + (c.title or "—") + " — " + t(lang, "xét lúc ", "as of ")
            + c.as_of.strftime("%d/%m/%Y %H:%M %z") + " — " + t(lang, "ngày làm việc: ", "working days: ") + counted)


def _labels(c: Comparison) -> list[str]:
    """Each rulebook by its place, as `diff` heads its columns (its id is for machines); a place that
    comes twice is numbered."""
    return numbered([short_place(v.jurisdiction) for v in c.rulebooks])


def render_compare_text(c: Comparison, lang: str = "vi") -> str:
    """Per party role, then topic: each rulebook's duties, deadlines and statuses. Not-applicable ones hidden."""
    labels = _labels(c)
    lw = max(map(len, labels), default=0)
    out = [*textwrap.wrap(_compare_head(c, lang), WIDTH, subsequent_indent="  "), ""]
    for label, v in zip(labels, c.rulebooks, strict=True):
        out.append(f"  {label:<{lw}} {_verdict(v, lang)}")
        for f in v.violations:
            where = f"{f.citation.label}: " if f.citation else ""
            out += textwrap.wrap(where + f.message, WIDTH, initial_indent=" " * (lw + 3),
                                 subsequent_indent=" " * (lw + 5))
    hidden = 0
    role = None
    for row in c.rows:
        hidden += sum(len(cell) - len(_applicable(cell)) for cell in row.cells)
        if not any(_applicable(cell) for cell in row.cells):
            continue
        if row.role != role:
            role = row.role
            out += ["", f"== {role_name(role, lang)} =="]
        out.append(f"  {topic_name(row.topic, lang)}")
        for label, cell in zip(labels, row.cells, strict=True):
            shown = _applicable(cell)
            if not shown:
                word = t(lang, "không áp dụng", "does not apply") if cell else t(lang, "không quy định", "no rule")
                out.append(f"    {label:<{lw}} — {word}")
            for i, o in enumerate(shown):
                status = status_word(o.status, lang)
                head = f"    {label if i == 0 else '':<{lw}} {status:<13} {when_text(o, lang):<20} {o.citation.label}"
                out += textwrap.wrap(head, WIDTH, subsequent_indent=" " * (lw + 7))
                for text in (f"{o.party.name}: {o.action}", o.explanation):
                    out += textwrap.wrap(text or "", WIDTH, initial_indent=" " * (lw + 5),
                                         subsequent_indent=" " * (lw + 7))
    if hidden:
        out += ["", t(lang, f"({hidden} nghĩa vụ không áp dụng cho kế hoạch này không hiện; xem --format json.)",
                      f"({hidden} duties that do not apply to this plan are not shown; see --format json.)")]
    return "\n".join(out) + "\n"


def render_compare_markdown(c: Comparison, lang: str = "vi") -> str:
    labels = [_md(label) for label in _labels(c)]
    title = t(lang, "Một kế hoạch, nhiều quy chế", "One plan, several rulebooks")
    out = [f"# {title}", "", _md(_compare_head(c, lang)), ""]
    out += [f"- **{label}**: {_md(_verdict(v, lang))}" for label, v in zip(labels, c.rulebooks, strict=True)]
    role = None
    for row in c.rows:
        if not any(_applicable(cell) for cell in row.cells):
            continue
        if row.role != role:
            role = row.role
            out += ["", f"## {role_name(role, lang)}", "",
                    "| " + " | ".join([t(lang, "Vấn đề", "Question"), *labels]) + " |",
                    "|" + " --- |" * (len(labels) + 1)]
        cells = [
            "<br><br>".join(
                f"**{status_word(o.status, lang)}** · {when_text(o, lang)} · {o.citation.label}<br>"
                f"{_md(o.party.name)}: {_md(o.action)}"
                for o in _applicable(cell)
            ) or "—"
            for cell in row.cells
        ]
        out.append("| " + " | ".join([_md(topic_name(row.topic, lang)), *cells]) + " |")
    return "\n".join(out) + "\n"
