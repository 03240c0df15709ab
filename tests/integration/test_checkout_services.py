"""Checkout as counters run it, through the services, on a real SQLite file."""

from __future__ import annotations

import sqlite3

import pytest

from pos.domain.cart import Cart
from pos.domain.errors import InvalidInput, PaymentError
from pos.domain.permissions import Action, ApprovalRequired, NotPermitted
from pos.domain.pricing import Discount, DiscountKind, RoundingMode, parse_discount
from pos.domain.returns import ReturnError
from pos.domain.tenders import Tender, TenderKind
from pos.services.returns import ReturnService
from pos.store.repositories import AccountRecord
from tests.conftest import login_cashier

HONEY = "6972316000170"  # 松阳土鸡蛋 30枚装, ¥45.00 in the demo catalogue (MX-E001)


def cash(fen: int) -> list[Tender]:
    return [Tender(TenderKind.CASH, fen)]


@pytest.fixture
def cashier(demo_till):
    return login_cashier(demo_till)


@pytest.fixture
def manager(demo_till):
    return demo_till.auth.login("manager1", "2222")


@pytest.fixture
def returns(demo_till) -> ReturnService:
    return ReturnService(demo_till.uow, demo_till.clock, demo_till.identity)


def eggs(till, n: int = 1) -> Cart:
    return Cart().add(till.lookup.find(HONEY), n)


def apples(till, grams: int) -> Cart:
    return Cart().add(till.lookup.find("102"), grams)  # PLU 102: 冰糖心苹果（一级） ¥12.80/kg


def test_rounding_off_is_its_own_line_on_the_sale(demo_till, cashier, manager) -> None:
    demo_till.checkout.set_rounding(RoundingMode.DROP_FEN, manager)
    done = demo_till.checkout.complete_sale(apples(demo_till, 1255), cash(2000), cashier)
    assert (done.sale.subtotal_fen, done.sale.rounding_fen, done.sale.total_fen) == (1606, -6, 1600)
    assert done.sale.change_fen == 400 and done.receipt.rounding_fen == -6
    assert demo_till.verify().ok


def test_a_cashier_cannot_change_store_settings(demo_till, cashier) -> None:
    with pytest.raises(NotPermitted):
        demo_till.checkout.set_rounding(RoundingMode.ROUND_YUAN, cashier)


def test_a_big_discount_needs_a_manager_pin_and_both_names_are_journaled(demo_till, cashier) -> None:
    cart = eggs(demo_till, 2)
    with pytest.raises(ApprovalRequired):
        cart.discount_line(0, parse_discount("8折"), by=cashier.role)
    approval = demo_till.auth.approve(Action.DISCOUNT_OVER_LIMIT, "manager1", "2222", requested_by=cashier, detail="8折")
    cart = cart.discount_line(0, parse_discount("8折"), by=cashier.role, approval=approval)
    done = demo_till.checkout.complete_sale(cart, cash(10000), cashier)
    assert done.sale.total_fen == 7200 and done.sale.discount_fen == 1800
    with sqlite3.connect(demo_till.db.path) as c:
        override = c.execute("SELECT payload FROM journal WHERE kind='override'").fetchone()[0]
        sale = c.execute("SELECT payload FROM journal WHERE kind='sale'").fetchone()[0]
    assert '"approver":"manager1"' in override and '"requested_by":"cashier1"' in override
    assert '"approver":"manager1"' in sale


def test_a_wrong_manager_pin_gives_no_approval(demo_till, cashier) -> None:
    with pytest.raises(Exception) as exc:
        demo_till.auth.approve(Action.PRICE_OVERRIDE, "manager1", "0000", requested_by=cashier)
    assert "密码错误" in exc.value.message_zh
    with pytest.raises(NotPermitted):
        demo_till.auth.approve(Action.PRICE_OVERRIDE, "accountant1", "3333", requested_by=cashier)


def test_hold_and_recall_survive_a_restart(demo_till, cashier, config, clock) -> None:
    from pos.bootstrap import open_till

    cart = eggs(demo_till, 3).discount_sale(Discount(DiscountKind.AMOUNT, 500), by=cashier.role)
    first = demo_till.checkout.hold(cart, cashier)
    second = demo_till.checkout.hold(apples(demo_till, 800), cashier)
    assert (first, second) == (1, 2)
    demo_till.close()
    again = open_till(config, clock=clock)
    try:
        assert [h.hold_no for h in again.checkout.held()] == [1, 2]
        back = again.checkout.recall(1, cashier)
        assert back == cart and back.totals().total_fen == 3 * 4500 - 500
        assert [h.hold_no for h in again.checkout.held()] == [2]
        with pytest.raises(InvalidInput):
            again.checkout.recall(1, cashier)
        assert again.verify().ok
    finally:
        again.close()


def test_split_tender_wechat_code_then_cash(demo_till, cashier) -> None:
    tenders = [Tender(TenderKind.WECHAT, 4000, "134567890123456789"), Tender(TenderKind.CASH, 1000)]
    done = demo_till.checkout.complete_sale(eggs(demo_till), tenders, cashier)
    assert done.sale.change_fen == 500
    with pytest.raises(PaymentError):
        demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.WECHAT, 5000, "134567890123456789")], cashier)


def test_a_voucher_is_used_once_and_gives_no_change(demo_till, cashier) -> None:
    v = [Tender(TenderKind.VOUCHER, 2000, "XFQ-2026-0001"), Tender(TenderKind.CASH, 2500)]
    demo_till.checkout.complete_sale(eggs(demo_till), v, cashier)
    with pytest.raises(PaymentError) as exc:
        demo_till.checkout.complete_sale(eggs(demo_till), v, cashier)
    assert "已使用" in exc.value.message_zh
    with pytest.raises(PaymentError):
        demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 5000, "XFQ-2026-0002")], cashier)


def test_an_institution_account_has_a_credit_limit(demo_till, cashier) -> None:
    with demo_till.uow() as uow:
        uow.accounts.put(AccountRecord("PHGH", "平湖市总工会", 10000, True))
        uow.commit()
    acct = [Tender(TenderKind.ACCOUNT, 9000, "PHGH")]
    demo_till.checkout.complete_sale(eggs(demo_till, 2), acct, cashier)
    with pytest.raises(PaymentError) as exc:
        demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.ACCOUNT, 4500, "PHGH")], cashier)
    assert "额度不足" in exc.value.message_zh and "10.00" in exc.value.message_zh


def test_a_return_refunds_original_tenders_and_never_more_than_was_sold(demo_till, cashier, returns) -> None:
    tenders = [Tender(TenderKind.WECHAT, 6000, "wx-ref"), Tender(TenderKind.CASH, 5000)]
    sale = demo_till.checkout.complete_sale(eggs(demo_till, 2), tenders, cashier).sale  # 90.00, change 20.00
    with pytest.raises(ApprovalRequired):
        returns.return_items(sale.receipt_no, {1: 1}, cashier)
    ok = demo_till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    first = returns.return_items(sale.receipt_no, {1: 1}, cashier, approval=ok)
    assert first.ret.refund_fen == 4500 and first.ret.return_no.endswith("-R0001")
    assert {t.kind: t.amount_fen for t in first.ret.refunds} == {TenderKind.WECHAT: 3000, TenderKind.CASH: 1500}
    ok2 = demo_till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    with pytest.raises(ReturnError) as exc:
        returns.return_items(sale.receipt_no, {1: 2}, cashier, approval=ok2)
    assert "最多还可退 1" in exc.value.message_zh
    last = returns.return_items(sale.receipt_no, {1: 1}, cashier, approval=ok2)
    refunded = first.ret.refunds + last.ret.refunds
    assert sum(t.amount_fen for t in refunded) == sale.total_fen
    assert sum(t.amount_fen for t in refunded if t.kind is TenderKind.WECHAT) == 6000
    assert demo_till.verify().ok


def test_a_manager_returns_without_a_receipt_but_a_cashier_needs_approval(demo_till, cashier, manager, returns) -> None:
    egg = demo_till.lookup.find(HONEY)
    with pytest.raises(ApprovalRequired):
        returns.return_without_receipt([(egg, 1)], cashier)
    done = returns.return_without_receipt([(egg, 1)], manager, reason="顾客丢失小票")
    assert done.ret.receipt_no is None and done.ret.refunds[0].kind is TenderKind.CASH


def test_reprint_is_marked_and_journaled(demo_till, cashier) -> None:
    sale = demo_till.checkout.complete_sale(eggs(demo_till), cash(5000), cashier).sale
    receipt = demo_till.checkout.reprint(sale.receipt_no, cashier)
    assert receipt.reprint and receipt.receipt_no == sale.receipt_no
    with sqlite3.connect(demo_till.db.path) as c:
        assert c.execute("SELECT COUNT(*) FROM journal WHERE kind='reprint'").fetchone()[0] == 1


def test_training_sales_are_numbered_apart_and_marked(demo_till, cashier) -> None:
    real = demo_till.checkout.complete_sale(eggs(demo_till), cash(5000), cashier).sale
    practice = demo_till.checkout.complete_sale(eggs(demo_till), cash(5000), cashier, training=True)
    assert practice.sale.receipt_no.endswith("-T0001") and practice.receipt.training
    assert demo_till.checkout.complete_sale(eggs(demo_till), cash(5000), cashier).sale.receipt_no.endswith("-0002")
    assert real.receipt_no.endswith("-0001")


def test_a_line_void_is_journaled_with_the_cashier(demo_till, cashier) -> None:
    cart = eggs(demo_till).add(demo_till.lookup.find("102"), 500)
    cart = demo_till.checkout.void_line(cart, 1, cashier)
    assert len(cart.lines) == 1
    with sqlite3.connect(demo_till.db.path) as c:
        payload = c.execute("SELECT payload FROM journal WHERE kind='void'").fetchone()[0]
    assert '"cashier":"cashier1"' in payload
