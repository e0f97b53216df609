"""`quyche check` over several plans: jsonl order, exit codes, standard input, --jobs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-12-01"
# At AS_OF (by `quyche check examples/X --as-of 2026-12-01`): gia_lai, lai_chau, trieu_son compliant
# (exit 0), bac_kan and can_tho not compliant (exit 1).
VERDICTS = {"gia_lai": 0, "lai_chau": 0, "trieu_son": 0, "bac_kan": 1, "can_tho": 1}


def _check(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "quyche", "check", "--as-of", AS_OF, *args],
                          capture_output=True, input=stdin, cwd=cwd)


def _lines(out: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.decode().splitlines()]


def test_jsonl_keeps_input_order_and_exit_is_the_worst() -> None:
    names = ["can_tho", "gia_lai", "bac_kan"]
    r = _check(*(f"examples/{n}.yaml" for n in names), "--format", "jsonl")
    assert [x["rulebook"] for x in _lines(r.stdout)] == names
    assert r.returncode == 1  # 1, 0, 1: the worst is 1
    for name, line in zip(names, r.stdout.decode().splitlines(), strict=True):
        one = _check(f"examples/{name}.yaml", "--format", "json")
        assert json.loads(line) == json.loads(one.stdout)  # the same report as alone


def test_unreadable_plan_is_an_error_line_in_place_and_exit_2() -> None:
    r = _check("examples/gia_lai.yaml", "examples/missing.yaml", "examples/can_tho.yaml", "--format", "jsonl")
    lines = _lines(r.stdout)
    assert [x.get("rulebook") for x in lines] == ["gia_lai", None, "can_tho"]
    assert lines[1] == {"plan": "examples/missing.yaml",
                        "error": {"code": "cannot_read", "place": "examples/missing.yaml",
                                  "message": lines[1]["error"]["message"]}}  # type: ignore[index]
    assert r.returncode == 2  # 0, 2, 1: 2 wins
    assert r.stderr.decode().count("\n") == 1 and "examples/missing.yaml" in r.stderr.decode()


def test_incomplete_beats_compliant_and_not_compliant_beats_incomplete(tmp_path: Path) -> None:
    # gia_lai's plan judged long after its meeting with its events removed: past-due duties with
    # no record, no violation -> incomplete (3).
    text = (ROOT / "examples/gia_lai.yaml").read_text(encoding="utf-8")
    bare = tmp_path / "bare.yaml"
    bare.write_text(text.split("\nevents:")[0] + "\n", encoding="utf-8")
    alone = _check(str(bare), "--as-of", "2027-01-10")
    assert alone.returncode == 3, alone.stdout.decode()[-400:]
    ok = str(ROOT / "examples/gia_lai.yaml")
    assert _check(ok, str(bare), "--format", "jsonl", "--as-of", "2027-01-10").returncode == 3  # 0, 3
    bad = str(ROOT / "examples/can_tho.yaml")
    assert _check(bad, str(bare), "--format", "jsonl", "--as-of", "2027-01-10").returncode == 1  # 1, 3


def test_stdin_dash_is_one_plan_in_its_place() -> None:
    plan = (ROOT / "examples/bac_kan.yaml").read_bytes()
    r = _check("examples/gia_lai.yaml", "-", "--format", "jsonl", stdin=plan)
    assert [x["rulebook"] for x in _lines(r.stdout)] == ["gia_lai", "bac_kan"]
    alone = _check("-", "--format", "json", stdin=plan)
    assert json.loads(alone.stdout) == _lines(r.stdout)[1]
    assert alone.returncode == r.returncode == 1


def test_stdin_plan_naming_a_path_is_refused() -> None:
    # A plan on stdin has no folder, so its `rulebook: PATH` cannot be resolved: bad input.
    text = (ROOT / "examples/gia_lai.yaml").read_text(encoding="utf-8").replace("rulebook: gia_lai",
                                                                                 "rulebook: rules.yaml")
    r = _check("-", "--format", "jsonl", stdin=text.encode())
    assert r.returncode == 2
    assert _lines(r.stdout)[0]["error"]["code"] == "rulebook_path_refused"  # type: ignore[index]


def test_folder_is_its_plans_sorted(tmp_path: Path) -> None:
    for name in ("gia_lai", "can_tho"):
        shutil.copy(ROOT / f"examples/{name}.yaml", tmp_path / f"{name}.yaml")
    (tmp_path / "notes.txt").write_text("not a plan", encoding="utf-8")
    r = _check(str(tmp_path), "--format", "jsonl")
    assert [x["rulebook"] for x in _lines(r.stdout)] == ["can_tho", "gia_lai"]  # sorted by file name


def test_jobs_2_gives_the_same_bytes_as_jobs_1() -> None:
    args = ["examples", "examples/missing.yaml", "examples/gia_lai.yaml", "--format", "jsonl"]
    one, two = _check(*args, "--jobs", "1"), _check(*args, "--jobs", "2")
    assert one.stdout == two.stdout and one.stderr == two.stderr
    assert len(one.stdout.splitlines()) == 7
    assert one.returncode == two.returncode == 2


def test_text_reports_are_headed_by_their_file() -> None:
    r = _check("examples/gia_lai.yaml", "examples/lai_chau.yaml")
    out = r.stdout.decode()
    assert out.startswith("==> examples/gia_lai.yaml <==\n")
    assert "\n\n==> examples/lai_chau.yaml <==\n" in out
    assert r.returncode == 0
    assert r.stderr == b""  # stderr is not a terminal: no progress bar


def test_one_plan_output_is_unchanged() -> None:
    # A single plan: no header, and json is accepted (several plans need jsonl).
    r = _check("examples/gia_lai.yaml")
    assert not r.stdout.startswith(b"==>")
    assert _check("examples/gia_lai.yaml", "examples/can_tho.yaml", "--format", "json").returncode == 2


@pytest.mark.parametrize("jobs", ["0", "two"])
def test_bad_jobs_is_bad_input(jobs: str) -> None:
    r = _check("examples/gia_lai.yaml", "--jobs", jobs)
    assert r.returncode == 2 and r.stdout == b"" and "--jobs" in r.stderr.decode()
