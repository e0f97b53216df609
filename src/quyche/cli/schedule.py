"""`quyche schedule PLANS...`: check many plans, and the clashes between them."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

from ..calendar import default_calendar
from ..errors import InputError, QuycheError
from ..evaluate import evaluate
from ..loader import load_rulebook
from ..plan import load_plan
from ..schedule import Booking, bookings, conflicts
from ._common import dump_json, now, parse_time


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "schedule",
        help="check many plans and find room and duty clashes between them",
        description="Example: quyche schedule plans/ --as-of 2026-12-01 --format json",
    )
    p.add_argument("plans", nargs="+", help="plan files or folders of them")
    p.add_argument("--rulebook", help="bundled id or path for plans that name none")
    p.add_argument("--as-of")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--default-duration", type=int, default=120, metavar="MIN",
                   help="length assumed for a meeting without an end (minutes, default 120)")
    p.set_defaults(run=run)


def _files(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for a in args:
        p = Path(a)
        if p.is_dir():
            out += sorted(x for x in p.iterdir() if x.suffix in (".yaml", ".yml", ".json"))
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(f"{a}: no such file or folder")
    return out


def run(args: argparse.Namespace) -> int:
    as_of = parse_time(args.as_of, "--as-of") if args.as_of else now()
    duration = timedelta(minutes=args.default_duration)
    cal = default_calendar()
    results: list[dict[str, object]] = []
    all_bookings: list[Booking] = []
    for path in _files(args.plans):
        try:
            plan = load_plan(path)
            ref = args.rulebook or plan.rulebook
            if ref is None:
                raise InputError(f"{path}: rulebook: not given; pass --rulebook")
            report = evaluate(load_rulebook(ref), plan, as_of=as_of, calendar=cal)
        except QuycheError as e:
            results.append({"plan": str(path), "error": str(e)})
            continue
        results.append({"plan": str(path), "rulebook": report.rulebook, "compliant": report.compliant,
                        "violations": sorted({f.rule for f in report.violations})})
        all_bookings += bookings(str(path), plan, report, duration)
    clashes = conflicts(all_bookings)
    bad = any("error" in r or not r["compliant"] for r in results) or any(c.kind == "room" for c in clashes)
    if args.format == "json":
        sys.stdout.write(dump_json({
            "plans": results,
            "conflicts": [
                {"kind": c.kind, "resource": c.resource, "label": c.label, "first": c.first, "second": c.second,
                 "overlap": [c.overlap_start.isoformat(), c.overlap_end.isoformat()]}
                for c in clashes
            ],
        }))
    else:
        for r in results:
            if "error" in r:
                sys.stdout.write(f"LỖI     {r['error']}\n")
            else:
                state = "đạt" if r["compliant"] else "VI PHẠM"
                violations = r["violations"]
                assert isinstance(violations, list)
                sys.stdout.write(f"{state:<8}{r['plan']}  {' '.join(violations)}\n")
        for c in clashes:
            what = "trùng phòng" if c.kind == "room" else "trùng phiên trực"
            sys.stdout.write(f"{what}: {c.label}: {c.first} ↔ {c.second} "
                             f"({c.overlap_start:%H:%M %d/%m/%Y}–{c.overlap_end:%H:%M})\n")
    if any("error" in r for r in results):
        return 2
    return 1 if bad else 0
