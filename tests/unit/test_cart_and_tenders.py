"""Ringing up: the cart's arithmetic and settling it against tenders."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.cart import Cart
from pos.domain.catalog import Product, SoldBy
from pos.domain.errors import CartError, PaymentError
from pos.domain.tenders import Tender, TenderKind, settle

APPLE = Product("MX-001", "冰糖心苹果", 1280, SoldBy.WEIGHT, plu="1", unit="kg")
HONEY = Product("MX-020", "松阳土蜂蜜 500g", 6800, barcode="6901234567892", unit="瓶")
OIL = Product("MX-021", "松阳山茶油 500ml", 8800, barcode="6901234567908", unit="瓶")


def test_scanning_the_same_jar_twice_makes_one_line_of_two() -> None:
    cart = Cart().add(HONEY).add(OIL).add(HONEY)
    assert [(ln.product.sku, ln.quantity) for ln in cart.lines] == [("MX-020", 2), ("MX-021", 1)]
    assert cart.total_fen == 2 * 6800 + 8800


def test_weighed_apples_are_their_own_line_each_time() -> None:
    cart = Cart().add(APPLE, 1255).add(APPLE, 800)
    assert len(cart.lines) == 2
    assert cart.total_fen == 1606 + 1024
    assert cart.lines[0].quantity_text == "1.255kg"


def test_quantity_edit_and_removal_before_payment() -> None:
    cart = Cart().add(HONEY).add(OIL).set_quantity(0, 3).remove(1)
    assert cart.total_fen == 3 * 6800


@pytest.mark.parametrize("qty", [0, -1, 10_000])
def test_absurd_quantities_are_refused_and_the_cart_is_unchanged(qty: int) -> None:
    cart = Cart().add(HONEY)
    with pytest.raises(CartError):
        cart.set_quantity(0, qty)
    assert cart.lines[0].quantity == 1


def test_cash_gives_change_and_only_cash_may_exceed_the_total() -> None:
    s = settle(7350, [Tender(TenderKind.CASH, 10000)])
    assert (s.paid_fen, s.change_fen) == (10000, 2650)
    with pytest.raises(PaymentError):
        settle(7350, [Tender(TenderKind.WECHAT, 8000)])
    with pytest.raises(PaymentError) as exc:
        settle(7350, [Tender(TenderKind.CASH, 5000)])
    assert "23.50" in exc.value.message_zh


def test_split_tender_wechat_then_cash() -> None:
    s = settle(7350, [Tender(TenderKind.WECHAT, 5000), Tender(TenderKind.CASH, 3000)])
    assert s.change_fen == 650


def test_a_zero_or_negative_payment_is_refused() -> None:
    with pytest.raises(PaymentError):
        Tender(TenderKind.CASH, 0)
    with pytest.raises(PaymentError):
        Tender(TenderKind.CASH, -100)


def test_tender_names_in_english_and_chinese() -> None:
    assert TenderKind.parse("微信") is TenderKind.WECHAT
    assert TenderKind.parse("CASH") is TenderKind.CASH
    with pytest.raises(PaymentError):
        TenderKind.parse("bitcoin")


@given(
    st.lists(st.tuples(st.integers(1, 100_000), st.integers(1, 50)), min_size=1, max_size=20),
    st.lists(st.integers(1, 100_000), max_size=3),
    st.integers(0, 100_000),
)
def test_totals_and_change_add_up_to_the_fen(items, non_cash, extra_cash) -> None:
    cart = Cart()
    for i, (price, qty) in enumerate(items):
        cart = cart.add(Product(f"S{i}", f"商品{i}", price), qty)
    assert cart.total_fen == sum(p * q for p, q in items)
    tenders = [Tender(TenderKind.WECHAT, a) for a in non_cash]
    nc = sum(non_cash)
    if nc > cart.total_fen:
        with pytest.raises(PaymentError):
            settle(cart.total_fen, tenders)
        return
    cash = cart.total_fen - nc + extra_cash
    if cash > 0:
        tenders.append(Tender(TenderKind.CASH, cash))
    s = settle(cart.total_fen, tenders)
    assert s.change_fen == extra_cash >= 0
    assert s.paid_fen - s.change_fen == cart.total_fen
