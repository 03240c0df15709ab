"""People and money: shifts, cash movements, Z closures, day reconciliations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shifts",
        sa.Column("shift_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("terminal_id", sa.String, nullable=False),
        sa.Column("business_day", sa.String, nullable=False),
        sa.Column("opened_seq", sa.Integer, nullable=False),
        sa.Column("opened_at", sa.String, nullable=False),
        sa.Column("opened_by", sa.String, nullable=False),
        sa.Column("opening_float_fen", sa.Integer, nullable=False),
        sa.Column("closed_seq", sa.Integer, nullable=True),
        sa.Column("closed_at", sa.String, nullable=True),
        sa.Column("closed_by", sa.String, nullable=True),
        sa.Column("expected_cash_fen", sa.Integer, nullable=True),
        sa.Column("counted_cash_fen", sa.Integer, nullable=True),
    )
    op.create_table(
        "cash_movements",
        sa.Column("journal_seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("shift_no", sa.Integer, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("amount_fen", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_login", sa.String, nullable=False),
        sa.Column("approver", sa.String, nullable=True),
        sa.CheckConstraint("amount_fen > 0", name="ck_cash_movements_amount"),
    )
    op.create_table(
        "closures",
        sa.Column("business_day", sa.String, primary_key=True),
        sa.Column("terminal_id", sa.String, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=False),
        sa.Column("closed_at", sa.String, nullable=False),
        sa.Column("closed_by", sa.String, nullable=False),
        sa.Column("net_fen", sa.Integer, nullable=False),
        sa.Column("grand_total_fen", sa.Integer, nullable=False),
        sa.Column("totals", sa.Text, nullable=False),
    )
    op.create_table(
        "day_reconciliations",
        sa.Column("business_day", sa.String, primary_key=True),
        sa.Column("terminal_id", sa.String, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=False),
        sa.Column("declared", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("declared_by", sa.String, nullable=False),
        sa.Column("approved_by", sa.String, nullable=True),
        sa.Column("approved_seq", sa.Integer, nullable=True),
    )


def downgrade() -> None:
    for t in ("day_reconciliations", "closures", "cash_movements", "shifts"):
        op.drop_table(t)
