"""Returns: never more than was sold, refunds to the original tenders, exact to the fen in the end."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.cart import Cart
from pos.domain.catalog import Product, SoldBy
from pos.domain.pricing import Discount, DiscountKind, RoundingMode
from pos.domain.returns import Return, Returned, ReturnError, plan_return
from pos.domain.sale import build_sale
from pos.domain.tenders import Tender, TenderKind, settle
from pos.domain.users import Role


def _sale(items, tenders_spec, sale_pct=0, mode=RoundingMode.NONE):
    cart = Cart()
    for i, (price, qty, weighed) in enumerate(items):
        p = Product(f"S{i}", f"商品{i}", price, SoldBy.WEIGHT if weighed else SoldBy.UNIT)
        cart = cart.add(p, qty)
    if sale_pct:
        cart = cart.discount_sale(Discount(DiscountKind.PERCENT, sale_pct), by=Role.MANAGER)
    due = cart.totals(mode).total_fen
    tenders, left = [], due
    for kind, share in tenders_spec:
        amount = min(left, max(1, due * share // 100))
        if amount > 0 and left > 0:
            tenders.append(Tender(kind, amount, "ref"))
            left -= amount
    tenders.append(Tender(TenderKind.CASH, left + 500))
    return build_sale(receipt_no="MX01-20261122-0001", terminal_id="MX01", business_day="2026-11-22",
                      cashier_login="c", cashier_name="c", cart=cart, settlement=settle(due, tenders), rounding=mode)


items_st = st.lists(st.tuples(st.integers(1, 50_000), st.integers(1, 5), st.just(False)), min_size=1, max_size=5)
weighed_st = st.lists(st.tuples(st.integers(100, 20_000), st.integers(1, 3000), st.just(True)), max_size=2)
tenders_st = st.lists(st.tuples(st.sampled_from([TenderKind.WECHAT, TenderKind.ALIPAY]), st.integers(1, 60)), max_size=2)


@settings(max_examples=150, deadline=None)
@given(items_st, weighed_st, tenders_st, st.integers(0, 2000), st.sampled_from(list(RoundingMode)), st.data())
def test_returning_in_parts_never_exceeds_the_sale_and_ends_exact(items, weighed, tenders, pct, mode, data) -> None:
    sale = _sale(items + weighed, tenders, pct, mode)
    earlier: list[Return] = []
    while True:
        already = Returned.of(sale, earlier)
        left = {ln.line_no: ln.quantity - already.quantity_by_line.get(ln.line_no, 0) for ln in sale.lines}
        open_lines = [n for n, q in left.items() if q > 0]
        if not open_lines:
            break
        line_no = data.draw(st.sampled_from(open_lines))
        qty = data.draw(st.integers(1, left[line_no]))
        plan = plan_return(sale, {line_no: qty}, already)
        assert sum(t.amount_fen for t in plan.refunds) == plan.refund_fen >= 0
        earlier.append(Return(f"R{len(earlier)}", sale.receipt_no, "c", "c", plan.lines, plan.refunds, (),
                              refund_of=plan.refund_of))
        with pytest.raises(ReturnError):
            plan_return(sale, {line_no: left[line_no] - qty + 1}, Returned.of(sale, earlier))
    refunded = sum(r.refund_fen for r in earlier)
    assert refunded == sale.total_fen  # everything back, to the fen, never more
    cash_refund = sum(t.amount_fen for r in earlier for t in r.refunds if t.kind is TenderKind.CASH)
    cash_paid = sum(t.amount_fen for t in sale.tenders if t.kind is TenderKind.CASH) - sale.change_fen
    assert cash_refund == cash_paid


def test_a_training_sale_cannot_be_returned() -> None:
    sale = _sale([(1000, 1, False)], [])
    practice = build_sale(receipt_no="MX01-20261122-T0001", terminal_id="MX01", business_day="2026-11-22",
                          cashier_login="c", cashier_name="c", cart=Cart().add(Product("S", "x", 1000)),
                          settlement=settle(1000, [Tender(TenderKind.CASH, 1000)]), training=True)
    assert plan_return(sale, {1: 1}, Returned({}, {}, {})).lines
    with pytest.raises(ReturnError):
        plan_return(practice, {1: 1}, Returned({}, {}, {}))
