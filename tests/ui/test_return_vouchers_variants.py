"""The return dialog with a voucher sale and a variant (issue 11, points 6 and 11): the voucher's
share is refunded in cash unless the cashier picks another tender, and the list says which
jacket came back (colour and size)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QWidget
from screen_fit import settled, sheet_for
from till_ui import press, press_in, type_enter, wait_ops

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import User
from ui.checkout import CheckoutWindow
from ui.i18n import install_language
from ui.ops import OpRunner
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


# -- focus, and every screen in both languages ----------------------------------------------------


def test_the_keyboard_goes_to_the_field_the_next_key_belongs_to(qtbot: Any, window: CheckoutWindow,
                                                                demo_till: Till, cashier: User) -> None:
    sale = demo_till.checkout.complete_sale(Cart().add(demo_till.lookup.find(JACKET), 1),
                                            [Tender(TenderKind.CASH, 59900)], cashier).sale
    press(qtbot, window, Qt.Key.Key_F10)
    dialog = window.return_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.receipt_field.hasFocus(), timeout=5_000)
    type_enter(qtbot, dialog.receipt_field, "MX01-20991231-0001")  # no such receipt
    wait_ops(qtbot, window.runner)
    assert dialog.receipt_field.hasFocus() and dialog.receipt_field.selectedText() == "MX01-20991231-0001"
    type_enter(qtbot, dialog.receipt_field, sale.receipt_no)
    wait_ops(qtbot, window.runner)
    assert dialog.qty_field.hasFocus() and dialog.sale is not None
    dialog.all_button.click()  # 整单全退 by touch: the keyboard stays in the quantity field
    wait_ops(qtbot, window.runner)
    assert dialog.qty_field.hasFocus() and "￥599.00" in dialog.refund_label.text()
    dialog.without_receipt_button.click()
    assert dialog.product_field.hasFocus()
    dialog.by_receipt_button.click()
    assert dialog.receipt_field.hasFocus()
    dialog.reject()


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("screen", [QSize(1024, 768), QSize(1920, 1080)], ids=["1024x768", "1920x1080"])
def test_no_caption_key_or_placeholder_is_cut_off_on_a_small_or_a_big_screen(
        qtbot: Any, qapp: Any, tmp_path: Path, demo_till: Till, runner: OpRunner, cashier: User,
        screen: QSize, language: str) -> None:
    if language == "en":
        install_language("en")
    sale = demo_till.checkout.complete_sale(
        Cart().add(demo_till.lookup.find(JACKET), 2),
        [Tender(TenderKind.VOUCHER, 10000, "V100"), Tender(TenderKind.CASH, 109800)], cashier).sale
    counter = QWidget()  # the till's window, filling the counter's screen
    qtbot.addWidget(counter)
    counter.resize(screen)
    counter.show()
    manager = demo_till.auth.login("manager1", "2222")  # a manager returns without asking for a PIN
    dialog = ReturnDialog(demo_till, runner, manager, receipt_no=sale.receipt_no, parent=counter)
    dialog.setStyleSheet(sheet_for(screen))
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(runner.is_idle, timeout=15_000)
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    assert dialog.minimumSizeHint().width() <= screen.width() and dialog.minimumSizeHint().height() <= screen.height()
    type_enter(qtbot, dialog.qty_field, "1")
    qtbot.waitUntil(runner.is_idle, timeout=15_000)
    qapp.processEvents()
    assert dialog.voucher_refund.isVisible() and "599.00" in dialog.refund_label.text()
    settled(qtbot, dialog, screen)
    name = f"return-{screen.width()}-{language}"
    assert dialog.grab().save(str(tmp_path / f"{name}-receipt.png"))

    dialog.without_receipt_button.click()
    qapp.processEvents()
    settled(qtbot, dialog, screen)
    assert dialog.grab().save(str(tmp_path / f"{name}-without.png"))
    dialog.by_receipt_button.click()

    press_in(qtbot, dialog, dialog.qty_field, Qt.Key.Key_F12)
    qtbot.waitUntil(runner.is_idle, timeout=15_000)
    assert dialog.result is not None and dialog.done_button.isVisible()
    qapp.processEvents()
    settled(qtbot, dialog, screen)
    assert dialog.grab().save(str(tmp_path / f"{name}-done.png"))
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # 完成 Enter
    assert not dialog.isVisible()
