# ruff: noqa: E402  (sys.path must be mended before the imports)
"""Schedule benchmark (not a test): `python bench/schedule.py` from the repository root.

A province's year of meetings: n generated plans, each validated and evaluated, then the room and
duty clash sweep over all of them. Prints the times at 1k, 10k and 100k plans and the growth per plan,
which stays flat for n log n work (an all-pairs check would grow tenfold per step).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would shadow the standard library's `calendar` (holidays imports it).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import random
import time
from datetime import datetime, timedelta

from quyche import MeetingPlan, default_calendar, evaluate, load_rulebook
from quyche.plan import TZ
from quyche.schedule import bookings, conflicts


def generate(n: int, seed: int = 1, rooms_per_plan: float | None = None) -> list[dict[str, object]]:
    """n plans over one year. With `rooms_per_plan`, the number of rooms grows with n (same clash density)."""
    count = 320 if rooms_per_plan is None else max(10, int(n * rooms_per_plan))
    rooms_all = [f"Phòng họp {i}" for i in range(count)]
    rng = random.Random(seed)
    base = datetime(2026, 1, 5, 7, tzinfo=TZ)
    out = []
    for _ in range(n):
        start = base + timedelta(days=rng.randrange(360), hours=rng.randrange(10))
        rooms = rng.sample(rooms_all, 3)
        out.append({
            "host": {"name": rooms[0], "kind": "department", "has_online_room": True},
            "start": start, "end": start + timedelta(hours=rng.randrange(1, 4)),
            "endpoints": [{"name": r, "role": "main" if i == 0 else "branch", "technicians": 2}
                          for i, r in enumerate(rooms)],
            "events": [{"kind": "notice", "at": start - timedelta(days=5), "to": ["system_manager"],
                        "channel": "written", "contents": ["host", "room", "start", "participants", "scale"]}],
        })
    return out


def main() -> None:
    book, cal = load_rulebook("gia_lai"), default_calendar()
    previous = None
    for n in (1_000, 10_000, 100_000):
        data = generate(n)
        t0 = time.perf_counter()
        all_bookings = []
        for i, d in enumerate(data):
            plan = MeetingPlan.model_validate(d)
            report = evaluate(book, plan, as_of=plan.start, calendar=cal)
            all_bookings += bookings(str(i), plan, report, timedelta(hours=2))
        t1 = time.perf_counter()
        found = conflicts(all_bookings)
        t2 = time.perf_counter()
        per = (t2 - t0) / n * 1e6
        growth = f"  per plan vs previous: {per / previous:4.2f}×" if previous else ""
        previous = per
        print(f"{n:>7,} plans: check {t1 - t0:7.2f} s, clash sweep {t2 - t1:6.3f} s over {len(all_bookings):,} "
              f"bookings ({len(found):,} clashes); {per:6.1f} µs/plan{growth}")
    # The sweep is O(n log n + k) for k clashes. With 320 rooms k grows faster than n (the rooms fill
    # up); with rooms growing with n the density is constant and the sweep shows its n log n.
    print("clash sweep alone, rooms growing with n (constant clash density)")
    previous = None
    for n in (10_000, 100_000, 1_000_000):
        plans = [MeetingPlan.model_validate(d) for d in generate(n, rooms_per_plan=0.05)]
        all_bookings = [b for i, p in enumerate(plans) for b in bookings(str(i), p, None, timedelta(hours=2))]
        t = time.perf_counter()
        found = conflicts(all_bookings)
        took = time.perf_counter() - t
        per = took / len(all_bookings) * 1e9
        growth = f"  per booking vs previous: {per / previous:4.2f}×" if previous else ""
        previous = per
        print(f"{n:>9,} plans: {took:6.3f} s over {len(all_bookings):,} bookings ({len(found):,} clashes); "
              f"{per:6.0f} ns/booking{growth}")


if __name__ == "__main__":
    main()
