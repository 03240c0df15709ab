"""Report facts written beside the read models, in the entry's own transaction.

Issue 14 point 3: the figures Z, X, 交班 and the reports add up (each line's net after every
reduction and 抹零, tax per rate, gift-box components by county, net per tender after change) are
stored as plain rows when the entry is written, so totals are SQL aggregates (:mod:`pos.store.totals`)
and never re-read payloads. ``projections.apply`` calls :func:`write` with the transaction's own
``sqlite3`` connection, so ``ledger verify`` rebuilds these rows from the journal like every other
read model.

One source of truth: the rows of an entry are what :meth:`PeriodTotals.add` takes from that entry
alone (pos.domain.closing), field by field. Every figure of :class:`PeriodTotals` is a sum and every
key of its dicts is there when some entry added it, so summing the rows of a period gives exactly
``period_totals(entries)``: the same numbers and the same keys.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from pos.domain.closing import PeriodTotals
from pos.domain.ledger import EntryKind, JournalEntry

# The kinds PeriodTotals.add reads; every other entry adds nothing to any total.
COUNTED_KINDS = frozenset({EntryKind.SALE, EntryKind.RETURN, EntryKind.VOID, EntryKind.CASH_IN, EntryKind.CASH_OUT})

# Column order of fact_docs after the entry's own columns: PeriodTotals' scalar fields.
DOC_FIGURES = ("sales_count", "returns_count", "voids_count", "training_count", "void_fen", "gross_fen",
               "list_total_fen", "discount_fen", "override_fen", "gift_fen", "rounding_fen", "sales_fen", "refunds_fen",
               "cash_in_fen", "cash_out_fen")

INSERT_DOC = ("INSERT INTO fact_docs (journal_seq, terminal_id, business_day, shift_no, kind, training, "
              + ", ".join(DOC_FIGURES) + ") VALUES (" + ", ".join("?" * (6 + len(DOC_FIGURES))) + ")")
INSERT_AMOUNT = ("INSERT INTO fact_amounts (journal_seq, terminal_id, idx, business_day, shift_no, dim, key, amount_fen) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
INSERT_TAX = ("INSERT INTO fact_tax (journal_seq, terminal_id, idx, business_day, shift_no, rate, gross_fen, net_fen, "
              "tax_fen, by_rate_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

DocRow = tuple[Any, ...]


def rows(entry: JournalEntry) -> tuple[DocRow | None, list[DocRow], list[DocRow]]:
    """(fact_docs row or None, fact_amounts rows, fact_tax rows) of ``entry``, in the tables' column order."""
    kind = entry.kind
    if kind not in COUNTED_KINDS:
        return None, [], []
    p = entry.payload
    training = bool(p.get("training"))
    if training and kind != EntryKind.SALE:
        return None, [], []  # a practice return, void or cash movement adds nothing, not even a count
    t = PeriodTotals()
    t.add(entry)
    seq, terminal, day, shift = entry.seq, entry.terminal_id, entry.business_day, p.get("shift")
    doc = (seq, terminal, day, shift, kind, training, t.sales_count, t.returns_count, t.voids_count, t.training_count,
           t.void_fen, t.gross_fen, t.list_total_fen, t.discount_fen, t.override_fen, t.gift_fen, t.rounding_fen,
           t.sales_fen, t.refunds_fen, t.cash_in_fen, t.cash_out_fen)
    amounts: list[DocRow] = []
    for dim, figures in (("tender", t.by_tender), ("category", t.by_category), ("origin", t.by_origin)):
        for key, amount in figures.items():
            amounts.append((seq, terminal, len(amounts), day, shift, dim, key, amount))
    # by_tax_rate gets a key only together with tax_by_rate (one loop in PeriodTotals), so one row per rate holds both.
    by_rate = t.by_tax_rate
    taxes = [(seq, terminal, i, day, shift, label, r["gross"], r["net"], r["tax"], by_rate.get(label))
             for i, (label, r) in enumerate(t.tax_by_rate.items())]
    return doc, amounts, taxes


def write(dbapi: sqlite3.Connection, entry: JournalEntry) -> None:
    """Write the report facts of ``entry`` (nothing for kinds that add nothing to any total)."""
    if entry.kind not in COUNTED_KINDS:
        return
    doc, amounts, taxes = rows(entry)
    if doc is None:
        return
    dbapi.execute(INSERT_DOC, doc)
    if amounts:
        dbapi.executemany(INSERT_AMOUNT, amounts)
    if taxes:
        dbapi.executemany(INSERT_TAX, taxes)
