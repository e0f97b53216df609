"""A rulebook as a readable, cited table (text or markdown)."""

from __future__ import annotations

from datetime import date

from ..coverage import ArticleCoverage
from ..parties import role_name
from ..rulebook import Anomaly, Cadence, Condition, EventCheck, Period, Quota, Rule, Rulebook
from ..vocabulary import PLAN_ROLES, ROLES
from .messages import word

_UNITS = {
    "vi": {"working_days": "ngày làm việc", "days": "ngày", "hours": "giờ", "minutes": "phút",
           "working_hours": "giờ làm việc"},
    "en": {"working_days": "working days", "days": "days", "hours": "hours", "minutes": "minutes",
           "working_hours": "working hours"},
}
_RELATIONS = {"vi": {"before": "trước", "after": "sau"}, "en": {"before": "before", "after": "after"}}
_ANCHORS = {
    "vi": {"meeting_start": "khi họp", "meeting_end": "khi kết thúc họp"},
    "en": {"meeting_start": "the meeting", "meeting_end": "the meeting's end"},
}


def period_text(period: Period | None, lang: str = "vi", opens: Period | None = None) -> str:
    if period is None:
        return "—"
    lang = "en" if lang == "en" else "vi"
    event = period.anchor_event
    anchor = word("event", event, lang) if event else _ANCHORS[lang].get(period.anchor, period.anchor)
    if period.anchor_channels:
        ways = {"written": ("bằng văn bản", "in writing"), "email": ("qua thư điện tử", "by e-mail"),
                "phone": ("bằng điện thoại", "by phone")}
        anchor += " " + " / ".join(ways[c][lang == "en"] for c in period.anchor_channels)
    relation = _RELATIONS[lang][period.relation]
    if period.amount == 0 and opens is None:  # no lead time: "trước khi họp", not "0 phút trước khi họp"
        return f"{relation} {anchor}"
    if opens is not None and opens.unit != period.unit:
        # "không sớm hơn 10 ngày và không muộn hơn 02 ngày làm việc trước ngày họp"
        near = f"{period.amount} {_unit(period.unit, period.amount, lang)}"
        if opens.amount == 0:
            return (f"trong ngày, chậm nhất {near} {relation} {anchor}" if lang == "vi"
                    else f"the same day, at the latest {near} {relation} {anchor}")
        far = f"{opens.amount} {_unit(opens.unit, opens.amount, lang)}"
        return (f"không sớm hơn {far} và không muộn hơn {near} {relation} {anchor}" if lang == "vi"
                else f"no earlier than {far} and no later than {near} {relation} {anchor}")
    amount = f"{period.amount}" if opens is None else f"{period.amount}–{opens.amount}"
    return f"{amount} {_unit(period.unit, period.amount if opens is None else 2, lang)} {relation} {anchor}"


def _unit(unit: str, amount: float, lang: str) -> str:
    word = _UNITS[lang][unit]
    return word[:-1] if lang == "en" and amount == 1 else word


def t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def name_in(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    vi, en = table.get(key, (key.replace("_", " "), key.replace("_", " ")))
    return t(lang, vi, en)


# Topic names, shared by `show` and `diff` (docs/topics.md explains each).
TOPIC_NAMES: dict[str, tuple[str, str]] = {
    "scope": ("Phạm vi, đối tượng", "Scope"),
    "notice": ("Thông báo tổ chức họp", "Notice of the meeting"),
    "emergency_notice": ("Thông báo họp đột xuất, khẩn cấp", "Emergency notice"),
    "special_request_notice": ("Yêu cầu đặc biệt (ghi hình, trình chiếu…)", "Special requests"),
    "registration_confirmation": ("Xác nhận đăng ký", "Registration confirmation"),
    "coordination": ("Phối hợp giữa các đơn vị hỗ trợ", "Coordination of support bodies"),
    "preparation": ("Chuẩn bị hệ thống trước họp", "Preparing the system"),
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
    "maintenance": ("Bảo quản, bảo trì thiết bị", "Maintenance"),
    "planning": ("Rà soát, nâng cấp, phát triển hệ thống", "Planning and upgrades"),
    "internal_rules": ("Nội quy, quy chế nội bộ", "Internal rules"),
    "backup": ("Phương án dự phòng", "Backup plans"),
}
STATUS_NAMES: dict[str, tuple[str, str]] = {
    "in_force": ("đang có hiệu lực", "in force"),
    "draft": ("dự thảo", "draft"),
    "unknown": ("chưa rõ hiệu lực", "force unknown"),
}
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
    "video": ("phát video", "video"),
    "projector": ("máy chiếu", "projector"),
    "speaking": ("phát biểu", "speaking"),
}
_QUOTA: dict[str, tuple[str, str]] = {
    "technicians": ("kỹ thuật viên", "technician(s)"),
    "leaders": ("lãnh đạo", "leader(s)"),
    "technicians_on_duty": ("kỹ thuật viên trực tại điểm cầu", "technician(s) on duty at the endpoint"),
}


def topic_name(topic: str, lang: str) -> str:
    return name_in(TOPIC_NAMES, topic, lang)


def status_name(status: str, lang: str) -> str:
    return name_in(STATUS_NAMES, status, lang)


def condition_text(c: Condition, lang: str) -> str:
    """A condition in words: "không họp đột xuất, khẩn cấp, chủ trì là sở, ban, ngành"."""
    words = []
    for key, value in c.model_dump(exclude_none=True, exclude={"note"}).items():
        text = name_in(_FACTS, key, lang)
        if isinstance(value, list):
            text = text.format(" / ".join(name_in(_VALUES, str(v), lang) for v in value))
        elif value is False:
            text = t(lang, "không ", "not: ") + text
        words.append(text)
    return ", ".join(words)


def conditions_text(applies_when: Condition | None, unless: list[Condition], lang: str) -> str | None:
    parts = [t(lang, "chỉ khi ", "only when ") + condition_text(applies_when, lang)] if applies_when else []
    parts += [t(lang, "trừ khi ", "unless ") + condition_text(c, lang) for c in unless]
    return "; ".join(parts) or None


def staffing_text(requires: list[Quota], lang: str) -> str | None:
    if not requires:
        return None
    return t(lang, "tối thiểu ", "at least ") + ", ".join(f"{q.min} {name_in(_QUOTA, q.count, lang)}" for q in requires)


def cadence_text(c: Cadence | None, lang: str) -> str | None:
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


def _list(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t(lang, " hoặc ", " or ") + items[-1]


def evidence_text(checks: list[EventCheck] | None, lang: str) -> str | None:
    """What a plan records to show the duty done: "thông báo bằng văn bản / thư điện tử, ghi rõ …"."""
    if not checks:
        return None
    out = []
    for c in checks:
        text = word("event", c.event, lang)
        if c.channels:
            text += t(lang, " bằng ", " by ") + " / ".join(word("channel", ch, lang) for ch in c.channels)
        if c.contents:
            text += t(lang, ", ghi rõ: ", ", stating: ") + ", ".join(word("content", x, lang) for x in c.contents)
        out.append(text)
    return _list(out, lang)


def refs_text(book: Rulebook, refs: list[str], lang: str) -> str:
    """Body ids and roles as the names a person reads."""
    return ", ".join(book.bodies[r].name if r in book.bodies else role_name(r, lang) for r in refs)


def _date(d: date | None, lang: str, blank: tuple[str, str]) -> str:
    return d.strftime("%d/%m/%Y") if d else t(lang, *blank)


def _head(book: Rulebook, lang: str) -> list[str]:
    m = book.metadata
    number = m.decision_number or t(lang, "(số để trống)", "(number blank)")
    signed = _date(m.signed, lang, ("(ngày ký để trống)", "(signing date blank)"))
    effective = _date(m.effective, lang, ("chưa rõ", "unknown"))
    return [
        f"{book.id}: {m.title}",
        f"{number} — {m.issuer} — {t(lang, 'ký', 'signed')} {signed} — {status_name(m.status, lang)}",
        f"{t(lang, 'Hiệu lực', 'In force from')}: {effective} ({m.effective_note.get(lang)})",
    ]


def _party_rows(book: Rulebook, lang: str) -> list[tuple[str, str, str]]:
    """(id a plan types in `to:`/`by:`, name, roles in words): the bodies, then roles filled by the plan."""
    rows = [(b.id, b.name, ", ".join(role_name(r, lang) for r in b.roles)) for b in book.parties]
    used = {ref for r in book.rules for ref in [*r.binds, *r.recipients]}
    for role in ROLES:
        if role not in used or role in book.bodies:
            continue
        holders = "; ".join(b.name for b in book.parties if role in b.roles)
        name = t(lang, "(lấy từ kế hoạch)", "(from the plan)") if role in PLAN_ROLES else holders
        rows.append((role, name or t(lang, "(không cơ quan nào được nêu)", "(no body named)"), role_name(role, lang)))
    return rows


def _rule_lines(book: Rulebook, r: Rule, lang: str) -> list[tuple[str, str]]:
    """(label, text) lines of one rule, the empty ones left out."""
    who = refs_text(book, r.binds, lang)
    if r.recipients:
        who += " → " + refs_text(book, r.recipients, lang)
    conditions = conditions_text(r.applies_when, r.unless, lang)
    if r.contingency is not None:
        extra = t(lang, "khi ", "when ") + r.contingency.get(lang)
        conditions = f"{conditions}; {extra}" if conditions else extra
    lines = [
        (t(lang, "Nội dung", "What"), r.summary.get(lang)),
        (t(lang, "Bên thực hiện", "Who"), who),
        (t(lang, "Thời hạn", "By when"), period_text(r.period, lang, r.opens) if r.period else ""),
        (t(lang, "Điều kiện", "Conditions"), conditions or ""),
        (t(lang, "Ghi nhận bằng", "Recorded as"), evidence_text(r.satisfied_by, lang) or ""),
        (t(lang, "Nhân sự", "Staff"), staffing_text(r.requires, lang) or ""),
        (t(lang, "Định kỳ", "Cadence"), cadence_text(r.cadence, lang) or ""),
    ]
    return [(k, v) for k, v in lines if v]


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_show(book: Rulebook, fmt: str = "text", lang: str = "vi") -> str:
    """The rulebook in words: header, notes on the text, the parties a plan names, every rule cited."""
    head = _head(book, lang)
    parties = _party_rows(book, lang)
    rules = sorted(book.rules, key=lambda r: r.citation.sort_key())
    id_head = t(lang, "Mã ghi trong kế hoạch (to:/by:)", "Id to write in a plan (to:/by:)")
    if fmt == "markdown":
        out = [f"# {_md(head[0])}", "", *[f"- {_md(h)}" for h in head[1:]], ""]
        if book.anomalies:
            out += [f"## {t(lang, 'Lưu ý về văn bản', 'Notes on the text')}", ""]
            out += [f"- {_md(_anomaly(a, lang))}" for a in book.anomalies]
            out.append("")
        out += [f"## {t(lang, 'Các bên', 'Parties')}", "",
                f"| {id_head} | {t(lang, 'Tên', 'Name')} | {t(lang, 'Vai trò', 'Roles')} |", "| --- | --- | --- |"]
        out += [f"| `{pid}` | {_md(name)} | {_md(roles)} |" for pid, name, roles in parties]
        out += ["", f"## {t(lang, 'Quy định', 'Rules')} ({len(rules)})", ""]
        for r in rules:
            out += [f"### {_md(r.citation.label)} — {_md(topic_name(r.topic, lang))}", ""]
            out += [f"- **{k}**: {_md(v)}" for k, v in _rule_lines(book, r, lang)]
            out.append("")
        return "\n".join(out)
    out = [*head, ""]
    if book.anomalies:
        out.append(t(lang, "Lưu ý về văn bản:", "Notes on the text:"))
        out += [f"  - {_anomaly(a, lang)}" for a in book.anomalies]
        out.append("")
    width = max(len(id_head), *(len(p[0]) for p in parties)) if parties else len(id_head)
    name_w = max([len(t(lang, "Tên", "Name")), *(len(p[1]) for p in parties)])
    out.append(t(lang, "Các bên:", "Parties:"))
    out.append(f"  {id_head:<{width}}  {t(lang, 'Tên', 'Name'):<{name_w}}  {t(lang, 'Vai trò', 'Roles')}")
    out += [f"  {pid:<{width}}  {name:<{name_w}}  {roles}".rstrip() for pid, name, roles in parties]
    out += ["", f"{t(lang, 'Quy định', 'Rules')} ({len(rules)}):"]
    for r in rules:
        out += ["", f"{r.citation.label} — {topic_name(r.topic, lang)}"]
        out += [f"  {k}: {v}" for k, v in _rule_lines(book, r, lang)]
    return "\n".join(out) + "\n"


def _anomaly(a: Anomaly, lang: str) -> str:
    # The description is the rulebook's own text; the kind is an id, so only the citation goes with it.
    text = a.description.get(lang)
    return f"{a.citation.label}: {text}" if a.citation else text


def render_coverage(book_id: str, cov: list[ArticleCoverage], fmt: str = "text") -> str:
    if fmt == "markdown":
        out = [f"### {book_id}", "", "| Article | Title | Rules |", "| --- | --- | --- |"]
        for a in cov:
            title = a.title if len(a.title) <= 70 else a.title[:69] + "…"
            out.append(f"| {a.label} | {title.replace('|', '/')} | {', '.join(a.rules) or '**none**'} |")
        return "\n".join(out) + "\n\n"
    out = [book_id]
    for a in cov:
        out.append(f"  {a.label:<22} {len(a.rules):>3} rule(s)  {a.title[:60]}")
    missing = [a.label for a in cov if not a.rules]
    out.append(f"  articles with no rule: {', '.join(missing) or 'none'}")
    return "\n".join(out) + "\n"
