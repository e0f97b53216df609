"""cli._common.dump_json writes what `json.dumps(data, ensure_ascii=False, indent=2)` writes, byte for byte
(issue 16: its fast path is pydantic-core's encoder)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quyche.cli._common import dump_json


def reference(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


CASES: list[Any] = [
    {}, [], "", 0, None, True, False, -1, 2**70, -(2**70),
    {"a": [], "b": {}, "c": [[], [{}], {"d": []}]},
    ["Ủy ban nhân dân tỉnh Gia Lai", "\x00\x01\x1f\x7f\x80\u2028\u2029\ufeff", "\"\\/\b\f\n\r\t", "😀 \U0010ffff"],
    {"nested": {"deep": [1, [2, [3, {"x": None}]]]}},
    [0.0, -0.0, 1.5, 0.1, 1e16, 1e-5, 1e-7, 123456789012345678.0, 1e300, 5e-324, 2.5e-8],
    [math.nan, math.inf, -math.inf],
    {1: "int key", False: "bool key", None: "none key", 2.5: "float key"},
    ("a", "tuple"),
    {"\u00e9": "key not ASCII", "": "empty key", "a\nb": "control in key"},
]


@pytest.mark.parametrize("data", CASES)
def test_same_bytes_as_the_standard_library(data: Any) -> None:
    assert dump_json(data) == reference(data)


def test_what_json_refuses_is_refused_alike() -> None:
    for bad in ({"s": {1, 2}}, {(1, 2): "tuple key"}, ["x", b"bytes"]):
        with pytest.raises(TypeError) as expected:
            reference(bad)
        with pytest.raises(TypeError) as got:
            dump_json(bad)
        assert str(got.value) == str(expected.value)
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dump_json(loop)


def test_lone_surrogate_as_before() -> None:
    assert dump_json(["\ud800"]) == reference(["\ud800"])


scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
json_data = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(json_data)
def test_any_json_data(data: Any) -> None:
    assert dump_json(data) == reference(data)
