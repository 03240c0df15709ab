"""Normalised payment references: the read models of an old database are brought to the form the
journal now projects to (``V888 `` → ``V888``, ``ｍｘｇｘｓ`` → ``MXGXS``), with the same function
the till uses, so ``ledger verify`` (which rebuilds them from the journal) still agrees. The
journal itself is never touched: its entries keep the text as typed (the hash covers it).
Institution account codes are normalised too, unless that would clash with an existing code.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _normalised(tender: str, reference: str | None) -> str | None:
    from pos.domain.tenders import TenderKind, tender_reference

    try:
        kind = TenderKind(tender)
    except ValueError:
        kind = TenderKind.CASH  # an unknown kind: width and spaces only, as TEXT references are
    return tender_reference(kind, reference)


def _normalise_table(conn: sa.Connection, table: str, key: str) -> None:
    rows = conn.execute(sa.text(f"SELECT {key}, idx, tender, reference FROM {table} WHERE reference IS NOT NULL")).all()
    for doc, idx, tender, reference in rows:
        new = _normalised(tender, reference)
        if new != reference:
            conn.execute(sa.text(f"UPDATE {table} SET reference = :r WHERE {key} = :k AND idx = :i"),
                         {"r": new, "k": doc, "i": idx})


def upgrade() -> None:
    from pos.domain.references import normalise_account_code

    conn = op.get_bind()
    _normalise_table(conn, "payments", "receipt_no")
    _normalise_table(conn, "refunds", "return_no")
    codes = [r[0] for r in conn.execute(sa.text("SELECT code FROM accounts")).all()]
    taken = set(codes)
    for code in codes:
        new = normalise_account_code(code)
        if new and new != code and new not in taken:
            conn.execute(sa.text("UPDATE accounts SET code = :new WHERE code = :old"), {"new": new, "old": code})
            taken.discard(code)
            taken.add(new)


def downgrade() -> None:
    pass  # the normalised text is what the journal projects to; there is nothing to undo
