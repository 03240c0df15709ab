"""lots.in_stock: whether a lot holds stock, kept apart from on_hand (issue 15: a sale with lots within the
commit target).

ix_lots_expiring (lots with stock by expiry, for the near-expiry list) was partial on ``on_hand > 0``, so
SQLite deleted and re-inserted a lot's entry at every change of on_hand: every draw of a sale wrote a page of
the index, though a lot that still holds stock keeps its entry. The index is now partial on ``in_stock = 1``,
a column pos/store/stock.py writes (by a statement of its own) only when a lot starts or stops holding stock;
the statement that moves on_hand does not name it, so SQLite leaves the index alone.

in_stock is declared in pos/store/schema.py and written by the projection, so ``ledger verify`` rebuilds it
from the journal and compares it. The upgrade fills it from on_hand and rebuilds the index.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE lots ADD COLUMN in_stock BOOLEAN DEFAULT '0' NOT NULL")
    op.execute("UPDATE lots SET in_stock = on_hand > 0 WHERE on_hand > 0")
    op.execute("DROP INDEX IF EXISTS ix_lots_expiring")
    op.execute("CREATE INDEX ix_lots_expiring ON lots (expiry) WHERE in_stock = 1 AND expiry IS NOT NULL")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_lots_expiring")
    op.execute("CREATE INDEX ix_lots_expiring ON lots (expiry) WHERE on_hand > 0 AND expiry IS NOT NULL")
    op.execute("ALTER TABLE lots DROP COLUMN in_stock")
