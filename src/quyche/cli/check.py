"""`quyche check PLAN` and `quyche plan ID START`: a plan's obligations, deadlines and statuses."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..calendar import WorkingCalendar, default_calendar
from ..errors import CalendarRangeError, InputError, QuycheError
from ..evaluate import evaluate
from ..loader import load_plan_rulebook, load_rulebook
from ..plan import Endpoint, Host, MeetingPlan, load_plan, to_local
from ..readings import parse_choices
from ..render.ics import REMIND_HELP, parse_remind, report_ics
from ..render.report_text import render_markdown, render_text
from ..report import Report
from ..rulebook import Rulebook
from ..select import select_party
from ..sensitivity import Sensitivity
from ..vocabulary import HOST_KINDS
from ._common import add_report_options, dump_json, parse_time, time_or_now

FORMATS = ("text", "json", "markdown", "ics")
# CONTRACT.md section 5; bad input is 2 (the CLI's error handler).
EXIT_CODES = {"compliant": 0, "not_compliant": 1, "incomplete": 3}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="check a meeting plan against a rulebook",
        description="Check a meeting plan. Exit 0 compliant, 1 not compliant, 3 incomplete, 2 bad input.\n\n"
        "Example: quyche check examples/gia_lai.yaml --as-of 2026-12-01 --explain",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("plan", help="plan file (YAML or JSON)")
    p.add_argument("--rulebook", help="bundled id or path; overrides the plan's own `rulebook`")
    add_report_options(p, FORMATS)
    _view_options(p)
    p.add_argument("--sensitivity", action="store_true",
                   help="also evaluate under each other value of every reading that affected the report")
    p.set_defaults(run=run_check)

    q = sub.add_parser(
        "plan",
        help="every party's deadlines for a meeting not yet organised",
        description="The checklist an organiser needs on day one.\n\n"
        "Example: quyche plan can_tho 2026-11-26T08:00 --host-kind department",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("rulebook", help="bundled id or path")
    q.add_argument("start", help="meeting start (ISO 8601; no offset = Vietnam time)")
    q.add_argument("--end")
    q.add_argument("--host-name", default="Cơ quan chủ trì")
    q.add_argument("--host-kind", choices=HOST_KINDS, default="department")
    q.add_argument("--no-room", action="store_true", help="the host has no online room of its own")
    q.add_argument("--emergency", action="store_true")
    q.add_argument("--request", action="append", default=[], dest="requests",
                   choices=("recording", "slides", "video", "projector", "speaking"))
    q.add_argument("--endpoint", action="append", default=[], dest="endpoints", metavar="NAME:ROLE:LEVEL",
                   help='an endpoint, e.g. "UBND xã Ia Grai:branch:commune" (repeatable); role main|branch')
    add_report_options(q, FORMATS)
    _view_options(q)
    q.set_defaults(run=run_plan)


def _view_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--party", metavar="ROLE|ID|NAME",
                   help="only this party's duties, in every format: a role (host, branch_endpoint…), a party id "
                   "(`quyche show ID` lists them; endpoint:2) or a body's name")
    p.add_argument("--remind", default="1d@08:00", metavar="WHEN", help=REMIND_HELP)
    p.add_argument("--all", action="store_true", dest="show_all",
                   help="text and markdown: also every standing, contingent and not-applicable duty, body by body")


def _endpoint(text: str) -> Endpoint:
    name, _, rest = text.rpartition(":")
    name, _, role = name.rpartition(":")
    level = rest
    levels = ("central", "province", "district", "commune")
    if not name.strip() or role not in ("main", "branch") or level not in levels:
        raise InputError(f'--endpoint {text!r}: want "NAME:main|branch:central|province|district|commune"')
    return Endpoint.model_validate({"name": name.strip(), "role": role, "level": level})


def _calendar(args: argparse.Namespace) -> WorkingCalendar:
    return WorkingCalendar.from_file(args.calendar) if args.calendar else default_calendar()


def _emit(report: Report, args: argparse.Namespace, book: Rulebook, sens: Sensitivity | None = None) -> None:
    if args.party:
        report = select_party(report, book, args.party)
    if args.format == "ics":
        sys.stdout.write(report_ics(report, book, calendar=_calendar(args), remind=parse_remind(args.remind)))
    elif args.format == "json":
        data = report.model_dump(mode="json")
        if sens is not None:
            data["sensitivity"] = sens.model_dump(mode="json")
        sys.stdout.write(dump_json(data))
    else:
        render = render_markdown if args.format == "markdown" else render_text
        sys.stdout.write(render(report, explain=args.explain, book=book, calendar=args.calendar,
                                show_all=args.show_all))
        if sens is not None:
            from ..render.readings_text import render_sensitivity

            sys.stdout.write("\n" + render_sensitivity(sens, report.lang, args.format))


def _warn_day_off(plan: MeetingPlan, cal: WorkingCalendar, lang: str) -> None:
    """A meeting on a day off is lawful but usually a typo: say so on stderr, with the day's name."""
    day = to_local(plan.start).date()
    try:
        why = cal.day_off_reason(day, lang)
    except QuycheError:
        return  # outside the calendar's years: the evaluation reports it
    if why is not None:
        text = (f"quyche: note: the meeting day {day:%d/%m/%Y} is a day off ({why})" if lang == "en"
                else f"quyche: lưu ý: ngày họp {day:%d/%m/%Y} là ngày nghỉ ({why})")
        print(text, file=sys.stderr)


def run_check(args: argparse.Namespace) -> int:
    as_of = time_or_now(args.as_of, "--as-of")  # options first: a bad one is named before any file is read
    plan = load_plan(args.plan)
    if args.rulebook:
        book = load_rulebook(args.rulebook)  # a person's explicit choice: any regular file
    elif plan.rulebook is not None:
        book = load_plan_rulebook(plan.rulebook, Path(args.plan))  # contract section 3's path policy
    else:
        raise InputError(f"{args.plan}: rulebook: not given in the plan; pass --rulebook ID")
    cal = _calendar(args)
    _warn_day_off(plan, cal, args.lang)
    kw = {"calendar": cal, "readings": parse_choices(args.reading), "lang": args.lang,
          "explain": args.explain}
    try:
        if getattr(args, "sensitivity", False):
            from ..sensitivity import sensitivity

            report, sens = sensitivity(book, plan, as_of=as_of, **kw)
            _emit(report, args, book, sens)
            return EXIT_CODES[report.verdict]
        report = evaluate(book, plan, as_of=as_of, **kw)
    except CalendarRangeError as e:
        raise CalendarRangeError(f"{args.plan}: {e}", code=e.code, place=e.place, params=e.params) from None
    _emit(report, args, book)
    return EXIT_CODES[report.verdict]


def run_plan(args: argparse.Namespace) -> int:
    book = load_rulebook(args.rulebook)
    plan = MeetingPlan(
        rulebook=args.rulebook,
        host=Host(name=args.host_name, kind=args.host_kind, has_online_room=not args.no_room),
        start=parse_time(args.start, "START", require_time=True),
        end=parse_time(args.end, "--end") if args.end else None,
        emergency=args.emergency,
        requests=args.requests,
        endpoints=[_endpoint(e) for e in args.endpoints] or None,
    )
    as_of = time_or_now(args.as_of, "--as-of")
    cal = _calendar(args)
    _warn_day_off(plan, cal, args.lang)
    report = evaluate(book, plan, as_of=as_of, calendar=cal, readings=parse_choices(args.reading),
                      lang=args.lang, explain=args.explain)
    _emit(report, args, book)
    return EXIT_CODES[report.verdict]
