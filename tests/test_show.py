"""`quyche show ID`: a rulebook in words: conditions as the diff writes them, the parties a plan names
(the one place ids are shown, because plan authors type them in `to:`/`by:`), and each rule's required
channels and contents. No Python repr, no topic or role id outside the parties table."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quyche import BUNDLED_IDS, load_rulebook
from quyche.render.diff_text import value_text
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


# --- notes on the text and the note on force, in the language asked for (issue 14, review #35) ------------

@pytest.mark.parametrize("rid", BUNDLED_IDS)
def test_anomalies_and_effective_note_in_the_language_asked_for(rid: str) -> None:
    book = load_rulebook(rid)
    notes = [a.description for a in book.anomalies] + [book.metadata.effective_note]
    # A note whose two texts were the same could not tell the languages apart: none is.
    assert all(n.vi != n.en for n in notes)
    out = {lang: quyche("show", rid, "--lang", lang) for lang in ("vi", "en")}
    assert all(p.returncode == 0 for p in out.values()), [p.stderr for p in out.values()]
    for lang, other in (("vi", "en"), ("en", "vi")):
        text = out[lang].stdout
        assert [n.get(lang) for n in notes if n.get(lang) not in text] == []
        assert [n.get(other) for n in notes if n.get(other) in text] == []


def test_markdown_notes_follow_the_language() -> None:
    # gia_lai: its first note is the draft one, cited at Điều 2 of the decision.
    vi = render_show(load_rulebook("gia_lai"), "markdown", "vi")
    en = render_show(load_rulebook("gia_lai"), "markdown", "en")
    assert '- Điều 2 Quyết định: Văn bản được đánh dấu "DỰ THẢO"; văn bản chưa có hiệu lực.' in vi
    assert '- Điều 2 Quyết định: The text is marked "DỰ THẢO"; it is not in force.' in en
    assert "it is not in force" not in vi and "chưa có hiệu lực. Mọi" not in en


def test_show_json_carries_both_languages() -> None:
    p = quyche("show", "lai_chau", "--format", "json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert set(data["metadata"]["effective_note"]) == {"vi", "en"}
    assert data["metadata"]["effective_note"]["en"].startswith('Điều 2 Quyết định: "có hiệu lực thi hành kể từ ngày 07')
    assert len(data["anomalies"]) == 7 and all(set(a["description"]) == {"vi", "en"} for a in data["anomalies"])


def test_a_plain_string_note_is_refused(tmp_path: Path) -> None:
    # The bundled rulebooks are all bilingual; a rulebook with an English-only note fails to load (exit 2).
    text = (ROOT / "rules" / "gia_lai.yaml").read_text(encoding="utf-8")
    start = text.index("  effective_note:\n")
    end = text.index("  supersedes:", start)  # the key after it
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "gia_lai.txt").write_text(
        (ROOT / "rules" / "sources" / "gia_lai.txt").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "gia_lai.yaml"
    path.write_text(text[:start] + "  effective_note: from signing\n" + text[end:], encoding="utf-8")
    p = quyche("show", str(path))
    assert p.returncode == 2 and "effective_note" in p.stderr


def test_diff_words_a_changed_note_in_the_language_asked_for() -> None:
    # A version diff carries the notes as dumped JSON; its text view picks one language and the citation.
    book = load_rulebook("gia_lai")
    dumped = [a.model_dump(mode="json") for a in book.anomalies[:2]]
    assert value_text("anomalies", dumped, "vi") == (
        'Điều 2 Quyết định: Văn bản được đánh dấu "DỰ THẢO"; văn bản chưa có hiệu lực. Mọi kết quả tính theo '
        'văn bản này chỉ là tạm thời.; Số quyết định để trống ("Số: /2026/QĐ-UBND"), chỗ viện dẫn ở phần đầu '
        'Quy chế cũng vậy ("Ban hành kèm theo Quyết định số /2026/QĐ-UBND").')
    assert value_text("anomalies", dumped, "en").startswith('Điều 2 Quyết định: The text is marked "DỰ THẢO"')
    note = book.metadata.effective_note.model_dump(mode="json")
    assert value_text("effective_note", note, "en") == book.metadata.effective_note.en
    assert value_text("effective_note", note, "vi") == book.metadata.effective_note.vi
