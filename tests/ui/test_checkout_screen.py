"""The checkout on every counter screen, in both languages; the keyboard after every dialog; F1 and Ctrl+M."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from screen_fit import sheet_for
from till_ui import APPLE_PLU, HONEY, HUAJIAO, WALNUTS, journal, press, scan, type_enter, wait_ops

from pos.bootstrap import Till
from pos.domain.users import User
from ui.checkout import CheckoutWindow
from ui.fit import problems
from ui.i18n import install_language, remove_language
from ui.ops import OpRunner


def build(qtbot: Any, till: Till, runner: OpRunner, user: User, size: tuple[int, int]) -> CheckoutWindow:
    w = CheckoutWindow(till, runner, user)
    qtbot.addWidget(w)
    w.setStyleSheet(sheet_for(QSize(*size)))  # the till's sheet as scaled for that screen
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    wait_ops(qtbot, runner)
    return w


def clipped(window: QWidget) -> list[str]:
    """Every visible button or label outside the window or with text wider than itself; keys under 44 px."""
    out = []
    inside = window.rect()
    for w in [*window.findChildren(QPushButton), *window.findChildren(QLabel)]:
        if not w.isVisible() or w.window() is not window or not w.text():
            continue
        where = QRect(w.mapTo(window, w.rect().topLeft()), w.size())
        if not inside.contains(where):
            out.append(f"{w.text()!r} outside the window: {where}")
        fm = w.fontMetrics()
        if not (isinstance(w, QLabel) and w.wordWrap()):
            widest = max(fm.horizontalAdvance(line) for line in w.text().split("\n"))
            if widest > w.width():
                out.append(f"{w.text()!r} cut off: needs {widest} px, has {w.width()}")
        if isinstance(w, QPushButton) and w.height() < 44:
            out.append(f"{w.text()!r} only {w.height()} px high")
    return out


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1920, 1080)])
def test_every_key_label_and_the_status_strip_are_whole_on_every_counter_screen(
        qtbot: Any, demo_till: Till, runner: OpRunner, size: tuple[int, int], language: str) -> None:
    if language == "en":
        install_language("en")
    # The manager: the longest role name and all keys on; a sale with a discount shows every total.
    w = build(qtbot, demo_till, runner, demo_till.auth.login("manager1", "2222"), size)
    for code in (HUAJIAO, HONEY, WALNUTS):
        scan(qtbot, w, code)
    w.select_row(1)
    w.discount_line()
    type_enter(qtbot, w.value_dialog.field, "5")
    wait_ops(qtbot, runner)
    w.show_held(12)  # 取单（12）
    QApplication.processEvents()

    assert (w.width(), w.height()) == size
    assert clipped(w) == []
    assert problems(w, QRect(0, 0, *size)) == []
    assert w.status_strip.isVisible() and w.pay_button.isVisible() and w.clock_label.isVisible()
    assert w.table.height() >= 140  # three lines at least, under the header
    if size[0] >= 1366:
        assert w.key_bar.columns == 8  # two rows of keys where there is room


def test_the_key_bar_fits_1024_px_and_takes_two_rows_of_eight_on_a_wide_screen(qtbot: Any, demo_till: Till, runner: OpRunner,
                                                             cashier: User) -> None:
    install_language("en")
    w = build(qtbot, demo_till, runner, cashier, (1024, 768))
    at_1024 = w.key_bar.columns  # how many depends on the font; that nothing is cut off is checked above
    w.setStyleSheet(sheet_for(QSize(1920, 1080)))
    w.resize(1920, 1080)
    QApplication.processEvents()
    assert at_1024 <= 8 == w.key_bar.columns  # two rows of eight on a wide screen
    assert {b.y() for b in (w.search_button, w.logout_button)} != {w.search_button.y()}  # more than one row


# -- the keyboard comes back to the scan field after every dialog ------------------------------------------


def focus_back(qtbot: Any, window: CheckoutWindow) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.scan_field, timeout=5_000)


DIALOGS: dict[str, tuple[Callable[[CheckoutWindow], None], str]] = {
    "quantity": (lambda w: w.change_quantity(), "quantity_dialog"),
    "discount": (lambda w: w.discount_line(), "value_dialog"),
    "payment": (lambda w: w.pay(), "payment_dialog"),
    "returns": (lambda w: w.open_returns(), "return_dialog"),
    "search": (lambda w: w.open_search(), "search_dialog"),
    "holds": (lambda w: w.recall_sale(), "held_dialog"),
    "shift panel": (lambda w: w.open_shift_menu(), "shift_menu"),
    "reprint": (lambda w: w.reprint(), "value_dialog"),
    "print queue": (lambda w: w.open_print_queue(), "print_queue_dialog"),
}


@pytest.fixture
def with_honey(qtbot: Any, window: CheckoutWindow) -> Iterator[CheckoutWindow]:
    scan(qtbot, window, HONEY)
    yield window


@pytest.mark.parametrize("name", list(DIALOGS))
def test_after_a_dialog_closes_the_scan_field_has_the_keyboard(qtbot: Any, with_honey: CheckoutWindow,
                                                                name: str) -> None:
    window = with_honey
    open_it, attr = DIALOGS[name]
    window.select_row(0)
    open_it(window)
    qtbot.waitUntil(lambda: getattr(window, attr) is not None)
    dialog = getattr(window, attr)
    wait_ops(qtbot, window.runner)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not window.scan_field)  # the dialog has it now
    dialog.reject()
    focus_back(qtbot, window)
    scan(qtbot, window, HONEY)  # and a scan typed at once goes into the cart
    assert window.cart.lines[0].quantity == 2


def test_after_the_weight_dialog_and_a_managers_approval_the_scan_field_has_the_keyboard(
        qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, APPLE_PLU)  # weighed: the weight is asked
    qtbot.waitUntil(lambda: window.quantity_dialog is not None)
    window.quantity_dialog.reject()
    focus_back(qtbot, window)

    scan(qtbot, window, HONEY)
    window.select_row(0)
    window.discount_line()
    type_enter(qtbot, window.value_dialog.field, "50%")  # over the cashier's limit: a manager is asked
    qtbot.waitUntil(lambda: window.approval_dialog is not None)
    window.approval_dialog.reject()
    focus_back(qtbot, window)
    assert "未获店长授权" in window.message.text()


def test_after_the_lock_screen_the_scan_field_has_the_keyboard(qtbot: Any, window: CheckoutWindow) -> None:
    window.lock()
    overlay = window.lock_overlay
    assert overlay is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is overlay.pin)
    scan(qtbot, window, HONEY)  # typed at a locked till: ignored
    assert window.cart.is_empty()
    qtbot.keyClicks(overlay.pin, "1111", delay=60)  # typed like a person, not a scanner's burst
    qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert overlay.message.text() == "" and not window.locked, overlay.message.text()
    focus_back(qtbot, window)


# -- keys: F1 现金 as in the payment dialog, Ctrl+M 店长管理 ---------------------------------------------------


def test_f1_opens_payment_with_cash_ready_and_enter_takes_the_exact_amount(qtbot: Any, window: CheckoutWindow,
                                                                           demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    press(qtbot, window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.payment_dialog is not None and window.payment_dialog.isVisible())
    assert window.manager_dialog is None
    dialog = window.payment_dialog
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)  # the amount due is prefilled
    wait_ops(qtbot, window.runner)
    [sale] = journal(demo_till, "sale")
    assert sale.payload["tenders"] == [{"kind": "cash", "amount": 8800, "reference": None}]
    focus_back(qtbot, window)


def test_ctrl_m_opens_the_manager_screen_and_its_button_says_so(qtbot: Any, demo_till: Till,
                                                                runner: OpRunner) -> None:
    w = build(qtbot, demo_till, runner, demo_till.auth.login("manager1", "2222"), (1280, 800))
    assert w.manager_button.text() == "店长管理\nCtrl+M"
    assert "F1 现金" in w.message.text()  # the key help on screen
    qtbot.waitUntil(w.isActiveWindow, timeout=5_000)
    qtbot.keyClick(w.scan_field, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.manager_dialog is not None)
    assert w.scan_field.text() == ""
    w.manager_dialog.reject()
    focus_back(qtbot, w)


@pytest.fixture(autouse=True)
def _chinese_again() -> Iterator[None]:
    yield
    remove_language()
