"""Bad input through the real CLI, in a subprocess: one line on stderr in the language of --lang,
naming file:line:col and the field, exit 2; `quyche --version`; UTF-8 output in a Latin-1 locale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLAN = """\
rulebook: gia_lai
host: {name: Sở Nội vụ tỉnh Gia Lai, kind: department, has_online_room: true}
start: 2026-12-03T08:00:00+07:00
endpoints:
  - {name: Sở Nội vụ tỉnh Gia Lai, role: main, level: province}
"""


def quyche(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="strict", cwd=ROOT, env=env, timeout=120)


# (name, plan text, file:line:col, field, Vietnamese words, English words)
BAD = [
    # Line 6 is the unknown key itself.
    ("unknown_key", PLAN + "colour: red\n", "6:1", "colour", "khóa không hợp lệ", "unknown key (not allowed here)"),
    # Line 5: "  - {name: Sở Nội vụ tỉnh Gia Lai, role: boss, …}": `role` after "  - {" (5 characters)
    # and "name: Sở Nội vụ tỉnh Gia Lai, " (6 + 22 + 2 = 30) is at column 36.
    ("wrong_enum", PLAN.replace("role: main", "role: boss"), "5:36", "endpoints[0].role",
     "phải là một trong: main, branch; nhận được 'boss'", "Input should be 'main' or 'branch'"),
    # `kind` removed from `host`: the line of the mapping that lacks it.
    ("missing", PLAN.replace(", kind: department", ""), "2:1", "host.kind",
     "thiếu khóa bắt buộc", "required key is missing"),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_plan_is_one_line_in_the_chosen_language(
    case: tuple[str, str, str, str, str, str], lang: str, tmp_path: Path
) -> None:
    _, text, at, field, vi, en = case
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    p = quyche("check", str(path), "--as-of", "2026-12-01T08:00", "--lang", lang)
    assert p.returncode == 2 and p.stdout == ""
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in p.stderr, p.stderr
    assert lines[0].startswith(f"quyche: {path}:{at}: {field}: "), lines[0]
    assert (vi if lang == "vi" else en) in lines[0]
    assert (en if lang == "vi" else vi) not in lines[0]


def test_vietnamese_is_the_default_and_json_format_keeps_one_human_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN + "colour: red\n", encoding="utf-8")
    p = quyche("check", str(path), "--as-of", "2026-12-01T08:00", "--format", "json")
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == f"quyche: {path}:6:1: colour: khóa không hợp lệ (không được dùng ở đây)\n"


def test_an_error_before_the_arguments_are_parsed_stays_english() -> None:
    p = quyche("check", "--lang", "fr", "x.yaml")
    assert p.returncode == 2 and "invalid choice: 'fr'" in p.stderr


def test_version() -> None:
    p = quyche("--version")
    assert p.returncode == 0 and p.stdout == f"quyche {metadata.version('quyche')}\n"


def _clean_env() -> dict[str, str]:
    """This environment without any locale or Python I/O encoding setting (the test adds its own)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO", "PYTHONUTF8"))}
    env["LANG"] = "C"
    return env


def test_output_is_utf8_when_the_streams_are_latin1(tmp_path: Path) -> None:
    # PYTHONIOENCODING=latin-1 gives Python the streams a Latin-1 locale would (D08: "ế" is U+1EBF).
    env = {**_clean_env(), "PYTHONIOENCODING": "latin-1"}
    p = quyche("check", "examples/can_tho.yaml", "--as-of", "2026-11-25T08:00", env=env)
    assert p.returncode == 1, p.stderr
    assert "Sở Nội vụ thành phố Cần Thơ" in p.stdout and "VI PHẠM" in p.stdout
    bad = tmp_path / "plan.yaml"
    bad.write_text(PLAN + "colour: red\n", encoding="utf-8")
    err = quyche("check", str(bad), env=env)
    assert err.returncode == 2 and "khóa không hợp lệ" in err.stderr


@pytest.mark.skipif(shutil.which("localedef") is None, reason="localedef is not installed")
def test_output_is_utf8_in_a_real_latin1_locale(tmp_path: Path) -> None:
    # Build en_US.ISO-8859-1 under tmp_path (0.3 s) and run with it, PYTHONIOENCODING unset.
    made = subprocess.run(["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(tmp_path / "en_US.ISO-8859-1")],
                          capture_output=True, text=True)
    if not (tmp_path / "en_US.ISO-8859-1").is_dir():
        pytest.skip(f"cannot build a Latin-1 locale: {made.stderr.strip()[:200]}")
    env = {**_clean_env(), "LOCPATH": str(tmp_path), "LC_ALL": "en_US.ISO-8859-1"}
    probe = subprocess.run([sys.executable, "-c", "import sys; print(sys.stdout.encoding)"],
                           capture_output=True, text=True, env=env)
    assert probe.stdout.strip().lower() in ("iso8859-1", "latin-1")  # the locale took effect
    p = quyche("check", "examples/can_tho.yaml", "--as-of", "2026-11-25T08:00", env=env)
    assert p.returncode == 1, p.stderr
    assert "Sở Nội vụ thành phố Cần Thơ" in p.stdout


def test_output_is_utf8_in_the_c_locale_without_coercion() -> None:
    # LC_ALL=C with PEP 538/540 turned off: Python would write ASCII and fail on "ở".
    env = {**_clean_env(), "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    p = quyche("rulebooks", env=env)
    assert p.returncode == 0 and "Ủy ban nhân dân thành phố Cần Thơ" in p.stdout, p.stderr
