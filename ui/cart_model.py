"""The cart as a Qt table: 序号, 商品, 数量, 单价, 金额. Read-only; the Cart itself is immutable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from pos.domain.cart import Cart, CartLine
from pos.domain.money import format_yuan

from .i18n import translate

Index = QModelIndex | QPersistentModelIndex

COL_NO, COL_NAME, COL_QTY, COL_PRICE, COL_AMOUNT = range(5)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


def _headers() -> tuple[str, ...]:
    return (translate("CartTableModel", "序号"), translate("CartTableModel", "商品"),
            translate("CartTableModel", "数量"), translate("CartTableModel", "单价"),
            translate("CartTableModel", "金额"))


def unit_price_text(line: CartLine) -> str:
    """``￥28.00``, or ``￥16.80/kg`` for weighed goods (their price is per kilogram)."""
    price = format_yuan(line.product.price_fen, symbol=True)
    return f"{price}/kg" if line.product.weighed else price


def name_text(line: CartLine) -> str:
    p = line.product
    return f"{p.name} {p.variant_label}" if p.variant_label else p.name


class CartTableModel(QAbstractTableModel):
    """A view of one :class:`Cart`; :meth:`set_cart` swaps in the next one."""

    def __init__(self, cart: Cart | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cart = cart or Cart()

    @property
    def cart(self) -> Cart:
        return self._cart

    def set_cart(self, cart: Cart) -> None:
        # Carts are small (at most a few hundred lines): a reset is simple and cheap.
        self.beginResetModel()
        self._cart = cart
        self.endResetModel()

    def line(self, row: int) -> CartLine:
        return self._cart.lines[row]

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._cart.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cart.lines):
            return None
        line = self._cart.lines[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NO:
                return str(index.row() + 1)
            if col == COL_NAME:
                return name_text(line)
            if col == COL_QTY:
                return line.quantity_text
            if col == COL_PRICE:
                return unit_price_text(line)
            if col == COL_AMOUNT:
                return format_yuan(line.amount_fen, symbol=True)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == COL_NO:
                return int(_CENTER)
            return int(_LEFT if col == COL_NAME else _RIGHT)
        if role == Qt.ItemDataRole.ToolTipRole:
            p = line.product
            parts = [p.sku, p.barcode or (f"PLU {p.plu}" if p.plu else ""), p.origin]
            return " · ".join(x for x in parts if x)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < 5:
                return _headers()[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and 0 <= section < 5:
                if section == COL_NO:
                    return int(_CENTER)
                return int(_LEFT if section == COL_NAME else _RIGHT)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
