"""Devices: the persistent print queue (print_jobs).

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("receipt_no", sa.String, nullable=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("bytes", sa.LargeBinary, nullable=False),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("state", sa.String, nullable=False, server_default="pending"),
        sa.Column("updated_at", sa.String, nullable=True),
    )
    op.create_index("ix_print_jobs_state", "print_jobs", ["state", "id"])


def downgrade() -> None:
    op.drop_index("ix_print_jobs_state", table_name="print_jobs")
    op.drop_table("print_jobs")
