"""店长授权: a manager chooses their name, types the PIN, Enter. The approval is checked and journaled
on the writer thread; the caller retries what was refused with the approval it gets back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
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

from pos.bootstrap import Till
from pos.domain.permissions import Action, Approval, can_approve
from pos.domain.users import User

from .messages import error_text
from .ops import Lane, OpRunner
from .style import ERROR_COLOR, px, scaled
from .widgets import pin_field, select_login, selected_login


class ApprovalDialog(QDialog):
    """Ask a manager for ``action``; after ``accept()``, :attr:`approval` holds their journaled yes."""

    def __init__(self, till: Till, runner: OpRunner, requested_by: User, action: Action, *, reason: str,
                 detail: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._requested_by = requested_by
        self.action = action
        self._detail = detail
        self._busy = False
        self.approval: Approval | None = None
        self.setWindowTitle(self.tr("店长授权"))
        self.setModal(True)
        self.setMinimumWidth(px(520))

        title = QLabel(self.tr("店长授权"))
        title.setObjectName("dialogTitle")
        self.reason = QLabel(reason)
        self.reason.setObjectName("approvalReason")
        self.reason.setWordWrap(True)
        self.detail = QLabel(self.tr("内容：{detail}").format(detail=detail) if detail else "")
        self.detail.setWordWrap(True)
        self.detail.setVisible(bool(detail))

        self.managers = QListWidget()
        self.managers.setObjectName("userList")
        self.managers.addItem(self.tr("正在读取店长名单…"))
        self.managers.setEnabled(False)
        self.managers.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.managers.setMaximumHeight(px(180))

        self.pin = pin_field(self.tr("店长密码"))

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(scaled(f"color: {ERROR_COLOR}; font-size: 17px;"))

        self.ok_button = QPushButton(self.tr("授权 Enter"))
        self.ok_button.setObjectName("payButton")
        self.ok_button.setAutoDefault(False)
        self.ok_button.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("取消 Esc"))
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.reason)
        layout.addWidget(self.detail)
        layout.addWidget(QLabel(self.tr("授权人（↑↓ 选择）")))
        layout.addWidget(self.managers)
        layout.addWidget(QLabel(self.tr("密码")))
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.pin.setFocus()
        self._runner.run(Lane.READER, till.auth.users, self._users_loaded, self._failed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if step is not None and self.managers.isEnabled() and self.managers.count():
            row = max(0, min(self.managers.count() - 1, self.managers.currentRow() + step))
            self.managers.setCurrentRow(row)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()  # never let Enter reach a default button: the PIN check is asynchronous
            return
        super().keyPressEvent(event)

    def _users_loaded(self, users: list[User]) -> None:
        self.managers.clear()
        approvers = [u for u in users if can_approve(u.role, self.action) and u.login != self._requested_by.login]
        for u in approvers:
            item = QListWidgetItem(f"{u.display_name}  {u.login}")
            item.setData(Qt.ItemDataRole.UserRole, u.login)
            self.managers.addItem(item)
        self.managers.setEnabled(bool(approvers))
        if approvers:
            self.managers.setCurrentRow(0)
        else:
            self.message.setText(self.tr("没有可以授权的店长"))
        self.pin.setFocus()

    def select_login(self, login: str) -> None:
        select_login(self.managers, login)

    def selected_login(self) -> str | None:
        return selected_login(self.managers)

    def submit(self) -> None:
        if self._busy:
            return
        login = self.selected_login()
        if login is None:
            self.message.setText(self.tr("请选择授权人"))
            return
        pin = self.pin.text()
        if not pin:
            self.message.setText(self.tr("请输入密码"))
            self.pin.setFocus()
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        self.message.setText("")
        auth, action, who, detail = self._till.auth, self.action, self._requested_by, self._detail
        self._runner.run(Lane.WRITER, lambda: auth.approve(action, login, pin, requested_by=who, detail=detail),
                         self._approved, self._failed)

    def _approved(self, approval: Approval) -> None:
        self._busy = False
        self.approval = approval
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self.message.setText(error_text(exc))
        self.pin.clear()
        self.pin.setFocus()
