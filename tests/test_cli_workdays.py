"""`quyche workdays …` as a secretariat runs it: through a subprocess, exit codes and plain text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "rules/calendar/example-overrides.yaml"
# `python -m quyche.cli` needs a cli/__main__.py; call the package's entry point the same way instead.
ENTRY = "import sys; from quyche.cli import main; sys.exit(main())"


def quyche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, "workdays", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def ok(*args: str) -> list[str]:
    done = quyche(*args)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


def test_add() -> None:
    assert ok("add", "2026-11-26", "-3") == ["20/11/2026 (thứ Sáu)"]
    assert ok("add", "23/11/2026", "1", "--lang", "en") == ["25/11/2026 (Wednesday)"]


def test_before_default_and_strict_with_the_count() -> None:
    out = ok("before", "26/11/2026", "3")
    assert out[0] == "20/11/2026 (thứ Sáu)"
    assert "24/11 nghỉ — Ngày Văn hóa Việt Nam" in out[1]
    strict = ok("before", "26/11/2026", "3", "--reading", "strict", "--lang", "en")
    assert strict[0] == "19/11/2026 (Thursday)"
    assert "Art. 147" in strict[1]


def test_after_and_provisional_years() -> None:
    assert ok("after", "2026-11-23", "1")[0] == "25/11/2026 (thứ Tư)"
    out = ok("after", "2027-02-03", "1")
    assert out[0] == "11/02/2027 (thứ Năm)"  # Tết 2027 as holidays 0.108 estimates it
    assert out[-1].startswith("tạm tính")


def test_between_says_which_ends_are_counted() -> None:
    assert ok("between", "2026-11-23", "2026-11-26") == [
        "2 ngày làm việc: 23/11/2026 (thứ Hai) → 26/11/2026 (thứ Năm) "
        "(không tính 23/11/2026, tính 26/11/2026)"
    ]
    both = ok("between", "2026-11-23", "2026-11-26", "--inclusive", "--format", "json")
    assert json.loads("\n".join(both)) == {
        "a": "2026-11-23",
        "b": "2026-11-26",
        "count": 3,
        "a_counted": True,
        "b_counted": True,
        "provisional": False,
    }


def test_year_lists_days_off_and_swapped_working_days_with_names() -> None:
    out = ok("year", "2026")
    assert len(out) == 14
    assert any(line.startswith("22/08/2026 (thứ Bảy)") and "làm việc" in line for line in out)
    assert any(line.startswith("24/11/2026 (thứ Ba)") and "80-NQ/TW" in line for line in out)
    data = json.loads("\n".join(ok("year", "2025", "--format", "json", "--lang", "en")))
    assert {"date": "2025-05-02", "kind": "day_off"}.items() <= data["days"][-3].items()


def test_every_date_form_of_the_grammar_gives_the_same_day() -> None:
    # ISO date, ISO date-time with and without offset, Vietnamese date and date-time: one day, 26/11.
    forms = ("2026-11-26", "2026-11-26T08:00", "2026-11-26T08:00:00+07:00", "26/11/2026", "26/11/2026 08:00")
    assert {ok("add", f, "-3")[0] for f in forms} == {"20/11/2026 (thứ Sáu)"}
    # 2026-11-25T20:00-05:00 is 08:00 on 26/11 in Vietnam (+12 h): the day is Vietnam's.
    assert ok("is", "2026-11-25T20:00-05:00")[0] == "26/11/2026 (thứ Năm): ngày làm việc"


def test_is_and_a_calendar_file() -> None:
    assert ok("is", "24/11/2026")[0].startswith("24/11/2026 (thứ Ba): ngày nghỉ — Ngày Văn hóa Việt Nam")
    mine = ok("is", "31/12/2026", "--calendar", str(SAMPLE))
    assert mine[0].startswith("31/12/2026 (thứ Năm): ngày nghỉ — Nghỉ hoán đổi")
    assert ok("is", "31/12/2026")[0] == "31/12/2026 (thứ Năm): ngày làm việc"
    assert ok("is", "22/08/2026", "--lang", "en")[0].startswith(
        "22/08/2026 (Saturday): working day — Working day swapped with the day off 31/08/2026"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("is", "31/02/2026"), "DATE: 31/02/2026 is not a real date"),
        (("add", "2150-01-01", "1"), "year 2150 is outside the supported years 1901–2099"),
        # D29: one grammar; no ISO week date, no basic 20261124, no full-width digits, no 1_0 for N
        (("add", "2026-W48-4", "1"), "DATE: 2026-W48-4 is not a date or time"),
        (("add", "20261124", "1"), "DATE: 20261124 is not a date or time"),
        (("add", "２４/１１/２０２６", "1"), "is not a date or time"),
        (("add", "24/11/2026", "1_0"), "N: 1_0 is not a whole number"),
        (("add", "24/11/2026", "１"), "is not a whole number"),
        (("between", "2026-11-23", ""), "B: empty"),
        # D32: the year of a message is four digits
        (("year", "0"), "YEAR: 0: year 0000 is outside the supported years 1901–2099"),
        (("is", "0001-01-01"), "year 0001 is outside"),
        (("year", "2_026"), "YEAR: 2_026 is not a whole number"),
        (("is", "2026-11-24", "--calendar", "/nonexistent/calendar.yaml"), "không đọc được"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    done = quyche(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert "Traceback" not in done.stderr
