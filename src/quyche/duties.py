"""Recurring duties of a rulebook for a year (or several): six-monthly and annual reports, budgets.

Concrete dates only where the text fixes days of the year (`Cadence.days`); otherwise the cadence
alone, and the duty is undated (it stays out of calendars). For each day D the text names:

- `before` ("trước ngày D"): the due date is the day before D, by the end of that day
  ("trước ngày 30 tháng 12" → 29/12);
- `on_or_before` ("chậm nhất ngày D", "cuối năm" as 31/12): the due date is D itself.

Next to each due date stands the last working day on or before it (`WorkingCalendar`): the day a
secretariat must send by when the due date is a weekend or a day off. Nothing is carried from one
year to the next by a recurrence rule, so every year gets its own working-day adjustment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .calendar import WorkingCalendar
from .errors import InputError
from .rulebook import Cadence, Citation, Rulebook


@dataclass(frozen=True)
class Duty:
    rule: str
    topic: str
    citation: Citation
    binds: tuple[str, ...]
    recipients: tuple[str, ...]
    summary: str
    every: int
    unit: str
    on_request: bool
    # The days of the year the text names ("MM-DD", in the order of the year) and how each bounds the
    # act: "before" (due the day before it) or "on_or_before" (due on it); empty / None: no fixed day.
    days: tuple[str, ...]
    bound: Literal["before", "on_or_before"] | None
    # Every N > 1 years: the first year of the series; `due_dates` is empty in the years between.
    first_year: int | None
    # The legal due dates in the years asked (the last day the act is on time), one per day of `days`
    # and year of the series.
    due_dates: tuple[date, ...]
    # The last working day on or before each due date, for a secretariat's calendar.
    last_working_days: tuple[date, ...]
    # Per due date: the days off of its year are not officially announced yet (the date may move).
    provisional: tuple[bool, ...]

    @property
    def dated(self) -> bool:
        """The text fixes days of the year (even if none falls in this year of a multi-year series)."""
        return bool(self.days)


def due_in_year(cadence: Cadence, year: int) -> list[date]:
    """The legal due dates of `cadence` in `year`, in order: the day before each `before` day, each
    `on_or_before` day itself; none when the text fixes no day or `year` is not in the series."""
    if cadence.unit == "years" and cadence.every > 1:
        start = cadence.first_year
        if start is None or year < start or (year - start) % cadence.every:
            return []
    shift = timedelta(days=1 if cadence.bound == "before" else 0)
    return [date(year, month, day) - shift for month, day in cadence.days]


def last_working_day(calendar: WorkingCalendar, day: date) -> date:
    """`day` if it is a working day, else the last working day before it."""
    return day if calendar.is_working_day(day) else calendar.add_working_days(day, -1)


def duties(book: Rulebook, year: int, calendar: WorkingCalendar, lang: str = "vi", years: int = 1) -> list[Duty]:
    """Every duty with a cadence, with its due dates in `year` and the `years - 1` years after it."""
    if years < 1:
        raise InputError(f"years {years}: want at least 1")
    out = []
    for rule in sorted(book.rules, key=lambda r: r.citation.sort_key()):
        cadence = rule.cadence
        if cadence is None:
            continue
        due = [d for y in range(year, year + years) for d in due_in_year(cadence, y)]
        out.append(
            Duty(
                rule=rule.id,
                topic=rule.topic,
                citation=rule.citation,
                binds=tuple(rule.binds),
                recipients=tuple(rule.recipients),
                summary=rule.summary.get(lang),
                every=cadence.every,
                unit=cadence.unit,
                on_request=cadence.on_request,
                days=tuple(f"{m:02d}-{d:02d}" for m, d in cadence.days),
                bound=cadence.bound,
                first_year=cadence.first_year,
                due_dates=tuple(due),
                last_working_days=tuple(last_working_day(calendar, d) for d in due),
                provisional=tuple(calendar.is_provisional(d) for d in due),
            )
        )
    return out
