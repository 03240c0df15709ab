"""Dashboard pages for a year of 50 counters (issue 12: every page under 300 ms).

The year is GENERATED STRAIGHT INTO THE DERIVED TABLES with bulk inserts (dash_sales,
dash_origin, dash_tenders, dash_days — what derive.py keeps from the tills' journals), not by
replaying a year of journal entries through the sync API: 50 counters (5 stores × 10) × 365
business days, each counter-day selling 30 of 150 products from the aided counties, Pinghu and
elsewhere, paid by three tenders, with shift closes, Zs and reconciliations. That is 547,500
product rows, 110,000-odd county rows. ``BENCH_DASH_COUNTERS``, ``BENCH_DASH_DAYS`` and
``BENCH_DASH_PRODUCTS_PER_DAY`` change the size.

Then ``python main.py headoffice serve`` in a process of its own, an analyst logged in through
the real login form, and every dashboard page (overview by day / ISO week / month over a month,
a quarter and the whole year; products; tenders; counter-days; batches) fetched over loopback
HTTP, 12 times each, p50 / p99 reported. Floor, in the same run and on the same database: one
plain ``SELECT count(*)`` over dash_sales (the table the products page reads), and over
dash_origin (the overview's). On SQLite (a single office PC) always; on PostgreSQL too when its
server binaries are installed (the throw-away cluster of bench_headoffice_sync).
"""

from __future__ import annotations

import json
import os
import random
import re
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .common import free_port, line, machine, percentile, record, serve_headoffice

COUNTERS = int(os.environ.get("BENCH_DASH_COUNTERS", "50"))
DAYS = int(os.environ.get("BENCH_DASH_DAYS", "365"))
PER_DAY = int(os.environ.get("BENCH_DASH_PRODUCTS_PER_DAY", "30"))
LAST_DAY = date(2026, 11, 30)
REPEAT = 12
TARGET_MS = 300
ORIGINS = ("茂县", "松阳", "青田", "九寨沟", "平湖", "平湖", "丽水", "")
CATEGORIES = ("水果", "肉禽蛋", "粮油", "调味品", "干货", "服装", "礼盒", "茶叶")


def _products(n: int = 150, seed: int = 3) -> list[tuple[str, str, str, str, bool]]:
    rnd = random.Random(seed)
    return [(f"P{i:04d}", f"{(o := rnd.choice(ORIGINS)) or '无产地'}商品{i}", o, rnd.choice(CATEGORIES), rnd.random() < 0.2)
            for i in range(n)]


def generate(engine, counters: int = COUNTERS, days: int = DAYS, per_day: int = PER_DAY) -> dict[str, int]:  # noqa: ANN001
    """Fill the derived tables with a year of ``counters`` counters (bulk inserts, 20,000 rows a go)."""
    from sqlalchemy import insert

    from headoffice.schema import terminals
    from headoffice.schema_dashboard import DERIVED, dash_days, dash_origin, dash_sales, dash_tenders

    rnd = random.Random(11)
    products = _products()
    ids = [(f"S{c // 10:02d}", f"T{c:03d}") for c in range(counters)]
    counts = {t.name: 0 for t in DERIVED}
    buffers: dict[Any, list[dict[str, Any]]] = {t: [] for t in DERIVED}

    def flush(conn, force: bool = False) -> None:  # noqa: ANN001
        for t, rows in buffers.items():
            if rows and (force or len(rows) >= 20_000):
                conn.execute(insert(t), rows)
                counts[t.name] += len(rows)
                rows.clear()

    with engine.begin() as conn:
        conn.execute(insert(terminals), [{"terminal_id": t, "store_code": s, "status": "active", "code_attempts": 0,
                                          "created_at": "2025-11-01T00:00:00Z", "last_seq": 0, "flagged": False}
                                         for s, t in ids])
        for d_i in range(days):
            day = LAST_DAY - timedelta(days=days - 1 - d_i)
            iso, (y, w, _), month = day.isoformat(), day.isocalendar(), day.isoformat()[:7]
            week = f"{y}-W{w:02d}"
            for store, term in ids:
                by_origin: dict[str, list[int]] = {}
                total = returns = 0
                for sku, name, origin, cat, weighed in rnd.sample(products, per_day):
                    s = rnd.randint(500, 40_000)
                    r = s // 3 if rnd.random() < 0.03 else 0
                    buffers[dash_sales].append({
                        "terminal_id": term, "business_day": iso, "origin": origin, "category": cat, "sku": sku,
                        "batch": "", "store_code": store, "week": week, "month": month, "name": name, "weighed": weighed,
                        "quantity": rnd.randint(1, 9) * (1000 if weighed else 1), "sales_fen": s, "returns_fen": r})
                    o = by_origin.setdefault(origin, [0, 0])
                    o[0] += s
                    o[1] += r
                    total += s
                    returns += r
                buffers[dash_origin].extend({"terminal_id": term, "business_day": iso, "origin": o, "store_code": store,
                                             "week": week, "month": month, "sales_fen": v[0], "returns_fen": v[1]}
                                            for o, v in by_origin.items())
                cash = total * 3 // 10
                for tender, amount in (("cash", cash), ("wechat", total // 2), ("alipay", total - cash - total // 2)):
                    buffers[dash_tenders].append({"terminal_id": term, "business_day": iso, "tender": tender,
                                                  "store_code": store, "paid_fen": amount,
                                                  "refunded_fen": returns if tender == "cash" else 0,
                                                  "payments": rnd.randint(5, 60)})
                over = rnd.choice((0, 0, 0, 0, -100, 50, -1000))
                state = rnd.choice((1, 2, 3, 3, 3)) if d_i < days - 2 else 0
                buffers[dash_days].append({
                    "terminal_id": term, "business_day": iso, "store_code": store, "sales_fen": total,
                    "returns_fen": returns, "receipts": rnd.randint(20, 120), "return_docs": 1 if returns else 0,
                    "training_docs": 0, "voids": 0, "cash_in_fen": 0, "cash_out_fen": 0, "shifts_closed": 2,
                    "counted_fen": cash - returns + over, "expected_cash_fen": cash - returns, "over_short_fen": over,
                    "z_seq": d_i + 1 if state else None, "z_net_fen": total - returns if state else None,
                    "recon_state": state, "declared_fen": total - returns if state >= 2 else None,
                    "recon_variance_fen": 0 if state == 3 else None})
            flush(conn)
        flush(conn, force=True)
    with engine.begin() as conn:
        counts.update(_rollups(conn))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
    return counts


def _rollups(conn) -> dict[str, int]:  # noqa: ANN001
    """The roll-up tables summed from the generated ones with INSERT … SELECT … GROUP BY."""
    from sqlalchemy import case, func, insert, literal_column, select

    from headoffice.schema_dashboard import ROLLUPS, dash_origin, dash_sales, dash_tenders

    sources = {"origins": dash_origin, "sales": dash_sales, "tenders": dash_tenders}
    out = {}
    for table, source, keys, carry, add in ROLLUPS:
        t = sources[source]

        def col(name: str, t=t):  # noqa: ANN001, ANN202
            # literal arguments: PostgreSQL matches the GROUP BY expression only without bound parameters
            return t.c[name] if name in t.c else func.substr(t.c.business_day, literal_column("1"), literal_column("7"))

        cols = [col(k).label(k) for k in keys]
        cols += [(func.max(case((t.c.weighed, 1), else_=0)) == 1).label(c) if c == "weighed" else func.max(col(c)).label(c)
                 for c in carry]
        cols += [func.sum(t.c[a]).label(a) for a in add]
        conn.execute(insert(table).from_select([*keys, *carry, *add], select(*cols).group_by(*[col(k) for k in keys])))
        out[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    return out


def _login(base: str, login: str, password: str):  # noqa: ANN202
    import httpx

    first = httpx.get(f"{base}/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', first.text).group(1)
    jar = "; ".join(f"{k}={v}" for k, v in first.cookies.items())
    resp = httpx.post(f"{base}/login", data={"login": login, "password": password, "csrf": csrf, "next": "/dashboard"},
                      headers={"Cookie": jar})
    assert resp.status_code == 303, resp.text[:300]
    session = resp.cookies.get("lx_session")
    return httpx.Client(base_url=base, headers={"Cookie": f"lx_session={session}", "Accept": "text/html"}, timeout=60)


PAGES = [
    ("overview, latest month by day", "/dashboard", {}),
    ("overview, a quarter by ISO week", "/dashboard", {"from": "2026-09-01", "to": "2026-11-30", "group": "week"}),
    ("overview, the whole year by day", "/dashboard", {"from": "2025-12-01", "to": "2026-11-30"}),
    ("overview, the whole year by month", "/dashboard", {"from": "2025-12-01", "to": "2026-11-30", "group": "month"}),
    ("overview, one store, the year by week", "/dashboard", {"from": "2025-12-01", "to": "2026-11-30", "store": "S02",
                                                             "group": "week"}),
    ("products, latest month", "/dashboard/products", {}),
    ("products, the whole year", "/dashboard/products", {"from": "2025-12-01", "to": "2026-11-30"}),
    ("tenders, the whole year", "/dashboard/tenders", {"from": "2025-12-01", "to": "2026-11-30"}),
    ("counter-days, the whole year", "/dashboard/days", {"from": "2025-12-01", "to": "2026-11-30"}),
    ("batches, the whole year", "/dashboard/batches", {"from": "2025-12-01", "to": "2026-11-30"}),
]


def measure(db_url: str, label: str) -> dict[str, Any]:
    from sqlalchemy import func, select

    from headoffice.accounts import create_account
    from headoffice.db import open_engine
    from headoffice.schema_dashboard import dash_origin, dash_sales

    engine = open_engine(db_url)
    t = time.perf_counter()
    counts = generate(engine)
    gen_s = time.perf_counter() - t
    create_account(engine, "bench", "Bench", "bench-password-123", "analyst", by="bench")
    floors = {}
    for table in (dash_sales, dash_origin):
        samples = []
        for _ in range(REPEAT):
            t = time.perf_counter()
            with engine.connect() as conn:
                conn.execute(select(func.count()).select_from(table)).scalar_one()
            samples.append(time.perf_counter() - t)
        floors[table.name] = round(percentile([s * 1000 for s in samples], 50), 1)
    engine.dispose()
    port = free_port()
    proc = serve_headoffice(db_url, port, "--insecure-cookies")
    pages: dict[str, dict[str, float]] = {}
    try:
        client = _login(f"http://127.0.0.1:{port}", "bench", "bench-password-123")
        for name, path, params in [*PAGES, ("XLSX export of every table, the whole year", "/dashboard/export.xlsx",
                                            {"from": "2025-12-01", "to": "2026-11-30", "table": "all"})]:
            samples = []
            for i in range(REPEAT + 1):
                t = time.perf_counter()
                resp = client.get(path, params=params)
                dt = time.perf_counter() - t
                assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
                if i:  # the first fetch warms the server's caches (templates, connection pool)
                    samples.append(dt * 1000)
            pages[name] = {"p50_ms": round(percentile(samples, 50), 1), "p99_ms": round(percentile(samples, 99), 1),
                           "bytes": len(resp.content)}
        client.close()
    finally:
        proc.terminate()
        proc.wait(20)
    worst = max(v["p99_ms"] for k, v in pages.items() if not k.startswith("XLSX"))
    print(f"   {label}: generated {counts['dash_sales']:,} product rows, {counts['dash_origin']:,} county rows, "
          f"{counts['dash_days']:,} counter-days in {gen_s:.0f} s (bulk INSERT straight into the derived tables)")
    for name, v in pages.items():
        target = "—" if name.startswith("XLSX") else f"p99 < {TARGET_MS} ms"
        ok = None if name.startswith("XLSX") else v["p99_ms"] < TARGET_MS
        print(line(f"{label}: {name}", f"{v['p50_ms']:.0f} / {v['p99_ms']:.0f} ms", target,
                   f"count(*) {floors['dash_sales']:.0f} ms", ok))
    return {"database": label, "counters": COUNTERS, "days": DAYS, "rows": counts, "generate_s": round(gen_s, 1),
            "pages": pages, "worst_page_p99_ms": worst, "target_ms": TARGET_MS, "met": worst < TARGET_MS,
            "floor_count_ms": floors, "how": "derived tables filled by bulk INSERT (no journal replay); pages over "
            "loopback HTTP from `headoffice serve`, 12 fetches each after one warm-up"}


def main() -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="lianxin-bench-dash-") as tmp:
        results["dashboard_sqlite"] = measure(f"sqlite:///{Path(tmp) / 'ho.db'}", "SQLite")
    if os.environ.get("BENCH_DASH_PG", "1") != "0":
        from .common import postgres_binaries, postgres_cluster

        if postgres_binaries() is not None:
            with postgres_cluster(durable=True) as url:
                results["dashboard_postgres"] = measure(url, "PostgreSQL")
        else:
            print("   PostgreSQL not installed: SQLite only")
    path = record(results)
    own = path.with_name("dashboard.json")  # this benchmark's last run on its own, beside latest.json
    own.write_text(json.dumps({"figures": results, "machine": machine(), "taken_at": json.loads(path.read_text())["taken_at"]},
                              ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return results


if __name__ == "__main__":
    main()
