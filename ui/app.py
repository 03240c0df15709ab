"""Starting the till: application, font, translator, database, then login and the checkout window.

A normal start paints the login window first (see ui/startup.py): this module and what it imports
at the top are PySide6, the standard library and the domain; the services, SQLAlchemy and the other
windows load behind the login window, on the writer lane.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from pos.domain.users import User

from .i18n import install_language, translate
from .login import LoginDialog
from .ops import Lane, OpRunner
from .qtcompat import emit
from .startup import FirstPaint, load_till, peek
from .style import activate, apply_style, fit_dialogs_on, fit_to_screen, load_fonts, show_main

if TYPE_CHECKING:
    from pos.bootstrap import Till
    from pos.config import Config

    from .accountant import AccountantScreen
    from .checkout import CheckoutWindow
    from .manager import ManagerScreen

log = logging.getLogger("lianxin.ui")

EXIT_OK, EXIT_START_FAILED = 0, 2

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


def setup_application(app: QApplication, language: str | None, *, fit_dialogs: bool = True) -> str:
    """Bundled CJK font as the application font, the style sheet, the translator; returns the language.

    ``fit_dialogs=False`` leaves the dialog fitter for later (:func:`ui.style.fit_dialogs_on`)."""
    app.setApplicationName("LianXin POS")
    app.setDesktopFileName("lianxin-pos")  # the menu entry the taskbar groups the window under
    icon = Path(__file__).resolve().parents[1] / "resources" / "packaging" / "lianxin-pos.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    load_fonts(app)
    lang = install_language(language)
    app.setApplicationDisplayName(translate("app", "连心收银"))
    apply_style(app, fit_dialogs=fit_dialogs)
    return lang


def needs_wizard(cfg: Config, *, demo: bool = False, rebind: bool = False) -> bool:
    """A till started with no database, not asked for the demo nor for a store by name: the 设置向导."""
    return not demo and not rebind and not Path(cfg.db).exists()


def run_wizard(cfg: Config, runner: OpRunner, hardware: object = None) -> Till | None:
    """The first-run wizard, then the till it made or the demo counter it chose; None if cancelled."""
    from .wizard import FirstRunWizard

    wizard = FirstRunWizard(cfg, runner, hardware)  # type: ignore[arg-type]
    wizard.show()
    wizard.raise_()
    wizard.activateWindow()  # keys go to the wizard even with no window manager (a kiosk session)
    wizard.exec()
    return till_from_wizard(wizard, cfg)


def till_from_wizard(wizard: Any, cfg: Config) -> Till | None:
    """What the closed wizard leads to: the till it made, the demo counter opened as ``gui`` (MX) or
    ``gui --store PM`` would open it, or None (cancelled: nothing was written)."""
    if wizard.till is not None:
        return wizard.till
    if wizard.demo_store:
        from pos.services.first_run import demo_config

        return start_till(demo_config(cfg, wizard.demo_store), rebind=True)
    return None


def start_till(cfg: Config, *, rebind: bool = False) -> Till | None:
    """Open the till's database (a new one seeds the demo store). A refusal is a message box, not a traceback.

    ``rebind``: the store was asked for by name (``gui --store PM``), so a database of another store
    is refused instead of opened as it is. This runs before any window exists, so there is no event
    loop to keep responsive yet.
    """
    from pos.bootstrap import open_till

    try:
        if not Path(cfg.db).exists():
            return open_till(cfg, create=True, demo=True, demo_stock=True)
        if rebind:
            return open_till(cfg, create=True, rebind=True)
        return open_till(cfg)
    except Exception as exc:  # PosError (not a database, newer schema …) or a fault, shown the same way
        start_failed(cfg, exc)
        return None


def start_failed(cfg: Config, exc: BaseException) -> None:
    """The till could not open: say why in plain words (with the way out for a damaged or newer database)."""
    from pos.store.db import StoreError

    from .messages import error_text

    advice = ""
    if isinstance(exc, StoreError):  # a damaged, foreign or newer database: name the way out
        from pos.services.backup import startup_advice

        try:
            advice = startup_advice(Path(cfg.db), Path(cfg.backup_dir))
        except Exception:  # the advice is a courtesy; the error itself is still shown
            advice = ""
    QMessageBox.critical(None, translate("app", "连心收银无法启动"), advice or error_text(exc))


class TillSession(QObject):
    """Login, then the checkout window; 退出登录 goes back to login; closing either ends the session.

    Someone who may not sell (会计, 管理员) gets the manager screen instead of the checkout; leaving it
    logs them out. The checkout window itself asks for a shift (开班) when none is open, and logs
    out after 交班 so the next cashier can log in. ``lock_after_ms`` overrides the idle-lock time.
    """

    ended = Signal(int)

    def __init__(self, till: Till, runner: OpRunner, parent: QObject | None = None, *,
                 lock_after_ms: int | None = None) -> None:
        super().__init__(parent)
        self.till = till
        self.runner = runner
        self.lock_after_ms = lock_after_ms
        self.login: LoginDialog | None = None
        self.window: CheckoutWindow | None = None
        self.manager: ManagerScreen | AccountantScreen | None = None  # whoever may not sell: their whole session
        from .session_devices import SessionDevices

        self.devices = SessionDevices(till, runner, self)  # wedge scanner filter, background sync

    def start(self, login: LoginDialog | None = None) -> None:
        """Begin with a new login window, or with ``login``: the one painted before the till had opened."""
        self.devices.start()
        if login is None:
            self.show_login()
        else:
            self._take_login(login)
        # Today's backup, if due, in the background; a failure is logged, never in the cashier's way.
        self.runner.run(Lane.DEVICE, self.till.auto_backup, None,
                        lambda exc: log.warning("daily backup failed: %s", exc))

    def show_login(self) -> None:
        dialog = LoginDialog(self.till, self.runner)
        self._take_login(dialog)
        dialog.show()
        activate(dialog, dialog.pin)  # the PIN takes keys at once, with or without a window manager

    def _take_login(self, dialog: LoginDialog) -> None:
        self.login = dialog
        dialog.accepted.connect(partial(self._logged_in, dialog))
        dialog.rejected.connect(partial(self._end, EXIT_OK))
        dialog.attach(self.till)  # a PIN typed while the till was opening is checked now

    def _logged_in(self, dialog: LoginDialog) -> None:
        user = dialog.user
        dialog.deleteLater()
        self.login = None
        if user is None:
            return
        from .presenters.accountant import session_screen

        where = session_screen(user.role)  # 会计: the accountant's desk (财务报表, with 日结与对账 from there)
        if where == "checkout":
            self.open_checkout(user)
        elif where == "accountant":
            self.open_accountant(user)
        else:
            self.open_manager(user)

    def open_accountant(self, user: User) -> AccountantScreen:
        """会计 · 财务报表 as the whole session; leaving it logs out."""
        from .accountant import AccountantScreen

        screen = AccountantScreen(self.till, self.runner, user, back_text=translate("app", "退出登录"))
        self.manager = screen
        screen.finished.connect(partial(self._manager_closed, screen))
        show_main(screen, self.window_mode)
        return screen

    def open_manager(self, user: User) -> ManagerScreen:
        """The manager screen as the whole session (会计: 日结 and 对账, never the checkout)."""
        from .manager import ManagerScreen

        screen = ManagerScreen(self.till, self.runner, user, back_text=translate("app", "退出登录"))
        self.manager = screen
        screen.finished.connect(partial(self._manager_closed, screen))
        show_main(screen, self.window_mode)
        return screen

    def _manager_closed(self, screen: ManagerScreen | AccountantScreen, _result: int) -> None:
        if screen is self.manager:
            self.manager = None
            screen.deleteLater()
            self.show_login()

    def open_checkout(self, user: User) -> CheckoutWindow:
        from .checkout import CheckoutWindow

        window = CheckoutWindow(self.till, self.runner, user, lock_after_ms=self.lock_after_ms)
        self.window = window
        self.devices.set_window(window)
        window.logout_requested.connect(partial(self._logged_out, window))
        window.closed.connect(partial(self._window_closed, window))
        show_main(window, self.window_mode)
        return window

    @property
    def window_mode(self) -> str:
        """The ``window`` setting: fullscreen (kiosk counter), maximized (desktop) or normal."""
        return str(getattr(self.till.config, "window", "maximized") or "maximized")

    def _logged_out(self, window: CheckoutWindow) -> None:
        self.window = None
        self.devices.set_window(None)
        window.close()  # first, so the login shown next is the one window left to take the keys
        window.deleteLater()
        self.show_login()

    def _window_closed(self, window: CheckoutWindow) -> None:
        if window is self.window:  # closed by the cashier, not by logging out
            self._end(EXIT_OK)

    def _end(self, code: int) -> None:
        self.devices.stop()
        emit(self.ended, code)


def _log_uncaught(hook: ExceptHook) -> ExceptHook:
    """Uncaught exceptions (e.g. in a slot) also go to the till's log file."""

    def excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception in the till", exc_info=(kind, value, tb))
        hook(kind, value, tb)

    return excepthook


def run_gui(cfg: Config, language: str | None, *, rebind: bool = False, demo: bool = False) -> int:
    """Run the till until the cashier quits. Exit status 2 if the database cannot be opened.

    With no database the 设置向导 comes first (cancelling it ends with status 0 and writes nothing);
    ``demo`` (``gui --demo``, ``make run``) opens the demo store directly instead.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    setup_application(app, language or cfg.language, fit_dialogs=False)
    runner = OpRunner()
    first = None if rebind or needs_wizard(cfg, demo=demo, rebind=rebind) else peek(cfg)
    if first is not None:  # the normal start of a set-up till: the login window first, the till behind it
        return _run_painted_first(app, cfg, runner, first)
    fit_dialogs_on(app)
    if needs_wizard(cfg, demo=demo, rebind=rebind):
        try:
            till = run_wizard(cfg, runner)
        except BaseException:
            runner.shutdown()
            raise
        if till is None:
            runner.shutdown()
            return EXIT_OK if not Path(cfg.db).exists() else EXIT_START_FAILED
    else:
        till = start_till(cfg, rebind=rebind)
    if till is None:
        runner.shutdown()
        return EXIT_START_FAILED
    sys.excepthook = _log_uncaught(sys.excepthook)
    app.setQuitOnLastWindowClosed(False)  # between logout and login no window may be open for a moment
    session = TillSession(till, runner)
    session.ended.connect(app.exit)
    session.start()
    try:
        return app.exec()
    finally:
        runner.shutdown()  # a sale still being written is finished first
        till.close()


def _run_painted_first(app: QApplication, cfg: Config, runner: OpRunner, first: FirstPaint) -> int:
    """Show the login window from what :func:`ui.startup.peek` read, open the till on the writer lane
    behind it, then hand the window to the session. A till that cannot open ends the start with the
    same message as before (status 2); quitting before it opened ends it with status 0."""
    sys.excepthook = _log_uncaught(sys.excepthook)
    app.setQuitOnLastWindowClosed(False)
    login = LoginDialog(None, runner, identity=first.identity, users=first.users)
    opened: dict[str, Any] = {}

    def quit_early() -> None:
        app.exit(EXIT_OK)

    def loaded(till: Till) -> None:
        fit_dialogs_on(app)  # every dialog from now on (the login was fitted before it was shown)
        login.rejected.disconnect(quit_early)
        if not login.isVisible():  # quit while the till was opening
            return
        session = TillSession(till, runner)
        session.ended.connect(app.exit)
        opened["session"] = session
        session.start(login)
        log.info("till ready")

    def failed(exc: BaseException) -> None:
        log.warning("the till could not open: %s", exc)
        fit_dialogs_on(app)
        login.rejected.disconnect(quit_early)
        login.hide()
        start_failed(cfg, exc)
        app.exit(EXIT_START_FAILED)

    def open_the_till() -> None:  # once the window is on screen: the loading must not hold up the first paint
        if "loading" not in opened:
            opened["loading"] = True
            runner.run(Lane.WRITER, partial(load_till, cfg, opened), loaded, failed)

    login.rejected.connect(quit_early)
    login.painted.connect(lambda: QTimer.singleShot(0, open_the_till))
    QTimer.singleShot(500, login, open_the_till)  # in case nothing is ever drawn (a hidden or minimised session)
    login.adjustSize()
    fit_to_screen(login)  # what the dialog fitter would do on its Show event: centred, within the screen
    login.show()
    activate(login, login.pin)
    try:
        return app.exec()
    finally:
        opened["loading"] = True  # too late to start now
        runner.shutdown()  # the till still opening, or a sale still being written, is finished first
        till = opened.get("till")
        if till is not None:
            till.close()
