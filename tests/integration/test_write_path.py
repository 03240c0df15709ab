"""The sale / return / void write path on plain sqlite3 (issue 14): what the writer caches never
forks the chain or reuses a receipt number, a rolled-back sale leaves the cache as it was, the
payload is serialised once with the hash unchanged, and a full disk is still a plain refusal."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event

from pos.bootstrap import open_till
from pos.domain import ledger as ledger_mod
from pos.domain.cart import Cart
from pos.domain.ledger import ChainHead, canonical_json, compute_hash, next_entry, next_entry_text
from pos.domain.tenders import Tender, TenderKind
from pos.store import projections
from pos.store import writer as W
from pos.store.db import DiskFull
from tests.conftest import login_cashier

ROOT = Path(__file__).resolve().parents[2]


def _codes(till, n: int = 3) -> list[str]:
    with sqlite3.connect(till.db.path) as c:
        return [r[0] for r in c.execute(
            "SELECT barcode FROM products WHERE store_code='MX' AND barcode IS NOT NULL ORDER BY sku LIMIT ?", (n,))]


def _sell(till, code: str, training: bool = False, cashier=None):  # noqa: ANN001
    cart = Cart().add(till.lookup.find(code))
    return till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, 100_000)], cashier or login_cashier(till),
                                       training=training)


def _receipts(till) -> list[str]:
    with sqlite3.connect(till.db.path) as c:
        return [r[0] for r in c.execute("SELECT receipt_no FROM sales ORDER BY rowid")]


def test_a_sale_written_by_another_connection_is_noticed_no_fork_no_reused_number(demo_till, config, clock) -> None:
    code = _codes(demo_till)[0]
    first = _sell(demo_till, code)  # the writer's cache is warm now
    other = open_till(config, clock=clock)  # another engine, other connections: like the CLI beside the till
    try:
        second = _sell(other, code)
    finally:
        other.close()
    third = _sell(demo_till, code)
    assert first.seq < second.seq < third.seq  # (the other till's login is journaled between)
    with sqlite3.connect(demo_till.db.path) as c:
        seqs = [r[0] for r in c.execute("SELECT seq FROM journal ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1)) and seqs[-1] == third.seq
    assert _receipts(demo_till) == ["MX01-20261122-0001", "MX01-20261122-0002", "MX01-20261122-0003"]
    assert demo_till.verify().ok


def test_a_sale_by_another_process_is_noticed(demo_till, tmp_path) -> None:
    """The command line in another process sells while the till runs; the till's next sale follows it."""
    code = _codes(demo_till)[0]
    _sell(demo_till, code)
    script = (
        "import sys; from datetime import UTC, datetime\n"
        "from pos.bootstrap import open_till; from pos.config import load_config\n"
        "from pos.domain.cart import Cart; from pos.domain.tenders import Tender, TenderKind\n"
        "from pos.services.ports import FixedClock\n"
        "till = open_till(load_config(db=sys.argv[1], printer='dummy:'),"
        " clock=FixedClock(datetime(2026, 11, 22, 3, tzinfo=UTC)))\n"
        "c = till.auth.login('cashier1', '1111')\n"
        "done = till.checkout.complete_sale(Cart().add(till.lookup.find(sys.argv[2])),"
        " [Tender(TenderKind.CASH, 100_000)], c)\n"
        "print(done.sale.receipt_no); till.close()\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(demo_till.db.path), code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "MX01-20261122-0002"
    assert _sell(demo_till, code).sale.receipt_no == "MX01-20261122-0003"
    assert demo_till.verify().ok


def test_a_shift_closed_elsewhere_is_noticed(demo_till, config, clock) -> None:
    """The open shift is cached; closing it through another connection makes the next sale ask again."""
    from pos.domain.closing import CashCount
    from pos.services.checkout import NoOpenShift

    code = _codes(demo_till)[0]
    _sell(demo_till, code)
    other = open_till(config, clock=clock)
    try:
        other.shifts.close(login_cashier(other), CashCount())
    finally:
        other.close()
    with pytest.raises(NoOpenShift):
        _sell(demo_till, code)


def test_a_rolled_back_sale_does_not_advance_the_cache(demo_till, monkeypatch: pytest.MonkeyPatch) -> None:
    code = _codes(demo_till)[0]
    cashier = login_cashier(demo_till)
    first = _sell(demo_till, code, cashier=cashier)  # the cache is warm: head, shift, day, next number
    drops = W.cache_of(demo_till.db).drops

    def boom(_conn, _entry) -> None:  # noqa: ANN001 - a fault after the journal row and the read models
        raise sqlite3.OperationalError("simulated fault")

    monkeypatch.setattr(projections.facts, "write", boom)
    with pytest.raises(Exception, match="simulated fault"):
        _sell(demo_till, code, cashier=cashier)
    monkeypatch.undo()
    # The same connection's own uncommitted writes must not leak into the cache either.
    with demo_till.uow() as uow:
        uow.journal.append("void", business_day="2026-11-22", created_at="2026-11-22T02:00:00Z",
                           payload={"cashier": "cashier1"})
        assert uow.documents.next_number("sale", "MX01-20261122-") == 2
        # no commit: rolled back
    assert W.cache_of(demo_till.db).drops == drops  # nothing else wrote: the cache was kept, not re-read
    again = _sell(demo_till, code, cashier=cashier)
    assert again.seq == first.seq + 1
    assert again.sale.receipt_no == "MX01-20261122-0002"
    assert demo_till.verify().ok


def test_a_failed_commit_drops_the_cache(demo_till) -> None:
    code = _codes(demo_till)[0]
    _sell(demo_till, code)
    cache = W.cache_of(demo_till.db)
    assert cache.values  # warm
    with demo_till.uow() as uow:
        uow.shifts.current()
        uow.hot.failed()
    assert not cache.values
    assert _sell(demo_till, code).sale.receipt_no == "MX01-20261122-0002"


def test_the_cache_is_used_and_followed(demo_till) -> None:
    """After the first sale, the next reads no head, no shift, no day and no receipt number from the
    database; the cached values move with each sale (training sales keep their own series)."""
    code = _codes(demo_till)[0]
    cashier = login_cashier(demo_till)
    _sell(demo_till, code, cashier=cashier)
    seen: list[str] = []

    def trace(conn, cursor, statement, *_):  # noqa: ANN001
        seen.append(statement)

    event.listen(demo_till.db.writer, "before_cursor_execute", trace)
    statements: list[str] = []
    with demo_till.uow() as uow:
        uow.raw.set_trace_callback(statements.append)
    try:
        for _ in range(3):
            _sell(demo_till, code, cashier=cashier)
        _sell(demo_till, code, training=True, cashier=cashier)
        _sell(demo_till, code, cashier=cashier)
    finally:
        event.remove(demo_till.db.writer, "before_cursor_execute", trace)
        with demo_till.uow() as uow:
            uow.raw.set_trace_callback(None)
    assert not seen  # no SQLAlchemy statement at all on the sale path
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    for sql in (W.SQL_JOURNAL_HEAD, W.SQL_OPEN_SHIFT, W.SQL_LAST_CLOSED_DAY):
        assert not any(sql.split(" WHERE")[0] in s for s in reads), sql
    assert _receipts(demo_till)[-5:] == ["MX01-20261122-0002", "MX01-20261122-0003", "MX01-20261122-0004",
                                         "MX01-20261122-T0001", "MX01-20261122-0005"]
    assert demo_till.verify().ok


def test_a_bundle_changed_in_a_unit_of_work_is_not_served_from_the_cache(demo_till) -> None:
    code = _codes(demo_till)[0]
    sold = demo_till.lookup.find(code)
    _sell(demo_till, code)
    with demo_till.uow() as uow:
        assert uow.bundles.components_of([sold.sku]) == {}
        uow.commit()
    other = _codes(demo_till, 3)[2]
    part = demo_till.lookup.find(other)
    with demo_till.uow() as uow:
        uow.bundles.put(sold.sku, [(part.sku, 2, None)])
        uow.commit()
    with demo_till.uow() as uow:
        parts = uow.bundles.components_of([sold.sku])
    assert [p[0] for p in parts[sold.sku]] == [part.sku]


def test_the_payload_is_serialised_once_and_hashes_as_before(demo_till, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = ledger_mod.canonical_json

    def counting(value):  # noqa: ANN001, ANN202
        if isinstance(value, dict) and "receipt_no" in value and "lines" in value:
            calls.append(value)
        return real(value)

    monkeypatch.setattr(ledger_mod, "canonical_json", counting)
    done = _sell(demo_till, _codes(demo_till)[0])
    monkeypatch.undo()
    assert len(calls) == 1
    with sqlite3.connect(demo_till.db.path) as c:
        payload, prev, digest = c.execute("SELECT payload, prev_hash, hash FROM journal WHERE seq = ?",
                                          (done.seq,)).fetchone()
    assert payload == canonical_json(done.sale.to_payload())
    entry, text = next_entry_text(ChainHead(done.seq - 1, prev), terminal_id="MX01", kind="sale",
                                  business_day="2026-11-22", created_at=done_created(demo_till, done.seq),
                                  payload=done.sale.to_payload())
    assert text == payload and entry.hash == digest
    # the hash is the one the old code computed: sha256(prev || canonical_json(entry without hash))
    assert compute_hash(prev, entry.body()) == digest
    assert next_entry(ChainHead(done.seq - 1, prev), terminal_id="MX01", kind="sale", business_day="2026-11-22",
                      created_at=entry.created_at, payload=done.sale.to_payload()) == entry


def done_created(till, seq: int) -> str:
    with sqlite3.connect(till.db.path) as c:
        return c.execute("SELECT created_at FROM journal WHERE seq = ?", (seq,)).fetchone()[0]


def test_a_full_disk_is_a_plain_refusal_and_the_number_is_not_lost(demo_till) -> None:
    code = _codes(demo_till)[0]
    _sell(demo_till, code)  # warm cache

    def full(dbapi_conn, _record) -> None:  # noqa: ANN001
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    engine = demo_till.db.writer
    event.listen(engine, "connect", full)
    engine.dispose()
    try:
        for _ in range(2):
            with pytest.raises(DiskFull) as refused:
                for _ in range(40):  # until a page is needed
                    _sell(demo_till, code)
            assert "disk is full" in refused.value.message and "磁盘已满" in refused.value.message_zh
    finally:
        event.remove(engine, "connect", full)
        engine.dispose()
    numbers = _receipts(demo_till)
    done = _sell(demo_till, code)
    assert done.sale.receipt_no == f"MX01-20261122-{len(numbers) + 1:04d}"
    assert demo_till.verify().ok


def test_the_hand_written_sql_matches_the_schema(demo_till) -> None:
    """Every fixed statement of the write path prepares against the migrated schema (columns exist)."""
    statements = [getattr(W, n) for n in dir(W) if n.startswith("SQL_") and n not in ("SQL_BEGIN", "SQL_COMMIT")]
    statements += list(projections.STATEMENTS)
    from pos.store import stock

    statements += list(stock.STATEMENTS)
    from pos.services import checkout

    statements += [checkout.SQL_HELD, checkout.SQL_HELD_CART]
    with sqlite3.connect(demo_till.db.path) as c:
        for sql in statements:
            numbered = [int(n) for n in re.findall(r"\?(\d+)", sql)]  # ?1 may stand several times
            c.execute("EXPLAIN " + sql, (None,) * (max(numbered) if numbered else sql.count("?")))


def test_projections_apply_rebuilds_through_a_sqlalchemy_connection(demo_till) -> None:
    """``ledger verify`` hands apply() a SQLAlchemy Connection on a scratch database: rows land in its transaction."""
    from pos.store.schema import LEDGER_READ_MODELS, metadata

    done = _sell(demo_till, _codes(demo_till)[0])
    with sqlite3.connect(demo_till.db.path) as c:
        row = c.execute("SELECT * FROM journal WHERE seq = ?", (done.seq,)).fetchone()
    entry = ledger_mod.parse_stored(ledger_mod.StoredEntry(*row))
    scratch = create_engine("sqlite://")
    metadata.create_all(scratch, tables=list(LEDGER_READ_MODELS))
    with scratch.begin() as conn:
        projections.apply(conn, entry)
    with scratch.connect() as conn:
        assert conn.exec_driver_sql("SELECT receipt_no, total_fen FROM sales").all() == [
            (done.sale.receipt_no, done.sale.total_fen)]
    scratch.dispose()


def test_a_second_thread_waits_for_the_writer_and_follows_it(demo_till) -> None:
    """While one unit of work holds the write lock (and the writer's kept connection), a sale from
    another thread takes another pooled connection, waits at BEGIN IMMEDIATE, then follows the chain."""
    import threading
    import time

    code = _codes(demo_till)[0]
    cashier = login_cashier(demo_till)
    first = _sell(demo_till, code, cashier=cashier)
    out: list[object] = []
    with demo_till.uow() as uow:
        uow.journal.append("void", business_day="2026-11-22", created_at="2026-11-22T02:00:00Z",
                           payload={"cashier": "cashier1"})
        worker = threading.Thread(target=lambda: out.append(_sell(demo_till, code, cashier=cashier)))
        worker.start()
        time.sleep(0.3)
        assert not out  # waiting for the lock
        uow.commit()
    worker.join(30)
    second = out[0]
    third = _sell(demo_till, code, cashier=cashier)
    assert (second.seq, third.seq) == (first.seq + 2, first.seq + 3)
    assert [second.sale.receipt_no, third.sale.receipt_no] == ["MX01-20261122-0002", "MX01-20261122-0003"]
    assert demo_till.verify().ok


def test_a_sale_written_from_its_object_reads_back_the_same_from_its_payload(fresh_till,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The live write takes a sale's read-model rows from the Sale object (no parse); over a day with a
    price change, discounts, weighed goods, split tenders, an account and 抹零 every one equals the Sale
    parsed back from its stored payload, and ``ledger verify`` (which rebuilds from payloads) agrees."""
    from pos.domain.sale import Sale
    from tests.integration.report_day import trade_report_day

    checked: list[str] = []
    real = projections._sale_rows

    def checking(conn, entry, sale):  # noqa: ANN001, ANN202
        assert Sale.from_payload(entry.terminal_id, entry.business_day, entry.payload) == sale
        checked.append(sale.receipt_no)
        return real(conn, entry, sale)

    monkeypatch.setattr(projections, "_sale_rows", checking)
    trade_report_day(fresh_till)
    assert len(checked) >= 4
    assert fresh_till.verify().ok
