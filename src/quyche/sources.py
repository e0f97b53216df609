"""The source texts beside the rulebooks: where each article, clause and point starts and ends, and
quote checking.

An article's clauses (khoản) are the lines starting "N." inside it, its points (điểm) the lines starting
"a)", "b)" … inside a clause (or inside an article without clauses). Numbering must run on: a clause
number that repeats the previous one is a second occurrence (Bắc Kạn Điều 14 has two "2."); any other
number out of sequence is text. Clauses end where the article does, or earlier at a chapter heading,
an annex ("Phụ lục"), the "Nơi nhận" list, a signature block ("TM.", "KT.") or the "QUY CHẾ" title of
the annexed regulation, so the forms of an annex are never read as clauses of the last article.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .rulebook import Citation

# A decision's text is tens of kilobytes; the bound is the plans' and rulebooks' (yamlio.MAX_BYTES).
MAX_SOURCE_BYTES = 5_000_000

# "Điều 7.", "**Điều 1.**", "### **Điều 4. …" at the start of a line.
_HEADING = re.compile(r"^[#* \t]*Điều[ \t]+(\d+)[ \t]*\.", re.MULTILINE)
_MARKUP = re.compile(r"[*_#]+")
# Matched at a line's start (pattern.match(text, line_start, line_end)), hence MULTILINE.
_CLAUSE = re.compile(r"^[#*> \t]*(\d{1,3})[ \t]*\.(?=[ \t*]|$)", re.MULTILINE)
_POINT = re.compile(r"^[#*> \t]*(?:[-–•][ \t]*)?([a-zđ])[ \t]*\)(?=[ \t*]|$)", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[-–•][ \t]+\S", re.MULTILINE)
_SCOPE_END = re.compile(
    r"^[#*> \t]*(?:Chương[ \t]+[IVXLC\d]+\b|CHƯƠNG[ \t]|Mục[ \t]+\d|MỤC[ \t]+\d|Phụ lục\b|PHỤ LỤC\b"
    r"|Nơi nhận|TM\.|KT\.|QUY CHẾ[ \t*]*$|QUY ĐỊNH[ \t*]*$)",
    re.MULTILINE,
)
# Where an article's own text ends before the next "Điều": a chapter or section heading, an annex, the
# "Nơi nhận" list, a signature block, the regulation's title (the HTML diff puts these between the boxes).
SECTION_BREAK = _SCOPE_END
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"


def normalise(text: str) -> str:
    """NFC, markdown emphasis removed, runs of whitespace collapsed: how quotes are compared."""
    text = unicodedata.normalize("NFC", text)
    text = _MARKUP.sub("", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Article:
    part: str  # "decision" | "regulation"
    number: int
    occurrence: int
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Division:
    """A clause (label "2") or point (label "a") of an article: its place in the text.

    `body` is where its own points begin (the end of its lead-in); `numbered` is False for an
    unnumbered bullet that the rulebook declares to stand as a clause or point (anomaly
    `unnumbered_clauses` / `unnumbered_points`).
    """

    label: str
    occurrence: int
    start: int
    end: int
    body: int
    numbered: bool = True
    points: tuple[Division, ...] = ()


@dataclass(frozen=True)
class Layout:
    """An article cut into its lead-in (heading and text before the first clause) and clauses, or,
    in an article without clauses, its points."""

    article: Article
    lead_in: tuple[int, int]
    clauses: tuple[Division, ...]
    points: tuple[Division, ...]  # points directly in the article (it has no clauses)

    def clause(self, number: int) -> list[Division]:
        return [c for c in self.clauses if c.label == str(number)]


class SourceText:
    """A decision's text, split into the decision's articles and the regulation's (quy chế)."""

    def __init__(self, text: str, name: str = "<source>") -> None:
        self.name = name
        self.text = unicodedata.normalize("NFC", text)
        self.articles = _split(self.text)
        self._normalised = normalise(self.text)

    @classmethod
    def read(cls, path: Path) -> SourceText:
        """The source at `path`; InputError (naming the file, one line) unless it is a readable regular
        UTF-8 file of at most MAX_SOURCE_BYTES."""
        return cls(read_source_text(path), str(path))

    def article(self, citation: Citation) -> Article | None:
        for a in self.articles:
            if (a.part, a.number, a.occurrence) == (citation.part, citation.article, citation.occurrence):
                return a
        return None

    def contains(self, quote: str) -> bool:
        return normalise(quote) in self._normalised

    def quote_in_article(self, quote: str, citation: Citation) -> bool:
        a = self.article(citation)
        return a is not None and normalise(quote) in normalise(self.text[a.start : a.end])

    def normalised(self, start: int, end: int) -> str:
        return normalise(self.text[start:end])

    def layout(self, article: Article, *, bulleted_clauses: bool = False,
               bulleted_points: frozenset[int] = frozenset()) -> Layout:
        """The article's clauses and points. `bulleted_clauses`: unnumbered "- …" paragraphs before
        the first numbered clause count as clauses 1, 2, …; `bulleted_points`: in these clauses,
        unnumbered "- …" paragraphs before the first lettered point count as points a, b, …"""
        lines = _lines(self.text, article.start, article.end)
        head_end = lines[0][1] if lines else article.end
        end = article.end
        for start, stop in lines[1:]:
            if _SCOPE_END.match(self.text, start, stop):
                end = start
                break
        body = [(a, b) for a, b in lines[1:] if a < end]
        marks: list[tuple[int, str, bool]] = []  # (line start, number, numbered)
        last: int | None = None
        for start, stop in body:
            m = _CLAUSE.match(self.text, start, stop)
            if m is None:
                continue
            n = int(m.group(1))
            if last is None or n in (last, last + 1):
                marks.append((start, str(n), True))
                last = n
        if bulleted_clauses:
            first = marks[0][0] if marks else end
            bullets = [a for a, b in body if a < first and _BULLET.match(self.text, a, b)]
            marks = [(a, str(i), False) for i, a in enumerate(bullets, start=1)] + marks
        clauses: list[Division] = []
        seen: dict[str, int] = {}
        for i, (start, label, numbered) in enumerate(marks):
            stop = marks[i + 1][0] if i + 1 < len(marks) else end
            seen[label] = seen.get(label, 0) + 1
            line_end = self.text.find("\n", start, stop)
            points = self._points(line_end if line_end != -1 else stop, stop, bulleted=int(label) in bulleted_points)
            body_start = points[0].start if points else stop
            clauses.append(Division(label, seen[label], start, stop, body_start, numbered, tuple(points)))
        lead_end = clauses[0].start if clauses else end
        points = [] if clauses else self._points(head_end, end, bulleted=False)
        return Layout(article, (article.start, lead_end), tuple(clauses), tuple(points))

    def _points(self, start: int, end: int, *, bulleted: bool) -> list[Division]:
        lines = _lines(self.text, start, end)
        marks: list[tuple[int, str, bool]] = []
        last = -1
        for a, b in lines:
            m = _POINT.match(self.text, a, b)
            if m is None:
                continue
            i = POINT_LETTERS.find(m.group(1))
            if i >= last:  # letters run on; a skipped letter (Bắc Kạn 14.1 has no "đ)") is allowed
                marks.append((a, m.group(1), True))
                last = i
        if bulleted:
            first = marks[0][0] if marks else end
            bullets = [a for a, b in lines if a < first and _BULLET.match(self.text, a, b)]
            marks = [(a, POINT_LETTERS[i], False) for i, a in enumerate(bullets[: len(POINT_LETTERS)])] + marks
        out: list[Division] = []
        seen: dict[str, int] = {}
        for i, (a, label, numbered) in enumerate(marks):
            stop = marks[i + 1][0] if i + 1 < len(marks) else end
            seen[label] = seen.get(label, 0) + 1
            out.append(Division(label, seen[label], a, stop, stop, numbered))
        return out


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each line of text[start:end], without the line break."""
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        out.append((pos, stop))
        pos = stop + 1
    return out


def _split(text: str) -> list[Article]:
    heads = list(_HEADING.finditer(text))
    out: list[Article] = []
    part = "decision"
    counts: dict[tuple[str, int], int] = {}
    for i, m in enumerate(heads):
        number = int(m.group(1))
        # The regulation (quy chế) starts where numbering restarts at Điều 1 after the decision's own.
        if part == "decision" and number == 1 and out:
            part = "regulation"
        key = (part, number)
        counts[key] = counts.get(key, 0) + 1
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        line_end = text.find("\n", m.start())
        title = normalise(text[m.start() : line_end if line_end != -1 else end])
        out.append(Article(part, number, counts[key], title, m.start(), end))
    return out


def read_source_text(path: Path, limit: int = MAX_SOURCE_BYTES) -> str:
    """A source file's text. Refused by type before it is opened (a FIFO would block the open, a device
    never end), then read at most `limit` + 1 bytes, so a file that grows after `stat` is still caught."""
    try:
        st = os.stat(path)
    except (OSError, ValueError) as e:  # ValueError: a NUL in the name
        raise InputError(f"{path}: cannot read the source text: {getattr(e, 'strerror', None) or e}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise InputError(f"{path}: the source text is {kind}; give a UTF-8 text file")
    if st.st_size > limit:
        raise InputError(f"{path}: the source text is {st.st_size:,} bytes, over the limit of {limit:,}")
    try:
        # O_NONBLOCK: should the path have been swapped for a FIFO since `stat`, the open does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise InputError(f"{path}: the source text is not a regular file; give a UTF-8 text file")
            raw = f.read(limit + 1)
    except OSError as e:
        raise InputError(f"{path}: cannot read the source text: {e.strerror or e}") from None
    if len(raw) > limit:
        raise InputError(f"{path}: the source text is over the limit of {limit:,} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: the source text is not UTF-8 (byte {raw[e.start]:#04x} at offset {e.start}); "
            "save it as UTF-8"
        ) from None


def find_source(rulebook_path: Path, source: str) -> SourceText | None:
    """The source text a rulebook names (`metadata.source`, relative to the rulebook file): None when
    nothing is there, InputError when something is there that cannot be read as a source text."""
    if "\0" in source:  # os.stat would raise ValueError: no file can have this name
        return None
    path = rulebook_path.parent / source
    # The path comes from inside a file: like a plan's `rulebook`, it may only reach the rulebook's own
    # folder tree (contract section 3's policy, for every path a file names).
    try:
        base = rulebook_path.parent.resolve()
        inside = Path(source).is_absolute() is False and path.resolve().is_relative_to(base)
    except (OSError, RuntimeError, ValueError):
        inside = False
    if not inside:
        raise InputError(f"{rulebook_path}: metadata.source: must be a relative path inside the rulebook's folder",
                         code="source_path_refused", place=f"{rulebook_path}: metadata.source")
    try:
        os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise InputError(f"{path}: cannot read the source text: {e.strerror or e}") from None
    return SourceText.read(path)
