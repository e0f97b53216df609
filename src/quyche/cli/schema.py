"""`quyche schema plan|report|rulebook`: the JSON Schema pydantic generates for each public model."""

from __future__ import annotations

import argparse
import sys

from ..schemas import MODELS, schema
from ._common import dump_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of a plan, a report or a rulebook",
                       description="Example: quyche schema plan > plan.schema.json")
    p.add_argument("kind", choices=sorted(MODELS))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(dump_json(schema(args.kind)))
    return 0
