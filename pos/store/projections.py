"""Read models derived from journal entries.

One function, :func:`apply`, updates the read models for an entry. The live write calls it in
the entry's own transaction; ``ledger verify`` replays the whole journal through it into an
empty in-memory database and compares the result with what is stored. So the read models can
always be rebuilt from the journal, and any that drifted are found.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from pos.domain.figures import return_line_taxes, sale_line_figures
from pos.domain.holds import cart_from_json
from pos.domain.ledger import EntryKind, JournalEntry, canonical_json
from pos.domain.returns import Return
from pos.domain.sale import Sale

from . import facts
from .schema import (
    cash_movements,
    closures,
    day_reconciliations,
    held_sales,
    payments,
    refunds,
    return_lines,
    returns,
    sale_lines,
    sales,
    shifts,
)

Projector = Callable[[Connection, JournalEntry], None]


def _sale(conn: Connection, entry: JournalEntry) -> None:
    sale = Sale.from_payload(entry.terminal_id, entry.business_day, entry.payload)
    conn.execute(sales.insert().values(
        receipt_no=sale.receipt_no, terminal_id=entry.terminal_id, journal_seq=entry.seq,
        business_day=entry.business_day, created_at=entry.created_at, cashier=sale.cashier_login,
        subtotal_fen=sale.subtotal_fen, total_fen=sale.total_fen, paid_fen=sale.paid_fen,
        change_fen=sale.change_fen, training=sale.training,
    ))
    conn.execute(sale_lines.insert(), [
        {"receipt_no": sale.receipt_no, "line_no": ln.line_no, "sku": ln.sku, "barcode": ln.barcode,
         "name": ln.name, "unit": ln.unit, "sold_by": ln.sold_by.value, "quantity": ln.quantity,
         "unit_price_fen": ln.unit_price_fen, "amount_fen": ln.amount_fen, "category": ln.category,
         "origin": ln.origin, "tax_rate_bp": ln.tax_rate_bp, **figures}
        for ln, figures in zip(sale.lines, sale_line_figures(sale), strict=True)
    ])
    if sale.tenders:  # a ¥0 sale (a gift, a 100 % discount) has no tender; an empty insert would fail
        conn.execute(payments.insert(), [
            {"receipt_no": sale.receipt_no, "idx": i, "tender": t.kind.value, "amount_fen": t.amount_fen,
             "reference": t.reference}
            for i, t in enumerate(sale.tenders)
        ])


def _hold(conn: Connection, entry: JournalEntry) -> None:
    p = entry.payload
    cart = cart_from_json(p["cart"])
    conn.execute(held_sales.insert().values(
        hold_no=p["hold_no"], terminal_id=entry.terminal_id, journal_seq=entry.seq, created_at=entry.created_at,
        cashier=p["cashier"], lines=len(cart.lines), total_fen=cart.total_fen, cart=canonical_json(p["cart"]),
    ))


def _recall(conn: Connection, entry: JournalEntry) -> None:
    conn.execute(held_sales.delete().where(held_sales.c.hold_no == entry.payload["hold_no"]))


def _return(conn: Connection, entry: JournalEntry) -> None:
    ret = Return.from_payload(entry.payload)
    conn.execute(returns.insert().values(
        return_no=ret.return_no, terminal_id=entry.terminal_id, journal_seq=entry.seq,
        business_day=entry.business_day, created_at=entry.created_at, receipt_no=ret.receipt_no,
        cashier=ret.cashier_login, refund_fen=ret.refund_fen, training=ret.training,
    ))
    conn.execute(return_lines.insert(), [
        {"return_no": ret.return_no, "line_no": ln.line_no, "orig_line_no": ln.orig_line_no, "sku": ln.sku,
         "name": ln.name, "quantity": ln.quantity, "refund_fen": ln.refund_fen, "category": ln.category,
         "origin": ln.origin, "tax_rate_bp": ln.tax_rate_bp, "tax_fen": tax}
        for ln, tax in zip(ret.lines, return_line_taxes(ret), strict=True)
    ])
    if ret.refunds:
        conn.execute(refunds.insert(), [
            {"return_no": ret.return_no, "idx": i, "tender": t.kind.value, "amount_fen": t.amount_fen,
             "reference": t.reference}
            for i, t in enumerate(ret.refunds)
        ])


def _shift_open(conn: Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(shifts.insert().values(
        shift_no=p["shift"], terminal_id=entry.terminal_id, business_day=entry.business_day, opened_seq=entry.seq,
        opened_at=entry.created_at, opened_by=p["by"], opening_float_fen=p["float_total"],
    ))


def _shift_close(conn: Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(shifts.update().where(shifts.c.shift_no == p["shift"]).values(
        closed_seq=entry.seq, closed_at=entry.created_at, closed_by=p["by"], expected_cash_fen=p["expected_cash"],
        counted_cash_fen=p["counted_total"],
    ))


def _cash_move(conn: Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(cash_movements.insert().values(
        journal_seq=entry.seq, shift_no=p["shift"], kind=entry.kind, amount_fen=p["amount"], reason=p["reason"],
        by_login=p["by"], approver=p.get("approver"),
    ))


def _z_closure(conn: Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(closures.insert().values(
        business_day=p["day"], terminal_id=entry.terminal_id, journal_seq=entry.seq, closed_at=entry.created_at,
        closed_by=p["by"], net_fen=p["totals"]["net"], grand_total_fen=p["grand_total"],
        totals=canonical_json(p["totals"]),
    ))


def _reconcile(conn: Connection, entry: JournalEntry) -> None:
    p = entry.payload
    values = {"terminal_id": entry.terminal_id, "journal_seq": entry.seq, "declared": canonical_json(p["declared"]),
              "notes": p.get("notes", ""), "declared_by": p["by"]}
    done = conn.execute(day_reconciliations.update().where(day_reconciliations.c.business_day == p["day"]).values(**values))
    if done.rowcount == 0:
        conn.execute(day_reconciliations.insert().values(business_day=p["day"], **values))


def _day_approved(conn: Connection, entry: JournalEntry) -> None:
    p = entry.payload
    conn.execute(day_reconciliations.update().where(day_reconciliations.c.business_day == p["day"]).values(
        approved_by=p["by"], approved_seq=entry.seq))


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
}


def apply(conn: Connection, entry: JournalEntry) -> None:
    """Bring the read models up to date with ``entry`` (no-op for kinds without a read model)."""
    projector = PROJECTORS.get(entry.kind)
    if projector is not None:
        projector(conn, entry)
    facts.write(conn.connection.driver_connection, entry)
