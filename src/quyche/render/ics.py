"""RFC 5545 calendars: one event per deadline of a report, and one per due date of a recurring duty.

Written by hand (the format is small) so that the library needs no calendar package at run time;
the tests parse the output back with `icalendar`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime

from ..plan import to_local
from ..report import Obligation, Report
from ..rulebook import Rulebook
from .report_text import status_word

_VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Ho_Chi_Minh",
    "BEGIN:STANDARD",
    "DTSTART:19750613T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0700",
    "TZNAME:ICT",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace(
        "\n", "\\n"
    )


def fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continuations starting with a space (RFC 5545 3.1)."""
    out: list[str] = []
    current = ""
    limit = 75
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = " " + ch
            limit = 75
        else:
            current += ch
    out.append(current)
    return out


def local_stamp(value: datetime) -> str:
    return to_local(value).strftime("%Y%m%dT%H%M%S")


def calendar(lines: Iterable[str], name: str) -> str:
    body = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//quyche//quy che hoi nghi truyen hinh//VI",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(name)}",
        *_VTIMEZONE,
        *lines,
        "END:VCALENDAR",
    ]
    return "".join(part + "\r\n" for line in body for part in fold(line))


def _uid(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:24] + "@quyche"


def obligation_event(
    o: Obligation, book: Rulebook | None, stamp: datetime, key: str, lang: str = "vi"
) -> list[str]:
    assert o.due is not None
    quote = ""
    if book is not None:
        try:
            quote = book.rule(o.rule).quote
        except KeyError:
            quote = ""
    description = f"{o.action}\n{o.citation.label}\n{o.reason}"
    if quote:
        description += f"\n«{' '.join(quote.split())}»"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_uid(key, o.rule, o.party.id)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"SUMMARY:{escape(f'[{status_word(o.status, lang)}] {o.party.name}: {o.action}')}",
        f"DESCRIPTION:{escape(description)}",
    ]
    if o.not_before is not None and o.not_before < o.due:
        lines.append(f"DTSTART;TZID=Asia/Ho_Chi_Minh:{local_stamp(o.not_before)}")
        lines.append(f"DTEND;TZID=Asia/Ho_Chi_Minh:{local_stamp(o.due)}")
    else:
        # A deadline is an instant: DTSTART alone means the event ends when it starts (RFC 5545 3.6.1).
        lines.append(f"DTSTART;TZID=Asia/Ho_Chi_Minh:{local_stamp(o.due)}")
    lines.append("END:VEVENT")
    return lines


def _utc(value: datetime) -> str:
    return to_local(value).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def report_ics(report: Report, book: Rulebook | None = None, party_role: str | None = None) -> str:
    """Every obligation with a deadline (not the ones that do not apply), optionally of one role."""
    key = f"{report.rulebook}|{report.as_of.isoformat()}"
    lines: list[str] = []
    for o in report.obligations:
        if o.due is None or o.status == "not_applicable":
            continue
        if party_role is not None and party_role not in o.party.roles and party_role != o.party.id:
            continue
        lines += obligation_event(o, book, report.as_of, key, report.lang)
    return calendar(lines, f"quyche {report.rulebook}")


def duty_event(
    uid_key: str, rule: str, summary: str, description: str, day: date, due: date, stamp: datetime
) -> list[str]:
    """One all-day event of a recurring duty on `day`, the last working day on or before the legal due
    date `due` (the description states it; X-QUYCHE-DUE and X-QUYCHE-RULE carry it for machines). One
    event per due date, never a recurrence rule: a rule repeats the day of the month, so later years
    would lose their own working-day shift."""
    return [
        "BEGIN:VEVENT",
        f"UID:{_uid(uid_key)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{date.fromordinal(day.toordinal() + 1).strftime('%Y%m%d')}",
        "TRANSP:TRANSPARENT",
        f"X-QUYCHE-DUE;VALUE=DATE:{due.strftime('%Y%m%d')}",
        f"X-QUYCHE-RULE:{escape(rule)}",
        "END:VEVENT",
    ]
