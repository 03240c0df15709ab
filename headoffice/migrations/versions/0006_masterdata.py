"""Head office: master data drafts from the browser, terminal versions.

Revision ID: ho0006
Revises: ho0005
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "ho0006"
down_revision = "ho0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "terminal_reports",
        sa.Column("terminal_id", sa.String(32), primary_key=True),
        sa.Column("app_version", sa.String(32), nullable=True),
        sa.Column("head_seq", sa.BigInteger, nullable=True),
        sa.Column("sent_at", sa.String(40), nullable=True),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("clock_skew_s", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "master_drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("store_code", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("published_version", sa.Integer, nullable=True),
        sa.Column("published_by", sa.String(64), nullable=True),
        sa.Column("published_at", sa.String(32), nullable=True),
        sa.Column("effective_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_master_drafts_store", "master_drafts", ["store_code", "status"])
    op.create_index("ix_master_drafts_version", "master_drafts", ["store_code", "published_version"])
    # the counters page reads sale and Z days per terminal by kind (headoffice/terminals_view.py)
    op.create_index("ix_entries_kind_day", "entries", ["kind", "terminal_id", "business_day"])


def downgrade() -> None:
    op.drop_index("ix_entries_kind_day", table_name="entries")
    op.drop_index("ix_master_drafts_version", table_name="master_drafts")
    op.drop_index("ix_master_drafts_store", table_name="master_drafts")
    op.drop_table("master_drafts")
    op.drop_table("terminal_reports")
