"""The WAL is copied back into the database file in the background (issue 14, the sale commit's p99):
after each pause between customers, so the next sale's COMMIT writes the WAL from its beginning and
never runs SQLite's own checkpoint (left as the bound for a till that never pauses); every committed
sale stays readable, and closing the till stops the background thread."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from pos.store import writer as W
from tests.conftest import login_cashier


def _sell(till, n: int) -> None:  # noqa: ANN001
    with sqlite3.connect(till.db.path) as c:
        code = c.execute("SELECT barcode FROM products WHERE store_code='MX' AND barcode IS NOT NULL "
                         "ORDER BY sku LIMIT 1").fetchone()[0]
    cashier = login_cashier(till)
    for _ in range(n):
        till.checkout.complete_sale(Cart().add(till.lookup.find(code)), [Tender(TenderKind.CASH, 100_000)], cashier)


def _wal_restarts(path: Path) -> bytes:
    with open(f"{path}-wal", "rb") as fh:
        return fh.read(16)[12:16]  # the WAL header's checkpoint sequence: it changes when the WAL starts over


def _wait(pred, timeout: float = 10.0) -> bool:  # noqa: ANN001
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


def test_between_customers_the_wal_is_copied_back_and_each_sale_starts_it_over(demo_till) -> None:  # noqa: ANN001
    path = demo_till.db.path
    cp = W.checkpointer_of(demo_till.db)
    _sell(demo_till, 1)
    seen = {_wal_restarts(path)}
    for n in range(5):
        runs = cp.runs
        assert _wait(lambda runs=runs: cp.runs > runs)  # the pause after the sale: checkpointed
        assert cp.last is not None and cp.last[0] == 0 and cp.last[1] == cp.last[2]
        _sell(demo_till, 1)  # so this sale writes the WAL from its beginning: no checkpoint in its COMMIT
        seen.add(_wal_restarts(path))
        assert len(seen) == n + 2
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
        assert c.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 6


def test_back_to_back_sales_keep_sqlites_own_bound_and_lose_nothing(demo_till) -> None:  # noqa: ANN001
    cache = W.cache_of(demo_till.db)
    proxy, held = cache.checkout(demo_till.db.writer)
    try:
        assert proxy.driver_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == W.WAL_AUTOCHECKPOINT_PAGES
    finally:
        cache.checkin(proxy, held)
    _sell(demo_till, 40)
    assert Path(f"{demo_till.db.path}-wal").stat().st_size < 2 * W.WAL_AUTOCHECKPOINT_PAGES * 4096
    with sqlite3.connect(f"file:{demo_till.db.path}?mode=ro", uri=True) as c:
        assert c.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 40


def test_an_idle_till_is_checkpointed_after_a_single_sale(demo_till) -> None:  # noqa: ANN001
    cp = W.checkpointer_of(demo_till.db)
    runs = cp.runs
    _sell(demo_till, 1)
    assert _wait(lambda: cp.runs > runs, timeout=W.CHECKPOINT_IDLE_S * 10)


def test_closing_the_till_stops_the_checkpoint_thread(fresh_till) -> None:  # noqa: ANN001
    from pos.domain.closing import CashCount

    fresh_till.shifts.open(login_cashier(fresh_till), CashCount())
    _sell(fresh_till, 2)
    thread = W.checkpointer_of(fresh_till.db)._thread
    assert thread is not None and thread.is_alive()
    fresh_till.close()
    assert not thread.is_alive()
    assert "wal-checkpoint" not in {t.name for t in threading.enumerate() if t is thread}
