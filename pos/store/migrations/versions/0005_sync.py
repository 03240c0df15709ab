"""Head-office sync: a log of sync cycles (the rest of the sync state is meta keys).

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.String, nullable=False),
        sa.Column("finished_at", sa.String, nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("sent", sa.Integer, nullable=False),
        sa.Column("acknowledged_seq", sa.Integer, nullable=False),
        sa.Column("master_version", sa.Integer, nullable=False),
        sa.Column("changes", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("error_zh", sa.Text, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("sync_runs")
