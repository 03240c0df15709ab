"""The WAL is copied back into the database file in the background (issue 14, the sale commit's p99):
after each pause between customers, so the next sale's COMMIT writes the WAL from its beginning and
never runs SQLite's own checkpoint (left as the bound for a till that never pauses); every committed
sale stays readable, and closing the till stops the background thread."""

from __future__ import annotations

import sqlite3
import struct
import threading
import time
from pathlib import Path

from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from pos.store import writer as W
from tests.conftest import login_cashier


def _sell(till, n: int, cashier=None) -> None:  # noqa: ANN001
    with sqlite3.connect(till.db.path) as c:
        code = c.execute("SELECT barcode FROM products WHERE store_code='MX' AND barcode IS NOT NULL "
                         "ORDER BY sku LIMIT 1").fetchone()[0]
    cashier = cashier or login_cashier(till)
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


def _wal_frames(path: Path) -> int:
    with open(f"{path}-shm", "rb") as fh:
        return struct.unpack("=I", fh.read(20)[16:20])[0]  # mxFrame of the WAL index: frames in the WAL now


def test_between_customers_the_wal_is_copied_back_and_started_over_before_the_next_sale(demo_till) -> None:  # noqa: ANN001
    path = demo_till.db.path
    cp, cache = W.checkpointer_of(demo_till.db), W.cache_of(demo_till.db)
    # a pause of 0.5 s, not 0.1: the checks right after each sale below must not meet the next pause's checkpoint
    cp.idle_s = 0.5
    cashier = login_cashier(demo_till)
    _sell(demo_till, 1, cashier)
    seen = {_wal_restarts(path)}
    for n in range(5):
        started = cp.started_over
        # the pause after the sale: checkpointed, and the WAL started over by the checkpoint thread (on the
        # writer's connection): one frame in it, a new header
        assert _wait(lambda started=started: cp.started_over > started)
        assert cp.last is not None and cp.last[0] == 0 and cp.last[1] == cp.last[2]
        assert _wal_frames(path) == 1
        seen.add(_wal_restarts(path))
        assert len(seen) == n + 2
        drops = cache.drops
        _sell(demo_till, 1, cashier)  # so this sale appends to that WAL: neither a checkpoint nor a new header in its COMMIT
        assert _wal_restarts(path) in seen and len(seen) == n + 2
        assert _wal_frames(path) > 1
        assert cache.drops == drops  # starting the WAL over changed nothing the writer keeps
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
        assert c.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 6
        assert c.execute("PRAGMA user_version").fetchone()[0] == 0  # written again with the value it held
    assert demo_till.verify().ok


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


def _two_sales_by_hand(till):  # noqa: ANN001, ANN202
    """(cache, checkpointer, cashier) after two sales, the checkpoint thread stopped before them: the test
    runs the checkpoint and the WAL's restart itself."""
    cache, cp = W.cache_of(till.db), W.checkpointer_of(till.db)
    cp.stop()
    cashier = login_cashier(till)
    _sell(till, 2, cashier)
    return cache, cp, cashier


def _sales_in_file(till) -> int:  # noqa: ANN001
    with sqlite3.connect(f"file:{till.db.path}?mode=ro", uri=True) as c:
        return c.execute("SELECT COUNT(*) FROM sales").fetchone()[0]


def test_the_wal_is_not_started_over_under_a_sale_in_progress(demo_till) -> None:  # noqa: ANN001
    cache, cp, cashier = _two_sales_by_hand(demo_till)
    proxy, held = cache.checkout(demo_till.db.writer)  # a sale holding the writer's connection …
    assert held
    try:
        assert cp.run_once() is not None and _wal_frames(demo_till.db.path) > 1
        assert cache.start_wal_over() is False  # … is never written under
        proxy.driver_connection.execute("BEGIN IMMEDIATE")
    finally:
        cache.checkin(proxy, held)
    assert cache.start_wal_over() is False  # nor is a transaction left open on it
    proxy.driver_connection.execute("ROLLBACK")
    assert cache.start_wal_over() is True
    assert _wal_frames(demo_till.db.path) == 1
    _sell(demo_till, 1, cashier)
    assert _sales_in_file(demo_till) == 3


def test_another_program_holding_the_write_lock_is_not_waited_for(demo_till) -> None:  # noqa: ANN001
    from pos.store.db import BUSY_TIMEOUT_MS

    cache, cp, cashier = _two_sales_by_hand(demo_till)
    assert cp.run_once() is not None
    other = sqlite3.connect(demo_till.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the CLI, say, in the middle of a write
    try:
        began = time.monotonic()
        assert cache.start_wal_over() is False
        assert time.monotonic() - began < BUSY_TIMEOUT_MS / 1000 / 2  # it gave up at once, not after the busy timeout
    finally:
        other.execute("ROLLBACK")
        other.close()
    proxy, held = cache.checkout(demo_till.db.writer)
    try:  # the writer's connection waits for a busy database as before
        assert proxy.driver_connection.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    finally:
        cache.checkin(proxy, held)
    assert cache.start_wal_over() is True
    _sell(demo_till, 1, cashier)
    assert _sales_in_file(demo_till) == 3


def test_a_sale_that_comes_while_the_wal_is_started_over_waits_for_it_and_keeps_the_cache(demo_till) -> None:  # noqa: ANN001
    cache, _cp, cashier = _two_sales_by_hand(demo_till)
    drops = cache.drops
    cache.held_lock.acquire()  # start_wal_over at work on the writer's connection …
    cache.restarting = True

    def done() -> None:
        time.sleep(0.05)
        cache.restarting = False
        cache.held_lock.release()

    finisher = threading.Thread(target=done)
    finisher.start()
    try:
        _sell(demo_till, 1, cashier)  # … the sale waits for it and then uses that connection, not another one
    finally:
        finisher.join()
    assert cache.drops == drops
    _sell(demo_till, 1, cashier)
    assert cache.drops == drops
    assert _sales_in_file(demo_till) == 4
