"""Stock per product as a running summary (issue 15: ``stock list`` over 200,000 products under 0.5 s).

stock_summary holds, per product with lots or unlotted stock, what ``stock list`` shows: on hand
(lots and unlotted), its value at cost (unlotted stock at the last received lot's unit cost), the
unlotted quantity, the lots received and those holding stock, the first expiry of a lot with stock
and the last arrival. pos/store/stock.py rewrites a product's row in the transaction of every entry
that moves its stock (one UPSERT per product, from its few lots), so ``stock list`` reads one row
per product in sku order instead of grouping five million lot rows, and ``ledger verify`` rebuilds it.

ix_stock_summary_expiry (first expiry, for ``--expiring N``) and ix_lots_expiring (lots with stock by
expiry, for the near-expiry list) are partial: only rows that can answer.

The upgrade fills the table from the lots and unlotted stock already there (what the projection
would have written).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The same figures as pos/store/stock.py's SQL_SUMMARY, for every product at once.
FILL = (
    "WITH l AS (SELECT sku, COUNT(*) AS n, SUM(on_hand) AS q, SUM(cost_fen - out_cost_fen) AS v, "
    "SUM(on_hand != 0) AS k, MIN(CASE WHEN on_hand > 0 THEN expiry END) AS e, MAX(weighed) AS w, "
    "MAX(received_on) AS r FROM lots GROUP BY sku), "
    "last AS (SELECT sku, c, w FROM (SELECT sku, unit_cost_fen AS c, weighed AS w, ROW_NUMBER() OVER (PARTITION BY sku "
    "ORDER BY received_on DESC, journal_seq DESC, lot_id DESC) AS rn FROM lots) WHERE rn = 1), "
    "keys AS (SELECT sku FROM l UNION SELECT sku FROM stock_unlotted) "
    "INSERT INTO stock_summary (sku, on_hand, value_fen, unlotted, lots, lots_with_stock, first_expiry, weighed, "
    "last_received) "
    "SELECT keys.sku, COALESCE(l.q, 0) + COALESCE(u.quantity, 0), COALESCE(l.v, 0) + COALESCE(CASE WHEN last.w "
    "THEN (u.quantity * last.c + (CASE WHEN u.quantity < 0 THEN -500 ELSE 500 END)) / 1000 "
    "ELSE u.quantity * last.c END, 0), COALESCE(u.quantity, 0), COALESCE(l.n, 0), COALESCE(l.k, 0), l.e, "
    "COALESCE(l.w, 0), l.r FROM keys LEFT JOIN l ON l.sku = keys.sku LEFT JOIN stock_unlotted u ON u.sku = keys.sku "
    "LEFT JOIN last ON last.sku = keys.sku"
)


def upgrade() -> None:
    op.create_table(
        "stock_summary",
        sa.Column("sku", sa.String, primary_key=True),
        sa.Column("on_hand", sa.Integer, nullable=False),
        sa.Column("value_fen", sa.Integer, nullable=False),
        sa.Column("unlotted", sa.Integer, nullable=False),
        sa.Column("lots", sa.Integer, nullable=False),
        sa.Column("lots_with_stock", sa.Integer, nullable=False),
        sa.Column("first_expiry", sa.String, nullable=True),
        sa.Column("weighed", sa.Boolean, nullable=False),
        sa.Column("last_received", sa.String, nullable=True),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_stock_summary_expiry", "stock_summary", ["first_expiry"],
                    sqlite_where=sa.text("first_expiry IS NOT NULL"))
    op.create_index("ix_lots_expiring", "lots", ["expiry"], sqlite_where=sa.text("on_hand > 0 AND expiry IS NOT NULL"))
    op.execute(FILL)


def downgrade() -> None:
    op.drop_index("ix_lots_expiring", "lots")
    op.drop_index("ix_stock_summary_expiry", "stock_summary")
    op.drop_table("stock_summary")
