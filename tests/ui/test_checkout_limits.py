"""收款 in the till: what the sale as a whole still needs is approved before payment; a ¥0 sale
completes without the payment dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from till_ui import HONEY, HUAJIAO, journal, press, scan, type_enter, wait_ops

from pos.bootstrap import Till
from ui.approval import ApprovalDialog
from ui.checkout import CheckoutWindow
from ui.ops import OpRunner


def approve(qtbot: Any, dialog: ApprovalDialog, runner: OpRunner) -> None:
    qtbot.waitUntil(dialog.managers.isEnabled)  # the managers are read on the reader thread
    type_enter(qtbot, dialog.pin, "2222")
    wait_ops(qtbot, runner)


def nine_point_nine_percent_then_the_honey_voided(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, HONEY)
    scan(qtbot, window, HUAJIAO)  # ¥116.00
    press(qtbot, window, Qt.Key.Key_F6)
    type_enter(qtbot, window.value_dialog.field, "11.48")  # 9.9 % off: no PIN
    assert window.approval_dialog is None and window.cart.discount is not None
    window.select_row(0)
    press(qtbot, window, Qt.Key.Key_Delete)
    wait_ops(qtbot, window.runner)
    assert [ln.product.name for ln in window.cart.lines] == ["茂县大红袍花椒 100g"]  # ¥11.48 off ¥28.00 now


def test_pay_asks_the_manager_for_what_the_sale_is_over_then_opens_payment(qtbot: Any, window: CheckoutWindow,
                                                                          demo_till: Till) -> None:
    nine_point_nine_percent_then_the_honey_voided(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.approval_dialog is not None)
    dialog = window.approval_dialog
    assert "超限折扣需要店长授权：整单优惠合计 41%" in dialog.reason.text() and "整单优惠合计 41%" in dialog.detail.text()
    assert window.payment_dialog is None
    approve(qtbot, dialog, window.runner)
    qtbot.waitUntil(lambda: window.payment_dialog is not None and window.payment_dialog.isVisible())
    type_enter(qtbot, window.payment_dialog.tendered, "20")
    wait_ops(qtbot, window.runner)
    [sale] = [e.payload for e in journal(demo_till, "sale")]
    assert sale["approvals"][0]["approver"] == "manager1" and sale["approvals"][0]["percent_bp"] == 4100


def test_without_the_managers_pin_there_is_no_payment(qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    nine_point_nine_percent_then_the_honey_voided(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.approval_dialog is not None)
    window.approval_dialog.reject()
    qtbot.waitUntil(lambda: window.approval_dialog is None)
    assert window.payment_dialog is None and "未获店长授权" in window.message.text()
    assert journal(demo_till, "sale") == [] and len(window.cart.lines) == 1


def test_a_free_gift_completes_at_once_without_the_payment_dialog(qtbot: Any, window: CheckoutWindow,
                                                                 demo_till: Till) -> None:
    scan(qtbot, window, HUAJIAO)
    press(qtbot, window, Qt.Key.Key_F5)
    type_enter(qtbot, window.value_dialog.field, "100%")  # a gift: over 10 %, the manager is asked
    qtbot.waitUntil(lambda: window.approval_dialog is not None)
    approve(qtbot, window.approval_dialog, window.runner)
    qtbot.waitUntil(lambda: window.approval_dialog is None)
    assert window.total_label.text() == "应收 ￥0.00"
    press(qtbot, window, Qt.Key.Key_F12)
    wait_ops(qtbot, window.runner)
    qtbot.waitUntil(lambda: window.last_sale is not None)
    assert window.payment_dialog is None and window.cart.is_empty()
    [sale] = [e.payload for e in journal(demo_till, "sale")]
    assert (sale["total"], sale["tenders"], sale["paid"]) == (0, [], 0)
    assert window.last_receipt_no in window.receipt_text


def test_a_serial_scanner_payment_code_pays_in_the_open_payment_dialog(qtbot: Any, window: CheckoutWindow,
                                                                      demo_till: Till) -> None:
    scan(qtbot, window, HUAJIAO)  # ¥28.00
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.payment_dialog is not None and window.payment_dialog.isVisible())
    window._serial_code("134567890123456789")  # the serial scanner's line, as the bridge delivers it
    wait_ops(qtbot, window.runner)
    qtbot.waitUntil(lambda: bool(journal(demo_till, "sale")))
    [sale] = [e.payload for e in journal(demo_till, "sale")]
    assert sale["tenders"] == [{"kind": "wechat", "amount": 2800, "reference": "134567890123456789"}]
