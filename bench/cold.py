"""Cold start of `quyche check` against the import baseline (issue 16).

    .venv/bin/python bench/cold.py [--rounds 15]

Each round runs, as fresh subprocesses and in alternating order, the baseline
`python -c "import pydantic, yaml, holidays"` and `python -m quyche check examples/gia_lai.yaml
--format json --as-of …` with the same interpreter. The medians of the wall times and their ratio are
printed; the target is ≤ 2.0× (goal 1.6×). Not a test: it prints figures and says whether the target
is met (exit 1 when it is not).

Both commands run with their bytecode cached in a temporary `PYTHONPYCACHEPREFIX` (removed at the end), so
the warm-up round leaves .pyc files even where `PYTHONDONTWRITEBYTECODE` is set, as an installed wheel has
them, and nothing is written into the source tree. `--no-pyc` measures with the caller's environment as is.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET, GOAL = 2.0, 1.6
BASELINE = [sys.executable, "-c", "import pydantic, yaml, holidays"]
# A fixed --as-of: the library never reads the clock, and the CLI's default would be the only call that does.
CHECK = [sys.executable, "-m", "quyche", "check", "examples/gia_lai.yaml", "--format", "json",
         "--as-of", "2026-12-04T08:00"]


def run_once(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1, 3):  # verdict codes; 2 is bad input, anything else a crash
        sys.exit(f"{' '.join(cmd)}: exit {done.returncode}\n{done.stderr.decode(errors='replace')}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--no-pyc", action="store_true",
                    help="keep the environment as is (under PYTHONDONTWRITEBYTECODE every run compiles quyche)")
    opts = ap.parse_args()
    rounds = opts.rounds
    prefix = None if opts.no_pyc else tempfile.mkdtemp(prefix="quyche-cold-pyc-")
    env = None
    if prefix is not None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = prefix
    try:
        # Warm the OS file cache and the .pyc files once; "cold" means a new interpreter, not a cold disk.
        run_once(BASELINE, env)
        run_once(CHECK, env)
        base: list[float] = []
        check: list[float] = []
        for k in range(rounds):
            pair = ((base, BASELINE), (check, CHECK))
            for samples, cmd in pair if k % 2 == 0 else reversed(pair):
                samples.append(run_once(cmd, env))
    finally:
        if prefix is not None:
            shutil.rmtree(prefix, ignore_errors=True)
    b, c = statistics.median(base), statistics.median(check)
    ratio = c / b
    print(f"Python {platform.python_version()}, {platform.machine()} {platform.system()}, "
          f"{os.cpu_count()} CPUs, {rounds} interleaved rounds, "
          f"{'environment as is' if prefix is None else 'cached bytecode (temporary PYTHONPYCACHEPREFIX)'}")
    print(f"baseline  import pydantic, yaml, holidays   median {b * 1000:6.1f} ms "
          f"(min {min(base) * 1000:.1f}, max {max(base) * 1000:.1f})")
    print(f"check     examples/gia_lai.yaml --format json median {c * 1000:6.1f} ms "
          f"(min {min(check) * 1000:.1f}, max {max(check) * 1000:.1f})")
    verdict = "goal met" if ratio <= GOAL else "target met" if ratio <= TARGET else "target missed"
    print(f"ratio {ratio:.2f}× (target ≤ {TARGET}×, goal ≤ {GOAL}×): {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
