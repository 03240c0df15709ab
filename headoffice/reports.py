"""Consolidated sales: by counter, by day and by origin county (消费帮扶), as JSON, XLSX and HTML.

Amounts are integer fen in JSON; the XLSX shows yuan as exact decimals (number format 0.00) and
the HTML page shows yuan text. Training documents are left out; returns are subtracted.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, case, func, select

from pos.domain.money import format_yuan

from .schema import documents, origin_facts


@dataclass(frozen=True)
class ReportFilter:
    date_from: str | None = None  # business day, inclusive (YYYY-MM-DD)
    date_to: str | None = None
    store: str | None = None
    terminal: str | None = None


def _where(q, table, f: ReportFilter):  # noqa: ANN001, ANN202
    if f.date_from:
        q = q.where(table.c.business_day >= f.date_from)
    if f.date_to:
        q = q.where(table.c.business_day <= f.date_to)
    if f.store:
        q = q.where(table.c.store_code == f.store)
    if f.terminal:
        q = q.where(table.c.terminal_id == f.terminal)
    return q


def sales_report(engine: Engine, f: ReportFilter | None = None) -> dict[str, Any]:
    f = f or ReportFilter()
    of = origin_facts
    pos_sum = func.coalesce(func.sum(case((of.c.amount_fen > 0, of.c.amount_fen), else_=0)), 0)
    neg_sum = func.coalesce(func.sum(case((of.c.amount_fen < 0, -of.c.amount_fen), else_=0)), 0)
    d = documents
    with engine.connect() as conn:
        detail = conn.execute(_where(
            select(of.c.store_code, of.c.terminal_id, of.c.business_day, of.c.origin, pos_sum.label("sales"),
                   neg_sum.label("returns")), of, f)
            .group_by(of.c.store_code, of.c.terminal_id, of.c.business_day, of.c.origin)
            .order_by(of.c.business_day, of.c.store_code, of.c.terminal_id, of.c.origin)).all()
        by_origin = conn.execute(_where(select(of.c.origin, pos_sum.label("sales"), neg_sum.label("returns")), of, f)
                                 .group_by(of.c.origin).order_by(of.c.origin)).all()
        counters = conn.execute(_where(
            select(d.c.store_code, d.c.terminal_id,
                   func.coalesce(func.sum(case((d.c.kind == "sale", d.c.amount_fen), else_=0)), 0).label("sales"),
                   func.coalesce(func.sum(case((d.c.kind == "return", -d.c.amount_fen), else_=0)), 0).label("returns"),
                   func.sum(case((d.c.kind == "sale", 1), else_=0)).label("receipts"),
                   func.sum(case((d.c.kind == "return", 1), else_=0)).label("return_docs")),
            d, f).where(d.c.training.is_(False))
            .group_by(d.c.store_code, d.c.terminal_id).order_by(d.c.store_code, d.c.terminal_id)).all()
        days = conn.execute(_where(
            select(d.c.business_day, d.c.store_code, d.c.terminal_id, func.coalesce(func.sum(d.c.amount_fen), 0).label("net")),
            d, f).where(d.c.training.is_(False))
            .group_by(d.c.business_day, d.c.store_code, d.c.terminal_id)
            .order_by(d.c.business_day, d.c.store_code, d.c.terminal_id)).all()

    def money(sales: int, returns: int) -> dict[str, int]:
        return {"sales": int(sales), "returns": int(returns), "net": int(sales) - int(returns)}

    by_counter = [{"store": r.store_code, "terminal": r.terminal_id, **money(r.sales, r.returns),
                   "receipts": int(r.receipts or 0), "return_documents": int(r.return_docs or 0)} for r in counters]
    total_sales = sum(c["sales"] for c in by_counter)
    total_returns = sum(c["returns"] for c in by_counter)
    return {
        "filter": {"from": f.date_from, "to": f.date_to, "store": f.store, "terminal": f.terminal},
        "unit": "fen",
        "by_counter": by_counter,
        "by_day": [{"business_day": r.business_day, "store": r.store_code, "terminal": r.terminal_id, "net": int(r.net)}
                   for r in days],
        "by_origin": [{"origin": r.origin or "", **money(r.sales, r.returns)} for r in by_origin],
        "rows": [{"business_day": r.business_day, "store": r.store_code, "terminal": r.terminal_id,
                  "origin": r.origin or "", **money(r.sales, r.returns)} for r in detail],
        "total": money(total_sales, total_returns),
    }


def _yuan(fen: int) -> Decimal:
    return Decimal(int(fen)).scaleb(-2)


def to_xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    bold = Font(bold=True)

    def sheet(ws, header: list[str], rows: list[list[Any]], money_cols: set[int]) -> None:  # noqa: ANN001
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        for r in ws.iter_rows(min_row=2):
            for i, cell in enumerate(r):
                if i in money_cols:
                    cell.number_format = "0.00"
        for i, _ in enumerate(header):
            ws.column_dimensions[chr(ord("A") + i)].width = 16

    ws = wb.active
    ws.title = "按产地 By county"
    sheet(ws, ["产地 Origin", "销售 Sales", "退货 Returns", "净额 Net"],
          [[o["origin"] or "（未填）", _yuan(o["sales"]), _yuan(o["returns"]), _yuan(o["net"])] for o in report["by_origin"]]
          + [["合计 Total", _yuan(report["total"]["sales"]), _yuan(report["total"]["returns"]), _yuan(report["total"]["net"])]],
          {1, 2, 3})
    sheet(wb.create_sheet("按柜台 By counter"),
          ["门店 Store", "收银机 Counter", "销售 Sales", "退货 Returns", "净额 Net", "单数 Receipts", "退货单 Returns"],
          [[c["store"], c["terminal"], _yuan(c["sales"]), _yuan(c["returns"]), _yuan(c["net"]), c["receipts"],
            c["return_documents"]] for c in report["by_counter"]], {2, 3, 4})
    sheet(wb.create_sheet("按日 By day"), ["营业日 Day", "门店 Store", "收银机 Counter", "净额 Net"],
          [[d["business_day"], d["store"], d["terminal"], _yuan(d["net"])] for d in report["by_day"]], {3})
    sheet(wb.create_sheet("明细 Detail"),
          ["营业日 Day", "门店 Store", "收银机 Counter", "产地 Origin", "销售 Sales", "退货 Returns", "净额 Net"],
          [[r["business_day"], r["store"], r["terminal"], r["origin"], _yuan(r["sales"]), _yuan(r["returns"]),
            _yuan(r["net"])] for r in report["rows"]], {4, 5, 6})
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_html(report: dict[str, Any], *, token: str | None = None) -> str:
    e = html.escape
    f = report["filter"]

    def table(title: str, header: list[str], rows: list[list[str]], total: list[str] | None = None) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows)
        foot = ("<tfoot><tr>" + "".join(f"<th>{e(str(c))}</th>" for c in total) + "</tr></tfoot>") if total else ""
        empty = "" if rows else f"<tr><td colspan='{len(header)}'>暂无数据 No data</td></tr>"
        return f"<h2>{e(title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}{empty}</tbody>{foot}</table>"

    y = format_yuan
    t = report["total"]
    hidden = f"<input type='hidden' name='token' value='{e(token)}'>" if token else ""
    q = "&".join(f"{k}={e(v)}" for k, v in (("from", f["from"]), ("to", f["to"]), ("store", f["store"]),
                                           ("terminal", f["terminal"]), ("token", token)) if v)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>消费帮扶销售汇总 — LianXin head office</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin-bottom:1.5em}}
td,th{{border:1px solid #999;padding:4px 10px}}td:nth-child(n+2){{text-align:right}}</style></head>
<body><h1>消费帮扶销售汇总 <small>Consolidated sales by origin county</small></h1>
<form method="get" action="/reports">营业日 From <input type="date" name="from" value="{e(f['from'] or '')}">
至 To <input type="date" name="to" value="{e(f['to'] or '')}">
门店 Store <input name="store" size="6" value="{e(f['store'] or '')}">{hidden}
<button type="submit">查询 Show</button>
<a href="/api/v1/reports/sales.xlsx?{q}">下载 Excel (XLSX)</a> · <a href="/api/v1/reports/sales?{q}">JSON</a></form>
<p>金额单位：元。练习模式交易不计入；退货已扣除。Amounts in yuan; training excluded; returns subtracted.</p>
{table("按产地（县）By origin county", ["产地 Origin", "销售 Sales", "退货 Returns", "净额 Net"],
       [[o["origin"] or "（未填）", y(o["sales"]), y(o["returns"]), y(o["net"])] for o in report["by_origin"]],
       ["合计 Total", y(t["sales"]), y(t["returns"]), y(t["net"])])}
{table("按柜台 By counter", ["门店 Store", "收银机 Counter", "销售 Sales", "退货 Returns", "净额 Net", "单数 Receipts"],
       [[c["store"], c["terminal"], y(c["sales"]), y(c["returns"]), y(c["net"]), str(c["receipts"])] for c in report["by_counter"]])}
{table("按日 By day", ["营业日 Day", "门店 Store", "收银机 Counter", "净额 Net"],
       [[d["business_day"], d["store"], d["terminal"], y(d["net"])] for d in report["by_day"]])}
</body></html>
"""
