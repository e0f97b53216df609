"""`quyche schedule PLANS...`: check many plans, and the clashes between them."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from datetime import timedelta
from pathlib import Path

from ..calendar import default_calendar
from ..errors import InputError, QuycheError
from ..evaluate import evaluate
from ..loader import load_plan_rulebook, load_rulebook
from ..plan import load_plan
from ..report import Finding, Report, iso_local
from ..rulebook import Citation
from ..schedule import Booking, bookings, conflicts
from ..yamlio import path_text
from ._common import dump_json, parse_int, time_or_now

SUFFIXES = (".yaml", ".yml", ".json")
# A meeting without an end is assumed to last this long; a week bounds what a typo can do.
MAX_DURATION = 7 * 24 * 60
_POINTS = "abcdđeghiklmnopqrstuvxy"  # Vietnamese alphabetical order of điểm
# incomplete: no violation, but a past-due step has no record (contract section 5).
_VERDICT_WORDS = {"compliant": "đạt", "not_compliant": "VI PHẠM", "incomplete": "THIẾU"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "schedule",
        help="check many plans and find room and duty clashes between them",
        description="Exit 0: every plan compliant and no room clash; 1: a violation or a room clash; "
        "2: a plan could not be read, or no plan was found.\n\n"
        "Example: quyche schedule plans/ --as-of 2026-12-01 --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("plans", nargs="+", help="plan files or folders of them (.yaml, .yml, .json)")
    p.add_argument("--rulebook", help="bundled id or path for plans that name none")
    p.add_argument("--as-of", help="judge as of this time (2026-12-01, 01/12/2026 08:00, …; default: now)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--default-duration", default="120", metavar="MIN",
                   help=f"length assumed for a meeting without an end (minutes, 1 to {MAX_DURATION}, default 120)")
    p.set_defaults(run=run)


def _files(args: list[str]) -> list[tuple[Path, str | None]]:
    """Each plan file with the reason it cannot be read (None: it can). Only regular files are opened
    later: a FIFO or a device named like a plan would block or never end."""
    out: list[tuple[Path, str | None]] = []
    empty: list[str] = []
    for a in args:
        p = Path(a)
        try:
            is_dir = p.is_dir()
            present = is_dir or p.exists() or p.is_symlink()
        except (OSError, ValueError):  # a name too long for the file system, or one holding a NUL
            raise InputError(f"{path_text(a)}: not a file or folder name this system can open") from None
        if is_dir:
            try:
                found = sorted(x for x in p.iterdir() if x.suffix in SUFFIXES)
            except OSError as e:
                out.append((p, f"{a}: the folder cannot be read ({e.strerror or 'error'})"))
                continue
            if not found:
                empty.append(a)
            out += [(x, _unreadable(x)) for x in found]
        elif present:
            out.append((p, _unreadable(p)))
        else:
            raise InputError(f"{a}: no such file or folder")
    if not out:
        raise InputError(f"{', '.join(empty)}: no plan files ({', '.join(SUFFIXES)}) in this folder")
    for a in empty:
        sys.stderr.write(f"quyche: {a}: no plan files ({', '.join(SUFFIXES)}) in this folder\n")
    return out


def _unreadable(path: Path) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        return f"{path}: cannot be read ({e.strerror or 'error'})"
    if not stat.S_ISREG(mode):
        return f"{path}: not a regular file (a folder, FIFO or device), not read"
    return None


def _duration(text: str) -> timedelta:
    minutes = parse_int(text, "--default-duration")
    if not 1 <= minutes <= MAX_DURATION:
        raise InputError(f"--default-duration: {minutes}: want whole minutes from 1 to {MAX_DURATION} (7 days)")
    return timedelta(minutes=minutes)


def _order(c: Citation) -> tuple[int, int, int, int, int]:
    point = _POINTS.find(c.point) if c.point else -1
    return (c.part == "decision", c.article, c.occurrence, c.clause or 0, point)


def _citations(violations: list[Finding]) -> list[str]:
    """The articles the violations rest on, in the text's order ("Điều 9 khoản 3", …)."""
    cited = sorted({f.citation for f in violations if f.citation is not None}, key=_order)
    return list(dict.fromkeys(c.label for c in cited))


def _result(path: Path, report: Report) -> dict[str, object]:
    violations = report.violations
    return {
        "plan": str(path),
        "rulebook": report.rulebook,
        "compliant": report.compliant,
        "verdict": report.verdict,
        "violations": sorted({f.rule for f in violations}),
        "citations": _citations(violations),
        # Violations about the plan itself rest on no article: their messages say what is wrong.
        "uncited": list(dict.fromkeys(f.message for f in violations if f.citation is None)),
    }


def run(args: argparse.Namespace) -> int:
    as_of = time_or_now(args.as_of, "--as-of")
    duration = _duration(args.default_duration)
    files = _files(args.plans)
    cal = default_calendar()
    results: list[dict[str, object]] = []
    all_bookings: list[Booking] = []
    for path, problem in files:
        if problem is not None:
            results.append({"plan": str(path), "error": problem})
            continue
        try:
            plan = load_plan(path)
            if args.rulebook:
                book = load_rulebook(args.rulebook)
            elif plan.rulebook is not None:
                book = load_plan_rulebook(plan.rulebook, path)  # contract section 3's path policy
            else:
                raise InputError(f"{path}: rulebook: not given; pass --rulebook")
            report = evaluate(book, plan, as_of=as_of, calendar=cal)
        except QuycheError as e:
            results.append({"plan": str(path), "error": str(e)})
            continue
        results.append(_result(path, report))
        all_bookings += bookings(str(path), plan, report, duration)
    clashes = conflicts(all_bookings)
    bad = any("error" in r or not r["compliant"] for r in results) or any(c.kind == "room" for c in clashes)
    if args.format == "json":
        sys.stdout.write(dump_json({
            "plans": results,
            "conflicts": [
                {"kind": c.kind, "resource": c.resource, "label": c.label, "first": c.first, "second": c.second,
                 "overlap": [iso_local(c.overlap_start), iso_local(c.overlap_end)]}
                for c in clashes
            ],
        }))
    else:
        for r in results:
            if "error" in r:
                sys.stdout.write(f"LỖI     {r['error']}\n")
                continue
            state = _VERDICT_WORDS[str(r["verdict"])]
            cited = [*_strings(r["citations"]), *_strings(r["uncited"])]
            sys.stdout.write(f"{state:<8}{r['plan']}" + (f"  {'; '.join(cited)}" if cited else "") + "\n")
        for c in clashes:
            what = "trùng phòng" if c.kind == "room" else "trùng phiên trực"
            end = f"{c.overlap_end:%H:%M}"
            if c.overlap_end.date() != c.overlap_start.date():
                end += f" {c.overlap_end:%d/%m/%Y}"
            sys.stdout.write(f"{what}: {c.label}: {c.first} ↔ {c.second} ({c.overlap_start:%H:%M %d/%m/%Y}–{end})\n")
    if any("error" in r for r in results):
        return 2
    return 1 if bad else 0


def _strings(value: object) -> list[str]:
    assert isinstance(value, list)
    return [str(x) for x in value]
