"""Members (issue 17): members and member_points.

Read models of the member_add / member_change entries and of the "member" of sale and return
payloads (pos/store/members.py); no entry before this version carries any, so they start empty.
No clear phone number: a keyed hash to look up, the last 4 digits for the pick list, the number
encrypted under the store's member key (a file beside the device key, never in the database).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("member_id", sa.String, primary_key=True),
        sa.Column("store", sa.String, nullable=False),
        sa.Column("phone_hash", sa.String, nullable=False, unique=True),
        sa.Column("phone_last4", sa.String, nullable=False),
        sa.Column("phone_enc", sa.Text, nullable=False),
        sa.Column("key_id", sa.String, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("tier", sa.String, nullable=False),
        sa.Column("birthday", sa.String, nullable=True),
        sa.Column("code", sa.String, nullable=False, unique=True),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("created_by", sa.String, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=False),
        sa.Column("updated_seq", sa.Integer, nullable=False),
    )
    op.create_index("ix_members_last4", "members", ["phone_last4"])
    op.create_table(
        "member_points",
        sa.Column("journal_seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("member_id", sa.String, nullable=False),
        sa.Column("business_day", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("doc_no", sa.String, nullable=False),
        sa.Column("earned", sa.Integer, nullable=False),
        sa.Column("redeemed", sa.Integer, nullable=False),
        sa.Column("reversed", sa.Integer, nullable=False),
        sa.Column("redeem_fen", sa.Integer, nullable=False),
    )
    op.create_index("ix_member_points_member", "member_points", ["member_id", "journal_seq"])


def downgrade() -> None:
    op.drop_index("ix_member_points_member", "member_points")
    op.drop_table("member_points")
    op.drop_index("ix_members_last4", "members")
    op.drop_table("members")
