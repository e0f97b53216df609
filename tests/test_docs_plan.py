"""docs/writing-a-plan.md (issue 14): its worked plans give the verdicts it states, its rulebook tables are
the generated ones, and both halves name every plan field and every allowed value."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import get_args

import pytest

from quyche import Endpoint, Event, Host, MeetingPlan, QuycheError, evaluate, load_plan
from quyche.plan import TZ
from quyche.render.plan_guide import markers, plan_guide_tables, update_doc
from quyche.vocabulary import Channel, Content, EndpointRole, EventKind, HostKind, Level, RequestKind

ROOT = Path(__file__).resolve().parents[1]
DOC_PATH = ROOT / "docs" / "writing-a-plan.md"
DOC = DOC_PATH.read_text(encoding="utf-8")
VI, EN = DOC.split("\n## English\n", 1)

_BLOCK = re.compile(r"^```yaml (plan|error)\n(.*?)^```$", re.M | re.S)
_EXPECT = re.compile(r"^# as_of: (\S+) verdict: (compliant|not_compliant|incomplete)$")


def _blocks(text: str, tag: str) -> list[str]:
    return [body for kind, body in _BLOCK.findall(text) if kind == tag]


PLANS = [(half, i, body) for half, text in (("vi", VI), ("en", EN)) for i, body in enumerate(_blocks(text, "plan"))]


def test_each_half_has_the_worked_plans_and_they_are_the_same() -> None:
    # Three worked plans and the "contents left out" mistake, identical but for comments.
    def strip(body: str) -> str:
        kept = [line for line in body.splitlines() if line.startswith("# as_of") or not line.lstrip().startswith("#")]
        return "\n".join(line.split("  #")[0].rstrip() for line in kept)

    vi, en = _blocks(VI, "plan"), _blocks(EN, "plan")
    assert len(vi) == len(en) == 4
    assert [strip(b) for b in vi] == [strip(b) for b in en]
    verdicts = [_EXPECT.match(b.splitlines()[0]).group(2) for b in vi]  # type: ignore[union-attr]
    assert set(verdicts) == {"compliant", "not_compliant", "incomplete"}


@pytest.mark.parametrize(("half", "index", "body"), PLANS, ids=[f"{h}-{i}" for h, i, _ in PLANS])
def test_a_worked_plan_gives_the_verdict_it_states(half: str, index: int, body: str, tmp_path: Path) -> None:
    first = body.splitlines()[0]
    expect = _EXPECT.match(first)
    assert expect, f"{half} plan {index}: first line must be '# as_of: T verdict: V', got {first!r}"
    path = tmp_path / "ke-hoach.yaml"
    path.write_text(body, encoding="utf-8")
    plan = load_plan(path)
    assert plan.rulebook is not None
    as_of = datetime.fromisoformat(expect.group(1)).replace(tzinfo=TZ)
    report = evaluate(plan.rulebook, plan, as_of=as_of)
    assert report.verdict == expect.group(2), [(o.rule, o.status, o.reason) for o in report.obligations
                                               if o.status in ("violated", "unknown") and o.kind == "deadline"]


def test_the_worked_plans_fail_where_the_doc_says() -> None:
    # Gia Lai 4.2: only Điều 8.1 is violated, due Mon 30/11 23:59 (Wed 2/12, Tue 1/12, Mon 30/11).
    # Cần Thơ 4.1: Điều 7.1 due Fri 20/11 (24/11 is a day off); the strict reading makes it Thu 19/11.
    gia_lai = MeetingPlan.model_validate(_yaml(_blocks(VI, "plan")[1]))
    report = evaluate("gia_lai", gia_lai, as_of=datetime(2026, 12, 4, 8, tzinfo=TZ))
    violated = [(o.rule, o.due) for o in report.obligations if o.status == "violated"]
    assert violated == [("gia_lai.d8.k1", datetime(2026, 11, 30, 23, 59, 59, tzinfo=TZ))]
    can_tho = MeetingPlan.model_validate(_yaml(_blocks(VI, "plan")[0]))
    as_of = datetime(2026, 11, 27, 8, tzinfo=TZ)
    due = {o.rule: o.due for o in evaluate("can_tho", can_tho, as_of=as_of).obligations if o.party.id == "host"}
    assert due["can_tho.d7.k1"] == datetime(2026, 11, 20, 23, 59, 59, tzinfo=TZ)
    strict = evaluate("can_tho", can_tho, as_of=as_of, reading="strict")
    assert strict.verdict == "not_compliant"
    assert next(o.due for o in strict.obligations if o.rule == "can_tho.d7.k1") == datetime(
        2026, 11, 19, 23, 59, 59, tzinfo=TZ)


def _yaml(body: str) -> object:
    import yaml

    return yaml.safe_load(body)


@pytest.mark.parametrize("half", ["vi", "en"])
def test_a_bad_plan_of_the_doc_is_refused_naming_the_field(half: str, tmp_path: Path) -> None:
    (body,) = _blocks(VI if half == "vi" else EN, "error")
    field = body.splitlines()[0].removeprefix("# error: ")
    path = tmp_path / "sai.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(QuycheError, match=rf"sai\.yaml:\d+:\d+: {re.escape(field)}:"):
        load_plan(path)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_doc_holds_the_generated_rulebook_tables(lang: str) -> None:
    start, end = markers(lang)
    shown = DOC[DOC.index(start) + len(start): DOC.index(end)]
    assert shown == plan_guide_tables(lang), (
        "docs/writing-a-plan.md tables are stale: run `python -m quyche.render.plan_guide`")


def test_update_doc_rewrites_only_between_the_markers(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    stale = "# head\n" + "".join(f"{a}old {lang}\n{b}\ntail {lang}\n" for lang in ("vi", "en")
                                  for a, b in [markers(lang)])
    doc.write_text(stale, encoding="utf-8")
    assert update_doc(doc) is True
    text = doc.read_text(encoding="utf-8")
    assert "old vi" not in text and text.startswith("# head\n") and text.endswith("tail en\n")
    assert plan_guide_tables("en") in text and plan_guide_tables("vi") in text
    assert update_doc(doc) is False


def test_the_tables_say_what_each_rulebook_asks_for() -> None:
    vi, en = plan_guide_tables("vi"), plan_guide_tables("en")
    # Every bundled rulebook has a section, with its parties' ids.
    for book in ("can_tho", "bac_kan", "gia_lai", "lai_chau", "trieu_son"):
        assert f"`rulebook: {book}`" in vi and f"`rulebook: {book}`" in en
    assert "| `so_tttt` | Sở Thông tin và Truyền thông thành phố Cần Thơ (từ 01/03/2025: Sở Khoa học và Công nghệ" in vi
    # Cần Thơ Điều 7.1: a written notice, four contents, three bodies and the branches, 3 working days.
    row = next(line for line in en.splitlines() if line.startswith("| Điều 7 khoản 1 | The host sends"))
    for cell in ("`kind: notice`", "`written` (a written document)", "`test_run` (the test-run time)",
                 "`vnpt` (VNPT Cần Thơ)", "`branch_endpoint`", "by 23:59 of the 3rd working day before the meeting day",
                 "Only when: not an emergency meeting (`emergency: false`)"):
        assert cell in row, cell
    # Gia Lai Điều 10.2.c: the same-day window; Bắc Kạn Điều 6.1: 3 calendar days.
    assert "on the meeting day, from 00:00 to 30 minutes before the meeting's start" in en
    assert "đến 23:59 ngày thứ 3 trước ngày họp<br>" in vi
    # No Python repr, and no rule id (rule ids have two dots or more: can_tho.d7.k1).
    for text in (vi, en):
        assert not re.search(r"\['|True|False|None|\b[a-z_]+\.d\d+\.k\d+", text)


MODELS = [MeetingPlan, Host, Endpoint, Event]
VALUES = [HostKind, Level, EndpointRole, EventKind, RequestKind, Channel, Content]


@pytest.mark.parametrize("half", ["vi", "en"])
def test_both_halves_name_every_field_and_every_allowed_value(half: str) -> None:
    text = VI if half == "vi" else EN
    missing = [f"{m.__name__}.{f}" for m in MODELS for f in m.model_fields if f"| `{f}` |" not in text]
    assert not missing, f"{half}: fields not in a field table: {missing}"
    values = {v for t in VALUES for v in get_args(t)}
    unnamed = sorted(v for v in values if f"`{v}`" not in text)
    assert not unnamed, f"{half}: allowed values not named: {unnamed}"
