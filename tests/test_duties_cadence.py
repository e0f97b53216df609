"""Cadences with fixed days of the year, their due dates and last working days, and `duties --format ics`.

The dates below are checked by hand (weekdays from a perpetual calendar, days off from Bộ luật Lao
động 2019 Điều 112 as holidays 0.108 has them); the arithmetic is in the comments.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import icalendar
import pytest

from quyche import QuycheError, default_calendar, load_rulebook
from quyche.calendar import CalendarOverrides, DayEntry, WorkingCalendar
from quyche.duties import due_in_year, duties, last_working_day
from quyche.loader import BUNDLED_IDS, rules_dir
from quyche.rulebook import Cadence

ROOT = Path(__file__).resolve().parents[1]
BOOKS = ("can_tho", "bac_kan", "gia_lai", "lai_chau", "trieu_son")
Y = 2026
YEARS = range(Y, Y + 6)


def quyche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche.cli", *args], capture_output=True, text=True, cwd=ROOT)


def quyche_many(calls: list[tuple[str, ...]]) -> list[subprocess.CompletedProcess[str]]:
    """Several CLI runs at once (each is a process of its own: the threads only wait)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda a: quyche(*a), calls))


def cadence(**kw: object) -> Cadence:
    return Cadence.model_validate(kw)


def due_and_last(c: Cadence, year: int, cal: WorkingCalendar | None = None) -> list[tuple[date, date]]:
    cal = cal or default_calendar()
    return [(d, last_working_day(cal, d)) for d in due_in_year(c, year)]


# --- hand-checked dates --------------------------------------------------------------------------


def test_two_fixed_dates_a_year_before_15_june_and_15_december() -> None:
    # "trước ngày 15 tháng 6 và ngày 15 tháng 12": due by the end of 14/06 and of 14/12.
    c = cadence(every=6, unit="months", dates=["06-15", "12-15"], due="before")
    assert c.days == ((6, 15), (12, 15)) and c.bound == "before"
    # 2026: 14/06 is a Sunday -> Saturday 13/06 is off too -> Friday 12/06; 14/12 is a Monday, a working day.
    assert due_and_last(c, 2026) == [(date(2026, 6, 14), date(2026, 6, 12)), (date(2026, 12, 14), date(2026, 12, 14))]
    # 2030: 14/06 is a Friday (kept); 14/12 is a Saturday -> Friday 13/12.
    assert due_and_last(c, 2030) == [(date(2030, 6, 14), date(2030, 6, 14)), (date(2030, 12, 14), date(2030, 12, 13))]
    # 2031: 14/06 is a Saturday -> Friday 13/06; 14/12 is a Sunday -> Saturday 13/12 off -> Friday 12/12.
    assert due_and_last(c, 2031) == [(date(2031, 6, 14), date(2031, 6, 13)), (date(2031, 12, 14), date(2031, 12, 12))]


def test_a_province_day_off_moves_the_last_working_day_again() -> None:
    # The same duty with the province's own day off on Friday 12/06/2026: 14/06 (Sun) -> 13/06 (Sat) ->
    # 12/06 (off) -> Thursday 11/06. December is untouched (14/12/2026 is a Monday).
    off = DayEntry(date=date(2026, 6, 12), name="Nghỉ bù (thử)", source="Thông báo thử nghiệm")
    cal = WorkingCalendar(overrides=CalendarOverrides(days_off=[off]), first_year=2025, last_year=2027)
    c = cadence(every=6, unit="months", dates=["06-15", "12-15"], due="before")
    assert due_and_last(c, 2026, cal) == [(date(2026, 6, 14), date(2026, 6, 11)),
                                          (date(2026, 12, 14), date(2026, 12, 14))]


def test_a_due_date_on_national_holidays() -> None:
    # "trước ngày 02 tháng 5" in 2027: due 01/05 (Saturday, Ngày Quốc tế Lao động); 30/04 is a Friday but
    # Ngày Chiến thắng, a holiday -> Thursday 29/04.
    c = cadence(every=1, unit="years", before="05-02")
    assert due_and_last(c, 2027) == [(date(2027, 5, 1), date(2027, 4, 29))]
    assert default_calendar().day_off_reason(date(2027, 4, 30)) is not None


def test_six_monthly_on_the_last_day_of_each_half_year() -> None:
    # "chậm nhất ngày 30 tháng 6 và ngày 31 tháng 12" (on_or_before: the day itself is on time); the days
    # differ (30, 31) but each is its month's last day, so they are 6 months apart on the same day.
    c = cadence(every=6, unit="months", dates=["06-30", "12-31"], due="on_or_before")
    # 2028: 30/06 is a Friday (kept); 31/12 is a Sunday -> Saturday 30/12 off -> Friday 29/12.
    assert due_and_last(c, 2028) == [(date(2028, 6, 30), date(2028, 6, 30)), (date(2028, 12, 31), date(2028, 12, 29))]
    # 2027: 30/06 is a Wednesday, 31/12 a Friday: both kept.
    assert due_and_last(c, 2027) == [(date(2027, 6, 30), date(2027, 6, 30)), (date(2027, 12, 31), date(2027, 12, 31))]


def test_quarterly_on_month_ends() -> None:
    # Every 3 months on the 31st or the month's last day: 31/03, 30/06, 30/09, 31/12.
    c = cadence(every=3, unit="months", dates=["03-31", "06-30", "09-30", "12-31"], due="on_or_before")
    # 2027: 31/03 Wednesday, 30/06 Wednesday, 30/09 Thursday, 31/12 Friday: all working days.
    assert due_and_last(c, 2027) == [(d, d) for d in (date(2027, 3, 31), date(2027, 6, 30), date(2027, 9, 30),
                                                      date(2027, 12, 31))]


def test_yearly_before_30_december_is_due_on_29_december() -> None:
    # Gia Lai Điều 16.2.d "trước ngày 30 tháng 12": before "12-30", 30/12 itself is late -> due 29/12.
    c = cadence(every=1, unit="years", before="12-30")
    assert c.days == ((12, 30),) and c.bound == "before"  # the old one-date spelling still loads
    # 2027: 29/12 is a Wednesday, a working day.
    assert due_and_last(c, 2027) == [(date(2027, 12, 29), date(2027, 12, 29))]
    # 2029: 29/12 is a Saturday -> last working day Friday 28/12.
    assert due_and_last(c, 2029) == [(date(2029, 12, 29), date(2029, 12, 28))]


def test_the_bundled_gia_lai_duty_gives_29_and_28_december_2029() -> None:
    found = [d for d in duties(load_rulebook("gia_lai"), 2029, default_calendar()) if d.bound == "before"]
    assert [(d.days, d.due_dates, d.last_working_days) for d in found if d.days == ("12-30",)] == [
        (("12-30",), (date(2029, 12, 29),), (date(2029, 12, 28),))
    ]
    assert all(found_one.provisional == (True,) for found_one in found)  # 2029's days off are not announced


def test_on_or_before_31_december_is_due_on_31_december() -> None:
    # "đến hết ngày 31 tháng 12" / "cuối năm": on_or_before "12-31" -> due 31/12.
    c = cadence(every=1, unit="years", on_or_before="12-31")
    # 2027: 31/12 is a Friday (kept); 2028: 31/12 is a Sunday -> Saturday 30/12 -> Friday 29/12.
    assert due_and_last(c, 2027) == [(date(2027, 12, 31), date(2027, 12, 31))]
    assert due_and_last(c, 2028) == [(date(2028, 12, 31), date(2028, 12, 29))]


def test_before_1_march_follows_leap_years() -> None:
    # "trước ngày 01 tháng 3": due on February's last day, 28/02/2027 (Sunday -> Friday 26/02) and
    # 29/02/2028 (Tuesday, kept).
    c = cadence(every=1, unit="years", before="03-01")
    assert due_and_last(c, 2027) == [(date(2027, 2, 28), date(2027, 2, 26))]
    assert due_and_last(c, 2028) == [(date(2028, 2, 29), date(2028, 2, 29))]


def test_every_two_years_from_the_first_year() -> None:
    # Every 2 years from 2025, before 31/12: due 30/12/2025, 30/12/2027, nothing in 2026 or before 2025.
    c = cadence(every=2, unit="years", before="12-31", first_year=2025)
    assert [due_in_year(c, y) for y in (2023, 2024, 2025, 2026, 2027)] == [
        [], [], [date(2025, 12, 30)], [], [date(2027, 12, 30)]]


def test_undated_cadences_have_no_due_dates() -> None:
    c = cadence(every=6, unit="months", on_request=True)
    assert c.days == () and c.bound is None and due_in_year(c, 2027) == []


def test_several_years_at_once_are_each_year_in_turn() -> None:
    cal = default_calendar()
    for ref in BOOKS:
        book = load_rulebook(ref)
        span = duties(book, Y, cal, years=6)
        per_year = [duties(book, y, cal) for y in YEARS]
        for i, d in enumerate(span):
            assert d.due_dates == tuple(x for year in per_year for x in year[i].due_dates)
            assert d.last_working_days == tuple(x for year in per_year for x in year[i].last_working_days)


# --- validation: one line, naming the field --------------------------------------------------------


def _book_with(tmp_path: Path, new_cadence: str) -> tuple[Path, int]:
    """Gia Lai with its first cadence replaced; the file and the line of that cadence."""
    text = (rules_dir() / "gia_lai.yaml").read_text(encoding="utf-8")
    m = re.search(r"cadence: \{[^}\n]*\}", text)
    assert m is not None
    path = tmp_path / "gia_lai_test.yaml"
    path.write_text(text[: m.start()] + f"cadence: {new_cadence}" + text[m.end():], encoding="utf-8")
    return path, text.count("\n", 0, m.start()) + 1


@pytest.mark.parametrize("bad,words", [
    ('{every: 6, unit: months, before: "06-15"}', "before: every 6 months needs 2 day(s) of the year"),
    ('{every: 6, unit: months, dates: ["03-15", "12-15"], due: before}', "dates: 15/03, 15/12 are not 6 months apart"),
    ('{every: 6, unit: months, dates: ["06-15", "12-15", "09-15"], due: before}', "needs 2 day(s)"),
    ('{every: 3, unit: months, dates: ["03-15", "06-15"], due: before}', "every 3 months needs 4 day(s)"),
    ('{every: 6, unit: months, dates: ["06-29", "12-31"], due: on_or_before}', "not the same day of the month"),
    ('{every: 5, unit: months, dates: ["05-15"], due: before}', "every 5 months does not divide the year"),
    ('{every: 1, unit: years, before: "02-29"}', "'02-29' is not a day of every year"),
    ('{every: 1, unit: years, on_or_before: "04-31"}', "'04-31' is not a day of every year"),
    ('{every: 1, unit: years, dates: ["6-15"], due: before}', "dates[0] '6-15': want MM-DD"),
    ('{every: 1, unit: years, dates: ["06-15", "06-15"], due: before}', "06-15 listed twice"),
    ('{every: 1, unit: years, dates: ["06-15"]}', "due: dates need due: before"),
    ('{every: 1, unit: years, before: "06-15", due: before}', "due: only with dates"),
    ('{every: 1, unit: years, before: "06-15", on_or_before: "06-15"}', "before and on_or_before: give the days once"),
    ('{every: 1, unit: years, before: "01-01"}', 'before: before 01-01 would be due on 31/12 of the year before'),
    ('{every: 2, unit: years, before: "12-30"}', "first_year: every 2 years on fixed days needs"),
    ('{every: 1, unit: years, first_year: 2025}', "first_year: only for a cadence of every N > 1 years"),
])
def test_a_cadence_that_cannot_give_its_dates_is_refused_on_one_line(tmp_path: Path, bad: str, words: str) -> None:
    path, line = _book_with(tmp_path, bad)
    with pytest.raises(QuycheError) as e:
        load_rulebook(path)
    message = str(e.value)
    assert "\n" not in message, message
    assert message.startswith(f"{path}:{line}:"), message
    assert ".cadence" in message and words in message, message


def test_a_valid_replacement_loads(tmp_path: Path) -> None:
    path, _ = _book_with(tmp_path, '{every: 6, unit: months, dates: ["06-15", "12-15"], due: before}')
    assert any(r.cadence is not None and r.cadence.dates == ["06-15", "12-15"] for r in load_rulebook(path).rules)


# --- the CLI: ics parsed back gives the dates of json, every year from Y to Y+5 ----------------------


def _ics_events(text: str) -> list[tuple[str, date, date]]:
    """(rule, legal due date, event date) of each VEVENT; no recurrence of any kind."""
    assert "RRULE" not in text and "RDATE" not in text and "BYMONTHDAY" not in text
    assert all(len(line.encode()) <= 75 for line in text.splitlines())  # folded (RFC 5545 3.1)
    out = []
    for e in icalendar.Calendar.from_ical(text).walk("VEVENT"):
        start, end, due = e.get("DTSTART").dt, e.get("DTEND").dt, e.get("X-QUYCHE-DUE").dt
        assert type(start) is date and (end - start).days == 1  # an all-day event
        assert f"{due:%d/%m/%Y}" in str(e.get("DESCRIPTION"))  # the description says the legal due date
        out.append((str(e.get("X-QUYCHE-RULE")), due, start))
    return out


def _json_dates(stdout: str) -> list[tuple[str, date, date]]:
    out = []
    for d in json.loads(stdout)["duties"]:
        assert len(d["due_dates"]) == len(d["last_working_days"]) == len(d["provisional"])
        assert d["dated"] == bool(d["days"]) and (d["bound"] is None) == (not d["days"])
        out += [(d["rule"], date.fromisoformat(a), date.fromisoformat(b))
                for a, b in zip(d["due_dates"], d["last_working_days"], strict=True)]
    return out


def _by_year(rows: list[tuple[str, date, date]]) -> dict[int, list[tuple[str, date, date]]]:
    out: dict[int, list[tuple[str, date, date]]] = defaultdict(list)
    for row in rows:
        out[row[1].year].append(row)
    return {y: sorted(v) for y, v in out.items()}


def test_every_bundled_rulebook_ics_gives_the_dates_of_json_for_six_years() -> None:
    assert set(BOOKS) <= set(BUNDLED_IDS)
    runs = quyche_many([c for ref in BOOKS for c in (
        ("duties", ref, "--year", str(Y), "--format", "ics"),  # the calendar covers Y..Y+5 by default
        ("duties", ref, "--year", str(Y), "--years", "6", "--format", "json"),
    )])
    for ref, ics, js in zip(BOOKS, runs[::2], runs[1::2], strict=True):
        assert ics.returncode == 0 and js.returncode == 0, (ref, ics.stderr, js.stderr)
        events, listed = _by_year(_ics_events(ics.stdout)), _by_year(_json_dates(js.stdout))
        assert set(events) <= set(YEARS) and set(listed) <= set(YEARS), ref
        for y in YEARS:
            assert events.get(y, []) == listed.get(y, []), (ref, y)
        # Undated duties stay out of the calendar: nothing on 01/01 that no text fixes.
        assert all(day != date(d.year, 1, 1) for _, d, day in _ics_events(ics.stdout))
    dated = {ref: _json_dates(js.stdout) for ref, js in zip(BOOKS, runs[1::2], strict=True)}
    assert ("gia_lai.d16.k2.d", date(2029, 12, 29), date(2029, 12, 28)) in dated["gia_lai"]


def test_two_dates_a_year_through_the_cli_each_year_from_y_to_y_plus_5(tmp_path: Path) -> None:
    path, _ = _book_with(tmp_path, '{every: 6, unit: months, dates: ["06-15", "12-15"], due: before}')
    calls = [("duties", str(path), "--year", str(Y), "--format", "ics")]
    calls += [("duties", str(path), "--year", str(y), "--format", "json") for y in YEARS]
    ics, *per_year = quyche_many(calls)
    assert ics.returncode == 0, ics.stderr
    events = _by_year(_ics_events(ics.stdout))
    for y, js in zip(YEARS, per_year, strict=True):
        assert js.returncode == 0, js.stderr
        listed = _by_year(_json_dates(js.stdout))
        assert set(listed) <= {y}
        assert events[y] == listed[y], y
        # Two per year for the six-monthly duty, each on or before 14/06 and 14/12.
        mine = [row for row in listed[y] if row[1].day == 14 and row[1].month in (6, 12)]
        assert [row[1] for row in mine] == [date(y, 6, 14), date(y, 12, 14)]
    # Hand-checked above: 14/06/2026 (Sunday) -> Friday 12/06; 14/12/2031 (Sunday) -> Friday 12/12.
    assert (date(2026, 6, 14), date(2026, 6, 12)) in {(d, day) for _, d, day in events[2026]}
    assert (date(2031, 12, 14), date(2031, 12, 12)) in {(d, day) for _, d, day in events[2031]}


def test_the_text_listing_names_the_days_and_the_undated(tmp_path: Path) -> None:
    path, _ = _book_with(tmp_path, '{every: 6, unit: months, dates: ["06-15", "12-15"], due: before}')
    p = quyche("duties", str(path), "--year", "2026")
    assert p.returncode == 0, p.stderr
    assert "trước ngày 15/06, 15/12: hạn 14/06/2026 (ngày làm việc cuối: 12/06), 14/12/2026" in p.stdout
    assert "văn bản không ấn định ngày" in p.stdout
    p = quyche("duties", str(path), "--year", "2026", "--years", "0")
    assert p.returncode == 2 and "cần ít nhất 1 năm" in p.stderr  # bad input in --lang (default vi)
