"""A rulebook's own institutions (merged with the bundled registry) and a body's aliases."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quyche import evaluate
from quyche.errors import RulebookError, ValidationError
from quyche.institutions import bundled_registry, registry_for
from quyche.lint import lint
from quyche.plan import plan_from_data
from quyche.rulebook import Rulebook
from quyche.yamlio import Document, load_model, parse_document

SOURCE = """\
QUYẾT ĐỊNH

Điều 1. Ban hành kèm theo Quyết định này Quy chế thử.

QUY CHẾ

Điều 1. Thông báo

1. Cơ quan chủ trì thông báo cho Sở Thử trước 03 (ba) ngày làm việc.

2. Sở Thử báo Chi nhánh điện tại địa bàn trong 01 ngày.
"""

RULEBOOK = """\
id: thu
metadata:
  title: Quy chế thử
  decision_number: 1/QĐ-UBND
  issuer: UBND tỉnh Thử
  signed: 2020-01-02
  status: in_force
  effective: 2020-01-02
  effective_note: {vi: từ ngày ký, en: from signing}
  source: thu.txt
  jurisdiction: Tỉnh Thử
  jurisdiction_level: province
  issuer_institution: thu.ubnd
documents:
  - id: qd_thu_2025
    title: Quyết định số 9/QĐ-UBND ngày 20/02/2025 của UBND tỉnh Thử
    effective: 2025-03-01
institutions:
  - {id: thu.ubnd, name: Ủy ban nhân dân tỉnh Thử, level: province, until: 2025-06-30,
     successor: thai_nguyen.ubnd, change: merged, document: nq_202_2025}
  - {id: thu.so_thu, name: Sở Thử, level: province, until: 2025-02-28,
     successor: thu.so_moi, change: merged, document: qd_thu_2025}
  - {id: thu.so_moi, name: Sở Mới tỉnh Thử, level: province, since: 2025-03-01}
parties:
  - id: so_thu
    name: Sở Thử
    roles: [system_manager]
    institution: thu.so_thu
  - id: dien_luc
    name: Công ty Điện lực Thử
    aliases: [Chi nhánh điện tại địa bàn]
    roles: [power_company]
rules:
  - id: thu.d1.k1
    topic: notice
    citation: {article: 1, clause: 1}
    quote: Cơ quan chủ trì thông báo cho Sở Thử trước 03 (ba) ngày làm việc.
    summary: {vi: Báo trước 03 ngày làm việc., en: Notice 3 working days before.}
    binds: [host]
    recipients: [system_manager]
    period: {amount: 3, unit: working_days, relation: before, anchor: meeting_start}
    satisfied_by: {event: notice}
  - id: thu.d1.k2
    topic: coordination
    citation: {article: 1, clause: 2}
    quote: Sở Thử báo Chi nhánh điện tại địa bàn trong 01 ngày.
    summary: {vi: Báo điện lực trong 01 ngày., en: Notify the power company within 1 day.}
    binds: [system_manager]
    recipients: [power_company]
    period: {amount: 1, unit: days, relation: after, anchor: "event:notice"}
    satisfied_by: {event: power_notified}
"""

AS_OF = datetime(2025, 6, 20, 12, tzinfo=timezone(timedelta(hours=7)))


def book_of(text: str = RULEBOOK) -> Rulebook:
    return load_model(Rulebook, parse_document(text, "thu.yaml"))


def plan(power_to: str, power_by: str = "so_thu") -> dict[str, object]:
    return {
        "rulebook": "thu",
        "host": {"name": "Sở Nội vụ", "kind": "department", "has_online_room": True},
        "start": "2025-06-16T08:00:00+07:00",
        "end": "2025-06-16T11:00:00+07:00",
        "emergency": False,
        "events": [
            {"kind": "notice", "at": "2025-06-10T09:00:00+07:00", "to": ["system_manager"], "channel": "written"},
            {"kind": "power_notified", "at": "2025-06-10T15:00:00+07:00", "by": [power_by], "to": [power_to]},
        ],
    }


def write(tmp_path: Path, text: str = RULEBOOK) -> Path:
    (tmp_path / "thu.txt").write_text(SOURCE, encoding="utf-8")
    path = tmp_path / "thu.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- institutions of its own ---------------------------------------------------------------------


def test_own_institutions_merge_with_the_bundled_registry() -> None:
    book = book_of()
    registry = registry_for(book)
    assert registry is not bundled_registry()
    res = registry.resolve("thu.so_thu", date(2025, 6, 16))
    assert res.current is not None and res.current.name == "Sở Mới tỉnh Thử"
    assert res.changes[0].document is not None and res.changes[0].document.id == "qd_thu_2025"
    # a bundled successor and a bundled document
    issuer = registry.resolve("thu.ubnd", date(2025, 7, 1))
    assert issuer.current is not None and issuer.current.id == "thai_nguyen.ubnd"
    assert issuer.changes[0].document is not None and issuer.changes[0].document.id == "nq_202_2025"
    # the bundled bodies are all still there, and the merge is cached
    assert {i.id for i in bundled_registry().institutions} <= {i.id for i in registry.institutions}
    assert registry_for(book) is registry


def test_a_rulebook_without_institutions_gets_the_bundled_registry() -> None:
    text = RULEBOOK.split("documents:")[0].replace("  issuer_institution: thu.ubnd\n", "") + "parties:" + (
        RULEBOOK.split("parties:")[1].replace("    institution: thu.so_thu\n", ""))
    assert registry_for(book_of(text)) is bundled_registry()


def test_evaluate_with_the_merged_registry_names_the_body_as_it_is_now() -> None:
    book = book_of()
    report = evaluate(book, plan_from_data(plan("dien_luc")), as_of=AS_OF, registry=registry_for(book))
    changed = [f for f in report.findings if f.code == "body_changed"]
    assert changed and "Sở Mới tỉnh Thử" in changed[0].message
    notice = next(o for o in report.obligations if o.rule == "thu.d1.k1")
    assert notice.status == "met"


@pytest.mark.parametrize("change,words", [
    ("id: thu.so_moi,", "id 'thu.so_moi' is already in an earlier entry"),
    ("successor: thu.so_moi,", "successor 'thu.so_khong' is in neither"),
    ("document: qd_thu_2025}", "document 'qd_khong' is in neither"),
])
def test_own_institutions_that_do_not_fit_are_refused(change: str, words: str) -> None:
    bad = {
        "id: thu.so_moi,": RULEBOOK.replace("  - {id: thu.so_moi,", "  - {id: thu.so_thu,").replace(
            "successor: thu.so_moi", "successor: thu.so_thu"),
        "successor: thu.so_moi,": RULEBOOK.replace("successor: thu.so_moi,", "successor: thu.so_khong,"),
        "document: qd_thu_2025}": RULEBOOK.replace("document: qd_thu_2025}", "document: qd_khong}"),
    }[change]
    if change.startswith("id:"):
        words = "id 'thu.so_thu' is already in an earlier entry"
    with pytest.raises(RulebookError, match="rulebook thu: .*" + words.replace("(", r"\(")):
        registry_for(book_of(bad))


def test_an_own_institution_may_not_redefine_a_bundled_one(tmp_path: Path) -> None:
    text = RULEBOOK.replace("  - {id: thu.so_moi,", "  - {id: lai_chau.ubnd,").replace(
        "successor: thu.so_moi", "successor: lai_chau.ubnd")
    with pytest.raises(RulebookError, match=r"'lai_chau\.ubnd' is already in the bundled registry"):
        registry_for(book_of(text))
    path = write(tmp_path, text)
    problems = lint(path)[1]
    assert [p.rule for p in problems] == ["institutions"]
    line = text.splitlines().index("  - {id: lai_chau.ubnd, name: Sở Mới tỉnh Thử, level: province, "
                                   "since: 2025-03-01}") + 1
    assert str(problems[0]).startswith(f"{path}:{line}:"), str(problems[0])


def test_an_unknown_institution_id_is_refused_with_its_place(tmp_path: Path) -> None:
    text = RULEBOOK.replace("    institution: thu.so_thu\n", "    institution: thu.so_khong\n")
    with pytest.raises(RulebookError, match=r"rulebook thu: parties\[0\] \(so_thu\): institution 'thu.so_khong'"):
        registry_for(book_of(text))
    path = write(tmp_path, text)
    (p,) = lint(path)[1]
    line = text.splitlines().index("    institution: thu.so_khong") + 1
    assert str(p).startswith(f"{path}:{line}:") and p.rule == "parties.so_thu", str(p)


def test_merging_twice_is_merging_once() -> None:
    book = book_of()
    merged = registry_for(book)
    assert registry_for(book, merged) is merged
    assert registry_for(book_of(), merged) is merged  # an equal rulebook loaded again


def test_evaluate_merges_the_rulebook_s_institutions_itself() -> None:
    report = evaluate(book_of(), plan_from_data(plan("dien_luc")), as_of=AS_OF)
    assert any(f.code == "body_changed" and "Sở Mới tỉnh Thử" in f.message for f in report.findings)
    text = RULEBOOK.replace("    institution: thu.so_thu\n", "    institution: thu.so_khong\n")
    with pytest.raises(RulebookError, match=r"parties\[0\] \(so_thu\): institution 'thu.so_khong'"):
        evaluate(book_of(text), plan_from_data(plan("dien_luc")), as_of=AS_OF)


def test_the_rulebook_lints_clean(tmp_path: Path) -> None:
    assert lint(write(tmp_path))[1] == []


# --- aliases ---------------------------------------------------------------------------------------


def test_a_body_is_found_by_its_name_or_an_alias() -> None:
    book = book_of()
    assert book.body_named("Chi nhánh điện tại địa bàn") is book.bodies["dien_luc"]
    assert book.body_named("  chi nhánh   ĐIỆN tại địa bàn ") is book.bodies["dien_luc"]
    # NFD (as macOS writes it) is the same name
    import unicodedata

    assert book.body_named(unicodedata.normalize("NFD", "Công ty Điện lực Thử")) is book.bodies["dien_luc"]
    assert book.body_named("Sở Thử") is book.bodies["so_thu"]
    assert book.body_named("Viễn thông") is None


@pytest.mark.parametrize("alias,words", [
    ("Sở Thử", r"parties\[1\] \(dien_luc\): name 'Sở Thử' is also a name of so_thu"),
    ("power_company", r"alias 'power_company' is a role or a party id"),
    ("so_thu", r"alias 'so_thu' is a role or a party id"),
    ("công ty điện lực thử", r"alias 'công ty điện lực thử' repeats a name of the body"),
])
def test_aliases_that_clash_are_refused(alias: str, words: str) -> None:
    text = RULEBOOK.replace("aliases: [Chi nhánh điện tại địa bàn]", f"aliases: [Chi nhánh điện tại địa bàn, {alias}]")
    with pytest.raises(ValidationError, match=words) as e:
        book_of(text)
    assert str(e.value).startswith("thu.yaml:"), str(e.value)


# The evaluator resolves an event's `to`/`by` through quyche.parties.Cast, which is not part of this
# change: until parties.py looks names up with Rulebook.body_named, an alias in a plan stays unknown.
@pytest.mark.parametrize("to", ["Chi nhánh điện tại địa bàn", "Công ty Điện lực Thử"])
def test_an_event_addressed_to_an_alias_reaches_the_body(to: str) -> None:
    book = book_of()
    report = evaluate(book, plan_from_data(plan(to)), as_of=AS_OF, registry=registry_for(book))
    power = next(o for o in report.obligations if o.rule == "thu.d1.k2")
    assert power.status == "met", (power.reason_code, power.reason)
    assert not [f for f in report.findings if f.code == "unknown_party_reference"]


def test_an_event_by_an_alias_is_the_body_s_act() -> None:
    book = book_of()
    report = evaluate(book, plan_from_data(plan("dien_luc", power_by="Sở Thử")), as_of=AS_OF,
                      registry=registry_for(book))
    power = next(o for o in report.obligations if o.rule == "thu.d1.k2")
    assert power.status == "met", (power.reason_code, power.reason)


def test_a_plan_may_name_a_body_as_it_is_now() -> None:
    # Cần Thơ's text names Sở TT&TT (so_tttt); since 01/03/2025 it is Sở Khoa học và Công nghệ thành phố
    # Cần Thơ (NĐ 45/2025), and a plan written today uses that name. Same report as with the id.
    import yaml

    from quyche import load_rulebook

    root = Path(__file__).resolve().parents[1]
    data = yaml.safe_load((root / "examples" / "can_tho.yaml").read_text(encoding="utf-8"))
    as_of = datetime(2026, 11, 27, 8, 0)
    by_id = evaluate(load_rulebook("can_tho"), plan_from_data(data), as_of=as_of)
    for ev in data["events"]:
        if "to" in ev:
            ev["to"] = ["Sở Khoa học và Công nghệ thành phố Cần Thơ" if t == "so_tttt" else t for t in ev["to"]]
    by_name = evaluate(load_rulebook("can_tho"), plan_from_data(data), as_of=as_of)
    assert [(o.rule, o.party.id, o.status, o.reason_code) for o in by_name.obligations] == \
        [(o.rule, o.party.id, o.status, o.reason_code) for o in by_id.obligations]
    assert not any(f.code == "unknown_party_reference" for f in by_name.findings)


def test_an_institution_name_may_not_hold_a_control_or_bidi_character() -> None:
    # The registry's names print in every report (red team D09): the same rule as a plan's names.
    from quyche.institutions import Institution

    for bad in ("Sở\u202eNội vụ", "Sở\x1b[31m", "\u200b"):
        with pytest.raises(ValidationError, match=r"^i\.yaml: name: "):
            load_model(Institution, Document({"id": "so_x", "name": bad}, "i.yaml"))
    assert load_model(Institution, Document({"id": "so_x", "name": "Sở X"}, "i.yaml")).name == "Sở X"
