"""quyche: Vietnamese online-meeting regulations as cited rulebooks, and a checker for meeting plans.

    from quyche import load_rulebook, load_plan, evaluate
    report = evaluate(load_rulebook("gia_lai"), load_plan("examples/gia_lai.yaml"), as_of=...)
"""

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
from .plan import Endpoint, Event, Host, MeetingPlan, load_plan
from .report import Finding, Obligation, PartyRef, Report
from .rulebook import Citation, Period, Rule, Rulebook

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
    "default_calendar",
    "evaluate",
    "lint",
    "load_plan",
    "load_rulebook",
]
