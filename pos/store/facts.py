"""Report facts written beside the read models, in the entry's own transaction.

Issue 14 point 3: the figures Z, X, 交班 and the reports add up (each line's net after every
reduction and 抹零, tax per rate, gift-box components, net per tender) are stored as plain rows
when the entry is written, so totals are SQL aggregates and never re-read payloads.
``projections.apply`` calls :func:`write` with the transaction's own ``sqlite3`` connection, so
``ledger verify`` rebuilds these rows from the journal like every other read model.
"""

from __future__ import annotations

import sqlite3

from pos.domain.ledger import JournalEntry


def write(dbapi: sqlite3.Connection, entry: JournalEntry) -> None:
    """Write the report facts of ``entry`` (none yet for any kind)."""
    return None
