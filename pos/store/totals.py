"""Period totals (X, 交班, Z) from the running totals of the report facts (:mod:`pos.store.facts`).

``fact_figures`` and ``fact_totals`` hold, per business day and shift, the sums of what ``PeriodTotals.add``
takes from each entry, key by key; so the rows of a period, summed, equal ``period_totals(entries)`` of
the same entries exactly, dict keys included, without reading a payload. Two fixed SELECTs of a few
dozen rows on the caller's ``sqlite3`` connection:

- a business day: the rows of that day, all its shifts summed (the primary key's first column);
- a shift: its rows whatever day they fell on (``ix_fact_totals_shift``; fact_figures has a row a day). Which entries a shift holds
  is as before the running totals: those carrying its number, and those carrying none (voids written
  before voids named their shift) journaled while it was open — attributed when written;
- a range of a day (a Z taken before reductions by kind, recounted): the day's totals when no entry
  outside the range adds to them (a Z's range is its whole day); else no running total answers it,
  and the day's entries in [first, last] are read from the journal and added up as ever.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pos.domain.closing import PeriodTotals, period_totals
from pos.domain.ledger import JournalEntry

from .facts import COUNTED_KINDS, DOC_FIGURES, REDUCTION, TAX

_SUMS = ", ".join(f"SUM({c})" for c in DOC_FIGURES)
_BY = "SELECT dim, key, SUM(amount_fen), SUM(net_fen), SUM(tax_fen), SUM(by_rate_fen) FROM fact_totals"
DAY = (f"SELECT {_SUMS} FROM fact_figures WHERE business_day = ?", f"{_BY} WHERE business_day = ? GROUP BY dim, key")
SHIFT = (f"SELECT {_SUMS} FROM fact_figures WHERE shift_no = ?", f"{_BY} WHERE shift_no = ? GROUP BY dim, key")
_KINDS = tuple(sorted(COUNTED_KINDS))
DAY_RANGE_ENTRIES = ("SELECT terminal_id, seq, kind, business_day, created_at, payload FROM journal "
                     f"WHERE business_day = ? AND seq BETWEEN ? AND ? AND kind IN ({', '.join('?' * len(_KINDS))}) "
                     "ORDER BY seq")

# The kinds of a day's entries outside [first, last] (two ranges of ix_journal_day_seq).
OUTSIDE_RANGE = "SELECT kind FROM journal WHERE business_day = ? AND (seq < ? OR seq > ?)"

# Where a business day's journal entries begin and end, and how many there are (a Z records them).
DAY_SPAN = "SELECT MIN(seq), MAX(seq), COUNT(*) FROM journal WHERE business_day = ?"


def dbapi_of(conn: Any) -> sqlite3.Connection:
    """The ``sqlite3`` connection under ``conn`` (a ``sqlite3.Connection`` or a SQLAlchemy Connection)."""
    if isinstance(conn, sqlite3.Connection):
        return conn
    return conn.connection.driver_connection


def day_totals(dbapi: sqlite3.Connection, day: str) -> PeriodTotals:
    """``period_totals`` of the entries journaled on business day ``day`` (``YYYY-MM-DD``)."""
    return _totals(dbapi, DAY, day)


def shift_totals(dbapi: sqlite3.Connection, shift_no: int) -> PeriodTotals:
    """``period_totals(shift_entries(…))`` of shift ``shift_no`` (see the module doc for which entries it holds)."""
    return _totals(dbapi, SHIFT, shift_no)


def day_range_totals(dbapi: sqlite3.Connection, day: str, first_seq: int, last_seq: int) -> PeriodTotals:
    """``period_totals`` of the entries of business day ``day`` with first_seq ≤ seq ≤ last_seq."""
    if not any(kind in COUNTED_KINDS for (kind,) in dbapi.execute(OUTSIDE_RANGE, (day, first_seq, last_seq))):
        return day_totals(dbapi, day)
    rows = dbapi.execute(DAY_RANGE_ENTRIES, (day, first_seq, last_seq, *_KINDS))
    return period_totals(JournalEntry(t, s, k, d, at, json.loads(p), "", "") for t, s, k, d, at, p in rows)


def day_span(dbapi: sqlite3.Connection, day: str) -> tuple[int | None, int | None, int]:
    """(first seq, last seq, number of entries) journaled on ``day``; (None, None, 0) for none."""
    first, last, count = dbapi.execute(DAY_SPAN, (day,)).fetchone()
    return first, last, count


def _totals(dbapi: sqlite3.Connection, queries: tuple[str, str], where: object) -> PeriodTotals:
    figures_sql, by_sql = queries
    sums = dbapi.execute(figures_sql, (where,)).fetchone()
    t = PeriodTotals(**{name: v or 0 for name, v in zip(DOC_FIGURES, sums, strict=True)})
    by = {"tender": t.by_tender, "category": t.by_category, "origin": t.by_origin, "promotion": t.by_promotion,
          "member": t.members}
    for dim, key, amount, net, tax, by_rate in dbapi.execute(by_sql, (where,)):
        if dim == TAX:
            t.tax_by_rate[key] = {"gross": amount, "net": net, "tax": tax}
            if by_rate is not None:  # SUM of NULLs only: no entry added this rate to by_tax_rate
                t.by_tax_rate[key] = by_rate
        elif dim == REDUCTION:
            setattr(t, f"{key}_fen", amount)
        else:
            by[dim][key] = amount
    return t
