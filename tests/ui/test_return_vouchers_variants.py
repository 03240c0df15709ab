"""The return dialog with a voucher sale and a variant (issue 11, points 6 and 11): the voucher's
share is refunded in cash unless the cashier picks another tender, and the list says which
jacket came back (colour and size)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from till_ui import press, press_in, type_enter, wait_ops

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import User
from ui.checkout import CheckoutWindow
from ui.returns import ReturnDialog

JACKET = "PM-YRF01-BLK-XL"  # 平湖男款连帽羽绒服 黑色 XL ￥599.00


def _open_return(qtbot: Any, window: CheckoutWindow, receipt_no: str) -> ReturnDialog:
    press(qtbot, window, Qt.Key.Key_F10)
    dialog = window.return_dialog
    assert dialog is not None
    type_enter(qtbot, dialog.receipt_field, receipt_no)
    wait_ops(qtbot, window.runner)
    assert dialog.sale is not None and dialog.sale.receipt_no == receipt_no
    return dialog


def test_a_jacket_paid_partly_by_voucher_comes_back_and_the_voucher_share_is_refunded_by_wechat(
        qtbot: Any, window: CheckoutWindow, demo_till: Till, cashier: User) -> None:
    sale = demo_till.checkout.complete_sale(
        Cart().add(demo_till.lookup.find(JACKET), 2),
        [Tender(TenderKind.VOUCHER, 10000, "V100"), Tender(TenderKind.CASH, 109800)], cashier).sale
    dialog = _open_return(qtbot, window, sale.receipt_no)
    m = dialog.lines_model
    assert m.data(m.index(0, m.COL_NAME)) == "平湖男款连帽羽绒服 黑色/XL"
    assert dialog.voucher_refund.isVisible() and dialog.voucher_refund.currentText() == "现金"

    type_enter(qtbot, dialog.qty_field, "1")
    wait_ops(qtbot, window.runner)
    assert dialog.refund_label.text() == ("应退 ￥599.00：现金 ￥50.00 · 现金 ￥549.00"
                                          "（消费券部分退现金，其余退回原付款方式）")

    dialog.voucher_refund.setCurrentIndex(dialog.voucher_refund.findData(TenderKind.WECHAT.value))
    wait_ops(qtbot, window.runner)
    assert "微信 ￥50.00" in dialog.refund_label.text() and "消费券部分退微信支付" in dialog.refund_label.text()

    press_in(qtbot, dialog, dialog.qty_field, Qt.Key.Key_F12)
    wait_ops(qtbot, window.runner)
    approval = dialog.approval_dialog
    assert approval is not None
    qtbot.waitUntil(approval.managers.isEnabled)
    type_enter(qtbot, approval.pin, "2222")
    wait_ops(qtbot, window.runner)

    assert dialog.result is not None
    ret = dialog.result.ret
    assert [(t.kind, t.amount_fen) for t in ret.refunds] == [(TenderKind.WECHAT, 5000), (TenderKind.CASH, 54900)]
    assert "授权人：李建国" in dialog.paper.text() and "消费券部分退微信支付" in dialog.paper.text()
    dialog.done_button.click()
    assert demo_till.verify().ok


def test_a_sale_without_a_voucher_does_not_offer_the_voucher_refund_choice(
        qtbot: Any, window: CheckoutWindow, demo_till: Till, cashier: User) -> None:
    sale = demo_till.checkout.complete_sale(Cart().add(demo_till.lookup.find(JACKET), 1),
                                            [Tender(TenderKind.CASH, 59900)], cashier).sale
    dialog = _open_return(qtbot, window, sale.receipt_no)
    assert not dialog.voucher_refund.isVisible()
    dialog.reject()
