"""Receipt pages: the public trace page behind a receipt's QR and its 开票 (invoice) request form;
the office's queue of invoice requests and its XLSX export.

The public pages need no login but open only with a correct signature (see headoffice/receipts.py);
the invoice form is protected by a double-submit CSRF token (a cookie and a hidden field that must
match), like the login form.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import receipts as rc
from ..accounts import Officer, Perm
from ..service import HeadOfficeError
from .access import public, requires
from .render import render

router = APIRouter(include_in_schema=False)  # pages, not API: kept out of /openapi.json
INVOICE_CSRF_COOKIE = "lx_invoice_csrf"
TRACE_RULE = "the receipt trace page a customer opens from the QR on a receipt; the address is signed"
FORM_RULE = "a customer's invoice request for the receipt behind a signed address; double-submit CSRF"
MAX_FIELD = 400  # characters: far above any real title, tax number or e-mail


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _secure(request: Request) -> bool:
    return not getattr(request.app.state, "insecure_cookies", False)


def _plain_error(request: Request, exc: HeadOfficeError) -> Response:
    resp = render(request, "receipts/missing.html", exc.status, officer=None, title=exc.message_zh,
                  message=exc.message, message_zh=exc.message_zh)
    resp.headers["Cache-Control"] = "no-store"
    return resp


async def _open(request: Request, terminal: str, ref: str) -> rc.TracedReceipt:
    return await run_in_threadpool(rc.open_receipt, request.app.state.engine, terminal, ref, _client(request))


@router.get("/r/{terminal}/{ref}", dependencies=[Depends(public(TRACE_RULE))])
async def trace_page(request: Request, terminal: str, ref: str) -> Response:
    try:
        receipt = await _open(request, terminal, ref)
    except HeadOfficeError as exc:
        return _plain_error(request, exc)
    engine = request.app.state.engine
    req = await run_in_threadpool(rc.request_of, engine, receipt.terminal_id, receipt.receipt_no)
    resp = render(request, "receipts/trace.html", officer=None, title=f"产地溯源 {receipt.receipt_no}", r=receipt,
                  req=req)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _form_page(request: Request, receipt: rc.TracedReceipt, *, status: int = 200, flash: str = "",
               flash_kind: str = "error", values: dict[str, str] | None = None,
               saved: dict | None = None) -> Response:
    token = request.cookies.get(INVOICE_CSRF_COOKIE, "")
    if not (16 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()):
        token = secrets.token_urlsafe(24)
    resp = render(request, "receipts/invoice.html", status, officer=None, csrf=token, title=f"申请开票 {receipt.receipt_no}",
                  r=receipt, v=values or {}, saved=saved, flash=flash, flash_kind=flash_kind,
                  saved_email=rc.masked_email(saved.get("email", "")) if saved else "")
    resp.set_cookie(INVOICE_CSRF_COOKIE, token, httponly=True, secure=_secure(request), samesite="strict", path="/r/")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@router.get("/r/{terminal}/{ref}/invoice", dependencies=[Depends(public(FORM_RULE))])
async def invoice_form(request: Request, terminal: str, ref: str) -> Response:
    try:
        receipt = await _open(request, terminal, ref)
    except HeadOfficeError as exc:
        return _plain_error(request, exc)
    req = await run_in_threadpool(rc.request_of, request.app.state.engine, receipt.terminal_id, receipt.receipt_no)
    values = {k: (req or {}).get(k) or "" for k in ("title", "tax_no")}  # the e-mail is never shown back
    flash = ""
    if req and req.get("exported_at"):
        flash = "这张小票的开票申请已交财务处理，如需更改请联系门店。The request is already with the accountant."
    return _form_page(request, receipt, values=values, saved=req, flash=flash, flash_kind="ok")


@router.post("/r/{terminal}/{ref}/invoice", dependencies=[Depends(public(FORM_RULE))])
async def invoice_submit(request: Request, terminal: str, ref: str) -> Response:
    engine = request.app.state.engine
    try:
        receipt = await _open(request, terminal, ref)
    except HeadOfficeError as exc:
        return _plain_error(request, exc)
    try:
        form = await request.form(max_files=0, max_fields=20)
    except Exception:  # noqa: BLE001 - a body that is not a form
        return _plain_error(request, HeadOfficeError("bad_form", 400, "the form could not be read", "表单无法读取"))
    fields = {k: form.get(k) for k in ("title", "tax_no", "email", "csrf")}
    values = {k: v if isinstance(v, str) else "" for k, v in fields.items()}
    shown = {k: values[k][:MAX_FIELD] for k in ("title", "tax_no", "email")}
    cookie = request.cookies.get(INVOICE_CSRF_COOKIE, "")
    if not cookie or not values["csrf"] or not hmac.compare_digest(cookie.encode(), values["csrf"].encode()):
        return _form_page(request, receipt, status=403, values=shown,
                          flash="表单已过期，请重新提交。The form expired; please submit it again.")
    if await run_in_threadpool(rc.throttled, engine, _client(request), "submit", rc.SUBMIT_LIMIT):
        exc = rc.too_many()
        return _form_page(request, receipt, status=429, values=shown, flash=f"{exc.message_zh}。{exc.message}.")
    try:
        if any(len(values[k]) > MAX_FIELD for k in ("title", "tax_no", "email")):
            raise HeadOfficeError("too_long", 400, "a field is far too long", "填写内容过长")
        checked = rc.check_request(values["title"], values["tax_no"], values["email"])
        await run_in_threadpool(rc.note_hit, engine, _client(request), "submit")
        saved, created = await run_in_threadpool(rc.submit_request, engine, receipt, checked)
    except HeadOfficeError as exc:
        return _form_page(request, receipt, status=exc.status, values=shown, flash=f"{exc.message_zh}。{exc.message}.")
    done = ("开票申请已提交，财务将按此开具发票。Your invoice request has been received." if created else
            "开票申请已更新。Your invoice request has been updated.")
    return _form_page(request, receipt, values={k: saved[k] for k in ("title", "tax_no")}, saved=saved,
                      flash=done, flash_kind="ok")


# -- the office's queue ------------------------------------------------------------------------------
def _filter_args(request: Request) -> dict[str, str]:
    p = request.query_params
    return {k: p.get(k, "") for k in ("store", "from", "to", "state")}


def _parse(args: dict[str, str]) -> rc.InvoiceFilter:
    return rc.InvoiceFilter.parse(args.get("store"), args.get("from"), args.get("to"), args.get("state") or "open")


@router.get("/invoices")
async def invoices(request: Request, officer: Annotated[Officer, Depends(requires(Perm.READ))]) -> Response:
    engine = request.app.state.engine
    args = _filter_args(request)
    flash, status, rows = "", 200, []
    try:
        filt = _parse(args)
        rows = await run_in_threadpool(rc.list_requests, engine, filt)
    except HeadOfficeError as exc:
        flash, status = f"{exc.message_zh}。{exc.message}.", exc.status
    stores = await run_in_threadpool(rc.stores, engine)
    return render(request, "receipts/invoices.html", status, officer=officer, title="开票申请", rows=rows, args=args,
                  stores=stores, total=sum(int(r["amount_fen"]) for r in rows), flash=flash,
                  flash_kind="error" if flash else "ok", limit=1000)


@router.post("/invoices/export")
async def invoices_export(request: Request, officer: Annotated[Officer, Depends(requires(Perm.READ))]) -> Response:
    engine = request.app.state.engine
    form = await request.form()
    args = {k: v if isinstance(v := form.get(k), str) else "" for k in ("store", "from", "to", "state")}
    try:
        filt = _parse(args)
    except HeadOfficeError as exc:
        stores = await run_in_threadpool(rc.stores, engine)
        return render(request, "receipts/invoices.html", exc.status, officer=officer, title="开票申请", rows=[],
                      args=args, stores=stores, total=0, flash=f"{exc.message_zh}。{exc.message}.", flash_kind="error",
                      limit=1000)
    data, n, fresh = await run_in_threadpool(rc.export_requests, engine, filt, by=officer.login)
    name = "invoice-requests" + (f"-{filt.store}" if filt.store else "") + (f"-{filt.day_from}" if filt.day_from else "") + (
        f"-{filt.day_to}" if filt.day_to else "") + ".xlsx"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
                             "X-Rows": str(n), "X-Newly-Exported": str(fresh)})
