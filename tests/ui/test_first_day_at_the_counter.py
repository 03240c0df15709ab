"""Issue 13's "done when", in one go at 1024×768: a new counter PC with no database starts the
set-up wizard, is set up without a command line (store, printer with a test page, no scale, head
office later, the administrator and the first cashier, goods from a file), and the cashier logs
in, opens the shift, and rings up a sale with F1 现金 — every key on screen, nothing cut off, the
keyboard always where the next key press belongs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication
from till_ui import journal, scan, type_enter, wait_ops

from pos.config import load_config
from pos.services.first_run import Hardware, PrinterChoice
from ui import style
from ui.app import TillSession, needs_wizard, till_from_wizard
from ui.fit import problems
from ui.ops import OpRunner
from ui.wizard import FirstRunWizard

SCREEN = QRect(0, 0, 1024, 768)
DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
HONEY = "6972316000521"  # 松阳土蜂蜜 500g, ￥88.00 in catalog_MX.csv


@pytest.fixture
def small_screen(qapp: QApplication) -> Iterator[None]:
    style.apply_style(qapp, SCREEN)
    yield
    style.set_target_screen(None)
    style.apply_style(qapp)


def focus_is(qtbot: Any, widget: Any) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=5_000)


def enter(qtbot: Any) -> None:
    """Enter where the keyboard is (the wizard and the dialogs must have given it to a field)."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def test_a_new_counter_is_set_up_without_a_terminal_and_sells_at_1024_by_768(
        qtbot: Any, tmp_path: Path, pos_home: Path, runner: OpRunner, small_screen: None) -> None:
    cfg = load_config(db=tmp_path / "till.db")
    assert needs_wizard(cfg)
    printed = tmp_path / "printed"
    hardware = Hardware(serial_ports=lambda: [],
                        usb_printers=lambda: [PrinterChoice(f"file:{printed}", "USB printer", "USB 打印机")])
    w = FirstRunWizard(cfg, runner, hardware)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.printer_list.count() >= 2, timeout=10_000)
    assert problems(w, SCREEN) == []

    qtbot.mouseClick(w.setup_button, Qt.MouseButton.LeftButton)  # 设置我的门店
    assert w.current() == "store"
    qtbot.keyClicks(w.store_fields["code"], "ph")
    w.store_fields["name"].setText("平湖新店")
    w.store_fields["counter"].setText("茂县专柜")
    enter(qtbot)
    assert w.current() == "printer" and problems(w, SCREEN) == []
    w.printer_list.setCurrentRow(0)  # the USB printer it found
    qtbot.mouseClick(w.test_print_button, Qt.MouseButton.LeftButton)
    # done when the page is printed and the wizard says so (or says why not); 60 s for a loaded machine: under
    # `pytest -n 2` in CI the print job (its first imports of the barcode and QR code renderers) once took over 20 s
    qtbot.waitUntil(lambda: w.test_print_button.isEnabled(), timeout=60_000)
    assert printed.exists() and any(printed.glob("*.bin")), w.printer_result.text()
    enter(qtbot)
    assert w.current() == "devices"
    enter(qtbot)  # no scale, no display
    assert w.current() == "headoffice"
    qtbot.mouseClick(w.later_button, Qt.MouseButton.LeftButton)  # 以后再说
    enter(qtbot)
    assert w.current() == "admin" and problems(w, SCREEN) == []
    w.admin_name.setText("王店长")
    qtbot.keyClicks(w.admin_pin, "2468")
    qtbot.keyClicks(w.admin_pin_again, "2468")
    w.cashier_name.setText("张小芳")
    qtbot.keyClicks(w.cashier_pin, "1357")
    enter(qtbot)
    assert w.current() == "finish" and "张小芳 (cashier1)" in w.summary_text()
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)  # 完成
    qtbot.waitUntil(lambda: w.till is not None, timeout=20_000)
    w.choose_catalogue_file = lambda: str(DEMO / "catalog_MX.csv")  # type: ignore[method-assign]
    qtbot.mouseClick(w.catalogue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已从 catalog_MX.csv 导入" in w.catalogue_result.text(), timeout=20_000)
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)  # 打开登录
    till = till_from_wizard(w, cfg)
    assert till is not None
    try:
        session = TillSession(till, runner)
        session.start()
        qtbot.waitUntil(lambda: session.login is not None)
        login = session.login  # (the session deletes it after the login)
        wait_ops(qtbot, runner)
        assert problems(login, SCREEN) == []
        login.select_login("cashier1")
        type_enter(qtbot, login.pin, "1357")
        qtbot.waitUntil(lambda: session.window is not None, timeout=10_000)
        window = session.window
        qtbot.addWidget(window)
        assert window.size() == SCREEN.size()  # the whole screen, not a corner of it

        qtbot.waitUntil(lambda: window.open_shift_dialog is not None, timeout=10_000)  # 开班: the float
        opening = window.open_shift_dialog
        for _ in range(30):  # down the denominations, as a cashier does: pieces (or nothing) and Enter
            if window.open_shift_dialog is not opening or not opening.isVisible():
                break
            qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
            field = QApplication.focusWidget()
            assert field.window() is opening  # the keys are in the count
            if field is opening.editor.fields[10000]:
                qtbot.keyClicks(field, "2")
            qtbot.keyClick(field, Qt.Key.Key_Return)
            wait_ops(qtbot, runner)
        assert window.open_shift_dialog is None
        wait_ops(qtbot, runner)
        focus_is(qtbot, window.scan_field)

        scan(qtbot, window, HONEY)
        assert problems(window, SCREEN) == []  # 收款 F12, the clock, the cashier, the status strip: all there
        assert window.pay_button.isVisible() and window.pay_button.height() >= 44
        qtbot.keyClick(window.scan_field, Qt.Key.Key_F1)  # 现金
        qtbot.waitUntil(lambda: window.payment_dialog is not None and window.payment_dialog.isVisible())
        assert problems(window.payment_dialog, SCREEN) == []
        qtbot.keyClick(window.payment_dialog.tendered, Qt.Key.Key_Return)
        wait_ops(qtbot, runner)
        [sale] = journal(till, "sale")
        assert sale.payload["total"] == 8800 and sale.payload["cashier"] == "cashier1"
        assert sale.payload["tenders"][0]["kind"] == "cash"
        focus_is(qtbot, window.scan_field)
        qtbot.waitUntil(lambda: len(list(printed.glob("*.bin"))) >= 2, timeout=20_000)  # test page + receipt
    finally:
        runner.wait_idle()
        till.close()
