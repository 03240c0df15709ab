"""The cart as a Qt table: 序号, 商品, 数量, 单价, 优惠, 金额. Read-only; the Cart itself is immutable.

金额 is what the line charges after its own discount; 优惠 says why it differs from quantity ×
catalogue price (原价 before an override, the line discount). Whole-sale discount and 抹零 are
sale-level and shown in the totals bar. A line's promotions (第二件半价 -￥64.00) are shown in 优惠 too;
basket promotions (满100减10) are named above the total (ui.presenters.promo).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from pos.domain.cart import Cart, CartLine
from pos.domain.money import format_yuan

from .i18n import translate
from .presenters.promo import NO_PROMOTIONS, PromoView
from .qtcompat import emit
from .widgets import discount_label

Index = QModelIndex | QPersistentModelIndex

COL_NO, COL_NAME, COL_QTY, COL_PRICE, COL_DISCOUNT, COL_AMOUNT = range(6)
COLUMNS = 6
_CHANGED = "#e65100"  # an overridden price or a discount: the cashier should see it at a glance
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


def _headers() -> tuple[str, ...]:
    return (translate("CartTableModel", "序号"), translate("CartTableModel", "商品"),
            translate("CartTableModel", "数量"), translate("CartTableModel", "单价"),
            translate("CartTableModel", "优惠"), translate("CartTableModel", "金额"))


def unit_price_text(line: CartLine) -> str:
    """``￥28.00``, or ``￥16.80/kg`` for weighed goods (their price is per kilogram); as charged."""
    price = format_yuan(line.unit_price_fen, symbol=True)
    return f"{price}/kg" if line.product.weighed else price


def name_text(line: CartLine) -> str:
    p = line.product
    return f"{p.name} {p.variant_label}" if p.variant_label else p.name


def discount_text(line: CartLine) -> str:
    """``原价 ￥28.00`` after an override, ``9折 -￥2.80`` for a line discount; empty otherwise."""
    parts = []
    if line.price_fen is not None:
        parts.append(translate("CartTableModel", "原价 {price}").format(
            price=format_yuan(line.product.price_fen, symbol=True)))
    if line.discount is not None:
        parts.append(f"{discount_label(line.discount)} -{format_yuan(line.discount_fen, symbol=True)}")
    return " ".join(parts)


def line_changed(line: CartLine) -> bool:
    return line.price_fen is not None or line.discount is not None


class CartTableModel(QAbstractTableModel):
    """A view of one :class:`Cart`; :meth:`set_cart` swaps in the next one."""

    def __init__(self, cart: Cart | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cart = cart or Cart()
        self._promos: PromoView = NO_PROMOTIONS

    @property
    def promos(self) -> PromoView:
        return self._promos

    def set_promos(self, promos: PromoView) -> None:
        """The promotions on the current cart's lines (worked out with its totals)."""
        if promos == self._promos:
            return
        self._promos = promos
        if self._cart.lines:
            emit(self.dataChanged, self.index(0, COL_DISCOUNT), self.index(len(self._cart.lines) - 1, COL_DISCOUNT))

    def discount_text(self, row: int) -> str:
        """优惠 of line ``row``: the cashier's changes, then the item's promotions."""
        promo = self._promos.line(row)
        text = discount_text(self._cart.lines[row])
        return " ".join(x for x in (text, promo.text if promo is not None else "") if x)

    def changed(self, row: int) -> bool:
        return line_changed(self._cart.lines[row]) or self._promos.line(row) is not None

    @property
    def cart(self) -> Cart:
        return self._cart

    def set_cart(self, cart: Cart) -> None:
        # Carts are small (at most a few hundred lines): a reset is simple and cheap. The promotions
        # follow with the cart's totals (set_promos); until then none are shown.
        self.beginResetModel()
        self._cart = cart
        self._promos = NO_PROMOTIONS
        self.endResetModel()

    def line(self, row: int) -> CartLine:
        return self._cart.lines[row]

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._cart.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMNS

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
            if col == COL_DISCOUNT:
                return self.discount_text(index.row())
            if col == COL_AMOUNT:
                return format_yuan(line.amount_fen, symbol=True)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == COL_NO:
                return int(_CENTER)
            return int(_LEFT if col == COL_NAME else _RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole:
            if (col == COL_PRICE and line.price_fen is not None) or col == COL_DISCOUNT:
                return QColor(_CHANGED)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            p = line.product
            parts = [p.sku, p.barcode or (f"PLU {p.plu}" if p.plu else ""), p.origin]
            if line.label_amount_fen is not None:
                parts.append(translate("CartTableModel", "称重条码 {amount}").format(
                    amount=format_yuan(line.label_amount_fen, symbol=True)))
            return " · ".join(x for x in parts if x)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < COLUMNS:
                return _headers()[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and 0 <= section < COLUMNS:
                if section == COL_NO:
                    return int(_CENTER)
                return int(_LEFT if section == COL_NAME else _RIGHT)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
