"""Consolidated sales as JSON, XLSX and a saved HTML report; the dashboard's tables as XLSX sheets.

``sales_report`` (the machine API ``/api/v1/reports/sales``) keeps its shape: amounts are
integer fen, training left out, returns subtracted; ``by_origin`` lists every origin, and the
``aided``/``local`` keys split them into 消费帮扶 (aided counties only) and local and other goods.
Every workbook goes through headoffice.xlsx (money as numbers in #,##0.00, real dates, frozen
header, filter, totals, text never read as a formula). A saved HTML report is self-contained: no
link back to the server unless ``base_url`` is given, and then only absolute ones.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Engine, case, func, select

from pos.domain.money import format_yuan

from . import dashboard as dash
from . import derive
from .dates import parse_period
from .schema import documents, origin_facts
from .xlsx import Column, Sheet, workbook


@dataclass(frozen=True)
class ReportFilter:
    date_from: str | None = None  # business day, inclusive (YYYY-MM-DD, checked strictly)
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
    derive.fresh(engine)
    f = f or ReportFilter()
    start, end = parse_period(f.date_from, f.date_to)  # refuses 2026-11-1, 2026/11/01, 02-30, from > to
    f = ReportFilter(start.isoformat() if start else None, end.isoformat() if end else None,
                     dash._code(f.store, "store", "门店"), dash._code(f.terminal, "counter", "收银机"))
    of = origin_facts
    pos_sum = func.coalesce(func.sum(case((of.c.amount_fen > 0, of.c.amount_fen), else_=0)), 0)
    neg_sum = func.coalesce(func.sum(case((of.c.amount_fen < 0, -of.c.amount_fen), else_=0)), 0)
    d = documents
    with engine.connect() as conn:
        counties = dash.aided_counties(conn)
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
    origins = [{"origin": r.origin or "", **money(r.sales, r.returns)} for r in by_origin]
    aided = {c: money(0, 0) for c in counties}
    local_rows = []
    for o in origins:
        county = dash.county_of(o["origin"], counties)
        if county:
            a = aided[county]
            aided[county] = money(a["sales"] + o["sales"], a["returns"] + o["returns"])
        else:
            local_rows.append(o)
    aided_rows = [{"county": c, **m} for c, m in aided.items()]
    return {
        "filter": {"from": f.date_from, "to": f.date_to, "store": f.store, "terminal": f.terminal},
        "unit": "fen",
        "aided_counties": counties,
        "by_counter": by_counter,
        "by_day": [{"business_day": r.business_day, "store": r.store_code, "terminal": r.terminal_id, "net": int(r.net)}
                   for r in days],
        "by_origin": origins,
        "aided": {"by_county": aided_rows, **money(sum(a["sales"] for a in aided_rows), sum(a["returns"] for a in aided_rows))},
        "local": {"by_origin": local_rows, **money(sum(o["sales"] for o in local_rows), sum(o["returns"] for o in local_rows))},
        "rows": [{"business_day": r.business_day, "store": r.store_code, "terminal": r.terminal_id,
                  "origin": r.origin or "", **money(r.sales, r.returns)} for r in detail],
        "total": money(total_sales, total_returns),
    }


MONEY3 = [Column("销售 Sales", "money"), Column("退货 Returns", "money"), Column("净额 Net", "money")]


def _m(row: dict[str, Any]) -> list[int]:
    return [row["sales"], row["returns"], row["net"]]


def _period_note(f: ReportFilter | dash.Filter) -> str:
    if isinstance(f, dash.Filter):
        text = f"营业日 Business days {f.start} – {f.end}"
        scope = f.terminal or f.store
    else:
        text = f"营业日 Business days {f.date_from or '…'} – {f.date_to or '…'}"
        scope = f.terminal or f.store
    return text + (f" · {scope}" if scope else "") + " · 金额单位：元 Amounts in yuan; 练习交易不计 training excluded"


def to_xlsx(report: dict[str, Any]) -> bytes:
    f = ReportFilter(**{"date_from": report["filter"]["from"], "date_to": report["filter"]["to"],
                        "store": report["filter"]["store"], "terminal": report["filter"]["terminal"]})
    note = _period_note(f)
    counties = report["aided_counties"]
    return workbook([
        Sheet("按产地 By origin", [Column("产地 Origin", "text", 18), *MONEY3, Column("计入 Counted as", "text", 22)],
              [[o["origin"] or dash.BLANK_ORIGIN, *_m(o), dash.county_of(o["origin"], counties) or LOCAL_WORD]
               for o in report["by_origin"]], note=note),
        Sheet("消费帮扶 By aided county", [Column("帮扶县 Aided county", "text", 18), *MONEY3],
              [[a["county"], *_m(a)] for a in report["aided"]["by_county"]], note=note),
        Sheet("本地及其他 Local & other", [Column("产地 Origin", "text", 18), *MONEY3],
              [[o["origin"] or dash.BLANK_ORIGIN, *_m(o)] for o in report["local"]["by_origin"]],
              note="不计入消费帮扶 Not counted as 消费帮扶. " + note),
        Sheet("按柜台 By counter", [Column("门店 Store", "text"), Column("收银机 Counter", "text"), *MONEY3,
                                 Column("单数 Receipts", "int"), Column("退货单 Return slips", "int")],
              [[c["store"], c["terminal"], *_m(c), c["receipts"], c["return_documents"]] for c in report["by_counter"]],
              note=note),
        Sheet("按日 By day", [Column("营业日 Day", "date"), Column("门店 Store", "text"), Column("收银机 Counter", "text"),
                            Column("净额 Net", "money")],
              [[d["business_day"], d["store"], d["terminal"], d["net"]] for d in report["by_day"]], note=note),
        Sheet("明细 Detail", [Column("营业日 Day", "date"), Column("门店 Store", "text"), Column("收银机 Counter", "text"),
                            Column("产地 Origin", "text", 18), *MONEY3],
              [[r["business_day"], r["store"], r["terminal"], r["origin"] or dash.BLANK_ORIGIN, *_m(r)] for r in report["rows"]],
              note=note),
    ])


# -- the dashboard's tables as sheets ------------------------------------------------------------------
TABLES = {
    "counties": ("消费帮扶 按帮扶县", "By aided county"),
    "local": ("本地及其他商品", "Local & other goods"),
    "compare": ("与上一期对比", "Against the previous period"),
    "counters": ("按柜台", "By counter"),
    "trend": ("按期间", "By period"),
    "categories": ("按品类", "By category"),
    "products": ("按商品", "By product"),
    "tenders": ("按支付方式", "By tender"),
    "tender_counters": ("柜台 × 支付方式", "Counter × tender"),
    "days": ("柜台日报", "Counter-days"),
    "batches": ("按批次", "By delivery batch"),
}
PAGE_TABLES = {"overview": ("counties", "local", "compare", "counters", "trend"), "products": ("categories", "products"),
               "tenders": ("tenders", "tender_counters"), "days": ("days",), "batches": ("batches",)}


def _title(key: str) -> str:
    zh, en = TABLES[key]
    return f"{zh} {en}"


def dashboard_sheets(engine: Engine, f: dash.Filter, tables: tuple[str, ...]) -> list[Sheet]:
    """The named dashboard tables for filter ``f``, as workbook sheets (every row, no page limit)."""
    note = _period_note(f)
    sheets: list[Sheet] = []
    ov = dash.overview(engine, f) if set(tables) & set(PAGE_TABLES["overview"]) else None
    pr = dash.products(engine, f) if set(tables) & set(PAGE_TABLES["products"]) else None
    te = dash.tenders(engine, f) if set(tables) & set(PAGE_TABLES["tenders"]) else None
    for key in tables:
        title = _title(key)
        if key == "counties" and ov:
            sheets.append(Sheet(title, [Column("帮扶县 Aided county", "text", 18), *MONEY3, Column("占比 Share", "percent")],
                                [[c["county"], *_m(c), c["share"]] for c in ov.by_county],
                                note="消费帮扶 counts goods of these aided counties only. " + note))
        elif key == "local" and ov:
            sheets.append(Sheet(title, [Column("产地 Origin", "text", 18), *MONEY3],
                                [[o["origin"], *_m(o)] for o in ov.local],
                                note="不计入消费帮扶 Not counted as 消费帮扶. " + note))
        elif key == "compare" and ov:
            prev = f.period.previous()
            sheets.append(Sheet(title, [Column("项目 Item", "text", 26), Column(f"本期 {f.start}–{f.end}", "money", 20),
                                        Column(f"上期 {prev.start}–{prev.end}", "money", 20),
                                        Column("增减 Change", "money"), Column("增减 % Change %", "percent")],
                                [[c["label"], c["now"], c["before"], c["change"], c["pct"]] for c in ov.compare],
                                totals=False, note="净额 Net amounts. " + note))
        elif key == "counters" and ov:
            sheets.append(Sheet(title, [Column("门店 Store", "text"), Column("收银机 Counter", "text"),
                                        Column("消费帮扶 Aided net", "money", 16), Column("本地及其他 Local net", "money", 16),
                                        Column("合计 Total net", "money"), Column("单数 Receipts", "int")],
                                [[c["store"], c["terminal"], c["aided"]["net"], c["local"]["net"],
                                  c["aided"]["net"] + c["local"]["net"], c["receipts"]] for c in ov.by_counter], note=note))
        elif key == "trend" and ov:
            kind = "date" if f.group == "day" else "text"
            sheets.append(Sheet(f"{title} ({f.group})", [Column(dash.GROUPS[f.group][0] + " Period", kind),
                                                         *[Column(c, "money") for c in ov.counties],
                                                         Column("消费帮扶 Aided", "money"), Column("本地及其他 Local", "money")],
                                [[t["period"], *[t["counties"][c] for c in ov.counties], t["aided"], t["local"]]
                                 for t in ov.trend], note="净额 Net amounts. " + note))
        elif key == "categories" and pr:
            sheets.append(Sheet(title, [Column("品类 Category", "text", 16), Column("消费帮扶 Aided net", "money", 16),
                                        Column("本地及其他 Local net", "money", 16), Column("合计 Total net", "money")],
                                [[c["category"], c["aided"]["net"], c["local"]["net"], c["aided"]["net"] + c["local"]["net"]]
                                 for c in pr["categories"]], note=note))
        elif key == "products" and pr:
            sheets.append(Sheet(title, [Column("商品 Product", "text", 28), Column("编码 SKU", "text"),
                                        Column("品类 Category", "text"), Column("产地 Origin", "text"),
                                        Column("帮扶县 Aided county", "text"), Column("数量 Quantity", "text"), *MONEY3],
                                [[p["name"], p["sku"], p["category"], p["origin"], p["county"] or LOCAL_WORD,
                                  quantity_text(p["quantity"], p["weighed"]), *_m(p)] for p in pr["products"]], note=note))
        elif key == "tenders" and te:
            sheets.append(Sheet(title, [Column("支付方式 Tender", "text", 18), Column("收款 Taken", "money"),
                                        Column("退款 Refunded", "money"), Column("净额 Net", "money"),
                                        Column("笔数 Payments", "int"), Column("占比 Share", "percent")],
                                [[t["name"], t["paid"], t["refunded"], t["net"], t["payments"], t["share"]]
                                 for t in te["tenders"]], note="找零已扣除 Change given is subtracted. " + note))
        elif key == "tender_counters" and te:
            sheets.append(Sheet(title, [Column("门店 Store", "text"), Column("收银机 Counter", "text"),
                                        *[Column(te["names"][k], "money", 16) for k in te["kinds"]]],
                                [[c["store"], c["terminal"], *[c["by"][k] for k in te["kinds"]]] for c in te["counters"]],
                                note=note))
        elif key == "days":
            cd = dash.counter_days(engine, f, limit=None)
            sheets.append(Sheet(title, [Column("营业日 Day", "date"), Column("门店 Store", "text"), Column("收银机 Counter", "text"),
                                        *MONEY3, Column("单数 Receipts", "int"), Column("交班 Shift closes", "int"),
                                        Column("实点现金 Counted", "money"), Column("应有现金 Expected", "money"),
                                        Column("长短款 Over/short", "money"), Column("日结 Z", "text"),
                                        Column("对账状态 Reconciliation", "text", 24), Column("申报 Declared", "money"),
                                        Column("对账差异 Variance", "money")],
                                [[d["day"], d["store"], d["terminal"], *_m(d), d["receipts"], d["shifts"], d["counted"],
                                  d["expected"], d["over_short"], "是 yes" if d["z"] else "否 no", d["state_name"],
                                  d["declared"], d["recon_variance"]] for d in cd["days"]],
                                note="长短款 = 实点 − 应有 (over is +). " + note))
        elif key == "batches":
            b = dash.batches(engine, f)
            sheets.append(Sheet(title, [Column("批次 Batch", "text", 18), Column("产地 Origin", "text"),
                                        Column("帮扶县 Aided county", "text"), Column("首日 First day", "date"),
                                        Column("末日 Last day", "date"), Column("柜台数 Counters", "int"), *MONEY3],
                                [[x["batch"], x["origin"], x["county"] or LOCAL_WORD, x["first"], x["last"], x["counters"],
                                  *_m(x)] for x in b["batches"]],
                                note=(note if b["any_batch_data"] else NO_BATCHES + " " + note)))
    return sheets


LOCAL_WORD = "本地及其他 local & other"
NO_BATCHES = ("尚无批次数据：收银机的销售记录还没有带批次号。No batch data has arrived yet: sale lines do not "
              "carry a delivery batch until the stock feature lands.")


def quantity_text(q: int, weighed: bool) -> str:
    return f"{q / 1000:.3f} kg" if weighed else str(q)


def dashboard_xlsx(engine: Engine, f: dash.Filter, tables: tuple[str, ...]) -> bytes:
    return workbook(dashboard_sheets(engine, f, tables))


# -- a saved HTML report ---------------------------------------------------------------------------
def to_html(report: dict[str, Any], *, base_url: str | None = None) -> str:
    """The report as one self-contained page (inline style, no script). Links back to head office
    only when ``base_url`` is given, then absolute ones carrying the same filters."""
    e = html.escape
    f = report["filter"]
    y = format_yuan

    def table(title: str, header: list[str], rows: list[list[str]], total: list[str] | None = None) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows)
        foot = ("<tfoot><tr>" + "".join(f"<th>{e(str(c))}</th>" for c in total) + "</tr></tfoot>") if total else ""
        empty = "" if rows else f"<tr><td colspan='{len(header)}'>暂无数据 No data</td></tr>"
        return f"<h2>{e(title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}{empty}</tbody>{foot}</table>"

    a, lo, t = report["aided"], report["local"], report["total"]
    links = ""
    if base_url:
        base = base_url.rstrip("/")
        params = {k: v for k, v in (("from", f["from"]), ("to", f["to"]), ("store", f["store"]),
                                    ("terminal", f["terminal"])) if v}
        page = f"{base}/dashboard" + (f"?{urlencode(params)}" if params else "")
        xlsx = f"{base}/dashboard/export.xlsx?" + urlencode({**params, "table": "all"})
        links = (f"<p>在总部查看 Open at head office: <a href=\"{e(page)}\">{e(page)}</a> · "
                 f"<a href=\"{e(xlsx)}\">Excel</a></p>")
    scope = " · ".join(x for x in (f["store"], f["terminal"]) if x)
    period = f"{f['from'] or '最早 earliest'} – {f['to'] or '最近 latest'}"
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>消费帮扶销售汇总 {e(period)} — LianXin head office</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin-bottom:1.5em}}
td,th{{border:1px solid #999;padding:4px 10px}}td:nth-child(n+2){{text-align:right}}</style></head>
<body><h1>消费帮扶销售汇总 <small>Sales of aided counties' goods</small></h1>
<p>营业日 Business days {e(period)}{(' · ' + e(scope)) if scope else ''}. 帮扶县 Aided counties: {e('、'.join(report['aided_counties']))}.</p>
<p>金额单位：元。练习模式交易不计入；退货已扣除；本地及其他商品不计入消费帮扶。
Amounts in yuan; training excluded; returns subtracted; local and other goods are not counted as 消费帮扶.</p>
{links}
{table("消费帮扶 按帮扶县 By aided county", ["帮扶县 County", "销售 Sales", "退货 Returns", "净额 Net"],
       [[x["county"], y(x["sales"]), y(x["returns"]), y(x["net"])] for x in a["by_county"]],
       ["消费帮扶合计 Total", y(a["sales"]), y(a["returns"]), y(a["net"])])}
{table("本地及其他商品（不计入消费帮扶）Local & other goods", ["产地 Origin", "销售 Sales", "退货 Returns", "净额 Net"],
       [[x["origin"] or dash.BLANK_ORIGIN, y(x["sales"]), y(x["returns"]), y(x["net"])] for x in lo["by_origin"]],
       ["合计 Total", y(lo["sales"]), y(lo["returns"]), y(lo["net"])])}
{table("按柜台 By counter", ["门店 Store", "收银机 Counter", "销售 Sales", "退货 Returns", "净额 Net", "单数 Receipts"],
       [[c["store"], c["terminal"], y(c["sales"]), y(c["returns"]), y(c["net"]), str(c["receipts"])] for c in report["by_counter"]],
       ["全部商品 All goods", "", y(t["sales"]), y(t["returns"]), y(t["net"]), ""])}
{table("按日 By day", ["营业日 Day", "门店 Store", "收银机 Counter", "净额 Net"],
       [[d["business_day"], d["store"], d["terminal"], y(d["net"])] for d in report["by_day"]])}
</body></html>
"""
