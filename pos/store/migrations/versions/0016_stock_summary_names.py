"""The catalogue's name, category and unit (by weight or not) in stock_summary (issue 15: the whole
``stock list`` of 200,000 products without joining products row by row).

stock_summary gains ``name`` (NULL when the product has no name or is not in the catalogue: the list
shows its sku), ``category`` and ``by_weight`` (1 sold by weight, 0 by the unit, NULL not in the
catalogue: the list then goes by its lots). They are the catalogue's, not the journal's, so SQLite
keeps them current in the transaction of whatever writes either table, through fixed triggers:

* a stock_summary row inserted (a product's first receipt, sale or count) copies its product's;
* a product inserted, or its name, category or sold_by changed (catalogue import, head office
  sync, whoever writes products), updates the copy of the product's summary row, if it has one;
* a product deleted clears it.

The stock projection (pos/store/stock.py) does not write them, and the SQLAlchemy table does not
declare them, so ``ledger verify`` rebuilds and compares stock_summary's journal figures as before
(its scratch database has no catalogue, the catalogue no journal).

The upgrade fills the copy of every summary row already there.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

COLUMNS = ("name TEXT", "category TEXT", "by_weight INTEGER")

# The copy, from a products row (NEW) to its summary row.
_COPY = ("UPDATE stock_summary SET name = NULLIF(NEW.name, ''), category = NEW.category, "
         "by_weight = NEW.sold_by = 'weight' WHERE sku = NEW.sku;")
TRIGGERS = {
    # a new summary row (the projection inserts it without the copy): its product's, if any
    "stock_summary_catalogue": (
        "CREATE TRIGGER stock_summary_catalogue AFTER INSERT ON stock_summary WHEN NEW.name IS NULL BEGIN "
        "UPDATE stock_summary SET (name, category, by_weight) = (SELECT NULLIF(p.name, ''), p.category, "
        "p.sold_by = 'weight' FROM products p WHERE p.sku = NEW.sku) WHERE sku = NEW.sku; END"),
    "products_stock_summary_insert": (
        f"CREATE TRIGGER products_stock_summary_insert AFTER INSERT ON products BEGIN {_COPY} END"),
    "products_stock_summary_update": (
        "CREATE TRIGGER products_stock_summary_update AFTER UPDATE OF sku, name, category, sold_by ON products "
        "WHEN NEW.sku IS NOT OLD.sku OR NEW.name IS NOT OLD.name OR NEW.category IS NOT OLD.category "
        "OR NEW.sold_by IS NOT OLD.sold_by BEGIN "
        "UPDATE stock_summary SET name = NULL, category = NULL, by_weight = NULL "
        f"WHERE sku = OLD.sku AND OLD.sku IS NOT NEW.sku; {_COPY} END"),
    "products_stock_summary_delete": (
        "CREATE TRIGGER products_stock_summary_delete AFTER DELETE ON products BEGIN "
        "UPDATE stock_summary SET name = NULL, category = NULL, by_weight = NULL WHERE sku = OLD.sku; END"),
}

FILL = ("UPDATE stock_summary SET name = NULLIF(p.name, ''), category = p.category, by_weight = p.sold_by = 'weight' "
        "FROM products p WHERE p.sku = stock_summary.sku")


def upgrade() -> None:
    for column in COLUMNS:
        op.execute(f"ALTER TABLE stock_summary ADD COLUMN {column}")
    op.execute(FILL)
    for sql in TRIGGERS.values():
        op.execute(sql)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE stock_summary DROP COLUMN {column.split()[0]}")
