"""Pieces of the checkout window that only draw: the scan field, the key bar, a label that elides."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QWidget

from .qtcompat import emit


class ScanField(QLineEdit):
    """The scan field: takes keyboard-wedge bursts and typed codes; Up/Down pick a cart line.

    A Chinese IME may commit text here (苹果): that is a search, handed on at once.
    """

    move_selection = Signal(int)
    delete_line = Signal()
    text_committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Scanners type ASCII; the IME stays available for Chinese search text but prefers Latin.
        self.setInputMethodHints(Qt.InputMethodHint.ImhPreferLatin | Qt.InputMethodHint.ImhNoPredictiveText)
        self.setMaxLength(64)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            emit(self.move_selection, -1 if key == Qt.Key.Key_Up else 1)
            return
        if key == Qt.Key.Key_Delete and not self.text():
            emit(self.delete_line)
            return
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        committed = event.commitString()
        super().inputMethodEvent(event)
        # Chinese words are searched at once; full-width digits from an IME (１２３) are still a code
        # being typed and wait for Enter.
        if any(is_han(ch) for ch in committed):
            emit(self.text_committed)


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3134F


class ElidedLabel(QLabel):
    """A one-line label that gives up width first and then ends in "…" (the whole text in its tooltip)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)
        self.setText(text)

    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self.setToolTip(text)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width()))
        super().setText(shown if self.width() > 0 else self._full)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()


class KeyBar(QWidget):
    """The F-key buttons in as many rows as the width needs (two on a wide screen, three or four on a
    1024 px one), with the big 收款 key beside them over all rows."""

    def __init__(self, keys: Sequence[QPushButton], pay: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyBar")
        self._keys = list(keys)
        self._pay = pay
        self._columns = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        grid_box = QWidget()
        grid_box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._grid = QGridLayout(grid_box)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(6)
        for b in self._keys:
            b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        pay.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        row.addWidget(grid_box, 1)
        row.addWidget(pay)
        self._place(max(1, (len(self._keys) + 1) // 2))

    @property
    def columns(self) -> int:
        return self._columns

    @staticmethod
    def _needed(b: QPushButton) -> int:
        """The width ``b``'s caption needs, with the style sheet's padding and border."""
        return b.fontMetrics().boundingRect(0, 0, 10_000, 10_000, 0, b.text()).width() + 16

    def _fit(self, width: int) -> tuple[int, int]:
        """(columns, width of 收款) for ``width``: as few rows as fit (at least two), the rows evened out."""
        gap = self._grid.horizontalSpacing()
        pay = max(self._needed(self._pay), width // (6 if width >= 1200 else 8))
        widest = max((self._needed(b) for b in self._keys), default=1)
        n = len(self._keys)
        fit = max(1, min((n + 1) // 2, (width - pay) // (widest + gap)))
        rows = -(-n // fit)
        return -(-n // rows), pay

    def _place(self, columns: int) -> None:
        for b in self._keys:
            self._grid.removeWidget(b)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 0)
        for i, b in enumerate(self._keys):
            self._grid.addWidget(b, i // columns, i % columns)
        for c in range(columns):
            self._grid.setColumnStretch(c, 1)
        self._columns = columns

    def relayout(self) -> None:
        """Fit the keys to the width again (after a caption changed, or the language)."""
        columns, pay = self._fit(self.width())
        self._pay.setFixedWidth(pay)
        if columns != self._columns:
            self._place(columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout()


__all__ = ["ElidedLabel", "KeyBar", "ScanField", "is_han"]
