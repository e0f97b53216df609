"""The per-rulebook tables of docs/writing-a-plan.md: the party ids a plan may write in `to:`/`by:`,
and for every rule a plan event can discharge, which event, channels and contents count, to whom, and
by when. Generated from the bundled rulebooks (as their default readings encode them), so the guide
cannot drift from them; a test keeps the doc equal to this output.

`python -m quyche.render.plan_guide [DOC]` rewrites the tables in place between their markers.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from ..institutions import registry_for
from ..loader import BUNDLED_IDS, load_rulebook
from ..parties import role_name
from ..readings import apply_readings, resolve_choices
from ..rulebook import Condition, EventCheck, Period, Rule, Rulebook
from ..vocabulary import PLAN_ROLES
from .messages import word

DOC = Path(__file__).resolve().parents[3] / "docs" / "writing-a-plan.md"


def markers(lang: str) -> tuple[str, str]:
    return f"<!-- plan-guide:{lang}:start -->\n", f"<!-- plan-guide:{lang}:end -->"


def _t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(value: str) -> str:
    return f"`{value}`"


_STATUS = {
    "in_force": ("đang có hiệu lực", "in force"),
    "draft": ("dự thảo, chưa ban hành: kết quả chỉ để tham khảo",
              "a draft, never issued: results are for reference only"),
    "unknown": ("không rõ ngày có hiệu lực: kết quả chỉ để tham khảo",
                "its date of force is unknown: results are for reference only"),
}


def plan_guide_tables(lang: str = "vi") -> str:
    """Markdown: one section per bundled rulebook (its parties, then the rules an event can discharge)."""
    lang = "en" if lang == "en" else "vi"
    out: list[str] = []
    for book_id in BUNDLED_IDS:
        book = load_rulebook(book_id)
        # The guide shows each rule as its default reading encodes it; the readings column says which differ.
        book = apply_readings(book, resolve_choices(book.readings, {}))
        out += _book_section(book, lang)
    return "\n".join(out).rstrip("\n") + "\n"


def _book_section(book: Rulebook, lang: str) -> list[str]:
    m = book.metadata
    number = m.decision_number or _t(lang, "số để trống", "number left blank")
    signed = f" ({m.signed:%d/%m/%Y})" if m.signed else ""
    status = _t(lang, *_STATUS[m.status])
    lines = [
        f"#### {m.jurisdiction} — `rulebook: {book.id}`",
        "",
        _t(lang, f"Quyết định {number}{signed}, {m.issuer}; {status}.",
           f"Decision {number}{signed}, {m.issuer}; {status}."),
        "",
        _t(lang, "Các bên quy chế nêu tên, viết trong `to:` / `by:` bằng mã (cột đầu) hoặc bằng vai trò:",
           "The bodies the decision names; write them in `to:` / `by:` by id (first column) or by role:"),
        "",
        _t(lang, "| mã | tên | vai trò |", "| id | name | role |"),
        "| --- | --- | --- |",
    ]
    registry = registry_for(book)
    for body in book.parties:
        name = body.name
        if body.institution is not None:
            # Every later change the registry knows, independent of any date the reader is at.
            res = registry.resolve(body.institution, date.max)
            if res.changes:
                last = res.changes[-1]
                if res.current is None:
                    name += _t(lang, f" (chấm dứt hoạt động sau {last.before.until:%d/%m/%Y})",
                               f" (ceased after {last.before.until:%d/%m/%Y})")
                else:
                    name += _t(lang, f" (từ {last.after_from:%d/%m/%Y}: {res.current.name})",
                               f" (from {last.after_from:%d/%m/%Y}: {res.current.name})")
        roles = ", ".join(f"{role_name(r, lang)} ({_code(r)})" for r in body.roles)
        lines.append(f"| {_code(body.id)} | {_cell(name)} | {_cell(roles)} |")
    lines.append("")
    rules = sorted((r for r in book.rules if r.satisfied_by), key=lambda r: r.citation.sort_key())
    if not rules:
        lines += [_t(lang, "Quy chế không có bước nào một sự kiện trong kế hoạch ghi nhận được.",
                     "No step of this decision is recorded by a plan event."), ""]
        return lines
    lines += [
        _t(lang, "Các bước một sự kiện trong kế hoạch ghi nhận được:",
           "The steps a plan event records:"),
        "",
        _t(lang, "| điều khoản | việc phải làm | ai làm (`by:`) | sự kiện ghi trong kế hoạch | gửi đến (`to:`) | hạn |",
           "| article | what must be done | who (`by:`) | the plan event | to (`to:`) | by when |"),
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rule in rules:
        lines.append(_rule_row(book, rule, lang))
    lines.append("")
    return lines


def _rule_row(book: Rulebook, rule: Rule, lang: str) -> str:
    what = rule.summary.get(lang)
    depends = [r.id for r in book.readings if rule.id in r.rules]
    if depends:
        what += "<br>" + _t(lang, "Tùy cách hiểu: ", "Depends on the reading: ") + ", ".join(map(_code, depends))
    who = "<br>".join(_ref(book, ref, lang) for ref in rule.binds)
    how = ("<br>" + _t(lang, "**hoặc** ", "**or** ")).join(_check(c, lang) for c in rule.satisfied_by or [])
    to = "<br>".join(_ref(book, ref, lang) for ref in rule.recipients) or _t(lang, "(không cần ghi)", "(not needed)")
    when = _deadline(rule, lang) + "".join("<br>" + c for c in _conditions(rule, lang))
    return "| " + " | ".join(_cell(x) for x in (rule.citation.label, what, who, how, to, when)) + " |"


def _ref(book: Rulebook, ref: str, lang: str) -> str:
    """A `to:`/`by:` value as written, with whom it means."""
    body = book.bodies.get(ref)
    if body is not None:
        return f"{_code(ref)} ({body.name})"
    holders = [b.name for b in book.parties if ref in b.roles]
    if ref in PLAN_ROLES or not holders:
        return f"{_code(ref)} ({role_name(ref, lang)})"
    return f"{_code(ref)} ({role_name(ref, lang)}: {', '.join(holders)})"


def _check(check: EventCheck, lang: str) -> str:
    parts = [f"`kind: {check.event}` ({word('event', check.event, lang)})"]
    if check.channels:
        ways = _join([f"{_code(c)} ({word('channel', c, lang)})" for c in check.channels], lang, _t(lang, "hoặc", "or"))
        parts.append(_t(lang, "`channel:` ", "`channel:` ") + ways)
    else:
        parts.append(_t(lang, "kênh nào cũng được", "any channel"))
    if check.contents:
        items = _join([f"{_code(c)} ({word('content', c, lang)})" for c in check.contents], lang)
        parts.append(_t(lang, "`contents:` phải có ", "`contents:` must list ") + items)
    return "; ".join(parts)


def _join(items: list[str], lang: str, last: str | None = None) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last or _t(lang, 'và', 'and')} " + items[-1]


def _amount(p: Period, lang: str) -> str:
    units = {
        "working_days": ("ngày làm việc", "working day", "working days"),
        "days": ("ngày", "day", "days"),
        "hours": ("giờ", "hour", "hours"),
        "minutes": ("phút", "minute", "minutes"),
        "working_hours": ("giờ làm việc", "working hour", "working hours"),
    }
    vi, one, many = units[p.unit]
    return f"{p.amount} {vi}" if lang == "vi" else f"{p.amount} {one if p.amount == 1 else many}"


def _anchor(p: Period, lang: str) -> str:
    """What the period counts from, as a noun phrase."""
    event = p.anchor_event
    if event is None:
        return _t(lang, "giờ họp", "the meeting's start") if p.anchor == "meeting_start" else _t(
            lang, "giờ kết thúc họp", "the meeting's end")
    text = word("event", event, lang)
    if p.anchor_channels:
        text += " " + _t(lang, "bằng ", "by ") + _join([word("channel", c, lang) for c in p.anchor_channels], lang,
                                                       _t(lang, "hoặc", "or"))
    return text


def _day_of(p: Period, lang: str) -> str:
    """The calendar day a day-counted period counts from."""
    if p.anchor_event is None:
        return _t(lang, "ngày họp", "the meeting day") if p.anchor == "meeting_start" else _t(
            lang, "ngày kết thúc họp", "the day the meeting ends")
    return _t(lang, f"ngày có {_anchor(p, lang)}", f"the day of the {_anchor(p, lang)}")


def _ordinal(n: int, lang: str) -> str:
    if lang == "vi":
        return f"thứ {n}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _point(p: Period, clock: str, lang: str) -> str:
    """One end of a period: a day-counted one at `clock` of its day, an hour-counted one exact."""
    rel = _t(lang, "trước" if p.relation == "before" else "sau", p.relation)
    if p.unit in ("working_days", "days"):
        working = p.unit == "working_days"
        if p.amount == 0:
            return _t(lang, f"{clock} {_day_of(p, lang)}", f"{clock} of {_day_of(p, lang)}")
        nth, day = _ordinal(p.amount, lang), _day_of(p, lang)
        return _t(lang, f"{clock} ngày {'làm việc ' if working else ''}{nth} {rel} {day}",
                  f"{clock} of the {nth} {'working ' if working else ''}day {rel} {day}")
    if p.amount == 0:  # no lead time: "trước khi phát hành giấy mời", never "0 phút trước"
        return (_t(lang, f"{rel} khi có {_anchor(p, lang)}", f"{rel} the {_anchor(p, lang)}") if p.anchor_event
                else f"{rel} {_anchor(p, lang)}")
    return f"{_amount(p, lang)} {rel} {_anchor(p, lang)}"


def _deadline(rule: Rule, lang: str) -> str:
    p, o = rule.period, rule.opens
    if p is None:
        return _t(lang, "văn bản không đặt thời hạn", "the text sets no deadline")
    days = p.unit in ("working_days", "days")
    close = _point(p, "23:59", lang)
    if o is None and days:
        text = _t(lang, f"đến {close}", f"by {close}")
    elif o is None:
        text = close if p.amount == 0 else _t(lang, f"chậm nhất {close}", f"at the latest {close}")
    elif o.unit in ("working_days", "days") and o.amount == 0:
        day = _day_of(o, lang)
        text = _t(lang, f"trong {day}, từ 00:00 đến {close}", f"on {day}, from 00:00 to {close}")
    else:
        opens = _point(o, "00:00", lang)
        text = _t(lang, f"từ {opens} đến {close}", f"from {opens} to {close}")
    if p.unit == "working_days":
        text += (_t(lang, " (không tính ngày họp)", " (the meeting day not counted)") if p.anchor == "meeting_start"
                 else _t(lang, " (không tính ngày đó)", " (that day not counted)"))
    if rule.before_start:
        text += _t(lang, "; không muộn hơn giờ họp", "; never later than the meeting's start")
    return text


def _conditions(rule: Rule, lang: str) -> list[str]:
    out = []
    if rule.applies_when is not None:
        out.append(_t(lang, "Chỉ khi: ", "Only when: ") + _facts(rule.applies_when, lang))
    out += [_t(lang, "Trừ khi: ", "Except when: ") + _facts(c, lang) for c in rule.unless]
    return out


def _facts(c: Condition, lang: str) -> str:
    """A condition as the plan fields that make it hold."""
    parts = []
    if c.emergency is not None:
        parts.append(_t(lang, "họp đột xuất, khẩn cấp", "an emergency meeting") + " (`emergency: true`)" if c.emergency
                     else _t(lang, "không họp đột xuất", "not an emergency meeting") + " (`emergency: false`)")
    if c.host_kind:
        parts.append(_t(lang, "`host.kind` là ", "`host.kind` is ")
                     + _join(list(map(_code, c.host_kind)), lang, _t(lang, "hoặc", "or")))
    if c.host_has_online_room is not None:
        value = "true" if c.host_has_online_room else "false"
        parts.append(_t(lang, "cơ quan chủ trì ", "the host ")
                     + (_t(lang, "có", "has") if c.host_has_online_room else _t(lang, "không có", "has no"))
                     + _t(lang, " phòng họp trực tuyến", " online room") + f" (`host.has_online_room: {value}`)")
    if c.requests_any:
        parts.append(_t(lang, "`requests` có ", "`requests` lists ")
                     + _join(list(map(_code, c.requests_any)), lang, _t(lang, "hoặc", "or")))
    if c.attendees_over_seats is not None:
        over = c.attendees_over_seats
        parts.append(_t(lang, "số đại biểu " + ("vượt" if over else "không vượt") + " số chỗ ngồi",
                        "attendees " + ("exceed" if over else "do not exceed") + " seats")
                     + " (`attendees`, `seats`)")
    if c.endpoint_level:
        parts.append(_t(lang, "có điểm cầu ", "an endpoint has ")
                     + _join([f"`level: {lv}`" for lv in c.endpoint_level], lang, _t(lang, "hoặc", "or")))
    return _join(parts, lang)


def update_doc(path: Path = DOC) -> bool:
    """Rewrite the generated tables of the guide in place; whether anything changed."""
    text = path.read_text(encoding="utf-8")
    new = text
    for lang in ("vi", "en"):
        start, end = markers(lang)
        head, rest = new.split(start, 1)
        _, tail = rest.split(end, 1)
        new = head + start + plan_guide_tables(lang) + end + tail
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    changed = update_doc(Path(sys.argv[1]) if len(sys.argv) > 1 else DOC)
    print("updated" if changed else "up to date")
