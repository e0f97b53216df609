"""`quyche duties ID --year Y`: the rulebook's periodic obligations for a year."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import date, datetime

from ..calendar import TZ, WorkingCalendar, default_calendar
from ..duties import Duty, duties
from ..loader import load_rulebook
from ..render.ics import calendar, recurring_event
from ._common import dump_json

_UNITS = {"vi": {"months": "tháng", "years": "năm"}, "en": {"months": "months", "years": "years"}}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("duties", help="a rulebook's recurring duties (reports, budgets) for a year",
                       description="Example: quyche duties gia_lai --year 2027 --format ics > duties.ics")
    p.add_argument("rulebook", help="bundled id or path")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--format", choices=("text", "json", "ics"), default="text")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--calendar", metavar="FILE", help="your own days off / working days (YAML)")
    p.set_defaults(run=run)


def _text(d: Duty, lang: str) -> str:
    every = f"{d.every} {_UNITS[lang][d.unit]}"
    head = f"{d.citation.label:<24} {d.rule}  [{', '.join(d.binds)} → {', '.join(d.recipients) or '—'}]"
    when = ("mỗi " if lang == "vi" else "every ") + every
    if d.due_dates:
        dates = ", ".join(
            f"{x:%d/%m/%Y}" + (f" (ngày làm việc cuối: {w:%d/%m})" if w != x else "")
            for x, w in zip(d.due_dates, d.last_working_days, strict=True)
        )
        when += ("; hạn " if lang == "vi" else "; due ") + dates
    else:
        when += "; văn bản không ấn định ngày" if lang == "vi" else "; the text fixes no date"
    if d.on_request:
        when += "; hoặc đột xuất khi có yêu cầu" if lang == "vi" else "; or on request"
    return f"{head}\n{'':<24} {d.summary}\n{'':<24} {when}\n"


def run(args: argparse.Namespace) -> int:
    book = load_rulebook(args.rulebook)
    cal: WorkingCalendar = WorkingCalendar.from_file(args.calendar) if args.calendar else default_calendar()
    found = duties(book, args.year, cal, args.lang)
    if args.format == "json":
        rows = []
        for d in found:
            row = asdict(d)
            row["citation"] = d.citation.model_dump(mode="json")
            row["due_dates"] = [x.isoformat() for x in d.due_dates]
            row["last_working_days"] = [x.isoformat() for x in d.last_working_days]
            rows.append(row)
        sys.stdout.write(dump_json({"rulebook": book.id, "year": args.year, "duties": rows}))
    elif args.format == "ics":
        stamp = datetime(args.year, 1, 1, tzinfo=TZ)
        lines: list[str] = []
        for d in found:
            first = d.due_dates[0] if d.due_dates else date(args.year, 1, 1)
            lines += recurring_event(f"{book.id}|{d.rule}|{args.year}", f"{d.citation.label}: {d.summary}",
                                     f"{d.rule}; {', '.join(d.binds)}", first, d.rrule, stamp)
        sys.stdout.write(calendar(lines, f"quyche {book.id} {args.year}"))
    else:
        sys.stdout.write("".join(_text(d, args.lang) for d in found) or "(không có nghĩa vụ định kỳ)\n")
    return 0
