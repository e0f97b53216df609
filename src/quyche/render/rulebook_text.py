"""A rulebook as a readable, cited table (text or markdown)."""

from __future__ import annotations

from ..coverage import ArticleCoverage
from ..rulebook import Period, Rule, Rulebook
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


def _conditions(rule: Rule) -> str:
    parts = []
    if rule.applies_when is not None:
        parts.append("khi " + _cond(rule.applies_when.model_dump(exclude_none=True)))
    parts += ["trừ " + _cond(c.model_dump(exclude_none=True)) for c in rule.unless]
    if rule.contingency is not None:
        parts.append("nếu " + rule.contingency.vi)
    return "; ".join(parts)


def _cond(data: dict[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in data.items() if k != "note")


def render_show(book: Rulebook, fmt: str = "text", lang: str = "vi") -> str:
    m = book.metadata
    head = [
        f"{book.id}: {m.title}",
        f"{m.decision_number or '(số để trống)'} — {m.issuer} — {m.signed or '(ngày để trống)'} — {m.status}",
        f"hiệu lực: {m.effective or 'chưa rõ'} ({m.effective_note})",
    ]
    rows = [
        (
            r.citation.label,
            r.id,
            r.topic,
            ", ".join(r.binds),
            period_text(r.period, lang, r.opens),
            r.summary.get(lang) + (f" [{_conditions(r)}]" if _conditions(r) else ""),
        )
        for r in sorted(book.rules, key=lambda r: r.citation.sort_key())
    ]
    if fmt == "markdown":
        out = [f"# {head[0]}", "", *[f"- {h}" for h in head[1:]], ""]
        if book.anomalies:
            out += ["## Anomalies", "", *[f"- `{a.kind}`: {a.description}" for a in book.anomalies], ""]
        out += ["| Căn cứ | Rule | Topic | Binds | Period | Summary |", "| --- | --- | --- | --- | --- | --- |"]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return "\n".join(out) + "\n"
    out = [*head, ""]
    if book.anomalies:
        out += ["Anomalies:", *[f"  - {a.kind}: {a.description}" for a in book.anomalies], ""]
    for row in rows:
        out.append(f"{row[0]:<28} {row[1]}  [{row[2]}]  {row[3]}  {row[4]}")
        out.append(f"{'':<28} {row[5]}")
    return "\n".join(out) + "\n"


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
