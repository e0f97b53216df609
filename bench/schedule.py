# ruff: noqa: E402  (sys.path must be mended before the imports)
"""Schedule benchmark (not a test): `python bench/schedule.py [N ...]` from the repository root.

Writes N plan files (default 10,000 and 100,000) into a temporary folder, runs `quyche schedule FOLDER
--format json` on each set in a fresh subprocess, and prints the time per plan, the ratio of the
largest set's per-plan time to the smallest's (goal: within 1.2×) and the peak resident memory of
that subprocess (goal: under 1 GB), read with resource.getrusage inside it.

The plans are a province's year of meetings under Gia Lai's rulebook: times over 360 days, three
rooms each out of a pool that grows with N (one room per 20 plans), so the clashes per plan stay
about the same and the output grows with N, as a real calendar would. Duty clashes are off, as in the
command's default: the few support bodies serve every meeting, so their clashes grow with N² (1,434
at 1,000 plans, 12,708 at 3,000); `BENCH_DUTY=1` passes `--duty-clashes`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would shadow the standard library's `calendar` (holidays imports it).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import json
import os
import random
import subprocess
import tempfile
import time
from datetime import datetime, timedelta, timezone

TZ = timezone(timedelta(hours=7))
AS_OF = "2026-12-31"
# The child runs the command in-process and writes its own peak RSS (KiB on Linux) to a file.
CHILD = """
import resource, sys
from quyche.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write(f"{code} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
"""


def generate(folder: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    rooms = [f"Phòng họp {i}" for i in range(max(10, n // 20))]
    base = datetime(2026, 1, 5, 7, tzinfo=TZ)
    for k in range(n):
        start = base + timedelta(days=rng.randrange(360), hours=rng.randrange(10), minutes=15 * rng.randrange(4))
        names = rng.sample(rooms, 3)
        plan: dict[str, object] = {
            "rulebook": "gia_lai",
            "host": {"name": names[0], "kind": "department", "has_online_room": True},
            "start": start.isoformat(), "end": (start + timedelta(hours=rng.randrange(1, 4))).isoformat(),
            "endpoints": [{"name": r, "role": "main" if i == 0 else "branch", "level": "province",
                           "technicians": rng.randrange(3)} for i, r in enumerate(names)],
        }
        if rng.random() < 0.8:  # a fifth record nothing: incomplete
            days = rng.randrange(1, 8)  # some notices late
            plan["events"] = [{"kind": "notice", "at": (start - timedelta(days=days)).isoformat(),
                               "to": ["system_manager"], "channel": "written",
                               "contents": ["host", "room", "start", "participants", "scale"]}]
        (folder / f"p{k:06d}.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")


def run(folder: Path, duty: bool) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KiB, exit code) of one schedule run over `folder`."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as out:
        args = [sys.executable, "-c", CHILD, out.name, "schedule", str(folder), "--as-of", AS_OF,
                "--format", "json", *(["--duty-clashes"] if duty else [])]
        t = time.perf_counter()
        done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        took = time.perf_counter() - t
        code, rss = (int(x) for x in out.read().split())
    print(f"    {done.stderr.strip()}")
    return took, rss, code


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    duty = os.environ.get("BENCH_DUTY", "0") == "1"
    per: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            generate(folder, n)
            took, rss, code = run(folder, duty)
            per[n] = took / n
            print(f"{n:>8,} plans: {took:7.1f} s, {per[n] * 1e6:6.0f} µs a plan, peak RSS {rss / 1024:6.0f} MiB "
                  f"(exit {code})")
    if len(per) > 1:
        small, large = min(per), max(per)
        print(f"per-plan time {large:,} / {small:,}: {per[large] / per[small]:.2f}× (goal ≤ 1.20×)")


if __name__ == "__main__":
    main()
