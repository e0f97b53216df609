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
    note, summary = p.stderr.splitlines()
    assert note == f"quyche: {empty}: no plan files (.yaml, .yml, .json) in this folder"
    assert summary.startswith("1 kế hoạch: 1 đạt")
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


# --- newcomer #41, issue 17: duty clashes opt-in, a summary, progress only on a terminal -------


def write_can_tho_pair(folder: Path) -> None:
    """Two Cần Thơ meetings, 08–10 in Phòng A and 09–11 in Phòng B: no room clash, but VNPT Cần Thơ
    and the other support bodies are on duty in both from 09:00 to 10:00."""
    write_plan(folder, "a", "Phòng A", "08:00", "10:00")
    write_plan(folder, "b", "Phòng B", "09:00", "11:00")


def test_duty_clashes_are_off_by_default_and_never_fail_the_run(tmp_path: Path) -> None:
    write_can_tho_pair(tmp_path)
    off = quyche(str(tmp_path), "--as-of", AS_OF, "--format", "json")
    assert off.returncode == 0, off.stderr  # both compliant, no room clash
    assert json.loads(off.stdout)["conflicts"] == []
    on = quyche(str(tmp_path), "--as-of", AS_OF, "--format", "json", "--duty-clashes")
    assert on.returncode == 0, on.stderr  # a duty clash alone is not a failure
    duty = [c for c in json.loads(on.stdout)["conflicts"] if c["kind"] == "duty"]
    assert duty and all(c["overlap"] == ["2026-12-03T09:00:00+07:00", "2026-12-03T10:00:00+07:00"] for c in duty)
    assert "VNPT Cần Thơ" in {c["label"] for c in duty}
    text = quyche(str(tmp_path), "--as-of", AS_OF, "--duty-clashes")
    assert text.stdout.count("trùng phiên trực: ") == len(duty)
    assert "trùng phiên trực" not in quyche(str(tmp_path), "--as-of", AS_OF).stdout


def test_the_summary_line_counts_plans_and_clashes(tmp_path: Path) -> None:
    # a 08–10 and b 09–11 share Phòng A (1 room clash); c has no end (120 min assumed: 13:00–15:00,
    # Phòng C); broken.yaml is not a plan. Cần Thơ needs no event for a meeting a month away: a, b, c
    # are compliant as of 01/11/2026 except the clash; bad is unreadable.
    write_plan(tmp_path, "a", "Phòng A", "08:00", "10:00")
    write_plan(tmp_path, "b", "Phòng A", "09:00", "11:00")
    write_plan(tmp_path, "c", "Phòng C", "13:00")
    (tmp_path / "broken.yaml").write_text("host: [\n", encoding="utf-8")
    p = quyche(str(tmp_path), "--as-of", AS_OF)
    assert p.returncode == 2, p.stderr  # a plan could not be read
    assert p.stderr == ("4 kế hoạch: 3 đạt, 0 vi phạm, 0 thiếu, 1 không đọc được; 1 trùng phòng, "
                        "không xét trùng phiên trực (--duty-clashes)\n")
    en = quyche(str(tmp_path), "--as-of", AS_OF, "--lang", "en", "--duty-clashes")
    last = en.stderr.splitlines()[-1]
    assert last.startswith("4 plans: 3 compliant, 0 not compliant, 0 incomplete, 1 unreadable; 1 room clash, ")
    assert last.endswith(" duty clashes") and "trùng" not in en.stdout + en.stderr
    assert en.stdout.splitlines()[0].startswith("ok      ") and "room clash: Phòng A: " in en.stdout


def test_a_past_meeting_with_nothing_recorded_is_counted_incomplete(tmp_path: Path) -> None:
    # As of 04/12/2026 the 03/12 meeting's notice deadline (3 working days before) has passed and the
    # plan has no events key: incomplete (THIẾU), which fails the run (exit 1) as before.
    write_plan(tmp_path, "a", "Phòng A", "08:00", "10:00")
    p = quyche(str(tmp_path), "--as-of", "2026-12-04")
    assert p.returncode == 1, p.stderr
    assert p.stdout.startswith("THIẾU")
    assert p.stderr.startswith("1 kế hoạch: 0 đạt, 0 vi phạm, 1 thiếu, 0 không đọc được; 0 trùng phòng")


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    for k in range(3):
        write_plan(tmp_path, f"p{k}", f"Phòng {k}", "08:00")
    p = quyche(str(tmp_path), "--as-of", AS_OF)  # stderr is a pipe here
    assert p.returncode == 0, p.stderr
    assert "\r" not in p.stderr and "%" not in p.stderr and "it/s" not in p.stderr
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("3 kế hoạch: 3 đạt")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_a_progress_bar_when_stderr_is_a_terminal(tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import termios

    for k in range(3):
        write_plan(tmp_path, f"p{k}", f"Phòng {k}", "08:00")
    leader, follower = pty.openpty()
    # A new pseudo-terminal is 0 columns wide, where tqdm draws nothing: make it 24×100.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        p = subprocess.run([sys.executable, "-c", ENTRY, "schedule", str(tmp_path), "--as-of", AS_OF],
                           stdout=subprocess.PIPE, stderr=follower, cwd=ROOT, timeout=10)
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    assert p.returncode == 0
    shown = seen.decode("utf-8", "replace")
    assert "kế hoạch/s" in shown or "3/3" in shown, shown  # tqdm's counter
    assert shown.rstrip().endswith("3 kế hoạch: 3 đạt, 0 vi phạm, 0 thiếu, 0 không đọc được; 0 trùng phòng, "
                                   "không xét trùng phiên trực (--duty-clashes)")
    assert p.stdout.decode().count("\n") == 3  # results stay on stdout, one line a plan


def test_json_is_written_as_json_dumps_would(tmp_path: Path) -> None:
    # Written piece by piece as plans and clashes come; the bytes must equal one json.dumps(indent=2).
    write_plan(tmp_path, "a", "Phòng A", "08:00", "10:00")
    write_plan(tmp_path, "b", "Phòng A", "09:00", "11:00")
    (tmp_path / "broken.yaml").write_text("host: [\n", encoding="utf-8")
    for extra in ([], ["--duty-clashes"]):
        out = quyche(str(tmp_path), "--as-of", AS_OF, "--format", "json", *extra).stdout
        assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
    (tmp_path / "b.yaml").unlink()  # no clash at all: "conflicts": []
    out = quyche(str(tmp_path), "--as-of", AS_OF, "--format", "json").stdout
    assert json.loads(out)["conflicts"] == [] and out == json.dumps(json.loads(out), ensure_ascii=False,
                                                                   indent=2) + "\n"


def test_a_rulebook_file_is_loaded_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import quyche.cli.schedule as cli_schedule
    from quyche.cli import main
    from quyche.loader import load_plan_rulebook

    (tmp_path / "own.yaml").write_text((ROOT / "rules" / "can_tho.yaml").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    (tmp_path / "plans").mkdir()
    for k in range(3):
        path = write_plan(tmp_path / "plans", f"p{k}", f"Phòng {k}", "08:00")
        path.write_text(path.read_text(encoding="utf-8").replace("rulebook: can_tho", "rulebook: ../own.yaml"),
                        encoding="utf-8")
    loads: list[str] = []

    def counting(ref: str, plan_path: Path | None = None) -> object:
        loads.append(ref)
        return load_plan_rulebook(ref, plan_path)

    monkeypatch.setattr(cli_schedule, "load_plan_rulebook", counting)
    # "../own.yaml" leads out of the plans' folder: refused, for each plan (errors are not cached).
    assert main(["schedule", str(tmp_path / "plans"), "--as-of", AS_OF]) == 2
    assert loads == ["../own.yaml"] * 3
    loads.clear()
    for path in (tmp_path / "plans").iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("../own.yaml", "own.yaml"), encoding="utf-8")
    (tmp_path / "own.yaml").rename(tmp_path / "plans" / "own.yaml")
    capsys.readouterr()
    # The folder now holds own.yaml too, read as a plan: 1 unreadable, and the 3 plans load it once.
    main(["schedule", *(str(tmp_path / "plans" / f"p{k}.yaml") for k in range(3)), "--as-of", AS_OF])
    assert loads == ["own.yaml"]
    assert capsys.readouterr().err.startswith("3 kế hoạch: 3 đạt")
