"""The compiled rulebook and what evaluations share through it: a report is the same whether its plan's
shape was met before (by a plan with other times, counts and events) or never."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quyche import MeetingPlan, default_calendar, evaluate, load_rulebook
from quyche.compiled import compiled
from quyche.plan import TZ
from quyche.readings import resolve_choices
from quyche.yamlio import read_document

ROOT = Path(__file__).resolve().parents[1]
CAL = default_calendar()
EXAMPLES = {p.stem: read_document(p).data for p in sorted((ROOT / "examples").glob("*.yaml"))}
BOOKS = {name: load_rulebook(data.get("rulebook") or name) for name, data in EXAMPLES.items()}


def _days(name: str) -> list[date]:
    """The days around each date the rulebook or the registry compares a meeting's day with."""
    book = BOOKS[name]
    comp = compiled(book, resolve_choices(book.readings, {}), None)
    edges = [d for d in comp.boundaries if 1990 <= d.year <= 2090]
    return sorted({d + timedelta(days=k) for d in edges for k in (-1, 0, 1)})


def _variant(data: dict[str, Any], day: date, hour: int, counts: int, events: bool, shift: int) -> dict[str, Any]:
    """The example moved to `day`, with its counts changed and its events shifted or dropped: the same
    shape (host, endpoints' names, roles, levels and seats test) as the example on that day."""
    d = dict(data)
    start = datetime.combine(day, datetime.min.time(), tzinfo=TZ) + timedelta(hours=hour)
    delta = start - d["start"]
    d["start"] = start
    if d.get("end") is not None:
        d["end"] = d["end"] + delta
    if events and d.get("events"):
        d["events"] = [dict(e, at=e["at"] + delta + timedelta(hours=shift)) for e in d["events"]]
    else:
        d.pop("events", None)
    eps = []
    for e in d.get("endpoints") or []:
        e = dict(e)
        for key in ("technicians", "leaders", "technicians_on_duty"):
            if key in e or counts % 3:
                e[key] = (counts + len(key)) % 4
        eps.append(e)
    if "endpoints" in d:
        d["endpoints"] = eps
    return d


@st.composite
def pairs(draw: st.DrawFn) -> tuple[str, dict[str, Any], dict[str, Any], str]:
    name = draw(st.sampled_from(sorted(EXAMPLES)))
    days = _days(name)
    day = draw(st.sampled_from(days))
    # The second plan: the same shape, possibly another day of the same stretch between boundaries.
    other = draw(st.sampled_from([d for d in days if abs((d - day).days) <= 1] or [day]))
    first = _variant(EXAMPLES[name], day, draw(st.integers(7, 16)), draw(st.integers(0, 9)),
                     draw(st.booleans()), draw(st.integers(-72, 72)))
    second = _variant(EXAMPLES[name], other, draw(st.integers(7, 16)), draw(st.integers(0, 9)),
                      draw(st.booleans()), draw(st.integers(-72, 72)))
    return name, first, second, draw(st.sampled_from(["vi", "en"]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs(), st.integers(-20, 10))
def test_a_report_does_not_depend_on_the_plans_evaluated_before(
    case: tuple[str, dict[str, Any], dict[str, Any], str], days: int
) -> None:
    name, first, second, lang = case
    book = BOOKS[name]
    a, b = MeetingPlan.model_validate(first), MeetingPlan.model_validate(second)
    as_of = b.start + timedelta(days=days)
    evaluate(book, a, as_of=a.start + timedelta(days=days), calendar=CAL, lang=lang)  # fills the shared caches
    shared = evaluate(book, b, as_of=as_of, calendar=CAL, lang=lang)
    fresh = evaluate(book, b, as_of=as_of, calendar=CAL, lang=lang, memo=False)
    assert shared.model_dump_json() == fresh.model_dump_json()


def test_the_days_a_meeting_is_compared_with_are_boundaries() -> None:
    # Cần Thơ's bodies changed on 01/07/2025 (Nghị quyết 202/2025/QH15): the days before and after it are
    # in two stretches, and the decision's effective date starts another.
    book = BOOKS["can_tho"]
    comp = compiled(book, resolve_choices(book.readings, {}), None)
    assert comp.epoch(date(2025, 6, 30)) != comp.epoch(date(2025, 7, 1))
    assert book.metadata.effective is not None
    eff = book.metadata.effective
    assert comp.epoch(eff - timedelta(days=1)) != comp.epoch(eff)
    assert comp.epoch(date(2026, 3, 2)) == comp.epoch(date(2026, 3, 3))


def test_compiled_once_and_dropped_with_its_rulebook() -> None:
    import gc

    from quyche import parse_rulebook
    from quyche.compiled import _COMPILED

    text = (ROOT / "rules" / "lai_chau.yaml").read_text(encoding="utf-8")
    book = parse_rulebook(text)
    values = resolve_choices(book.readings, {})
    assert compiled(book, values, None) is compiled(book, values, None)
    key = id(book)
    assert key in _COMPILED
    del book
    gc.collect()
    assert key not in _COMPILED


def test_counts_kept_across_evaluations_are_per_calendar() -> None:
    # Gia Lai's example counts working days before the meeting (Thursday 03/12/2026).
    # A calendar with each of the five weekdays before it off moves those deadlines: evaluated after the
    # default calendar filled the compiled rulebook's counts, each report must still equal a fresh one.
    from quyche.calendar import CalendarOverrides, DayEntry, WorkingCalendar

    data, book = EXAMPLES["gia_lai"], BOOKS["gia_lai"]
    plan = MeetingPlan.model_validate(data)
    as_of = plan.start - timedelta(days=3)
    default = evaluate(book, plan, as_of=as_of, calendar=CAL)
    changed = 0
    for back in range(1, 8):
        day = plan.start.date() - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        off = DayEntry(date=day, name="Nghỉ (thử)", source="Thông báo thử nghiệm")
        cal = WorkingCalendar(overrides=CalendarOverrides(days_off=[off]), first_year=2025, last_year=2027)
        got = evaluate(book, plan, as_of=as_of, calendar=cal)
        assert got.model_dump_json() == evaluate(book, plan, as_of=as_of, calendar=cal, memo=False).model_dump_json()
        changed += [o.due for o in got.obligations] != [o.due for o in default.obligations]
    # The default calendar's counts are still its own.
    assert evaluate(book, plan, as_of=as_of, calendar=CAL).model_dump_json() == default.model_dump_json()
    assert changed  # some day off moved a deadline: the property above was not vacuous


def test_a_kept_cast_answers_any_number_of_names_in_bounded_memory() -> None:
    # Casts live with their shapes across evaluations; plans of one shape may name anything in `to`/`by`.
    from quyche.parties import NAMES_MEMO_CAP, Cast

    plan = MeetingPlan.model_validate(EXAMPLES["gia_lai"])
    cast = Cast(BOOKS["gia_lai"], plan, "vi", None, in_force=True)
    party = cast.expand("host")[0]
    for i in range(3 * NAMES_MEMO_CAP):
        assert cast.names([f"không ai {i}"], party) is False
        assert len(cast._names_memo) <= NAMES_MEMO_CAP
    assert cast.names([party.id], party) is True


def test_shapes_beyond_the_cap_replace_the_oldest() -> None:
    # A year of meetings in rooms drawn from hundreds brings a new shape with nearly every plan: the
    # kept shapes stay at the cap, the newest are kept, and every report still equals a fresh one.
    from quyche.compiled import SHAPE_CAP

    book = load_rulebook("lai_chau")
    data = EXAMPLES["lai_chau"]
    comp = compiled(book, {}, None)  # what evaluate uses with no reading chosen
    comp.shapes.clear()
    for k in range(SHAPE_CAP + 20):
        plan = MeetingPlan.model_validate(dict(data, host=dict(data["host"], name=f"Phòng họp {k}")))
        got = evaluate(book, plan, as_of=plan.start, calendar=CAL)
        if k % 50 == 0 or k >= SHAPE_CAP:
            assert got.model_dump_json() == evaluate(book, plan, as_of=plan.start, calendar=CAL,
                                                     memo=False).model_dump_json()
        assert len(comp.shapes) == min(k + 1, SHAPE_CAP)
    hosts = [key[2] for key in comp.shapes]  # _shape_key: (lang, epoch, host name, ...)
    assert hosts == [f"Phòng họp {k}" for k in range(20, SHAPE_CAP + 20)]
