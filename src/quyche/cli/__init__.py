"""The `quyche` command. Library errors become exit code 2 and one message here, and only here.

A bad-input error is one line on stderr, `quyche: PLACE: FIELD: words`, in the command's `--lang`
(Vietnamese by default; English for commands without `--lang`, and for errors argparse reports
before the arguments are parsed). `--format json` does not change that: stderr stays one line for a
person, stdout stays empty, and the exit code (2) says it failed; a program wanting the error as data
calls the library, whose QuycheError carries `code`, `place` and `params`.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence

from ..errors import QuycheError
from ..render.errors import error_text


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="quyche",
        description="Quy chế hội nghị truyền hình trực tuyến: cited rulebooks and a checker for meeting plans.",
    )
    parser.add_argument("--version", action="version", version=f"quyche {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from . import check, diff, duties, readings, rulebooks, schedule, schema, status, workdays

    for module in (check, rulebooks, readings, workdays, duties, schedule, schema, diff, status):
        module.register(sub)
    return parser


def _utf8_streams() -> None:
    """Write UTF-8 whatever the locale (D08): under LC_ALL=C or a Latin-1 locale Python picks that
    codec, and the first Vietnamese letter of a report would raise UnicodeEncodeError."""
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8", errors=errors)


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", "en")
    try:
        code: int = args.run(args)
    except QuycheError as e:
        print(f"quyche: {error_text(e, lang)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return code
