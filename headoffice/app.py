"""The head-office HTTP API (FastAPI). Database work runs in the thread pool; handlers stay thin.

Signed endpoints (see pos/sync/signing.py): ``POST /api/v1/terminals/{id}/batches``,
``GET /api/v1/terminals/{id}/master?since=N``, ``GET /api/v1/terminals/{id}/status``.
Open endpoints: ``POST /api/v1/enroll`` (one-time code), ``GET /healthz``. Reports
(``GET /api/v1/reports/sales``, ``…/sales.xlsx``, ``GET /reports``) need ``?token=`` or
``Authorization: Bearer`` when the server was started with a report token.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from pos import __version__
from pos.domain.errors import PosError
from pos.sync import signing

from . import reports, service
from .service import Caller, HeadOfficeError

log = logging.getLogger("lianxin.headoffice")


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _signed_path(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    return raw.decode("latin-1") + (("?" + query.decode("latin-1")) if query else "")


def create_app(engine: Engine, *, report_token: str | None = None) -> FastAPI:
    app = FastAPI(title="LianXin POS head office (连心收银总部)", version=__version__, docs_url=None, redoc_url=None)
    app.state.engine = engine

    @app.exception_handler(HeadOfficeError)
    async def _refused(_request: Request, exc: HeadOfficeError) -> JSONResponse:
        return JSONResponse(exc.to_json(), status_code=exc.status)

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

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    @app.post("/api/v1/enroll")
    async def enroll(request: Request) -> JSONResponse:
        try:
            data = json.loads(await request.body())
            terminal, store, code = str(data["terminal_id"]), str(data.get("store", "")), str(data["code"])
        except (ValueError, KeyError, TypeError):
            raise HeadOfficeError("bad_request", 400, "enrolment needs terminal_id, store and code",
                                  "登记请求需要收银机编号、门店和登记码") from None
        result = await run_in_threadpool(service.redeem_code, engine, terminal, store, code)
        return JSONResponse(result)

    @app.post("/api/v1/terminals/{terminal_id}/batches")
    async def batches(terminal_id: str, request: Request) -> Response:
        body = await request.body()
        caller = await authenticated(request, terminal_id, body)
        try:
            raw = json.loads(body)
        except ValueError:
            raise HeadOfficeError("bad_batch", 400, "the batch is not JSON", "批次不是有效的 JSON") from None
        result = await run_in_threadpool(service.store_batch, engine, caller, raw)
        return signed(caller, result)

    @app.get("/api/v1/terminals/{terminal_id}/master")
    async def master(terminal_id: str, request: Request, since: int = 0) -> Response:
        caller = await authenticated(request, terminal_id, await request.body())
        return signed(caller, await run_in_threadpool(service.master_for, engine, caller.store_code, since))

    @app.get("/api/v1/terminals/{terminal_id}/status")
    async def terminal_status(terminal_id: str, request: Request) -> Response:
        caller = await authenticated(request, terminal_id, await request.body())
        return signed(caller, await run_in_threadpool(service.terminal_state, engine, caller.terminal_id))

    def check_token(request: Request) -> None:
        if not report_token:
            return
        given = request.query_params.get("token") or request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), report_token.encode()):
            raise HeadOfficeError("report_token", 401, "reports need the office's report token", "查看报表需要总部报表口令")

    def report_filter(request: Request) -> reports.ReportFilter:
        p = request.query_params
        return reports.ReportFilter(p.get("from") or None, p.get("to") or None,
                                    (p.get("store") or "").upper() or None, (p.get("terminal") or "").upper() or None)

    @app.get("/api/v1/reports/sales")
    async def sales_json(request: Request) -> JSONResponse:
        check_token(request)
        return JSONResponse(await run_in_threadpool(reports.sales_report, engine, report_filter(request)))

    @app.get("/api/v1/reports/sales.xlsx")
    async def sales_xlsx(request: Request) -> Response:
        check_token(request)
        data = await run_in_threadpool(reports.sales_report, engine, report_filter(request))
        return Response(await run_in_threadpool(reports.to_xlsx, data),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="sales-by-origin.xlsx"'})

    @app.get("/reports", response_class=HTMLResponse)
    async def reports_page(request: Request) -> HTMLResponse:
        check_token(request)
        data = await run_in_threadpool(reports.sales_report, engine, report_filter(request))
        return HTMLResponse(reports.to_html(data, token=request.query_params.get("token")))

    return app
