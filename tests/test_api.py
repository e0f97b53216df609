"""The Python API for integrators: parse_plan / parse_rulebook, evaluate's argument checks, the
plan-size cap, errors that carry data (code, place, params) and their Vietnamese words, __version__."""

from __future__ import annotations

import json
import pickle
import sys
import tomllib
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pydantic
import pytest

import quyche
from quyche import (
    InputError,
    MeetingPlan,
    QuycheError,
    ValidationError,
    YamlError,
    error_text,
    evaluate,
    load_plan,
    load_rulebook,
    parse_plan,
    parse_rulebook,
)
from quyche.plan import TZ

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gia_lai.yaml"
AS_OF = datetime(2026, 12, 1, 8, 0, tzinfo=TZ)
BASE = "rulebook: gia_lai\nhost: {name: Sở Nội vụ, kind: department}\nstart: 2026-12-03T08:00:00+07:00\n"


def refused(data: Any, source: str = "p.yaml") -> ValidationError:
    with pytest.raises(ValidationError) as e:
        parse_plan(data, source=source)
    return e.value


# --- parse_plan: one way in, data or text -------------------------------------------------------


def test_parse_plan_reads_data_yaml_json_and_bytes_alike() -> None:
    from_file = load_plan(EXAMPLE)
    text = EXAMPLE.read_text(encoding="utf-8")
    data = from_file.model_dump(mode="json")
    assert parse_plan(text) == from_file
    assert parse_plan(text.encode("utf-8")) == from_file
    assert parse_plan(json.dumps(data)) == from_file
    assert parse_plan(data) == from_file
    assert parse_plan(from_file) is from_file


def test_bad_plan_data_raises_quyches_error_with_a_field_path_never_pydantics() -> None:
    data = {"host": {"name": "A", "kind": "department"}, "start": "2026-12-03T08:00",
            "endpoints": [{"name": "x", "role": "main"}, {"name": "y", "role": "branch", "technicians": "2"}]}
    e = refused(data, source="<plan>")
    assert not isinstance(e, pydantic.ValidationError)
    # Data has no lines: the place is the field path (list indexes 0-based, as pydantic and JSON count).
    assert (e.code, e.place) == ("want_integer", "endpoints[1].technicians")
    assert e.params["got"] == "'2'"
    assert str(e) == "<plan>: endpoints[1].technicians: Input should be a valid integer, got '2'"


def test_bad_plan_text_names_file_line_and_column() -> None:
    e = refused(BASE + "endpoints:\n  - {name: x, role: boss}\n")
    # Line 5 is "  - {name: x, role: boss}": the key `role` starts at column 15.
    assert e.code == "not_one_of" and e.place == "p.yaml:5:15"
    assert e.params["field"] == "endpoints[0].role" and e.params["choices"] == ["main", "branch"]


@pytest.mark.parametrize("value", [5, None, ["a"], 2.5])
def test_parse_plan_refuses_what_is_neither_data_nor_text(value: object) -> None:
    with pytest.raises(InputError) as e:
        parse_plan(value)
    assert e.value.code == "bad_argument" and type(value).__name__ in str(e.value)


def test_parse_plan_text_that_is_not_yaml_is_a_yaml_error() -> None:
    with pytest.raises(YamlError):
        parse_plan("host: [unclosed\n")


def test_parse_rulebook_reads_the_bundled_text_as_load_rulebook_does() -> None:
    text = (ROOT / "rules" / "lai_chau.yaml").read_text(encoding="utf-8")
    book = parse_rulebook(text, source="lai_chau.yaml")
    assert book == load_rulebook("lai_chau")
    with pytest.raises(ValidationError) as e:
        parse_rulebook({"id": "x"})
    assert e.value.code == "missing_key"


# --- evaluate: a bundled id, plan data, and misuse as InputError (D22) ---------------------------


def test_evaluate_takes_a_bundled_id_and_plan_data() -> None:
    plan = load_plan(EXAMPLE)
    by_objects = evaluate(load_rulebook("gia_lai"), plan, as_of=AS_OF)
    by_id_and_data = evaluate("gia_lai", plan.model_dump(mode="json"), as_of=AS_OF)
    assert by_id_and_data == by_objects


@pytest.mark.parametrize(
    "kwargs,code,name",
    [
        ({"as_of": "2026-12-01T08:00"}, "bad_argument", "as_of"),
        ({"as_of": date(2026, 12, 1)}, "bad_argument", "as_of"),
        ({"as_of": 1_700_000_000}, "bad_argument", "as_of"),
        ({"as_of": None}, "bad_argument", "as_of"),
        ({"calendar": "vn"}, "bad_argument", "calendar"),
        ({"registry": {}}, "bad_argument", "registry"),
        ({"lang": "fr"}, "unknown_lang", "lang"),
        ({"reading": "lenient"}, "bad_argument", "reading"),
        ({"readings": ["working_days=strict"]}, "bad_argument", "readings"),
        ({"readings": {"working_days": 1}}, "bad_argument", "readings"),
        ({"explain": "yes"}, "bad_argument", "explain"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_evaluate_refuses_wrong_arguments_with_input_error(kwargs: dict[str, Any], code: str, name: str) -> None:
    args: dict[str, Any] = {"as_of": AS_OF, **kwargs}
    with pytest.raises(InputError) as e:
        evaluate("gia_lai", load_plan(EXAMPLE), **args)
    assert e.value.code == code and e.value.place == name
    assert str(e.value).startswith(f"{name}: ")


@pytest.mark.parametrize("rulebook,plan,name", [(5, None, "rulebook"), ("gia_lai", "gia_lai.yaml", "plan"),
                                                ("gia_lai", 3, "plan")])
def test_evaluate_refuses_a_wrong_rulebook_or_plan(rulebook: Any, plan: Any, name: str) -> None:
    with pytest.raises(InputError) as e:
        evaluate(rulebook, plan if plan is not None else load_plan(EXAMPLE), as_of=AS_OF)
    assert e.value.place == name


def test_evaluate_of_bad_plan_data_names_the_field() -> None:
    with pytest.raises(ValidationError) as e:
        evaluate("gia_lai", {"host": {"name": "A", "kind": "department"}}, as_of=AS_OF)
    assert e.value.code == "missing_key" and e.value.place == "start"


# --- D14: one evaluation's work is bounded ----------------------------------------------------------


def _plan_with(n: int) -> MeetingPlan:
    eps = [{"name": f"UBND xã {i}", "role": "branch", "level": "commune"} for i in range(n)]
    return parse_plan({"host": {"name": "Sở Nội vụ", "kind": "department"}, "start": "2026-12-03T08:00",
                       "endpoints": eps})


def test_a_plan_over_the_cap_is_refused_before_any_work() -> None:
    # Gia Lai has 101 rules: 1,485 endpoints × 101 = 149,985 ≤ 150,000; 1,486 × 101 = 150,086 > it.
    assert len(load_rulebook("gia_lai").rules) == 101
    with pytest.raises(InputError) as e:
        evaluate("gia_lai", _plan_with(1486), as_of=AS_OF)
    assert e.value.code == "plan_too_large" and e.value.place == "endpoints"
    assert e.value.params == {"field": "endpoints", "endpoints": 1486, "rules": 101, "work": 150_086,
                              "cap": 150_000}
    assert "150,086" in str(e.value) and "150,000" in str(e.value)
    assert error_text(e.value, "vi").startswith("endpoints: kế hoạch quá lớn để kiểm tra trong một lần: 1486 điểm cầu")


def test_the_cap_lets_a_plan_at_it_through(monkeypatch: pytest.MonkeyPatch) -> None:
    # Lower the cap so that the edge is cheap to test: 3 endpoints × 101 rules = 303 is at the cap.
    # (`quyche.evaluate` is the function; its module is reached through sys.modules.)
    monkeypatch.setattr(sys.modules["quyche.evaluate"], "MAX_ENDPOINT_RULES", 303)
    assert evaluate("gia_lai", _plan_with(3), as_of=AS_OF).obligations
    with pytest.raises(InputError):
        evaluate("gia_lai", _plan_with(4), as_of=AS_OF)


# --- D22: file names the OS refuses --------------------------------------------------------------


@pytest.mark.parametrize("name", ["a\0b", "x" * 5000])
def test_load_plan_of_an_impossible_file_name_is_a_quyche_error(name: str) -> None:
    with pytest.raises(QuycheError):
        load_plan(name)


@pytest.mark.parametrize("name", ["a\0b", "x" * 5000, "x" * 300 + ".yaml"])
def test_load_rulebook_of_an_impossible_file_name_is_a_quyche_error(name: str) -> None:
    with pytest.raises(QuycheError):
        load_rulebook(name)


# --- errors carry data; Vietnamese words from it ---------------------------------------------------


# (plan text, code, file:line:col, field, Vietnamese words). Columns count characters, at the key:
# "endpoints: [{name: A, role: main, technicians: '2'}]" puts `technicians` at column 35 (10 + 1 + 2 +
# "name: A, " 9 + "role: main, " 12 = 34 before it); "host: {name: Sở Nội vụ, kind: …}" puts `kind` at 25.
CASES = [
    (BASE + "colour: red\n", "unknown_key", "p.yaml:4:1", "colour", "khóa không hợp lệ"),
    ("host: {name: A, kind: department}\n", "missing_key", "p.yaml", "start", "thiếu khóa bắt buộc"),
    (BASE.replace(", kind: department", ""), "missing_key", "p.yaml:2:1", "host.kind", "thiếu khóa bắt buộc"),
    (BASE + "title: 5\n", "want_text", "p.yaml:4:1", "title", "phải là chữ (chuỗi ký tự), nhận được 5"),
    (BASE + "endpoints: [{name: A, role: main, technicians: '2'}]\n", "want_integer", "p.yaml:4:35",
     "endpoints[0].technicians", "phải là số nguyên, nhận được '2'"),
    (BASE + "emergency: 'no'\n", "want_boolean", "p.yaml:4:1", "emergency", "phải là true hoặc false"),
    (BASE.replace("2026-12-03T08:00:00+07:00", "'tomorrow'"), "want_datetime", "p.yaml:3:1", "start",
     "phải là ngày giờ, ví dụ 2026-11-26T08:00:00+07:00, nhận được 'tomorrow'"),
    ("[1, 2]\n", "want_mapping", "p.yaml", "(document)", "cần một bảng khóa: giá trị, nhận được một danh sách"),
    (BASE + "requests: recording\n", "want_list", "p.yaml:4:1", "requests", "phải là một danh sách"),
    (BASE.replace("{name: Sở Nội vụ, kind: department}", "Sở Nội vụ"), "want_mapping", "p.yaml:2:1", "host",
     "cần một bảng khóa: giá trị, nhận được 'Sở Nội vụ'"),
    (BASE.replace("department", "boss"), "not_one_of", "p.yaml:2:25", "host.kind",
     "phải là một trong: central, provincial_party_committee"),
    (BASE.replace("Sở Nội vụ", "''"), "text_too_short", "p.yaml:2:8", "host.name", "cần ít nhất 1 ký tự"),
    (BASE + "endpoints: [{name: A, role: main, leaders: -1}]\n", "greater_than_equal", "p.yaml:4:35",
     "endpoints[0].leaders", "phải lớn hơn hoặc bằng 0, nhận được -1"),
    # D31: neither 24:00 nor a leap second is a time Python counts; say so in both languages.
    (BASE.replace("2026-12-03T08:00:00+07:00", "'2026-12-03T24:00'"), "hour_24", "p.yaml:3:1", "start",
     "24:00 không phải là giờ trong ngày; hãy ghi 00:00 của ngày hôm sau"),
    (BASE.replace("2026-12-03T08:00:00+07:00", "'2026-12-03T23:59:60'"), "leap_second", "p.yaml:3:1", "start",
     "giây thứ 60 (giây nhuận)"),
    # D19: a null key and a date key name their own line, not "None:" or "(document):".
    (BASE + "null: 1\n", "key_not_text", "p.yaml:4:1", "null", "khóa null không phải là chữ"),
    (BASE + "endpoints:\n  - {name: A, role: main, 2026-01-01: 1}\n", "key_not_text", "p.yaml:5:27",
     "endpoints[0].2026-01-01", "khóa 2026-01-01 không phải là chữ"),
]


@pytest.mark.parametrize("text,code,at,field,vi", CASES, ids=[c[1] for c in CASES])
def test_each_frequent_problem_has_a_code_a_place_and_vietnamese_words(
    text: str, code: str, at: str, field: str, vi: str
) -> None:
    e = refused(text)
    assert (e.code, e.params["at"], e.params["field"]) == (code, at, field)
    assert e.place == (at if at != "p.yaml" else field)
    assert error_text(e, "en") == str(e)  # one problem: the English line is the message itself
    words = error_text(e, "vi")
    assert words.startswith(f"{at}: {field}: ") and vi in words, words
    assert "\n" not in words and "Input should" not in words


def test_the_english_of_the_new_messages() -> None:
    assert str(refused(BASE + "null: 1\n")) == (
        "p.yaml:4:1: null: key null is not text: a key is a name (put it in quotes to keep it as written)")
    assert str(refused(BASE.replace("2026-12-03T08:00:00+07:00", "'2026-12-03T24:00'"))).endswith(
        "start: '2026-12-03T24:00': 24:00 is not a time of day; write 00:00 of the next day")
    assert str(refused(BASE.replace("2026-12-03T08:00:00+07:00", "'2026-12-03T23:59:60'"))).endswith(
        "start: '2026-12-03T23:59:60': second 60 (a leap second) cannot be counted; write :59")


def test_several_problems_are_one_line_in_either_language_and_counted() -> None:
    # 7 problems: rulebook, host.name, host.kind, start, emergency, requests, colour; 5 are listed.
    text = "rulebook: 5\nhost: {name: 1, kind: boss}\nstart: 3\nemergency: 'no'\nrequests: all\ncolour: 1\n"
    e = refused(text)
    assert len(e.params["also"]) == 4 and e.params["more"] == 2
    assert [p["code"] for p in e.params["also"]] == ["want_text", "not_one_of", "invalid_value", "want_boolean"]
    en, vi = error_text(e, "en"), error_text(e, "vi")
    assert "\n" not in en and "; also: " in en and en.endswith("… and 2 more problem(s)")
    assert "\n" not in vi and "; lỗi khác: p.yaml:2:8: host.name: phải là chữ" in vi
    assert vi.endswith("; … và 2 lỗi nữa")


def test_a_validators_own_coded_error_keeps_its_code_and_params() -> None:
    # The way a field validator gives its check a code: PydanticCustomError(code, English, params).
    from pydantic_core import PydanticCustomError

    from quyche.yamlio import load_model, parse_document

    class Meeting(pydantic.BaseModel):
        start: datetime

        @pydantic.field_validator("start")
        @classmethod
        def _years(cls, v: datetime) -> datetime:
            raise PydanticCustomError("year_out_of_range", "{value} is outside the supported years {first}–{last}",
                                      {"value": f"{v:%d/%m/%Y}", "first": 1901, "last": 2099})

    with pytest.raises(ValidationError) as e:
        load_model(Meeting, parse_document("start: 2100-01-04T08:00\n", "p.yaml"))
    assert (e.value.code, e.value.place) == ("year_out_of_range", "p.yaml:1:1")
    assert str(e.value) == "p.yaml:1:1: start: 04/01/2100 is outside the supported years 1901–2099"
    assert error_text(e.value, "vi").startswith("p.yaml:1:1: start: 04/01/2100 nằm ngoài các năm 1901–2099")


def test_error_body_is_the_contracts_shape() -> None:
    from quyche.render.errors import error_body

    e = refused(BASE + "colour: red\n")
    assert error_body(e, "en") == {"error": {"code": "unknown_key", "place": "p.yaml:4:1",
                                             "message": "p.yaml:4:1: colour: unknown key (not allowed here)"}}
    with pytest.raises(YamlError) as y:
        parse_plan("a: [\n")
    assert error_body(y.value)["error"]["code"] == "not_yaml"
    with pytest.raises(QuycheError) as u:
        load_rulebook("atlantis")
    assert error_body(u.value)["error"]["code"] == "unknown_rulebook"


def test_an_error_without_vietnamese_words_keeps_its_english() -> None:
    e = QuycheError("p.yaml: something rare")
    assert error_text(e, "vi") == error_text(e, "en") == "p.yaml: something rare"


def test_error_text_refuses_an_unknown_language() -> None:
    with pytest.raises(InputError):
        error_text(QuycheError("x"), "fr")


def test_errors_keep_their_data_through_pickling() -> None:
    e = refused(BASE + "colour: red\n")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is ValidationError
    assert (str(back), back.code, back.place, back.params) == (str(e), e.code, e.place, e.params)
    assert json.loads(json.dumps(e.params)) == e.params  # JSON-ready for an HTTP error body


# --- the package -----------------------------------------------------------------------------------


def test_version_is_the_package_metadata_and_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert quyche.__version__ == metadata.version("quyche") == declared


def test_version_of_an_uninstalled_checkout_comes_from_pyproject(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert quyche._version() == declared


def test_everything_in_all_is_exported() -> None:
    missing = [name for name in quyche.__all__ if not hasattr(quyche, name)]
    assert missing == []
    assert {"parse_plan", "parse_rulebook", "error_text", "__version__"} <= set(quyche.__all__)
