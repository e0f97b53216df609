"""No internal id, enum value or Python repr reaches a person's eyes, in any format or language.

The plans are the bundled examples and the kinds the reviews tried: no events, defective events (one
content, the wrong channel, an unknown recipient), an emergency with every request and no staff, a
central host, and an empty checklist from `quyche plan`.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from quyche import evaluate, load_rulebook
from quyche.plan import MeetingPlan, to_local
from quyche.render.ics import report_ics
from quyche.render.report_text import render_markdown, render_text
from quyche.vocabulary import ROLES

ROOT = Path(__file__).resolve().parent.parent
IDS = ("can_tho", "bac_kan", "gia_lai", "lai_chau", "trieu_son")
UNKNOWN_RECIPIENT = "phong_hop_khong_co"  # typed by the plan's author: echoing it back is the point

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
# Python reprs, endpoint ids, and plan field paths such as endpoints[].attendees.
REPR = re.compile(r"\['|'\]|\{'|\bTrue\b|\bFalse\b|\bNone\b|\bendpoint:\d|\w\[\]\.")
# Words that would mean a status, kind or code was printed untranslated.
ENGLISH_IN_VI = re.compile(r"\b(?:deadline|pending|violated|unknown|not_applicable|standing|contingent|written"
                           r"|phone|branch|test run|power company|telecom)\b")
VIETNAMESE_IN_EN = re.compile(r"chưa rõ|không hạn|VI PHẠM|Kết luận|Việc cần làm|không áp dụng|đã thực hiện")


def _variants(book_id: str) -> dict[str, dict[str, Any]]:
    base = yaml.safe_load((ROOT / "examples" / f"{book_id}.yaml").read_text(encoding="utf-8"))
    out = {"as_is": base}
    none = copy.deepcopy(base)
    none.pop("events", None)
    out["no_events"] = none
    bad = copy.deepcopy(base)
    for ev in bad.get("events") or []:
        if "contents" in ev:
            ev["contents"] = ev["contents"][:1]
        if "channel" in ev:
            ev["channel"] = "phone"
        if "to" in ev:
            ev["to"] = [*ev["to"], UNKNOWN_RECIPIENT]
    out["defects"] = bad
    short = copy.deepcopy(base)
    short["emergency"] = True
    short["requests"] = ["recording", "slides", "video", "speaking"]
    for ep in short.get("endpoints") or []:
        ep.update(technicians=0, leaders=0, technicians_on_duty=0)
    out["emergency_short"] = short
    central = copy.deepcopy(base)
    central["host"] = {"name": "Ban Chỉ đạo trung ương", "kind": "central"}
    central.pop("endpoints", None)
    out["central"] = central
    out["checklist"] = {"rulebook": book_id, "host": {"name": "Cơ quan chủ trì", "kind": "department"},
                        "start": base["start"]}
    return out


def _outputs(book_id: str, data: dict[str, Any], as_of: datetime, lang: str) -> dict[str, str]:
    book = load_rulebook(book_id)
    report = evaluate(book, MeetingPlan.model_validate(data), as_of=as_of, lang=lang, explain=True)
    js = json.loads(report.model_dump_json())
    ics = report_ics(report, book).replace("\r\n ", "")
    return {
        "text": render_text(report, explain=True, book=book, show_all=True),
        "markdown": render_markdown(report, explain=True, book=book, show_all=True),
        "json": "\n".join([f["message"] for f in js["findings"]] + [o["reason"] for o in js["obligations"]]
                          + [o["explanation"] or "" for o in js["obligations"]]),
        "ics": "\n".join(line for line in ics.splitlines() if line.startswith(("SUMMARY", "DESCRIPTION", "X-WR"))),
    }


def _leaks(text: str, lang: str) -> list[str]:
    found = [m.group(0) for m in SNAKE.finditer(text) if m.group(0) != UNKNOWN_RECIPIENT]
    found += [m.group(0) for m in REPR.finditer(text)]
    found += [r for r in ROLES if re.search(rf"\b{r}\b", text) and "_" in r]
    found += [m.group(0) for m in (ENGLISH_IN_VI if lang == "vi" else VIETNAMESE_IN_EN).finditer(text)]
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("book_id", IDS)
def test_no_format_prints_an_id_a_repr_or_an_untranslated_word(book_id: str, lang: str) -> None:
    problems = []
    for name, data in _variants(book_id).items():
        start = to_local(datetime.fromisoformat(str(data["start"])))
        for as_of in (start.replace(year=start.year - 1), start.replace(year=start.year + 1)):
            for fmt, text in _outputs(book_id, data, as_of, lang).items():
                for leak in _leaks(text, lang):
                    line = next(x for x in text.splitlines() if leak in x)
                    problems.append(f"{name} {as_of:%Y} {fmt}: {leak!r} in {line[:160]!r}")
    assert not problems, "\n".join(sorted(set(problems))[:30])
