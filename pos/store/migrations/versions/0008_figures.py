"""Reductions by kind and tax on sale and return lines: list value, 折扣, 改价, 赠送, 抹零, net and tax.

Existing rows are filled from their journal entries with the same domain functions the projection
uses (:mod:`pos.domain.figures`), so ``ledger verify`` — which rebuilds the read models from the
journal — agrees with what this migration leaves. Entries written before the figures were stored
have them derived (an override shows through the line's ``list_price``). The journal is not touched.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SALE_LINE_COLUMNS = ("list_value_fen", "discount_fen", "override_fen", "gift_fen", "rounding_fen", "net_fen", "tax_fen")


def upgrade() -> None:
    from pos.domain.figures import return_line_taxes, sale_line_figures
    from pos.domain.returns import Return
    from pos.domain.sale import Sale

    for name in SALE_LINE_COLUMNS:
        op.add_column("sale_lines", sa.Column(name, sa.Integer, nullable=False, server_default="0"))
    op.add_column("return_lines", sa.Column("tax_fen", sa.Integer, nullable=False, server_default="0"))

    conn = op.get_bind()
    sets = ", ".join(f"{c} = :{c}" for c in SALE_LINE_COLUMNS)
    update_sale = sa.text(f"UPDATE sale_lines SET {sets} WHERE receipt_no = :receipt_no AND line_no = :line_no")
    update_return = sa.text("UPDATE return_lines SET tax_fen = :tax_fen WHERE return_no = :return_no AND line_no = :line_no")
    rows = conn.execute(sa.text("SELECT terminal_id, business_day, kind, payload FROM journal "
                                "WHERE kind IN ('sale', 'return') ORDER BY terminal_id, seq")).all()
    for terminal_id, business_day, kind, payload in rows:
        p = json.loads(payload)
        if kind == "sale":
            sale = Sale.from_payload(terminal_id, business_day, p)
            params = [{"receipt_no": sale.receipt_no, "line_no": ln.line_no, **figures}
                      for ln, figures in zip(sale.lines, sale_line_figures(sale), strict=True)]
            if params:
                conn.execute(update_sale, params)
        else:
            ret = Return.from_payload(p)
            params = [{"return_no": ret.return_no, "line_no": ln.line_no, "tax_fen": tax}
                      for ln, tax in zip(ret.lines, return_line_taxes(ret), strict=True)]
            if params:
                conn.execute(update_return, params)


def downgrade() -> None:
    op.drop_column("return_lines", "tax_fen")
    for name in reversed(SALE_LINE_COLUMNS):
        op.drop_column("sale_lines", name)
