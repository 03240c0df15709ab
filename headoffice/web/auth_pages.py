"""Logging in and out of the console."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..accounts import SESSION_MAX_S, Officer, Perm, log_in, log_out
from ..service import HeadOfficeError
from .access import SESSION_COOKIE, public, requires
from .render import render

router = APIRouter(include_in_schema=False)  # pages, not API: kept out of /openapi.json
LOGIN_CSRF_COOKIE = "lx_login_csrf"


def safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme), else the dashboard."""
    t = (target or "").strip()
    if not t.startswith("/") or t.startswith("//") or "\\" in t or any(ord(c) < 32 for c in t):
        return "/dashboard"
    return t


def _secure(request: Request) -> bool:
    return not getattr(request.app.state, "insecure_cookies", False)


def login_page(request: Request, *, error: str = "", login: str = "", next_: str = "/dashboard", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    resp = render(request, "login.html", status, officer=None, csrf=token, error=error, login=login, next=safe_next(next_),
                  title="登录")
    resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, secure=_secure(request), samesite="strict", path="/login")
    return resp


@router.get("/login", dependencies=[Depends(public("the login page itself"))])
async def login_form(request: Request, next: str = "/dashboard") -> Response:  # noqa: A002
    return login_page(request, next_=next)


@router.post("/login", dependencies=[Depends(public("the login page itself"))])
async def login_submit(request: Request, login: Annotated[str, Form(max_length=200)] = "",
                       password: Annotated[str, Form(max_length=1000)] = "",
                       csrf: Annotated[str, Form(max_length=200)] = "",
                       next: Annotated[str, Form(max_length=2000)] = "/dashboard") -> Response:  # noqa: A002
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), csrf.encode()):
        return login_page(request, error="登录表单已过期，请重新输入。The form expired; please try again.", login=login,
                          next_=next, status=403)
    client = request.client.host if request.client else ""
    try:
        session = await run_in_threadpool(log_in, request.app.state.engine, login, password, client=client)
    except HeadOfficeError as exc:
        return login_page(request, error=f"{exc.message_zh}。{exc.message}.", login=login, next_=next, status=exc.status)
    resp = RedirectResponse(safe_next(next), status_code=303)
    resp.set_cookie(SESSION_COOKIE, session.token, max_age=SESSION_MAX_S, httponly=True, secure=_secure(request),
                    samesite="strict", path="/")
    resp.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return resp


@router.post("/logout")
async def logout(request: Request, officer: Annotated[Officer, Depends(requires(Perm.READ))]) -> Response:
    await run_in_threadpool(log_out, request.app.state.engine, request.cookies.get(SESSION_COOKIE))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


@router.get("/", dependencies=[Depends(public("only sends the browser on to the dashboard, which needs a login"))])
async def home() -> Response:
    return RedirectResponse("/dashboard", status_code=303)
