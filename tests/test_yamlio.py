"""Safe loading: no object tags, bounded aliases/depth/size, duplicate keys refused, places named."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from quyche import MeetingPlan, QuycheError, ValidationError, YamlError, load_plan
from quyche.yamlio import MAX_BYTES, dump_yaml, load_model, parse_document, read_document

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


# --- issue 15: the reading layer (YAML 1.2 scalars, the value bound, bounded reads) ---------------


@pytest.mark.parametrize(
    "written,value",
    [
        ("10", 10), ("-0", 0), ("+5", 5), ("true", True), ("False", False), ("~", None), ("null", None),
        ("1.5", 1.5), ("1e5", 100000.0), ("1.5e3", 1500.0), (".5", 0.5), ("-.inf", float("-inf")),
        # YAML 1.1 booleans are text in YAML 1.2 (a bool field then refuses them by name).
        ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"),
        # 1.1 and 1.2 agree: text.
        ("0:30", "0:30"), ("08:30", "08:30"), ("'010'", "010"), ('"1:30"', "1:30"), ("! 010", "010"),
    ],
)
def test_plain_scalars_are_read_as_yaml_1_2(written: str, value: object) -> None:
    assert parse_document(f"a: {written}\n").data["a"] == value
    # The same under a %YAML 1.2 directive.
    assert parse_document(f"%YAML 1.2\n---\na: {written}\n").data["a"] == value


@pytest.mark.parametrize(
    "written,message",
    [
        ("010", "010: write 10 (leading zeros are not allowed)"),  # YAML 1.1: octal 8
        ("08", "08: write 8 (leading zeros are not allowed)"),  # YAML 1.1: text
        ("0x1F", "0x1F: write 31 (only decimal numbers are read)"),  # 1·16 + 15
        ("0o17", "0o17: write 15"),  # 1·8 + 7; YAML 1.1: text
        ("1:30", "base-60 number 90, YAML 1.2 as text"),  # 1·60 + 30
        ("1_000", "YAML 1.1 and 1.2 read this differently"),  # 1.1: 1000, 1.2: text
        ("!!int 010", "010: write 10"),
        ("<<", "merge or value key"),
    ],
)
def test_numbers_that_yaml_1_1_and_1_2_read_differently_are_refused(written: str, message: str) -> None:
    for text in (f"a: {written}\n", f"%YAML 1.2\n---\na: {written}\n"):
        with pytest.raises(YamlError, match=re.escape(message)) as e:
            parse_document(text, "n.yaml")
        assert re.match(r"n\.yaml:\d+:4: ", str(e.value)), str(e.value)


def test_dump_yaml_quotes_what_the_reader_would_not_read_back_as_text() -> None:
    data = {"a": ["0o17", "1.5e3", "010", "1:30", "yes", "1_000", "2026-01-01", "true", "1e5", "<<", "x"]}
    assert parse_document(dump_yaml(data)).data == data


def test_each_value_is_counted_once() -> None:
    # 20,000 mappings of two keys: 1 (document) + 1 (key) + 1 (list) + 20,000 × (1 + 2 keys + 2 values)
    # = 100,003 values. Counting each value again at every enclosing level refused this before.
    text = "a:\n" + "- {b: 1, c: 2}\n" * 20_000
    assert len(parse_document(text).data["a"]) == 20_000
    # 1 + 1 + 1 + 199,997 = 200,000: at the bound; one more item is over it.
    assert len(parse_document("a: [" + ",".join(["x"] * 199_997) + "]\n").data["a"]) == 199_997
    with pytest.raises(YamlError, match="more than 200,000 values"):
        parse_document("a: [" + ",".join(["x"] * 199_998) + "]\n")


def test_aliases_count_as_the_values_they_expand_to() -> None:
    # &x is a list of 3 (4 values with the list); 2 aliases of it: 1 + 2 + 4 + 2 + (1 + 2 × 4) = 18.
    doc = parse_document("a: &x [1, 2, 3]\nb: *x\nc: [*x, *x]\n")
    assert doc.data["c"] == [[1, 2, 3], [1, 2, 3]]
    # 70,000 aliases of a list of 3 values (the list and its 2 items): 210,000, over the bound, refused
    # before the pure-Python parse (the C parser counts first).
    text = "a: &x [1, 2]\nb: [" + ", ".join(["*x"] * 70_000) + "]\n"
    t = time.perf_counter()
    with pytest.raises(YamlError, match=r"^a\.yaml:2:\d+: document expands to more than 200,000 values"):
        parse_document(text, "a.yaml")
    assert time.perf_counter() - t < 5


def test_a_key_over_1024_characters_is_named_as_too_long() -> None:
    for text, place in (("k" * 1500 + ": 1\n", "1:1"), ("a:\n  " + "k" * 1500 + ": 1\n", "2:3"),
                        ("{" + "k" * 1500 + ": 1}\n", "1:2")):
        with pytest.raises(YamlError, match=r"a key of 1,500 characters is too long \(at most 1,024\)") as e:
            parse_document(text, "k.yaml")
        assert str(e.value).startswith(f"k.yaml:{place}: ")
    assert parse_document("k" * 1024 + ": 1\n").data == {"k" * 1024: 1}


def test_files_are_read_bounded_and_by_type(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    t = time.perf_counter()
    with pytest.raises(YamlError, match=r"p\.yaml: is a FIFO \(named pipe\), not a file"):
        read_document(fifo)  # no writer: opening it for reading would block forever
    assert time.perf_counter() - t < 5
    with pytest.raises(YamlError, match="is a device, not a file"):
        read_document("/dev/zero")  # stat says 0 bytes, a read never ends
    with pytest.raises(YamlError, match="is a folder, not a file"):
        read_document(tmp_path)
    with pytest.raises(YamlError, match="File name too long"):
        read_document(tmp_path / ("x" * 300 + ".yaml"))
    with pytest.raises(YamlError, match="cannot hold a NUL"):
        read_document("a\0b.yaml")


def test_read_bytes_checks_the_size_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from quyche import yamlio

    path = tmp_path / "grows.yaml"
    path.write_bytes(b"a: " + b"x" * 100)

    class _Small:  # what stat says of a /proc file: 0 bytes, whatever a read returns
        st_mode = os.stat(path).st_mode
        st_size = 0

    monkeypatch.setattr(yamlio.os, "stat", lambda p: _Small())
    with pytest.raises(YamlError, match="more than 50 bytes, over the limit"):
        yamlio.read_bytes(path, limit=50)


def test_read_stream_reads_at_most_the_limit_plus_one_byte() -> None:
    import io

    from quyche.yamlio import read_stream

    class Endless(io.RawIOBase):  # `yes |`: never ends
        asked = 0

        def readable(self) -> bool:
            return True

        def readinto(self, b: bytearray) -> int:  # type: ignore[override]
            Endless.asked += len(b)
            b[:] = b"y" * len(b)
            return len(b)

    with pytest.raises(YamlError, match=r"^<stdin>: more than 5,000,000 bytes"):
        read_stream(io.BufferedReader(Endless()))
    assert Endless.asked <= MAX_BYTES + 1 + 65_536  # one buffer beyond the limit at most
    assert read_stream(io.BytesIO(PLAN.encode()), "-").data["host"]["name"] == "X"
    assert read_stream(io.StringIO(PLAN)).data["start"].hour == 8
