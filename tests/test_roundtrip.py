"""Round trips: a rulebook dumped to YAML loads back equal; a report's JSON loads back into Report equal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from quyche import QuycheError, Report, Rulebook, evaluate, load_rulebook
from quyche.loader import BUNDLED_IDS, rules_dir
from quyche.plan import MeetingPlan
from quyche.yamlio import Document, dump_yaml, load_model, parse_document


def _rulebook_refs() -> list[str]:
    """Every bundled id, and any other rulebook file in rules/ (skipped while it does not load)."""
    found = {p.stem for p in rules_dir().glob("*.yaml")}
    return [*BUNDLED_IDS, *sorted(found - set(BUNDLED_IDS))]


@cache
def _load(ref: str) -> Rulebook:
    path = rules_dir() / f"{ref}.yaml"
    if not path.is_file():
        pytest.skip(f"{path.name} is not written yet")
    try:
        return load_rulebook(ref if ref in BUNDLED_IDS else path)
    except QuycheError as e:
        if ref in BUNDLED_IDS:
            raise  # a bundled rulebook that exists must load
        pytest.skip(f"{path.name} is not a rulebook: {str(e).splitlines()[0]}")


def _mini() -> Rulebook:
    from test_hostile import MINI_RULEBOOK

    return load_model(Rulebook, parse_document(MINI_RULEBOOK, "mini.yaml"))


@pytest.mark.parametrize("ref", _rulebook_refs())
def test_every_bundled_rulebook_dumps_to_yaml_and_loads_back_equal(ref: str, tmp_path: Path) -> None:
    book = _load(ref)
    text = dump_yaml(book)
    again = load_model(Rulebook, parse_document(text, f"{ref}.dumped.yaml"))
    assert again == book
    assert again.model_dump(mode="json") == book.model_dump(mode="json")
    assert dump_yaml(again) == text  # stable: a second trip writes the same text
    # As a user's own rulebook file: the path a user passes wherever a bundled id is accepted.
    path = tmp_path / f"{ref}.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_rulebook(path) == book


@pytest.mark.parametrize("ref", _rulebook_refs())
def test_every_bundled_rulebook_round_trips_through_json(ref: str) -> None:
    book = _load(ref)
    assert Rulebook.model_validate_json(book.model_dump_json()) == book
    assert load_model(Rulebook, parse_document(book.model_dump_json(indent=2), "r.json")) == book


def test_the_dump_is_plain_yaml() -> None:
    text = dump_yaml(_mini())
    assert "!!" not in text and "&" not in text.replace("& ", "") and "*" not in text
    assert "Quy chế thử" in text  # Vietnamese stays readable, not \u-escaped
    assert text.startswith("id: mini\n")  # keys in model order, not sorted


def test_shared_values_are_written_out_not_aliased() -> None:
    shared = ["host", "system_manager"]
    text = dump_yaml({"a": shared, "b": shared})
    assert "&" not in text and "*" not in text
    assert parse_document(text, "s.yaml").data == {"a": shared, "b": shared}


@pytest.mark.parametrize(
    "value",
    ["a\x85b", "x\x00y", "\ufeffBOM", "  lead", "trail  ", "yes", "null", "1:30", "2026-11-26", "0x1F", "1e5",
     "'quoted'", '"dq"', "- dash", "# hash", "a: b", "{x}", "ộ\u2028ệ", "\t", "~", "<<", "=", "!tag", "&a", "*a",
     "%x", "@x", "`x", "\n\n", "x" * 500],
)
def test_awkward_strings_survive_the_trip(value: str) -> None:
    data = {"k": value, value: [value]}
    assert parse_document(dump_yaml(data), "s.yaml").data == data


# --- reports ---------------------------------------------------------------------------------------

VN = timezone(timedelta(hours=7))


def _plans() -> list[dict[str, Any]]:
    start = datetime(2026, 11, 26, 8, 0, 0, 250_000)  # a fraction of a second the report cannot print
    full = {
        "host": {"name": "Sở Nội vụ", "kind": "department", "has_online_room": True},
        "start": start,
        "end": start + timedelta(hours=3),
        "requests": ["recording"],
        "endpoints": [
            {"name": "Sở Nội vụ", "role": "main", "level": "province", "technicians": 2, "seats": 40,
             "attendees": 45},
            {"name": "UBND xã A", "role": "branch", "level": "commune", "technicians": 1},
            {"name": "UBND huyện B", "role": "branch", "level": "district"},
        ],
        "events": [
            {"kind": "notice", "at": datetime(2026, 11, 20, 10), "to": ["system_manager"], "channel": "written",
             "contents": ["host", "participants", "start", "test_run"]},
            {"kind": "test_run", "at": datetime(2026, 11, 25, 9)},
            {"kind": "recording_delivered", "at": datetime(2026, 11, 27, 9)},
            {"kind": "log_submitted", "at": datetime(2026, 11, 28, 9), "to": ["nobody_known"]},
        ],
    }
    return [
        {"host": {"name": "X", "kind": "department"}, "start": start},
        full,
        {**full, "emergency": True, "events": []},
        {**full, "start": datetime(2030, 2, 4, 8, tzinfo=UTC), "end": None, "events": None},
    ]


AS_OFS = [
    datetime(2026, 11, 1),
    datetime(2026, 11, 25, 12, 0, 0, 999_999, tzinfo=VN),  # what `--as-of` defaults to: now(), with microseconds
    datetime(2026, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
]


def _books() -> list[Rulebook]:
    books = [_mini()]
    for ref in BUNDLED_IDS:
        if (rules_dir() / f"{ref}.yaml").is_file():
            try:
                books.append(load_rulebook(ref))
            except QuycheError:
                continue  # reported by test_every_bundled_rulebook_dumps_to_yaml_and_loads_back_equal
    return books


@pytest.mark.parametrize("book", _books(), ids=lambda b: b.id)
def test_every_report_json_loads_back_into_report_equal(book: Rulebook) -> None:
    for i, data in enumerate(_plans()):
        plan = load_model(MeetingPlan, Document(data, f"plan{i}"))
        for as_of in AS_OFS:
            for kw in ({}, {"lang": "en", "reading": "strict", "explain": True}):
                report = evaluate(book, plan, as_of=as_of, **kw)  # type: ignore[arg-type]
                assert Report.model_validate_json(report.model_dump_json()) == report
                # What `quyche check --format json` prints.
                printed = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)
                again = Report.model_validate_json(printed)
                assert again == report
                assert again.model_dump(mode="json") == json.loads(printed)
