"""Report facts in the ledger: filled for an old ledger by migrations 0010 and 0011, rebuilt and checked by
``ledger verify``.

The old ledger (schema 0007, see tests/fixtures/README.md) has a Z, a voucher, an account, a
return, a void, a cash-out, a practice sale and a gift box of mixed counties sold and returned.
After the upgrade its days' totals, read from the running totals, must equal what its journal —
read here with ``sqlite3`` and ``json`` alone — adds up to; and a totals row changed, removed or
added behind the till's back is named by ``ledger verify`` at the last entry that added to it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos.domain.closing import PeriodTotals, period_totals
from pos.domain.ledger import JournalEntry
from pos.store import totals

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LATER = datetime(2026, 12, 4, 7, 0, 0, tzinfo=UTC)


def _journal(db: Path) -> list[JournalEntry]:
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT terminal_id, seq, kind, business_day, created_at, payload FROM journal ORDER BY seq")
        return [JournalEntry(t, s, k, d, at, json.loads(p), "", "") for t, s, k, d, at, p in rows]


def test_an_old_ledger_gets_its_facts_and_its_days_add_up_as_its_journal_does(old_till) -> None:
    till, db = old_till
    entries = _journal(db)
    days = sorted({e.business_day for e in entries})
    assert {"2026-12-03", "2026-12-04"} <= set(days)
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM fact_figures").fetchone()[0] > 0
        assert not c.execute("SELECT name FROM sqlite_master WHERE name IN ('fact_docs', 'fact_amounts', 'fact_tax')"
                             ).fetchall()
        for day in days:
            want = period_totals(e for e in entries if e.business_day == day)
            assert totals.day_totals(c, day) == want, day
            assert totals.day_totals(c, day).to_json() == want.to_json(), day
        gift_box_origins = {k for (k,) in c.execute("SELECT key FROM fact_totals WHERE dim = 'origin' "
                                                    "AND business_day = '2026-12-04'")}
    assert len(gift_box_origins) >= 2  # the mixed box counts for each of its counties
    # The old Z stored no reductions by kind or tax: they are recounted from the facts of the entries it closed.
    old_z = till.closing.z_report("2026-12-03")
    closed = period_totals(e for e in entries if e.business_day == "2026-12-03"
                           and old_z.first_seq <= e.seq <= old_z.last_seq)
    assert (old_z.totals.list_total_fen, old_z.totals.override_fen, old_z.totals.tax_by_rate) == (
        closed.list_total_fen, closed.override_fen, closed.tax_by_rate)
    assert old_z.totals.sales_fen == closed.sales_fen
    assert till.verify().ok


def test_today_s_z_after_the_upgrade_adds_the_old_open_day_up_from_its_facts(old_till) -> None:
    till, db = old_till
    cashier = till.auth.login("cashier1", "1111")
    from pos.domain.closing import CashCount

    if till.shifts.current() is not None:
        till.shifts.close(cashier, CashCount(), keep_held=True)
    z = till.closing.z_close(till.auth.login("manager1", "2222"), keep_held=True)
    day = [e for e in _journal(db) if e.business_day == z.business_day and e.kind != "z_closure"]
    assert z.totals == period_totals(day)
    assert z.totals != PeriodTotals()
    assert till.verify().ok


@pytest.mark.parametrize("change", [
    "UPDATE fact_totals SET amount_fen = amount_fen + 100 WHERE journal_seq = {seq} AND dim = 'tender'",
    "UPDATE fact_figures SET sales_fen = sales_fen - 1 WHERE journal_seq = {seq}",
    "UPDATE fact_totals SET tax_fen = tax_fen + 1 WHERE journal_seq = {seq} AND dim = 'tax'",
    "UPDATE fact_totals SET shift_no = shift_no + 1 WHERE journal_seq = {seq} AND dim = 'category'",
    "DELETE FROM fact_totals WHERE journal_seq = {seq} AND dim = 'tax'",
    "INSERT INTO fact_totals (business_day, shift_no, dim, key, amount_fen, net_fen, tax_fen, journal_seq) "
    "SELECT business_day, shift_no, 'origin', '外县', 1, 0, 0, journal_seq FROM fact_figures WHERE journal_seq = {seq}",
])
def test_a_fact_row_changed_behind_the_till_s_back_is_named_at_its_entry(demo_till, change: str) -> None:
    from pos.domain.cart import Cart
    from pos.domain.tenders import Tender, TenderKind

    till = demo_till
    cashier = till.auth.login("cashier1", "1111")
    for _ in range(3):
        done = till.checkout.complete_sale(Cart().add(till.lookup.find("6972316000170")), [Tender(TenderKind.CASH, 5000)],
                                           cashier)
    with sqlite3.connect(till.db.path) as c:
        seq = c.execute("SELECT journal_seq FROM sales WHERE receipt_no = ?", (done.sale.receipt_no,)).fetchone()[0]
    assert till.verify().ok
    with sqlite3.connect(till.db.path) as c:
        c.execute(change.format(seq=seq))
    report = till.verify()
    assert not report.ok
    assert report.problem.seq == seq
    assert "fact_" in report.problem.reason
