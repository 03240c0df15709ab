"""Report facts: running totals kept beside the read models, in the entry's own transaction.

Issue 14 points 1 and 3: the figures Z, X, 交班 and the reports add up (each line's net after every
reduction and 抹零, tax per rate, gift-box components by county, net per tender after change) are
added to running totals per (business day, shift) when the entry is written, so a Z reads a few
dozen rows (:mod:`pos.store.totals`) and never re-reads payloads. ``projections.apply`` calls
:func:`write` with the transaction's own ``sqlite3`` connection after the entry's other read models
(its shift already opened or closed), so ``ledger verify`` rebuilds the totals from the journal
like every other read model.

One source of truth: what an entry adds is what :meth:`PeriodTotals.add` takes from that entry alone
(pos.domain.closing), field by field and key by key. Every figure of :class:`PeriodTotals` is a sum and
every key of its dicts is there when some entry added it, so the rows of a period, summed, give
exactly ``period_totals(entries)``: the same numbers and the same keys. See pos/store/schema.py for
the tables.
"""

from __future__ import annotations

import sqlite3
from operator import attrgetter

from pos.domain.closing import PeriodTotals
from pos.domain.ledger import EntryKind, JournalEntry

# The kinds PeriodTotals.add reads; every other entry adds nothing to any total.
COUNTED_KINDS = frozenset({EntryKind.SALE, EntryKind.RETURN, EntryKind.VOID, EntryKind.CASH_IN, EntryKind.CASH_OUT})

# PeriodTotals' scalar fields: the columns of fact_figures, by the same names.
DOC_FIGURES = ("sales_count", "returns_count", "voids_count", "training_count", "void_fen", "gross_fen",
               "list_total_fen", "discount_fen", "override_fen", "gift_fen", "rounding_fen", "sales_fen", "refunds_fen",
               "cash_in_fen", "cash_out_fen")
TAX = "tax"  # the fact_totals dim of tax_by_rate (amount_fen: gross; by_rate_fen: by_tax_rate)
# Issue 17's figures live in fact_totals too (no new columns): dim REDUCTION keys "promotion" and "points"
# (PeriodTotals.promotion_fen, points_fen), dim "promotion" (by_promotion), dim "member" (members).
REDUCTION = "reduction"
EXTRA_REDUCTIONS = ("promotion", "points")

UPSERT_FIGURES = (
    f"INSERT INTO fact_figures (business_day, shift_no, {', '.join(DOC_FIGURES)}, journal_seq) "
    f"VALUES (?, ?, {', '.join('?' * len(DOC_FIGURES))}, ?) ON CONFLICT (business_day, shift_no) DO UPDATE SET "
    + ", ".join(f"{c} = {c} + excluded.{c}" for c in DOC_FIGURES) + ", journal_seq = excluded.journal_seq")
UPSERT = ("INSERT INTO fact_totals (business_day, shift_no, dim, key, amount_fen, net_fen, tax_fen, by_rate_fen, "
          "journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (business_day, shift_no, dim, key) DO UPDATE SET "
          "amount_fen = amount_fen + excluded.amount_fen, net_fen = net_fen + excluded.net_fen, "
          "tax_fen = tax_fen + excluded.tax_fen, "
          "by_rate_fen = COALESCE(by_rate_fen + excluded.by_rate_fen, by_rate_fen, excluded.by_rate_fen), "
          "journal_seq = excluded.journal_seq")

# The shift an entry naming none belongs to: the one whose [opened_seq, closed_seq] holds it (the one
# open when it is written — also while ``ledger verify`` replays, as the shifts read model is then
# exactly as it stood — or, over a complete shifts table, the one it was journaled in). 0: none.
HOLDING_SHIFT = ("SELECT COALESCE(MAX(shift_no), 0) FROM shifts WHERE opened_seq <= ? "
                 "AND (closed_seq IS NULL OR closed_seq >= ?)")

STATEMENTS = (UPSERT_FIGURES, UPSERT, HOLDING_SHIFT)

_FIGURES_OF = attrgetter(*DOC_FIGURES)


def added(entry: JournalEntry) -> PeriodTotals | None:
    """What ``entry`` alone adds to period totals (``PeriodTotals.add`` of it), or None when it adds
    nothing: other kinds, a practice return, void or cash movement (not even a count)."""
    if entry.kind not in COUNTED_KINDS:
        return None
    if entry.payload.get("training") and entry.kind != EntryKind.SALE:
        return None
    t = PeriodTotals()
    t.add(entry)
    return t


def shift_of(dbapi: sqlite3.Connection, entry: JournalEntry) -> int:
    """The shift ``entry`` counts in: the one it names, else the one holding it (0: none)."""
    shift = entry.payload.get("shift")
    if shift is not None:
        return int(shift)
    return dbapi.execute(HOLDING_SHIFT, (entry.seq, entry.seq)).fetchone()[0]


def write(dbapi: sqlite3.Connection, entry: JournalEntry) -> None:
    """Add what ``entry`` adds to the running totals of its day and shift (nothing for other kinds).

    fact_figures gets its figures; fact_totals a row per key of its by_tender, by_category and
    by_origin (amount only) and per rate of its tax_by_rate (gross, net, tax, and by_tax_rate's figure
    or NULL when it adds none there)."""
    if entry.kind not in COUNTED_KINDS:
        return
    t = added(entry)
    if t is None:
        return
    day, shift, seq = entry.business_day, shift_of(dbapi, entry), entry.seq
    dbapi.execute(UPSERT_FIGURES, (day, shift, *_FIGURES_OF(t), seq))
    rows = [(day, shift, "tender", k, a, 0, 0, None, seq) for k, a in t.by_tender.items()]
    rows += [(day, shift, "category", k, a, 0, 0, None, seq) for k, a in t.by_category.items()]
    rows += [(day, shift, "origin", k, a, 0, 0, None, seq) for k, a in t.by_origin.items()]
    rows += [(day, shift, "promotion", k, a, 0, 0, None, seq) for k, a in t.by_promotion.items()]
    rows += [(day, shift, "member", k, a, 0, 0, None, seq) for k, a in t.members.items()]
    rows += [(day, shift, REDUCTION, k, getattr(t, f"{k}_fen"), 0, 0, None, seq) for k in EXTRA_REDUCTIONS
             if getattr(t, f"{k}_fen")]
    if t.tax_by_rate:
        by_rate = t.by_tax_rate
        rows += [(day, shift, TAX, k, r["gross"], r["net"], r["tax"], by_rate.get(k), seq) for k, r in t.tax_by_rate.items()]
    if rows:
        dbapi.executemany(UPSERT, rows)
