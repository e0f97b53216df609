"""Many meetings at once: what no single plan shows.

Two meetings booked into the same online room at overlapping times (Bắc Kạn Điều 6.2 and Gia Lai
Điều 9.3 ask hosts to register precisely to avoid this), and a support body on duty in two meetings at
once. One sort per resource, then a sweep: O(n log n) in the number of meetings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from .plan import MeetingPlan
from .report import Report

DEFAULT_DURATION = timedelta(hours=2)


@dataclass(frozen=True)
class Booking:
    meeting: str  # the plan's name (its file, or an index)
    resource: str  # "room:<name>" or "duty:<rulebook>:<body id>"
    label: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Conflict:
    kind: str  # "room" | "duty"
    resource: str
    label: str
    first: str
    second: str
    overlap_start: datetime
    overlap_end: datetime


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def bookings(name: str, plan: MeetingPlan, report: Report | None, duration: timedelta) -> list[Booking]:
    """The rooms a meeting occupies (each endpoint; the host's own room) and the bodies it keeps on duty."""
    start = plan.start
    end = plan.end or start + duration
    rooms: dict[str, str] = {}
    for e in plan.endpoints or []:
        rooms.setdefault(_key(e.name), e.name)
    if not plan.endpoints and plan.host.has_online_room:
        rooms.setdefault(_key(plan.host.name), plan.host.name)
    out = [Booking(name, f"room:{k}", label, start, end) for k, label in rooms.items()]
    if report is not None:
        bodies = {
            o.party.id: o.party.name
            for o in report.obligations
            if o.topic == "on_duty" and o.status != "not_applicable" and o.party.id not in ("host",)
            and not o.party.id.startswith("endpoint:") and o.party.id not in o.party.roles
        }
        out += [Booking(name, f"duty:{report.rulebook}:{pid}", label, start, end) for pid, label in bodies.items()]
    return out


def conflicts(all_bookings: list[Booking]) -> list[Conflict]:
    """Overlaps within each resource. Each overlapping booking is reported against the one it runs into."""
    by_resource: dict[str, list[Booking]] = defaultdict(list)
    for b in all_bookings:
        by_resource[b.resource].append(b)
    out: list[Conflict] = []
    for resource in sorted(by_resource):
        items = sorted(by_resource[resource], key=lambda b: (b.start, b.end, b.meeting))
        longest = items[0]
        for b in items[1:]:
            if b.start < longest.end and b.meeting != longest.meeting:
                out.append(
                    Conflict(
                        "room" if resource.startswith("room:") else "duty",
                        resource,
                        b.label,
                        longest.meeting,
                        b.meeting,
                        b.start,
                        min(b.end, longest.end),
                    )
                )
            if b.end > longest.end:
                longest = b
    return out
