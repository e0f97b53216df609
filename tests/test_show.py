"""`quyche show ID`: a rulebook in words: conditions as the diff writes them, the parties a plan names
(the one place ids are shown, because plan authors type them in `to:`/`by:`), and each rule's required
channels and contents. No Python repr, no topic or role id outside the parties table."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from quyche import BUNDLED_IDS, load_rulebook
from quyche.render.rulebook_text import render_show
from quyche.vocabulary import ROLES

ROOT = Path(__file__).resolve().parents[1]


def quyche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def split(out: str, lang: str) -> tuple[str, str, str]:
    """(head with the notes on the text, the parties table, the rules)."""
    parties = out.index("Các bên" if lang == "vi" else "Parties")
    rules = out.index("Quy định (" if lang == "vi" else "Rules (")
    return out[:parties], out[parties:rules], out[rules:]


def ids_in(text: str, ids: set[str]) -> list[str]:
    return sorted(i for i in ids if re.search(rf"(?<![\w.]){re.escape(i)}(?!\w)", text))


@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("rid", BUNDLED_IDS)
def test_no_repr_and_no_ids_outside_the_parties_table(rid: str, lang: str, fmt: str) -> None:
    book = load_rulebook(rid)
    out = render_show(book, fmt, lang)
    for bad in ("[khi", "=False", "=True", "['", "None"):
        assert bad not in out, bad
    head, parties, rules = split(out, lang)
    ids = {*ROLES, *(r.topic for r in book.rules), *(p.id for p in book.parties), *(r.id for r in book.rules)}
    if lang == "en":
        # English words ("host", "notice", "budget") are words there; the ids with "_" or "." are not
        ids = {i for i in ids if "_" in i or "." in i}
    assert ids_in(rules, ids) == []
    # the notes on the text are the rulebook's own descriptions; their kind (an id) is not printed
    assert ids_in(head, {a.kind for a in book.anomalies if "_" in a.kind}) == []
    # the parties table: each body's id (what a plan types) beside its name and roles in words
    for body in book.parties:
        assert body.id in parties and body.name in parties


def test_parties_table_names_ids_for_plans() -> None:
    out = render_show(load_rulebook("can_tho"), "text", "vi")
    _, parties, _ = split(out, "vi")
    lines = parties.splitlines()
    assert lines[1].split()[:6] == ["Mã", "ghi", "trong", "kế", "hoạch", "(to:/by:)"]
    row = next(line for line in lines if line.lstrip().startswith("so_tttt "))
    assert "Sở Thông tin và Truyền thông thành phố Cần Thơ" in row and row.rstrip().endswith("Cơ quan quản lý hệ thống")
    host = next(line for line in lines if line.lstrip().startswith("host "))
    assert "(lấy từ kế hoạch)" in host and host.rstrip().endswith("Cơ quan chủ trì")
    md = render_show(load_rulebook("can_tho"), "markdown", "en")
    assert "| Id to write in a plan (to:/by:) | Name | Roles |" in md
    assert "| `so_tttt` | Sở Thông tin và Truyền thông thành phố Cần Thơ | System manager |" in md


def test_conditions_channels_and_contents_in_words() -> None:
    out = render_show(load_rulebook("can_tho"), "text", "vi")
    block = out[out.index("\nĐiều 7 khoản 1 — Thông báo tổ chức họp\n"):]
    block = block[: block.index("\n\n", 1)]
    # Điều 7.1: a written notice 3 working days ahead, unless the meeting is an emergency, stating the
    # host, the participants, the start and the test-run time (the rule's satisfied_by).
    assert "  Thời hạn: 3 ngày làm việc trước khi họp" in block
    assert "  Điều kiện: chỉ khi không họp đột xuất, khẩn cấp" in block
    assert ("  Ghi nhận bằng: thông báo bằng văn bản, ghi rõ: cơ quan chủ trì, thành phần tham dự, "
            "thời gian bắt đầu, thời gian vận hành thử") in block
    assert "  Bên thực hiện: Cơ quan chủ trì → Sở Thông tin và Truyền thông thành phố Cần Thơ, VNPT Cần Thơ" in block
    emergency = out[out.index("\nĐiều 7 khoản 2 — Thông báo họp đột xuất, khẩn cấp\n"):]
    assert "  Ghi nhận bằng: thông báo bằng điện thoại\n" in emergency
    en = render_show(load_rulebook("can_tho"), "text", "en")
    assert "  Conditions: only when not: an emergency meeting" in en
    assert "  Recorded as: notice by a written document, stating: the host, the participants" in en


def test_staffing_and_cadence_in_words() -> None:
    out = render_show(load_rulebook("gia_lai"), "markdown", "vi")
    assert "- **Nhân sự**: tối thiểu 2 kỹ thuật viên" in out
    # Gia Lai's yearly report "trước ngày 30 tháng 12": due before 30/12
    assert "- **Định kỳ**: định kỳ 1 năm/lần, trước ngày 30/12" in out


def test_show_through_the_cli() -> None:
    p = quyche("show", "gia_lai")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("gia_lai: ") and "dự thảo" in p.stdout.splitlines()[1]
    assert "draft" not in p.stdout.splitlines()[1]
    md = quyche("show", "lai_chau", "--format", "markdown", "--lang", "en")
    assert md.returncode == 0 and md.stdout.startswith("# lai_chau: ")
