"""The accountant's period reports over a month of 50,000 sales (issue 16), beside a bare SQL aggregate.

A demo till's database gets a month (30 business days) of REPORT_SALES sales written straight into
the read models with plain ``sqlite3`` (building them through the checkout would take the better
part of an hour): sales with one to five lines (weighed fruit, gift boxes, categories, counties, two
tax rates, line and sale discounts, price overrides, gifts, 抹零), their tenders (cash with change,
WeChat/Alipay/UnionPay with references, vouchers, an institution account), 2 % returns, practice sales,
stock moves with cost for the goods that are followed (some sold past zero), the day's running totals
(fact_figures, fact_totals) and a Z per day; the sales with a reduction also get their journal entry
(the reductions report reads who approved from the payload).

Then every report of ``PeriodReportService.build(name, 2026-11-01, 2026-11-30)`` is timed (median of
REPEAT runs after one warm-up, through the till's own reader; wall clock and this process's CPU time,
since a shared host's load inflates the wall clock), beside ``floor_ms``: a bare
``SELECT sl.category, SUM(sl.net_fen) FROM sales JOIN sale_lines … GROUP BY sl.category`` over the same
month on a connection of its own — the least a report that adds up the month's sale lines can read.
Target: every report under 1 s.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from .common import DATA, bench_home, line, record

REPORT_SALES = int(os.environ.get("BENCH_REPORT_SALES", "50000"))
DAYS = 30
REPEAT = 5
TARGET_MS = 1000.0
FIRST = date(2026, 11, 1)

GOODS = [  # sku, name, category, origin, sold_by, price (per kg for weighed), tax bp, followed in stock
    ("MX-F001", "茂县冰糖心苹果（特级）", "水果", "茂县", "weight", 1680, 900, True),
    ("MX-F006", "九寨沟脆红李", "水果", "九寨沟", "weight", 1880, 900, True),
    ("MX-M001", "松阳黄牛肉（带皮）", "肉禽蛋", "松阳", "weight", 12800, 900, False),
    ("MX-E001", "松阳土鸡蛋 30枚装", "肉禽蛋", "松阳", "unit", 4500, 900, True),
    ("MX-S001", "茂县大红袍花椒 100g", "调味品", "茂县", "unit", 2800, 1300, True),
    ("MX-N001", "茂县核桃 500g", "干货", "茂县", "unit", 3500, 900, True),
    ("MX-O001", "松阳山茶油 500ml", "粮油", "松阳", "unit", 9800, 900, False),
    ("MX-H001", "松阳土蜂蜜 500g", "蜂蜜", "松阳", "unit", 8800, 1300, True),
    ("MX-T001", "松阳银猴茶 250g", "茶叶", "松阳", "unit", 16800, 1300, False),
    ("MX-R001", "青田稻鱼米 5kg", "粮油", "青田", "unit", 7900, 900, True),
    ("PH-L001", "平湖西瓜", "水果", "平湖", "weight", 600, 900, False),
    ("MX-G001", "松阳山茶油蜂蜜礼盒", "礼盒", "松阳", "unit", 24800, 1300, False),
]
TENDERS = ("cash", "wechat", "alipay", "unionpay", "voucher", "account")


def _rate(bp: int) -> str:
    return f"{bp // 100}%"


def fill_month(path, terminal: str, n_sales: int, seed: int = 16) -> dict[str, int]:
    """Write ``n_sales`` sales (and what goes with them) into the read models of the till at ``path``."""
    rnd = random.Random(seed)
    c = sqlite3.connect(path)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=OFF")
    seq, last_hash = c.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    seq += 1
    chain = [last_hash]

    def entry(kind: str, day: str, at: str, payload: str = "{}") -> None:
        # in order and chained, as the journal's trigger wants (the hashes are stand-ins: nothing verifies them)
        journal.append((terminal, seq, kind, day, at, payload, chain[0], f"bench-{seq}"))
        chain[0] = f"bench-{seq}"
    sales, lines, pays, rets, rlines, refunds, moves, journal = [], [], [], [], [], [], [], []
    fig: dict[str, list[int]] = {}
    tot: dict[tuple[str, str, str], list[int]] = {}

    def add_tot(day: str, dim: str, key: str, amount: int, net: int = 0, tax: int = 0) -> None:
        t = tot.setdefault((day, dim, key), [0, 0, 0])
        t[0] += amount
        t[1] += net
        t[2] += tax

    per_day = n_sales // DAYS
    no_in_day: dict[str, int] = {}
    for i in range(n_sales):
        day_i = min(i // per_day, DAYS - 1)
        day = (FIRST + timedelta(days=day_i)).isoformat()
        local = datetime(FIRST.year, FIRST.month, FIRST.day, 8, tzinfo=UTC) + timedelta(days=day_i, seconds=(i % per_day) * 43200 // per_day)
        at = (local - timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        no_in_day[day] = no_in_day.get(day, 0) + 1
        receipt = f"{terminal}-{day.replace('-', '')}-{no_in_day[day]:04d}"
        training = rnd.random() < 0.01
        f = fig.setdefault(day, [0] * 12)
        subtotal = total = list_total = 0
        reduced = False
        sale_lines = []
        for ln in range(1, rnd.randint(1, 5) + 1):
            sku, name, cat, origin, sold_by, price, bp, followed = rnd.choice(GOODS)
            qty = rnd.randint(300, 3000) if sold_by == "weight" else rnd.randint(1, 3)
            list_value = (price * qty + 500) // 1000 if sold_by == "weight" else price * qty
            r = rnd.random()
            disc = list_value // 10 if r < 0.08 else 0
            over = list_value // 20 if 0.08 <= r < 0.10 else 0
            gift = list_value if 0.10 <= r < 0.11 else 0
            rounding = rnd.choice((0, 0, 1, 2, -1)) if ln == 1 else 0
            net = list_value - disc - over - gift - rounding
            tax = net * bp // (10000 + bp)
            reduced = reduced or bool(disc or over or gift)
            subtotal += list_value - over
            total += net
            list_total += list_value
            sale_lines.append((receipt, ln, sku, None, name, "kg" if sold_by == "weight" else "件", sold_by, qty,
                               price, list_value - over - disc, cat, origin, bp, list_value, disc, over, gift, rounding,
                               net, tax))
            if not training:
                f[7] += disc
                f[8] += over
                f[9] += gift
                f[10] += -rounding
                add_tot(day, "category", cat, net)
                add_tot(day, "origin", origin, net)
                add_tot(day, "tax", _rate(bp), net, net - tax, tax)
                if followed:
                    cost = net * rnd.randint(55, 80) // 100
                    known = rnd.random() > 0.02
                    moves.append((seq, ln, "sale", day, sku, f"SHKC-2026-{40 + day_i // 7}/{ln}" if known else None,
                                  f"SHKC-2026-{40 + day_i // 7}" if known else "", -qty, -cost if known else 0, net,
                                  known, receipt, ln))
        lines.extend(sale_lines)
        tender = rnd.choices(TENDERS, weights=(30, 35, 20, 8, 4, 3))[0]
        paid, change = total, 0
        if tender == "cash":
            paid = -(-total // 10000) * 10000 if total % 10000 else total
            change = paid - total
        ref = {"wechat": f"4200{i:012d}", "unionpay": f"UP{i:08d}", "voucher": f"V{i:07d}", "account": "MXGXS"}.get(tender)
        pays.append((receipt, 1, tender, paid, ref))
        sales.append((receipt, terminal, seq, day, at, "cashier1", subtotal, total, paid, change, training))
        payload = "{}"
        if reduced and not training:
            payload = json.dumps({"receipt_no": receipt, "lines": [{"line_no": x[1], "approvals": (
                [{"action": "price_override", "approver": "manager1"}] if x[15] else [])} for x in sale_lines],
                "approvals": [{"action": "discount_over_limit", "approver": "manager1"}] if any(x[16] for x in sale_lines) else []},
                ensure_ascii=False)
        entry("sale", day, at, payload)
        if training:
            f[3] += 1
        else:
            f[0] += 1
            f[5] += subtotal
            f[6] += list_total
            f[11] += total
            add_tot(day, "tender", tender, total)
        seq += 1
        if not training and rnd.random() < 0.02:  # a return of the first line
            first = sale_lines[0]
            ret_no = f"R{receipt}"
            refund = first[18]
            rets.append((ret_no, terminal, seq, day, at, receipt, "manager1", refund, False))
            entry("return", day, at)
            rlines.append((ret_no, 1, 1, first[2], first[4], first[7], refund, first[10], first[11], first[12],
                           first[19]))
            back = "cash" if tender == "voucher" else tender
            refunds.append((ret_no, 1, back, refund, ref if back != "cash" else None))
            f[1] += 1
            f[4] += refund
            add_tot(day, "tender", back, -refund)
            add_tot(day, "category", first[10], -refund)
            add_tot(day, "origin", first[11], -refund)
            add_tot(day, "tax", _rate(first[12]), -refund, -(refund - first[19]), -first[19])
            seq += 1
    c.executemany("INSERT INTO sales VALUES (?,?,?,?,?,?,?,?,?,?,?)", sales)
    c.executemany("INSERT INTO sale_lines (receipt_no, line_no, sku, barcode, name, unit, sold_by, quantity, "
                  "unit_price_fen, amount_fen, category, origin, tax_rate_bp, list_value_fen, discount_fen, override_fen, "
                  "gift_fen, rounding_fen, net_fen, tax_fen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", lines)
    c.executemany("INSERT INTO payments VALUES (?,?,?,?,?)", pays)
    c.executemany("INSERT INTO returns VALUES (?,?,?,?,?,?,?,?,?)", rets)
    c.executemany("INSERT INTO return_lines VALUES (?,?,?,?,?,?,?,?,?,?,?)", rlines)
    c.executemany("INSERT INTO refunds VALUES (?,?,?,?,?)", refunds)
    c.executemany("INSERT INTO stock_moves VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", moves)
    c.executemany("INSERT INTO fact_figures VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  [(day, 1, f[0], f[1], 0, f[3], 0, f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[4], 0, 0, seq)
                   for day, f in fig.items()])
    c.executemany("INSERT INTO fact_totals VALUES (?,?,?,?,?,?,?,?,?)",
                  [(day, 1, dim, key, a, n, t, a if dim == "tax" else None, seq) for (day, dim, key), (a, n, t) in tot.items()])
    grand = 0
    for day, f in sorted(fig.items()):
        by_tender = {k: v[0] for (d, dim, k), v in tot.items() if d == day and dim == "tender"}
        net = f[11] - f[4]
        grand += net
        totals = {"sales_count": f[0], "returns_count": f[1], "voids_count": 0, "void": 0, "training_count": f[3],
                  "gross": f[5], "discount": f[7], "rounding": f[10], "sales": f[11], "refunds": f[4], "net": net,
                  "cash_in": 0, "cash_out": 0, "by_tender": by_tender, "by_tax_rate": {}, "by_category": {},
                  "by_origin": {}, "list_total": f[6], "override": f[8], "gift": f[9], "tax": 0, "tax_by_rate": {}}
        c.execute("INSERT INTO closures VALUES (?,?,?,?,?,?,?,?)",
                  (day, terminal, seq, f"{day}T13:30:00.000000Z", "manager1", net, grand, json.dumps(totals)))
        entry("z_closure", day, f"{day}T13:30:00.000000Z")
        seq += 1
    c.executemany("INSERT INTO journal VALUES (?,?,?,?,?,?,?,?)", journal)
    c.commit()
    c.execute("ANALYZE")
    c.close()
    return {"sales": len(sales), "lines": len(lines), "returns": len(rets), "moves": len(moves), "journal": len(journal)}


def _median_ms(fn, repeat: int = REPEAT) -> tuple[float, float]:  # noqa: ANN001
    """Median wall-clock and CPU milliseconds of ``repeat`` runs of ``fn`` (CPU: this process's own time, which a
    busy shared host does not inflate the way it does the wall clock)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, p = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - p)
    return round(statistics.median(wall) * 1000, 1), round(statistics.median(cpu) * 1000, 1)


EXPORT_REPEAT = 3
FLOOR_REPEAT = 1  # openpyxl takes seconds (the workbook most of a minute on a busy host)
PDF_ROWS = int(os.environ.get("BENCH_PDF_ROWS", "1000"))  # rows of 销售流水 reportlab's canvas draws (the floor)


def _pages(path) -> int:  # noqa: ANN001
    """Pages in a PDF (its page objects; reportlab writes ``/Type /Page``, ours ``/Type/Page``)."""
    import re

    return len(re.findall(rb"/Type ?/Page\b(?!s)", path.read_bytes()))


def _csv_floor(path, cells: list[list[str]]) -> None:  # noqa: ANN001
    """Python's csv.writer writing the same cells (already text) to a file, as durably as an export (fsync)."""
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(cells)
        f.flush()
        os.fsync(f.fileno())


def _openpyxl_floor(path, reports) -> None:  # noqa: ANN001
    """openpyxl's write_only mode writing the same rows, a sheet per report, with no styles, no heading,
    no totals and money as whole fen (the cheapest values it takes): the least openpyxl needs for the cells."""
    from openpyxl import Workbook

    from pos.domain.table_report import Qty, Ratio

    wb = Workbook(write_only=True)
    for r in reports:
        ws = wb.create_sheet(r.name)
        ws.append([c.title_zh for c in r.columns])
        for row in r.rows:
            ws.append([v.amount if type(v) is Qty else v.permille() if type(v) is Ratio else v for v in row])
    wb.save(path)


def _pdf_floor(path, report, rows_per_page: int) -> int:  # noqa: ANN001
    """reportlab's canvas drawing the same cells' text in the same font, page by page, with the same rows a
    page and no table (no measuring, wrapping, grid or page count): the least a reportlab PDF of it costs."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    from pos.domain.table_report import cell_text
    from pos.reports.pdf import FONT, _register_font

    _register_font()
    width, height = landscape(A4)
    c = canvas.Canvas(str(path), pagesize=(width, height), initialFontName=FONT)
    kinds = [col.kind for col in report.columns]
    step = (width - 60) / max(len(kinds), 1)
    pages = 0
    for at in range(0, len(report.rows), rows_per_page):
        c.setFont(FONT, 9)
        y = height - 40
        for row in report.rows[at:at + rows_per_page]:
            for j, (k, v) in enumerate(zip(kinds, row, strict=True)):
                c.drawString(30 + j * step, y, cell_text(k, v))
            y -= 15
        c.showPage()
        pages += 1
    c.save()
    return pages


def export_figures(reports: dict, work) -> dict:  # noqa: ANN001
    """Every export of the month's biggest report (销售流水) and of the workbook of all the reports, each beside
    its floor measured here: csv.writer for CSV, openpyxl write_only for XLSX, reportlab's bare canvas for PDF."""
    import csv
    import dataclasses
    import io

    from pos.reports.export import write_report, write_workbook
    from pos.reports.table_pdf import write_table_pdf

    out = work / "exports"
    out.mkdir(parents=True, exist_ok=True)
    tx = reports["transactions"]
    every = list(reports.values())
    fig: dict[str, float | int | str] = {"rows": len(tx.rows), "workbook_rows": sum(len(r.rows) for r in every),
                                         "workbook_sheets": len(every)}
    fig["csv_ms"], fig["csv_cpu_ms"] = _median_ms(lambda: write_report(tx, "csv", out / "tx.csv"), EXPORT_REPEAT)
    cells = list(csv.reader(io.StringIO((out / "tx.csv").read_text(encoding="utf-8-sig"), newline="")))
    fig["csv_floor_ms"], fig["csv_floor_cpu_ms"] = _median_ms(lambda: _csv_floor(out / "floor.csv", cells),
                                                              EXPORT_REPEAT)
    fig["xlsx_ms"], fig["xlsx_cpu_ms"] = _median_ms(lambda: write_report(tx, "xlsx", out / "tx.xlsx"), EXPORT_REPEAT)
    fig["xlsx_floor_ms"], fig["xlsx_floor_cpu_ms"] = _median_ms(lambda: _openpyxl_floor(out / "floor.xlsx", [tx]),
                                                                FLOOR_REPEAT)
    fig["workbook_ms"], fig["workbook_cpu_ms"] = _median_ms(lambda: write_workbook(every, out / "book.xlsx"),
                                                            EXPORT_REPEAT)
    fig["workbook_floor_ms"], fig["workbook_floor_cpu_ms"] = _median_ms(
        lambda: _openpyxl_floor(out / "floor-book.xlsx", every), FLOOR_REPEAT)
    fig["xlsx_bytes"], fig["workbook_bytes"] = (out / "tx.xlsx").stat().st_size, (out / "book.xlsx").stat().st_size
    # PDF: the month's 销售流水 whole (some 1,400 pages), after one PDF has loaded the font. The floor:
    # reportlab's bare canvas drawing the first PDF_ROWS rows' text (under the month's totals, so the columns
    # are as wide as the month's), as pages per second and what that rate makes of the month's pages.
    daily = reports["daily"]  # a report that is printed: one page
    write_report(daily, "pdf", out / "daily.pdf")
    fig["pdf_ms"], fig["pdf_cpu_ms"] = _median_ms(lambda: write_table_pdf(tx, out / "month.pdf"), EXPORT_REPEAT)
    fig["pdf_pages"] = pages = _pages(out / "month.pdf")
    fig["pdf_bytes"] = (out / "month.pdf").stat().st_size
    fig["pdf_pages_per_s"] = round(pages / max(fig["pdf_ms"] / 1000, 1e-6), 1)
    part = dataclasses.replace(tx, rows=tx.rows[:PDF_ROWS])
    fig["pdf_part_rows"] = len(part.rows)
    per_page = max(1, round(len(tx.rows) / max(pages, 1)))
    fig["pdf_floor_ms"], fig["pdf_floor_cpu_ms"] = _median_ms(lambda: _pdf_floor(out / "floor.pdf", part, per_page), 1)
    floor_pages = _pages(out / "floor.pdf")
    fig["pdf_floor_pages_per_s"] = round(floor_pages / max(fig["pdf_floor_ms"] / 1000, 1e-6), 1)
    fig["pdf_floor_month_s_est"] = round(pages / max(fig["pdf_floor_pages_per_s"], 1e-6), 1)
    fig["pdf_daily_ms"], fig["pdf_daily_cpu_ms"] = _median_ms(lambda: write_report(daily, "pdf", out / "daily.pdf"),
                                                              EXPORT_REPEAT)
    fig["floor_what"] = ("csv.writer writing the same cells; openpyxl write_only writing the same values (no styles); "
                         "reportlab's canvas drawing the same cells' text, same rows a page, no table")
    fig["target_ms"] = TARGET_MS
    fig["load_1min"] = round(os.getloadavg()[0], 2)
    for p in out.iterdir():  # tens of MB of files nobody reads again
        p.unlink()
    out.rmdir()
    return fig


def _print_exports(f: dict) -> None:
    def shown(key: str) -> str:  # wall clock, and this process's CPU (what a busy shared host leaves alone)
        return f"{f[key + '_ms']:.0f} ms ({f[key + '_cpu_ms']:.0f} CPU)"

    def ratio(key: str, floor: str) -> str:
        return f"×{f[key + '_cpu_ms'] / max(f[floor + '_cpu_ms'], 1e-6):.2f} CPU"

    print(line(f"export 销售流水 CSV ({f['rows']:,} rows)", shown("csv"), "< 1000 ms",
               f"csv.writer {shown('csv_floor')} {ratio('csv', 'csv_floor')}", f["csv_ms"] < TARGET_MS))
    print(line(f"export 销售流水 XLSX ({f['rows']:,} rows)", shown("xlsx"), "< 1000 ms",
               f"openpyxl {shown('xlsx_floor')} {ratio('xlsx', 'xlsx_floor')}", f["xlsx_ms"] < TARGET_MS))
    print(line(f"export workbook XLSX ({f['workbook_sheets']} sheets, {f['workbook_rows']:,} rows)", shown("workbook"),
               "< 1000 ms", f"openpyxl {shown('workbook_floor')} {ratio('workbook', 'workbook_floor')}",
               f["workbook_ms"] < TARGET_MS))
    print(line(f"export 销售流水 PDF ({f['pdf_pages']:,} pages)", shown("pdf"), "< 1000 ms",
               f"{f['pdf_pages_per_s']:.0f} pages/s; reportlab canvas {f['pdf_floor_pages_per_s']:.0f}/s",
               f["pdf_ms"] < TARGET_MS))
    print(f"   (reportlab's bare canvas, no table, would take {f['pdf_floor_month_s_est']:.0f} s for the month's pages; "
          f"the file {f['pdf_bytes'] / 1e6:.1f} MB); 销售日报 as PDF {f['pdf_daily_ms']:.0f} ms")


def main() -> dict[str, dict]:
    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.services.period_reports import REPORT_NAMES
    from pos.services.ports import FixedClock

    work = DATA / "reports"
    work.mkdir(parents=True, exist_ok=True)
    db = work / "month.db"
    for suffix in ("", "-wal", "-shm"):
        (work / f"month.db{suffix}").unlink(missing_ok=True)
    with bench_home("reports"):
        clock = FixedClock(datetime(2026, 12, 1, 2, tzinfo=UTC))
        till = open_till(load_config(db=db, printer="dummy:"), create=True, demo=True, clock=clock)
        terminal = till.identity.terminal_id
        till.close()
        t = time.perf_counter()
        counts = fill_month(db, terminal, REPORT_SALES)
        fill_s = time.perf_counter() - t
        print(f"   a month of {counts['sales']:,} sales ({counts['lines']:,} lines, {counts['returns']:,} returns, "
              f"{counts['moves']:,} stock moves) written in {fill_s:.1f} s")
        a, b = FIRST, FIRST + timedelta(days=DAYS - 1)
        bare = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        floor_sql = ("SELECT sl.category, SUM(sl.net_fen) FROM sales AS s JOIN sale_lines AS sl ON sl.receipt_no = "
                     "s.receipt_no WHERE s.business_day BETWEEN ? AND ? AND s.training = 0 GROUP BY sl.category")
        args = (a.isoformat(), b.isoformat())
        bare.execute(floor_sql, args).fetchall()
        floor_ms, floor_cpu_ms = _median_ms(lambda: bare.execute(floor_sql, args).fetchall())
        bare.close()
        till = open_till(load_config(db=db, printer="dummy:"), clock=clock)
        per: dict[str, dict[str, float]] = {}
        built = {}
        try:
            for name in REPORT_NAMES:
                report = built[name] = till.period_reports.build(name, a, b)  # warm-up (and the row count)
                svc = till.period_reports  # each run cold: the figures a report keeps for the next are dropped
                wall, cpu = _median_ms(lambda n=name, svc=svc: (svc.forget(), svc.build(n, a, b)))
                per[name] = {"ms": wall, "cpu_ms": cpu, "rows": len(report.rows)}
        finally:
            till.close()
    worst = max(v["ms"] for v in per.values())
    results = {"period_reports": {
        "report_ms": {k: v["ms"] for k, v in per.items()}, "report_cpu_ms": {k: v["cpu_ms"] for k, v in per.items()},
        "rows": {k: v["rows"] for k, v in per.items()}, "worst_ms": worst,
        "worst_cpu_ms": max(v["cpu_ms"] for v in per.values()), "floor_ms": floor_ms, "floor_cpu_ms": floor_cpu_ms,
        "floor_what": "bare GROUP BY over the month's sale lines joined to sales",
        "ratio_worst_to_floor": round(worst / max(floor_ms, 1e-6), 1), "target_ms": TARGET_MS, **counts,
        "load_1min": round(os.getloadavg()[0], 2), "filling_s": round(fill_s, 1)}}
    if not os.environ.get("BENCH_NO_EXPORTS"):
        results["report_exports"] = export_figures(built, work)
    record(results)
    print(f"   bare GROUP BY over the month's sale lines: {floor_ms:.1f} ms ({floor_cpu_ms:.1f} ms CPU); "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, v in per.items():
        print(line(f"report {name} ({v['rows']:,} rows)", f"{v['ms']:.1f} ms", f"< {TARGET_MS:.0f} ms",
                   f"CPU {v['cpu_ms']:.0f} ms; floor ×{v['ms'] / max(floor_ms, 1e-6):.1f}", v["ms"] < TARGET_MS))
    if "report_exports" in results:
        _print_exports(results["report_exports"])
    return results


if __name__ == "__main__":
    main()
