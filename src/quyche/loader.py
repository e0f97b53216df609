"""Finding and loading rulebooks: bundled ids or paths to a user's own YAML."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import UnknownRulebookError
from .rulebook import Rulebook
from .sources import SourceText
from .yamlio import load_model, read_document

BUNDLED_IDS: tuple[str, ...] = ("can_tho", "bac_kan", "gia_lai", "lai_chau", "trieu_son")


def rules_dir() -> Path:
    """The bundled `rules/` folder: inside the wheel, or at the repository root in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_bundled_rules", here.parents[1] / "rules"):
        if (candidate / "sources").is_dir():
            return candidate
    raise UnknownRulebookError(f"{here}: the bundled rules/ folder is missing from this installation")


def resolve(ref: str | Path) -> Path:
    """A bundled id or a path, as the path of a rulebook file."""
    ref_s = str(ref)
    if ref_s in BUNDLED_IDS:
        return rules_dir() / f"{ref_s}.yaml"
    p = Path(ref_s)
    if p.is_file():
        return p
    raise UnknownRulebookError(
        f"{ref_s}: not a bundled rulebook ({', '.join(BUNDLED_IDS)}) nor a rulebook file"
    )


def load_rulebook(ref: str | Path) -> Rulebook:
    """Load and validate a rulebook; errors name the file, line and key."""
    path = resolve(ref)
    if str(ref) in BUNDLED_IDS:
        return _load_bundled(str(ref))
    return load_model(Rulebook, read_document(path))


@cache
def _load_bundled(rulebook_id: str) -> Rulebook:
    # Bundled files never change under a running process, so parse each once.
    return load_model(Rulebook, read_document(rules_dir() / f"{rulebook_id}.yaml", trusted=True))


def source_of(rulebook: Rulebook, rulebook_path: Path) -> SourceText | None:
    path = (rulebook_path.parent / rulebook.metadata.source).resolve()
    return SourceText.read(path) if path.is_file() else None


@dataclass(frozen=True)
class LintProblem:
    rule: str
    message: str


def lint(ref: str | Path) -> tuple[Rulebook, list[LintProblem]]:
    """Load a rulebook and check it against its source text: every quote verbatim, in the cited article."""
    path = resolve(ref)
    book = load_model(Rulebook, read_document(path))
    problems: list[LintProblem] = []
    source = source_of(book, path)
    if source is None:
        problems.append(LintProblem("(metadata)", f"source {book.metadata.source!r} not found beside {path}"))
        return book, problems
    for rule in book.rules:
        c = rule.citation
        if source.article(c) is None:
            problems.append(LintProblem(rule.id, f"{c.label}: no such article in {source.name}"))
        elif not source.quote_in_article(rule.quote, c):
            where = "elsewhere in the source" if source.contains(rule.quote) else "nowhere in the source"
            problems.append(LintProblem(rule.id, f"quote not found in {c.label} (found {where})"))
    for anomaly in book.anomalies:
        if anomaly.citation is not None and source.article(anomaly.citation) is None:
            problems.append(LintProblem(f"anomaly {anomaly.kind}", f"{anomaly.citation.label}: no such article"))
    return book, problems
