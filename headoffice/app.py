"""The head-office HTTP API (FastAPI). Database work runs in the thread pool; handlers stay thin.

Signed endpoints (see pos/sync/signing.py): ``POST /api/v1/terminals/{id}/batches``,
``GET /api/v1/terminals/{id}/master?since=N``, ``GET /api/v1/terminals/{id}/status``,
``GET /api/v1/terminals/{id}/members?since=N`` (the store's members from its other tills, headoffice/members.py).
Open endpoints: ``POST /api/v1/enroll`` (one-time code), ``GET /healthz``. Reports
(``GET /api/v1/reports/…``) need an office login or a read-only report token in
``Authorization: Bearer``. The web console (headoffice/web) needs an office login everywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from pos import __version__
from pos.domain.errors import PosError
from pos.sync import signing

from . import derive, members, service, validate, web
from .api_schema import error_responses
from .limits import RequestLimits
from .service import Caller, HeadOfficeError
from .web.access import public, signed_by_terminal

log = logging.getLogger("lianxin.headoffice")
ENV_DB, ENV_INSECURE = "LIANXIN_HO_DB", "LIANXIN_HO_INSECURE_COOKIES"  # how `serve --workers N` hands over its options
BATCH_WRITERS = 8  # batches stored at the same time; more only wait on each other's row locks in the database
# SQLite stores one batch at a time whatever the number of threads, and threads waiting for its lock are woken in
# no particular order: one writer a process, the rest waiting in turn (first come, first stored) here.
SQLITE_BATCH_WRITERS = 1
BATCH_DECODERS = 2  # batch bodies decoded at the same time (pure CPU under one interpreter lock: more only interleave)
AHEAD_POLL_S = 0.005  # how often a batch sent ahead looks whether the one before it is stored
AHEAD_QUEUE_WAIT_S = 120.0  # a batch sent ahead waits this long at most for its till's earlier batches in this process


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _signed_path(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    return raw.decode("latin-1") + (("?" + query.decode("latin-1")) if query else "")


# -- what the API answers (the served OpenAPI schema states each route's statuses and bodies) --------
class Health(BaseModel):
    ok: bool
    version: str


class Enrolled(BaseModel):
    terminal_id: str
    store: str
    secret: str = Field(description="the terminal's HMAC key, hex; shown once")
    member_key: str | None = Field(default=None, description="the store's member key, hex (headoffice/members.py)")
    server_time: float
    acknowledged_seq: int


class Acknowledgement(BaseModel):
    acknowledged_seq: int = Field(description="the highest contiguous seq head office holds for the terminal")
    accepted: int
    duplicates: int
    batch_format: int | None = Field(default=None, description="the highest batch format head office reads (2: "
                                     "payloads as JSON objects); a till sends format 2 once it has seen it")


class MemberPage(BaseModel):
    """A page of the store's member records from its other tills (headoffice/members.py)."""

    records: list[dict[str, Any]] = Field(description="member adds, changes and points movements, each with its cursor")
    cursor: int = Field(description="ask with this cursor next")
    more: bool
    key_id: str = Field(description="the store's member key id (a till under another key cannot read the records)")


class TerminalState(BaseModel):
    terminal_id: str
    store: str
    acknowledged_seq: int
    last_batch_at: str | None
    flagged: bool


class MasterData(BaseModel):
    """Either ``{"unchanged": true, "version": N}`` or the whole master-data document of a version."""

    model_config = ConfigDict(extra="allow")
    version: int
    unchanged: bool | None = None


_ANY = {"s400": "bad input: a NUL character in the address or query (nul_character), a malformed Content-Length",
        "s413": "the body is larger than this route allows (body_too_large)"}
_SIGNED = {**_ANY,
           "s400": _ANY["s400"] + "; body_mismatch, bad_nonce, bad_since",
           "s401": "unsigned, stale_timestamp, unknown_terminal, not_enrolled, bad_signature, replayed_nonce",
           "s403": "terminal_mismatch, revoked_terminal"}
_BATCH_SCHEMA = {
    "type": "object", "required": ["entries"],
    "properties": {
        "entries": {"type": "array", "items": {
            "type": "object", "required": ["seq", "kind", "business_day", "created_at", "payload", "prev_hash", "hash"],
            "properties": {"seq": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                           "kind": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,31}$"},
                           "business_day": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                           "created_at": {"type": "string", "maxLength": 32, "pattern":
                                          r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$"},
                           "payload": {"type": ["string", "object"], "description": "format 1: the canonical JSON "
                                       "text of the entry's payload; format 2: that canonical JSON object itself"},
                           "prev_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                           "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}},
        "v": {"type": "integer", "minimum": 1, "maximum": 2, "description": "batch format (absent: 1)"},
        "till": {"type": "object", "description": "what the till reports about itself (version, head_seq, sent_at)"},
        "sent_ahead": {"type": "boolean", "description": "sent before the batch before it was acknowledged: stored "
                       "only after it, or refused with out_of_order (409, nothing stored)"},
    },
}
_ENROL_SCHEMA = {"type": "object", "required": ["terminal_id", "code"],
                 "properties": {"terminal_id": {"type": "string"}, "store": {"type": "string"},
                                "code": {"type": "string"}}}
_SIGNATURE_HEADERS = [{"name": h, "in": "header", "required": True, "schema": {"type": "string"}}
                      for h in signing.REQUEST_HEADERS]


def create_app(engine: Engine, *, insecure_cookies: bool = False) -> FastAPI:
    """The head-office app. ``insecure_cookies`` drops the Secure flag from session cookies, for
    an office PC served over plain HTTP on its LAN (never on the internet)."""
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        deriver = derive.Deriver(engine).start()  # report rows follow acknowledged batches (derive.py)
        deriver.wake()  # anything acknowledged before a restart and not yet derived
        try:
            yield
        finally:
            await run_in_threadpool(deriver.stop)

    app = FastAPI(title="LianXin POS head office (连心收银总部)", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.state.engine = engine
    app.state.insecure_cookies = insecure_cookies
    web.install(app)  # the console's pages and the HeadOfficeError handler (JSON for the API, a page for browsers)
    from .web import batches as batch_pages
    from .web import promotions as promo_pages

    app.include_router(batch_pages.router)  # the per-batch pages (issue 15)
    app.include_router(promo_pages.router)  # promotion cost and member sales (issue 17)
    app.add_middleware(RequestLimits)  # bodies capped, unsigned till requests refused before reading
    app.add_middleware(web.SecurityHeaders)  # outermost (it only edits each response's start): refusals carry them too

    @app.exception_handler(ClientDisconnect)
    async def _gone(_request: Request, _exc: ClientDisconnect) -> Response:
        return Response(status_code=400)  # the till went away mid-request; nothing was stored, it will resend

    @app.exception_handler(PosError)
    async def _invalid(_request: Request, exc: PosError) -> JSONResponse:
        return JSONResponse({"error": exc.code, "message": exc.message, "message_zh": exc.message_zh}, status_code=400)

    writers = asyncio.Semaphore(SQLITE_BATCH_WRITERS if engine.dialect.name == "sqlite" else BATCH_WRITERS)
    decoders = asyncio.Semaphore(BATCH_DECODERS)
    arrivals: dict[str, list[asyncio.Event]] = {}

    async def authenticated(request: Request, terminal_id: str) -> tuple[Caller, bytes]:
        """The till's signature checked from the headers first; only then is the (capped) body read."""
        caller = await run_in_threadpool(
            service.authenticate, engine, method=request.method, path=_signed_path(request), headers=request.headers,
            body=None, terminal_in_path=terminal_id)
        body = await request.body()
        service.check_body(caller, body)
        return caller, body

    def signed(caller: Caller, data: Any, status: int = 200) -> Response:
        body = _json_bytes(data)
        headers = signing.sign_response(caller.secret, status, caller.nonce, body)
        return Response(body, status_code=status, media_type="application/json", headers=headers)

    @app.get("/healthz", dependencies=[Depends(public("liveness probe; says only the version"))],
             response_model=Health, responses=error_responses(**_ANY))
    async def healthz() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    @app.post("/api/v1/enroll", dependencies=[Depends(public("a till swaps its one-time code for its key"))],
              response_model=Enrolled, openapi_extra={"requestBody": {
                  "required": True, "content": {"application/json": {"schema": _ENROL_SCHEMA}}}},
              responses=error_responses(**{**_ANY, "s400": _ANY["s400"] + "; bad_request, bad_id (not JSON, fields missing)",
                                   "s403": "bad_code, code_exhausted (too many wrong codes), code_expired",
                                   "s404": "unknown_terminal", "s409": "no_code, store_mismatch"}))
    async def enroll(request: Request) -> JSONResponse:
        try:
            data = json.loads(await request.body())
        except (ValueError, RecursionError):
            data = None
        terminal, store, code = validate.enrolment(data)
        result = await run_in_threadpool(service.redeem_code, engine, terminal, store, code)
        return JSONResponse(result)

    @app.post("/api/v1/terminals/{terminal_id}/batches", dependencies=[Depends(signed_by_terminal)],
              response_model=Acknowledgement, openapi_extra={
                  "parameters": _SIGNATURE_HEADERS,
                  "requestBody": {"required": True, "content": {"application/json": {"schema": _BATCH_SCHEMA}}}},
              responses=error_responses(**{**_SIGNED,
                                   "s400": _SIGNED["s400"] + "; bad_batch, bad_entry, bad_seq, bad_kind, bad_business_day,"
                                           " bad_created_at, bad_hash, bad_payload (named field), nul_character",
                                   "s403": _SIGNED["s403"] + ", foreign_receipt (a receipt of another terminal)",
                                   "s409": "gap, chain_broken, conflict, out_of_order (with expected_seq, bad_seq, "
                                           "acknowledged_seq)",
                                   "s503": "busy: the batch kept losing to other counters' batches; nothing stored, "
                                           "send it again",
                                   "s413": _ANY["s413"] + "; batch_too_large (more than MAX_BATCH entries)"}))
    async def batches(terminal_id: str, request: Request) -> Response:
        # This till's batches in this process, in the order they arrived (counted from the moment the request
        # came in, before anything is checked): one the till sent ahead (before the batch before it was
        # acknowledged) is stored only after those before it are done, and waits for them here, decoded but
        # holding no writer's place, connection or lock.
        key = terminal_id.strip().upper()
        mine, queue = asyncio.Event(), arrivals.setdefault(key, [])
        earlier = list(queue)
        queue.append(mine)
        try:
            caller = await run_in_threadpool(
                service.authenticate, engine, method=request.method, path=_signed_path(request),
                headers=request.headers, body=None, terminal_in_path=terminal_id, defer_nonce=True)
            body = await request.body()
            try:
                service.check_body(caller, body)
            except HeadOfficeError:
                await run_in_threadpool(service.remember_nonce, engine, caller)
                raise
            derive.arriving()  # the deriver gives way while signed batches come in (derive.Deriver)
            async with decoders:  # first come, first decoded: 50 bodies decoded at once would all finish late
                decoded = await run_in_threadpool(service.keeping_nonce, engine, caller, service.decode_body, caller,
                                                  body)
            if decoded.ahead and earlier:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in earlier)), AHEAD_QUEUE_WAIT_S)
            wait_s = service.AHEAD_WAIT_S
            if decoded.ahead:  # the batch before it may still be on its way: wait for it here, holding no writer's turn
                until = time.monotonic() + wait_s
                while not await run_in_threadpool(service.before_it_stored, engine, caller, decoded):
                    if time.monotonic() >= until:
                        break
                    await asyncio.sleep(AHEAD_POLL_S)
                wait_s = max(0.0, until - time.monotonic())
            async with writers:  # a few batches at a time: the others wait here, holding no connection or lock
                result = await run_in_threadpool(service.keeping_nonce, engine, caller, functools.partial(
                    service.store_decoded, ahead_wait_s=wait_s), engine, caller, decoded)
        finally:
            mine.set()
            queue.remove(mine)
            if not queue:
                arrivals.pop(key, None)
        return signed(caller, result)

    @app.get("/api/v1/terminals/{terminal_id}/master", dependencies=[Depends(signed_by_terminal)],
             response_model=MasterData, openapi_extra={"parameters": _SIGNATURE_HEADERS},
             responses=error_responses(**_SIGNED))
    async def master(terminal_id: str, request: Request,
                     since: str = Query("0", description="the master-data version the till holds")) -> Response:
        caller, _body = await authenticated(request, terminal_id)
        version = since.strip()
        if not (version.isascii() and version.isdigit() and len(version) <= 18):
            raise HeadOfficeError("bad_since", 400, f"since must be a version number, not {since[:40]!r}",
                                  "since 必须是版本号（整数）", field="since")
        return signed(caller, await run_in_threadpool(service.master_for, engine, caller.store_code, int(version)))

    @app.get("/api/v1/terminals/{terminal_id}/members", dependencies=[Depends(signed_by_terminal)],
             response_model=MemberPage, openapi_extra={"parameters": _SIGNATURE_HEADERS},
             responses=error_responses(**_SIGNED))
    async def member_feed(terminal_id: str, request: Request,
                          since: str = Query("0", description="the cursor of the last record the till holds")) -> Response:
        caller, _body = await authenticated(request, terminal_id)
        cursor = since.strip()
        if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 18):
            raise HeadOfficeError("bad_since", 400, f"since must be a cursor (a number), not {since[:40]!r}",
                                  "since 必须是游标（整数）", field="since")
        return signed(caller, await run_in_threadpool(members.feed_for, engine, caller.store_code, caller.terminal_id,
                                                      int(cursor)))

    @app.get("/api/v1/terminals/{terminal_id}/status", dependencies=[Depends(signed_by_terminal)],
             response_model=TerminalState, openapi_extra={"parameters": _SIGNATURE_HEADERS},
             responses=error_responses(**_SIGNED))
    async def terminal_status(terminal_id: str, request: Request) -> Response:
        caller, _body = await authenticated(request, terminal_id)
        return signed(caller, await run_in_threadpool(service.terminal_state, engine, caller.terminal_id))

    return app


def app_from_env() -> FastAPI:
    """The app of one worker process of ``headoffice serve --workers N`` (uvicorn imports it by name)."""
    import os

    from .db import open_engine

    return create_app(open_engine(os.environ[ENV_DB]), insecure_cookies=bool(os.environ.get(ENV_INSECURE)))
