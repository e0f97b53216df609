"""The source texts beside the rulebooks: where each article starts and ends, and quote checking."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .rulebook import Citation

# "Điều 7.", "**Điều 1.**", "### **Điều 4. …" at the start of a line.
_HEADING = re.compile(r"^[#* \t]*Điều[ \t]+(\d+)[ \t]*\.", re.MULTILINE)
_MARKUP = re.compile(r"[*_#]+")


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


class SourceText:
    """A decision's text, split into the decision's articles and the regulation's (quy chế)."""

    def __init__(self, text: str, name: str = "<source>") -> None:
        self.name = name
        self.text = unicodedata.normalize("NFC", text)
        self.articles = _split(self.text)
        self._normalised = normalise(self.text)

    @classmethod
    def read(cls, path: Path) -> SourceText:
        return cls(path.read_text(encoding="utf-8"), str(path))

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
