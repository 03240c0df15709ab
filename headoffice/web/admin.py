"""Accounts and report tokens (admin), the change journal (auditor, admin), and one's own account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import accounts
from ..accounts import ROLE_NAMES_ZH, Officer, Perm, Role
from ..service import HeadOfficeError
from .access import requires
from .render import render

router = APIRouter(include_in_schema=False)  # pages, not API: kept out of /openapi.json
Admin = Annotated[Officer, Depends(requires(Perm.ADMIN))]
Reader = Annotated[Officer, Depends(requires(Perm.READ))]
Text = Annotated[str, Form(max_length=300)]


async def _accounts_page(request: Request, officer: Officer, *, flash: str = "", kind: str = "ok",
                         new_token: str = "", status: int = 200) -> Response:
    engine = request.app.state.engine
    rows = await run_in_threadpool(accounts.list_accounts, engine)
    tokens = await run_in_threadpool(accounts.list_tokens, engine)
    return render(request, "accounts.html", status, officer=officer, title="账号与口令", accounts=rows, tokens=tokens,
                  roles=[(r.value, ROLE_NAMES_ZH[r]) for r in Role], role_names=ROLE_NAMES_ZH, flash=flash,
                  flash_kind=kind, new_token=new_token)


@router.get("/accounts")
async def accounts_page(request: Request, officer: Admin) -> Response:
    return await _accounts_page(request, officer)


@router.post("/accounts")
async def account_create(request: Request, officer: Admin, login: Text = "", name: Text = "", password: Text = "") -> Response:
    form = await request.form()
    roles = ",".join(str(v) for v in form.getlist("roles"))
    try:
        await run_in_threadpool(accounts.create_account, request.app.state.engine, login, name, password, roles or "",
                                by=officer.login)
    except HeadOfficeError as exc:
        return await _accounts_page(request, officer, flash=f"{exc.message_zh}（{exc.message}）", kind="error",
                                    status=exc.status)
    return await _accounts_page(request, officer, flash=f"已建账号 {login.strip().lower()}。Account created.")


@router.post("/accounts/{login}")
async def account_update(request: Request, login: str, officer: Admin, action: Text = "", password: Text = "") -> Response:
    form = await request.form()
    engine = request.app.state.engine
    try:
        if action == "roles":
            await run_in_threadpool(accounts.update_account, engine, login, by=officer.login,
                                    roles=",".join(str(v) for v in form.getlist("roles")))
        elif action in ("disable", "enable"):
            await run_in_threadpool(accounts.update_account, engine, login, by=officer.login, active=action == "enable")
        elif action == "password":
            await run_in_threadpool(accounts.update_account, engine, login, by=officer.login, password=password)
        else:
            raise HeadOfficeError("bad_action", 400, "unknown action", "未知操作")
    except HeadOfficeError as exc:
        return await _accounts_page(request, officer, flash=f"{exc.message_zh}（{exc.message}）", kind="error",
                                    status=exc.status)
    return await _accounts_page(request, officer, flash=f"账号 {login} 已更新。Account updated.")


@router.post("/accounts-tokens")
async def token_create(request: Request, officer: Admin, label: Text = "") -> Response:
    _tid, token = await run_in_threadpool(accounts.create_token, request.app.state.engine, label, by=officer.login)
    return await _accounts_page(request, officer, flash="报表口令已生成，只显示这一次。The token is shown only once.",
                                new_token=token)


@router.post("/accounts-tokens/{token_id}/revoke")
async def token_revoke(request: Request, token_id: int, officer: Admin) -> Response:
    try:
        await run_in_threadpool(accounts.revoke_token, request.app.state.engine, token_id, by=officer.login)
    except HeadOfficeError as exc:
        return await _accounts_page(request, officer, flash=exc.message_zh, kind="error", status=exc.status)
    return await _accounts_page(request, officer, flash=f"口令 {token_id} 已吊销。Token revoked.")


@router.get("/audit")
async def audit_page(request: Request, officer: Annotated[Officer, Depends(requires(Perm.LEDGER, Perm.ADMIN))],
                     login: str = "") -> Response:
    rows = await run_in_threadpool(accounts.audit_entries, request.app.state.engine, limit=500, login=login[:64] or None)
    return render(request, "audit.html", officer=officer, title="变更记录", rows=rows, login=login[:64])


@router.get("/account")
async def own_account(request: Request, officer: Reader) -> Response:
    return render(request, "account.html", officer=officer, title="我的账号")


@router.post("/account")
async def own_password(request: Request, officer: Reader, current: Text = "", password: Text = "") -> Response:
    engine = request.app.state.engine
    try:
        await run_in_threadpool(accounts.change_own_password, engine, officer.login, current, password,
                                 client=request.client.host if request.client else "")
    except HeadOfficeError as exc:
        return render(request, "account.html", exc.status if exc.status != 401 else 403, officer=officer,
                      title="我的账号", flash=f"{exc.message_zh}（{exc.message}）", flash_kind="error")
    return render(request, "account.html", officer=officer, title="我的账号",
                  flash="密码已更改，请重新登录。Password changed; log in again.")
