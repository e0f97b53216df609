"""`quyche rulebooks`, `show`, `lint` and `coverage`: the rulebooks themselves."""

from __future__ import annotations

import argparse
import sys

from ..coverage import coverage
from ..errors import InputError
from ..loader import BUNDLED_IDS, lint, load_rulebook, resolve
from ..render.rulebook_text import render_coverage, render_show
from ..sources import find_source
from ._common import dump_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rulebooks", help="list the bundled rulebooks with status and source")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run_list)

    p = sub.add_parser("show", help="a rulebook as a cited table",
                       description="Example: quyche show gia_lai --format markdown")
    p.add_argument("rulebook", help="bundled id or path")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--reading", action="append", default=[], metavar="ID=VALUE",
                   help="show the rules as a reading's value encodes them (repeatable)")
    p.set_defaults(run=run_show)

    p = sub.add_parser("lint", help="validate a rulebook file against its source text and itself",
                       description="Every problem on stdout, one a line, as FILE:LINE:COL: error|warning: RULE: "
                                   "message. Errors: exit 2, and one stderr line with the count and the first "
                                   "error. Warnings alone: exit 0. Example: quyche lint my_province.yaml")
    p.add_argument("path")
    p.set_defaults(run=run_lint)

    p = sub.add_parser("coverage", help="each article of the source and the rules citing it",
                       description="Example: quyche coverage can_tho --format markdown")
    p.add_argument("rulebook", nargs="?", help="bundled id or path (default: all bundled)")
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.set_defaults(run=run_coverage)


def run_list(args: argparse.Namespace) -> int:
    rows = []
    for rid in BUNDLED_IDS:
        m = load_rulebook(rid).metadata
        rows.append({"id": rid, "decision_number": m.decision_number, "issuer": m.issuer,
                     "signed": m.signed.isoformat() if m.signed else None, "status": m.status,
                     "rules": len(load_rulebook(rid).rules), "source": m.source})
    if args.format == "json":
        sys.stdout.write(dump_json(rows))
        return 0
    for r in rows:
        sys.stdout.write(f"{r['id']:<10} {r['status']:<9} {r['rules']:>3} rules  "
                         f"{r['decision_number'] or '(số để trống)'} — {r['issuer']}  ({r['source']})\n")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from ..readings import apply_readings, parse_choices, resolve_choices

    book = load_rulebook(args.rulebook)
    book = apply_readings(book, resolve_choices(book.readings, parse_choices(args.reading)))
    if args.format == "json":
        sys.stdout.write(dump_json(book.model_dump(mode="json", exclude_defaults=True)))
    else:
        sys.stdout.write(render_show(book, args.format, args.lang))
    return 0


def run_lint(args: argparse.Namespace) -> int:
    book, problems = lint(args.path)
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    # The list is the command's output (stdout, for a pager or a file); stderr keeps to one line.
    for p in problems:
        print(p)
    if errors:
        sys.stdout.flush()
        raise InputError(f"{args.path}: {len(errors)} error(s), {warnings} warning(s), all listed on stdout; "
                         f"the first: {_one_line(str(errors[0]))}")
    tail = f"; {warnings} warning(s)" if warnings else ""
    print(f"{args.path}: {len(book.rules)} rules, every citation and quote found in its source{tail}")
    return 0


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_coverage(args: argparse.Namespace) -> int:
    for ref in [args.rulebook] if args.rulebook else list(BUNDLED_IDS):
        path = resolve(ref)
        book = load_rulebook(ref)
        source = find_source(path, book.metadata.source)
        if source is None:
            raise InputError(f"{path}: source {book.metadata.source!r} not found")
        sys.stdout.write(render_coverage(book.id, coverage(book, source), args.format))
    return 0
