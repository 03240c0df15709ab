"""Running totals (fact_figures, fact_totals): migration 0011 both ways, and entries naming no shift.

A void journaled before voids named their shift counts in the shift that was open when it was
journaled — in its X and 交班, not in the next shift's — and ``ledger verify`` rebuilds it there.
Migration 0011's downgrade brings back the per-entry tables of 0010 and its upgrade gives the same
running totals again.
"""

from __future__ import annotations

import json
import sqlite3

from pos.domain.closing import CashCount, period_totals
from pos.domain.ledger import EntryKind, JournalEntry

TABLES = ("fact_figures", "fact_totals")
OLD = ("fact_docs", "fact_amounts", "fact_tax")


def _rows(path) -> dict[str, list[tuple]]:  # noqa: ANN001
    with sqlite3.connect(path) as c:
        return {t: sorted(c.execute(f"SELECT * FROM {t}")) for t in TABLES}


def _tables(conn) -> set[str]:  # noqa: ANN001
    return {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_migration_0011_down_brings_the_per_entry_facts_back_and_up_gives_the_same_totals(old_till) -> None:
    from alembic import command

    from pos.store.db import _alembic_config

    till, db = old_till
    before = _rows(db)
    assert before["fact_figures"] and before["fact_totals"]
    with sqlite3.connect(db) as c:
        counted = c.execute("SELECT COUNT(*) FROM journal WHERE kind IN ('sale', 'return', 'void', 'cash_in', 'cash_out') "
                            "AND (kind = 'sale' OR json_extract(payload, '$.training') IS NOT 1)").fetchone()[0]
    with till.db.writer.begin() as conn:
        heads = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('0011')")
        command.downgrade(_alembic_config(conn), "0010")
        assert set(OLD) <= _tables(conn) and not set(TABLES) & _tables(conn)
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM fact_docs").scalar() == counted
        command.upgrade(_alembic_config(conn), "0011")
        assert set(TABLES) <= _tables(conn) and not set(OLD) & _tables(conn)
        conn.exec_driver_sql("DELETE FROM alembic_version")
        for h in heads:
            conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (h,))
    assert _rows(db) == before
    assert till.verify().ok


def _journal(path) -> list[JournalEntry]:  # noqa: ANN001
    with sqlite3.connect(path) as c:
        rows = c.execute("SELECT terminal_id, seq, kind, business_day, created_at, payload FROM journal ORDER BY seq")
        return [JournalEntry(t, s, k, d, at, json.loads(p), "", "") for t, s, k, d, at, p in rows]


def test_a_void_naming_no_shift_counts_in_the_shift_open_when_it_was_journaled(demo_till) -> None:
    from pos.domain.cart import Cart
    from pos.domain.tenders import Tender, TenderKind

    till = demo_till
    cashier = till.auth.login("cashier1", "1111")
    till.checkout.complete_sale(Cart().add(till.lookup.find("6972316000170")), [Tender(TenderKind.CASH, 5000)], cashier)
    first = till.shifts.current()
    day = till.closing.current_day()
    with till.uow() as uow:  # as voids were journaled before they named their shift
        uow.journal.append(EntryKind.VOID, business_day=day, created_at="2026-11-22T02:00:00Z",
                           payload={"cashier": "cashier1", "amount": 1234})
        uow.commit()
    assert (till.shifts.x_report().totals.voids_count, till.shifts.x_report().totals.void_fen) == (1, 1234)
    closed = till.shifts.close(cashier, CashCount(), keep_held=True)
    assert (closed.totals.voids_count, closed.totals.void_fen) == (1, 1234)
    till.shifts.open(cashier, CashCount())
    second = till.shifts.x_report().totals
    assert (second.voids_count, second.sales_count) == (0, 0)
    assert till.closing.day_totals(day).void_fen == 1234
    assert till.closing.day_totals(day) == period_totals(e for e in _journal(till.db.path) if e.business_day == day)
    with sqlite3.connect(till.db.path) as c:
        assert c.execute("SELECT shift_no, voids_count FROM fact_figures WHERE voids_count > 0").fetchall() == [
            (first.shift_no, 1)]
    assert till.verify().ok
