"""The one error hierarchy of quyche: callers catch `QuycheError`, the CLI maps it to exit code 2.

An error carries data besides its English message (`str(e)`, which starts with the place):
- `code`: a stable snake_case id of what went wrong (`unknown_key`, `plan_too_large`), or None;
- `place`: where, as `file:line:col` when a line is known, else a field path (`endpoints[2].technicians`);
- `params`: the values the message is made of (`field`, `got`, `choices`…), JSON-ready.
`quyche.render.errors.error_text(e, lang)` words it in Vietnamese or English; an HTTP API sends
`{"error": {"code", "message", "place"}}` from the same fields. (`params`, not `args`: an exception's
`args` is the tuple its constructor received, which pickling and `repr` rely on.)
"""

from __future__ import annotations

from typing import Any


class QuycheError(Exception):
    """Base of every error quyche raises on purpose; the message starts with the place."""

    def __init__(
        self, message: str = "", *, code: str | None = None, place: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.place = place
        self.params: dict[str, Any] = dict(params or {})

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only data survives pickling (multiprocessing hands errors between processes).
        return (_rebuild, (type(self), str(self), self.code, self.place, self.params))


def _rebuild(cls: type[QuycheError], message: str, code: str | None, place: str | None,
             params: dict[str, Any]) -> QuycheError:
    return cls(message, code=code, place=place, params=params)


class InputError(QuycheError):
    """A file or value given to quyche cannot be read or has the wrong shape."""


class YamlError(InputError):
    """The text is not YAML (or JSON) that quyche accepts: syntax, tags, duplicates, size, aliases."""


class ValidationError(InputError):
    """The data parsed but does not fit the model (a plan, a rulebook, a calendar file).

    `code`, `place` and `params` describe the first problem; `params["also"]` lists the next ones
    (each a mapping of `code`, `place`, `message`, `params`) and `params["more"]` counts the rest.
    """


class RulebookError(QuycheError):
    """A rulebook is inconsistent in itself: duplicate rule ids, unknown parties, bad overrides."""


class UnknownRulebookError(RulebookError):
    """Neither a bundled rulebook id nor a readable file."""


class CalendarRangeError(QuycheError):
    """A date lies outside the years the lunar calendar (and so Tết and Giỗ Tổ) is known for."""
