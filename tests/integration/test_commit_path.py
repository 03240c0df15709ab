"""The sale commit's shortcuts (issue 14, target 1) give what the long way gives.

* a cart with no discount and no price changed skips ``required_approvals``: for such a cart it
  finds nothing, for every role, whatever the cart;
* the sale lines are built without copying each cart line to price it at list (``dataclasses.replace``)
  and with the cart's totals worked out once: a sale of overridden, discounted, weighed and
  scale-labelled lines is the sale the cart's own figures describe;
* the background checkpoint thread is not woken by each commit of sales rung up back to back, and
  still copies the WAL back once the till pauses.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.cart import Cart, CartLine
from pos.domain.catalog import Product, SoldBy
from pos.domain.limits import required_approvals
from pos.domain.money import weighed_amount
from pos.domain.pricing import Discount, DiscountKind, RoundingMode
from pos.domain.sale import Sale, build_receipt, build_sale, cart_figures
from pos.domain.tenders import Tender, TenderKind, settle
from pos.domain.users import Role
from pos.services.checkout import _nothing_to_approve
from pos.store import writer as W
from tests.conftest import login_cashier

PRODUCTS = (
    Product("A1", "松阳土鸡蛋 30枚装", 4500, barcode="6972316000170", category="肉禽蛋", origin="松阳", tax_rate_bp=900),
    Product("A2", "茂县大红袍花椒", 2800, barcode="6945837000172", category="调味品", origin="茂县", tax_rate_bp=1300),
    Product("W1", "冰糖心苹果", 1280, sold_by=SoldBy.WEIGHT, unit="kg", plu="102", category="水果", origin="茂县",
            tax_rate_bp=900),
    Product("V1", "羽绒服", 39_900, barcode="6900000000011", category="服装", origin="平湖", color="黑色", size="XL"),
)

discounts = st.none() | st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(1, 10_000)) | st.builds(
    Discount, st.just(DiscountKind.AMOUNT), st.integers(1, 5_000))


@st.composite
def carts(draw) -> Cart:  # noqa: ANN001
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        p = draw(st.sampled_from(PRODUCTS))
        qty = draw(st.integers(1, 3_000)) if p.weighed else draw(st.integers(1, 5))
        price = draw(st.none() | st.just(p.price_fen) | st.integers(0, 50_000))
        label = draw(st.none() | st.integers(1, 90_000)) if p.weighed else None
        lines.append(CartLine(p, qty, price_fen=price, label_amount_fen=label, discount=draw(discounts)))
    return Cart(tuple(lines), draw(discounts))


@settings(max_examples=300, deadline=None)
@given(carts())
def test_a_cart_with_nothing_taken_off_needs_no_approval_for_anyone(cart: Cart) -> None:
    if _nothing_to_approve(cart):
        for role in Role:
            assert required_approvals(cart, role, RoundingMode.NONE) == ()
    plain = Cart(tuple(CartLine(ln.product, ln.quantity, label_amount_fen=ln.label_amount_fen) for ln in cart.lines))
    assert _nothing_to_approve(plain)


@settings(max_examples=300, deadline=None)
@given(carts(), st.sampled_from(list(RoundingMode)))
def test_the_sale_is_the_one_the_cart_describes(cart: Cart, rounding: RoundingMode) -> None:
    totals = cart.totals(rounding)
    settlement = settle(totals.total_fen, [Tender(TenderKind.CASH, totals.total_fen + 10_000)])
    kw = dict(receipt_no="MX01-20261122-0001", terminal_id="MX01", business_day="2026-11-22", cashier_login="c1",
              cashier_name="收银员一", cart=cart, settlement=settlement, rounding=rounding, shift_no=1)
    sale = build_sale(**kw)
    assert build_sale(**kw, totals=totals) == sale
    for sl, cl in zip(sale.lines, cart.lines, strict=True):
        assert (sl.gross_fen, sl.discount_fen, sl.amount_fen) == (cl.gross_fen, cl.discount_fen, cl.amount_fen)
        p = cl.product
        at_list = (cl.label_amount_fen if cl.label_amount_fen is not None
                   else weighed_amount(p.price_fen, cl.quantity) if p.weighed else p.price_fen * cl.quantity)
        assert sl.list_total_fen == at_list
    assert sum(ln.net_fen for ln in sale.lines) == sale.total_fen == totals.total_fen
    payload = sale.to_payload()
    assert Sale.from_payload("MX01", "2026-11-22", payload) == sale
    list_total, reductions = cart_figures(cart, rounding)
    assert payload["list_total"] == list_total and payload["reductions"] == reductions.to_json()
    assert [ln["reductions"] for ln in payload["lines"]] == [ln.reductions.to_json() for ln in sale.lines]
    receipt = build_receipt(sale, store_name="连心", counter_name="1号", printed_at="2026-11-22 09:00:00")
    assert dict(receipt.reductions) == {"折扣": reductions.discount_fen, "改价": reductions.override_fen,
                                        "赠送": reductions.gift_fen, "抹零": reductions.rounding_fen}
    assert sum(ln.amount_fen for ln in receipt.lines) == list_total


def test_sales_back_to_back_do_not_wake_the_checkpoint_thread_and_a_pause_still_checkpoints(demo_till) -> None:  # noqa: ANN001
    with sqlite3.connect(demo_till.db.path) as c:
        codes = [r[0] for r in c.execute("SELECT barcode FROM products WHERE store_code='MX' AND barcode IS NOT NULL "
                                         "ORDER BY sku LIMIT 5")]
    cashier = login_cashier(demo_till)
    products = [demo_till.lookup.find(code) for code in codes]
    cp = W.checkpointer_of(demo_till.db)
    cp.idle_s = 2.0  # a pause longer than the sales below take, even on a loaded host
    woken = []
    real_set = cp._wake.set
    cp._wake.set = lambda: (woken.append(threading.current_thread().name), real_set())[1]  # type: ignore[method-assign]
    rnd = random.Random(3)
    runs = cp.runs
    for _ in range(30):
        cart = Cart()
        for p in rnd.sample(products, 2):
            cart = cart.add(p, rnd.randint(1, 3))
        demo_till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, 1_000_000)], cashier)
    assert len(woken) <= 2  # the first commit wakes it; then it sleeps until the pause, whatever comes
    end = time.monotonic() + 10
    while cp.runs == runs and time.monotonic() < end:
        time.sleep(0.02)
    assert cp.runs > runs and cp.last is not None and cp.last[1] == cp.last[2]
    with sqlite3.connect(f"file:{demo_till.db.path}?mode=ro", uri=True) as c:
        assert c.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 30
