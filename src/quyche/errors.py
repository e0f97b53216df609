"""The one error hierarchy of quyche: callers catch `QuycheError`, the CLI maps it to exit code 2."""

from __future__ import annotations


class QuycheError(Exception):
    """Base of every error quyche raises on purpose; the message starts with the place."""


class InputError(QuycheError):
    """A file or value given to quyche cannot be read or has the wrong shape."""


class YamlError(InputError):
    """The text is not YAML (or JSON) that quyche accepts: syntax, tags, duplicates, size, aliases."""


class ValidationError(InputError):
    """The data parsed but does not fit the model (a plan, a rulebook, a calendar file)."""


class RulebookError(QuycheError):
    """A rulebook is inconsistent in itself: duplicate rule ids, unknown parties, bad overrides."""


class UnknownRulebookError(RulebookError):
    """Neither a bundled rulebook id nor a readable file."""


class CalendarRangeError(QuycheError):
    """A date lies outside the years the lunar calendar (and so Tết and Giỗ Tổ) is known for."""
