"""退货 (F10): take goods back, by receipt or — with a manager — without one.

By receipt: scan the receipt's code (it carries the receipt number) or type the number, Enter.
The sale's lines come back with how much of each can still be returned; the cashier sets the
quantity to return per line (weighed goods in kilograms; ↑↓ choose the line, Enter takes the
quantity, Enter in the empty field confirms), and the refund per original tender is planned by the
service as the quantities change. Confirming (F12 确认退货) asks for a manager's PIN when the
cashier's role needs one, then returns the goods; the return receipt is shown and printed, and
Enter (完成) closes. Esc (取消) leaves without a return.

Without a receipt: scan the goods, set quantities; the refund is cash at today's price.

Every lookup, plan and return runs on the writer thread (returns are counted against what the
writer has committed); product scans on the reader thread. What the dialog decides is
:class:`ui.presenters.returns.ReturnsPresenter`'s; the dialog draws it and forwards keys.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
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
from pos.domain.permissions import Approval, ApprovalRequired
from pos.domain.returns import ReturnLine
from pos.domain.sale import Sale
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import User
from pos.services.returns import CompletedReturn, ReturnableLine
from pos.services.scanning import ResolvedPayment, ResolvedProduct

from .approval import ApprovalDialog
from .cart_model import _CENTER, _LEFT, _RIGHT
from .i18n import is_chinese, translate
from .messages import error_text
from .ops import Lane, OpRunner
from .payment import size_for_screen
from .presenters.returns import (  # noqa: F401 - re-exported: callers and tests import them from here
    VOUCHER_REFUND_KINDS,
    GoodsWithoutReceipt,
    Next,
    PlanRequest,
    ReturnQuantities,
    ReturnsPresenter,
    line_name,
    parse_return_quantity,
    quantity_text,
)
from .qtcompat import emit
from .quantity import QuantityDialog
from .receipt_view import ReceiptPaper, paper_lines
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR
from .widgets import NavField, select_row, selected_row, step_selection, touch_table, yuan

Index = QModelIndex | QPersistentModelIndex


def _editable(flags: Qt.ItemFlag) -> Qt.ItemFlag:
    return flags | Qt.ItemFlag.ItemIsEditable


_BASE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _fit_columns(table: Any, stretch: int, columns: int) -> None:
    """Every column as wide as its contents, ``stretch`` taking the rest (no fixed pixel widths)."""
    h = table.horizontalHeader()
    for col in range(columns):
        mode = QHeaderView.ResizeMode.Stretch if col == stretch else QHeaderView.ResizeMode.ResizeToContents
        h.setSectionResizeMode(col, mode)


class ReturnLinesModel(QAbstractTableModel):
    """The receipt's lines: 行, 商品, 售出, 可退, 退货数量 (editable), 退款 (as planned).

    A view of :class:`ReturnQuantities` (the presenter's, or its own when used alone)."""

    COL_NO, COL_NAME, COL_SOLD, COL_LEFT, COL_QTY, COL_REFUND = range(6)
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None, state: ReturnQuantities | None = None) -> None:
        super().__init__(parent)
        self.state = state if state is not None else ReturnQuantities()

    def set_lines(self, lines: list[ReturnableLine]) -> None:
        self.beginResetModel()
        self.state.set_lines(lines)
        self.endResetModel()

    def line(self, row: int) -> ReturnableLine:
        return self.state.line(row)

    def quantities(self) -> dict[int, int]:
        return self.state.quantities()

    def set_quantity(self, row: int, quantity: int) -> bool:
        try:
            self.state.set_quantity(row, quantity)
        except PosError as exc:
            emit(self.refused, error_text(exc))
            return False
        self.changed_all()
        return True

    def set_refunds(self, planned: tuple[ReturnLine, ...]) -> None:
        self.state.set_refunds(planned)
        self.changed_all()

    def changed_all(self) -> None:
        if self.state.lines:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self.state.lines) - 1, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.state.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.state.lines):
            return None
        row = index.row()
        ln = self.state.line(row)
        col = index.column()
        qty = self.state.quantity(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NO:
                return str(ln.line_no)
            if col == self.COL_NAME:
                return line_name(ln)
            if col == self.COL_SOLD:
                return format_quantity(ln.weighed, ln.sold)
            if col == self.COL_LEFT:
                return format_quantity(ln.weighed, ln.returnable) if ln.returnable else "0"
            if col == self.COL_QTY:
                return quantity_text(ln.weighed, qty)
            if col == self.COL_REFUND:
                refund = self.state.refund_of(row)
                return yuan(refund) if refund is not None else ""
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
        if not 0 <= index.row() < len(self.state.lines):
            return False
        try:
            weighed = self.state.line(index.row()).weighed
            qty = value if isinstance(value, int) else parse_return_quantity(weighed, str(value))
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
        if index.column() == self.COL_QTY and self.state.line(index.row()).returnable > 0:
            return _editable(_BASE_FLAGS)
        return _BASE_FLAGS


class NoReceiptLinesModel(QAbstractTableModel):
    """Goods coming back without a receipt: 商品, 数量 (editable), 单价, 退款 (today's price, cash).

    A view of :class:`GoodsWithoutReceipt` (the presenter's, or its own when used alone)."""

    COL_NAME, COL_QTY, COL_PRICE, COL_REFUND = range(4)
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None, state: GoodsWithoutReceipt | None = None) -> None:
        super().__init__(parent)
        self.state = state if state is not None else GoodsWithoutReceipt()

    def items(self) -> list[tuple[Product, int]]:
        return self.state.items()

    def add(self, product: Product, quantity: int) -> int:
        """Add goods (a counted product already listed adds to its row); returns the row."""
        joined = self.state.joins(product)
        if joined is not None:
            self.state.add(product, quantity)
            emit(self.dataChanged, self.index(joined, 0), self.index(joined, 3))
            return joined
        row = len(self.state.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.state.add(product, quantity)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.state.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            self.state.remove(row)
            self.endRemoveRows()

    def product(self, row: int) -> Product:
        return self.state.rows[row][0]

    def set_quantity(self, row: int, quantity: int) -> bool:
        if quantity <= 0:
            self.remove(row)
            return True
        self.state.set_quantity(row, quantity)
        emit(self.dataChanged, self.index(row, 0), self.index(row, 3))
        return True

    @staticmethod
    def refund(product: Product, quantity: int) -> int:
        return GoodsWithoutReceipt.refund(product, quantity)

    def total_fen(self) -> int:
        return self.state.total_fen()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.state.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.state.rows):
            return None
        p, q = self.state.rows[index.row()]
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
        if not 0 <= index.row() < len(self.state.rows):
            return False
        try:
            p = self.state.rows[index.row()][0]
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


def refunds_text(refunds: tuple[Tender, ...] | list[Tender]) -> str:
    from .payment import tender_name

    return " · ".join(f"{tender_name(t.kind)} {yuan(t.amount_fen)}" for t in refunds)


def refund_kind_name(kind: TenderKind) -> str:
    """Where a voucher's share goes back, as the return slip words it in Chinese (现金, 微信支付)."""
    from .payment import tender_name

    return kind.label_zh if is_chinese() else tender_name(kind)


class ReturnDialog(QDialog):
    """退货. :attr:`completed` fires with the :class:`CompletedReturn` once it is journaled."""

    completed = Signal(object)

    def __init__(self, till: Till, runner: OpRunner, cashier: User, *, receipt_no: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnDialog")
        self._till = till
        self._runner = runner
        self._cashier = cashier
        self.presenter = ReturnsPresenter()
        self.approval_dialog: ApprovalDialog | None = None
        self.quantity_dialog: QuantityDialog | None = None
        self.setWindowTitle(self.tr("退货"))
        self.setModal(True)

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
        head = QHBoxLayout()  # the mode buttons share the row with the title: the one checked is bold
        head.addWidget(title, 2)
        head.addWidget(self.by_receipt_button, 1)
        head.addWidget(self.without_receipt_button, 1)

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
            self.voucher_refund.addItem(refund_kind_name(kind), kind.value)
        self.voucher_refund.currentIndexChanged.connect(self._voucher_refund_changed)
        self.voucher_refund_caption.hide()
        self.voucher_refund.hide()
        self.refund_label = QLabel("")
        self.refund_label.setObjectName("refundLabel")
        self.refund_label.setWordWrap(True)
        self.message = QLabel("")
        self.message.setObjectName("returnMessage")
        self.message.setWordWrap(True)

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
        voucher_row = QHBoxLayout()  # its own row: beside the reason it squeezed the placeholder at 1024 px
        voucher_row.addWidget(self.voucher_refund_caption)
        voucher_row.addWidget(self.voucher_refund)
        voucher_row.addStretch(1)
        self.footer = QWidget()
        footer_layout = QVBoxLayout(self.footer)
        footer_layout.setContentsMargins(0, 0, 0, 0)
        footer_layout.addLayout(reason_row)
        footer_layout.addLayout(voucher_row)
        footer_layout.addWidget(self.refund_label)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.footer)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        size_for_screen(self, height_share=0.95)
        self.set_mode(False)
        if receipt_no:
            self.receipt_field.setText(receipt_no)
            self.look_up()

    # -- construction -----------------------------------------------------------------------

    def _qty_row(self, field: NavField, caption: str, extra: list[QPushButton]) -> QVBoxLayout:
        """The quantity field under its caption, its buttons beside it: the field keeps the room its
        placeholder needs (a caption beside it cut the English placeholder short at 1024×768)."""
        col = QVBoxLayout()
        col.setSpacing(2)
        label = QLabel(caption)
        label.setObjectName("fieldCaption")
        col.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(field, 1)
        for b in extra:
            row.addWidget(b)
        col.addLayout(row)
        return col

    def _small_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName("smallButton")  # beside a field: lower than the dialog's main keys, still ≥ 44 px
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

        self.lines_model = ReturnLinesModel(self, self.presenter.by_receipt)
        self.lines_model.refused.connect(self._refused)
        self.lines_table = touch_table(self.lines_model, "returnTable", row_height=44)
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                         | QAbstractItemView.EditTrigger.SelectedClicked)
        self.lines_table.clicked.connect(lambda _index: self.qty_field.setFocus())
        _fit_columns(self.lines_table, ReturnLinesModel.COL_NAME, 6)

        self.qty_field = NavField()
        self.qty_field.setObjectName("qtyField")
        self.qty_field.setMaxLength(10)
        self.qty_field.setPlaceholderText(self.tr("称重商品按千克，回车"))
        self.qty_field.returnPressed.connect(self._qty_entered)
        self.qty_field.move_selection.connect(lambda step: step_selection(self.lines_table, step))
        self.all_line_button = self._small_button(self.tr("本行全退"), self.return_selected_line)
        self.all_button = self._small_button(self.tr("整单全退"), self.return_everything)

        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(top)
        col.addWidget(self.sale_label)
        col.addWidget(self.lines_table, 1)
        col.addLayout(self._qty_row(self.qty_field, self.tr("选中行的退货数量"), [self.all_line_button, self.all_button]))
        return page

    def _build_no_receipt_page(self) -> QWidget:
        page = QWidget()
        note = QLabel(self.tr("无小票退货：按今日售价退现金，需店长授权"))
        note.setWordWrap(True)
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

        self.goods_model = NoReceiptLinesModel(self, self.presenter.goods)
        self.goods_model.refused.connect(self._refused)
        self.goods_model.rowsInserted.connect(self._goods_changed)
        self.goods_model.rowsRemoved.connect(self._goods_changed)
        self.goods_model.dataChanged.connect(self._goods_changed)
        self.goods_model.modelReset.connect(self._goods_changed)
        self.goods_table = touch_table(self.goods_model, "noReceiptTable", row_height=44)
        _fit_columns(self.goods_table, NoReceiptLinesModel.COL_NAME, 4)

        self.goods_qty_field = NavField()
        self.goods_qty_field.setObjectName("qtyField")
        self.goods_qty_field.setMaxLength(10)
        self.goods_qty_field.setPlaceholderText(self.tr("0 为删除，回车"))
        self.goods_qty_field.returnPressed.connect(self._goods_qty_entered)
        self.goods_qty_field.move_selection.connect(lambda step: step_selection(self.goods_table, step))

        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(note)
        col.addLayout(top)
        col.addWidget(self.goods_table, 1)
        col.addLayout(self._qty_row(self.goods_qty_field, self.tr("选中行的数量"), []))
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

    # -- state (the presenter's) ------------------------------------------------------------

    @property
    def without_receipt(self) -> bool:
        return self.presenter.without_receipt

    @property
    def sale(self) -> Sale | None:
        return self.presenter.sale

    @property
    def refunds(self) -> tuple[Tender, ...]:
        return self.presenter.refunds

    @property
    def voucher_refunded(self) -> bool:
        return self.presenter.voucher_refunded

    @property
    def result(self) -> CompletedReturn | None:
        return self.presenter.result

    def _say(self, text: str, color: str = INFO_COLOR) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {color};")

    def _refused(self, text: str) -> None:
        self._say(text, ERROR_COLOR)

    def _field(self) -> QLineEdit:
        """Where the next key belongs: the receipt number until a sale is found, then its quantities;
        without a receipt, the goods."""
        if self.presenter.without_receipt:
            return self.product_field
        return self.qty_field if self.presenter.sale is not None else self.receipt_field

    def _focus(self, field: QLineEdit | None = None) -> None:
        if self.presenter.result is None and self.isVisible() and self.approval_dialog is None \
                and self.quantity_dialog is None:
            (field or self._field()).setFocus(Qt.FocusReason.OtherFocusReason)

    def set_mode(self, without_receipt: bool) -> None:
        if not self.presenter.set_mode(without_receipt):
            return
        self.by_receipt_button.setChecked(not without_receipt)
        self.without_receipt_button.setChecked(without_receipt)
        self.pages.setCurrentIndex(1 if without_receipt else 0)
        self._show_voucher_choice()
        self._say("")
        if without_receipt:
            self.product_field.setFocus()
            self._goods_changed()
        else:
            self.receipt_field.setFocus()
            self._show_refunds()

    def _show_voucher_choice(self) -> None:
        """Where a voucher's share goes back: only for a receipt paid partly by voucher."""
        shown = not self.presenter.without_receipt and self.presenter.has_voucher
        self.voucher_refund_caption.setVisible(shown)
        self.voucher_refund.setVisible(shown)

    def _set_busy(self, busy: bool) -> None:
        self.presenter.busy = busy
        self.confirm_button.setEnabled(not busy)
        self.look_up_button.setEnabled(not busy)

    # -- by receipt -------------------------------------------------------------------------

    def look_up(self) -> None:
        """Enter in the receipt field: the sale and what can still come back (writer thread)."""
        if self.presenter.busy:
            return
        receipt_no = self.presenter.start_lookup(self.receipt_field.text())
        if receipt_no is None:
            self._say(self.tr("请扫描或输入原小票号"), ERROR_COLOR)
            return
        self._set_busy(True)
        self._say(self.tr("正在查询小票…"))
        self._runner.run(Lane.WRITER, partial(self._till.returns.lookup, receipt_no), self._found, self._failed)

    def _found(self, found: tuple[Sale, list[ReturnableLine]]) -> None:
        sale, lines = found
        self.lines_model.beginResetModel()
        first = self.presenter.found(sale, lines)
        self.lines_model.endResetModel()
        self._set_busy(False)
        self.voucher_refund.blockSignals(True)
        self.voucher_refund.setCurrentIndex(0)  # cash, unless the cashier picks another way
        self.voucher_refund.blockSignals(False)
        self._show_voucher_choice()
        paid = " + ".join(f"{self._tender_name(t)} {yuan(t.amount_fen)}" for t in sale.tenders)
        self.sale_label.setText(self.tr("小票 {no} · {day} · 收银员 {cashier} · 应收 {total} · 付款 {paid}").format(
            no=sale.receipt_no, day=sale.business_day, cashier=sale.cashier_name, total=yuan(sale.total_fen),
            paid=paid or "—"))
        if first is None:
            self._say(self.tr("这张小票的商品已全部退货"), ERROR_COLOR)
        else:
            select_row(self.lines_table, first)
            self._say(self.tr("↑↓ 选择商品，输入退货数量后回车；F12 确认退货"))
        self.qty_field.setFocus()
        self._show_refunds()

    def _failed(self, exc: BaseException) -> None:
        self.presenter.lookup_failed()
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
        try:
            self.presenter.set_quantity_text(row, text)
        except PosError as exc:
            self._refused(error_text(exc))
            return False
        self.lines_model.changed_all()
        self._say("")
        self._plan()
        return True

    def _qty_entered(self) -> None:
        entered = self.presenter.enter_quantity(selected_row(self.lines_table), self.qty_field.text())
        if entered.confirm:
            self.confirm()
        elif entered.no_row:
            self._refused(self.tr("请先选择要退的商品（↑↓ 键或点选）"))
        elif entered.error is not None:
            self._refused(error_text(entered.error))
            self.qty_field.selectAll()
        else:
            self.lines_model.changed_all()
            self._say("")
            self._plan()
            self.qty_field.clear()
            if entered.next_row is not None:
                select_row(self.lines_table, entered.next_row)

    def return_selected_line(self) -> None:
        row = selected_row(self.lines_table)
        if row is not None and self.presenter.return_line(row):
            self.lines_model.changed_all()
            self._plan()
        self._focus()

    def return_everything(self) -> None:
        if self.presenter.return_everything():
            self.lines_model.changed_all()
            self._plan()
        self._focus()

    def _plan(self) -> None:
        """Ask the service what the chosen quantities refund, and to which tenders."""
        request = self.presenter.plan_request()
        if request is None:
            self.lines_model.changed_all()
            self._show_refunds()
            return
        self.refund_label.setText(self.tr("正在计算退款…"))
        self._runner.run(Lane.WRITER, partial(self._till.returns.plan, request.receipt_no, request.quantities,
                                              voucher_refund_to=request.voucher_refund_to),
                         partial(self._planned, request.generation), partial(self._plan_failed, request.generation))

    def _voucher_refund_changed(self, _index: int) -> None:
        self.presenter.choose_voucher_refund(TenderKind(self.voucher_refund.currentData() or TenderKind.CASH.value))
        self._plan()
        self._focus()

    def _planned(self, gen: int, plan: Any) -> None:
        """``plan`` is the service's ReturnPlan (lines, refunds, …)."""
        if self.presenter.planned(gen, plan):
            self.lines_model.changed_all()
            self._show_refunds()

    def _plan_failed(self, gen: int, exc: BaseException) -> None:
        if self.presenter.plan_failed(gen):
            self._show_refunds()
            self._refused(error_text(exc))

    def _show_refunds(self) -> None:
        p = self.presenter
        if p.without_receipt:
            return
        if not p.refunds:
            self.refund_label.setText(self.tr("应退 {total}").format(total=yuan(0)))
            return
        total = yuan(p.refund_total())
        if p.voucher_refunded:  # a voucher stays redeemed: its share goes back another way
            self.refund_label.setText(self.tr("应退 {total}：{how}（消费券部分退{to}，其余退回原付款方式）").format(
                total=total, how=refunds_text(p.refunds), to=refund_kind_name(p.voucher_refund_to)))
            return
        self.refund_label.setText(self.tr("应退 {total}：{how}（退回原付款方式）").format(
            total=total, how=refunds_text(p.refunds)))

    # -- without a receipt ------------------------------------------------------------------

    def scan_product(self) -> None:
        code = self.product_field.text().strip()
        self.product_field.clear()
        if not code or self.presenter.busy:
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
        if not self.presenter.without_receipt:
            return
        self.refund_label.setText(self.tr("应退现金 {total}（按今日售价）").format(total=yuan(self.presenter.goods.total_fen())))

    # -- confirming -------------------------------------------------------------------------

    def confirm(self) -> None:
        """F12: do the return; a cashier is asked for a manager's PIN first (by the service)."""
        step = self.presenter.next_step()
        if step is Next.CLOSE:
            self.accept()
        elif step is Next.NO_GOODS:
            self._refused(self.tr("请先扫描要退的商品"))
        elif step is Next.NO_SALE:
            self._refused(self.tr("请先扫描或输入原小票号"))
        elif step is Next.NO_QUANTITIES:
            self._refused(self.tr("请选择要退的商品和数量"))
        elif step is Next.RETURN:
            self._attempt(None)

    def _attempt(self, approval: Approval | None) -> None:
        reason = self.reason.text().strip()
        request = self.presenter.return_request()
        if request.without_receipt:
            fn = partial(self._till.returns.return_without_receipt, request.items, self._cashier,
                         approval=approval, reason=reason)
        else:
            fn = partial(self._till.returns.return_items, request.receipt_no, request.quantities, self._cashier,
                         approval=approval, reason=reason, voucher_refund_to=request.voucher_refund_to)
        self._set_busy(True)
        self._say(self.tr("正在办理退货…"))
        self._runner.run(Lane.WRITER, fn, self._returned, self._return_failed)

    def _return_failed(self, exc: BaseException) -> None:
        self.presenter.return_failed()
        self._set_busy(False)
        if isinstance(exc, ApprovalRequired):
            self._ask_approval(exc)
            return
        self._refused(error_text(exc))
        self._focus()

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
                self.activateWindow()
                self._focus()

        dialog.finished.connect(closed)
        dialog.open()

    def _returned(self, done: CompletedReturn) -> None:
        self._set_busy(False)
        self.presenter.returned(done)
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
        self.done_label.setStyleSheet(f"color: {OK_COLOR};")
        self._say(self.tr("请按上面的方式退款给顾客；退货单正在打印"))
        self.activateWindow()
        self.setFocus(Qt.FocusReason.OtherFocusReason)  # Enter closes (keyPressEvent)
        emit(self.completed, done)

    # -- keys and the window ------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Without a window manager nobody activates a new window: do it, and give the receipt field
        # (or whichever field comes next) the keyboard once the window really exists.
        self.activateWindow()
        self._focus()
        QTimer.singleShot(0, self, self._activate)

    def _activate(self) -> None:
        if self.isVisible() and self.approval_dialog is None and self.quantity_dialog is None:
            self.activateWindow()
            self._focus()

    def keyPressEvent(self, event: Any) -> None:
        if self.result is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            return
        super().keyPressEvent(event)
