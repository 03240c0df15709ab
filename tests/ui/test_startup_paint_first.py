"""Paint first: a set-up till shows its login window before the till behind it has opened.

What a cashier notices: the login window (store, counter, users) is there at once; a PIN typed
while the till is still opening waits (正在启动…) and then logs in; a till that cannot open still
ends the start with its plain message; quitting at the login window before the till opened ends
cleanly. A database that is not exactly this program's (missing, not a database, older or newer
schema, never set up) takes the long way, with every check before anything is painted.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from till_ui import journal

from pos.bootstrap import Till
from pos.config import Config
from pos.domain.users import Role
from pos.store.db import NewerDatabase
from ui import app as app_module
from ui.app import run_gui
from ui.checkout import CheckoutWindow
from ui.login import LoginDialog
from ui.startup import head_revisions, peek


@pytest.fixture
def set_up(fresh_till: Till, config: Config, qapp: QApplication) -> Iterator[Config]:
    """A till that has been set up (the demo store) and closed: the next start is a normal one.

    Afterwards the windows run_gui left behind are deleted, as the end of the process would."""
    fresh_till.close()
    yield config
    for w in QApplication.topLevelWidgets():
        if isinstance(w, LoginDialog | CheckoutWindow):
            w.close()
            w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.setQuitOnLastWindowClosed(True)


def test_peek_reads_what_the_login_window_shows(fresh_till: Till, config: Config) -> None:
    first = peek(config)
    assert first is not None
    assert (first.identity.store_name, first.identity.counter_name, first.identity.terminal_id) == \
        (fresh_till.identity.store_name, fresh_till.identity.counter_name, fresh_till.identity.terminal_id)
    assert first.users == fresh_till.auth.users()
    assert Role.CASHIER in {u.role for u in first.users}


def test_anything_but_a_set_up_database_of_this_version_takes_the_long_way(
        tmp_path: Path, fresh_till: Till, config: Config) -> None:
    assert peek(Config(db=str(tmp_path / "none.db"))) is None
    (tmp_path / "list.db").write_bytes(b"this is a shopping list, not a database\n" * 10)
    assert peek(Config(db=str(tmp_path / "list.db"))) is None
    sqlite3.connect(tmp_path / "empty.db").execute("CREATE TABLE t (x)").connection.close()
    assert peek(Config(db=str(tmp_path / "empty.db"))) is None
    with fresh_till.db.writer.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    assert peek(config) is None  # a newer database: refused by open_till, before any window


def test_the_schema_head_is_read_from_the_migration_files() -> None:
    from pos.store.db import _revisions_on_disk  # the store's own view, through alembic's files

    known, heads = _revisions_on_disk()
    assert head_revisions() == heads


_GUARDS: list[QTimer] = []


@pytest.fixture(autouse=True)
def _stop_guards() -> Iterator[None]:
    """A scenario's guard timer dies with its test: left running, it would end a later test's event loop."""
    yield
    while _GUARDS:
        _GUARDS.pop().stop()


class Scenario:
    """Drive run_gui's event loop from timers: ``then(check)`` runs ``check`` once it returns True."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.steps: list[Callable[[], bool]] = []
        self.seen: dict[str, Any] = {}
        guard = QTimer()  # a stuck scenario fails, never hangs
        guard.setSingleShot(True)
        guard.timeout.connect(lambda: app.exit(99))
        guard.start(30_000)
        _GUARDS.append(guard)

    def then(self, step: Callable[[], bool]) -> Scenario:
        self.steps.append(step)
        return self

    def start(self) -> None:
        QTimer.singleShot(0, self._tick)

    def _tick(self) -> None:
        while self.steps and self.steps[0]():
            self.steps.pop(0)
        if self.steps:
            QTimer.singleShot(5, self._tick)


def shown(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if found else None


@pytest.fixture
def held_load(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The till opens only when the test says so (a slow disk, a big catalogue)."""
    release = threading.Event()
    real = app_module.load_till

    def slow_load(cfg: Config, opened: dict[str, Any]) -> Till:
        assert release.wait(20), "the test never let the till open"
        return real(cfg, opened)

    monkeypatch.setattr(app_module, "load_till", slow_load)
    return release


def test_the_login_window_is_there_before_the_till_and_a_quick_pin_waits_for_it(
        qapp: QApplication, set_up: Config, held_load: threading.Event) -> None:
    run = Scenario(qapp)

    def login_painted() -> bool:
        login = shown(LoginDialog)
        if login is None:
            return False
        run.seen["login"] = login
        assert not login.till_ready
        items = [login.users.item(i).text() for i in range(login.users.count())]
        assert any("张小芳（收银员）" in t for t in items) and login.users.isEnabled()
        login.select_login("cashier1")
        login.pin.setText("1111")
        login.submit()  # Enter, faster than the start-up
        assert login.message.text() == "正在启动…"
        assert not login.login_button.isEnabled()
        held_load.set()
        return True

    def checkout_shown() -> bool:
        window = shown(CheckoutWindow)
        if window is None:
            return False
        window.close()  # the cashier closes the till
        return True

    run.then(login_painted).then(checkout_shown).start()
    assert run_gui(set_up, None) == app_module.EXIT_OK
    from pos.bootstrap import open_till

    till = open_till(set_up)
    try:
        logins = journal(till, "login")
        assert logins and logins[-1].payload.get("login") == "cashier1"
    finally:
        till.close()


def test_quitting_at_the_login_before_the_till_opened_ends_cleanly(
        qapp: QApplication, set_up: Config, held_load: threading.Event) -> None:
    run = Scenario(qapp)

    def quit_at_login() -> bool:
        login = shown(LoginDialog)
        if login is None:
            return False
        held_load.set()
        login.reject()  # 退出 Esc
        return True

    run.then(quit_at_login).start()
    assert run_gui(set_up, None) == app_module.EXIT_OK
    assert shown(LoginDialog) is None


def test_a_till_that_cannot_open_behind_the_login_still_says_why(
        qapp: QApplication, set_up: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    shown_errors: list[tuple[str, str]] = []

    def critical(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown_errors.append((title, text))
        return QMessageBox.StandardButton.Ok

    def refused(cfg: Config, opened: dict[str, Any]) -> Till:
        raise NewerDatabase("the database was written by a newer version", message_zh="数据库来自更新版本的连心收银")

    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(app_module, "load_till", refused)
    assert run_gui(set_up, None) == app_module.EXIT_START_FAILED
    [(title, text)] = shown_errors
    assert title == "连心收银无法启动" and "更新版本" in text
    assert shown(LoginDialog) is None
