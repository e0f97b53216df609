"""Legal currency: who a rulebook's bodies are on the meeting's date, and what was in force then."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from quyche import BUNDLED_IDS, MeetingPlan, Rulebook, WorkingCalendar, evaluate, load_rulebook
from quyche.calendar import CalendarOverrides
from quyche.currency import status_on
from quyche.institutions import bundled_registry
from quyche.plan import TZ

ROOT = Path(__file__).resolve().parents[1]


def _plan(book: str, start: datetime, **kw: object) -> MeetingPlan:
    return MeetingPlan.model_validate({"rulebook": book, "host": {"name": "Sở Nội vụ", "kind": "department"},
                                       "start": start, **kw})


def _warnings(report: object) -> list[str]:
    return [f.message for f in report.findings if f.severity == "warning"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("rid", BUNDLED_IDS)
def test_every_institution_a_rulebook_names_is_in_the_registry(rid: str) -> None:
    book, reg = load_rulebook(rid), bundled_registry()
    assert book.metadata.issuer_institution is not None
    for inst in [book.metadata.issuer_institution, *(p.institution for p in book.parties if p.institution)]:
        reg.institution(inst)


def test_a_2026_bac_kan_plan_warns_of_the_merger_and_names_the_successors() -> None:
    r = evaluate(load_rulebook("bac_kan"), _plan("bac_kan", datetime(2026, 3, 10, 8, tzinfo=TZ)),
                 as_of=datetime(2026, 3, 1, tzinfo=TZ))
    text = "\n".join(_warnings(r))
    # NQ 202/2025/QH15: the old provincial bodies operated until 30/06/2025, the merged ones from 01/07.
    assert "Ủy ban nhân dân tỉnh Bắc Kạn → Ủy ban nhân dân tỉnh Thái Nguyên từ 01/07/2025" in text
    assert "Nghị quyết số 202/2025/QH15" in text
    assert "Sở Khoa học và Công nghệ tỉnh Thái Nguyên" in text
    # A draft is reference only: worked out "with its bodies as it names them" (CONTRACT.md section 5).
    assert r.reference_only and not r.in_force
    names = {o.party.name for o in r.obligations}
    assert "Sở Thông tin và Truyền thông tỉnh Bắc Kạn" in names
    # the deadline arithmetic is not touched by the change of bodies
    assert any(o.rule == "bac_kan.d6.k1" for o in r.obligations)


def test_can_tho_names_so_tttt_in_2024_without_warning_and_its_successor_in_2026() -> None:
    book = load_rulebook("can_tho")
    r2024 = evaluate(book, _plan("can_tho", datetime(2024, 5, 9, 8, tzinfo=TZ)), as_of=datetime(2024, 5, 1, tzinfo=TZ))
    assert _warnings(r2024) == []
    assert "Sở Thông tin và Truyền thông thành phố Cần Thơ" in {o.party.name for o in r2024.obligations}
    r2026 = evaluate(book, _plan("can_tho", datetime(2026, 5, 7, 8, tzinfo=TZ)), as_of=datetime(2026, 5, 1, tzinfo=TZ))
    assert any("Sở Khoa học và Công nghệ thành phố Cần Thơ từ 01/03/2025" in w and "45/2025/NĐ-CP" in w
               for w in _warnings(r2026))
    due24 = {o.rule: o.due for o in r2024.obligations if o.party.id == "host"}
    assert due24["can_tho.d7.k1"] is not None


def test_trieu_son_after_july_2025_warns_that_the_district_level_ended() -> None:
    book = load_rulebook("trieu_son")
    endpoints = [{"name": "UBND tỉnh", "role": "main", "level": "province"},
                 {"name": "UBND huyện Triệu Sơn", "role": "branch", "level": "district"}]
    before = evaluate(book, _plan("trieu_son", datetime(2025, 6, 20, 8, tzinfo=TZ), endpoints=endpoints),
                      as_of=datetime(2025, 6, 1, tzinfo=TZ))
    after = evaluate(book, _plan("trieu_son", datetime(2025, 7, 2, 8, tzinfo=TZ), endpoints=endpoints),
                     as_of=datetime(2025, 6, 1, tzinfo=TZ))
    assert not any("cấp huyện kết thúc" in w for w in _warnings(before))
    text = "\n".join(_warnings(after))
    assert "Chính quyền cấp huyện kết thúc hoạt động sau ngày 30/06/2025" in text
    assert "Ủy ban nhân dân huyện Triệu Sơn chấm dứt hoạt động" in text
    assert "UBND huyện Triệu Sơn" in next(w for w in _warnings(after) if "cấp huyện kết thúc" in w)


def test_status_on_a_date() -> None:
    reg = bundled_registry()
    assert status_on(load_rulebook("lai_chau"), reg, date(2019, 10, 1)).force == "not_yet_in_force"
    assert status_on(load_rulebook("lai_chau"), reg, date(2019, 10, 7)).force == "in_force"
    assert status_on(load_rulebook("gia_lai"), reg, date(2026, 11, 24)).force == "draft"
    s = status_on(load_rulebook("lai_chau"), reg, date(2026, 1, 1))
    so = next(b for b in s.bodies if b.party == "so_tttt")
    assert so.current == "Sở Khoa học và Công nghệ tỉnh Lai Châu"
    huyen = next(b for b in s.bodies if b.party == "ubnd_cap_huyen")
    assert huyen.current is None and huyen.changes


def test_status_cli_json() -> None:
    p = subprocess.run([sys.executable, "-m", "quyche.cli", "status", "bac_kan", "--on", "2026-01-15", "--format",
                        "json"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    [row] = json.loads(p.stdout)
    assert row["force"] == "draft" and row["issuer"]["current"] == "Ủy ban nhân dân tỉnh Thái Nguyên"


def test_culture_day_can_be_switched_off_as_data() -> None:
    book = load_rulebook("can_tho")
    plan = _plan("can_tho", datetime(2026, 11, 26, 8, tzinfo=TZ))
    on = evaluate(book, plan, as_of=datetime(2026, 11, 1, tzinfo=TZ))
    off = evaluate(book, plan, as_of=datetime(2026, 11, 1, tzinfo=TZ),
                   calendar=WorkingCalendar(overrides=CalendarOverrides(culture_day=False)))
    due = {o.rule: o.due for o in on.obligations if o.party.id == "host"}
    due_off = {o.rule: o.due for o in off.obligations if o.party.id == "host"}
    assert due["can_tho.d7.k1"] == datetime(2026, 11, 20, 23, 59, 59, tzinfo=TZ)
    assert due_off["can_tho.d7.k1"] == datetime(2026, 11, 23, 23, 59, 59, tzinfo=TZ)


def test_a_rule_valid_only_for_some_dates_does_not_apply_outside_them() -> None:
    book = load_rulebook("can_tho")
    data = book.model_dump(mode="json")
    rule = next(r for r in data["rules"] if r["id"] == "can_tho.d7.k1")
    rule["valid_until"] = "2025-12-31"
    amended = Rulebook.model_validate(data)
    in_2025 = evaluate(amended, _plan("can_tho", datetime(2025, 11, 27, 8, tzinfo=TZ)),
                       as_of=datetime(2025, 11, 1, tzinfo=TZ))
    in_2026 = evaluate(amended, _plan("can_tho", datetime(2026, 11, 26, 8, tzinfo=TZ)),
                       as_of=datetime(2026, 11, 1, tzinfo=TZ))
    status = {r.rule: r.status for r in in_2025.obligations if r.party.id == "host"}
    assert status["can_tho.d7.k1"] == "pending"
    later = next(o for o in in_2026.obligations if o.rule == "can_tho.d7.k1")
    assert later.status == "not_applicable" and later.reason_code == "rule_not_in_force"
