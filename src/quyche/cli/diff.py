"""`quyche diff` (rulebooks side by side, or two versions of one) and `quyche compare` (one plan, many)."""

from __future__ import annotations

import argparse
import sys

from pydantic import BaseModel

from ..calendar import WorkingCalendar, default_calendar
from ..compare import compare
from ..diff import align, diff
from ..errors import InputError
from ..loader import BUNDLED_IDS, load_rulebook, resolve
from ..plan import load_plan
from ..readings import parse_choices
from ..render.diff_html import render_html
from ..render.diff_text import render_compare_markdown, render_compare_text, render_markdown, render_text
from ..rulebook import Rulebook
from ..sources import find_source
from ._common import add_report_options, dump_json, time_or_now

_DIFF_HELP = """\
Rulebooks side by side, row by row: the same question (topic, then whom the rule binds and what its
period counts from) in each rulebook, with citation, period, parties and summary, and what differs.
Two rulebooks give the contract's JSON ({"a", "b", "rows"}); three or more (or --all) give a matrix
({"columns", "rows": [{"cells": [...]}]}). Two versions of one rulebook (the same id, or --versions)
also list the rules added, removed and changed, matched by rule id, and show only the rows that differ
(--all-rows shows every row; --changed-only does the same for any rulebooks). JSON always holds every
row (contract section 6). A line of a cell that differs from the rest of its row is marked: "»" in
text, bold in markdown, yellow in HTML; the columns are headed by the place names (the file names for
two versions of one rulebook). Pairs sit in the same rows as in --all.

Examples:
  quyche diff can_tho gia_lai
  quyche diff --all --format html > diff.html
  quyche diff --all my_draft.yaml --topic notice --topic test_run
  quyche diff can_tho my_can_tho.yaml --format markdown
"""

_COMPARE_HELP = """\
One meeting plan judged under several rulebooks: for each party role, what it must do and by when in
each, and whether the plan complies there. The plan's own `rulebook` key is ignored.
Exit 0 when the plan complies under every rulebook, 1 when not under some, 2 on bad input.

Example:
  quyche compare examples/gia_lai.yaml --all --as-of 2026-12-01
  quyche compare plan.yaml can_tho gia_lai --format markdown
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("diff", help="rulebooks side by side, aligned by topic (or two versions of one)",
                       description=_DIFF_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("rulebooks", nargs="*", metavar="RULEBOOK", help="bundled id or path")
    p.add_argument("--all", action="store_true", help="every bundled rulebook (before any given)")
    p.add_argument("--versions", action="store_true",
                   help="two rulebooks are versions of one: also list rules added, removed, changed")
    p.add_argument("--topic", action="append", default=[], metavar="TOPIC", help="only these topics")
    rows = p.add_mutually_exclusive_group()
    rows.add_argument("--changed-only", action="store_true", default=None,
                      help="only the rows that differ (the default for two versions of one rulebook)")
    rows.add_argument("--all-rows", dest="changed_only", action="store_false",
                      help="every row, the same ones too (the default unless two versions are compared)")
    p.add_argument("--format", choices=("text", "json", "markdown", "html"), default="text")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(run=run_diff)

    q = sub.add_parser("compare", help="one meeting plan under several rulebooks, side by side",
                       description=_COMPARE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("plan", help="plan file (YAML or JSON)")
    q.add_argument("rulebooks", nargs="*", metavar="RULEBOOK", help="bundled id or path")
    q.add_argument("--all", action="store_true", help="every bundled rulebook (before any given)")
    add_report_options(q, ("text", "json", "markdown"))
    q.set_defaults(run=run_compare)


def _refs(args: argparse.Namespace, least: int, command: str) -> list[str]:
    refs = [*BUNDLED_IDS, *(r for r in args.rulebooks if r not in BUNDLED_IDS)] if args.all else args.rulebooks
    if len(refs) < least:
        raise InputError(f"{command}: give at least {least} rulebook(s) (bundled ids or paths), or --all")
    return list(refs)


def _check_topics(wanted: list[str], present: set[str]) -> None:
    unknown = [x for x in wanted if x not in present]
    if unknown:
        raise InputError(f"--topic: {', '.join(unknown)} not in these rulebooks (topics: {', '.join(sorted(present))})")


def run_diff(args: argparse.Namespace) -> int:
    refs = _refs(args, 2, "diff")
    if args.versions and len(refs) != 2:
        raise InputError("diff --versions: give exactly two rulebooks, the old version first")
    books = [load_rulebook(r) for r in refs]
    # Aligned with every bundled rulebook present, so a pair sits in the rows it has in --all.
    context = [load_rulebook(r) for r in BUNDLED_IDS]
    files = [str(resolve(r)) if r in BUNDLED_IDS else r for r in refs]
    if len(books) == 2:
        d = diff(books[0], books[1], args.lang, versions=True if args.versions else None, context=context)
        _check_topics(args.topic, {r.topic for r in d.rows})
        if args.topic:
            d = d.model_copy(update={"rows": [r for r in d.rows if r.topic in args.topic]})
        data: BaseModel = d
        matrix, versions = d.matrix(), d.versions
    else:
        matrix, versions = align(books, args.lang, context), None
        _check_topics(args.topic, {r.topic for r in matrix.rows})
        if args.topic:
            matrix = matrix.model_copy(update={"rows": [r for r in matrix.rows if r.topic in args.topic]})
        data = matrix
    changed_only = versions is not None if args.changed_only is None else args.changed_only
    if args.format == "json":
        sys.stdout.write(dump_json(data.model_dump(mode="json")))
    elif args.format == "html":
        sources = [find_source(resolve(r), b.metadata.source) for b, r in zip(books, refs, strict=True)]
        sys.stdout.write(render_html(matrix, books, sources, args.lang, versions, changed_only=changed_only,
                                     files=files))
    else:
        render = render_markdown if args.format == "markdown" else render_text
        sys.stdout.write(render(matrix, args.lang, versions, changed_only=changed_only, files=files))
    return 0


def _calendar(args: argparse.Namespace) -> WorkingCalendar:
    return WorkingCalendar.from_file(args.calendar) if args.calendar else default_calendar()


def run_compare(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    books: list[Rulebook] = [load_rulebook(r) for r in _refs(args, 1, "compare")]
    as_of = time_or_now(args.as_of, "--as-of")
    result = compare(books, plan, as_of=as_of, calendar=_calendar(args), readings=parse_choices(args.reading),
                     lang=args.lang, explain=args.explain)
    if args.format == "json":
        sys.stdout.write(dump_json(result.model_dump(mode="json")))
    elif args.format == "markdown":
        sys.stdout.write(render_compare_markdown(result, args.lang))
    else:
        sys.stdout.write(render_compare_text(result, args.lang))
    return 0 if result.compliant else 1
