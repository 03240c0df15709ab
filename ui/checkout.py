"""收银: the checkout window. Scan, search, adjust the cart, take payment, returns — keyboard first.

Every lookup, write and print goes through the :class:`OpRunner`; this window only turns keys
into ops and results into what the cashier sees. Scan results are applied strictly in the order
they were scanned, and never while a dialog is asking something about the cart or an op is
reading or replacing it (a sale being committed, a line void, a hold, a recall): they wait in a
queue and are applied when the window is free again.

Keys: F1 现金 (payment with cash ready, as in the payment dialog), F2 班次/钱箱, F3 搜索, F4 数量,
F5 折扣, F6 整单折扣, F7 改价, F8 挂单, F9 取单, F10 退货, F11 重印, F12 收款, Del 删除, Ctrl+H 会员,
Ctrl+M 店长管理, Ctrl+L 锁屏; 开钱箱 is on the F2 panel (5). Cart rules (discount limits, approvals) are the domain's;
when a change needs a manager, the window asks for one (店长授权) and retries with the approval.
What the window decides that is not drawing lives in :class:`ui.presenters.checkout.CheckoutPresenter`.

退出登录 with goods in the cart offers 挂单后退出 (anyone recalls it later with 取单), 作废后退出 or 取消.

Without an open shift the window asks for one first (开班, the float counted by denomination).
After some minutes without input (``lock_after_ms``) the window is covered by the lock screen;
the cashier's PIN (or a manager's) opens it, and scans are ignored meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.catalog import Product
from pos.domain.errors import PosError
from pos.domain.limits import NeededApproval, SaleNeedsApproval
from pos.domain.members import looks_like_code
from pos.domain.permissions import Action, Approval, ApprovalRequired
from pos.domain.receipt import Receipt
from pos.domain.sale import cart_figures
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import User
from pos.services.checkout import CompletedSale
from pos.services.receipts import PrintResult
from pos.store.repositories import ShiftRecord

from .approval import ApprovalDialog
from .cart_model import (
    COL_DISCOUNT,
    CartTableModel,
    name_text,
)
from .checkout_cart import CartEdits
from .checkout_layout import CheckoutLayout
from .checkout_members import CheckoutMembers
from .checkout_panels import CheckoutPanels
from .checkout_parts import ScanField
from .device_panels import PrintQueueDialog, SyncPanel
from .holds import HeldSalesDialog
from .i18n import is_chinese
from .lock import IdleWatcher, LockOverlay, lock_after_ms_from
from .manager import ManagerScreen
from .member_dialog import MemberDialog
from .messages import error_text, print_failure_text, print_text
from .ops import Lane, OpRunner
from .payment import PaymentDialog
from .presenters.checkout import (
    AddProduct,
    ApprovalRetry,
    AskKeepOrVoid,
    AskNeeds,
    AskNeedsThenCommit,
    AskOpenShift,
    AskWeight,
    CartOp,
    CheckoutPresenter,
    CommitWithoutTender,
    Lock,
    LogOut,
    LogoutChoice,
    NeedsManager,
    OpenPayment,
    OpenSearch,
    ReopenPayment,
    Say,
    ScanOutcome,
    ShowRefusal,
    StartPayment,
    Step,
    SwitchTraining,
    Tell,
    Wait,
)
from .qtcompat import emit
from .quantity import QuantityDialog
from .receipt_view import paper_lines, receipt_text
from .reports_view import ReportDialog
from .returns import ReturnDialog
from .search import SearchDialog, SearchHit
from .settings import HardwareSettingsDialog
from .shift import CashMoveDialog, CloseShiftDialog, OpenShiftDialog, ShiftMenuDialog
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR, OVER_COLOR
from .value_dialog import ValueDialog
from .variants import VariantDialog, find_variants
from .wedge import SerialScannerBridge
from .widgets import discount_label, yuan

log = logging.getLogger(__name__)

# The window's dialogs, each kept in an attribute while it is open (tests and the screenshot use them).
DIALOGS = ("payment_dialog", "quantity_dialog", "search_dialog", "variant_dialog", "approval_dialog",
           "value_dialog", "held_dialog", "return_dialog", "open_shift_dialog", "shift_menu", "cash_dialog",
           "report_dialog", "close_dialog", "manager_dialog", "print_queue_dialog", "sync_panel",
           "settings_dialog", "member_dialog")


def _print_receipt(till: Till, receipt: Receipt) -> PrintResult:
    """Runs on the device thread: the printer is built on first use, then the receipt is sent."""
    return till.receipts.print(receipt)


def _void_all(till: Till, cart: Cart, cashier: User, approval: Approval | None) -> Cart:
    """Runs on the writer thread: every line off the cart, each void journaled."""
    while cart.lines:
        cart = till.checkout.void_line(cart, len(cart.lines) - 1, cashier, approval=approval)
    return cart


class CheckoutWindow(CheckoutLayout, CartEdits, CheckoutPanels, CheckoutMembers, QMainWindow):
    """The till's main window for one logged-in cashier."""

    logout_requested = Signal()
    closed = Signal()
    shift_closed = Signal(object)  # ShiftResult, after 交班 (the window then logs out)
    locked_changed = Signal(bool)
    sale_completed = Signal(object)  # CompletedSale, after the commit
    return_completed = Signal(object)  # CompletedReturn, after the commit
    print_finished = Signal(object)  # PrintResult, or the exception that stopped printing

    def __init__(self, till: Till, runner: OpRunner, cashier: User, parent: QWidget | None = None, *,
                 lock_after_ms: int | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._cashier = cashier
        self.shift: ShiftRecord | None = None
        self.presenter = CheckoutPresenter()
        # sku -> the expiry warning of its last scan (issue 15), shown when the item goes into the cart
        self.expiry_warnings: dict[str, str] = {}
        self.lock_overlay: LockOverlay | None = None
        self.model = CartTableModel(parent=self)
        self.last_sale: CompletedSale | None = None
        self.last_receipt_no: str | None = None
        self.receipt_text = ""  # the last receipt as it prints (plain text)
        self.payment_dialog: PaymentDialog | None = None
        self.quantity_dialog: QuantityDialog | None = None
        self.search_dialog: SearchDialog | None = None
        self.variant_dialog: VariantDialog | None = None
        self.approval_dialog: ApprovalDialog | None = None
        self.value_dialog: ValueDialog | None = None
        self.held_dialog: HeldSalesDialog | None = None
        self.return_dialog: ReturnDialog | None = None
        self.open_shift_dialog: OpenShiftDialog | None = None
        self.shift_menu: ShiftMenuDialog | None = None
        self.cash_dialog: CashMoveDialog | None = None
        self.report_dialog: ReportDialog | None = None
        self.close_dialog: CloseShiftDialog | None = None
        self.manager_dialog: ManagerScreen | None = None
        self.print_queue_dialog: PrintQueueDialog | None = None
        self.sync_panel: SyncPanel | None = None
        self.settings_dialog: HardwareSettingsDialog | None = None
        self.member_dialog: MemberDialog | None = None
        self.scanner_bridge: SerialScannerBridge | None = None

        ident = till.identity
        # The platform adds the application's name (连心收银) to every window title itself.
        self.setWindowTitle(f"{ident.store_name} · {ident.counter_name}")
        self._build_actions()
        self.setCentralWidget(self._build_body())
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()
        self._refresh()
        self._tell(Tell(Say.SCAN_PROMPT, error=False))
        self.scan_field.setFocus()
        self._idle = IdleWatcher(lock_after_ms_from(till) if lock_after_ms is None else lock_after_ms, self)
        self._idle.idle.connect(self._idle_timeout)
        self._idle.start()
        self._start_serial_scanner()
        self.held_count = 0
        self.refresh_held()
        self.check_shift()

    # -- state shown ------------------------------------------------------------------------

    @property
    def cart(self) -> Cart:
        return self.model.cart

    @property
    def runner(self) -> OpRunner:
        return self._runner

    @property
    def committing(self) -> bool:
        return self.presenter.committing

    @property
    def busy(self) -> bool:
        """An op is reading or replacing the cart (the cart actions are off meanwhile)."""
        return self.presenter.busy

    @property
    def locked(self) -> bool:
        return self.presenter.locked

    @property
    def training(self) -> bool:
        return self.presenter.training

    def _free(self) -> bool:
        return self.presenter.free

    def _tick(self) -> None:
        self.clock_label.setText(self._till.identity.shown_time(self._till.clock.now()))

    def _set_cart(self, cart: Cart, select: int | None = None) -> None:
        """Show ``cart``; the line ``select`` is selected (by default the one that was, if still there)."""
        if cart.lines:
            cart = self._priced(cart)  # (a recalled sale: priced with the promotions in force)
        if select is None and cart.lines and len(cart.lines) == len(self.cart.lines):
            select = self.selected_row()  # a change to a line or the sale keeps the cashier's place
        self.model.set_cart(cart)
        if select is not None and 0 <= select < len(cart.lines):
            self.select_row(select)
        self._refresh()
        if cart.lines:
            self.display.show_total(self._till.checkout.totals(cart).total_fen)

    def _refresh(self) -> None:
        cart = self.cart
        t = self._till.checkout.totals(cart)  # with the store's 抹零 (a cached setting)
        self.count_label.setText(self.tr("件数 {n}").format(n=cart.item_count))
        # 合计 at list price and each kind of reduction apart (折扣, 改价, 赠送), as the receipt and Z show them.
        list_total, off = cart_figures(cart, self._till.checkout.rounding_mode())
        self.gross_label.setText(self.tr("合计 {gross}").format(gross=yuan(list_total)))
        parts = []
        if off.discount_fen:
            text = self.tr("折扣 {off}").format(off=yuan(-off.discount_fen))
            if cart.discount is not None:
                text += self.tr("（整单{what}）").format(what=discount_label(cart.discount))
            parts.append(text)
        if off.override_fen:
            parts.append(self.tr("改价 {off}").format(off=yuan(-off.override_fen)))
        if off.gift_fen:
            parts.append(self.tr("赠送 {off}").format(off=yuan(-off.gift_fen)))
        parts += self._refresh_members(t)  # 促销, 积分抵扣; the member panel and each line's promotions
        self.discount_label.setText("  ".join(parts))
        self.discount_label.setVisible(bool(parts))
        self.rounding_label.setText(self.tr("抹零 {adj}").format(adj=yuan(t.rounding_fen)))
        self.rounding_label.setVisible(bool(t.rounding_fen))
        self.total_label.setText(self.tr("应收 {total}").format(total=yuan(t.total_fen)))
        if cart.lines and self.change_fen is not None:
            self.show_change(None)
        self.table.setColumnHidden(COL_DISCOUNT, not any(self.model.changed(i) for i in range(len(cart.lines))))
        on = self.presenter.enabled(has_lines=not cart.is_empty())
        for a in (self.act_pay, self.act_cash, self.act_logout, self.act_search, self.act_recall, self.act_reprint,
                  self.act_training, self.act_shift, self.act_manager, self.act_lock):
            a.setEnabled(on.general)
        self.act_return.setEnabled(on.returns)
        for a in (self.act_quantity, self.act_delete, self.act_clear, self.act_discount, self.act_sale_discount,
                  self.act_price, self.act_hold):
            a.setEnabled(on.cart)

    def show_change(self, change_fen: int | None) -> None:
        """找零 large in the totals bar (None: back to 应收)."""
        self.change_fen = change_fen
        if change_fen is not None:
            self.change_label.setText(self.tr("找零 {change}").format(change=yuan(change_fen)))
        self.change_label.setHidden(change_fen is None)
        self.total_label.setHidden(change_fen is not None)

    def refresh_held(self) -> None:
        """The 取单 key shows how many sales are on hold (read on the writer thread)."""
        self._runner.run(Lane.WRITER, self._till.checkout.held, lambda held: self.show_held(len(held)),
                         lambda exc: log.warning("could not count the held sales: %s", exc))

    def show_held(self, count: int) -> None:
        self.held_count = count
        text = self.tr("取单（{n}）").format(n=count) if count else self.tr("取单")
        self.recall_button.setText(f"{text}\nF9")
        self.key_bar.relayout()

    def _say(self, text: str, color: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {color};")

    def show_error(self, text: str) -> None:
        self._say(text, ERROR_COLOR)

    def show_ok(self, text: str) -> None:
        self._say(text, OK_COLOR)

    def show_warning(self, text: str) -> None:
        """A warning that does not stop the sale (an expired lot when the store only warns)."""
        self._say(text, OVER_COLOR)

    def show_info(self, text: str) -> None:
        self._say(text, INFO_COLOR)

    def _tell(self, told: Tell) -> None:
        text = {
            Say.SCAN_PROMPT: self.tr("请扫码或输入条码 / PLU，回车加入；F3 搜索商品，F12 收款（F1 现金）"),
            Say.EMPTY_CART: self.tr("本单没有商品，请先扫码"),
            Say.PAYMENT_CODE_FIRST: self.tr("这是付款码：请先扫商品，再按 F12 收款"),
            Say.NOT_APPROVED: self.tr("未获店长授权，操作已取消"),
            Say.SAVING_WAIT: self.tr("正在保存，请稍候…"),
            Say.SELECT_LINE: self.tr("请先选择一行商品（↑↓ 键或点选）"),
            Say.SETTLE_FIRST_CLOSE: self.tr("请先结账或清空本单，再交班"),
            Say.SETTLE_FIRST_TRAINING: self.tr("请先结账或清空本单，再切换练习模式"),
            Say.LEAVE_TRAINING_FIRST: self.tr("请先退出练习模式，再交班"),
        }[told.say]
        (self.show_error if told.error else self.show_info)(text)

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

    def _require_row(self) -> int | None:
        row = self.selected_row()
        if row is None or row >= len(self.cart.lines):
            self._tell(Tell(Say.SELECT_LINE))
            return None
        return row

    def _line_to_change(self) -> int | None:
        """The selected line's row for a key that changes it (F4, F5, F7, Del): None while the window is
        busy, or with no line selected (the cashier is told to select one)."""
        return self._require_row() if self._free() else None

    # -- scanning ---------------------------------------------------------------------------

    @property
    def display(self) -> Any:
        """The customer display (never raises; a no-op without one)."""
        return self._till.devices.display

    def submit_scan(self) -> None:
        """Enter in the scan field: what the code is, resolved on the reader thread."""
        code = self.scan_field.text().strip()
        self.scan_field.clear()
        self.submit_code(code)

    def can_take_scan(self) -> bool:
        """This window is the one in use and nothing is asking the cashier anything."""
        if not self.presenter.takes_scans() or not self.isVisible():
            return False
        from PySide6.QtWidgets import QApplication

        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not self:
            return False
        active = QApplication.activeWindow()
        return active is None or active is self

    def accept_scan(self, code: str) -> bool:
        """A keyboard-wedge scanner's code, whatever widget has the focus (even with an IME composing).
        False when :meth:`can_take_scan` says no (the wedge filter then types it back as it came)."""
        if not self.can_take_scan():
            return False
        self.submit_code(code)
        return True

    def submit_code(self, code: str) -> None:
        """One code as if typed into the scan field + Enter (ignored while locked)."""
        if looks_like_code(code) and not self.locked:  # a member card (LXM…): 会员, not goods
            self.scan_member_code(code.strip())
            return
        code = self.presenter.scan_sent(code)
        if code is None:
            return
        if self.change_fen is not None:  # the next customer: 找零 has been seen
            self.show_change(None)
        self._runner.run(Lane.READER, partial(self._till.scan, code),
                         lambda found: self._scan_answered(ScanOutcome(code, resolved=found)),
                         lambda exc: self._scan_answered(ScanOutcome(code, error=exc)))

    def _scan_answered(self, outcome: ScanOutcome) -> None:
        found = outcome.resolved
        check = getattr(found, "expiry", None)
        if check is not None and check.message_zh:  # the store warns: the sale goes on, the cashier is told
            self.expiry_warnings[found.product.sku] = check.message_zh if is_chinese() else check.message  # type: ignore[union-attr]
        self.presenter.scan_answered(outcome)
        self._drain()

    def _drain(self) -> None:
        """Apply waiting scan results in scan order, unless a dialog or an op holds the cart."""
        while (step := self.presenter.next_step(self.cart.is_empty)) is not None:
            self._do(step)

    def _do(self, step: Step) -> None:
        """Carry out what the presenter decided."""
        if isinstance(step, AddProduct):
            self._add(step.product, step.quantity, label_amount_fen=step.label_amount_fen)
        elif isinstance(step, AskWeight):
            self._ask_weight(step.product)
        elif isinstance(step, OpenSearch):
            self.open_search(step.text)
        elif isinstance(step, StartPayment):
            self._before_payment(partial(self._open_payment, kind=step.kind, reference=step.reference))
        elif isinstance(step, Tell):
            self._tell(step)
        elif isinstance(step, ShowRefusal):
            self.show_error(error_text(step.error))

    def _add_or_raise(self, product: Product, quantity: int, label_amount_fen: int | None = None) -> None:
        old = self._priced(self.cart)
        new = old.add(product, quantity, label_amount_fen=label_amount_fen)
        changed = next((i for i, (a, b) in enumerate(zip(new.lines, old.lines, strict=False)) if a is not b),
                       len(new.lines) - 1)
        self._set_cart(new, select=changed)
        line = new.lines[changed]
        if label_amount_fen is not None:
            self.show_ok(self.tr("已加入：{name} {qty}  {amount}（称重码）").format(
                name=product.name, qty=line.quantity_text, amount=yuan(line.amount_fen)))
        else:
            self.show_ok(self.tr("已加入：{name} × {qty}").format(name=name_text(line), qty=line.quantity_text))
        warning = self.expiry_warnings.pop(product.sku, None)
        if warning:
            self.show_warning(self.tr("注意：{name} {warning}").format(name=product.name, warning=warning))
        self.display.show_price(line.unit_price_fen)

    def _add(self, product: Product, quantity: int, label_amount_fen: int | None = None) -> None:
        try:
            self._add_or_raise(product, quantity, label_amount_fen)
        except PosError as exc:
            self.show_error(error_text(exc))

    def _add_product(self, product: Product) -> None:
        """A product chosen by search or on the variant grid: weighed goods ask for the weight."""
        self._do(self.presenter.weighed_pick(product))

    def _ask_weight(self, product: Product) -> None:
        # 称重 reads the scale when one is configured; typing the weight always works.
        devices = self._till.devices
        read = partial(devices.read_stable_weight, 5.0) if devices.settings.scale else None
        dialog = QuantityDialog(product, partial(self._add_or_raise, product), parent=self, runner=self._runner,
                                read_weight=read)
        self.quantity_dialog = dialog
        self._open_dialog(dialog)

    # -- dialogs ----------------------------------------------------------------------------

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None] | None = None,
                     on_reject: Callable[[], None] | None = None) -> None:
        """Open ``dialog`` window-modal without blocking; scan results wait until it closes."""
        self.presenter.dialog_opened()

        def finished(result: int) -> None:
            try:
                if result == QDialog.DialogCode.Accepted:
                    if on_accept is not None:
                        on_accept()
                elif on_reject is not None:
                    on_reject()
            finally:
                last = self.presenter.dialog_closed()
                for attr in DIALOGS:
                    if getattr(self, attr) is dialog:
                        setattr(self, attr, None)
                dialog.deleteLater()
                if last:
                    self.take_focus()  # back to the till window, so F-keys and scans work at once
                self._refresh()
                self._drain()

        dialog.finished.connect(finished)
        dialog.open()

    def take_focus(self) -> None:
        """The keyboard back to the scan field (the lock screen's PIN while locked) — explicitly,
        since a kiosk session has no window manager to hand activation back."""
        self.raise_()
        self.activateWindow()
        target = self.lock_overlay.pin if self.locked and self.lock_overlay is not None else self.scan_field
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _question(self, question: str, *answers: tuple[str, QMessageBox.ButtonRole]) -> int:
        """A question with ``answers`` (blocking); the index of the one chosen, -1 for none.
        Scan results wait while it is open."""
        self.presenter.hold()
        try:
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("请确认"), question, parent=self)
            buttons = [box.addButton(text, role) for text, role in answers]
            box.exec()
            return buttons.index(box.clickedButton()) if box.clickedButton() in buttons else -1
        finally:
            self.presenter.release()
            self.take_focus()
            QTimer.singleShot(0, self._drain)

    def ask(self, question: str) -> bool:
        """A yes/no question (blocking)."""
        return self._question(question, (self.tr("确定"), QMessageBox.ButtonRole.AcceptRole),
                              (self.tr("取消"), QMessageBox.ButtonRole.RejectRole)) == 0

    def _ask_manager(self, retry: ApprovalRetry, reason: str) -> None:
        """店长授权; ``retry`` runs once with the journaled approval, or the cashier is told it was not given."""
        dialog = ApprovalDialog(self._till, self._runner, self._cashier, retry.action, reason=reason,
                                detail=retry.detail, parent=self)
        self.approval_dialog = dialog
        self.show_error(reason)
        self._open_dialog(dialog, on_accept=lambda: retry.approved(dialog.approval),
                          on_reject=lambda: self._do(retry.refused()))

    def _ask_approval(self, exc: ApprovalRequired, detail: str, retry: Callable[[Approval], None]) -> None:
        """店长授权 for what the domain refused; ``retry`` runs with the journaled approval."""
        self._ask_manager(ApprovalRetry(exc, retry, detail), error_text(exc))

    def _service_op(self, attempt: Callable[[Approval | None], Any], on_done: Callable[[Any], None], *,
                    detail: str = "", status: str | None = None) -> None:
        """Run ``attempt(approval)`` on the writer thread while the cart is held; a refusal that
        needs a manager asks for one and runs it again with the approval."""
        self._run_op(CartOp(attempt, on_done, detail, status))

    def _run_op(self, op: CartOp) -> None:
        self.presenter.op_started()
        self._refresh()
        if op.status:
            self.show_info(op.status)

        def done(value: Any) -> None:
            self.presenter.op_finished()
            try:
                op.on_done(value)
            finally:
                self._settle()

        def failed(exc: BaseException) -> None:
            self.presenter.op_finished()
            try:
                then = self.presenter.op_failed(op, exc, self._run_op)
                if isinstance(then, ApprovalRetry):
                    self._ask_manager(then, error_text(exc))
                else:
                    self._do(then)
            finally:
                self._settle()

        self._runner.run(Lane.WRITER, op.call, done, failed)

    def _settle(self) -> None:
        self._refresh()
        if self.presenter.dialogs_open == 0 and not self.locked:
            self.scan_field.setFocus()
        self._drain()

    # -- search and variants ----------------------------------------------------------------

    def open_search(self, text: str = "") -> None:
        """F3: find a product by pinyin, Chinese or code; Enter adds it."""
        if not self._free():
            return
        dialog = SearchDialog(self._till, self._runner, text, parent=self)
        self.search_dialog = dialog
        self._open_dialog(dialog, on_accept=lambda: self._hit_chosen(dialog.chosen))

    def _hit_chosen(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        if hit.is_style:
            self._open_variants(hit.product)
        else:
            self._add_product(hit.product)

    def _open_variants(self, product: Product) -> None:
        """A style (款式): every variant of it, read on the reader thread, as a size × colour grid."""
        self.presenter.hold()  # scans wait: the variant picked belongs before them

        def found(variants: list[Product]) -> None:
            self.presenter.release()
            dialog = VariantDialog(variants, parent=self)
            self.variant_dialog = dialog
            self._open_dialog(dialog, on_accept=lambda: dialog.chosen and self._add_product(dialog.chosen))

        def failed(exc: BaseException) -> None:
            self.presenter.release()
            self.show_error(error_text(exc))
            self._drain()

        self._runner.run(Lane.READER, partial(find_variants, self._till, product), found, failed)

    # -- cart actions -----------------------------------------------------------------------

    def remove_line(self) -> None:
        """Del: void the selected line (journaled with the cashier, on the writer thread)."""
        row = self._line_to_change()
        if row is None:
            return
        line = self.cart.lines[row]
        cart, till, cashier = self.cart, self._till, self._cashier

        def done(new: Cart) -> None:
            self._set_cart(new, select=min(row, len(new.lines) - 1) if new.lines else None)
            self.show_info(self.tr("已删除：{name}").format(name=name_text(line)))

        self._service_op(lambda ap: till.checkout.void_line(cart, row, cashier, approval=ap), done,
                         detail=name_text(line))

    def clear_cart(self) -> None:
        """清空: void every line after confirmation."""
        if not self._free() or self.cart.is_empty():
            return
        if self.ask(self.tr("确定清空本单全部商品？")):
            self._void_everything(lambda: self.show_info(self.tr("本单已清空")))

    def _void_everything(self, then: Callable[[], None]) -> None:
        cart, till, cashier = self.cart, self._till, self._cashier

        def done(new: Cart) -> None:
            self._set_cart(new)
            then()

        self._service_op(lambda ap: _void_all(till, cart, cashier, ap), done, detail=self.tr("清空本单"))

    def log_out(self) -> None:
        """退出登录: back to the login. Goods in the cart: 挂单后退出 (anyone recalls the sale later with
        取单), 作废后退出 (every line voided, a manager when the rules say so) or 取消."""
        step = self.presenter.logout_pressed(self.cart.is_empty())
        if isinstance(step, LogOut):
            emit(self.logout_requested)
        elif isinstance(step, AskKeepOrVoid):
            choice = self.ask_logout()
            if choice is LogoutChoice.HOLD:
                self._hold_cart(lambda _no: emit(self.logout_requested))
            elif choice is LogoutChoice.VOID:
                self._void_everything(lambda: emit(self.logout_requested))

    def ask_logout(self) -> LogoutChoice:
        """The question at 退出登录 with goods in the cart."""
        i = self._question(self.tr("本单尚未结账（{n} 件，{total}）。退出登录前：").format(
            n=self.cart.item_count, total=yuan(self._till.checkout.totals(self.cart).total_fen)),
            (self.tr("挂单后退出"), QMessageBox.ButtonRole.AcceptRole),
            (self.tr("作废后退出"), QMessageBox.ButtonRole.DestructiveRole),
            (self.tr("取消"), QMessageBox.ButtonRole.RejectRole))
        return (LogoutChoice.HOLD, LogoutChoice.VOID)[i] if i in (0, 1) else LogoutChoice.CANCEL

    # -- hold and recall --------------------------------------------------------------------

    def hold_sale(self) -> None:
        """F8 挂单: put the cart aside (journaled); the next customer starts on an empty cart."""
        if self._free() and not self.cart.is_empty():
            self._hold_cart()

    def _hold_cart(self, then: Callable[[int], None] | None = None) -> None:
        cart, till, cashier = self.cart, self._till, self._cashier

        def done(hold_no: int) -> None:
            self._set_cart(Cart())
            self.show_ok(self.tr("已挂单，挂单号 {no}（按 F9 取单）").format(no=hold_no))
            self.refresh_held()
            if then is not None:
                then(hold_no)

        self._service_op(lambda _ap: till.checkout.hold(cart, cashier), done, status=self.tr("正在挂单…"))

    def recall_sale(self) -> None:
        """F9 取单: choose a held sale by its number; a cart still open is held first if the cashier agrees."""
        if not self._free():
            return
        dialog = HeldSalesDialog(self._till, self._runner, parent=self)
        self.held_dialog = dialog
        self._open_dialog(dialog, on_accept=lambda: dialog.hold_no is not None and self._recall(dialog.hold_no))

    def _recall(self, hold_no: int) -> None:
        till, cashier = self._till, self._cashier

        def recalled(cart: Cart) -> None:
            self._set_cart(cart, select=len(cart.lines) - 1 if cart.lines else None)
            self.show_ok(self.tr("已取出挂单 {no}").format(no=hold_no))
            self.refresh_held()

        def take() -> None:
            self._service_op(lambda _ap: till.checkout.recall(hold_no, cashier), recalled,
                             status=self.tr("正在取单…"))

        if self.cart.is_empty():
            take()
            return
        if not self.ask(self.tr("当前单尚未结账。先把当前单挂起，再取出挂单 {no}？").format(no=hold_no)):
            self.show_info(self.tr("未取单：当前单保留"))
            return
        cart = self.cart

        def held(new_no: int) -> None:
            self._set_cart(Cart())
            self.show_ok(self.tr("当前单已挂起，挂单号 {no}").format(no=new_no))
            take()

        self._service_op(lambda _ap: till.checkout.hold(cart, cashier), held, status=self.tr("正在挂单…"))

    # -- training ---------------------------------------------------------------------------

    def toggle_training(self, checked: bool | None = None) -> None:
        """练习: practise sales numbered in the T series and kept out of the day's takings."""
        want = self.act_training.isChecked() if checked is None else bool(checked)
        self.act_training.setChecked(self.training)  # until it is allowed
        then = self.presenter.training_switch(want, self.cart.is_empty(), self._cashier.role)
        if isinstance(then, NeedsManager):
            self._ask_approval(then.refusal, self.tr("练习模式"), lambda _ap: self._set_training(want))
        elif isinstance(then, SwitchTraining):
            self._set_training(then.on)
        else:
            self._do(then)

    def _set_training(self, on: bool) -> None:
        """The switch is journaled by the checkout service (writer thread); the window follows its answer."""
        till, cashier = self._till, self._cashier
        self._service_op(lambda _ap: till.checkout.set_training(on, cashier), lambda _none: self._training_set(on),
                         status=self.tr("正在切换练习模式…"))

    def _training_set(self, on: bool) -> None:
        self.presenter.training = on
        self.act_training.setChecked(on)
        self.training_banner.setVisible(on)
        self._refresh()
        if on:
            self.show_info(self.tr("已进入练习模式：交易单号为 T 系列，不计入营业额"))
        else:
            self.show_info(self.tr("已退出练习模式"))

    # -- payment ----------------------------------------------------------------------------

    def pay(self, kind: TenderKind = TenderKind.CASH) -> None:
        """F12 收款 (F1: with cash ready): the payment dialog, after any scan still being looked up."""
        self._do(self.presenter.pay_pressed(self.cart.is_empty(), kind))

    def _before_payment(self, open_payment: Callable[[], None], asked: tuple[Action, ...] = ()) -> None:
        """收款: first what a manager must still approve for the sale as a whole (named in the
        dialog), then a ¥0 sale is completed at once with no tender, any other opens payment."""
        step = self.presenter.payment_step(self._till.checkout.before_payment(self.cart, self._cashier), asked)
        if isinstance(step, AskNeeds):
            self._ask_needs(step.needs, lambda: self._before_payment(open_payment, asked + (step.needs[0].action,)))
        elif isinstance(step, CommitWithoutTender):
            self.display.show_total(0)
            self._commit([])  # nothing to pay: no tender is asked
        elif isinstance(step, OpenPayment):
            open_payment()
        else:
            self._do(step)

    def _ask_needs(self, needs: tuple[NeededApproval, ...], then: Callable[[], None]) -> None:
        """店长授权 for what the sale as a whole still needs; the approval is bound to exactly that."""
        cart = self.cart

        def approved(approval: Approval) -> None:
            try:
                new = cart
                for need in needs:
                    new = new.approve(need, approval)
            except PosError as refused:
                self.show_error(error_text(refused))
                return
            self._set_cart(new)
            then()

        refusal = SaleNeedsApproval(needs)
        retry = ApprovalRetry(refusal, approved, "；".join(n.what_zh for n in needs))
        self._ask_manager(retry, error_text(refusal))

    def _open_payment(self, *, kind: TenderKind = TenderKind.CASH, reference: str | None = None,
                      tenders: list[Tender] | tuple[Tender, ...] = (), error: str = "") -> None:
        due = self._till.checkout.totals(self.cart).total_fen
        self.display.show_total(due)
        dialog = PaymentDialog(due, kind=kind, reference=reference, tenders=tenders, error=error,
                               max_gap_ms=self._wedge_gap_ms(), till=self._till, runner=self._runner, parent=self)
        self.payment_dialog = dialog
        self._open_dialog(dialog, on_accept=lambda: self._commit(list(dialog.tenders)))

    def _commit(self, tenders: list[Tender]) -> None:
        """Complete the sale on the writer thread; the cart actions are off until it answers."""
        self.presenter.op_started(commit=True)
        self._refresh()
        self.show_info(self.tr("正在保存交易…"))
        self._runner.run(Lane.WRITER, partial(self._till.checkout.complete_sale, self.cart, tenders, self._cashier,
                                              training=self.training),
                         self._sale_saved, partial(self._sale_failed, tenders))

    def _sale_saved(self, done: CompletedSale) -> None:
        self.presenter.op_finished(commit=True)
        self.last_sale = done
        self.last_receipt_no = done.sale.receipt_no
        self._set_cart(Cart())
        sale = done.sale
        self.show_ok(self.tr("交易完成  单号 {no}  实收 {paid}  找零 {change}").format(
            no=sale.receipt_no, paid=yuan(sale.paid_fen), change=yuan(sale.change_fen)))
        self.show_receipt(done.receipt)
        if any(t.kind is TenderKind.CASH for t in sale.tenders):
            self.show_change(sale.change_fen)
        self.display.show_paid(sale.paid_fen)
        self.display.show_change(sale.change_fen)
        self._print(done.receipt)  # only after the commit: a printer fault can never lose the sale
        self.status_strip.refresh_sync()
        emit(self.sale_completed, done)
        self._settle()

    def _sale_failed(self, tenders: list[Tender], exc: BaseException) -> None:
        self.presenter.op_finished(commit=True)
        self._refresh()
        text = error_text(exc)
        self.show_error(text)
        then = self.presenter.commit_failed(exc, tuple(tenders))
        if isinstance(then, AskOpenShift):
            # Someone closed the shift (交班 at another login, the CLI): the cart stays; open one, pay again.
            self.shift = None
            self._show_shift()
            self.ask_open_shift()
        elif isinstance(then, AskNeedsThenCommit):
            self._ask_needs(then.needs, partial(self._before_payment, lambda: self._commit(list(then.tenders))))
        elif isinstance(then, ReopenPayment):
            self._open_payment(tenders=then.tenders, error=text)
        self._drain()

    # -- receipts ---------------------------------------------------------------------------

    def show_receipt(self, receipt: Receipt) -> None:
        cfg = self._till.config
        self.receipt_no_label.setText(self.tr("单号 {no}").format(no=receipt.receipt_no))
        self.receipt_paper.set_lines(paper_lines(receipt, cfg.columns, cfg.encoding))
        self.receipt_text = receipt_text(receipt, cfg.columns, cfg.encoding)
        self.receipt_scroll.verticalScrollBar().setValue(0)

    def _print(self, receipt: Receipt) -> None:
        self.print_status.setText(self.tr("正在打印小票…"))
        self.print_status.setStyleSheet(f"color: {INFO_COLOR};")
        no = receipt.receipt_no
        self._runner.run(Lane.DEVICE, partial(_print_receipt, self._till, receipt),
                         partial(self._printed, no), partial(self._print_failed, no))

    def _printed(self, receipt_no: str, result: PrintResult) -> None:
        text = print_text(result)
        if result.ok:
            self.print_status.setText(text)
            self.print_status.setStyleSheet(f"color: {OK_COLOR};")
        else:
            self._print_problem(text)
        self.status_strip.after_print()
        emit(self.print_finished, result)

    def _print_failed(self, receipt_no: str, exc: BaseException) -> None:
        self._print_problem(print_failure_text(receipt_no, exc))
        self.status_strip.after_print()
        emit(self.print_finished, exc)

    def _print_problem(self, text: str) -> None:
        self.print_status.setText(text)
        self.print_status.setStyleSheet(f"color: {ERROR_COLOR};")
        self.show_error(text)

    # -- the lock screen --------------------------------------------------------------------

    @property
    def lock_after_ms(self) -> int:
        return self._idle.interval_ms

    @lock_after_ms.setter
    def lock_after_ms(self, ms: int) -> None:
        self._idle.interval_ms = ms

    def _idle_timeout(self) -> None:
        step = self.presenter.idle_timeout()
        if isinstance(step, Wait):
            self._idle.restart()  # a dialog is asking (or a sale is written): lock once it is done
        elif isinstance(step, Lock):
            self.lock()

    def lock(self) -> None:
        """锁屏: cover the window; the cashier's PIN (or a manager's) opens it. Scans are ignored."""
        if not self.presenter.lock():
            return
        if self.lock_overlay is None:
            self.lock_overlay = LockOverlay(self._till, self._runner, self._cashier, self)
            self.lock_overlay.unlocked.connect(self._unlocked)
        overlay = self.lock_overlay
        overlay.reset()
        overlay.setGeometry(self.rect())
        overlay.show()
        overlay.raise_()
        self.scan_field.setEnabled(False)
        self.take_focus()
        self._refresh()
        emit(self.locked_changed, True)

    def _unlocked(self, user: User) -> None:
        if not self.presenter.unlock():
            return
        if self.lock_overlay is not None:
            self.lock_overlay.hide()
        self.scan_field.setEnabled(True)
        self.take_focus()
        if user.login == self._cashier.login:
            self.show_info(self.tr("已解锁"))
        else:
            self.show_info(self.tr("已由 {name} 解锁").format(name=user.display_name))
        self._idle.restart()
        self._refresh()
        emit(self.locked_changed, False)
        self._drain()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.lock_overlay is not None:
            self.lock_overlay.setGeometry(self.rect())
        self._fit_receipt_side()

    # -- window -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.presenter.may_close():  # never walk away from a sale or a void being written
            self._tell(Tell(Say.SAVING_WAIT, error=False))
            event.ignore()
            return
        self._clock.stop()
        self._idle.stop()
        self.status_strip.stop()
        self._stop_serial_scanner()
        emit(self.closed)
        super().closeEvent(event)


__all__ = ["CheckoutWindow", "ScanField", "ScanOutcome"]  # (the last two re-exported for old imports)
