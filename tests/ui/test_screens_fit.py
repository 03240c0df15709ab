"""Every screen at the counter sizes of issue 13 (1024×768, 1366×768, 1920×1080), in Chinese and English:
nothing cut off, nothing off screen, every button big enough for a finger; and the keys always land where
the next key press belongs (login, logout, 交班, lock, leaving the manager screen), with no click.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget
from till_ui import type_enter, wait_ops

from pos.bootstrap import Till
from pos.domain.closing import CashCount
from ui import style
from ui.app import TillSession
from ui.fit import problems
from ui.ops import OpRunner
from ui.screenshots_all import OWN_SCENES, SIZES, Stage, check_scene, screen_size
from ui.style import factor_for, px, scaled, show_main


@pytest.fixture
def stage(qapp: QApplication, demo_till: Till, runner: OpRunner) -> Stage:
    cashier = demo_till.auth.login("cashier1", "1111")
    manager = demo_till.auth.login("manager1", "2222")
    return Stage(qapp, demo_till, runner, cashier, manager)


@pytest.fixture(autouse=True)
def design_screen(qapp: QApplication) -> Iterator[None]:
    yield
    style.set_target_screen(None)
    style.apply_style(qapp)


# -- the fit check itself finds what a person would see ------------------------------------------------


def test_the_fit_check_names_a_cut_off_label_a_small_button_and_a_window_too_big(qtbot: Any) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    col = QVBoxLayout(dialog)
    label = QLabel("Enrolment code from head office, for example ABCD-EFGH-JKLM")
    label.setMinimumWidth(10)
    small = QPushButton("OK")
    small.setStyleSheet("min-height: 20px; max-height: 30px;")
    col.addWidget(label)
    col.addWidget(small)
    dialog.setFixedSize(200, 120)
    dialog.show()
    qtbot.waitExposed(dialog)
    found = problems(dialog, QRect(0, 0, 1024, 768))
    assert any("QLabel “Enrolment code" in p and "cut off" in p for p in found), found
    assert any("QPushButton “OK” is" in p and "under 44 px" in p for p in found), found

    dialog.setFixedSize(1100, 700)
    assert any("does not fit the screen (1024×768)" in p for p in problems(dialog, QRect(0, 0, 1024, 768)))


def test_a_placeholder_wider_than_its_field_is_named(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLineEdit

    w = QWidget()
    qtbot.addWidget(w)
    field = QLineEdit(w)
    field.setPlaceholderText("Scan or type a barcode / PLU / SKU / pinyin")
    field.setGeometry(0, 0, 120, 48)
    w.resize(300, 100)
    w.show()
    qtbot.waitExposed(w)
    assert any("placeholder is cut off" in p for p in problems(w, QRect(0, 0, 1024, 768)))
    field.setText("6945837000172")  # typed text scrolls; only an empty field shows the placeholder
    assert problems(w, QRect(0, 0, 1024, 768)) == []


def test_the_style_scales_with_the_screen_but_keeps_touch_targets() -> None:
    assert factor_for(QRect(0, 0, 1024, 768).size()) == pytest.approx(0.8)
    assert factor_for(QRect(0, 0, 1280, 800).size()) == pytest.approx(1.0)
    assert factor_for(QRect(0, 0, 1920, 1080).size()) == pytest.approx(1.35)
    assert factor_for(QRect(0, 0, 3840, 2160).size()) == pytest.approx(1.5)
    css = "QPushButton { font-size: 20px; min-height: 54px; border: 1px solid; }"
    assert scaled(css, 0.8) == "QPushButton { font-size: 16px; min-height: 44px; border: 1px solid; }"
    assert scaled(css, 1.35) == "QPushButton { font-size: 27px; min-height: 73px; border: 1px solid; }"
    assert scaled("QTabBar::tab:selected { padding: 4px 18px; }", 1.5) == "QTabBar::tab:selected { padding: 6px 27px; }"


# -- every screen of the till's sessions, dialogs and panels, at every size --------------------------


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_fits(stage: Stage, size: tuple[int, int], language: str) -> None:
    found: list[str] = []
    with screen_size(stage.app, size, language):
        assert px(100) == round(100 * factor_for(QRect(0, 0, *size).size()))
        for name in OWN_SCENES:
            found += check_scene(stage, name)
    assert found == []


def test_the_checkout_fills_a_1920_screen_instead_of_a_corner(qtbot: Any, stage: Stage) -> None:
    from ui.checkout import CheckoutWindow

    with screen_size(stage.app, (1920, 1080), "zh_CN"):
        window = CheckoutWindow(stage.till, stage.runner, stage.cashier)
        qtbot.addWidget(window)
        show_main(window, "maximized")
        wait_ops(qtbot, stage.runner)
        assert window.size().width() == 1920 and window.size().height() == 1080
        assert window.pay_button.height() >= 44 * 1.35
        assert problems(window) == []
        window.close()


def test_a_window_setting_that_is_not_a_mode_is_refused_in_plain_words(tmp_path: Any) -> None:
    from pos.config import ConfigError, load_config

    assert load_config(db=tmp_path / "t.db").window == "maximized"
    assert load_config(db=tmp_path / "t.db", window="FullScreen").window == "fullscreen"
    with pytest.raises(ConfigError, match="window must be one of fullscreen, maximized, normal"):
        load_config(db=tmp_path / "t.db", window="kiosk")


# -- focus: the next key press lands where it belongs, no click needed ---------------------------------


def _log_in(qtbot: Any, session: TillSession, login: str, pin: str) -> None:
    qtbot.waitUntil(lambda: session.login is not None)
    dialog = session.login
    assert dialog is not None  # the session deletes it after the login
    wait_ops(qtbot, session.runner)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.pin)
    dialog.select_login(login)
    type_enter(qtbot, dialog.pin, pin)
    qtbot.waitUntil(lambda: session.window is not None or session.manager is not None)
    wait_ops(qtbot, session.runner)


def _keys_go_to(qtbot: Any, widget: QWidget) -> None:
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window() and QApplication.focusWidget() is widget,
                    timeout=5_000)


def test_keys_go_to_the_pin_then_the_scan_field_then_the_pin_after_logout(qtbot: Any, demo_till: Till,
                                                                            runner: OpRunner) -> None:
    session = TillSession(demo_till, runner)
    session.start()
    _log_in(qtbot, session, "cashier1", "1111")
    window = session.window
    assert window is not None  # the session deletes it at logout
    _keys_go_to(qtbot, window.scan_field)

    # 锁屏: the PIN field takes the keys; after the PIN, the scan field again.
    window.lock()
    assert window.lock_overlay is not None
    _keys_go_to(qtbot, window.lock_overlay.pin)
    QApplication.focusWidget().setText("1111")  # typed by a person (keyClicks would look like a scanner)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    wait_ops(qtbot, runner)
    qtbot.waitUntil(lambda: not window.locked)
    _keys_go_to(qtbot, window.scan_field)

    window.ask = lambda question: True  # type: ignore[method-assign]
    window.logout_button.click()
    qtbot.waitUntil(lambda: session.login is not None)
    qtbot.addWidget(session.login)
    _keys_go_to(qtbot, session.login.pin)
    session.login.reject()


def test_after_the_manager_screen_closes_the_pin_takes_the_keys(qtbot: Any, demo_till: Till,
                                                                 runner: OpRunner) -> None:
    session = TillSession(demo_till, runner)
    session.start()
    _log_in(qtbot, session, "accountant1", "3333")
    screen = session.manager
    assert screen is not None  # the session deletes it when it closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen)
    assert screen.isVisible() and screen.size().width() >= 1280  # maximized on the (1280×800) test screen
    screen.reject()
    qtbot.waitUntil(lambda: session.login is not None)
    qtbot.addWidget(session.login)
    _keys_go_to(qtbot, session.login.pin)
    session.login.reject()


def test_after_closing_the_shift_the_next_cashier_can_type_the_pin_at_once(qtbot: Any, fresh_till: Till,
                                                                           runner: OpRunner) -> None:
    fresh_till.shifts.open(fresh_till.auth.login("cashier1", "1111"), CashCount())
    session = TillSession(fresh_till, runner)
    session.start()
    _log_in(qtbot, session, "cashier1", "1111")
    window = session.window
    assert window is not None  # the session deletes it at logout
    window.close_shift()
    qtbot.waitUntil(lambda: window.close_dialog is not None)
    closing = window.close_dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is closing)  # 交班 takes the keys itself
    closing.confirm_button.click()
    closing.confirm_button.click()
    wait_ops(qtbot, runner)
    closing.accept()
    qtbot.waitUntil(lambda: session.login is not None, timeout=5_000)
    qtbot.addWidget(session.login)
    _keys_go_to(qtbot, session.login.pin)
    session.login.reject()
