"""Lots by product: the lots holding stock and the last lot received, each found through an index (issue 15: a
lot sale within the commit target, however many lots a product has had).

A product sold for a year has had some fifty weekly lots, nearly all sold out. A sale read its lots holding stock
through ix_lots_sku (sku, expiry) and then every one of the product's rows, to see on_hand; and found its last lot
received by sorting them all. With fifty lots of history a lot sale took 1.45 ms instead of 1.1.

* ix_lots_sku becomes (sku, in_stock, expiry): the lots holding stock of a product are one range of the index, in
  expiry order (in_stock changes only when a lot starts or stops holding stock, so sales that do not empty a lot
  leave this index alone, as they leave ix_lots_expiring: migration 0019);
* ix_lots_received (sku, received_on, journal_seq, lot_id): the last lot received is the end of a range.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_lots_sku")
    op.execute("CREATE INDEX ix_lots_sku ON lots (sku, in_stock, expiry)")
    op.execute("CREATE INDEX ix_lots_received ON lots (sku, received_on, journal_seq, lot_id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_lots_received")
    op.execute("DROP INDEX IF EXISTS ix_lots_sku")
    op.execute("CREATE INDEX ix_lots_sku ON lots (sku, expiry)")
