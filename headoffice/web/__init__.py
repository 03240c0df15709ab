"""The head-office web console: server-rendered pages behind office logins (see access.py).

Each area of the console is a module here with its own ``router``; ``install`` adds them all,
the static files (CSS, the vendored ECharts), security headers, and error pages for browsers.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError

from ..service import HeadOfficeError
from .access import LoginRequired

log = logging.getLogger("lianxin.headoffice")

STATIC = Path(__file__).resolve().parent.parent / "static"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
}


_HEADERS = tuple((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items())


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` (and ``Cache-Control: no-store`` for a signed-in page or the login page)
    to every response that lacks them. A plain ASGI middleware: it only edits the response's start message,
    where Starlette's ``@app.middleware("http")`` wrapped every request body — each till's batch — in
    task groups and streams (about a quarter of head office's CPU in a burst of batches)."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = scope.get("path") == "/login" or _signed_in(scope)

        async def send_with_headers(message) -> None:  # noqa: ANN001
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or ())
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _HEADERS if k not in present]
                if no_store and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _signed_in(scope) -> bool:  # noqa: ANN001
    """A non-empty ``lx_session`` cookie in the request (what the pages' login sets)."""
    for k, v in scope.get("headers") or ():
        if k == b"cookie":
            for part in v.split(b";"):
                name, _, value = part.strip().partition(b"=")
                if name == b"lx_session" and value:
                    return True
    return False


def wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def install(app: FastAPI) -> None:
    from . import admin, auth_pages, dashboard, masterdata, receipts, terminals  # the console's areas

    for module in (auth_pages, dashboard, terminals, masterdata, receipts, admin):
        for route in module.router.routes:  # the API schema lists the machine API only, never the pages
            if hasattr(route, "include_in_schema"):
                route.include_in_schema = route.path.startswith("/api/")
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")


    @app.exception_handler(RequestValidationError)
    async def invalid_form(request: Request, exc: RequestValidationError) -> Response:
        """A page's form or query that FastAPI could not read (too long, not a number): a page in words."""
        if not wants_html(request):
            return await request_validation_exception_handler(request, exc)  # the API keeps its documented 422
        from .render import render

        fields = "、".join(sorted({str(e.get("loc", ("", "?"))[-1]) for e in exc.errors()}))
        return render(request, "error.html", 400, code=400, message=f"these fields are not acceptable: {fields}",
                      message_zh=f"以下内容不合要求（过长、格式不对或缺少）：{fields}")

    @app.exception_handler(HeadOfficeError)
    async def refused(request: Request, exc: HeadOfficeError) -> Response:
        if wants_html(request):
            if isinstance(exc, LoginRequired):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            from .render import render

            return render(request, "error.html", exc.status, code=exc.status, message=exc.message,
                          message_zh=exc.message_zh)
        return JSONResponse(exc.to_json(), status_code=exc.status)

    @app.exception_handler(OperationalError)
    @app.exception_handler(SATimeoutError)
    async def database_busy(request: Request, exc: Exception) -> Response:
        """The database did not answer in time (another writer held it, a lock wait, the server gone):
        a 503 in words, never a 500. Nothing half-done stays behind — the transaction was rolled back."""
        from ..service import _transient

        if _transient(exc):
            busy = HeadOfficeError("busy", 503, "head office is busy with other counters' work; nothing was changed, "
                                   "try again in a moment (tills do by themselves)",
                                   "总部繁忙，本次未做任何更改，请稍后再试（收银机会自动重试）", retry_after_s=2)
        else:
            log.error("database unavailable: %s", str(exc)[:500])
            busy = HeadOfficeError("database_unavailable", 503, "head office cannot reach its database just now; nothing "
                                   "was changed, try again later", "总部暂时无法访问数据库，本次未做任何更改，请稍后再试",
                                   retry_after_s=10)
        response = await refused(request, busy)
        response.headers["Retry-After"] = str(busy.extra["retry_after_s"])
        return response
