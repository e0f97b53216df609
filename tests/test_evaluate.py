"""The evaluator: statuses from the legal text, chaining, readings, and properties over generated plans."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quyche import MeetingPlan, default_calendar, evaluate, load_rulebook
from quyche.plan import TZ, Endpoint, Event, Host

CAN_THO = load_rulebook("can_tho")
CAL = default_calendar()


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def plan(**kw: object) -> MeetingPlan:
    base: dict[str, object] = {
        "host": {"name": "Sở Nội vụ", "kind": "department", "has_online_room": True},
        "start": vn(2026, 11, 26, 8),
        "end": vn(2026, 11, 26, 11),
    }
    base.update(kw)
    return MeetingPlan.model_validate(base)


def ob(report: object, rule: str, party: str = "host") -> object:
    for o in report.obligations:  # type: ignore[attr-defined]
        if o.rule == rule and o.party.id == party:
            return o
    raise AssertionError(f"no obligation {rule} / {party}")


NOTICE = {"kind": "notice", "channel": "written", "contents": ["host", "participants", "start", "test_run"]}


def test_notice_across_culture_day_met_on_the_last_day_and_late_a_day_after() -> None:
    # Thu 26/11/2026 − 3 working days: 25/11, (24/11 off), 23/11, 20/11 → due end of Fri 20/11.
    on_time = plan(events=[{**NOTICE, "at": vn(2026, 11, 20, 16)}])
    late = plan(events=[{**NOTICE, "at": vn(2026, 11, 23, 8)}])
    r1 = evaluate(CAN_THO, on_time, as_of=vn(2026, 11, 27))
    r2 = evaluate(CAN_THO, late, as_of=vn(2026, 11, 27))
    assert ob(r1, "can_tho.d7.k1").status == "met"  # type: ignore[attr-defined]
    assert ob(r1, "can_tho.d7.k1").due == vn(2026, 11, 20, 23, 59, 59)  # type: ignore[attr-defined]
    assert ob(r2, "can_tho.d7.k1").status == "violated"  # type: ignore[attr-defined]
    assert not r2.compliant
    assert "can_tho.d7.k1" in {f.rule for f in r2.violations}


def test_strict_reading_moves_the_deadline_one_working_day_earlier() -> None:
    p = plan(events=[{**NOTICE, "at": vn(2026, 11, 20, 16)}])
    r = evaluate(CAN_THO, p, as_of=vn(2026, 11, 27), reading="strict")
    assert ob(r, "can_tho.d7.k1").due == vn(2026, 11, 19, 23, 59, 59)  # type: ignore[attr-defined]
    assert ob(r, "can_tho.d7.k1").status == "violated"  # type: ignore[attr-defined]
    assert r.reading == "strict"


def test_wrong_channel_or_missing_contents_do_not_discharge_the_notice() -> None:
    by_phone = plan(events=[{**NOTICE, "channel": "phone", "at": vn(2026, 11, 18, 9)}])
    thin = plan(events=[{**NOTICE, "contents": ["host", "start"], "at": vn(2026, 11, 18, 9)}])
    for p in (by_phone, thin):
        o = ob(evaluate(CAN_THO, p, as_of=vn(2026, 11, 27)), "can_tho.d7.k1")
        assert o.status == "violated", o.reason  # type: ignore[attr-defined]


def test_emergency_displaces_the_written_notice_and_counts_hours() -> None:
    p = plan(emergency=True, events=[{"kind": "notice", "channel": "phone", "at": vn(2026, 11, 26, 6, 30)}])
    r = evaluate(CAN_THO, p, as_of=vn(2026, 11, 26, 12))
    assert ob(r, "can_tho.d7.k1").status == "not_applicable"  # type: ignore[attr-defined]
    emergency = ob(r, "can_tho.d7.k2")
    assert emergency.due == vn(2026, 11, 26, 7)  # type: ignore[attr-defined]
    assert emergency.status == "met"  # type: ignore[attr-defined]


def test_missing_events_key_is_unknown_not_a_violation() -> None:
    r = evaluate(CAN_THO, plan(), as_of=vn(2026, 12, 1))
    assert ob(r, "can_tho.d7.k1").status == "unknown"  # type: ignore[attr-defined]
    r2 = evaluate(CAN_THO, plan(events=[]), as_of=vn(2026, 12, 1))
    assert ob(r2, "can_tho.d7.k1").status == "violated"  # type: ignore[attr-defined]


def test_scheduled_events_are_pending_and_late_schedules_are_violations() -> None:
    p = plan(events=[{**NOTICE, "at": vn(2026, 11, 20, 9)}])
    assert ob(evaluate(CAN_THO, p, as_of=vn(2026, 11, 1)), "can_tho.d7.k1").status == "pending"  # type: ignore[attr-defined]
    p2 = plan(events=[{**NOTICE, "at": vn(2026, 11, 25, 9)}])
    assert ob(evaluate(CAN_THO, p2, as_of=vn(2026, 11, 1)), "can_tho.d7.k1").status == "violated"  # type: ignore[attr-defined]


def test_per_endpoint_quota_and_unknown_counts() -> None:
    p = plan(endpoints=[
        {"name": "A", "role": "main", "technicians": 2, "leaders": 1},
        {"name": "B", "role": "branch", "technicians": 1, "leaders": 1},
        {"name": "C", "role": "branch"},
    ])
    r = evaluate(CAN_THO, p, as_of=vn(2026, 11, 1))
    assert ob(r, "can_tho.d11b.k3", "endpoint:1").status == "met"  # type: ignore[attr-defined]
    assert ob(r, "can_tho.d11b.k3", "endpoint:2").status == "violated"  # type: ignore[attr-defined]
    assert ob(r, "can_tho.d11b.k3", "endpoint:3").status == "unknown"  # type: ignore[attr-defined]


def test_no_endpoints_listed_gives_a_placeholder_not_a_dropped_rule() -> None:
    r = evaluate(CAN_THO, plan(), as_of=vn(2026, 11, 1))
    assert ob(r, "can_tho.d11b.k3", "main_endpoint").status == "unknown"  # type: ignore[attr-defined]
    bound = {o.rule for o in r.obligations} | {p.rule for p in r.provisions}
    assert bound == {rule.id for rule in CAN_THO.rules}


def test_test_run_window_rejects_a_run_too_early() -> None:
    # Window for Thu 26/11/2026: opens 00:00 Mon 23/11 (2nd working day before), closes end of Wed 25/11.
    early = plan(endpoints=[{"name": "A", "role": "main"}], events=[{"kind": "test_run", "at": vn(2026, 11, 20, 9)}])
    o = ob(evaluate(CAN_THO, early, as_of=vn(2026, 11, 27)), "can_tho.d8.k2", "endpoint:1")
    assert o.not_before == vn(2026, 11, 23)  # type: ignore[attr-defined]
    assert o.status == "violated"  # type: ignore[attr-defined]


def test_report_json_is_deterministic_and_round_trips() -> None:
    p = plan(events=[{**NOTICE, "at": vn(2026, 11, 20, 16)}], endpoints=[{"name": "A", "role": "main"}])
    a = evaluate(CAN_THO, p, as_of=vn(2026, 11, 27), explain=True)
    b = evaluate(CAN_THO, p, as_of=vn(2026, 11, 27), explain=True)
    ja = json.dumps(a.model_dump(mode="json"), ensure_ascii=False)
    assert ja == json.dumps(b.model_dump(mode="json"), ensure_ascii=False)
    from quyche import Report

    assert Report.model_validate_json(ja).model_dump(mode="json") == a.model_dump(mode="json")


# --- properties ---------------------------------------------------------------------------------

starts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=TZ, minute=0, second=0, microsecond=0)
)
endpoint_st = st.builds(
    Endpoint,
    name=st.sampled_from(["A", "B", "C"]),
    role=st.sampled_from(["main", "branch"]),
    level=st.none() | st.sampled_from(["province", "district", "commune"]),
    technicians=st.none() | st.integers(0, 3),
    leaders=st.none() | st.integers(0, 2),
    seats=st.none() | st.integers(0, 50),
    attendees=st.none() | st.integers(0, 80),
)
kinds = st.sampled_from(["notice", "special_request_notice", "registration_confirmed", "power_notified",
                         "invitation_issued", "test_run", "recording_delivered", "log_submitted"])


@st.composite
def plans(draw: st.DrawFn) -> MeetingPlan:
    start = draw(starts)
    events = draw(st.none() | st.lists(st.builds(
        Event,
        kind=kinds,
        at=st.integers(-24 * 20, 24 * 5).map(lambda h: start + timedelta(hours=h)),
        to=st.none() | st.lists(st.sampled_from(["system_manager", "telecom", "power_company", "branch_endpoint",
                                                 "control_center", "host", "endpoint:1"]), max_size=4),
        by=st.none() | st.lists(st.sampled_from(["host", "system_manager", "control_center", "main_endpoint",
                                                 "branch_endpoint", "endpoint:2"]), max_size=2),
        channel=st.none() | st.sampled_from(["written", "phone", "email"]),
        contents=st.none() | st.lists(st.sampled_from(["host", "participants", "start", "test_run", "scale", "room"]),
                                      max_size=6, unique=True),
    ), max_size=6))
    return MeetingPlan(
        host=Host(name="H", kind=draw(st.sampled_from(["department", "provincial_people_committee",
                                                        "provincial_party_committee", "other"])),
                  has_online_room=draw(st.none() | st.booleans())),
        start=start,
        end=draw(st.none() | st.integers(1, 8).map(lambda h: start + timedelta(hours=h))),
        emergency=draw(st.booleans()),
        requests=draw(st.lists(st.sampled_from(["recording", "slides", "video", "projector", "speaking"]),
                               max_size=2, unique=True)),
        endpoints=draw(st.none() | st.lists(endpoint_st, max_size=3)),
        events=events,
    )


RULEBOOKS = [load_rulebook(r) for r in ("can_tho", "bac_kan", "gia_lai", "lai_chau", "trieu_son")]
as_ofs = st.integers(-24 * 30, 24 * 30)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(p=plans(), offset=as_ofs)
def test_evaluation_never_raises_and_every_working_day_due_is_a_working_day(p: MeetingPlan, offset: int) -> None:
    for book in RULEBOOKS:
        r = evaluate(book, p, as_of=p.start + timedelta(hours=offset))
        assert r.compliant == (r.verdict == "compliant")
        assert (r.verdict == "not_compliant") == bool(r.violations)
        for o in r.obligations:
            capped = book.rule(o.rule).before_start and o.due == p.start  # a pre-meeting step capped at the start
            if o.due is not None and o.period is not None and o.period.unit == "working_days" and not capped:
                assert CAL.is_working_day(o.due.date()), (o.rule, o.due)
            if o.status == "violated":
                assert o.rule in {f.rule for f in r.violations}


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(p=plans(), offset=as_ofs, earlier=st.integers(1, 24 * 10))
def test_sending_a_notice_earlier_never_turns_met_into_violated(p: MeetingPlan, offset: int, earlier: int) -> None:
    as_of = p.start + timedelta(hours=offset)
    moved = p.model_copy(update={"events": [
        e.model_copy(update={"at": e.at - timedelta(hours=earlier)}) if e.kind == "notice" else e
        for e in (p.events or [])
    ] if p.events is not None else None})
    for book in RULEBOOKS:
        before = {(o.rule, o.party.id): o.status for o in evaluate(book, p, as_of=as_of).obligations
                  if o.topic in ("notice", "emergency_notice")}
        after = {(o.rule, o.party.id): o.status for o in evaluate(book, moved, as_of=as_of).obligations
                 if o.topic in ("notice", "emergency_notice")}
        # Within a deadline-only rule (no window), an earlier notice can only help.
        for key, status in before.items():
            rule = book.rule(key[0])
            if status == "met" and rule.opens is None:
                assert after[key] != "violated", key


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(p=plans(), offset=as_ofs, kind=kinds, hours=st.integers(-24 * 10, 24 * 3))
def test_adding_a_missing_event_never_adds_a_violation_to_another_rule(
    p: MeetingPlan, offset: int, kind: str, hours: int
) -> None:
    if p.events is None or any(e.kind == kind for e in p.events):
        return
    as_of = p.start + timedelta(hours=offset)
    added = p.model_copy(update={"events": [*p.events, Event(kind=kind, at=p.start + timedelta(hours=hours))]})
    for book in RULEBOOKS:
        # The duties the event discharges, those counted from it (which arise only once it exists), and,
        # down the chain, those counted from what those duties produce (Gia Lai 8.1 → 9.1 → 9.2).
        kinds, users = {kind}, set()
        while True:
            more = {r.id for r in book.rules if any(r.discharged_by(k) for k in kinds)
                    or any(q and q.anchor in {f"event:{k}" for k in kinds} for q in (r.period, r.opens))}
            if more <= users:
                break
            users |= more
            kinds |= {c.event for r in book.rules if r.id in users for c in r.satisfied_by or ()}
        before = {f.rule for f in evaluate(book, p, as_of=as_of).violations}
        after = {f.rule for f in evaluate(book, added, as_of=as_of).violations}
        assert (after - before) <= users


# --- obligations shared between evaluations (evaluate's memo) ------------------------------------


def test_memo_gives_the_report_a_fresh_evaluation_gives() -> None:
    from pathlib import Path

    from quyche.yamlio import read_document

    root = Path(__file__).resolve().parents[1]
    for path in sorted((root / "examples").glob("*.yaml")):
        data = read_document(path).data
        book = load_rulebook(data.get("rulebook") or path.stem)
        for i in range(6):
            # Shapes that change what an obligation says: events dropped, fewer endpoints, English, explain.
            d = dict(data)
            if i % 2:
                d.pop("events", None)
            if d.get("endpoints"):
                d["endpoints"] = d["endpoints"][: 1 + i % len(d["endpoints"])]
            p = MeetingPlan.model_validate(d)
            kw: dict[str, object] = {"as_of": p.start + timedelta(days=i - 3), "calendar": CAL,
                                     "lang": "en" if i >= 3 else "vi", "explain": i == 4}
            evaluate(book, p, memo=True, **kw)  # type: ignore[arg-type]  # fills the memo
            shared = evaluate(book, p, memo=True, **kw)  # type: ignore[arg-type]
            fresh = evaluate(book, p, memo=False, **kw)  # type: ignore[arg-type]
            assert shared == fresh, (path.stem, i)
            assert shared.model_dump_json() == fresh.model_dump_json(), (path.stem, i)


def test_memo_key_tells_apart_what_serialises_apart() -> None:
    from quyche.evaluate import _freeze

    # True == 1 and hash alike, yet JSON writes true and 1; key order shows in JSON too.
    assert _freeze({"have": True}) != _freeze({"have": 1})
    assert _freeze({"a": 1, "b": 2}) != _freeze({"b": 2, "a": 1})
    assert _freeze(["x"]) != _freeze("x")
    assert _freeze({"n": 0.0}) != _freeze({"n": -0.0})
    assert _freeze({"n": 1}) != _freeze({"n": 1.0}) != _freeze({"n": "1"})
    assert _freeze({"a": [{"x": None}]}) == _freeze({"a": [{"x": None}]})


def test_day_text_is_what_strftime_writes() -> None:
    from datetime import date

    from quyche.evaluate import _day

    assert _day(date(2025, 7, 1)) == "01/07/2025"  # day and month padded to two digits
    for d in (date(1000, 1, 1), date(999, 3, 4), date(1, 1, 1), date(9999, 12, 31)):
        assert _day(d) == f"{d:%d/%m/%Y}", d  # below 1000 the slow path keeps strftime's unpadded year
