"""Working days of Vietnamese state agencies, and the deadlines counted on them (CONTRACT.md §4).

Working days are Monday to Friday, less public holidays and official days off, plus the Saturdays and
Sundays officially swapped in as working days. The national data comes from `holidays.VN`
(holidays 0.108: Bộ luật Lao động 2019 Điều 112, the Government's yearly swaps, and Ngày Văn hóa
Việt Nam 24/11 from 2026), read from the index shipped with the package (`quyche.calendar_index`,
rebuilt in memory when the installed `holidays` is another version); users add their own announced
days in a small YAML file.

The whole range of years is indexed once, at construction: a sorted list of working-day ordinals and
prefix counts. Every query is then a few list lookups; nothing walks day by day except the
explanation of a deadline (`Deadline.steps`), which is bounded by the amount counted.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from .errors import CalendarRangeError, InputError
from .text import clean_name, clean_optional_name
from .vocabulary import SUPPORTED_YEARS
from .yamlio import load_model, read_document

__all__ = [
    "CULTURE_DAY_SOURCE",
    "TZ",
    "CalendarOverrides",
    "CountStep",
    "DayEntry",
    "DayInfo",
    "DayOff",
    "Deadline",
    "Reading",
    "Relation",
    "Unit",
    "WorkingCalendar",
    "default_calendar",
]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Reading = Literal["default", "strict"]
Unit = Literal["working_days", "days", "hours", "minutes", "working_hours"]
# The default office hours of state agencies, a reading (`office_hours`): a calendar file may set a
# province's own. 8 hours a day, the 40-hour week of Nghị định 45/2013/NĐ-CP Điều 3.
DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
Relation = Literal["before", "after"]
Boundary = Literal["end_of_day", "start_of_day", "exact"]

# holidays' Vietnamese lunisolar tables (Tết, Giỗ Tổ) cover exactly these years.
LUNAR_FIRST_YEAR = SUPPORTED_YEARS[0]
LUNAR_LAST_YEAR = 2100

CULTURE_DAY_NAME = "Ngày Văn hóa Việt Nam"
CULTURE_DAY_SOURCE = (
    "Nghị quyết 80-NQ/TW ngày 07/01/2026 của Bộ Chính trị (chưa tìm thấy văn bản sửa đổi Bộ luật Lao động)"
)
_STRICT_NOTE = {
    "vi": "cách đọc chặt (BLDS 2015, Điều 147): không tính cả ngày gửi, lùi thêm 1 ngày làm việc",
    "en": "strict reading (Civil Code 2015, Art. 147): the sending day is not counted either, "
    "one working day earlier",
}
_WEEKDAYS = {
    "vi": ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_WEEKEND_NAMES = {"vi": ("Thứ Bảy", "Chủ nhật"), "en": ("Saturday", "Sunday")}


# --- the overrides file --------------------------------------------------------------------------


class DayEntry(BaseModel):
    """One announced day: a province's own day off, or a weekend it works, with the announcing document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: date
    name: str = Field(min_length=1)
    source: str = Field(min_length=1)
    name_en: str | None = None

    # Printed in explanations, reports and calendars: one line, no control or bidi character, not blank.
    _names = field_validator("name", "source")(clean_name)
    _name_en = field_validator("name_en")(clean_optional_name)


class CalendarOverrides(BaseModel):
    """The user's additions to the national calendar (a small YAML file, see rules/calendar/)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days_off: list[DayEntry] = Field(default_factory=list)
    working_days: list[DayEntry] = Field(default_factory=list)
    # Ngày Văn hóa Việt Nam, 24/11 from 2026 (holidays 0.108 counts it): false switches it off.
    culture_day: bool = True
    last_announced_year: int | None = Field(default=None, ge=LUNAR_FIRST_YEAR, le=LUNAR_LAST_YEAR)
    # Office hours of a working day, as [start, end] pairs in order ("07:30", "11:30"); None: the default.
    office_hours: list[tuple[time, time]] | None = Field(default=None, min_length=1, max_length=4)

    @field_validator("office_hours")
    @classmethod
    def _hours_in_order(cls, v: list[tuple[time, time]] | None) -> list[tuple[time, time]] | None:
        last = time(0)
        for a, b in v or []:
            if not last <= a < b:
                raise ValueError(f"office hours {a:%H:%M}–{b:%H:%M}: want ordered, non-overlapping periods")
            last = b
        return v

    @field_validator("days_off", "working_days")
    @classmethod
    def _dates_unique(cls, entries: list[DayEntry], info: ValidationInfo) -> list[DayEntry]:
        seen: set[date] = set()
        for e in entries:
            if e.date in seen:
                raise ValueError(f"{e.date:%d/%m/%Y} ({e.date.isoformat()}) is listed twice")
            seen.add(e.date)
        if info.field_name == "working_days":
            off = {e.date for e in info.data.get("days_off", [])}
            for e in entries:
                if e.date in off:
                    raise ValueError(
                        f"{e.date:%d/%m/%Y} ({e.date.isoformat()}) is in both days_off and working_days"
                    )
        return entries


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayOff:
    """A weekday off, or a weekend (or holiday) worked, as `year_days` lists them."""

    date: date
    kind: Literal["day_off", "working_weekend", "working_day"]
    name: str
    source: str


@dataclass(frozen=True)
class DayInfo:
    date: date
    working: bool
    weekday: str
    reason: str | None  # why the day is off; None on a working day
    name: str | None  # the day's name if it has one: a holiday, a swapped working day, a user's day
    source: str | None
    provisional: bool


@dataclass(frozen=True)
class CountStep:
    """One day of a count: `counted` is its ordinal among counted days, `reason` why it was skipped."""

    day: date
    counted: int | None
    reason: str | None
    reason_en: str | None = None
    weekend: bool = False  # skipped only for being a Saturday or Sunday (folded in explanations)


def _no_steps() -> tuple[CountStep, ...]:
    return ()


@dataclass(frozen=True)
class Deadline:
    """A computed deadline; `at` is aware (+07:00). `steps` is empty for hours and minutes."""

    at: datetime
    provisional: bool
    # The days counted, listed when first asked for (only explanations read them): a function of the
    # other fields and the calendar, so equality does not look at it.
    count: Callable[[], tuple[CountStep, ...]] = field(compare=False, repr=False)
    anchor: datetime
    amount: int | float
    unit: Unit
    relation: Relation
    reading: Reading
    boundary: Boundary

    @cached_property
    def steps(self) -> tuple[CountStep, ...]:
        return self.count()

    def explain(self, lang: str = "vi", label: str | None = None) -> str:
        """One line a secretariat can check by hand; `label` names the anchor ("họp", "meeting")."""
        lang = _check_lang(lang)
        vi = lang == "vi"
        head = _fmt_day(self.anchor.date(), lang, weekday=True)
        if self.unit in ("hours", "minutes", "working_hours"):
            head = f"{self.anchor:%H:%M} {head}"
        if label:
            head = f"{label} {head}"
        sign = "−" if self.relation == "before" else "+"
        text = f"{head} {sign} {self.amount:g} {_unit_word(self.unit, self.amount, lang)}"
        if self.steps:
            text += ": " + ", ".join(_step_groups(self.steps, lang, year=self.anchor.year))
        at = _fmt_day(self.at.date(), lang)
        if self.boundary == "exact":
            text += f" → {self.at:%H:%M} {at}"
        elif self.boundary == "start_of_day":
            text += f" → {'mở từ 00:00' if vi else 'opens 00:00'} {at}"
        else:
            text += f" → {'hạn' if vi else 'due'} {at}"
        notes = []
        if self.reading == "strict" and self.relation == "before" and self.unit in ("working_days", "days"):
            notes.append(_STRICT_NOTE[lang])
        if self.provisional:
            notes.append(
                "tạm tính: lịch nghỉ năm này chưa được công bố"
                if vi
                else "provisional: the days off of this year are not announced yet"
            )
        return text + "".join(f" ({n})" for n in notes)


# --- the calendar --------------------------------------------------------------------------------


_INVERT = bytes.maketrans(b"\x00\x01", b"\x01\x00")


class WorkingCalendar:
    """Working days from `first_year` to `last_year`, indexed once; queries are O(1) or O(log n)."""

    def __init__(
        self,
        *,
        overrides: CalendarOverrides | None = None,
        last_announced_year: int | None = None,
        first_year: int = LUNAR_FIRST_YEAR,
        last_year: int = SUPPORTED_YEARS[1],
    ) -> None:
        """`last_announced_year`: explicit value, else the overrides file's, else 2026."""
        if not LUNAR_FIRST_YEAR <= first_year <= last_year <= LUNAR_LAST_YEAR:
            raise CalendarRangeError(
                f"years {first_year}–{last_year}: the calendar covers {LUNAR_FIRST_YEAR}–{LUNAR_LAST_YEAR} "
                "at most (the lunar calendar that places Tết and Giỗ Tổ is known for these years only)"
            )
        overrides = overrides or CalendarOverrides()
        self.overrides = overrides
        self.first_year = first_year
        self.last_year = last_year
        if last_announced_year is None:
            last_announced_year = overrides.last_announced_year or 2026
        self.last_announced_year = last_announced_year
        self.office_hours = tuple(overrides.office_hours or DEFAULT_OFFICE_HOURS)
        self._base = date(first_year, 1, 1).toordinal()
        self._end = date(last_year, 12, 31).toordinal()
        self._names: dict[int, tuple[str, str, str]] = {}  # ordinal -> (vi name, en name, source)
        off = self._build_days_off(overrides)
        # _before[i]: working days strictly before day index i; _ords: the working days, ascending.
        self._off = bytes(off)
        # C-level passes over the bytes: this runs for every CLI call, so it is kept off Python loops.
        working = self._off.translate(_INVERT)
        self._before = list(itertools.accumulate(working, initial=0))
        self._ords: list[int] = list(itertools.compress(range(self._base, self._end + 1), working))

    def _build_days_off(self, overrides: CalendarOverrides) -> bytearray:
        # holidays.VN's days for 1901–2100, built once for every year (see calendar_index): built per
        # year holidays.VN would answer "working day" for the Tết of a year it was not built for.
        from .calendar_index import load_index  # here, so `python -m quyche.calendar_index` runs it fresh

        index = load_index()
        holidays_source = f"holidays {index.holidays_version} (VN)"
        # date.toordinal() % 7: 6 is Saturday, 0 is Sunday.
        week = bytes(1 if o % 7 in (6, 0) else 0 for o in range(self._base, self._base + 7))
        days = self._end - self._base + 1
        off = bytearray((week * (days // 7 + 1))[:days])
        base, end = self._base, self._end
        for o, all_pairs in index.days:
            if not base <= o <= end:
                continue
            pairs = [p for p in all_pairs if overrides.culture_day or not p[0].startswith(CULTURE_DAY_NAME)]
            if not pairs:
                continue
            source = CULTURE_DAY_SOURCE if pairs[0][0].startswith(CULTURE_DAY_NAME) else holidays_source
            off[o - base] = 1
            self._names[o] = ("; ".join(p[0] for p in pairs), "; ".join(p[1] for p in pairs), source)
        for o, day_off in index.weekend_workdays:
            if base <= o <= end:
                off[o - base] = 0
                self._names[o] = _swap_names(day_off, holidays_source)
        for flag, entries in ((1, overrides.days_off), (0, overrides.working_days)):
            for e in entries:  # entries outside the range can never be asked about
                o = e.date.toordinal()
                if base <= o <= end:
                    off[o - base] = flag
                    self._names[o] = (e.name, e.name_en or e.name, e.source)
        return off

    @classmethod
    def from_file(cls, path: str | Path, **kw: Any) -> WorkingCalendar:
        """A calendar with the overrides of a YAML file; errors name file:line:col."""
        return cls(overrides=load_overrides(path), **kw)

    # --- days ---

    def is_working_day(self, d: date) -> bool:
        return not self._off[self._index(d)]

    def is_provisional(self, d: date) -> bool:
        """True when the days off of `d`'s year are not officially announced yet."""
        return self._to_date(self._index(d)).year > self.last_announced_year

    def day_off_reason(self, d: date, lang: str = "vi") -> str | None:
        """Why `d` is off ("Tết Nguyên Đán", "Chủ nhật", a user day off's name…), None if working."""
        i = self._index(d)
        return self._reason(i, _check_lang(lang)) if self._off[i] else None

    def day_info(self, d: date, lang: str = "vi") -> DayInfo:
        i = self._index(d)
        lang = _check_lang(lang)
        day = self._to_date(i)
        named = self._names.get(self._base + i)
        return DayInfo(
            date=day,
            working=not self._off[i],
            weekday=_WEEKDAYS[lang][day.weekday()],
            reason=self._reason(i, lang) if self._off[i] else None,
            name=named[0 if lang == "vi" else 1] if named else None,
            source=named[2] if named else None,
            provisional=day.year > self.last_announced_year,
        )

    def year_days(self, year: int, lang: str = "vi") -> list[DayOff]:
        """Every weekday off and every weekend worked in `year`, with names and sources."""
        lang = _check_lang(lang)
        if not self.first_year <= year <= self.last_year:
            raise CalendarRangeError(f"year {year}: outside the supported years {self._years()}")
        out: list[DayOff] = []
        start = date(year, 1, 1).toordinal() - self._base
        for i in range(start, date(year, 12, 31).toordinal() - self._base + 1):
            weekend = (self._base + i) % 7 in (6, 0)
            named = self._names.get(self._base + i)
            if named is None or (weekend and self._off[i]):
                continue  # an ordinary day, or a weekend that is off anyway
            kind: Literal["day_off", "working_weekend", "working_day"] = (
                "day_off" if self._off[i] else "working_weekend" if weekend else "working_day"
            )
            out.append(DayOff(self._to_date(i), kind, named[0 if lang == "vi" else 1], named[2]))
        return out

    # --- counting ---

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (n > 0; `d` not counted), before it (n < 0), or `d` (n == 0)."""
        i = self._index(d)
        if type(n) is not int:
            n = _as_int(n, "n")
        if n > 0:
            k = self._before[i + 1] + n - 1
        elif n < 0:
            k = self._before[i] + n
        else:
            return self._to_date(i)
        if k < 0 or k >= len(self._ords):
            raise CalendarRangeError(
                f"{self._to_date(i):%d/%m/%Y} {n:+d} working days: the result leaves the supported "
                f"years {self._years()}"
            )
        return date.fromordinal(self._ords[k])

    def count_working_days(self, a: date, b: date) -> int:
        """Working days from `a` (not counted) to `b` (counted): (a, b] when a <= b, minus those in
        [b, a) when b < a, so that `count_working_days(d, add_working_days(d, n)) == n` for every d."""
        i, j = self._index(a), self._index(b)
        if i <= j:
            return self._before[j + 1] - self._before[i + 1]
        return self._before[j] - self._before[i]

    def count_working_days_inclusive(self, a: date, b: date) -> int:
        """Working days in [a, b], both ends counted; negative (the same days) when b < a."""
        i, j = self._index(a), self._index(b)
        if i <= j:
            return self._before[j + 1] - self._before[i]
        return self._before[j] - self._before[i + 1]

    def working_day_before(self, d: date, n: int, reading: Reading = "default") -> date:
        """Contract §4: the n-th working day before `d` (`d` not counted); the strict reading
        (BLDS 2015 Điều 147, the sending day not counted either) is one working day earlier."""
        n = _amount(n)
        return self.add_working_days(d, -n - (1 if _check_reading(reading) == "strict" else 0))

    def working_day_after(self, d: date, n: int) -> date:
        """Contract §4: the n-th working day after `d`, `d` not counted."""
        return self.add_working_days(d, _amount(n))

    # --- deadlines on datetimes ---

    def deadline(
        self,
        anchor: datetime | date,
        amount: int | float,
        unit: Unit,
        relation: Relation,
        reading: Reading = "default",
    ) -> Deadline:
        """The deadline `amount unit relation anchor` (naive anchors are Asia/Ho_Chi_Minh time).

        Day-counted deadlines end at 23:59:59 of their last day; hours and minutes are exact.
        """
        return self._deadline(anchor, amount, unit, relation, reading, "end_of_day")

    def window_before(
        self,
        anchor: datetime | date,
        nearest: int | float,
        farthest: int | float,
        unit: Unit,
        reading: Reading = "default",
    ) -> tuple[Deadline, Deadline]:
        """ "From `nearest` to `farthest` units before X": opens at 00:00:00 of the farthest-th day
        before, closes at 23:59:59 of the nearest-th (exact times for hours and minutes)."""
        if nearest > farthest:
            raise InputError(f"window from {nearest} to {farthest} before: the nearest bound is the larger")
        opens = self._deadline(anchor, farthest, unit, "before", reading, "start_of_day")
        closes = self._deadline(anchor, nearest, unit, "before", reading, "end_of_day")
        return opens, closes

    def _deadline(
        self,
        anchor: datetime | date,
        amount: int | float,
        unit: Unit,
        relation: Relation,
        reading: Reading,
        boundary: Boundary,
    ) -> Deadline:
        local = _local(anchor)
        reading = _check_reading(reading)
        if relation not in ("before", "after"):
            raise InputError(f"relation {relation!r}: want 'before' or 'after'")
        i = self._index(local.date())
        sign = -1 if relation == "before" else 1
        if unit in ("hours", "minutes"):
            if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not amount >= 0:
                raise InputError(f"amount {amount!r}: want a number of {unit}, 0 or more")
            try:
                delta = timedelta(**{unit: sign * amount})
                at = (local.astimezone(UTC) + delta).astimezone(TZ)
            except OverflowError:
                raise CalendarRangeError(
                    f"{local:%d/%m/%Y} {'−' if sign < 0 else '+'} {amount} {unit}: outside the supported years "
                    f"{self._years()}"
                ) from None
            self._index(at.date())
            return Deadline(at, False, _no_steps, local, amount, unit, relation, reading, "exact")
        if unit == "working_hours":
            if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not amount >= 0:
                raise InputError(f"amount {amount!r}: want a number of working hours, 0 or more")
            at = self._office_time(local, timedelta(hours=amount), sign)
            return Deadline(at, at.year > self.last_announced_year, _no_steps, local, amount, unit, relation, reading,
                            "exact")
        if unit not in ("working_days", "days"):
            raise InputError(f"unit {unit!r}: want working_days, days, hours, minutes or working_hours")
        n = _amount(amount)
        # Điều 147 strict reading: the sending day is not counted either (only before X).
        target = n + 1 if reading == "strict" and relation == "before" else n
        if unit == "working_days":
            day = self.add_working_days(self._to_date(i), sign * target)
            provisional = max(day, local.date()).year > self.last_announced_year
        else:
            day = self._to_date(self._index_ordinal(self._base + i + sign * target))
            provisional = False
        at = datetime.combine(day, time(23, 59, 59) if boundary == "end_of_day" else time(0), tzinfo=TZ)
        working = unit == "working_days"
        return Deadline(at, provisional, lambda: tuple(self._steps(i, sign, target, working)), local, amount, unit,
                        relation, reading, boundary)

    def opening(
        self, anchor: datetime | date, amount: int | float, unit: Unit, relation: Relation = "before",
        reading: Reading = "default",
    ) -> Deadline:
        """A window's far end: 00:00:00 of its first day for day counts (0 days before: the anchor's own
        day), exact for hours, minutes and working hours."""
        return self._deadline(anchor, amount, unit, relation, reading, "start_of_day")

    def _office_time(self, start: datetime, left: timedelta, sign: int) -> datetime:
        """Move `left` of office time from `start` (backwards when sign < 0), over working days only."""
        day = start.date()
        for _ in range(3660):  # ten years of days: far beyond any period a decision sets
            if self.is_working_day(day):
                spans = [(datetime.combine(day, a, tzinfo=TZ), datetime.combine(day, b, tzinfo=TZ))
                         for a, b in self.office_hours]
                for lo, hi in (reversed(spans) if sign < 0 else spans):
                    if sign < 0:
                        hi = min(hi, start)
                        if hi <= lo:
                            continue
                        if hi - lo >= left:
                            return hi - left
                        left -= hi - lo
                    else:
                        lo = max(lo, start)
                        if hi <= lo:
                            continue
                        if hi - lo >= left:
                            return lo + left
                        left -= hi - lo
            day = self._to_date(self._index(day) + sign)
        raise CalendarRangeError(f"{start:%d/%m/%Y}: no office hours within ten years")

    def _steps(self, i: int, sign: int, target: int, working_only: bool) -> Iterator[CountStep]:
        counted = 0
        while counted < target:
            i += sign
            if working_only and self._off[i]:
                weekend = (self._base + i) % 7 in (6, 0) and self._base + i not in self._names
                yield CountStep(self._to_date(i), None, self._reason(i, "vi"), self._reason(i, "en"), weekend)
            else:
                counted += 1
                yield CountStep(self._to_date(i), counted, None)

    # --- helpers ---

    def _index(self, d: object) -> int:
        """Day index of a `date` (aware datetimes are read in Asia/Ho_Chi_Minh); range-checked."""
        if type(d) is date:
            o = d.toordinal()
        elif isinstance(d, datetime):
            o = _local(d).toordinal()
        elif isinstance(d, date):
            o = d.toordinal()
        else:
            raise InputError(
                f"{d!r}: want a datetime.date, got {type(d).__name__} "
                "(numbers and strings are not read as dates here)"
            )
        return self._index_ordinal(o)

    def _index_ordinal(self, o: int) -> int:
        if o < self._base or o > self._end:
            raise CalendarRangeError(
                f"{date.fromordinal(o) if 0 < o <= date.max.toordinal() else f'day {o}'}: "
                f"outside the supported years {self._years()} "
                "(the lunar calendar that places Tết and Giỗ Tổ is known for these years only)"
            )
        return o - self._base

    def _to_date(self, i: int) -> date:
        return date.fromordinal(self._base + i)

    def _reason(self, i: int, lang: str) -> str:
        named = self._names.get(self._base + i)
        if named is not None:
            return named[0 if lang == "vi" else 1]
        return _WEEKEND_NAMES[lang][(self._base + i) % 7 == 0]

    def _years(self) -> str:
        return f"{self.first_year}–{self.last_year}"

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar({self._years()}, last_announced_year={self.last_announced_year}, "
            f"{len(self.overrides.days_off)} user days off, {len(self.overrides.working_days)} working days)"
        )


def load_overrides(path: str | Path) -> CalendarOverrides:
    return load_model(CalendarOverrides, read_document(path))


@functools.lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The national calendar, 1901–2099, built once per process."""
    return WorkingCalendar()


# --- private helpers -----------------------------------------------------------------------------


def _local(value: object) -> datetime:
    """An aware datetime in Asia/Ho_Chi_Minh; naive datetimes are taken to be local already."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=TZ)
    raise InputError(f"{value!r}: want a datetime or date, got {type(value).__name__}")


def _as_int(n: object, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        if isinstance(n, float) and n.is_integer():
            return int(n)
        raise InputError(f"{what} = {n!r}: want a whole number")
    return int(n)


def _amount(n: object) -> int:
    value = _as_int(n, "amount")
    if value < 0:
        raise InputError(f"amount = {value}: want 0 or more (use the other relation to go the other way)")
    return value


def _check_reading(reading: str) -> Reading:
    if reading not in ("default", "strict"):
        raise InputError(f"reading {reading!r}: want 'default' or 'strict'")
    return "strict" if reading == "strict" else "default"


def _swap_names(day_off: int | None, source: str) -> tuple[str, str, str]:
    """Names of a weekend worked in a Government swap, after the weekday (an ordinal) it was swapped with."""
    if day_off is None:
        return ("Ngày làm việc bù", "Swapped working day", source)
    d = date.fromordinal(day_off)
    return (
        f"Làm việc bù cho ngày nghỉ {d:%d/%m/%Y}",
        f"Working day swapped with the day off {d:%d/%m/%Y}",
        source,
    )


def _check_lang(lang: str) -> str:
    if lang not in _WEEKDAYS:
        raise InputError(f"language {lang!r}: want 'vi' or 'en'")
    return lang


def _unit_word(unit: Unit, amount: int | float, lang: str) -> str:
    if lang == "vi":
        return {"working_days": "ngày làm việc", "days": "ngày", "hours": "giờ", "minutes": "phút",
                "working_hours": "giờ làm việc"}[unit]
    word = {"working_days": "working day", "days": "day", "hours": "hour", "minutes": "minute",
            "working_hours": "working hour"}[unit]
    return word if amount == 1 else word + "s"


def _fmt_day(d: date, lang: str, weekday: bool = False) -> str:
    text = f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{_WEEKDAYS[lang][d.weekday()]} {text}" if weekday else text


@dataclass(frozen=True)
class _Group:
    """One part of an explanation: a counted day, or a run of days off of one kind."""

    lo: date
    hi: date
    text: str  # what follows the dates: "(3)", "cuối tuần", "nghỉ — Tết Dương lịch"
    named: int  # named days off in it (holidays, a user's days): 0 for counted days and weekends


def _span(g: _Group, year: int | None) -> str:
    """'1/1', '2–3/1', '30/4–3/5', with the year when it is not `year` (the one last shown)."""
    lo, hi = g.lo, g.hi
    if lo.year != hi.year:
        return f"{lo.day}/{lo.month}/{lo.year}–{hi.day}/{hi.month}/{hi.year}"
    tail = "" if hi.year == year else f"/{hi.year}"
    if lo == hi:
        return f"{lo.day}/{lo.month}{tail}"
    if lo.month == hi.month:
        return f"{lo.day}–{hi.day}/{hi.month}{tail}"
    return f"{lo.day}/{lo.month}–{hi.day}/{hi.month}{tail}"


def _runs(steps: tuple[CountStep, ...], lang: str) -> list[_Group]:
    """Counted days one by one; days off in runs of one kind, so a weekend beside a holiday is named
    apart from it ('2–3/1 cuối tuần', '1/1 nghỉ — Tết Dương lịch'), in the order they were counted."""
    vi = lang == "vi"
    groups: list[_Group] = []
    run: list[CountStep] = []

    def close() -> None:
        if not run:
            return
        lo, hi = min(x.day for x in run), max(x.day for x in run)
        if run[0].weekend:
            groups.append(_Group(lo, hi, "cuối tuần" if vi else "weekend", 0))
        else:
            by_day = sorted(run, key=lambda x: x.day)
            names = list(dict.fromkeys((x.reason if vi else x.reason_en) or "" for x in by_day))
            shown = "; ".join(names) if len(names) <= 2 else f"{names[0]} … {names[-1]}"
            groups.append(_Group(lo, hi, f"{'nghỉ' if vi else 'off'} — {shown}", len(run)))
        run.clear()

    for s in steps:
        if s.counted is not None:
            close()
            groups.append(_Group(s.day, s.day, f"({s.counted})", 0))
        else:
            if run and run[0].weekend != s.weekend:
                close()
            run.append(s)
    close()
    return groups


def _step_groups(
    steps: tuple[CountStep, ...], lang: str, limit: int = 14, named_limit: int = 20, year: int | None = None
) -> list[str]:
    """'25/11 (1)', '24/11 nghỉ — Ngày Văn hóa Việt Nam', '21–22/11 cuối tuần'. A long count keeps its
    first three and last two groups and its first `named_limit` runs of named days off; the rest is
    '…', and named days beyond those are counted ('… và 4.123 ngày nghỉ khác'). A date shows its year
    when the year differs from the one last shown (`year`: the anchor's)."""
    groups = _runs(steps, lang)
    keep: list[_Group | str] = []
    if len(groups) <= limit:
        keep += groups
    else:
        named = dropped = 0  # runs of named days shown; named days elided
        tail = len(groups) - 2
        for k, g in enumerate(groups):
            if k == tail and dropped:
                keep[-1] = _others(dropped, lang)  # the "…" the elided named days fell into
            if k < 3 or k >= tail:
                keep.append(g)
            elif g.named and named < named_limit:
                named += 1
                keep.append(g)
            else:
                dropped += g.named
                if keep[-1] != "…":
                    keep.append("…")
    out: list[str] = []
    for item in keep:
        if isinstance(item, str):
            out.append(item)
        else:
            out.append(f"{_span(item, year)} {item.text}")
            year = item.hi.year
    return out


def _others(n: int, lang: str) -> str:
    """'… và 4.123 ngày nghỉ khác': Vietnamese groups thousands with a dot, English with a comma."""
    if lang == "vi":
        return f"… và {n:,} ngày nghỉ khác".replace(",", ".")
    return f"… and {n:,} other day{'s' if n != 1 else ''} off"
