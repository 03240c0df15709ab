"""设置向导: a new counter PC walks through every page to a till its administrator can log in to."""

from __future__ import annotations

import os
import socket
import tomllib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from pos.config import Config, load_config
from pos.domain.users import Role
from pos.services.first_run import Hardware, PrinterChoice, SerialPort
from ui.app import needs_wizard, setup_application, till_from_wizard
from ui.i18n import install_language
from ui.ops import OpRunner
from ui.wizard import PAGES, FirstRunWizard


@pytest.fixture
def hardware(tmp_path: Path) -> Hardware:
    """One printer that writes its bytes into a folder, and one serial port with nothing behind it."""
    printer = PrinterChoice(f"file:{tmp_path / 'printed'}", "Printer on file", "文件打印机")
    return Hardware(serial_ports=lambda: [SerialPort(str(tmp_path / "ttyNOTHERE"), "USB-Serial")],
                    usb_printers=lambda: [printer])


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens there now: a connection is refused at once
    return port


def open_wizard(qtbot: Any, cfg: Config, runner: OpRunner, hardware: Hardware) -> FirstRunWizard:
    w = FirstRunWizard(cfg, runner, hardware)
    qtbot.addWidget(w)
    w.resize(1000, 720)
    w.show()
    qtbot.waitUntil(lambda: w.printer_list.count() == 4, timeout=10_000)  # file, serial, network, none
    return w


def shot(w: FirstRunWizard, name: str) -> None:
    """WIZARD_SHOTS=folder keeps a picture of the wizard at this point (to look at, not asserted)."""
    folder = os.environ.get("WIZARD_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        w.grab().save(str(Path(folder) / f"wizard-{name}.png"))


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_new_counter_is_set_up_page_by_page_and_its_administrator_logs_in(
        qtbot: Any, qapp: QApplication, tmp_path: Path, pos_home: Path, runner: OpRunner,
        hardware: Hardware) -> None:
    cfg = load_config(db=tmp_path / "new.db")
    assert needs_wizard(cfg) and not needs_wizard(cfg, demo=True)
    w = open_wizard(qtbot, cfg, runner, hardware)
    assert w.current() == "welcome" and not w.next_button.isVisible()
    click(qtbot, w.setup_button)

    assert w.current() == "store"
    click(qtbot, w.next_button)  # nothing typed yet: the page says what is missing and stays
    assert w.current() == "store" and "请填写门店代码" in w.message.text() and "请填写门店名称" in w.message.text()
    shot(w, "store-refused")
    qtbot.keyClicks(w.store_fields["code"], "ab")
    assert w.store_fields["terminal"].text() == "AB01"  # suggested as the code is typed
    w.store_fields["name"].setText("平湖新店")
    w.store_fields["counter"].setText("一号专柜")
    w.store_fields["address"].setText("浙江省平湖市")
    qtbot.keyClick(w.store_fields["address"], Qt.Key.Key_Return)  # Enter is 下一步

    assert w.current() == "printer"
    assert w.printer_list.item(0).text() == "文件打印机" and w.printer_list.currentRow() == 0  # the one found
    w.printer_list.setCurrentRow(2)  # 网络打印机 with a bad address
    qtbot.keyClicks(w.network_field, "192.168.1.50:99999")
    click(qtbot, w.next_button)
    assert w.current() == "printer" and "1–65535" in w.message.text()
    w.printer_list.setCurrentRow(0)
    click(qtbot, w.paper_group.button(58))
    click(qtbot, w.test_print_button)
    qtbot.waitUntil(lambda: "测试页已打印" in w.printer_result.text(), timeout=10_000)
    assert (tmp_path / "printed" / "test-page.bin").exists()
    shot(w, "printer-printed")
    qtbot.keyClick(w.printer_list, Qt.Key.Key_Return)  # Enter in the list of printers is 下一步 too

    assert w.current() == "devices"
    assert not w.scale_protocol.isEnabled()  # no port, no protocol to choose
    w.scale_port.setCurrentIndex(1)  # a port with nothing behind it: a message in words
    assert w.scale_protocol.isEnabled()
    click(qtbot, w.test_devices_button)
    qtbot.waitUntil(lambda: w.test_devices_button.isEnabled() and "电子秤" in w.devices_result.text(),
                    timeout=10_000)
    assert "Traceback" not in w.devices_result.text()
    shot(w, "devices-no-scale")
    w.scale_port.setCurrentIndex(0)  # 无
    click(qtbot, w.next_button)

    assert w.current() == "headoffice"
    click(qtbot, w.next_button)
    assert w.current() == "headoffice" and "以后再说" in w.message.text()
    port = closed_port()
    qtbot.keyClicks(w.ho_url, f"http://127.0.0.1:{port}")
    qtbot.keyClicks(w.ho_code, "ABCD-EFGH-JKLM")
    click(qtbot, w.next_button)

    assert w.current() == "admin"
    w.admin_name.setText("李建国")
    qtbot.keyClicks(w.admin_pin, "2468")
    qtbot.keyClicks(w.admin_pin_again, "2469")
    click(qtbot, w.next_button)
    assert w.current() == "admin" and "两次输入的密码不一致" in w.message.text()
    w.admin_pin_again.clear()
    qtbot.keyClicks(w.admin_pin_again, "2468")
    w.cashier_name.setText("张小芳")  # the first cashier, so the till can sell at once
    w.cashier_login.setText("admin")
    qtbot.keyClicks(w.cashier_pin, "1357")
    click(qtbot, w.next_button)
    assert w.current() == "admin" and "不能与管理员相同" in w.message.text()
    assert QApplication.focusWidget() is w.cashier_login
    w.cashier_login.setText("cashier1")
    click(qtbot, w.next_button)

    assert w.current() == "finish"
    summary = w.summary_text()
    assert "AB · 平湖新店" in summary and "AB01" in summary and "58 mm" in summary and "李建国 (admin)" in summary
    assert "张小芳 (cashier1)" in summary
    assert not Path(cfg.db).exists()  # nothing is written before 完成
    click(qtbot, w.next_button)  # 完成
    qtbot.waitUntil(lambda: "未能登记到总部" in w.enrol_result.text(), timeout=20_000)
    assert "无法连接总部" in w.enrol_result.text()  # the dropped connection is a message; the till is made
    assert "收银机已设置好" in w.finish_result.text() and w.retry_enrol_button.isVisible()
    shot(w, "finish-not-enrolled")
    assert w.next_button.text() == "打开登录 Enter"
    click(qtbot, w.next_button)
    assert w.result() == QDialog.DialogCode.Accepted

    till = till_from_wizard(w, cfg)
    assert till is not None
    try:
        assert (till.identity.store_code, till.identity.terminal_id) == ("AB", "AB01")
        assert (till.identity.store_name, till.identity.counter_name) == ("平湖新店", "一号专柜")
        assert till.auth.login("admin", "2468").role is Role.ADMIN
        assert till.auth.login("cashier1", "1357").role is Role.CASHIER
    finally:
        till.close()
    written = tomllib.loads((pos_home / "config" / "config.toml").read_text(encoding="utf-8"))
    assert written["store"] == "AB" and written["paper_width"] == 58
    assert written["printer"] == f"file:{tmp_path / 'printed'}"
    assert written["sync_url"] == f"http://127.0.0.1:{port}" and "scale" not in written
    again = load_config(db=tmp_path / "new.db")
    assert not needs_wizard(again) and again.terminal_id == "AB01"


def test_cancelling_the_wizard_leaves_nothing_behind(
        qtbot: Any, qapp: QApplication, tmp_path: Path, pos_home: Path, runner: OpRunner,
        hardware: Hardware) -> None:
    cfg = load_config(db=tmp_path / "new.db")
    w = open_wizard(qtbot, cfg, runner, hardware)
    click(qtbot, w.setup_button)
    qtbot.keyClicks(w.store_fields["code"], "ab")
    w.store_fields["name"].setText("平湖新店")
    click(qtbot, w.next_button)
    assert w.current() == "printer"
    qtbot.keyClick(w, Qt.Key.Key_Escape)  # Esc is 上一步
    assert w.current() == "store"
    click(qtbot, w.cancel_button)
    assert w.result() == QDialog.DialogCode.Rejected
    assert till_from_wizard(w, cfg) is None
    assert not Path(cfg.db).exists()
    assert [p for p in pos_home.rglob("*") if p.is_file()] == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == []


def test_the_demo_choice_opens_the_pm_counter_as_gui_store_pm_does(
        qtbot: Any, qapp: QApplication, pos_home: Path, runner: OpRunner, hardware: Hardware) -> None:
    cfg = load_config(printer="dummy:")
    w = open_wizard(qtbot, cfg, runner, hardware)
    click(qtbot, w.demo_buttons["PM"])
    assert w.result() == QDialog.DialogCode.Accepted and w.demo_store == "PM"
    till = till_from_wizard(w, cfg)
    assert till is not None
    try:
        assert (till.identity.store_code, till.identity.terminal_id) == ("PM", "PM01")
        assert till.identity.store_name == "平茂连心馆"
        assert Path(till.config.db).name == "lianxin-PM.db"  # its own database, as `gui --store PM`
        assert till.auth.login("cashier1", "1111") is not None
    finally:
        till.close()
    assert not (pos_home / "config" / "config.toml").exists()


def test_the_wizard_speaks_english_after_the_switch_on_its_first_page(
        qtbot: Any, qapp: QApplication, tmp_path: Path, runner: OpRunner, hardware: Hardware) -> None:
    w = open_wizard(qtbot, load_config(db=tmp_path / "new.db"), runner, hardware)
    english = next(b for b in w.lang_group.buttons() if b.property("language") == "en")
    click(qtbot, english)
    assert w.title.text() == "Welcome to LianXin POS"
    click(qtbot, w.setup_button)
    click(qtbot, w.next_button)
    assert "Type the store code" in w.message.text()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_page_fits_a_1024_by_768_screen(
        qtbot: Any, qapp: QApplication, tmp_path: Path, runner: OpRunner, hardware: Hardware, language: str) -> None:
    from ui.fit import problems

    setup_application(qapp, language)
    install_language(language)
    w = open_wizard(qtbot, load_config(db=tmp_path / "new.db"), runner, hardware)
    w.resize(1000, 700)
    shots = os.environ.get("WIZARD_SHOTS")
    for index, name in enumerate(PAGES):
        w._show(index)
        if name == "finish":
            w.plan = _sample_plan()
            w._show(index)
        qtbot.wait(20)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            w.grab().save(str(Path(shots) / f"wizard-{index}-{name}-{language}.png"))
        found = problems(w)
        assert found == [], f"{name} ({language}): {found}"


def _sample_plan():  # noqa: ANN202
    from pos.services import first_run as fr

    store = fr.read_store("MX", "金平湖鲜到家", "茂县专柜", "浙江省平湖市当湖街道", "").plan
    admin = fr.read_admin("李建国", "admin", "2468", "2468").plan
    assert store is not None and admin is not None
    return fr.FirstRunPlan(store, admin, fr.PrinterPlan("tcp://192.168.1.50:9100", 80),
                           fr.DevicePlan("serial:///dev/ttyUSB0?protocol=8217", None),
                           fr.HeadOfficePlan("http://192.168.1.10:8080", "ABCD-EFGH-JKLM"))


def test_with_no_printer_and_head_office_later_the_till_is_made_without_them(
        qtbot: Any, qapp: QApplication, tmp_path: Path, pos_home: Path, runner: OpRunner,
        hardware: Hardware) -> None:
    cfg = load_config(db=tmp_path / "new.db")
    w = open_wizard(qtbot, cfg, runner, hardware)
    click(qtbot, w.setup_button)
    qtbot.keyClicks(w.store_fields["code"], "cd")
    w.store_fields["name"].setText("茂县新店")
    click(qtbot, w.next_button)
    w.printer_list.setCurrentRow(w.printer_list.count() - 1)  # 无打印机
    assert w.printer_list.currentItem().text() == "无打印机（小票保存为文件）"
    click(qtbot, w.next_button)
    click(qtbot, w.next_button)  # no scale, no display
    click(qtbot, w.later_button)
    assert not w.ho_url.isEnabled()
    click(qtbot, w.next_button)
    w.admin_name.setText("王店长")
    qtbot.keyClicks(w.admin_pin, "13579")
    qtbot.keyClicks(w.admin_pin_again, "13579")
    click(qtbot, w.next_button)
    assert "总部 以后再说" in w.summary_text() and "收银机 CD01" in w.summary_text()
    assert "小票打印机 无：小票保存为文件（80 毫米）" in w.summary_text()
    click(qtbot, w.next_button)
    qtbot.waitUntil(lambda: w.till is not None, timeout=20_000)
    assert w.enrol_result.text() == "" and not w.retry_enrol_button.isVisible()  # no enrolment was tried
    assert "可以先导入商品表" in w.finish_result.text()  # no head office: no goods unless a file brings them
    demo = Path(__file__).resolve().parents[2] / "resources" / "demo"
    w.choose_catalogue_file = lambda: str(demo / "catalog_bad_example.csv")  # type: ignore[method-assign]
    click(qtbot, w.catalogue_button)
    qtbot.waitUntil(lambda: w.catalogue_button.isEnabled(), timeout=20_000)
    assert "未导入任何商品" in w.catalogue_result.text() and "第3行" in w.catalogue_result.text()
    w.choose_catalogue_file = lambda: str(demo / "catalog_PM.csv")  # type: ignore[method-assign]
    click(qtbot, w.catalogue_button)
    qtbot.waitUntil(lambda: "已从 catalog_PM.csv 导入" in w.catalogue_result.text(), timeout=20_000)
    shot(w, "finish-catalogue")
    click(qtbot, w.next_button)
    till = till_from_wizard(w, cfg)
    assert till is not None
    try:
        assert till.auth.login("admin", "13579").display_name == "王店长"
        assert till.config.printer_url.startswith("file:")  # receipts kept as files
        with till.uow() as uow:
            assert uow.products.count("CD") > 0  # the goods from the file belong to the new store
    finally:
        till.close()
    written = tomllib.loads((pos_home / "config" / "config.toml").read_text(encoding="utf-8"))
    assert "printer" not in written and "sync_url" not in written and written["terminal"] == "CD01"


def test_with_no_printer_found_the_choice_starts_at_no_printer(
        qtbot: Any, qapp: QApplication, tmp_path: Path, runner: OpRunner) -> None:
    bare = Hardware(serial_ports=lambda: [], usb_printers=lambda: [])
    w = FirstRunWizard(load_config(db=tmp_path / "new.db"), runner, bare)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: "没有找到" in w.printer_result.text(), timeout=10_000)
    assert w.printer_list.currentItem().text() == "无打印机（小票保存为文件）"
