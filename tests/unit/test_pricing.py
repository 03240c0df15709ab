"""Discounts, price overrides, 抹零 and the manager's approval, as the counter meets them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.cart import Cart
from pos.domain.catalog import Product, SoldBy
from pos.domain.errors import CartError
from pos.domain.permissions import Action, Approval, ApprovalRequired, NotPermitted
from pos.domain.pricing import Discount, DiscountKind, RoundingMode, allocate, parse_discount, rounding_adjustment
from pos.domain.sale import sale_lines_from_cart
from pos.domain.users import Role

APPLE = Product("MX-F002", "冰糖心苹果", 1280, SoldBy.WEIGHT, plu="102", unit="kg")
HONEY = Product("MX-G001", "松阳土蜂蜜", 6800, barcode="6901234567892")
OIL = Product("MX-G002", "松阳山茶油", 8800, barcode="6901234567908")


def _approval(action: Action) -> Approval:
    return Approval(action, "manager1", Role.MANAGER, "cashier1", "2026-11-22T02:00:00Z")


@pytest.mark.parametrize("typed, kind, value", [("10%", "percent", 1000), ("9折", "percent", 1000),
                                                ("8.5折", "percent", 1500), ("5", "amount", 500), ("12.5%", "percent", 1250)])
def test_discounts_are_typed_the_way_counters_say_them(typed, kind, value) -> None:
    d = parse_discount(typed)
    assert (d.kind.value, d.value) == (kind, value)


@pytest.mark.parametrize("typed", ["", "abc", "110%", "0", "-5", "10折", "9.55折"])
def test_nonsense_discounts_are_refused(typed) -> None:
    with pytest.raises(Exception) as exc:
        parse_discount(typed)
    assert getattr(exc.value, "message_zh", "")


@pytest.mark.parametrize(
    "mode, total, adj",
    [(RoundingMode.NONE, 1606, 0), (RoundingMode.DROP_FEN, 1606, -6), (RoundingMode.DROP_JIAO, 1686, -86),
     (RoundingMode.ROUND_JIAO, 1606, 4), (RoundingMode.ROUND_JIAO, 1604, -4), (RoundingMode.ROUND_YUAN, 1650, 50),
     (RoundingMode.ROUND_YUAN, 1649, -49), (RoundingMode.DROP_FEN, 1600, 0)],
)
def test_rounding_off_modes(mode, total, adj) -> None:
    assert rounding_adjustment(total, mode) == adj


def test_a_cashier_gives_ten_percent_alone_but_needs_a_manager_for_more() -> None:
    cart = Cart().add(HONEY)
    assert cart.discount_line(0, Discount(DiscountKind.PERCENT, 1000), by=Role.CASHIER).totals().total_fen == 6120
    with pytest.raises(ApprovalRequired) as exc:
        cart.discount_line(0, Discount(DiscountKind.PERCENT, 2000), by=Role.CASHIER)
    assert "店长授权" in exc.value.message_zh
    approved = cart.discount_line(0, Discount(DiscountKind.PERCENT, 2000), by=Role.CASHIER,
                                  approval=_approval(Action.DISCOUNT_OVER_LIMIT))
    assert approved.totals().total_fen == 5440
    assert approved.lines[0].approvals[0].approver == "manager1"


def test_an_approval_for_another_action_does_not_count() -> None:
    with pytest.raises(ApprovalRequired):
        Cart().add(HONEY).override_price(0, 5000, by=Role.CASHIER, approval=_approval(Action.RETURN))


def test_a_cashier_cannot_approve_and_an_accountant_cannot_override() -> None:
    cashier_ok = Approval(Action.PRICE_OVERRIDE, "cashier2", Role.CASHIER, "cashier1", "t")
    with pytest.raises(NotPermitted):
        Cart().add(HONEY).override_price(0, 5000, by=Role.CASHIER, approval=cashier_ok)
    with pytest.raises(NotPermitted):
        Cart().add(HONEY).override_price(0, 5000, by=Role.ACCOUNTANT)


def test_whole_sale_discount_and_rounding_spread_over_lines_to_the_fen() -> None:
    cart = Cart().add(HONEY).add(OIL).add(APPLE, 1255)
    cart = cart.discount_sale(Discount(DiscountKind.AMOUNT, 1000), by=Role.MANAGER)
    t = cart.totals(RoundingMode.DROP_JIAO)
    assert (t.gross_fen, t.sale_discount_fen) == (6800 + 8800 + 1606, 1000)
    assert t.total_fen == 16200 and t.rounding_fen == -6
    lines = sale_lines_from_cart(cart, RoundingMode.DROP_JIAO)
    assert sum(ln.net_fen for ln in lines) == t.total_fen
    assert sum(ln.sale_discount_share_fen for ln in lines) == 1000


def test_overriding_a_price_needs_approval_for_a_cashier_and_keeps_the_list_price() -> None:
    cart = Cart().add(HONEY).override_price(0, 6000, by=Role.MANAGER)
    (line,) = sale_lines_from_cart(cart)
    assert (line.unit_price_fen, line.list_price_fen, line.amount_fen) == (6000, 6800, 6000)


def test_a_scale_label_is_charged_as_printed_and_cannot_change_quantity() -> None:
    cart = Cart().add(APPLE, 1255, label_amount_fen=1607)
    assert cart.total_fen == 1607
    with pytest.raises(CartError):
        cart.set_quantity(0, 2000)


@given(st.integers(-10**7, 10**7), st.lists(st.integers(0, 10**6), min_size=1, max_size=30))
def test_allocation_sums_exactly_and_stays_in_proportion(total, weights) -> None:
    shares = allocate(total, weights)
    assert sum(shares) == total
    base = sum(weights)
    if base:
        for s, w in zip(shares, weights, strict=True):
            assert abs(s * base - total * w) <= base


@given(
    st.lists(st.tuples(st.integers(1, 200_000), st.integers(1, 20), st.integers(0, 1000)), min_size=1, max_size=12),
    st.integers(0, 3000), st.sampled_from(list(RoundingMode)),
)
def test_total_is_lines_less_discounts_plus_rounding(items, sale_pct, mode) -> None:
    cart = Cart()
    for i, (price, qty, pct) in enumerate(items):
        cart = cart.add(Product(f"S{i}", f"商品{i}", price), qty)
        if pct:
            cart = cart.discount_line(i, Discount(DiscountKind.PERCENT, pct), by=Role.MANAGER)
    if sale_pct:
        cart = cart.discount_sale(Discount(DiscountKind.PERCENT, sale_pct), by=Role.MANAGER)
    t = cart.totals(mode)
    assert t.total_fen == t.gross_fen - t.line_discount_fen - t.sale_discount_fen + t.rounding_fen
    assert t.total_fen >= 0
    assert sum(ln.net_fen for ln in sale_lines_from_cart(cart, mode)) == t.total_fen
    if mode in (RoundingMode.DROP_FEN, RoundingMode.DROP_JIAO):
        assert t.rounding_fen <= 0  # never against the customer unless the store chose to round
