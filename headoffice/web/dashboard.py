"""The dashboard area: 消费帮扶 pages, their XLSX exports, the aided-county setting, and the
machine-readable sales reports.

Every view keeps its filters in the URL (``?from=2026-11-01&to=2026-11-30&store=MX&group=week``),
so a view can be bookmarked or sent; each table links to its XLSX with the same filters. A bad
filter (``2026-11-1``, ``2026/11/01``, an impossible date, from after to) re-renders the page with
the reason in words and status 400; no figures are shown for a filter that was not understood.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from .. import dashboard as dash
from .. import derive, reports
from ..accounts import Officer, Perm
from ..api_schema import error_responses
from ..schema import terminals
from ..service import HeadOfficeError
from .access import requires
from .render import render

router = APIRouter()
reader = [Depends(requires(Perm.READ, machine=True))]
Reader = Annotated[Officer, Depends(requires(Perm.READ))]
Master = Annotated[Officer, Depends(requires(Perm.MASTER))]

TABS = (("overview", "/dashboard", "总览", "Overview"), ("products", "/dashboard/products", "品类与商品", "Products"),
        ("tenders", "/dashboard/tenders", "支付方式", "Tenders"), ("days", "/dashboard/days", "柜台日报", "Counter-days"),
        ("batches", "/dashboard/batches", "按批次", "Batches"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- the machine API (report tokens or a login) --------------------------------------------------------
def report_filter(request: Request) -> reports.ReportFilter:
    p = request.query_params
    return reports.ReportFilter(p.get("from") or None, p.get("to") or None, p.get("store") or None,
                                p.get("terminal") or None)


REPORT_ERRORS = error_responses(s400="a filter is malformed (a date not YYYY-MM-DD, from after to, a NUL)",
                                s401="no office session and no (live) report token", s403="the account may not read reports",
                                s413="the request is too large")


@router.get("/api/v1/reports/sales", dependencies=reader, responses=REPORT_ERRORS)
async def sales_json(request: Request) -> JSONResponse:
    engine = request.app.state.engine
    return JSONResponse(await run_in_threadpool(reports.sales_report, engine, report_filter(request)))


@router.get("/api/v1/reports/sales.xlsx", dependencies=reader, responses=REPORT_ERRORS)
async def sales_xlsx(request: Request) -> Response:
    engine = request.app.state.engine
    data = await run_in_threadpool(reports.sales_report, engine, report_filter(request))
    return Response(await run_in_threadpool(reports.to_xlsx, data), media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="sales-by-origin.xlsx"'})


# -- pages ---------------------------------------------------------------------------------------------
def _raw(request: Request) -> dict[str, str]:
    p = request.query_params
    return {k: (p.get(k) or "")[:40] for k in ("from", "to", "store", "terminal", "group")}


def _choices(engine) -> dict[str, list[str]]:  # noqa: ANN001
    with engine.connect() as conn:
        rows = conn.execute(select(terminals.c.store_code, terminals.c.terminal_id)
                            .order_by(terminals.c.store_code, terminals.c.terminal_id)).all()
    return {"stores": sorted({r.store_code for r in rows}), "terminals": [r.terminal_id for r in rows]}


def _filter(engine, raw: dict[str, str]) -> dash.Filter:  # noqa: ANN001
    derive.fresh(engine)  # the latest day and every figure include the batches acknowledged so far
    with engine.connect() as conn:
        return dash.make_filter(conn, raw["from"], raw["to"], raw["store"], raw["terminal"], raw["group"])


def _load(engine, view: str, f: dash.Filter, batch: str) -> dict[str, Any]:  # noqa: ANN001
    if view == "overview":
        return {"ov": dash.overview(engine, f)}
    if view == "products":
        return dash.products(engine, f)
    if view == "tenders":
        return dash.tenders(engine, f)
    if view == "days":
        return dash.counter_days(engine, f)
    data = dash.batches(engine, f)
    if batch:
        data["batch"] = batch
        data["batch_products"] = dash.batch_products(engine, f, batch)
    return data


def _charts(view: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """What dashboard.js draws (values in yuan, for the eye only; the tables hold the exact figures)."""
    def yuan(fen: int) -> float:
        return round(fen / 100, 2)

    if view == "overview":
        ov = data["ov"]
        return [
            {"id": "chart-counties", "type": "bar", "categories": [c["county"] for c in ov.by_county],
             "series": [{"name": "消费帮扶净额 Aided net (元)", "data": [yuan(c["net"]) for c in ov.by_county]}]},
            {"id": "chart-trend", "type": "stacked", "categories": [t["period"] for t in ov.trend],
             "series": [{"name": c, "data": [yuan(t["counties"][c]) for t in ov.trend]} for c in ov.counties]},
        ]
    if view == "tenders":
        return [{"id": "chart-tenders", "type": "pie",
                 "series": [{"name": "支付方式 Tenders", "data": [{"name": t["name"], "value": yuan(t["net"])}
                                                               for t in data["tenders"]]}]}]
    if view == "products":
        top = [p for p in data["products"] if p["county"]][:15]
        return [{"id": "chart-products", "type": "hbar", "categories": [p["name"] for p in reversed(top)],
                 "series": [{"name": "净额 Net (元)", "data": [yuan(p["net"]) for p in reversed(top)]}]}]
    return []


async def _page(request: Request, officer: Officer, view: str) -> Response:
    engine = request.app.state.engine
    raw = _raw(request)
    choices = await run_in_threadpool(_choices, engine)
    ctx: dict[str, Any] = {"view": view, "tabs": TABS, "raw": raw, "groups": dash.GROUPS, **choices,
                           "can_set": officer.can(Perm.MASTER), "tables": reports.TABLES}
    title = "消费帮扶 Dashboard"
    try:
        f = await run_in_threadpool(_filter, engine, raw)
    except HeadOfficeError as exc:
        return render(request, f"dashboard/{view}.html", exc.status, officer=officer, title=title, f=None, data=None,
                      flash=f"{exc.message_zh}（{exc.message}）", flash_kind="error", **ctx)
    batch = (request.query_params.get("batch") or "").strip()[:64]
    data = await run_in_threadpool(_load, engine, view, f, batch)
    query = f.query()
    ctx.update(raw={**raw, "from": f.start.isoformat(), "to": f.end.isoformat(), "group": f.group,
                    "store": f.store or "", "terminal": f.terminal or ""})
    return render(request, f"dashboard/{view}.html", officer=officer, title=title, f=f, data=data,
                  prev=f.period.previous(), qs=urlencode(query),
                  qs_all_counters=urlencode({k: v for k, v in query.items() if k != "terminal"}), export=_export_link(query),
                  charts=_charts(view, data), limit=dash.ROW_LIMIT, quantity_text=reports.quantity_text, **ctx)


def _export_link(query: dict[str, str]):  # noqa: ANN202
    def link(table: str) -> str:
        return "/dashboard/export.xlsx?" + urlencode({**query, "table": table})
    return link


@router.get("/dashboard")
async def overview_page(request: Request, officer: Reader) -> Response:
    return await _page(request, officer, "overview")


@router.get("/dashboard/products")
async def products_page(request: Request, officer: Reader) -> Response:
    return await _page(request, officer, "products")


@router.get("/dashboard/tenders")
async def tenders_page(request: Request, officer: Reader) -> Response:
    return await _page(request, officer, "tenders")


@router.get("/dashboard/days")
async def days_page(request: Request, officer: Reader) -> Response:
    return await _page(request, officer, "days")


@router.get("/dashboard/batches")
async def batches_page(request: Request, officer: Reader) -> Response:
    return await _page(request, officer, "batches")


@router.get("/dashboard/export.xlsx")
async def export_xlsx(request: Request, officer: Reader) -> Response:
    engine = request.app.state.engine
    table = (request.query_params.get("table") or "all").strip()
    if table == "all":
        tables = tuple(reports.TABLES)
    elif table in reports.PAGE_TABLES:
        tables = reports.PAGE_TABLES[table]
    elif table in reports.TABLES:
        tables = (table,)
    else:
        raise HeadOfficeError("bad_table", 400, f"there is no table '{table[:24]}' to export",
                              f"没有名为“{table[:24]}”的表可导出")
    f = await run_in_threadpool(_filter, engine, _raw(request))
    data = await run_in_threadpool(reports.dashboard_xlsx, engine, f, tables)
    scope = "-".join(x for x in (f.store, f.terminal) if x)
    name = f"消费帮扶-{table}-{f.start}_{f.end}{('-' + scope) if scope else ''}.xlsx"
    ascii_name = f"dashboard-{table}-{f.start}_{f.end}{('-' + scope) if scope else ''}.xlsx"
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"})


# -- the aided counties (a master-data setting) ------------------------------------------------------
async def _settings_page(request: Request, officer: Officer, *, text: str | None = None, flash: str = "",
                         kind: str = "ok", status: int = 200) -> Response:
    engine = request.app.state.engine

    def current() -> list[str]:
        with engine.connect() as conn:
            return dash.aided_counties(conn)

    counties = await run_in_threadpool(current)
    return render(request, "dashboard/settings.html", status, officer=officer, title="帮扶县设置 Aided counties",
                  counties=counties, text="\n".join(counties) if text is None else text, flash=flash, flash_kind=kind,
                  default=dash.DEFAULT_AIDED)


@router.get("/dashboard/settings")
async def settings_page(request: Request, officer: Master) -> Response:
    return await _settings_page(request, officer)


@router.post("/dashboard/settings")
async def settings_save(request: Request, officer: Master,
                        counties: Annotated[str, Form(max_length=2000)] = "") -> Response:
    engine = request.app.state.engine
    try:
        names = await run_in_threadpool(dash.set_aided_counties, engine, counties, officer.login)
    except HeadOfficeError as exc:
        return await _settings_page(request, officer, text=counties, flash=f"{exc.message_zh}（{exc.message}）",
                                    kind="error", status=exc.status)
    return await _settings_page(request, officer, flash=f"已保存：帮扶县 {'、'.join(names)}。Saved.")
