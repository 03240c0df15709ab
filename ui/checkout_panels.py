"""The checkout's panels beside selling: 重印, 退货, the shift (开班, 班次/钱箱, 交班), the devices (开钱箱,
待打印, 同步, 硬件设置, a serial scanner) and 店长管理.

A part of :class:`ui.checkout.CheckoutWindow` (its texts keep the window's translation context).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QTimer

from pos.bootstrap import Till
from pos.domain.errors import PosError
from pos.domain.ledger import EntryKind
from pos.domain.permissions import Action, Approval, ApprovalRequired, NotPermitted, check
from pos.domain.receipt import Receipt
from pos.domain.sale import parse_receipt_no
from pos.reports.closing import x_document
from pos.services.returns import CompletedReturn
from pos.services.shifts import XReport
from pos.store.repositories import ShiftRecord

from .device_panels import PrintQueueDialog, SyncPanel
from .i18n import translate
from .manager import ManagerScreen, manager_pages
from .messages import error_text
from .ops import Lane
from .presenters.checkout import CloseShift
from .qtcompat import emit
from .reports_view import ReportDialog, ShownReport, shown_report
from .returns import ReturnDialog
from .settings import HardwareSettingsDialog
from .shift import CashMoveDialog, CloseShiftDialog, OpenShiftDialog, ShiftMenuDialog
from .value_dialog import ValueDialog
from .wedge import SerialScannerBridge
from .widgets import yuan


def _x_report(till: Till) -> tuple[XReport, ShownReport]:
    """Runs on the writer thread: the X report of the open shift, laid out as it prints."""
    x = till.shifts.x_report()
    return x, shown_report(till, x_document(x, till.identity))


class CheckoutPanels:
    """Opening the panels and showing what they did (mixed into CheckoutWindow)."""

    def reprint(self) -> None:
        """F11 重印: the last receipt, or one typed or scanned; journaled and marked 重印."""
        if not self._free():
            return

        def check_no(text: str) -> None:
            parse_receipt_no("".join(text.split()))

        dialog = ValueDialog(translate("CheckoutWindow", "重印小票"), translate("CheckoutWindow", "默认重印上一单；也可扫描或输入小票号"),
                             translate("CheckoutWindow", "小票号如 MX01-20261122-0001"), check_no, initial=self.last_receipt_no or "",
                             max_gap_ms=self._wedge_gap_ms(), parent=self)
        self.value_dialog = dialog
        self._open_dialog(dialog, on_accept=lambda: self._reprint("".join(dialog.value.split()).upper()))

    def _reprint(self, receipt_no: str) -> None:
        till, cashier = self._till, self._cashier

        def done(receipt: Receipt) -> None:
            self.show_receipt(receipt)
            self._print(receipt)
            self.show_ok(translate("CheckoutWindow", "已重印小票 {no}").format(no=receipt.receipt_no))

        self._service_op(lambda _ap: till.checkout.reprint(receipt_no, cashier), done, status=translate("CheckoutWindow", "正在重印…"))

    # -- returns ----------------------------------------------------------------------------

    def open_returns(self) -> None:
        """F10 退货: by receipt, or without one (with a manager)."""
        if not self._free() or self.training:
            return
        dialog = ReturnDialog(self._till, self._runner, self._cashier, parent=self)
        dialog.completed.connect(self._returned)
        self.return_dialog = dialog
        self._open_dialog(dialog)

    def _returned(self, done: CompletedReturn) -> None:
        ret = done.ret
        self.show_receipt(done.receipt)
        self._print(done.receipt)
        self.show_ok(translate("CheckoutWindow", "退货完成  退货单 {no}  退款 {total}").format(no=ret.return_no, total=yuan(ret.refund_fen)))
        emit(self.return_completed, done)

    # -- the shift: 开班, 班次/钱箱, 交班 ----------------------------------------------------------

    def check_shift(self) -> None:
        """Read the open shift (writer thread); without one, ask for the float and open it."""
        self._runner.run(Lane.WRITER, self._till.shifts.current, self._shift_checked,
                         lambda exc: self.show_error(error_text(exc)))

    def _shift_checked(self, shift: ShiftRecord | None) -> None:
        self.shift = shift
        self._show_shift()
        if shift is None and self.isVisible():  # (a window already closed asks nothing)
            self.ask_open_shift()

    def _show_shift(self) -> None:
        if self.shift is None:
            self.shift_label.setText(translate("CheckoutWindow", "未开班"))
        else:
            self.shift_label.setText(translate("CheckoutWindow", "班次 {no}").format(no=self.shift.shift_no))

    def ask_open_shift(self) -> None:
        """开班: the float counted by denomination. Someone who may take the Z can go there instead."""
        if self.open_shift_dialog is not None:
            return
        offer_manager = bool(manager_pages(self._cashier.role))
        dialog = OpenShiftDialog(self._till, self._runner, self._cashier, offer_manager=offer_manager, parent=self)
        self.open_shift_dialog = dialog

        def opened() -> None:
            self.shift = dialog.shift
            self._show_shift()
            if dialog.shift is not None:
                self.show_ok(translate("CheckoutWindow", "已开班：班次 {no}，备用金 {float}").format(
                    no=dialog.shift.shift_no, float=yuan(dialog.shift.opening_float_fen)))

        def declined() -> None:
            if dialog.wants_manager:
                QTimer.singleShot(0, lambda: self.open_manager(then=self.check_shift))
            elif self.shift is None:
                emit(self.logout_requested)  # no shift, no selling: back to the login

        self._open_dialog(dialog, on_accept=opened, on_reject=declined)

    def open_shift_menu(self) -> None:
        """F2 班次/钱箱: 存入备用金, 取出现金, X 报表, 交班."""
        if not self._free():
            return
        dialog = ShiftMenuDialog(self._till, self._runner, parent=self)
        self.shift_menu = dialog
        actions = {ShiftMenuDialog.CASH_IN: partial(self.move_cash, EntryKind.CASH_IN),
                   ShiftMenuDialog.CASH_OUT: partial(self.move_cash, EntryKind.CASH_OUT),
                   ShiftMenuDialog.X_REPORT: self.x_report, ShiftMenuDialog.CLOSE: self.close_shift,
                   ShiftMenuDialog.DRAWER: self.open_drawer}

        def chosen() -> None:
            action = actions.get(dialog.choice or "")
            if action is not None:
                QTimer.singleShot(0, action)  # after this dialog has let go of the window

        self._open_dialog(dialog, on_accept=chosen)

    def move_cash(self, kind: str) -> None:
        """存入备用金 / 取出现金 with a reason (a cashier's needs 店长授权, asked in the dialog)."""
        if not self._free():
            return
        dialog = CashMoveDialog(self._till, self._runner, self._cashier, kind, parent=self)
        self.cash_dialog = dialog

        def moved() -> None:
            text = translate("CheckoutWindow", "已存入备用金 {amount}（{reason}）") if kind == EntryKind.CASH_IN \
                else translate("CheckoutWindow", "已取出现金 {amount}（{reason}）")
            self.show_ok(text.format(amount=yuan(dialog.amount_fen), reason=dialog.reason_text))

        self._open_dialog(dialog, on_accept=moved)

    def x_report(self) -> None:
        """X 报表: the shift so far (nothing is closed by reading it)."""
        if not self._free():
            return
        self.presenter.hold()
        self.show_info(translate("CheckoutWindow", "正在生成 X 报表…"))

        def shown(done: tuple[XReport, ShownReport]) -> None:
            self.presenter.release()
            x, report = done
            summary = translate("CheckoutWindow", "班次 {no}  备用金 {float}  应有现金 {expected}").format(
                no=x.shift.shift_no, float=yuan(x.shift.opening_float_fen), expected=yuan(x.expected_cash_fen))
            dialog = ReportDialog(self._till, self._runner, translate("CheckoutWindow", "X 报表"), report, summary=summary, parent=self)
            self.report_dialog = dialog
            self.show_info(translate("CheckoutWindow", "X 报表不结账"))
            self._open_dialog(dialog)

        def failed(exc: BaseException) -> None:
            self.presenter.release()
            self.show_error(error_text(exc))
            self._drain()

        self._runner.run(Lane.WRITER, partial(_x_report, self._till), shown, failed)

    def close_shift(self) -> None:
        """交班: the blind count; afterwards the next cashier logs in."""
        step = self.presenter.close_shift_pressed(self.cart.is_empty())
        if not isinstance(step, CloseShift):
            self._do(step)
            return
        dialog = CloseShiftDialog(self._till, self._runner, self._cashier, parent=self)
        self.close_dialog = dialog

        def finished() -> None:
            if dialog.result is None:
                return  # not closed: the shift goes on
            self.shift = None
            self._show_shift()
            emit(self.shift_closed, dialog.result)
            emit(self.logout_requested)

        self._open_dialog(dialog, on_accept=finished, on_reject=finished)

    # -- devices: 开钱箱, print queue, sync, settings, serial scanner ---------------------------------

    def open_drawer(self, approval: Approval | None = None) -> None:
        """开钱箱 (F2 panel, 5): a cashier needs 店长授权; journaled with both people, then the kick."""
        if self.locked:
            return
        drawer, cashier = self._till.drawer, self._cashier
        reason = translate("CheckoutWindow", "收银台开钱箱")
        self.show_info(translate("CheckoutWindow", "正在打开钱箱…"))

        def done(result: Any) -> None:
            text = result.message_zh if self._chinese() else result.message
            (self.show_ok if result.ok else self.show_error)(text)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ApprovalRequired):
                self._ask_approval(exc, translate("CheckoutWindow", "开钱箱"), lambda ap: self.open_drawer(ap))
            else:
                self.show_error(error_text(exc))

        self._runner.run(Lane.DEVICE, lambda: drawer.open(cashier, approval, reason=reason), done, failed)

    @staticmethod
    def _chinese() -> bool:
        from .i18n import is_chinese

        return is_chinese()

    def open_print_queue(self) -> None:
        """待打印: retry or abandon receipts that did not print."""
        if self.locked or self.presenter.dialogs_open:
            return
        dialog = PrintQueueDialog(self._till, self._runner, parent=self)
        dialog.changed.connect(self.status_strip.after_print)
        self.print_queue_dialog = dialog
        self._open_dialog(dialog, on_accept=self.status_strip.after_print, on_reject=self.status_strip.after_print)

    def open_sync_panel(self) -> None:
        """同步: state, 立即同步, last changes, history."""
        if self.locked or self.presenter.dialogs_open:
            return
        dialog = SyncPanel(self._till, self._runner, parent=self)
        dialog.synced.connect(lambda _r: self.status_strip.refresh_sync())
        self.sync_panel = dialog
        self._open_dialog(dialog, on_accept=self.status_strip.refresh_sync, on_reject=self.status_strip.refresh_sync)

    def open_settings(self) -> None:
        """硬件设置: for whoever may change settings (店长, 管理员)."""
        if self.locked or self.presenter.dialogs_open:
            return
        try:
            check(self._cashier.role, Action.SETTINGS)
        except PosError as exc:
            self.show_error(error_text(exc))
            return
        dialog = HardwareSettingsDialog(self._till, self._runner, self._cashier, parent=self)
        self.settings_dialog = dialog
        self._open_dialog(dialog, on_accept=self.status_strip.refresh, on_reject=self.status_strip.refresh)

    def _start_serial_scanner(self) -> None:
        if self._till.devices.settings.scanner == "wedge":
            return
        bridge = SerialScannerBridge(self._till.devices, self)
        bridge.code.connect(self._serial_code)
        bridge.status.connect(self._serial_status)
        self.scanner_bridge = bridge
        self._runner.run(Lane.DEVICE, bridge.start, None, lambda exc: self._serial_status(False, error_text(exc)))

    def _wedge_gap_ms(self) -> int:
        """The longest pause inside one scanner burst (setting wedge_max_gap_ms), for the dialogs' fields."""
        return int(getattr(self._till.config, "wedge_max_gap_ms", 30) or 30)

    def _serial_code(self, code: str) -> None:
        if self.locked:
            return  # scans are ignored while the till is locked (submit_code ignores them too)
        if self.payment_dialog is not None and self.payment_dialog.take_code(code):
            return  # a payment code while the payment dialog is open pays in it, not after it closes
        self.submit_code(code)

    def _serial_status(self, connected: bool, message: str) -> None:
        if connected:
            self.status_strip.set_scanner(True, translate("CheckoutWindow", "扫码枪：已连接"))
        else:
            self.status_strip.set_scanner(False, translate("CheckoutWindow", "扫码枪：未连接"))
            self.status_strip.scanner_label.setToolTip(message)

    def _stop_serial_scanner(self) -> None:
        bridge, self.scanner_bridge = self.scanner_bridge, None
        if bridge is not None:
            try:
                self._runner.run(Lane.DEVICE, bridge.stop)
            except RuntimeError:
                bridge.stop()

    # -- the manager screen -----------------------------------------------------------------

    def open_manager(self, then: Callable[[], None] | None = None) -> None:
        """Ctrl+M 店长管理: 日结, 对账, 人员 — as far as the person logged in may."""
        if not self._free():
            return
        if not manager_pages(self._cashier.role):
            self.show_error(error_text(NotPermitted(self._cashier.role, Action.Z_CLOSE)))
            return
        dialog = ManagerScreen(self._till, self._runner, self._cashier, parent=self)
        self.manager_dialog = dialog
        dialog.resize(self.size())
        self._open_dialog(dialog, on_accept=then, on_reject=then)
