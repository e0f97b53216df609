"""Recurring duties and schedule clashes (calendars, ics, are in test_ics.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from quyche import MeetingPlan, default_calendar, load_rulebook
from quyche.duties import duties
from quyche.plan import TZ
from quyche.schedule import Booking, bookings, conflicts

ROOT = Path(__file__).resolve().parents[1]


def quyche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche.cli", *args], capture_output=True, text=True, cwd=ROOT)


def _plan(start: datetime, rooms: list[str], **kw: object) -> MeetingPlan:
    return MeetingPlan.model_validate({
        "host": {"name": rooms[0], "kind": "department", "has_online_room": True},
        "start": start, "end": start + timedelta(hours=3),
        "endpoints": [{"name": r, "role": "main" if i == 0 else "branch"} for i, r in enumerate(rooms)],
        **kw,
    })


def test_duties_of_gia_lai_fix_30_december_and_leave_unfixed_cadences_open() -> None:
    found = {d.rule: d for d in duties(load_rulebook("gia_lai"), 2027, default_calendar())}
    fixed = [d for d in found.values() if d.due_dates]
    assert fixed, "Gia Lai Điều 16.2.d fixes 'trước ngày 30 tháng 12'"
    assert any(d.due_dates == (date(2027, 12, 29),) and d.bound == "before" and d.days == ("12-30",) for d in fixed)
    # The others fix no day of the year: undated, with no date at all (never 01/01).
    assert all(d.bound is None and not d.last_working_days for d in found.values() if not d.days)


def test_duties_cli_json() -> None:
    p = quyche("duties", "can_tho", "--year", "2027", "--format", "json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert any(d["every"] == 6 and d["unit"] == "months" for d in data["duties"])


def test_room_clash_is_found_and_back_to_back_meetings_are_not() -> None:
    t = datetime(2026, 12, 3, 8, tzinfo=TZ)
    a = bookings("a", _plan(t, ["Phòng họp UBND", "Xã A"]), None, timedelta(hours=2))
    b = bookings("b", _plan(t + timedelta(hours=1), ["Sở Y tế", "xã  a"]), None, timedelta(hours=2))
    c = bookings("c", _plan(t + timedelta(hours=4), ["Xã A"]), None, timedelta(hours=2))
    found = conflicts(a + b + c)
    assert [(x.first, x.second, x.resource) for x in found] == [("a", "b", "room:xã a")]


def test_sweep_matches_all_pairs_on_random_bookings() -> None:
    import random

    rng = random.Random(7)
    base = datetime(2026, 1, 1, tzinfo=TZ)
    items = [Booking(str(i), f"room:{rng.randrange(5)}", "r", s := base + timedelta(hours=rng.randrange(200)),
                     s + timedelta(hours=rng.randrange(1, 6))) for i in range(300)]
    found = [(x.resource, x.first, x.second) for x in conflicts(items)]
    # Every overlapping pair, each once: the brute force over all pairs, earlier booking first.
    naive = {(a.resource, a.meeting, b.meeting) for a in items for b in items
             if a.resource == b.resource and (a.start, a.end, a.meeting) < (b.start, b.end, b.meeting)
             and b.start < a.end}
    assert len(found) == len(set(found)) and set(found) == naive and len(naive) > 150


def test_schedule_cli_reports_a_clash(tmp_path: Path) -> None:
    for name, hour in (("one", 8), ("two", 9)):
        (tmp_path / f"{name}.yaml").write_text(
            "rulebook: can_tho\nhost: {name: Sở Nội vụ, kind: department, has_online_room: true}\n"
            f"start: 2026-12-03T{hour:02d}:00:00\nend: 2026-12-03T{hour + 2:02d}:00:00\n"
            "endpoints:\n  - {name: Sở Nội vụ, role: main}\n", encoding="utf-8")
    p = quyche("schedule", str(tmp_path), "--as-of", "2026-11-01", "--format", "json", "--duty-clashes")
    assert p.returncode == 1, p.stderr
    data = json.loads(p.stdout)
    assert len(data["plans"]) == 2
    kinds = [c["kind"] for c in data["conflicts"]]
    assert kinds.count("room") == 1
    # VNPT Cần Thơ and the control center are on duty throughout both meetings at once
    assert {c["label"] for c in data["conflicts"] if c["kind"] == "duty"} >= {"VNPT Cần Thơ"}
    # Without --duty-clashes (the default) only the room clash is reported.
    p = quyche("schedule", str(tmp_path), "--as-of", "2026-11-01", "--format", "json")
    assert [c["kind"] for c in json.loads(p.stdout)["conflicts"]] == ["room"]
