"""Cash payment (现金收款): amount due, amount tendered, live change; Enter confirms.

The dialog only collects the tender. Whether it pays the sale is the domain's ``settle`` rule,
asked live for the change shown and again on confirm; the sale is committed by the caller.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.domain.errors import PosError
from pos.domain.money import Fen, format_yuan, parse_yuan
from pos.domain.tenders import Settlement, Tender, TenderKind, settle

from .messages import error_text
from .style import ERROR_COLOR, OK_COLOR

NOTES_FEN = (5_000, 10_000)  # the quick buttons ￥50 and ￥100


def round_up_suggestion(due_fen: Fen) -> Fen:
    """凑整: the next whole ten yuan at or above the amount due (what a customer usually hands over)."""
    step = 1_000
    return -(-due_fen // step) * step


class PaymentDialog(QDialog):
    """After ``accept()``, :attr:`tenders` holds what the customer paid (one cash tender)."""

    def __init__(self, due_fen: Fen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due_fen = due_fen
        self.tenders: list[Tender] = []
        self.settlement: Settlement | None = None
        self.setWindowTitle(self.tr("现金收款"))
        self.setModal(True)
        self.setMinimumWidth(560)

        due_caption = QLabel(self.tr("应收"))
        due_caption.setStyleSheet("font-size: 22px;")
        self.due_label = QLabel(format_yuan(due_fen, symbol=True))
        self.due_label.setObjectName("dueLabel")
        self.due_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        tendered_caption = QLabel(self.tr("实收"))
        tendered_caption.setStyleSheet("font-size: 22px;")
        self.tendered = QLineEdit(format_yuan(due_fen))
        self.tendered.setObjectName("tenderedField")
        self.tendered.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.tendered.setMaxLength(14)
        self.tendered.selectAll()
        self.tendered.textChanged.connect(self._update_change)

        change_caption = QLabel(self.tr("找零"))
        change_caption.setStyleSheet("font-size: 22px;")
        self.change_label = QLabel("")
        self.change_label.setObjectName("changeLabel")
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        grid = QGridLayout()
        grid.addWidget(due_caption, 0, 0)
        grid.addWidget(self.due_label, 0, 1)
        grid.addWidget(tendered_caption, 1, 0)
        grid.addWidget(self.tendered, 1, 1)
        grid.addWidget(change_caption, 2, 0)
        grid.addWidget(self.change_label, 2, 1)
        grid.setColumnStretch(1, 1)

        quick = QHBoxLayout()
        self.round_button = self._quick_button(self.tr("凑整"), round_up_suggestion(due_fen))
        quick.addWidget(self.round_button)
        self.note_buttons = [self._quick_button(format_yuan(n, symbol=True).removesuffix(".00"), n) for n in NOTES_FEN]
        for b in self.note_buttons:
            quick.addWidget(b)

        self.error = QLabel("")
        self.error.setStyleSheet(f"color: {ERROR_COLOR}; font-size: 18px;")
        self.error.setWordWrap(True)

        self.confirm_button = QPushButton(self.tr("确认收款 Enter"))
        self.confirm_button.setObjectName("payButton")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm)
        cancel = QPushButton(self.tr("取消 Esc"))
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm_button, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(quick)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.tendered.setFocus()
        self._update_change()

    def _quick_button(self, text: str, amount_fen: Fen) -> QPushButton:
        b = QPushButton(text)
        b.setAutoDefault(False)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the amount field keeps the keyboard
        b.clicked.connect(lambda: self.set_tendered(amount_fen))
        return b

    def set_tendered(self, amount_fen: Fen) -> None:
        self.tendered.setText(format_yuan(amount_fen))
        self.tendered.setFocus()
        self.tendered.selectAll()

    def _tenders(self) -> list[Tender]:
        return [Tender(TenderKind.CASH, parse_yuan(self.tendered.text()))]

    def _update_change(self) -> None:
        """Change as the cashier types; while the amount does not pay the sale, the domain says why."""
        try:
            s = settle(self.due_fen, self._tenders())
        except PosError as exc:
            self.change_label.setText("—")
            self.change_label.setStyleSheet("color: #9e9e9e;")
            self.error.setText(error_text(exc) if self.tendered.text().strip() else "")
            return
        self.error.setText("")
        self.change_label.setText(format_yuan(s.change_fen, symbol=True))
        self.change_label.setStyleSheet(f"color: {OK_COLOR};")

    def confirm(self) -> None:
        """Accept if the tender pays what is due; otherwise show the domain's refusal and stay."""
        try:
            tenders = self._tenders()
            self.settlement = settle(self.due_fen, tenders)
        except PosError as exc:
            self.error.setText(error_text(exc))
            self.tendered.setFocus()
            self.tendered.selectAll()
            return
        self.tenders = tenders
        self.accept()
