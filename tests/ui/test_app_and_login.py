"""Start-up, login and language: what a cashier sees before the first scan."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from till_ui import HONEY, journal, scan, wait_ops

from pos.bootstrap import Till
from pos.config import Config
from pos.domain.users import User
from ui import app as app_module
from ui.app import TillSession, run_gui, setup_application, start_till
from ui.checkout import CheckoutWindow
from ui.i18n import I18N_DIR, current_language, install_language
from ui.login import LoginDialog
from ui.ops import OpRunner
from ui.presenters.checkout import LogoutChoice

UI_DIR = Path(__file__).resolve().parents[2] / "ui"


def login_dialog(qtbot: Any, till: Till, runner: OpRunner) -> LoginDialog:
    dialog = LoginDialog(till, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_ops(qtbot, runner)  # the users are read on the writer thread
    return dialog


def test_the_login_dialog_lists_users_with_their_roles(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    dialog = login_dialog(qtbot, demo_till, runner)
    items = [dialog.users.item(i).text() for i in range(dialog.users.count())]
    assert any("张小芳（收银员）" in t for t in items)
    assert any("李建国（店长）" in t for t in items)
    assert any("王会计（会计）" in t for t in items)
    assert dialog.selected_login() == "cashier1"  # a cashier is chosen first
    assert dialog.pin.echoMode() == dialog.pin.EchoMode.Password


def test_a_wrong_pin_shows_the_services_message_and_is_journaled(qtbot: Any, fresh_till: Till,
                                                                 runner: OpRunner) -> None:
    demo_till = fresh_till  # no shift opened, so no login in the journal yet
    dialog = login_dialog(qtbot, demo_till, runner)
    qtbot.keyClicks(dialog.pin, "12x34")  # the field takes digits only
    assert dialog.pin.text() == "1234"
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    wait_ops(qtbot, runner)
    assert dialog.message.text() == "密码错误（还可尝试 4 次）"
    assert dialog.pin.text() == "" and dialog.user is None and dialog.isVisible()
    assert [e.payload["ok"] for e in journal(demo_till, "login")] == [False]


def test_the_right_pin_logs_in_on_enter(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    dialog = login_dialog(qtbot, demo_till, runner)
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Down)  # Up/Down choose the user from the PIN field
    assert dialog.selected_login() == "manager1"
    dialog.select_login("cashier1")
    qtbot.keyClicks(dialog.pin, "1111")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert dialog.user == User("cashier1", "张小芳", dialog.user.role)
    assert [e.payload for e in journal(demo_till, "login")][-1]["via"] == "till"


def test_a_session_goes_login_checkout_logout_login(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    session = TillSession(demo_till, runner)
    session.start()
    dialog = session.login
    assert dialog is not None
    qtbot.addWidget(dialog)
    wait_ops(qtbot, runner)
    qtbot.keyClicks(dialog.pin, "1111")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.window is not None)
    window = session.window
    qtbot.addWidget(window)
    assert window.cashier_label.text() == "收银员 张小芳"
    scan(qtbot, window, HONEY)

    with qtbot.assertNotEmitted(session.ended):
        window.ask_logout = lambda: LogoutChoice.VOID  # type: ignore[method-assign]
        window.logout_button.click()
        qtbot.waitUntil(lambda: session.login is not None)
    assert session.window is None
    qtbot.addWidget(session.login)

    with qtbot.waitSignal(session.ended) as ended:
        session.login.reject()
    assert ended.args == [0]


def test_g_the_english_translation_shows_english_buttons(qtbot: Any, qapp: QApplication, demo_till: Till,
                                                         runner: OpRunner, cashier: User) -> None:
    assert setup_application(qapp, "en") == "en"
    assert current_language() == "en"
    login = login_dialog(qtbot, demo_till, runner)
    assert login.login_button.text().startswith("Log in")
    assert any("Cashier" in login.users.item(i).text() for i in range(login.users.count()))

    window = CheckoutWindow(demo_till, runner, cashier)
    qtbot.addWidget(window)
    assert window.pay_button.text() == "Pay\nF12"
    assert window.quantity_button.text() == "Quantity\nF4"
    assert window.delete_button.text() == "Delete\nDel"
    assert window.clear_button.text() == "Clear"
    assert window.logout_button.text() == "Log out"
    assert window.total_label.text() == "Due ￥0.00"
    assert window.search_button.text() == "Search\nF3" and window.return_button.text() == "Return\nF10"
    assert window.model.headerData(1, Qt.Orientation.Horizontal) == "Item"
    assert window.terminal_label.text() == "Till MX01"

    scan(qtbot, window, "6900000000000")
    assert window.message.text() == "no product with code 6900000000000"  # the core's English wording


def test_chinese_is_the_default_and_needs_no_translator(qapp: QApplication) -> None:
    assert install_language(None) == "zh_CN"
    assert install_language("zh_CN") == "zh_CN"
    assert QApplication.translate("CheckoutWindow", "收款") == "收款"


def test_date_pickers_follow_the_ui_language_not_the_machine(qapp: QApplication) -> None:
    from PySide6.QtCore import QDate, QLocale
    from PySide6.QtWidgets import QCalendarWidget

    QLocale.setDefault(QLocale("de_DE"))  # whatever the machine says
    try:
        install_language("zh_CN")
        calendar = QCalendarWidget()
        assert calendar.locale().monthName(11) == "十一月"
        assert QLocale().toString(QDate(2026, 11, 30), "dddd") == "星期一"
        install_language("en")
        assert QCalendarWidget().locale().monthName(11) == "November"
    finally:
        install_language("zh_CN")


def test_every_string_the_ui_translates_has_an_english_translation() -> None:
    ts = ET.parse(I18N_DIR / "lianxin_en.ts").getroot()
    translated = {
        (ctx.findtext("name"), m.findtext("source")): m.find("translation")
        for ctx in ts.iter("context") for m in ctx.iter("message")
    }
    unfinished = [k for k, t in translated.items() if t is None or t.get("type") == "unfinished" or not t.text]
    assert unfinished == []
    used: set[tuple[str, str]] = set()
    for path in UI_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        classes = [(m.start(), m.group(1)) for m in re.finditer(r"^class (\w+)\(", text, re.M)]
        for m in re.finditer(r'self\.tr\("([^"]+)"\)', text):
            owners = [name for start, name in classes if start < m.start()]
            if owners:  # outside a class it is an example in a docstring
                used.add((owners[-1], m.group(1)))
        for m in re.finditer(r'translate\("(\w+)", "([^"]+)"\)', text):
            used.add((m.group(1), m.group(2)))
    assert used, "the scan found no strings"
    assert sorted(used - set(translated)) == []
    assert (I18N_DIR / "lianxin_en.qm").stat().st_mtime >= (I18N_DIR / "lianxin_en.ts").stat().st_mtime - 1


def test_the_bundled_font_becomes_the_application_font(qapp: QApplication) -> None:
    setup_application(qapp, None)
    assert qapp.font().family() == "WenQuanYi Micro Hei"


def test_first_start_seeds_the_demo_store(qapp: QApplication, config: Config,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert not Path(config.db).exists()
    asked: list[Config] = []
    monkeypatch.setattr(app_module, "run_wizard", lambda cfg, runner: asked.append(cfg))  # the person cancels
    assert run_gui(config, None) == app_module.EXIT_OK  # plain `gui` with no database: the 设置向导 first
    assert asked == [config] and not Path(config.db).exists()  # cancelled: nothing written
    till = start_till(config)  # `gui --demo` (make run): the demo store, no wizard
    assert till is not None
    try:
        assert till.identity.store_name == "金平湖鲜到家" and till.identity.counter_name == "茂县专柜"
        assert till.lookup.find(HONEY).name == "松阳土蜂蜜 500g"
    finally:
        till.close()
    again = start_till(config)  # the second start opens the same database
    assert again is not None
    again.close()


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def critical(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    return shown


def test_a_file_that_is_not_a_database_stops_the_start_with_a_chinese_message(
        qapp: QApplication, config: Config, shown_errors: list[tuple[str, str]]) -> None:
    Path(config.db).write_bytes(b"this is a shopping list, not a database\n" * 10)
    assert run_gui(config, None) == app_module.EXIT_START_FAILED
    [(title, text)] = shown_errors
    assert title == "连心收银无法启动"
    assert "不是连心收银数据库文件" in text
    assert "Traceback" not in text


def test_a_database_from_a_newer_version_is_refused_in_plain_words(
        qapp: QApplication, config: Config, shown_errors: list[tuple[str, str]], demo_till: Till) -> None:
    with demo_till.db.writer.begin() as conn:
        # (one row per migration head: while work is in progress there may be several)
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('9999_from_the_future')")
    assert start_till(config) is None
    [(_, text)] = shown_errors
    assert "更新版本" in text
