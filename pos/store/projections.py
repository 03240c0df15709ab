"""Read models derived from journal entries.

One function, :func:`apply`, updates the read models for an entry. The live write calls it in
the entry's own transaction; ``ledger verify`` replays the whole journal through it into an
empty in-memory database and compares the result with what is stored. So the read models can
always be rebuilt from the journal, and any that drifted are found.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from pos.domain.figures import return_line_taxes, sale_line_figures
from pos.domain.holds import cart_from_json
from pos.domain.ledger import EntryKind, JournalEntry, canonical_json
from pos.domain.returns import Return
from pos.domain.sale import Sale

from . import facts, members, stock

Projector = Callable[[sqlite3.Connection, JournalEntry], None]

# Fixed SQL text, one statement per read model (column lists as in pos/store/schema.py; a test
# checks every statement here against the schema).
SQL_SALE = ("INSERT INTO sales (receipt_no, terminal_id, journal_seq, business_day, created_at, cashier, subtotal_fen, "
            "total_fen, paid_fen, change_fen, training) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL_SALE_LINE = ("INSERT INTO sale_lines (receipt_no, line_no, sku, barcode, name, unit, sold_by, quantity, "
                 "unit_price_fen, amount_fen, category, origin, tax_rate_bp, list_value_fen, discount_fen, override_fen, "
                 "gift_fen, rounding_fen, net_fen, tax_fen, promotion_fen, points_fen) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL_PAYMENT = "INSERT INTO payments (receipt_no, idx, tender, amount_fen, reference) VALUES (?, ?, ?, ?, ?)"
SQL_HOLD = ("INSERT INTO held_sales (hold_no, terminal_id, journal_seq, created_at, cashier, lines, total_fen, cart) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
SQL_RECALL = "DELETE FROM held_sales WHERE hold_no = ?"
SQL_RETURN = ("INSERT INTO returns (return_no, terminal_id, journal_seq, business_day, created_at, receipt_no, cashier, "
              "refund_fen, training) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL_RETURN_LINE = ("INSERT INTO return_lines (return_no, line_no, orig_line_no, sku, name, quantity, refund_fen, category, "
                   "origin, tax_rate_bp, tax_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL_REFUND = "INSERT INTO refunds (return_no, idx, tender, amount_fen, reference) VALUES (?, ?, ?, ?, ?)"
SQL_SHIFT_OPEN = ("INSERT INTO shifts (shift_no, terminal_id, business_day, opened_seq, opened_at, opened_by, "
                  "opening_float_fen) VALUES (?, ?, ?, ?, ?, ?, ?)")
SQL_SHIFT_CLOSE = ("UPDATE shifts SET closed_seq = ?, closed_at = ?, closed_by = ?, expected_cash_fen = ?, "
                   "counted_cash_fen = ? WHERE shift_no = ?")
SQL_CASH_MOVE = ("INSERT INTO cash_movements (journal_seq, shift_no, kind, amount_fen, reason, by_login, approver) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)")
SQL_CLOSURE = ("INSERT INTO closures (business_day, terminal_id, journal_seq, closed_at, closed_by, net_fen, "
               "grand_total_fen, totals) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
SQL_RECONCILE_UPDATE = ("UPDATE day_reconciliations SET terminal_id = ?, journal_seq = ?, declared = ?, notes = ?, "
                        "declared_by = ? WHERE business_day = ?")
SQL_RECONCILE_INSERT = ("INSERT INTO day_reconciliations (terminal_id, journal_seq, declared, notes, declared_by, "
                        "business_day) VALUES (?, ?, ?, ?, ?, ?)")
SQL_DAY_APPROVED = "UPDATE day_reconciliations SET approved_by = ?, approved_seq = ? WHERE business_day = ?"

STATEMENTS = (SQL_SALE, SQL_SALE_LINE, SQL_PAYMENT, SQL_HOLD, SQL_RECALL, SQL_RETURN, SQL_RETURN_LINE, SQL_REFUND,
              SQL_SHIFT_OPEN, SQL_SHIFT_CLOSE, SQL_CASH_MOVE, SQL_CLOSURE, SQL_RECONCILE_UPDATE, SQL_RECONCILE_INSERT,
              SQL_DAY_APPROVED)


def _sale(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    _sale_rows(conn, entry, Sale.from_payload(entry.terminal_id, entry.business_day, entry.payload))


def _sale_rows(conn: sqlite3.Connection, entry: JournalEntry, sale: Sale) -> None:
    no = sale.receipt_no
    conn.execute(SQL_SALE, (no, entry.terminal_id, entry.seq, entry.business_day, entry.created_at, sale.cashier_login,
                            sale.subtotal_fen, sale.total_fen, sale.paid_fen, sale.change_fen, int(sale.training)))
    conn.executemany(SQL_SALE_LINE, [
        (no, ln.line_no, ln.sku, ln.barcode, ln.name, ln.unit, ln.sold_by.value, ln.quantity, ln.unit_price_fen,
         ln.amount_fen, ln.category, ln.origin, ln.tax_rate_bp, f["list_value_fen"], f["discount_fen"],
         f["override_fen"], f["gift_fen"], f["rounding_fen"], f["net_fen"], f["tax_fen"], f["promotion_fen"],
         f["points_fen"])
        for ln, f in zip(sale.lines, sale_line_figures(sale), strict=True)
    ])
    if sale.tenders:  # a ¥0 sale (a gift, a 100 % discount) has no tender
        conn.executemany(SQL_PAYMENT, [(no, i, t.kind.value, t.amount_fen, t.reference)
                                       for i, t in enumerate(sale.tenders)])
    if sale.draws:
        stock.sale_draws(conn, entry, no, sale.draws)


def _hold(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    cart = cart_from_json(p["cart"])
    conn.execute(SQL_HOLD, (p["hold_no"], entry.terminal_id, entry.seq, entry.created_at, p["cashier"], len(cart.lines),
                            p.get("total", cart.total_fen), canonical_json(p["cart"])))  # (older holds: list prices)


def _recall(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    conn.execute(SQL_RECALL, (entry.payload["hold_no"],))


def _return(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    ret = Return.from_payload(entry.payload)
    no = ret.return_no
    conn.execute(SQL_RETURN, (no, entry.terminal_id, entry.seq, entry.business_day, entry.created_at, ret.receipt_no,
                              ret.cashier_login, ret.refund_fen, int(ret.training)))
    conn.executemany(SQL_RETURN_LINE, [
        (no, ln.line_no, ln.orig_line_no, ln.sku, ln.name, ln.quantity, ln.refund_fen, ln.category, ln.origin,
         ln.tax_rate_bp, tax)
        for ln, tax in zip(ret.lines, return_line_taxes(ret), strict=True)
    ])
    if ret.refunds:
        conn.executemany(SQL_REFUND, [(no, i, t.kind.value, t.amount_fen, t.reference) for i, t in enumerate(ret.refunds)])
    if ret.draws:
        stock.return_draws(conn, entry, no, ret.draws)


def _shift_open(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(SQL_SHIFT_OPEN, (p["shift"], entry.terminal_id, entry.business_day, entry.seq, entry.created_at, p["by"],
                                  p["float_total"]))


def _shift_close(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(SQL_SHIFT_CLOSE, (entry.seq, entry.created_at, p["by"], p["expected_cash"], p["counted_total"], p["shift"]))


def _cash_move(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(SQL_CASH_MOVE, (entry.seq, p["shift"], entry.kind, p["amount"], p["reason"], p["by"], p.get("approver")))


def _z_closure(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(SQL_CLOSURE, (p["day"], entry.terminal_id, entry.seq, entry.created_at, p["by"], p["totals"]["net"],
                               p["grand_total"], canonical_json(p["totals"])))


def _reconcile(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    values = (entry.terminal_id, entry.seq, canonical_json(p["declared"]), p.get("notes", ""), p["by"], p["day"])
    if conn.execute(SQL_RECONCILE_UPDATE, values).rowcount == 0:
        conn.execute(SQL_RECONCILE_INSERT, values)


def _day_approved(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(SQL_DAY_APPROVED, (p["by"], entry.seq, p["day"]))


PROJECTORS: dict[str, Projector] = {
    EntryKind.SHIFT_OPEN: _shift_open,
    EntryKind.SHIFT_CLOSE: _shift_close,
    EntryKind.CASH_IN: _cash_move,
    EntryKind.CASH_OUT: _cash_move,
    EntryKind.Z_CLOSURE: _z_closure,
    EntryKind.RECONCILE: _reconcile,
    EntryKind.DAY_APPROVED: _day_approved,
    EntryKind.SALE: _sale,
    EntryKind.HOLD: _hold,
    EntryKind.RECALL: _recall,
    EntryKind.RETURN: _return,
    **stock.PROJECTORS,
}


def raw_connection(conn: Any) -> sqlite3.Connection:
    """The ``sqlite3`` connection under ``conn`` (a SQLAlchemy Connection, or already a sqlite3 one)."""
    if isinstance(conn, sqlite3.Connection):
        return conn
    return conn.connection.driver_connection


def apply(conn: Any, entry: JournalEntry, doc: Sale | None = None) -> None:
    """Bring the read models up to date with ``entry`` (no-op for kinds without a read model).

    ``conn``: the transaction's ``sqlite3`` connection (the live write), or a SQLAlchemy
    Connection whose transaction the rows join (``ledger verify``'s scratch database).
    ``doc``: the Sale the live write just turned into ``entry.payload`` — its rows are written
    from it instead of parsing the payload back (``Sale.from_payload(sale.to_payload()) == sale``,
    a test checks; ``ledger verify`` rebuilds from the payload and compares, so a difference
    shows). A Return is always read back from its payload (its round trip is not exact)."""
    raw = raw_connection(conn)
    if doc is not None and entry.kind == EntryKind.SALE and isinstance(doc, Sale):
        _sale_rows(raw, entry, doc)
    else:
        projector = PROJECTORS.get(entry.kind)
        if projector is not None:
            projector(raw, entry)
    facts.write(raw, entry)
    members.write(raw, entry)  # member rows, and a member's points moved by a sale or return
