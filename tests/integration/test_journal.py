"""The journal on a real SQLite file: append-only, chained, durable, and honest about tampering."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from tests.conftest import login_cashier


def _sell(till, *codes: str, cash_fen: int = 100_000):
    cart = Cart()
    for c in codes:
        cart = cart.add(till.lookup.find(c))
    return till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, cash_fen)], login_cashier(till))


def _raw(till) -> sqlite3.Connection:
    """A plain sqlite3 connection, as someone with the file and a SQLite shell would have."""
    return sqlite3.connect(till.db.path)


def _first_barcodes(till, n: int) -> list[str]:
    with till.db.reader.connect() as c:
        return [r[0] for r in c.execute(text("SELECT barcode FROM products WHERE store_code='MX' AND barcode IS NOT NULL ORDER BY sku LIMIT :n"), {"n": n})]


def test_the_database_runs_in_wal_with_full_sync(demo_till) -> None:
    with demo_till.db.writer.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_sale_is_one_journal_entry_with_its_read_models(demo_till) -> None:
    a, b = _first_barcodes(demo_till, 2)
    done = _sell(demo_till, a, b, a)
    with _raw(demo_till) as c:
        kind, payload = c.execute("SELECT kind, payload FROM journal WHERE seq=?", (done.seq,)).fetchone()
        assert kind == "sale" and done.sale.receipt_no in payload
        assert c.execute("SELECT total_fen, change_fen FROM sales WHERE receipt_no=?", (done.sale.receipt_no,)).fetchone() == (
            done.sale.total_fen, done.sale.change_fen)
        assert c.execute("SELECT COUNT(*) FROM sale_lines WHERE receipt_no=?", (done.sale.receipt_no,)).fetchone()[0] == 2
    assert done.sale.receipt_no == "MX01-20261122-0001"
    assert _sell(demo_till, b).sale.receipt_no == "MX01-20261122-0002"
    assert demo_till.verify().ok


@pytest.mark.parametrize("sql", ["UPDATE journal SET payload='{}' WHERE seq=1", "DELETE FROM journal WHERE seq=1",
                                 "UPDATE journal SET kind='void'"])
def test_update_and_delete_on_the_journal_are_refused(demo_till, sql: str) -> None:
    with _raw(demo_till) as c, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        c.execute(sql)


def test_an_entry_out_of_order_is_refused_by_the_database(demo_till) -> None:
    with _raw(demo_till) as c:
        n = c.execute("SELECT MAX(seq) FROM journal").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError, match="does not follow"):
            c.execute("INSERT INTO journal VALUES ('MX01', ?, 'sale', '2026-11-22', 'x', '{}', 'bad', 'bad')", (n + 2,))
        with pytest.raises(sqlite3.IntegrityError, match="does not follow"):
            c.execute("INSERT INTO journal VALUES ('MX01', ?, 'sale', '2026-11-22', 'x', '{}', 'not-the-last-hash', 'h')", (n + 1,))


def _tamper(till, sql: str, *params) -> None:
    """Edit behind the triggers' back: drop them, change the row, put them back."""
    with _raw(till) as c:
        triggers = c.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name='journal'").fetchall()
        for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='journal'").fetchall():
            c.execute(f"DROP TRIGGER {name}")
        c.execute(sql, params)
        for (ddl,) in triggers:
            c.execute(ddl)


def test_a_payload_changed_behind_the_triggers_back_is_caught_at_its_seq(demo_till) -> None:
    a, b = _first_barcodes(demo_till, 2)
    first = _sell(demo_till, a)
    _sell(demo_till, b)
    assert demo_till.verify().ok
    _tamper(demo_till, "UPDATE journal SET payload = replace(payload, '\"total\":', '\"total\":1') WHERE seq=?", first.seq)
    report = demo_till.verify()
    assert not report.ok and report.problem.seq == first.seq


def test_a_deleted_entry_is_caught(demo_till) -> None:
    a, _ = _first_barcodes(demo_till, 2)
    done = _sell(demo_till, a)
    _sell(demo_till, a)
    _tamper(demo_till, "DELETE FROM journal WHERE seq=?", done.seq)
    assert demo_till.verify().problem.seq == done.seq


def test_a_read_model_that_disagrees_with_the_journal_is_caught(demo_till) -> None:
    a, _ = _first_barcodes(demo_till, 2)
    done = _sell(demo_till, a)
    with _raw(demo_till) as c:
        c.execute("UPDATE sales SET total_fen = total_fen - 100 WHERE receipt_no=?", (done.sale.receipt_no,))
    report = demo_till.verify()
    assert not report.ok and report.problem.seq == done.seq and "total_fen" in report.problem.reason


def test_a_failed_sale_leaves_nothing_behind(demo_till) -> None:
    """A fault after the journal insert but before commit rolls back the entry and its read models."""
    from sqlalchemy.exc import IntegrityError

    a, _ = _first_barcodes(demo_till, 2)
    cashier = login_cashier(demo_till)
    cart = Cart().add(demo_till.lookup.find(a))
    with _raw(demo_till) as c:
        before = c.execute("SELECT COUNT(*) FROM journal").fetchone()[0]
        # A fault after the journal entry and the sales row are written, while the lines are.
        c.execute("CREATE TRIGGER fault BEFORE INSERT ON sale_lines BEGIN SELECT RAISE(ABORT, 'simulated fault'); END")
    with pytest.raises(IntegrityError):
        demo_till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, 100_000)], cashier)
    with _raw(demo_till) as c:
        assert c.execute("SELECT COUNT(*) FROM journal").fetchone()[0] == before
        assert c.execute("SELECT COUNT(*) FROM sale_lines").fetchone()[0] == 0


def test_an_older_database_is_migrated_and_a_newer_one_refused(tmp_path) -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from pos.store.db import MIGRATIONS, NewerDatabase, _make_engine, head_revision, open_database

    path = tmp_path / "old.db"
    engine = _make_engine(path, read_only=False)
    with engine.begin() as conn:
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    db = open_database(path)
    with db.reader.connect() as c:
        versions = sorted(r[0] for r in c.exec_driver_sql("SELECT version_num FROM alembic_version"))
        assert ",".join(versions) == head_revision()
    db.dispose()
    with sqlite3.connect(path) as c:
        c.execute("UPDATE alembic_version SET version_num='9999_future' WHERE rowid = (SELECT MIN(rowid) FROM alembic_version)")
    with pytest.raises(NewerDatabase) as exc:
        open_database(path)
    assert "newer" in exc.value.message


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path) -> None:
    from pos.store.db import NotADatabase, open_database

    path = tmp_path / "notes.db"
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(NotADatabase):
        open_database(path)
    assert path.read_text(encoding="utf-8") == "这不是数据库"
