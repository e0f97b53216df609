"""Periods as the texts write them (issue 12), on a synthetic rulebook (tests/fixtures/thu_nghiem): each
test a hand-checked plan, the arithmetic worked out in its comment. December 2025 has no holiday:
Mon 01, Tue 02, Wed 03, Thu 04, Fri 05, Sat 06, Sun 07, Mon 08, Tue 09.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Any

from quyche import MeetingPlan, Report, evaluate, load_rulebook
from quyche.calendar import CalendarOverrides, WorkingCalendar
from quyche.plan import TZ

BOOK = load_rulebook(Path(__file__).parent / "fixtures" / "thu_nghiem" / "thu_nghiem.yaml")


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def plan(start: datetime, events: list[dict[str, Any]] | None, **kw: Any) -> MeetingPlan:
    base: dict[str, Any] = {
        "host": {"name": "Sở Nội vụ tỉnh Thử", "kind": "department"},
        "start": start,
        "end": start.replace(hour=start.hour + 3),
        "endpoints": [{"name": "Sở Nội vụ", "role": "main", "level": "province"}],
        "events": events,
    }
    base.update(kw)
    return MeetingPlan.model_validate(base)


def ob(report: Report, rule: str, party: str = "host") -> Any:
    return next(o for o in report.obligations if o.rule == f"thu_nghiem.{rule}" and o.party.id == party)


THU = vn(2025, 12, 4, 8)  # Thu 04/12/2025 08:00
REHEARSAL = {"kind": "test_run", "at": vn(2025, 12, 3, 9)}


def test_a_same_day_window_is_not_discharged_by_the_rehearsal_of_the_day_before() -> None:
    # Điều 4.2: from 00:00 Thu 04/12 to 07:30 (08:00 − 30 min). Điều 4.1: 1 working day before Thu →
    # end of Wed 03/12; the Wed 09:00 rehearsal meets it and, distinct_from, cannot count for 4.2 too.
    check = {"kind": "test_run", "at": vn(2025, 12, 4, 7, 15)}
    ok = evaluate(BOOK, plan(THU, [REHEARSAL, check]), as_of=vn(2025, 12, 5))
    same_day = ob(ok, "d4.k2", "endpoint:1")
    assert (same_day.not_before, same_day.due, same_day.status) == (vn(2025, 12, 4), vn(2025, 12, 4, 7, 30), "met")
    assert ob(ok, "d4.k1", "endpoint:1").status == "met"
    missing = evaluate(BOOK, plan(THU, [REHEARSAL]), as_of=vn(2025, 12, 5))
    assert ob(missing, "d4.k2", "endpoint:1").status == "violated"
    late = evaluate(BOOK, plan(THU, [REHEARSAL, {"kind": "test_run", "at": vn(2025, 12, 4, 7, 45)}]),
                    as_of=vn(2025, 12, 5))
    assert ob(late, "d4.k2", "endpoint:1").reason_code == "done_late"


def test_a_window_with_a_calendar_day_far_end_and_a_working_day_near_end() -> None:
    # Điều 2.1 for Thu 04/12: opens 10 calendar days before → 00:00 Mon 24/11; closes 2 working days
    # before → Wed 03 (1), Tue 02 (2) → end of Tue 02/12.
    def status(at: datetime, reading: str = "default") -> tuple[Any, ...]:
        r = evaluate(BOOK, plan(THU, [{"kind": "notice", "at": at, "to": ["system_manager"], "channel": "written"}]),
                     as_of=vn(2025, 12, 5), reading=reading)  # type: ignore[arg-type]
        o = ob(r, "d2.k1")
        return o.not_before, o.due, o.reason_code

    assert status(vn(2025, 11, 28, 9)) == (vn(2025, 11, 24), vn(2025, 12, 2, 23, 59, 59), "done_on_time")
    assert status(vn(2025, 11, 20, 9))[2] == "too_early"
    assert status(vn(2025, 12, 3, 9))[2] == "done_late"
    # Strict (BLDS Điều 147: the sending day not counted either) moves the near end of this sending
    # one working day, to the end of Mon 01/12; the far end is an opening and does not move.
    assert status(vn(2025, 11, 28, 9), "strict")[:2] == (vn(2025, 11, 24), vn(2025, 12, 1, 23, 59, 59))


def test_the_strict_reading_never_moves_a_test_run() -> None:
    # Điều 4.1 is an act in a window, not a sending: Wed 03/12 09:00 stays on time under strict.
    r = evaluate(BOOK, plan(THU, [REHEARSAL]), as_of=vn(2025, 12, 5), reading="strict")
    assert (ob(r, "d4.k1", "endpoint:1").due, ob(r, "d4.k1", "endpoint:1").status) == (
        vn(2025, 12, 3, 23, 59, 59), "met")


def test_working_hours_skip_the_lunch_break_and_the_weekend() -> None:
    # Office hours 07:30–11:30, 13:30–17:00. Điều 2.2, 4 working hours before:
    # Tue 09/12 14:30 → 13:30–14:30 (1 h), then 07:30–11:30 (3 h more from 11:30) → Tue 08:30.
    tue = evaluate(BOOK, plan(vn(2025, 12, 9, 14, 30), [], emergency=True), as_of=vn(2025, 12, 1))
    assert ob(tue, "d2.k2").due == vn(2025, 12, 9, 8, 30)
    # Mon 08/12 09:00 → 07:30–09:00 (1.5 h); Sat–Sun skipped; Fri 05/12 from 17:00 back 2.5 h → 14:30.
    mon = evaluate(BOOK, plan(vn(2025, 12, 8, 9), [], emergency=True), as_of=vn(2025, 12, 1))
    assert ob(mon, "d2.k2").due == vn(2025, 12, 5, 14, 30)
    # A province's own hours (a calendar file): 08:00–12:00, 13:00–17:00 → Mon 08:00–09:00 (1 h),
    # Fri 17:00 back 3 h → 14:00.
    own = WorkingCalendar(overrides=CalendarOverrides(office_hours=[(time(8), time(12)), (time(13), time(17))]))
    r = evaluate(BOOK, plan(vn(2025, 12, 8, 9), [], emergency=True), as_of=vn(2025, 12, 1), calendar=own)
    assert ob(r, "d2.k2").due == vn(2025, 12, 5, 14, 0)


def test_a_presence_window_during_and_after_the_meeting() -> None:
    # Điều 5, 08:00–11:00 Thu 04/12: before → must be present 08:00–11:00; at 09:00 → until 11:00;
    # after → unknown (no plan event records presence), never "not yet due".
    p = plan(THU, [])
    before, during, after = (ob(evaluate(BOOK, p, as_of=t), "d5", "trung_tam")
                             for t in (vn(2025, 12, 3), vn(2025, 12, 4, 9), vn(2025, 12, 4, 12)))
    assert (before.kind, before.status, before.reason_code) == ("during", "pending", "during_upcoming")
    assert (before.not_before, before.due) == (THU, vn(2025, 12, 4, 11))
    assert (during.status, during.reason_code) == ("pending", "during_now")
    assert "11:00" in during.reason
    assert (after.status, after.reason_code) == ("unknown", "during_past")


def test_an_anchor_on_the_phone_notice_only() -> None:
    # Điều 2.3 counts 2 hours from the phone call, not from an earlier written notice: emergency
    # meeting Mon 08/12 14:00; written notice Fri 05/12 16:00; phone call Mon 08:00 → due Mon 10:00.
    events = [{"kind": "notice", "at": vn(2025, 12, 5, 16), "to": ["system_manager"], "channel": "written"},
              {"kind": "notice", "at": vn(2025, 12, 8, 8), "to": ["system_manager"], "channel": "phone"},
              {"kind": "registration_confirmed", "at": vn(2025, 12, 8, 9, 30), "by": ["system_manager"],
               "to": ["host"]}]
    r = evaluate(BOOK, plan(vn(2025, 12, 8, 14), events, emergency=True), as_of=vn(2025, 12, 8, 12))
    o = ob(r, "d2.k3", "so_khcn")
    assert (o.due, o.status) == (vn(2025, 12, 8, 10), "met")
    # Without the call the confirmation has not arisen, whatever the written notice says.
    r = evaluate(BOOK, plan(vn(2025, 12, 8, 14), events[:1], emergency=True), as_of=vn(2025, 12, 8, 12))
    assert ob(r, "d2.k3", "so_khcn").reason_code == "not_arisen"


def test_a_step_that_would_land_after_the_opening_is_capped_and_flagged() -> None:
    # Điều 3 after a late registration: written Wed 03/12 15:00 for Thu 04/12 08:00; 1 working day
    # after Wed → end of Thu 04/12, after the opening: capped at Thu 08:00, with a warning. A
    # confirmation at Thu 10:00 is then late.
    events = [{"kind": "notice", "at": vn(2025, 12, 3, 15), "to": ["system_manager"], "channel": "written"},
              {"kind": "registration_confirmed", "at": vn(2025, 12, 4, 10), "by": ["system_manager"],
               "to": ["host", "power_company"]}]
    r = evaluate(BOOK, plan(THU, events), as_of=vn(2025, 12, 5))
    o = ob(r, "d3", "so_khcn")
    assert (o.due, o.status, o.reason_code) == (THU, "violated", "done_late")
    capped = [f for f in r.findings if f.code == "capped_at_start"]
    assert capped and "23:59 04/12/2025" in capped[0].message
    # Registered on time (Fri 28/11): 1 working day after → end of Mon 01/12, no cap, no warning.
    events[0]["at"] = vn(2025, 11, 28, 9)
    events[1]["at"] = vn(2025, 12, 1, 10)
    r = evaluate(BOOK, plan(THU, events), as_of=vn(2025, 12, 5))
    assert (ob(r, "d3", "so_khcn").due, ob(r, "d3", "so_khcn").status) == (vn(2025, 12, 1, 23, 59, 59), "met")
    assert not [f for f in r.findings if f.code == "capped_at_start"]


def test_two_fixed_dates_a_year_each_on_its_last_working_day() -> None:
    # Điều 6 "trước ngày 15 tháng 6 và ngày 15 tháng 12": due 14/06 and 14/12. In 2026, 14/06 is a
    # Sunday → the last working day on or before it is Fri 12/06; 14/12/2026 is a Monday (working).
    from quyche.calendar import default_calendar
    from quyche.duties import duties

    (d6,) = [d for d in duties(BOOK, 2026, default_calendar()) if d.rule == "thu_nghiem.d6"]
    assert [x.isoformat() for x in d6.due_dates] == ["2026-06-14", "2026-12-14"]
    assert [x.isoformat() for x in d6.last_working_days] == ["2026-06-12", "2026-12-14"]
