"""Fuzzing: whatever arrives, loading and evaluating answer with a Report or one QuycheError, in bounded time.

Inputs: generated plans (valid, and broken in one or several places) as data and as YAML/JSON text,
text mutated character by character, YAML-token soup, arbitrary text, and rulebooks with a field
mutated. The suite runs ~200 examples per property (a few seconds); the long campaign sets
QUYCHE_FUZZ_EXAMPLES, e.g.

    QUYCHE_FUZZ_EXAMPLES=100000 .venv/bin/pytest tests/test_fuzz.py -p no:cacheprovider \\
        --hypothesis-show-statistics

Every example also runs under a hard time limit (SIGALRM), so a hang fails the property instead of
stalling the run.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from quyche import CalendarRangeError, QuycheError, Report, Rulebook, ValidationError, default_calendar, evaluate
from quyche.loader import BUNDLED_IDS, load_rulebook, rules_dir
from quyche.plan import MeetingPlan
from quyche.text import clean_name
from quyche.vocabulary import EVENT_KINDS, HOST_KINDS, ROLES
from quyche.yamlio import Document, dump_yaml, load_model, parse_document

EXAMPLES = int(os.environ.get("QUYCHE_FUZZ_EXAMPLES", "200"))
# Per example: parse + validate + evaluate of a small document takes milliseconds; the largest
# documents the strategies make take well under a second. A hang or a quadratic blow-up trips this.
TIME_LIMIT = float(os.environ.get("QUYCHE_FUZZ_TIME_LIMIT", "5"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timing is enforced by _time_limit below, not by hypothesis' flaky deadline
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

T = TypeVar("T")

# --- rulebooks to evaluate against ----------------------------------------------------------------


@cache
def rulebooks() -> tuple[Rulebook, ...]:
    """The test-only mini rulebook and every bundled rulebook that loads today (others are being written)."""
    from test_hostile import MINI_RULEBOOK

    books = [load_model(Rulebook, parse_document(MINI_RULEBOOK, "mini.yaml"))]
    for rid in BUNDLED_IDS:
        if (rules_dir() / f"{rid}.yaml").is_file():
            # test_rulebooks.py reports a bundled rulebook that does not load
            with contextlib.suppress(QuycheError):
                books.append(load_rulebook(rid))
    return tuple(books)


# --- the property ---------------------------------------------------------------------------------


class Hang(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def _alarm(signum: int, frame: object) -> None:
        raise Hang(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check(load: Callable[[], MeetingPlan], book: Rulebook, as_of: datetime, reading: str = "default",
          lang: str = "vi", explain: bool = False) -> Report | QuycheError:
    """Load and evaluate; return the Report or the QuycheError. Anything else fails the property."""
    t = time.perf_counter()
    try:
        with _time_limit(TIME_LIMIT):
            plan = load()
            report = evaluate(book, plan, as_of=as_of, reading=reading, lang=lang, explain=explain)  # type: ignore[arg-type]
    except QuycheError as e:
        event(f"error: {type(e).__name__}")
        message = str(e)
        assert message.strip(), "an error with no message"
        assert len(message.splitlines()) <= 2, message
        return e
    elapsed = time.perf_counter() - t
    assert elapsed < TIME_LIMIT
    event("report")
    _check_report(report, book, plan)
    return report


def _check_report(report: Report, book: Rulebook, plan: MeetingPlan) -> None:
    assert isinstance(report, Report)
    # Never a silent loss of a rule: every rule is someone's obligation or a provision.
    assert {o.rule for o in report.obligations} | {p.rule for p in report.provisions} == {r.id for r in book.rules}
    assert report.compliant == (report.verdict == "compliant")
    assert (report.verdict == "not_compliant") == any(f.severity == "violation" for f in report.findings)
    # The JSON the CLI prints loads back into the model, equal, in every year: before 01/05/1911 (LMT
    # +07:06:30, no ISO offset) times are written without offset, which the contract reads as Vietnam time.
    assert Report.model_validate_json(json.dumps(report.model_dump(mode="json"), ensure_ascii=False)) == report


# --- strategies: plans ----------------------------------------------------------------------------

PARTY_IDS = ("so_tttt", "dien_luc", "vnpt", "trung_tam_cntt")
def _clean(name: str) -> bool:
    try:
        clean_name(name)
    except ValueError:
        return False
    return True


# Names a plan may hold: control and bidi characters are refused on purpose (test_hostile covers that).
names = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30).filter(_clean)
offsets = st.sampled_from([None, 0, 7, -5, 14, -12, 5.5]).map(
    lambda h: None if h is None else timezone(timedelta(hours=h))
)


@st.composite
def times(draw: st.DrawFn, lo: int = 1995, hi: int = 2090) -> datetime:
    naive = draw(st.datetimes(datetime(lo, 1, 1), datetime(hi, 12, 31)))
    return naive.replace(tzinfo=draw(offsets))


@st.composite
def valid_plans(draw: st.DrawFn) -> dict[str, Any]:
    """A plan that MeetingPlan accepts: every optional key sometimes absent, counts sometimes unknown."""
    start = draw(times())
    plan: dict[str, Any] = {
        "host": {"name": draw(names), "kind": draw(st.sampled_from(HOST_KINDS))},
        "start": start,
    }
    if draw(st.booleans()):
        plan["host"]["has_online_room"] = draw(st.booleans())
    if draw(st.booleans()):
        plan["end"] = start + draw(st.timedeltas(timedelta(0), timedelta(days=2)))
    for key, strategy in (
        ("rulebook", st.sampled_from(["mini", *BUNDLED_IDS])),
        ("title", names),
        ("emergency", st.booleans()),
        ("requests", st.lists(st.sampled_from(["recording", "slides", "video", "projector", "speaking"]),
                              max_size=5)),
    ):
        if draw(st.booleans()):
            plan[key] = draw(strategy)
    if draw(st.booleans()):
        plan["endpoints"] = draw(st.lists(endpoints(), max_size=5))
    if draw(st.booleans()):
        plan["events"] = draw(st.lists(events(start), max_size=8))
    return plan


count = st.one_of(st.none(), st.integers(0, 50), st.integers(0, 10**12))


@st.composite
def endpoints(draw: st.DrawFn) -> dict[str, Any]:
    e: dict[str, Any] = {"name": draw(names), "role": draw(st.sampled_from(["main", "branch"]))}
    for key, strategy in (
        ("level", st.sampled_from(["central", "province", "district", "commune"])),
        ("technicians", count), ("leaders", count), ("seats", count), ("attendees", count),
    ):
        if draw(st.booleans()):
            e[key] = draw(strategy)
    return e


@st.composite
def events(draw: st.DrawFn, start: datetime) -> dict[str, Any]:
    at = start + draw(st.timedeltas(timedelta(days=-30), timedelta(days=10)))
    e: dict[str, Any] = {"kind": draw(st.sampled_from(EVENT_KINDS)), "at": at}
    if draw(st.booleans()):
        refs = st.one_of(st.sampled_from(ROLES), st.sampled_from(PARTY_IDS), st.from_regex(r"[a-z][a-z0-9_]{0,12}",
                                                                                         fullmatch=True))
        e["to"] = draw(st.lists(refs, max_size=4))
    if draw(st.booleans()):
        e["channel"] = draw(st.sampled_from(["written", "phone", "email"]))
    if draw(st.booleans()):
        e["contents"] = draw(st.lists(st.sampled_from(["host", "participants", "start", "test_run", "scale", "room"]),
                                      max_size=6))
    return e


# Values a broken plan puts where something else belongs.
WRONG_VALUES = st.one_of(
    st.sampled_from([
        None, True, False, 0, -1, -(10**30), 10**30, 1.5, float("inf"), float("-inf"), "", " ", "x",
        "notice", "2026-13-45", "1764118800", "9999-12-31T23:00:00-12:00", "0001-01-01T00:00:00+14:00",
        [], [None], {}, {"a": 1}, [[[]]], "\u0000", "\ud7ff", "Sở Nội vụ" * 200,
        datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59), datetime(1900, 2, 28, 12),
        datetime(2100, 1, 1), datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-12))),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
    ]),
    st.integers(), st.floats(allow_nan=False), st.text(max_size=20), st.datetimes(),
).map(copy.deepcopy)  # a fresh copy: broken_plans mutates what it placed, and sampled_from shares objects


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


@st.composite
def broken_plans(draw: st.DrawFn) -> Any:
    """A valid plan with one to three things broken: a value replaced, a key dropped or added, a list
    replaced by its item, the whole plan wrapped in a list."""
    plan = draw(valid_plans())
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(plan))
        path = draw(st.sampled_from(paths))
        how = draw(st.sampled_from(["replace", "drop", "add", "unwrap", "wrap"]))
        if not path:
            if how in ("replace", "wrap"):
                plan = draw(WRONG_VALUES) if how == "replace" else [plan]
            continue
        parent = plan
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        if how == "replace":
            parent[key] = draw(WRONG_VALUES)
        elif how == "drop":
            del parent[key]
        elif how == "add" and isinstance(parent[key], dict):
            parent[key][draw(st.sampled_from(["colour", "kind", "at", "to", "x" * 50, "1"]))] = draw(WRONG_VALUES)
        elif how == "unwrap" and isinstance(parent[key], list) and parent[key]:
            parent[key] = parent[key][0]
        elif how == "wrap":
            parent[key] = [parent[key]]
    return plan


as_of_times = st.one_of(
    times(2020, 2035),
    st.datetimes(),  # anything datetime can hold, naive
    st.datetimes(timezones=st.just(timezone(timedelta(hours=-12)))),
)


def _to_text(data: Any, style: str) -> str:
    if style == "json":
        return json.dumps(data, default=str, ensure_ascii=False)
    if style == "json-ascii-tabs":
        return json.dumps(data, default=str, indent="\t")
    return dump_yaml(data)


# --- properties -----------------------------------------------------------------------------------


@FUZZ
@given(plan=valid_plans(), book=st.sampled_from(rulebooks()), as_of=as_of_times,
       reading=st.sampled_from(["default", "strict"]), lang=st.sampled_from(["vi", "en"]), explain=st.booleans())
def test_valid_plans_give_a_report_or_a_quyche_error(
    plan: dict[str, Any], book: Rulebook, as_of: datetime, reading: str, lang: str, explain: bool
) -> None:
    result = check(lambda: load_model(MeetingPlan, Document(plan, "plan.yaml")), book, as_of, reading, lang, explain)
    if isinstance(result, Report):
        return
    # A valid plan is refused only for dates the calendar cannot count (the error says so).
    assert "1901–2099" in str(result) or "outside the dates" in str(result), str(result)


@FUZZ
@given(plan=valid_plans(), style=st.sampled_from(["yaml", "json", "json-ascii-tabs"]))
def test_valid_plans_load_the_same_from_yaml_and_json_text(plan: dict[str, Any], style: str) -> None:
    """No silent loss: every event and endpoint written survives loading, from any spelling."""
    direct = load_model(MeetingPlan, Document(plan, "plan"))
    with _time_limit(TIME_LIMIT):
        loaded = load_model(MeetingPlan, parse_document(_to_text(plan, style), "plan"))
    assert loaded == direct
    assert len(loaded.events or []) == len(plan.get("events") or [])
    assert len(loaded.endpoints or []) == len(plan.get("endpoints") or [])


@FUZZ
@given(plan=broken_plans(), book=st.sampled_from(rulebooks()), as_of=as_of_times)
def test_broken_plans_as_data_give_a_report_or_a_quyche_error(plan: Any, book: Rulebook, as_of: datetime) -> None:
    check(lambda: load_model(MeetingPlan, Document(plan, "plan.yaml")), book, as_of)


@FUZZ
@given(plan=broken_plans(), style=st.sampled_from(["yaml", "json", "json-ascii-tabs"]),
       book=st.sampled_from(rulebooks()), as_of=as_of_times)
def test_broken_plans_as_text_give_a_report_or_a_quyche_error(
    plan: Any, style: str, book: Rulebook, as_of: datetime
) -> None:
    text = _to_text(plan, style)
    check(lambda: load_model(MeetingPlan, parse_document(text, "plan.yaml")), book, as_of)


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """A valid plan's text with characters inserted, deleted or replaced: what an editor slip makes."""
    text = _to_text(draw(valid_plans()), draw(st.sampled_from(["yaml", "json"])))
    chars = list(text)
    for _ in range(draw(st.integers(1, 8))):
        if not chars:
            break
        i = draw(st.integers(0, len(chars) - 1))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate-line"]))
        c = draw(st.sampled_from([*":-[]{},&*!?|>'\"#%@`\t\n \\", "\x00", "\ufeff", "\x85", "é", "ộ"]))
        if op == "insert":
            chars.insert(i, c)
        elif op == "delete":
            del chars[i]
        elif op == "replace":
            chars[i] = c
        else:
            start = "".join(chars).rfind("\n", 0, i) + 1
            end = "".join(chars).find("\n", i)
            end = len(chars) if end < 0 else end + 1
            chars[start:start] = chars[start:end]
    return "".join(chars)


YAML_TOKENS = [
    "- ", ": ", ":", "\n", "  ", "    ", "{", "}", "[", "]", ", ", "? ", "|\n", ">-\n", "'", '"', "# c\n",
    "&a ", "&b ", "*a", "*b", "!!python/object/apply:os.system ", "!!str ", "!!int ", "!!binary ", "!x ",
    "<<: ", "=", "---\n", "...\n", "%YAML 1.1\n", "%TAG !e! tag:e,2000:\n", "\t", "\\u00e9", "\\ud83d",
    "host", "name", "kind", "department", "start", "end", "events", "endpoints", "at", "to", "notice",
    "technicians", "-1", "0", "1e5", "0x1F", "1:30:00", ".inf", ".nan", "~", "null", "yes", "no",
    "2026-11-26T08:00:00", "2026-11-26", "9999-12-31T23:00:00-12:00", "1900-01-01", "Sở", "\ufeff", "\x85",
]


@FUZZ
@given(text=st.one_of(
    mutated_text(),
    st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join),
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda b: b.decode("utf-8", errors="replace")),
), book=st.sampled_from(rulebooks()), as_of=as_of_times)
def test_arbitrary_text_gives_a_report_or_a_quyche_error(text: str, book: Rulebook, as_of: datetime) -> None:
    check(lambda: load_model(MeetingPlan, parse_document(text, "any.yaml")), book, as_of)


@FUZZ
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_give_a_document_or_a_yaml_error(raw: bytes) -> None:
    from quyche.yamlio import decode

    try:
        with _time_limit(TIME_LIMIT):
            parse_document(decode(raw, "raw.yaml"), "raw.yaml")
    except QuycheError as e:
        assert str(e).startswith("raw.yaml"), str(e)


# JSON-like data: what another system sends. Finite floats only (JSON has no inf/nan).
json_data = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30),
              st.floats(allow_nan=False, allow_infinity=False), st.text()),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30,
)


@FUZZ
@given(data=json_data, ensure_ascii=st.booleans(), indent=st.sampled_from([None, 2, "\t"]))
def test_json_text_loads_as_the_same_data(data: Any, ensure_ascii: bool, indent: int | str | None) -> None:
    """A JSON document read as YAML gives the data JSON gives: no string turned number, no character lost."""
    text = json.dumps(data, ensure_ascii=ensure_ascii, indent=indent)
    try:
        with _time_limit(TIME_LIMIT):
            doc = parse_document(text, "data.json")
    except QuycheError as e:
        # Only the documented bounds may refuse valid JSON.
        assert "nested deeper" in str(e) or "expands to more" in str(e), (text, str(e))
        return
    assert doc.data == json.loads(text)


@FUZZ
@given(data=json_data)
def test_dump_yaml_reads_back_equal(data: Any) -> None:
    assert parse_document(dump_yaml(data), "dump.yaml").data == data


# --- rulebooks with one field mutated -------------------------------------------------------------

RULEBOOK_WRONG = st.one_of(
    WRONG_VALUES,
    st.sampled_from(["event:notice", "event:nothing", "meeting_end", "hours", "minutes", "days", "after",
                     "before", "commune", "host", "nobody", 10**6, 10**9, 10**12]),
    st.integers(0, 10**4),
)


@cache
def _dumped(i: int) -> dict[str, Any]:
    return rulebooks()[i].model_dump(mode="json")


@st.composite
def mutated_rulebooks(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(_dumped(draw(st.sampled_from(range(len(rulebooks()))))))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(data))[1:]))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(RULEBOOK_WRONG)
    return data


@FUZZ
@given(data=mutated_rulebooks(), plan=valid_plans(), as_of=times(2020, 2035))
def test_mutated_rulebooks_give_a_report_or_a_quyche_error(data: Any, plan: dict[str, Any], as_of: datetime) -> None:
    try:
        with _time_limit(TIME_LIMIT):
            # As data: the YAML route is fuzzed above, and dumping a whole bundled rulebook per example
            # would make this the slowest property by far.
            book = load_model(Rulebook, Document(data, "rules.yaml"))
    except QuycheError as e:
        assert len(str(e).splitlines()) <= 2
        event(f"rulebook error: {type(e).__name__}")
        return
    check(lambda: load_model(MeetingPlan, Document(plan, "plan.yaml")), book, as_of)


@pytest.mark.parametrize("unit,amount", [("days", 10**7), ("hours", 10**12), ("minutes", 10**15)])
def test_a_huge_period_is_refused_by_the_rulebook_and_by_the_calendar(unit: str, amount: int) -> None:
    data = rulebooks()[0].model_dump(mode="json")
    data["rules"][1]["period"] = {"amount": amount, "unit": unit, "relation": "after", "anchor": "meeting_start"}
    with pytest.raises(ValidationError, match=r"rules\[1\]\.period\.amount"):
        load_model(Rulebook, Document(data, "rules.yaml"))
    with pytest.raises(CalendarRangeError):
        default_calendar().deadline(datetime(2026, 1, 1), amount, unit, "after")  # type: ignore[arg-type]


def test_times_before_1911_serialise_as_local_wall_time_without_offset() -> None:
    plan = load_model(MeetingPlan, Document({"host": {"name": "X", "kind": "department"},
                                             "start": datetime(2026, 11, 26, 8)}, "p"))
    report = evaluate(rulebooks()[0], plan, as_of=datetime(1905, 1, 1))
    # LMT +07:06:30 has no ISO offset: the wall time without one, which reads back as Vietnam time.
    assert report.model_dump(mode="json")["as_of"] == "1905-01-01T00:00:00"
    assert Report.model_validate_json(report.model_dump_json()) == report


def test_the_campaign_size_is_configurable() -> None:
    assert EXAMPLES >= 1 and FUZZ.max_examples == EXAMPLES
    assert Path(__file__).read_text(encoding="utf-8").count("@FUZZ") >= 8
