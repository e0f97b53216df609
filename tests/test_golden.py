"""Golden reports: the JSON of every case file and bundled example, byte for byte.

The examples' reports are kept whole (readable diffs); the 147 case files' as SHA-256 digests in one
manifest (their full JSON would be 16 MB).

A change meant to be invisible (a faster evaluator, a compiled rulebook) must leave every report
identical. A change meant to be visible regenerates them on purpose, and the diff shows what moved:

    QUYCHE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from quyche import evaluate, load_plan, load_rulebook
from quyche.cli._common import dump_json
from quyche.plan import MeetingPlan
from quyche.yamlio import read_document

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CASES = sorted((ROOT / "tests" / "cases").glob("*/*.yaml"))
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _case_json(path: Path) -> str:
    case = read_document(path).data
    plan = MeetingPlan.model_validate(case["plan"])
    book = load_rulebook(plan.rulebook or path.parent.name)
    report = evaluate(book, plan, as_of=case["as_of"], reading=case.get("reading", "default"),
                      readings=case.get("readings"))
    return dump_json(report.model_dump(mode="json"))


def _example_json(path: Path, shift: int, lang: str) -> str:
    plan = load_plan(path)
    assert plan.rulebook is not None
    as_of: datetime = plan.start + timedelta(days=shift)
    return dump_json(evaluate(load_rulebook(plan.rulebook), plan, as_of=as_of, lang=lang, explain=True)
                     .model_dump(mode="json"))


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("QUYCHE_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{name}: no golden file; run with QUYCHE_UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8"), f"{name}: the report changed"


def test_case_reports_are_unchanged() -> None:
    manifest = GOLDEN / "cases.sha256.json"
    digests = {f"{p.parent.name}/{p.stem}": hashlib.sha256(_case_json(p).encode("utf-8")).hexdigest()
               for p in CASES}
    if os.environ.get("QUYCHE_UPDATE_GOLDEN"):
        manifest.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    want = json.loads(manifest.read_text(encoding="utf-8"))
    changed = sorted(k for k in digests.keys() | want.keys() if digests.get(k) != want.get(k))
    assert not changed, f"reports changed: {changed}"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("shift", [-1, 1])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_reports_are_unchanged(path: Path, shift: int, lang: str) -> None:
    _compare(f"examples/{path.stem}.{'before' if shift < 0 else 'after'}.{lang}.json",
             _example_json(path, shift, lang))
