"""Stories of the counter, told through the checkout window (offscreen, real SQLite, dummy printer)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt
from till_ui import APPLE_PLU, HONEY, HUAJIAO, WALNUTS, journal, press, scan, type_enter, wait_ops

from pos.bootstrap import Till
from pos.domain.errors import PosError
from pos.domain.receipt import Receipt
from pos.services.receipts import ReceiptService
from printers.errors import PrinterUnavailable
from ui.cart_model import COL_AMOUNT, COL_PRICE, COL_QTY
from ui.checkout import CheckoutWindow
from ui.ops import Lane
from ui.presenters.checkout import LogoutChoice


def pay_cash(qtbot: Any, window: CheckoutWindow, tendered: str) -> None:
    """F12, type the amount handed over, Enter."""
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.payment_dialog is not None and window.payment_dialog.isVisible())
    dialog = window.payment_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.tendered, tendered)  # replaces the prefilled amount (it is selected)
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)


def printed_bytes(till: Till) -> list[bytes]:
    jobs = till.receipts._printer.jobs
    return [bytes(getattr(job, "data", job)) for job in jobs]


def test_a_cashier_scans_two_products_scans_one_again_and_pays_cash(qtbot: Any, window: CheckoutWindow,
                                                                      demo_till: Till) -> None:
    scan(qtbot, window, HUAJIAO)
    scan(qtbot, window, HONEY)
    scan(qtbot, window, HUAJIAO)  # the same code again adds to its line

    assert [(ln.product.sku, ln.quantity) for ln in window.cart.lines] == [("MX-S001", 2), ("MX-H001", 1)]
    assert window.total_label.text() == "应收 ￥144.00"
    assert window.count_label.text() == "件数 3"

    pay_cash(qtbot, window, "200")
    wait_ops(qtbot, window.runner)  # the commit, then the print job it queued

    [sale] = journal(demo_till, "sale")
    p = sale.payload
    assert [(ln["sku"], ln["quantity"], ln["unit_price"], ln["amount"]) for ln in p["lines"]] == [
        ("MX-S001", 2, 2800, 5600), ("MX-H001", 1, 8800, 8800)]
    assert (p["total"], p["paid"], p["change"]) == (14400, 20000, 5600)
    assert p["tenders"] == [{"kind": "cash", "amount": 20000, "reference": None}]
    assert p["cashier"] == "cashier1"
    assert demo_till.verify().ok

    receipt_no = p["receipt_no"]
    assert window.last_sale is not None and window.last_sale.sale.receipt_no == receipt_no
    assert any(receipt_no.encode("ascii") in data for data in printed_bytes(demo_till))

    # The receipt is on screen, and the window is ready for the next customer.
    assert receipt_no in window.receipt_text and "找零" in window.receipt_text
    assert receipt_no in window.receipt_paper.text() and "56.00" in window.receipt_paper.text()
    assert receipt_no in window.receipt_no_label.text()
    assert "已打印" in window.print_status.text()
    assert "找零 ￥56.00" in window.message.text()
    assert window.cart.is_empty() and window.model.rowCount() == 0
    assert window.total_label.text() == "应收 ￥0.00"
    assert window.act_pay.isEnabled()

    scan(qtbot, window, WALNUTS)  # the next sale starts at once
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-N001"]


def test_b_an_unknown_code_shows_a_message_and_leaves_the_cart_alone(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, HUAJIAO)
    before = window.cart

    scan(qtbot, window, "6900000000000")

    assert "未找到商品" in window.message.text() and "6900000000000" in window.message.text()
    assert "c62828" in window.message.styleSheet()  # red
    assert window.cart == before
    assert window.scan_field.text() == ""  # ready for the next scan

    scan(qtbot, window, "!!")  # not a code at all
    assert window.cart == before


def test_c_apples_by_plu_ask_for_the_weight(qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    scan(qtbot, window, APPLE_PLU)
    dialog = window.quantity_dialog
    assert dialog is not None and dialog.isVisible()
    assert window.cart.is_empty()  # nothing is added until the weight is known

    qtbot.keyClicks(dialog.field, "1.2x5")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.isVisible() and "重量" in dialog.error.text()  # refused, still asking

    dialog.field.clear()
    qtbot.keyClicks(dialog.field, "1.255")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.quantity_dialog is None)

    [line] = window.cart.lines
    assert line.product.sku == "MX-F001" and line.quantity == 1255
    assert line.amount_fen == 2108  # 16.80 × 1.255 = 21.084, half up
    m = window.model
    assert m.data(m.index(0, COL_QTY)) == "1.255kg"
    assert m.data(m.index(0, COL_PRICE)) == "￥16.80/kg"
    assert m.data(m.index(0, COL_AMOUNT)) == "￥21.08"
    assert window.total_label.text() == "应收 ￥21.00"  # the store drops the fen (抹零)
    assert window.count_label.text() == "件数 1"

    pay_cash(qtbot, window, "50")
    wait_ops(qtbot, window.runner)
    [sale] = journal(demo_till, "sale")
    assert sale.payload["lines"][0]["quantity"] == 1255 and sale.payload["change"] == 2900 and sale.payload["rounding"] == -8


def test_d_quantity_change_and_line_removal_change_the_total(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, HUAJIAO)
    scan(qtbot, window, HONEY)
    scan(qtbot, window, APPLE_PLU)
    qtbot.keyClicks(window.quantity_dialog.field, "0.500")
    qtbot.keyClick(window.quantity_dialog.field, Qt.Key.Key_Return)
    assert window.total_label.text() == "应收 ￥124.40"  # 28 + 88 + 8.40

    press(qtbot, window, Qt.Key.Key_Up)  # the apples (last added) are selected; up to honey
    press(qtbot, window, Qt.Key.Key_Up)  # up to huajiao
    assert window.selected_row() == 0
    press(qtbot, window, Qt.Key.Key_F4)
    dialog = window.quantity_dialog
    assert dialog is not None and dialog.field.text() == "1"
    qtbot.keyClicks(dialog.field, "3")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert window.cart.lines[0].quantity == 3
    assert window.total_label.text() == "应收 ￥180.40"  # 84 + 88 + 8.40

    window.select_row(2)  # the apples: F4 asks for kilograms
    press(qtbot, window, Qt.Key.Key_F4)
    assert window.quantity_dialog.field.text() == "0.500"
    qtbot.keyClicks(window.quantity_dialog.field, "2")
    qtbot.keyClick(window.quantity_dialog.field, Qt.Key.Key_Return)
    assert window.cart.lines[2].quantity == 2000
    assert window.total_label.text() == "应收 ￥205.60"  # 84 + 88 + 33.60

    window.select_row(1)
    press(qtbot, window, Qt.Key.Key_Delete)  # the scan field is empty: voids the line (journaled)
    wait_ops(qtbot, window.runner)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-S001", "MX-F001"]
    assert window.total_label.text() == "应收 ￥117.60"

    window.delete_button.click()  # by touch: the selection moved to the next line
    wait_ops(qtbot, window.runner)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-S001"]
    assert window.total_label.text() == "应收 ￥84.00"
    voids = journal(window._till, "void")
    assert [(v.payload["sku"], v.payload["cashier"]) for v in voids] == [("MX-H001", "cashier1"), ("MX-F001", "cashier1")]


def test_a_quantity_the_cart_refuses_is_explained_in_the_dialog(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, HONEY)
    press(qtbot, window, Qt.Key.Key_F4)
    dialog = window.quantity_dialog
    qtbot.keyClicks(dialog.field, "0")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.isVisible() and "必须大于零" in dialog.error.text()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.quantity_dialog is None)
    assert window.cart.lines[0].quantity == 1


def test_e_too_little_cash_is_refused_and_nothing_is_journaled(qtbot: Any, window: CheckoutWindow,
                                                                demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    scan(qtbot, window, HUAJIAO)
    before = window.cart
    entries_before = len(journal(demo_till))

    pay_cash(qtbot, window, "100")
    dialog = window.payment_dialog
    assert dialog is not None and dialog.isVisible()
    # Not enough: the 100 is kept as part of the payment and the rest is asked for.
    assert "还差 16.00 元" in dialog.error.text()
    assert [(t.kind.value, t.amount_fen) for t in dialog.taken] == [("cash", 10000)]
    assert dialog.remaining_label.text() == "￥16.00" and dialog.tendered.text() == "16.00"

    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.payment_dialog is None)
    wait_ops(qtbot, window.runner)
    assert journal(demo_till, "sale") == []
    assert len(journal(demo_till)) == entries_before
    assert window.cart == before


def test_the_payment_dialog_shows_change_live_and_offers_round_amounts(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, HONEY)
    scan(qtbot, window, APPLE_PLU)
    qtbot.keyClicks(window.quantity_dialog.field, "1.255")
    qtbot.keyClick(window.quantity_dialog.field, Qt.Key.Key_Return)
    window.pay_button.click()
    dialog = window.payment_dialog
    # 109.08 with the demo 茂县专柜's 抹零 (drop the fen) is due as 109.00.
    assert dialog.due_label.text() == "￥109.00"
    assert dialog.tendered.text() == "109.00" and dialog.change_label.text() == "￥0.00"
    dialog.round_button.click()
    assert dialog.tendered.text() == "110.00" and dialog.change_label.text() == "￥1.00"
    dialog.note_buttons[1].click()
    assert dialog.tendered.text() == "100.00" and dialog.change_label.text() == "—"
    assert dialog.error.text() == "还差 9.00 元"
    dialog.reject()


def test_the_pay_action_is_off_while_the_sale_is_being_written(qtbot: Any, window: CheckoutWindow,
                                                                demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    gate = threading.Event()
    window.runner.run(Lane.WRITER, gate.wait)  # the writer is busy (say, a slow disk)

    pay_cash(qtbot, window, "100")
    qtbot.waitUntil(lambda: window.payment_dialog is None)
    assert window.committing and not window.act_pay.isEnabled() and not window.pay_button.isEnabled()
    press(qtbot, window, Qt.Key.Key_F12)  # a second press does nothing
    assert window.payment_dialog is None

    # A scan during the commit waits; it belongs to the next sale.
    scan(qtbot, window, WALNUTS, wait=False)
    qtbot.waitUntil(lambda: window.runner.pending(Lane.READER) == 0)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]

    gate.set()
    wait_ops(qtbot, window.runner)
    assert len(journal(demo_till, "sale")) == 1
    assert window.act_pay.isEnabled()
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-N001"]


def test_scans_are_applied_in_the_order_they_were_scanned(qtbot: Any, window: CheckoutWindow) -> None:
    for code in (HUAJIAO, APPLE_PLU, HONEY, "6900000000000", WALNUTS):
        scan(qtbot, window, code, wait=False)  # a burst: no waiting between scans
    wait_ops(qtbot, window.runner)
    # The apples ask for a weight; the scans after them wait for it.
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-S001"]
    qtbot.keyClicks(window.quantity_dialog.field, "0.800")
    qtbot.keyClick(window.quantity_dialog.field, Qt.Key.Key_Return)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-S001", "MX-F001", "MX-H001", "MX-N001"]


def test_f12_right_after_a_scan_waits_for_the_scan(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, HONEY, wait=False)
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.payment_dialog is not None)
    assert window.payment_dialog.due_fen == 8800
    window.payment_dialog.reject()


def test_paying_an_empty_cart_says_so(qtbot: Any, window: CheckoutWindow) -> None:
    press(qtbot, window, Qt.Key.Key_F12)
    assert window.payment_dialog is None
    assert "没有商品" in window.message.text()


class BrokenPrinter:
    def print_receipt(self, receipt: Receipt) -> None:
        raise PrinterUnavailable("printer tcp://10.0.0.9:9100 is not answering",
                                 message_zh="打印机 tcp://10.0.0.9:9100 无法连接")


def test_a_printer_fault_is_reported_and_the_sale_is_kept(qtbot: Any, window: CheckoutWindow,
                                                          demo_till: Till) -> None:
    demo_till.receipts = ReceiptService(BrokenPrinter, "tcp://10.0.0.9:9100")
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "100")
    wait_ops(qtbot, window.runner)

    [sale] = journal(demo_till, "sale")
    no = sale.payload["receipt_no"]
    assert "未能打印" in window.print_status.text() and "交易已保存" in window.print_status.text()
    assert no in window.message.text() and "交易已保存" in window.message.text()
    assert no in window.receipt_text  # the cashier can still read the receipt on screen
    assert window.cart.is_empty() and window.act_pay.isEnabled()


def test_a_printer_that_cannot_even_be_set_up_does_not_lose_the_sale(qtbot: Any, window: CheckoutWindow,
                                                                     demo_till: Till) -> None:
    def no_printer() -> BrokenPrinter:
        raise PosError("no printer driver", message_zh="打印机驱动未安装")

    demo_till.receipts = ReceiptService(no_printer, "usb://0416:5011")
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "88")
    wait_ops(qtbot, window.runner)
    assert len(journal(demo_till, "sale")) == 1
    assert "打印机驱动未安装" in window.print_status.text() and "交易已保存" in window.print_status.text()


def test_a_refused_sale_keeps_the_cart(qtbot: Any, window: CheckoutWindow, demo_till: Till, monkeypatch: Any) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(demo_till.checkout, "complete_sale", broken)
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "100")
    wait_ops(qtbot, window.runner)
    assert window.message.text() == "系统错误：RuntimeError: disk I/O error，交易未保存"
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]
    assert window.act_pay.isEnabled() and not window.committing


def test_clearing_the_cart_asks_first(qtbot: Any, window: CheckoutWindow, monkeypatch: Any) -> None:
    scan(qtbot, window, HONEY)
    answers = iter([False, True])
    monkeypatch.setattr(window, "ask", lambda question: next(answers))
    window.clear_button.click()
    assert len(window.cart.lines) == 1
    window.clear_button.click()
    wait_ops(qtbot, window.runner)
    assert window.cart.is_empty() and window.total_label.text() == "应收 ￥0.00"
    assert [v.payload["sku"] for v in journal(window._till, "void")] == ["MX-H001"]


def test_logging_out_with_goods_asks_and_cancel_keeps_the_sale(qtbot: Any, window: CheckoutWindow,
                                                               monkeypatch: Any) -> None:
    scan(qtbot, window, HONEY)
    monkeypatch.setattr(window, "ask_logout", lambda: LogoutChoice.CANCEL)
    with qtbot.assertNotEmitted(window.logout_requested):
        window.logout_button.click()
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]


def test_logging_out_voids_the_sale_when_the_cashier_says_so(qtbot: Any, window: CheckoutWindow,
                                                             monkeypatch: Any) -> None:
    scan(qtbot, window, HONEY)
    monkeypatch.setattr(window, "ask_logout", lambda: LogoutChoice.VOID)
    with qtbot.waitSignal(window.logout_requested):
        window.logout_button.click()
    assert window.cart.is_empty()
    assert [v.payload["sku"] for v in journal(window._till, "void")] == ["MX-H001"]
    assert journal(window._till, "hold") == []


def test_logging_out_holds_the_sale_and_the_next_cashier_recalls_it(qtbot: Any, window: CheckoutWindow,
                                                                    demo_till: Till, runner: Any,
                                                                    monkeypatch: Any) -> None:
    scan(qtbot, window, HONEY)
    scan(qtbot, window, HUAJIAO)
    monkeypatch.setattr(window, "ask_logout", lambda: LogoutChoice.HOLD)
    with qtbot.waitSignal(window.logout_requested):
        window.logout_button.click()
    wait_ops(qtbot, runner)
    assert window.cart.is_empty() and journal(demo_till, "void") == []
    [hold] = journal(demo_till, "hold")
    assert hold.payload["cashier"] == "cashier1"
    [held] = demo_till.checkout.held()
    assert (held.lines, held.total_fen, held.cashier) == (2, 11600, "cashier1")

    # Another person logs in and takes it with 取单.
    other = CheckoutWindow(demo_till, runner, demo_till.auth.login("manager1", "2222"))
    qtbot.addWidget(other)
    other.resize(1280, 800)
    other.show()
    wait_ops(qtbot, runner)
    assert other.recall_button.text() == "取单（1）\nF9"
    other.recall_button.click()
    qtbot.waitUntil(lambda: other.held_dialog is not None)
    dialog = other.held_dialog
    wait_ops(qtbot, runner)  # the list is read on the writer thread
    type_enter(qtbot, dialog.field, str(held.hold_no))
    wait_ops(qtbot, runner)
    assert [ln.product.sku for ln in other.cart.lines] == ["MX-H001", "MX-S001"]
    assert demo_till.checkout.held() == []
    assert [e.payload.get("cashier") for e in journal(demo_till, "recall")] == ["manager1"]
    other.close()


def test_the_header_names_store_counter_terminal_and_cashier(window: CheckoutWindow) -> None:
    assert window.store_label.text() == "金平湖鲜到家 · 茂县专柜"
    assert window.terminal_label.text() == "收银机 MX01"
    assert window.cashier_label.text() == "收银员 张小芳"
    assert window.clock_label.text().startswith("2026-11-22 10:")
    assert window.pay_button.text() == "收款\nF12" and window.quantity_button.text() == "数量\nF4"
    keys = {b.text().split("\n")[0]: b.text().split("\n")[-1] for b in (
        window.search_button, window.quantity_button, window.discount_button, window.sale_discount_button,
        window.price_button, window.hold_button, window.recall_button, window.return_button, window.reprint_button,
        window.pay_button, window.delete_button)}
    assert keys == {"搜索": "F3", "数量": "F4", "折扣": "F5", "整单折扣": "F6", "改价": "F7", "挂单": "F8",
                    "取单": "F9", "退货": "F10", "重印": "F11", "收款": "F12", "删除": "Del"}
