"""quyche: Vietnamese online-meeting regulations as cited rulebooks, and a checker for meeting plans.

    from datetime import datetime
    import quyche
    plan = quyche.load_plan("examples/gia_lai.yaml")        # or quyche.parse_plan(dict_or_yaml_text)
    report = quyche.evaluate("gia_lai", plan, as_of=datetime(2026, 12, 1, 8, 0))
    report.verdict, report.model_dump(mode="json")

Everything quyche raises on purpose is a `QuycheError`, with `code`, `place` and `params`;
`error_text(e, "vi")` says it in Vietnamese.
"""

from __future__ import annotations

from pathlib import Path as _Path
from typing import Any as _Any

from .calendar import WorkingCalendar, default_calendar
from .errors import (
    CalendarRangeError,
    InputError,
    QuycheError,
    RulebookError,
    UnknownRulebookError,
    ValidationError,
    YamlError,
)
from .evaluate import evaluate
from .loader import BUNDLED_IDS, lint, load_rulebook
from .plan import Endpoint, Event, Host, MeetingPlan, load_plan, parse_plan
from .render.errors import error_text
from .report import Finding, Obligation, PartyRef, Report
from .rulebook import Citation, Period, Rule, Rulebook


def _version() -> str:
    from importlib import metadata as _metadata  # 20 ms: only when the version is asked for

    try:
        return _metadata.version("quyche")
    except _metadata.PackageNotFoundError:
        # A source checkout that was never installed: read the version pyproject.toml declares.
        import tomllib

        pyproject = _Path(__file__).resolve().parents[2] / "pyproject.toml"
        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        except (OSError, KeyError, ValueError):
            return "0+unknown"
        return str(project.get("version", "0+unknown")) if project.get("name") == "quyche" else "0+unknown"


def __getattr__(name: str) -> str:
    # `quyche.__version__`, read from the package metadata on first use (not on every import).
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'quyche' has no attribute {name!r}")


def parse_rulebook(data_or_text: _Any, *, source: str = "<rulebook>") -> Rulebook:
    """A rulebook from data (a mapping) or YAML/JSON text; errors are QuycheErrors naming the field
    (and line). Its quotes are not checked against a source text here: `quyche lint` does that."""
    from .plan import document_of
    from .yamlio import load_model

    if isinstance(data_or_text, Rulebook):
        return data_or_text
    return load_model(Rulebook, document_of(data_or_text, source, what="a rulebook"))


__all__ = [
    "BUNDLED_IDS",
    "CalendarRangeError",
    "Citation",
    "Endpoint",
    "Event",
    "Finding",
    "Host",
    "InputError",
    "MeetingPlan",
    "Obligation",
    "PartyRef",
    "Period",
    "QuycheError",
    "Report",
    "Rule",
    "Rulebook",
    "RulebookError",
    "UnknownRulebookError",
    "ValidationError",
    "WorkingCalendar",
    "YamlError",
    "__version__",
    "default_calendar",
    "error_text",
    "evaluate",
    "lint",
    "load_plan",
    "load_rulebook",
    "parse_plan",
    "parse_rulebook",
]
