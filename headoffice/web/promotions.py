"""Promotion cost and member sales for head-office staff (issue 17, point 5): /promotions and /members.

Same access as the dashboard (any office account that may read reports). Filters in the URL
(``?from=2026-12-01&to=2026-12-31&store=MX``); missing dates give the month of the latest business day
held. A filter that is not understood re-renders the page with the reason in words and status 400, no
figures. Each page links to its XLSX with the same filters. The figures come from headoffice/promo_facts.py
(derived with the dashboard's rows; a reader catches up first) and follow the till's own reports
(促销成本, 会员销售与积分).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import dashboard as dash
from .. import derive
from .. import promo_facts as pf
from ..accounts import Officer, Perm
from ..service import HeadOfficeError
from ..xlsx import Column, Sheet, workbook
from .access import requires
from .render import render

router = APIRouter(include_in_schema=False)  # pages, not API
Reader = Annotated[Officer, Depends(requires(Perm.READ))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES = {"promotions": ("促销成本 Promotion cost", "promotions/promotions.html"),
         "members": ("会员销售与积分 Member sales and points", "promotions/members.html")}
NOTES = {
    "promotions": ("促销成本 = 销售时的让利 − 退货按数量比例冲回的部分（按退货的营业日）。练习交易不计。",
                   "Cost = what the promotions took off sales − the part returns took back, in proportion to the "
                   "quantity returned (on the return's business day). Training excluded."),
    "members": ("会员销售净额 = 会员消费 − 会员退款；占比为占门店全部销售净额。期末积分 = 截至期末日的累计获得 − 使用 − 扣回；"
                "积分负债 = 期末积分 × 每积分抵扣金额（收银机上报的积分规则；未上报时按默认每积分 0.01 元）。",
                "Member net = members' sales − their refunds; share of the store's net sales. Points outstanding = "
                "earned − used − reversed up to the period's last day; liability = outstanding × what a point pays "
                "(the points rule the tills journaled; none journaled: the till's default, 0.01 yuan a point)."),
}


def _raw(request: Request) -> dict[str, str]:
    p = request.query_params
    return {k: (p.get(k) or "")[:40] for k in ("from", "to", "store")}


def load(engine, view: str, date_from: str | None, date_to: str | None, store: str | None,  # noqa: ANN001
         ) -> tuple[dash.Filter, dict[str, Any], list[str]]:
    """The filter (checked: a HeadOfficeError in words if not understood), the figures and the stores held."""
    derive.fresh(engine)
    with engine.connect() as conn:
        f = dash.make_filter(conn, date_from or None, date_to or None, store or None)
        data = (pf.promotions if view == "promotions" else pf.members)(conn, f.start, f.end, f.store)
        stores = pf.stores(conn)
    return f, data, stores


async def _page(request: Request, officer: Officer, view: str) -> Response:
    engine = request.app.state.engine
    raw = _raw(request)
    title, template = PAGES[view]
    ctx: dict[str, Any] = {"view": view, "raw": raw, "title": title, "notes": NOTES[view]}
    try:
        f, data, stores = await run_in_threadpool(load, engine, view, raw["from"], raw["to"], raw["store"])
    except HeadOfficeError as exc:
        return render(request, template, exc.status, officer=officer, f=None, data=None, stores=[],
                      flash=f"{exc.message_zh}（{exc.message}）", flash_kind="error", **ctx)
    query = _query(f)
    ctx["raw"] = {"from": f.start.isoformat(), "to": f.end.isoformat(), "store": f.store or ""}
    return render(request, template, officer=officer, f=f, data=data, stores=stores,
                  export=f"/{view}/export.xlsx?{urlencode(query)}", **ctx)


def _query(f: dash.Filter) -> dict[str, str]:
    q = {"from": f.start.isoformat(), "to": f.end.isoformat()}
    if f.store:
        q["store"] = f.store
    return q


@router.get("/promotions")
async def promotions_page(request: Request, officer: Reader) -> Response:
    return await _page(request, officer, "promotions")


@router.get("/members")
async def members_page(request: Request, officer: Reader) -> Response:
    return await _page(request, officer, "members")


async def _export(request: Request, view: str) -> Response:
    raw = _raw(request)
    f, data, _stores = await run_in_threadpool(load, request.app.state.engine, view, raw["from"], raw["to"],
                                               raw["store"])  # a bad filter: the error page (HeadOfficeError)
    body = await run_in_threadpool(to_xlsx, view, data, f)
    scope = f"-{f.store}" if f.store else ""
    zh = "促销成本" if view == "promotions" else "会员销售与积分"
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{view}-{f.start}_{f.end}{scope}.xlsx\"; "
                               f"filename*=UTF-8''{quote(f'{zh}-{f.start}_{f.end}{scope}.xlsx')}"})


@router.get("/promotions/export.xlsx")
async def promotions_xlsx(request: Request, officer: Reader) -> Response:
    return await _export(request, "promotions")


@router.get("/members/export.xlsx")
async def members_xlsx(request: Request, officer: Reader) -> Response:
    return await _export(request, "members")


# -- the workbooks (also `headoffice promo-report --format xlsx`) ------------------------------------------
PROMO_COLUMNS = (Column("促销编号 Promotion", "text", 14), Column("版本 Version", "int", 8), Column("名称 Name", "text", 28),
                 Column("单数 Receipts", "int", 10), Column("让利 Given", "money"), Column("退货冲回 Returned", "money"),
                 Column("促销成本 Cost", "money"))
MEMBER_COLUMNS = (Column("门店 Store", "text", 10), Column("活跃会员 Active members", "int", 10),
                  Column("会员单数 Receipts", "int", 10), Column("会员消费 Spent", "money"),
                  Column("会员退款 Refunded", "money"), Column("会员净额 Member net", "money"),
                  Column("门店净额 Store net", "money"), Column("占比 Share", "percent", 9),
                  Column("获得积分 Points earned", "int", 10), Column("使用积分 Points used", "int", 10),
                  Column("扣回积分 Points reversed", "int", 10), Column("积分抵扣 Points paid", "money"),
                  Column("期末积分 Points outstanding", "int", 12), Column("每积分 Per point", "money", 9),
                  Column("积分负债 Liability", "money"))


def promo_cells(r: dict[str, Any]) -> list[Any]:
    return [r["id"], r["version"], r["name"], r["receipts"], r["given"], r["returned"], r["cost"]]


def member_cells(r: dict[str, Any]) -> list[Any]:
    return [r["store"], r["active"], r["receipts"], r["spent"], r["refunded"], r["net"], r["store_net"], r["share"],
            r["earned"], r["redeemed"], r["reversed"], r["redeem_fen"], r["outstanding"], r["fen_per_point"],
            r["liability"]]


def to_xlsx(view: str, data: dict[str, Any], f: dash.Filter) -> bytes:
    return workbook([sheet(view, data, f)])


def sheet(view: str, data: dict[str, Any], f: dash.Filter) -> Sheet:
    """The page's table as a worksheet, with the page's totals and notes."""
    heading = [f"营业日 Business days {f.start} – {f.end}" + (f" · 门店 Store {f.store}" if f.store else "")]
    if view == "promotions":
        t = data["total"]
        return Sheet("促销成本 Promotion cost", PROMO_COLUMNS, [promo_cells(r) for r in data["promotions"]],
                      heading=heading, totals_row=["合计 Total", None, "", t["receipts"], t["given"], t["returned"],
                                                   t["cost"]], footer=NOTES[view])
    else:
        t = data["total"]
        return Sheet("会员销售与积分 Members", MEMBER_COLUMNS, [member_cells(r) for r in data["stores"]],
                      heading=heading, totals_row=["合计 Total", t["active"], t["receipts"], t["spent"], t["refunded"],
                                                   t["net"], t["store_net"], t["share"], t["earned"], t["redeemed"],
                                                   t["reversed"], t["redeem_fen"], t["outstanding"], None,
                                                   t["liability"]], footer=NOTES[view])
