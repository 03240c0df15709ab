"""Paint first: the login window drawn before the till has opened sits where every dialog of the till sits
(centred on the counter's screen, within it, with the PIN field taking keys), and once the till is open
a dialog is still kept on the screen and centred."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication, QDialog
from test_startup_paint_first import Scenario, held_load, set_up, shown  # noqa: F401 - fixtures

from pos.config import Config
from ui import app as app_module
from ui.app import run_gui
from ui.login import LoginDialog
from ui.style import target_screen


def test_the_first_login_window_is_centred_and_a_later_dialog_too(
        qapp: QApplication, set_up: Config, held_load: threading.Event) -> None:  # noqa: F811
    run = Scenario(qapp)

    def login_placed() -> bool:
        login = shown(LoginDialog)
        if login is None:
            return False
        area = target_screen(login)
        geo = login.frameGeometry()
        assert area.contains(geo)
        assert abs(geo.center().x() - area.center().x()) <= 2 and abs(geo.center().y() - area.center().y()) <= 2
        assert login.focusWidget() is login.pin
        run.seen["login"] = login
        held_load.set()
        return True

    def dialog_fitted_once_open() -> bool:
        login = run.seen["login"]
        if not login.till_ready:
            return False
        dialog = QDialog()
        dialog.resize(5000, 300)  # wider than any screen
        dialog.show()
        area = target_screen(dialog)
        assert dialog.width() <= area.width() and area.contains(dialog.geometry().center())
        dialog.close()
        login.reject()
        return True

    run.then(login_placed).then(dialog_fitted_once_open).start()
    assert run_gui(set_up, None) == app_module.EXIT_OK
