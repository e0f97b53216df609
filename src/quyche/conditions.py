"""Whether a rule's conditions hold for a plan: True, False, or None when a fact is unknown."""

from __future__ import annotations

from .parties import Party
from .plan import MeetingPlan
from .rulebook import Condition

Tri = bool | None


def all_of(values: list[Tri]) -> Tri:
    """Three-valued AND: one False decides; otherwise any unknown leaves it unknown."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def any_of(values: list[Tri]) -> Tri:
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def attendees_over_seats(plan: MeetingPlan) -> Tri:
    if plan.endpoints is None:
        return None
    return any_of(
        [
            None if e.attendees is None or e.seats is None else e.attendees > e.seats
            for e in plan.endpoints
        ]
    )


def holds(cond: Condition, plan: MeetingPlan, party: Party | None = None) -> tuple[Tri, list[str]]:
    """The condition's value, and the names of the facts that were unknown."""
    values: list[Tri] = []
    unknown: list[str] = []

    def add(value: Tri, fact: str) -> None:
        values.append(value)
        if value is None:
            unknown.append(fact)

    if cond.host_kind is not None:
        add(plan.host.kind in cond.host_kind, "host.kind")
    if cond.emergency is not None:
        add(plan.emergency == cond.emergency, "emergency")
    if cond.host_has_online_room is not None:
        room = plan.host.has_online_room
        add(None if room is None else room == cond.host_has_online_room, "host.has_online_room")
    if cond.requests_any is not None:
        add(bool(set(cond.requests_any) & set(plan.requests)), "requests")
    if cond.attendees_over_seats is not None:
        over = attendees_over_seats(plan)
        add(None if over is None else over == cond.attendees_over_seats, "endpoints[].attendees/seats")
    if cond.endpoint_level is not None:
        if party is not None and party.endpoint is not None:
            level = party.endpoint.level
            add(None if level is None else level in cond.endpoint_level, f"{party.id}.level")
        elif plan.endpoints is None:
            add(None, "endpoints")
        else:
            add(
                any_of([None if e.level is None else e.level in cond.endpoint_level for e in plan.endpoints]),
                "endpoints[].level",
            )
    return all_of(values), unknown
