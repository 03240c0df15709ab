"""The figures a sale or return line keeps in the read models: list value, reductions by kind, net, tax.

One function per document, used by the projection (live writes and ``ledger verify``) and by the
migration that fills them in for older rows, so both always agree.
"""

from __future__ import annotations

from .money import Fen
from .returns import Return
from .sale import Sale
from .tax import line_taxes


def sale_line_figures(sale: Sale) -> list[dict[str, Fen]]:
    """For each line: list value − (折扣 + 改价 + 赠送 + 促销 + 积分抵扣 + 抹零) = net, and its part of the sale's tax."""
    taxes = line_taxes([ln.rate_amounts() for ln in sale.lines])
    out = []
    for ln, tax in zip(sale.lines, taxes, strict=True):
        r = ln.reductions
        out.append({"list_value_fen": ln.list_total_fen, "discount_fen": r.discount_fen, "override_fen": r.override_fen,
                    "gift_fen": r.gift_fen, "rounding_fen": r.rounding_fen, "net_fen": ln.net_fen, "tax_fen": tax,
                    "promotion_fen": r.promotion_fen, "points_fen": r.points_fen})
    return out


def return_line_taxes(ret: Return) -> list[Fen]:
    """Each return line's part of the tax its refund takes back (a gift box at its components' rates)."""
    return line_taxes([list(ln.rate_split) or [(ln.tax_rate_bp, ln.refund_fen)] for ln in ret.lines])
