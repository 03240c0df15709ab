"""The counter's harder stories through the window: scale labels, search, variants, discounts with a
manager's PIN, split tenders, hold and recall, returns, reprints, training, vouchers.

Offscreen, real SQLite, dummy printer; every service call goes through the op runner.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from till_ui import HONEY, HUAJIAO, WALNUTS, commit_text, journal, press, press_in, scan, type_enter, wait_ops

from pos.bootstrap import Till, open_till
from pos.config import load_config
from pos.domain.scan import DEFAULT_SCALE_FORMATS
from pos.domain.tenders import TenderKind
from pos.domain.users import User
from pos.services.ports import FixedClock
from ui.approval import ApprovalDialog
from ui.cart_model import COL_AMOUNT, COL_DISCOUNT, COL_QTY
from ui.checkout import CheckoutWindow
from ui.ops import OpRunner
from ui.payment import PaymentDialog
from ui.returns import ReturnDialog

WECHAT_CODE = "134567890123456789"  # 18 digits starting 13: a WeChat payment code
ALIPAY_CODE = "284567890123456789"  # 18 digits starting 28: an Alipay payment code
GIFT_BOX = "6972316000736"  # 松阳农特产大礼包 ￥298.00: 山茶油, 蜂蜜, 红糖 ×2


def open_payment(qtbot: Any, window: CheckoutWindow) -> PaymentDialog:
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.payment_dialog is not None and window.payment_dialog.isVisible())
    dialog = window.payment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    return dialog


def pay_cash(qtbot: Any, window: CheckoutWindow, tendered: str) -> None:
    dialog = open_payment(qtbot, window)
    type_enter(qtbot, dialog.tendered, tendered)
    wait_ops(qtbot, window.runner)


def approve(qtbot: Any, dialog: ApprovalDialog, pin: str, runner: OpRunner) -> None:
    qtbot.waitUntil(dialog.managers.isEnabled)  # the managers are read on the reader thread
    assert dialog.selected_login() == "manager1"
    type_enter(qtbot, dialog.pin, pin)
    wait_ops(qtbot, runner)


def sales(till: Till) -> list[dict[str, Any]]:
    return [e.payload for e in journal(till, "sale")]


# -- (a) a scale label -------------------------------------------------------------------------

def test_a_a_scale_label_is_charged_as_printed_and_the_fen_are_dropped(qtbot: Any, window: CheckoutWindow,
                                                                        demo_till: Till) -> None:
    label = DEFAULT_SCALE_FORMATS[0].encode(102, amount_fen=1607, flag="21")  # PLU 102 冰糖心苹果（一级）
    scan(qtbot, window, label)

    assert window.quantity_dialog is None  # the label carries the amount: no weight to ask
    [line] = window.cart.lines
    assert line.product.sku == "MX-F002" and line.label_amount_fen == 1607 and line.amount_fen == 1607
    m = window.model
    assert m.data(m.index(0, COL_AMOUNT)) == "￥16.07"
    assert m.data(m.index(0, COL_QTY)) == "1.255kg"  # what ￥16.07 buys at ￥12.80/kg
    assert window.gross_label.text() == "合计 ￥16.07"
    assert window.rounding_label.isVisible() and window.rounding_label.text() == "抹零 -￥0.07"
    assert not window.discount_label.isVisible()
    assert window.total_label.text() == "应收 ￥16.00"
    assert "称重码" in window.message.text()

    pay_cash(qtbot, window, "20")
    [sale] = sales(demo_till)
    assert sale["lines"][0]["label_amount"] is True and sale["lines"][0]["amount"] == 1607
    assert (sale["subtotal"], sale["rounding"], sale["total"], sale["change"]) == (1607, -7, 1600, 400)
    assert demo_till.verify().ok


def test_a_label_with_a_wrong_check_digit_is_refused_and_the_cart_is_unchanged(qtbot: Any,
                                                                              window: CheckoutWindow) -> None:
    scan(qtbot, window, HONEY)
    good = DEFAULT_SCALE_FORMATS[0].encode(102, amount_fen=1607, flag="21")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    before = window.cart
    scan(qtbot, window, bad)
    assert window.message.text() == "称重条码校验位错误，请重新扫描或手工输入"
    assert window.cart == before
    scan(qtbot, window, DEFAULT_SCALE_FORMATS[0].encode(999, amount_fen=500, flag="21"))
    assert "未找到 PLU 00999" in window.message.text() and window.cart == before


# -- (b) split tenders -------------------------------------------------------------------------

def test_b_wechat_with_a_scanned_code_then_cash_change_only_from_cash(qtbot: Any, window: CheckoutWindow,
                                                                     demo_till: Till) -> None:
    scan(qtbot, window, HUAJIAO)
    scan(qtbot, window, HONEY)  # 28 + 88 = 116.00
    dialog = open_payment(qtbot, window)
    assert dialog.due_label.text() == "￥116.00" and dialog.kind is TenderKind.CASH

    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F2)  # 微信
    assert dialog.kind is TenderKind.WECHAT and dialog.tendered.text() == "116.00"
    type_enter(qtbot, dialog.tendered, "100")
    assert dialog.reference.hasFocus()  # next: the customer's payment code
    type_enter(qtbot, dialog.reference, WECHAT_CODE)  # the scanner ends with Enter
    assert [(t.kind, t.amount_fen, t.reference) for t in dialog.taken] == [(TenderKind.WECHAT, 10000, WECHAT_CODE)]
    assert dialog.remaining_label.text() == "￥16.00" and dialog.kind is TenderKind.CASH
    assert dialog.tender_model.data(dialog.tender_model.index(0, 2)) == "…6789"  # a code is a bearer token

    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F3)  # 支付宝 for more than is left: refused
    type_enter(qtbot, dialog.tendered, "20")
    type_enter(qtbot, dialog.reference, "")
    assert dialog.isVisible() and "不能超过应收金额" in dialog.error.text()
    assert len(dialog.taken) == 1

    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F1)  # 现金: change comes from cash
    qtbot.keyClicks(dialog.tendered, "20")
    assert dialog.change_label.text() == "￥4.00"
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)

    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "wechat", "amount": 10000, "reference": WECHAT_CODE},
                               {"kind": "cash", "amount": 2000, "reference": None}]
    assert (sale["paid"], sale["change"]) == (12000, 400)
    assert "找零 ￥4.00" in window.message.text()
    assert demo_till.verify().ok


def test_a_payment_code_in_the_scan_field_pays_and_is_never_a_product(qtbot: Any, window: CheckoutWindow,
                                                                      demo_till: Till) -> None:
    scan(qtbot, window, ALIPAY_CODE)  # an empty cart: nothing to pay yet
    assert window.payment_dialog is None and window.cart.is_empty()
    assert "付款码" in window.message.text()

    scan(qtbot, window, HONEY)
    scan(qtbot, window, ALIPAY_CODE)
    dialog = window.payment_dialog
    assert dialog is not None and [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]
    assert dialog.kind is TenderKind.ALIPAY and dialog.reference.text() == ALIPAY_CODE
    assert dialog.tendered.text() == "88.00"
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "alipay", "amount": 8800, "reference": ALIPAY_CODE}]


def test_a_wechat_code_scanned_into_the_cash_amount_becomes_the_wechat_tender(qtbot: Any, window: CheckoutWindow,
                                                                              demo_till: Till) -> None:
    scan(qtbot, window, WALNUTS)
    dialog = open_payment(qtbot, window)
    type_enter(qtbot, dialog.tendered, WECHAT_CODE)  # the amount was selected: the scan replaced it
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "wechat", "amount": 3500, "reference": WECHAT_CODE}]


def test_unionpay_needs_the_terminal_reference_and_an_account_is_checked_by_the_service(
        qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F4)  # 银联/聚合
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)
    type_enter(qtbot, dialog.reference, "")
    assert dialog.isVisible() and "终端参考号" in dialog.error.text()
    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F6)  # 单位挂账 with a code the service does not know
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)
    type_enter(qtbot, dialog.reference, "NOPE")
    wait_ops(qtbot, window.runner)
    assert sales(demo_till) == []
    again = window.payment_dialog  # the service refused: the dialog comes back with its tenders
    assert again is not None and again is not dialog
    assert "挂账单位“NOPE”不存在或已停用" in again.error.text() and "NOPE" in window.message.text()
    assert [(t.kind, t.reference) for t in again.taken] == [(TenderKind.ACCOUNT, "NOPE")]
    qtbot.waitUntil(again.isActiveWindow, timeout=5_000)
    again.remove_tender()
    press_in(qtbot, again, again.tendered, Qt.Key.Key_F6)
    qtbot.keyClick(again.tendered, Qt.Key.Key_Return)
    type_enter(qtbot, again.reference, "PHGH")
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "account", "amount": 8800, "reference": "PHGH"}]


# -- (c) hold and recall -----------------------------------------------------------------------

def test_c_a_held_sale_is_recalled_after_another_sale_and_paid(qtbot: Any, window: CheckoutWindow,
                                                               demo_till: Till) -> None:
    scan(qtbot, window, HUAJIAO)
    scan(qtbot, window, HONEY)
    press(qtbot, window, Qt.Key.Key_F8)
    wait_ops(qtbot, window.runner)
    assert window.cart.is_empty() and "挂单号 1" in window.message.text()

    scan(qtbot, window, WALNUTS)  # the next customer
    pay_cash(qtbot, window, "35")

    press(qtbot, window, Qt.Key.Key_F9)
    dialog = window.held_dialog
    assert dialog is not None
    wait_ops(qtbot, window.runner)  # the list is read on the writer thread
    assert dialog.model.rowCount() == 1 and dialog.model.data(dialog.model.index(0, 4)) == "￥116.00"
    type_enter(qtbot, dialog.field, "7")  # no such hold: said in the dialog, which stays
    assert dialog.isVisible() and "没有编号为 7 的挂单" in dialog.message.text()
    dialog.field.clear()
    type_enter(qtbot, dialog.field, "1")
    wait_ops(qtbot, window.runner)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-S001", "MX-H001"]
    assert "已取出挂单 1" in window.message.text()

    pay_cash(qtbot, window, "200")
    assert [s["total"] for s in sales(demo_till)] == [3500, 11600]
    assert [e.payload["hold_no"] for e in journal(demo_till, "hold")] == [1]
    assert [e.payload["hold_no"] for e in journal(demo_till, "recall")] == [1]
    assert demo_till.verify().ok


def test_recalling_over_an_open_cart_holds_it_first_when_the_cashier_agrees(qtbot: Any, window: CheckoutWindow,
                                                                            demo_till: Till, monkeypatch: Any) -> None:
    scan(qtbot, window, HONEY)
    press(qtbot, window, Qt.Key.Key_F8)
    wait_ops(qtbot, window.runner)
    scan(qtbot, window, WALNUTS)
    answers = iter([False, True])
    monkeypatch.setattr(window, "ask", lambda question: next(answers))
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_F9)
        wait_ops(qtbot, window.runner)
        type_enter(qtbot, window.held_dialog.field, "1")
        wait_ops(qtbot, window.runner)
        if _ == 0:
            assert [ln.product.sku for ln in window.cart.lines] == ["MX-N001"]  # "no": nothing changes
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]
    assert [h.hold_no for h in demo_till.checkout.held()] == [2]  # the walnuts wait as hold 2


# -- (d) returns -------------------------------------------------------------------------------

def _sell_two_items_wechat_and_cash(qtbot: Any, window: CheckoutWindow) -> str:
    scan(qtbot, window, HUAJIAO)
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F2)
    type_enter(qtbot, dialog.tendered, "100")
    type_enter(qtbot, dialog.reference, WECHAT_CODE)
    type_enter(qtbot, dialog.tendered, "20")
    wait_ops(qtbot, window.runner)
    assert window.last_sale is not None
    return window.last_sale.sale.receipt_no


def _open_return(qtbot: Any, window: CheckoutWindow, receipt_no: str) -> ReturnDialog:
    press(qtbot, window, Qt.Key.Key_F10)
    dialog = window.return_dialog
    assert dialog is not None
    type_enter(qtbot, dialog.receipt_field, receipt_no)  # as the scanner reads the receipt's code
    wait_ops(qtbot, window.runner)
    assert dialog.sale is not None and dialog.sale.receipt_no == receipt_no
    return dialog


def test_d_one_of_two_items_comes_back_to_the_original_tenders_with_a_managers_pin(
        qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    receipt_no = _sell_two_items_wechat_and_cash(qtbot, window)
    dialog = _open_return(qtbot, window, receipt_no)
    m = dialog.lines_model
    assert [m.data(m.index(r, 1)) for r in range(2)] == ["茂县大红袍花椒 100g", "松阳土蜂蜜 500g"]
    assert [m.data(m.index(r, 3)) for r in range(2)] == ["1", "1"]
    assert "微信 ￥100.00" in dialog.sale_label.text()

    qtbot.keyClick(dialog.qty_field, Qt.Key.Key_Down)  # the honey
    type_enter(qtbot, dialog.qty_field, "1")
    wait_ops(qtbot, window.runner)  # the refund is planned by the service
    assert dialog.refund_label.text() == "应退 ￥88.00：微信 ￥75.86 · 现金 ￥12.14（退回原付款方式）"
    assert m.data(m.index(1, m.COL_REFUND)) == "￥88.00"

    press_in(qtbot, dialog, dialog.qty_field, Qt.Key.Key_F12)
    wait_ops(qtbot, window.runner)
    approval = dialog.approval_dialog  # a cashier needs a manager for a return
    assert approval is not None and "退货需要店长授权" in approval.reason.text()
    approve(qtbot, approval, "2222", window.runner)

    assert dialog.result is not None
    ret = dialog.result.ret
    assert ret.receipt_no == receipt_no and ret.return_no.endswith("-R0001")
    assert [(t.kind, t.amount_fen) for t in ret.refunds] == [(TenderKind.WECHAT, 7586), (TenderKind.CASH, 1214)]
    assert "退货完成" in dialog.done_label.text() and "退货单" in dialog.paper.text()
    [entry] = journal(demo_till, "return")
    assert entry.payload["approvals"][0]["approver"] == "manager1" and entry.payload["refund"] == 8800
    assert "退货单" in window.receipt_text and ret.return_no in window.receipt_no_label.text()
    dialog.done_button.click()
    qtbot.waitUntil(lambda: window.return_dialog is None)

    # A second return of more than is left is refused with a message.
    again = _open_return(qtbot, window, receipt_no)
    m = again.lines_model
    assert [m.data(m.index(r, 3)) for r in range(2)] == ["1", "0"]
    assert not again.set_quantity(1, "1")
    assert "松阳土蜂蜜 500g 最多还可退 0" in again.message.text()
    assert not again.set_quantity(0, "2")
    assert "最多还可退 1" in again.message.text()
    again.confirm()
    assert "请选择要退的商品" in again.message.text()
    again.reject()
    assert len(journal(demo_till, "return")) == 1
    assert demo_till.verify().ok


def test_the_service_refuses_a_return_the_dialog_did_not_know_about(qtbot: Any, window: CheckoutWindow,
                                                                    demo_till: Till) -> None:
    receipt_no = _sell_two_items_wechat_and_cash(qtbot, window)
    dialog = _open_return(qtbot, window, receipt_no)
    assert dialog.set_quantity(1, "1")
    manager = demo_till.auth.login("manager1", "2222")
    demo_till.returns.return_items(receipt_no, {2: 1}, manager)  # meanwhile, at another screen
    dialog.confirm()
    wait_ops(qtbot, window.runner)
    # The service checks quantities before asking for a PIN: no manager is bothered for a refusal.
    assert dialog.approval_dialog is None
    assert dialog.result is None and "最多还可退 0" in dialog.message.text()
    dialog.reject()


def test_a_return_without_a_receipt_needs_a_manager_and_refunds_cash(qtbot: Any, window: CheckoutWindow,
                                                                     demo_till: Till) -> None:
    press(qtbot, window, Qt.Key.Key_F10)
    dialog = window.return_dialog
    dialog.without_receipt_button.click()
    type_enter(qtbot, dialog.product_field, HONEY)
    type_enter(qtbot, dialog.product_field, HONEY)
    wait_ops(qtbot, window.runner)
    assert dialog.goods_model.items()[0][1] == 2
    assert dialog.refund_label.text() == "应退现金 ￥176.00（按今日售价）"
    type_enter(qtbot, dialog.goods_qty_field, "1")
    dialog.confirm()
    wait_ops(qtbot, window.runner)
    assert "无小票退货需要店长授权" in dialog.approval_dialog.reason.text()
    approve(qtbot, dialog.approval_dialog, "2222", window.runner)
    ret = dialog.result.ret
    assert ret.receipt_no is None and [(t.kind, t.amount_fen) for t in ret.refunds] == [(TenderKind.CASH, 8800)]
    assert journal(demo_till, "override")[-1].payload["action"] == "return_without_receipt"


# -- (e) search --------------------------------------------------------------------------------

def test_e_btxpg_finds_the_apples_and_enter_adds_them(qtbot: Any, window: CheckoutWindow) -> None:
    press(qtbot, window, Qt.Key.Key_F3)
    dialog = window.search_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.field, "btxpg")
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.model.rowCount() > 0)
    assert dialog.searches == 1  # typed faster than the 150 ms pause: one search, not five
    names = [dialog.model.data(dialog.model.index(r, 0)) for r in range(dialog.model.rowCount())]
    assert all("冰糖心苹果" in n for n in names) and "茂县冰糖心苹果（特级）" in names
    first = dialog.model.hit(0).product
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.quantity_dialog is not None)  # apples are weighed
    type_enter(qtbot, window.quantity_dialog.field, "1.5")
    [line] = window.cart.lines
    assert line.product.sku == first.sku and line.quantity == 1500


def test_enter_right_after_typing_waits_for_the_search_of_what_was_typed(qtbot: Any, window: CheckoutWindow) -> None:
    press(qtbot, window, Qt.Key.Key_F3)
    dialog = window.search_dialog
    qtbot.keyClicks(dialog.field, HONEY)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # before the timer fired
    wait_ops(qtbot, window.runner)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]


def test_stale_search_answers_are_discarded(qtbot: Any, window: CheckoutWindow) -> None:
    press(qtbot, window, Qt.Key.Key_F3)
    dialog = window.search_dialog
    dialog.field.setText("fm")  # 蜂蜜
    dialog._search()
    dialog.field.setText("hetao")
    dialog._search()  # asked before the first answer arrives
    wait_ops(qtbot, window.runner)
    names = [dialog.model.data(dialog.model.index(r, 0)) for r in range(dialog.model.rowCount())]
    assert names and all("核桃" in n for n in names)
    dialog.reject()


def test_chinese_committed_by_an_ime_into_the_scan_field_opens_the_search(qtbot: Any, window: CheckoutWindow) -> None:
    commit_text(window.scan_field, "苹果")
    qtbot.waitUntil(lambda: window.search_dialog is not None)
    dialog = window.search_dialog
    assert dialog.field.text() == "苹果"
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.model.rowCount() > 0)
    names = [dialog.model.data(dialog.model.index(r, 0)) for r in range(dialog.model.rowCount())]
    assert all("苹果" in n for n in names)
    commit_text(dialog.field, "干")  # refine with the IME: 苹果干
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.model.rowCount() == 1)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-N003"]


def test_full_width_digits_from_an_ime_wait_for_enter(qtbot: Any, window: CheckoutWindow) -> None:
    for ch in "６９７２３１６０００５２１":  # the honey's barcode in full-width mode, one commit per key
        commit_text(window.scan_field, ch)
    assert window.search_dialog is None and window.runner.is_idle()
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]


def test_pinyin_typed_into_the_scan_field_opens_the_search(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, "fengmi")
    dialog = window.search_dialog
    assert dialog is not None and dialog.field.text() == "fengmi"
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.model.rowCount() > 0)
    dialog.reject()


# -- (f) discounts, prices, approvals --------------------------------------------------------

def test_f_a_discount_over_ten_percent_needs_the_managers_pin(qtbot: Any, window: CheckoutWindow,
                                                             demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    press(qtbot, window, Qt.Key.Key_F5)
    dialog = window.value_dialog
    type_enter(qtbot, dialog.field, "20%")
    qtbot.waitUntil(lambda: window.approval_dialog is not None)
    approval = window.approval_dialog
    assert "超限折扣需要店长授权" in approval.reason.text()
    assert window.cart.lines[0].discount is None

    approve(qtbot, approval, "1234", window.runner)  # wrong PIN: refused, still asking
    assert approval.isVisible() and approval.message.text() == "密码错误（还可尝试 4 次）"
    assert window.cart.lines[0].discount is None and journal(demo_till, "override") == []

    approve(qtbot, approval, "2222", window.runner)
    qtbot.waitUntil(lambda: window.approval_dialog is None)
    line = window.cart.lines[0]
    assert line.amount_fen == 7040 and line.approvals[0].approver == "manager1"
    m = window.model
    assert m.data(m.index(0, COL_DISCOUNT)) == "8折 -￥17.60" and not window.table.isColumnHidden(COL_DISCOUNT)
    assert window.discount_label.text() == "折扣 -￥17.60"
    assert window.total_label.text() == "应收 ￥70.40"
    [override] = journal(demo_till, "override")
    assert override.payload["action"] == "discount_over_limit" and override.payload["approver"] == "manager1"
    assert override.payload["requested_by"] == "cashier1"

    pay_cash(qtbot, window, "100")
    [sale] = sales(demo_till)
    assert sale["lines"][0]["discount"] == 1760 and sale["lines"][0]["approvals"][0]["approver"] == "manager1"


def test_ten_percent_needs_no_manager_and_a_whole_sale_discount_shows_in_the_totals(qtbot: Any,
                                                                                   window: CheckoutWindow) -> None:
    scan(qtbot, window, HUAJIAO)
    scan(qtbot, window, HONEY)
    press(qtbot, window, Qt.Key.Key_F5)  # the honey (last scanned) is selected
    commit_text(window.value_dialog.field, "9折")  # Chinese comes from the IME, never keyClicks
    qtbot.keyClick(window.value_dialog.field, Qt.Key.Key_Return)
    assert window.approval_dialog is None and window.cart.lines[1].discount_fen == 880
    press(qtbot, window, Qt.Key.Key_F6)
    window.value_dialog.quick_buttons[0].click()  # 9.5折 on the rest
    # 9折 on the honey and 9.5折 on the sale come to 12.21 % of ¥116.00 together: over a cashier's 10 %
    qtbot.waitUntil(lambda: window.approval_dialog is not None)
    assert "整单优惠合计 12.21%" in window.approval_dialog.reason.text()
    approve(qtbot, window.approval_dialog, "2222", window.runner)
    qtbot.waitUntil(lambda: window.approval_dialog is None)
    t = window._till.checkout.totals(window.cart)
    assert (t.line_discount_fen, t.sale_discount_fen) == (880, 536)  # 5% of 107.20
    assert window.discount_label.text() == "折扣 -￥14.16（整单9.5折）"
    assert window.rounding_label.text() == "抹零 -￥0.04" and window.total_label.text() == "应收 ￥101.80"
    press(qtbot, window, Qt.Key.Key_F5)
    type_enter(qtbot, window.value_dialog.field, "abc")
    assert "“abc”不是有效" in window.value_dialog.error.text() and window.value_dialog.isVisible()
    window.value_dialog.reject()


def test_a_price_override_always_needs_a_manager(qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    scan(qtbot, window, HUAJIAO)
    press(qtbot, window, Qt.Key.Key_F7)
    dialog = window.value_dialog
    assert dialog.field.text() == "28.00"
    type_enter(qtbot, dialog.field, "25")
    qtbot.waitUntil(lambda: window.approval_dialog is not None)
    window.approval_dialog.reject()
    assert window.cart.lines[0].price_fen is None and "未获店长授权" in window.message.text()

    press(qtbot, window, Qt.Key.Key_F7)
    type_enter(qtbot, window.value_dialog.field, "25")
    qtbot.waitUntil(lambda: window.approval_dialog is not None)
    approve(qtbot, window.approval_dialog, "2222", window.runner)
    assert window.cart.lines[0].price_fen == 2500
    assert window.model.data(window.model.index(0, COL_DISCOUNT)) == "原价 ￥28.00"
    assert journal(demo_till, "override")[-1].payload["detail"] == "茂县大红袍花椒 100g 28.00 → 25.00"
    # The totals bar shows the list value and the price cut as its own figure, as the Z will.
    assert window.gross_label.text() == "合计 ￥28.00" and window.discount_label.text() == "改价 -￥3.00"
    assert window.total_label.text() == "应收 ￥25.00"


# -- (g) variants ------------------------------------------------------------------------------

@pytest.fixture
def pm_till(tmp_path: Path, clock: FixedClock) -> Iterator[Till]:
    cfg = load_config(db=tmp_path / "pm.db", store="PM", terminal="PM01", printer="dummy:")
    till = open_till(cfg, create=True, demo=True, clock=clock)
    if hasattr(till, "shifts"):  # sales need an open shift (as the demo_till fixture has)
        from pos.domain.closing import CashCount

        till.shifts.open(till.auth.login("cashier1", "1111"), CashCount())
    yield till
    till.close()


@pytest.fixture
def pm_window(qtbot: Any, pm_till: Till, runner: OpRunner) -> CheckoutWindow:
    w = CheckoutWindow(pm_till, runner, pm_till.auth.login("cashier1", "1111"))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


def test_g_a_jacket_is_picked_from_the_size_and_colour_grid(qtbot: Any, pm_window: CheckoutWindow,
                                                            pm_till: Till) -> None:
    window = pm_window
    press(qtbot, window, Qt.Key.Key_F3)
    dialog = window.search_dialog
    commit_text(dialog.field, "羽绒服")
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.model.rowCount() > 0)
    hits = dialog.model.hits()
    assert sorted(h.product.style for h in hits) == ["羽绒服-女款长款", "羽绒服-男款连帽"]  # one row per style
    row = next(i for i, h in enumerate(hits) if h.product.style == "羽绒服-男款连帽")
    assert dialog.model.data(dialog.model.index(row, 1)) == "6 款：黑色·藏青 / M·L·XL"
    if row:
        qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.variant_dialog is not None)
    grid = window.variant_dialog
    assert grid.sizes == ["M", "L", "XL"] and grid.colors == ["黑色", "藏青"]
    assert grid.cell("黑色", "L").text() == "￥599.00" and grid.cell("藏青", "XL").isEnabled()
    qtbot.waitUntil(grid.isActiveWindow, timeout=5_000)
    assert grid.cell("黑色", "M").hasFocus()
    qtbot.keyClick(grid.cell("黑色", "M"), Qt.Key.Key_Down)  # 藏青 M
    qtbot.keyClick(grid.cell("藏青", "M"), Qt.Key.Key_Up)  # back to 黑色 M
    qtbot.keyClick(grid.cell("黑色", "M"), Qt.Key.Key_Right)  # 黑色 L
    assert grid.cell("黑色", "L").hasFocus()
    qtbot.keyClick(grid.cell("黑色", "L"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.variant_dialog is None)
    [line] = window.cart.lines
    assert line.product.sku == "PM-YRF01-BLK-L" and (line.product.color, line.product.size) == ("黑色", "L")
    assert window.model.data(window.model.index(0, 1)) == "平湖男款连帽羽绒服 黑色 L"
    assert window.total_label.text() == "应收 ￥599.00"  # the PM counter rounds nothing


def test_a_missing_variant_is_a_disabled_cell(qtbot: Any) -> None:
    from pos.domain.catalog import Product
    from ui.variants import VariantDialog

    def jacket(color: str, size: str, price: int = 49900) -> Product:
        return Product(f"Y-{color}-{size}", "羽绒服", price, style="Y", color=color, size=size)

    dialog = VariantDialog([jacket("红", "XL"), jacket("红", "S"), jacket("黑", "M", 52900)])
    qtbot.addWidget(dialog)
    assert dialog.sizes == ["S", "M", "XL"] and dialog.colors == ["红", "黑"]
    assert not dialog.cell("红", "M").isEnabled() and dialog.cell("红", "M").text() == "—"
    assert dialog.cell("黑", "M").text() == "￥529.00"
    dialog.cell("黑", "M").click()
    assert dialog.chosen is not None and dialog.chosen.sku == "Y-黑-M"


# -- (h) training ------------------------------------------------------------------------------

def test_h_training_sales_are_marked_and_numbered_in_the_t_series(qtbot: Any, window: CheckoutWindow,
                                                                 demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    window.training_button.click()  # not with a sale open
    assert not window.training and "练习模式" in window.message.text()
    window.ask = lambda question: True  # type: ignore[method-assign]
    window.clear_button.click()
    wait_ops(qtbot, window.runner)

    window.training_button.click()
    wait_ops(qtbot, window.runner)  # the switch is journaled on the writer thread
    assert window.training and window.training_button.isChecked()
    assert [e.payload for e in journal(demo_till, "training")] == [{"on": True, "by": "cashier1"}]
    assert window.training_banner.isVisible() and window.training_banner.text() == "练习模式 — 不计入营业额"
    assert not window.return_button.isEnabled()  # returns are real money
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "100")
    [practice] = sales(demo_till)
    assert practice["training"] is True and practice["receipt_no"].endswith("-T0001")
    assert "练习" in window.receipt_text

    window.training_button.click()
    wait_ops(qtbot, window.runner)
    assert not window.training and not window.training_banner.isVisible()
    assert [e.payload["on"] for e in journal(demo_till, "training")] == [True, False]
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "100")
    real = sales(demo_till)[-1]
    assert real["training"] is False and real["receipt_no"].endswith("-0001")


# -- (i) vouchers ------------------------------------------------------------------------------

def _pay_voucher_then_cash(qtbot: Any, window: CheckoutWindow, number: str, face: str, cash: str) -> PaymentDialog:
    dialog = open_payment(qtbot, window)
    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F5)
    type_enter(qtbot, dialog.tendered, face)
    type_enter(qtbot, dialog.reference, number)
    assert dialog.taken[-1].kind is TenderKind.VOUCHER
    type_enter(qtbot, dialog.tendered, cash)
    wait_ops(qtbot, window.runner)
    return dialog


def test_i_a_voucher_used_before_is_refused_and_no_sale_is_journaled(qtbot: Any, window: CheckoutWindow,
                                                                    demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    _pay_voucher_then_cash(qtbot, window, "XFQ-2026-0001", "20", "70")
    [first] = sales(demo_till)
    assert first["tenders"][0] == {"kind": "voucher", "amount": 2000, "reference": "XFQ-2026-0001"}
    assert first["change"] == 200

    scan(qtbot, window, HONEY)
    _pay_voucher_then_cash(qtbot, window, "XFQ-2026-0001", "20", "70")
    assert len(sales(demo_till)) == 1  # refused: nothing journaled as a sale
    assert window.message.text().startswith("消费券 XFQ-2026-0001 已使用过（小票 ")
    again = window.payment_dialog
    assert again is not None and "已使用过" in again.error.text()
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]

    qtbot.waitUntil(again.isActiveWindow, timeout=5_000)
    again.tender_table.selectRow(0)
    press_in(qtbot, again, again.tendered, Qt.Key.Key_F8)  # take the voucher off
    assert [t.kind for t in again.taken] == [TenderKind.CASH]
    qtbot.keyClick(again.tendered, Qt.Key.Key_Return)  # the rest in cash
    wait_ops(qtbot, window.runner)
    assert len(sales(demo_till)) == 2


def test_a_voucher_gives_no_change(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, WALNUTS)
    dialog = open_payment(qtbot, window)
    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F5)
    type_enter(qtbot, dialog.tendered, "50")
    type_enter(qtbot, dialog.reference, "XFQ-9")
    assert dialog.isVisible() and dialog.taken == [] and "不能超过应收金额" in dialog.error.text()
    dialog.reject()


# -- gift boxes, reprint ------------------------------------------------------------------------

def test_a_gift_box_is_one_line_and_the_receipt_names_what_is_inside(qtbot: Any, window: CheckoutWindow,
                                                                     demo_till: Till) -> None:
    scan(qtbot, window, GIFT_BOX)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-G001"]
    pay_cash(qtbot, window, "300")
    assert "含 " in window.receipt_text and "松阳土蜂蜜" in window.receipt_text
    [sale] = sales(demo_till)
    assert len(sale["lines"][0]["components"]) == 3


def test_reprint_offers_the_last_receipt_and_marks_it(qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "100")
    no = window.last_receipt_no
    press(qtbot, window, Qt.Key.Key_F11)
    dialog = window.value_dialog
    assert dialog.field.text() == no
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert "重印" in window.receipt_text and no in window.receipt_text
    assert [e.payload["receipt_no"] for e in journal(demo_till, "reprint")] == [no]
    assert "已重印" in window.message.text()

    press(qtbot, window, Qt.Key.Key_F11)
    window.value_dialog.field.clear()
    type_enter(qtbot, window.value_dialog.field, "not-a-receipt")
    assert "不是有效的小票号" in window.value_dialog.error.text()
    window.value_dialog.reject()


def test_the_keys_and_buttons_fit_at_1280_by_800(qtbot: Any, window: CheckoutWindow) -> None:
    buttons = [window.search_button, window.quantity_button, window.delete_button, window.discount_button,
               window.price_button, window.hold_button, window.recall_button, window.sale_discount_button,
               window.return_button, window.reprint_button, window.training_button, window.clear_button,
               window.logout_button, window.pay_button, window.shift_button, window.manager_button, window.lock_button]
    for b in buttons:
        assert b.isVisible()
        assert b.width() >= b.fontMetrics().horizontalAdvance(b.text().split("\n")[0]) + 8, b.text()
        assert window.rect().contains(b.geometry().translated(b.mapTo(window, b.rect().topLeft()) - b.pos()))
    assert window.table.height() >= 250  # room for several lines


def test_approval_lists_only_people_who_may_approve(qtbot: Any, demo_till: Till, runner: OpRunner,
                                                    cashier: User) -> None:
    from pos.domain.permissions import Action

    dialog = ApprovalDialog(demo_till, runner, cashier, Action.RETURN, reason="退货需要店长授权")
    qtbot.addWidget(dialog)
    wait_ops(qtbot, runner)
    logins = [dialog.managers.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.managers.count())]
    assert logins == ["manager1"]
