"""`quyche check PLAN` and `quyche plan ID START`: a plan's obligations, deadlines and statuses."""

from __future__ import annotations

import argparse
import sys

from ..calendar import WorkingCalendar, default_calendar
from ..errors import CalendarRangeError
from ..evaluate import evaluate
from ..loader import load_rulebook
from ..plan import Endpoint, Host, MeetingPlan, load_plan
from ..readings import parse_choices
from ..render.ics import report_ics
from ..render.report_text import render_markdown, render_text
from ..report import Report
from ..rulebook import Rulebook
from ..sensitivity import Sensitivity
from ..vocabulary import HOST_KINDS
from ._common import add_report_options, dump_json, now, parse_time

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
    p.add_argument("--party", metavar="ROLE", help="ics only: the deadlines of one role or party id")
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
    q.add_argument("--party", metavar="ROLE", help="ics only: the deadlines of one role or party id")
    q.set_defaults(run=run_plan)


def _endpoint(text: str) -> Endpoint:
    from ..errors import InputError

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
    if args.format == "ics":
        sys.stdout.write(report_ics(report, book, args.party))
    elif args.format == "json":
        data = report.model_dump(mode="json")
        if sens is not None:
            data["sensitivity"] = sens.model_dump(mode="json")
        sys.stdout.write(dump_json(data))
    else:
        render = render_markdown if args.format == "markdown" else render_text
        sys.stdout.write(render(report, explain=args.explain))
        if sens is not None:
            from ..render.readings_text import render_sensitivity

            sys.stdout.write("\n" + render_sensitivity(sens, report.lang, args.format))


def run_check(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    ref = args.rulebook or plan.rulebook
    if ref is None:
        from ..errors import InputError

        raise InputError(f"{args.plan}: rulebook: not given in the plan; pass --rulebook ID")
    book = load_rulebook(ref)
    as_of = parse_time(args.as_of, "--as-of") if args.as_of else now()
    kw = {"calendar": _calendar(args), "readings": parse_choices(args.reading), "lang": args.lang,
          "explain": args.explain}
    try:
        if getattr(args, "sensitivity", False):
            from ..sensitivity import sensitivity

            report, sens = sensitivity(book, plan, as_of=as_of, **kw)
            _emit(report, args, book, sens)
            return EXIT_CODES[report.verdict]
        report = evaluate(book, plan, as_of=as_of, **kw)
    except CalendarRangeError as e:
        raise CalendarRangeError(f"{args.plan}: {e}") from None
    _emit(report, args, book)
    return EXIT_CODES[report.verdict]


def run_plan(args: argparse.Namespace) -> int:
    book = load_rulebook(args.rulebook)
    plan = MeetingPlan(
        rulebook=args.rulebook,
        host=Host(name=args.host_name, kind=args.host_kind, has_online_room=not args.no_room),
        start=parse_time(args.start, "START"),
        end=parse_time(args.end, "--end") if args.end else None,
        emergency=args.emergency,
        requests=args.requests,
        endpoints=[_endpoint(e) for e in args.endpoints] or None,
    )
    as_of = parse_time(args.as_of, "--as-of") if args.as_of else now()
    report = evaluate(book, plan, as_of=as_of, calendar=_calendar(args), readings=parse_choices(args.reading),
                      lang=args.lang, explain=args.explain)
    _emit(report, args, book)
    return EXIT_CODES[report.verdict]
