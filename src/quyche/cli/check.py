"""`quyche check PLAN…` and `quyche plan ID START`: a plan's obligations, deadlines and statuses.

Several plans (files, folders of plans, `-` for standard input) are checked in input order, in a
process pool with `--jobs N`; each plan's output is built whole in its worker, so the bytes do not
depend on N. A plan that cannot be read is one stderr line and does not stop the others.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..calendar import WorkingCalendar, default_calendar
from ..errors import CalendarRangeError, InputError, QuycheError
from ..evaluate import evaluate
from ..loader import load_plan_rulebook, load_rulebook
from ..plan import Endpoint, Host, MeetingPlan, load_plan, plan_from_data, to_local
from ..readings import parse_choices
from ..render.errors import error_body, error_text
from ..render.remind import REMIND_HELP, parse_remind
from ..report import Report
from ..rulebook import Rulebook
from ..vocabulary import HOST_KINDS
from ..yamlio import read_stream
from ._common import add_report_options, dump_json, parse_int, parse_time, time_or_now

if TYPE_CHECKING:  # imported where used: a cold `check --format json` needs neither the text renderer nor these
    from ..sensitivity import Sensitivity

FORMATS = ("text", "json", "markdown", "ics")
CHECK_FORMATS = (*FORMATS, "jsonl")
# CONTRACT.md section 5; bad input is 2 (the CLI's error handler).
EXIT_CODES = {"compliant": 0, "not_compliant": 1, "incomplete": 3}
# Several plans: the worst code wins (section 5: 2 over 1 over 3 over 0).
_WORST = (2, 1, 3, 0)
PLAN_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="check a meeting plan against a rulebook",
        description="Check a meeting plan. Exit 0 compliant, 1 not compliant, 3 incomplete, 2 bad input.\n\n"
        "Example: quyche check examples/gia_lai.yaml --as-of 2026-12-01 --explain",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("plans", nargs="+", metavar="PLAN",
                   help="plan file (YAML or JSON), a folder of them (.yaml, .yml, .json, sorted), or - for "
                   "standard input; several plans: exit code the worst (2 over 1 over 3 over 0)")
    p.add_argument("--rulebook", help="bundled id or path; overrides the plan's own `rulebook`")
    add_report_options(p, CHECK_FORMATS)
    p.add_argument("--jobs", default="1", metavar="N",
                   help="check plans in N processes (default 1); the output is the same for any N")
    _view_options(p)
    p.add_argument("--sensitivity", action="store_true",
                   help="also evaluate under each other value of every reading that affected the report")
    p.set_defaults(run=run_check)
    p.epilog = ("Several plans: --format jsonl writes one report per line in input order (a plan that "
                'cannot be read: {"plan": PATH, "error": {...}}); text and markdown head each report with '
                '"==> PATH <=="; json takes one plan.')

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


def _render(report: Report, args: argparse.Namespace, book: Rulebook, cal: WorkingCalendar,
            sens: Sensitivity | None = None) -> str:
    if args.party:
        from ..select import select_party

        report = select_party(report, book, args.party)
    if args.format == "ics":
        from ..render.ics import report_ics  # icalendar only for ics

        return report_ics(report, book, calendar=cal, remind=parse_remind(args.remind))
    if args.format in ("json", "jsonl"):
        data = report.model_dump(mode="json")
        if sens is not None:
            data["sensitivity"] = sens.model_dump(mode="json")
        if args.format == "jsonl":
            return json.dumps(data, ensure_ascii=False) + "\n"
        return dump_json(data)
    from ..render.report_text import render_markdown, render_text

    render = render_markdown if args.format == "markdown" else render_text
    out = render(report, explain=args.explain, book=book, calendar=args.calendar, show_all=args.show_all)
    if sens is not None:
        from ..render.readings_text import render_sensitivity

        out += "\n" + render_sensitivity(sens, report.lang, args.format)
    return out


def _emit(report: Report, args: argparse.Namespace, book: Rulebook, cal: WorkingCalendar) -> None:
    sys.stdout.write(_render(report, args, book, cal))


def _day_off_note(plan: MeetingPlan, cal: WorkingCalendar, lang: str) -> str | None:
    """A meeting on a day off is lawful but usually a typo: the line saying so, with the day's name."""
    day = to_local(plan.start).date()
    try:
        why = cal.day_off_reason(day, lang)
    except QuycheError:
        return None  # outside the calendar's years: the evaluation reports it
    if why is None:
        return None
    return (f"quyche: note: the meeting day {day:%d/%m/%Y} is a day off ({why})" if lang == "en"
            else f"quyche: lưu ý: ngày họp {day:%d/%m/%Y} là ngày nghỉ ({why})")


def _warn_day_off(plan: MeetingPlan, cal: WorkingCalendar, lang: str) -> None:
    note = _day_off_note(plan, cal, lang)
    if note is not None:
        print(note, file=sys.stderr)


@dataclass(frozen=True)
class _Input:
    """One plan to check: its name as given, and its data when it came from standard input."""

    name: str
    data: Any = None


@dataclass(frozen=True)
class _Shared:
    """What every plan of one run uses, read once: `--calendar FILE` and `--rulebook PATH` (None: each
    worker of a process pool reads them itself, rather than receiving them pickled with every plan)."""

    calendar: WorkingCalendar | None = None
    rulebook: Rulebook | None = None

    @classmethod
    def read(cls, args: argparse.Namespace) -> _Shared:
        return cls(_calendar(args), load_rulebook(args.rulebook) if args.rulebook else None)


@dataclass(frozen=True)
class _Result:
    out: str
    notes: tuple[str, ...]
    code: int
    error: dict[str, Any] | None = None  # error_body of a plan that could not be checked


def _check_one(item: _Input, args: argparse.Namespace, as_of: Any,
               shared: _Shared = _Shared()) -> tuple[str, list[str], int]:
    """One plan's whole output, its stderr notes and exit code (QuycheError when it cannot be checked)."""
    if item.name == STDIN:
        plan, plan_path = plan_from_data(item.data, "<stdin>"), None
    else:
        plan, plan_path = load_plan(item.name), Path(item.name)
    if args.rulebook:
        book = shared.rulebook or load_rulebook(args.rulebook)  # a person's explicit choice: any regular file
    elif plan.rulebook is not None:
        book = load_plan_rulebook(plan.rulebook, plan_path)  # contract section 3's path policy
    else:
        shown = "<stdin>" if plan_path is None else item.name
        raise InputError(f"{shown}: rulebook: not given in the plan; pass --rulebook ID")
    cal = shared.calendar or _calendar(args)
    note = _day_off_note(plan, cal, args.lang)
    kw = {"calendar": cal, "readings": parse_choices(args.reading), "lang": args.lang,
          "explain": args.explain}
    try:
        if getattr(args, "sensitivity", False):
            from ..sensitivity import sensitivity

            report, sens = sensitivity(book, plan, as_of=as_of, **kw)
            return _render(report, args, book, cal, sens), [note] if note else [], EXIT_CODES[report.verdict]
        report = evaluate(book, plan, as_of=as_of, **kw)
    except CalendarRangeError as e:
        raise CalendarRangeError(f"{item.name}: {e}", code=e.code, place=e.place, params=e.params) from None
    return _render(report, args, book, cal), [note] if note else [], EXIT_CODES[report.verdict]


_Job = tuple[_Input, argparse.Namespace, Any, _Shared]


def _batch_one(job: _Job) -> _Result:
    """A plan of a batch: never raises a QuycheError, so one bad plan does not stop the others."""
    item, args, as_of, shared = job
    try:
        if isinstance(item.data, QuycheError):  # standard input that did not parse
            raise item.data
        out, notes, code = _check_one(item, args, as_of, shared)
    except QuycheError as e:
        line = f"quyche: {error_text(e, args.lang)}"
        return _Result("", (line,), 2, error_body(e, args.lang)["error"])
    return _Result(out, tuple(notes), code)


def _expand(names: list[str]) -> list[str]:
    """Plan names in input order, a folder replaced by its plan files (sorted, subfolders included)."""
    out: list[str] = []
    for name in names:
        path = Path(name)
        if name != STDIN and path.is_dir():
            out += sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in PLAN_SUFFIXES and p.is_file())
        else:
            out.append(name)
    return out


def _inputs(names: list[str]) -> list[_Input]:
    if names.count(STDIN) > 1:
        raise InputError("-: standard input can be given once")
    items = []
    for name in _expand(names):
        if name == STDIN:
            try:
                # Parsed here, in the parent: workers share no standard input.
                items.append(_Input(STDIN, read_stream(sys.stdin, "<stdin>").data))
            except QuycheError as e:
                items.append(_Input(STDIN, e))
        else:
            items.append(_Input(name))
    return items


def _header(name: str) -> str:
    return f"==> {'<stdin>' if name == STDIN else name} <==\n"


def _results(items: list[_Input], args: argparse.Namespace, as_of: Any, jobs: int) -> Iterator[_Result]:
    if jobs == 1 or len(items) < 2:
        shared = _Shared.read(args)
        yield from (_batch_one((item, args, as_of, shared)) for item in items)
        return
    work = [(item, args, as_of, _Shared()) for item in items]
    from ..loader import BUNDLED_IDS

    for rid in BUNDLED_IDS:
        load_rulebook(rid)  # parsed once here (cached), inherited by forked workers, not once per worker
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(items))) as pool:
        # map keeps input order; a small chunk keeps the progress bar moving.
        yield from pool.map(_batch_one, work, chunksize=max(1, min(16, len(items) // (jobs * 8))))


def _worst(codes: list[int]) -> int:
    return next((c for c in _WORST if c in codes), 0)


def run_check(args: argparse.Namespace) -> int:
    as_of = time_or_now(args.as_of, "--as-of")  # options first: a bad one is named before any file is read
    jobs = parse_int(args.jobs, "--jobs")
    if jobs < 1:
        raise InputError(f"--jobs: {jobs}: want 1 or more processes")
    parse_choices(args.reading)  # a bad --reading is one error, not one per plan
    names = _expand(args.plans)
    if len(names) == 1 and args.format != "jsonl":
        item = _inputs(names)[0]
        if isinstance(item.data, QuycheError):
            raise item.data
        out, notes, code = _check_one(item, args, as_of)
        for note in notes:
            print(note, file=sys.stderr)
        sys.stdout.write(out)
        return code
    if args.format == "json":
        raise InputError("--format json: takes one plan; for several plans use --format jsonl "
                         "(one report a line)")
    if not names:
        raise InputError(f"{', '.join(args.plans)}: no plan files (.yaml, .yml, .json) found")
    items = _inputs(names)
    codes = []
    bar = None
    if len(items) > 1 and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(items), file=sys.stderr, unit="plan", leave=False)
    first = True
    for item, result in zip(items, _results(items, args, as_of, jobs), strict=True):
        for note in result.notes:
            if bar is not None:
                bar.write(note, file=sys.stderr)
            else:
                print(note, file=sys.stderr)
        if args.format == "jsonl":
            if result.error is not None:
                shown = "<stdin>" if item.name == STDIN else item.name
                result = _Result(json.dumps({"plan": shown, "error": result.error}, ensure_ascii=False) + "\n",
                                 result.notes, result.code)
        elif args.format in ("text", "markdown") and result.error is None:
            result = _Result(("" if first else "\n") + _header(item.name) + result.out,
                             result.notes, result.code)
            first = False
        sys.stdout.write(result.out)
        codes.append(result.code)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return _worst(codes)


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
    _emit(report, args, book, cal)
    return EXIT_CODES[report.verdict]
