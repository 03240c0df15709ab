"""退货 (F10): take goods back, by receipt or — with a manager — without one.

By receipt: scan the receipt's code (it carries the receipt number) or type the number, Enter.
The sale's lines come back with how much of each can still be returned; the cashier sets the
quantity to return per line (weighed goods in kilograms), and the refund per original tender is
planned by the service as the quantities change. Confirming asks for a manager's PIN when the
cashier's role needs one, then returns the goods; the return receipt is shown and printed.

Without a receipt: scan the goods, set quantities; the refund is cash at today's price.

Every lookup, plan and return runs on the writer thread (returns are counted against what the
writer has committed); product scans on the reader thread.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.cart import format_quantity
from pos.domain.catalog import Product
from pos.domain.errors import PosError
from pos.domain.money import weighed_amount
from pos.domain.permissions import Approval, ApprovalRequired
from pos.domain.quantities import parse_units, parse_weight
from pos.domain.returns import ReturnLine
from pos.domain.sale import Sale
from pos.domain.tenders import SINGLE_USE, Tender, TenderKind
from pos.domain.users import User
from pos.services.returns import CompletedReturn, ReturnableLine
from pos.services.scanning import ResolvedPayment, ResolvedProduct

from .approval import ApprovalDialog
from .cart_model import _CENTER, _LEFT, _RIGHT
from .i18n import translate
from .messages import error_text
from .ops import Lane, OpRunner
from .qtcompat import emit
from .quantity import QuantityDialog
from .receipt_view import ReceiptPaper, paper_lines
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR
from .widgets import NavField, select_row, selected_row, step_selection, touch_table, yuan

Index = QModelIndex | QPersistentModelIndex


def quantity_text(weighed: bool, quantity: int) -> str:
    return format_quantity(weighed, quantity) if quantity else ""


def parse_return_quantity(weighed: bool, text: str) -> int:
    """Kilograms for weighed lines (``0.5`` → 500 g), whole units otherwise; empty means none."""
    text = text.strip()
    if not text:
        return 0
    return parse_weight(text) if weighed else parse_units(text)


def _editable(flags: Qt.ItemFlag) -> Qt.ItemFlag:
    return flags | Qt.ItemFlag.ItemIsEditable


_BASE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class ReturnLinesModel(QAbstractTableModel):
    """The receipt's lines: 行, 商品, 售出, 可退, 退货数量 (editable), 退款 (as planned)."""

    COL_NO, COL_NAME, COL_SOLD, COL_LEFT, COL_QTY, COL_REFUND = range(6)
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[ReturnableLine] = []
        self._qty: dict[int, int] = {}
        self._refund: dict[int, int] = {}

    def set_lines(self, lines: list[ReturnableLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self._qty = {}
        self._refund = {}
        self.endResetModel()

    def line(self, row: int) -> ReturnableLine:
        return self._lines[row]

    def quantities(self) -> dict[int, int]:
        return {no: q for no, q in self._qty.items() if q > 0}

    def check(self, row: int, quantity: int) -> str | None:
        """Why ``quantity`` cannot be returned on ``row`` (None when it can)."""
        ln = self._lines[row]
        if quantity < 0:
            return translate("ReturnLinesModel", "退货数量不能为负")
        if quantity > ln.returnable:
            left = quantity_text(ln.weighed, ln.returnable) or "0"
            return translate("ReturnLinesModel", "{name} 最多还可退 {left}（不能超过售出数量）").format(
                name=ln.name, left=left)
        return None

    def set_quantity(self, row: int, quantity: int) -> bool:
        problem = self.check(row, quantity)
        if problem is not None:
            emit(self.refused, problem)
            return False
        self._qty[self._lines[row].line_no] = quantity
        self._refund = {}
        self._changed_all()
        return True

    def set_refunds(self, planned: tuple[ReturnLine, ...]) -> None:
        self._refund = {ln.orig_line_no: ln.refund_fen for ln in planned if ln.orig_line_no is not None}
        self._changed_all()

    def _changed_all(self) -> None:
        if self._lines:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self._lines) - 1, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        ln = self._lines[index.row()]
        col = index.column()
        qty = self._qty.get(ln.line_no, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NO:
                return str(ln.line_no)
            if col == self.COL_NAME:  # a variant's colour and size tell two 羽绒服 lines apart
                variant = getattr(ln, "variant", None)
                return f"{ln.name} {variant}" if variant else ln.name
            if col == self.COL_SOLD:
                return format_quantity(ln.weighed, ln.sold)
            if col == self.COL_LEFT:
                return format_quantity(ln.weighed, ln.returnable) if ln.returnable else "0"
            if col == self.COL_QTY:
                return quantity_text(ln.weighed, qty)
            if col == self.COL_REFUND:
                refund = self._refund.get(ln.line_no)
                return yuan(refund) if refund is not None and qty else ""
            return None
        if role == Qt.ItemDataRole.EditRole and col == self.COL_QTY:
            return quantity_text(ln.weighed, qty).removesuffix("kg")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (self.COL_NO,):
                return int(_CENTER)
            return int(_LEFT if col == self.COL_NAME else _RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and ln.returnable == 0:
            return Qt.GlobalColor.gray
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.COL_QTY:
            return False
        if not 0 <= index.row() < len(self._lines):
            return False
        try:
            qty = value if isinstance(value, int) else parse_return_quantity(self._lines[index.row()].weighed, str(value))
        except PosError as exc:
            emit(self.refused, error_text(exc))
            return False
        return self.set_quantity(index.row(), qty)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 6 and role == Qt.ItemDataRole.DisplayRole:
            return (translate("ReturnLinesModel", "行"), translate("ReturnLinesModel", "商品"),
                    translate("ReturnLinesModel", "售出"), translate("ReturnLinesModel", "可退"),
                    translate("ReturnLinesModel", "退货数量"), translate("ReturnLinesModel", "退款"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() == self.COL_QTY and self._lines[index.row()].returnable > 0:
            return _editable(_BASE_FLAGS)
        return _BASE_FLAGS


class NoReceiptLinesModel(QAbstractTableModel):
    """Goods coming back without a receipt: 商品, 数量 (editable), 单价, 退款 (today's price, cash)."""

    COL_NAME, COL_QTY, COL_PRICE, COL_REFUND = range(4)
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[Product, int]] = []

    def items(self) -> list[tuple[Product, int]]:
        return [(p, q) for p, q in self._items if q > 0]

    def add(self, product: Product, quantity: int) -> int:
        """Add goods (a counted product already listed adds to its row); returns the row."""
        for i, (p, q) in enumerate(self._items):
            if p.sku == product.sku and not p.weighed:
                self._items[i] = (p, q + quantity)
                emit(self.dataChanged, self.index(i, 0), self.index(i, 3))
                return i
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append((product, quantity))
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._items):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._items[row]
            self.endRemoveRows()

    def product(self, row: int) -> Product:
        return self._items[row][0]

    def set_quantity(self, row: int, quantity: int) -> bool:
        if quantity <= 0:
            self.remove(row)
            return True
        p = self._items[row][0]
        self._items[row] = (p, quantity)
        emit(self.dataChanged, self.index(row, 0), self.index(row, 3))
        return True

    @staticmethod
    def refund(product: Product, quantity: int) -> int:
        return weighed_amount(product.price_fen, quantity) if product.weighed else product.price_fen * quantity

    def total_fen(self) -> int:
        return sum(self.refund(p, q) for p, q in self._items)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        p, q = self._items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NAME:
                return f"{p.name} {p.variant_label}".strip()
            if col == self.COL_QTY:
                return format_quantity(p.weighed, q)
            if col == self.COL_PRICE:
                return f"{yuan(p.price_fen)}/kg" if p.weighed else yuan(p.price_fen)
            if col == self.COL_REFUND:
                return yuan(self.refund(p, q))
            return None
        if role == Qt.ItemDataRole.EditRole and col == self.COL_QTY:
            return format_quantity(p.weighed, q).removesuffix("kg")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_LEFT if col == self.COL_NAME else _RIGHT)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.COL_QTY:
            return False
        if not 0 <= index.row() < len(self._items):
            return False
        try:
            p = self._items[index.row()][0]
            qty = value if isinstance(value, int) else parse_return_quantity(p.weighed, str(value))
        except PosError as exc:
            emit(self.refused, error_text(exc))
            return False
        return self.set_quantity(index.row(), qty)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 4 and role == Qt.ItemDataRole.DisplayRole:
            return (translate("NoReceiptLinesModel", "商品"), translate("NoReceiptLinesModel", "数量"),
                    translate("NoReceiptLinesModel", "单价"), translate("NoReceiptLinesModel", "退款"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _editable(_BASE_FLAGS) if index.column() == self.COL_QTY else _BASE_FLAGS


# Tenders a voucher's share may be refunded to without a reference to type (银联 needs one).
VOUCHER_REFUND_KINDS = (TenderKind.CASH, TenderKind.WECHAT, TenderKind.ALIPAY)


def refunds_text(refunds: tuple[Tender, ...] | list[Tender]) -> str:
    from .payment import tender_name

    return " · ".join(f"{tender_name(t.kind)} {yuan(t.amount_fen)}" for t in refunds)


class ReturnDialog(QDialog):
    """退货. :attr:`completed` fires with the :class:`CompletedReturn` once it is journaled."""

    completed = Signal(object)

    def __init__(self, till: Till, runner: OpRunner, cashier: User, *, receipt_no: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._cashier = cashier
        self._busy = False
        self._plan_generation = 0
        self.sale: Sale | None = None
        self.refunds: tuple[Tender, ...] = ()
        self.voucher_refunded = False  # the planned refund pays a voucher's share in cash
        self.result: CompletedReturn | None = None
        self.approval_dialog: ApprovalDialog | None = None
        self.quantity_dialog: QuantityDialog | None = None
        self.setWindowTitle(self.tr("退货"))
        self.setModal(True)
        self.resize(1000, 720)

        title = QLabel(self.tr("退货"))
        title.setObjectName("dialogTitle")
        self.by_receipt_button = QPushButton(self.tr("凭小票退货"))
        self.without_receipt_button = QPushButton(self.tr("无小票退货"))
        for b in (self.by_receipt_button, self.without_receipt_button):
            b.setCheckable(True)
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setObjectName("modeButton")
        self.by_receipt_button.clicked.connect(lambda: self.set_mode(False))
        self.without_receipt_button.clicked.connect(lambda: self.set_mode(True))
        head = QHBoxLayout()
        head.addWidget(title, 1)
        head.addWidget(self.by_receipt_button)
        head.addWidget(self.without_receipt_button)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_receipt_page())
        self.pages.addWidget(self._build_no_receipt_page())
        self.pages.addWidget(self._build_done_page())

        self.reason = QLineEdit()
        self.reason.setObjectName("reasonField")
        self.reason.setMaxLength(60)
        self.reason.setPlaceholderText(self.tr("退货原因（可不填），如 质量问题"))
        # A voucher is single-use: its share of a refund goes back another way, cash unless picked.
        self.voucher_refund_caption = QLabel(self.tr("消费券部分退"))
        self.voucher_refund = QComboBox()
        self.voucher_refund.setObjectName("voucherRefundTo")
        for kind in VOUCHER_REFUND_KINDS:
            self.voucher_refund.addItem(kind.label_zh, kind.value)
        self.voucher_refund.currentIndexChanged.connect(lambda _i: self._plan())
        self.voucher_refund_caption.hide()
        self.voucher_refund.hide()
        self.refund_label = QLabel("")
        self.refund_label.setObjectName("refundLabel")
        self.refund_label.setWordWrap(True)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(28)

        self.confirm_button = QPushButton(self.tr("确认退货 F12"))
        self.confirm_button.setObjectName("payButton")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button = QPushButton(self.tr("取消 Esc"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.reject)
        self.done_button = QPushButton(self.tr("完成 Enter"))
        self.done_button.setObjectName("payButton")
        self.done_button.setAutoDefault(False)
        self.done_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.done_button.clicked.connect(self.accept)
        self.done_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button, 1)
        buttons.addWidget(self.done_button, 1)
        confirm_key = QAction(self)
        confirm_key.setShortcut(QKeySequence("F12"))
        confirm_key.triggered.connect(self.confirm)
        self.addAction(confirm_key)

        reason_row = QHBoxLayout()
        reason_row.addWidget(QLabel(self.tr("原因")))
        reason_row.addWidget(self.reason, 1)
        reason_row.addWidget(self.voucher_refund_caption)
        reason_row.addWidget(self.voucher_refund)
        self.footer = QWidget()
        footer_layout = QVBoxLayout(self.footer)
        footer_layout.setContentsMargins(0, 0, 0, 0)
        footer_layout.addLayout(reason_row)
        footer_layout.addWidget(self.refund_label)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.footer)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.set_mode(False)
        if receipt_no:
            self.receipt_field.setText(receipt_no)
            self.look_up()

    # -- construction -----------------------------------------------------------------------

    def _qty_row(self, field: NavField, caption: str, extra: list[QPushButton]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(caption))
        row.addWidget(field, 1)
        for b in extra:
            row.addWidget(b)
        return row

    def _small_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        b = QPushButton(text)
        b.setAutoDefault(False)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        return b

    def _build_receipt_page(self) -> QWidget:
        page = QWidget()
        self.receipt_field = NavField()
        self.receipt_field.setObjectName("valueField")
        self.receipt_field.setMaxLength(40)
        self.receipt_field.setPlaceholderText(self.tr("扫描小票上的条码 / 二维码，或输入小票号"))
        self.receipt_field.returnPressed.connect(self.look_up)
        self.receipt_field.move_selection.connect(lambda step: step_selection(self.lines_table, step))
        self.look_up_button = self._small_button(self.tr("查询"), self.look_up)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("小票号")))
        top.addWidget(self.receipt_field, 1)
        top.addWidget(self.look_up_button)

        self.sale_label = QLabel(self.tr("请先扫描或输入原小票号"))
        self.sale_label.setObjectName("saleInfo")
        self.sale_label.setWordWrap(True)

        self.lines_model = ReturnLinesModel(self)
        self.lines_model.refused.connect(self._refused)
        self.lines_table = touch_table(self.lines_model, "returnTable", row_height=42)
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                         | QAbstractItemView.EditTrigger.SelectedClicked)
        self.lines_table.clicked.connect(lambda _index: self.qty_field.setFocus())
        m = ReturnLinesModel
        h = self.lines_table.horizontalHeader()
        h.setSectionResizeMode(m.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((m.COL_NO, 50), (m.COL_SOLD, 100), (m.COL_LEFT, 100), (m.COL_QTY, 110), (m.COL_REFUND, 110)):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.lines_table.setColumnWidth(col, width)

        self.qty_field = NavField()
        self.qty_field.setObjectName("qtyField")
        self.qty_field.setMaxLength(10)
        self.qty_field.setPlaceholderText(self.tr("选中行的退货数量（称重商品按千克），回车"))
        self.qty_field.returnPressed.connect(self._qty_entered)
        self.qty_field.move_selection.connect(lambda step: step_selection(self.lines_table, step))
        self.all_line_button = self._small_button(self.tr("本行全退"), self.return_selected_line)
        self.all_button = self._small_button(self.tr("整单全退"), self.return_everything)

        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(top)
        col.addWidget(self.sale_label)
        col.addWidget(self.lines_table, 1)
        col.addLayout(self._qty_row(self.qty_field, self.tr("退货数量"), [self.all_line_button, self.all_button]))
        return page

    def _build_no_receipt_page(self) -> QWidget:
        page = QWidget()
        note = QLabel(self.tr("无小票退货：按今日售价退现金，需店长授权"))
        note.setStyleSheet(f"color: {ERROR_COLOR};")
        self.product_field = NavField()
        self.product_field.setObjectName("valueField")
        self.product_field.setMaxLength(64)
        self.product_field.setPlaceholderText(self.tr("扫描商品条码 / 称重码，或输入 PLU、货号"))
        self.product_field.returnPressed.connect(self.scan_product)
        self.product_field.move_selection.connect(lambda step: step_selection(self.goods_table, step))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("商品")))
        top.addWidget(self.product_field, 1)

        self.goods_model = NoReceiptLinesModel(self)
        self.goods_model.refused.connect(self._refused)
        self.goods_model.rowsInserted.connect(self._goods_changed)
        self.goods_model.rowsRemoved.connect(self._goods_changed)
        self.goods_model.dataChanged.connect(self._goods_changed)
        self.goods_table = touch_table(self.goods_model, "noReceiptTable", row_height=42)
        m = NoReceiptLinesModel
        h = self.goods_table.horizontalHeader()
        h.setSectionResizeMode(m.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((m.COL_QTY, 120), (m.COL_PRICE, 130), (m.COL_REFUND, 120)):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.goods_table.setColumnWidth(col, width)

        self.goods_qty_field = NavField()
        self.goods_qty_field.setObjectName("qtyField")
        self.goods_qty_field.setMaxLength(10)
        self.goods_qty_field.setPlaceholderText(self.tr("选中行的数量（0 为删除），回车"))
        self.goods_qty_field.returnPressed.connect(self._goods_qty_entered)
        self.goods_qty_field.move_selection.connect(lambda step: step_selection(self.goods_table, step))

        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(note)
        col.addLayout(top)
        col.addWidget(self.goods_table, 1)
        col.addLayout(self._qty_row(self.goods_qty_field, self.tr("数量"), []))
        return page

    def _build_done_page(self) -> QWidget:
        page = QWidget()
        self.done_label = QLabel("")
        self.done_label.setObjectName("doneLabel")
        self.done_label.setWordWrap(True)
        self.paper = ReceiptPaper(self._till.config.columns)
        scroll = QScrollArea()
        scroll.setObjectName("receiptView")
        scroll.setWidget(self.paper)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.done_label)
        col.addWidget(scroll, 1)
        return page

    # -- state ------------------------------------------------------------------------------

    @property
    def without_receipt(self) -> bool:
        return self.pages.currentIndex() == 1

    def _say(self, text: str, color: str = INFO_COLOR) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {color}; font-size: 17px;")

    def _refused(self, text: str) -> None:
        self._say(text, ERROR_COLOR)

    def set_mode(self, without_receipt: bool) -> None:
        if self.result is not None or self._busy:
            return
        self.by_receipt_button.setChecked(not without_receipt)
        self.without_receipt_button.setChecked(without_receipt)
        self.pages.setCurrentIndex(1 if without_receipt else 0)
        self._say("")
        if without_receipt:
            self.product_field.setFocus()
            self._goods_changed()
        else:
            self.receipt_field.setFocus()
            self._show_refunds()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.confirm_button.setEnabled(not busy)
        self.look_up_button.setEnabled(not busy)

    # -- by receipt -------------------------------------------------------------------------

    def look_up(self) -> None:
        """Enter in the receipt field: the sale and what can still come back (writer thread)."""
        if self._busy:
            return
        receipt_no = "".join(self.receipt_field.text().split()).upper()
        if not receipt_no:
            self._say(self.tr("请扫描或输入原小票号"), ERROR_COLOR)
            return
        self._set_busy(True)
        self._say(self.tr("正在查询小票…"))
        self._runner.run(Lane.WRITER, partial(self._till.returns.lookup, receipt_no), self._found, self._failed)

    def _found(self, found: tuple[Sale, list[ReturnableLine]]) -> None:
        self._set_busy(False)
        sale, lines = found
        self.sale = sale
        self.refunds = ()
        self.lines_model.set_lines(lines)
        has_voucher = any(t.kind in SINGLE_USE for t in sale.tenders)
        self.voucher_refund.setCurrentIndex(0)  # cash, unless the cashier picks another way
        self.voucher_refund_caption.setVisible(has_voucher)
        self.voucher_refund.setVisible(has_voucher)
        paid = " + ".join(f"{self._tender_name(t)} {yuan(t.amount_fen)}" for t in sale.tenders)
        self.sale_label.setText(self.tr("小票 {no} · {day} · 收银员 {cashier} · 应收 {total} · 付款 {paid}").format(
            no=sale.receipt_no, day=sale.business_day, cashier=sale.cashier_name, total=yuan(sale.total_fen),
            paid=paid or "—"))
        first = next((i for i, ln in enumerate(lines) if ln.returnable > 0), None)
        if first is None:
            self._say(self.tr("这张小票的商品已全部退货"), ERROR_COLOR)
        else:
            select_row(self.lines_table, first)
            self._say(self.tr("↑↓ 选择商品，输入退货数量后回车；F12 确认退货"))
        self.qty_field.setFocus()
        self._show_refunds()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._refused(error_text(exc))
        self.receipt_field.setFocus()
        self.receipt_field.selectAll()

    @staticmethod
    def _tender_name(t: Tender) -> str:
        from .payment import tender_name

        return tender_name(t.kind)

    def set_quantity(self, row: int, text: str) -> bool:
        """The quantity to return on ``row`` as typed (kilograms for weighed lines)."""
        if self.sale is None or not 0 <= row < self.lines_model.rowCount():
            return False
        try:
            qty = parse_return_quantity(self.lines_model.line(row).weighed, text)
        except PosError as exc:
            self._refused(error_text(exc))
            return False
        if not self.lines_model.set_quantity(row, qty):
            return False
        self._say("")
        self._plan()
        return True

    def _qty_entered(self) -> None:
        text = self.qty_field.text()
        if not text.strip():
            self.confirm()
            return
        row = selected_row(self.lines_table)
        if row is None:
            self._refused(self.tr("请先选择要退的商品（↑↓ 键或点选）"))
            return
        if self.set_quantity(row, text):
            self.qty_field.clear()
            nxt = next((r for r in range(row + 1, self.lines_model.rowCount())
                        if self.lines_model.line(r).returnable > 0), None)
            if nxt is not None:
                select_row(self.lines_table, nxt)
        else:
            self.qty_field.selectAll()

    def return_selected_line(self) -> None:
        row = selected_row(self.lines_table)
        if row is not None and self.sale is not None:
            ln = self.lines_model.line(row)
            if self.lines_model.set_quantity(row, ln.returnable):
                self._plan()

    def return_everything(self) -> None:
        if self.sale is None:
            return
        for row in range(self.lines_model.rowCount()):
            self.lines_model.set_quantity(row, self.lines_model.line(row).returnable)
        self._plan()

    def _plan(self) -> None:
        """Ask the service what the chosen quantities refund, and to which tenders."""
        self._plan_generation += 1
        gen = self._plan_generation
        self.refunds = ()
        quantities = self.lines_model.quantities()
        if self.sale is None or not quantities:
            self._show_refunds()
            return
        self.refund_label.setText(self.tr("正在计算退款…"))
        self._runner.run(Lane.WRITER, partial(self._till.returns.plan, self.sale.receipt_no, quantities,
                                              voucher_refund_to=self.voucher_refund_kind()),
                         partial(self._planned, gen), partial(self._plan_failed, gen))

    def voucher_refund_kind(self) -> TenderKind:
        """How the cashier chose to refund a voucher's share (cash unless changed)."""
        return TenderKind(self.voucher_refund.currentData() or TenderKind.CASH.value)

    def _planned(self, gen: int, plan: Any) -> None:
        """``plan`` is the service's ReturnPlan (lines, refunds, …); an older service gave a pair."""
        if gen != self._plan_generation:
            return
        lines, refunds = (plan.lines, plan.refunds) if hasattr(plan, "refunds") else plan
        self.refunds = refunds
        self.voucher_refunded = bool(any(getattr(plan, "instead_of", ()) or ()))
        self.lines_model.set_refunds(lines)
        self._show_refunds()

    def _plan_failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._plan_generation:
            return
        self.refunds = ()
        self._show_refunds()
        self._refused(error_text(exc))

    def _show_refunds(self) -> None:
        if self.without_receipt:
            return
        if not self.refunds:
            self.refund_label.setText(self.tr("应退 {total}").format(total=yuan(0)))
            return
        total = sum(t.amount_fen for t in self.refunds)
        if self.voucher_refunded:  # a voucher stays redeemed: its share goes back in cash
            self.refund_label.setText(self.tr("应退 {total}：{how}（消费券部分退{to}，其余退回原付款方式）").format(
                total=yuan(total), how=refunds_text(self.refunds), to=self.voucher_refund_kind().label_zh))
            return
        self.refund_label.setText(self.tr("应退 {total}：{how}（退回原付款方式）").format(
            total=yuan(total), how=refunds_text(self.refunds)))

    # -- without a receipt ------------------------------------------------------------------

    def scan_product(self) -> None:
        code = self.product_field.text().strip()
        self.product_field.clear()
        if not code or self._busy:
            return
        self._runner.run(Lane.READER, partial(self._till.scan, code), self._scanned, self._refused_exc)

    def _refused_exc(self, exc: BaseException) -> None:
        self._refused(error_text(exc))

    def _scanned(self, found: object) -> None:
        if isinstance(found, ResolvedPayment):
            self._refused(self.tr("这是付款码，不是商品条码"))
            return
        if not isinstance(found, ResolvedProduct):
            self._refused(self.tr("请扫描商品条码或输入 PLU / 货号"))
            return
        product = found.product
        if found.quantity is None:
            def add(grams: int) -> None:
                self._add_goods(product, grams)

            dialog = QuantityDialog(product, add, parent=self)
            self.quantity_dialog = dialog

            def closed(_result: int) -> None:
                self.quantity_dialog = None
                dialog.deleteLater()
                self.product_field.setFocus()

            dialog.finished.connect(closed)
            dialog.open()
            return
        self._add_goods(product, found.quantity)

    def _add_goods(self, product: Product, quantity: int) -> None:
        row = self.goods_model.add(product, quantity)
        select_row(self.goods_table, row)
        self._say(self.tr("已加入：{name} × {qty}").format(
            name=product.name, qty=format_quantity(product.weighed, quantity)))

    def _goods_qty_entered(self) -> None:
        text = self.goods_qty_field.text()
        if not text.strip():
            self.confirm()
            return
        row = selected_row(self.goods_table)
        if row is None:
            self._refused(self.tr("请先选择商品（↑↓ 键或点选）"))
            return
        index = self.goods_model.index(row, NoReceiptLinesModel.COL_QTY)
        if self.goods_model.setData(index, text):
            self.goods_qty_field.clear()
            self._say("")

    def _goods_changed(self, *_args: object) -> None:
        if not self.without_receipt:
            return
        self.refund_label.setText(self.tr("应退现金 {total}（按今日售价）").format(total=yuan(self.goods_model.total_fen())))

    # -- confirming -------------------------------------------------------------------------

    def confirm(self) -> None:
        """F12: do the return; a cashier is asked for a manager's PIN first (by the service)."""
        if self._busy or self.result is not None:
            if self.result is not None:
                self.accept()
            return
        if self.without_receipt:
            items = self.goods_model.items()
            if not items:
                self._refused(self.tr("请先扫描要退的商品"))
                return
            self._attempt(None)
            return
        if self.sale is None:
            self._refused(self.tr("请先扫描或输入原小票号"))
            return
        if not self.lines_model.quantities():
            self._refused(self.tr("请选择要退的商品和数量"))
            return
        self._attempt(None)

    def _attempt(self, approval: Approval | None) -> None:
        reason = self.reason.text().strip()
        cashier = self._cashier
        if self.without_receipt:
            fn = partial(self._till.returns.return_without_receipt, self.goods_model.items(), cashier,
                         approval=approval, reason=reason)
        else:
            assert self.sale is not None
            fn = partial(self._till.returns.return_items, self.sale.receipt_no, self.lines_model.quantities(), cashier,
                         approval=approval, reason=reason, voucher_refund_to=self.voucher_refund_kind())
        self._set_busy(True)
        self._say(self.tr("正在办理退货…"))
        self._runner.run(Lane.WRITER, fn, self._returned, self._return_failed)

    def _return_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ApprovalRequired):
            self._ask_approval(exc)
            return
        self._refused(error_text(exc))

    def _ask_approval(self, exc: ApprovalRequired) -> None:
        detail = self.tr("无小票") if self.without_receipt or self.sale is None else self.sale.receipt_no
        dialog = ApprovalDialog(self._till, self._runner, self._cashier, exc.action, reason=error_text(exc),
                                detail=detail, parent=self)
        self.approval_dialog = dialog
        self._say(error_text(exc), ERROR_COLOR)

        def closed(result: int) -> None:
            self.approval_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted and dialog.approval is not None:
                self._attempt(dialog.approval)
            else:
                self._say(self.tr("未获授权，退货未办理"), ERROR_COLOR)

        dialog.finished.connect(closed)
        dialog.open()

    def _returned(self, done: CompletedReturn) -> None:
        self._set_busy(False)
        self.result = done
        ret = done.ret
        self.pages.setCurrentIndex(2)
        self.footer.hide()
        self.by_receipt_button.setEnabled(False)
        self.without_receipt_button.setEnabled(False)
        self.confirm_button.hide()
        self.cancel_button.hide()
        self.done_button.show()
        cfg = self._till.config
        self.paper.set_lines(paper_lines(done.receipt, cfg.columns, cfg.encoding))
        self.done_label.setText(self.tr("退货完成  退货单 {no}  退款 {total}：{how}").format(
            no=ret.return_no, total=yuan(ret.refund_fen), how=refunds_text(ret.refunds)))
        self.done_label.setStyleSheet(f"color: {OK_COLOR}; font-size: 20px; font-weight: bold;")
        self._say(self.tr("请按上面的方式退款给顾客；退货单正在打印"))
        emit(self.completed, done)

    def keyPressEvent(self, event: Any) -> None:
        if self.result is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            return
        super().keyPressEvent(event)
