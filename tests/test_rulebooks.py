"""The bundled rulebooks: they load, every quote is verbatim in its cited article, the README agrees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quyche import BUNDLED_IDS, lint, load_rulebook
from quyche.coverage import coverage
from quyche.loader import resolve, rules_dir, source_of
from quyche.sources import SourceText, normalise
from quyche.vocabulary import SHARED_TOPICS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("rid", BUNDLED_IDS)
def test_quotes_are_verbatim_in_the_cited_article(rid: str) -> None:
    book, problems = lint(rid)
    assert [f"{p.rule}: {p.message}" for p in problems] == []
    assert book.id == rid


@pytest.mark.parametrize("rid", BUNDLED_IDS)
def test_sources_are_shipped_as_utf8(rid: str) -> None:
    book = load_rulebook(rid)
    path = rules_dir() / book.metadata.source
    path.read_bytes().decode("utf-8")
    assert path.parent.name == "sources"


def test_lint_catches_a_quote_that_is_not_in_the_article(tmp_path: Path) -> None:
    text = (rules_dir() / "can_tho.yaml").read_text(encoding="utf-8")
    bad = text.replace("ít nhất 03 (ba) ngày làm việc", "ít nhất 05 (năm) ngày làm việc", 1)
    assert bad != text
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "can_tho.txt").write_text(
        (rules_dir() / "sources" / "can_tho.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "x.yaml").write_text(bad, encoding="utf-8")
    _, problems = lint(tmp_path / "x.yaml")
    assert [p.rule for p in problems] == ["can_tho.d7.k1"]


def test_lint_catches_a_quote_cited_to_the_wrong_article(tmp_path: Path) -> None:
    text = (rules_dir() / "can_tho.yaml").read_text(encoding="utf-8")
    bad = text.replace("citation: {article: 7, clause: 1}", "citation: {article: 8, clause: 1}", 1)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "can_tho.txt").write_bytes((rules_dir() / "sources" / "can_tho.txt").read_bytes())
    (tmp_path / "x.yaml").write_text(bad, encoding="utf-8")
    _, problems = lint(tmp_path / "x.yaml")
    assert any("found elsewhere" in p.message for p in problems)


def test_source_splits_decision_and_regulation_and_counts_repeated_articles() -> None:
    src = SourceText.read(rules_dir() / "sources" / "can_tho.txt")
    keys = [(a.part, a.number, a.occurrence) for a in src.articles]
    assert keys[:4] == [("decision", 1, 1), ("decision", 2, 1), ("decision", 3, 1), ("regulation", 1, 1)]
    assert ("regulation", 11, 2) in keys
    assert normalise("**Điều  7.**\n Thông") == "Điều 7. Thông"


@pytest.mark.parametrize("rid", BUNDLED_IDS)
def test_metadata_and_topics(rid: str) -> None:
    book = load_rulebook(rid)
    assert book.metadata.source == f"sources/{rid}.txt"
    assert book.anomalies, "every bundled source has at least one anomaly worth recording"
    topics = {r.topic for r in book.rules}
    assert {"notice", "staffing"} & topics or rid == "trieu_son"
    assert topics & set(SHARED_TOPICS)


@pytest.mark.parametrize("rid", BUNDLED_IDS)
def test_every_article_that_binds_someone_has_a_rule(rid: str) -> None:
    book = load_rulebook(rid)
    source = source_of(book, resolve(rid))
    assert source is not None
    uncovered = [a for a in coverage(book, source) if not a.rules]
    # Articles with duty words must be covered; definitions and purposes may stay uncovered.
    duty = re.compile(r"trách nhiệm|phải|có nhiệm vụ|thông báo|báo cáo|phân công|bố trí|cử cán bộ|đăng ký")
    offenders = [a.label for a in uncovered if duty.search(source.text[_span(source, a)].lower())]
    assert offenders == []


def _span(source: SourceText, cov: object) -> slice:
    for a in source.articles:
        if (a.part, a.number, a.occurrence) == (cov.part, cov.article, cov.occurrence):  # type: ignore[attr-defined]
            return slice(a.start, a.end)
    raise AssertionError(cov)


def test_readme_coverage_section_is_the_coverage_command_output() -> None:
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- coverage:start -->\n", "<!-- coverage:end -->"
    shown = readme[readme.index(start) + len(start) : readme.index(end)]
    p = subprocess.run([sys.executable, "-m", "quyche.cli", "coverage", "--format", "markdown"],
                       capture_output=True, text=True, check=True)
    assert shown == p.stdout, "README coverage is stale: paste `quyche coverage --format markdown`"
    for rid in BUNDLED_IDS:
        assert f"### {rid}" in shown
    assert sorted(p.stem for p in rules_dir().glob("*.yaml")) == sorted([*BUNDLED_IDS, "institutions"])


def test_readme_rulebook_table_matches_the_rulebooks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rid in BUNDLED_IDS:
        book = load_rulebook(rid)
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{rid}` |"))
        assert f"| {book.metadata.status} | {len(book.rules)} |" in row, row
