"""iCalendar (RFC 5545) files, written with the `icalendar` library: one event per dated step of a
report, and one per due date of a recurring duty (cli/duties.py).

Each event has a short title ("Hạn đăng ký lịch họp — Điều 8 khoản 1"), a description in words (who,
what, by when, the status and why, the citation and the quote) and reminders (VALARM; by default the
working day before the due date at 08:00, `--remind` changes or drops them). Nothing reads the clock:
DTSTAMP is the report's `as_of`, UIDs are hashes of what the event is.

A deadline that ends a day (23:59:59) is an all-day event on that day; a window counted in days is
an all-day event over its days; exact times (hours, minutes, the meeting itself) are timed events in
Asia/Ho_Chi_Minh, with the VTIMEZONE the library builds. X-QUYCHE-DUE carries the exact deadline and
X-QUYCHE-RULE the rule for programs; no calendar shows them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import icalendar

from ..calendar import TZ, WorkingCalendar, default_calendar
from ..plan import to_local
from ..report import Obligation, Report
from ..rulebook import Rule, Rulebook
from . import messages as m
from .remind import DEFAULT_REMIND, REMIND_HELP, Reminder, parse_remind
from .report_text import row_status

__all__ = [
    "DEFAULT_REMIND",
    "REMIND_HELP",
    "Reminder",
    "build_calendar",
    "duty_event",
    "one_line",
    "parse_remind",
    "report_ics",
    "step_title",
]

_PRODID = "-//quyche//quy che hoi nghi truyen hinh//VI"
_END_OF_DAY = time(23, 59, 59)


# --- text ------------------------------------------------------------------------------------------

# Control characters (C0, DEL, C1: NUL, CR, ESC…), line and paragraph separators, bidi controls, and
# lone surrogates (which UTF-8 cannot encode): none belongs in one line of a calendar.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def one_line(text: str) -> str:
    """`text` as one line a calendar can hold: every unsafe character a space, runs of spaces one.
    The library escapes the rest (`\\`, `;`, `,`); line breaks are only the ones this module puts."""
    return " ".join(_UNSAFE.sub(" ", unicodedata.normalize("NFC", text)).split())


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _stamp(value: datetime) -> str:
    return f"{to_local(value):%H:%M %d/%m/%Y}"


# Reminders live in render/remind.py (the CLI parses --remind without importing icalendar).



# --- titles ----------------------------------------------------------------------------------------


def step_title(kind: str, topic: str, rule: Rule | None, lang: str) -> str:
    """What kind of step it is, in words: "Hạn đăng ký lịch họp", "Deadline: test the system",
    "Trực kỹ thuật suốt cuộc họp". No id: an unknown topic gets the general words."""
    if kind == "during":
        return _pick(m.DURING_TITLES.get(topic, m.DURING_TITLE_OTHER), lang)
    return _pick(m.DEADLINE_TITLE, lang).format(step=_pick(_step(topic, rule), lang))


def _step(topic: str, rule: Rule | None) -> tuple[str, str]:
    if rule is not None:
        # A notice the text calls a registration is titled as one (the text's own word).
        if topic == "notice" and "đăng ký" in unicodedata.normalize("NFC", rule.quote).casefold():
            return m.REGISTRATION_TITLE
        # A step only one kind of act discharges is named after that act (notifying the power company).
        events = {c.event for c in rule.satisfied_by or ()}
        if len(events) == 1 and (event := events.pop()) in m.EVENT_STEP_TITLES:
            return m.EVENT_STEP_TITLES[event]
    return m.STEP_TITLES.get(topic, m.STEP_TITLE_OTHER)


# --- events ----------------------------------------------------------------------------------------


def _uid(*parts: str) -> str:
    # surrogatepass: a lone surrogate in a name must not stop the calendar (one_line drops it elsewhere).
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32] + "@quyche"


def _utc(value: datetime) -> datetime:
    try:
        return to_local(value).astimezone(UTC)
    except OverflowError:  # 0001-01-01 local time is before year 1 in UTC: the earliest stamp there is
        return datetime.min.replace(tzinfo=UTC)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ)


@dataclass(frozen=True)
class _Span:
    """Where an event sits: all-day dates (end exclusive) or aware times; `window`: it runs up to the
    deadline (a reminder counts from its end), else it is the deadline."""

    start: date | datetime
    end: date | datetime | None
    window: bool


def _span(not_before: datetime | None, due: datetime, kind: str) -> _Span:
    """Whole days when the step is counted in days; a timed slot when it must happen between two
    times of one day (a test run from 10:00 to 13:00) or during the meeting; else the deadline alone
    (a window opened by an earlier act, days before, is said in the description)."""
    due = to_local(due)
    opens = to_local(not_before) if not_before is not None and not_before < due else None
    day_end = due.time() == _END_OF_DAY
    if opens is not None and day_end and opens.time() == time(0):
        return _Span(opens.date(), due.date() + timedelta(days=1), True)
    if opens is not None and (kind == "during" or (opens.date() == due.date() and opens.time() != time(0))):
        return _Span(opens, due, True)
    if day_end:
        return _Span(due.date(), due.date() + timedelta(days=1), False)
    return _Span(due, None, False)  # an instant: DTSTART alone ends where it starts (RFC 5545 3.6.1)


def _as_time(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else _midnight(value)


def _event(
    *, uid: str, stamp: datetime, summary: str, description: str, span: _Span, deadline: datetime,
    busy: bool, rule: str, remind: Iterable[Reminder], calendar: WorkingCalendar, due: date | datetime,
) -> icalendar.Event:
    """`deadline`: the instant reminders count from; `due`: X-QUYCHE-DUE, for programs."""
    e = icalendar.Event()
    e.add("uid", uid)
    e.add("dtstamp", _utc(stamp))
    e.add("summary", summary)
    e.add("description", description)
    e.add("dtstart", span.start)
    if span.end is not None:
        e.add("dtend", span.end)
    e.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    for alarm_at in dict.fromkeys(r.when(deadline, calendar) for r in remind):
        a = icalendar.Alarm()
        a.add("action", "DISPLAY")
        a.add("description", summary)
        # Relative triggers: the form calendar programs read most widely.
        if span.window:
            assert span.end is not None
            a.add("trigger", alarm_at - _as_time(span.end), parameters={"RELATED": "END"})
        else:
            a.add("trigger", alarm_at - _as_time(span.start))
        e.add_component(a)
    if isinstance(due, datetime):
        # UTC: a parser reads an X- property's TZID parameter as nothing.
        e.add("x-quyche-due", _utc(due), parameters={"VALUE": "DATE-TIME"})
    else:
        e.add("x-quyche-due", due)
    e.add("x-quyche-rule", rule)
    return e


def build_calendar(events: list[icalendar.Event], name: str, lang: str, first: date, last: date) -> str:
    """The VCALENDAR text (CRLF, folded by the library), with an Asia/Ho_Chi_Minh VTIMEZONE covering
    `first`..`last` (always present: a calendar must hold one component, even with no event)."""
    cal = icalendar.Calendar()
    cal.add("prodid", _PRODID if lang != "en" else _PRODID[:-2] + "EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", one_line(name))
    cal.add("x-wr-calname", one_line(name))
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    cal.add_component(icalendar.Timezone.from_tzinfo(TZ, "Asia/Ho_Chi_Minh", first_date=first,
                                                     last_date=last + timedelta(days=1)))
    for e in events:
        cal.add_component(e)
    text: bytes = cal.to_ical()
    return text.decode("utf-8")


def _label(key: str, lang: str) -> str:
    return _pick(m.ICS_LABELS[key], lang)


def _source(o: Obligation, book: Rulebook | None) -> str:
    if book is None:
        return o.citation.label
    meta = book.metadata
    decision = f" ({meta.decision_number})" if meta.decision_number else ""
    return f"{o.citation.label} — {meta.title}{decision}"


def _rule(book: Rulebook | None, rid: str) -> Rule | None:
    if book is None:
        return None
    try:
        return book.rule(rid)
    except KeyError:
        return None


def _reason(o: Obligation, lang: str) -> str:
    if o.reason_code in m.REASON_CODES:
        return m.reason_text(o.reason_code, o.reason_args, lang)
    return o.reason


def _description(o: Obligation, report: Report, rule: Rule | None, book: Rulebook | None) -> str:
    lang = report.lang
    assert o.due is not None
    if o.not_before is not None and o.not_before < o.due:
        when = f"{_label('window', lang)}: {_stamp(o.not_before)} {_label('to', lang)} {_stamp(o.due)}"
    else:
        when = f"{_label('due', lang)}: {_stamp(o.due)}"
    notes = [_label(k, lang) for k, on in (("provisional", o.provisional), ("estimated", o.estimated)) if on]
    when += "".join(f" ({n})" for n in notes)
    lines = [
        f"{_label('party', lang)}: {o.party.name}",
        f"{_label('action', lang)}: {o.action}",
        when,
        f"{_label('status', lang)}: {row_status(o, report.as_of, lang)} — {_reason(o, lang)}",
    ]
    if o.explanation:
        lines.append(f"{_label('counting', lang)}: {o.explanation}")
    lines.append(f"{_label('citation', lang)}: {_source(o, book)}")
    if rule is not None:
        lines.append(f"«{rule.quote}»")
    return "\n".join(one_line(line) for line in lines)


def report_ics(
    report: Report, book: Rulebook | None = None, *, calendar: WorkingCalendar | None = None,
    remind: Iterable[Reminder] = DEFAULT_REMIND,
) -> str:
    """Every obligation of `report` with a deadline (not the ones that do not apply) as an event; the
    caller filters by party beforehand. `calendar` places the working-day reminders (default: the
    national calendar); `remind` is `parse_remind`'s result (`()`: no alarm)."""
    cal = calendar if calendar is not None else default_calendar()
    remind = tuple(remind)
    lang = report.lang
    dated = [o for o in report.obligations if o.due is not None and o.status != "not_applicable"]
    titles = []
    for o in dated:
        rule = _rule(book, o.rule)
        titles.append(f"{step_title(o.kind, o.topic, rule, lang)} — {o.citation.label}")
    # The same step of several bodies (each endpoint's test run): the title names the body.
    bodies: dict[str, set[str]] = {}
    for o, title in zip(dated, titles, strict=True):
        bodies.setdefault(title, set()).add(o.party.name)
    meeting = report.meeting
    key = (report.rulebook, meeting.start.isoformat(), meeting.host, meeting.title or "")
    seen: Counter[tuple[str, str]] = Counter()
    events = []
    for o, title in zip(dated, titles, strict=True):
        assert o.due is not None
        seen[(o.rule, o.party.id)] += 1
        summary = one_line(f"{title} ({o.party.name})" if len(bodies[title]) > 1 else title)
        events.append(_event(
            uid=_uid(*key, o.rule, o.party.id, str(seen[(o.rule, o.party.id)])),
            stamp=report.as_of, summary=summary,
            description=_description(o, report, _rule(book, o.rule), book),
            span=_span(o.not_before, o.due, o.kind), deadline=o.due, busy=o.kind == "during", rule=o.rule,
            remind=remind, calendar=cal, due=o.due,
        ))
    days = [to_local(report.as_of).date()] + [to_local(t).date() for o in dated for t in (o.not_before, o.due)
                                              if t is not None]
    name = f"{meeting.title or meeting.host} ({_stamp(meeting.start)})"
    first = min(days)
    return build_calendar(events, name, lang, first - timedelta(days=1) if first > date.min else first, max(days))


def duty_event(
    *, uid_key: str, rule: str, summary: str, description: str, day: date, due: date, stamp: datetime,
    remind: Iterable[Reminder], calendar: WorkingCalendar,
) -> icalendar.Event:
    """One all-day event of a recurring duty on `day`, the last working day on or before its legal due
    date `due` (the description states it; X-QUYCHE-DUE carries it). One event per due date, never a
    recurrence rule: a rule repeats the day of the month, so later years would lose their own
    working-day shift. Reminders count from the end of `day`, the last moment to send on time."""
    deadline = datetime.combine(day, _END_OF_DAY, tzinfo=TZ)
    return _event(
        uid=_uid(uid_key), stamp=stamp, summary=one_line(summary),
        description="\n".join(one_line(line) for line in description.split("\n")),
        span=_Span(day, day + timedelta(days=1), False), deadline=deadline, busy=False, rule=rule,
        remind=remind, calendar=calendar, due=due,
    )
