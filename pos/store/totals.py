"""Period totals (X, 交班, Z) as SQL sums over the report facts (:mod:`pos.store.facts`).

Each fact row holds what ``PeriodTotals.add`` takes from one journal entry, so the sums here equal
``period_totals(entries)`` of the same entries exactly, dict keys included, without reading a
payload. Fixed SQL text on the ``sqlite3`` connection of the caller's transaction; a day is read
from the covering day indexes, a shift as a range of the tables' primary key (journal seq).

Which entries a period holds is the same as before the facts:

- a business day: the entries journaled on it (``journal.business_day``);
- a shift: from its opening seq on, the entries carrying its number, and those carrying none (voids
  written before voids named their shift) up to its closing seq (to the end while it is open);
- a range of a day (a Z taken before reductions by kind, recounted): the day's entries in [first, last].
"""

from __future__ import annotations

import sqlite3
from typing import Any

from pos.domain.closing import PeriodTotals

from .facts import DOC_FIGURES

_SUMS = ", ".join(f"SUM({c})" for c in DOC_FIGURES)

DAY = "business_day = ?"
DAY_RANGE = "business_day = ? AND journal_seq BETWEEN ? AND ?"
SHIFT = "journal_seq >= ? AND (shift_no = ? OR (shift_no IS NULL AND journal_seq <= ?))"
_WHERES = (DAY, DAY_RANGE, SHIFT)

# Per WHERE: the three fixed queries (scalar figures, figures by key, tax by rate).
_QUERIES = {
    where: (
        f"SELECT {_SUMS} FROM fact_docs WHERE {where}",
        f"SELECT dim, key, SUM(amount_fen) FROM fact_amounts WHERE {where} GROUP BY dim, key ORDER BY dim, key",
        f"SELECT rate, SUM(gross_fen), SUM(net_fen), SUM(tax_fen), SUM(by_rate_fen) FROM fact_tax WHERE {where} "
        "GROUP BY rate ORDER BY rate",
    )
    for where in _WHERES
}

# What a still-open shift's closing seq reads as: past any seq a journal can reach.
_OPEN_END = 2**62

# Where a business day's journal entries begin and end, and how many there are (a Z records them).
DAY_SPAN = "SELECT MIN(seq), MAX(seq), COUNT(*) FROM journal WHERE business_day = ?"


def dbapi_of(conn: Any) -> sqlite3.Connection:
    """The ``sqlite3`` connection under ``conn`` (a ``sqlite3.Connection`` or a SQLAlchemy Connection)."""
    if isinstance(conn, sqlite3.Connection):
        return conn
    return conn.connection.driver_connection


def day_totals(dbapi: sqlite3.Connection, day: str) -> PeriodTotals:
    """``period_totals`` of the entries journaled on business day ``day`` (``YYYY-MM-DD``)."""
    return _totals(dbapi, DAY, (day,))


def day_range_totals(dbapi: sqlite3.Connection, day: str, first_seq: int, last_seq: int) -> PeriodTotals:
    """``period_totals`` of the entries of business day ``day`` with first_seq ≤ seq ≤ last_seq."""
    return _totals(dbapi, DAY_RANGE, (day, first_seq, last_seq))


def shift_totals(dbapi: sqlite3.Connection, shift_no: int, opened_seq: int, closed_seq: int | None) -> PeriodTotals:
    """``period_totals(shift_entries(…))`` of a shift (see the module doc for which entries it holds)."""
    return _totals(dbapi, SHIFT, (opened_seq, shift_no, _OPEN_END if closed_seq is None else closed_seq))


def day_span(dbapi: sqlite3.Connection, day: str) -> tuple[int | None, int | None, int]:
    """(first seq, last seq, number of entries) journaled on ``day``; (None, None, 0) for none."""
    first, last, count = dbapi.execute(DAY_SPAN, (day,)).fetchone()
    return first, last, count


def _totals(dbapi: sqlite3.Connection, where: str, params: tuple) -> PeriodTotals:
    docs_sql, amounts_sql, tax_sql = _QUERIES[where]
    figures = [v or 0 for v in dbapi.execute(docs_sql, params).fetchone()]
    by: dict[str, dict[str, int]] = {"tender": {}, "category": {}, "origin": {}}
    for dim, key, amount in dbapi.execute(amounts_sql, params):
        by[dim][key] = amount
    tax_by_rate: dict[str, dict[str, int]] = {}
    by_tax_rate: dict[str, int] = {}
    for rate, gross, net, tax, by_rate in dbapi.execute(tax_sql, params):
        tax_by_rate[rate] = {"gross": gross, "net": net, "tax": tax}
        if by_rate is not None:  # SUM of NULLs only: no entry added this rate to by_tax_rate
            by_tax_rate[rate] = by_rate
    t = PeriodTotals(**dict(zip(DOC_FIGURES, figures, strict=True)))
    t.by_tender, t.by_category, t.by_origin = by["tender"], by["category"], by["origin"]
    t.by_tax_rate, t.tax_by_rate = by_tax_rate, tax_by_rate
    return t
