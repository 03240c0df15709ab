"""收银: the checkout window. Scan, adjust the cart, take cash, show the receipt — keyboard first.

Every lookup, write and print goes through the :class:`OpRunner`; this window only turns keys
into ops and results into what the cashier sees. Scan results are applied strictly in the order
they were scanned, and never while a dialog is asking something about the cart or a sale is
being committed: they wait in a queue and are applied when the window is free again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.catalog import Product
from pos.domain.errors import PosError
from pos.domain.money import format_yuan
from pos.domain.receipt import Receipt
from pos.domain.tenders import Tender
from pos.domain.users import User
from pos.services.checkout import CompletedSale
from pos.services.receipts import PrintResult

from .cart_model import COL_AMOUNT, COL_NAME, COL_NO, COL_PRICE, COL_QTY, CartTableModel
from .messages import error_text, print_failure_text, print_text
from .ops import Lane, OpRunner
from .payment import PaymentDialog
from .qtcompat import emit
from .quantity import QuantityDialog
from .receipt_view import ReceiptPaper, paper_lines, receipt_text
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What one scan turned into: a product, or the refusal to show."""

    code: str
    product: Product | None = None
    error: BaseException | None = None


class ScanField(QLineEdit):
    """The scan field: takes keyboard-wedge bursts and typed codes; Up/Down pick a cart line."""

    move_selection = Signal(int)
    delete_line = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Scanners type ASCII; an input method would swallow or split a burst.
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
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


def _print_receipt(till: Till, receipt: Receipt) -> PrintResult:
    """Runs on the device thread: the printer is built on first use, then the receipt is sent."""
    return till.receipts.print(receipt)


class CheckoutWindow(QMainWindow):
    """The till's main window for one logged-in cashier."""

    logout_requested = Signal()
    closed = Signal()
    sale_completed = Signal(object)  # CompletedSale, after the commit
    print_finished = Signal(object)  # PrintResult, or the exception that stopped printing

    def __init__(self, till: Till, runner: OpRunner, cashier: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._cashier = cashier
        self.model = CartTableModel(parent=self)
        self._results: deque[ScanOutcome] = deque()
        self._in_flight = 0  # lookups submitted, not yet answered
        self._hold = 0  # dialogs open or a sale being committed: scan results wait
        self._committing = False
        self._pay_requested = False
        self.last_sale: CompletedSale | None = None
        self.receipt_text = ""  # the last receipt as it prints (plain text)
        self.payment_dialog: PaymentDialog | None = None
        self.quantity_dialog: QuantityDialog | None = None

        ident = till.identity
        self.setWindowTitle(self.tr("连心收银 — {store} · {counter}").format(
            store=ident.store_name, counter=ident.counter_name))
        self._build_actions()
        self.setCentralWidget(self._build_body())
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()
        self._refresh()
        self.show_info(self.tr("请扫码或输入条码 / PLU，回车加入"))
        self.scan_field.setFocus()

    # -- construction -----------------------------------------------------------------------

    def _action(self, text: str, key: QKeySequence | str | None, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.act_quantity = self._action(self.tr("数量"), "F4", self.change_quantity)
        self.act_delete = self._action(self.tr("删除"), QKeySequence(Qt.Key.Key_Delete), self.remove_line)
        self.act_clear = self._action(self.tr("清空"), None, self.clear_cart)
        self.act_pay = self._action(self.tr("现金收款"), "F12", self.pay_cash)
        self.act_logout = self._action(self.tr("退出登录"), None, self.log_out)

    def _button(self, action: QAction, key: str | None, name: str | None = None) -> QPushButton:
        b = QPushButton(f"{action.text()}\n{key}" if key else action.text())
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keyboard
        b.setAutoDefault(False)
        if name:
            b.setObjectName(name)
        b.clicked.connect(action.trigger)
        action.enabledChanged.connect(b.setEnabled)
        return b

    def _build_header(self) -> QWidget:
        ident = self._till.identity
        header = QFrame()
        header.setObjectName("header")
        self.store_label = QLabel(f"{ident.store_name} · {ident.counter_name}")
        self.store_label.setObjectName("storeLabel")
        self.terminal_label = QLabel(self.tr("收银机 {terminal}").format(terminal=ident.terminal_id))
        self.cashier_label = QLabel(self.tr("收银员 {name}").format(name=self._cashier.display_name))
        self.clock_label = QLabel("")
        row = QHBoxLayout(header)
        row.setContentsMargins(16, 8, 16, 8)
        row.addWidget(self.store_label)
        row.addStretch(1)
        for w in (self.terminal_label, self.cashier_label, self.clock_label):
            row.addSpacing(24)
            row.addWidget(w)
        return header

    def _build_cart_side(self) -> QWidget:
        self.scan_field = ScanField()
        self.scan_field.setObjectName("scanField")
        self.scan_field.setPlaceholderText(self.tr("扫描或输入条码 / PLU / 货号"))
        self.scan_field.returnPressed.connect(self.submit_scan)
        self.scan_field.move_selection.connect(self.move_selection)
        self.scan_field.delete_line.connect(self.act_delete.trigger)
        scan_label = QLabel(self.tr("条码"))
        scan_label.setObjectName("scanLabel")
        scan_row = QHBoxLayout()
        scan_row.addWidget(scan_label)
        scan_row.addWidget(self.scan_field, 1)

        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        self.table = QTableView()
        self.table.setObjectName("cartTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # tap to select; the keyboard stays in the scan field
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_NO, 56), (COL_QTY, 110), (COL_PRICE, 150), (COL_AMOUNT, 130)):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, width)

        totals = QFrame()
        totals.setObjectName("totalsBar")
        self.count_label = QLabel("")
        self.count_label.setObjectName("countLabel")
        self.total_label = QLabel("")
        self.total_label.setObjectName("totalLabel")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        trow = QHBoxLayout(totals)
        trow.setContentsMargins(16, 4, 16, 4)
        trow.addWidget(self.count_label)
        trow.addStretch(1)
        trow.addWidget(self.total_label)

        side = QWidget()
        col = QVBoxLayout(side)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(scan_row)
        col.addWidget(self.message)
        col.addWidget(self.table, 1)
        col.addWidget(totals)
        return side

    def _build_receipt_side(self) -> QWidget:
        title = QLabel(self.tr("上一单小票"))
        title.setObjectName("receiptTitle")
        self.receipt_no_label = QLabel(self.tr("暂无"))
        self.receipt_no_label.setObjectName("receiptNo")
        self.receipt_no_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receipt_paper = ReceiptPaper(self._till.config.columns)
        self.receipt_scroll = QScrollArea()
        self.receipt_scroll.setObjectName("receiptView")
        self.receipt_scroll.setWidget(self.receipt_paper)
        self.receipt_scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.receipt_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.receipt_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.print_status = QLabel("")
        self.print_status.setObjectName("printStatus")
        self.print_status.setWordWrap(True)
        side = QWidget()
        col = QVBoxLayout(side)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(title)
        col.addWidget(self.receipt_no_label)
        col.addWidget(self.receipt_scroll, 1)
        col.addWidget(self.print_status)
        # Wide enough for the whole roll (32 or 48 columns) plus a scroll bar.
        side.setFixedWidth(max(360, self.receipt_paper.paper_width() + 24))
        return side

    def _build_buttons(self) -> QWidget:
        self.quantity_button = self._button(self.act_quantity, "F4")
        self.delete_button = self._button(self.act_delete, "Del")
        self.clear_button = self._button(self.act_clear, None, "dangerButton")
        self.logout_button = self._button(self.act_logout, None)
        self.pay_button = self._button(self.act_pay, "F12", "payButton")
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        for b in (self.quantity_button, self.delete_button, self.clear_button, self.logout_button):
            b.setMinimumWidth(120)
            row.addWidget(b)
        row.addStretch(1)
        self.pay_button.setMinimumWidth(320)
        row.addWidget(self.pay_button)
        return bar

    def _build_body(self) -> QWidget:
        body = QWidget()
        main = QVBoxLayout(body)
        main.setContentsMargins(0, 0, 0, 0)
        main.setSpacing(0)
        main.addWidget(self._build_header())
        content = QWidget()
        grid = QVBoxLayout(content)
        grid.setContentsMargins(12, 10, 12, 12)
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(self._build_cart_side(), 1)
        middle.addWidget(self._build_receipt_side())
        grid.addLayout(middle, 1)
        grid.addWidget(self._build_buttons())
        main.addWidget(content, 1)
        return body

    # -- state shown ------------------------------------------------------------------------

    @property
    def cart(self) -> Cart:
        return self.model.cart

    @property
    def runner(self) -> OpRunner:
        return self._runner

    @property
    def committing(self) -> bool:
        return self._committing

    def _tick(self) -> None:
        self.clock_label.setText(self._till.identity.shown_time(self._till.clock.now()))

    def _set_cart(self, cart: Cart, select: int | None = None) -> None:
        self.model.set_cart(cart)
        if select is not None and 0 <= select < len(cart.lines):
            self.select_row(select)
        self._refresh()

    def _refresh(self) -> None:
        cart = self.cart
        self.count_label.setText(self.tr("件数 {n}").format(n=cart.item_count))
        due = self._till.checkout.totals(cart).total_fen  # with the store's 抹零 (a cached setting)
        self.total_label.setText(self.tr("合计 {total}").format(total=format_yuan(due, symbol=True)))
        has_lines = not cart.is_empty()
        free = not self._committing
        self.act_pay.setEnabled(free)
        self.act_logout.setEnabled(free)
        for a in (self.act_quantity, self.act_delete, self.act_clear):
            a.setEnabled(free and has_lines)

    def _say(self, text: str, color: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {color};")

    def show_error(self, text: str) -> None:
        self._say(text, ERROR_COLOR)

    def show_ok(self, text: str) -> None:
        self._say(text, OK_COLOR)

    def show_info(self, text: str) -> None:
        self._say(text, INFO_COLOR)

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def move_selection(self, step: int) -> None:
        n = len(self.cart.lines)
        if n == 0:
            return
        current = self.selected_row()
        row = (n - 1 if step < 0 else 0) if current is None else max(0, min(n - 1, current + step))
        self.select_row(row)

    # -- scanning ---------------------------------------------------------------------------

    def submit_scan(self) -> None:
        """Enter in the scan field: look the code up on the reader thread."""
        code = self.scan_field.text().strip()
        self.scan_field.clear()
        if not code:
            return
        self._in_flight += 1
        self._runner.run(Lane.READER, partial(self._till.lookup.find, code),
                         partial(self._scan_found, code), partial(self._scan_failed, code))

    def _scan_found(self, code: str, product: Product) -> None:
        self._in_flight -= 1
        self._results.append(ScanOutcome(code, product=product))
        self._drain()

    def _scan_failed(self, code: str, exc: BaseException) -> None:
        self._in_flight -= 1
        self._results.append(ScanOutcome(code, error=exc))
        self._drain()

    def _drain(self) -> None:
        """Apply waiting scan results in scan order, unless a dialog or a commit holds the cart."""
        while self._results and self._hold == 0:
            outcome = self._results.popleft()
            if outcome.error is not None:
                self.show_error(error_text(outcome.error))
            elif outcome.product is not None and outcome.product.weighed:
                self._ask_weight(outcome.product)
            elif outcome.product is not None:
                self._add(outcome.product, 1)
        if self._pay_requested and self._hold == 0 and not self._results and self._in_flight == 0:
            self._pay_requested = False
            self.pay_cash()

    def _add_or_raise(self, product: Product, quantity: int) -> None:
        old = self.cart
        new = old.add(product, quantity)
        changed = next((i for i, (a, b) in enumerate(zip(new.lines, old.lines, strict=False)) if a is not b),
                       len(new.lines) - 1)
        self._set_cart(new, select=changed)
        line = new.lines[changed]
        self.show_ok(self.tr("已加入：{name} × {qty}").format(name=product.name, qty=line.quantity_text))

    def _add(self, product: Product, quantity: int) -> None:
        try:
            self._add_or_raise(product, quantity)
        except PosError as exc:
            self.show_error(error_text(exc))

    def _ask_weight(self, product: Product) -> None:
        # Scale hardware comes later: the cashier types the weight shown on the scale.
        dialog = QuantityDialog(product, partial(self._add_or_raise, product), parent=self)
        self.quantity_dialog = dialog
        self._open_dialog(dialog)

    # -- dialogs ----------------------------------------------------------------------------

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None] | None = None) -> None:
        """Open ``dialog`` window-modal without blocking; scan results wait until it closes."""
        self._hold += 1

        def finished(result: int) -> None:
            if on_accept is not None and result == QDialog.DialogCode.Accepted:
                on_accept()
            self._hold -= 1
            if dialog is self.payment_dialog:
                self.payment_dialog = None
            if dialog is self.quantity_dialog:
                self.quantity_dialog = None
            dialog.deleteLater()
            self.activateWindow()  # back to the till window, so F-keys work at once
            self.scan_field.setFocus()
            self._refresh()
            self._drain()

        dialog.finished.connect(finished)
        dialog.open()

    def ask(self, question: str) -> bool:
        """A yes/no question (blocking); scan results wait while it is open."""
        self._hold += 1
        try:
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("请确认"), question, parent=self)
            yes = box.addButton(self.tr("确定"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            return box.clickedButton() is yes
        finally:
            self._hold -= 1
            self.activateWindow()
            self.scan_field.setFocus()
            QTimer.singleShot(0, self._drain)

    # -- cart actions -----------------------------------------------------------------------

    def change_quantity(self) -> None:
        """F4: the quantity of the selected line (the weight in kg for weighed goods)."""
        if self._committing or self._hold:
            return
        row = self.selected_row()
        if row is None:
            self.show_error(self.tr("请先选择一行商品（↑↓ 键或点选）"))
            return
        line = self.cart.lines[row]

        def apply(quantity: int) -> None:
            self._set_cart(self.cart.set_quantity(row, quantity), select=row)

        dialog = QuantityDialog(line.product, apply, current=line.quantity, parent=self)
        self.quantity_dialog = dialog
        self._open_dialog(dialog, on_accept=lambda: self.show_ok(self.tr("已修改数量：{name} × {qty}").format(
            name=line.product.name, qty=self.cart.lines[row].quantity_text)))

    def remove_line(self) -> None:
        """Del: remove the selected line."""
        if self._committing or self._hold:
            return
        row = self.selected_row()
        if row is None:
            self.show_error(self.tr("请先选择一行商品（↑↓ 键或点选）"))
            return
        name = self.cart.lines[row].product.name
        cart = self.cart.remove(row)
        self._set_cart(cart, select=min(row, len(cart.lines) - 1) if cart.lines else None)
        self.show_info(self.tr("已删除：{name}").format(name=name))

    def clear_cart(self) -> None:
        """清空: drop the whole cart after confirmation."""
        if self._committing or self._hold or self.cart.is_empty():
            return
        if self.ask(self.tr("确定清空本单全部商品？")):
            self._set_cart(Cart())
            self.show_info(self.tr("本单已清空"))

    def log_out(self) -> None:
        """退出登录: back to the login dialog (an unpaid cart is dropped after confirmation)."""
        if self._committing or self._hold:
            return
        if not self.cart.is_empty() and not self.ask(self.tr("本单尚未结账，退出登录将清空本单。确定退出登录？")):
            return
        self._set_cart(Cart())
        emit(self.logout_requested)

    # -- payment ----------------------------------------------------------------------------

    def pay_cash(self) -> None:
        """F12: open the cash payment dialog (after any scan still being looked up)."""
        if self._committing or self._hold:
            return
        if self._in_flight or self._results:
            self._pay_requested = True  # opened by _drain once the last scan is in the cart
            return
        if self.cart.is_empty():
            self.show_error(self.tr("本单没有商品，请先扫码"))
            return
        dialog = PaymentDialog(self._till.checkout.totals(self.cart).total_fen, parent=self)
        self.payment_dialog = dialog
        self._open_dialog(dialog, on_accept=lambda: self._commit(list(dialog.tenders)))

    def _commit(self, tenders: list[Tender]) -> None:
        """Complete the sale on the writer thread; the pay action is off until it answers."""
        self._committing = True
        self._hold += 1
        self._refresh()
        self.show_info(self.tr("正在保存交易…"))
        self._runner.run(Lane.WRITER, partial(self._till.checkout.complete_sale, self.cart, tenders, self._cashier),
                         self._sale_saved, self._sale_failed)

    def _sale_saved(self, done: CompletedSale) -> None:
        self._committing = False
        self._hold -= 1
        self.last_sale = done
        self._set_cart(Cart())
        sale = done.sale
        self.show_ok(self.tr("交易完成  单号 {no}  实收 {paid}  找零 {change}").format(
            no=sale.receipt_no, paid=format_yuan(sale.paid_fen, symbol=True),
            change=format_yuan(sale.change_fen, symbol=True)))
        self.show_receipt(done.receipt)
        self.print_status.setText(self.tr("正在打印小票…"))
        self.print_status.setStyleSheet(f"color: {INFO_COLOR};")
        no = sale.receipt_no
        # Print only after the commit: a printer fault can never lose the sale.
        self._runner.run(Lane.DEVICE, partial(_print_receipt, self._till, done.receipt),
                         partial(self._printed, no), partial(self._print_failed, no))
        emit(self.sale_completed, done)
        self.scan_field.setFocus()
        self._drain()

    def _sale_failed(self, exc: BaseException) -> None:
        self._committing = False
        self._hold -= 1
        self._refresh()
        self.show_error(error_text(exc))
        self._drain()

    def show_receipt(self, receipt: Receipt) -> None:
        cfg = self._till.config
        self.receipt_no_label.setText(self.tr("单号 {no}").format(no=receipt.receipt_no))
        self.receipt_paper.set_lines(paper_lines(receipt, cfg.columns, cfg.encoding))
        self.receipt_text = receipt_text(receipt, cfg.columns, cfg.encoding)
        self.receipt_scroll.verticalScrollBar().setValue(0)

    def _printed(self, receipt_no: str, result: PrintResult) -> None:
        text = print_text(result)
        if result.ok:
            self.print_status.setText(text)
            self.print_status.setStyleSheet(f"color: {OK_COLOR};")
        else:
            self._print_problem(text)
        emit(self.print_finished, result)

    def _print_failed(self, receipt_no: str, exc: BaseException) -> None:
        self._print_problem(print_failure_text(receipt_no, exc))
        emit(self.print_finished, exc)

    def _print_problem(self, text: str) -> None:
        self.print_status.setText(text)
        self.print_status.setStyleSheet(f"color: {ERROR_COLOR};")
        self.show_error(text)

    # -- window -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._committing:  # never walk away from a sale being written
            self.show_info(self.tr("正在保存交易，请稍候…"))
            event.ignore()
            return
        self._clock.stop()
        emit(self.closed)
        super().closeEvent(event)
