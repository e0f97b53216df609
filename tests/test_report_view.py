"""The text view is a to-do list: the header and every step someone must act on come first."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from quyche import evaluate, load_plan, load_rulebook
from quyche.render.report_text import md_cell, render_markdown, render_text, sections
from quyche.report import Obligation, Report
from quyche.select import select_party

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche", *args], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)


def _report(path: Path, shift_days: int, lang: str = "vi") -> tuple[Report, str]:
    plan = load_plan(path)
    assert plan.rulebook is not None
    book = load_rulebook(plan.rulebook)
    report = evaluate(book, plan, as_of=plan.start + timedelta(days=shift_days), lang=lang)
    return report, render_text(report, book=book)


def _must_act(o: Obligation, report: Report) -> bool:
    """What the issue calls violated, overdue or pending dated steps."""
    overdue = o.status == "unknown" and o.reason_code in ("no_events_recorded", "not_done") and o.due is not None \
        and o.due < report.as_of
    dated_pending = o.kind == "deadline" and o.status == "pending"
    return o.status == "violated" or overdue or dated_pending


@pytest.mark.parametrize("shift", [-1, 1])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_first_25_lines_hold_the_header_and_every_step_to_act_on(path: Path, shift: int) -> None:
    report, text = _report(path, shift)
    top = "\n".join(text.splitlines()[:25])
    assert "Kết luận: " in top and report.meeting.host in top
    if report.meeting.title:
        assert report.meeting.title in top
    if report.reference_only:
        assert text.startswith("Chỉ để tham khảo")
    for o in report.obligations:
        if _must_act(o, report):
            assert o.citation.label in top, (o.rule, o.status)
            assert o.party.name in top or "cơ quan khác" in top, (o.rule, o.party.name)


def test_can_tho_the_day_before_lists_the_late_notice_first() -> None:
    # The notice went out Mon 23/11/2026; three working days before Thu 26/11 is Fri 20/11 (Tue 24/11
    # is Ngày Văn hóa Việt Nam): violated, due 20/11 23:59, the earliest row of the list.
    _, text = _report(ROOT / "examples" / "can_tho.yaml", -1)
    lines = text.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("Việc cần làm")))
    assert lines[first + 1].split()[:4] == ["VI", "PHẠM", "20/11/2026", "23:59"]
    assert "Điều 7 khoản 1:" in lines[first + 1]


def test_several_bodies_with_the_same_step_share_one_row() -> None:
    # Cần Thơ 8.2: the central endpoint and both branch endpoints test-run by 25/11: one row, three bodies.
    report, text = _report(ROOT / "examples" / "can_tho.yaml", -1)
    rows = [r for r in sections(report).todo if r.citation == "Điều 8 khoản 2"]
    assert len(rows) == 1 and len(rows[0].bodies) == 3
    assert text.count("Điều 8 khoản 2:") == 1


def test_standing_and_contingent_duties_are_one_count_line_unless_all() -> None:
    report, text = _report(ROOT / "examples" / "gia_lai.yaml", 1)
    standing = sum(o.kind == "standing" and o.status != "not_applicable" for o in report.obligations)
    assert f"{standing} nghĩa vụ thường xuyên" in text and "--all" in text
    assert "nghĩa vụ thường xuyên, không gắn với cuộc họp này" not in text  # no standing row
    full = render_text(report, book=load_rulebook("gia_lai"), show_all=True)
    every = full[full.index("Toàn bộ nghĩa vụ"):]
    assert every.count(" └ ") == len(report.obligations)  # --all: one row (and reason) per obligation


def test_all_lists_one_block_per_body_in_article_order() -> None:
    # Sở Nội vụ tỉnh Gia Lai is the host and the main endpoint: one block, rows in article order.
    report, _ = _report(ROOT / "examples" / "gia_lai.yaml", 1)
    text = render_text(report, book=load_rulebook("gia_lai"), show_all=True)
    all_part = text[text.index("Toàn bộ nghĩa vụ"):]
    blocks = [line for line in all_part.splitlines() if line.startswith("Sở Nội vụ tỉnh Gia Lai")]
    assert len(blocks) == 1, blocks
    block = all_part[all_part.index(blocks[0]):].split("\n\n")[0]
    articles = [int(line.split("Điều ")[1].split()[0].rstrip(":")) for line in block.splitlines()[1:]
                if "Điều " in line and not line.strip().startswith("└")]
    assert articles == sorted(articles) and articles[0] < 10 < articles[-1]


def test_party_filter_keeps_one_party_and_the_verdict() -> None:
    report, _ = _report(ROOT / "examples" / "can_tho.yaml", -1)
    book = load_rulebook("can_tho")
    host = select_party(report, book, "host")
    assert host.obligations and all("host" in o.party.roles for o in host.obligations)
    assert host.verdict == report.verdict
    by_name = select_party(report, book, "vnpt cần thơ")  # a name, compared without case
    assert {o.party.name for o in by_name.obligations} == {"VNPT Cần Thơ"}


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "ics"])
def test_party_filter_works_in_every_format_and_an_unknown_party_exits_2(fmt: str) -> None:
    args = ["check", "examples/can_tho.yaml", "--as-of", "2026-11-25T08:00", "--format", fmt]
    p = _cli(*args, "--party", "power_company")
    assert p.returncode == 1, p.stderr
    assert "Công ty Điện lực thành phố Cần Thơ" in p.stdout.replace("\r\n ", "").replace("\n ", "")
    assert "UBND phường Ninh Kiều" not in p.stdout.replace("\r\n ", "").replace("\n ", "")
    if fmt == "json":
        assert {o["party"]["id"] for o in json.loads(p.stdout)["obligations"]} == {"dien_luc"}
    bad = _cli(*args, "--party", "nobody")
    assert bad.returncode == 2 and bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1 and "nobody" in bad.stderr


def test_markdown_cells_cannot_break_the_table() -> None:
    assert md_cell("A | B\n## C") == "A \\| B<br>## C"
    report, _ = _report(ROOT / "examples" / "can_tho.yaml", -1)
    md = render_markdown(report, book=load_rulebook("can_tho"))
    table_lines = [line for line in md.splitlines() if line.startswith("|")]
    widths = {line.count(" | ") - line.count("\\|") for line in table_lines if "---" not in line}
    assert len(widths) == 1  # every row of every table has its six cells


def test_plan_needs_a_time_warns_on_a_day_off_and_flags_what_is_overdue() -> None:
    no_time = _cli("plan", "gia_lai", "2026-12-10")
    assert no_time.returncode == 2 and "2026-12-10T08:00" in no_time.stderr
    # Sun 06/12/2026 is a day off; as of Tue 01/12 08:00 the registration (03 working days before:
    # Wed 02/12) is still to come.
    sunday = _cli("plan", "gia_lai", "2026-12-06T08:00", "--as-of", "2026-12-01T08:00")
    assert "ngày họp 06/12/2026 là ngày nghỉ (Chủ nhật)" in sunday.stderr
    # Thu 03/12/2026 08:00, as of Wed 02/12: three working days before is Mon 30/11, passed and not
    # recorded: QUÁ HẠN, verdict incomplete (exit 3). With the endpoint given, its test run is pending.
    late = _cli("plan", "gia_lai", "2026-12-03T08:00", "--as-of", "2026-12-02T08:00",
                "--endpoint", "UBND xã Ia Grai:branch:commune")
    assert late.returncode == 3, late.stderr
    todo = late.stdout.split("Việc cần làm")[1].split("\n\n")[0]
    assert "QUÁ HẠN  30/11/2026 23:59" in todo and "Điều 8 khoản 1" in todo
    assert "chờ      02/12/2026 23:59" in todo and "UBND xã Ia Grai" in todo


def test_the_readme_shows_the_text_view_of_the_can_tho_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- can_tho:start -->\n```text\n")[1].split("```\n<!-- can_tho:end -->")[0]
    p = _cli("check", "examples/can_tho.yaml", "--as-of", "2026-11-25T08:00")
    assert p.returncode == 1
    head = "\n".join(p.stdout.splitlines()[: len(shown.splitlines())]) + "\n"
    assert shown == head, "README example is stale: paste the first lines of the command it names"
