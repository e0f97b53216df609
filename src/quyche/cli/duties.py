"""`quyche duties ID --year Y`: the rulebook's periodic obligations for a year.

Text and JSON list every duty with a cadence and its due dates in `--year` (and `--years - 1` years
after it). The ics calendar covers ICS_YEARS years unless `--years` says otherwise: one all-day event
per due date, on the last working day on or before it, the description giving the legal due date; no
recurrence rule, so each year keeps its own working-day shift. Duties whose text fixes no day of the
year are undated: listed in text and JSON, never put in a calendar (no 01/01 placeholder).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import date, datetime

from ..calendar import TZ, WorkingCalendar, default_calendar
from ..duties import Duty, duties
from ..errors import InputError
from ..loader import load_rulebook
from ..parties import role_name
from ..render import messages
from ..render.ics import REMIND_HELP, build_calendar, duty_event, parse_remind, step_title
from ..rulebook import Rulebook
from ._common import dump_json

# A calendar is imported once: by default it holds the year asked and the five after it.
ICS_YEARS = 6
_UNITS = {"vi": {"months": "tháng", "years": "năm"}, "en": {"months": "months", "years": "years"}}
_BOUNDS = {
    "vi": {"before": "trước ngày", "on_or_before": "chậm nhất ngày"},
    "en": {"before": "before", "on_or_before": "on or before"},
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("duties", help="a rulebook's recurring duties (reports, budgets) for a year",
                       description="Example: quyche duties gia_lai --year 2027 --format ics > duties.ics")
    p.add_argument("rulebook", help="bundled id or path")
    p.add_argument("--year", type=int, required=True, help="the first year")
    p.add_argument("--years", type=int, metavar="N",
                   help=f"how many years from --year (default: 1, and {ICS_YEARS} for ics)")
    p.add_argument("--format", choices=("text", "json", "ics"), default="text",
                   help="ics: one event per due date, on the last working day on or before it; undated "
                   "duties are left out")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--calendar", metavar="FILE", help="your own days off / working days (YAML)")
    p.add_argument("--reading", action="append", default=[], metavar="ID=VALUE",
                   help="date the duties as a reading's value encodes them (repeatable; `quyche readings`)")
    p.add_argument("--remind", default="1d@08:00", metavar="WHEN", help=REMIND_HELP)
    p.set_defaults(run=run)


def _check_years(year: int, years: int, cal: WorkingCalendar) -> None:
    """--year and --years inside the calendar's years (a due date is placed on its working days)."""
    span = f"{cal.first_year}–{cal.last_year}"
    if not cal.first_year <= year <= cal.last_year:
        raise InputError(f"--year {year}: the working-day calendar covers the years {span} only",
                         code="year_out_of_range", place="--year",
                         params={"got": year, "first": cal.first_year, "last": cal.last_year})
    if years < 1:
        raise InputError(f"--years {years}: want at least 1", code="years_too_few", place="--years",
                         params={"got": years})
    if year + years - 1 > cal.last_year:
        raise InputError(f"--years {years}: {year}–{year + years - 1} goes beyond the years the working-day "
                         f"calendar covers ({span}); at most {cal.last_year - year + 1} from {year}",
                         code="year_out_of_range", place="--years",
                         params={"got": years, "first": cal.first_year, "last": cal.last_year})


def _names(book: Rulebook, refs: tuple[str, ...], lang: str) -> str:
    """The bodies a rule's references name (a body id, or every body holding a role), else the role
    in words: never an id."""
    out: list[str] = []
    for ref in refs:
        named = [b.name for b in book.parties if b.id == ref] or [b.name for b in book.parties if ref in b.roles]
        out += named or [role_name(ref, lang)]
    return ", ".join(dict.fromkeys(out)) or "—"


def _parties(d: Duty, book: Rulebook, lang: str) -> str:
    text = _names(book, d.binds, lang)
    if d.recipients:
        text += f" → {_names(book, d.recipients, lang)}"
    return text


def _days(d: Duty, lang: str) -> str:
    """What the text fixes: "trước ngày 15/06, 15/12" / "on or before 31/12"."""
    assert d.bound is not None
    days = ", ".join(f"{x[3:]}/{x[:2]}" for x in d.days)
    return f"{_BOUNDS[lang][d.bound]} {days}"


def _when(d: Duty, span: str, lang: str) -> str:
    vi = lang == "vi"
    when = ("mỗi " if vi else "every ") + f"{d.every} {_UNITS[lang][d.unit]}"
    if d.first_year is not None:
        when += f" từ năm {d.first_year}" if vi else f" from {d.first_year}"
    if d.due_dates:
        dates = ", ".join(
            f"{x:%d/%m/%Y}"
            + (f" (ngày làm việc cuối: {w:%d/%m})" if vi else f" (last working day: {w:%d/%m})") * (w != x)
            + (" (tạm tính)" if vi else " (provisional)") * p
            for x, w, p in zip(d.due_dates, d.last_working_days, d.provisional, strict=True)
        )
        when += f"; {_days(d, lang)}: " + ("hạn " if vi else "due ") + dates
    elif d.dated:
        when += f"; {_days(d, lang)}; " + (f"không đến hạn trong năm {span}" if vi else f"not due in {span}")
    else:
        when += "; văn bản không ấn định ngày" if vi else "; the text fixes no date"
    if d.on_request:
        when += "; hoặc đột xuất khi có yêu cầu" if vi else "; or on request"
    return when


def _text(d: Duty, span: str, book: Rulebook, lang: str) -> str:
    head = f"{d.citation.label:<24} {_parties(d, book, lang)}"
    return f"{head}\n{'':<24} {d.summary}\n{'':<24} {_when(d, span, lang)}\n"


def _description(d: Duty, due: date, last: date, provisional: bool, book: Rulebook, cal: WorkingCalendar,
                 lang: str) -> str:
    vi = lang == "vi"
    lines = [f"{d.citation.label}: {d.summary}"]
    lines.append((f"Hạn theo văn bản: hết ngày {due:%d/%m/%Y}" if vi else f"Legal due date: end of {due:%d/%m/%Y}")
                 + f" ({_days(d, lang)})")
    if last != due:
        reason = cal.day_off_reason(due, lang) or ""
        lines.append(f"Ngày làm việc cuối cùng đến hạn: {last:%d/%m/%Y} ({due:%d/%m}: {reason})" if vi
                     else f"Last working day on or before it: {last:%d/%m/%Y} ({due:%d/%m}: {reason})")
    if provisional:
        lines.append(f"Lịch nghỉ năm {due.year} chưa công bố chính thức: ngày tạm tính" if vi
                     else f"The days off of {due.year} are not officially announced yet: provisional")
    label = {k: v[0] if vi else v[1] for k, v in messages.ICS_LABELS.items()}
    who = f"{label['party']}: {_names(book, d.binds, lang)}"
    if d.recipients:
        who += f"; {label['recipients'].lower()}: {_names(book, d.recipients, lang)}"
    lines.append(who + (("; hoặc đột xuất khi có yêu cầu" if vi else "; or on request") if d.on_request else ""))
    lines.append(f"{label['citation']}: {d.citation.label} — {book.metadata.title}"
                 + (f" ({book.metadata.decision_number})" if book.metadata.decision_number else ""))
    lines.append(f"«{book.rule(d.rule).quote}»")
    return "\n".join(lines)


def _ics(found: list[Duty], book: Rulebook, cal: WorkingCalendar, args: argparse.Namespace, years: int,
         span: str) -> str:
    remind = parse_remind(args.remind)
    stamp = datetime(args.year, 1, 1, tzinfo=TZ)
    events = []
    for d in found:  # undated duties have no due dates: they stay out of the calendar
        title = f"{step_title('deadline', d.topic, book.rule(d.rule), args.lang)} — {d.citation.label}"
        for due, last, provisional in zip(d.due_dates, d.last_working_days, d.provisional, strict=True):
            events.append(duty_event(
                uid_key=f"{book.id}|{d.rule}|{due.isoformat()}", rule=d.rule, summary=title,
                description=_description(d, due, last, provisional, book, cal, args.lang), day=last,
                due=due, stamp=stamp, remind=remind, calendar=cal,
            ))
    words = messages.ICS_LABELS["duties"]
    name = f"{words[1] if args.lang == 'en' else words[0]} {span} — {book.metadata.title}"
    return build_calendar(events, name, args.lang, date(args.year, 1, 1), date(args.year + years - 1, 12, 31))


def run(args: argparse.Namespace) -> int:
    from ..readings import apply_readings, parse_choices, resolve_choices

    if args.format == "ics":
        parse_remind(args.remind)  # bad input fails before any work
    book = load_rulebook(args.rulebook)
    book = apply_readings(book, resolve_choices(book.readings, parse_choices(args.reading)))
    cal: WorkingCalendar = WorkingCalendar.from_file(args.calendar) if args.calendar else default_calendar()
    years: int = args.years if args.years is not None else ICS_YEARS if args.format == "ics" else 1
    if args.years is None and args.format == "ics":
        years = max(1, min(years, cal.last_year - args.year + 1))  # the default span stops at the calendar's end
    _check_years(args.year, years, cal)
    found = duties(book, args.year, cal, args.lang, years)
    span = f"{args.year}" if years == 1 else f"{args.year}–{args.year + years - 1}"
    if args.format == "json":
        rows = []
        for d in found:
            row = asdict(d)
            row["citation"] = d.citation.model_dump(mode="json")
            row["dated"] = d.dated
            row["due_dates"] = [x.isoformat() for x in d.due_dates]
            row["last_working_days"] = [x.isoformat() for x in d.last_working_days]
            row["provisional"] = list(d.provisional)
            rows.append(row)
        sys.stdout.write(dump_json({"rulebook": book.id, "year": args.year,
                                    "years": list(range(args.year, args.year + years)), "duties": rows}))
    elif args.format == "ics":
        sys.stdout.write(_ics(found, book, cal, args, years, span))
    else:
        text = "".join(_text(d, span, book, args.lang) for d in found)
        sys.stdout.write(text or ("(không có nghĩa vụ định kỳ)\n" if args.lang == "vi" else "(no recurring duties)\n"))
    return 0
