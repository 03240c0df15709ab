"""The checkout screen's decisions, without Qt: the scan queue, approvals, payment, the idle lock, leaving."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos.domain.catalog import Product, SoldBy
from pos.domain.errors import PaymentError, UnknownProduct
from pos.domain.limits import NeededApproval, SaleNeedsApproval
from pos.domain.permissions import Action, Approval, ApprovalRequired
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import Role
from pos.services.checkout import BeforePayment, NoOpenShift
from pos.services.scanning import ResolvedPayment, ResolvedProduct, ResolvedSearch
from ui.presenters.checkout import (
    AddProduct,
    ApprovalRetry,
    AskKeepOrVoid,
    AskNeeds,
    AskNeedsThenCommit,
    AskOpenShift,
    AskWeight,
    CartOp,
    CheckoutPresenter,
    CloseShift,
    CommitWithoutTender,
    Ignore,
    Lock,
    LogOut,
    OpenPayment,
    OpenSearch,
    ReopenPayment,
    Say,
    ScanOutcome,
    ShowRefusal,
    StartPayment,
    SwitchTraining,
    Tell,
    Wait,
)

ROOT = Path(__file__).resolve().parents[3]


def product(sku: str, *, weighed: bool = False) -> Product:
    return Product(sku=sku, name=sku, price_fen=1000, sold_by=SoldBy.WEIGHT if weighed else SoldBy.UNIT)


HONEY, RICE, APPLES = product("HONEY"), product("RICE"), product("APPLE", weighed=True)


def found(p: Product, quantity: int | None = 1, code: str | None = None) -> ScanOutcome:
    return ScanOutcome(code or p.sku, resolved=ResolvedProduct(p, quantity))


def drain(p: CheckoutPresenter, cart_empty: bool = False) -> list[object]:
    steps = []
    while (step := p.next_step(lambda: cart_empty)) is not None:
        steps.append(step)
    return steps


def scanned(p: CheckoutPresenter, *outcomes: ScanOutcome) -> None:
    for o in outcomes:
        assert p.scan_sent(o.code) == o.code
    for o in outcomes:
        p.scan_answered(o)


def approval() -> Approval:
    return Approval(Action.DISCOUNT_OVER_LIMIT, "manager1", Role.MANAGER, "cashier1", "2026-11-22T10:00:00")


# -- the scan queue ------------------------------------------------------------------------------


def test_scans_during_a_commit_wait_and_then_go_in_in_the_order_scanned() -> None:
    p = CheckoutPresenter()
    p.op_started(commit=True)
    scanned(p, found(HONEY), found(RICE), found(HONEY))
    assert p.committing and drain(p) == []  # nothing touches the cart while the sale is written
    p.op_finished(commit=True)
    assert [s.product.sku for s in drain(p)] == ["HONEY", "RICE", "HONEY"]
    assert drain(p) == []


def test_answers_that_come_back_out_of_order_are_still_applied_as_they_arrive_after_a_dialog() -> None:
    p = CheckoutPresenter()
    p.dialog_opened()
    scanned(p, found(RICE), found(HONEY))
    assert drain(p) == []
    assert p.dialog_closed() is True  # the last dialog: the scan field takes the keyboard back
    assert [s.product.sku for s in drain(p)] == ["RICE", "HONEY"]


def test_a_dialog_opened_by_one_scan_holds_the_scans_after_it() -> None:
    p = CheckoutPresenter()
    scanned(p, found(APPLES, quantity=None), found(HONEY))
    first = p.next_step(lambda: True)
    assert first == AskWeight(APPLES)
    p.dialog_opened()  # the weight dialog
    assert p.next_step(lambda: True) is None
    p.dialog_closed()
    assert p.next_step(lambda: False) == AddProduct(HONEY, 1)


def test_two_dialogs_release_the_queue_only_when_both_are_closed() -> None:
    p = CheckoutPresenter()
    p.dialog_opened()
    p.dialog_opened()
    scanned(p, found(HONEY))
    assert p.dialog_closed() is False and drain(p) == []
    assert p.dialog_closed() is True and drain(p) == [AddProduct(HONEY, 1)]


@pytest.mark.parametrize(("outcome", "step"), [
    (ScanOutcome("x", resolved=ResolvedProduct(HONEY, 3)), AddProduct(HONEY, 3)),
    (ScanOutcome("x", resolved=ResolvedProduct(APPLES, None)), AskWeight(APPLES)),
    (ScanOutcome("x", resolved=ResolvedSearch("苹果")), OpenSearch("苹果")),
    (ScanOutcome("pgsj", error=UnknownProduct("pgsj")), OpenSearch("pgsj")),  # pinyin initials typed
    (ScanOutcome("6900000000000", error=UnknownProduct("6900000000000")),
     ShowRefusal(UnknownProduct("6900000000000"))),
])
def test_what_a_scan_becomes(outcome: ScanOutcome, step: object) -> None:
    got = CheckoutPresenter.decide_scan(outcome, cart_empty=False)
    if isinstance(step, ShowRefusal):
        assert isinstance(got, ShowRefusal) and isinstance(got.error, UnknownProduct)
    else:
        assert got == step


def test_a_picked_weighed_product_asks_the_weight_and_others_add_one() -> None:
    assert CheckoutPresenter.weighed_pick(APPLES) == AskWeight(APPLES)
    assert CheckoutPresenter.weighed_pick(HONEY) == AddProduct(HONEY, 1)


def test_empty_codes_are_not_looked_up() -> None:
    p = CheckoutPresenter()
    assert p.scan_sent("   ") is None and p.waiting_scans == 0
    assert p.scan_sent(" 123 ") == "123" and p.waiting_scans == 1


# -- payment codes and 收款 --------------------------------------------------------------------------


def test_a_payment_code_pays_the_sale_and_on_an_empty_cart_is_refused_in_words() -> None:
    code = ScanOutcome("134567890123456789", resolved=ResolvedPayment("wechat", "134567890123456789"))
    assert CheckoutPresenter.decide_scan(code, cart_empty=False) == StartPayment(TenderKind.WECHAT,
                                                                                   "134567890123456789")
    assert CheckoutPresenter.decide_scan(code, cart_empty=True) == Tell(Say.PAYMENT_CODE_FIRST)
    alipay = ScanOutcome("284567890123456789", resolved=ResolvedPayment("alipay", "284567890123456789"))
    assert CheckoutPresenter.decide_scan(alipay, cart_empty=False).kind is TenderKind.ALIPAY


def test_payment_is_refused_while_busy_and_waits_for_scans_still_being_looked_up() -> None:
    p = CheckoutPresenter()
    p.op_started()  # a line void being written
    assert p.pay_pressed(cart_empty=False) == Ignore()
    p.op_finished()

    assert p.scan_sent(HONEY.sku) == HONEY.sku
    assert p.pay_pressed(cart_empty=True) == Wait()  # the cart looks empty, but a scan is on its way
    assert p.next_step(lambda: True) is None  # the answer has not come yet
    p.scan_answered(found(HONEY))
    cart = {"empty": True}
    assert p.next_step(lambda: cart["empty"]) == AddProduct(HONEY, 1)
    cart["empty"] = False
    assert p.next_step(lambda: cart["empty"]) == StartPayment(TenderKind.CASH)  # then payment, once
    assert p.next_step(lambda: cart["empty"]) is None


def test_f1_cash_and_f12_on_an_empty_cart_say_so() -> None:
    p = CheckoutPresenter()
    assert p.pay_pressed(cart_empty=True) == Tell(Say.EMPTY_CART)
    assert p.pay_pressed(cart_empty=False, kind=TenderKind.CASH) == StartPayment(TenderKind.CASH)


NEED = NeededApproval(Action.DISCOUNT_OVER_LIMIT, 0, "HONEY", "20% off honey", "蜂蜜 8折")
NEED_2 = NeededApproval(Action.DISCOUNT_OVER_LIMIT, None, None, "sale 15% off", "整单 85折")
PRICE = NeededApproval(Action.PRICE_OVERRIDE, 1, "RICE", "rice price", "大米改价")


def test_before_payment_asks_a_manager_once_per_action_then_opens_payment() -> None:
    step = BeforePayment((NEED, NEED_2, PRICE), 5000)
    assert CheckoutPresenter.payment_step(step) == AskNeeds((NEED, NEED_2))
    # Approved, yet the same action still needed: never ask in a loop.
    again = CheckoutPresenter.payment_step(step, asked=(Action.DISCOUNT_OVER_LIMIT,))
    assert isinstance(again, ShowRefusal) and isinstance(again.error, SaleNeedsApproval)
    assert CheckoutPresenter.payment_step(BeforePayment((), 5000)) == OpenPayment(5000)
    assert CheckoutPresenter.payment_step(BeforePayment((), 0)) == CommitWithoutTender()


def test_after_a_refused_commit() -> None:
    cash = (Tender(TenderKind.CASH, 5000),)
    assert CheckoutPresenter.commit_failed(NoOpenShift(), cash) == AskOpenShift()
    assert CheckoutPresenter.commit_failed(PaymentError("voucher used"), cash) == ReopenPayment(cash)
    assert CheckoutPresenter.commit_failed(SaleNeedsApproval((NEED, PRICE, NEED_2)), cash) == \
        AskNeedsThenCommit((NEED, NEED_2), cash)
    assert CheckoutPresenter.commit_failed(RuntimeError("disk I/O error"), cash) is None


# -- retries after a manager's approval ----------------------------------------------------------------


def test_a_refused_write_is_retried_exactly_once_with_the_managers_approval() -> None:
    tried: list[Approval | None] = []
    done: list[object] = []

    def attempt(ap: Approval | None) -> str:
        tried.append(ap)
        if ap is None:
            raise ApprovalRequired(Action.DISCOUNT_OVER_LIMIT)
        return "voided"

    def run(op: CartOp) -> None:
        try:
            op.on_done(op.call())
        except ApprovalRequired as exc:
            retry = CheckoutPresenter.op_failed(op, exc, run)
            assert isinstance(retry, ApprovalRetry) and retry.detail == "蜂蜜"
            pending.append(retry)

    pending: list[ApprovalRetry] = []
    run(CartOp(attempt, done.append, detail="蜂蜜"))
    assert tried == [None] and done == []
    ap = approval()
    assert pending[0].approved(ap) is True
    assert pending[0].approved(ap) is False  # a second answer runs nothing
    assert pending[0].refused() == Ignore()
    assert tried == [None, ap] and done == ["voided"]


def test_no_approval_runs_nothing_and_a_refusal_is_told() -> None:
    runs: list[Approval] = []
    retry = ApprovalRetry(ApprovalRequired(Action.PRICE_OVERRIDE), runs.append)
    assert retry.action is Action.PRICE_OVERRIDE
    assert retry.approved(None) is False
    assert retry.refused() == Tell(Say.NOT_APPROVED)
    assert retry.approved(approval()) is False and runs == []


def test_other_refusals_are_shown_not_retried() -> None:
    op = CartOp(lambda ap: None, lambda v: None)
    step = CheckoutPresenter.op_failed(op, PaymentError("no"), lambda o: pytest.fail("retried"))
    assert isinstance(step, ShowRefusal)


# -- busy state and what is enabled -------------------------------------------------------------------


def test_while_a_sale_is_written_the_actions_are_off_and_the_window_may_not_close() -> None:
    p = CheckoutPresenter()
    assert p.enabled(has_lines=True).cart and p.may_close()
    p.op_started(commit=True)
    on = p.enabled(has_lines=True)
    assert (on.general, on.cart, on.returns) == (False, False, False)
    assert not p.may_close() and not p.free
    p.op_finished(commit=True)
    assert p.may_close() and p.free and not p.committing
    assert not p.enabled(has_lines=False).cart


def test_returns_are_off_in_training() -> None:
    p = CheckoutPresenter()
    p.training = True
    on = p.enabled(has_lines=False)
    assert on.general and not on.returns


# -- the idle lock --------------------------------------------------------------------------------


def test_idle_locks_unless_a_dialog_asks_or_a_sale_is_written() -> None:
    p = CheckoutPresenter()
    p.dialog_opened()
    assert p.idle_timeout() == Wait()
    p.dialog_closed()
    p.op_started(commit=True)
    assert p.idle_timeout() == Wait()
    p.op_finished(commit=True)
    assert p.idle_timeout() == Lock()
    assert p.lock() is True and p.lock() is False
    assert p.idle_timeout() == Ignore()


def test_scans_are_ignored_while_locked_and_lookups_in_flight_wait_for_the_unlock() -> None:
    p = CheckoutPresenter()
    assert p.scan_sent(HONEY.sku) == HONEY.sku  # sent before the lock
    p.lock()
    assert p.scan_sent(RICE.sku) is None and not p.takes_scans()
    p.scan_answered(found(HONEY))
    assert drain(p) == []
    assert p.enabled(has_lines=True).general is False
    assert p.unlock() is True and p.unlock() is False
    assert drain(p) == [AddProduct(HONEY, 1)] and p.takes_scans()


# -- leaving ----------------------------------------------------------------------------------------


def test_logging_out_with_goods_asks_whether_to_hold_or_void() -> None:
    p = CheckoutPresenter()
    assert p.logout_pressed(cart_empty=True) == LogOut()
    assert p.logout_pressed(cart_empty=False) == AskKeepOrVoid()
    p.op_started()
    assert p.logout_pressed(cart_empty=False) == Ignore()


def test_training_is_switched_only_with_an_empty_cart_and_as_the_role_allows() -> None:
    p = CheckoutPresenter()
    assert p.training_switch(True, cart_empty=False, role=Role.MANAGER) == Tell(Say.SETTLE_FIRST_TRAINING)
    assert p.training_switch(True, cart_empty=True, role=Role.CASHIER) == SwitchTraining(True)
    refused = p.training_switch(True, cart_empty=True, role=Role.ACCOUNTANT)  # an accountant sells nothing
    assert isinstance(refused, ShowRefusal)
    p.training = True
    assert p.training_switch(True, cart_empty=True, role=Role.MANAGER) == Ignore()  # already on
    p.op_started()
    assert p.training_switch(False, cart_empty=True, role=Role.MANAGER) == Ignore()  # busy


def test_the_shift_is_closed_only_with_an_empty_cart_and_out_of_training() -> None:
    p = CheckoutPresenter()
    assert p.close_shift_pressed(cart_empty=False) == Tell(Say.SETTLE_FIRST_CLOSE)
    p.training = True
    assert p.close_shift_pressed(cart_empty=True) == Tell(Say.LEAVE_TRAINING_FIRST)
    p.training = False
    assert p.close_shift_pressed(cart_empty=True) == CloseShift()

