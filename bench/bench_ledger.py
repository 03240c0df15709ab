"""Durable sale commit (journal + read models, WAL + FULL) and the Z closure of a busy day."""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta

from .catalog_db import config, ensure_catalog
from .common import DATA, bench_home, generate_products, line, record, summary_ms, timed

COMMITS = 600
Z_SALES = 5000


def _carts(till, rnd: random.Random, n: int):  # noqa: ANN001, ANN202
    from pos.domain.cart import Cart

    products = [till.lookup.find(p.barcode) for p, _ in zip(generate_products(5000), range(400), strict=False) if p.barcode]
    carts = []
    for _ in range(n):
        cart = Cart()
        for p in rnd.sample(products, rnd.randint(1, 5)):
            cart = cart.add(p, rnd.randint(1, 3))
        carts.append(cart)
    return carts


def _fresh_till(name: str):  # noqa: ANN202
    """A copy of the big catalogue's database, so sales never accumulate in the shared one."""
    from pos.bootstrap import open_till
    from pos.services.ports import FixedClock

    src, _ = ensure_catalog()
    dst = DATA / f"{name}.db"
    for p in DATA.glob(f"{name}.db*"):
        p.unlink()
    s, d = sqlite3.connect(src), sqlite3.connect(dst)
    s.backup(d)
    s.close()
    d.close()
    return open_till(config(dst), clock=FixedClock(datetime(2026, 11, 22, 1, tzinfo=UTC), timedelta(milliseconds=50)))


def main() -> dict[str, dict]:
    from pos.domain.closing import CashCount
    from pos.domain.tenders import Tender, TenderKind

    rnd = random.Random(5)
    with bench_home("ledger"):
        till = _fresh_till("commit")
        try:
            cashier = till.auth.login("cashier1", "1111")
            till.shifts.open(cashier, CashCount())
            carts = _carts(till, rnd, COMMITS)
            tender = lambda c: [Tender(TenderKind.CASH, till.checkout.totals(c).total_fen + 10_000)]  # noqa: E731
            for c in carts[:20]:
                till.checkout.complete_sale(c, tender(c), cashier)
            samples = []
            for c in carts:
                t = time.perf_counter()
                till.checkout.complete_sale(c, tender(c), cashier)
                samples.append(time.perf_counter() - t)
            commit = summary_ms(samples)
            path = till.db.path
        finally:
            till.close()
        raw = sqlite3.connect(DATA / "baseline.db", isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload TEXT)")

        def bare() -> None:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO t (payload) VALUES (?)", ('{"receipt_no":"MX01-20261122-0001","total":4500}',))
            raw.execute("COMMIT")

        base = summary_ms(timed(bare, COMMITS))
        raw.close()

        till = _fresh_till("zday")
        try:
            cashier = till.auth.login("cashier1", "1111")
            manager = till.auth.login("manager1", "2222")
            till.shifts.open(cashier, CashCount())
            carts = _carts(till, rnd, 200)
            t = time.perf_counter()
            for i in range(Z_SALES):
                c = carts[i % len(carts)]
                till.checkout.complete_sale(c, tender(c), cashier)
            fill_s = time.perf_counter() - t
            till.shifts.close(cashier, CashCount())
            t = time.perf_counter()
            z = till.closing.z_close(manager)
            z_s = time.perf_counter() - t
            assert z.totals.sales_count == Z_SALES + 0
        finally:
            till.close()
    results = {
        "sale_commit": {**commit, "target_p99_ms": 15, "baseline_insert_p50_ms": base["p50_ms"],
                        "baseline_insert_p99_ms": base["p99_ms"],
                        "ratio_p50": round(commit["p50_ms"] / max(base["p50_ms"], 1e-6), 2), "db": str(path.name)},
        "z_closure": {"seconds": round(z_s, 3), "target_s": 0.5, "sales": Z_SALES,
                      "filling_sales_per_s": round(Z_SALES / fill_s)},
    }
    print(line("durable sale commit p50 / p99", f"{commit['p50_ms']:.2f} / {commit['p99_ms']:.2f} ms", "p99 ≤ 15 ms",
               f"bare insert {base['p50_ms']:.2f}/{base['p99_ms']:.2f} ms", commit["p99_ms"] <= 15))
    print(line("  ratio to a bare insert + commit (p50)", f"×{results['sale_commit']['ratio_p50']}", "", "", None))
    print(line(f"Z closure of a day with {Z_SALES:,} sales", f"{z_s:.3f} s", "≤ 0.5 s",
               f"({Z_SALES / fill_s:.0f} sales/s to fill)", z_s <= 0.5))
    record(results)
    return results


if __name__ == "__main__":
    main()
