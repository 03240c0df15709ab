"""促销 and 积分抵扣 on sale lines (issue 17): what promotions and a member's points took off each line.

Lines written before promotions existed took nothing off that way (0); a sale that already carries
them (a till that sold with promotions before this migration) gets them from its journal entry with
the same domain function the projection uses (:mod:`pos.domain.figures`), so ``ledger verify`` agrees.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = ("promotion_fen", "points_fen")


def upgrade() -> None:
    from pos.domain.figures import sale_line_figures
    from pos.domain.sale import Sale

    for name in COLUMNS:
        op.add_column("sale_lines", sa.Column(name, sa.Integer, nullable=False, server_default="0"))
    conn = op.get_bind()
    update = sa.text("UPDATE sale_lines SET promotion_fen = :promotion_fen, points_fen = :points_fen "
                     "WHERE receipt_no = :receipt_no AND line_no = :line_no")
    rows = conn.execute(sa.text("SELECT terminal_id, business_day, payload FROM journal WHERE kind = 'sale' "
                                "AND (payload LIKE '%\"promotion\":%' OR payload LIKE '%\"points_share\":%')")).all()
    for terminal_id, business_day, payload in rows:
        sale = Sale.from_payload(terminal_id, business_day, json.loads(payload))
        params = [{"receipt_no": sale.receipt_no, "line_no": ln.line_no, "promotion_fen": f["promotion_fen"],
                   "points_fen": f["points_fen"]} for ln, f in zip(sale.lines, sale_line_figures(sale), strict=True)]
        if params:
            conn.execute(update, params)


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("sale_lines", name)
