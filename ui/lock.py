"""锁屏: after some minutes without input the checkout is covered; the same cashier's PIN (or a
manager's) opens it again. The PIN is checked by ``till.auth.login`` on the writer thread, so
wrong PINs are journaled and lock the person out after five, as at the login.

A keyboard-wedge scanner types into whatever has the focus — here the PIN field. A burst (more
keys than a PIN has, or keys closer together than a person types) followed by Enter is a scan:
it is thrown away, never tried as a PIN.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.users import Role, User

from .messages import error_text
from .ops import Lane, OpRunner
from .qtcompat import emit
from .style import ERROR_COLOR, INFO_COLOR, px, scaled
from .widgets import select_login, selected_login

DEFAULT_LOCK_MINUTES = 5
MAX_PIN_LENGTH = 8

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.InputMethod}


def lock_after_ms_from(till: Till) -> int:
    """The idle time before the lock, from the config (``lock_after_minutes``, default 5)."""
    minutes = getattr(till.config, "lock_after_minutes", DEFAULT_LOCK_MINUTES)
    try:
        return max(0, int(float(minutes) * 60_000))
    except (TypeError, ValueError):
        return DEFAULT_LOCK_MINUTES * 60_000


class IdleWatcher(QObject):
    """Emits :attr:`idle` after ``interval_ms`` without a key, click, wheel or touch anywhere in the
    application. ``interval_ms`` 0 turns it off."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: emit(self.idle))
        self._installed = False
        self.interval_ms = interval_ms

    @property
    def interval_ms(self) -> int:
        return self._interval

    @interval_ms.setter
    def interval_ms(self, ms: int) -> None:
        self._interval = max(0, int(ms))
        self._timer.setInterval(self._interval)
        self.restart()

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.restart()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def restart(self) -> None:
        if self._interval > 0 and self._installed:
            self._timer.start()
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._interval > 0 and self._installed:
            self._timer.start()
        return False


class PinField(QLineEdit):
    """A PIN field that tells a person typing from a scanner's burst. ``submitted`` on Enter after a
    typed PIN; ``scan_ignored`` when what came before Enter was a scan."""

    submitted = Signal()
    scan_ignored = Signal()
    move_selection = Signal(int)

    def __init__(self, max_gap_ms: int = 30, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_gap_ms = max_gap_ms
        self._keys: list[float] = []
        self.setObjectName("pinField")
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(MAX_PIN_LENGTH)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self))

    def looks_scanned(self) -> bool:
        n = len(self._keys)
        if n > MAX_PIN_LENGTH:
            return True  # no PIN is that long: a barcode
        if n >= 4 and self.max_gap_ms > 0:
            gaps = [b - a for a, b in zip(self._keys, self._keys[1:], strict=False)]
            return max(gaps) * 1000 <= self.max_gap_ms
        return False

    def forget(self) -> None:
        self._keys.clear()
        self.clear()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            scanned = self.looks_scanned()
            self._keys.clear()
            if scanned:
                self.clear()
                emit(self.scan_ignored)
            else:
                emit(self.submitted)
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            emit(self.move_selection, -1 if key == Qt.Key.Key_Up else 1)
            return
        if key == Qt.Key.Key_Escape:
            self.forget()
            return
        if event.text() and event.text().isprintable():
            self._keys.append(time.monotonic())
        super().keyPressEvent(event)


class LockOverlay(QFrame):
    """Covers the checkout window: 已锁定, whose till it is, and the PIN to unlock it.

    ``unlocked(User)`` when the cashier's PIN (or a manager's) was right.
    """

    unlocked = Signal(object)

    def __init__(self, till: Till, runner: OpRunner, cashier: User, parent: QWidget) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._cashier = cashier
        self._busy = False
        self.setObjectName("lockOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)

        card = QFrame()
        card.setObjectName("lockCard")
        card.setFixedWidth(px(640))
        title = QLabel(self.tr("已锁定"))
        title.setObjectName("lockTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label = QLabel(self.tr("收银员 {name} 暂时离开").format(name=cashier.display_name))
        self.name_label.setObjectName("lockName")
        self.name_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(self.tr("输入本人密码解锁；也可由店长解锁（↑↓ 选择）。锁定时扫码无效。"))
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet(scaled(f"color: {INFO_COLOR}; font-size: 17px;"))
        self.who = QListWidget()
        self.who.setObjectName("userList")
        self.who.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.who.setMaximumHeight(px(140))
        self._add_person(cashier, self.tr("{name}（本人）").format(name=cashier.display_name))
        self.who.setCurrentRow(0)
        max_gap = int(getattr(till.config, "wedge_max_gap_ms", 30) or 0)
        self.pin = PinField(max_gap)
        self.pin.setPlaceholderText(self.tr("密码"))
        self.pin.submitted.connect(self.submit)
        self.pin.scan_ignored.connect(self._scan_ignored)
        self.pin.move_selection.connect(self._move)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(scaled(f"color: {ERROR_COLOR}; font-size: 18px;"))
        self.message.setMinimumHeight(px(48))

        col = QVBoxLayout(card)
        col.setContentsMargins(28, 24, 28, 24)
        col.setSpacing(12)
        col.addWidget(title)
        col.addWidget(self.name_label)
        col.addWidget(hint)
        col.addWidget(self.who)
        col.addWidget(self.pin)
        col.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self._runner.run(Lane.READER, till.auth.users, self._users_loaded, lambda exc: None)

    def _add_person(self, user: User, text: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, user.login)
        self.who.addItem(item)

    def _users_loaded(self, users: list[User]) -> None:
        for u in users:
            if u.role is Role.MANAGER and u.login != self._cashier.login:
                self._add_person(u, self.tr("{name}（店长）").format(name=u.display_name))

    def _move(self, step: int) -> None:
        row = max(0, min(self.who.count() - 1, self.who.currentRow() + step))
        self.who.setCurrentRow(row)

    def select_login(self, login: str) -> None:
        select_login(self.who, login)

    def selected_login(self) -> str:
        return selected_login(self.who) or self._cashier.login

    def reset(self) -> None:
        self.pin.forget()
        self.message.setText("")
        self.who.setCurrentRow(0)

    def _scan_ignored(self) -> None:
        self.message.setText(self.tr("已锁定：扫码无效，请先解锁"))

    def submit(self) -> None:
        if self._busy:
            return
        pin = self.pin.text()
        if not pin:
            self.message.setText(self.tr("请输入密码"))
            return
        login = self.selected_login()
        self._busy = True
        self.message.setText("")
        auth = self._till.auth
        self._runner.run(Lane.WRITER, lambda: auth.login(login, pin, via="unlock"), self._checked, self._failed)

    def _checked(self, user: User) -> None:
        self._busy = False
        self.pin.forget()
        if user.login != self._cashier.login and user.role is not Role.MANAGER:
            self.message.setText(self.tr("只有 {name} 本人或店长可以解锁").format(name=self._cashier.display_name))
            return
        emit(self.unlocked, user)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.pin.forget()
        self.message.setText(error_text(exc))
        self.pin.setFocus()
