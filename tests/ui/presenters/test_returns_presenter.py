"""The return dialog's decisions without a window: what a cashier may bring back, told as counter
stories on the demo till's real SQLite ledger (the sales and the service's refund plans are real)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.catalog import Product, SoldBy
from pos.domain.errors import PosError
from pos.domain.sale import Sale
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import User
from ui.presenters.returns import (
    GoodsWithoutReceipt,
    Next,
    ReturnsPresenter,
    line_name,
    parse_return_quantity,
    receipt_number,
)

ROOT = Path(__file__).resolve().parents[3]
HONEY = "6972316000521"  # 松阳土蜂蜜 500g ￥88.00
HUAJIAO = "6945837000172"  # 茂县大红袍花椒 100g ￥28.00
JACKET = "PM-YRF01-BLK-XL"  # 平湖男款连帽羽绒服 黑色 XL ￥599.00


@pytest.fixture
def cashier(demo_till: Till) -> User:
    return demo_till.auth.login("cashier1", "1111")


def sell(till: Till, cashier: User, tenders: list[Tender], *codes: str) -> Sale:
    cart = Cart()
    for code in codes:
        cart = cart.add(till.lookup.find(code), 1)
    return till.checkout.complete_sale(cart, tenders, cashier).sale


def looked_up(till: Till, receipt_no: str) -> ReturnsPresenter:
    p = ReturnsPresenter()
    number = p.start_lookup(f" {receipt_no.lower()} ")
    assert number == receipt_no and p.busy
    p.found(*till.returns.lookup(number))
    return p


def plan(till: Till, p: ReturnsPresenter) -> None:
    request = p.plan_request()
    assert request is not None
    p.planned(request.generation, till.returns.plan(request.receipt_no, request.quantities,
                                                    voucher_refund_to=request.voucher_refund_to))



def test_a_receipt_scanned_with_spaces_in_lower_case_finds_the_sale(demo_till: Till, cashier: User) -> None:
    sale = sell(demo_till, cashier, [Tender(TenderKind.CASH, 11_600)], HUAJIAO, HONEY)
    p = looked_up(demo_till, sale.receipt_no)
    assert not p.busy and p.sale == sale and [line_name(ln) for ln in p.by_receipt.lines] == [
        "茂县大红袍花椒 100g", "松阳土蜂蜜 500g"]
    assert p.next_step() is Next.NO_QUANTITIES and not p.has_voucher
    assert receipt_number(" mx01-2026 1122-0001 ") == "MX01-20261122-0001"


def test_nothing_typed_or_a_lookup_already_on_its_way_starts_no_lookup() -> None:
    p = ReturnsPresenter()
    assert p.start_lookup("   ") is None and not p.busy
    assert p.start_lookup("MX01-20261122-0001") is not None
    assert p.start_lookup("MX01-20261122-0002") is None  # the first answer comes first
    p.lookup_failed()
    assert not p.busy and p.next_step() is Next.NO_SALE


def test_the_honey_comes_back_and_the_refund_goes_to_the_original_tenders(demo_till: Till, cashier: User) -> None:
    sale = sell(demo_till, cashier, [Tender(TenderKind.WECHAT, 10_000, "134567890123456789"),
                                     Tender(TenderKind.CASH, 1_600)], HUAJIAO, HONEY)
    p = looked_up(demo_till, sale.receipt_no)
    p.set_quantity_text(1, "1")
    assert p.by_receipt.quantities() == {2: 1} and p.next_step() is Next.RETURN
    plan(demo_till, p)
    assert [(t.kind, t.amount_fen) for t in p.refunds] == [(TenderKind.WECHAT, 7_586), (TenderKind.CASH, 1_214)]
    assert p.refund_total() == 8_800 and p.by_receipt.refund_of(1) == 8_800 and p.by_receipt.refund_of(0) is None
    request = p.return_request()
    assert p.busy and p.next_step() is Next.WAIT
    assert (request.without_receipt, request.receipt_no, request.quantities) == (False, sale.receipt_no, {2: 1})
    p.return_failed()
    assert p.next_step() is Next.RETURN


@pytest.mark.parametrize(("typed", "why"), [("3", "最多还可退 1"), ("x", "无效"), ("-1", "无效"), ("1.5", "无效")])
def test_more_than_was_sold_or_no_number_is_refused_in_words(demo_till: Till, cashier: User, typed: str,
                                                             why: str) -> None:
    sale = sell(demo_till, cashier, [Tender(TenderKind.CASH, 8_800)], HONEY)
    p = looked_up(demo_till, sale.receipt_no)
    with pytest.raises(PosError) as exc:
        p.set_quantity_text(0, typed)
    assert why in exc.value.message_zh and p.by_receipt.quantities() == {}


def test_a_stale_plan_is_ignored_when_the_quantities_changed_meanwhile(demo_till: Till, cashier: User) -> None:
    sale = sell(demo_till, cashier, [Tender(TenderKind.CASH, 11_600)], HUAJIAO, HONEY)
    p = looked_up(demo_till, sale.receipt_no)
    p.set_quantity_text(0, "1")
    first = p.plan_request()
    p.set_quantity_text(1, "1")
    second = p.plan_request()
    assert first is not None and second is not None
    old = demo_till.returns.plan(first.receipt_no, first.quantities)
    assert not p.planned(first.generation, old) and p.refunds == ()
    assert not p.plan_failed(first.generation)
    assert p.planned(second.generation, demo_till.returns.plan(second.receipt_no, second.quantities))
    assert p.refund_total() == 11_600


def test_everything_on_the_receipt_and_a_receipt_already_returned(demo_till: Till, cashier: User) -> None:
    sale = sell(demo_till, cashier, [Tender(TenderKind.CASH, 11_600)], HUAJIAO, HONEY)
    p = looked_up(demo_till, sale.receipt_no)
    assert p.return_everything() and p.by_receipt.quantities() == {1: 1, 2: 1}
    manager = demo_till.auth.login("manager1", "2222")
    demo_till.returns.return_items(sale.receipt_no, {1: 1, 2: 1}, manager)
    again = looked_up(demo_till, sale.receipt_no)
    assert again.by_receipt.first_returnable() is None  # the dialog says: all returned already
    with pytest.raises(PosError, match="At most 0"):
        again.by_receipt.set_quantity(0, 1)


def test_a_voucher_share_goes_back_by_wechat_when_the_cashier_picks_it(demo_till: Till, cashier: User) -> None:
    sale = sell(demo_till, cashier, [Tender(TenderKind.VOUCHER, 10_000, "V100"), Tender(TenderKind.CASH, 49_900)],
                JACKET)
    p = looked_up(demo_till, sale.receipt_no)
    assert p.has_voucher and p.voucher_refund_to is TenderKind.CASH
    p.set_quantity_text(0, "1")
    plan(demo_till, p)
    assert p.voucher_refunded and {t.kind for t in p.refunds} == {TenderKind.CASH}
    p.choose_voucher_refund(TenderKind.WECHAT)
    plan(demo_till, p)
    assert [(t.kind, t.amount_fen) for t in p.refunds] == [(TenderKind.WECHAT, 10_000), (TenderKind.CASH, 49_900)]
    assert p.return_request().voucher_refund_to is TenderKind.WECHAT
    with pytest.raises(PosError):
        p.choose_voucher_refund(TenderKind.VOUCHER)  # a voucher is never refunded onto a voucher


def test_goods_without_a_receipt_add_up_by_product_and_zero_takes_a_row_off() -> None:
    honey = Product("MX-H001", "松阳土蜂蜜 500g", 8_800, barcode=HONEY, unit="瓶")
    apples = Product("MX-F001", "茂县冰糖心苹果（特级）", 1_680, sold_by=SoldBy.WEIGHT, unit="kg", plu="101")
    p = ReturnsPresenter()
    assert p.set_mode(True) and p.next_step() is Next.NO_GOODS
    goods: GoodsWithoutReceipt = p.goods
    assert goods.add(honey, 1) == 0 and goods.add(apples, 500) == 1 and goods.add(honey, 1) == 0
    assert goods.add(apples, 250) == 2  # each weighing is its own row
    assert goods.total_fen() == 2 * 8_800 + 840 + 420
    assert goods.set_text(1, "0.75") is False and goods.rows[1] == (apples, 750)
    assert goods.set_text(2, "0") is True and len(goods.rows) == 2
    with pytest.raises(PosError):
        goods.set_text(0, "两瓶")
    request = p.return_request()
    assert request.without_receipt and request.items == [(honey, 2), (apples, 750)]


def test_once_the_return_is_done_the_mode_stays_and_enter_closes(demo_till: Till, cashier: User) -> None:
    sale = sell(demo_till, cashier, [Tender(TenderKind.CASH, 8_800)], HONEY)
    p = looked_up(demo_till, sale.receipt_no)
    p.set_quantity_text(0, "1")
    request = p.return_request()
    assert not p.set_mode(True)  # not while the service works
    manager = demo_till.auth.login("manager1", "2222")
    p.returned(demo_till.returns.return_items(request.receipt_no, request.quantities, manager))
    assert p.next_step() is Next.CLOSE and not p.set_mode(True) and not p.without_receipt


@pytest.mark.parametrize(("weighed", "typed", "qty"), [(True, "0.5", 500), (True, "1.255", 1_255), (False, "2", 2),
                                                       (False, "", 0), (True, " ", 0)])
def test_quantities_are_kilograms_for_weighed_goods_and_units_otherwise(weighed: bool, typed: str, qty: int) -> None:
    assert parse_return_quantity(weighed, typed) == qty


def test_enter_in_the_quantity_field_takes_the_quantity_and_moves_on_or_confirms(demo_till: Till,
                                                                                 cashier: User) -> None:
    sale = sell(demo_till, cashier, [Tender(TenderKind.CASH, 11_600)], HUAJIAO, HONEY)
    p = looked_up(demo_till, sale.receipt_no)
    assert p.enter_quantity(None, "1").no_row
    taken = p.enter_quantity(0, "1")
    assert taken.error is None and taken.next_row == 1 and p.by_receipt.quantities() == {1: 1}
    refused = p.enter_quantity(1, "2")
    assert refused.error is not None and "最多还可退 1" in refused.error.message_zh
    last = p.enter_quantity(1, "1")
    assert last.error is None and last.next_row is None  # the last line: nowhere further to go
    assert p.enter_quantity(1, "  ").confirm
