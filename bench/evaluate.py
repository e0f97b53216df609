# ruff: noqa: E402  (sys.path must be mended before the imports)
"""Evaluator benchmark (not a test): run `python bench/evaluate.py` from the repository root.

Prints, in one run: plans evaluated per second on each example; the ratio of `evaluate` to pydantic's
validation of the same plan; a batch of generated plans (validation included) at growing sizes, to
show it is linear; and `quyche check` wall time against `python -c "import quyche"`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would shadow the standard library's `calendar` (holidays imports it).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import statistics
import subprocess
import time
from datetime import timedelta
from typing import Any

from quyche import MeetingPlan, default_calendar, evaluate, load_rulebook
from quyche.yamlio import read_document

ROOT = Path(__file__).resolve().parents[1]


def per_call(fn: Any, repeat: int = 7, number: int = 50) -> float:
    """Median seconds per call over `repeat` batches of `number` calls."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - t) / number)
    return statistics.median(runs)


def generated(n: int, base: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        d = dict(base)
        shift = timedelta(days=i % 700, hours=i % 5)
        d["start"] = base["start"] + shift
        if base.get("end") is not None:
            d["end"] = base["end"] + shift
        d["events"] = [dict(e, at=e["at"] + shift) for e in base.get("events", [])]
        out.append(d)
    return out


def wall(cmd: list[str], repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, cwd=ROOT)
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    cal = default_calendar()
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    print("evaluate per example (median of batches)")
    ratios = []
    for path in examples:
        data = read_document(path).data
        plan = MeetingPlan.model_validate(data)
        book = load_rulebook(plan.rulebook or path.stem)
        as_of = plan.start - timedelta(days=1)
        t_eval = per_call(lambda b=book, p=plan, a=as_of: evaluate(b, p, as_of=a, calendar=cal))
        t_val = per_call(lambda d=data: MeetingPlan.model_validate(d), number=500)
        ratios.append(t_eval / t_val)
        print(f"  {path.stem:<10} {1 / t_eval:>9,.0f} plans/s  evaluate {t_eval * 1e6:8.1f} µs  "
              f"validate {t_val * 1e6:6.1f} µs  ratio {t_eval / t_val:5.1f}×  "
              f"({len(evaluate(book, plan, as_of=as_of).obligations)} obligations)")
    print(f"  median evaluate/validate ratio: {statistics.median(ratios):.1f}× (target ≤ 3×)")

    path = ROOT / "examples" / "gia_lai.yaml"
    base = read_document(path).data
    book = load_rulebook("gia_lai")
    print("batch, validation included (one core)")
    previous = None
    for n in (10_000, 30_000, 100_000):
        batch = generated(n, base)
        t = time.perf_counter()
        for d in batch:
            p = MeetingPlan.model_validate(d)
            evaluate(book, p, as_of=p.start, calendar=cal)
        took = time.perf_counter() - t
        per = took / n * 1e6
        growth = f"  per-plan vs previous: {per / previous:4.2f}×" if previous else ""
        previous = per
        print(f"  {n:>7,} plans: {took:6.2f} s  ({per:6.1f} µs/plan){growth}")

    t_import = wall([sys.executable, "-c", "import quyche"])
    t_check = wall([sys.executable, "-m", "quyche.cli", "check", "examples/gia_lai.yaml", "--format", "json",
                    "--as-of", "2026-11-25"])
    print(f"wall: import quyche {t_import * 1e3:.0f} ms; quyche check {t_check * 1e3:.0f} ms; "
          f"ratio {t_check / t_import:.2f}× (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
