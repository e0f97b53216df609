"""Recurring duties of a rulebook for one year: six-monthly and annual reports, budgets.

Concrete dates only where the text fixes them ("trước ngày 30 tháng 12"); otherwise the cadence alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import MONTHLY, YEARLY, rrule

from .calendar import WorkingCalendar
from .rulebook import Citation, Rule, Rulebook


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
    # "before MM-DD" means by the end of the day before; empty when the text fixes no date.
    due_dates: tuple[date, ...]
    # The last working day on or before each due date, for a secretariat's calendar.
    last_working_days: tuple[date, ...]
    rrule: str


def _rrule_text(rule: Rule) -> str:
    cadence = rule.cadence
    assert cadence is not None
    freq = "YEARLY" if cadence.unit == "years" else "MONTHLY"
    return f"FREQ={freq};INTERVAL={cadence.every}"


def duties(book: Rulebook, year: int, calendar: WorkingCalendar, lang: str = "vi") -> list[Duty]:
    out = []
    for rule in sorted(book.rules, key=lambda r: r.citation.sort_key()):
        cadence = rule.cadence
        if cadence is None:
            continue
        due: list[date] = []
        if cadence.before is not None:
            month, day = (int(x) for x in cadence.before.split("-"))
            start, until = datetime(year, 1, 1), datetime(year, 12, 31)
            if cadence.unit == "years":
                anchor_days = rrule(YEARLY, interval=cadence.every, dtstart=start, until=until, bymonth=month,
                                    bymonthday=day)
            else:
                anchor_days = rrule(MONTHLY, interval=cadence.every, dtstart=start, until=until, bymonthday=day)
            due = [d.date() - timedelta(days=1) for d in anchor_days]
        last = tuple(d if calendar.is_working_day(d) else calendar.add_working_days(d, -1) for d in due)
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
                due_dates=tuple(due),
                last_working_days=last,
                rrule=_rrule_text(rule) + (f";BYMONTH={due[0].month};BYMONTHDAY={due[0].day}" if due else ""),
            )
        )
    return out
