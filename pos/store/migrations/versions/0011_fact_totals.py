"""Report facts as running totals: fact_figures per (business day, shift), fact_totals per key besides.

The per-entry fact tables of 0010 (fact_docs, fact_amounts, fact_tax) made a sale insert ~10 rows into
six b-trees and a Z sum thousands of rows; fact_figures and fact_totals (pos/store/facts.py,
pos/store/schema.py) hold the same sums already added up, so a sale updates a few rows of two small
tables and a Z reads a few dozen rows.

The upgrade fills them from the 0010 tables in SQL (those hold, per entry, exactly what the new rows
add up), with entries naming no shift put in the shift that held them and each row's journal_seq the
last entry that added to it — what ``ledger verify`` rebuilds from the journal. The downgrade brings
the 0010 tables back and fills them from the journal as 0010 did.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FIGURES = ("sales_count", "returns_count", "voids_count", "training_count", "void_fen", "gross_fen", "list_total_fen",
           "discount_fen", "override_fen", "gift_fen", "rounding_fen", "sales_fen", "refunds_fen", "cash_in_fen",
           "cash_out_fen")

# Each 0010 row with the shift it counts in: the one it names, else the one holding its seq (0: none).
_SHIFT = ("COALESCE(f.shift_no, (SELECT COALESCE(MAX(s.shift_no), 0) FROM shifts AS s WHERE s.opened_seq <= f.journal_seq "
          "AND (s.closed_seq IS NULL OR s.closed_seq >= f.journal_seq)))")


def _select(table: str, columns: str, where: str = "1") -> str:
    return f"SELECT f.business_day AS d, {_SHIFT} AS s, {columns}, f.journal_seq AS q FROM {table} AS f WHERE {where}"


def upgrade() -> None:
    def day_shift() -> list[sa.Column]:
        return [sa.Column("business_day", sa.String, primary_key=True),
                sa.Column("shift_no", sa.Integer, primary_key=True, autoincrement=False)]

    op.create_table("fact_figures", *day_shift(), *[sa.Column(name, sa.Integer, nullable=False) for name in FIGURES],
                    sa.Column("journal_seq", sa.Integer, nullable=False), sqlite_with_rowid=False)
    op.create_table("fact_totals", *day_shift(), sa.Column("dim", sa.String, primary_key=True),
                    sa.Column("key", sa.Text, primary_key=True), sa.Column("amount_fen", sa.Integer, nullable=False),
                    sa.Column("net_fen", sa.Integer, nullable=False), sa.Column("tax_fen", sa.Integer, nullable=False),
                    sa.Column("by_rate_fen", sa.Integer, nullable=True),
                    sa.Column("journal_seq", sa.Integer, nullable=False), sqlite_with_rowid=False)
    op.create_index("ix_fact_totals_shift", "fact_totals", ["shift_no"])
    names = ", ".join(FIGURES)
    op.execute(f"INSERT INTO fact_figures (business_day, shift_no, {names}, journal_seq) "
               f"SELECT d, s, {', '.join(f'SUM({c})' for c in FIGURES)}, MAX(q) "
               f"FROM ({_select('fact_docs', ', '.join(f'f.{c} AS {c}' for c in FIGURES))}) GROUP BY d, s")
    parts = (_select("fact_amounts", "f.dim AS dim, f.key AS k, f.amount_fen AS a, 0 AS n, 0 AS x, NULL AS b"),
             _select("fact_tax", "'tax' AS dim, f.rate AS k, f.gross_fen AS a, f.net_fen AS n, f.tax_fen AS x, "
                                 "f.by_rate_fen AS b"))
    op.execute("INSERT INTO fact_totals (business_day, shift_no, dim, key, amount_fen, net_fen, tax_fen, by_rate_fen, "
               "journal_seq) SELECT d, s, dim, k, SUM(a), SUM(n), SUM(x), SUM(b), MAX(q) FROM ("
               + " UNION ALL ".join(parts) + ") GROUP BY d, s, dim, k")
    for table in ("fact_tax", "fact_amounts", "fact_docs"):
        op.drop_table(table)


def downgrade() -> None:
    op.drop_index("ix_fact_totals_shift", "fact_totals")
    op.drop_table("fact_totals")
    op.drop_table("fact_figures")
    def entry() -> list[sa.Column]:
        return [sa.Column("journal_seq", sa.Integer, primary_key=True, autoincrement=False),
                sa.Column("terminal_id", sa.String, primary_key=True)]

    def where() -> list[sa.Column]:
        return [sa.Column("business_day", sa.String, nullable=False), sa.Column("shift_no", sa.Integer, nullable=True)]

    op.create_table("fact_docs", *entry(), *where(), sa.Column("kind", sa.String, nullable=False),
                    sa.Column("training", sa.Boolean, nullable=False),
                    *[sa.Column(name, sa.Integer, nullable=False) for name in FIGURES], sqlite_with_rowid=False)
    op.create_index("ix_fact_docs_day", "fact_docs", ["business_day"])
    op.create_table("fact_amounts", *entry(), sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
                    *where(), sa.Column("dim", sa.String, nullable=False), sa.Column("key", sa.Text, nullable=False),
                    sa.Column("amount_fen", sa.Integer, nullable=False), sqlite_with_rowid=False)
    op.create_index("ix_fact_amounts_day", "fact_amounts", ["business_day", "dim", "key", "amount_fen"])
    op.create_table("fact_tax", *entry(), sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
                    *where(), sa.Column("rate", sa.String, nullable=False),
                    sa.Column("gross_fen", sa.Integer, nullable=False), sa.Column("net_fen", sa.Integer, nullable=False),
                    sa.Column("tax_fen", sa.Integer, nullable=False), sa.Column("by_rate_fen", sa.Integer, nullable=True),
                    sqlite_with_rowid=False)
    op.create_index("ix_fact_tax_day", "fact_tax", ["business_day", "rate", "gross_fen", "net_fen", "tax_fen",
                                                    "by_rate_fen"])
    # The rows themselves as 0010 wrote them, by its own code (the file beside this one).
    spec = importlib.util.spec_from_file_location("_report_facts_0010", Path(__file__).with_name("0010_report_facts.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module._fill(op.get_bind().connection.driver_connection)
