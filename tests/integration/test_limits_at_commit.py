"""The sale as a whole is checked when it is committed, through CheckoutService on a real SQLite file;
¥0 sales commit with no tender and print."""

from __future__ import annotations

import sqlite3

import pytest

from pos.domain.cart import Cart
from pos.domain.errors import PaymentError
from pos.domain.limits import SaleNeedsApproval
from pos.domain.permissions import Action
from pos.domain.pricing import RoundingMode, parse_discount
from pos.domain.tenders import Tender, TenderKind
from printers import render_text
from tests.conftest import login_cashier

EGGS = "6972316000170"  # 松阳土鸡蛋 30枚装 ¥45.00
HONEY = "6972316000521"  # 松阳土蜂蜜 500g ¥88.00
HUAJIAO = "6945837000172"  # 茂县大红袍花椒 100g ¥28.00
APPLES = "102"  # 冰糖心苹果（一级） ¥12.80/kg


@pytest.fixture
def cashier(demo_till):
    return login_cashier(demo_till)


@pytest.fixture
def manager(demo_till):
    return demo_till.auth.login("manager1", "2222")


def cash(fen: int) -> list[Tender]:
    return [Tender(TenderKind.CASH, fen)]


def journal_kinds(till) -> list[str]:
    with sqlite3.connect(till.db.path) as c:
        return [r[0] for r in c.execute("SELECT kind FROM journal ORDER BY seq")]


def approve(till, cashier, action: Action = Action.DISCOUNT_OVER_LIMIT):
    return till.auth.approve(action, "manager1", "2222", requested_by=cashier)


def test_nine_point_nine_percent_off_then_the_big_line_voided_is_refused_at_commit(demo_till, cashier) -> None:
    find = demo_till.lookup.find
    cart = Cart().add(find(HONEY), 1).add(find(HUAJIAO), 1)  # ¥116.00
    cart = cart.discount_sale(parse_discount("11.48"), by=cashier.role)  # 9.9 %: no PIN asked
    cart = demo_till.checkout.void_line(cart, 0, cashier)  # the honey goes: ¥11.48 off ¥28.00
    before = journal_kinds(demo_till)
    with pytest.raises(SaleNeedsApproval) as refused:
        demo_till.checkout.complete_sale(cart, cash(2000), cashier)
    assert "needs a manager's approval" in refused.value.message
    assert "整单优惠合计 41%" in refused.value.message_zh and "超过 10%" in refused.value.message_zh
    assert journal_kinds(demo_till) == before  # nothing written

    # 收款 shows the same before payment; the manager's PIN covers exactly that, and it commits.
    [need] = demo_till.checkout.pending_approvals(cart, cashier)
    cart = cart.approve(need, approve(demo_till, cashier))
    done = demo_till.checkout.complete_sale(cart, cash(2000), cashier)
    assert done.sale.total_fen == 1650  # ¥16.52, 抹分 as the demo store rounds
    assert [a.percent_bp for a in done.sale.approvals] == [4100]
    assert demo_till.verify().ok


def test_a_line_discount_then_a_smaller_quantity_is_refused_at_commit(demo_till, cashier) -> None:
    cart = Cart().add(demo_till.lookup.find(EGGS), 4).discount_line(0, parse_discount("18.00"), by=cashier.role)
    cart = cart.set_quantity(0, 1)  # ¥18 off ¥45: 40 %
    with pytest.raises(SaleNeedsApproval) as refused:
        demo_till.checkout.complete_sale(cart, cash(5000), cashier)
    assert "第 1 行" in refused.value.message_zh and "40%" in refused.value.message_zh


def test_stacked_line_and_sale_discounts_are_nineteen_percent_and_need_a_pin(demo_till, cashier, manager) -> None:
    cart = Cart().add(demo_till.lookup.find(EGGS), 2).discount_line(0, parse_discount("10%"), by=cashier.role)
    cart = cart.discount_sale(parse_discount("9折"), by=manager.role)  # as if the keystroke check was skipped
    with pytest.raises(SaleNeedsApproval) as refused:
        demo_till.checkout.complete_sale(cart, cash(10_000), cashier)
    assert "19%" in refused.value.message_zh


@pytest.mark.parametrize("grams", [1647, 41_022])  # ¥21.08 and ¥525.08
def test_ten_percent_on_an_odd_amount_commits_without_a_pin(demo_till, cashier, grams: int) -> None:
    cart = Cart().add(demo_till.lookup.find(APPLES), grams)
    cart = cart.discount_line(0, parse_discount("9折"), by=cashier.role)
    done = demo_till.checkout.complete_sale(cart, cash(60_000), cashier)
    assert done.sale.approvals == () and done.sale.lines[0].approvals == ()
    assert "override" not in journal_kinds(demo_till)


def test_ninety_five_zhe_is_a_discount_at_the_till(demo_till, cashier) -> None:
    cart = Cart().add(demo_till.lookup.find(HONEY), 1).discount_sale(parse_discount("95折"), by=cashier.role)
    assert demo_till.checkout.complete_sale(cart, cash(10_000), cashier).sale.total_fen == 8360


def test_an_override_approved_for_one_price_does_not_cover_another(demo_till, cashier, manager) -> None:
    ok = approve(demo_till, cashier, Action.PRICE_OVERRIDE)
    cart = Cart().add(demo_till.lookup.find(HONEY), 1).override_price(0, 7_000, by=cashier.role, approval=ok)
    cart = cart.override_price(0, 100, by=manager.role)  # the price changed again without the cashier's PIN
    with pytest.raises(SaleNeedsApproval) as refused:
        demo_till.checkout.complete_sale(cart, cash(100), cashier)
    assert "改价 88.00 → 1.00" in refused.value.message_zh


def test_a_held_sale_keeps_its_approvals_and_commits_after_recall(demo_till, cashier) -> None:
    cart = Cart().add(demo_till.lookup.find(HONEY), 1).add(demo_till.lookup.find(EGGS), 1)
    cart = cart.discount_line(0, parse_discount("7折"), by=cashier.role, approval=approve(demo_till, cashier))
    cart = cart.discount_sale(parse_discount("8折"), by=cashier.role, approval=approve(demo_till, cashier))
    hold_no = demo_till.checkout.hold(cart, cashier)
    back = demo_till.checkout.recall(hold_no, cashier)
    assert back == cart and demo_till.checkout.pending_approvals(back, cashier) == ()
    done = demo_till.checkout.complete_sale(back, cash(10_000), cashier)
    assert done.sale.lines[0].approvals[0].percent_bp == 3000
    assert demo_till.verify().ok


# -- point 3: ¥0 sales -----------------------------------------------------------------------

def _printed_text(till, receipt) -> str:
    return render_text(receipt, till.config.columns)


def test_a_managers_hundred_percent_discount_commits_with_no_tender_and_prints(demo_till, manager) -> None:
    cart = Cart().add(demo_till.lookup.find(HONEY), 1).discount_sale(parse_discount("100%"), by=manager.role)
    assert demo_till.checkout.before_payment(cart, manager).free
    done = demo_till.checkout.complete_sale(cart, [], manager)
    assert (done.sale.total_fen, done.sale.paid_fen, done.sale.change_fen, done.sale.tenders) == (0, 0, 0, ())
    assert demo_till.receipts.print(done.receipt).ok
    assert done.sale.receipt_no in _printed_text(demo_till, done.receipt)
    assert demo_till.verify().ok


def test_a_free_gift_approved_by_a_manager_commits_with_no_tender(demo_till, cashier) -> None:
    cart = Cart().add(demo_till.lookup.find(HUAJIAO), 1)
    step = demo_till.checkout.before_payment(cart.discount_line(0, parse_discount("100%"), by=demo_till.auth.login(
        "manager1", "2222").role), cashier)
    assert [n.action for n in step.needs] == [Action.DISCOUNT_OVER_LIMIT] and not step.free
    gift = cart.discount_line(0, parse_discount("100%"), by=cashier.role, approval=approve(demo_till, cashier))
    assert demo_till.checkout.before_payment(gift, cashier).free
    done = demo_till.checkout.complete_sale(gift, [], cashier)
    assert done.sale.total_fen == 0 and done.sale.lines[0].approvals[0].approver == "manager1"
    assert demo_till.receipts.print(done.receipt).ok
    with sqlite3.connect(demo_till.db.path) as c:
        assert c.execute("SELECT COUNT(*) FROM payments WHERE receipt_no = ?", (done.sale.receipt_no,)).fetchone() == (0,)
        assert c.execute("SELECT total_fen FROM sales").fetchone() == (0,)
    assert demo_till.verify().ok


def test_one_gram_rounded_to_nothing_commits_with_no_tender(demo_till, cashier, manager) -> None:
    demo_till.checkout.set_rounding(RoundingMode.DROP_JIAO, manager)
    cart = Cart().add(demo_till.lookup.find(APPLES), 1)  # ¥0.01, dropped by 抹角
    done = demo_till.checkout.complete_sale(cart, [], cashier)
    assert (done.sale.subtotal_fen, done.sale.rounding_fen, done.sale.total_fen) == (1, -1, 0)
    assert demo_till.receipts.print(done.receipt).ok
    assert demo_till.verify().ok


def test_a_sale_with_something_to_pay_still_needs_a_tender(demo_till, cashier) -> None:
    cart = Cart().add(demo_till.lookup.find(HUAJIAO), 1)
    assert demo_till.checkout.before_payment(cart, cashier).due_fen == 2800
    with pytest.raises(PaymentError):
        demo_till.checkout.complete_sale(cart, [], cashier)
