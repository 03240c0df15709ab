"""``ledger verify`` flags every tampering made behind the triggers' back and names the first bad seq.

At least 1,000 random single changes (TAMPER_CASES, default 1,020; TAMPER_SEED replays a run),
each on its own fresh copy of one built ledger of a couple of hundred entries: every journal
column edited (payload, hash, prev_hash, seq, kind, business_day, created_at, terminal_id),
rows deleted, inserted and reordered, and read-model rows (sales, sale_lines, payments, returns)
changed, added, deleted and moved. The seq each one must be named at, and why, is in
tests/ledger/tamper.py. The cases are judged in two worker processes (CI has two cores).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from pos.services.ledger import verify_ledger
from tests.ledger import tamper

CASES = int(os.environ.get("TAMPER_CASES", "1020"))
SEED = int(os.environ.get("TAMPER_SEED", "1122"))


@pytest.fixture(scope="module")
def ledger_bytes(built_ledger, tmp_path_factory: pytest.TempPathFactory) -> bytes:  # noqa: ANN001
    """The ledger as one rollback-journal file's bytes (a WAL-mode image cannot be deserialized)."""
    copy = tmp_path_factory.mktemp("tamper") / "ledger.db"
    with sqlite3.connect(built_ledger.path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        return dst.serialize()


@pytest.fixture(scope="module")
def base(ledger_bytes: bytes, built_ledger) -> tamper.Base:  # noqa: ANN001
    conn = sqlite3.connect(":memory:")
    conn.deserialize(ledger_bytes)
    try:
        return tamper.Base.load(conn, built_ledger.terminal)
    finally:
        conn.close()


def test_every_single_tampering_is_flagged_at_the_first_seq_it_touched(ledger_bytes: bytes, base: tamper.Base,
                                                                      built_ledger) -> None:  # noqa: ANN001
    cases = tamper.generate(base, CASES, SEED)
    started = time.monotonic()
    workers = max(1, min(2, os.cpu_count() or 1))
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=tamper.init_worker,
                             initargs=(ledger_bytes, built_ledger.terminal)) as pool:
        results = list(pool.map(tamper.judge, cases, chunksize=25))
    took = time.monotonic() - started
    judged = [(c, r) for c, r in zip(cases, results, strict=True) if r[0] != "not applied"]
    missed = [(c, r) for c, r in judged if r[0] == "passed"]
    misnamed = [(c, r) for c, r in judged if r[0] == "flagged" and r[1] != c.expected]
    print(f"\ntamper: {len(judged)} cases judged ({len(cases) - len(judged)} refused by SQLite itself) in {took:.1f} s "
          f"with {workers} workers; by family: {dict(Counter(c.family for c, _ in judged))}")
    assert not missed, "verify passed a tampered ledger: " + "; ".join(f"{c.what} (seed {SEED})" for c, _ in missed[:5])
    assert not misnamed, "wrong seq named: " + "; ".join(
        f"{c.what}: expected seq {c.expected}, named {r[1]} ({r[2]})" for c, r in misnamed[:5])
    assert len(judged) >= min(CASES, 1000)
    families = Counter(c.family for c, _ in judged)
    for col in tamper.JOURNAL_COLUMNS:
        assert families[f"edit {col}"] >= 20, f"too few edits of {col}"
    for fam in ("delete", "insert", "reorder", "read model sales", "read model sale_lines", "read model payments"):
        assert families[fam] >= 20, f"too few cases of {fam}"


def _verify_bytes(data: bytes, terminal: str, sql: list[str]):  # noqa: ANN202
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.deserialize(data)
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='journal'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for s in sql:
        conn.execute(s)
    for _, ddl in triggers:
        conn.execute(ddl)
    conn.commit()
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
    try:
        return verify_ledger(engine, terminal)
    finally:
        engine.dispose()


def test_the_untouched_copy_verifies(ledger_bytes: bytes, built_ledger) -> None:  # noqa: ANN001
    report = _verify_bytes(ledger_bytes, built_ledger.terminal, [])
    assert report.ok and report.entries == built_ledger.entries


def test_deleting_the_newest_entry_when_it_has_no_read_models_is_flagged(demo_till) -> None:  # noqa: ANN001
    import random

    from tests.ledger.ledgers import barcodes, sell

    done = sell(demo_till, demo_till.auth.login("cashier1", "1111"), random.Random(1), barcodes(demo_till))
    demo_till.checkout.reprint(done.sale.receipt_no, demo_till.auth.login("cashier1", "1111"))  # journaled, no read model
    with sqlite3.connect(demo_till.db.path) as c:
        top = c.execute("SELECT MAX(seq) FROM journal").fetchone()[0]
        assert c.execute("SELECT kind FROM journal WHERE seq = ?", (top,)).fetchone()[0] == "reprint"
        triggers = c.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='journal'").fetchall()
        for name, _ in triggers:
            c.execute(f"DROP TRIGGER {name}")
        c.execute("DELETE FROM journal WHERE seq = ?", (top,))
        for _, ddl in triggers:
            c.execute(ddl)
    report = demo_till.verify()
    assert not report.ok and report.problem.seq == top and "removed from the end" in report.problem.reason
