"""One value from the cashier: a discount (折扣), a new price (改价), a receipt number (重印).

``apply(text)`` is tried on Enter. A refusal (:class:`PosError`) is shown in the dialog, which stays
open for a correction — except :class:`ApprovalRequired`: then the dialog closes with
:attr:`ValueDialog.needs_approval` set, and the caller asks a manager and retries.

A customer's payment code (scanned, pasted or typed) is never a discount, a price, a quantity or a
receipt number: it is refused in words before ``apply`` sees it, and never shown in full.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos.domain.errors import PosError
from pos.domain.permissions import ApprovalRequired

from .messages import error_text
from .style import ERROR_COLOR, px, scaled
from .widgets import CodeField, payment_code_in


class ValueDialog(QDialog):
    def __init__(self, title: str, caption: str, hint: str, apply: Callable[[str], None], *, initial: str = "",
                 quick: Sequence[tuple[str, str]] = (), max_gap_ms: float = 30.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._apply = apply
        self.value = ""
        self.needs_approval: ApprovalRequired | None = None
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(px(520))

        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(scaled("font-size: 20px;"))
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #546e7a;")
        self.field = CodeField(max_gap_ms=max_gap_ms)  # the till's wedge_max_gap_ms
        self.field.setText(initial)
        self.field.setObjectName("valueField")
        self.field.setMaxLength(40)
        self.field.selectAll()
        self.field.returnPressed.connect(self.confirm)
        self.field.code_arrived.connect(lambda _code: self._refuse_code())

        self.quick_buttons: list[QPushButton] = []
        quick_row = QHBoxLayout()
        for label, text in quick:
            b = QPushButton(label)
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, t=text: self._quick(t))
            self.quick_buttons.append(b)
            quick_row.addWidget(b)

        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(scaled(f"color: {ERROR_COLOR}; font-size: 17px;"))

        self.ok_button = QPushButton(self.tr("确定 Enter"))
        self.ok_button.setObjectName("payButton")
        self.ok_button.setAutoDefault(False)
        self.ok_button.clicked.connect(self.confirm)
        cancel = QPushButton(self.tr("取消 Esc"))
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.caption)
        layout.addWidget(self.field)
        layout.addWidget(self.hint)
        if self.quick_buttons:
            layout.addLayout(quick_row)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.field.setFocus()

    def _quick(self, text: str) -> None:
        self.field.setText(text)
        self.confirm()

    def _refuse_code(self) -> None:
        self.error.setText(self.tr("这是顾客的付款码，不能在这里使用；请在收款（F12）时扫码"))
        self.field.setFocus()
        self.field.selectAll()

    def confirm(self) -> None:
        text = self.field.text()
        if payment_code_in(text) is not None:  # typed by hand: the field shows it, the message does not
            self.field.clear()
            self._refuse_code()
            return
        try:
            self._apply(text)
        except ApprovalRequired as exc:
            self.value = text
            self.needs_approval = exc
            self.accept()
            return
        except PosError as exc:
            self.error.setText(error_text(exc))
            self.field.setFocus()
            self.field.selectAll()
            return
        self.value = text
        self.accept()
