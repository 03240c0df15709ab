"""Fewer indexes for a sale to write when it draws from lots (issue 15: a sale with lots within the commit target).

A sale that drew from three lots wrote about 40 pages into the WAL, against 18 without lots; four of the
b-trees it wrote to served no query:

* ``ix_stock_moves_sku`` and ``ix_stock_moves_lot``: nothing looks moves up by product or by lot (the
  batch report joins each move to its lot by the lot's key; Σ moves per lot is a whole-table sum);
* ``ix_stock_moves_doc``: ``trace RECEIPT_NO`` finds the receipt's (or return's) journal seq in sales or
  returns and reads its moves by their own key, which starts with that seq;
* ``ix_stock_summary_expiry``: ``stock list --expiring N`` reads the summary in sku order anyway (to
  print it), and checking each row's first expiry on the way costs about what walking the index then
  fetching each row by sku did (66.8 against 77.5 ms for 3 days over 200,000 products; less for a month),
  while every sale rewrote the entry of each product it sold.

``ix_stock_moves_batch`` stays (``trace --batch`` for a recall, the report of one batch), and so does
``ix_lots_expiring`` (the near-expiry list). Indexes are not ledger data: ``ledger verify`` is unchanged.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

DROPPED = {
    "ix_stock_moves_sku": "CREATE INDEX ix_stock_moves_sku ON stock_moves (sku)",
    "ix_stock_moves_lot": "CREATE INDEX ix_stock_moves_lot ON stock_moves (lot_id)",
    "ix_stock_moves_doc": "CREATE INDEX ix_stock_moves_doc ON stock_moves (doc_no)",
    "ix_stock_summary_expiry": ("CREATE INDEX ix_stock_summary_expiry ON stock_summary (first_expiry) "
                                "WHERE first_expiry IS NOT NULL"),
}


def upgrade() -> None:
    for name in DROPPED:
        op.execute(f"DROP INDEX IF EXISTS {name}")


def downgrade() -> None:
    for sql in DROPPED.values():
        op.execute(sql)
