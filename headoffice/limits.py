"""Requests refused before their body is read: size caps, unsigned till requests, NUL characters.

A pure ASGI middleware, outermost in the app (``install``), so nothing downstream — not the
session lookup, not a form parser, not the security-headers middleware — ever holds more than a
route's cap in memory:

* a query string or path holding a NUL character (``%00``) → 400 ``nul_character``;
* a till's route (``/api/v1/terminals/{id}/…``) without the signature headers, signed for
  another terminal, or with a timestamp too far from head office's clock → 401/403 at once, the
  body unread (a 300 MB unsigned POST costs nothing);
* a ``Content-Length`` above the route's cap → 413 at once; a body sent without a length (or
  longer than it said) is counted as it streams in and refused with 413 at the cap.

Caps: a batch fits MAX_BATCH real till entries (BATCH_BYTES), an enrolment 4 KB, the master-data
upload 20 MB, anything else (console forms) 4 MB.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .service import HeadOfficeError, check_signature_headers

KB, MB = 1024, 1024 * 1024
BATCH_BYTES = 32 * MB  # MAX_BATCH (5,000) entries: a real 500-entry batch of sales measured 1.03 MB (2.1 KB each, largest 2.9 KB)
ENROL_BYTES = 4 * KB
UPLOAD_BYTES = 20 * MB
DEFAULT_BYTES = 4 * MB

_TILL_ROUTE = re.compile(r"^/api/v1/terminals/([^/]+)/(batches|master|status|members)$")
LIMITS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("POST", re.compile(r"^/api/v1/terminals/[^/]+/batches$"), BATCH_BYTES),
    ("POST", re.compile(r"^/api/v1/enroll$"), ENROL_BYTES),
    ("POST", re.compile(r"^/master/upload$"), UPLOAD_BYTES),
)


def limit_for(method: str, path: str) -> int:
    for m, pattern, cap in LIMITS:
        if method == m and pattern.match(path):
            return cap
    return DEFAULT_BYTES


class _TooLarge(Exception):
    pass


def _error_body(code: str, en: str, zh: str, **extra: Any) -> bytes:
    return json.dumps({"error": code, "message": en, "message_zh": zh, **extra}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"x-content-type-options", b"nosniff"), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _too_large(cap: int) -> bytes:
    return _error_body("body_too_large", f"the request body is larger than {cap:,} bytes allowed here",
                       f"请求内容超过此处允许的 {cap:,} 字节", limit_bytes=cap)


class RequestLimits:
    """ASGI middleware: the refusals above, each a JSON ``{"error", "message", "message_zh"}``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        query: bytes = scope.get("query_string") or b""
        raw_path: bytes = scope.get("raw_path") or b""
        if "\x00" in path or b"\x00" in query or b"%00" in query or b"%00" in raw_path:
            where = "address" if ("\x00" in path or b"%00" in raw_path) else "query string"
            await _send_json(send, 400, _error_body("nul_character", f"the {where} contains a NUL character (%00)",
                                                    "请求地址或查询参数中含有空字符（%00）", field=where))
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or ()}
        m = _TILL_ROUTE.match(path)
        if m:
            try:
                check_signature_headers(headers, m.group(1))
            except HeadOfficeError as exc:
                await _send_json(send, exc.status, json.dumps(exc.to_json(), ensure_ascii=False).encode("utf-8"))
                return
        cap = limit_for(scope.get("method", "GET"), path)
        length = headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                await _send_json(send, 400, _error_body("bad_length", "Content-Length is not a number",
                                                        "Content-Length 不是数字"))
                return
            if int(length) > cap:
                await _send_json(send, 413, _too_large(cap))
                return
        seen = 0
        started = refused = False

        async def counted_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    if not started and not refused:  # answer now, whatever the app makes of the error below
                        refused = True
                        await _send_json(send, 413, _too_large(cap))
                    raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent; drop what the app answers to the cut-off body
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _TooLarge:
            if not refused:
                raise
        except BaseExceptionGroup as group:  # a task group downstream (BaseHTTPMiddleware) wraps it
            _match, rest = group.split(_TooLarge)
            if rest is not None or not refused:
                raise
