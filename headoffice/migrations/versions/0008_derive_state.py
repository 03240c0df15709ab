"""Head office: deriving report rows in a second step after a batch is acknowledged (derive_state).

Every entry stored before this revision was derived in its batch's transaction, so each terminal
starts with ``derived_seq = last_seq``.

Revision ID: ho0008
Revises: ho0007
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "ho0008"
down_revision = "ho0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "derive_state",
        sa.Column("terminal_id", sa.String(32), primary_key=True),
        sa.Column("derived_seq", sa.BigInteger, nullable=False),
        sa.Column("derived_at", sa.String(32), nullable=True),
    )
    op.execute("INSERT INTO derive_state (terminal_id, derived_seq) SELECT terminal_id, last_seq FROM terminals")


def downgrade() -> None:
    op.drop_table("derive_state")
