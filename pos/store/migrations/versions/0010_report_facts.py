"""Report facts: what each sale, return, void and cash movement adds to period totals, as rows.

Z, X and 交班 become SQL sums over fact_docs, fact_amounts and fact_tax (pos/store/totals.py)
instead of reading every payload of the period. Existing entries get their rows from the journal
with the same domain function the live write uses (``PeriodTotals.add`` of the entry alone, see
pos/store/facts.py), so ``ledger verify`` — which rebuilds these tables from the journal — agrees
with what this migration leaves. Also an index on the journal's (business_day, seq), so a Z finds
its day's first and last entry without reading the journal. The journal is not touched.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The figures of fact_docs, as PeriodTotals names them (the column names are the same).
FIGURES = ("sales_count", "returns_count", "voids_count", "training_count", "void_fen", "gross_fen", "list_total_fen",
           "discount_fen", "override_fen", "gift_fen", "rounding_fen", "sales_fen", "refunds_fen", "cash_in_fen",
           "cash_out_fen")
COUNTED = ("sale", "return", "void", "cash_in", "cash_out")


def _entry_columns() -> list[sa.Column]:
    return [sa.Column("journal_seq", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("terminal_id", sa.String, primary_key=True)]


def _where() -> list[sa.Column]:
    return [sa.Column("business_day", sa.String, nullable=False), sa.Column("shift_no", sa.Integer, nullable=True)]


def upgrade() -> None:
    op.create_table("fact_docs", *_entry_columns(), *_where(), sa.Column("kind", sa.String, nullable=False),
                    sa.Column("training", sa.Boolean, nullable=False),
                    *[sa.Column(name, sa.Integer, nullable=False) for name in FIGURES], sqlite_with_rowid=False)
    op.create_index("ix_fact_docs_day", "fact_docs", ["business_day"])
    op.create_table("fact_amounts", *_entry_columns(), sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
                    *_where(), sa.Column("dim", sa.String, nullable=False), sa.Column("key", sa.Text, nullable=False),
                    sa.Column("amount_fen", sa.Integer, nullable=False), sqlite_with_rowid=False)
    op.create_index("ix_fact_amounts_day", "fact_amounts", ["business_day", "dim", "key", "amount_fen"])
    op.create_table("fact_tax", *_entry_columns(), sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
                    *_where(), sa.Column("rate", sa.String, nullable=False),
                    sa.Column("gross_fen", sa.Integer, nullable=False), sa.Column("net_fen", sa.Integer, nullable=False),
                    sa.Column("tax_fen", sa.Integer, nullable=False), sa.Column("by_rate_fen", sa.Integer, nullable=True),
                    sqlite_with_rowid=False)
    op.create_index("ix_fact_tax_day", "fact_tax", ["business_day", "rate", "gross_fen", "net_fen", "tax_fen",
                                                    "by_rate_fen"])
    op.create_index("ix_journal_day_seq", "journal", ["business_day", "seq"])
    _fill(op.get_bind().connection.driver_connection)


def _fill(dbapi) -> None:  # noqa: ANN001 - the sqlite3 connection of the migration's transaction
    from pos.domain.closing import PeriodTotals
    from pos.domain.ledger import JournalEntry

    insert_doc = (f"INSERT INTO fact_docs (journal_seq, terminal_id, business_day, shift_no, kind, training, "
                  f"{', '.join(FIGURES)}) VALUES ({', '.join('?' * (6 + len(FIGURES)))})")
    insert_amount = ("INSERT INTO fact_amounts (journal_seq, terminal_id, idx, business_day, shift_no, dim, key, "
                     "amount_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    insert_tax = ("INSERT INTO fact_tax (journal_seq, terminal_id, idx, business_day, shift_no, rate, gross_fen, "
                  "net_fen, tax_fen, by_rate_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    marks = ", ".join("?" * len(COUNTED))
    cursor = dbapi.execute(f"SELECT terminal_id, seq, kind, business_day, created_at, payload FROM journal "
                           f"WHERE kind IN ({marks}) ORDER BY terminal_id, seq", COUNTED)
    while batch := cursor.fetchmany(2000):
        docs, amounts, taxes = [], [], []
        for terminal, seq, kind, day, created_at, payload in batch:
            p = json.loads(payload)
            training = bool(p.get("training"))
            if training and kind != "sale":
                continue  # adds nothing to any total (PeriodTotals.add returns before counting it)
            t = PeriodTotals()
            t.add(JournalEntry(terminal, seq, kind, day, created_at, p, "", ""))
            shift = p.get("shift")
            docs.append((seq, terminal, day, shift, kind, training, *(getattr(t, name) for name in FIGURES)))
            i = 0
            for dim, figures in (("tender", t.by_tender), ("category", t.by_category), ("origin", t.by_origin)):
                for key, amount in figures.items():
                    amounts.append((seq, terminal, i, day, shift, dim, key, amount))
                    i += 1
            for i, (label, r) in enumerate(t.tax_by_rate.items()):
                taxes.append((seq, terminal, i, day, shift, label, r["gross"], r["net"], r["tax"],
                              t.by_tax_rate.get(label)))
        dbapi.executemany(insert_doc, docs)
        dbapi.executemany(insert_amount, amounts)
        dbapi.executemany(insert_tax, taxes)


def downgrade() -> None:
    op.drop_index("ix_journal_day_seq", "journal")
    for table in ("fact_tax", "fact_amounts", "fact_docs"):
        op.drop_table(table)
