"""`quyche diff` and `quyche compare`: the five rulebooks row by row, versions of one, the HTML page."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_check import check_diff
from quyche import BUNDLED_IDS, load_rulebook
from quyche.compare import compare
from quyche.diff import Entry, Matrix, align, diff, entry_marks, outliers, version_diff
from quyche.loader import resolve, rules_dir, source_of
from quyche.plan import plan_from_data
from quyche.render.diff_html import quote_span, render_html
from quyche.render.diff_text import WIDTH, differences_text, render_diff, render_markdown, render_text
from quyche.rulebook import Rulebook
from quyche.sources import normalise

ROOT = Path(__file__).resolve().parents[1]
PLAN = {
    "rulebook": "no_such_rulebook",  # ignored by compare
    "title": "Hội nghị triển khai nhiệm vụ năm 2027",
    "host": {"name": "Sở Nội vụ", "kind": "department", "has_online_room": True},
    "start": "2026-12-03T08:00:00+07:00",
    "endpoints": [
        {"name": "Sở Nội vụ", "role": "main", "level": "province", "technicians": 2, "leaders": 1},
        {"name": "UBND xã A", "role": "branch", "level": "commune", "technicians": 1},
    ],
    "events": [
        {"kind": "notice", "at": "2026-11-30T10:00:00+07:00", "channel": "written",
         "contents": ["host", "participants", "start", "test_run"]},
        {"kind": "test_run", "at": "2026-12-02T09:00:00+07:00"},
    ],
}


def quyche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche.cli", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def books() -> list[Rulebook]:
    return [load_rulebook(rid) for rid in BUNDLED_IDS]


@pytest.fixture(scope="module")
def matrix(books: list[Rulebook]) -> Matrix:
    return align(books)


def cells(m: Matrix, topic: str, binds: str, anchor: str | None = "meeting_start") -> dict[str, list[Entry]]:
    """The row for one question, as {rulebook id: entries}; fails unless exactly one row matches."""
    rows = [r for r in m.rows if (r.topic, r.binds, r.anchor) == (topic, binds, anchor)]
    assert len(rows) == 1, [(r.topic, r.binds, r.anchor) for r in m.rows if r.topic == topic]
    return {c.id: cell for c, cell in zip(m.columns, rows[0].cells, strict=True)}


def periods(entries: list[Entry]) -> list[tuple[int, int | None, str] | None]:
    return [(e.period.amount, e.opens.amount if e.opens else None, e.period.unit) if e.period else None
            for e in entries]


def timed(entries: list[Entry]) -> list[tuple[int, int | None, str]]:
    return sorted(p for p in periods(entries) if p is not None)


def placed(rows: list[list[Entry]]) -> list[str]:
    return [e.rule for cell in rows for e in cell]


# --- Every rule appears, exactly once ---------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), list(itertools.permutations(BUNDLED_IDS, 2)))
def test_every_rule_of_both_appears_exactly_once_in_the_pair(a: str, b: str) -> None:
    ba, bb = load_rulebook(a), load_rulebook(b)
    d = diff(ba, bb)
    assert sorted(e.rule for r in d.rows for e in r.a) == sorted(r.id for r in ba.rules)
    assert sorted(e.rule for r in d.rows for e in r.b) == sorted(r.id for r in bb.rules)
    data = d.model_dump(mode="json")
    assert check_diff(data) == []
    assert all(row["a"] or row["b"] for row in data["rows"])
    assert all(row["same"] == (not row["differences"]) for row in data["rows"])
    assert d.versions is None


def test_every_rule_of_all_five_appears_exactly_once_in_the_matrix(books: list[Rulebook], matrix: Matrix) -> None:
    assert [c.id for c in matrix.columns] == list(BUNDLED_IDS)
    for i, book in enumerate(books):
        assert sorted(e.rule for r in matrix.rows for e in r.cells[i]) == sorted(r.id for r in book.rules)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(BUNDLED_IDS),
    st.sampled_from(BUNDLED_IDS),
    st.data(),
)
def test_any_selection_of_rules_is_placed_exactly_once(a: str, b: str, data: st.DataObject) -> None:
    def some(rid: str) -> Rulebook:
        book = load_rulebook(rid)
        rules = data.draw(st.lists(st.sampled_from(book.rules), unique_by=lambda r: r.id, min_size=1))
        return book.model_copy(update={"rules": rules})  # an excerpt; overrides may dangle, alignment does not care

    ba, bb = some(a), some(b)
    d = diff(ba, bb)
    assert sorted(placed([r.a for r in d.rows])) == sorted(r.id for r in ba.rules)
    assert sorted(placed([r.b for r in d.rows])) == sorted(r.id for r in bb.rules)
    assert check_diff(d.model_dump(mode="json")) == []


@pytest.mark.parametrize("rid", BUNDLED_IDS)
def test_a_rulebook_against_itself_is_the_same_everywhere(rid: str) -> None:
    book = load_rulebook(rid)
    d = diff(book, book)
    assert all(r.same and r.a == r.b for r in d.rows)
    assert d.versions is not None
    assert (d.versions.added, d.versions.removed, d.versions.changed) == ([], [], [])
    assert d.versions.unchanged == len(book.rules)


# --- The rows that matter, pinned from the source texts ---------------------------------------------

def test_notice_periods_of_all_five(matrix: Matrix) -> None:
    row = cells(matrix, "notice", "host")
    assert timed(row["can_tho"]) == [(3, None, "working_days")]  # Điều 7.1: "ít nhất 03 (ba) ngày làm việc"
    assert timed(row["gia_lai"]) == [(3, None, "working_days")]  # Điều 8.1: "trước 03 (ba) ngày làm việc"
    bac_kan = {e.rule: periods([e])[0] for e in row["bac_kan"]}
    assert bac_kan["bac_kan.d6.k1"] == (3, None, "days")  # Điều 6.1: "trước 03 ngày", calendar days
    assert row["lai_chau"] == [] and row["trieu_son"] == []
    # Lai Châu has the host register with Văn phòng UBND tỉnh, with no deadline; Triệu Sơn sets no host notice.
    untimed = cells(matrix, "notice", "host", None)
    assert [periods([e]) for e in untimed["lai_chau"]] == [[None]]
    assert untimed["trieu_son"] == []
    assert {"amount", "unit", "missing"} <= set(next(r for r in matrix.rows if r.topic == "notice").differences)


def test_emergency_notice(matrix: Matrix) -> None:
    row = cells(matrix, "emergency_notice", "host")
    assert timed(row["can_tho"]) == [(1, None, "hours")]  # "trước 01 giờ"
    assert timed(row["gia_lai"]) == [(3, None, "hours")]  # "ít nhất trước 03 giờ"
    assert timed(row["bac_kan"]) == [(0, None, "minutes")]  # "chủ động thông báo": no lead time
    assert row["lai_chau"] == [] and row["trieu_son"] == []


def test_test_runs(matrix: Matrix) -> None:
    row = cells(matrix, "test_run", "endpoints")
    assert timed(row["can_tho"]) == [(1, 2, "working_days")]  # "từ 01 (một) đến 02 (hai) ngày làm việc"
    # "30 phút trước giờ khai mạc": a same-day window, opening 0 days before (00:00 of the meeting day)
    assert timed(row["gia_lai"]) == [(1, None, "working_days"), (30, 0, "minutes")]
    assert (1, 4, "hours") in timed(row["bac_kan"])  # "trước 1/2 ngày và 01 giờ"
    # before the session; binds the system manager: one duty per office (the Điều 4/5.3 host split)
    assert timed(row["trieu_son"]) == [(0, None, "minutes"), (0, None, "minutes")]
    assert row["trieu_son"][0].parties == ["system_manager"]
    assert row["lai_chau"] == []


def test_staffing_quotas(matrix: Matrix) -> None:
    row = cells(matrix, "staffing", "endpoints", None)
    quotas = {rid: sorted((q.count, q.min) for e in cell for q in e.requires) for rid, cell in row.items()}
    assert quotas == {
        "can_tho": [("leaders", 1), ("technicians", 2)],
        "bac_kan": [("technicians", 1)],
        "gia_lai": [("technicians", 2)],
        "lai_chau": [],
        # Điều 5.3's "02 cán bộ" is the two offices' standing pool (no per-endpoint quota); the one
        # technician on duty per meeting is trieu_son.d5.k3.on_duty.
        "trieu_son": [],
    }
    text = render_diff(diff(load_rulebook("bac_kan"), load_rulebook("gia_lai")), "text")
    assert "tối thiểu 1 kỹ thuật viên" in text and "tối thiểu 2 kỹ thuật viên" in text


def test_reporting_cadence(matrix: Matrix) -> None:
    row = cells(matrix, "reporting", "operators", None)

    def cadences(rid: str) -> set[tuple[object, ...]]:
        return {(e.cadence.every, e.cadence.unit, e.cadence.bound, e.cadence.days) for e in row[rid] if e.cadence}

    assert (6, "months", None, ()) in cadences("can_tho")
    assert (6, "months", None, ()) in cadences("bac_kan")
    assert (1, "years", "before", ((12, 30),)) in cadences("gia_lai")  # "hằng năm trước ngày 30 tháng 12" → 29/12
    assert (1, "years", None, ()) in cadences("lai_chau")
    assert cadences("trieu_son") == {(1, "years", "on_or_before", ((12, 31),))}  # "Định kỳ cuối năm" → 31/12
    assert "cadence" in next(r for r in matrix.rows if r.topic == "reporting" and r.binds == "operators").differences


def test_pairwise_text_shows_the_units_plainly() -> None:
    text = render_diff(diff(load_rulebook("can_tho"), load_rulebook("bac_kan")), "text")
    block = re.split(r"\n\n(?=[=≠] )", text)[1]  # the first row: notice, host, meeting start
    assert block.startswith("≠ Thông báo tổ chức họp")
    assert "3 ngày làm việc trước khi họp" in block and "3 ngày trước khi họp" in block
    assert "khác: " in block and "đơn vị tính" in block


# --- Two versions of one rulebook -------------------------------------------------------------------


def edited_copy(tmp_path: Path, new_id: str | None = None) -> Path:
    """can_tho with its notice period cut to 2 days, the test run dropped and a reporting duty added."""
    data = yaml.safe_load((rules_dir() / "can_tho.yaml").read_text(encoding="utf-8"))
    rules = {r["id"]: r for r in data["rules"]}
    rules["can_tho.d7.k1"]["period"] = {"amount": 2, "unit": "days", "relation": "before", "anchor": "meeting_start"}
    rules["can_tho.d7.k1"]["recipients"] = ["system_manager"]
    del rules["can_tho.d8.k2"]
    data["rules"] = [r for r in data["rules"] if r["id"] in rules]
    data["rules"].append({
        "id": "can_tho.d12.k9", "topic": "reporting", "citation": {"article": 12},
        "quote": "Sở Thông tin và Truyền thông", "summary": {"vi": "Báo cáo hằng năm.", "en": "Yearly report."},
        "binds": ["so_tttt"], "cadence": {"every": 1, "unit": "years"},
    })
    data["metadata"]["status"] = "draft"
    data.pop("readings", None)  # they name rules the edit removes
    if new_id:  # a renamed copy: the rulebook id and the rule ids that carry it
        data["id"] = new_id
        for r in data["rules"]:
            r["id"] = r["id"].replace("can_tho.", f"{new_id}.", 1)
            r["overrides"] = [o.replace("can_tho.", f"{new_id}.", 1) for o in r.get("overrides", [])]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "can_tho.txt").write_bytes((rules_dir() / "sources" / "can_tho.txt").read_bytes())
    path = tmp_path / "my_can_tho.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_version_diff_lists_added_removed_and_changed_fields(tmp_path: Path) -> None:
    old, new = load_rulebook("can_tho"), load_rulebook(edited_copy(tmp_path))
    v = version_diff(old, new)
    assert [e.rule for e in v.added] == ["can_tho.d12.k9"]
    assert [e.rule for e in v.removed] == ["can_tho.d8.k2"]
    assert [c.rule for c in v.changed] == ["can_tho.d7.k1"]
    changes = {c.field: (c.old, c.new) for c in v.changed[0].changes}
    assert set(changes) == {"period", "recipients"}
    start = {"relation": "before", "anchor": "meeting_start"}
    assert changes["period"] == ({"amount": 3, "unit": "working_days", **start}, {"amount": 2, "unit": "days", **start})
    assert [(c.field, c.old, c.new) for c in v.metadata] == [("status", "in_force", "draft")]
    assert v.unchanged == len(old.rules) - 2


def test_version_diff_through_the_cli_same_id_and_forced(tmp_path: Path) -> None:
    path = edited_copy(tmp_path)
    p = quyche("diff", "can_tho", str(path), "--format", "json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert check_diff(data) == []
    assert [c["rule"] for c in data["versions"]["changed"]] == ["can_tho.d7.k1"]
    text = quyche("diff", "can_tho", str(path)).stdout
    assert "3 ngày làm việc trước khi họp → 2 ngày trước khi họp" in text
    # removed and added rules by citation and summary, never by rule id
    assert "Bỏ (1)\n    Điều 8 khoản 2: Điểm cầu trung tâm" in text and "Điều 12: Báo cáo hằng năm." in text
    assert "can_tho.d8.k2" not in text and "can_tho.d12.k9" not in text

    other = tmp_path / "renamed"
    other.mkdir()
    renamed = edited_copy(other, new_id="my_ct")
    assert json.loads(quyche("diff", "can_tho", str(renamed), "--format", "json").stdout)["versions"] is None
    forced = json.loads(quyche("diff", "can_tho", str(renamed), "--versions", "--format", "json").stdout)
    assert [c["rule"] for c in forced["versions"]["changed"]] == ["my_ct.d7.k1"]
    assert [e["rule"] for e in forced["versions"]["removed"]] == ["can_tho.d8.k2"]


# --- Text, markdown and the command line -------------------------------------------------------------


@pytest.mark.parametrize("args", [("can_tho", "gia_lai"), ("--all",), ("--all", "--lang", "en")])
def test_text_fits_100_columns(args: tuple[str, ...]) -> None:
    p = quyche("diff", *args)
    assert p.returncode == 0, p.stderr
    assert max(len(line) for line in p.stdout.splitlines()) <= WIDTH


def test_pair_json_is_the_contract_and_all_is_a_matrix() -> None:
    p = quyche("diff", "can_tho", "bac_kan", "--format", "json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert (data["a"], data["b"]) == ("can_tho", "bac_kan")
    assert check_diff(data) == []
    entry = next(e for row in data["rows"] for e in row["a"] if e["rule"] == "can_tho.d7.k1")
    assert entry["citation"]["label"] == "Điều 7 khoản 1"
    assert entry["parties"] == ["host"]
    m = json.loads(quyche("diff", "--all", "--format", "json").stdout)
    assert [c["id"] for c in m["columns"]] == list(BUNDLED_IDS)
    assert all(len(r["cells"]) == 5 for r in m["rows"])


def test_topic_filter_and_bad_input_are_exit_2() -> None:
    p = quyche("diff", "--all", "--topic", "notice", "--format", "json")
    assert {r["topic"] for r in json.loads(p.stdout)["rows"]} == {"notice"}
    for args, words in [
        (("diff", "can_tho"), "at least 2"),
        (("diff", "can_tho", "atlantis"), "atlantis"),
        (("diff", "--all", "--topic", "nope"), "--topic: nope"),
        (("diff", "can_tho", "gia_lai", "bac_kan", "--versions"), "exactly two"),
    ]:
        p = quyche(*args)
        assert p.returncode == 2 and words in p.stderr and "Traceback" not in p.stderr, (args, p.stderr)


def test_markdown_is_one_table_with_a_column_per_rulebook() -> None:
    p = quyche("diff", "--all", "--format", "markdown")
    assert p.returncode == 0, p.stderr
    header = next(line for line in p.stdout.splitlines() if line.startswith("| Vấn đề"))
    assert header.split(" | ")[1:6] == ["Cần Thơ", "Bắc Kạn", "Gia Lai", "Lai Châu", "Triệu Sơn"]
    assert "**Điều 7 khoản 1**" in p.stdout


# --- The HTML page ----------------------------------------------------------------------------------


@dataclass
class _Cell:
    rulebook: str | None
    empty: bool
    entries: int = 0
    cites: list[tuple[str, str]] = field(default_factory=list)  # (href, rule id)
    text: str = ""


class _Page(HTMLParser):
    """Collects ids, the table's column heads, each body cell's links and entries, and outside references."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.heads: list[str] = []
        self.cells: list[_Cell] = []
        self.external: list[str] = []
        self._cell: _Cell | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in ("script", "link", "img", "iframe") or a.get("src") or a.get("href", "#").split("#")[0]:
            self.external.append(f"{tag} {a}")
        if tag == "th" and a.get("scope") == "col" and a.get("data-rulebook"):
            self.heads.append(a["data-rulebook"])
        if tag == "td":
            self._cell = _Cell(a.get("data-rulebook"), a.get("class") == "empty")
            self.cells.append(self._cell)
        elif self._cell is not None and tag == "div" and a.get("class") == "entry":
            self._cell.entries += 1
        elif self._cell is not None and tag == "a" and a.get("class") == "cite":
            self._cell.cites.append((a.get("href", ""), a.get("data-rule", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data


def test_html_page_has_every_column_and_every_cell_is_cited(books: list[Rulebook]) -> None:
    p = quyche("diff", "--all", "--format", "html")
    assert p.returncode == 0, p.stderr
    page = _Page(p.stdout)
    assert page.heads == list(BUNDLED_IDS)
    assert page.external == []  # one self-contained page: no scripts, styles or links elsewhere
    assert len(page.cells) == 5 * len(align(books).rows)
    cited: set[str] = set()
    for cell in page.cells:
        assert cell.rulebook in BUNDLED_IDS
        if cell.empty:
            assert cell.entries == 0 and cell.text.startswith("—")
            continue
        assert len(cell.cites) == cell.entries > 0
        for href, rule in cell.cites:
            assert href.startswith("#") and href[1:] in page.ids, href
            assert rule.startswith(f"{cell.rulebook}.")
            cited.add(rule)
    assert cited == {r.id for b in books for r in b.rules}


def test_html_links_land_on_the_quote_itself(books: list[Rulebook]) -> None:
    for book in books:
        source = source_of(book, resolve(book.id))
        assert source is not None
        for rule in book.rules:
            a = source.article(rule.citation)
            assert a is not None, rule.id
            span = quote_span(source.text[a.start : a.end], rule.quote)
            assert span is not None, rule.id
            assert normalise(source.text[a.start + span[0] : a.start + span[1]]) == normalise(rule.quote)
    page = render_html(align(books[:1]), books[:1], [source_of(books[0], resolve(books[0].id))])
    assert '<span id="c0-q-can_tho.d7.k1"></span><mark' in page


def test_html_without_the_source_text_still_links_every_quote(tmp_path: Path) -> None:
    path = edited_copy(tmp_path)
    (tmp_path / "sources" / "can_tho.txt").unlink()
    p = quyche("diff", "can_tho", str(path), "--format", "html")
    assert p.returncode == 0, p.stderr
    page = _Page(p.stdout)
    assert page.cells and all(href[1:] in page.ids for cell in page.cells for href, _ in cell.cites)


# --- One plan under every rulebook -------------------------------------------------------------------


def test_compare_puts_each_roles_duties_side_by_side(books: list[Rulebook]) -> None:
    from datetime import datetime

    from quyche.plan import TZ

    plan = plan_from_data(PLAN)
    c = compare(books, plan, as_of=datetime(2026, 12, 1, 12, 0, tzinfo=TZ))
    assert [v.rulebook for v in c.rulebooks] == list(BUNDLED_IDS)
    host_notice = next(r for r in c.rows if (r.role, r.topic) == ("host", "notice"))
    by_book = dict(zip(BUNDLED_IDS, host_notice.cells, strict=True))
    notice = next(o for o in by_book["can_tho"] if o.rule == "can_tho.d7.k1")
    # Notice on Mon 30/11 for Thu 03/12: the third working day before is Mon 30/11 itself, so on time.
    assert notice.status == "met"
    for i, v in enumerate(c.rulebooks):
        assert v.compliant == (not any(o.status == "violated" for r in c.rows for o in r.cells[i]))


def test_compare_cli_exit_code_and_formats(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(PLAN, allow_unicode=True), encoding="utf-8")
    p = quyche("compare", str(plan), "--all", "--as-of", "2026-12-01T12:00", "--format", "json")
    assert p.returncode in (0, 1), p.stderr
    data = json.loads(p.stdout)
    assert [v["rulebook"] for v in data["rulebooks"]] == list(BUNDLED_IDS)
    assert (p.returncode == 0) == all(v["compliant"] for v in data["rulebooks"])
    assert data["as_of"] == "2026-12-01T12:00:00+07:00"
    assert [v["jurisdiction"] for v in data["rulebooks"]] == [
        "Thành phố Cần Thơ", "Tỉnh Bắc Kạn", "Tỉnh Gia Lai", "Tỉnh Lai Châu", "Huyện Triệu Sơn, tỉnh Thanh Hóa"]
    text = quyche("compare", str(plan), "can_tho", "gia_lai", "--as-of", "2026-12-01T12:00")
    assert text.returncode in (0, 1) and "== Cơ quan chủ trì ==" in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()) <= WIDTH
    assert "\n  Cần Thơ TUÂN THỦ" in text.stdout or "\n  Cần Thơ KHÔNG TUÂN THỦ" in text.stdout
    assert "ngày làm việc: cách hiểu mặc định" in " ".join(text.stdout.split())
    md = quyche("compare", str(plan), "--all", "--as-of", "2026-12-01T12:00", "--format", "markdown")
    assert "| Vấn đề | Cần Thơ | Bắc Kạn | Gia Lai | Lai Châu | Triệu Sơn |" in md.stdout
    # People read the rulebooks by their jurisdictions: no id (nor "default") reaches the text or the table.
    for out in (text.stdout, md.stdout):
        assert not any(rid in out for rid in (*BUNDLED_IDS, "default")), out
    assert quyche("compare", str(plan), "--as-of", "2026-12-01").returncode == 2


def test_pairwise_text_shows_both_periods_plainly() -> None:
    text = render_diff(diff(load_rulebook("can_tho"), load_rulebook("gia_lai")), "text")
    assert "1 giờ trước khi họp" in text and "3 giờ trước khi họp" in text
    assert render_text(align([load_rulebook("can_tho")])).startswith("So sánh quy chế: Cần Thơ")


# --- Drafters' view: what differs, in words, and only where it differs ---------------------------------


def test_only_the_cell_that_differs_is_marked(matrix: Matrix, books: list[Rulebook]) -> None:
    # Notice, host, from the start: Cần Thơ 7.1 and Gia Lai 8.1 both "03 ngày làm việc", Bắc Kạn 6.1
    # "03 ngày" (calendar days). The unit differs only in Bắc Kạn: only Bắc Kạn's line is marked.
    rows = [r for r in matrix.rows if (r.topic, r.binds, r.anchor) == ("notice", "host", "meeting_start")]
    assert len(rows) == 1
    row = rows[0]
    marks = dict(zip(BUNDLED_IDS, entry_marks(row), strict=True))
    rules = dict(zip(BUNDLED_IDS, row.cells, strict=True))
    assert "unit" not in marks["can_tho"][0] and "unit" not in marks["gia_lai"][0]
    bk = {e.rule: m for e, m in zip(rules["bac_kan"], marks["bac_kan"], strict=True)}
    assert "unit" in bk["bac_kan.d6.k1"]
    assert "amount" not in bk["bac_kan.d6.k1"]  # 3, like the others
    places = ["Cần Thơ", "Bắc Kạn", "Gia Lai", "Lai Châu", "Triệu Sơn"]
    assert differences_text(row, "vi", places).startswith(
        "khác: Lai Châu và Triệu Sơn không quy định; số điều khoản khác nhau; thời hạn (Bắc Kạn); "
        "đơn vị tính (Bắc Kạn)")

    page = render_html(Matrix(columns=matrix.columns, rows=[row]), books, [None] * 5)
    cells = re.findall(r'<td data-rulebook="(\w+)"[^>]*>(.*?)</td>', page)
    periods = {rid: re.findall(r'<div class="(period(?: d)?)">([^<]*)</div>', body) for rid, body in cells}
    assert periods["can_tho"] == [("period", "3 ngày làm việc trước khi họp")]
    assert periods["gia_lai"] == [("period", "3 ngày làm việc trước khi họp")]
    assert ("period d", "3 ngày trước khi họp") in periods["bac_kan"]

    text = render_text(Matrix(columns=matrix.columns, rows=[row]))
    assert "» 3 ngày trước khi họp" in text and "» 3 ngày làm việc" not in text
    md = render_markdown(Matrix(columns=matrix.columns, rows=[row]))
    assert "**≠ 3 ngày trước khi họp**" in md and "**≠ 3 ngày làm việc trước khi họp**" not in md
    # two rulebooks that differ: neither shares the other's value, so both are marked
    pair = render_diff(diff(books[0], books[1]), "text")
    assert "» 3 ngày làm việc trước khi họp" in pair and "» 3 ngày trước khi họp" in pair


def test_outliers_are_from_the_shared_value_or_all_when_none_is_shared() -> None:
    assert outliers([(3,), (3,), (1,), None]) == [2]
    assert outliers([(3,), (1,)]) == [0, 1]  # two cells, two values: both differ
    assert outliers([(3,), (3,), (1,), (1,)]) == [0, 1, 2, 3]  # a tie: no shared value
    assert outliers([(3,), None, (3,)]) == []


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(BUNDLED_IDS, 2)))
def test_a_pair_sits_in_the_rows_it_has_in_all(books: list[Rulebook], matrix: Matrix, a: str, b: str) -> None:
    # newcomer #28: Cần Thơ 8.7 sat beside Gia Lai 9.3 in the pair and elsewhere in --all.
    i, j = BUNDLED_IDS.index(a), BUNDLED_IDS.index(b)
    projected = [[e.rule for e in r.cells[i]] + [e.rule for e in r.cells[j]] for r in matrix.rows
                 if r.cells[i] or r.cells[j]]
    d = diff(books[i], books[j], context=books)
    assert [[e.rule for e in r.a] + [e.rule for e in r.b] for r in d.rows] == projected


def test_vietnamese_words_and_place_names_not_ids() -> None:
    p = quyche("diff", "--all")
    assert p.returncode == 0, p.stderr
    for topic in ("backup", "internal_rules", "maintenance", "planning", "preparation", "can_tho", "gia_lai"):
        assert not re.search(rf"(?<![\w.]){topic}(?!\w)", p.stdout), topic
    assert p.stdout.startswith("So sánh quy chế: Cần Thơ ↔ Bắc Kạn ↔ Gia Lai ↔ Lai Châu ↔ Triệu Sơn\n")
    assert "  Cần Thơ: Thành phố Cần Thơ — 2044/QĐ-UBND — 14/08/2018 — đang có hiệu lực\n" in p.stdout
    assert "in_force" not in p.stdout and "số quy định" not in p.stdout and "có bên không quy định" not in p.stdout
    assert "Phương án dự phòng" in p.stdout and "Bảo quản, bảo trì thiết bị" in p.stdout
    html = quyche("diff", "can_tho", "gia_lai", "--format", "html").stdout
    head = re.search(r'<th scope="col" data-rulebook="can_tho">(.*?)</th>', html)
    assert head is not None
    # the status once, in words, as the badge; the place name as the head
    assert head.group(1).startswith("Cần Thơ<small>") and head.group(1).count("đang có hiệu lực") == 1
    assert "in_force" not in re.sub(r'class="[^"]*"', "", head.group(1))
    assert "giống nhau, " not in html.split("</h1>")[1].split("</p>")[0]  # not "0 giống nhau, 64 khác"
    assert re.search(r'<p class="lede">\d+ trong \d+ vấn đề khác nhau: \d+ về thời hạn', html)


def _edited_period(tmp_path: Path) -> Path:
    """can_tho with Điều 7.1's notice period 3 → 5 working days (quote and summary kept: lint is not run)."""
    data = yaml.safe_load((rules_dir() / "can_tho.yaml").read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "can_tho.d7.k1")
    rule["period"]["amount"] = 5
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "can_tho.txt").write_bytes((rules_dir() / "sources" / "can_tho.txt").read_bytes())
    path = tmp_path / "my_can_tho.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_two_versions_show_only_the_changed_row_with_both_file_names(tmp_path: Path) -> None:
    path = _edited_period(tmp_path)
    p = quyche("diff", "can_tho", str(path))
    assert p.returncode == 0, p.stderr
    rows = [line for line in p.stdout.splitlines() if line[:2] in ("≠ ", "= ")]
    assert rows == ["≠ Thông báo tổ chức họp · cơ quan chủ trì · mốc: giờ họp"]
    assert p.stdout.startswith("So sánh quy chế: can_tho.yaml ↔ my_can_tho.yaml\n")
    assert "B:can_tho" not in p.stdout
    assert "thời hạn: 3 ngày làm việc trước khi họp → 5 ngày làm việc trước khi họp" in p.stdout
    assert "vấn đề giống nhau không hiện (--all-rows để xem)" in p.stdout
    full = quyche("diff", "can_tho", str(path), "--all-rows")
    assert len([line for line in full.stdout.splitlines() if line[:2] in ("≠ ", "= ")]) > 30
    # JSON keeps every row (contract section 6), with or without --changed-only
    data = json.loads(quyche("diff", "can_tho", str(path), "--format", "json").stdout)
    assert check_diff(data) == [] and len(data["rows"]) > 30
    # --changed-only for any pair; markdown and HTML follow it too
    pair = quyche("diff", "can_tho", "gia_lai", "--changed-only").stdout
    assert "\n= " not in pair and "\n≠ " in pair
    md = quyche("diff", "can_tho", str(path), "--format", "markdown").stdout
    assert len([line for line in md.splitlines() if line.startswith("| Thông báo")]) == 1
    html = quyche("diff", "can_tho", str(path), "--format", "html").stdout
    assert html.count('<tr id="row-') == 1 and "my_can_tho.yaml" in html


class _Links(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.rows: list[str] = []
        self.index_links: list[str] = []
        self._in_index = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "tr" and a.get("id"):
            self.rows.append(a["id"])
        if tag == "nav" and a.get("class") == "toc":
            self._in_index = True
        if tag == "a" and self._in_index:
            self.index_links.append(a.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_index = False


def test_html_has_an_index_linking_every_row_and_a_print_stylesheet(matrix: Matrix) -> None:
    p = quyche("diff", "--all", "--format", "html")
    assert p.returncode == 0, p.stderr
    page = _Links(p.stdout)
    assert len(page.rows) == len(matrix.rows) == len(set(page.rows))  # an anchor on every row
    targets = {href[1:] for href in page.index_links}
    assert all(href.startswith("#") for href in page.index_links)
    assert set(page.rows) <= targets <= page.ids  # every row is in the index, every link lands
    assert "@media print{" in p.stdout and "break-inside:avoid" in p.stdout
    # the chapter heading between Quyết định Điều 3 and Quy chế Điều 1 sits outside the article boxes
    assert re.search(r'</article><div class="between">QUY CHẾ\n', p.stdout)
    assert not re.search(r"<article[^>]*>(?:(?!</article>).)*Chương I\n", p.stdout, re.S)


def test_html_diff_of_a_400_rule_rulebook_citing_one_article(tmp_path: Path) -> None:
    # D12's shape (every rule quoting its own sentence of one article), small enough for a test; not timed
    # (bench/diff_html.py measures the growth).
    sentences = [f"Cơ quan thứ {i} thông báo cho Sở trước {i % 7 + 1} ngày làm việc." for i in range(400)]
    (tmp_path / "s.txt").write_text("QUYẾT ĐỊNH\n\nĐiều 1. Ban hành.\n\nQUY CHẾ\n\nĐiều 1. Thông báo\n\n"
                                    + "\n".join(sentences) + "\n", encoding="utf-8")
    meta = {"title": "Quy chế thử", "decision_number": None, "issuer": "UBND tỉnh Thử", "signed": None,
            "status": "draft", "effective": None, "effective_note": {"vi": "Dự thảo.", "en": "A draft."},
            "source": "s.txt", "jurisdiction": "Tỉnh Thử", "jurisdiction_level": "province"}
    rules = [{"id": f"thu.d1.r{i}", "topic": "notice", "citation": {"article": 1}, "quote": s,
              "summary": {"vi": f"Thông báo {i}.", "en": f"Notice {i}."}, "binds": ["host"]}
             for i, s in enumerate(sentences)]
    path = tmp_path / "thu.yaml"
    path.write_text(yaml.safe_dump({"id": "thu", "metadata": meta, "rules": rules}, allow_unicode=True), "utf-8")
    p = quyche("diff", str(path), "can_tho", "--format", "html")
    assert p.returncode == 0, p.stderr
    page = _Page(p.stdout)
    quotes = {i for i in page.ids if i.startswith("c0-q-")}
    assert quotes == {f"c0-q-thu.d1.r{i}" for i in range(400)}  # every quote found and anchored
    own = p.stdout[p.stdout.index('id="src-0"'): p.stdout.index('id="src-1"')]
    assert own.count("<mark>") == 400  # sentences do not overlap: one highlighted piece each


def _source_case(tmp_path: Path) -> tuple[Path, Path]:
    path = edited_copy(tmp_path)
    return path, tmp_path / "sources" / "can_tho.txt"


def _one_line_exit_2(p: subprocess.CompletedProcess[str], *words: str) -> None:
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert len(p.stderr.splitlines()) == 1 and "Traceback" not in p.stderr, p.stderr
    assert all(w in p.stderr for w in words), p.stderr


def test_html_diff_refuses_a_source_that_is_not_utf8(tmp_path: Path) -> None:
    path, source = _source_case(tmp_path)
    source.write_bytes(b"Di\xe1u 1. Latin-1\n")
    _one_line_exit_2(quyche("diff", "can_tho", str(path), "--format", "html"), f"{source}:1:", "not UTF-8")


def test_html_diff_refuses_a_fifo_source_without_hanging(tmp_path: Path) -> None:
    import os

    path, source = _source_case(tmp_path)
    source.unlink()
    os.mkfifo(source)
    p = subprocess.run([sys.executable, "-m", "quyche.cli", "diff", "can_tho", str(path), "--format", "html"],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    _one_line_exit_2(p, str(source), "not a regular file")


def test_html_diff_refuses_a_source_over_the_bound(tmp_path: Path) -> None:
    from quyche.sources import MAX_SOURCE_BYTES

    path, source = _source_case(tmp_path)
    with source.open("ab") as f:
        f.truncate(MAX_SOURCE_BYTES + 1)  # sparse: over the bound without writing 5 MB
    _one_line_exit_2(quyche("diff", "can_tho", str(path), "--format", "html"), str(source), "over the limit")
