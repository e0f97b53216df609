"""Hand-checked case files (tests/cases/<rulebook>/*.yaml) run through `evaluate`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from quyche import evaluate, load_rulebook
from quyche.plan import MeetingPlan, to_local
from quyche.yamlio import read_document

CASES = sorted(Path(__file__).parent.glob("cases/*/*.yaml"))


def _time(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return to_local(value).isoformat(timespec="seconds")
    return str(value)


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_case(path: Path) -> None:
    case = read_document(path).data
    plan = MeetingPlan.model_validate(case["plan"])
    book = load_rulebook(plan.rulebook or path.parent.name)
    report = evaluate(book, plan, as_of=case["as_of"], reading=case.get("reading", "default"),
                      readings=case.get("readings"))
    # Every case states its verdict: the legal claim a case file makes.
    assert "verdict" in case["expect"] or "compliant" in case["expect"], f"{path.name}: no verdict expected"
    expect = case["expect"]
    problems = []
    if "compliant" in expect and report.compliant != expect["compliant"]:
        problems.append(f"compliant: expected {expect['compliant']}, got {report.compliant}")
    if "verdict" in expect and report.verdict != expect["verdict"]:
        problems.append(f"verdict: expected {expect['verdict']}, got {report.verdict}")
    for key in ("in_force", "reference_only"):
        if key in expect and getattr(report, key) != expect[key]:
            problems.append(f"{key}: expected {expect[key]}, got {getattr(report, key)}")
    got = {(o.rule, o.party.id): o for o in report.obligations}
    for want in expect.get("obligations", []):
        key = (want["rule"], want["party"])
        if key not in got:
            problems.append(f"{key}: no such obligation (have {sorted(k for k in got if k[0] == key[0])})")
            continue
        o = got[key]
        for field in ("status", "reason_code", "kind", "due", "not_before", "provisional"):
            if field not in want:
                continue
            have = getattr(o, field)
            want_v = _time(want[field]) if field in ("due", "not_before") else want[field]
            have_v = _time(have) if field in ("due", "not_before") else have
            if have_v != want_v:
                problems.append(f"{key}.{field}: expected {want_v}, got {have_v} ({o.reason})")
    if "violations" in expect:
        have_v = sorted({f.rule for f in report.findings if f.severity == "violation"})
        if have_v != sorted(set(expect["violations"])):
            problems.append(f"violations: expected {sorted(set(expect['violations']))}, got {have_v}")
    assert not problems, f"{path.name}: {case.get('description', '')}\n" + "\n".join(problems)


def test_every_rulebook_has_cases() -> None:
    ids = {p.parent.name for p in CASES}
    assert ids >= {"can_tho", "bac_kan", "gia_lai", "lai_chau", "trieu_son"}
