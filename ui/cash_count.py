"""点钞: the drawer counted by denomination — a row per note and coin (￥100 … ￥0.1), the pieces
typed in, each row's amount and the running total beside it. Enter or ↓ moves down a row, ↑ up.

Used by 开班 (the opening float) and by 交班 (the blind count). Nothing here reads the database.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from pos.domain.closing import DENOMINATIONS_FEN, CashCount
from pos.domain.money import Fen, format_yuan

from .qtcompat import emit
from .style import px
from .widgets import yuan


def denomination_text(fen: int) -> str:
    """``10000 -> ￥100``, ``50 -> ￥0.5``: as the note or coin is printed."""
    whole, frac = divmod(fen, 100)
    return f"￥{whole}" if not frac else "￥" + format_yuan(fen).rstrip("0")


class PiecesField(QLineEdit):
    """Pieces of one denomination: digits only; Enter/↓ and ↑ step to the next/previous row."""

    step = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("piecesField")
        self.setMaxLength(5)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,5}"), self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0")
        self.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            emit(self.step, 1)
            return  # never reaches the dialog's default button
        if key == Qt.Key.Key_Up:
            emit(self.step, -1)
            return
        super().keyPressEvent(event)

    def pieces(self) -> int:
        text = self.text().strip()
        return int(text) if text.isdigit() else 0


class CashCountEditor(QWidget):
    """The count as a grid. ``changed`` on every keystroke; ``finished`` when Enter leaves the last row."""

    changed = Signal()
    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[int, PiecesField] = {}
        self.amount_labels: dict[int, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        for col, caption in enumerate((self.tr("面额"), self.tr("张/枚"), self.tr("金额"))):
            head = QLabel(caption)
            head.setObjectName("gridHeader")
            if col:
                head.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(head, 0, col)
        for row, denom in enumerate(DENOMINATIONS_FEN, start=1):
            label = QLabel(denomination_text(denom))
            label.setObjectName("denomLabel")
            field = PiecesField()
            field.textChanged.connect(self._update)
            field.step.connect(lambda step, i=row - 1: self._step(i, step))
            amount = QLabel(yuan(0))
            amount.setObjectName("denomAmount")
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            amount.setMinimumWidth(px(130))
            grid.addWidget(label, row, 0)
            grid.addWidget(field, row, 1)
            grid.addWidget(amount, row, 2)
            self.fields[denom] = field
            self.amount_labels[denom] = amount
        total_caption = QLabel(self.tr("合计"))
        total_caption.setObjectName("countTotalCaption")
        self.total_label = QLabel(yuan(0))
        self.total_label.setObjectName("countTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        last = len(DENOMINATIONS_FEN) + 1
        grid.addWidget(total_caption, last, 0)
        grid.addWidget(self.total_label, last, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(last + 1, 1)  # extra height goes below the total, not between the rows

    def first_field(self) -> PiecesField:
        return self.fields[DENOMINATIONS_FEN[0]]

    def focus_first(self) -> None:
        self.first_field().setFocus()
        self.first_field().selectAll()

    def _step(self, index: int, step: int) -> None:
        target = index + step
        if target >= len(DENOMINATIONS_FEN):
            emit(self.finished)
            return
        field = self.fields[DENOMINATIONS_FEN[max(0, target)]]
        field.setFocus()
        field.selectAll()

    def _update(self) -> None:
        for denom, field in self.fields.items():
            self.amount_labels[denom].setText(yuan(denom * field.pieces()))
        self.total_label.setText(yuan(self.total_fen))
        emit(self.changed)

    def set_pieces(self, denom: int, pieces: int) -> None:
        self.fields[denom].setText(str(pieces) if pieces else "")

    def count(self) -> CashCount:
        return CashCount.of({d: f.pieces() for d, f in self.fields.items() if f.pieces()})

    @property
    def total_fen(self) -> Fen:
        return sum(d * f.pieces() for d, f in self.fields.items())

    def set_read_only(self, read_only: bool) -> None:
        for field in self.fields.values():
            field.setReadOnly(read_only)
