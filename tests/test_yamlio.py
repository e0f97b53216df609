"""Safe loading: no object tags, bounded aliases/depth/size, duplicate keys refused, places named."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quyche import MeetingPlan, QuycheError, ValidationError, YamlError, load_plan
from quyche.yamlio import MAX_BYTES, load_model, parse_document, read_document

PLAN = "host: {name: X, kind: department}\nstart: 2026-11-26T08:00:00\n"


def test_positions_are_recorded_for_keys_and_items() -> None:
    doc = parse_document("a: 1\nb:\n  - {x: 2}\n  - z\n", "t.yaml")
    assert doc.positions[("b", 0, "x")] == (3, 6)
    assert doc.locate(("b", 1)) == "t.yaml:4:5"


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo pwned']\n",
        "a: !!python/name:os.system\n",
        "a: !custom 1\n",
    ],
)
def test_object_tags_are_refused(text: str) -> None:
    with pytest.raises(YamlError, match="not allowed"):
        parse_document(text, "evil.yaml")


def test_billion_laughs_is_refused_fast() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    t = time.perf_counter()
    with pytest.raises(YamlError, match="expands to more than"):
        parse_document("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - t < 1.0


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    with pytest.raises(YamlError, match="nested deeper"):
        parse_document("[" * 10_000 + "]" * 10_000, "deep.yaml")


@pytest.mark.parametrize(
    "text,where",
    [
        ("a: 1\na: 2\n", "dup.yaml:2:1"),
        ("host: {name: X, name: Y}\n", "dup.yaml:1:17"),
        ("events:\n  - {kind: notice, kind: test_run}\n", "dup.yaml:2:20"),
    ],
)
def test_duplicate_keys_are_refused_at_every_level(text: str, where: str) -> None:
    with pytest.raises(YamlError, match="duplicate key") as e:
        parse_document(text, "dup.yaml")
    assert str(e.value).startswith(where)


def test_oversized_input_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (MAX_BYTES + 1))
    with pytest.raises(YamlError, match="over the limit"):
        read_document(big)


def test_invalid_utf8_names_the_line_and_bom_is_accepted(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(PLAN.encode() + b"title: caf\xe9\n")
    with pytest.raises(YamlError, match=r"bad.yaml:3\b.*not UTF-8"):
        load_plan(bad)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + PLAN.encode())
    assert load_plan(bom).host.name == "X"


def test_validation_errors_name_line_and_field_path() -> None:
    doc = parse_document(PLAN + "events:\n  - {kind: notice, at: 2026-11-20T10:00:00}\n  - {kind: notice, at: soon}\n",
                         "p.yaml")
    with pytest.raises(ValidationError) as e:
        load_model(MeetingPlan, doc)
    assert "p.yaml:5:" in str(e.value) and "events[1].at" in str(e.value)


def test_unknown_keys_and_negative_counts_are_refused() -> None:
    for extra, field in (("colour: red\n", "colour"),
                         ("endpoints:\n  - {name: A, role: main, technicians: -1}\n", "endpoints[0].technicians")):
        with pytest.raises(ValidationError, match=field.replace("[", r"\[").replace("]", r"\]")):
            load_model(MeetingPlan, parse_document(PLAN + extra, "p.yaml"))


def test_end_before_start_is_refused() -> None:
    with pytest.raises(QuycheError, match="before start"):
        load_model(MeetingPlan, parse_document(PLAN + "end: 2026-11-26T07:00:00\n", "p.yaml"))


def test_naive_times_are_vietnam_time_and_offsets_are_converted() -> None:
    p = load_model(MeetingPlan, parse_document(
        "host: {name: X, kind: department}\nstart: 2026-11-26T01:00:00Z\n", "p.yaml"))
    assert p.start.isoformat() == "2026-11-26T08:00:00+07:00"
