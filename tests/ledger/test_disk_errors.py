"""Disk full, a read-only database, an I/O error during a sale: refused in plain words, nothing
half-written, and the till sells again once the disk is back.

How they are simulated (no root, no mounts in CI):

* disk full — ``PRAGMA max_page_count`` set to the database's current size on every writer
  connection: the next page SQLite needs fails with SQLITE_FULL "database or disk is full",
  exactly what a full disk gives;
* read-only — ``PRAGMA query_only`` on the writer connections, and separately the writer opened
  through a ``?mode=ro`` URI (chmod 0444 would not do: root ignores file modes); both give
  SQLITE_READONLY "attempt to write a readonly database";
* I/O error — only the translation is tested (sqlite3's own error), not a failing disk.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from pos.store.db import (
    CorruptDatabase,
    DatabaseBusy,
    DiskFull,
    DiskIOError,
    ReadOnlyDatabase,
    StoreError,
    _make_engine,
    translate_error,
)
from tests.ledger.ledgers import barcodes, sell

COUNTS = ("journal", "sales", "sale_lines", "payments")


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as c:
        return {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTS}


@contextmanager
def on_writer_connections(engine: Engine, pragma: Callable[[sqlite3.Connection], None]) -> Iterator[None]:
    """Run ``pragma`` on every new writer connection; the pool is emptied so that all are new."""
    def hook(dbapi_conn, _record) -> None:  # noqa: ANN001
        pragma(dbapi_conn)

    event.listen(engine, "connect", hook)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", hook)
        engine.dispose()  # "the disk is back": fresh connections without the limit


def _page_limit(dbapi_conn: sqlite3.Connection) -> None:
    pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
    dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_refuses_the_sale_leaves_nothing_and_the_till_recovers(demo_till) -> None:
    rng, codes = random.Random(3), barcodes(demo_till)
    cashier = demo_till.auth.login("cashier1", "1111")
    sell(demo_till, cashier, rng, codes)
    refused = None
    with on_writer_connections(demo_till.db.writer, _page_limit):
        for _ in range(200):  # the first sale that needs a new page is refused
            before = counts(demo_till.db.path)
            try:
                sell(demo_till, cashier, rng, codes, lines=3)
            except DiskFull as exc:
                refused = exc
                break
        assert refused is not None, "the page limit never bit"
        assert "磁盘已满" in refused.message_zh and "交易未保存" in refused.message_zh
        assert "disk is full" in refused.message and "not saved" in refused.message
        assert counts(demo_till.db.path) == before  # nothing half-written
        assert demo_till.verify().ok
        with pytest.raises(DiskFull):  # still full: still refused, still nothing written
            sell(demo_till, cashier, rng, codes, lines=3)
        assert counts(demo_till.db.path) == before
    done = sell(demo_till, cashier, rng, codes, lines=3)  # space again: the till just sells
    after = counts(demo_till.db.path)
    assert after["journal"] == before["journal"] + 1 and after["sales"] == before["sales"] + 1
    assert done.seq == before["journal"] + 1  # no gap in the chain, no receipt number burnt
    assert done.sale.receipt_no.endswith(f"{before['sales'] + 1:04d}")
    assert demo_till.verify().ok


def test_a_read_only_database_refuses_the_sale_in_plain_words(demo_till) -> None:
    rng, codes = random.Random(4), barcodes(demo_till)
    cashier = demo_till.auth.login("cashier1", "1111")
    before = counts(demo_till.db.path)
    with on_writer_connections(demo_till.db.writer, lambda c: c.execute("PRAGMA query_only = ON")):
        with pytest.raises(ReadOnlyDatabase) as exc:
            sell(demo_till, cashier, rng, codes)
    assert "数据库只读" in exc.value.message_zh and "交易未保存" in exc.value.message_zh
    assert "read-only" in exc.value.message
    assert counts(demo_till.db.path) == before
    sell(demo_till, cashier, rng, codes)
    assert demo_till.verify().ok


def test_a_database_opened_read_only_through_a_uri_refuses_the_sale(demo_till) -> None:
    rng, codes = random.Random(5), barcodes(demo_till)
    cashier = demo_till.auth.login("cashier1", "1111")
    before = counts(demo_till.db.path)
    writer = demo_till.db.writer
    demo_till.db.writer = _make_engine(demo_till.db.path, read_only=False, open_mode="ro")
    try:
        with pytest.raises(ReadOnlyDatabase):
            sell(demo_till, cashier, rng, codes)
    finally:
        demo_till.db.writer.dispose()
        demo_till.db.writer = writer
    assert counts(demo_till.db.path) == before
    assert demo_till.verify().ok


@pytest.mark.parametrize("message, code, cls", [
    ("database or disk is full", 13, DiskFull),
    ("attempt to write a readonly database", 8, ReadOnlyDatabase),
    ("attempt to write a readonly database", 8 | (3 << 8), ReadOnlyDatabase),  # SQLITE_READONLY_ROLLBACK
    ("disk I/O error", 10 | (3 << 8), DiskIOError),  # SQLITE_IOERR_WRITE
    ("database disk image is malformed", 11, CorruptDatabase),
    ("database is locked", 5, DatabaseBusy),
])
def test_sqlite_failures_become_plain_store_errors(message: str, code: int, cls: type[StoreError]) -> None:
    err = sqlite3.OperationalError(message)
    err.sqlite_errorcode = code
    plain = translate_error(err)
    assert isinstance(plain, cls) and isinstance(plain, StoreError)
    assert plain.message_zh != plain.message and "\n" not in plain.message
    assert translate_error(sqlite3.OperationalError(message)).__class__ is cls  # by the words alone, too
    assert translate_error(sqlite3.IntegrityError("UNIQUE constraint failed: sales.receipt_no")) is None


def test_the_command_line_says_disk_full_in_one_line_and_exits_2(demo_till, capsys: pytest.CaptureFixture[str]) -> None:
    from pos.cli import main

    code = barcodes(demo_till)[0]
    path = demo_till.db.path
    demo_till.close()

    def limit(dbapi_conn, _record) -> None:  # noqa: ANN001 - every engine the command builds
        _page_limit(dbapi_conn)

    event.listen(Engine, "connect", limit)
    try:
        for _ in range(40):  # each run that still fits in the pages already there just sells
            before = counts(path)
            status = main(["--db", str(path), "--printer", "dummy:", "sell", "--cashier", "cashier1", "--pin", "1111",
                           "--scan", code, "--pay", "cash:1000"])
            err = capsys.readouterr().err
            if status != 0:
                break
    finally:
        event.remove(Engine, "connect", limit)
    assert status == 2
    assert err.count("\n") == 1 and "磁盘已满" in err and "disk is full" in err and "Traceback" not in err
    after = counts(path)
    assert {t: after[t] for t in COUNTS[1:]} == {t: before[t] for t in COUNTS[1:]}  # no part of the sale
    with sqlite3.connect(path) as c:  # the cashier's login (its own transaction) may have got in before the sale
        kinds = [k for (k,) in c.execute("SELECT kind FROM journal WHERE seq > ?", (before["journal"],))]
    assert kinds in ([], ["login"])
