"""The `quyche` command. Library errors become exit code 2 and one message here, and only here.

A bad-input error is one line on stderr, `quyche: PLACE: FIELD: words`, in the command's `--lang`
(Vietnamese by default; English for commands without `--lang`, and for errors argparse reports
before the arguments are parsed). `--format json` does not change that: stderr stays one line for a
person, stdout stays empty, and the exit code (2) says it failed; a program wanting the error as data
calls the library, whose QuycheError carries `code`, `place` and `params`.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import sys
from collections.abc import Sequence

from ..errors import QuycheError
from ..render.errors import error_text

# Every command, in the order `quyche --help` lists them: name -> (module that registers it, help).
# Only the chosen command's module is imported (a cold `quyche check` does not pay for diff's HTML or
# the server); the help here must match the module's own `add_parser(help=...)`, which
# `quyche CMD --help` prints.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "check a meeting plan against a rulebook"),
    "plan": ("check", "every party's deadlines for a meeting not yet organised"),
    "rulebooks": ("rulebooks", "list the bundled rulebooks with status and source"),
    "show": ("rulebooks", "a rulebook as a cited table"),
    "lint": ("rulebooks", "validate a rulebook file against its source text and itself"),
    "coverage": ("rulebooks", "each article of the source and the rules citing it"),
    "readings": ("readings", "the named readings of unclear text, their values and defaults"),
    "workdays": ("workdays", "working days of state agencies: add, count, deadlines, days off of a year"),
    "duties": ("duties", "a rulebook's recurring duties (reports, budgets) for a year"),
    "schedule": ("schedule", "check many plans and find room and duty clashes between them"),
    "schema": ("schema", "print the JSON Schema of a plan, a report or a rulebook"),
    "diff": ("diff", "rulebooks side by side, aligned by topic (or two versions of one)"),
    "compare": ("diff", "one meeting plan under several rulebooks, side by side"),
    "status": ("status", "which rulebooks were in force on a date, and who their bodies were"),
    "serve": ("serve", "answer HTTP with the commands' JSON (POST /v1/check, GET /v1/rulebooks, …)"),
}


class _Version(argparse.Action):
    """`--version`, looked up only when asked (the package metadata costs 20 ms to import)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from .. import __version__

        sys.stdout.write(f"quyche {__version__}\n")  # stdout, as argparse's own version action
        parser.exit()


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, with the full subparsers of `command`'s module (None: none); every other command is
    a light entry with its help, enough for `quyche --help` and argparse's list of choices."""
    parser = argparse.ArgumentParser(
        prog="quyche",
        description="Quy chế hội nghị truyền hình trực tuyến: cited rulebooks and a checker for meeting plans.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if command in COMMANDS:
        name = f"{__name__}.{COMMANDS[command][0]}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            parser.error(f"{command}: this command is not available in this installation")
        module.register(sub)
    # Added after the chosen module's, so in table order only when no command was chosen, the one case
    # in which argparse lists them (`quyche --help`, a missing or unknown command).
    for other, (_, help_) in COMMANDS.items():
        if other not in sub.choices:
            sub.add_parser(other, help=help_, add_help=False)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command the arguments name: the first one, as the top level has only -h and --version."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def _utf8_streams() -> None:
    """Write UTF-8 whatever the locale (D08): under LC_ALL=C or a Latin-1 locale Python picks that
    codec, and the first Vietnamese letter of a report would raise UnicodeEncodeError."""
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8", errors=errors)


# A cold `quyche check` allocates a few hundred thousand objects (the imported models, the rulebook, the
# report) and CPython collects its young generation every 700 allocations, finding next to nothing (~4 ms);
# at exit the interpreter's shutdown collections walk every object again (~25 ms). When main() runs as the
# process's command line (argv None: `quyche …`, `python -m quyche …`), young objects are collected every
# 20,000 allocations instead, and everything still alive at the end is frozen (gc.freeze: left out of later
# collections) just before the process exits. atexit handlers (weakref.finalize too) and the flushing of the
# standard streams run as before; only a reference cycle still alive at exit is no longer collected then,
# and quyche keeps no resource in one (its files are closed by `with`). A caller's main([...]) leaves the
# collector as it is.
_GC_THRESHOLD = (20_000, 10, 10)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is not None:
        return _main(list(argv))
    threshold = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLD)
    try:
        return _main(sys.argv[1:])
    finally:
        gc.set_threshold(*threshold)
        gc.freeze()


def _main(argv: list[str]) -> int:
    _utf8_streams()
    parser = build_parser(_command(argv))
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
