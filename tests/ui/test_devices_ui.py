"""Devices in the till window: the keyboard-wedge filter, the scale in the weight dialog, the
customer display, the print queue, the drawer, head-office sync and the settings screen."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication
from till_ui import APPLE_PLU, HONEY, HUAJIAO, journal, press, scan, wait_ops

from pos.bootstrap import Till, open_till
from pos.config import load_config
from pos.domain.closing import CashCount
from ui.checkout import CheckoutWindow
from ui.ops import OpRunner
from ui.session_devices import SessionDevices
from ui.settings import HardwareSettingsDialog


@pytest.fixture(autouse=True)
def _file_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANXIN_SYNC_SECRETS", "file")


def till_with(tmp_path: Path, clock: Any, **cfg: object) -> Till:
    cfg.setdefault("printer", "dummy:")
    till = open_till(load_config(db=tmp_path / "dev.db", **cfg), create=True, demo=True, clock=clock)
    till.shifts.open(till.auth.login("cashier1", "1111"), CashCount())
    return till


def open_window(qtbot: Any, till: Till, runner: OpRunner, login: str = "cashier1", pin: str = "1111") -> CheckoutWindow:
    w = CheckoutWindow(till, runner, till.auth.login(login, pin))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    wait_ops(qtbot, runner)
    return w


def key(ch: str, ts: int, etype: QEvent.Type = QEvent.Type.KeyPress) -> QKeyEvent:
    code = Qt.Key.Key_Return if ch == "\r" else ord(ch.upper())
    ev = QKeyEvent(etype, code, Qt.KeyboardModifier.NoModifier, ch)
    ev.setTimestamp(ts)
    return ev


def send_keys(widget: Any, text: str, start: int, gap: int) -> None:
    for i, ch in enumerate(text):
        QApplication.sendEvent(widget, key(ch, start + i * gap))
        QApplication.sendEvent(widget, key(ch, start + i * gap + 2, QEvent.Type.KeyRelease))


@pytest.fixture
def session(qtbot: Any, window: CheckoutWindow, demo_till: Till, runner: OpRunner) -> Iterator[SessionDevices]:
    s = SessionDevices(demo_till, runner)
    s.start()
    s.set_window(window)
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    yield s
    s.stop()


# -- keyboard wedge ---------------------------------------------------------------------------------


def test_a_wedge_burst_scans_while_the_focus_is_on_another_widget(qtbot: Any, window: CheckoutWindow,
                                                                  session: SessionDevices) -> None:
    window.table.setFocus()
    send_keys(QApplication.focusWidget() or window.table, HUAJIAO + "\r", 1_000, 10)
    wait_ops(qtbot, window.runner)
    qtbot.waitUntil(lambda: len(window.cart.lines) == 1)
    assert window.cart.lines[0].product.sku == "MX-S001"
    assert window.scan_field.text() == ""


def test_keys_typed_200_ms_apart_stay_typed_text(qtbot: Any, window: CheckoutWindow,
                                                 session: SessionDevices) -> None:
    window.scan_field.setFocus()
    send_keys(window.scan_field, "6945", 5_000, 200)
    qtbot.waitUntil(lambda: window.scan_field.text() == "6945")
    qtbot.wait(80)
    assert window.cart.is_empty() and window.scan_field.text() == "6945"


def test_a_burst_during_an_ime_composition_still_scans(qtbot: Any, window: CheckoutWindow,
                                                       session: SessionDevices) -> None:
    window.scan_field.setFocus()
    QApplication.sendEvent(window.scan_field, QInputMethodEvent("hua", []))  # pinyin being composed
    send_keys(window.scan_field, HONEY + "\r", 9_000, 8)
    wait_ops(qtbot, window.runner)
    qtbot.waitUntil(lambda: len(window.cart.lines) == 1)
    assert window.cart.lines[0].product.sku == "MX-H001"


def test_a_burst_into_a_dialog_is_typed_there_as_before(qtbot: Any, window: CheckoutWindow,
                                                        session: SessionDevices) -> None:
    scan(qtbot, window, HUAJIAO)
    press(qtbot, window, Qt.Key.Key_F11)  # 重印: a receipt number may be scanned into the dialog
    qtbot.waitUntil(lambda: window.value_dialog is not None and window.value_dialog.isVisible())
    dialog = window.value_dialog
    assert dialog is not None
    assert not window.can_take_scan()
    dialog.reject()
    qtbot.waitUntil(lambda: window.value_dialog is None)


# -- scale --------------------------------------------------------------------------------------


STX, CR = b"\x02", b"\r"


def cont(b: int, weight: str) -> bytes:
    return STX + bytes([0x25, 0x30 | b, 0x20]) + weight.encode() + b"000000" + CR  # 3 decimals, kg


@pytest.fixture
def pty_pair(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    if shutil.which("socat") is None:
        pytest.skip("socat is not installed")
    a, b = tmp_path / "tty-till", tmp_path / "tty-scale"
    proc = subprocess.Popen(["socat", "-d", "-d", f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 5
    while not (a.exists() and b.exists()):
        assert time.monotonic() < deadline and proc.poll() is None, "socat did not start"
        time.sleep(0.01)
    try:
        yield a, b
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def test_weigh_in_the_weight_dialog_reads_the_stable_weight(qtbot: Any, tmp_path: Path, clock: Any, runner: OpRunner,
                                                            pty_pair: tuple[Path, Path]) -> None:
    import serial

    a, b = pty_pair
    till = till_with(tmp_path, clock, scale=f"serial://{a}?protocol=continuous")
    device = serial.Serial(str(b), baudrate=9600, bytesize=7, parity="E", timeout=1)
    stop = threading.Event()

    def scale() -> None:
        frames = [cont(0x08, "000800"), cont(0x08, "001100"), cont(0x08, "001240")] * 3 + [cont(0, "001255")] * 400
        for frame in frames:
            if stop.is_set():
                return
            device.write(frame)
            time.sleep(0.01)

    feeder = threading.Thread(target=scale, daemon=True)
    try:
        w = open_window(qtbot, till, runner)
        scan(qtbot, w, APPLE_PLU)
        qtbot.waitUntil(lambda: w.quantity_dialog is not None and w.quantity_dialog.isVisible())
        dialog = w.quantity_dialog
        assert dialog is not None and dialog.weigh_button is not None
        feeder.start()
        dialog.weigh_button.click()
        qtbot.waitUntil(lambda: dialog.field.text() == "1.255", timeout=10_000)
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: len(w.cart.lines) == 1)
        line = w.cart.lines[0]
        assert line.quantity == 1255 and line.amount_fen == round(1680 * 1.255)  # ￥21.08
        w.close()
    finally:
        stop.set()
        if feeder.is_alive():
            feeder.join(3)
        device.close()
        till.close()


def test_without_a_scale_the_weight_is_typed(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, APPLE_PLU)
    qtbot.waitUntil(lambda: window.quantity_dialog is not None)
    assert window.quantity_dialog is not None and window.quantity_dialog.weigh_button is None
    window.quantity_dialog.reject()


# -- customer display ----------------------------------------------------------------------------


def test_the_customer_display_shows_the_price_then_the_change(qtbot: Any, tmp_path: Path, clock: Any,
                                                             runner: OpRunner) -> None:
    till = till_with(tmp_path, clock, display="loop://?type=led8")
    try:
        w = open_window(qtbot, till, runner)
        scan(qtbot, w, HUAJIAO)
        display = till.devices.display
        assert display.wait_idle(3)
        port = display.display._port
        assert b"\x1bs1\x1bQA28.00\r" in port.read(port.in_waiting)  # 单价 28.00
        press(qtbot, w, Qt.Key.Key_F12)
        qtbot.waitUntil(lambda: w.payment_dialog is not None and w.payment_dialog.isVisible())
        qtbot.keyClicks(w.payment_dialog.tendered, "50")
        qtbot.keyClick(w.payment_dialog.tendered, Qt.Key.Key_Return)
        wait_ops(qtbot, runner)
        qtbot.waitUntil(lambda: w.last_sale is not None)
        assert display.wait_idle(3)
        assert b"\x1bs4\x1bQA22.00\r" in port.read(port.in_waiting)  # 找零 22.00
        w.close()
    finally:
        till.close()


# -- print queue ----------------------------------------------------------------------------------


def pay_cash(qtbot: Any, w: CheckoutWindow, amount: str) -> None:
    press(qtbot, w, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: w.payment_dialog is not None and w.payment_dialog.isVisible())
    qtbot.keyClicks(w.payment_dialog.tendered, amount)
    qtbot.keyClick(w.payment_dialog.tendered, Qt.Key.Key_Return)
    wait_ops(qtbot, w.runner)


def test_a_failing_printer_queues_the_receipt_and_the_queue_dialog_retries(qtbot: Any, tmp_path: Path, clock: Any,
                                                                          runner: OpRunner) -> None:
    from printers import make_printer

    till = till_with(tmp_path, clock, printer="dummy:?fail=1")
    try:
        w = open_window(qtbot, till, runner)
        scan(qtbot, w, HUAJIAO)
        pay_cash(qtbot, w, "30")
        qtbot.waitUntil(lambda: w.last_sale is not None)
        wait_ops(qtbot, runner)
        assert "打印队列第 1 号" in w.print_status.text()
        qtbot.waitUntil(lambda: w.status_strip.pending_jobs == 1)
        assert w.status_strip.queue_button.text() == "待打印 1"

        scan(qtbot, w, HONEY)  # nothing blocks the next sale
        pay_cash(qtbot, w, "100")
        qtbot.waitUntil(lambda: w.status_strip.pending_jobs == 2)

        w.status_strip.queue_button.click()
        qtbot.waitUntil(lambda: w.print_queue_dialog is not None)
        dialog = w.print_queue_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: len(dialog.jobs) == 2)
        assert dialog.table.item(0, 3).text()  # the reason, in Chinese
        dialog.retry_selected()  # still failing: stays
        wait_ops(qtbot, runner)
        assert "仍未打印" in dialog.message.text() and len(dialog.jobs) == 2

        dialog.table.selectRow(1)
        dialog.abandon_selected()
        wait_ops(qtbot, runner)
        qtbot.waitUntil(lambda: len(dialog.jobs) == 1)

        till.receipts._printer = make_printer("dummy:")  # the paper is in again
        dialog.retry_all()
        wait_ops(qtbot, runner)
        qtbot.waitUntil(lambda: dialog.jobs == [])
        assert "已打印 1 项" in dialog.message.text()
        dialog.reject()
        wait_ops(qtbot, runner)
        qtbot.waitUntil(lambda: w.status_strip.pending_jobs == 0)
        w.close()
    finally:
        till.close()


# -- drawer -------------------------------------------------------------------------------------------


def test_a_cashier_opens_the_drawer_with_a_managers_approval(qtbot: Any, window: CheckoutWindow,
                                                             demo_till: Till) -> None:
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.shift_menu is not None and window.shift_menu.isVisible())
    qtbot.keyClick(window.shift_menu, Qt.Key.Key_5)
    qtbot.waitUntil(lambda: window.approval_dialog is not None and window.approval_dialog.isVisible(),
                    timeout=5_000)
    dialog = window.approval_dialog
    assert dialog is not None
    wait_ops(qtbot, window.runner)
    dialog.select_login("manager1")
    dialog.pin.setText("2222")
    dialog.submit()
    wait_ops(qtbot, window.runner)
    qtbot.waitUntil(lambda: "钱箱已打开" in window.message.text())
    [entry] = journal(demo_till, "drawer_open")
    assert entry.payload["by"] == "cashier1" and entry.payload["approver"] == "manager1"


# -- settings ------------------------------------------------------------------------------------------


def test_the_settings_screen_lists_ports_and_devices(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    manager = demo_till.auth.login("manager1", "2222")
    dialog = HardwareSettingsDialog(demo_till, runner, manager)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_ops(qtbot, runner)
    ports = [p.device for p in demo_till.devices.list_serial_ports()]
    shown = [dialog.ports.item(i).text() for i in range(dialog.ports.count())]
    if ports:
        assert all(any(p in s for s in shown) for p in ports)
    else:
        assert shown == ["未发现串口"]
    kinds = [dialog.devices.item(r, 0).text() for r in range(dialog.devices.rowCount())]
    assert kinds == ["小票打印机", "扫码枪", "电子秤", "客显"]
    assert dialog.devices.item(2, 3).text() == "未配置电子秤"
    assert "尚未登记总部" in dialog.sync_state.text()
    dialog.test_print()
    wait_ops(qtbot, runner)
    assert "测试页已发送" in dialog.result.text()
    dialog.test_display()
    wait_ops(qtbot, runner)
    assert dialog.result.text() == "未配置客显"


def test_a_cashier_cannot_open_the_settings(qtbot: Any, window: CheckoutWindow) -> None:
    window.status_strip.settings_button.click()
    assert window.settings_dialog is None
    assert window.message.text()


# -- sync ---------------------------------------------------------------------------------------------


def test_enrol_sell_sync_now_then_head_office_down(qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path,
                                                   window: CheckoutWindow) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "headoffice"))
    try:
        from ho_support import fast_retries, running_server
    finally:
        sys.path.pop(0)
    from headoffice.service import add_terminal

    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as server:
        code = add_terminal(server.engine, "MX", "MX01")
        code = getattr(code, "code", code)
        manager = demo_till.auth.login("manager1", "2222")
        settings = HardwareSettingsDialog(demo_till, runner, manager, parent=window)
        qtbot.addWidget(settings)
        settings.show()
        wait_ops(qtbot, runner)
        from pos.sync.enrolment import enrolment_text

        # head office's enrolment QR scanned into the code field: one made for another till is refused in words
        settings.code_field.setText(enrolment_text(server.url, "MX", "MX09", str(code)))
        settings.enroll()
        assert "此二维码属于门店 MX 的收银机 MX09" in settings.enroll_result.text(), settings.enroll_result.text()
        settings.url_field.setText(enrolment_text(server.url, "MX", "MX01", str(code)))  # the right one fills both
        settings.code_field.setText("")
        settings.enroll()
        wait_ops(qtbot, runner)
        assert settings.url_field.text() == server.url and settings.code_field.text() == ""
        assert "登记成功" in settings.enroll_result.text(), settings.enroll_result.text()
        assert settings.enrolled is True
        settings.close()
        window.activateWindow()

        scan(qtbot, window, HUAJIAO)
        pay_cash(qtbot, window, "30")
        qtbot.waitUntil(lambda: window.last_sale is not None)
        window.status_strip.refresh_sync()
        wait_ops(qtbot, runner)
        assert "待上传" in window.status_strip.sync_button.text()

        window.status_strip.sync_button.click()
        qtbot.waitUntil(lambda: window.sync_panel is not None)
        panel = window.sync_panel
        assert panel is not None
        panel.sync_now()
        qtbot.waitUntil(lambda: not panel.running, timeout=20_000)
        wait_ops(qtbot, runner)
        assert panel.report is not None and panel.report.ok, panel.state_label.text()
        assert panel.state_label.text().startswith("已同步")
        assert panel.history.rowCount() >= 1
        panel.reject()
        wait_ops(qtbot, runner)
        window.status_strip.refresh_sync()
        wait_ops(qtbot, runner)
        qtbot.waitUntil(lambda: window.status_strip.sync_button.text().startswith("已同步"))

        from sqlalchemy import text
        with server.engine.connect() as conn:
            held = conn.execute(text("select count(*) from entries")).scalar()
        assert held and held >= len(journal(demo_till))
        url = server.url

    fast_retries(demo_till)
    demo_till.sync.max_attempts = 2
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "100")
    qtbot.waitUntil(lambda: window.cart.is_empty() and window.last_sale is not None)
    window.status_strip.sync_button.click()
    qtbot.waitUntil(lambda: window.sync_panel is not None)
    panel = window.sync_panel
    assert panel is not None
    panel.sync_now()
    qtbot.waitUntil(lambda: not panel.running, timeout=30_000)
    wait_ops(qtbot, runner)
    assert panel.state_label.text().startswith("同步失败："), panel.state_label.text()
    panel.reject()
    wait_ops(qtbot, runner)
    qtbot.waitUntil(lambda: window.status_strip.sync_button.text().startswith("同步失败"))
    assert url
    scan(qtbot, window, HUAJIAO)  # the till keeps selling
    assert len(window.cart.lines) == 1
