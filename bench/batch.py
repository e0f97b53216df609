"""Plans per second through `quyche check --format jsonl`, with --jobs 1 and --jobs 2.

    python bench/batch.py [COPIES]    # COPIES copies of each example plan (default 40: 200 plans)

One process per run, so the time includes start-up (as a caller shelling out would see it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as tmp:
        plans = sorted((ROOT / "examples").glob("*.yaml"))
        for i in range(copies):
            for plan in plans:
                shutil.copy(plan, Path(tmp) / f"{i:04d}_{plan.name}")
        count = copies * len(plans)
        outputs = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "quyche", "check", tmp, "--format", "jsonl", "--as-of",
                                "2026-12-01", "--jobs", str(jobs)], capture_output=True, cwd=ROOT)
            elapsed = time.perf_counter() - start
            outputs[jobs] = r.stdout
            print(f"--jobs {jobs}: {count} plans in {elapsed:.2f} s, {count / elapsed:.1f} plans/s "
                  f"(exit {r.returncode})")
        print("same bytes:", outputs[1] == outputs[2])


if __name__ == "__main__":
    main()
