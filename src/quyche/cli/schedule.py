"""`quyche schedule PLANS...`: check many plans, and the clashes between them."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

from ..calendar import default_calendar
from ..errors import InputError, QuycheError
from ..evaluate import evaluate
from ..loader import load_plan_rulebook, load_rulebook
from ..plan import MeetingPlan, load_plan
from ..report import Finding, Report, iso_local
from ..rulebook import Citation, Rulebook
from ..schedule import Booking, Conflict, bookings, iter_conflicts
from ..yamlio import path_text
from ._common import parse_int, time_or_now

SUFFIXES = (".yaml", ".yml", ".json")
# A meeting without an end is assumed to last this long; a week bounds what a typo can do.
MAX_DURATION = 7 * 24 * 60
_POINTS = "abcdđeghiklmnopqrstuvxy"  # Vietnamese alphabetical order of điểm
# incomplete: no violation, but a past-due step has no record (contract section 5).
_VERDICT_WORDS = {
    "vi": {"compliant": "đạt", "not_compliant": "VI PHẠM", "incomplete": "THIẾU"},
    "en": {"compliant": "ok", "not_compliant": "VIOLATED", "incomplete": "MISSING"},
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "schedule",
        help="check many plans and find room and duty clashes between them",
        description="Room clashes (two meetings in one online room at once) are always looked for; duty "
        "clashes (a support body on duty in two meetings at once) only with --duty-clashes, since the power "
        "company, the telecom and the control centre routinely serve several meetings together.\n"
        "Plans are read and judged one at a time; stderr shows a progress bar when it is a terminal, and "
        "ends with a one-line count of plans by verdict and of clashes.\n\n"
        "Exit 0: every plan compliant and no room clash; 1: a violation, a missing record or a room clash "
        "(a duty clash alone is never a failure); 2: a plan could not be read, or no plan was found.\n\n"
        "Example: quyche schedule plans/ --as-of 2026-12-01 --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("plans", nargs="+", help="plan files or folders of them (.yaml, .yml, .json)")
    p.add_argument("--rulebook", help="bundled id or path for plans that name none")
    p.add_argument("--as-of", help="judge as of this time (2026-12-01, 01/12/2026 08:00, …; default: now)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--default-duration", default="120", metavar="MIN",
                   help=f"length assumed for a meeting without an end (minutes, 1 to {MAX_DURATION}, default 120)")
    p.add_argument("--duty-clashes", action="store_true",
                   help="also report a support body on duty in two meetings at once")
    p.add_argument("--lang", choices=("vi", "en"), default="vi",
                   help="language of the text output, the summary line and the plans' messages")
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


class _Row(NamedTuple):
    """What the output keeps of one plan's report (a Report is 100–250 KiB; this is a few hundred bytes)."""

    plan: str
    rulebook: str
    verdict: str
    violations: tuple[str, ...]
    citations: tuple[str, ...]
    uncited: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {"plan": self.plan, "rulebook": self.rulebook, "compliant": self.verdict == "compliant",
                "verdict": self.verdict, "violations": list(self.violations),
                "citations": list(self.citations), "uncited": list(self.uncited)}


def _row(path: Path, report: Report) -> _Row:
    violations = report.violations
    return _Row(
        str(path), report.rulebook, report.verdict,
        tuple(sorted({f.rule for f in violations})),
        tuple(sys.intern(c) for c in _citations(violations)),
        # Violations about the plan itself rest on no article: their messages say what is wrong.
        tuple(dict.fromkeys(f.message for f in violations if f.citation is None)),
    )


class _Books:
    """Each rulebook loaded once per run. A plan's relative path resolves from its folder, so the key
    is the reference and that folder; failures are not kept (their messages name the plan)."""

    def __init__(self, override: str | None) -> None:
        self.override = override
        self.loaded: dict[tuple[str, str], Rulebook] = {}

    def get(self, plan: MeetingPlan, path: Path) -> Rulebook:
        if self.override:
            key = (self.override, "")
        elif plan.rulebook is not None:
            key = (plan.rulebook, str(path.parent))
        else:
            raise InputError(f"{path}: rulebook: not given; pass --rulebook")
        book = self.loaded.get(key)
        if book is None:
            # contract section 3's path policy for a plan's own reference
            book = load_rulebook(key[0]) if self.override else load_plan_rulebook(key[0], path)
            self.loaded[key] = book
        return book


class _Failed(NamedTuple):
    plan: str
    error: str

    def as_json(self) -> dict[str, object]:
        return {"plan": self.plan, "error": self.error}


def _text_line(row: _Row | _Failed, lang: str) -> str:
    if isinstance(row, _Failed):
        return f"{'ERROR' if lang == 'en' else 'LỖI':<8}{row.error}\n"
    state = _VERDICT_WORDS[lang][row.verdict]
    cited = [*row.citations, *row.uncited]
    return f"{state:<8}{row.plan}" + (f"  {'; '.join(cited)}" if cited else "") + "\n"


def _clash_line(c: Conflict, lang: str) -> str:
    if lang == "en":
        what = "room clash" if c.kind == "room" else "duty clash"
    else:
        what = "trùng phòng" if c.kind == "room" else "trùng phiên trực"
    end = f"{c.overlap_end:%H:%M}"
    if c.overlap_end.date() != c.overlap_start.date():
        end += f" {c.overlap_end:%d/%m/%Y}"
    return f"{what}: {c.label}: {c.first} ↔ {c.second} ({c.overlap_start:%H:%M %d/%m/%Y}–{end})\n"


def _clash_json(c: Conflict) -> dict[str, object]:
    return {"kind": c.kind, "resource": c.resource, "label": c.label, "first": c.first, "second": c.second,
            "overlap": [iso_local(c.overlap_start), iso_local(c.overlap_end)]}


def _json_list(items: Iterable[dict[str, object]]) -> Iterator[str]:
    """A list one key deep in an object, in pieces, byte for byte as json.dumps(..., indent=2) writes it."""
    empty = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield ("[" if empty else ",") + "\n    " + body
        empty = False
    yield "[]" if empty else "\n  ]"


def _many(k: int, one: str, more: str) -> str:
    return f"{k} {one if k == 1 else more}"


def summary(counts: Counter[str], rooms: int, duties: int | None, lang: str) -> str:
    """The closing line on stderr; `duties` None: duty clashes were not looked for."""
    n = sum(counts.values())
    if lang == "en":
        tail = ("duty clashes not looked for (--duty-clashes)" if duties is None
                else _many(duties, "duty clash", "duty clashes"))
        return (f"{_many(n, 'plan', 'plans')}: {counts['compliant']} compliant, "
                f"{counts['not_compliant']} not compliant, {counts['incomplete']} incomplete, "
                f"{counts['error']} unreadable; {_many(rooms, 'room clash', 'room clashes')}, {tail}\n")
    tail = "không xét trùng phiên trực (--duty-clashes)" if duties is None else f"{duties} trùng phiên trực"
    return (f"{n} kế hoạch: {counts['compliant']} đạt, {counts['not_compliant']} vi phạm, "
            f"{counts['incomplete']} thiếu, {counts['error']} không đọc được; {rooms} trùng phòng, {tail}\n")


class _Out:
    """stdout; through tqdm while its bar is on the terminal, so a line never lands inside the bar."""

    def __init__(self, bar: bool) -> None:
        self.bar = bar and sys.stdout.isatty()

    def write(self, text: str) -> None:
        if self.bar:
            from tqdm import tqdm

            tqdm.write(text, file=sys.stdout, end="")
        else:
            sys.stdout.write(text)


def _progress(files: list[tuple[Path, str | None]], show: bool, lang: str) -> Iterable[tuple[Path, str | None]]:
    if not show:
        return files
    from tqdm import tqdm  # only for a terminal: a pipe never pays its import

    unit = " plans" if lang == "en" else " kế hoạch"
    bar: Iterable[tuple[Path, str | None]] = tqdm(files, file=sys.stderr, unit=unit, leave=False,
                                                  dynamic_ncols=True)
    return bar


def run(args: argparse.Namespace) -> int:
    as_of = time_or_now(args.as_of, "--as-of")
    duration = _duration(args.default_duration)
    files = _files(args.plans)
    cal = default_calendar()
    lang: str = args.lang
    books = _Books(args.rulebook)
    stream_text = args.format == "text"
    rows: list[_Row | _Failed] = []  # JSON only: one compact record per plan, in input order
    all_bookings: list[Booking] = []
    counts: Counter[str] = Counter()
    show = sys.stderr.isatty()
    out = _Out(show)
    for path, problem in _progress(files, show, lang):
        row: _Row | _Failed
        if problem is not None:
            row = _Failed(str(path), problem)
        else:
            try:
                plan = load_plan(path)
                report = evaluate(books.get(plan, path), plan, as_of=as_of, calendar=cal, lang=lang)
            except QuycheError as e:
                row = _Failed(str(path), str(e))
            else:
                row = _row(path, report)
                all_bookings += bookings(row.plan, plan, report if args.duty_clashes else None, duration)
                del plan, report  # only the row and the bookings outlive this plan
        counts["error" if isinstance(row, _Failed) else row.verdict] += 1
        if stream_text:
            out.write(_text_line(row, lang))
        else:
            rows.append(row)
    clashes: Counter[str] = Counter()

    def counted(found: Iterator[Conflict]) -> Iterator[Conflict]:
        for c in found:
            clashes[c.kind] += 1
            yield c

    found = counted(iter_conflicts(all_bookings))
    if stream_text:
        for c in found:
            out.write(_clash_line(c, lang))
    else:
        sys.stdout.write('{\n  "plans": ')
        sys.stdout.writelines(_json_list(r.as_json() for r in rows))
        sys.stdout.write(',\n  "conflicts": ')
        sys.stdout.writelines(_json_list(_clash_json(c) for c in found))
        sys.stdout.write("\n}\n")
    sys.stderr.write(summary(counts, clashes["room"], clashes["duty"] if args.duty_clashes else None, lang))
    if counts["error"]:
        return 2
    # incomplete is not compliant either (exit 1, as before); a duty clash alone never fails the run.
    return 1 if counts["not_compliant"] or counts["incomplete"] or clashes["room"] else 0
