"""The per-batch pages (issue 15): every delivery batch (山海快车) with what was received, sold,
returned, written off and is still on hand, its revenue, cost and gross margin, and days to sell
out; totals by origin county (消费帮扶); one batch by lot and by counter; XLSX exports of both.

Same access as the dashboard: any office account that may read reports (a browser session). The
figures are derived from the tills' journals (headoffice/batches.py); a reader catches up first,
so a page never shows less than what was acknowledged before it was asked for.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from .. import batches as bt
from .. import dashboard as dash
from .. import derive
from ..accounts import Officer, Perm
from ..schema_batches import batch_lots
from ..service import HeadOfficeError
from ..xlsx import Column, Sheet, workbook
from .access import requires
from .render import render

router = APIRouter(include_in_schema=False)  # pages, not API
Reader = Annotated[Officer, Depends(requires(Perm.READ))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BATCH = 64


def _store(request: Request) -> str | None:
    return (request.query_params.get("store") or "").strip()[:32] or None


def load(engine, batch: str | None, store: str | None, *, lots: bool = True) -> dict[str, Any]:  # noqa: ANN001
    """The report of one batch or every batch; ``lots=False``: every batch without its lots (added up in SQL)."""
    derive.fresh(engine)
    with engine.connect() as conn:
        counties = dash.aided_counties(conn)
        stores = sorted(set(conn.execute(select(batch_lots.c.store_code).distinct()).scalars()))
        if batch is None and not lots:
            data = bt.overview(conn, store=store, counties=counties)
        else:
            data = bt.report(conn, batch=batch, store=store, counties=counties)
    data["stores"] = stores
    return data


def _check_batch(no: str) -> str:
    text = no.strip()
    if not text or len(text) > MAX_BATCH or any(not ch.isprintable() for ch in text):
        raise HeadOfficeError("bad_batch", 400, "a batch number is 1–64 printable characters, e.g. SHKC-2026-48",
                              "批次号应为 1–64 个可打印字符，例如 SHKC-2026-48")
    return text


def _ctx(request: Request, store: str | None) -> dict[str, Any]:
    return {"store": store or "", "qs": urlencode({"store": store}) if store else "",
            "qty": bt.quantity_text, "title": "按批次 By delivery batch"}


@router.get("/batches")
async def batches_page(request: Request, officer: Reader) -> Response:
    store = _store(request)
    data = await run_in_threadpool(lambda: load(request.app.state.engine, None, store, lots=False))
    return render(request, "batches/index.html", officer=officer, data=data, **_ctx(request, store))


@router.get("/batches/export.xlsx")
async def batches_xlsx(request: Request, officer: Reader) -> Response:
    store = _store(request)
    data = await run_in_threadpool(load, request.app.state.engine, None, store)
    body = await run_in_threadpool(to_xlsx, data)
    return _download(body, "batches" + (f"-{store}" if store else ""), "按批次" + (f"-{store}" if store else ""))


@router.get("/batches/{no}")
async def batch_page(request: Request, officer: Reader, no: str) -> Response:
    store = _store(request)
    no = _check_batch(no)
    data = await run_in_threadpool(load, request.app.state.engine, no, store)
    if data["batch"] is None:
        raise HeadOfficeError("no_batch", 404, f"head office holds no delivery batch {no}",
                              f"总部没有批次 {no} 的记录")
    return render(request, "batches/batch.html", officer=officer, data=data, b=data["batch"], **_ctx(request, store))


@router.get("/batches/{no}/export.xlsx")
async def batch_xlsx(request: Request, officer: Reader, no: str) -> Response:
    store = _store(request)
    no = _check_batch(no)
    data = await run_in_threadpool(load, request.app.state.engine, no, store)
    if data["batch"] is None:
        raise HeadOfficeError("no_batch", 404, f"head office holds no delivery batch {no}",
                              f"总部没有批次 {no} 的记录")
    body = await run_in_threadpool(to_xlsx, data)
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in no)
    return _download(body, f"batch-{safe}", f"批次-{no}")


def _download(body: bytes, ascii_name: str, name: str) -> Response:
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}.xlsx\"; filename*=UTF-8''{quote(name + '.xlsx')}"})


# -- the workbook (also `headoffice batch-report --format xlsx`) ------------------------------------------
BATCH_COLUMNS = (Column("批次 Batch", "text", 16), Column("到货日 Arrival", "date", 12), Column("柜台 Counters", "text", 14),
                 Column("产地 Origins", "text", 16), Column("批次数 Lots", "int", 8),
                 Column("进货成本 Received at cost", "money"), Column("销售额 Sold", "money"),
                 Column("退货 Returned", "money"), Column("报损 Written off at cost", "money"),
                 Column("盘点调整 Count adj. at cost", "money"), Column("库存成本 On hand at cost", "money"),
                 Column("净销售额 Revenue", "money"), Column("成本 Cost", "money"), Column("毛利 Margin", "money"),
                 Column("毛利率 Margin %", "percent", 10), Column("售罄天数 Days to sell out", "int", 10))
LOT_COLUMNS = (Column("批次 Batch", "text", 16), Column("批号 Lot", "text", 18), Column("柜台 Counter", "text", 10),
               Column("编码 SKU", "text", 12), Column("商品 Product", "text", 22), Column("产地 Origin", "text", 12),
               Column("到货日 Arrival", "date", 12), Column("到期日 Expiry", "date", 12),
               Column("供应商 Supplier", "text", 20), Column("合格证 Certificate", "text", 16),
               Column("检疫证明 Quarantine", "text", 16), Column("计量 Unit", "text", 6),
               Column("进货数量 Received", "int"), Column("售出 Sold", "int"), Column("退回 Returned", "int"),
               Column("报损 Written off", "int"), Column("盘点调整 Count adj.", "int"), Column("库存 On hand", "int"),
               Column("进货成本 Received at cost", "money"), Column("净销售额 Revenue", "money"),
               Column("成本 Cost", "money"), Column("毛利 Margin", "money"), Column("毛利率 Margin %", "percent", 10),
               Column("首次销售 First sale", "date", 12), Column("末次销售 Last sale", "date", 12))
COUNTY_COLUMNS = (Column("产地县 County", "text", 16), Column("批次 Batches", "int", 8), Column("批号 Lots", "int", 8),
                  Column("进货成本 Received at cost", "money"), Column("净销售额 Revenue", "money"),
                  Column("成本 Cost", "money"), Column("毛利 Margin", "money"), Column("毛利率 Margin %", "percent", 10),
                  Column("报损 Written off at cost", "money"), Column("库存成本 On hand at cost", "money"))
COUNTER_COLUMNS = (Column("柜台 Counter", "text", 10), Column("门店 Store", "text", 8), Column("批号 Lots", "int", 8),
                   Column("进货成本 Received at cost", "money"), Column("净销售额 Revenue", "money"),
                   Column("成本 Cost", "money"), Column("毛利 Margin", "money"), Column("毛利率 Margin %", "percent", 10),
                   Column("报损 Written off at cost", "money"), Column("库存成本 On hand at cost", "money"))


def batch_cells(b: dict[str, Any]) -> list[Any]:
    return [b["batch"], b["arrival"] or None, "、".join(b["counters"]), "、".join(b["origins"]), b["lots"],
            b["received_cost"], b["sold_net"], b["returned_net"], b["written_cost"], b["count_cost"], b["on_hand_cost"],
            b["revenue"], b["cost"], b["margin"], b["margin_rate"], b["days_to_sell_out"]]


def lot_cells(r: dict[str, Any]) -> list[Any]:
    return [r["batch"], r["lot"], r["terminal_id"], r["sku"], r["name"], r["origin"], r["arrival"] or None,
            r["expiry"] or None, r["supplier"], r["certificate"], r["quarantine"], "克 g" if r["weighed"] else "件",
            r["received_qty"], r["sold_qty"], r["returned_qty"], r["written_qty"], r["count_qty"], r["on_hand"],
            r["received_cost"], r["revenue"], r["cost"], r["margin"], r["margin_rate"], r["first_sale_day"],
            r["last_sale_day"]]


def county_cells(c: dict[str, Any]) -> list[Any]:
    return [c["county"] or "本地及其他 Local & other", c["batches"], c["lots"], c["received_cost"], c["revenue"],
            c["cost"], c["margin"], c["margin_rate"], c["written_cost"], c["on_hand_cost"]]


def counter_cells(c: dict[str, Any]) -> list[Any]:
    return [c["terminal_id"], c["store_code"], c["lots"], c["received_cost"], c["revenue"], c["cost"], c["margin"],
            c["margin_rate"], c["written_cost"], c["on_hand_cost"]]


def to_xlsx(data: dict[str, Any]) -> bytes:
    """The report as a workbook: batches (or the one batch and its counters), lots, origin counties."""
    s = data["summary"]
    note = f"已销售 {s['batches_sold']} 个批次，专项销售额 ¥{s['revenue'] / 100:,.2f}"
    sheets = [Sheet("按批次 Batches", BATCH_COLUMNS, [batch_cells(b) for b in data["batches"]], note=note)]
    if data.get("counters") is not None:
        sheets.append(Sheet("按柜台 Counters", COUNTER_COLUMNS, [counter_cells(c) for c in data["counters"]]))
    else:
        sheets.append(Sheet("按产地县 Counties", COUNTY_COLUMNS, [county_cells(c) for c in data["counties"]]))
    sheets.append(Sheet("按批号 Lots", LOT_COLUMNS, [lot_cells(r) for r in data["lots"]], totals=False))
    return workbook(sheets)
