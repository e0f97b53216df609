"""Many meetings at once: what no single plan shows.

Two meetings booked into the same online room at overlapping times (Bắc Kạn Điều 6.2 and Gia Lai
Điều 9.3 ask hosts to register precisely to avoid this), and a support body on duty in two meetings at
once. One sort per resource, then a sweep that keeps the bookings still running: O(n log n + pairs).
Bookings are small tuples and clashes are yielded one at a time, so a caller that streams its plans
keeps only these, never a Report.
"""

from __future__ import annotations

import heapq
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from .plan import MeetingPlan
from .report import Report

DEFAULT_DURATION = timedelta(hours=2)
# Zero-width space, non-joiner, joiner, word joiner, BOM: invisible, so never part of a name.
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


class Booking(NamedTuple):
    """One resource held by one meeting: a tuple, since 100,000 plans make 300,000 of them."""

    meeting: str  # the plan's name (its file, or an index)
    resource: str  # "room:<key>" or "duty:<rulebook>:<body key>"
    label: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str  # "room" | "duty"
    resource: str
    label: str
    first: str  # the meeting that starts first (ties: the shorter, then by name)
    second: str
    overlap_start: datetime
    overlap_end: datetime


def resource_key(name: str) -> str:
    """One key however a name is typed: NFC or NFD, zero-width characters, case, runs of spaces."""
    text = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", name))
    # casefold can decompose (ǰ → j + U+030C): normalise again after it.
    return " ".join(unicodedata.normalize("NFC", text.casefold()).split())


def bookings(name: str, plan: MeetingPlan, report: Report | None, duration: timedelta) -> list[Booking]:
    """The rooms a meeting occupies (each endpoint; the host's own room) and the bodies it keeps on duty."""
    start = plan.start
    end = plan.end or start + duration
    rooms: dict[str, str] = {}
    for e in plan.endpoints or []:
        rooms.setdefault(resource_key(e.name), e.name)
    if not plan.endpoints and plan.host.has_online_room:
        rooms.setdefault(resource_key(plan.host.name), plan.host.name)
    # Interned: the same few hundred room keys recur in every plan of a year.
    out = [Booking(name, sys.intern(f"room:{k}"), label, start, end) for k, label in rooms.items()]
    if report is not None:
        bodies: dict[str, str] = {}
        for o in report.obligations:
            pid = o.party.id
            if (o.topic == "on_duty" and o.status != "not_applicable" and pid != "host"
                    and not pid.startswith("endpoint:") and pid not in o.party.roles):
                bodies.setdefault(resource_key(pid), o.party.name)
        out += [Booking(name, sys.intern(f"duty:{report.rulebook}:{k}"), label, start, end)
                for k, label in bodies.items()]
    return out


def conflicts(all_bookings: Iterable[Booking]) -> list[Conflict]:
    """Every pair of bookings of one resource that overlap in time, from different meetings (a list)."""
    return list(iter_conflicts(all_bookings))


def iter_conflicts(all_bookings: Iterable[Booking]) -> Iterator[Conflict]:
    """Every pair of bookings of one resource that overlap in time, from different meetings.

    Per resource, bookings are taken in order of start; a heap of the ones still running (by end)
    drops those that ended. Everything left overlaps the new booking, so each step costs its pairs.
    With A 08–12, B 09–11 and C 10–10:30 in one room: A–B, A–C and B–C.
    """
    by_resource: dict[str, list[Booking]] = defaultdict(list)
    for b in all_bookings:
        by_resource[b.resource].append(b)
    for resource in sorted(by_resource):
        kind = "room" if resource.startswith("room:") else "duty"
        for a, b in _overlapping(by_resource[resource]):
            yield Conflict(kind, resource, b.label, a.meeting, b.meeting, b.start, min(a.end, b.end))


def _overlapping(items: list[Booking]) -> Iterator[tuple[Booking, Booking]]:
    running: list[tuple[datetime, int, Booking]] = []  # (end, order, booking): a heap by end
    ordered = sorted(items, key=lambda b: (b.start, b.end, b.meeting))
    for k, b in enumerate(ordered):
        while running and running[0][0] <= b.start:
            heapq.heappop(running)
        # Each running booking started no later than b and ends after b starts; b must not be empty.
        if b.end > b.start:
            for _, _, a in sorted(running, key=lambda x: x[1]):
                if a.meeting != b.meeting:
                    yield a, b
            heapq.heappush(running, (b.end, k, b))
