"""Readings (issue 13): a named choice per unclear phrase, chosen with --reading ID=VALUE, listed by
`quyche readings`, and `--sensitivity` saying which verdicts hang on which reading. On the synthetic
rulebook of tests/fixtures/thu_nghiem (December 2025 has no holiday)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from quyche import InputError, MeetingPlan, evaluate, load_rulebook
from quyche.plan import TZ
from quyche.sensitivity import sensitivity

ROOT = Path(__file__).resolve().parents[1]
BOOK_PATH = ROOT / "tests" / "fixtures" / "thu_nghiem" / "thu_nghiem.yaml"
BOOK = load_rulebook(BOOK_PATH)
THU = datetime(2025, 12, 4, 8, tzinfo=TZ)


def quyche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche.cli", *args], capture_output=True, text=True, cwd=ROOT)


def _plan(events: list[dict[str, Any]]) -> MeetingPlan:
    return MeetingPlan.model_validate({
        "host": {"name": "Sở Nội vụ tỉnh Thử", "kind": "department"}, "start": THU,
        "end": THU.replace(hour=11), "endpoints": [{"name": "Sở Nội vụ", "role": "main", "level": "province"}],
        "events": events,
    })


# Registration by e-mail Fri 28/11 (inside the window 24/11 – 02/12), rehearsal Wed 03/12, check at 06:30.
EMAILED = [
    {"kind": "notice", "at": datetime(2025, 11, 28, 9, tzinfo=TZ), "to": ["system_manager"], "channel": "email"},
    {"kind": "registration_confirmed", "at": datetime(2025, 12, 1, 9, tzinfo=TZ), "by": ["system_manager"],
     "to": ["host", "power_company"]},
    {"kind": "test_run", "at": datetime(2025, 12, 3, 9, tzinfo=TZ)},
    {"kind": "test_run", "at": datetime(2025, 12, 4, 6, 30, tzinfo=TZ)},
]
AS_OF = datetime(2025, 12, 5, tzinfo=TZ)


def _status(report: Any, rule: str, party: str = "host") -> str:
    return next(o.status for o in report.obligations if o.rule == rule and o.party.id == party)  # type: ignore[no-any-return]


def test_a_value_changes_the_status_as_its_text_says() -> None:
    # Điều 2.1 "gửi văn bản": the e-mail of 28/11 is no registration under written_only (violated), and
    # on time under email_counts (met). Điều 4.2: the 06:30 check is in the same-day window (00:00 →
    # 07:30) but not in the two-hour one (06:00 → 07:30 opens at 06:00: 06:30 is inside; 05:30 is not).
    default = evaluate(BOOK, _plan(EMAILED), as_of=AS_OF)
    assert _status(default, "thu_nghiem.d2.k1") == "violated"
    assert default.readings == {"working_days": "default", "thu_nghiem.writing": "written_only",
                                "thu_nghiem.same_day_check": "same_day"}
    email = evaluate(BOOK, _plan(EMAILED), as_of=AS_OF, readings={"thu_nghiem.writing": "email_counts"})
    assert _status(email, "thu_nghiem.d2.k1") == "met"
    assert email.readings["thu_nghiem.writing"] == "email_counts"
    early = [*EMAILED[:3], {"kind": "test_run", "at": datetime(2025, 12, 4, 5, 30, tzinfo=TZ)}]
    assert _status(evaluate(BOOK, _plan(early), as_of=AS_OF), "thu_nghiem.d4.k2", "endpoint:1") == "met"
    two = evaluate(BOOK, _plan(early), as_of=AS_OF, readings={"thu_nghiem.same_day_check": "two_hours"})
    assert _status(two, "thu_nghiem.d4.k2", "endpoint:1") == "violated"


def test_unknown_readings_and_values_are_bad_input_naming_the_valid_ones() -> None:
    with pytest.raises(InputError, match=r"known: .*thu_nghiem\.writing"):
        evaluate(BOOK, _plan([]), as_of=AS_OF, readings={"thu_nghiem.nope": "x"})
    with pytest.raises(InputError, match="takes written_only, email_counts"):
        evaluate(BOOK, _plan([]), as_of=AS_OF, readings={"thu_nghiem.writing": "fax"})


def test_sensitivity_finds_the_reading_a_verdict_hangs_on(tmp_path: Path) -> None:
    # Only the e-mail reading stands between this plan and compliance.
    report, s = sensitivity(BOOK, _plan(EMAILED), as_of=AS_OF)
    assert report.verdict == "not_compliant"
    assert s.verdict_hangs_on == ["thu_nghiem.writing"]
    writing = next(e for e in s.readings if e.id == "thu_nghiem.writing")
    (alt,) = writing.alternatives
    assert (alt.value, alt.verdict, alt.verdict_changes) == ("email_counts", "compliant", True)
    # The e-mail becomes the registration, so Điều 3's confirmation, counted from it, now arises (met).
    assert [(c.rule, c.status) for c in alt.changes] == [("thu_nghiem.d2.k1", ("violated", "met")),
                                                          ("thu_nghiem.d3", ("unknown", "met"))]
    # A plan sent in writing cannot be flipped by any reading.
    written = [{**EMAILED[0], "channel": "written"}, *EMAILED[1:]]
    report, s = sensitivity(BOOK, _plan(written), as_of=AS_OF)
    assert report.verdict == "compliant" and s.verdict_hangs_on == []


def test_the_cli_chooses_lists_and_explains_readings(tmp_path: Path) -> None:
    plan = tmp_path / "p.json"
    plan.write_text(_plan(EMAILED).model_dump_json(), encoding="utf-8")
    base = ["check", str(plan), "--rulebook", str(BOOK_PATH), "--as-of", "2025-12-05", "--format", "json"]
    assert quyche(*base).returncode == 1
    chosen = quyche(*base, "--reading", "thu_nghiem.writing=email_counts", "--reading", "strict")
    assert chosen.returncode == 0, chosen.stdout[-500:]
    assert json.loads(chosen.stdout)["readings"]["working_days"] == "strict"
    bad = quyche(*base, "--reading", "thu_nghiem.writing=fax")
    assert bad.returncode == 2 and "written_only, email_counts" in bad.stderr and len(bad.stderr.splitlines()) == 1
    sens = quyche(*base[:-2], "--sensitivity", "--lang", "en")
    assert sens.returncode == 1 and "The verdict hangs on the reading: thu_nghiem.writing" in sens.stdout
    data = json.loads(quyche(*base, "--sensitivity").stdout)
    assert data["sensitivity"]["verdict_hangs_on"] == ["thu_nghiem.writing"]
    listed = quyche("readings", str(BOOK_PATH), "--format", "json")
    ids = [r["id"] for r in json.loads(listed.stdout)["readings"]]
    assert ids == ["working_days", "thu_nghiem.writing", "thu_nghiem.same_day_check"]
    vi = quyche("readings", str(BOOK_PATH)).stdout
    assert "thư điện tử có được tính là văn bản không?" in vi and "(mặc định)" in vi and "Điều 2 khoản 1" in vi


def test_diff_marks_a_cell_whose_period_depends_on_a_reading() -> None:
    p = quyche("diff", str(BOOK_PATH), "can_tho", "--format", "json")
    assert p.returncode in (0, 1), p.stderr
    entries = {e["rule"]: e for row in json.loads(p.stdout)["rows"] for e in row["a"]}
    assert entries["thu_nghiem.d4.k2"]["readings"] == ["thu_nghiem.same_day_check"]
    assert entries["thu_nghiem.d2.k1"]["readings"] == []  # the e-mail reading changes channels, not the period
    text = quyche("diff", str(BOOK_PATH), "can_tho", "--lang", "en").stdout
    assert "[depends on the reading:" in text  # wrapped to the column width


def test_readme_lists_every_reading_of_the_bundled_rulebooks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- readings:start -->\n", "<!-- readings:end -->"
    shown = readme[readme.index(start) + len(start): readme.index(end)]
    table = quyche("readings", "--format", "table", "--lang", "en")
    assert table.returncode == 0, table.stderr
    assert shown == table.stdout, "README readings are stale: paste `quyche readings --format table --lang en`"


def test_show_prints_the_rules_as_a_reading_encodes_them() -> None:
    # thu_nghiem.same_day_check=two_hours: Điều 4.2's window opens 2 hours before the opening.
    default = quyche("show", str(BOOK_PATH), "--format", "json")
    chosen = quyche("show", str(BOOK_PATH), "--format", "json", "--reading", "thu_nghiem.same_day_check=two_hours")
    assert default.returncode == chosen.returncode == 0, chosen.stderr

    def opens(out: str) -> Any:
        return next(r for r in json.loads(out)["rules"] if r["id"] == "thu_nghiem.d4.k2")["opens"]

    assert opens(default.stdout)["unit"] == "days"
    assert opens(chosen.stdout) == {"amount": 2, "unit": "hours", "relation": "before", "anchor": "meeting_start"}
    assert quyche("show", str(BOOK_PATH), "--reading", "nope=x").returncode == 2


def test_duties_date_a_cadence_as_a_reading_encodes_it() -> None:
    # Gia Lai Điều 16.2.d "trước ngày 30 tháng 12": by_29_12 (the default) → due 29/12/2027; on_30_12 → 30/12.
    def due(*extra: str) -> list[str]:
        p = quyche("duties", "gia_lai", "--year", "2027", "--format", "json", *extra)
        assert p.returncode == 0, p.stderr
        return next(d["due_dates"] for d in json.loads(p.stdout)["duties"] if d["rule"] == "gia_lai.d16.k2.d")

    assert due() == ["2027-12-29"]
    assert due("--reading", "gia_lai.year_end_report=on_30_12") == ["2027-12-30"]
