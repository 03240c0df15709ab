"""Issue 13's small counter-readiness points, as a person at the till notices them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from test_checkout import pay_cash
from till_ui import HONEY, HUAJIAO, WALNUTS, press, scan, type_enter, wait_ops

from pos.bootstrap import Till
from pos.cli import main as cli_main
from pos.config import Config
from pos.domain.cart import Cart
from ui import app as app_module
from ui.app import TillSession, setup_application
from ui.checkout import CheckoutWindow
from ui.i18n import install_language
from ui.login import LoginDialog
from ui.manager import ManagerScreen
from ui.ops import OpRunner

# -- `make run STORE=PM` → `main.py gui --store PM`: the demo's second counter in one command ----------


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> list[Any]:
    """Run ``gui`` up to the point the till is open (no event loop): what it opened, or the error shown."""
    seen: list[Any] = []

    def run_gui(cfg: Config, language: str | None, *, rebind: bool = False, demo: bool = False) -> int:
        till = app_module.start_till(cfg, rebind=rebind)
        if till is not None:
            seen.append((Path(cfg.db).name, till.identity.terminal_id, till.identity.store_name))
            till.close()
        return 0 if till else app_module.EXIT_START_FAILED

    def critical(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(app_module, "run_gui", run_gui)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    return seen


def test_the_pm_counter_opens_with_one_command_on_its_own_database(opened: list[Any], pos_home: Path) -> None:
    assert cli_main(["gui", "--store", "pm"]) == 0
    assert cli_main([]) == 0  # plain `make run`: the MX counter, its database untouched by PM's
    assert opened == [("lianxin-PM.db", "PM01", "平茂连心馆"), ("lianxin.db", "MX01", "金平湖鲜到家")]
    assert cli_main(["gui", "--store", "PM"]) == 0  # the second time: the same PM database again
    assert opened[-1] == ("lianxin-PM.db", "PM01", "平茂连心馆")
    assert sorted(p.name for p in (pos_home / "data").glob("*.db")) == ["lianxin-PM.db", "lianxin.db"]


def test_asking_for_pm_on_the_mx_database_is_refused_not_ignored(opened: list[Any], pos_home: Path) -> None:
    assert cli_main([]) == 0
    mx_db = str(pos_home / "data" / "lianxin.db")
    assert cli_main(["--db", mx_db, "gui", "--store", "PM"]) == app_module.EXIT_START_FAILED
    assert "MX01" in opened[-1] and "PM01" in opened[-1]


# -- roles: the header names the logged-in person's real role; an accountant's screen is an accountant's --


def checkout_for(qtbot: Any, till: Till, runner: OpRunner, login: str, pin: str) -> CheckoutWindow:
    w = CheckoutWindow(till, runner, till.auth.login(login, pin))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    wait_ops(qtbot, runner)
    return w


def test_the_managers_header_says_manager_not_cashier(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    window = checkout_for(qtbot, demo_till, runner, "manager1", "2222")
    assert window.cashier_label.text() == "店长 李建国"
    install_language("en")
    english = checkout_for(qtbot, demo_till, runner, "manager1", "2222")
    assert english.cashier_label.text() == "Manager 李建国"


def test_the_accountant_lands_on_closing_and_reconciliation_not_the_managers_screen(
        qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    session = TillSession(demo_till, runner)
    accountant = demo_till.auth.login("accountant1", "3333")
    screen = session.open_manager(accountant)
    qtbot.addWidget(screen)
    assert screen.title_label.text() == "财务：日结与对账"
    assert "店长管理" not in screen.windowTitle()
    assert screen.current_page() is screen.day_page  # 日结 F1, with its report; 对账 F2 beside it
    assert [screen.tabs.tabText(i) for i in range(screen.tabs.count())] == ["日结 F1", "对账 F2", "批次 F3"]
    screen.reject()
    manager = ManagerScreen(demo_till, runner, demo_till.auth.login("manager1", "2222"))
    qtbot.addWidget(manager)
    assert manager.title_label.text() == "店长管理"


def test_window_titles_name_the_app_once(qtbot: Any, qapp: QApplication, window: CheckoutWindow, demo_till: Till,
                                         runner: OpRunner) -> None:
    setup_application(qapp, None)
    login = LoginDialog(demo_till, runner)
    qtbot.addWidget(login)
    for w in (window, login):
        shown = f"{w.windowTitle()} — {qapp.applicationDisplayName()}"  # what the window manager shows
        assert shown.count("连心收银") == 1, shown
    assert window.windowTitle() == "金平湖鲜到家 · 茂县专柜"


# -- 找零 large on the main screen until the next scan; 取单 shows how many sales wait ----------------


def test_change_is_shown_large_in_place_of_the_total_until_the_next_scan(
        qtbot: Any, qapp: QApplication, window: CheckoutWindow) -> None:
    setup_application(qapp, None)  # the style sheet, as at the counter
    scan(qtbot, window, HUAJIAO)
    scan(qtbot, window, HONEY)
    assert window.change_label.isHidden() and window.total_label.isVisible()
    pay_cash(qtbot, window, "200")
    wait_ops(qtbot, window.runner)
    assert window.change_label.isVisible() and window.change_label.text() == "找零 ￥84.00"
    assert window.total_label.isHidden()  # 应收 ￥0.00 would only be in the way
    for label in (window.change_label, window.total_label, window.message):
        label.ensurePolished()
    size = window.change_label.font().pixelSize()
    assert size == window.total_label.font().pixelSize()  # as large as 应收 …
    assert size >= 1.5 * window.message.font().pixelSize()  # … not the status line's size
    scan(qtbot, window, WALNUTS)  # the next customer
    assert window.change_label.isHidden() and window.total_label.text() == "应收 ￥35.00"


def test_the_recall_key_counts_the_held_sales(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    cashier = demo_till.auth.login("cashier1", "1111")
    cart = Cart().add(demo_till.lookup.find(HONEY))
    demo_till.checkout.hold(cart, cashier)  # held before this window opened (e.g. the last shift)
    window = checkout_for(qtbot, demo_till, runner, "cashier1", "1111")
    assert window.recall_button.text() == "取单（1）\nF9"
    scan(qtbot, window, WALNUTS)
    press(qtbot, window, Qt.Key.Key_F8)
    wait_ops(qtbot, window.runner)
    assert window.recall_button.text() == "取单（2）\nF9"
    for n, left in ((1, "取单（1）\nF9"), (2, "取单\nF9")):
        press(qtbot, window, Qt.Key.Key_F9)
        wait_ops(qtbot, window.runner)
        type_enter(qtbot, window.held_dialog.field, str(n))
        wait_ops(qtbot, window.runner)
        assert window.recall_button.text() == left
        pay_cash(qtbot, window, "100")  # the recalled sale is paid; the cart is empty again
        wait_ops(qtbot, window.runner)
    assert window.recall_button.text() == "取单\nF9"
