"""Full checkout: held sales, returns and refunds, institution accounts, gift-box components.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_payments_reference", "payments", ["tender", "reference"])
    op.create_table(
        "held_sales",
        sa.Column("hold_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("terminal_id", sa.String, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("cashier", sa.String, nullable=False),
        sa.Column("lines", sa.Integer, nullable=False),
        sa.Column("total_fen", sa.Integer, nullable=False),
        sa.Column("cart", sa.Text, nullable=False),
    )
    op.create_table(
        "returns",
        sa.Column("return_no", sa.String, primary_key=True),
        sa.Column("terminal_id", sa.String, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=False),
        sa.Column("business_day", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("receipt_no", sa.String, nullable=True),
        sa.Column("cashier", sa.String, nullable=False),
        sa.Column("refund_fen", sa.Integer, nullable=False),
        sa.Column("training", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_returns_receipt", "returns", ["receipt_no"])
    op.create_table(
        "return_lines",
        sa.Column("return_no", sa.String, sa.ForeignKey("returns.return_no"), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("orig_line_no", sa.Integer, nullable=True),
        sa.Column("sku", sa.String, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("refund_fen", sa.Integer, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("tax_rate_bp", sa.Integer, nullable=True),
    )
    op.create_table(
        "refunds",
        sa.Column("return_no", sa.String, sa.ForeignKey("returns.return_no"), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("tender", sa.String, nullable=False),
        sa.Column("amount_fen", sa.Integer, nullable=False),
        sa.Column("reference", sa.Text, nullable=True),
    )
    op.create_table(
        "accounts",
        sa.Column("code", sa.String, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("credit_limit_fen", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.CheckConstraint("credit_limit_fen >= 0", name="ck_accounts_limit"),
    )
    op.create_table(
        "bundle_components",
        sa.Column("bundle_sku", sa.String, primary_key=True),
        sa.Column("component_sku", sa.String, primary_key=True),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("weight", sa.Integer, nullable=True),
        sa.CheckConstraint("quantity > 0", name="ck_bundle_quantity"),
    )


def downgrade() -> None:
    for t in ("bundle_components", "accounts", "refunds", "return_lines", "returns", "held_sales"):
        op.drop_table(t)
    op.drop_index("ix_payments_reference", "payments")
