"""`quyche readings [ID|PATH]`: every named reading of unclear text, its values, default and articles."""

from __future__ import annotations

import argparse
import sys

from ..loader import BUNDLED_IDS, load_rulebook
from ..readings import SHARED
from ..render.readings_text import readings_table, render_readings
from ..rulebook import Reading, Rulebook
from ._common import dump_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("readings", help="the named readings of unclear text, their values and defaults",
                       description="Example: quyche readings bac_kan --lang en\n"
                       "Choose a value with `quyche check PLAN --reading ID=VALUE`.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("rulebook", nargs="?", help="bundled id or path (default: every bundled rulebook)")
    p.add_argument("--format", choices=("text", "json", "markdown", "table"), default="text",
                   help="table: one markdown row per reading")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    books = [load_rulebook(args.rulebook)] if args.rulebook else [load_rulebook(r) for r in BUNDLED_IDS]
    items: list[tuple[Rulebook | None, Reading]] = [(None, r) for r in SHARED]
    items += [(book, r) for book in books for r in book.readings]
    if args.format == "json":
        rows = []
        for book, r in items:
            row = r.model_dump(mode="json", exclude={"affects"})
            row["rulebook"] = book.id if book else None
            row["rules"] = r.rules
            row["citations"] = [x.citation.label for x in (book.rules if book else []) if x.id in r.rules]
            rows.append(row)
        sys.stdout.write(dump_json({"readings": rows}))
    elif args.format == "table":
        sys.stdout.write(readings_table(items, args.lang))
    else:
        sys.stdout.write(render_readings(items, args.lang, args.format))
    return 0
