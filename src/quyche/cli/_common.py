"""Options and parsing shared by several commands."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from typing import Any

from ..errors import InputError, QuycheError
from ..plan import TZ, to_local


def parse_time(text: str, what: str) -> datetime:
    """An ISO date or date-time; a date alone means its start; no offset means Vietnam time."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), TZ)
        return to_local(datetime.fromisoformat(text))
    except QuycheError as e:
        raise InputError(f"{what}: {e}") from None
    except (ValueError, OverflowError):
        raise InputError(f"{what}: {text!r} is not an ISO date or date-time (e.g. 2026-11-26T08:00)") from None


def now() -> datetime:
    # The only clock read in quyche: the CLI's default for --as-of.
    return datetime.now(TZ)


def add_report_options(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    p.add_argument("--as-of", help="judge as of this time (ISO 8601; default: now)")
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
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
