"""`quyche workdays`: the working-day calendar from the command line (add, before, after, between,
year, is). Every date is printed as DD/MM/YYYY with its weekday, for a secretariat to check by hand."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from ..calendar import Reading, Relation, WorkingCalendar, default_calendar
from ._common import dump_json, parse_int, parse_time, parse_year


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "workdays",
        help="working days of state agencies: add, count, deadlines, days off of a year",
        description="Working days of Vietnamese state agencies (Mon–Fri, less public holidays and "
        "days off, plus swapped working Saturdays). Dates: YYYY-MM-DD or DD/MM/YYYY (a time after "
        "the date is allowed and ignored), years 1901–2099.",
    )
    sub = p.add_subparsers(dest="workdays_command", required=True, metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--calendar", metavar="FILE", help="your own days off / working days (YAML)")
    common.add_argument("--lang", choices=("vi", "en"), default="vi")
    common.add_argument("--format", choices=("text", "json"), default="text")

    def action(
        name: str, help_: str, example: str, run: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        q = sub.add_parser(
            name,
            parents=[common],
            help=help_,
            description=help_,
            epilog=f"Example: {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        q.set_defaults(run=run)
        return q

    q = action(
        "add",
        "the N-th working day after DATE (N < 0: before); DATE itself is not counted",
        "quyche workdays add 2026-11-26 -3",
        _run_add,
    )
    q.add_argument("date")
    q.add_argument("n")
    q = action(
        "before",
        "deadline 'N working days before DATE' (contract §4), with the count day by day",
        "quyche workdays before 26/11/2026 3 --reading strict",
        _run_before,
    )
    q.add_argument("date")
    q.add_argument("n")
    q.add_argument(
        "--reading",
        choices=("default", "strict"),
        default="default",
        help="strict also leaves out the sending day (BLDS 2015 Điều 147): one working day earlier",
    )
    q = action(
        "after",
        "deadline 'within N working days after DATE' (DATE itself not counted)",
        "quyche workdays after 23/11/2026 1",
        _run_after,
    )
    q.add_argument("date")
    q.add_argument("n")
    q = action(
        "between",
        "working days from A to B: A not counted, B counted (--inclusive: both counted)",
        "quyche workdays between 2026-11-23 2026-11-26",
        _run_between,
    )
    q.add_argument("a")
    q.add_argument("b")
    q.add_argument("--inclusive", action="store_true", help="count both ends")
    q = action(
        "year",
        "every weekday off and every weekend worked in YEAR, with names and sources",
        "quyche workdays year 2026",
        _run_year,
    )
    q.add_argument("year")
    q = action("is", "is DATE a working day, and if not, why", "quyche workdays is 24/11/2026", _run_is)
    q.add_argument("date")


def _calendar(args: argparse.Namespace) -> WorkingCalendar:
    return WorkingCalendar.from_file(args.calendar) if args.calendar else default_calendar()


def _parse_date(text: str, what: str = "DATE") -> date:
    """The day of a date or time in the grammar every command shares (cli/_common.py)."""
    return parse_time(text, what).date()


def _n(args: argparse.Namespace) -> int:
    return parse_int(args.n, "N")


def _day(cal: WorkingCalendar, d: date, lang: str) -> str:
    """'20/11/2026 (thứ Sáu)'."""
    return f"{d:%d/%m/%Y} ({cal.day_info(d, lang).weekday})"


def _provisional_note(cal: WorkingCalendar, lang: str) -> str:
    if lang == "vi":
        return f"tạm tính: lịch nghỉ sau năm {cal.last_announced_year} chưa được công bố"
    return f"provisional: days off after {cal.last_announced_year} are not announced yet"


def _emit(args: argparse.Namespace, cal: WorkingCalendar, lines: list[str], data: dict[str, Any]) -> int:
    if args.format == "json":
        print(dump_json(data), end="")
    else:
        if data.get("provisional"):
            lines.append(_provisional_note(cal, args.lang))
        print("\n".join(lines))
    return 0


def _run_add(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    d = _parse_date(args.date)
    n = _n(args)
    result = cal.add_working_days(d, n)
    provisional = cal.is_provisional(max(d, result))
    data = {"date": d.isoformat(), "n": n, "result": result.isoformat(), "provisional": provisional}
    return _emit(args, cal, [_day(cal, result, args.lang)], data)


def _run_before(args: argparse.Namespace) -> int:
    return _run_deadline(args, "before", "strict" if args.reading == "strict" else "default")


def _run_after(args: argparse.Namespace) -> int:
    return _run_deadline(args, "after", "default")


def _run_deadline(args: argparse.Namespace, relation: Relation, reading: Reading) -> int:
    cal = _calendar(args)
    d = _parse_date(args.date)
    n = _n(args)
    deadline = cal.deadline(d, n, "working_days", relation, reading)
    data = {
        "date": d.isoformat(),
        "n": n,
        "relation": relation,
        "reading": reading,
        "due": deadline.at.isoformat(),
        "provisional": deadline.provisional,
        "explanation": deadline.explain(args.lang),
    }
    lines = [_day(cal, deadline.at.date(), args.lang), deadline.explain(args.lang)]
    return _emit(args, cal, lines, data)


def _run_between(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    a, b = _parse_date(args.a, "A"), _parse_date(args.b, "B")
    if args.inclusive:
        n = cal.count_working_days_inclusive(a, b)
        ends = "tính cả hai ngày đầu và cuối" if args.lang == "vi" else "both ends counted"
    else:
        n = cal.count_working_days(a, b)
        ends = (
            f"không tính {a:%d/%m/%Y}, tính {b:%d/%m/%Y}"
            if args.lang == "vi"
            else f"{a:%d/%m/%Y} not counted, {b:%d/%m/%Y} counted"
        )
    unit = "ngày làm việc" if args.lang == "vi" else ("working day" if abs(n) == 1 else "working days")
    span = f"{_day(cal, a, args.lang)} → {_day(cal, b, args.lang)}"
    data = {
        "a": a.isoformat(),
        "b": b.isoformat(),
        "count": n,
        "a_counted": bool(args.inclusive),
        "b_counted": True,
        "provisional": cal.is_provisional(max(a, b)),
    }
    return _emit(args, cal, [f"{n} {unit}: {span} ({ends})"], data)


def _run_year(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    year = parse_year(args.year, "YEAR")
    days = cal.year_days(year, args.lang)
    vi = args.lang == "vi"
    kinds = {
        "day_off": "nghỉ" if vi else "off",
        "working_weekend": "làm việc" if vi else "working",
        "working_day": "làm việc" if vi else "working",
    }
    lines = [f"{_day(cal, x.date, args.lang):<24} {kinds[x.kind]:<9} {x.name}  [{x.source}]" for x in days]
    data = {
        "year": year,
        "provisional": year > cal.last_announced_year,
        "days": [
            {"date": x.date.isoformat(), "kind": x.kind, "name": x.name, "source": x.source} for x in days
        ],
    }
    return _emit(args, cal, lines, data)


def _run_is(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    info = cal.day_info(_parse_date(args.date), args.lang)
    vi = args.lang == "vi"
    if info.working:
        verdict = "ngày làm việc" if vi else "working day"
        if info.name:
            verdict += f" — {info.name}"
    else:
        verdict = f"{'ngày nghỉ' if vi else 'day off'} — {info.reason}"
    if info.source:
        verdict += f" [{info.source}]"
    data = {
        "date": info.date.isoformat(),
        "working": info.working,
        "reason": info.reason,
        "name": info.name,
        "source": info.source,
        "provisional": info.provisional,
    }
    return _emit(args, cal, [f"{_day(cal, info.date, args.lang)}: {verdict}"], data)
