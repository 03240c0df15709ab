"""Head office: the store's member key and the member feed its tills sync from (issue 17, headoffice/members.py).

Revision ID: ho0011
Revises: ho0010
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "ho0011"
down_revision = "ho0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_keys",
        sa.Column("store_code", sa.String(32), primary_key=True),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "member_feed",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("store_code", sa.String(32), nullable=False),
        sa.Column("terminal_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("phone_hash", sa.String(64), nullable=True),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("ix_member_feed_store", "member_feed", ["store_code", "id"])
    op.create_index("ix_member_feed_phone", "member_feed", ["store_code", "phone_hash", "id"])
    op.create_table(
        "member_feed_state",
        sa.Column("terminal_id", sa.String(32), primary_key=True),
        sa.Column("scanned_seq", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("member_feed_state")
    op.drop_index("ix_member_feed_phone", "member_feed")
    op.drop_index("ix_member_feed_store", "member_feed")
    op.drop_table("member_feed")
    op.drop_table("member_keys")
