"""Times in and out: the one date grammar of every command (D20, D29, D32), the offsets Vietnam had
before 1975 in JSON (D07, D18), and long counts explained in a few lines (D26, newcomer #37)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quyche import MeetingPlan, evaluate, load_rulebook
from quyche.errors import QuycheError
from quyche.plan import TZ
from quyche.report import Report, iso_local

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "import sys; from quyche.cli import main; sys.exit(main())"
EXAMPLE = str(ROOT / "examples" / "can_tho.yaml")


def quyche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", ENTRY, *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=5)


def refused(p: subprocess.CompletedProcess[str], *words: str) -> str:
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert p.stdout == "" and "Traceback" not in p.stderr
    assert all(w in p.stderr for w in words), p.stderr
    return p.stderr


# --- one grammar for the dates a person types ----------------------------------------------------


def test_vietnamese_dates_are_accepted_by_check_plan_and_status() -> None:
    iso = json.loads(quyche("check", EXAMPLE, "--as-of", "2026-11-26", "--format", "json").stdout)
    vn = json.loads(quyche("check", EXAMPLE, "--as-of", "26/11/2026", "--format", "json").stdout)
    assert vn["as_of"] == iso["as_of"] == "2026-11-26T00:00:00+07:00" and vn == iso
    timed = json.loads(quyche("check", EXAMPLE, "--as-of", "26/11/2026 08:30", "--format", "json").stdout)
    assert timed["as_of"] == "2026-11-26T08:30:00+07:00"
    p = quyche("plan", "can_tho", "26/11/2026 08:00", "--as-of", "20/11/2026", "--format", "json")
    assert p.returncode in (0, 3), p.stderr
    assert json.loads(p.stdout)["meeting"]["start"] == "2026-11-26T08:00:00+07:00"
    # +05:00 is two hours behind Vietnam: 06:00+05:00 is 08:00 in Vietnam.
    p = quyche("plan", "can_tho", "2026-11-26T06:00+05:00", "--as-of", "2026-11-20T08:00", "--format", "json")
    assert json.loads(p.stdout)["meeting"]["start"] == "2026-11-26T08:00:00+07:00"
    iso_rows = json.loads(quyche("status", "can_tho", "--on", "2026-11-26", "--format", "json").stdout)
    vn_rows = json.loads(quyche("status", "can_tho", "--on", "26/11/2026", "--format", "json").stdout)
    assert vn_rows == iso_rows and vn_rows[0]["on"] == "2026-11-26"


@pytest.mark.parametrize("command", [("check", EXAMPLE, "--as-of"), ("status", "can_tho", "--on")],
                         ids=["check", "status"])
@pytest.mark.parametrize("value", ["2026-W48-4", "20261126", "２６/１１/２０２６", "2026-11-26 08:00",
                                   "26-11-2026", "26/11/26", "2026-11-26T08:00:00.5", "tomorrow"])
def test_other_date_forms_are_refused(command: tuple[str, ...], value: str) -> None:
    refused(quyche(*command, value), "is not a date or time")


def test_an_empty_time_is_refused_not_taken_as_now() -> None:
    for args in (("check", EXAMPLE, "--as-of", ""), ("plan", "can_tho", "2026-11-26T08:00", "--as-of", ""),
                 ("status", "--on", ""), ("status", "--on", " ")):
        assert refused(quyche(*args), f"quyche: {args[-2]}: empty; write").count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", EXAMPLE, "--as-of", "0001-01-01"), "--as-of: 0001-01-01: year 0001 is outside"),
        (("check", EXAMPLE, "--as-of", "1900-12-31T23:59"), "year 1900 is outside the supported years 1901–2099"),
        (("plan", "can_tho", "01/01/0001 08:00"), "START: 01/01/0001 08:00: year 0001 is outside"),
        (("status", "--on", "2100-01-01"), "--on: 2100-01-01: year 2100 is outside"),
        # 23:00 at −12:00 on the last day of 2099 is 2100 in Vietnam, outside the calendar.
        (("plan", "can_tho", "2099-12-31T23:00-12:00"), "year 2100 is outside"),
    ],
)
def test_years_outside_the_calendar_are_one_line_with_four_digits(args: tuple[str, ...], message: str) -> None:
    assert refused(quyche(*args), message).count("\n") == 1


# --- JSON times of the years Vietnam was not on +07:00 -------------------------------------------


def test_a_1970_plan_prints_its_day_deadlines_at_23_59_59_local_with_plus_eight() -> None:
    # 1960–1975 Asia/Ho_Chi_Minh was +08:00. Cần Thơ Điều 7.1: 3 working days before Thu 11/06/1970:
    # 10/06 (1), 09/06 (2), 08/06 (3) → due 23:59:59 on Mon 08/06/1970, as the text says "23:59 08/06/1970".
    p = quyche("plan", "can_tho", "1970-06-11T08:00", "--as-of", "1970-06-01", "--format", "json")
    data = json.loads(p.stdout)
    assert data["as_of"] == "1970-06-01T00:00:00+08:00"
    assert data["meeting"]["start"] == "1970-06-11T08:00:00+08:00"
    days = [o for o in data["obligations"] if o["due"] and (o["period"] or {}).get("unit") == "working_days"]
    assert "1970-06-08T23:59:59+08:00" in {o["due"] for o in days}
    for o in days:
        assert o["due"].endswith("T23:59:59+08:00"), o["due"]
        wall = datetime.fromisoformat(o["due"])
        if o["reason_code"] == "not_yet_due":
            assert f"23:59 {wall:%d/%m/%Y}" in o["reason"]
    text = quyche("plan", "can_tho", "1970-06-11T08:00", "--as-of", "1970-06-01").stdout
    assert "08/06/1970" in text


@pytest.mark.parametrize(
    ("when", "printed"),
    [
        (datetime(1905, 6, 8, 23, 59, 59), "1905-06-08T23:59:59"),  # LMT +07:06:30: no ISO offset says it
        (datetime(1911, 4, 30, 12), "1911-04-30T12:00:00"),
        (datetime(1911, 5, 1, 12), "1911-05-01T12:00:00+07:00"),
        (datetime(1944, 6, 8, 23, 59, 59), "1944-06-08T23:59:59+08:00"),
        (datetime(1945, 6, 8, 23, 59, 59), "1945-06-08T23:59:59+09:00"),
        (datetime(1950, 6, 8, 8), "1950-06-08T08:00:00+08:00"),
        (datetime(1965, 6, 8, 8), "1965-06-08T08:00:00+08:00"),
        (datetime(1976, 6, 8, 8), "1976-06-08T08:00:00+07:00"),
        (datetime(2026, 11, 26, 1, tzinfo=UTC), "2026-11-26T08:00:00+07:00"),
        (datetime(1, 1, 1), "0001-01-01T00:00:00"),
    ],
)
def test_json_times_are_the_local_wall_time(when: datetime, printed: str) -> None:
    assert iso_local(when) == printed
    # Read back as the contract reads a time (no offset: Asia/Ho_Chi_Minh): the same instant.
    back = datetime.fromisoformat(printed)
    assert (back if back.tzinfo else back.replace(tzinfo=TZ)) == (when if when.tzinfo else when.replace(tzinfo=TZ))


@pytest.mark.parametrize("year", [1905, 1944, 1970, 2026])
def test_reports_of_any_year_round_trip_through_json(year: int) -> None:
    plan = MeetingPlan.model_validate({"host": {"name": "Sở Nội vụ", "kind": "department"},
                                       "start": datetime(year, 6, 11, 8)})
    report = evaluate(load_rulebook("can_tho"), plan, as_of=datetime(year, 6, 1))
    assert Report.model_validate_json(report.model_dump_json()) == report
    dumped = report.model_dump(mode="json")
    dues = [o["due"] for o in dumped["obligations"] if o["due"] and o["due"][11:19] == "23:59:59"]
    assert dues, "a day-counted deadline ends at 23:59:59 local in every year"


def test_an_as_of_in_year_1_serialises_or_is_refused_cleanly() -> None:
    plan = MeetingPlan.model_validate({"host": {"name": "Sở Nội vụ", "kind": "department"},
                                       "start": datetime(2026, 11, 26, 8)})
    try:
        report = evaluate(load_rulebook("can_tho"), plan, as_of=datetime(1, 1, 1))
    except QuycheError as e:
        assert "0001" in str(e) or "1901" in str(e)
    else:
        assert json.loads(report.model_dump_json())["as_of"] == "0001-01-01T00:00:00"
    # Aware at the far end of the range: 9999-12-31T23:59 at UTC is past datetime.max in Vietnam.
    with pytest.raises(QuycheError):
        iso_local(datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(0))))


# --- explanations of long counts -----------------------------------------------------------------


def test_a_long_count_is_explained_in_a_few_hundred_characters() -> None:
    # 50,000 working days back from 01/12/2099 reach 1901: about 2,400 named days off on the way.
    p = quyche("workdays", "before", "01/12/2099", "50000")
    assert p.returncode == 0, p.stderr
    explanation = p.stdout.splitlines()[1]
    assert len(explanation) < 2000, len(explanation)
    assert "ngày nghỉ khác" in explanation and "(50000) → hạn 27/09/1901" in explanation
    # Years where they change: the first day off of 2098 says its year.
    assert "24/11/2098 nghỉ — Ngày Văn hóa Việt Nam" in explanation
    en = quyche("workdays", "after", "01/03/1901", "50000", "--lang", "en").stdout.splitlines()[1]
    assert len(en) < 2000 and "other days off" in en and "1/1/1902 off — New Year's Day" in en


def test_a_weekend_beside_a_holiday_is_named_apart() -> None:
    # 3 working days before Wed 06/01/2027: 05/01 (1), 04/01 (2), Sat–Sun 02–03/01, Fri 01/01 Tết
    # Dương lịch, 31/12/2026 (3). The weekend is not Tết.
    line = quyche("workdays", "before", "06/01/2027", "3").stdout.splitlines()[1]
    assert "5/1 (1), 4/1 (2), 2–3/1 cuối tuần, 1/1 nghỉ — Tết Dương lịch, 31/12/2026 (3) → hạn 31/12/2026" in line
