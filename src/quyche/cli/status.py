"""`quyche status [ID] [--on DATE]`: what was in force on a date and who its bodies were."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from ..currency import status_on
from ..institutions import registry_for
from ..loader import BUNDLED_IDS, load_rulebook
from ._common import dump_json, time_or_now


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("status", help="which rulebooks were in force on a date, and who their bodies were",
                       description="Example: quyche status bac_kan --on 2026-01-15")
    p.add_argument("rulebook", nargs="?", help="bundled id or path (default: every bundled rulebook)")
    p.add_argument("--on", help="the date (2026-01-15 or 15/01/2026; default: today)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    on = time_or_now(args.on, "--on").date()
    refs = [args.rulebook] if args.rulebook else list(BUNDLED_IDS)
    books = [load_rulebook(r) for r in refs]
    found = [status_on(book, registry_for(book), on, args.lang) for book in books]
    if args.format == "json":
        rows = []
        for s in found:
            row = asdict(s)
            row["on"] = s.on.isoformat()
            rows.append(row)
        sys.stdout.write(dump_json(rows))
        return 0
    for s in found:
        sys.stdout.write(f"{s.rulebook:<10} {s.on:%d/%m/%Y}  {s.force:<18} {s.reason[:70]}\n")
        for b in (s.issuer, *s.bodies):
            if b.changes:
                now_name = b.current or "(đã chấm dứt hoạt động)"
                sys.stdout.write(f"  {b.written} → {now_name}\n")
                for c in b.changes:
                    sys.stdout.write(f"      {c}\n")
            else:
                sys.stdout.write(f"  {b.written}\n")
    return 0
