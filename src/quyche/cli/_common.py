"""Options and parsing shared by several commands.

One grammar for every date and time a person types (`check --as-of`, `plan START`, `status --on`,
`workdays`, `schedule`): ISO 2026-11-26, 2026-11-26T08:00[:00][+07:00|Z], or Vietnamese 26/11/2026 and
26/11/2026 08:00[:00]. ASCII digits only; nothing else (no ISO week dates, no 20261126), and only the
years the calendar knows, 1901–2099.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pydantic_core

from ..errors import InputError, QuycheError
from ..plan import TZ, to_local
from ..vocabulary import SUPPORTED_YEARS

FIRST_YEAR, LAST_YEAR = SUPPORTED_YEARS  # the range of quyche.default_calendar()
FORMS = "2026-11-26, 2026-11-26T08:00, 2026-11-26T08:00+07:00, 26/11/2026 or 26/11/2026 08:00"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?P<tz>Z|[+-]\d{2}:\d{2})?)?",
    re.ASCII,
)
_VN = re.compile(
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?: (?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?",
    re.ASCII,
)
_INT = re.compile(r"[+-]?\d+", re.ASCII)


def _shown(text: str, limit: int = 40) -> str:
    """The user's text in a message: invisible characters made visible, long text cut."""
    out = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def _years(what: str, text: str, year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            f"{what}: {_shown(text)}: year {year:04d} is outside the supported years {FIRST_YEAR}–{LAST_YEAR}"
        )


def parse_time(text: str, what: str, *, require_time: bool = False) -> datetime:
    """A date (its 00:00) or a date and time, in the one grammar above; no offset means Vietnam time.
    `require_time`: a date alone is refused (a meeting's start: 00:00 is never what was meant)."""
    m = _ISO.fullmatch(text) or _VN.fullmatch(text)
    if m is None:
        why = "empty" if not text.strip() else f"{_shown(text)} is not a date or time"
        raise InputError(f"{what}: {why}; write {FORMS}")
    g = m.groupdict()
    if require_time and g["H"] is None:
        example = f"{text}{'T' if m.re is _ISO else ' '}08:00"
        raise InputError(f"{what}: {_shown(text)} has no time of day; give it, e.g. {example}")
    _years(what, text, int(g["y"]))
    try:
        value = datetime(int(g["y"]), int(g["m"]), int(g["d"]), int(g["H"] or 0), int(g["M"] or 0),
                         int(g["S"] or 0))
        zone = g.get("tz")
        if zone:
            sign = -1 if zone[0] == "-" else 1
            value = value.replace(tzinfo=timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))))
        local = to_local(value)
    except QuycheError as e:
        raise InputError(f"{what}: {e}") from None
    except (ValueError, OverflowError):
        raise InputError(f"{what}: {_shown(text)} is not a real date or time; write {FORMS}") from None
    _years(what, text, local.year)  # 2099-12-31T23:00-12:00 is already 2100 in Vietnam
    return local


def time_or_now(text: str | None, what: str) -> datetime:
    """An option's time, or now when the option is not given at all (an empty value is an error)."""
    return now() if text is None else parse_time(text, what)


def parse_int(text: str, what: str) -> int:
    """A whole number in ASCII digits: int() would also take 1_0, ' 7 ' and full-width ７."""
    if not _INT.fullmatch(text):
        raise InputError(f"{what}: {_shown(text) or 'empty'} is not a whole number (write e.g. 3 or -3)")
    return int(text)


def parse_year(text: str, what: str) -> int:
    year = parse_int(text, what)
    _years(what, text, year)
    return year


def now() -> datetime:
    # The only clock read in quyche: the CLI's default for --as-of.
    return datetime.now(TZ)


def add_report_options(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    p.add_argument("--as-of",
                   help="judge as of this time (2026-11-26T08:00, 26/11/2026 08:00, …; default: now)")
    p.add_argument("--format", choices=formats, default="text")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument(
        "--reading",
        action="append",
        default=[],
        metavar="ID=VALUE",
        help="choose a reading of unclear text (repeatable; `quyche readings` lists them); "
        "'strict' is short for working_days=strict (BLDS 2015 Điều 147: the sending day not counted)",
    )
    p.add_argument("--explain", action="store_true", help="show the deadline arithmetic in words")
    p.add_argument("--calendar", metavar="FILE", help="your own days off / working days (YAML)")


def dump_json(data: Any) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2)` and a newline, byte for byte.

    With `indent` the standard library encodes in Python (10 ms for a report); pydantic-core writes the
    same layout in Rust. Its output is used only when both encoders' compact forms (C and Rust, ~1 ms)
    are the same bytes, i.e. every scalar is written alike; otherwise (a float in exponent form, NaN, a
    non-string key…) the standard library's pretty output is returned as before."""
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        same = pydantic_core.to_json(data).decode("utf-8") == compact
    except (ValueError, TypeError, UnicodeDecodeError, pydantic_core.PydanticSerializationError):
        same = False
    if same:
        return pydantic_core.to_json(data, indent=2).decode("utf-8") + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
