"""The `quyche` command. Library errors become exit code 2 and one message here, and only here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import QuycheError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quyche",
        description="Quy chế hội nghị truyền hình trực tuyến: cited rulebooks and a checker for meeting plans.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from . import check, diff, duties, readings, rulebooks, schedule, schema, status, workdays

    for module in (check, rulebooks, readings, workdays, duties, schedule, schema, diff, status):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except QuycheError as e:
        print(f"quyche: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return code
