"""JSON Schemas of the public models, as pydantic generates them; shipped in schemas/ too."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .errors import InputError
from .plan import MeetingPlan
from .report import Report
from .rulebook import Rulebook

MODELS: dict[str, type[BaseModel]] = {"plan": MeetingPlan, "report": Report, "rulebook": Rulebook}


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of `plan` (input), `report` (output, serialised) or `rulebook`."""
    if kind not in MODELS:
        raise InputError(f"schema: {kind!r} is not one of {', '.join(MODELS)}")
    # A report is output: describe what is serialised. Plans and rulebooks are input.
    out = MODELS[kind].model_json_schema(mode="serialization" if kind == "report" else "validation")
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["$id"] = f"https://quyche.invalid/schemas/{kind}.schema.json"
    return out
