"""The shipped calendar index (quyche.calendar_index) and the cold start of the CLI (issue 16)."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from quyche import calendar_index as ci
from quyche.calendar import WorkingCalendar
from quyche.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fresh() -> ci.CalendarIndex:
    return ci.build_index()


@pytest.fixture
def no_cache() -> object:
    ci.load_index.cache_clear()
    yield
    ci.load_index.cache_clear()


def test_shipped_index_equals_a_fresh_build(fresh: ci.CalendarIndex) -> None:
    # Fails after a `holidays` upgrade until `python -m quyche.calendar_index` regenerates the file.
    assert ci.read_shipped() == fresh
    assert fresh.holidays_version == ci.installed_holidays_version()


def test_json_round_trip(fresh: ci.CalendarIndex) -> None:
    assert ci.from_json(ci.to_json(fresh)) == fresh


def test_hand_checked_days_of_2026(fresh: ci.CalendarIndex) -> None:
    days = {date.fromordinal(o): pairs for o, pairs in fresh.days}
    assert days[date(2026, 11, 24)] == (("Ngày Văn hóa Việt Nam", "Vietnam Cultural Day"),)
    assert days[date(2026, 2, 17)][0][0] == "Tết Nguyên Đán"  # mùng 1 Tết Bính Ngọ: Tue 17/02/2026
    # Sat 22/08/2026 is worked in exchange for Mon 31/08/2026 off (the bridge to Quốc khánh 2/9).
    swaps = {date.fromordinal(w): off for w, off in fresh.weekend_workdays}
    assert swaps[date(2026, 8, 22)] == date(2026, 8, 31).toordinal()
    assert date(2026, 8, 31) in days


def test_calendar_from_index_agrees_with_holidays_every_day() -> None:
    from holidays.countries.vietnam import VN

    vn = VN(years=range(1901, 2101))  # type: ignore[no-untyped-call]
    cal = WorkingCalendar(first_year=1901, last_year=2100)
    d, last = date(1901, 1, 1), date(2100, 12, 31)
    wrong = []
    while d <= last:
        if cal.is_working_day(d) != vn.is_working_day(d):
            wrong.append(d)
        d += timedelta(days=1)
    assert wrong == []


def test_other_holidays_version_builds_fresh_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: ci.CalendarIndex, no_cache: object
) -> None:
    # A file from another holidays version, doctored with a day off on Wed 1/7/2026: it must be ignored.
    fake_day = (date(2026, 7, 1).toordinal(), (("Ngày giả", "Fake day"),))
    stale = ci.CalendarIndex("0.1", tuple(sorted((*fresh.days, fake_day))), fresh.weekend_workdays)
    path = tmp_path / "calendar_index.json"
    text = ci.to_json(stale)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(ci, "INDEX_FILE", path)
    assert ci.load_index() == fresh
    assert path.read_text(encoding="utf-8") == text  # nothing written at run time


def test_same_version_reads_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: ci.CalendarIndex, no_cache: object
) -> None:
    # The same doctored day, under the installed version: the file is what the calendar reads.
    fake_day = (date(2026, 7, 1).toordinal(), (("Ngày giả", "Fake day"),))
    doctored = ci.CalendarIndex(fresh.holidays_version, tuple(sorted((*fresh.days, fake_day))),
                                fresh.weekend_workdays)
    path = tmp_path / "calendar_index.json"
    path.write_text(ci.to_json(doctored), encoding="utf-8")
    monkeypatch.setattr(ci, "INDEX_FILE", path)
    assert ci.load_index() == doctored
    cal = WorkingCalendar(first_year=2026, last_year=2026)
    assert not cal.is_working_day(date(2026, 7, 1))
    assert cal.day_off_reason(date(2026, 7, 1), "en") == "Fake day"


@pytest.mark.parametrize("content", [None, "", "{}", '{"format": 1, "years": [1901, 2100]}'])
def test_missing_or_broken_file_builds_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: ci.CalendarIndex, no_cache: object,
    content: str | None,
) -> None:
    path = tmp_path / "calendar_index.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setattr(ci, "INDEX_FILE", path)
    assert ci.load_index() == fresh


# --- the CLI imports only the chosen command ----------------------------------------------------


def test_check_imports_neither_holidays_nor_other_commands() -> None:
    code = (
        "import sys\n"
        "from quyche.cli import main\n"
        "main(['check', 'examples/gia_lai.yaml', '--format', 'json', '--as-of', '2026-12-04T08:00'])\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    loaded = set(done.stderr.split())
    assert "quyche.cli.check" in loaded
    assert {m for m in loaded if m == "holidays" or m.startswith("holidays.")} == set()
    others = {f"quyche.cli.{m}" for m, _ in COMMANDS.values()} - {"quyche.cli.check"}
    assert loaded & others == set()
    assert "quyche.render.diff_html" not in loaded


def test_command_table_matches_the_modules_help() -> None:
    registered: dict[str, tuple[str, str | None]] = {}
    for module in sorted({m for m, _ in COMMANDS.values()}):
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"quyche.cli.{module}").register(sub)
        registered |= {a.dest: (module, a.help) for a in sub._choices_actions}
    assert registered == COMMANDS


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps long help lines
    for name, (_, help_) in COMMANDS.items():
        assert f"{name} {help_}" in out or f"{name} {' '.join(help_.split())}" in out


def test_command_help_is_the_modules(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["workdays", "--help"])
    assert e.value.code == 0
    assert "ACTION" in capsys.readouterr().out  # workdays' own subparsers, not the light entry


def test_a_missing_command_module_breaks_only_itself(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(COMMANDS, "ghost", ("no_such_module", "a command not installed"))
    assert main(["workdays", "add", "2026-11-26", "-3"]) == 0
    assert "20/11/2026" in capsys.readouterr().out  # 25/11 (1), 24/11 off, 23/11 (2), 20/11 (3)
    with pytest.raises(SystemExit) as e:
        main(["ghost"])
    assert e.value.code == 2
    assert "ghost: this command is not available" in capsys.readouterr().err
