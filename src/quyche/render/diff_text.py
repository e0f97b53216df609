"""Rulebooks side by side as a terminal table (100 columns) or a markdown memo; the words all diff views share.

Layout only: which rules sit in a row and how they differ was settled in `quyche.diff`.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

from pydantic import JsonValue

from ..compare import Comparison, Verdict
from ..diff import Column, Diff, Entry, Matrix, MatrixRow, VersionDiff
from ..parties import role_name
from ..report import Obligation
from ..rulebook import Condition, Period
from .messages import word
from .report_text import status_word, when_text
from .rulebook_text import period_text

WIDTH = 100

TOPIC_NAMES: dict[str, tuple[str, str]] = {
    "scope": ("Phạm vi, đối tượng", "Scope"),
    "notice": ("Thông báo tổ chức họp", "Notice of the meeting"),
    "emergency_notice": ("Thông báo họp đột xuất, khẩn cấp", "Emergency notice"),
    "special_request_notice": ("Yêu cầu đặc biệt (ghi hình, trình chiếu…)", "Special requests"),
    "registration_confirmation": ("Xác nhận đăng ký", "Registration confirmation"),
    "coordination": ("Phối hợp giữa các đơn vị hỗ trợ", "Coordination of support bodies"),
    "test_run": ("Vận hành thử, kiểm tra trước họp", "Test run"),
    "on_duty": ("Trực kỹ thuật trong cuộc họp", "Technicians on duty"),
    "operation": ("Vận hành thiết bị", "Operation"),
    "staffing": ("Bố trí cán bộ kỹ thuật", "Staffing"),
    "venue": ("Phòng họp, điểm cầu", "Venue"),
    "shutdown": ("Kết thúc, tắt hệ thống", "Shutdown"),
    "post_meeting": ("Sau cuộc họp (ghi hình, biên bản)", "After the meeting"),
    "logbook": ("Sổ theo dõi, nhật ký", "Logbook"),
    "reporting": ("Báo cáo định kỳ", "Reporting"),
    "budget": ("Kinh phí", "Budget"),
    "security": ("An toàn, bảo mật", "Security"),
    "conduct": ("Quy định khi dự họp", "Conduct"),
}
GROUP_NAMES: dict[str, tuple[str, str]] = {
    "host": ("cơ quan chủ trì", "host"),
    "endpoints": ("các điểm cầu", "endpoints"),
    "operators": ("cơ quan quản lý, vận hành hệ thống", "system operators"),
    "telecom": ("doanh nghiệp viễn thông", "telecom"),
    "power_company": ("điện lực", "power company"),
    "finance": ("tài chính", "finance"),
}
ASPECT_NAMES: dict[str, tuple[str, str]] = {
    "missing": ("có bên không quy định", "not in every rulebook"),
    "rule_count": ("số quy định", "number of rules"),
    "untimed": ("có bên không quy định thời hạn", "not every rulebook sets a period"),
    "amount": ("thời hạn", "amount"),
    "unit": ("đơn vị tính", "unit"),
    "relation": ("trước/sau", "before/after"),
    "anchor": ("mốc tính", "anchor"),
    "window": ("khoảng thời gian", "window"),
    "parties": ("bên thực hiện", "parties"),
    "recipients": ("bên nhận", "recipients"),
    "conditions": ("điều kiện/ngoại lệ", "conditions/exemptions"),
    "staffing": ("định mức nhân sự", "staffing"),
    "cadence": ("định kỳ", "cadence"),
}
_ANCHOR_NAMES: dict[str, tuple[str, str]] = {
    "meeting_start": ("giờ họp", "the meeting's start"),
    "meeting_end": ("khi kết thúc họp", "the meeting's end"),
}
_QUOTA = {"technicians": ("kỹ thuật viên", "technician(s)"), "leaders": ("lãnh đạo", "leader(s)")}


def t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _name(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    vi, en = table.get(key, (key, key))
    return t(lang, vi, en)


def topic_name(topic: str, lang: str) -> str:
    return _name(TOPIC_NAMES, topic, lang)


def row_title(row: MatrixRow, lang: str) -> str:
    parts = [topic_name(row.topic, lang), _name(GROUP_NAMES, row.binds, lang)]
    if row.anchor is not None:
        parts.append(t(lang, "mốc: ", "from ") + anchor_name(row.anchor, lang))
    return " · ".join(parts)


def anchor_name(anchor: str, lang: str) -> str:
    if anchor.startswith("event:"):
        return word("event", anchor[6:], lang)
    return _name(_ANCHOR_NAMES, anchor, lang)


def differences_text(row: MatrixRow, lang: str) -> str:
    if row.same:
        return t(lang, "giống nhau", "same")
    return t(lang, "khác: ", "differs: ") + ", ".join(_name(ASPECT_NAMES, a, lang) for a in row.differences)


def period_line(e: Entry, lang: str) -> str | None:
    text = None if e.period is None else period_text(e.period, lang, e.opens)
    if e.readings:
        # The cell depends on a reading: say which, so a drafter can try the other value.
        note = t(lang, "[tùy cách hiểu: ", "[depends on the reading: ") + ", ".join(e.readings) + "]"
        text = (text or "—") + " " + note
    return text


def parties_line(e: Entry, lang: str) -> str:
    text = ", ".join(role_name(r, lang) for r in e.parties)
    if e.bodies:
        text += f" ({'; '.join(e.bodies)})"
    if e.recipients:
        text += " → " + ", ".join(role_name(r, lang) for r in e.recipients)
    return text


def staffing_line(e: Entry, lang: str) -> str | None:
    if not e.requires:
        return None
    return t(lang, "tối thiểu ", "at least ") + ", ".join(
        f"{q.min} {_name(_QUOTA, q.count, lang)}" for q in e.requires
    )


def cadence_line(e: Entry, lang: str) -> str | None:
    c = e.cadence
    if c is None:
        return None
    unit = t(lang, "tháng" if c.unit == "months" else "năm", c.unit)
    text = t(lang, f"định kỳ {c.every} {unit}/lần", f"every {c.every} {unit}")
    if c.days:
        days = t(lang, " và ", " and ").join(f"{d:02d}/{m:02d}" for m, d in c.days)
        text += (t(lang, f", trước ngày {days}", f", before {days}") if c.bound == "before"
                 else t(lang, f", chậm nhất ngày {days}", f", by {days}"))
    if c.on_request:
        text += t(lang, ", hoặc khi có yêu cầu", ", or on request")
    return text


_FACTS: dict[str, tuple[str, str]] = {
    "host_kind": ("chủ trì là {}", "the host is {}"),
    "emergency": ("họp đột xuất, khẩn cấp", "an emergency meeting"),
    "host_has_online_room": ("chủ trì có phòng họp trực tuyến", "the host has an online room"),
    "requests_any": ("có yêu cầu {}", "{} is requested"),
    "attendees_over_seats": ("số người dự vượt số chỗ", "more attendees than seats"),
    "endpoint_level": ("điểm cầu cấp {}", "a {} endpoint"),
}


_VALUES: dict[str, tuple[str, str]] = {
    "central": ("Trung ương", "central"),
    "provincial_party_committee": ("Tỉnh ủy", "provincial party committee"),
    "provincial_people_council": ("HĐND tỉnh", "provincial people's council"),
    "provincial_people_committee": ("UBND tỉnh", "provincial people's committee"),
    "national_assembly_delegation": ("Đoàn ĐBQH", "National Assembly delegation"),
    "department": ("sở, ban, ngành", "a department"),
    "fatherland_front": ("MTTQ, đoàn thể", "Fatherland Front"),
    "district_party_committee": ("Huyện ủy", "district party committee"),
    "district_people_committee": ("UBND huyện", "district people's committee"),
    "commune_people_committee": ("UBND xã", "commune people's committee"),
    "other": ("khác", "other"),
    "province": ("tỉnh", "province"),
    "district": ("huyện", "district"),
    "commune": ("xã", "commune"),
    "recording": ("ghi hình", "recording"),
    "slides": ("trình chiếu", "slides"),
    "projector": ("máy chiếu", "projector"),
    "speaking": ("phát biểu", "speaking"),
}


def _condition(c: Condition, lang: str) -> str:
    words = []
    for key, value in c.model_dump(exclude_none=True, exclude={"note"}).items():
        text = _name(_FACTS, key, lang)
        if isinstance(value, list):
            text = text.format(" / ".join(_name(_VALUES, str(v), lang) for v in value))
        elif value is False:
            text = t(lang, "không ", "not: ") + text
        words.append(text)
    return ", ".join(words)


def conditions_line(e: Entry, lang: str) -> str | None:
    parts = [t(lang, "chỉ khi ", "only when ") + _condition(e.applies_when, lang)] if e.applies_when else []
    parts += [t(lang, "trừ khi ", "unless ") + _condition(c, lang) for c in e.unless]
    return "; ".join(parts) or None


def entry_lines(e: Entry, lang: str) -> list[str]:
    """An entry in plain lines: citation, period, parties, quotas, cadence, conditions, summary."""
    lines = [e.citation.label, period_line(e, lang), parties_line(e, lang), staffing_line(e, lang),
             cadence_line(e, lang), conditions_line(e, lang), e.summary]
    return [line for line in lines if line]


def column_head(c: Column, lang: str) -> str:
    number = c.decision_number or t(lang, "(số để trống)", "(number blank)")
    signed = c.signed.strftime("%d/%m/%Y") if c.signed else t(lang, "(ngày để trống)", "(date blank)")
    return f"{c.jurisdiction} — {number} — {signed} — {c.status}"


def _wrap(lines: Sequence[str], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(line, width, subsequent_indent="  ") or [""]
    return out


def _cell(entries: list[Entry], width: int, lang: str) -> list[str]:
    if not entries:
        return ["— " + t(lang, "không quy định", "no rule")]
    out: list[str] = []
    for i, e in enumerate(entries):
        out += ([""] if i else []) + _wrap(entry_lines(e, lang), width)
    return out


def _labels(columns: list[Column]) -> list[str]:
    ids = [c.id for c in columns]
    if len(set(ids)) == len(ids):
        return ids
    return [f"{chr(65 + i) if i < 26 else i}:{c}" for i, c in enumerate(ids)]


def render_text(m: Matrix, lang: str = "vi", versions: VersionDiff | None = None) -> str:
    """Two rulebooks in two columns; more, one block per rulebook under each row. Fits WIDTH columns."""
    labels = _labels(m.columns)
    out = [t(lang, "So sánh quy chế: ", "Rulebooks compared: ") + " ↔ ".join(labels)]
    out += [f"  {label:<11} {column_head(c, lang)}" for label, c in zip(labels, m.columns, strict=True)]
    if versions is not None:
        out += ["", *render_versions_text(versions, lang).rstrip("\n").split("\n")]
    half = (WIDTH - 3) // 2
    for row in m.rows:
        mark = "=" if row.same else "≠"
        out += ["", f"{mark} {row_title(row, lang)}"[:WIDTH], f"  {differences_text(row, lang)}"[:WIDTH]]
        if len(m.columns) == 2:
            left, right = (_cell(c, half - 2, lang) for c in row.cells)
            out.append(f"  {labels[0]:<{half - 2}} │ {labels[1]}")
            for i in range(max(len(left), len(right))):
                lt = left[i] if i < len(left) else ""
                rt = right[i] if i < len(right) else ""
                out.append(f"  {lt:<{half - 2}} │ {rt}".rstrip())
        else:
            for label, cell in zip(labels, row.cells, strict=True):
                lines = _cell(cell, WIDTH - 14, lang)
                out += [f"  {label if i == 0 else '':<11} {line}".rstrip() for i, line in enumerate(lines)]
    out += ["", summary_line(m, lang)]
    return "\n".join(out) + "\n"


def summary_line(m: Matrix, lang: str) -> str:
    same = sum(r.same for r in m.rows)
    partial = sum("missing" in r.differences for r in m.rows)
    return t(
        lang,
        f"{len(m.rows)} hàng: {same} giống nhau, {len(m.rows) - same} khác ({partial} hàng có bên không quy định).",
        f"{len(m.rows)} rows: {same} same, {len(m.rows) - same} differ ({partial} not in every rulebook).",
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(m: Matrix, lang: str = "vi", versions: VersionDiff | None = None) -> str:
    """A drafting memo: one table, one column per rulebook, each cell cited."""
    labels = _labels(m.columns)
    out = [f"# {t(lang, 'So sánh quy chế', 'Rulebooks compared')}: {' ↔ '.join(labels)}", ""]
    out += [f"- **{label}**: {_md(c.title)} ({_md(column_head(c, lang))})"
            for label, c in zip(labels, m.columns, strict=True)]
    out.append("")
    if versions is not None:
        out += [render_versions_markdown(versions, lang), ""]
    head = [t(lang, "Vấn đề", "Question"), *labels, t(lang, "Khác biệt", "Differences")]
    out += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in m.rows:
        cells = [
            "<br><br>".join(
                "<br>".join([f"**{_md(e.citation.label)}**", *map(_md, entry_lines(e, lang)[1:])]) for e in cell
            ) or "—"
            for cell in row.cells
        ]
        out.append("| " + " | ".join([_md(row_title(row, lang)), *cells, _md(differences_text(row, lang))]) + " |")
    out += ["", summary_line(m, lang), ""]
    return "\n".join(out)


def value_text(field: str, value: JsonValue, lang: str) -> str:
    """A changed field's value in words: periods as periods, summaries in the chosen language."""
    if value is None:
        return "—"
    if field in ("period", "opens") and isinstance(value, dict):
        return period_text(Period.model_validate(value), lang)
    if field == "summary" and isinstance(value, dict) and isinstance(value.get(lang), str):
        return str(value[lang])
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _version_lines(v: VersionDiff, lang: str) -> list[tuple[int, str]]:
    """(depth, text) lines shared by the text and markdown views of a version diff."""
    out: list[tuple[int, str]] = []
    for title, changes in ((t(lang, "Thông tin văn bản", "Metadata"), v.metadata),
                           (t(lang, "Cơ quan, đơn vị", "Parties"), v.parties)):
        if changes:
            out.append((0, f"{title} ({len(changes)})"))
            out += [(1, f"{c.field}: {value_text(c.field, c.old, lang)} → {value_text(c.field, c.new, lang)}")
                    for c in changes]
    for title, entries in ((t(lang, "Thêm", "Added"), v.added), (t(lang, "Bỏ", "Removed"), v.removed)):
        if entries:
            out.append((0, f"{title} ({len(entries)})"))
            out += [(1, f"{e.citation.label} `{e.rule}`: {e.summary}") for e in entries]
    if v.changed:
        out.append((0, f"{t(lang, 'Sửa', 'Changed')} ({len(v.changed)})"))
        for rc in v.changed:
            out.append((1, f"{rc.citation.label} `{rc.rule}`"))
            out += [(2, f"{c.field}: {value_text(c.field, c.old, lang)} → {value_text(c.field, c.new, lang)}")
                    for c in rc.changes]
    out.append((0, t(lang, f"Không đổi: {v.unchanged} quy định", f"Unchanged: {v.unchanged} rule(s)")))
    return out


def render_versions_text(v: VersionDiff, lang: str = "vi") -> str:
    out = [t(lang, f"Hai phiên bản: {v.old} → {v.new}", f"Two versions: {v.old} → {v.new}")]
    for depth, text in _version_lines(v, lang):
        out += textwrap.wrap(text, WIDTH, initial_indent="  " * (depth + 1),
                             subsequent_indent="  " * (depth + 2)) or [""]
    return "\n".join(out) + "\n"


def render_versions_markdown(v: VersionDiff, lang: str = "vi") -> str:
    out = [f"## {t(lang, 'Hai phiên bản', 'Two versions')}: {v.old} → {v.new}", ""]
    out += [("  " * depth) + "- " + text.replace("\n", " ") for depth, text in _version_lines(v, lang)]
    return "\n".join(out) + "\n"


def render_diff(d: Diff, fmt: str, lang: str = "vi") -> str:
    """The two-sided diff as text or markdown (the JSON is `d.model_dump(mode="json")`)."""
    render = render_markdown if fmt == "markdown" else render_text
    return render(d.matrix(), lang, d.versions)




def _applicable(cell: list[Obligation]) -> list[Obligation]:
    return [o for o in cell if o.status != "not_applicable"]


def _verdict(v: Verdict, lang: str) -> str:
    if v.compliant:
        return t(lang, "TUÂN THỦ", "COMPLIANT")
    return t(lang, f"KHÔNG TUÂN THỦ — {len(v.violations)} vi phạm", f"NOT COMPLIANT — {len(v.violations)} violation(s)")


def _compare_head(c: Comparison, lang: str) -> str:
    return (t(lang, "Kế hoạch: ", "Plan: ") + (c.title or "—") + " — " + t(lang, "xét lúc ", "as of ")
            + c.as_of.strftime("%d/%m/%Y %H:%M %z") + " — " + t(lang, "cách tính: ", "reading: ") + c.reading)


def render_compare_text(c: Comparison, lang: str = "vi") -> str:
    """Per party role, then topic: each rulebook's duties, deadlines and statuses. Not-applicable ones hidden."""
    labels = [v.rulebook for v in c.rulebooks]
    out = [*textwrap.wrap(_compare_head(c, lang), WIDTH, subsequent_indent="  "), ""]
    for v in c.rulebooks:
        out.append(f"  {v.rulebook:<11} {_verdict(v, lang)}")
        for f in v.violations:
            where = f"{f.citation.label}: " if f.citation else ""
            out += textwrap.wrap(where + f.message, WIDTH, initial_indent=" " * 14,
                                 subsequent_indent=" " * 16)
    hidden = 0
    role = None
    for row in c.rows:
        hidden += sum(len(cell) - len(_applicable(cell)) for cell in row.cells)
        if not any(_applicable(cell) for cell in row.cells):
            continue
        if row.role != role:
            role = row.role
            out += ["", f"== {role_name(role, lang)} ({role}) =="]
        out.append(f"  {topic_name(row.topic, lang)}")
        for label, cell in zip(labels, row.cells, strict=True):
            shown = _applicable(cell)
            if not shown:
                word = t(lang, "không áp dụng", "does not apply") if cell else t(lang, "không quy định", "no rule")
                out.append(f"    {label:<11} — {word}")
            for i, o in enumerate(shown):
                status = status_word(o.status, lang)
                head = f"    {label if i == 0 else '':<11} {status:<13} {when_text(o, lang):<20} {o.citation.label}"
                out += textwrap.wrap(head, WIDTH, subsequent_indent=" " * 18)
                for text in (f"{o.party.name}: {o.action}", o.explanation):
                    out += textwrap.wrap(text or "", WIDTH, initial_indent=" " * 16, subsequent_indent=" " * 18)
    if hidden:
        out += ["", t(lang, f"({hidden} nghĩa vụ không áp dụng cho kế hoạch này không hiện; xem --format json.)",
                      f"({hidden} duties that do not apply to this plan are not shown; see --format json.)")]
    return "\n".join(out) + "\n"


def render_compare_markdown(c: Comparison, lang: str = "vi") -> str:
    labels = [v.rulebook for v in c.rulebooks]
    title = t(lang, "Một kế hoạch, nhiều quy chế", "One plan, several rulebooks")
    out = [f"# {title}", "", _md(_compare_head(c, lang)), ""]
    out += [f"- **{v.rulebook}**: {_md(_verdict(v, lang))}" for v in c.rulebooks]
    role = None
    for row in c.rows:
        if not any(_applicable(cell) for cell in row.cells):
            continue
        if row.role != role:
            role = row.role
            out += ["", f"## {role_name(role, lang)} (`{role}`)", "",
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
