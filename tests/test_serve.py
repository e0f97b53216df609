"""The HTTP API against the real server: uvicorn in a subprocess on a free loopback port, real
requests, each answer compared byte for byte with the CLI's output for the same input."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = "2026-12-01"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "quyche.serve:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server died") from None
                time.sleep(0.05)
        else:
            raise RuntimeError("server did not answer /healthz in 10 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _request(url: str, body: bytes | None = None) -> tuple[int, bytes, str]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"} if body else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read(), r.headers.get("content-type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("content-type", "")


def _post(base: str, body: dict[str, Any]) -> tuple[int, bytes, str]:
    return _request(f"{base}/v1/check", json.dumps(body, default=str, ensure_ascii=False).encode())


def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "quyche", *args], capture_output=True, cwd=ROOT)


def _plan(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(("name", "lang"), [("gia_lai.yaml", "vi"), ("can_tho.yaml", "en")])
def test_check_is_the_cli_report_byte_for_byte(base: str, name: str, lang: str) -> None:
    status, body, ctype = _post(base, {"plan": _plan(name), "as_of": AS_OF, "lang": lang})
    cli = _cli("check", f"examples/{name}", "--as-of", AS_OF, "--format", "json", "--lang", lang)
    assert cli.returncode in (0, 1, 3)
    assert (status, ctype) == (200, "application/json")
    assert body == cli.stdout


def test_check_with_rulebook_and_reading_is_the_cli_report(base: str) -> None:
    # The plan's own rulebook overridden by a bundled id, and a reading chosen: the CLI's
    # --rulebook and --reading give the same bytes.
    plan = _plan("gia_lai.yaml")
    status, body, _ = _post(base, {"plan": plan, "rulebook": "can_tho", "as_of": AS_OF,
                                   "readings": {"working_days": "strict"}, "explain": True})
    cli = _cli("check", "examples/gia_lai.yaml", "--rulebook", "can_tho", "--as-of", AS_OF, "--format", "json",
               "--reading", "working_days=strict", "--explain")
    assert status == 200
    assert body == cli.stdout
    assert json.loads(body)["readings"]["working_days"] == "strict"


def test_inline_rulebook_gives_the_bundled_report(base: str) -> None:
    inline = yaml.safe_load((ROOT / "rules" / "gia_lai.yaml").read_text(encoding="utf-8"))
    plan = _plan("gia_lai.yaml")
    del plan["rulebook"]
    inline_status, inline_body, _ = _post(base, {"plan": plan, "rulebook": inline, "as_of": AS_OF})
    _, bundled_body, _ = _post(base, {"plan": plan, "rulebook": "gia_lai", "as_of": AS_OF})
    assert inline_status == 200
    assert inline_body == bundled_body


@pytest.mark.parametrize(("path", "args"), [
    ("/v1/rulebooks", ["rulebooks", "--format", "json"]),
    ("/v1/rulebooks/lai_chau", ["show", "lai_chau", "--format", "json"]),
    ("/v1/diff?a=gia_lai&b=can_tho&lang=en", ["diff", "gia_lai", "can_tho", "--format", "json", "--lang", "en"]),
    ("/v1/readings", ["readings", "--format", "json"]),
    ("/v1/readings?rulebook=bac_kan", ["readings", "bac_kan", "--format", "json"]),
    ("/v1/workdays/add?date=2026-11-26&n=-3", ["workdays", "add", "2026-11-26", "-3", "--format", "json"]),
    ("/v1/workdays/before?date=26/11/2026&n=3&reading=strict",
     ["workdays", "before", "26/11/2026", "3", "--reading", "strict", "--format", "json"]),
    ("/v1/workdays/after?date=2026-11-23&n=1&lang=en",
     ["workdays", "after", "2026-11-23", "1", "--format", "json", "--lang", "en"]),
    ("/v1/workdays/between?a=2026-11-23&b=2026-11-26&inclusive=true",
     ["workdays", "between", "2026-11-23", "2026-11-26", "--inclusive", "--format", "json"]),
    ("/v1/workdays/year?year=2026", ["workdays", "year", "2026", "--format", "json"]),
    ("/v1/workdays/is?date=2026-09-02", ["workdays", "is", "2026-09-02", "--format", "json"]),
])
def test_get_endpoints_are_the_commands_json(base: str, path: str, args: list[str]) -> None:
    status, body, ctype = _request(base + path)
    cli = _cli(*args)
    assert cli.returncode == 0, cli.stderr
    assert (status, ctype) == (200, "application/json")
    assert body == cli.stdout


def _error(status: int, body: bytes) -> dict[str, Any]:
    assert status == 422, body
    error: dict[str, Any] = json.loads(body)["error"]
    assert set(error) == {"code", "message", "place"}
    return error


def test_bad_plan_is_422_in_the_request_lang(base: str) -> None:
    plan = _plan("gia_lai.yaml")
    plan["start"] = "not a time"
    vi = _error(*_post(base, {"plan": plan, "as_of": AS_OF})[:2])
    en = _error(*_post(base, {"plan": plan, "as_of": AS_OF, "lang": "en"})[:2])
    assert vi["code"] == en["code"] == "want_datetime"
    assert "phải là ngày giờ" in vi["message"]
    assert "phải" not in en["message"] and "start" in en["message"]


@pytest.mark.parametrize(("body", "code"), [
    (b"{not json", "not_json"),
    (b'{"plan": {}, "as_of": "2026-12-01", "extra": 1}', "unknown_key"),  # the body is checked before the plan
    (b'{"as_of": "2026-12-01"}', "missing_key"),
    (b'[1, 2]', "want_mapping"),
])
def test_malformed_body_is_422(base: str, body: bytes, code: str) -> None:
    status, out, _ = _request(f"{base}/v1/check", body)
    assert _error(status, out)["code"] == code


def test_bad_as_of_and_unknown_reading_are_422(base: str) -> None:
    plan = _plan("gia_lai.yaml")
    assert "as_of" in _error(*_post(base, {"plan": plan, "as_of": "tomorrow"})[:2])["message"]
    error = _error(*_post(base, {"plan": plan, "as_of": AS_OF, "readings": {"nope": "x"}})[:2])
    assert "nope" in error["message"]


@pytest.mark.parametrize("ref", ["rules/gia_lai.yaml", "/etc/passwd", "../../rules/can_tho.yaml"])
def test_a_request_naming_a_server_file_is_422(base: str, ref: str) -> None:
    plan = _plan("gia_lai.yaml")
    plan["rulebook"] = ref  # the plan's own key: refused, whatever the path
    assert _error(*_post(base, {"plan": plan, "as_of": AS_OF})[:2])["code"] == "rulebook_path_refused"
    plan["rulebook"] = "gia_lai"  # the request's key: only bundled ids or inline documents
    assert _error(*_post(base, {"plan": plan, "rulebook": ref, "as_of": AS_OF})[:2])["code"] == "unknown_rulebook"
    # A rulebook path in GET parameters: the same refusal.
    assert _error(*_request(f"{base}/v1/readings?rulebook={ref}")[:2])["code"] == "unknown_rulebook"
    assert _error(*_request(f"{base}/v1/diff?a=gia_lai&b={ref}")[:2])["code"] == "unknown_rulebook"


def test_oversize_body_is_413(base: str) -> None:
    # 5,000,000 bytes is the limit (as for files); one more is refused before it is parsed.
    body = b'{"plan": "' + b"x" * 5_000_000 + b'"}'
    try:
        status, out, _ = _request(f"{base}/v1/check", body)
    except (ConnectionError, urllib.error.URLError):
        pytest.fail("the server closed the connection instead of answering 413")
    assert status == 413
    assert json.loads(out)["error"]["code"] == "too_large"


def test_bad_query_values_are_422(base: str) -> None:
    assert _error(*_request(f"{base}/v1/workdays/add?date=2026-11-26&n=three")[:2])["code"] == "bad_input"
    assert _error(*_request(f"{base}/v1/workdays/add?date=2026-11-26")[:2])["place"] == "n"
    assert _error(*_request(f"{base}/v1/workdays/year?year=2100")[:2])["code"] == "bad_input"
    assert _error(*_request(f"{base}/v1/rulebooks/nowhere")[:2])["code"] == "unknown_rulebook"


def test_openapi_property_no_5xx_and_schema_conformance(base: str) -> None:
    """Schemathesis over every operation of /openapi.json (a few examples each, loopback only): no
    5xx, every status code, content type and body as the document declares."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11  # check, rulebooks ×2, diff, readings, workdays ×6, healthz
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case: Any) -> None:
            case.call_and_validate(checks=checks)

        run()
