"""Head office: delivery batches (issue 15): the lots the tills received and per-lot running sums.

A database that already holds stock entries gets them derived here (up to what was derived; the
deriver adds the rest with the other report rows).

Revision ID: ho0010
Revises: ho0009
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "ho0010"
down_revision = "ho0009"
branch_labels = None
depends_on = None

_SUMS = ("sold_qty", "sold_net", "sold_cost", "sold_unknown", "returned_qty", "returned_net", "returned_cost",
         "written_qty", "written_cost", "count_qty", "count_cost", "unreadable")


def upgrade() -> None:
    op.create_table(
        "batch_lots",
        sa.Column("terminal_id", sa.String(32), primary_key=True),
        sa.Column("lot", sa.String(80), primary_key=True),
        sa.Column("store_code", sa.String(32), nullable=False),
        sa.Column("batch", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(200), nullable=False),
        sa.Column("origin", sa.String(200), nullable=False),
        sa.Column("weighed", sa.Boolean, nullable=False),
        sa.Column("arrival", sa.String(10), nullable=False),
        sa.Column("expiry", sa.String(10), nullable=False),
        sa.Column("production_date", sa.String(10), nullable=False),
        sa.Column("supplier", sa.String(200), nullable=False),
        sa.Column("contact", sa.String(64), nullable=False),
        sa.Column("certificate", sa.String(120), nullable=False),
        sa.Column("quarantine", sa.String(120), nullable=False),
        sa.Column("received_qty", sa.BigInteger, nullable=False),
        sa.Column("unit_cost", sa.BigInteger, nullable=False),
        sa.Column("received_cost", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_batch_lots_batch", "batch_lots", ["batch"])
    op.create_table(
        "batch_lot_sums",
        sa.Column("terminal_id", sa.String(32), primary_key=True),
        sa.Column("lot", sa.String(80), primary_key=True),
        sa.Column("sku", sa.String(64), primary_key=True),
        sa.Column("store_code", sa.String(32), nullable=False),
        sa.Column("batch", sa.String(64), nullable=False),
        *[sa.Column(n, sa.Integer if n in ("sold_unknown", "unreadable") else sa.BigInteger, nullable=False)
          for n in _SUMS],
        sa.Column("first_sale_day", sa.String(10), nullable=True),
        sa.Column("last_sale_day", sa.String(10), nullable=True),
    )
    op.create_index("ix_batch_lot_sums_batch", "batch_lot_sums", ["batch"])
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM entries LIMIT 1")).first() is not None:
        from headoffice.derive import rebuild_batches  # the stock entries already held, derived once

        rebuild_batches(bind)


def downgrade() -> None:
    op.drop_table("batch_lot_sums")
    op.drop_table("batch_lots")
