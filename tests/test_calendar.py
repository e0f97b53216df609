"""Hand-checked days off, deadlines and overrides of the working-day calendar (CONTRACT.md §4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import holidays
import pytest

from quyche.calendar import (
    TZ,
    CalendarOverrides,
    DayEntry,
    WorkingCalendar,
    default_calendar,
)
from quyche.errors import CalendarRangeError, InputError, QuycheError, ValidationError

REPO = Path(__file__).resolve().parents[1]
CAL = default_calendar()


def d(text: str) -> date:
    """'26/11/2026' -> date: the way a secretariat writes it."""
    day, month, year = (int(x) for x in text.split("/"))
    return date(year, month, day)


def off(*days: str) -> list[str]:
    return [x for x in days if CAL.is_working_day(d(x))]


def working(*days: str) -> list[str]:
    return [x for x in days if not CAL.is_working_day(d(x))]


# --- national days off ---------------------------------------------------------------------------


def test_tet_2025_is_27_to_31_january() -> None:
    assert off("27/1/2025", "28/1/2025", "29/1/2025", "30/1/2025", "31/1/2025") == []
    assert working("24/1/2025", "3/2/2025") == []
    assert CAL.day_off_reason(d("29/1/2025")) == "Tết Nguyên Đán"
    assert CAL.day_off_reason(d("27/1/2025")) == "29 Tết"


def test_tet_2026_is_16_to_20_february() -> None:
    assert off("16/2/2026", "17/2/2026", "18/2/2026", "19/2/2026", "20/2/2026") == []
    assert working("13/2/2026", "23/2/2026") == []
    assert CAL.day_off_reason(d("16/2/2026")) == "Giao thừa Tết Nguyên Đán"


def test_tet_2027_follows_holidays_estimate_and_is_provisional() -> None:
    # Lunar New Year is Sat 6/2/2027; holidays 0.108 derives 29 Tết (Thu 4/2) to Mùng năm (Wed 10/2).
    assert off("4/2/2027", "5/2/2027", "8/2/2027", "9/2/2027", "10/2/2027") == []
    assert working("3/2/2027", "11/2/2027") == []
    assert CAL.is_provisional(d("4/2/2027"))
    assert not CAL.is_provisional(d("31/12/2026"))


def test_gio_to_2026_falls_on_sunday_and_is_observed_monday() -> None:
    assert CAL.day_off_reason(d("26/4/2026")) == "Ngày Giỗ Tổ Hùng Vương"
    assert CAL.day_off_reason(d("27/4/2026")) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert CAL.is_working_day(d("28/4/2026"))


def test_swapped_saturdays_are_working_days_and_their_weekdays_are_off() -> None:
    assert working("26/4/2025", "22/8/2026") == []  # Saturdays worked
    assert off("2/5/2025", "31/8/2026") == []  # the weekdays given in exchange
    assert CAL.day_off_reason(d("31/8/2026")) == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert CAL.day_off_reason(d("23/8/2026")) == "Chủ nhật"
    assert CAL.day_off_reason(d("29/8/2026")) == "Thứ Bảy"
    assert CAL.day_off_reason(d("22/8/2026")) is None


def test_culture_day_24_november_from_2026_and_its_source() -> None:
    assert CAL.is_working_day(d("24/11/2025"))
    info = CAL.day_info(d("24/11/2026"))
    assert (info.working, info.reason) == (False, "Ngày Văn hóa Việt Nam")
    assert info.source is not None and "80-NQ/TW" in info.source and "07/01/2026" in info.source
    assert CAL.day_info(d("24/11/2026"), "en").reason == "Vietnam Cultural Day"
    # Sat 24/11/2029 is observed on Monday 26/11.
    assert CAL.day_off_reason(d("26/11/2029")) == "Ngày Văn hóa Việt Nam (nghỉ bù)"


def test_culture_day_can_be_switched_off() -> None:
    cal = WorkingCalendar(overrides=CalendarOverrides(culture_day=False), first_year=2020, last_year=2035)
    assert cal.is_working_day(d("24/11/2026"))
    assert cal.is_working_day(d("26/11/2029"))  # and its observed Monday
    assert cal.working_day_before(d("26/11/2026"), 3) == d("23/11/2026")
    assert all("Văn hóa" not in x.name for x in cal.year_days(2029))


def test_whole_year_2026() -> None:
    got = [(f"{x.date:%d/%m}", x.kind) for x in CAL.year_days(2026)]
    assert got == [
        ("01/01", "day_off"),
        ("16/02", "day_off"),
        ("17/02", "day_off"),
        ("18/02", "day_off"),
        ("19/02", "day_off"),
        ("20/02", "day_off"),
        ("27/04", "day_off"),
        ("30/04", "day_off"),
        ("01/05", "day_off"),
        ("22/08", "working_weekend"),
        ("31/08", "day_off"),
        ("01/09", "day_off"),
        ("02/09", "day_off"),
        ("24/11", "day_off"),
    ]
    swapped = next(x for x in CAL.year_days(2026, "en") if x.kind == "working_weekend")
    assert "31/08/2026" in swapped.name
    # 365 days - 104 weekend days - 13 weekdays off + 1 Saturday worked
    assert CAL.count_working_days_inclusive(d("1/1/2026"), d("31/12/2026")) == 249


# --- counting ------------------------------------------------------------------------------------


def test_three_working_days_before_thursday_26_november_2026() -> None:
    assert CAL.working_day_before(d("26/11/2026"), 3) == d("20/11/2026")
    assert CAL.working_day_before(d("26/11/2026"), 3, reading="strict") == d("19/11/2026")
    assert CAL.add_working_days(d("26/11/2026"), -3) == d("20/11/2026")


def test_within_one_working_day_after_monday_23_november_2026() -> None:
    assert CAL.working_day_after(d("23/11/2026"), 1) == d("25/11/2026")
    due = CAL.deadline(datetime(2026, 11, 23, 9, 30), 1, "working_days", "after")
    assert due.at.isoformat() == "2026-11-25T23:59:59+07:00"
    assert not due.provisional


def test_add_zero_and_from_a_day_off() -> None:
    assert CAL.add_working_days(d("24/11/2026"), 0) == d("24/11/2026")
    assert CAL.add_working_days(d("21/11/2026"), 1) == d("23/11/2026")  # from a Saturday
    assert CAL.add_working_days(d("21/11/2026"), -1) == d("20/11/2026")


def test_counting_says_which_ends_are_counted() -> None:
    assert CAL.count_working_days(d("23/11/2026"), d("26/11/2026")) == 2  # 25, 26 (24 is off)
    assert CAL.count_working_days_inclusive(d("23/11/2026"), d("26/11/2026")) == 3
    assert CAL.count_working_days(d("26/11/2026"), d("20/11/2026")) == -3
    assert CAL.count_working_days_inclusive(d("26/11/2026"), d("23/11/2026")) == -3
    assert CAL.count_working_days(d("21/11/2026"), d("22/11/2026")) == 0


def test_deadline_across_tet_2026() -> None:
    after = CAL.deadline(datetime(2026, 2, 13, 16, 0), 3, "working_days", "after")
    assert after.at == datetime(2026, 2, 25, 23, 59, 59, tzinfo=TZ)
    before = CAL.deadline(datetime(2026, 2, 23, 8, 0), 5, "working_days", "before")
    assert before.at.date() == d("9/2/2026")
    skipped = [s.day for s in before.steps if s.counted is None]
    assert skipped == [d(f"{n}/2/2026") for n in (22, 21, 20, 19, 18, 17, 16, 15, 14)]


def test_window_from_one_to_two_working_days_before() -> None:
    opens, closes = CAL.window_before(datetime(2026, 11, 26, 8, 0), 1, 2, "working_days")
    assert opens.at.isoformat() == "2026-11-23T00:00:00+07:00"
    assert closes.at.isoformat() == "2026-11-25T23:59:59+07:00"
    with pytest.raises(InputError):
        CAL.window_before(datetime(2026, 11, 26, 8, 0), 3, 2, "working_days")


def test_hours_and_minutes_are_exact() -> None:
    three_h = CAL.deadline(datetime(2026, 11, 26, 8, 0), 3, "hours", "before")
    assert three_h.at.isoformat() == "2026-11-26T05:00:00+07:00"
    assert three_h.steps == ()
    # An aware anchor in UTC: 01:00Z is 08:00 in Hà Nội.
    utc = CAL.deadline(datetime(2026, 11, 26, 1, 0, tzinfo=UTC), 90, "minutes", "after")
    assert utc.at.isoformat() == "2026-11-26T09:30:00+07:00"
    overnight = CAL.deadline(datetime(2026, 11, 26, 8, 0), 24, "hours", "before")
    assert overnight.at == datetime(2026, 11, 25, 8, 0, tzinfo=TZ)  # 24/11 off changes nothing


def test_calendar_days_do_not_skip_days_off() -> None:
    due = CAL.deadline(datetime(2026, 11, 26, 8, 0), 3, "days", "before")
    assert due.at.isoformat() == "2026-11-23T23:59:59+07:00"
    strict = CAL.deadline(datetime(2026, 11, 26, 8, 0), 3, "days", "before", reading="strict")
    assert strict.at.date() == d("22/11/2026")
    assert CAL.deadline(datetime(2026, 2, 13), 5, "days", "after").at.date() == d("18/2/2026")


def test_provisional_beyond_the_last_announced_year() -> None:
    late = CAL.deadline(datetime(2027, 3, 1, 8, 0), 3, "working_days", "before")
    assert late.provisional
    assert not CAL.deadline(datetime(2026, 3, 2, 8, 0), 3, "working_days", "before").provisional
    # counted from 2026 into 2027: provisional too
    assert CAL.deadline(datetime(2026, 12, 30), 5, "working_days", "after").provisional
    announced = WorkingCalendar(last_announced_year=2027, first_year=2020, last_year=2030)
    assert not announced.deadline(datetime(2027, 3, 1, 8, 0), 3, "working_days", "before").provisional


def test_explain_the_contract_example() -> None:
    due = CAL.deadline(datetime(2026, 11, 26, 8, 0), 3, "working_days", "before")
    text = due.explain(label="họp")
    assert "24/11 nghỉ — Ngày Văn hóa Việt Nam" in text
    assert text == (
        "họp thứ Năm 26/11/2026 − 3 ngày làm việc: 25/11 (1), 24/11 nghỉ — Ngày Văn hóa Việt Nam, "
        "23/11 (2), 21–22/11 cuối tuần, 20/11 (3) → hạn 20/11/2026"
    )
    assert due.explain("en", label="meeting") == (
        "meeting Thursday 26/11/2026 − 3 working days: 25/11 (1), 24/11 off — Vietnam Cultural Day, "
        "23/11 (2), 21–22/11 weekend, 20/11 (3) → due 20/11/2026"
    )
    strict = CAL.deadline(datetime(2026, 11, 26, 8, 0), 3, "working_days", "before", reading="strict")
    assert "19/11 (4) → hạn 19/11/2026" in strict.explain()
    assert "Điều 147" in strict.explain()


def test_explain_stays_short_for_long_counts() -> None:
    text = CAL.deadline(datetime(2026, 1, 5), 250, "working_days", "after").explain()
    assert len(text) < 700
    assert "16–20/2 nghỉ — Giao thừa Tết Nguyên Đán … Mùng bốn Tết Nguyên Đán" in text
    # 14–15/2 and 21–22/2/2026 are weekends, no longer labelled Tết (newcomer review #37)
    assert "14–22/2" not in text
    assert "(250) → hạn" in text and "…" in text


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(1900, 12, 31), date(2100, 1, 1)])
def test_dates_outside_the_lunar_range(day: date) -> None:
    with pytest.raises(CalendarRangeError, match="1901–2099"):
        CAL.is_working_day(day)


def test_results_leaving_the_range() -> None:
    with pytest.raises(CalendarRangeError, match="1901–2099"):
        CAL.add_working_days(date(2099, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        CAL.working_day_before(date(1901, 1, 3), 5)
    with pytest.raises(CalendarRangeError):
        CAL.deadline(datetime(2099, 12, 31, 20), 10, "hours", "after")
    with pytest.raises(CalendarRangeError, match="1901–2100"):
        WorkingCalendar(first_year=1900)


def test_numbers_and_strings_are_not_dates() -> None:
    # holidays itself reads 20250129 as a Unix timestamp (a day in 1970): that must not leak through.
    vn = holidays.country_holidays("VN", years=2025)
    assert vn.get_nth_working_day(20250129, 1).year == 1970
    for bad in (20250129, "2025-01-29", 2025.0, None):
        with pytest.raises(InputError, match="want a datetime"):
            CAL.add_working_days(bad, 1)  # type: ignore[arg-type]
    with pytest.raises(QuycheError):
        CAL.is_working_day("29/01/2025")  # type: ignore[arg-type]


def test_one_object_for_all_years() -> None:
    # A holidays object built for 2025 only, without expansion, calls Tết 2026 a working day.
    narrow = holidays.country_holidays("VN", years=2025, expand=False)
    assert narrow.is_working_day(date(2026, 2, 17))
    assert not CAL.is_working_day(date(2026, 2, 17))


def test_bad_amounts_and_readings() -> None:
    with pytest.raises(InputError):
        CAL.working_day_before(d("26/11/2026"), -1)
    with pytest.raises(InputError):
        CAL.working_day_before(d("26/11/2026"), 3, reading="lenient")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        CAL.deadline(datetime(2026, 11, 26), 3, "weeks", "before")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        CAL.add_working_days(d("26/11/2026"), 1.5)  # type: ignore[arg-type]


def test_aware_datetimes_are_read_in_vietnam_time() -> None:
    # 20:00 UTC on Mon 23/11 is 03:00 on Tue 24/11 in Hà Nội: a day off.
    late = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    assert not CAL.is_working_day(late)
    assert CAL.is_working_day(late - timedelta(hours=4))


# --- the user's overrides ------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "calendar.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_user_days_change_the_answers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
days_off:
  - {date: 2026-11-20, name: Ngày giải phóng tỉnh, source: "Quyết định 1/QĐ-UBND"}
working_days:
  - {date: 2026-11-21, name: Làm bù, source: "Quyết định 1/QĐ-UBND"}
""",
    )
    cal = WorkingCalendar.from_file(path, first_year=2020, last_year=2030)
    assert CAL.working_day_before(d("26/11/2026"), 3) == d("20/11/2026")
    assert cal.working_day_before(d("26/11/2026"), 3) == d("21/11/2026")
    assert cal.working_day_before(d("26/11/2026"), 4) == d("19/11/2026")
    assert cal.day_off_reason(d("20/11/2026")) == "Ngày giải phóng tỉnh"
    listed = {(x.date, x.kind, x.source) for x in cal.year_days(2026)}
    assert (d("20/11/2026"), "day_off", "Quyết định 1/QĐ-UBND") in listed
    assert (d("21/11/2026"), "working_weekend", "Quyết định 1/QĐ-UBND") in listed
    explained = cal.deadline(datetime(2026, 11, 26), 4, "working_days", "before").explain()
    assert "20/11 nghỉ — Ngày giải phóng tỉnh, 19/11 (4)" in explained


def test_a_day_both_off_and_working_is_an_error_naming_it(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
days_off:
  - {date: 2026-11-20, name: Nghỉ, source: QĐ 1}
working_days:
  - {date: 2026-11-20, name: Làm, source: QĐ 2}
""",
    )
    with pytest.raises(ValidationError, match=r"calendar\.yaml:3:.*20/11/2026 \(2026-11-20\)"):
        WorkingCalendar.from_file(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("days_of: []\n", r":1:1: days_of: unknown key"),
        ("days_off:\n  - {date: 2026-11-20, name: Nghỉ}\n", r"source: required key is missing"),
        ("days_off:\n  - {date: 2026-13-20, name: Nghỉ, source: QĐ}\n", r"calendar\.yaml:2:"),
        (
            "days_off:\n  - {date: 2026-11-20, name: A, source: Q}\n"
            "  - {date: 2026-11-20, name: B, source: Q}\n",
            r"listed twice",
        ),
    ],
)
def test_bad_overrides_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):  # ValidationError, or YamlError for 2026-13-20
        WorkingCalendar.from_file(write(tmp_path, text))


def test_overrides_file_sets_culture_day_and_last_announced_year(tmp_path: Path) -> None:
    cal = WorkingCalendar.from_file(
        write(tmp_path, "culture_day: false\nlast_announced_year: 2027\n"), first_year=2020, last_year=2030
    )
    assert cal.is_working_day(d("24/11/2026"))
    assert not cal.is_provisional(d("1/3/2027"))
    explicit = WorkingCalendar(
        overrides=CalendarOverrides(last_announced_year=2027), last_announced_year=2026, first_year=2026
    )
    assert explicit.is_provisional(d("1/3/2027"))


def test_the_sample_overrides_file_loads() -> None:
    sample = REPO / "rules/calendar/example-overrides.yaml"
    cal = WorkingCalendar.from_file(sample, first_year=2020, last_year=2030)
    assert not cal.is_working_day(d("31/12/2026"))
    assert cal.is_working_day(d("9/1/2027"))
    assert all(e.source for e in cal.overrides.days_off + cal.overrides.working_days)


def test_overrides_in_python() -> None:
    entry = DayEntry(date=d("2/1/2026"), name="Nghỉ Tết Dương lịch (bù)", source="Thông báo X")
    cal = WorkingCalendar(overrides=CalendarOverrides(days_off=[entry]), first_year=2026, last_year=2026)
    assert cal.day_off_reason(d("2/1/2026")) == "Nghỉ Tết Dương lịch (bù)"
    assert cal.day_off_reason(d("2/1/2026"), "en") == "Nghỉ Tết Dương lịch (bù)"  # no name_en given
