"""Who may open which route: every route of the app declares an access rule, or is public on purpose.

``requires(perm)`` is a FastAPI dependency: it finds the office account behind the session cookie
(or, where ``machine=True``, a read-only report token in ``Authorization: Bearer``), refuses
without one (a browser is sent to the login page), refuses the wrong role (403), and checks the
CSRF token on every request that changes something (form field ``csrf`` or header
``X-CSRF-Token``). ``public(reason)`` marks a route that needs no login (the login page, the
receipt trace page) and ``signed_by_terminal`` one a till signs with its key. A test walks every
route of the app and fails on one without any of these marks.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ..accounts import Officer, Perm, officer_for_session, officer_for_token
from ..service import HeadOfficeError

SESSION_COOKIE = "lx_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(HeadOfficeError):
    def __init__(self) -> None:
        super().__init__("login_required", 401, "log in first", "请先登录")


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth[:7].lower() == "bearer " else None


async def csrf_ok(request: Request, expected: str) -> bool:
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").split(";")[0].strip() in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()  # Starlette keeps the parsed form for the endpoint
        value = form.get("csrf")
        given = value if isinstance(value, str) else None
    return bool(given) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def requires(*perms: Perm, machine: bool = False) -> Callable[..., Any]:
    """Any one of ``perms`` lets the account in."""
    async def access(request: Request) -> Officer:
        engine = request.app.state.engine
        officer = await run_in_threadpool(officer_for_session, engine, request.cookies.get(SESSION_COOKIE))
        if officer is None and machine:
            token = _bearer(request)
            if token:
                officer = await run_in_threadpool(officer_for_token, engine, token)
                if officer is None:
                    raise HeadOfficeError("bad_token", 401, "the report token is unknown or revoked",
                                          "报表口令无效或已吊销")
        if officer is None:
            raise LoginRequired()
        if not any(officer.can(p) for p in perms):
            raise HeadOfficeError("forbidden", 403, "your account's role does not allow this page",
                                  "您的账号角色无权访问此页面")
        if request.method not in SAFE_METHODS:
            if officer.machine:
                raise HeadOfficeError("read_only_token", 403, "a report token can only read", "报表口令只能读取")
            if not await csrf_ok(request, officer.csrf):
                raise HeadOfficeError("csrf", 403, "the form has expired or did not come from this site; reload the page and try again",
                                      "表单已过期或来源不明，请刷新页面后重试")
        request.state.officer = officer
        return officer

    access.access_rule = "|".join(perms) + ("+token" if machine else "")  # type: ignore[attr-defined]
    return access


def public(reason: str) -> Callable[..., Any]:
    """A dependency that lets anyone in; ``reason`` says why the route may be public."""

    async def anyone() -> None:
        return None

    anyone.access_rule = f"public: {reason}"  # type: ignore[attr-defined]
    return anyone


async def signed_by_terminal() -> None:
    """Marks a route whose handler checks a till's request signature (service.authenticate)."""


signed_by_terminal.access_rule = "terminal signature"  # type: ignore[attr-defined]


def access_rule_of(route: Any) -> str | None:
    """The access rule declared on a route (through its dependencies), or None if it has none."""
    dependant = getattr(route, "dependant", None)
    stack = [dependant] if dependant is not None else []
    while stack:
        d = stack.pop()
        rule = getattr(d.call, "access_rule", None)
        if rule:
            return rule
        stack.extend(d.dependencies)
    return None


def iter_routes(routes: Any) -> Any:
    """Every route of an app, looking inside included routers (FastAPI keeps them as wrappers)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from iter_routes(inner.routes)
        else:
            yield r
