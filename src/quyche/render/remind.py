"""`--remind`: when a calendar's alarms ring. Apart from render/ics.py so that the CLI can parse the
option without importing icalendar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from ..calendar import TZ, WorkingCalendar
from ..errors import InputError
from ..plan import to_local


@dataclass(frozen=True)
class Reminder:
    """One alarm: `working_days` working days before the deadline's day at `at`, or `before` ahead of
    the deadline itself."""

    working_days: int = 0
    at: time = time(8, 0)
    before: timedelta | None = None

    def when(self, deadline: datetime, calendar: WorkingCalendar) -> datetime:
        deadline = to_local(deadline)
        if self.before is not None:
            return (deadline.astimezone(UTC) - self.before).astimezone(TZ)
        day = calendar.add_working_days(deadline.date(), -self.working_days)
        return datetime.combine(day, self.at, tzinfo=TZ)


REMIND_HELP = (
    "reminders in the calendar (ics): none, Nd@HH:MM (N working days before the due date, at HH:MM; "
    "Nd alone is at 08:00), Nh or Nm (hours or minutes before the deadline), several joined by commas; "
    "default 1d@08:00"
)
_MAX_DAYS, _MAX_HOURS, _MAX_MINUTES = 60, 720, 1440
_DAYS = re.compile(r"(\d{1,3})d(?:@(\d{1,2}):(\d{2}))?")
_SPAN = re.compile(r"(\d{1,4})([hm])")


def parse_remind(text: str) -> tuple[Reminder, ...]:
    """`--remind`: "none" (no alarm), or alarms joined by commas: "1d@08:00" (the working day before
    the due date at 08:00), "2d" (two working days before, at 08:00), "2h", "30m" (before the deadline).
    Raises InputError naming the part that is wrong."""
    parts = [p.strip().lower() for p in text.split(",")]
    if parts == ["none"]:
        return ()
    out: list[Reminder] = []
    for part in parts:
        out.append(_reminder(part, text))
    return tuple(dict.fromkeys(out))


def _reminder(part: str, text: str) -> Reminder:
    def bad(why: str) -> InputError:
        shown = text if len(text) <= 40 else text[:40] + "…"
        return InputError(f"--remind {shown!r}: {why}; want {REMIND_HELP.split(': ', 1)[1]}",
                          code="bad_remind", place="--remind", params={"got": text, "part": part})

    if not part:
        raise bad("an empty reminder")
    if part == "none":
        raise bad("'none' cannot be combined with other reminders")
    if (d := _DAYS.fullmatch(part)) is not None:
        days = int(d[1])
        if days > _MAX_DAYS:
            raise bad(f"{part!r}: at most {_MAX_DAYS} working days before")
        if d[2] is None:
            return Reminder(days)
        hour, minute = int(d[2]), int(d[3])
        if hour > 23 or minute > 59:
            raise bad(f"{part!r}: {d[2]}:{d[3]} is not a time of day (00:00 to 23:59)")
        return Reminder(days, time(hour, minute))
    if (s := _SPAN.fullmatch(part)) is not None:
        amount, unit = int(s[1]), s[2]
        limit = _MAX_HOURS if unit == "h" else _MAX_MINUTES
        if not 1 <= amount <= limit:
            raise bad(f"{part!r}: from 1 to {limit} {'hours' if unit == 'h' else 'minutes'}")
        return Reminder(before=timedelta(hours=amount) if unit == "h" else timedelta(minutes=amount))
    raise bad(f"{part!r} is not a reminder")


DEFAULT_REMIND = parse_remind("1d@08:00")
