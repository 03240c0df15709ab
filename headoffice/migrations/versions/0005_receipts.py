"""Head office: receipt trace and invoice (开票) requests.

Revision ID: ho0005
Revises: ho0004
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "ho0005"
down_revision = "ho0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("terminal_id", sa.String(32), nullable=False),
        sa.Column("receipt_no", sa.String(40), nullable=False),
        sa.Column("store_code", sa.String(32), nullable=False),
        sa.Column("business_day", sa.String(10), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("tax_no", sa.String(18), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("exported_at", sa.String(32), nullable=True),
        sa.Column("exported_by", sa.String(64), nullable=True),
        sa.UniqueConstraint("terminal_id", "receipt_no", name="uq_invoice_requests_receipt"),
    )
    op.create_index("ix_invoice_requests_day", "invoice_requests", ["business_day", "store_code"])
    op.create_table(
        "trace_hits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_trace_hits_client", "trace_hits", ["client", "kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_trace_hits_client", table_name="trace_hits")
    op.drop_table("trace_hits")
    op.drop_index("ix_invoice_requests_day", table_name="invoice_requests")
    op.drop_table("invoice_requests")
