"""Readings and what a verdict hangs on, in words (text and markdown)."""

from __future__ import annotations

from datetime import datetime

from ..rulebook import Reading, Rulebook
from ..sensitivity import Sensitivity
from .report_text import status_word

_VERDICTS = {
    "compliant": ("tuân thủ", "compliant"),
    "not_compliant": ("không tuân thủ", "not compliant"),
    "incomplete": ("chưa đủ dữ kiện", "incomplete"),
}


def _t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def render_readings(items: list[tuple[Rulebook | None, Reading]], lang: str, fmt: str = "text") -> str:
    """Every reading: its question, values (what each encodes), the default and why, the articles it touches."""
    out: list[str] = []
    for book, r in items:
        labels = []
        for rid in r.rules:
            rule = next((x for x in book.rules if x.id == rid), None) if book else None
            if rule is not None and rule.citation.label not in labels:
                labels.append(rule.citation.label)
        where = ", ".join(labels) if labels else _t(lang, "mọi thời hạn tính từ việc gửi",
                                                     "every period counted from a sending")
        if fmt == "markdown":
            out += [f"### `{r.id}`", "", f"**{r.question.get(lang)}**", ""]
            for v in r.values:
                mark = _t(lang, " (mặc định)", " (default)") if v.id == r.default else ""
                out.append(f"- `{v.id}`{mark}: {v.encodes.get(lang)}")
            out += ["", f"{_t(lang, 'Vì sao mặc định', 'Why the default')}: {r.why.get(lang)}", "",
                    f"{_t(lang, 'Điều khoản', 'Articles')}: {where}", ""]
        else:
            out += [f"{r.id}", f"  {r.question.get(lang)}"]
            for v in r.values:
                mark = _t(lang, " (mặc định)", " (default)") if v.id == r.default else ""
                out.append(f"  - {v.id}{mark}: {v.encodes.get(lang)}")
            out += [f"  {_t(lang, 'Vì sao mặc định', 'Why the default')}: {r.why.get(lang)}",
                    f"  {_t(lang, 'Điều khoản', 'Articles')}: {where}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _when(iso: str | None) -> str:
    return "—" if iso is None else datetime.fromisoformat(iso).strftime("%H:%M %d/%m/%Y")


def render_sensitivity(s: Sensitivity, lang: str, fmt: str = "text") -> str:
    head = _t(lang, "Độ nhạy theo cách hiểu", "Sensitivity to readings")
    lines = [f"## {head}" if fmt == "markdown" else f"{head}:", ""]
    if s.verdict_hangs_on:
        lines.append(_t(lang, "Kết luận phụ thuộc vào cách hiểu: ", "The verdict hangs on the reading: ")
                     + ", ".join(s.verdict_hangs_on))
    else:
        lines.append(_t(lang, "Không cách hiểu nào làm đổi kết luận.", "No reading changes the verdict."))
    bullet = "- " if fmt == "markdown" else "  "
    for effect in s.readings:
        for alt in effect.alternatives:
            verdict = _t(lang, *_VERDICTS[alt.verdict])
            lines.append(f"{bullet}{effect.id} = {alt.value} ({_t(lang, 'đang dùng', 'in use')}: {effect.value}): "
                         + _t(lang, f"kết luận {verdict}", f"verdict {verdict}")
                         + (_t(lang, " — ĐỔI KẾT LUẬN", " — CHANGES THE VERDICT") if alt.verdict_changes else "")
                         + "; " + _t(lang, f"{len(alt.changes)} nghĩa vụ thay đổi",
                                     f"{len(alt.changes)} duties change"))
            for c in alt.changes:
                a, b = (status_word(x, lang) if x else "—" for x in c.status)
                lines.append(f"{bullet}    {c.citation} — {c.party}: {a} → {b}; "
                             + _t(lang, "hạn ", "due ") + f"{_when(c.due[0])} → {_when(c.due[1])}")
    return "\n".join(lines) + "\n"


def readings_table(items: list[tuple[Rulebook | None, Reading]], lang: str = "en") -> str:
    """One markdown row per reading: id, question, values (the default in bold), articles. The README's
    list is this table (a test keeps them equal)."""
    rows = ["| reading | question | values (default in bold) | articles |", "| --- | --- | --- | --- |"]
    for book, r in items:
        values = ", ".join(f"**{v.id}**" if v.id == r.default else v.id for v in r.values)
        labels = list(dict.fromkeys(x.citation.label for x in (book.rules if book else []) if x.id in r.rules))
        where = "; ".join(labels) if labels else _t(lang, "mọi thời hạn tính từ việc gửi",
                                                     "every period counted from a sending")
        question = r.question.get(lang).replace("|", "\\|")
        rows.append(f"| `{r.id}` | {question} | {values} | {where} |")
    return "\n".join(rows) + "\n"
