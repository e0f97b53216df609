"""Which characters a name or a free text may hold: one check for plans, calendars and rulebooks.

A name is printed into reports, calendars and tables. A control character there (NUL, an ANSI
escape, a bare CR, a line break) or a bidi override can make the output show a line the report did
not mean ("Kết luận: TUÂN THỦ" forged by a host name holding a newline). The check runs on the
parsed string, so a YAML escape (`"\\e"`, `"\\u202e"`) is caught as well as the raw character.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls; U+2028/U+2029 are line breaks too (YAML and many viewers).
_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
# Bidi embeddings, overrides and isolates, and the marks that steer them: they reorder what is shown.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Invisible: a name made of these (and spaces) is blank.
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"

_BAD_IN_NAME = re.compile(f"[{_CONTROLS}{_BIDI}]")
# The same in a free text, less LF: quotes of legal text run over several lines.
_BAD_IN_TEXT = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_INVISIBLE = re.compile(f"[\\s{_ZERO_WIDTH}]+")

_WHAT = {
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\x00": "a NUL character",
    "\x1b": "an escape character",
    "\x85": "a NEL line break",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}


def _describe(ch: str) -> str:
    what = _WHAT.get(ch)
    if what is None:
        what = "a bidi control" if re.match(f"[{_BIDI}]", ch) else "a control character"
    return f"U+{ord(ch):04X} ({what})"


def _clean(value: str, bad: re.Pattern[str], what: str) -> str:
    m = bad.search(value)
    if m is not None:
        raise ValueError(f"character {_describe(m[0])} at position {m.start() + 1} is not allowed in {what}")
    if not _INVISIBLE.sub("", value):
        raise ValueError("must not be blank (spaces and zero-width characters only)")
    return value


def clean_name(value: str) -> str:
    """`value` if it is a one-line name: no control or bidi character, not blank or only invisible
    characters; else ValueError (pydantic names the field and its line). The value is never echoed:
    it may be the very text that would forge output."""
    return _clean(value, _BAD_IN_NAME, "a name")


def clean_text(value: str) -> str:
    """`value` if it is a free text that may run over several lines: line breaks (LF) allowed, every
    other control or bidi character refused, and not blank; else ValueError."""
    return _clean(value, _BAD_IN_TEXT, "a text")


def clean_optional_name(value: str | None) -> str | None:
    return None if value is None else clean_name(value)


def clean_optional_text(value: str | None) -> str | None:
    return None if value is None else clean_text(value)


def clean_names(values: list[str]) -> list[str]:
    for value in values:
        clean_name(value)
    return values
