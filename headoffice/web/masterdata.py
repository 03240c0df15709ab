"""/master: master data from the browser (主数据 role): upload a catalogue or price file, see the
difference against what is published, set the effective time, publish; till users and store
settings the same way; the list of published versions and who published them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from .. import masterdata
from ..accounts import Officer, Perm
from ..service import HeadOfficeError
from .access import requires
from .render import render

router = APIRouter()
Master = Annotated[Officer, Depends(requires(Perm.MASTER))]
Text = Annotated[str, Form()]  # lengths are checked in words by the use cases, not as a 422


def _flash(exc: HeadOfficeError) -> str:
    return f"{exc.message_zh}（{exc.message}）"


def _store_of(text: str, stores: list[str]) -> str:
    s = "".join(c for c in (text or "").strip().upper()[:12] if c.isprintable())
    return s or (stores[0] if stores else "")


async def _page(request: Request, officer: Officer, store: str = "", *, flash: str = "", kind: str = "ok",
                status: int = 200, refused: list | None = None, more: int = 0) -> Response:
    engine = request.app.state.engine
    stores = await run_in_threadpool(masterdata.known_stores, engine)
    store = _store_of(store, stores)
    valid = store.isascii() and store.isalnum() and len(store) >= 2
    drafts = await run_in_threadpool(masterdata.open_drafts, engine, store) if valid else []
    versions = await run_in_threadpool(masterdata.versions, engine, store) if valid else []
    return render(request, "masterdata/index.html", status, officer=officer, title="主数据", store=store, stores=stores,
                  drafts=drafts, versions=versions, modes=masterdata.MODES, rounding=masterdata.ROUNDING_ZH,
                  till_roles=[("cashier", "收银员"), ("manager", "店长"), ("accountant", "会计"), ("admin", "管理员")],
                  flash=flash, flash_kind=kind, refused=refused or [], more=more)


def _draft_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        shown = "".join(c for c in text[:20] if c.isprintable())
        raise HeadOfficeError("unknown_draft", 404, f"no draft {shown}", f"没有草稿 {shown}")
    return int(text)


@router.get("/master")
async def master_page(request: Request, officer: Master, store: str = "") -> Response:
    return await _page(request, officer, store[:20])


@router.post("/master/upload")
async def upload(request: Request, officer: Master) -> Response:
    form = await request.form()
    store, mode = str(form.get("store") or "")[:20], str(form.get("mode") or "merge")[:10]
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile):
            raise HeadOfficeError("bad_file", 400, "choose a catalogue file (.csv or .xlsx) first", "请先选择商品文件（.csv 或 .xlsx）")
        data = await file.read(masterdata.MAX_UPLOAD + 1)
        draft = await run_in_threadpool(masterdata.upload_catalog, request.app.state.engine, officer.login, store,
                                        file.filename or "", data, mode)
    except HeadOfficeError as exc:
        return await _page(request, officer, store, flash=_flash(exc), kind="error", status=exc.status,
                           refused=exc.extra.get("rows"), more=exc.extra.get("more", 0))
    return RedirectResponse(f"/master/drafts/{draft}", status_code=303)


@router.post("/master/promotions")
async def promotions_upload(request: Request, officer: Master) -> Response:
    form = await request.form()
    store = str(form.get("store") or "")[:20]
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile):
            raise HeadOfficeError("bad_file", 400, "choose a promotion file (.csv or .xlsx) first", "请先选择促销文件（.csv 或 .xlsx）")
        data = await file.read(masterdata.MAX_UPLOAD + 1)
        draft = await run_in_threadpool(masterdata.upload_promotions, request.app.state.engine, officer.login, store,
                                        file.filename or "", data)
    except HeadOfficeError as exc:
        return await _page(request, officer, store, flash=_flash(exc), kind="error", status=exc.status,
                           refused=exc.extra.get("rows"), more=exc.extra.get("more", 0))
    return RedirectResponse(f"/master/drafts/{draft}", status_code=303)


@router.post("/master/users")
async def user_change(request: Request, officer: Master, store: Text = "", login: Text = "", name: Text = "",
                      role: Text = "", pin: Text = "", disable: Text = "") -> Response:
    try:
        draft = await run_in_threadpool(masterdata.user_draft, request.app.state.engine, officer.login, store, login,
                                        name, role, pin.strip(), not disable)
    except HeadOfficeError as exc:
        return await _page(request, officer, store, flash=_flash(exc), kind="error", status=exc.status)
    return RedirectResponse(f"/master/drafts/{draft}", status_code=303)


@router.post("/master/settings")
async def settings_change(request: Request, officer: Master, store: Text = "", rounding: Text = "") -> Response:
    try:
        draft = await run_in_threadpool(masterdata.settings_draft, request.app.state.engine, officer.login, store, rounding)
    except HeadOfficeError as exc:
        return await _page(request, officer, store, flash=_flash(exc), kind="error", status=exc.status)
    return RedirectResponse(f"/master/drafts/{draft}", status_code=303)


async def _preview(request: Request, officer: Officer, draft_id: int, *, flash: str = "", kind: str = "ok",
                   status: int = 200, effective: str = "") -> Response:
    p = await run_in_threadpool(masterdata.preview, request.app.state.engine, draft_id)
    if p.error is not None and not flash:
        flash, kind = _flash(p.error), "error"
    return render(request, "masterdata/draft.html", status, officer=officer, title=f"草稿 {draft_id}", p=p, d=p.draft,
                  diff=p.diff, flash=flash, flash_kind=kind, effective=effective, modes=masterdata.MODES,
                  published_local=masterdata.local_time(p.draft.get("published_at")),
                  effective_local=masterdata.local_time(p.draft.get("effective_at")))


@router.get("/master/drafts/{draft_id}")
async def draft_page(request: Request, draft_id: str, officer: Master) -> Response:
    return await _preview(request, officer, _draft_id(draft_id))


@router.post("/master/drafts/{draft_id}/publish")
async def publish(request: Request, draft_id: str, officer: Master, effective: Text = "") -> Response:
    did = _draft_id(draft_id)
    engine = request.app.state.engine
    try:
        when = masterdata.parse_effective(effective)
        version = await run_in_threadpool(masterdata.publish_draft, engine, officer.login, did, when)
    except HeadOfficeError as exc:
        return await _preview(request, officer, did, flash=_flash(exc), kind="error", status=exc.status, effective=effective)
    d = await run_in_threadpool(masterdata.get_draft, engine, did)
    at = f"，{effective.replace('T', ' ')}（上海时间）生效" if when else "，立即生效"
    return await _page(request, officer, d["store_code"],
                       flash=f"已发布门店 {d['store_code']} 主数据版本 {version}{at}。Published version {version}.")


@router.post("/master/drafts/{draft_id}/discard")
async def discard(request: Request, draft_id: str, officer: Master) -> Response:
    did = _draft_id(draft_id)
    engine = request.app.state.engine
    try:
        await run_in_threadpool(masterdata.discard, engine, officer.login, did)
    except HeadOfficeError as exc:
        return await _preview(request, officer, did, flash=_flash(exc), kind="error", status=exc.status)
    d = await run_in_threadpool(masterdata.get_draft, engine, did)
    return await _page(request, officer, d["store_code"], flash=f"草稿 {did} 已放弃。Draft discarded.")
