"""Rulebooks side by side as one self-contained HTML page: a matrix, and the source articles it cites.

No external assets: styles inline, no scripts, works from a file:// URL offline. Every cited entry
links to its quote, highlighted inside the embedded article text (or to the article, or to the
rulebook's own quote where the source text is not at hand). Layout only: rows come from `quyche.diff`.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence

from ..diff import PERIOD_ASPECTS, Column, Entry, Matrix, MatrixRow, VersionDiff
from ..rulebook import Rule, Rulebook
from ..sources import Article, SourceText, normalise
from .diff_text import (
    cadence_line,
    column_head,
    conditions_line,
    differences_text,
    parties_line,
    period_line,
    render_versions_text,
    row_title,
    staffing_line,
    summary_line,
    t,
    topic_name,
)

_MARKUP = re.compile(r"[*_#]+")  # what `sources.normalise` drops besides whitespace

_STYLE = """
body{font:14px/1.45 system-ui,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;margin:16px;color:#1c1c1c}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.lede{color:#444;margin:0 0 10px}.legend span{padding:1px 6px;border-radius:3px;margin-right:8px}
table.matrix{border-collapse:collapse;width:100%;table-layout:fixed}
.matrix th,.matrix td{border:1px solid #ccd;padding:6px 7px;vertical-align:top;text-align:left}
.matrix thead th{position:sticky;top:0;background:#263b5e;color:#fff;font-weight:600}
.matrix thead th small{display:block;font-weight:400;color:#dfe6f3;font-size:12px}
.matrix th.q{width:190px;background:#f3f5f9}.matrix thead th.q{background:#263b5e}
.topic{font-weight:600}.key{color:#555;font-size:12.5px}.diffs{font-size:12px;margin-top:4px;color:#8a4b00}
tr.same .diffs{color:#2d6a2d}tr.same td{background:#f5fbf5}
td.empty{color:#999;background:repeating-linear-gradient(45deg,#fafafa,#fafafa 6px,#f2f2f2 6px,#f2f2f2 12px)}
.entry+.entry{border-top:1px dashed #bbc;margin-top:6px;padding-top:6px}
a.cite{font-weight:600;color:#1a4fa0;text-decoration:none}a.cite:hover{text-decoration:underline}
.entry div{font-size:13px;overflow-wrap:anywhere}
.parties{color:#3a4a66}.conditions{font-style:italic;color:#555}.sum{color:#333}.period{font-weight:600}
.d{background:#fff2c2;border-radius:2px}
.status{display:inline-block;margin-top:3px;font-size:11px;padding:0 5px;border-radius:3px;background:#3c7d3c}
.status.draft{background:#c06a00}.status.unknown{background:#777}
.source{border-top:2px solid #263b5e;margin-top:24px}
article{margin:8px 0;padding:6px 10px;background:#fbfbfd;border-left:3px solid #ccd;white-space:pre-wrap;font-size:13px}
mark{background:#fff0b3}span:target+mark,article:target,li:target{background:#ffc966;outline:2px solid #e08a00}
.missing-quotes li{margin:6px 0}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _quote_id(col: int, rule_id: str) -> str:
    return f"c{col}-q-{rule_id}"


def _article_id(col: int, part: str, number: int, occurrence: int) -> str:
    return f"c{col}-a-{part}-{number}-{occurrence}"


def _normalised_with_map(raw: str) -> tuple[str, list[int]]:
    """`normalise(raw)` (NFC input assumed) and, for each of its characters, its index in `raw`."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(raw):
        if _MARKUP.match(ch):
            continue
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
            continue
        chars.append(ch)
        where.append(i)
    return "".join(chars), where


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` lies in `text` (compared as `sources.normalise` compares them), or None."""
    norm, where = _normalised_with_map(text)
    q = normalise(quote)
    pos = norm.find(q) if q else -1
    if pos < 0:
        return None
    return where[pos], where[pos + len(q) - 1] + 1


class _Targets:
    """Where each rule's citation link points, and the spans of quotes inside each article."""

    def __init__(self, col: int, book: Rulebook, source: SourceText | None) -> None:
        self.href: dict[str, str] = {}
        self.spans: dict[int, list[tuple[int, int, str]]] = {}  # article start -> (start, end, rule id)
        self.unplaced: list[Rule] = []
        for rule in book.rules:
            article = source.article(rule.citation) if source is not None else None
            span = None
            if source is not None and article is not None:
                span = quote_span(source.text[article.start : article.end], rule.quote)
            if article is not None and span is not None:
                self.spans.setdefault(article.start, []).append((span[0], span[1], rule.id))
                self.href[rule.id] = _quote_id(col, rule.id)
            elif article is not None:
                self.href[rule.id] = _article_id(col, article.part, article.number, article.occurrence)
                self.unplaced.append(rule)
            else:
                self.href[rule.id] = _quote_id(col, rule.id)
                self.unplaced.append(rule)


def _entry_html(e: Entry, targets: _Targets, differences: set[str], lang: str) -> str:
    def line(cls: str, text: str | None, aspects: set[str]) -> str:
        if not text:
            return ""
        mark = " d" if aspects & differences else ""
        return f'<div class="{cls}{mark}">{_e(text)}</div>'

    cite = f'<a class="cite" href="#{_e(targets.href[e.rule])}" title="{_e(e.rule)}">{_e(e.citation.label)}</a>'
    return (
        f'<div class="entry">{cite}'
        + line("period", period_line(e, lang), set(PERIOD_ASPECTS))
        + line("parties", parties_line(e, lang), set())  # parties differ almost everywhere: the row says so
        + line("staffing", staffing_line(e, lang), {"staffing"})
        + line("cadence", cadence_line(e, lang), {"cadence"})
        + line("conditions", conditions_line(e, lang), set())
        + line("sum", e.summary, set())
        + "</div>"
    )


def _row_html(row: MatrixRow, columns: list[Column], targets: list[_Targets], lang: str) -> str:
    title = row_title(row, lang).split(" · ", 1)
    head = (
        f'<th class="q" scope="row"><div class="topic">{_e(topic_name(row.topic, lang))}</div>'
        f'<div class="key">{_e(title[1] if len(title) > 1 else "")}</div>'
        f'<div class="diffs">{_e(differences_text(row, lang))}</div></th>'
    )
    cells = []
    for col, (column, cell) in enumerate(zip(columns, row.cells, strict=True)):
        attrs = f'data-rulebook="{_e(column.id)}" data-column="{col}"'
        if not cell:
            cells.append(f'<td class="empty" {attrs}>— {_e(t(lang, "không quy định", "no rule"))}</td>')
        else:
            body = "".join(_entry_html(e, targets[col], set(row.differences), lang) for e in cell)
            cells.append(f"<td {attrs}>{body}</td>")
    cls = "same" if row.same else "differs"
    return f'<tr class="{cls}" data-topic="{_e(row.topic)}">{head}{"".join(cells)}</tr>'


def _article_html(col: int, a: Article, source: SourceText, targets: _Targets) -> str:
    text = source.text[a.start : a.end].rstrip()
    spans = sorted(targets.spans.get(a.start, []))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(min(e, len(text)) for _, e, _ in spans)})
    out = []
    for lo, hi in itertools.pairwise(cuts):
        out += [f'<span id="{_e(_quote_id(col, rid))}"></span>' for s, _, rid in spans if s == lo]
        segment = _e(_MARKUP.sub("", text[lo:hi]))
        covering = [rid for s, e, rid in spans if s <= lo and hi <= e]
        out.append(f'<mark title="{_e(", ".join(covering))}">{segment}</mark>' if covering else segment)
    return f'<article id="{_article_id(col, a.part, a.number, a.occurrence)}">{"".join(out)}</article>'


def _source_html(col: int, column: Column, book: Rulebook, source: SourceText | None, targets: _Targets,
                 lang: str) -> str:
    out = [f'<section class="source" id="src-{col}"><h3>{_e(column.id)} — {_e(book.metadata.title)}</h3>']
    if source is None:
        note = t(lang, "Không có văn bản nguồn; trích dẫn theo quy chế:",
                 "No source text; quotes as the rulebook has them:")
        out.append(f"<p>{_e(note)}</p>")
    else:
        out += [_article_html(col, a, source, targets) for a in source.articles]
    if targets.unplaced:
        out.append('<ul class="missing-quotes">')
        for rule in sorted(targets.unplaced, key=lambda r: r.citation.sort_key()):
            out.append(
                f'<li id="{_e(_quote_id(col, rule.id))}"><b>{_e(rule.citation.label)}</b> '
                f"<code>{_e(rule.id)}</code>: “{_e(rule.quote)}”</li>"
            )
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def render_html(
    m: Matrix,
    books: Sequence[Rulebook],
    sources: Sequence[SourceText | None],
    lang: str = "vi",
    versions: VersionDiff | None = None,
) -> str:
    """The page. `books` and `sources` are in column order; a source may be None (not at hand)."""
    targets = [_Targets(i, b, s) for i, (b, s) in enumerate(zip(books, sources, strict=True))]
    title = t(lang, "So sánh quy chế hội nghị truyền hình trực tuyến", "Online-meeting rulebooks compared")
    heads = "".join(
        f'<th scope="col" data-rulebook="{_e(c.id)}">{_e(c.id)}<small>{_e(column_head(c, lang))}</small>'
        f'<span class="status {_e(c.status)}">{_e(c.status)}</span></th>'
        for c in m.columns
    )
    parts = [
        f'<!doctype html><html lang="{"en" if lang == "en" else "vi"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{_e(title)}: {_e(' ↔ '.join(c.id for c in m.columns))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="lede">{_e(summary_line(m, lang))} '
        + _e(t(lang, "Bấm vào căn cứ để xem nguyên văn trong văn bản nguồn (cuối trang).",
               "Click a citation to read the quoted text in the source (below the table)."))
        + "</p>",
        '<p class="legend"><span class="d">' + _e(t(lang, "khác nhau", "differs")) + "</span>"
        + '<span style="background:#f5fbf5">' + _e(t(lang, "giống nhau", "same")) + "</span></p>",
    ]
    if versions is not None:
        parts.append(f"<h2>{_e(t(lang, 'Hai phiên bản', 'Two versions'))}</h2><pre>"
                     f"{_e(render_versions_text(versions, lang))}</pre>")
    parts.append(f'<table class="matrix"><thead><tr><th class="q" scope="col">{_e(t(lang, "Vấn đề", "Question"))}'
                 f"</th>{heads}</tr></thead><tbody>")
    parts += [_row_html(row, m.columns, targets, lang) for row in m.rows]
    parts.append(f'</tbody></table><h2 id="sources">{_e(t(lang, "Văn bản nguồn", "Source texts"))}</h2>')
    parts += [_source_html(i, c, b, s, tg, lang)
              for i, (c, b, s, tg) in enumerate(zip(m.columns, books, sources, targets, strict=True))]
    parts.append("</body></html>\n")
    return "".join(parts)
