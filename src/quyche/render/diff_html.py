"""Rulebooks side by side as one self-contained HTML page: an index, a matrix, and the source articles it cites.

No external assets: styles inline, no scripts, works from a file:// URL offline, prints as a drafting
memo (`@media print`). Every row has an anchor the index links to; every cited entry links to its
quote, highlighted inside the embedded article text (or to the article, or to the rulebook's own quote
where the source text is not at hand). Only the lines of a cell that differ from the rest of its row
are marked. Layout only: rows come from `quyche.diff`.

Linear in the rules: each article is normalised once (however many rules cite it), and its text is cut
at the quotes' ends in one sweep.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..diff import Column, Entry, Matrix, MatrixRow, VersionDiff, entry_marks
from ..rulebook import Rule, Rulebook
from ..sources import SECTION_BREAK, Article, SourceText, normalise
from .diff_text import (
    GROUP_NAMES,
    anchor_name,
    column_labels,
    differences_text,
    entry_parts,
    marked,
    render_versions_text,
    summary_line,
    t,
    topic_name,
)
from .rulebook_text import status_name

_MARKUP = re.compile(r"[*_#]+")  # what `sources.normalise` drops besides whitespace

_STYLE = """
body{font:14px/1.45 system-ui,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;margin:16px;color:#1c1c1c}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.lede{color:#333;margin:0 0 10px;font-size:15px}.legend span{padding:1px 6px;border-radius:3px;margin-right:8px}
.cols{margin:0 0 10px;padding-left:18px;font-size:13px;color:#333}.cols code{font-size:12px}
nav.toc{border:1px solid #ccd;background:#f7f8fb;padding:6px 12px;margin:0 0 14px;font-size:13px}
nav.toc h2{font-size:14px;margin:2px 0 6px}nav.toc ol{columns:3 280px;margin:0;padding-left:20px}
nav.toc li{break-inside:avoid;margin:0 0 4px}nav.toc a{color:#1a4fa0;text-decoration:none}
nav.toc ul{list-style:none;padding-left:8px;margin:1px 0 0;font-size:12px}nav.toc .same a{color:#5a7a5a}
table.matrix{border-collapse:collapse;width:100%;table-layout:fixed}
.matrix th,.matrix td{border:1px solid #ccd;padding:6px 7px;vertical-align:top;text-align:left}
.matrix thead th{position:sticky;top:0;background:#263b5e;color:#fff;font-weight:600;z-index:1}
.matrix thead th small{display:block;font-weight:400;color:#dfe6f3;font-size:12px}
.matrix th.q{width:190px;background:#f3f5f9}.matrix thead th.q{background:#263b5e}
tr:target th.q{background:#ffe9b0}
.topic{font-weight:600}.key{color:#555;font-size:12.5px}.diffs{font-size:12px;margin-top:4px;color:#8a4b00}
tr.same .diffs{color:#2d6a2d}tr.same td{background:#f5fbf5}
td.empty{color:#999;background:repeating-linear-gradient(45deg,#fafafa,#fafafa 6px,#f2f2f2 6px,#f2f2f2 12px)}
.entry+.entry{border-top:1px dashed #bbc;margin-top:6px;padding-top:6px}
a.cite{font-weight:600;color:#1a4fa0;text-decoration:none}a.cite:hover{text-decoration:underline}
.entry div{font-size:13px;overflow-wrap:anywhere}
.parties{color:#3a4a66}.conditions{font-style:italic;color:#555}.sum{color:#333}.period{font-weight:600}
.d{background:#ffe27a;border-radius:2px;box-shadow:0 0 0 2px #ffe27a}
.status{display:inline-block;margin-top:3px;font-size:11px;padding:0 5px;border-radius:3px;background:#3c7d3c}
.status.draft{background:#c06a00}.status.unknown{background:#777}
.source{border-top:2px solid #263b5e;margin-top:24px}
article{margin:8px 0;padding:6px 10px;background:#fbfbfd;border-left:3px solid #ccd;white-space:pre-wrap;font-size:13px}
.between{margin:14px 0 4px;white-space:pre-wrap;font-weight:600;font-size:13px;color:#263b5e}
mark{background:#fff0b3}span:target+mark,article:target,li:target{background:#ffc966;outline:2px solid #e08a00}
.missing-quotes li{margin:6px 0}
@media print{
 body{margin:0;font-size:10.5pt;color:#000}
 nav.toc{background:none;border:none;padding:0}nav.toc ol{columns:2}
 .matrix thead{display:table-header-group}.matrix thead th{position:static;background:#ddd;color:#000}
 .matrix thead th small{color:#333}.matrix th.q{width:150px}
 tr{break-inside:avoid;page-break-inside:avoid}tr.same td{background:none}
 a.cite,nav.toc a{color:#000}.d,mark,.status{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .source{break-before:page;page-break-before:always}.legend{display:none}
}
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


class _Normalised:
    """An article's text normalised once, for finding any number of quotes in it."""

    def __init__(self, raw: str) -> None:
        self.norm, self.where = _normalised_with_map(raw)

    def span(self, quote: str) -> tuple[int, int] | None:
        q = normalise(quote)
        pos = self.norm.find(q) if q else -1
        if pos < 0:
            return None
        return self.where[pos], self.where[pos + len(q) - 1] + 1


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` lies in `text` (compared as `sources.normalise` compares them), or None."""
    return _Normalised(text).span(quote)


@dataclass
class _Targets:
    """Where each rule's citation link points, and the spans of quotes inside each article."""

    col: int
    href: dict[str, str] = field(default_factory=dict)
    spans: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)  # article start -> spans
    unplaced: list[Rule] = field(default_factory=list)

    @classmethod
    def of(cls, col: int, book: Rulebook, source: SourceText | None) -> _Targets:
        out = cls(col)
        texts: dict[int, _Normalised] = {}  # article start -> its normalised text, built once
        for rule in book.rules:
            article = source.article(rule.citation) if source is not None else None
            span = None
            if source is not None and article is not None:
                if article.start not in texts:
                    texts[article.start] = _Normalised(source.text[article.start : article.end])
                span = texts[article.start].span(rule.quote)
            if article is not None and span is not None:
                out.spans.setdefault(article.start, []).append((span[0], span[1], rule.id))
                out.href[rule.id] = _quote_id(col, rule.id)
            elif article is not None:
                out.href[rule.id] = _article_id(col, article.part, article.number, article.occurrence)
                out.unplaced.append(rule)
            else:
                out.href[rule.id] = _quote_id(col, rule.id)
                out.unplaced.append(rule)
        return out


def _entry_html(e: Entry, targets: _Targets, marks: set[str], lang: str) -> str:
    cite = (f'<a class="cite" href="#{_e(targets.href[e.rule])}" data-rule="{_e(e.rule)}">'
            f"{_e(e.citation.label)}</a>")
    lines = "".join(f'<div class="{kind}{" d" if marked(kind, marks) else ""}">{_e(text)}</div>'
                    for kind, text in entry_parts(e, lang))
    return f'<div class="entry">{cite}{lines}</div>'


def _row_key(row: MatrixRow, lang: str) -> str:
    key = name_of_group(row.binds, lang)
    if row.anchor is not None:
        key += " · " + t(lang, "mốc: ", "from ") + anchor_name(row.anchor, lang)
    return key


def name_of_group(group: str, lang: str) -> str:
    vi, en = GROUP_NAMES.get(group, (group, group))
    return t(lang, vi, en)


def _row_html(n: int, row: MatrixRow, columns: list[Column], labels: list[str], targets: list[_Targets],
              lang: str) -> str:
    head = (
        f'<th class="q" scope="row"><div class="topic">{_e(topic_name(row.topic, lang))}</div>'
        f'<div class="key">{_e(_row_key(row, lang))}</div>'
        f'<div class="diffs">{_e(differences_text(row, lang, labels))}</div></th>'
    )
    cells = []
    for col, (column, cell, marks) in enumerate(zip(columns, row.cells, entry_marks(row), strict=True)):
        attrs = f'data-rulebook="{_e(column.id)}" data-column="{col}"'
        if not cell:
            cells.append(f'<td class="empty" {attrs}>— {_e(t(lang, "không quy định", "no rule"))}</td>')
        else:
            body = "".join(_entry_html(e, targets[col], mk, lang) for e, mk in zip(cell, marks, strict=True))
            cells.append(f"<td {attrs}>{body}</td>")
    cls = "same" if row.same else "differs"
    return f'<tr id="row-{n}" class="{cls}" data-topic="{_e(row.topic)}">{head}{"".join(cells)}</tr>'


def _index_html(rows: list[tuple[int, MatrixRow]], lang: str) -> str:
    """The topics in row order, each with links to its rows."""
    by_topic: dict[str, list[tuple[int, MatrixRow]]] = {}
    for n, row in rows:
        by_topic.setdefault(row.topic, []).append((n, row))
    items = []
    for topic, topic_rows in by_topic.items():
        links = "".join(
            f'<li class="{"same" if row.same else "differs"}"><a href="#row-{n}">{"=" if row.same else "≠"} '
            f"{_e(_row_key(row, lang))}</a></li>"
            for n, row in topic_rows
        )
        items.append(f'<li><a href="#row-{topic_rows[0][0]}"><b>{_e(topic_name(topic, lang))}</b></a>'
                     f"<ul>{links}</ul></li>")
    title = t(lang, "Mục lục theo vấn đề", "Index by topic")
    return f'<nav class="toc" id="index"><h2>{_e(title)}</h2><ol>{"".join(items)}</ol></nav>'


def _sweep(spans: list[tuple[int, int, str]], length: int) -> list[tuple[int, int, list[str], bool]]:
    """(lo, hi, rule ids whose quote starts at lo, covered) for each piece of text between cuts: one pass."""
    events: dict[int, list[int]] = {}  # position -> [starts, ends]
    starts: dict[int, list[str]] = {}
    for s, e, rid in spans:
        e = min(e, length)
        events.setdefault(s, [0, 0])[0] += 1
        events.setdefault(e, [0, 0])[1] += 1
        starts.setdefault(s, []).append(rid)
    cuts = sorted({0, length, *events})
    out = []
    active = 0
    for lo, hi in itertools.pairwise(cuts):
        opened, closed = events.get(lo, [0, 0])
        active += opened - closed
        out.append((lo, hi, starts.get(lo, []), active > 0))
    return out


def _article_html(col: int, a: Article, source: SourceText, targets: _Targets) -> str:
    text = source.text[a.start : a.end].rstrip()
    spans = targets.spans.get(a.start, [])
    # A chapter heading, annex or signature block after the article's last quote is not the article's:
    # it goes between the boxes.
    last = max((e for _, e, _ in spans), default=0)
    cut = next((m.start() for m in SECTION_BREAK.finditer(text) if m.start() >= last and m.start() > 0), len(text))
    out = []
    for lo, hi, starting, covered in _sweep(spans, cut):
        out += [f'<span id="{_e(_quote_id(col, rid))}"></span>' for rid in starting]
        segment = _e(_MARKUP.sub("", text[lo:hi]))
        out.append(f"<mark>{segment}</mark>" if covered else segment)
    box = f'<article id="{_article_id(col, a.part, a.number, a.occurrence)}">{"".join(out).rstrip()}</article>'
    tail = text[cut:].strip()
    return box + (f'<div class="between">{_e(_MARKUP.sub("", tail))}</div>' if tail else "")


def _source_html(col: int, label: str, book: Rulebook, source: SourceText | None, targets: _Targets,
                 lang: str) -> str:
    out = [f'<section class="source" id="src-{col}"><h3>{_e(label)} — {_e(book.metadata.title)}</h3>']
    if source is None:
        note = t(lang, "Không có văn bản nguồn; trích dẫn theo quy chế:",
                 "No source text; quotes as the rulebook has them:")
        out.append(f"<p>{_e(note)}</p>")
    else:
        out += [_article_html(col, a, source, targets) for a in source.articles]
    if targets.unplaced:
        out.append('<ul class="missing-quotes">')
        for rule in sorted(targets.unplaced, key=lambda r: r.citation.sort_key()):
            out.append(f'<li id="{_e(_quote_id(col, rule.id))}"><b>{_e(rule.citation.label)}</b>: '
                       f"“{_e(rule.quote)}”</li>")
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _column_html(label: str, c: Column, lang: str) -> str:
    number = c.decision_number or t(lang, "(số để trống)", "(number blank)")
    signed = c.signed.strftime("%d/%m/%Y") if c.signed else t(lang, "(ngày ký để trống)", "(signing date blank)")
    return (f'<th scope="col" data-rulebook="{_e(c.id)}">{_e(label)}<small>{_e(number)} — {_e(signed)}</small>'
            f'<span class="status {_e(c.status)}">{_e(status_name(c.status, lang))}</span></th>')


def render_html(
    m: Matrix,
    books: Sequence[Rulebook],
    sources: Sequence[SourceText | None],
    lang: str = "vi",
    versions: VersionDiff | None = None,
    *,
    changed_only: bool = False,
    files: Sequence[str] | None = None,
) -> str:
    """The page. `books` and `sources` are in column order; a source may be None (not at hand)."""
    targets = [_Targets.of(i, b, s) for i, (b, s) in enumerate(zip(books, sources, strict=True))]
    labels = column_labels(m.columns, files)
    title = t(lang, "So sánh quy chế hội nghị truyền hình trực tuyến", "Online-meeting rulebooks compared")
    rows = [(n, row) for n, row in enumerate(m.rows, start=1) if not (changed_only and row.same)]
    cols = "".join(
        f"<li><b>{_e(label)}</b>: {_e(c.title)} — {_e(c.jurisdiction)}"
        + (f" — <code>{_e(files[i])}</code>" if files is not None and label == files[i] else "") + "</li>"
        for i, (label, c) in enumerate(zip(labels, m.columns, strict=True))
    )
    parts = [
        f'<!doctype html><html lang="{"en" if lang == "en" else "vi"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{_e(title)}: {_e(' ↔ '.join(labels))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}: {_e(' ↔ '.join(labels))}</h1>",
        f'<p class="lede">{_e(summary_line(m, lang, labels, changed_only))}</p>',
        f'<ul class="cols">{cols}</ul>',
        '<p class="legend"><span class="d">' + _e(t(lang, "khác các quy chế còn lại", "differs from the rest"))
        + '</span><span style="background:#f5fbf5">' + _e(t(lang, "cả hàng giống nhau", "the whole row is the same"))
        + "</span>" + _e(t(lang, "Bấm vào căn cứ để xem nguyên văn trong văn bản nguồn (cuối trang).",
                           "Click a citation to read the quoted text in the source (below the table).")) + "</p>",
    ]
    if versions is not None:
        parts.append(f"<h2>{_e(t(lang, 'Hai phiên bản', 'Two versions'))}</h2><pre>"
                     f"{_e(render_versions_text(versions, lang, labels))}</pre>")
    if rows:
        parts.append(_index_html(rows, lang))
    heads = "".join(_column_html(label, c, lang) for label, c in zip(labels, m.columns, strict=True))
    parts.append(f'<table class="matrix"><thead><tr><th class="q" scope="col">{_e(t(lang, "Vấn đề", "Question"))}'
                 f"</th>{heads}</tr></thead><tbody>")
    parts += [_row_html(n, row, m.columns, labels, targets, lang) for n, row in rows]
    parts.append(f'</tbody></table><h2 id="sources">{_e(t(lang, "Văn bản nguồn", "Source texts"))}</h2>')
    parts += [_source_html(i, label, b, s, tg, lang)
              for i, (label, b, s, tg) in enumerate(zip(labels, books, sources, targets, strict=True))]
    parts.append("</body></html>\n")
    return "".join(parts)
