"""Stock by delivery batch (issue 15): delivery_batches, lots, stock_unlotted, stock_moves, count_sheets.

The first four are read models of the stock_receipt, stock_writeoff and stock_count entries and of the
draws in sale and return payloads (pos/store/stock.py); no entry before this version carries any, so
they start empty. count_sheets holds count sheets waiting for approval.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_batches",
        sa.Column("batch_no", sa.String, primary_key=True),
        sa.Column("supplier", sa.Text, nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
        sa.Column("arrival", sa.String, nullable=False),
        sa.Column("kept_until", sa.String, nullable=False),
        sa.Column("received_by", sa.String, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("lots", sa.Integer, nullable=False),
        sa.Column("total_cost_fen", sa.Integer, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "lots",
        sa.Column("lot_id", sa.String, primary_key=True),
        sa.Column("sku", sa.String, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("batch_no", sa.String, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=False),
        sa.Column("received_on", sa.String, nullable=False),
        sa.Column("expiry", sa.String, nullable=True),
        sa.Column("production_date", sa.String, nullable=True),
        sa.Column("weighed", sa.Boolean, nullable=False),
        sa.Column("received_qty", sa.Integer, nullable=False),
        sa.Column("unit_cost_fen", sa.Integer, nullable=False),
        sa.Column("cost_fen", sa.Integer, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("certificate_no", sa.Text, nullable=False),
        sa.Column("certificate_qr", sa.Text, nullable=False),
        sa.Column("quarantine_no", sa.Text, nullable=False),
        sa.Column("on_hand", sa.Integer, nullable=False),
        sa.Column("out_qty", sa.Integer, nullable=False),
        sa.Column("out_cost_fen", sa.Integer, nullable=False),
    )
    op.create_index("ix_lots_sku", "lots", ["sku", "expiry"])
    op.create_index("ix_lots_batch", "lots", ["batch_no"])
    op.create_table(
        "stock_unlotted",
        sa.Column("sku", sa.String, primary_key=True),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "stock_moves",
        sa.Column("journal_seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("business_day", sa.String, nullable=False),
        sa.Column("sku", sa.String, nullable=False),
        sa.Column("lot_id", sa.String, nullable=True),
        sa.Column("batch_no", sa.String, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("cost_fen", sa.Integer, nullable=False),
        sa.Column("net_fen", sa.Integer, nullable=False),
        sa.Column("cost_known", sa.Boolean, nullable=False),
        sa.Column("doc_no", sa.String, nullable=False),
        sa.Column("line_no", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_stock_moves_lot", "stock_moves", ["lot_id"])
    op.create_index("ix_stock_moves_batch", "stock_moves", ["batch_no", "kind"])
    op.create_index("ix_stock_moves_doc", "stock_moves", ["doc_no"])
    op.create_index("ix_stock_moves_sku", "stock_moves", ["sku"])
    op.create_table(
        "count_sheets",
        sa.Column("count_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("by_login", sa.String, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("as_of_seq", sa.Integer, nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("state", sa.String, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("count_sheets")
    for name in ("ix_stock_moves_sku", "ix_stock_moves_doc", "ix_stock_moves_batch", "ix_stock_moves_lot"):
        op.drop_index(name, "stock_moves")
    op.drop_table("stock_moves")
    op.drop_table("stock_unlotted")
    op.drop_index("ix_lots_batch", "lots")
    op.drop_index("ix_lots_sku", "lots")
    op.drop_table("lots")
    op.drop_table("delivery_batches")
