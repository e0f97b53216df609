"""The shipped JSON Schemas match the models; regenerate with `quyche schema KIND > schemas/KIND.schema.json`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quyche.schemas import MODELS, schema

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_shipped_schema_has_not_drifted_from_the_model(kind: str) -> None:
    shipped = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert shipped == schema(kind), f"schemas/{kind}.schema.json is stale: regenerate it with `quyche schema {kind}`"


def test_cli_prints_the_same_schema() -> None:
    p = subprocess.run([sys.executable, "-m", "quyche.cli", "schema", "plan"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == schema("plan")
    assert "events" in schema("plan")["properties"]


def test_report_schema_describes_the_contract_keys() -> None:
    props = schema("report")["properties"]
    assert {"rulebook", "as_of", "compliant", "findings", "obligations"} <= set(props)
