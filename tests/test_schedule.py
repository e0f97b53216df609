"""`quyche schedule` against hostile and tricky input (red team D06, D16, D17, D20, D21, D28; newcomer #41).

Every case runs the CLI in a subprocess with a 5 s limit: a hang fails the test instead of the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from quyche.schedule import resource_key

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "import sys; from quyche.cli import main; sys.exit(main())"
AS_OF = "2026-11-01"


def quyche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", ENTRY, "schedule", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=5)


def write_plan(folder: Path, name: str, room: str, start: str, end: str | None = None) -> Path:
    """A Cần Thơ plan with one endpoint, `room`, on 03/12/2026 (times are HH:MM)."""
    path = folder / f"{name}.yaml"
    text = (
        "rulebook: can_tho\nhost: {name: Sở Nội vụ, kind: department, has_online_room: true}\n"
        f"start: 2026-12-03T{start}:00\n" + (f"end: 2026-12-03T{end}:00\n" if end else "")
        + f'endpoints:\n  - {{name: "{room}", role: main}}\n'
    )
    path.write_text(text, encoding="utf-8")
    return path


def room_pairs(p: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    data = json.loads(p.stdout)
    return [(Path(c["first"]).stem, Path(c["second"]).stem) for c in data["conflicts"] if c["kind"] == "room"]


def one_line_error(p: subprocess.CompletedProcess[str], *words: str) -> None:
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert p.stdout == "" and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr, p.stderr
    assert all(w in p.stderr for w in words), p.stderr


# --- D16: one room however it is written -------------------------------------------------------


def test_keys_ignore_normal_form_zero_width_case_and_spaces() -> None:
    room = "Phòng họp Sở Y tế"
    nfd = unicodedata.normalize("NFD", room)
    assert nfd != room  # ò and ọ decompose: two strings, one room
    assert {resource_key(x) for x in (room, nfd, "Phòng\u200b họp Sở Y tế", "PHÒNG  HỌP\ufeff SỞ Y TẾ",
                                      "Phòng\u00a0họp Sở\u2060 Y tế")} == {resource_key(room)}
    assert resource_key("Phòng họp Sở Y tế 2") != resource_key(room)


@pytest.mark.parametrize(
    "second",
    [unicodedata.normalize("NFD", "Phòng họp Sở Y tế"), "Phòng họp\u200b Sở Y tế", "Phòng họp Sở Y tế\u200d"],
    ids=["nfd", "zero-width-space", "zero-width-joiner"],
)
def test_a_room_written_two_ways_still_clashes(tmp_path: Path, second: str) -> None:
    write_plan(tmp_path, "a", unicodedata.normalize("NFC", "Phòng họp Sở Y tế"), "08:00", "10:00")
    write_plan(tmp_path, "b", second, "09:00", "11:00")
    p = quyche(str(tmp_path), "--as-of", AS_OF, "--format", "json")
    assert p.returncode == 1, p.stderr  # a room clash is exit 1, as the command's help says
    assert room_pairs(p) == [("a", "b")]


# --- D17: every overlapping pair ---------------------------------------------------------------


def test_three_overlapping_meetings_give_three_pairs(tmp_path: Path) -> None:
    # A 08–12, B 09–11, C 10–10:30: B and C overlap 10:00–10:30 although A runs longest.
    write_plan(tmp_path, "a", "Phòng A", "08:00", "12:00")
    write_plan(tmp_path, "b", "Phòng A", "09:00", "11:00")
    write_plan(tmp_path, "c", "Phòng A", "10:00", "10:30")
    write_plan(tmp_path, "d", "Phòng A", "12:00", "13:00")  # starts as A ends: no clash
    p = quyche(str(tmp_path), "--as-of", AS_OF, "--format", "json")
    assert p.returncode == 1, p.stderr
    assert sorted(room_pairs(p)) == [("a", "b"), ("a", "c"), ("b", "c")]
    overlaps = {(Path(c["first"]).stem, Path(c["second"]).stem): c["overlap"]
                for c in json.loads(p.stdout)["conflicts"] if c["kind"] == "room"}
    assert overlaps[("b", "c")] == ["2026-12-03T10:00:00+07:00", "2026-12-03T10:30:00+07:00"]
    assert overlaps[("a", "b")] == ["2026-12-03T09:00:00+07:00", "2026-12-03T11:00:00+07:00"]


# --- D06, D21: the default duration -------------------------------------------------------------


@pytest.mark.parametrize("minutes", ["0", "-600", "10081", "1000000000000000", "5000000000", "1_0", "12.5",
                                     "２", "", "abc"])
def test_a_bad_default_duration_is_one_line_and_exit_2(tmp_path: Path, minutes: str) -> None:
    write_plan(tmp_path, "a", "Phòng A", "08:00")
    one_line_error(quyche(str(tmp_path), "--as-of", AS_OF, f"--default-duration={minutes}"),
                   "--default-duration")


def test_the_default_duration_decides_a_clash(tmp_path: Path) -> None:
    # No end: 08:00 and 09:00 clash when meetings last 120 min (08–10), not at 60 min (08–09, back to back).
    write_plan(tmp_path, "a", "Phòng A", "08:00")
    write_plan(tmp_path, "b", "Phòng A", "09:00")
    assert room_pairs(quyche(str(tmp_path), "--as-of", AS_OF, "--format", "json")) == [("a", "b")]
    assert room_pairs(quyche(str(tmp_path), "--as-of", AS_OF, "--format", "json",
                             "--default-duration", "60")) == []
    # The largest, a week (10080 min), is accepted.
    assert quyche(str(tmp_path), "--as-of", AS_OF, "--default-duration", "10080").returncode == 1


# --- D20, D28 and files that are not plans ----------------------------------------------------


def test_an_empty_as_of_is_refused_not_taken_as_now(tmp_path: Path) -> None:
    write_plan(tmp_path, "a", "Phòng A", "08:00")
    one_line_error(quyche(str(tmp_path), "--as-of", ""), "--as-of: empty")
    one_line_error(quyche(str(tmp_path), "--as-of", "2026-W48-4"), "--as-of: 2026-W48-4 is not a date")


def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a plan", encoding="utf-8")
    one_line_error(quyche(str(empty)), "empty: no plan files (.yaml, .yml, .json) in this folder")
    # Beside a folder that has plans, the empty one is a note on stderr and the rest is checked.
    full = tmp_path / "full"
    full.mkdir()
    write_plan(full, "a", "Phòng A", "08:00")
    p = quyche(str(empty), str(full), "--as-of", AS_OF)
    assert p.returncode == 0, p.stderr
    assert p.stderr == f"quyche: {empty}: no plan files (.yaml, .yml, .json) in this folder\n"
    assert p.stdout.startswith("đạt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_the_folder_is_reported_unread_without_blocking(tmp_path: Path) -> None:
    write_plan(tmp_path, "a", "Phòng A", "08:00")
    os.mkfifo(tmp_path / "b.yaml")  # nobody writes to it: opening it for reading would block forever
    (tmp_path / "c.yaml").mkdir()  # a folder named like a plan
    p = quyche(str(tmp_path), "--as-of", AS_OF, "--format", "json")
    assert p.returncode == 2, p.stderr  # a plan could not be read
    rows = {Path(str(r["plan"])).name: r for r in json.loads(p.stdout)["plans"]}
    assert rows["a.yaml"]["compliant"] is True
    assert "not a regular file" in rows["b.yaml"]["error"] and "not a regular file" in rows["c.yaml"]["error"]
    # Named on the command line, the same.
    p = quyche(str(tmp_path / "b.yaml"), "--as-of", AS_OF)
    assert p.returncode == 2 and "not a regular file" in p.stdout


# --- newcomer #41: violations cited by article ------------------------------------------------


def test_violations_are_cited_by_article_in_text_and_json() -> None:
    plan = str(ROOT / "examples" / "bac_kan.yaml")
    text = quyche(plan, "--as-of", "2026-12-20")
    assert text.returncode == 1, text.stderr
    line = text.stdout.splitlines()[0]
    assert line.startswith("VI PHẠM") and "Điều 7 khoản 1 điểm a; Điều 7 khoản 1 điểm b; Điều 13 khoản 2" in line
    assert "bac_kan.d" not in text.stdout  # no rule id reaches a person's eyes
    row = json.loads(quyche(plan, "--as-of", "2026-12-20", "--format", "json").stdout)["plans"][0]
    assert "bac_kan.d7.k1.a" in row["violations"]  # ids kept for programs
    # Article order, not string order: Điều 7 before Điều 13.
    assert row["citations"][:3] == ["Điều 7 khoản 1 điểm a", "Điều 7 khoản 1 điểm b", "Điều 13 khoản 2"]
