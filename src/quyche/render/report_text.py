"""A report as a timeline a secretariat can act on: violations first, then each party's duties by date."""

from __future__ import annotations

from datetime import datetime

from ..report import Obligation, Report
from ..vocabulary import ROLES

_STATUS = {
    "vi": {
        "met": "đạt",
        "violated": "VI PHẠM",
        "pending": "chờ",
        "unknown": "chưa rõ",
        "not_applicable": "không áp dụng",
    },
    "en": {"met": "met", "violated": "VIOLATED", "pending": "pending", "unknown": "unknown", "not_applicable": "n/a"},
}


def status_word(status: str, lang: str) -> str:
    return _STATUS["en" if lang == "en" else "vi"][status]


_STATUS_ORDER = {"violated": 0, "pending": 1, "unknown": 2, "met": 3, "not_applicable": 4}
_FAR = datetime.max.replace(tzinfo=None)


def _t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def when_text(o: Obligation, lang: str) -> str:
    """The deadline (or window) of an obligation, flagged when provisional or estimated."""
    if o.due is None:
        return _t(lang, "không hạn", "no deadline")
    text = o.due.strftime("%d/%m/%Y %H:%M")
    if o.not_before is not None:
        text = o.not_before.strftime("%d/%m/%Y %H:%M") + " → " + text
    if o.provisional:
        text += _t(lang, " (tạm tính)", " (provisional)")
    if o.estimated:
        text += _t(lang, " (ước tính)", " (estimated)")
    return text


def _sort_key(o: Obligation) -> tuple[int, datetime, str]:
    due = o.due.replace(tzinfo=None) if o.due is not None else _FAR
    return (_STATUS_ORDER[o.status], due, o.rule)


def grouped(report: Report) -> list[tuple[str, list[Obligation]]]:
    """Obligations grouped by party (in first-seen order), each group violations first, then by date."""
    groups: dict[str, list[Obligation]] = {}
    for o in report.obligations:
        groups.setdefault(o.party.id, []).append(o)
    seen = {pid: i for i, pid in enumerate(groups)}

    def rank(pid: str) -> tuple[int, int]:
        # the host, then each endpoint, then the named bodies; roles no listed party holds come last
        kind = 0 if pid == "host" else 1 if pid.startswith("endpoint:") else 3 if pid in ROLES else 2
        return (kind, seen[pid])

    return [(pid, sorted(groups[pid], key=_sort_key)) for pid in sorted(groups, key=rank)]


_VERDICT = {
    "compliant": ("TUÂN THỦ", "COMPLIANT"),
    "not_compliant": ("KHÔNG TUÂN THỦ", "NOT COMPLIANT"),
    "incomplete": ("CHƯA ĐỦ DỮ KIỆN (có việc đã qua hạn mà kế hoạch chưa ghi nhận)",
                   "INCOMPLETE (a past-due step has no record in the plan)"),
}
_SEVERITY = {"violation": ("vi phạm", "violation"), "warning": ("lưu ý", "warning"), "info": ("thông tin", "info")}


def verdict_text(report: Report) -> str:
    vi, en = _VERDICT[report.verdict]
    return _t(report.lang, vi, en)


def _header(report: Report) -> list[str]:
    lang, m = report.lang, report.meeting
    when = m.start.strftime("%H:%M %d/%m/%Y") + (f" – {m.end.strftime('%H:%M %d/%m/%Y')}" if m.end else "")
    lines = []
    if report.reference_only:
        why = next((f.message for f in report.findings if f.code == "reference_only"), "")
        lines.append(why)
    if m.title:
        lines.append(_t(lang, "Cuộc họp: ", "Meeting: ") + m.title)
    lines += [
        _t(lang, "Thời gian: ", "When: ") + when,
        _t(lang, "Cơ quan chủ trì: ", "Host: ") + m.host,
        _t(lang, "Quy chế: ", "Rulebook: ") + report.rulebook,
        _t(lang, "Thời điểm xét: ", "As of: ") + report.as_of.strftime("%H:%M %d/%m/%Y"),
        _t(lang, "Cách tính thời hạn: ", "Counting of periods: ")
        + (_t(lang, "không tính ngày gửi (BLDS Điều 147)", "sending day not counted (BLDS Điều 147)")
           if report.reading == "strict" else _t(lang, "mặc định", "default")),
    ]
    chosen = [f"{rid} = {value}" for rid, value in report.readings.items() if rid != "working_days"]
    if chosen:
        lines.append(_t(lang, "Cách hiểu đã dùng: ", "Readings used: ") + "; ".join(chosen))
    lines.append(_t(lang, "Kết luận: ", "Result: ") + verdict_text(report))
    return lines


def _label(f_citation: object) -> str:
    label = getattr(f_citation, "label", None)
    return f"{label}: " if label else ""


def render_text(report: Report, explain: bool = False, show_not_applicable: bool = True) -> str:
    lang = report.lang
    names = _STATUS[lang if lang in _STATUS else "vi"]
    lines = _header(report)
    if report.findings:
        lines.append("")
        lines.append(_t(lang, "Phát hiện:", "Findings:"))
        order = {"violation": 0, "warning": 1, "info": 2}
        for f in sorted(report.findings, key=lambda f: order[f.severity]):
            sev = _t(lang, *_SEVERITY[f.severity])
            lines.append(f"  [{sev}] {_label(f.citation)}{f.message}")
    for _pid, obs in grouped(report):
        party = obs[0].party
        lines.append("")
        lines.append(party.name)
        for o in obs:
            if o.status == "not_applicable" and not show_not_applicable:
                continue
            lines.append(f"  {names[o.status]:<14} {when_text(o, lang):<24} {o.citation.label}: {o.action}")
            lines.append(f"  {'':<14} └ {o.reason}")
            if explain and o.explanation:
                lines.append(f"  {'':<14}   {o.explanation}")
    return "\n".join(lines) + "\n"


def render_markdown(report: Report, explain: bool = False) -> str:
    lang = report.lang
    names = _STATUS[lang if lang in _STATUS else "vi"]
    out = [f"# {report.rulebook}: {verdict_text(report)}", ""]
    out += [f"- {line}" for line in _header(report)[:-1]]
    out.append("")
    if report.findings:
        out += [f"## {_t(lang, 'Phát hiện', 'Findings')}", ""]
        out += [f"- **{_t(lang, *_SEVERITY[f.severity])}** {_label(f.citation)}{f.message}" for f in report.findings]
        out.append("")
    for _pid, obs in grouped(report):
        party = obs[0].party
        out += [f"## {party.name}", ""]
        out.append(
            "| " + " | ".join(_t(lang, h[0], h[1]) for h in (("Trạng thái", "Status"), ("Hạn", "Due"),
                                                           ("Căn cứ", "Citation"), ("Việc", "Action"),
                                                           ("Lý do", "Reason"))) + " |"
        )
        out.append("| --- | --- | --- | --- | --- |")
        for o in obs:
            reason = o.reason + (f"<br>{o.explanation}" if explain and o.explanation else "")
            cells = [names[o.status], when_text(o, lang), o.citation.label, o.action, reason]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out)
