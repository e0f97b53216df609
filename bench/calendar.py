"""Benchmark of quyche's working-day calendar against holidays.VN and numpy's busday functions (issue 16).

    .venv/bin/python bench/calendar.py          # a few seconds; numpy is in the `bench` extra

Per-call medians (time.perf_counter_ns over batches of calls, median of the batches) for: the 20th and
the 250th working day after a date, and the working days of one whole year. Every library gets what a
caller has, `datetime.date` objects, and gives back what the caller wants (a date, an int):
- quyche: `add_working_days(d, n)`, `count_working_days_inclusive(a, b)`;
- holidays: one VN object built for every year beforehand, `get_nth_working_day`,
  `get_working_days_count`;
- numpy, scalar calls fed dates: `np.busday_offset(np.datetime64(d, "D"), n, …).item()` with a prebuilt
  `busdaycalendar` whose holidays are VN's weekday days off; also reported (no target) fed prebuilt
  `datetime64[D]` scalars, and vectorised over all 200 dates at once.
Targets (issue 16): ≥60× holidays at n=20, ≥700× at n=250 and for a year's count, ≥6× numpy's scalar
calls fed dates. numpy cannot express a Saturday swapped in as a working day (its weekmask is per
weekday), so its answers differ wherever such a Saturday falls inside the span; the script counts those
differences. Not a test: it prints figures and says whether each target is met (exit 1 when one is not).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named calendar.py: keep its folder off sys.path so `import calendar` finds the stdlib's.
sys.path.remove(str(Path(__file__).resolve().parent))

import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import holidays
import numpy as np
from holidays.version import __version__ as holidays_version

from quyche.calendar import WorkingCalendar

FIRST_YEAR, LAST_YEAR = 1901, 2099
NUMPY_TARGET = 6  # × numpy's scalar calls fed dates


def per_call_ns(call: Callable[[Any], object], inputs: Sequence[Any], batches: int = 15) -> float:
    """Median over `batches` of (time of one pass over `inputs`) / len(inputs), passes sized to >= 20 ms."""
    start = time.perf_counter_ns()
    for x in inputs:
        call(x)
    one_pass = max(time.perf_counter_ns() - start, 1)
    passes = max(1, int(20_000_000 / one_pass))
    samples = []
    for _ in range(batches):
        start = time.perf_counter_ns()
        for _ in range(passes):
            for x in inputs:
                call(x)
        samples.append((time.perf_counter_ns() - start) / (passes * len(inputs)))
    return statistics.median(samples)


def fmt_ns(ns: float) -> str:
    return f"{ns / 1000:,.2f} µs" if ns >= 1000 else f"{ns:,.0f} ns"


def main() -> int:
    t0 = time.perf_counter()
    cal = WorkingCalendar(first_year=FIRST_YEAR, last_year=LAST_YEAR)
    build_quyche = time.perf_counter() - t0
    t0 = time.perf_counter()
    vn = holidays.country_holidays("VN", years=range(FIRST_YEAR, LAST_YEAR + 1))
    build_holidays = time.perf_counter() - t0
    days_off = sorted(d for d in vn if d.weekday() < 5)
    t0 = time.perf_counter()
    busdays = np.busdaycalendar(weekmask="1111100", holidays=np.array(days_off, dtype="datetime64[D]"))
    build_numpy = time.perf_counter() - t0

    rng = random.Random(20261126)
    starts: list[date] = []
    while len(starts) < 200:
        d = date.fromordinal(rng.randrange(date(2000, 1, 1).toordinal(), date(2098, 1, 1).toordinal()))
        if cal.is_working_day(d):
            starts.append(d)
    starts_np = [np.datetime64(d, "D") for d in starts]
    years = [rng.randrange(2000, 2099) for _ in range(50)]
    year_spans = [(date(y, 1, 1), date(y, 12, 31)) for y in years]
    year_spans_np = [(np.datetime64(f"{y}-01-01"), np.datetime64(f"{y + 1}-01-01")) for y in years]

    one_day = timedelta(days=1)

    def np_add(n: int) -> Callable[[date], object]:
        return lambda d: np.busday_offset(np.datetime64(d, "D"), n, roll="forward", busdaycal=busdays).item()

    def np_add64(n: int) -> Callable[[Any], object]:
        return lambda x: np.busday_offset(x, n, roll="forward", busdaycal=busdays)

    def np_count(ab: tuple[date, date]) -> object:
        # busday_count is half-open [a, b): the caller's inclusive span ends a day later.
        return int(np.busday_count(np.datetime64(ab[0], "D"), np.datetime64(ab[1] + one_day, "D"),
                                   busdaycal=busdays))

    # Same answers first (numpy: except across swapped working Saturdays, which it cannot express).
    numpy_differs = {}
    for n in (20, 250):
        ours = [cal.add_working_days(d, n) for d in starts]
        assert ours == [vn.get_nth_working_day(d, n) for d in starts], f"n={n}: holidays disagrees"
        theirs = [np_add(n)(d) for d in starts]
        assert theirs == [np_add64(n)(x).item() for x in starts_np]
        numpy_differs[f"add n={n}"] = sum(a != b for a, b in zip(ours, theirs, strict=True))
    counts = [cal.count_working_days_inclusive(a, b) for a, b in year_spans]
    assert counts == [vn.get_working_days_count(a, b) for a, b in year_spans], "holidays disagrees"
    np_counts = [np_count(ab) for ab in year_spans]
    assert np_counts == [int(np.busday_count(a, b, busdaycal=busdays)) for a, b in year_spans_np]
    numpy_differs["count one year"] = sum(a != b for a, b in zip(counts, np_counts, strict=True))

    # (case, quyche, holidays, numpy fed dates, numpy fed datetime64, target vs holidays)
    cases = [
        (
            "add n=20",
            per_call_ns(lambda d: cal.add_working_days(d, 20), starts),
            per_call_ns(lambda d: vn.get_nth_working_day(d, 20), starts, batches=7),
            per_call_ns(np_add(20), starts),
            per_call_ns(np_add64(20), starts_np),
            60,
        ),
        (
            "add n=250",
            per_call_ns(lambda d: cal.add_working_days(d, 250), starts),
            per_call_ns(lambda d: vn.get_nth_working_day(d, 250), starts[:40], batches=5),
            per_call_ns(np_add(250), starts),
            per_call_ns(np_add64(250), starts_np),
            700,
        ),
        (
            "count one year",
            per_call_ns(lambda ab: cal.count_working_days_inclusive(*ab), year_spans),
            per_call_ns(lambda ab: vn.get_working_days_count(*ab), year_spans[:10], batches=5),
            per_call_ns(np_count, year_spans),
            per_call_ns(lambda ab: np.busday_count(ab[0], ab[1], busdaycal=busdays), year_spans_np),
            700,
        ),
    ]
    vector = per_call_ns(
        lambda xs: np.busday_offset(xs, 20, roll="forward", busdaycal=busdays), [np.array(starts_np)]
    ) / len(starts_np)

    print(
        f"Python {platform.python_version()}, holidays {holidays_version}, numpy {np.__version__}, "
        f"{platform.machine()} {platform.system()}"
    )
    print(
        f"build: quyche {build_quyche * 1000:.0f} ms (1901–2099, from the shipped index), holidays.VN "
        f"{build_holidays * 1000:.0f} ms, numpy busdaycalendar {build_numpy * 1000:.1f} ms"
    )
    print()
    head = (
        f"{'case':<16}{'quyche':>10}{'holidays':>13}{'×':>8}{'target':>9}"
        f"{'numpy(date)':>13}{'×':>7}{'target':>8}{'numpy(dt64)':>13}{'×':>7}"
    )
    print(head)
    print("-" * len(head))
    missed = 0
    for name, ours_ns, hol_ns, np_ns, np64_ns, target in cases:
        r_hol, r_np, r_np64 = hol_ns / ours_ns, np_ns / ours_ns, np64_ns / ours_ns
        ok_hol, ok_np = r_hol >= target, r_np >= NUMPY_TARGET
        missed += (not ok_hol) + (not ok_np)
        print(
            f"{name:<16}{fmt_ns(ours_ns):>10}{fmt_ns(hol_ns):>13}{r_hol:>7,.0f}×"
            f"{'≥' + str(target) + ('✓' if ok_hol else '✗'):>9}"
            f"{fmt_ns(np_ns):>13}{r_np:>6.1f}×{'≥' + str(NUMPY_TARGET) + ('✓' if ok_np else '✗'):>8}"
            f"{fmt_ns(np64_ns):>13}{r_np64:>6.1f}×"
        )
    print()
    print(f"numpy vectorised busday_offset n=20 over 200 dates: {fmt_ns(vector)} per date (no target)")
    print(
        "numpy differs from quyche/holidays (swapped working Saturdays it cannot express): "
        + ", ".join(
            f"{k}: {v} of {len(year_spans) if 'count' in k else len(starts)}"
            for k, v in numpy_differs.items()
        )
    )
    print("all targets met" if not missed else f"{missed} target(s) missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
