"""/terminals: counters and terminals (everyone who reads), enrolment and revocation (admin),
and each terminal's stored ledger (auditors)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import terminals_view
from ..accounts import Officer, Perm
from ..service import HeadOfficeError
from .access import requires
from .render import render

router = APIRouter()
Reader = Annotated[Officer, Depends(requires(Perm.READ))]
Admin = Annotated[Officer, Depends(requires(Perm.ADMIN))]
Auditor = Annotated[Officer, Depends(requires(Perm.LEDGER))]
Text = Annotated[str, Form()]  # lengths are checked in words by the use cases, not as a 422


def _default_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _check_url(url: str) -> str:
    u = url.strip().rstrip("/")
    try:
        parts = urlsplit(u) if u.isascii() and u.isprintable() and len(u) <= 200 else None
        ok = bool(parts and parts.scheme in ("http", "https") and parts.hostname and not parts.query
                  and not parts.fragment and (parts.port or 1))
    except ValueError:  # a port that is not a number
        ok = False
    if not ok:
        url = "".join(c for c in url if c.isprintable())
        raise HeadOfficeError("bad_url", 400, f"'{url[:80]}' is not an address like https://office.example.cn",
                              f"“{url[:80]}”不是有效的总部地址（例如 https://office.example.cn）")
    return u


def _flash(exc: HeadOfficeError) -> str:
    return f"{exc.message_zh}（{exc.message}）"


async def _list(request: Request, officer: Officer, *, flash: str = "", kind: str = "ok", status: int = 200,
                form: dict | None = None) -> Response:
    rows = await run_in_threadpool(terminals_view.overview, request.app.state.engine)
    return render(request, "terminals/list.html", status, officer=officer, title="柜台与收银机", rows=rows,
                  is_admin=officer.can(Perm.ADMIN), is_auditor=officer.can(Perm.LEDGER), flash=flash,
                  flash_kind=kind, default_url=_default_url(request), form=form or {})


@router.get("/terminals")
async def terminals_page(request: Request, officer: Reader) -> Response:
    return await _list(request, officer)


@router.post("/terminals")
async def enrol_terminal(request: Request, officer: Admin, store: Text = "", terminal: Text = "", url: Text = "") -> Response:
    engine = request.app.state.engine
    try:
        enrolment = await run_in_threadpool(terminals_view.enrol, engine, officer.login, store, terminal,
                                            _check_url(url or _default_url(request)))
    except HeadOfficeError as exc:
        return await _list(request, officer, flash=_flash(exc), kind="error", status=exc.status,
                           form={"store": store, "terminal": terminal, "url": url})
    return render(request, "terminals/code.html", officer=officer, title="登记码", e=enrolment, reissue=False)


@router.post("/terminals/{terminal_id}/reissue")
async def reissue_code(request: Request, terminal_id: str, officer: Admin, url: Text = "") -> Response:
    engine = request.app.state.engine
    try:
        row = await run_in_threadpool(terminals_view.terminal_row, engine, terminal_id)
        enrolment = await run_in_threadpool(terminals_view.enrol, engine, officer.login, row["store_code"],
                                            row["terminal_id"], _check_url(url or _default_url(request)), reissue=True)
    except HeadOfficeError as exc:
        return await _list(request, officer, flash=_flash(exc), kind="error", status=exc.status)
    return render(request, "terminals/code.html", officer=officer, title="登记码", e=enrolment, reissue=True)


@router.get("/terminals/{terminal_id}/revoke")
async def revoke_confirm(request: Request, terminal_id: str, officer: Admin) -> Response:
    row = await run_in_threadpool(terminals_view.terminal_row, request.app.state.engine, terminal_id)
    return render(request, "terminals/revoke.html", officer=officer, title="停用收银机", t=row)


@router.post("/terminals/{terminal_id}/revoke")
async def revoke_terminal(request: Request, terminal_id: str, officer: Admin, confirm: Text = "") -> Response:
    engine = request.app.state.engine
    row = await run_in_threadpool(terminals_view.terminal_row, engine, terminal_id)
    if confirm != row["terminal_id"]:
        return render(request, "terminals/revoke.html", 400, officer=officer, title="停用收银机", t=row,
                      flash=f"请输入收银机编号 {row['terminal_id']} 以确认。Type the terminal id to confirm.",
                      flash_kind="error")
    try:
        await run_in_threadpool(terminals_view.revoke, engine, officer.login, row["terminal_id"])
    except HeadOfficeError as exc:
        return await _list(request, officer, flash=_flash(exc), kind="error", status=exc.status)
    return await _list(request, officer, flash=f"收银机 {row['terminal_id']} 已停用，总部不再接收它的请求。"
                                                 f"Terminal {row['terminal_id']} revoked.")


@router.get("/terminals/{terminal_id}/ledger")
async def ledger(request: Request, terminal_id: str, officer: Auditor, page: str = "1", verify: str = "") -> Response:
    engine = request.app.state.engine
    try:
        n = int(page[:6]) if page.strip().isdigit() else 1
    except ValueError:
        n = 1
    data = await run_in_threadpool(terminals_view.ledger_page, engine, terminal_id, n)
    checked = await run_in_threadpool(terminals_view.verify, engine, terminal_id) if verify else None
    return render(request, "terminals/ledger.html", officer=officer, title=f"{data['terminal']['terminal_id']} 流水",
                  checked=checked, **data)
