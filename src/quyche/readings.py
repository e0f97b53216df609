"""Readings: every unclear phrase a rulebook resolves, named, with its values and what each encodes
(CONTRACT.md section 7).

A rulebook reading's value says which rule fields it sets (`changes`): choosing a value gives the
rulebook as that reading encodes it, so the evaluator never needs to know a reading exists. The shared
reading `working_days` (BLDS 2015 Điều 147) is the calendar's, passed to the evaluator as before.
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InputError
from .rulebook import Reading, ReadingValue, Rule, Rulebook, Text

WORKING_DAYS = Reading(
    id="working_days",
    question=Text(
        vi='"Trước N ngày làm việc": có tính ngày gửi không?',
        en='"N working days before": does the sending day count?',
    ),
    values=[
        ReadingValue(id="default", encodes=Text(
            vi="Hạn là hết ngày làm việc thứ N đếm lùi từ ngày họp (không tính ngày họp); gửi trong ngày đó là kịp.",
            en="The deadline is the end of the N-th working day counted back from the meeting day (that day not "
               "counted); sending on that day is on time.")),
        ReadingValue(id="strict", encodes=Text(
            vi="Không tính cả ngày gửi (Bộ luật Dân sự 2015, Điều 147): hạn sớm hơn một ngày làm việc.",
            en="The sending day is not counted either (Bộ luật Dân sự 2015, Điều 147): one working day earlier.")),
    ],
    default="default",
    why=Text(
        vi="Cách đếm thông dụng trong hành chính và là cách của hợp đồng (mục 4); chỉ áp dụng cho thời hạn tính "
           "từ việc gửi (thông báo, đăng ký), không cho việc làm trong một khoảng (vận hành thử).",
        en="The usual administrative count and the contract's (section 4); it applies only to periods counted "
           "from a sending (notices, registrations), never to windows for an act (test runs).",
    ),
)
SHARED: tuple[Reading, ...] = (WORKING_DAYS,)


def all_readings(readings: list[Reading]) -> list[Reading]:
    """The shared readings, then the rulebook's own."""
    return [*SHARED, *readings]


def parse_choices(items: list[str]) -> dict[str, str]:
    """`--reading ID=VALUE` (repeatable); `--reading strict` is short for working_days=strict."""
    out: dict[str, str] = {}
    for item in items:
        if item in ("strict", "default"):
            out["working_days"] = item
            continue
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise InputError(f"--reading {item!r}: want ID=VALUE (or 'strict')")
        out[key.strip()] = value.strip()
    return out


def resolve_choices(readings: list[Reading], choices: Mapping[str, str]) -> dict[str, str]:
    """Every reading's value: the chosen one, else its default. Unknown ids or values are bad input."""
    known = {r.id: r for r in all_readings(readings)}
    for key, value in choices.items():
        if key not in known:
            raise InputError(f"--reading {key}={value}: no reading {key!r}; known: {', '.join(sorted(known))}")
        values = [v.id for v in known[key].values]
        if value not in values:
            raise InputError(f"--reading {key}={value}: {key} takes {', '.join(values)}")
    return {r.id: choices.get(r.id, r.default) for r in known.values()}


def apply_readings(book: Rulebook, values: Mapping[str, str]) -> Rulebook:
    """The rulebook as the chosen values of its readings encode it (each rule's fields replaced)."""
    changes: dict[str, dict[str, object]] = {}
    for reading in book.readings:
        for rule_id, change in reading.value(values.get(reading.id, reading.default)).changes.items():
            changes.setdefault(rule_id, {}).update({f: getattr(change, f) for f in change.model_fields_set})
    if not changes:
        return book
    rules: list[Rule] = [r.model_copy(update=changes[r.id]) if r.id in changes else r for r in book.rules]
    return book.model_copy(update={"rules": rules})

