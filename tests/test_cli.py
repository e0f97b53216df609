"""The CLI through a subprocess: exit codes, JSON that fits the contract, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from contract_check import check_report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def quyche(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_each_example_reports_json_that_fits_the_contract(path: Path) -> None:
    p = quyche("check", str(path), "--format", "json", "--as-of", "2026-11-25T08:00:00+07:00")
    assert p.returncode in (0, 1, 3), p.stderr
    report = json.loads(p.stdout)
    assert check_report(report) == []
    assert p.returncode == {"compliant": 0, "not_compliant": 1, "incomplete": 3}[report["verdict"]]
    assert report["as_of"] == "2026-11-25T08:00:00+07:00"
    assert report["obligations"]


def test_the_contract_checker_passes_every_example_through_the_installed_cli() -> None:
    # examples mode runs `quyche check` itself; it must be on PATH (the venv's bin).
    import os

    path = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    checker = str(ROOT / "tests" / "contract_check.py")
    p = subprocess.run([sys.executable, checker, "examples", str(ROOT / "examples")],
                       capture_output=True, text=True, env={**os.environ, "PATH": path})
    assert p.returncode == 0, p.stdout + p.stderr


def test_plan_is_incomplete_once_a_deadline_it_lists_has_passed() -> None:
    # Cần Thơ Điều 7 khoản 1: 3 working days before Thu 03/12/2026 → Wed 02 (1), Tue 01 (2), Mon 30/11 (3):
    # due end of Mon 30/11. As of 02/12 02:36 that deadline has passed with nothing recorded.
    late = quyche("plan", "can_tho", "2026-12-03T08:00", "--as-of", "2026-12-02T02:36", "--format", "json")
    assert late.returncode == 3, late.stderr
    assert json.loads(late.stdout)["verdict"] == "incomplete"
    early = quyche("plan", "can_tho", "2026-12-03T08:00", "--as-of", "2026-11-20T08:00", "--format", "json")
    assert early.returncode == 0 and json.loads(early.stdout)["verdict"] == "compliant"
    text = quyche("plan", "can_tho", "2026-12-03T08:00", "--as-of", "2026-12-02T02:36")
    assert "CHƯA ĐỦ DỮ KIỆN" in text.stdout and "TUÂN THỦ\n" not in text.stdout


def test_plan_endpoints_make_endpoint_deadlines_pending() -> None:
    p = quyche("plan", "can_tho", "2026-12-03T08:00", "--as-of", "2026-11-20T08:00", "--format", "json",
               "--endpoint", "UBND phường Ninh Kiều:branch:commune")
    assert p.returncode == 0, p.stderr
    runs = [o for o in json.loads(p.stdout)["obligations"] if o["rule"] == "can_tho.d8.k2"]
    assert {o["party"]["name"]: o["status"] for o in runs}["UBND phường Ninh Kiều"] == "pending"
    bad = quyche("plan", "can_tho", "2026-12-03T08:00", "--endpoint", "nameless")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_every_rulebook_has_an_example() -> None:
    assert {p.stem for p in EXAMPLES} >= {"can_tho", "bac_kan", "gia_lai", "lai_chau", "trieu_son"}


def test_text_report_groups_by_party_and_explains(tmp_path: Path) -> None:
    p = quyche("check", str(ROOT / "examples" / "can_tho.yaml"), "--as-of", "2026-11-27", "--explain")
    assert p.returncode in (0, 1), p.stderr
    assert "Ngày Văn hóa Việt Nam" in p.stdout
    p_en = quyche("check", str(ROOT / "examples" / "can_tho.yaml"), "--as-of", "2026-11-27", "--lang", "en")
    assert "As of" in p_en.stdout


def test_bad_plan_is_exit_2_with_the_place_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "rulebook: can_tho\nhost: {name: X, kind: department}\nstart: 2026-11-26T08:00:00\n"
        "events:\n  - {kind: notice, at: 2026-11-20T10:00:00}\n  - {kind: notise, at: 2026-11-20T10:00:00}\n",
        encoding="utf-8",
    )
    p = quyche("check", str(bad), "--as-of", "2026-11-27")
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert "bad.yaml:6" in p.stderr and "events[1].kind" in p.stderr


def test_unknown_rulebook_and_missing_file_are_exit_2() -> None:
    assert quyche("check", "nope.yaml").returncode == 2
    p = quyche("show", "atlantis")
    assert p.returncode == 2 and "atlantis" in p.stderr


def test_plan_command_lists_pending_deadlines_for_every_party() -> None:
    p = quyche("plan", "can_tho", "2026-11-26T08:00", "--as-of", "2026-11-01", "--format", "json")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert check_report(report) == []
    roles = {r for o in report["obligations"] for r in o["party"]["roles"]}
    assert {"host", "system_manager", "telecom", "power_company"} <= roles
    dated = [o for o in report["obligations"] if o["due"] and o["status"] != "not_applicable"]
    assert dated and all(o["status"] in ("pending", "unknown") for o in dated)
    assert {o["status"] for o in dated if o["rule"] == "can_tho.d7.k1"} == {"pending"}
    # unknown only where a fact the checklist cannot know decides whether the duty arises
    assert all(o["reason_code"] in ("party_not_listed", "facts_missing", "not_arisen")
               for o in dated if o["status"] == "unknown")


def test_rulebooks_show_lint_coverage() -> None:
    p = quyche("rulebooks")
    assert p.returncode == 0 and "gia_lai" in p.stdout and "draft" in p.stdout
    assert quyche("show", "can_tho", "--format", "markdown").stdout.startswith("# can_tho")
    assert quyche("lint", str(ROOT / "rules" / "gia_lai.yaml")).returncode == 0
    p = quyche("coverage", "can_tho")
    assert p.returncode == 0 and "Điều 11 (thứ hai)" in p.stdout


def test_dates_outside_the_calendar_name_the_field(tmp_path: Path) -> None:
    plan = tmp_path / "old.yaml"
    plan.write_text("rulebook: can_tho\nhost: {name: X, kind: department}\nstart: 2026-11-26T08:00:00\n"
                    "events:\n  - {kind: notice, at: 1800-01-01T08:00:00}\n", encoding="utf-8")
    p = quyche("check", str(plan), "--as-of", "2026-11-27")
    # The model refuses it, so the message names the line and column (red team D19).
    assert p.returncode == 2 and "old.yaml:5:20: events[0].at: 01/01/1800" in p.stderr
    p = quyche("check", str(plan), "--as-of", "9999-12-31T23:00:00-12:00")
    assert p.returncode == 2 and p.stderr.startswith("quyche: --as-of:")


def test_an_event_far_from_the_meeting_is_a_warning(tmp_path: Path) -> None:
    plan = tmp_path / "typo.yaml"
    plan.write_text("rulebook: can_tho\nhost: {name: X, kind: department}\nstart: 2026-11-26T08:00:00\n"
                    "events:\n  - {kind: notice, at: 2025-11-20T08:00:00}\n", encoding="utf-8")
    p = quyche("check", str(plan), "--as-of", "2026-11-27", "--format", "json")
    warnings = [f for f in json.loads(p.stdout)["findings"] if f["severity"] == "warning"]
    assert any(f["code"] == "event_far_from_meeting" and "20/11/2025" in f["message"] for f in warnings)
