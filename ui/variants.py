"""款式 size × colour grid: one button per variant with its price; a missing variant is a disabled cell.

Arrow keys move between the cells that exist, Enter (or a tap) picks one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos.bootstrap import Till
from pos.domain.catalog import Product

from .style import px
from .widgets import yuan

# The usual order of clothing and luggage sizes; anything else keeps the catalogue's order after them.
SIZE_ORDER = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "2XL", "XXXL", "3XL", "4XL", "5XL")


def find_variants(till: Till, product: Product) -> list[Product]:
    """Every active variant of ``product``'s style at this store (runs on the reader thread).

    Variants share the style and, in practice, the name; the style text itself is tried too.
    """
    if not product.style:
        return [product]
    found: dict[str, Product] = {}
    for text in (product.name, product.style):
        for p in till.search(text, 200):
            if p.style == product.style:
                found.setdefault(p.sku, p)
    found.setdefault(product.sku, product)
    return list(found.values())


def sort_sizes(sizes: list[str]) -> list[str]:
    """S, M, L, XL … in the usual order; other sizes (20寸, 均码) after them, in the order given."""
    first_seen = {s: i for i, s in enumerate(dict.fromkeys(sizes))}

    def key(size: str) -> tuple[int, int]:
        up = size.upper()
        return (SIZE_ORDER.index(up), 0) if up in SIZE_ORDER else (len(SIZE_ORDER), first_seen[size])

    return sorted(first_seen, key=key)


class VariantDialog(QDialog):
    """After ``accept()``, :attr:`chosen` is the variant picked."""

    def __init__(self, variants: list[Product], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chosen: Product | None = None
        self.variants = list(variants)
        first = self.variants[0]
        self.setWindowTitle(self.tr("选择款式"))
        self.setModal(True)

        self.sizes = sort_sizes([v.size or "" for v in self.variants])
        self.colors = list(dict.fromkeys(v.color or "" for v in self.variants))
        self._by_cell = {(v.color or "", v.size or ""): v for v in self.variants}

        title = QLabel(first.name)
        title.setObjectName("dialogTitle")
        hint = QLabel(self.tr("选择颜色和尺码：方向键移动，Enter 加入，Esc 返回"))
        hint.setStyleSheet("color: #546e7a;")

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        corner = QLabel(self.tr("颜色 / 尺码"))
        corner.setStyleSheet("color: #546e7a;")
        grid.addWidget(corner, 0, 0)
        for c, size in enumerate(self.sizes, start=1):
            head = QLabel(size or self.tr("均码"))
            head.setObjectName("gridHeader")
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(head, 0, c)
        self.buttons: dict[tuple[str, str], QPushButton] = {}
        for r, color in enumerate(self.colors, start=1):
            head = QLabel(color or self.tr("默认"))
            head.setObjectName("gridHeader")
            grid.addWidget(head, r, 0)
            for c, size in enumerate(self.sizes, start=1):
                v = self._by_cell.get((color, size))
                b = QPushButton(yuan(v.price_fen) if v else "—")
                b.setObjectName("variantCell")
                b.setAutoDefault(False)
                b.setMinimumSize(px(128), px(64))
                b.setEnabled(v is not None)
                if v is not None:
                    b.setToolTip(" · ".join(x for x in (v.sku, v.barcode or "") if x))
                    b.clicked.connect(lambda _=False, p=v: self.choose(p))
                    b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                    b.installEventFilter(self)  # arrows move by row and column, not along the tab chain
                self.buttons[(color, size)] = b
                grid.addWidget(b, r, c)

        cancel = QPushButton(self.tr("返回 Esc"))
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addLayout(bottom)
        start = next((k for k, b in self.buttons.items() if b.isEnabled()), None)
        if start is not None:
            self.buttons[start].setFocus()

    def cell(self, color: str, size: str) -> QPushButton:
        return self.buttons[(color, size)]

    def variant(self, color: str, size: str) -> Product | None:
        return self._by_cell.get((color, size))

    def choose(self, product: Product) -> None:
        self.chosen = product
        self.accept()

    def _focused_cell(self) -> tuple[int, int] | None:
        for (color, size), b in self.buttons.items():
            if b.hasFocus():
                return self.colors.index(color), self.sizes.index(size)
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self._move(event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._move(event):
            super().keyPressEvent(event)

    def _move(self, event: QKeyEvent) -> bool:
        """Arrow keys and Enter on the grid; False when the key is not for the grid."""
        moves = {Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0), Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1)}
        key = Qt.Key(event.key())
        at = self._focused_cell()
        if key in moves and at is not None:
            dr, dc = moves[key]
            r, c = at
            while True:  # skip over variants that do not exist
                r, c = r + dr, c + dc
                if not (0 <= r < len(self.colors) and 0 <= c < len(self.sizes)):
                    return True
                b = self.buttons[(self.colors[r], self.sizes[c])]
                if b.isEnabled():
                    b.setFocus()
                    return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and at is not None:
            r, c = at
            v = self._by_cell.get((self.colors[r], self.sizes[c]))
            if v is not None:
                self.choose(v)
            return True
        return False
