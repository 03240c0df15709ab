"""Product search: a (term, sku) table for pinyin / initials / Chinese prefix search, back-filled.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

from pos.search_index import terms_for

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 2_000


def upgrade() -> None:
    op.create_table(
        "product_search",
        sa.Column("term", sa.Text, primary_key=True),
        sa.Column("sku", sa.Text, primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_product_search_sku", "product_search", ["sku"])
    _backfill(op.get_bind())


def _backfill(bind) -> None:  # noqa: ANN001 - alembic's connection
    """Index every product already in the catalogue, in batches (catalogues can be large).

    Reads plain columns with SQL written here rather than through the repositories, so that this
    migration keeps working whatever later revisions do to the Python models.
    """
    insert = "INSERT OR IGNORE INTO product_search (term, sku) VALUES (?, ?)"
    result = bind.exec_driver_sql("SELECT sku, name, barcode, plu FROM products ORDER BY sku")
    # Fetch everything first: inserting while a SELECT cursor is open on the same connection works
    # in SQLite but is fragile; names and codes of even 200,000 products fit easily in memory.
    products = result.fetchall()
    for i in range(0, len(products), BATCH):
        rows = sorted(
            (term, sku) for sku, name, barcode, plu in products[i:i + BATCH] for term in terms_for(sku, name, barcode, plu)
        )
        if rows:
            bind.exec_driver_sql(insert, rows)


def downgrade() -> None:
    op.drop_index("ix_product_search_sku", table_name="product_search")
    op.drop_table("product_search")
