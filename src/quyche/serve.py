"""`quyche serve`: the CLI's JSON over HTTP (contract section 8). The only module that imports FastAPI.

Stateless: every request carries its plan, rulebook and readings, so workers and hosts can be added
behind any load balancer. No request ever names a file on the server: rulebooks are bundled ids or
inline documents, and a plan whose `rulebook` is a path is refused (422). Limits: a body over 5 MB is
refused (413) before it is parsed, the same cap as files; the time of one check is bounded by the
evaluation's own work cap (`plan_too_large`: endpoints × rules), not by a clock, so no request can
run long enough to need killing (a thread cannot be stopped safely anyway).

The GET endpoints run the CLI's own `--format json` functions and return what they print, so the
bytes are the command's, exactly.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import threading
from collections.abc import Callable
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__, parse_plan, parse_rulebook
from .calendar import default_calendar
from .errors import InputError, QuycheError, UnknownRulebookError
from .evaluate import evaluate
from .loader import BUNDLED_IDS, load_rulebook
from .render.errors import error_body
from .rulebook import Rulebook
from .yamlio import MAX_BYTES, Document, load_model

Lang = Literal["vi", "en"]
JSON = "application/json"
DRAIN_BYTES = 4 * MAX_BYTES


class CheckRequest(BaseModel):
    """The body of POST /v1/check."""

    model_config = ConfigDict(extra="forbid")

    plan: dict[str, Any] = Field(description="a meeting plan (contract section 3), as JSON")
    rulebook: str | dict[str, Any] | None = Field(
        None, description="a bundled rulebook id, or a rulebook document inline; default: the plan's own "
        "`rulebook` when it is a bundled id")
    as_of: str = Field(description="judge as of this time: 2026-11-26T08:00, 26/11/2026 08:00, … "
                       "(no offset = Vietnam time)")
    lang: Lang = "vi"
    readings: dict[str, str] = Field(default_factory=dict, description="reading id → value (`GET /v1/readings`)")
    explain: bool = False


class ErrorDetail(BaseModel):
    code: str
    message: str
    place: str | None


class ErrorBody(BaseModel):
    error: ErrorDetail


_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "bad input"},
}
_ANY_OBJECT: dict[str, Any] = {"content": {JSON: {"schema": {"type": "object"}}}}
_ANY_ARRAY: dict[str, Any] = {"content": {JSON: {"schema": {"type": "array", "items": {"type": "object"}}}}}

# The CLI's functions print to sys.stdout; capturing it is process-wide, so one at a time.
_STDOUT = threading.Lock()


def _printed(run: Callable[[argparse.Namespace], int], **args: Any) -> Response:
    buffer = io.StringIO()
    with _STDOUT, contextlib.redirect_stdout(buffer):
        run(argparse.Namespace(**args))
    return Response(buffer.getvalue(), media_type=JSON)


def _error(e: QuycheError, lang: str, status: int = 422) -> JSONResponse:
    return JSONResponse(error_body(e, lang if lang in ("vi", "en") else "vi"), status_code=status)


def _bundled(ref: str, what: str) -> str:
    """A bundled rulebook id; anything else (a path above all) is refused without touching the disk."""
    if ref not in BUNDLED_IDS:
        from .cli._common import _shown

        raise UnknownRulebookError(f"{what}: {_shown(ref)}: not a bundled rulebook ({', '.join(BUNDLED_IDS)}); "
                                   "the server reads no file a request names", code="unknown_rulebook", place=what)
    return ref


async def _read_body(request: Request) -> bytes:
    """The body, at most MAX_BYTES, or _TooLarge. Past the limit the rest is read and dropped (memory
    stays bounded), up to DRAIN_BYTES: a client still sending when the answer comes gets its
    connection reset, not the 413."""
    declared = request.headers.get("content-length", "")
    over = declared.isdigit() and int(declared) > MAX_BYTES
    body = bytearray()
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if over or seen > MAX_BYTES:
            over = True
            body.clear()
            if seen > DRAIN_BYTES:
                break
        else:
            body += chunk
    if over:
        raise _TooLarge
    return bytes(body)


class _TooLarge(Exception):
    pass


def _too_large() -> InputError:
    return InputError(f"body: more than {MAX_BYTES:,} bytes, over the limit", code="too_large", place="body")


def _check(data: Any) -> bytes:
    """The report bytes of `quyche check --format json` for the same plan and options."""
    from .cli._common import dump_json, parse_time

    req = load_model(CheckRequest, Document(data, "body"))
    plan = parse_plan(req.plan, source="plan")
    book: Rulebook
    if isinstance(req.rulebook, dict):
        book = parse_rulebook(req.rulebook, source="rulebook")
    elif req.rulebook is not None:
        book = load_rulebook(_bundled(req.rulebook, "rulebook"))
    elif plan.rulebook is None:
        raise InputError("plan: rulebook: not given in the plan; send `rulebook`", code="missing_key",
                         place="plan: rulebook")
    elif plan.rulebook in BUNDLED_IDS:
        book = load_rulebook(plan.rulebook)
    else:
        raise InputError("plan: rulebook: a path; the server reads no file a request names: send a bundled id "
                         "or the rulebook inline as `rulebook`", code="rulebook_path_refused",
                         place="plan: rulebook", params={"why": "a path"})
    as_of = parse_time(req.as_of, "as_of")
    report = evaluate(book, plan, as_of=as_of, calendar=default_calendar(), readings=req.readings,
                      lang=req.lang, explain=req.explain)
    return dump_json(report.model_dump(mode="json")).encode("utf-8")


def _body_lang(data: Any) -> str:
    lang = data.get("lang") if isinstance(data, dict) else None
    return lang if lang in ("vi", "en") else "vi"


def create_app() -> FastAPI:
    """A new app; it keeps no state between requests."""
    app = FastAPI(title="quyche", version=__version__,
                  description="Vietnamese online-meeting plans checked against cited rulebooks: the JSON of "
                  "the `quyche` commands over HTTP (contract section 8).")

    @app.exception_handler(QuycheError)
    async def quyche_error(request: Request, e: QuycheError) -> JSONResponse:
        return _error(e, request.query_params.get("lang", "vi"))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, e: RequestValidationError) -> JSONResponse:
        lang = request.query_params.get("lang", "vi")
        first = e.errors()[0] if e.errors() else {}
        place = ".".join(str(x) for x in first.get("loc", ()) if x not in ("query", "path", "body")) or None
        missing = first.get("type") == "missing"
        if lang == "en":
            words = "missing" if missing else "not a valid value"
        else:
            words = "thiếu tham số bắt buộc" if missing else "giá trị không hợp lệ"
        message = f"{place}: {words}" if place else words
        return JSONResponse({"error": {"code": "missing_key" if missing else "bad_input", "message": message,
                                       "place": place}}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": {"code": f"http_{e.status_code}", "message": str(e.detail), "place": None}},
                            status_code=e.status_code)

    @app.get("/healthz", responses={200: _ANY_OBJECT})
    def healthz() -> Response:
        return Response(json.dumps({"status": "ok", "version": __version__}), media_type=JSON)

    @app.post(
        "/v1/check",
        summary="a plan's report, as `quyche check --format json`",
        responses={200: _ANY_OBJECT, **_ERRORS, 413: {"model": ErrorBody, "description": "body over 5 MB"}},
        openapi_extra={"requestBody": {"required": True,
                                       "content": {JSON: {"schema": CheckRequest.model_json_schema()}}}},
    )
    async def check(request: Request) -> Response:
        # The body is read and validated here, not by FastAPI: bounded, and with quyche's own errors.
        lang = request.query_params.get("lang", "vi")
        try:
            raw = await _read_body(request)
        except _TooLarge:
            return _error(_too_large(), lang, 413)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            return _error(InputError("body: not JSON", code="not_json", place="body"), lang)
        lang = _body_lang(data)
        from starlette.concurrency import run_in_threadpool

        try:
            out = await run_in_threadpool(_check, data)
        except QuycheError as e:
            return _error(e, lang)
        return Response(out, media_type=JSON)

    @app.get("/v1/rulebooks", summary="the bundled rulebooks, as `quyche rulebooks --format json`",
             responses={200: _ANY_ARRAY})
    def rulebooks() -> Response:
        from .cli.rulebooks import run_list

        return _printed(run_list, format="json")

    @app.get("/v1/rulebooks/{rulebook_id}", summary="one rulebook, as `quyche show ID --format json`",
             responses={200: _ANY_OBJECT, **_ERRORS})
    def rulebook(rulebook_id: str, lang: Lang = "vi") -> Response:
        from .cli.rulebooks import run_show

        return _printed(run_show, rulebook=_bundled(rulebook_id, "rulebook_id"), format="json", lang=lang,
                        reading=[])

    @app.get("/v1/diff", summary="two rulebooks side by side, as `quyche diff A B --format json`",
             responses={200: _ANY_OBJECT, **_ERRORS})
    def diff(a: str, b: str, lang: Lang = "vi") -> Response:
        from .cli.diff import run_diff

        return _printed(run_diff, rulebooks=[_bundled(a, "a"), _bundled(b, "b")], all=False, versions=False,
                        topic=[], changed_only=None, format="json", lang=lang)

    @app.get("/v1/readings", summary="the named readings, as `quyche readings [ID] --format json`",
             responses={200: _ANY_OBJECT, **_ERRORS})
    def readings(rulebook: str | None = None, lang: Lang = "vi") -> Response:
        from .cli.readings import run

        ref = None if rulebook is None else _bundled(rulebook, "rulebook")
        return _printed(run, rulebook=ref, format="json", lang=lang)

    _workdays(app)
    return app


def _workdays(app: FastAPI) -> None:
    """`GET /v1/workdays/ACTION`: `quyche workdays ACTION … --format json`, on the bundled calendar.
    Values stay text, parsed by the CLI's own grammar, so the errors are the command's."""
    from .cli import workdays as w

    def run(fn: Callable[[argparse.Namespace], int], lang: str, **args: Any) -> Response:
        return _printed(fn, calendar=None, format="json", lang=lang, **args)

    responses: dict[int | str, dict[str, Any]] = {200: _ANY_OBJECT, **_ERRORS}

    def date_doc() -> Any:
        return Query(description="2026-11-26 or 26/11/2026")

    @app.get("/v1/workdays/add", summary="the N-th working day after DATE (N < 0: before)", responses=responses)
    def add(date: str = date_doc(), n: str = Query(description="a whole number"), lang: Lang = "vi") -> Response:
        return run(w._run_add, lang, date=date, n=n)

    @app.get("/v1/workdays/before", summary="deadline 'N working days before DATE'", responses=responses)
    def before(date: str = date_doc(), n: str = Query(), reading: Literal["default", "strict"] = "default",
               lang: Lang = "vi") -> Response:
        return run(w._run_before, lang, date=date, n=n, reading=reading)

    @app.get("/v1/workdays/after", summary="deadline 'within N working days after DATE'", responses=responses)
    def after(date: str = date_doc(), n: str = Query(), lang: Lang = "vi") -> Response:
        return run(w._run_after, lang, date=date, n=n)

    @app.get("/v1/workdays/between", summary="working days from A (not counted) to B (counted)",
             responses=responses)
    def between(a: str = date_doc(), b: str = date_doc(), inclusive: bool = False, lang: Lang = "vi") -> Response:
        return run(w._run_between, lang, a=a, b=b, inclusive=inclusive)

    @app.get("/v1/workdays/year", summary="every weekday off and weekend worked in YEAR", responses=responses)
    def year(year: str = Query(description="1901–2099"), lang: Lang = "vi") -> Response:
        return run(w._run_year, lang, year=year)

    @app.get("/v1/workdays/is", summary="is DATE a working day, and if not, why", responses=responses)
    def is_(date: str = date_doc(), lang: Lang = "vi") -> Response:
        return run(w._run_is, lang, date=date)
