"""登录: choose who you are, type the PIN, Enter. The check runs on the writer thread.

At start-up the window is shown before the till has finished opening (ui/startup.py): it is built
from the store's name and the users list read by ``peek`` and gets the till with :meth:`attach`.
A PIN entered before that waits (正在启动…) and is checked as soon as the till is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.domain.users import Role, User

from .ops import Lane, OpRunner
from .qtcompat import emit
from .style import ERROR_COLOR, px, scaled
from .widgets import pin_field

if TYPE_CHECKING:
    from pos.bootstrap import Till


class LoginDialog(QDialog):
    """After ``accept()``, :attr:`user` is the logged-in user.

    ``LoginDialog(till, runner)`` reads the users on the writer lane. At start-up it is
    ``LoginDialog(None, runner, identity=…, users=…)`` from what ui/startup.py peeked, and the till
    comes later through :meth:`attach`.
    """

    painted = Signal()  # once, when the window has first been drawn (start-up opens the till after that)

    def __init__(self, till: Till | None, runner: OpRunner, parent: QWidget | None = None, *,
                 identity: Any = None, users: Sequence[User] | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self.user: User | None = None
        self._busy = False
        self._waiting: tuple[str, str] | None = None  # login and PIN entered before the till was open
        self._drawn = False
        ident = identity if identity is not None else till.identity  # type: ignore[union-attr]
        self.setWindowTitle(self.tr("登录"))  # the platform adds the application's name
        self.setMinimumSize(px(520), px(560))

        title = QLabel(self.tr("连心收银 · 登录"))
        title.setObjectName("loginTitle")
        where = QLabel(f"{ident.store_name} · {ident.counter_name}    "
                       + self.tr("收银机 {terminal}").format(terminal=ident.terminal_id))
        where.setStyleSheet(scaled("font-size: 17px; color: #37474f;"))

        self.users = QListWidget()
        self.users.setObjectName("userList")
        self.users.addItem(self.tr("正在读取用户…"))
        self.users.setEnabled(False)

        self.pin = pin_field(self.tr("密码（4–8 位数字）"))

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(scaled(f"color: {ERROR_COLOR}; font-size: 17px;"))

        self.login_button = QPushButton(self.tr("登录 Enter"))
        self.login_button.setObjectName("payButton")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.submit)
        quit_button = QPushButton(self.tr("退出 Esc"))
        quit_button.setAutoDefault(False)
        quit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(quit_button)
        buttons.addWidget(self.login_button, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addWidget(QLabel(self.tr("用户")))
        layout.addWidget(self.users, 1)
        layout.addWidget(QLabel(self.tr("密码")))
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.pin.setFocus()
        if users is not None:
            self._users_loaded(list(users))
        elif till is not None:
            self._runner.run(Lane.WRITER, till.auth.users, self._users_loaded, self._failed)

    @property
    def till_ready(self) -> bool:
        return self._till is not None

    def attach(self, till: Till) -> None:
        """The till has opened: a PIN already entered is checked now."""
        if self._till is till:
            return
        self._till = till
        if self.users.count() == 0 or not self.users.isEnabled():
            self._runner.run(Lane.WRITER, till.auth.users, self._users_loaded, self._failed)
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._check(*waiting)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._drawn:
            self._drawn = True
            emit(self.painted)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Up/Down choose the user while the PIN field keeps the keyboard.
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if step is not None and self.users.count():
            row = max(0, min(self.users.count() - 1, self.users.currentRow() + step))
            self.users.setCurrentRow(row)
            return
        super().keyPressEvent(event)

    def role_label(self, role: Role) -> str:
        labels = {Role.CASHIER: self.tr("收银员"), Role.MANAGER: self.tr("店长"),
                  Role.ACCOUNTANT: self.tr("会计"), Role.ADMIN: self.tr("管理员")}
        return labels.get(role, role.label_zh)

    def _users_loaded(self, users: list[User]) -> None:
        self.users.clear()
        for u in users:
            item = QListWidgetItem(f"{u.display_name}（{self.role_label(u.role)}）  {u.login}")
            item.setData(Qt.ItemDataRole.UserRole, u.login)
            self.users.addItem(item)
        self.users.setEnabled(bool(users))
        cashiers = [i for i, u in enumerate(users) if u.role is Role.CASHIER]
        if users:
            self.users.setCurrentRow(cashiers[0] if cashiers else 0)
        self.pin.setFocus()

    def select_login(self, login: str) -> None:
        from .widgets import select_login

        select_login(self.users, login)

    def selected_login(self) -> str | None:
        from .widgets import selected_login

        return selected_login(self.users)

    def submit(self) -> None:
        """Check the PIN on the writer thread (every attempt is journaled)."""
        if self._busy:
            return
        login = self.selected_login()
        if login is None:
            self.message.setText(self.tr("请选择用户"))
            return
        pin = self.pin.text()
        if not pin:
            self.message.setText(self.tr("请输入密码"))
            self.pin.setFocus()
            return
        self._set_busy(True)
        if self._till is None:  # faster than the start-up: checked as soon as the till is open
            self._waiting = (login, pin)
            self.message.setStyleSheet(scaled("color: #37474f; font-size: 17px;"))
            self.message.setText(self.tr("正在启动…"))
            return
        self._check(login, pin)

    def _check(self, login: str, pin: str) -> None:
        self.message.setText("")
        self.message.setStyleSheet(scaled(f"color: {ERROR_COLOR}; font-size: 17px;"))
        auth = self._till.auth  # type: ignore[union-attr]
        self._runner.run(Lane.WRITER, lambda: auth.login(login, pin, via="till"), self._logged_in, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.login_button.setEnabled(not busy)

    def _logged_in(self, user: User) -> None:
        self._set_busy(False)
        self.user = user
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from .messages import error_text

        self._set_busy(False)
        self.message.setText(error_text(exc))
        self.pin.clear()
        self.pin.setFocus()
