"""A report as a to-do list (text and markdown): what must be done, by whom, by when, first.

The order a person reads in: the meeting and the rulebook; "Việc cần làm" (violated, overdue and
upcoming dated steps, by date); what must happen during the meeting; what only the people themselves
can check; what is done; one line counting the rest, which `--all` lists body by body in article order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ..parties import ROLE_NAMES
from ..plan import to_local
from ..report import Finding, Obligation, Report
from ..rulebook import Rulebook

_STATUS = {
    "vi": {
        "met": "đạt",
        "violated": "VI PHẠM",
        "pending": "chờ",
        "unknown": "chưa rõ",
        "not_applicable": "không áp dụng",
        "overdue": "QUÁ HẠN",
    },
    "en": {"met": "met", "violated": "VIOLATED", "pending": "pending", "unknown": "unknown",
           "not_applicable": "n/a", "overdue": "OVERDUE"},
}

# Past-due steps the plan could have recorded and did not: overdue, not merely unknown.
_OVERDUE_CODES = frozenset({"no_events_recorded", "not_done"})
# Dated steps still to come whose status the plan cannot settle yet: someone must still act on them.
_TODO_UNKNOWN = frozenset({"not_arisen", "party_not_listed"})
# A reason that only repeats the status and the deadline beside it.
_SILENT_REASONS = frozenset({"not_yet_due"})

_WEEKDAYS = {
    "vi": ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

_FORCE = {
    "in_force": ("đang có hiệu lực", "in force"),
    "draft": ("dự thảo, chưa ban hành", "a draft, not promulgated"),
    "not_yet_in_force": ("chưa có hiệu lực", "not yet in force"),
    "no_longer_in_force": ("đã hết hiệu lực", "no longer in force"),
    "unknown": ("chưa rõ hiệu lực", "in force: unknown"),
}

_VERDICT = {
    "compliant": ("TUÂN THỦ", "COMPLIANT"),
    "not_compliant": ("KHÔNG TUÂN THỦ", "NOT COMPLIANT"),
    "incomplete": ("CHƯA ĐỦ DỮ KIỆN (có việc đã qua hạn mà kế hoạch chưa ghi nhận)",
                   "INCOMPLETE (a past-due step has no record in the plan)"),
}
_SEVERITY = {"violation": ("vi phạm", "violation"), "warning": ("lưu ý", "warning"), "info": ("thông tin", "info")}
_KIND_COUNT = {
    "standing": ("{n} nghĩa vụ thường xuyên", "{n} standing duties"),
    "contingent": ("{n} nghĩa vụ chỉ phát sinh khi có sự việc", "{n} duties arising only on an event"),
    "not_applicable": ("{n} nghĩa vụ không áp dụng cho cuộc họp này", "{n} duties not applying to this meeting"),
    "unknown": ("{n} nghĩa vụ chưa rõ", "{n} duties whose status is unknown"),
    "provisions": ("{n} điều khoản về phạm vi, hiệu lực, ban hành", "{n} provisions on scope, force and promulgation"),
}


def _t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def status_word(status: str, lang: str) -> str:
    return _STATUS["en" if lang == "en" else "vi"][status]


def verdict_text(report: Report) -> str:
    return _t(report.lang, *_VERDICT[report.verdict])


def _stamp(value: datetime) -> str:
    return to_local(value).strftime("%H:%M %d/%m/%Y")


def when_text(o: Obligation, lang: str) -> str:
    """The deadline (or window) of an obligation, flagged when provisional or estimated."""
    if o.due is None:
        return _t(lang, "không hạn", "no deadline")
    text = to_local(o.due).strftime("%d/%m/%Y %H:%M")
    if o.not_before is not None:
        text = to_local(o.not_before).strftime("%d/%m/%Y %H:%M") + " → " + text
    if o.provisional:
        text += _t(lang, " (tạm tính)", " (provisional)")
    if o.estimated:
        text += _t(lang, " (ước tính)", " (estimated)")
    return text


def is_overdue(o: Obligation, as_of: datetime) -> bool:
    return (o.status == "unknown" and o.reason_code in _OVERDUE_CODES and o.due is not None
            and o.due < as_of)


_KIND_STATUS = {"standing": ("thường xuyên", "standing"), "contingent": ("khi phát sinh", "if it arises")}


def row_status(o: Obligation, as_of: datetime, lang: str) -> str:
    if o.status == "unknown" and o.kind in _KIND_STATUS:
        return _t(lang, *_KIND_STATUS[o.kind])  # not unknown: nothing in one meeting could settle it
    if o.reason_code == "not_arisen":
        return _t(lang, "dự kiến", "expected")
    return status_word("overdue" if is_overdue(o, as_of) else o.status, lang)


# --- the sections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One step, for one or more bodies with the same rule, deadline, status and reason."""

    status: str  # a word
    when: str
    citation: str
    action: str
    bodies: tuple[str, ...]
    reason: str | None
    explanation: str | None
    sort: tuple[object, ...]


def _row(obs: list[Obligation], as_of: datetime, lang: str) -> Row:
    o = obs[0]
    return Row(
        status=row_status(o, as_of, lang),
        when=when_text(o, lang),
        citation=o.citation.label,
        action=o.action,
        bodies=tuple(dict.fromkeys(x.party.name for x in obs)),
        reason=None if o.reason_code in _SILENT_REASONS else o.reason,
        explanation=o.explanation,
        sort=(to_local(o.due).replace(tzinfo=None) if o.due else datetime.max, o.citation.sort_key()),
    )


def _rows(obs: Iterable[Obligation], as_of: datetime, lang: str) -> list[Row]:
    """Obligations of one rule that read the same for several bodies become one row naming them all."""
    groups: dict[tuple[object, ...], list[Obligation]] = {}
    for o in obs:
        key = (o.rule, o.status, o.due, o.not_before, o.reason_code, o.reason, o.explanation)
        groups.setdefault(key, []).append(o)
    return sorted((_row(g, as_of, lang) for g in groups.values()), key=lambda r: r.sort)


@dataclass(frozen=True)
class Sections:
    todo: list[Row]
    during: list[Row]
    self_check: list[Row]
    done: list[Row]
    counts: dict[str, int]


def sections(report: Report) -> Sections:
    """Which obligation goes where: the renderers' one decision about layout, never about law."""
    as_of, lang = report.as_of, report.lang
    todo: list[Obligation] = []
    during: list[Obligation] = []
    self_check: list[Obligation] = []
    done: list[Obligation] = []
    counts = {k: 0 for k in _KIND_COUNT}
    for o in report.obligations:
        if o.status == "violated" or is_overdue(o, as_of):
            todo.append(o)
        elif o.status == "not_applicable":
            counts["not_applicable"] += 1
        elif o.kind == "during":
            during.append(o)
        elif o.kind == "deadline" and o.due is not None:
            if o.status == "unknown" and o.reason_code in _TODO_UNKNOWN:
                todo.append(o)
            else:
                {"pending": todo, "met": done}.get(o.status, self_check).append(o)
        elif o.kind in ("standing", "contingent"):
            counts[o.kind] += 1
        else:
            counts["unknown"] += 1
    counts["provisions"] = len(report.provisions)
    return Sections(_rows(todo, as_of, lang), _rows(during, as_of, lang), _rows(self_check, as_of, lang),
                    _rows(done, as_of, lang), counts)


def _rulebook_line(report: Report, book: Rulebook | None) -> str:
    lang = report.lang
    force = _t(lang, *_FORCE.get(report.force, _FORCE["unknown"]))
    if book is None:
        return _t(lang, "Quy chế: ", "Rulebook: ") + f"{report.rulebook} ({force})"
    m = book.metadata
    if m.decision_number is None:
        return _t(lang, "Quy chế: dự thảo quyết định của ", "Rulebook: a draft decision by ") + f"{m.issuer} ({force})"
    number = m.decision_number
    signed = f" {_t(lang, 'ngày', 'of')} {m.signed:%d/%m/%Y}" if m.signed else ""
    return _t(lang, "Quy chế: Quyết định ", "Rulebook: Decision ") + f"{number}{signed}" + _t(
        lang, " của ", " by ") + f"{m.issuer} ({force})"


def _readings_line(report: Report, book: Rulebook | None, calendar: str | None) -> str:
    lang = report.lang
    cal = calendar or _t(lang, "lịch nghỉ lễ, Tết theo quy định", "the statutory holidays")
    parts = [_t(lang, "Ngày làm việc: ", "Working days: ") + cal]
    if report.reading == "strict":
        parts.append(_t(lang, "không tính ngày gửi (BLDS Điều 147)", "the sending day not counted (BLDS Điều 147)"))
    chosen: list[str] = []
    if book is not None:
        for r in book.readings:
            value = report.readings.get(r.id)
            if value is not None and value != r.default:
                chosen.append(_t(lang, r.value(value).encodes.vi, r.value(value).encodes.en))
    if chosen:
        parts.append(_t(lang, "cách hiểu đã chọn: ", "readings chosen: ") + "; ".join(chosen))
    elif any(rid != "working_days" for rid in report.readings):
        parts.append(_t(lang, "cách hiểu mặc định của quy chế", "the rulebook's default readings"))
    return "; ".join(parts)


def _when_meeting(report: Report) -> str:
    lang, m = report.lang, report.meeting
    start = to_local(m.start)
    day = f"{_WEEKDAYS[lang if lang == 'en' else 'vi'][start.weekday()]} {start:%d/%m/%Y}"
    if m.end is None:
        return f"{start:%H:%M} {day}"
    end = to_local(m.end)
    if end.date() == start.date():
        return f"{start:%H:%M}–{end:%H:%M} {day}"
    return f"{start:%H:%M} {day} – {_stamp(end)}"


def header(report: Report, book: Rulebook | None = None, calendar: str | None = None) -> list[str]:
    lang, m = report.lang, report.meeting
    lines = []
    if report.reference_only:
        lines.append(next((f.message for f in report.findings if f.code == "reference_only"),
                          _t(lang, "Chỉ để tham khảo.", "For reference only.")))
    if m.title:
        lines.append(_t(lang, "Cuộc họp: ", "Meeting: ") + m.title)
    lines.append(_t(lang, "Thời gian: ", "When: ") + _when_meeting(report) + _t(lang, "; chủ trì: ", "; host: ")
                 + m.host)
    lines.append(_rulebook_line(report, book))
    lines.append(_readings_line(report, book, calendar))
    lines.append(_t(lang, "Xét lúc ", "As of ") + _stamp(report.as_of) + _t(lang, " — Kết luận: ", " — Result: ")
                 + verdict_text(report))
    return lines


def _who(bodies: tuple[str, ...], lang: str, limit: int = 3) -> str:
    if len(bodies) <= limit:
        return ", ".join(bodies)
    more = len(bodies) - limit
    return ", ".join(bodies[:limit]) + _t(lang, f" và {more} cơ quan khác", f" and {more} more")


def _notes(report: Report) -> list[Finding]:
    """Findings a row does not already say: warnings and notes, and violations no obligation carries."""
    violated = {o.rule for o in report.obligations if o.status == "violated"}
    return [f for f in report.findings if f.code != "reference_only"
            and not (f.severity == "violation" and f.rule in violated)]


def _count_line(counts: dict[str, int], lang: str, show_all: bool) -> str | None:
    parts = [_t(lang, *_KIND_COUNT[k]).format(n=n) for k, n in counts.items() if n]
    if lang == "en":  # "1 standing duties" → "1 standing duty"
        parts = [p.replace(" duties", " duty", 1).replace(" provisions", " provision", 1)
                 if p.startswith("1 ") else p for p in parts]
    if not parts:
        return None
    tail = "" if show_all else _t(lang, " — xem đủ với --all", " — list them with --all")
    return _t(lang, "Ngoài ra: ", "Besides: ") + ", ".join(parts) + tail


# --- text ---------------------------------------------------------------------------------------

_PAD = " " * 29


def _text_rows(rows: list[Row], lang: str, explain: bool) -> list[str]:
    # Not wrapped: a row is two lines however long, so the whole to-do list stays on the first screen.
    out = []
    for r in rows:
        out.append(f"  {r.status:<8} {r.when:<17}  {r.citation}: {r.action}")
        who = _who(r.bodies, lang)
        out.append(f"{_PAD}{who} — {r.reason}" if r.reason else f"{_PAD}{who}")
        if explain and r.explanation:
            out.append(f"{_PAD}{r.explanation}")
    return out


def _text_section(title: str, rows: list[Row], lang: str, explain: bool) -> list[str]:
    return ["", f"{title} ({len(rows)}):", *_text_rows(rows, lang, explain)] if rows else []


def render_text(report: Report, explain: bool = False, *, book: Rulebook | None = None,
                calendar: str | None = None, show_all: bool = False) -> str:
    lang = report.lang
    s = sections(report)
    lines = header(report, book, calendar)
    lines.append("")
    if s.todo:
        lines.append(_t(lang, f"Việc cần làm ({len(s.todo)}):", f"To do ({len(s.todo)}):"))
        lines += _text_rows(s.todo, lang, explain)
    else:
        lines.append(_t(lang, "Việc cần làm: không còn bước nào có hạn.", "To do: no dated step is open."))
    lines += _text_section(_t(lang, "Trong cuộc họp", "During the meeting"), s.during, lang, explain)
    lines += _text_section(_t(lang, "Cần tự kiểm tra, kế hoạch không ghi nhận được",
                              "To check yourselves, a plan cannot record these"), s.self_check, lang, explain)
    lines += _text_section(_t(lang, "Đã thực hiện", "Done"), s.done, lang, explain)
    notes = _notes(report)
    if notes:
        lines += ["", _t(lang, "Lưu ý:", "Notes:")]
        lines += [f"  [{_t(lang, *_SEVERITY[f.severity])}] {_cited(f)}{f.message}" for f in notes]
    count = _count_line(s.counts, lang, show_all)
    if count:
        lines += ["", count]
    if show_all:
        lines += _text_all(report, explain)
    return "\n".join(lines) + "\n"


def _cited(f: Finding) -> str:
    return f"{f.citation.label}: " if f.citation is not None else ""


@dataclass(frozen=True)
class _Body:
    name: str
    roles: tuple[str, ...]
    obligations: list[Obligation]


def bodies(report: Report) -> list[_Body]:
    """One block per body, however many roles it holds; the host first, then endpoints, then the rest."""
    groups: dict[str, list[Obligation]] = {}
    for o in report.obligations:
        groups.setdefault(o.party.name, []).append(o)

    def rank(name: str) -> int:
        ids = {o.party.id for o in groups[name]}
        return 0 if "host" in ids else 1 if any(i.startswith("endpoint:") for i in ids) else 2

    out = []
    for name in sorted(groups, key=rank):
        obs = sorted(groups[name], key=lambda o: o.citation.sort_key())
        roles = tuple(dict.fromkeys(r for o in obs for r in o.party.roles))
        out.append(_Body(name, roles, obs))
    return out


def _role_words(roles: Iterable[str], lang: str) -> str:
    return ", ".join(_t(lang, *ROLE_NAMES[r]) for r in roles if r in ROLE_NAMES)


def _text_all(report: Report, explain: bool) -> list[str]:
    lang = report.lang
    out = ["", _t(lang, "Toàn bộ nghĩa vụ, theo từng cơ quan:", "Every duty, body by body:")]
    for b in bodies(report):
        several = len({o.party.id for o in b.obligations}) > 1
        roles = _role_words(b.roles, lang)
        out += ["", f"{b.name}" + (f" ({roles})" if roles else "")]
        for o in b.obligations:
            role = f" [{_role_words(o.party.roles, lang)}]" if several else ""
            out.append(f"  {row_status(o, report.as_of, lang):<13} {when_text(o, lang):<17}  "
                       f"{o.citation.label}{role}: {o.action}")
            out.append(f"  {'':<13} └ {o.reason}")
            if explain and o.explanation:
                out.append(f"  {'':<13}   {o.explanation}")
    if report.provisions:
        labels = ", ".join(p.citation.label for p in sorted(report.provisions, key=lambda p: p.citation.sort_key()))
        out += ["", _t(lang, "Điều khoản không có việc để kiểm tra: ", "Provisions with nothing to check: ") + labels]
    return out


# --- markdown -----------------------------------------------------------------------------------


def md_cell(text: str) -> str:
    """A table cell: pipes escaped, line breaks as <br>, so no name can break the table or start a line."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def _md_table(rows: list[Row], lang: str, explain: bool) -> list[str]:
    heads = [("Trạng thái", "Status"), ("Hạn", "Due"), ("Cơ quan", "Who"), ("Căn cứ", "Citation"),
             ("Việc", "Action"), ("Lý do", "Reason")]
    out = ["| " + " | ".join(_t(lang, *h) for h in heads) + " |", "|" + " --- |" * len(heads)]
    for r in rows:
        reason = (r.reason or "") + (f"<br>{r.explanation}" if explain and r.explanation else "")
        cells = [r.status, r.when, ", ".join(r.bodies), r.citation, r.action, reason]
        out.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    return out


def render_markdown(report: Report, explain: bool = False, *, book: Rulebook | None = None,
                    calendar: str | None = None, show_all: bool = False) -> str:
    lang = report.lang
    s = sections(report)
    head = header(report, book, calendar)
    out = [f"# {md_cell(verdict_text(report))}", ""] + [f"- {md_cell(line)}" for line in head] + [""]
    parts: list[tuple[str, list[Row]]] = [
        (_t(lang, "Việc cần làm", "To do"), s.todo),
        (_t(lang, "Trong cuộc họp", "During the meeting"), s.during),
        (_t(lang, "Cần tự kiểm tra", "To check yourselves"), s.self_check),
        (_t(lang, "Đã thực hiện", "Done"), s.done),
    ]
    for title, rows in parts:
        if rows or title == parts[0][0]:
            out += [f"## {title} ({len(rows)})", ""]
            out += (_md_table(rows, lang, explain) if rows else
                    [_t(lang, "Không còn bước nào có hạn.", "No dated step is open.")])
            out.append("")
    notes = _notes(report)
    if notes:
        out += [f"## {_t(lang, 'Lưu ý', 'Notes')}", ""]
        out += [f"- **{_t(lang, *_SEVERITY[f.severity])}** {md_cell(_cited(f) + f.message)}" for f in notes]
        out.append("")
    count = _count_line(s.counts, lang, show_all)
    if count:
        out += [md_cell(count), ""]
    if show_all:
        out += _md_all(report, explain)
    return "\n".join(out)


def _md_all(report: Report, explain: bool) -> list[str]:
    lang = report.lang
    out = [f"## {_t(lang, 'Toàn bộ nghĩa vụ', 'Every duty')}", ""]
    for b in bodies(report):
        roles = _role_words(b.roles, lang)
        out += [f"### {md_cell(b.name)}" + (f" ({md_cell(roles)})" if roles else ""), ""]
        heads = [("Trạng thái", "Status"), ("Hạn", "Due"), ("Căn cứ", "Citation"), ("Việc", "Action"),
                 ("Lý do", "Reason")]
        out.append("| " + " | ".join(_t(lang, *h) for h in heads) + " |")
        out.append("|" + " --- |" * len(heads))
        for o in b.obligations:
            reason = o.reason + (f"<br>{o.explanation}" if explain and o.explanation else "")
            cells = [row_status(o, report.as_of, lang), when_text(o, lang), o.citation.label, o.action, reason]
            out.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
        out.append("")
    return out

