# ruff: noqa: E402  (sys.path must be mended before the imports)
"""Evaluator benchmark (not a test): run `python bench/evaluate.py` from the repository root.

Prints, in one run (issue 16's yardsticks, ratios included):
1. per example, median `evaluate` time over median `MeetingPlan.model_validate` time of the same plan
   data, in interleaved rounds (issue 16's bar ≤ 10×, its goal 3×);
2. 10k and 30k varied plans (as_of, start, events present or not, endpoint counts) on one core, CPU
   time (`time.process_time`), validation not included; 100k is measured, never extrapolated, when 30k
   says it takes under 180 s;
3. peak memory per plan: tracemalloc's peak over a batch whose reports are kept, divided by its size,
   and the largest peak of a single evaluation.
`--fresh` passes `memo=False` (every evaluation compiles the rulebook afresh and shares nothing) for a
side-by-side figure.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would shadow the standard library's `calendar` (holidays imports it).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import os
import statistics
import time
import tracemalloc
from datetime import datetime, timedelta
from typing import Any

from quyche import MeetingPlan, default_calendar, evaluate, load_rulebook
from quyche.rulebook import Rulebook
from quyche.yamlio import read_document

ROOT = Path(__file__).resolve().parents[1]
MEMO = "--fresh" not in sys.argv


def examples() -> list[tuple[str, dict[str, Any], Rulebook]]:
    out = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        data = read_document(path).data
        plan = MeetingPlan.model_validate(data)
        out.append((path.stem, data, load_rulebook(plan.rulebook or path.stem)))
    return out


def varied(n: int, bases: list[tuple[str, dict[str, Any], Rulebook]]) -> list[tuple[Rulebook, MeetingPlan, datetime]]:
    """n plans cycling through the examples: shifted start (days and hours), every third without events,
    endpoint lists cut to 1..all, as_of from two weeks before the start to a week after."""
    out = []
    for i in range(n):
        _, base, book = bases[i % len(bases)]
        d = dict(base)
        shift = timedelta(days=i % 700, hours=i % 5)
        d["start"] = base["start"] + shift
        if base.get("end") is not None:
            d["end"] = base["end"] + shift
        if i % 3 == 0:
            d.pop("events", None)
        else:
            d["events"] = [dict(e, at=e["at"] + shift) for e in base.get("events", [])]
        if base.get("endpoints"):
            d["endpoints"] = base["endpoints"][: 1 + i % len(base["endpoints"])]
        plan = MeetingPlan.model_validate(d)
        out.append((book, plan, plan.start + timedelta(days=i % 21 - 14, hours=i % 7)))
    return out


def per_example(cal: Any) -> None:
    print("1. evaluate / model_validate per example (medians of 15 interleaved rounds)")
    ratios = []
    for name, data, book in examples():
        plan = MeetingPlan.model_validate(data)
        as_of = plan.start - timedelta(days=1)
        evaluate(book, plan, as_of=as_of, calendar=cal, memo=MEMO)  # warm: the first call fills the memo
        t_eval, t_val = [], []
        for _ in range(15):
            t = time.perf_counter()
            for _ in range(20):
                evaluate(book, plan, as_of=as_of, calendar=cal, memo=MEMO)
            t_eval.append((time.perf_counter() - t) / 20)
            t = time.perf_counter()
            for _ in range(200):
                MeetingPlan.model_validate(data)
            t_val.append((time.perf_counter() - t) / 200)
        e, v = statistics.median(t_eval), statistics.median(t_val)
        ratios.append(e / v)
        n = len(evaluate(book, plan, as_of=as_of, calendar=cal).obligations)
        print(f"  {name:<10} evaluate {e * 1e6:7.0f} µs  validate {v * 1e6:5.1f} µs  ratio {e / v:5.1f}×  "
              f"({n} obligations)")
    print(f"  median ratio {statistics.median(ratios):.1f}× (bar ≤ 10×, goal 3×)")


def batches(cal: Any) -> None:
    print("2. varied plans, one core, CPU time (validation not included)")
    bases = examples()
    per: dict[int, float] = {}
    for n in (10_000, 30_000, 100_000):
        if n == 100_000 and per[30_000] * n > 180:
            print(f"  100,000 plans: skipped, 30k says {per[30_000] * n:.0f} s (over 180 s)")
            break
        batch = varied(n, bases)
        t = time.process_time()
        for book, plan, as_of in batch:
            evaluate(book, plan, as_of=as_of, calendar=cal, memo=MEMO)
        took = time.process_time() - t
        per[n] = took / n
        vs = f"  per plan vs 10k: {per[n] / per[10_000]:4.2f}×" if n != 10_000 else ""
        bar = "  (bar ≤ 30 s, goal 15 s)" if n == 100_000 else ""
        print(f"  {n:>7,} plans: {took:6.2f} s CPU  ({per[n] * 1e6:6.1f} µs/plan){vs}{bar}")
        del batch


def memory(cal: Any) -> None:
    print("3. peak memory (tracemalloc)")
    batch = varied(500, examples())
    for book, plan, as_of in batch[:10]:
        evaluate(book, plan, as_of=as_of, calendar=cal, memo=MEMO)  # memo and calendar warm, as in a run
    tracemalloc.start()
    kept = [evaluate(book, plan, as_of=as_of, calendar=cal, memo=MEMO) for book, plan, as_of in batch]
    _, peak = tracemalloc.get_traced_memory()
    single = 0
    for book, plan, as_of in batch[:100]:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        evaluate(book, plan, as_of=as_of, calendar=cal, memo=MEMO)
        single = max(single, tracemalloc.get_traced_memory()[1] - base)
    tracemalloc.stop()
    print(f"  batch of {len(kept)} with reports kept: {peak / len(kept) / 1024:5.1f} KiB a plan (bar ≤ 40 KiB); "
          f"largest single evaluation {single / 1024:5.1f} KiB")


def main() -> None:
    # Issue 17: plans per second through `check --format jsonl --jobs 1|2`, before pinning to one core
    # (the subprocesses inherit the affinity). bench/batch.py runs it alone.
    import importlib.util

    # bench/batch.py, beside this file (not on sys.path: see the top).
    spec = importlib.util.spec_from_file_location("bench_batch", Path(__file__).with_name("batch.py"))
    assert spec is not None and spec.loader is not None
    batch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(batch)
    sys.argv[1:] = ["20"]
    batch.main()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the issue measures
    print(f"memo {'on' if MEMO else 'off (--fresh)'}")
    cal = default_calendar()
    per_example(cal)
    batches(cal)
    memory(cal)


if __name__ == "__main__":
    main()
