"""First schema: stores, users, products, the append-only journal and the sale read models.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("meta", sa.Column("key", sa.String, primary_key=True), sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "stores",
        sa.Column("code", sa.String, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("counter_name", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "users",
        sa.Column("login", sa.String, primary_key=True),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("pin_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.String, nullable=True),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "products",
        sa.Column("sku", sa.String, primary_key=True),
        sa.Column("store_code", sa.String, nullable=True),
        sa.Column("barcode", sa.String, nullable=True, unique=True),
        sa.Column("plu", sa.String, nullable=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False, server_default=""),
        sa.Column("origin", sa.Text, nullable=False, server_default=""),
        sa.Column("unit", sa.Text, nullable=False, server_default="件"),
        sa.Column("sold_by", sa.String, nullable=False, server_default="unit"),
        sa.Column("price_fen", sa.Integer, nullable=False),
        sa.Column("tax_rate_bp", sa.Integer, nullable=True),
        sa.Column("style", sa.Text, nullable=True),
        sa.Column("size", sa.Text, nullable=True),
        sa.Column("color", sa.Text, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.CheckConstraint("price_fen >= 0", name="ck_products_price"),
        sa.CheckConstraint("sold_by IN ('unit', 'weight')", name="ck_products_sold_by"),
    )
    op.create_index("ix_products_plu", "products", ["plu"])

    op.create_table(
        "journal",
        sa.Column("terminal_id", sa.String, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("business_day", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String, nullable=False),
        sa.Column("hash", sa.String, nullable=False),
        sa.CheckConstraint("seq >= 1", name="ck_journal_seq"),
    )
    op.create_index("ix_journal_kind_day", "journal", ["kind", "business_day"])
    # The journal is append-only: corrections are new entries, never edits. The insert trigger
    # keeps seq gap-free and chained even against a buggy or hostile writer on this database.
    op.execute(
        "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal "
        "BEGIN SELECT RAISE(ABORT, 'journal is append-only: UPDATE refused'); END"
    )
    op.execute(
        "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal "
        "BEGIN SELECT RAISE(ABORT, 'journal is append-only: DELETE refused'); END"
    )
    op.execute(
        "CREATE TRIGGER journal_in_order BEFORE INSERT ON journal "
        "WHEN NEW.seq <> COALESCE((SELECT MAX(seq) FROM journal WHERE terminal_id = NEW.terminal_id), 0) + 1 "
        "OR (NEW.seq > 1 AND NEW.prev_hash IS NOT "
        "(SELECT hash FROM journal WHERE terminal_id = NEW.terminal_id AND seq = NEW.seq - 1)) "
        "BEGIN SELECT RAISE(ABORT, 'journal entry does not follow the last entry'); END"
    )

    op.create_table(
        "sales",
        sa.Column("receipt_no", sa.String, primary_key=True),
        sa.Column("terminal_id", sa.String, nullable=False),
        sa.Column("journal_seq", sa.Integer, nullable=False),
        sa.Column("business_day", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("cashier", sa.String, nullable=False),
        sa.Column("subtotal_fen", sa.Integer, nullable=False),
        sa.Column("total_fen", sa.Integer, nullable=False),
        sa.Column("paid_fen", sa.Integer, nullable=False),
        sa.Column("change_fen", sa.Integer, nullable=False),
        sa.Column("training", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("terminal_id", "journal_seq", name="uq_sales_journal"),
        sa.CheckConstraint("change_fen >= 0", name="ck_sales_change"),
    )
    op.create_index("ix_sales_day", "sales", ["terminal_id", "business_day"])
    op.create_table(
        "sale_lines",
        sa.Column("receipt_no", sa.String, sa.ForeignKey("sales.receipt_no"), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sku", sa.String, nullable=False),
        sa.Column("barcode", sa.String, nullable=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("sold_by", sa.String, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("unit_price_fen", sa.Integer, nullable=False),
        sa.Column("amount_fen", sa.Integer, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("tax_rate_bp", sa.Integer, nullable=True),
    )
    op.create_table(
        "payments",
        sa.Column("receipt_no", sa.String, sa.ForeignKey("sales.receipt_no"), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("tender", sa.String, nullable=False),
        sa.Column("amount_fen", sa.Integer, nullable=False),
        sa.Column("reference", sa.Text, nullable=True),
    )


def downgrade() -> None:
    for t in ("payments", "sale_lines", "sales"):
        op.drop_table(t)
    for trg in ("journal_in_order", "journal_no_delete", "journal_no_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trg}")
    for t in ("journal", "products", "users", "stores", "meta"):
        op.drop_table(t)
