"""The payment dialog as the counter lives it: a customer's payment code arriving in whatever field has
the keyboard (scanned with the real keyboard-wedge filter running, pasted, typed), and money already
taken never dropped without asking.

Offscreen, real SQLite (the demo till), the app-wide wedge filter installed as the till installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QWidget,
)
from screen_fit import settled, sheet_for
from till_ui import HONEY, WALNUTS, journal, press, press_in, scan, wait_ops

from pos.bootstrap import Till
from pos.domain.errors import InvalidMoney
from pos.domain.tenders import Tender, TenderKind
from ui.checkout import CheckoutWindow
from ui.i18n import install_language, remove_language
from ui.ops import OpRunner
from ui.payment import AccountListModel, PaymentDialog, amount_typed, tender_for_code
from ui.presenters.payment import AccountChoice
from ui.session_devices import SessionDevices
from ui.style import STYLE_SHEET
from ui.value_dialog import ValueDialog
from ui.widgets import KeyRun, YuanStepField, selected_row

WECHAT_CODE = "134567890123456789"  # 18 digits starting 13
ALIPAY_CODE = "2845678901234567890123"  # 22 digits starting 28


def key(ch: str, ts: int, etype: QEvent.Type = QEvent.Type.KeyPress) -> QKeyEvent:
    code = Qt.Key.Key_Return if ch == "\r" else ord(ch.upper())
    ev = QKeyEvent(etype, code, Qt.KeyboardModifier.NoModifier, "\r" if ch == "\r" else ch)
    ev.setTimestamp(ts)
    return ev


def send_keys(widget: Any, text: str, start: int, gap: int) -> None:
    """Keys as a device sends them: a scanner 8 ms apart, a person 200 ms apart."""
    for i, ch in enumerate(text):
        QApplication.sendEvent(widget, key(ch, start + i * gap))
        QApplication.sendEvent(widget, key(ch, start + i * gap + 2, QEvent.Type.KeyRelease))


@pytest.fixture
def session(qtbot: Any, window: CheckoutWindow, demo_till: Till, runner: OpRunner) -> Iterator[SessionDevices]:
    """The app-wide keyboard-wedge filter, as the till runs it."""
    s = SessionDevices(demo_till, runner)
    s.start()
    s.set_window(window)
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    yield s
    s.stop()


def open_payment(qtbot: Any, window: CheckoutWindow) -> PaymentDialog:
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.payment_dialog is not None and window.payment_dialog.isVisible())
    dialog = window.payment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    return dialog


def sales(till: Till) -> list[dict[str, Any]]:
    return [e.payload for e in journal(till, "sale")]


def question(qtbot: Any, dialog: PaymentDialog) -> QMessageBox:
    qtbot.waitUntil(lambda: dialog.question is not None and dialog.question.isVisible(), timeout=5_000)
    assert dialog.question is not None
    return dialog.question


def answer(qtbot: Any, dialog: PaymentDialog, box: QMessageBox, yes: bool) -> None:
    [button] = [b for b in box.buttons()
                if (box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole) == yes]
    button.click()
    qtbot.waitUntil(lambda: dialog.question is None, timeout=5_000)


# -- a payment code wherever it arrives ---------------------------------------------------------


def test_with_the_amount_field_focused_a_wedge_burst_of_a_wechat_code_becomes_a_wechat_tender(
        qtbot: Any, window: CheckoutWindow, session: SessionDevices, demo_till: Till) -> None:
    """The cashier keyed ￥50 of the ￥88 honey as the customer's WeChat share (cash selected, the
    amount not selected any more), then the customer's code is scanned into the same field."""
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    assert dialog.tendered.hasFocus() and dialog.kind is TenderKind.CASH
    dialog.tendered.clear()
    send_keys(dialog.tendered, "50", 10_000, 200)  # typed by hand
    send_keys(dialog.tendered, WECHAT_CODE + "\r", 12_000, 8)  # the scanner
    assert [(t.kind, t.amount_fen, t.reference) for t in dialog.taken] == [(TenderKind.WECHAT, 5_000, WECHAT_CODE)]
    assert dialog.isVisible() and dialog.remaining_fen() == 3_800  # the rest comes next, in cash
    assert WECHAT_CODE not in dialog.tendered.text() and dialog.tendered.text() == "38.00"
    assert WECHAT_CODE not in dialog.error.text()
    send_keys(dialog.tendered, "\r", 14_000, 8)
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "wechat", "amount": 5000, "reference": WECHAT_CODE},
                               {"kind": "cash", "amount": 3800, "reference": None}]


def test_a_burst_over_the_amount_still_due_pays_it_all_by_wechat_and_the_amount_is_unchanged(
        qtbot: Any, window: CheckoutWindow, session: SessionDevices, demo_till: Till) -> None:
    scan(qtbot, window, WALNUTS)
    dialog = open_payment(qtbot, window)
    assert dialog.tendered.text() == "35.00"
    dialog.tendered.end(False)  # the cursor after the amount: the burst is appended, not replacing it
    send_keys(dialog.tendered, WECHAT_CODE + "\r", 20_000, 5)
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "wechat", "amount": 3500, "reference": WECHAT_CODE}]


def test_an_alipay_code_scanned_into_the_voucher_number_field_becomes_the_alipay_tender(
        qtbot: Any, window: CheckoutWindow, session: SessionDevices, demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    dialog.select_kind(TenderKind.VOUCHER)
    dialog.reference.setFocus()
    send_keys(dialog.reference, "V8", 30_000, 300)  # the cashier began a voucher number
    send_keys(dialog.reference, ALIPAY_CODE + "\r", 31_000, 6)
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "alipay", "amount": 8800, "reference": ALIPAY_CODE}]


def test_a_hundred_yuan_note_typed_then_a_wechat_scan_pays_only_what_is_due_by_wechat(
        qtbot: Any, window: CheckoutWindow, session: SessionDevices, demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    dialog.note_buttons[1].click()  # ￥100 cash typed: the customer then pulls out the phone
    assert dialog.tendered.text() == "100.00" and dialog.change_label.text() == "￥12.00"
    send_keys(dialog.tendered, WECHAT_CODE + "\r", 60_000, 7)
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "wechat", "amount": 8800, "reference": WECHAT_CODE}]


def test_a_burst_with_no_field_holding_the_keyboard_still_lands_as_the_code(
        qtbot: Any, window: CheckoutWindow, session: SessionDevices, demo_till: Till) -> None:
    scan(qtbot, window, WALNUTS)
    dialog = open_payment(qtbot, window)
    dialog.tendered.clearFocus()
    assert QApplication.focusWidget() not in (dialog.tendered, dialog.reference)
    for i, ch in enumerate(ALIPAY_CODE + "\r"):
        target = QApplication.focusWidget() or dialog  # Qt sends keys to the focus widget, else the window
        QApplication.sendEvent(target, key(ch, 70_000 + i * 6))
        QApplication.sendEvent(target, key(ch, 70_000 + i * 6 + 2, QEvent.Type.KeyRelease))
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "alipay", "amount": 3500, "reference": ALIPAY_CODE}]


def test_a_serial_scanners_code_handed_to_the_open_dialog_pays_and_a_product_code_is_not_taken(
        qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    scan(qtbot, window, WALNUTS)
    dialog = open_payment(qtbot, window)
    assert not dialog.take_code(HONEY) and dialog.taken == [] and dialog.isVisible()
    assert dialog.take_code(WECHAT_CODE)
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "wechat", "amount": 3500, "reference": WECHAT_CODE}]


def test_a_code_keyed_by_hand_as_a_voucher_number_and_confirmed_with_the_button_is_alipay(
        qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    scan(qtbot, window, WALNUTS)
    dialog = open_payment(qtbot, window)
    dialog.select_kind(TenderKind.VOUCHER)
    send_keys(dialog.reference, ALIPAY_CODE, 80_000, 120)
    dialog.confirm_button.click()
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "alipay", "amount": 3500, "reference": ALIPAY_CODE}]


def test_a_payment_code_scanned_into_the_price_or_discount_field_is_refused_in_words(qtbot: Any) -> None:
    applied: list[str] = []
    dialog = ValueDialog("改价", "新单价", "", applied.append, initial="12.80")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.field.end(False)
    send_keys(dialog.field, WECHAT_CODE + "\r", 90_000, 6)  # scanned
    assert applied == [] and dialog.field.text() == "12.80" and dialog.isVisible()
    assert "付款码" in dialog.error.text() and "6789" not in dialog.error.text()
    dialog.field.setText(WECHAT_CODE)  # keyed by hand
    dialog.confirm()
    assert applied == [] and dialog.field.text() == "" and "付款码" in dialog.error.text()
    send_keys(dialog.field, "9.80\r", 95_000, 150)
    assert applied == ["9.80"]


def test_a_payment_code_scanned_into_a_cash_count_figure_leaves_the_figure_as_counted(qtbot: Any) -> None:
    field = YuanStepField("declaredField")
    qtbot.addWidget(field)
    steps: list[int] = []
    codes: list[str] = []
    field.on_step = steps.append
    field.code_arrived.connect(codes.append)
    field.show()
    send_keys(field, "1288.50", 1_000, 150)  # the counted cash, typed
    send_keys(field, WECHAT_CODE + "\r", 3_000, 6)  # a stray scan
    assert field.text() == "1288.50" and codes == [WECHAT_CODE] and steps == []
    send_keys(field, "\r", 5_000, 6)  # Enter by hand: on to the next row
    assert steps == [1] and field.text() == "1288.50"


def test_a_pasted_payment_code_is_taken_as_the_code_not_as_an_amount(qtbot: Any, window: CheckoutWindow,
                                                                       demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    dialog.tendered.setText("20")
    dialog.tendered.end(False)
    QGuiApplication.clipboard().setText(f" {WECHAT_CODE}\n")  # copied from a chat, with its spaces
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [(t.kind, t.amount_fen, t.reference) for t in dialog.taken] == [(TenderKind.WECHAT, 2_000, WECHAT_CODE)]
    assert dialog.tendered.text() == "68.00"

    dialog.select_kind(TenderKind.UNIONPAY)  # pasted into the card reference field: still Alipay
    dialog.reference.setFocus()
    QGuiApplication.clipboard().setText(ALIPAY_CODE)
    dialog.reference.paste()
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "wechat", "amount": 2000, "reference": WECHAT_CODE},
                               {"kind": "alipay", "amount": 6800, "reference": ALIPAY_CODE}]


def test_a_code_typed_by_hand_into_the_amount_is_refused_as_an_amount_without_showing_it(
        qtbot: Any, window: CheckoutWindow) -> None:
    """Keyed digit by digit (no burst): the field holds it, the message says what it is and never
    repeats it; Enter then takes it as the payment code."""
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    send_keys(dialog.tendered, WECHAT_CODE, 40_000, 150)
    assert dialog.tendered.text() == WECHAT_CODE
    assert "付款码" in dialog.error.text() and "不是金额" in dialog.error.text()
    assert "6789" not in dialog.error.text() and dialog.change_label.text() == "—"
    dialog.tendered.setText("5" + WECHAT_CODE)  # a code's digits behind an amount: no amount either
    assert "数字过长" in dialog.error.text() and "6789" not in dialog.error.text()
    dialog.tendered.setText(WECHAT_CODE)
    send_keys(dialog.tendered, "\r", 50_000, 150)
    wait_ops(qtbot, window.runner)
    assert window.payment_dialog is None and window.cart.is_empty()


def test_an_amount_made_of_a_payment_codes_digits_is_never_an_amount() -> None:
    with pytest.raises(InvalidMoney) as exc:
        amount_typed(WECHAT_CODE)
    assert "payment code" in exc.value.message and WECHAT_CODE not in exc.value.message_zh
    with pytest.raises(InvalidMoney) as exc:
        amount_typed("99" + ALIPAY_CODE)
    assert ALIPAY_CODE not in exc.value.message and ALIPAY_CODE not in exc.value.message_zh
    assert amount_typed("12.80") == 1_280


def test_a_code_scanned_when_everything_is_already_paid_adds_nothing(qtbot: Any) -> None:
    """The service refused the sale and the dialog came back with tenders that cover it all."""
    dialog = PaymentDialog(8_800, tenders=[Tender(TenderKind.CASH, 8_800)], error="…")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.take_code(WECHAT_CODE)
    assert dialog.taken == [Tender(TenderKind.CASH, 8_800)] and dialog.isVisible() and dialog.result() == 0
    assert "已收齐" in dialog.error.text()


def test_what_a_payment_code_pays_is_decided_without_the_window() -> None:
    # ￥88 still due: the code says which tender; the amount typed counts unless it is more than due.
    assert tender_for_code(WECHAT_CODE, "88.00", 8_800) == Tender(TenderKind.WECHAT, 8_800, WECHAT_CODE)
    assert tender_for_code(ALIPAY_CODE, "50", 8_800) == Tender(TenderKind.ALIPAY, 5_000, ALIPAY_CODE)
    assert tender_for_code(WECHAT_CODE, "100.00", 8_800) == Tender(TenderKind.WECHAT, 8_800, WECHAT_CODE)
    assert tender_for_code(WECHAT_CODE, WECHAT_CODE, 8_800) == Tender(TenderKind.WECHAT, 8_800, WECHAT_CODE)
    assert tender_for_code(WECHAT_CODE, "", 8_800) == Tender(TenderKind.WECHAT, 8_800, WECHAT_CODE)
    assert tender_for_code(WECHAT_CODE, "0", 8_800) == Tender(TenderKind.WECHAT, 8_800, WECHAT_CODE)
    assert tender_for_code(WECHAT_CODE, "50", 0) is None  # everything is paid already
    assert tender_for_code(HONEY, "50", 8_800) is None  # a product barcode pays nothing


def test_a_scanners_run_is_told_from_typing_by_its_gaps() -> None:
    run = KeyRun(max_gap_ms=30)
    run.key("5", 1_000, "")
    run.key("0", 1_200, "5")  # a person: a new run each key
    for i, ch in enumerate(WECHAT_CODE):
        run.key(ch, 2_000 + i * 8, "50" + WECHAT_CODE[:i])
    assert run.end(2_000 + 18 * 8) == ("50", WECHAT_CODE)
    run.key("9", 3_000, "")
    assert run.end(3_500) is None  # Enter long after: typed


# -- dropping a payment already taken asks first ------------------------------------------------


def coded_dialog(qtbot: Any, window: CheckoutWindow) -> PaymentDialog:
    """￥88 honey; the customer's WeChat code scanned for ￥50, the rest not yet paid."""
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    dialog.select_kind(TenderKind.WECHAT)
    dialog.tendered.setText("50")
    dialog.reference.setText(WECHAT_CODE)
    dialog.confirm()
    assert [(t.kind, t.reference) for t in dialog.taken] == [(TenderKind.WECHAT, WECHAT_CODE)]
    return dialog


def test_esc_on_a_dialog_holding_a_coded_wechat_tender_asks_and_no_keeps_it(qtbot: Any, window: CheckoutWindow,
                                                                            demo_till: Till) -> None:
    dialog = coded_dialog(qtbot, window)
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Escape)
    box = question(qtbot, dialog)
    assert "微信 ￥50.00（…6789）" in box.text() and "将被取消" in box.text()
    assert WECHAT_CODE not in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc again on the question is "no"
    qtbot.waitUntil(lambda: dialog.question is None)
    assert dialog.isVisible() and [t.reference for t in dialog.taken] == [WECHAT_CODE]
    assert "已保留" in dialog.error.text()

    dialog.cancel_button.click()  # the 取消 button asks the same; "yes" closes without a sale
    answer(qtbot, dialog, question(qtbot, dialog), yes=True)
    qtbot.waitUntil(lambda: window.payment_dialog is None)
    assert sales(demo_till) == [] and len(window.cart.lines) == 1


def test_closing_the_window_and_f8_ask_too_and_cash_goes_without_a_question(qtbot: Any, window: CheckoutWindow,
                                                                           demo_till: Till) -> None:
    dialog = coded_dialog(qtbot, window)
    dialog.close()
    answer(qtbot, dialog, question(qtbot, dialog), yes=False)
    assert dialog.isVisible() and len(dialog.taken) == 1

    qtbot.keyClick(dialog.tendered, Qt.Key.Key_F8)
    box = question(qtbot, dialog)
    assert "…6789" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter (or a scanner's Enter) keeps it: "no" is the default
    qtbot.waitUntil(lambda: dialog.question is None)
    assert len(dialog.taken) == 1

    dialog.tendered.setText("10")  # ￥10 cash taken too; F8 drops the last (cash) without asking
    dialog.confirm()
    assert [t.kind for t in dialog.taken] == [TenderKind.WECHAT, TenderKind.CASH]
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_F8)
    assert dialog.question is None and [t.kind for t in dialog.taken] == [TenderKind.WECHAT]

    dialog.remove_button.click()
    answer(qtbot, dialog, question(qtbot, dialog), yes=True)
    assert dialog.taken == [] and dialog.remaining_fen() == 8_800
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Escape)  # nothing taken any more: Esc just closes
    qtbot.waitUntil(lambda: window.payment_dialog is None)


def test_a_code_scanned_on_the_main_screen_is_not_dropped_by_esc_without_asking(qtbot: Any,
                                                                                window: CheckoutWindow) -> None:
    scan(qtbot, window, HONEY)
    scan(qtbot, window, WECHAT_CODE)  # opens the dialog with the code in the reference field
    dialog = window.payment_dialog
    assert dialog is not None and dialog.reference.text() == WECHAT_CODE and dialog.taken == []
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Escape)
    box = question(qtbot, dialog)
    assert "微信 ￥88.00（…6789）" in box.text()
    answer(qtbot, dialog, box, yes=False)
    assert dialog.isVisible() and dialog.reference.text() == WECHAT_CODE


def test_the_same_in_english(qtbot: Any, qapp: Any, window: CheckoutWindow, demo_till: Till) -> None:
    install_language("en")
    dialog = coded_dialog(qtbot, window)
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Escape)
    box = question(qtbot, dialog)
    assert "WeChat ￥50.00 (…6789)" in box.text() and "cancelled" in box.text()
    assert {b.text() for b in box.buttons()} == {"Yes, cancel this payment", "No, keep it"}
    answer(qtbot, dialog, box, yes=False)
    assert dialog.isVisible() and [t.reference for t in dialog.taken] == [WECHAT_CODE]
    dialog.tendered.setText(WECHAT_CODE)
    assert "payment code, not an amount" in dialog.error.text()


# -- the dialog on a 1024×768 counter screen ----------------------------------------------------


def test_the_dialog_fits_a_1024_by_768_screen_with_the_change_the_biggest_figure(qtbot: Any, tmp_path: Path) -> None:
    dialog = PaymentDialog(18_816, tenders=[Tender(TenderKind.WECHAT, 10_000, WECHAT_CODE)])
    qtbot.addWidget(dialog)
    dialog.setStyleSheet(STYLE_SHEET)  # the till's look, without touching the shared application
    dialog.resize(1024, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tendered.setText("100")
    assert dialog.minimumSizeHint().width() <= 1024 and dialog.minimumSizeHint().height() <= 720
    assert dialog.change_label.text() == "￥11.84"
    change = dialog.change_label.fontInfo().pixelSize()
    assert change >= dialog.due_label.fontInfo().pixelSize() and change > dialog.paid_label.fontInfo().pixelSize()
    for button in [*dialog.kind_buttons.values(), dialog.confirm_button, dialog.remove_button, dialog.cancel_button]:
        assert dialog.rect().contains(button.geometry().translated(button.parentWidget().mapTo(dialog, button.pos())
                                                                   - button.pos()))
    assert dialog.grab().save(str(tmp_path / "payment-1024x768.png"))


# -- 单位挂账 from a list ----------------------------------------------------------------------------


def account_rows(dialog: PaymentDialog) -> list[tuple[str, str, str]]:
    m = dialog.account_model
    return [tuple(m.data(m.index(r, c)) for c in range(3)) for r in range(m.rowCount())]  # type: ignore[misc]


def touch_row(qtbot: Any, dialog: PaymentDialog, code: str) -> None:
    row = dialog.account_model.row_of(code)
    assert row is not None
    table = dialog.account_table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(dialog.account_model.index(row, 0)).center())


def test_the_account_list_model_passes_both_model_testers(qtmodeltester: Any) -> None:
    model = AccountListModel()
    model.set_accounts([AccountChoice("PHGH", "平湖市总工会（疗休养）", 4_981_184)])
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    model.set_accounts([AccountChoice("MXGXS", "茂县供销合作社", 0), AccountChoice("PHGH", "平湖市总工会", 1)])
    assert [model.data(model.index(r, 2)) for r in range(2)] == ["￥0.00", "￥0.01"]
    assert model.row_of("PHGH") == 1 and model.account(2) is None


def test_a_cashier_who_knows_no_code_touches_the_co_op_in_the_list_and_the_sale_is_on_its_account(
        qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    wait_ops(qtbot, window.runner)  # the store's accounts, read on the writer lane
    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F6)
    assert dialog.kind is TenderKind.ACCOUNT and dialog.account_table.isVisible()
    assert account_rows(dialog) == [("茂县供销合作社", "MXGXS", "￥20000.00"),
                                    ("平湖市总工会（疗休养）", "PHGH", "￥50000.00")]
    touch_row(qtbot, dialog, "PHGH")  # the wrong one: every account stays in view to touch the right one
    assert dialog.reference.text() == "PHGH" and len(account_rows(dialog)) == 2
    touch_row(qtbot, dialog, "MXGXS")
    assert dialog.reference.text() == "MXGXS" and dialog.reference.hasFocus()
    assert dialog.account_model.account(selected_row(dialog.account_table) or 0) == dialog.presenter.accounts.by_code("MXGXS")
    assert "茂县供销合作社" in dialog.error.text() and "￥88.00" in dialog.error.text()
    dialog.confirm_button.click()
    wait_ops(qtbot, window.runner)
    [sale] = sales(demo_till)
    assert sale["tenders"] == [{"kind": "account", "amount": 8800, "reference": "MXGXS"}]

    scan(qtbot, window, WALNUTS)  # the next sale: the list shows what the co-op has left
    dialog = open_payment(qtbot, window)
    wait_ops(qtbot, window.runner)
    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F6)
    assert ("茂县供销合作社", "MXGXS", "￥19912.00") in account_rows(dialog)
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)  # the amount (￥35): on to the account
    assert dialog.reference.hasFocus()
    qtbot.keyClicks(dialog.reference, "zgh")  # 总工会's initials narrow the list to one
    assert [r[1] for r in account_rows(dialog)] == ["PHGH"]
    qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert [s["tenders"] for s in sales(demo_till)][-1] == [{"kind": "account", "amount": 3500, "reference": "PHGH"}]


def test_arrows_pick_an_account_and_a_code_typed_in_full_still_works(qtbot: Any, window: CheckoutWindow,
                                                                     demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    wait_ops(qtbot, window.runner)
    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F6)
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)  # nothing typed or picked: no account is guessed
    assert dialog.isVisible() and dialog.taken == [] and "挂账单位编码" in dialog.error.text()
    qtbot.keyClick(dialog.reference, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.reference, Qt.Key.Key_Down)  # the second row: 平湖市总工会
    qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert sales(demo_till)[-1]["tenders"] == [{"kind": "account", "amount": 8800, "reference": "PHGH"}]

    scan(qtbot, window, WALNUTS)
    dialog = open_payment(qtbot, window)
    press_in(qtbot, dialog, dialog.tendered, Qt.Key.Key_F6)
    dialog.reference.setFocus()
    qtbot.keyClicks(dialog.reference, "mxgxs")  # typed (or scanned from the institution's card) in full
    qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert sales(demo_till)[-1]["tenders"] == [{"kind": "account", "amount": 3500, "reference": "MXGXS"}]


# -- keys and focus ----------------------------------------------------------------------------


def test_every_key_shown_on_a_button_does_what_the_button_does(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, HONEY)
    dialog = open_payment(qtbot, window)
    keys = {"F1": Qt.Key.Key_F1, "F2": Qt.Key.Key_F2, "F3": Qt.Key.Key_F3, "F4": Qt.Key.Key_F4,
            "F5": Qt.Key.Key_F5, "F6": Qt.Key.Key_F6, "F8": Qt.Key.Key_F8}
    for kind, button in reversed(list(dialog.kind_buttons.items())):
        shown = button.text().split("\n")[1]
        press_in(qtbot, dialog, dialog.tendered, keys[shown])
        assert dialog.kind is kind and button.isChecked() and dialog.tendered.hasFocus()
    assert dialog.kind is TenderKind.CASH and dialog.kind_buttons[TenderKind.CASH].text().endswith("F1")
    dialog.tendered.setText("20")
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)  # 确认收款 Enter: ￥20 cash taken, the rest next
    assert [t.amount_fen for t in dialog.taken] == [2_000] and dialog.tendered.hasFocus()
    assert dialog.remove_button.text().endswith("F8")
    press_in(qtbot, dialog, dialog.tendered, keys["F8"])  # 删除一笔 F8
    assert dialog.taken == [] and dialog.tendered.text() == "88.00"
    assert dialog.cancel_button.text().endswith("Esc") and dialog.confirm_button.text().endswith("Enter")
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Escape)  # 取消 Esc
    qtbot.waitUntil(lambda: window.payment_dialog is None)


def test_the_keyboard_is_where_the_next_key_belongs_after_each_step(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, HONEY)
    scan(qtbot, window, WECHAT_CODE)  # a code on the main screen: the dialog opens with the amount first
    dialog = window.payment_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.tendered.hasFocus(), timeout=5_000)
    dialog.select_kind(TenderKind.UNIONPAY)
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)  # amount taken: the terminal's number is next
    assert dialog.reference.hasFocus() and "参考号" in dialog.error.text()
    qtbot.keyClicks(dialog.reference, "556677")
    dialog.tendered.setFocus()
    dialog.tendered.setText("30")
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)  # ￥30 by card: the rest, in cash, in the amount field
    assert dialog.tendered.hasFocus() and dialog.tendered.selectedText() == "58.00"
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_F8)
    answer(qtbot, dialog, question(qtbot, dialog), yes=False)
    qtbot.waitUntil(lambda: dialog.tendered.hasFocus(), timeout=5_000)
    dialog.reject()


# -- every screen, both languages ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("screen", [QSize(1024, 768), QSize(1920, 1080)], ids=["1024x768", "1920x1080"])
def test_nothing_is_cut_off_on_a_small_or_a_big_screen_in_chinese_or_english(
        qtbot: Any, qapp: Any, tmp_path: Path, screen: QSize, language: str) -> None:
    if language == "en":
        install_language("en")
    else:
        remove_language()
    counter = QWidget()  # the till's window, filling the counter's screen
    qtbot.addWidget(counter)
    counter.resize(screen)
    counter.show()
    dialog = PaymentDialog(1_881_600, tenders=[Tender(TenderKind.WECHAT, 10_000, WECHAT_CODE)], parent=counter)
    dialog.setStyleSheet(sheet_for(screen))
    dialog.set_accounts([AccountChoice("PHGH", "平湖市总工会（疗休养）", 4_981_184),
                         AccountChoice("MXGXS", "茂县供销合作社", 2_000_000)])
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    assert dialog.minimumSizeHint().width() <= screen.width() and dialog.minimumSizeHint().height() <= screen.height()
    for kind in TenderKind:
        dialog.select_kind(kind)
        if kind is TenderKind.CASH:
            dialog.tendered.setText("20000")  # the change: ￥218.40
        else:
            qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)  # the prompt for the number, in words
        qapp.processEvents()
        settled(qtbot, dialog, screen)
        assert dialog.grab().save(str(tmp_path / f"payment-{screen.width()}-{language}-{kind.value}.png"))
    dialog.reject()
