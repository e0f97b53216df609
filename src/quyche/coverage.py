"""Which articles of a decision have rules, and which have none."""

from __future__ import annotations

from dataclasses import dataclass

from .rulebook import Citation, Rulebook
from .sources import SourceText


@dataclass(frozen=True)
class ArticleCoverage:
    part: str
    article: int
    occurrence: int
    title: str
    rules: tuple[str, ...]

    @property
    def label(self) -> str:
        # The same words as a rule's citation label ("Điều 11 (thứ hai)").
        return Citation(part=self.part, article=self.article, occurrence=self.occurrence).label


def coverage(book: Rulebook, source: SourceText) -> list[ArticleCoverage]:
    out = []
    for a in source.articles:
        rules = tuple(
            r.id
            for r in book.rules
            if (r.citation.part, r.citation.article, r.citation.occurrence) == (a.part, a.number, a.occurrence)
        )
        out.append(ArticleCoverage(a.part, a.number, a.occurrence, a.title, rules))
    return out
