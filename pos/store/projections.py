"""Read models derived from journal entries.

The same function feeds the live write (rows inserted in the entry's own transaction) and
``ledger verify`` (rows recomputed from the journal and compared with what is stored), so the
read models can always be rebuilt from the journal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Table

from pos.domain.ledger import EntryKind, JournalEntry
from pos.domain.sale import Sale

from .schema import payments, sale_lines, sales

Rows = dict[Table, list[dict[str, Any]]]


def _sale_rows(entry: JournalEntry) -> Rows:
    sale = Sale.from_payload(entry.terminal_id, entry.business_day, entry.payload)
    return {
        sales: [
            {
                "receipt_no": sale.receipt_no,
                "terminal_id": entry.terminal_id,
                "journal_seq": entry.seq,
                "business_day": entry.business_day,
                "created_at": entry.created_at,
                "cashier": sale.cashier_login,
                "subtotal_fen": sale.subtotal_fen,
                "total_fen": sale.total_fen,
                "paid_fen": sale.paid_fen,
                "change_fen": sale.change_fen,
                "training": sale.training,
            }
        ],
        sale_lines: [
            {
                "receipt_no": sale.receipt_no,
                "line_no": ln.line_no,
                "sku": ln.sku,
                "barcode": ln.barcode,
                "name": ln.name,
                "unit": ln.unit,
                "sold_by": ln.sold_by.value,
                "quantity": ln.quantity,
                "unit_price_fen": ln.unit_price_fen,
                "amount_fen": ln.amount_fen,
                "category": ln.category,
                "origin": ln.origin,
                "tax_rate_bp": ln.tax_rate_bp,
            }
            for ln in sale.lines
        ],
        payments: [
            {"receipt_no": sale.receipt_no, "idx": i, "tender": t.kind.value, "amount_fen": t.amount_fen, "reference": t.reference}
            for i, t in enumerate(sale.tenders)
        ],
    }


_PROJECTORS = {EntryKind.SALE: _sale_rows}


def rows_for(entry: JournalEntry) -> Rows:
    """The read-model rows one journal entry produces (empty for kinds with no read model)."""
    projector = _PROJECTORS.get(entry.kind)
    return projector(entry) if projector else {}


def apply(conn: Connection, entry: JournalEntry) -> None:
    for table, rows in rows_for(entry).items():
        if rows:
            conn.execute(table.insert(), rows)


def row_key(table: Table, row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in table.primary_key.columns)
