"""`quyche serve`: the HTTP API (quyche.serve) on uvicorn. FastAPI is imported only when it runs."""

from __future__ import annotations

import argparse

from ..errors import InputError
from ._common import parse_int


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="answer HTTP with the commands' JSON (POST /v1/check, GET /v1/rulebooks, …)",
        description="A stateless HTTP API: POST /v1/check, GET /v1/rulebooks[/ID], /v1/diff, /v1/workdays/…, "
        "/v1/readings, /openapi.json, /healthz. Needs the `serve` extra (pip install 'quyche[serve]').\n\n"
        "Example: quyche serve --port 8000 --workers 2",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--port", default="8000")
    p.add_argument("--workers", default="1", metavar="N", help="worker processes (default 1)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    port = parse_int(args.port, "--port")
    workers = parse_int(args.workers, "--workers")
    if not 0 <= port <= 65535:
        raise InputError(f"--port: {port}: want 0–65535")
    if workers < 1:
        raise InputError(f"--workers: {workers}: want 1 or more")
    try:
        import uvicorn
    except ImportError:
        raise InputError("serve: needs FastAPI and uvicorn: pip install 'quyche[serve]'") from None
    # The factory by its import string: uvicorn starts it anew in each worker process.
    uvicorn.run("quyche.serve:create_app", factory=True, host=args.host, port=port, workers=workers)
    return 0
