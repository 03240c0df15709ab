"""A cashier's limits measured on the sale as a whole, on exact ratios; approvals cover what they approved."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pos.domain.cart import Cart
from pos.domain.catalog import Product, SoldBy
from pos.domain.errors import CartError
from pos.domain.holds import cart_from_json, cart_to_json
from pos.domain.limits import SaleNeedsApproval, ceil_bp, discount_off, format_bp, required_approvals
from pos.domain.permissions import Action, Approval, ApprovalRequired
from pos.domain.pricing import Discount, DiscountKind, RoundingMode, parse_discount
from pos.domain.users import Role

CASHIER, MANAGER = Role.CASHIER, Role.MANAGER
JACKET = Product("PM-J01", "羽绒服", 59_800)
CUP = Product("PM-C01", "保温杯", 4_000)
HONEY = Product("MX-H01", "松阳土蜂蜜", 8_800)
APPLES = Product("MX-A01", "冰糖心苹果", 1_280, sold_by=SoldBy.WEIGHT, unit="kg", plu="102")


def manager_says(action: Action) -> Approval:
    return Approval(action, "manager1", Role.MANAGER, "cashier1", "2026-11-22T02:00:00Z")


def needs(cart: Cart, role: Role = CASHIER) -> list[tuple[Action, int | None]]:
    return [(n.action, n.line) for n in required_approvals(cart, role, RoundingMode.NONE)]


# -- point 2: exact limits -----------------------------------------------------------------

@pytest.mark.parametrize("grams, total", [(1647, 2108), (41_022, 52_508)])
@pytest.mark.parametrize("typed", ["10%", "9折"])
def test_a_cashier_gives_ten_percent_on_an_odd_amount_and_needs_no_pin(grams: int, total: int, typed: str) -> None:
    cart = Cart().add(APPLES, grams)
    assert cart.lines[0].gross_fen == total  # ¥21.08 / ¥525.08: 10 % of it is not a whole fen
    by_line = cart.discount_line(0, parse_discount(typed), by=CASHIER)
    by_sale = cart.discount_sale(parse_discount(typed), by=CASHIER)
    assert needs(by_line) == [] and needs(by_sale) == []
    assert by_line.lines[0].discount_fen == (total + 5) // 10  # the fen is still rounded half up


def test_a_fixed_ten_percent_of_the_sale_is_not_over_but_one_fen_more_is() -> None:
    cart = Cart().add(CUP, 1)  # ¥40.00
    assert needs(cart.discount_sale(parse_discount("4.00"), by=CASHIER)) == []
    with pytest.raises(ApprovalRequired) as refused:
        cart.discount_sale(parse_discount("4.01"), by=CASHIER)
    assert "超过 10%" in refused.value.message_zh


@pytest.mark.parametrize("typed, pays_bp", [("9.5折", 9500), ("95折", 9500), ("8.8折", 8800), ("88折", 8800),
                                            ("9折", 9000), ("85折", 8500), ("7折", 7000), ("０.５折", 500)])
def test_zhe_is_what_the_customer_pays(typed: str, pays_bp: int) -> None:
    assert parse_discount(typed) == Discount(DiscountKind.PERCENT, 10_000 - pays_bp)


@pytest.mark.parametrize("typed, words", [("10折", "原价"), ("100折", "原价"), ("0折", "赠送"), ("05折", "不是有效折扣")])
def test_zhe_that_is_no_discount_is_refused_in_words(typed: str, words: str) -> None:
    with pytest.raises(CartError) as refused:
        parse_discount(typed)
    assert words in refused.value.message_zh


def test_exact_ratios_and_their_display() -> None:
    assert discount_off(Discount(DiscountKind.PERCENT, 1000), 2108) == Fraction(2108, 10)
    assert ceil_bp(Fraction(19, 100)) == 1900 and ceil_bp(Fraction(1, 3)) == 3334
    assert (format_bp(1900), format_bp(990), format_bp(1234)) == ("19", "9.9", "12.34")


# -- point 1: the sale as a whole ----------------------------------------------------------

def test_a_fixed_discount_of_nine_point_nine_percent_then_the_big_line_voided_needs_a_manager() -> None:
    cart = Cart().add(JACKET, 1).add(CUP, 1)  # ¥638.00
    cart = cart.discount_sale(parse_discount("63.00"), by=CASHIER)  # 9.87 %: no PIN
    assert needs(cart) == []
    rest = cart.remove(0)  # the ¥63 now takes the whole ¥40 cup
    assert rest.totals().total_fen == 0
    [need] = required_approvals(rest, CASHIER)
    assert (need.action, need.line, need.percent_bp) == (Action.DISCOUNT_OVER_LIMIT, None, 10_000)
    assert "整单优惠合计 100%" in need.what_zh


def test_a_fixed_line_discount_then_a_smaller_quantity_needs_a_manager() -> None:
    cart = Cart().add(CUP, 3).discount_line(0, parse_discount("12.00"), by=CASHIER)  # 10 % of ¥120
    assert needs(cart) == []
    fewer = cart.set_quantity(0, 1)  # ¥12 off ¥40 is 30 %
    assert needs(fewer) == [(Action.DISCOUNT_OVER_LIMIT, 0)]


def test_ten_percent_on_a_line_and_nine_zhe_on_the_sale_is_nineteen_percent_and_asks_at_once() -> None:
    cart = Cart().add(CUP, 1).discount_line(0, parse_discount("10%"), by=CASHIER)
    with pytest.raises(SaleNeedsApproval) as refused:
        cart.discount_sale(parse_discount("9折"), by=CASHIER)
    assert "19%" in refused.value.message_zh and "needs a manager's approval" in refused.value.message
    # Put together by a manager's hands, the cart is still refused for a cashier at commit.
    stacked = cart.discount_sale(parse_discount("9折"), by=MANAGER)
    assert needs(stacked) == [(Action.DISCOUNT_OVER_LIMIT, None)] and needs(stacked, MANAGER) == []


def test_an_approved_line_discount_does_not_use_up_the_cashiers_own_ten_percent() -> None:
    cart = Cart().add(HONEY, 1).add(CUP, 1)
    cart = cart.discount_line(0, parse_discount("8折"), by=CASHIER, approval=manager_says(Action.DISCOUNT_OVER_LIMIT))
    assert cart.lines[0].approvals[0].percent_bp == 2000
    assert needs(cart) == []
    # Ten percent off the sale on top counts against the cashier: the line's 10 % + the sale's.
    with pytest.raises(ApprovalRequired):
        cart.discount_sale(parse_discount("10%"), by=CASHIER)


def test_an_approval_covers_the_percent_it_approved_and_no_more() -> None:
    ok = manager_says(Action.DISCOUNT_OVER_LIMIT)
    cart = Cart().add(CUP, 2).discount_line(0, parse_discount("8折"), by=CASHIER, approval=ok)
    assert needs(cart) == []
    assert needs(cart.set_quantity(0, 5)) == []  # 20 % of more is still 20 %
    # Changing the discount to 7折 with the same (bound) approval is refused: it approved 20 %.
    bound = cart.lines[0].approvals[0]
    with pytest.raises(ApprovalRequired):
        cart.discount_line(0, parse_discount("7折"), by=CASHIER, approval=bound)
    # A cart changed behind the cart's back is caught by the whole-sale rule.
    worse = Cart((cart.lines[0].__class__(CUP, 2, discount=parse_discount("7折"), approvals=(bound,)),))
    assert needs(worse) == [(Action.DISCOUNT_OVER_LIMIT, 0)]


def test_an_approved_amount_off_a_line_is_not_stretched_when_the_line_gets_smaller() -> None:
    ok = manager_says(Action.DISCOUNT_OVER_LIMIT)
    cart = Cart().add(CUP, 2).discount_line(0, parse_discount("20.00"), by=CASHIER, approval=ok)  # 25 %
    assert cart.lines[0].approvals[0].percent_bp == 2500 and cart.lines[0].approvals[0].amount_fen == 2000
    assert needs(cart.set_quantity(0, 1)) == [(Action.DISCOUNT_OVER_LIMIT, 0)]  # now 50 %


def test_a_price_override_needs_a_manager_and_the_approval_covers_that_price_only() -> None:
    cart = Cart().add(JACKET, 1)
    with pytest.raises(ApprovalRequired):
        cart.override_price(0, 39_900, by=CASHIER)
    ok = manager_says(Action.PRICE_OVERRIDE)
    cheaper = cart.override_price(0, 39_900, by=CASHIER, approval=ok)
    bound = cheaper.lines[0].approvals[0]
    assert bound.price_fen == 39_900 and needs(cheaper) == []
    with pytest.raises(ApprovalRequired):
        cheaper.override_price(0, 100, by=CASHIER, approval=bound)  # ¥399 approved, not ¥1
    manager_made = cheaper.override_price(0, 100, by=MANAGER)
    assert needs(manager_made) == [(Action.PRICE_OVERRIDE, 0)]


def test_a_discount_approval_cannot_approve_a_price_and_a_cashier_cannot_approve() -> None:
    cart = Cart().add(JACKET, 1).override_price(0, 100, by=MANAGER)
    [need] = required_approvals(cart, CASHIER)
    with pytest.raises(ApprovalRequired):
        cart.approve(need, manager_says(Action.DISCOUNT_OVER_LIMIT))
    by_cashier = Approval(Action.PRICE_OVERRIDE, "cashier2", Role.CASHIER, "cashier1", "2026-11-22T02:00:00Z")
    with pytest.raises(Exception) as refused:
        cart.approve(need, by_cashier)
    assert refused.value.code == "not_permitted"
    assert needs(cart.approve(need, manager_says(Action.PRICE_OVERRIDE))) == []


def test_rounding_off_at_the_stores_mode_is_never_the_cashiers_reduction() -> None:
    cart = Cart().add(APPLES, 1)  # 1 g: ¥0.01, dropped by 抹角
    assert cart.totals(RoundingMode.DROP_JIAO).total_fen == 0
    assert required_approvals(cart, CASHIER, RoundingMode.DROP_JIAO) == ()


def test_a_manager_selling_has_no_limit() -> None:
    cart = Cart().add(JACKET, 1).discount_sale(parse_discount("100%"), by=MANAGER)
    assert needs(cart, MANAGER) == [] and cart.totals().total_fen == 0


# -- approvals on paper: JSON, holds ---------------------------------------------------------

def test_an_old_approval_without_a_scope_still_loads_and_writes_back_the_same() -> None:
    old = {"action": "discount_over_limit", "approver": "manager1", "approver_role": "manager",
           "requested_by": "cashier1", "at": "2026-11-22T02:00:00Z", "detail": "8折"}
    a = Approval.from_json(old)
    assert not a.scoped and a.to_json() == old


def test_an_old_unscoped_approval_on_a_held_cart_covers_no_limit_at_commit() -> None:
    line = Cart().add(CUP, 1).discount_line(0, parse_discount("8折"), by=MANAGER).lines[0]
    legacy = Cart((line.__class__(line.product, 1, discount=line.discount,
                                  approvals=(manager_says(Action.DISCOUNT_OVER_LIMIT),)),))
    assert needs(legacy) == [(Action.DISCOUNT_OVER_LIMIT, 0)]


def test_a_held_cart_keeps_its_approvals_with_what_they_approved() -> None:
    cart = Cart().add(JACKET, 1).add(CUP, 2)
    cart = cart.override_price(0, 49_900, by=CASHIER, approval=manager_says(Action.PRICE_OVERRIDE))
    cart = cart.discount_line(1, parse_discount("7折"), by=CASHIER, approval=manager_says(Action.DISCOUNT_OVER_LIMIT))
    cart = cart.discount_sale(parse_discount("20%"), by=CASHIER, approval=manager_says(Action.DISCOUNT_OVER_LIMIT))
    back = cart_from_json(cart_to_json(cart))
    assert back == cart and needs(back) == []
    assert back.approvals[0].percent_bp is not None and back.lines[0].approvals[0].price_fen == 49_900
