"""Head office: promotion cost and member sales (issue 17, point 5; headoffice/promo_facts.py). A database that
already holds sales gets them derived here, up to where the deriver had come; it derives the rest.

Revision ID: ho0012
Revises: ho0011
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "ho0012"
down_revision = "ho0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promo_facts",
        sa.Column("store_code", sa.String(32), primary_key=True),
        sa.Column("business_day", sa.String(10), primary_key=True),
        sa.Column("promo_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("receipts", sa.Integer, nullable=False),
        sa.Column("given_fen", sa.BigInteger, nullable=False),
        sa.Column("returned_fen", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "member_facts",
        sa.Column("store_code", sa.String(32), primary_key=True),
        sa.Column("business_day", sa.String(10), primary_key=True),
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("receipts", sa.Integer, nullable=False),
        sa.Column("return_docs", sa.Integer, nullable=False),
        sa.Column("spent_fen", sa.BigInteger, nullable=False),
        sa.Column("refunded_fen", sa.BigInteger, nullable=False),
        sa.Column("points_earned", sa.BigInteger, nullable=False),
        sa.Column("points_redeemed", sa.BigInteger, nullable=False),
        sa.Column("points_reversed", sa.BigInteger, nullable=False),
        sa.Column("redeem_fen", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "member_points_rules",
        sa.Column("terminal_id", sa.String(32), primary_key=True),
        sa.Column("store_code", sa.String(32), nullable=False),
        sa.Column("set_at", sa.String(40), nullable=False),
        sa.Column("redeem_fen_per_point", sa.Integer, nullable=False),
    )
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM entries LIMIT 1")).first() is not None:
        from headoffice.promo_facts import fill

        fill(bind)


def downgrade() -> None:
    op.drop_table("member_points_rules")
    op.drop_table("member_facts")
    op.drop_table("promo_facts")
