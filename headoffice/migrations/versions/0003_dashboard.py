"""Head office: dashboard facts (tenders, products, counter-days).

Office settings (the aided counties of 消费帮扶) and the dashboard's derived tables; a database
that already holds entries gets them derived here, so its dashboard is complete at once.

Revision ID: ho0003
Revises: ho0002
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "ho0003"
down_revision = "ho0002"
branch_labels = None
depends_on = None


def _keys(*names: str) -> list[sa.Column]:
    return [sa.Column(n, sa.String(200 if n in ("origin", "category") else 64 if n in ("sku", "batch") else
                                   10 if n == "business_day" else 7 if n == "month" else 32), primary_key=True) for n in names]


def upgrade() -> None:
    op.create_table(
        "dash_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "dash_sales",
        *_keys("terminal_id", "business_day", "origin", "category", "sku", "batch"),
        sa.Column("store_code", sa.String(32), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("weighed", sa.Boolean, nullable=False),
        sa.Column("quantity", sa.BigInteger, nullable=False),
        sa.Column("sales_fen", sa.BigInteger, nullable=False),
        sa.Column("returns_fen", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_dash_sales_day", "dash_sales", ["business_day"])
    op.create_index("ix_dash_sales_store", "dash_sales", ["store_code", "business_day"])
    op.create_index("ix_dash_sales_batch", "dash_sales", ["batch", "business_day"])
    op.create_table(
        "dash_origin",
        *_keys("terminal_id", "business_day", "origin"),
        sa.Column("store_code", sa.String(32), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("sales_fen", sa.BigInteger, nullable=False),
        sa.Column("returns_fen", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_dash_origin_day", "dash_origin", ["business_day"])
    op.create_index("ix_dash_origin_store", "dash_origin", ["store_code", "business_day"])
    op.create_table(
        "dash_tenders",
        *_keys("terminal_id", "business_day", "tender"),
        sa.Column("store_code", sa.String(32), nullable=False),
        sa.Column("paid_fen", sa.BigInteger, nullable=False),
        sa.Column("refunded_fen", sa.BigInteger, nullable=False),
        sa.Column("payments", sa.Integer, nullable=False),
    )
    op.create_index("ix_dash_tenders_day", "dash_tenders", ["business_day"])
    op.create_table(
        "dash_days",
        *_keys("terminal_id", "business_day"),
        sa.Column("store_code", sa.String(32), nullable=False),
        *[sa.Column(n, sa.BigInteger, nullable=False) for n in ("sales_fen", "returns_fen")],
        *[sa.Column(n, sa.Integer, nullable=False) for n in ("receipts", "return_docs", "training_docs", "voids")],
        *[sa.Column(n, sa.BigInteger, nullable=False) for n in ("cash_in_fen", "cash_out_fen")],
        sa.Column("shifts_closed", sa.Integer, nullable=False),
        *[sa.Column(n, sa.BigInteger, nullable=False) for n in ("counted_fen", "expected_cash_fen", "over_short_fen")],
        sa.Column("z_seq", sa.BigInteger, nullable=True),
        sa.Column("z_net_fen", sa.BigInteger, nullable=True),
        sa.Column("recon_state", sa.Integer, nullable=False),
        sa.Column("declared_fen", sa.BigInteger, nullable=True),
        sa.Column("recon_variance_fen", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_dash_days_day", "dash_days", ["business_day"])
    # roll-ups: all counters per day, per counter (or all counters) per month
    def money() -> list[sa.Column]:
        return [sa.Column("sales_fen", sa.BigInteger, nullable=False), sa.Column("returns_fen", sa.BigInteger, nullable=False)]

    def product() -> list[sa.Column]:
        return [sa.Column("name", sa.String(200), nullable=False), sa.Column("weighed", sa.Boolean, nullable=False),
                sa.Column("quantity", sa.BigInteger, nullable=False)]

    def paid() -> list[sa.Column]:
        return [sa.Column("paid_fen", sa.BigInteger, nullable=False), sa.Column("refunded_fen", sa.BigInteger, nullable=False),
                sa.Column("payments", sa.Integer, nullable=False)]
    op.create_table("dash_origin_all", *_keys("business_day", "origin"), sa.Column("week", sa.String(8), nullable=False),
                    sa.Column("month", sa.String(7), nullable=False), *money())
    op.create_table("dash_origin_month", *_keys("terminal_id", "month", "origin"),
                    sa.Column("store_code", sa.String(32), nullable=False), *money())
    op.create_index("ix_dash_origin_month", "dash_origin_month", ["month"])
    op.create_table("dash_sales_all", *_keys("business_day", "origin", "category", "sku", "batch"),
                    *product(), *money())
    op.create_table("dash_sales_month", *_keys("month", "origin", "category", "sku", "batch"),
                    *product(), *money())
    op.create_table("dash_tenders_all", *_keys("business_day", "tender"), *paid())
    op.create_table("dash_tenders_month", *_keys("terminal_id", "month", "tender"),
                    sa.Column("store_code", sa.String(32), nullable=False), *paid())
    op.create_index("ix_dash_tenders_month", "dash_tenders_month", ["month"])
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM entries LIMIT 1")).first() is not None:
        from headoffice.derive import rebuild  # the entries already held, derived once

        rebuild(bind, documents_too=False)


def downgrade() -> None:
    for name in ("dash_tenders_month", "dash_tenders_all", "dash_sales_month", "dash_sales_all", "dash_origin_month",
                 "dash_origin_all", "dash_days", "dash_tenders", "dash_origin", "dash_sales", "dash_settings"):
        op.drop_table(name)
