"""报损 and 盘点: the manager's stock adjustments (issue 15).

报损: a product (scanned, typed, or chosen on 库存/临期), optionally one of its lots, a quantity
(units or kg), one of 变质 破损 过期 其他; whoever may not write off alone gets a manager's
approval (ui/approval.py) and the write-off is retried with it.

盘点: scan products and type what is on the shelf, or load a count sheet file; the sheet is saved
with the books' quantities at that moment, so the till keeps selling while it waits; its variances
are shown valued at cost; 审核调整 applies them (again with an approval when needed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.errors import PosError
from pos.domain.permissions import Action, Approval, ApprovalRequired
from pos.domain.stock import WriteOffReason
from pos.domain.users import User

from .ops import Lane, OpRunner
from .presenters.stock import (
    REASONS,
    ScannedCount,
    StockRow,
    VarianceRow,
    WriteOffPresenter,
    count_total_fen,
    money_text,
    parse_counted,
    quantity_text,
    signed_money_text,
    signed_quantity_text,
    stock_row,
    variance_row,
)
from .stock import PAST_ZERO_BG, Cells, RowsModel, StockPageBase, lot_cells, rows_table, stock_service, today_of
from .style import ERROR_COLOR, OK_COLOR
from .widgets import key_button, selected_row


def reason_text(reason: WriteOffReason) -> str:
    from .i18n import translate

    return {WriteOffReason.SPOILED: translate("WriteOffPage", "变质"), WriteOffReason.BROKEN: translate("WriteOffPage", "破损"),
            WriteOffReason.EXPIRED: translate("WriteOffPage", "过期"),
            WriteOffReason.OTHER: translate("WriteOffPage", "其他")}[reason]


def _find_product(till: Till, code: str) -> tuple[StockRow | None, Any, date]:
    """The followed product for ``code`` (with its lots), or None and the catalogue's product."""
    today = today_of(till)
    found = stock_service(till).stock_list(sku=code.strip(), lots=True)
    if found:
        return stock_row(found[0], today), None, today
    return None, till.lookup.find(code), today


class _ApprovingPage(StockPageBase):
    """A page whose change may need a manager's approval: run it; if refused for want of one, ask,
    then run it again with the approval."""

    approval_dialog: QDialog | None = None

    def run_approved(self, action: Action, reason: str, detail: str, op: Callable[[Approval | None], Any],
                     done: Callable[[Any], None], failed: Callable[[BaseException], None]) -> None:
        def refused(exc: BaseException) -> None:
            if isinstance(exc, ApprovalRequired):
                self._ask_approval(action, reason, detail, op, done, failed)
            else:
                failed(exc)

        self._runner.run(Lane.WRITER, partial(op, None), done, refused)

    def _ask_approval(self, action: Action, reason: str, detail: str, op: Callable[[Approval | None], Any],
                      done: Callable[[Any], None], failed: Callable[[BaseException], None]) -> None:
        from .approval import ApprovalDialog

        dialog = ApprovalDialog(self._till, self._runner, self._user, action, reason=reason, detail=detail, parent=self)
        self.approval_dialog = dialog

        def finished(result: int) -> None:
            self.approval_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted and dialog.approval is not None:
                self._runner.run(Lane.WRITER, partial(op, dialog.approval), done, failed)
            else:
                failed(PosError("not approved", message_zh="未获店长授权，未做更改"))

        dialog.finished.connect(finished)
        dialog.open()


# -- 报损 ------------------------------------------------------------------------------------------

class WriteOffPage(_ApprovingPage):
    """报损: product, lot (or first expiry first), quantity, reason, note; approval when needed."""

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.presenter = WriteOffPresenter()
        self._busy = False
        self.code_field = QLineEdit()
        self.code_field.setObjectName("searchField")
        self.code_field.setPlaceholderText(self.tr("扫商品条码或输入商品编码，回车"))
        self.code_field.returnPressed.connect(self.scan_code)
        self.product_label = QLabel(self.tr("请先扫码或在“库存”“临期”页选择商品"))
        self.product_label.setObjectName("sectionTitle")
        self.product_label.setWordWrap(True)
        self.lot_model = RowsModel([self.tr("批次"), self.tr("到货日期"), self.tr("到期日"), self.tr("剩余"),
                                    self.tr("库存"), self.tr("合格证"), self.tr("产地")], right=(4,))
        self.lot_table = rows_table(self.lot_model, "writeOffLots", stretch=5)
        lot_hint = QLabel(self.tr("选一个批次只从该批次报损；不选则先到期先出"))
        lot_hint.setStyleSheet("color: #546e7a;")
        self.qty_field = QLineEdit()
        self.qty_field.setObjectName("qtyField")
        self.qty_field.setPlaceholderText(self.tr("件数，称重商品为 kg"))
        self.qty_field.returnPressed.connect(self.submit)
        self.unit_label = QLabel("")
        self.reason_group = QButtonGroup(self)
        reasons = QHBoxLayout()
        self.reason_buttons: dict[WriteOffReason, Any] = {}
        for i, reason in enumerate(REASONS):
            b = key_button(reason_text(reason), None, "modeButton")
            b.setCheckable(True)
            self.reason_group.addButton(b, i)
            self.reason_buttons[reason] = b
            reasons.addWidget(b)
        self.note_field = QLineEdit()
        self.note_field.setObjectName("notesField")
        self.note_field.setMaxLength(200)
        self.note_field.setPlaceholderText(self.tr("说明（原因为“其他”时必填）"))
        self.submit_button = key_button(self.tr("报损"), None, "payButton")
        self.submit_button.clicked.connect(self.submit)
        grid = QGridLayout()
        for row, (caption, widget) in enumerate(((self.tr("数量"), self.qty_field), (self.tr("原因"), None),
                                                 (self.tr("说明"), self.note_field))):
            cap = QLabel(caption)
            cap.setObjectName("fieldCaption")
            grid.addWidget(cap, row, 0)
            if widget is None:
                grid.addLayout(reasons, row, 1, 1, 2)
            else:
                grid.addWidget(widget, row, 1)
        grid.addWidget(self.unit_label, 0, 2)
        grid.setColumnStretch(1, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.submit_button)
        col = QVBoxLayout(self)
        col.addWidget(self.code_field)
        col.addWidget(self.product_label)
        col.addWidget(self.lot_table, 1)
        col.addWidget(lot_hint)
        col.addLayout(grid)
        col.addLayout(bottom)

    def scan_code(self) -> None:
        self.say("")
        self.find(self.code_field.text())

    def find(self, code: str) -> None:
        if not code.strip():
            return
        self._runner.run(Lane.READER, partial(_find_product, self._till, code), self._found, self.fail)

    def _found(self, answer: tuple[StockRow | None, Any, date]) -> None:
        row, product, _today = answer
        if row is None:
            name = getattr(product, "name", "")
            self.say(self.tr("{name} 没有库存记录（未收过货也未盘点过），不能报损").format(name=name), ERROR_COLOR)
            return
        self.choose(row)

    def choose(self, row: StockRow) -> None:
        """Write off this product (from a scan, or chosen on 库存 / 临期); a single lot given is selected."""
        self.presenter.choose(row)
        self.code_field.setText(row.sku)
        unit = "kg" if row.weighed else self.tr("件")
        self.product_label.setText(self.tr("{name}（{sku}）库存 {qty} {unit}").format(
            name=row.name, sku=row.sku, qty=quantity_text(row.weighed, row.on_hand), unit=unit))
        self.unit_label.setText(unit)
        lots = [lot for lot in row.lots if lot.on_hand]
        self._lots = lots
        self.lot_model.set_rows([lot_cells(lot) for lot in lots])
        if len(lots) == 1 and len(row.lots) == 1 and row.value_fen == 0:  # from 临期: that very lot
            self.lot_table.selectRow(0)
            if lots[0].expired:
                self.set_reason(WriteOffReason.EXPIRED)
        self.qty_field.setFocus()

    _lots: list[Any] = []

    def selected_reason(self) -> WriteOffReason | None:
        i = self.reason_group.checkedId()
        return REASONS[i] if 0 <= i < len(REASONS) else None

    def set_reason(self, reason: WriteOffReason) -> None:
        self.reason_buttons[reason].setChecked(True)

    def selected_lot(self) -> str | None:
        i = selected_row(self.lot_table)
        return self._lots[i].lot if i is not None and i < len(self._lots) else None

    def submit(self) -> None:
        if self._busy:
            return
        try:
            req = self.presenter.request(self.qty_field.text(), self.selected_reason(), self.note_field.text())
        except PosError as exc:
            self.fail(exc)
            return
        product = self.presenter.product
        assert product is not None
        lot = self.selected_lot()
        what = self.tr("{name} {qty}{unit}，原因：{reason}").format(
            name=product.name, qty=quantity_text(product.weighed, req.quantity), unit="kg" if product.weighed else "",
            reason=reason_text(req.reason))
        if not self._ask(self.tr("确定报损 {what}？").format(what=what)):
            return
        self._busy = True
        self.submit_button.setEnabled(False)
        service, user = stock_service(self._till), self._user

        def op(approval: Approval | None) -> Any:
            return service.write_off(req.sku, req.quantity, req.reason.value, user, approval, lot_id=lot, note=req.note)

        self.run_approved(Action.STOCK_WRITEOFF, self.tr("报损需要店长授权"), what, op,
                          partial(self._done, product), self._failed)

    def _done(self, product: StockRow, written: Any) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        self.say(self.tr("已报损：{name} {qty}，成本 {cost}").format(
            name=product.name, qty=quantity_text(product.weighed, written.quantity) + ("kg" if product.weighed else ""),
            cost=money_text(written.cost_fen)), OK_COLOR)
        self.qty_field.clear()
        self.note_field.clear()
        self.find(product.sku)  # the lots as they are now

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        self.fail(exc)


# -- 盘点 ------------------------------------------------------------------------------------------

def _product(till: Till, code: str) -> Any:
    return till.lookup.find(code.strip())


def _pending(till: Till) -> list[Any]:
    return list(stock_service(till).pending_counts())


class CountPage(_ApprovingPage):
    """盘点: a sheet scanned here or loaded from a file → its variances at cost → 审核调整."""

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.sheet = ScannedCount()
        self.pending: list[Any] = []
        self.variances: list[VarianceRow] = []
        self._weighed_next: tuple[str, str, bool] | None = None
        self._busy = False

        title = QLabel(self.tr("扫码盘点：扫商品，输入实盘数量（称重商品为 kg），回车"))
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        self.code_field = QLineEdit()
        self.code_field.setObjectName("searchField")
        self.code_field.setPlaceholderText(self.tr("商品条码或编码"))
        self.code_field.returnPressed.connect(self.scan)
        self.counted_field = QLineEdit()
        self.counted_field.setObjectName("qtyField")
        self.counted_field.setPlaceholderText(self.tr("实盘数量"))
        self.counted_field.returnPressed.connect(self.add_counted)
        self.item_label = QLabel("")
        self.item_label.setWordWrap(True)
        self.sheet_model = RowsModel([self.tr("商品编码"), self.tr("商品"), self.tr("实盘")], right=(2,))
        self.sheet_table = rows_table(self.sheet_model, "countSheet", stretch=1)
        self.remove_button = key_button(self.tr("删除所选"), None, "modeButton")
        self.remove_button.clicked.connect(self.remove_selected)
        self.take_button = key_button(self.tr("生成盘点单"), None, "modeButton")
        self.take_button.clicked.connect(self.take)
        self.file_button = key_button(self.tr("载入盘点文件…"), None, "modeButton")
        self.file_button.clicked.connect(self.choose_file)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.code_field, 2)
        scan_row.addWidget(self.counted_field, 1)
        sheet_buttons = QHBoxLayout()
        sheet_buttons.addWidget(self.remove_button)
        sheet_buttons.addWidget(self.take_button)
        sheet_buttons.addWidget(self.file_button)
        left = QVBoxLayout()
        left.addWidget(title)
        left.addLayout(scan_row)
        left.addWidget(self.item_label)
        left.addWidget(self.sheet_table, 1)
        left.addLayout(sheet_buttons)

        pending_title = QLabel(self.tr("待审核的盘点单"))
        pending_title.setObjectName("sectionTitle")
        self.pending_box = QComboBox()
        self.pending_box.setObjectName("dayEdit")
        self.pending_box.currentIndexChanged.connect(lambda _i: self._draw_variances())
        self.variance_model = RowsModel([self.tr("商品"), self.tr("账面"), self.tr("实盘"), self.tr("差异"),
                                         self.tr("差异金额")], right=(1, 2, 3, 4))
        self.variance_table = rows_table(self.variance_model, "varianceTable", stretch=0)
        self.variance_total = QLabel("")
        self.variance_total.setObjectName("sectionTitle")
        self.variance_total.setWordWrap(True)
        self.approve_button = key_button(self.tr("审核调整"), None, "payButton")
        self.approve_button.clicked.connect(self.approve)
        right = QVBoxLayout()
        right.addWidget(pending_title)
        right.addWidget(self.pending_box)
        right.addWidget(self.variance_table, 1)
        right.addWidget(self.variance_total)
        right.addWidget(self.approve_button)

        row = QHBoxLayout()
        row.addLayout(left, 2)
        row.addSpacing(12)
        row.addLayout(right, 3)  # the variances are what the manager reads before approving
        col = QVBoxLayout(self)
        col.addLayout(row, 1)
        col.addWidget(self.status)
        self._draw_sheet()
        self._draw_variances()

    def refresh(self) -> None:
        self._runner.run(Lane.READER, partial(_pending, self._till), self._pending_loaded, self.fail)

    # -- the sheet being scanned --------------------------------------------------------------------

    def scan(self) -> None:
        code = self.code_field.text().strip()
        if code:
            self._runner.run(Lane.READER, partial(_product, self._till, code), self._scanned, self.fail)

    def _scanned(self, product: Any) -> None:
        self._weighed_next = (product.sku, product.name, bool(product.weighed))
        unit = "kg" if product.weighed else self.tr("件")
        self.item_label.setText(self.tr("{name}（{sku}）：输入实盘数量（{unit}）").format(
            name=product.name, sku=product.sku, unit=unit))
        self.item_label.setStyleSheet("")
        self.code_field.setText(product.sku)
        self.counted_field.setFocus()
        if self.counted_field.text().strip():
            self.add_counted()

    def add_counted(self) -> None:
        if self._weighed_next is None:
            self.scan()
            return
        sku, name, weighed = self._weighed_next
        try:
            counted = parse_counted(weighed, self.counted_field.text())
        except PosError as exc:
            self.fail(exc)
            return
        again = self.sheet.add(sku, name, weighed, counted)
        self.say(self.tr("{name} 改为 {qty}").format(name=name, qty=quantity_text(weighed, counted)) if again else
                 self.tr("{name} 实盘 {qty}").format(name=name, qty=quantity_text(weighed, counted)), OK_COLOR)
        self._weighed_next = None
        self.code_field.clear()
        self.counted_field.clear()
        self.item_label.setText("")
        self.code_field.setFocus()
        self._draw_sheet()

    def remove_selected(self) -> None:
        i = selected_row(self.sheet_table)
        lines = self.sheet.lines()
        if i is None or i >= len(lines):
            self.say(self.tr("请先选择要删除的行"), ERROR_COLOR)
            return
        self.sheet.remove(lines[i][0])
        self._draw_sheet()

    def _draw_sheet(self) -> None:
        self.sheet_model.set_rows([Cells(line) for line in self.sheet.lines()])
        self.take_button.setEnabled(bool(self.sheet.counted) and not self._busy)

    def unsaved(self) -> str | None:
        if self.sheet.counted:
            return self.tr("已扫 {n} 种商品还没有生成盘点单，确定离开？").format(n=len(self.sheet.counted))
        return None

    def take(self) -> None:
        """生成盘点单: the books' quantities now against what was counted; nothing changes stock yet."""
        if self._busy or not self.sheet.counted:
            return
        counted, user, service = dict(self.sheet.counted), self._user, stock_service(self._till)
        self._start(lambda: service.take_count(counted, user, source="scanner"))

    def choose_file(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, self.tr("载入盘点文件"), "",
                                               self.tr("盘点表 (*.csv *.xlsx);;所有文件 (*)"))
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> None:
        """A count sheet file (商品编码 or 条码, 实盘数量): saved as a pending sheet, its variances shown."""
        if self._busy:
            return
        user, service = self._user, stock_service(self._till)
        self._start(lambda: service.count_from_file(path, user), from_file=True)

    def _start(self, op: Callable[[], Any], from_file: bool = False) -> None:
        self._busy = True
        self.say(self.tr("正在生成盘点单…"))
        self._runner.run(Lane.WRITER, op, partial(self._taken, from_file), self._failed)

    def _taken(self, from_file: bool, sheet: Any) -> None:
        self._busy = False
        if not from_file:
            self.sheet.clear()
        self._draw_sheet()
        self.say(self.tr("盘点单 {no} 已生成，请核对差异后审核").format(no=sheet.count_no), OK_COLOR)
        self._select_after = sheet.count_no
        self.refresh()

    _select_after: int | None = None

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._draw_sheet()
        self.fail(exc)

    # -- pending sheets and their variances ---------------------------------------------------------

    def _pending_loaded(self, sheets: list[Any]) -> None:
        self.pending = list(sheets)
        want = self._select_after
        self._select_after = None
        self.pending_box.blockSignals(True)
        self.pending_box.clear()
        for s in self.pending:
            self.pending_box.addItem(self.tr("盘点单 {no}  {at}  {by}  {n} 种商品").format(
                no=s.count_no, at=str(s.created_at)[:16].replace("T", " "), by=s.by, n=len(s.lines)), s.count_no)
        if want is not None:
            i = self.pending_box.findData(want)
            self.pending_box.setCurrentIndex(max(i, 0))
        self.pending_box.blockSignals(False)
        self._draw_variances()

    def current_sheet(self) -> Any | None:
        i = self.pending_box.currentIndex()
        return self.pending[i] if 0 <= i < len(self.pending) else None

    def _draw_variances(self) -> None:
        s = self.current_sheet()
        self.variances = [variance_row(line) for line in s.lines] if s is not None else []
        self.variance_model.set_rows([
            Cells((v.name or v.sku, quantity_text(v.weighed, v.expected), quantity_text(v.weighed, v.counted),
                   signed_quantity_text(v.weighed, v.variance), signed_money_text(v.cost_fen)),
                  ERROR_COLOR if v.short else None, PAST_ZERO_BG if v.short else None) for v in self.variances])
        if s is None:
            self.variance_total.setText(self.tr("没有待审核的盘点单"))
        else:
            total = count_total_fen(self.variances)
            self.variance_total.setText(self.tr("差异合计（按成本）{total}；审核后按差异调整库存").format(
                total=signed_money_text(total)))
        self.approve_button.setEnabled(s is not None and not self._busy)

    def approve(self) -> None:
        s = self.current_sheet()
        if s is None or self._busy:
            return
        total = signed_money_text(count_total_fen(self.variances))
        if not self._ask(self.tr("审核盘点单 {no}：差异合计 {total}，按差异调整库存？").format(no=s.count_no, total=total)):
            return
        self._busy = True
        self.approve_button.setEnabled(False)
        service, user, no = stock_service(self._till), self._user, s.count_no

        def op(approval: Approval | None) -> Any:
            return service.approve_count(no, approval, by=user)

        self.run_approved(Action.STOCK_COUNT, self.tr("盘点调整需要店长授权"),
                          self.tr("盘点单 {no}，差异 {total}").format(no=no, total=total), op, self._approved, self._failed)

    def _approved(self, sheet: Any) -> None:
        self._busy = False
        self.say(self.tr("盘点单 {no} 已审核，库存已调整（差异 {total}）").format(
            no=sheet.count_no, total=signed_money_text(sheet.cost_fen)), OK_COLOR)
        self.refresh()
