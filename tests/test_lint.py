"""`quyche lint`: one test per refusal (each names file:line and the rule), the warnings, the exceptions
that anomalies declare, and the CLI's split of errors (exit 2) from warnings (exit 0).

The rulebook and its source text are synthetic and written here, so that no test depends on the
bundled rulebooks, which others edit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quyche.lint import LintProblem, lint
from quyche.yamlio import load_model, parse_document

ROOT = Path(__file__).resolve().parents[1]

SOURCE = """\
QUYẾT ĐỊNH

Điều 1. Ban hành kèm theo Quyết định này Quy chế thử.

Điều 2. Quyết định này có hiệu lực từ ngày ký.

Nơi nhận:
- Như Điều 2;

QUY CHẾ

Chương I

QUY ĐỊNH CHUNG

Điều 1. Thông báo tổ chức họp

Cơ quan chủ trì thực hiện như sau:

1. Thông báo cho Sở Thông tin và Truyền thông trước 03 (ba) ngày làm việc.

2. Trường hợp họp khẩn cấp:

a) Thông báo bằng điện thoại trước 01 giờ;

b) Gửi văn bản xác nhận sau cuộc họp.

Điều 2. Trách nhiệm của Điện lực

- Bảo đảm nguồn điện trong suốt cuộc họp.

- Cử cán bộ trực xử lý sự cố điện.

3. Báo cáo tình hình cấp điện hằng năm.

Điều 3. Trách nhiệm của các doanh nghiệp

1. Bố trí cán bộ kỹ thuật thường trực.

2. Viễn thông Thử

a) Bảo đảm đường truyền.

2. Điện lực Thử

a) Bảo đảm nguồn điện dự phòng.

Chương II

ĐIỀU KHOẢN THI HÀNH

Điều 4. Tổ chức thực hiện

Sở Thông tin và Truyền thông theo dõi việc thực hiện.

Phụ lục I

1. Tên cơ quan:

2. Nội dung cuộc họp:
"""

HEAD = """\
id: t
metadata:
  title: Quy chế thử
  decision_number: 1/QĐ-UBND
  issuer: UBND tỉnh Thử
  signed: 2020-01-02
  status: in_force
  effective: 2020-01-02
  effective_note: {{vi: từ ngày ký, en: from signing}}
  source: t.txt
  jurisdiction: Tỉnh Thử
  jurisdiction_level: province
{metadata}anomalies:
  - kind: unnumbered_clauses
    description:
      vi: Điều 2 mở đầu bằng hai gạch đầu dòng ở chỗ lẽ ra là khoản 1 và 2.
      en: Điều 2 opens with two dashes where khoản 1 and 2 should be.
    citation: {{article: 2}}
{anomalies}parties:
  - id: so_tttt
    name: Sở Thông tin và Truyền thông
    roles: [system_manager]
  - id: dien_luc
    name: Công ty Điện lực Thử
    roles: [power_company]
{parties}rules:
"""

# A rule per line of the source, each clean; the tests add one broken rule (or change one key).
GOOD = """\
  - id: t.d1.k1
    topic: notice
    citation: {article: 1, clause: 1}
    quote: Thông báo cho Sở Thông tin và Truyền thông trước 03 (ba) ngày làm việc.
    summary: {vi: Báo trước 03 (ba) ngày làm việc., en: Notice 3 working days before.}
    binds: [host]
    recipients: [system_manager]
    period: {amount: 3, unit: working_days, relation: before, anchor: meeting_start}
    satisfied_by: {event: notice}
  - id: t.d1.k2.a
    topic: emergency_notice
    citation: {article: 1, clause: 2, point: a}
    quote: "Trường hợp họp khẩn cấp: a) Thông báo bằng điện thoại trước 01 giờ"
    summary: {vi: Khẩn cấp báo trước 01 giờ., en: Emergency notice 1 hour before.}
    binds: [host]
    recipients: [system_manager]
    period: {amount: 1, unit: hours, relation: before, anchor: meeting_start}
    satisfied_by: {event: notice}
  - id: t.d1.k1.lead_in
    topic: notice
    citation: {article: 1, clause: 1}
    quote: "Cơ quan chủ trì thực hiện như sau: 1. Thông báo"
    summary: {vi: Cơ quan chủ trì thông báo., en: The host gives notice.}
    binds: [host]
  - id: t.d2.k1
    topic: on_duty
    citation: {article: 2, clause: 1}
    quote: Bảo đảm nguồn điện trong suốt cuộc họp.
    summary: {vi: Bảo đảm nguồn điện., en: Keep the power on.}
    binds: [power_company]
  - id: t.d2.k3
    topic: reporting
    citation: {article: 2, clause: 3}
    quote: Báo cáo tình hình cấp điện hằng năm.
    summary: {vi: Báo cáo hằng năm., en: Yearly report.}
    binds: [dien_luc]
    cadence: {every: 1, unit: years, before: "12-31"}
"""


def write(tmp_path: Path, rules: str = "", *, metadata: str = "", anomalies: str = "", parties: str = "",
          tail: str = "", good: str = GOOD) -> tuple[Path, str]:
    text = HEAD.format(metadata=metadata, anomalies=anomalies, parties=parties) + good + rules + tail
    (tmp_path / "t.txt").write_text(SOURCE, encoding="utf-8")
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, rule_id: str | None, needle: str) -> int:
    """1-based line of the first line starting with `needle` (stripped) after the rule's `- id:` line."""
    lines = text.splitlines()
    start = lines.index(f"  - id: {rule_id}") if rule_id else 0
    for n in range(start, len(lines)):
        if lines[n].strip().startswith(needle):
            return n + 1
    raise AssertionError(f"{needle!r} not found after {rule_id}")


def only(problems: list[LintProblem], severity: str = "error") -> LintProblem:
    found = [p for p in problems if p.severity == severity]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def assert_names(problem: LintProblem, path: Path, line: int, rule: str) -> None:
    text = str(problem)
    assert text.startswith(f"{path}:{line}:"), text
    assert problem.rule == rule, text


def test_the_synthetic_rulebook_lints_clean(tmp_path: Path) -> None:
    path, _ = write(tmp_path)
    book, problems = lint(path)
    assert [str(p) for p in problems] == []
    assert len(book.rules) == 5


# --- clauses and points ----------------------------------------------------------------------------


def test_a_clause_that_does_not_exist(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.k4
    topic: notice
    citation: {article: 1, clause: 4}
    quote: Thông báo cho Sở Thông tin và Truyền thông
    summary: {vi: Thông báo., en: Notice.}
    binds: [host]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k4", "citation:"), "t.d1.k4")
    assert "Điều 1 has no khoản 4 (the source has khoản 1, 2)" in p.message


def test_a_point_that_does_not_exist(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.k2.c
    topic: notice
    citation: {article: 1, clause: 2, point: c}
    quote: Trường hợp họp khẩn cấp
    summary: {vi: Khẩn cấp., en: Emergency.}
    binds: [host]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k2.c", "citation:"), "t.d1.k2.c")
    assert "khoản 2 of Điều 1 has no điểm c (the source has điểm a, b)" in p.message


def test_a_point_cited_without_its_clause(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.a
    topic: notice
    citation: {article: 1, point: a}
    quote: Thông báo bằng điện thoại
    summary: {vi: Khẩn cấp., en: Emergency.}
    binds: [host]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.a", "citation:"), "t.d1.a")
    assert "cite the khoản of điểm a" in p.message


def test_an_article_that_does_not_exist(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d9
    topic: notice
    citation: {article: 9}
    quote: Thông báo
    summary: {vi: Thông báo., en: Notice.}
    binds: [host]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d9", "citation:"), "t.d9")
    assert "no such article" in p.message


def test_an_annex_list_is_not_read_as_clauses_of_the_last_article(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d4.k2
    topic: reporting
    citation: {article: 4, clause: 2}
    quote: "Nội dung cuộc họp:"
    summary: {vi: Nội dung., en: Contents.}
    binds: [so_tttt]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d4.k2", "citation:"), "t.d4.k2")
    assert "Điều 4 has no khoản 2 (the source numbers no khoản)" in p.message


# --- the quote inside its clause and point ---------------------------------------------------------


def test_a_quote_filed_under_the_wrong_clause(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.k2
    topic: notice
    citation: {article: 1, clause: 2}
    quote: Thông báo cho Sở Thông tin và Truyền thông trước 03 (ba) ngày làm việc.
    summary: {vi: Thông báo., en: Notice.}
    binds: [host]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k2", "quote:"), "t.d1.k2")
    assert p.message == "quote lies in Điều 1 but not in Điều 1 khoản 2 (found in khoản 1)"


def test_a_quote_filed_under_the_wrong_point(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.k2.b
    topic: notice
    citation: {article: 1, clause: 2, point: b}
    quote: Thông báo bằng điện thoại trước 01 giờ
    summary: {vi: Khẩn cấp., en: Emergency.}
    binds: [host]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k2.b", "quote:"), "t.d1.k2.b")
    assert p.message == "quote lies in Điều 1 but not in Điều 1 khoản 2 điểm b (found in khoản 2 điểm a)"


def test_a_quote_spanning_two_clauses(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.k1.both
    topic: notice
    citation: {article: 1, clause: 1}
    quote: "ngày làm việc. 2. Trường hợp họp khẩn cấp"
    summary: {vi: Thông báo., en: Notice.}
    binds: [host]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k1.both", "quote:"), "t.d1.k1.both")
    assert "(it spans several clauses or points)" in p.message


def test_a_quote_in_no_article(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.k1.nowhere
    topic: notice
    citation: {article: 1, clause: 1}
    quote: Thông báo trước 05 (năm) ngày làm việc.
    summary: {vi: Thông báo., en: Notice.}
    binds: [host]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k1.nowhere", "quote:"), "t.d1.k1.nowhere")
    assert p.message == "quote not found in Điều 1 khoản 1 (found nowhere in the source)"


def test_lead_ins_count_as_part_of_each_clause_and_point(tmp_path: Path) -> None:
    # The article's lead-in reads into khoản 1 (the clean rulebook's t.d1.k1.lead_in) and into khoản 2
    # as well; the clause's lead-in reads into its points (t.d1.k2.a).
    path, _ = write(tmp_path, """\
  - id: t.d1.k2.b
    topic: notice
    citation: {article: 1, clause: 2, point: b}
    quote: "Cơ quan chủ trì thực hiện như sau: 2. Trường hợp họp khẩn cấp: b) Gửi văn bản xác nhận"
    summary: {vi: Xác nhận., en: Confirm.}
    binds: [host]
""")
    assert lint(path)[1] == []


# --- quirks declared as anomalies ------------------------------------------------------------------


def test_unnumbered_clauses_stand_as_clauses_only_when_declared(tmp_path: Path) -> None:
    # Declared (HEAD's anomaly on Điều 2): the second dash is khoản 2, and a quote from the first is not.
    rule = """\
  - id: t.d2.k2
    topic: on_duty
    citation: {article: 2, clause: 2}
    quote: Cử cán bộ trực xử lý sự cố điện.
    summary: {vi: Cử cán bộ trực., en: On duty.}
    binds: [power_company]
"""
    path, _ = write(tmp_path, rule)
    assert lint(path)[1] == []
    wrong = rule.replace("Cử cán bộ trực xử lý sự cố điện.", "Bảo đảm nguồn điện trong suốt cuộc họp.")
    path, _ = write(tmp_path, wrong)
    assert only(lint(path)[1]).message.endswith("(found in khoản 1)")
    # Undeclared: khoản 1 and 2 of Điều 2 do not exist, and lint says how to declare them.
    declared = HEAD[HEAD.index("  - kind: unnumbered_clauses"):HEAD.index("{anomalies}")]
    text = HEAD.replace(declared, "  - kind: typo\n    description: {{vi: x, en: x}}\n")
    path.write_text(text.format(metadata="", anomalies="", parties="") + GOOD + rule, encoding="utf-8")
    problems = lint(path)[1]
    assert {p.rule for p in problems} == {"t.d2.k1", "t.d2.k2"}
    assert all("has no khoản" in p.message and "declare an `unnumbered_clauses` anomaly" in p.message
               for p in problems)


def test_a_duplicated_clause_number_warns_unless_declared(tmp_path: Path) -> None:
    rule = """\
  - id: t.d3.k2b.a
    topic: coordination
    citation: {article: 3, clause: 2, point: a}
    quote: Bảo đảm nguồn điện dự phòng.
    summary: {vi: Nguồn điện dự phòng., en: Backup power.}
    binds: [dien_luc]
"""
    path, text = write(tmp_path, rule)
    p = only(lint(path)[1], "warning")
    assert_names(p, path, line_of(text, "t.d3.k2b.a", "citation:"), "t.d3.k2b.a")
    assert "numbers 2 clauses 2." in p.message and "duplicate_clause_number" in p.message
    declared = ("  - kind: duplicate_clause_number\n"
                "    description: {vi: Điều 3 có hai khoản số 2., en: Điều 3 numbers two clauses 2.}\n"
                "    citation: {article: 3, clause: 2}\n")
    path, _ = write(tmp_path, rule, anomalies=declared)
    assert lint(path)[1] == []


def test_an_anomaly_citing_a_clause_that_does_not_exist(tmp_path: Path) -> None:
    anomaly = "  - kind: typo\n    description: {vi: x, en: x}\n    citation: {article: 1, clause: 7}\n"
    path, text = write(tmp_path, anomalies=anomaly)
    p = only(lint(path)[1])
    assert p.rule == "anomaly typo"
    assert str(p).startswith(f"{path}:{line_of(text, None, 'citation: {article: 1, clause: 7}')}:")


# --- overrides and distinct_from -------------------------------------------------------------------


def _two(key: str, a_targets: str, b_targets: str, c: str = "") -> str:
    return f"""\
  - id: t.d1.k2.x
    topic: emergency_notice
    citation: {{article: 1, clause: 2}}
    quote: Trường hợp họp khẩn cấp
    summary: {{vi: Khẩn cấp., en: Emergency.}}
    binds: [host]
    {key}: [{a_targets}]
  - id: t.d1.k2.y
    topic: emergency_notice
    citation: {{article: 1, clause: 2}}
    quote: Trường hợp họp khẩn cấp
    summary: {{vi: Khẩn cấp., en: Emergency.}}
    binds: [host]
    {key}: [{b_targets}]
{c}"""


def test_two_rules_that_override_each_other(tmp_path: Path) -> None:
    path, text = write(tmp_path, _two("overrides", "t.d1.k2.y", "t.d1.k2.x"))
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k2.x", "overrides:"), "t.d1.k2.x")
    assert p.message.startswith("overrides cycle t.d1.k2.x → t.d1.k2.y → t.d1.k2.x: ")


def test_a_longer_override_cycle(tmp_path: Path) -> None:
    third = """\
  - id: t.d1.k2.z
    topic: emergency_notice
    citation: {article: 1, clause: 2}
    quote: Trường hợp họp khẩn cấp
    summary: {vi: Khẩn cấp., en: Emergency.}
    binds: [host]
    overrides: [t.d1.k2.x]
"""
    path, text = write(tmp_path, _two("overrides", "t.d1.k2.y", "t.d1.k2.z, t.d1.k1", third))
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k2.x", "overrides:"), "t.d1.k2.x")
    assert "t.d1.k2.x → t.d1.k2.y → t.d1.k2.z → t.d1.k2.x" in p.message


def test_an_override_chain_without_a_cycle_is_fine(tmp_path: Path) -> None:
    path, _ = write(tmp_path, _two("overrides", "t.d1.k2.y", "t.d1.k1"))
    assert lint(path)[1] == []


def test_distinct_from_a_cycle(tmp_path: Path) -> None:
    path, text = write(tmp_path, _two("distinct_from", "t.d1.k2.y", "t.d1.k2.x"))
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k2.x", "distinct_from:"), "t.d1.k2.x")
    assert p.message.startswith("distinct_from cycle t.d1.k2.x → t.d1.k2.y → t.d1.k2.x: ")


@pytest.mark.parametrize("key", ["distinct_from", "overrides"])
def test_an_unknown_rule_id(tmp_path: Path, key: str) -> None:
    path, text = write(tmp_path, _two(key, "t.d1.k1", "t.nope"))
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k2.y", f"{key}:"), "t.d1.k2.y")
    assert p.message == f"{key} unknown rule 't.nope'"


# --- parties and institutions ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["binds", "recipients"])
def test_an_unknown_party_id(tmp_path: Path, key: str) -> None:
    bad = "so_nội_vụ"
    binds, recipients = (f"host, {bad}", "system_manager") if key == "binds" else ("host", f"system_manager, {bad}")
    path, text = write(tmp_path, f"""\
  - id: t.d1.k1.party
    topic: notice
    citation: {{article: 1, clause: 1}}
    quote: Thông báo
    summary: {{vi: Thông báo., en: Notice.}}
    binds: [{binds}]
    recipients: [{recipients}]
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k1.party", f"{key}:"), "t.d1.k1.party")
    assert p.message == "'so_nội_vụ' is neither a role nor a party id of this rulebook"


def test_an_unknown_party_id_in_an_anchor_filter(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.k2.b.after
    topic: notice
    citation: {article: 1, clause: 2, point: b}
    quote: Gửi văn bản xác nhận sau cuộc họp.
    summary: {vi: Xác nhận., en: Confirm.}
    binds: [host]
    period: {amount: 1, unit: days, relation: after, anchor: "event:notice", anchor_by: [chu_tri]}
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k2.b.after", "period:"), "t.d1.k2.b.after")
    assert "anchor_by: 'chu_tri' is neither a role nor a party id" in p.message


def test_the_model_still_refuses_unknown_parties_outside_lint(tmp_path: Path) -> None:
    from quyche.errors import ValidationError
    from quyche.rulebook import Rulebook

    _, text = write(tmp_path, _two("overrides", "t.d1.k1", "t.nope"))
    with pytest.raises(ValidationError, match=r"overrides unknown rule 't.nope'"):
        load_model(Rulebook, parse_document(text, "t.yaml"))


def test_an_unknown_institution_id_of_a_body(tmp_path: Path) -> None:
    path, text = write(tmp_path, parties="  - id: vien_thong\n    name: Viễn thông Thử\n    roles: [telecom]\n"
                                         "    institution: thu.vien_thong\n")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, None, "institution: thu.vien_thong"), "parties.vien_thong")
    assert p.message == ("institution 'thu.vien_thong' is in neither the bundled registry nor this rulebook's "
                         "institutions")


def test_an_unknown_issuer_institution(tmp_path: Path) -> None:
    path, text = write(tmp_path, metadata="  issuer_institution: thu.ubnd\n")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, None, "issuer_institution:"), "metadata")
    assert "'thu.ubnd' is in neither the bundled registry nor this rulebook's institutions" in p.message


def test_a_known_institution_is_fine(tmp_path: Path) -> None:
    path, _ = write(tmp_path, metadata="  issuer_institution: lai_chau.ubnd\n")
    assert lint(path)[1] == []


def test_an_alias_that_is_a_name_of_another_body(tmp_path: Path) -> None:
    path, text = write(tmp_path, parties="  - id: chi_nhanh\n    name: Chi nhánh điện\n    roles: [power_company]\n"
                                         "    aliases: [Công ty Điện lực Thử]\n")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "chi_nhanh", "name: Chi nhánh điện") - 1, "parties.chi_nhanh")
    assert p.message == "name 'Công ty Điện lực Thử' is also a name of dien_luc"


# --- periods and cadence ---------------------------------------------------------------------------


def test_a_window_whose_far_end_is_nearer(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.k1.window
    topic: notice
    citation: {article: 1, clause: 1}
    quote: Thông báo
    summary: {vi: Thông báo., en: Notice.}
    binds: [host]
    period: {amount: 3, unit: working_days, relation: before, anchor: meeting_start}
    opens: {amount: 2, unit: hours, relation: before, anchor: meeting_start}
    satisfied_by: {event: notice}
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k1.window", "opens:"), "t.d1.k1.window")
    assert p.message.startswith("opens (2 hours) is never farther from meeting_start than period (3 working days)")


def test_a_same_day_window_is_not_empty(tmp_path: Path) -> None:
    path, _ = write(tmp_path, """\
  - id: t.d1.k2.a.same_day
    topic: test_run
    citation: {article: 1, clause: 2, point: a}
    quote: Thông báo bằng điện thoại trước 01 giờ
    summary: {vi: Trong ngày và trước 01 giờ., en: Same day and 1 hour before.}
    binds: [host]
    period: {amount: 1, unit: hours, relation: before, anchor: meeting_start}
    opens: {amount: 0, unit: days, relation: before, anchor: meeting_start}
    satisfied_by: {event: test_run}
""")
    assert lint(path)[1] == []


def test_a_step_capped_at_the_start_that_lands_after_it(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
  - id: t.d1.k2.b.cap
    topic: notice
    citation: {article: 1, clause: 2, point: b}
    quote: Gửi văn bản xác nhận sau cuộc họp.
    summary: {vi: Xác nhận., en: Confirm.}
    binds: [host]
    period: {amount: 1, unit: days, relation: after, anchor: meeting_end}
    before_start: true
    satisfied_by: {event: notice}
""")
    p = only(lint(path)[1])
    assert_names(p, path, line_of(text, "t.d1.k2.b.cap", "before_start:"), "t.d1.k2.b.cap")


def test_a_cadence_that_cannot_give_its_dates_is_refused_with_its_line(tmp_path: Path) -> None:
    # "every 6 months before 06-15" once gave 14/01 and 14/07 in silence; the model refuses it now, and
    # lint passes the refusal on with its place.
    from quyche.errors import ValidationError

    path, text = write(tmp_path, good=GOOD.replace('{every: 1, unit: years, before: "12-31"}',
                                                   '{every: 6, unit: months, before: "06-15"}'))
    with pytest.raises(ValidationError) as e:
        lint(path)
    assert str(e.value).startswith(f"{path}:{line_of(text, 't.d2.k3', 'cadence:')}:"), str(e.value)
    assert "rules[4].cadence" in str(e.value)


# --- summaries (warnings) and the CLI --------------------------------------------------------------


def test_a_summary_number_that_disagrees_with_the_period_is_a_warning(tmp_path: Path) -> None:
    path, text = write(tmp_path, good=GOOD.replace("period: {amount: 3, unit: working_days",
                                                   "period: {amount: 5, unit: working_days", 1))
    problems = lint(path)[1]
    assert [p.severity for p in problems] == ["warning", "warning"]
    vi = problems[0]
    assert_names(vi, path, line_of(text, "t.d1.k1", "summary:"), "t.d1.k1")
    assert vi.message == "summary (vi) says '03 (ba) ngày làm việc' but the rule counts 5 working days"
    assert "'3 working days'" in problems[1].message


def test_summary_dates_and_halves_are_not_periods(tmp_path: Path) -> None:
    path, _ = write(tmp_path, good=GOOD.replace(
        "{vi: Báo trước 03 (ba) ngày làm việc., en: Notice 3 working days before.}",
        "{vi: Báo trước 03 ngày làm việc (từ ngày 15 tháng 6 năm 2025; 15/6; trước 1/2 ngày)., "
        "en: Notice 3 working days before.}"))
    assert lint(path)[1] == []


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def test_cli_exit_codes_split_errors_from_warnings(tmp_path: Path) -> None:
    path, _ = write(tmp_path, good=GOOD.replace("period: {amount: 3, unit: working_days",
                                                "period: {amount: 5, unit: working_days", 1))
    p = cli("lint", str(path))
    assert p.returncode == 0, p.stderr
    # every problem on stdout; nothing on stderr when lint passes
    assert f"{path}:" in p.stdout and ": warning: t.d1.k1: summary (vi)" in p.stdout and p.stderr == ""
    assert "2 warning(s)" in p.stdout
    path, _ = write(tmp_path, _two("overrides", "t.d1.k2.y", "t.d1.k2.x"))
    p = cli("lint", str(path))
    assert p.returncode == 2
    assert ": error: t.d1.k2.x: overrides cycle" in p.stdout
    assert "1 error(s), 0 warning(s)" in p.stderr and "Traceback" not in p.stderr


def test_many_problems_give_one_stderr_line_and_the_full_list_on_stdout(tmp_path: Path) -> None:
    # 40 rules citing an article the source lacks: 40 errors, listed on stdout; stderr is one line with
    # the count and the first of them (D33: it was one stderr line per problem).
    rules = "".join(f"""\
  - id: t.d9.k{i}
    topic: notice
    citation: {{article: 9, clause: {i}}}
    quote: Không có trong văn bản
    summary: {{vi: Không có., en: Not there.}}
    binds: [host]
""" for i in range(1, 41))
    path, _ = write(tmp_path, rules)
    p = cli("lint", str(path))
    assert p.returncode == 2
    assert len(p.stderr.splitlines()) == 1, p.stderr
    assert "40 error(s), 0 warning(s), all listed on stdout; the first: " in p.stderr
    assert ": error: t.d9.k1: Điều 9 khoản 1: no such article" in p.stderr
    assert sum(": error: t.d9.k" in line for line in p.stdout.splitlines()) == 40


# --- The source text itself: read only when it is a regular UTF-8 file of bounded size (D04, D13) -----


def _one_line_exit_2(p: subprocess.CompletedProcess[str], *words: str) -> None:
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert len(p.stderr.splitlines()) == 1 and "Traceback" not in p.stderr, p.stderr
    assert all(w in p.stderr for w in words), p.stderr


def test_a_source_that_is_not_utf8_is_one_line_exit_2(tmp_path: Path) -> None:
    path, _ = write(tmp_path)
    # "Điều" saved as Latin-1 would be: the byte 0xe1 where UTF-8 wants a lead byte of a sequence
    (tmp_path / "t.txt").write_bytes(SOURCE.encode("utf-8") + b"\nDi\xe1u 9.\n")
    line = SOURCE.count("\n") + 2  # SOURCE ends in a newline, then one more "\n" before the bad line
    _one_line_exit_2(cli("lint", str(path)), f"{tmp_path / 't.txt'}:{line}:", "not UTF-8", "0xe1")


def test_a_source_that_is_a_fifo_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    import os

    path, _ = write(tmp_path)
    (tmp_path / "t.txt").unlink()
    os.mkfifo(tmp_path / "t.txt")  # opening it for reading would block until a writer came: timeout=60 catches a hang
    _one_line_exit_2(cli("lint", str(path)), str(tmp_path / "t.txt"), "not a regular file")


def test_a_source_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    path, _ = write(tmp_path)
    (tmp_path / "t.txt").unlink()
    (tmp_path / "t.txt").mkdir()
    _one_line_exit_2(cli("lint", str(path)), str(tmp_path / "t.txt"), "a directory")


def test_a_source_over_the_bound_is_refused(tmp_path: Path) -> None:
    from quyche.sources import MAX_SOURCE_BYTES

    path, _ = write(tmp_path)
    with (tmp_path / "t.txt").open("ab") as f:  # a sparse tail: over the bound without writing 5 MB
        f.truncate(MAX_SOURCE_BYTES + 1)
    _one_line_exit_2(cli("lint", str(path)), str(tmp_path / "t.txt"), "over the limit of 5,000,000")


def test_the_size_bound_holds_while_reading_not_only_by_stat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from quyche.errors import InputError
    from quyche.sources import read_source_text

    # "Điều 1. " is 11 bytes in UTF-8 (Đ 2, i 1, ề 3, u 1, then " 1. " 4): 1,100 bytes
    (tmp_path / "s.txt").write_text("Điều 1. " * 100, encoding="utf-8")
    assert read_source_text(tmp_path / "s.txt", limit=1100).startswith("Điều 1.")
    # A file whose stat says 0 bytes (as /proc files do, or one still growing) is still cut at the bound.
    real = os.stat(tmp_path / "s.txt")
    fields = list(real)
    fields[6] = 0  # st_size
    monkeypatch.setattr(os, "stat", lambda *a, **k: os.stat_result(fields))
    with pytest.raises(InputError, match="over the limit of 1,099 bytes"):
        read_source_text(tmp_path / "s.txt", limit=1099)


def test_a_source_that_cannot_be_read_is_one_line_exit_2(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    path, _ = write(tmp_path)
    (tmp_path / "t.txt").chmod(0)
    _one_line_exit_2(cli("lint", str(path)), str(tmp_path / "t.txt"), "cannot read")


def test_a_reading_value_that_makes_an_override_cycle_or_names_an_unknown_party(tmp_path: Path) -> None:
    readings = """\
readings:
  - id: t.emergency
    question: {vi: "Khẩn cấp thay thế thông báo thường?", en: "Does the emergency notice replace the normal one?"}
    default: separate
    why: {vi: Văn bản không nói., en: The text does not say.}
    values:
      - id: separate
        encodes: {vi: Không., en: No.}
      - id: both_ways
        encodes: {vi: Hai chiều., en: Both ways.}
        changes:
          t.d1.k1: {overrides: [t.d1.k2.a], recipients: [so_tttt, ubnd_tinh]}
          t.d1.k2.a: {overrides: [t.d1.k1]}
"""
    path, text = write(tmp_path, tail=readings)
    problems = lint(path)[1]
    assert {p.rule for p in problems} == {"t.d1.k1"}, [str(p) for p in problems]
    line = text.splitlines().index("          t.d1.k1: {overrides: [t.d1.k2.a], recipients: [so_tttt, ubnd_tinh]}") + 1
    assert all(str(p).startswith(f"{path}:{line}:") for p in problems), [str(p) for p in problems]
    messages = sorted(p.message for p in problems)
    assert messages[0].startswith("with reading t.emergency = both_ways: 'ubnd_tinh' is neither a role")
    assert messages[1].startswith("with reading t.emergency = both_ways: overrides cycle t.d1.k1 → t.d1.k2.a → t.d1.k1")
