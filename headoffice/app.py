"""The head-office HTTP API (FastAPI). Database work runs in the thread pool; handlers stay thin.

Signed endpoints (see pos/sync/signing.py): ``POST /api/v1/terminals/{id}/batches``,
``GET /api/v1/terminals/{id}/master?since=N``, ``GET /api/v1/terminals/{id}/status``.
Open endpoints: ``POST /api/v1/enroll`` (one-time code), ``GET /healthz``. Reports
(``GET /api/v1/reports/…``) need an office login or a read-only report token in
``Authorization: Bearer``. The web console (headoffice/web) needs an office login everywhere.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from pos import __version__
from pos.domain.errors import PosError
from pos.sync import signing

from . import service, web
from .service import Caller, HeadOfficeError
from .web.access import public, signed_by_terminal

log = logging.getLogger("lianxin.headoffice")


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _signed_path(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    return raw.decode("latin-1") + (("?" + query.decode("latin-1")) if query else "")


def create_app(engine: Engine, *, insecure_cookies: bool = False) -> FastAPI:
    """The head-office app. ``insecure_cookies`` drops the Secure flag from session cookies, for
    an office PC served over plain HTTP on its LAN (never on the internet)."""
    app = FastAPI(title="LianXin POS head office (连心收银总部)", version=__version__, docs_url=None, redoc_url=None)
    app.state.engine = engine
    app.state.insecure_cookies = insecure_cookies
    web.install(app)  # the console's pages and the HeadOfficeError handler (JSON for the API, a page for browsers)

    @app.exception_handler(ClientDisconnect)
    async def _gone(_request: Request, _exc: ClientDisconnect) -> Response:
        return Response(status_code=400)  # the till went away mid-request; nothing was stored, it will resend

    @app.exception_handler(PosError)
    async def _invalid(_request: Request, exc: PosError) -> JSONResponse:
        return JSONResponse({"error": exc.code, "message": exc.message, "message_zh": exc.message_zh}, status_code=400)

    async def authenticated(request: Request, terminal_id: str, body: bytes) -> Caller:
        return await run_in_threadpool(
            service.authenticate, engine, method=request.method, path=_signed_path(request), headers=request.headers,
            body=body, terminal_in_path=terminal_id)

    def signed(caller: Caller, data: Any, status: int = 200) -> Response:
        body = _json_bytes(data)
        headers = signing.sign_response(caller.secret, status, caller.nonce, body)
        return Response(body, status_code=status, media_type="application/json", headers=headers)

    @app.get("/healthz", dependencies=[Depends(public("liveness probe; says only the version"))])
    async def healthz() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    @app.post("/api/v1/enroll", dependencies=[Depends(public("a till swaps its one-time code for its key"))])
    async def enroll(request: Request) -> JSONResponse:
        try:
            data = json.loads(await request.body())
            terminal, store, code = str(data["terminal_id"]), str(data.get("store", "")), str(data["code"])
        except (ValueError, KeyError, TypeError):
            raise HeadOfficeError("bad_request", 400, "enrolment needs terminal_id, store and code",
                                  "登记请求需要收银机编号、门店和登记码") from None
        result = await run_in_threadpool(service.redeem_code, engine, terminal, store, code)
        return JSONResponse(result)

    @app.post("/api/v1/terminals/{terminal_id}/batches", dependencies=[Depends(signed_by_terminal)])
    async def batches(terminal_id: str, request: Request) -> Response:
        body = await request.body()
        caller = await authenticated(request, terminal_id, body)
        try:
            raw = json.loads(body)
        except ValueError:
            raise HeadOfficeError("bad_batch", 400, "the batch is not JSON", "批次不是有效的 JSON") from None
        result = await run_in_threadpool(service.store_batch, engine, caller, raw)
        return signed(caller, result)

    @app.get("/api/v1/terminals/{terminal_id}/master", dependencies=[Depends(signed_by_terminal)])
    async def master(terminal_id: str, request: Request, since: int = 0) -> Response:
        caller = await authenticated(request, terminal_id, await request.body())
        return signed(caller, await run_in_threadpool(service.master_for, engine, caller.store_code, since))

    @app.get("/api/v1/terminals/{terminal_id}/status", dependencies=[Depends(signed_by_terminal)])
    async def terminal_status(terminal_id: str, request: Request) -> Response:
        caller = await authenticated(request, terminal_id, await request.body())
        return signed(caller, await run_in_threadpool(service.terminal_state, engine, caller.terminal_id))

    return app
