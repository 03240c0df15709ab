"""Report facts: running totals kept beside the read models, in the entry's own transaction.

Issue 14 points 1 and 3: the figures Z, X, 交班 and the reports add up (each line's net after every
reduction and 抹零, tax per rate, gift-box components by county, net per tender after change) are
added to running totals per (business day, shift) when the entry is written, so a Z reads a few
dozen rows (:mod:`pos.store.totals`) and never re-reads payloads. ``projections.apply`` calls
:func:`write` with the transaction's own ``sqlite3`` connection after the entry's other read models
(its shift already opened or closed), so ``ledger verify`` rebuilds ``fact_totals`` from the journal
like every other read model.

One source of truth: what an entry adds is what :meth:`PeriodTotals.add` takes from that entry alone
(pos.domain.closing), field by field and key by key. Every figure of :class:`PeriodTotals` is a sum and
every key of its dicts is there when some entry added it, so the rows of a period, summed, give
exactly ``period_totals(entries)``: the same numbers and the same keys. See pos/store/schema.py for
the dims.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from pos.domain.closing import PeriodTotals
from pos.domain.ledger import EntryKind, JournalEntry

# The kinds PeriodTotals.add reads; every other entry adds nothing to any total.
COUNTED_KINDS = frozenset({EntryKind.SALE, EntryKind.RETURN, EntryKind.VOID, EntryKind.CASH_IN, EntryKind.CASH_OUT})

# PeriodTotals' scalar fields: dim 'figure', key = the field's name.
DOC_FIGURES = ("sales_count", "returns_count", "voids_count", "training_count", "void_fen", "gross_fen",
               "list_total_fen", "discount_fen", "override_fen", "gift_fen", "rounding_fen", "sales_fen", "refunds_fen",
               "cash_in_fen", "cash_out_fen")
FIGURE = "figure"
BY_DIMS = ("tender", "category", "origin", "by_tax_rate")  # PeriodTotals.by_<dim> (by_tax_rate as it is)
TAX_DIMS = ("tax_gross", "tax_net", "tax_tax")  # PeriodTotals.tax_by_rate[rate]["gross" / "net" / "tax"]

UPSERT = ("INSERT INTO fact_totals (business_day, shift_no, dim, key, amount_fen, journal_seq) VALUES (?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (business_day, shift_no, dim, key) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen, "
          "journal_seq = excluded.journal_seq")

# The shift an entry naming none belongs to: the one whose [opened_seq, closed_seq] holds it (the one
# open when it is written — also while ``ledger verify`` replays, as the shifts read model is then
# exactly as it stood — or, over a complete shifts table, the one it was journaled in). 0: none.
HOLDING_SHIFT = ("SELECT COALESCE(MAX(shift_no), 0) FROM shifts WHERE opened_seq <= ? "
                 "AND (closed_seq IS NULL OR closed_seq >= ?)")

STATEMENTS = (UPSERT, HOLDING_SHIFT)

Row = tuple[str, str, int]  # (dim, key, amount_fen)


def rows(entry: JournalEntry) -> list[Row]:
    """What ``entry`` adds to the totals of its day and shift, as (dim, key, amount) rows."""
    if entry.kind not in COUNTED_KINDS:
        return []
    if entry.payload.get("training") and entry.kind != EntryKind.SALE:
        return []  # a practice return, void or cash movement adds nothing, not even a count
    t = PeriodTotals()
    t.add(entry)
    out: list[Row] = [(FIGURE, name, v) for name in DOC_FIGURES if (v := getattr(t, name))]
    for dim, figures in (("tender", t.by_tender), ("category", t.by_category), ("origin", t.by_origin),
                         ("by_tax_rate", t.by_tax_rate)):
        out += [(dim, key, amount) for key, amount in figures.items()]
    for label, r in t.tax_by_rate.items():
        out += [("tax_gross", label, r["gross"]), ("tax_net", label, r["net"]), ("tax_tax", label, r["tax"])]
    return out


def shift_of(dbapi: sqlite3.Connection, entry: JournalEntry) -> int:
    """The shift ``entry`` counts in: the one it names, else the one holding it (0: none)."""
    shift = entry.payload.get("shift")
    if shift is not None:
        return int(shift)
    return dbapi.execute(HOLDING_SHIFT, (entry.seq, entry.seq)).fetchone()[0]


def write(dbapi: sqlite3.Connection, entry: JournalEntry) -> None:
    """Add what ``entry`` adds to the running totals of its day and shift (nothing for other kinds)."""
    if entry.kind not in COUNTED_KINDS:
        return
    adds = rows(entry)
    if not adds:
        return
    head: tuple[Any, ...] = (entry.business_day, shift_of(dbapi, entry))
    seq = entry.seq
    dbapi.executemany(UPSERT, [(*head, dim, key, amount, seq) for dim, key, amount in adds])
