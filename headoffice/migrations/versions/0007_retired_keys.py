"""Head office: a till's earlier keys, kept when it enrols again (old receipts' trace codes still open).

Revision ID: ho0007
Revises: ho0006
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "ho0007"
down_revision = "ho0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retired_keys",
        sa.Column("terminal_id", sa.String(32), primary_key=True),
        sa.Column("secret", sa.String(128), primary_key=True),
        sa.Column("retired_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("retired_keys")
