"""Vietnam's public holidays and swapped working days, 1901–2100, as shipped package data.

`holidays` computes Tết and Giỗ Tổ from lunisolar tables each time a calendar is built: importing it and
building Vietnam's days in two languages costs about a tenth of a second, on every cold start of the
CLI. The same data, built from `holidays` by `build_index`, is shipped as `calendar_index.json` next to
this module, with the `holidays` version it came from. `load_index` reads it; when the installed
`holidays` is another version it builds the index afresh in memory (never writing into the installed
package), so the calendar always follows the installed `holidays`.

Regenerate the shipped file after upgrading `holidays`:

    python -m quyche.calendar_index           # rewrites src/quyche/calendar_index.json
    python -m quyche.calendar_index --check   # exit 1 when the shipped file is stale
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["FIRST_YEAR", "INDEX_FILE", "LAST_YEAR", "CalendarIndex", "build_index", "load_index"]

# The years holidays' Vietnamese lunisolar tables cover (calendar.LUNAR_FIRST_YEAR/LAST_YEAR).
FIRST_YEAR, LAST_YEAR = 1901, 2100
INDEX_FILE = Path(__file__).with_name("calendar_index.json")
_FORMAT = 1


@dataclass(frozen=True)
class CalendarIndex:
    """What the WorkingCalendar reads from `holidays`, in holidays' own order.

    `days`: each date holidays.VN lists, as an ordinal, with its (Vietnamese, English) names.
    `weekend_workdays`: each weekend day worked in a Government swap, with the ordinal of the day off
    whose holidays name mentions it ("Ngày nghỉ (thay cho ngày 22/08/2026)"), or None when none does.
    """

    holidays_version: str
    days: tuple[tuple[int, tuple[tuple[str, str], ...]], ...]
    weekend_workdays: tuple[tuple[int, int | None], ...]


def installed_holidays_version() -> str:
    """The installed `holidays` version, read from its metadata: importing `holidays` costs ~50 ms.

    The same distribution as `metadata.version("holidays")`, but its Version header is read from the
    METADATA text: metadata.version parses the whole file with the email package (~1 ms to import and
    run, on every cold start). Any other layout falls back to metadata.version."""
    dist = metadata.distribution("holidays")
    for line in (dist.read_text("METADATA") or "").splitlines():
        if not line:  # the end of the headers
            break
        if line.startswith("Version:"):
            return line[len("Version:"):].strip()
    return dist.version


def build_index() -> CalendarIndex:
    """Build the index from the installed `holidays` (imports it: ~0.1–0.2 s)."""
    from holidays.countries.vietnam import VN
    from holidays.version import __version__

    # ONE object for every year: built per year holidays.VN would miss days a year's holidays push into
    # the next (and the calendar is asked about every year at once anyway).
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    vi = VN(years=years, language="vi")  # type: ignore[no-untyped-call]
    en = VN(years=years, language="en_US")  # type: ignore[no-untyped-call]
    # By date (holidays' own order is by how it populates): the file then diffs readably.
    days = tuple(
        (d.toordinal(), tuple(zip(vi.get_list(d), en.get_list(d), strict=True))) for d in sorted(vi)
    )
    swaps = []
    for worked in sorted(vi.weekend_workdays):
        mark = f"{worked:%d/%m/%Y}"
        day_off = next((d for d, name in vi.items() if mark in name), None)
        swaps.append((worked.toordinal(), day_off.toordinal() if day_off is not None else None))
    return CalendarIndex(str(__version__), days, tuple(swaps))


def to_json(index: CalendarIndex) -> str:
    """The file's text: one day a line (dates ISO), so an upgrade of `holidays` diffs readably."""
    names: dict[tuple[str, str], int] = {}
    for _, pairs in index.days:
        for pair in pairs:
            names.setdefault(pair, len(names))

    def iso(o: int | None) -> str | None:
        return None if o is None else date.fromordinal(o).isoformat()

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [
        "{",
        f'"format": {_FORMAT},',
        f'"holidays_version": {dump(index.holidays_version)},',
        f'"years": [{FIRST_YEAR}, {LAST_YEAR}],',
        '"names": [',
        ",\n".join(dump(list(pair)) for pair in names),
        "],",
        '"days": [',
        ",\n".join(dump([iso(o), [names[p] for p in pairs]]) for o, pairs in index.days),
        "],",
        '"weekend_workdays": [',
        ",\n".join(dump([iso(worked), iso(day_off)]) for worked, day_off in index.weekend_workdays),
        "]",
        "}",
    ]
    return "\n".join(lines) + "\n"


def from_json(text: str) -> CalendarIndex:
    data: dict[str, Any] = json.loads(text)
    if data.get("format") != _FORMAT or data.get("years") != [FIRST_YEAR, LAST_YEAR]:
        raise ValueError("calendar index: unknown format or years")
    names = [(str(vi), str(en)) for vi, en in data["names"]]
    iso = date.fromisoformat  # read on every cold start: kept to C calls and comprehensions
    return CalendarIndex(
        str(data["holidays_version"]),
        tuple([(iso(d).toordinal(), tuple([names[k] for k in ks])) for d, ks in data["days"]]),
        tuple([(iso(w).toordinal(), None if off is None else iso(off).toordinal())
               for w, off in data["weekend_workdays"]]),
    )


def read_shipped() -> CalendarIndex | None:
    """The shipped index, or None when the file is missing or unreadable (then the caller builds)."""
    try:
        return from_json(INDEX_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


@functools.lru_cache(maxsize=1)
def load_index() -> CalendarIndex:
    """The shipped index when it was built from the installed `holidays`, else a fresh build (in memory)."""
    shipped = read_shipped()
    try:
        installed: str | None = installed_holidays_version()
    except metadata.PackageNotFoundError:  # holidays importable but without metadata: trust only a build
        installed = None
    if shipped is not None and shipped.holidays_version == installed:
        return shipped
    return build_index()


def main(argv: Sequence[str] | None = None) -> int:
    import argparse  # the regenerator only: the library does not pay for it

    ap = argparse.ArgumentParser(prog="python -m quyche.calendar_index", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only say whether the shipped file is current")
    ap.add_argument("--output", type=Path, default=INDEX_FILE, help=f"where to write (default {INDEX_FILE})")
    args = ap.parse_args(argv)
    fresh = build_index()
    if args.check:
        current = read_shipped() == fresh
        print(f"{INDEX_FILE}: {'current' if current else 'stale'} (holidays {fresh.holidays_version})")
        return 0 if current else 1
    args.output.write_text(to_json(fresh), encoding="utf-8")
    print(f"wrote {args.output}: {len(fresh.days)} days, {len(fresh.weekend_workdays)} swapped working days, "
          f"holidays {fresh.holidays_version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
