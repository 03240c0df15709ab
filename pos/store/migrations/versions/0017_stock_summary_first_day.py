"""The first expiry of a product's stock also as a day number in stock_summary (issue 15: ``stock list``
of 200,000 products under 0.5 s).

``first_day`` is ``first_expiry`` as Python's ``date.toordinal()`` counts days (NULL with no expiry), so
the days left of every listed product are one subtraction from today's number instead of SQLite parsing
the date text of each row. pos/store/stock.py's SQL_SUMMARY writes it with first_expiry in the same UPSERT,
in the transaction of the entry that moves the stock; it is declared in pos/store/schema.py, so
``ledger verify`` rebuilds it from the journal and compares it like the other figures.

The upgrade fills it for every summary row already there.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# SQLite's julianday of a date is its ordinal + 1721424.5 (julianday('0001-01-01') = 1721425.5, ordinal 1).
FILL = "UPDATE stock_summary SET first_day = CAST(julianday(first_expiry) - 1721424.5 AS INTEGER)"


def upgrade() -> None:
    op.execute("ALTER TABLE stock_summary ADD COLUMN first_day INTEGER")
    op.execute(FILL)


def downgrade() -> None:
    op.execute("ALTER TABLE stock_summary DROP COLUMN first_day")
