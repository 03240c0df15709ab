"""The dashboard area: 消费帮扶 pages and the machine-readable sales reports."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from .. import reports
from ..accounts import Perm
from .access import requires

router = APIRouter()
reader = [Depends(requires(Perm.READ, machine=True))]


def report_filter(request: Request) -> reports.ReportFilter:
    p = request.query_params
    return reports.ReportFilter(p.get("from") or None, p.get("to") or None,
                                (p.get("store") or "").upper() or None, (p.get("terminal") or "").upper() or None)


@router.get("/api/v1/reports/sales", dependencies=reader)
async def sales_json(request: Request) -> JSONResponse:
    engine = request.app.state.engine
    return JSONResponse(await run_in_threadpool(reports.sales_report, engine, report_filter(request)))


@router.get("/api/v1/reports/sales.xlsx", dependencies=reader)
async def sales_xlsx(request: Request) -> Response:
    engine = request.app.state.engine
    data = await run_in_threadpool(reports.sales_report, engine, report_filter(request))
    return Response(await run_in_threadpool(reports.to_xlsx, data),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="sales-by-origin.xlsx"'})
