"""The stock a sale or return moves, worked out inside its own transaction (issue 15).

Called by the checkout and return services between building the document and journaling it: the
draws go into the payload, so the journal — and head office — says which lot every line came from
and what it cost, and the stock read models follow from the entry (pos/store/stock.py). Nothing is
read while no product's stock is followed (the writer caches that), so a till that never received a
batch sells exactly as before. Practice (training) sales move no stock.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pos.domain.pricing import allocate
from pos.domain.returns import Return, Returned
from pos.domain.sale import Sale
from pos.domain.stock import DrawItem, StockDraw, return_stock_draws, sale_draws, unlotted_return


def draw_items(sale: Sale) -> list[DrawItem]:
    """What each line takes out: the product itself, or each component of a gift box with its revenue."""
    items: list[DrawItem] = []
    for ln in sale.lines:
        if ln.components:
            items.extend(DrawItem(ln.line_no, c.sku, c.quantity, c.revenue_fen) for c in ln.components)
        else:
            items.append(DrawItem(ln.line_no, ln.sku, ln.quantity, ln.net_fen))
    return items


def for_sale(uow: Any, sale: Sale) -> tuple[StockDraw, ...]:
    """The lots ``sale`` draws from (first expiry first), read and worked out in ``uow``'s transaction."""
    if sale.training or not uow.stock_followed():
        return ()
    items = draw_items(sale)
    skus = {i.sku for i in items}
    state = uow.stock_state(skus)
    draws, after = sale_draws(state, items, today=date.fromisoformat(sale.business_day))
    uow.stock_drawn(after, skus)  # what the sale's entry leaves in these lots: the next sale of them reads nothing
    return draws


def for_return(uow: Any, ret: Return, sale: Sale | None, already: Returned | None) -> tuple[StockDraw, ...]:
    """Where the goods of ``ret`` go back: into the lots the sale's lines drew from (the latest drawn
    first, at the cost they took out), or — no receipt, or a sale made before stock was followed —
    as unlotted stock of a followed product."""
    if ret.training or not uow.stock_followed():
        return ()
    out: list[StockDraw] = []
    sale_lines = {ln.line_no: ln for ln in sale.lines} if sale is not None else {}
    state = None
    for rl in ret.lines:
        orig = sale_lines.get(rl.orig_line_no) if rl.orig_line_no is not None else None
        if orig is not None and sale is not None and sale.draws:
            before = already.quantity_by_line.get(orig.line_no, 0) if already is not None else 0
            if orig.components:
                shares = allocate(rl.refund_fen, [c.revenue_fen for c in orig.components])
                for c, share in zip(orig.components, shares, strict=True):
                    per = c.quantity // orig.quantity if orig.quantity else 0
                    out.extend(return_stock_draws(sale.draws, line_no=rl.line_no, orig_line=orig.line_no, sku=c.sku,
                                                  quantity=per * rl.quantity, already_returned=per * before,
                                                  refund_fen=share))
            else:
                out.extend(return_stock_draws(sale.draws, line_no=rl.line_no, orig_line=orig.line_no, sku=rl.sku,
                                              quantity=rl.quantity, already_returned=before, refund_fen=rl.refund_fen))
            continue
        if rl.orig_line_no is not None:
            continue  # a line of a sale that drew nothing: its stock was not followed then
        if state is None:
            state = uow.stock_state(x.sku for x in ret.lines)
        back = unlotted_return(state, line_no=rl.line_no, sku=rl.sku, quantity=rl.quantity, refund_fen=rl.refund_fen)
        if back is not None:
            out.append(back)
    return tuple(out)
