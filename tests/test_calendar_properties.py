"""Properties of the working-day index over 2000–2099, against a naive day-by-day oracle built on
holidays.VN's own `is_working_day` (one object for every year, so no year is left unpopulated)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from quyche.calendar import default_calendar

CAL = default_calendar()
ORACLE = holidays.country_holidays("VN", years=range(1999, 2101))

# Far enough from 2099-12-31 that 300 working days forward stay inside the calendar.
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 9, 30))
amounts = st.integers(min_value=-300, max_value=300)
nonzero = amounts.filter(lambda n: n != 0)
pytest_settings = settings(max_examples=150, deadline=None)


def oracle_add(d: date, n: int) -> date:
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        d += step
        left -= ORACLE.is_working_day(d)
    return d


def test_every_day_of_2000_to_2099_agrees_with_holidays() -> None:
    day, end = date(2000, 1, 1), date(2099, 12, 31)
    disagree = []
    while day <= end:
        if CAL.is_working_day(day) != ORACLE.is_working_day(day):
            disagree.append(day)
        day += timedelta(days=1)
    assert disagree == []


@pytest_settings
@given(days, nonzero)
def test_add_agrees_with_the_oracle_and_lands_on_a_working_day(d: date, n: int) -> None:
    got = CAL.add_working_days(d, n)
    assert got == oracle_add(d, n)
    assert CAL.is_working_day(got)


@pytest_settings
@given(days, amounts)
def test_count_undoes_add(d: date, n: int) -> None:
    assert CAL.count_working_days(d, CAL.add_working_days(d, n)) == n


@pytest_settings
@given(days, amounts, amounts)
def test_add_is_monotonic_in_n(d: date, m: int, n: int) -> None:
    if m > n:
        m, n = n, m
    assert CAL.add_working_days(d, m) <= CAL.add_working_days(d, n)


@pytest_settings
@given(days, st.integers(min_value=0, max_value=40), amounts)
def test_add_is_monotonic_in_the_day(d: date, gap: int, n: int) -> None:
    later = d + timedelta(days=gap)
    assert CAL.add_working_days(d, n) <= CAL.add_working_days(later, n)


@pytest_settings
@given(days, amounts)
def test_add_back_returns_to_a_working_day(d: date, n: int) -> None:
    start = CAL.add_working_days(d, 1)  # a working day near d
    assert CAL.add_working_days(CAL.add_working_days(start, n), -n) == start


@pytest_settings
@given(days, st.integers(min_value=0, max_value=400))
def test_counts_agree_with_the_oracle(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    naive = sum(ORACLE.is_working_day(a + timedelta(days=k)) for k in range(span + 1))
    assert CAL.count_working_days_inclusive(a, b) == naive
    assert CAL.count_working_days(a, b) == naive - ORACLE.is_working_day(a)
    assert CAL.count_working_days(b, a) == -(naive - ORACLE.is_working_day(b))


@pytest_settings
@given(days, st.integers(min_value=0, max_value=60))
def test_deadline_steps_match_the_day_counted(d: date, n: int) -> None:
    for relation in ("before", "after"):
        due = CAL.deadline(d, n, "working_days", relation)
        counted = [s for s in due.steps if s.counted is not None]
        assert [s.counted for s in counted] == list(range(1, n + 1))
        assert due.at.date() == (counted[-1].day if n else d)
        assert all(not CAL.is_working_day(s.day) for s in due.steps if s.counted is None)
