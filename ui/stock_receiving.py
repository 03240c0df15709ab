"""收货: the manager's receiving page (issue 15). Two ways in: a supplier's delivery note file (CSV or
XLSX: a preview of its lines and total, or every problem with its row number — then 确认收货, all or
nothing), or the scanner: the batch header once, then each line scanned and typed, checked as it is
added (quantity, cost, expiry or production date, 合格证 number or its scanned QR, quarantine).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.receiving import DeliveryNoteCheck, GoodsReceipt, LineCheck, ReceiptLine
from pos.domain.users import User

from .i18n import is_chinese
from .ops import Lane, OpRunner
from .presenters.stock import (
    DeliveryNotePresenter,
    PreviewLine,
    ReceiveStep,
    ScannedBatch,
    money_text,
    problem_text,
)
from .stock import Cells, RowsModel, StockPageBase, rows_table, stock_service, today_of
from .style import ERROR_COLOR, OK_COLOR, OVER_COLOR, px, scaled
from .widgets import key_button, selected_row

FILE_MODE, SCAN_MODE = 0, 1


def _names(till: Till, skus: Sequence[str]) -> dict[str, str]:
    names = {}
    for sku in dict.fromkeys(skus):
        try:
            names[sku] = till.lookup.find(sku).name
        except Exception:  # noqa: BLE001 - a name is a courtesy; the service checked the sku
            names[sku] = ""
    return names


def _check_file(till: Till, path: str) -> tuple[DeliveryNoteCheck, dict[str, str]]:
    check = stock_service(till).check_delivery_note(path)
    skus = [line.sku for line in check.receipt.lines] if check.receipt else []
    return check, _names(till, skus)


def _receive_file(till: Till, path: str, user: User) -> Any:
    return stock_service(till).receive_file(path, user)


def _receive(till: Till, goods: GoodsReceipt, user: User) -> Any:
    return stock_service(till).receive(goods, user, source="scanner")


def _check_line(till: Till, fields: dict[str, str], arrival: date, lines: Sequence[ReceiptLine]) -> tuple[LineCheck, str]:
    check = stock_service(till).check_scanned_line(fields, arrival=arrival, lines_so_far=tuple(lines))
    name = _names(till, [check.line.sku])[check.line.sku] if check.line is not None else ""
    return check, name


def preview_cells(lines: Sequence[PreviewLine]) -> list[Cells]:
    return [Cells((str(p.row), p.sku, p.name, p.quantity, p.unit_cost, p.cost, p.expiry, p.certificate or "—",
                   p.origin)) for p in lines]


def received_text(received: Any, fallback: GoodsReceipt | None) -> tuple[str, int, int]:
    """(batch, lots, total fen) of what the service received."""
    batch = getattr(received, "batch", None) or getattr(received, "batch_no", None) or (fallback.batch if fallback else "")
    lots = getattr(received, "lots", None)
    n = len(lots) if isinstance(lots, (list, tuple)) else (len(fallback.lines) if fallback else 0)
    total = getattr(received, "total_cost_fen", None)
    if not isinstance(total, int):
        total = fallback.total_cost_fen if fallback else 0
    return str(batch), n, total


class ReceivingPage(StockPageBase):
    """收货: from a delivery note file, or with the scanner."""

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.note = DeliveryNotePresenter()
        self.scanned = ScannedBatch()
        self._busy = False

        self.file_mode_button = key_button(self.tr("送货单文件"), None, "modeButton")
        self.scan_mode_button = key_button(self.tr("扫码收货"), None, "modeButton")
        modes = QButtonGroup(self)
        for i, b in enumerate((self.file_mode_button, self.scan_mode_button)):
            b.setCheckable(True)
            modes.addButton(b, i)
        self.file_mode_button.setChecked(True)
        modes.idClicked.connect(self.set_mode)
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.file_mode_button)
        mode_row.addWidget(self.scan_mode_button)

        self.confirm_button = key_button(self.tr("确认收货"), None, "payButton")
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_panel())
        self.stack.addWidget(self._scan_panel())
        # One row for the mode, what happened and 确认收货: the scanner's form needs the height (1366×768).
        mode_row.addSpacing(8)
        mode_row.addWidget(self.status, 1)
        mode_row.addWidget(self.confirm_button)
        col = QVBoxLayout(self)
        col.addLayout(mode_row)
        col.addWidget(self.stack, 1)

    # -- the file ---------------------------------------------------------------------------------

    def _file_panel(self) -> QWidget:
        panel = QWidget()
        self.open_button = key_button(self.tr("打开送货单…"), None, "modeButton")
        self.open_button.clicked.connect(self.choose_file)
        self.path_label = QLabel(self.tr("CSV 或 XLSX，表头中文或英文（批次号、供应商、联系方式、到货日期、商品编码或条码、"
                                         "数量、进价、到期日或生产日期+保质期天数、产地、合格证编号…）"))
        self.path_label.setWordWrap(True)
        self.path_label.setStyleSheet("color: #546e7a;")
        self.note_header = QLabel("")
        self.note_header.setObjectName("sectionTitle")
        self.note_header.setWordWrap(True)
        self.preview_model = RowsModel([self.tr("行"), self.tr("商品编码"), self.tr("商品"), self.tr("数量"),
                                        self.tr("进价"), self.tr("金额"), self.tr("到期日"), self.tr("合格证"),
                                        self.tr("产地")], right=(0, 3, 4, 5))
        self.preview_table = rows_table(self.preview_model, "receiveTable", stretch=2)
        self.problems = QListWidget()
        self.problems.setObjectName("problemList")
        self.problems.setWordWrap(True)
        self.problems.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.problems.setVisible(False)
        self.problems.setStyleSheet(scaled("QListWidget { font-size: 18px; } QListWidget::item { padding: 4px 2px; }"))
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.path_label, 1)
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(top)
        col.addWidget(self.note_header)
        col.addWidget(self.preview_table, 3)
        col.addWidget(self.problems, 2)
        return panel

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("打开送货单"), "",
                                                    self.tr("送货单 (*.csv *.xlsx);;所有文件 (*)"))
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        """Check the delivery note at ``path`` (nothing is written) and show its preview or its problems."""
        if self._busy:
            return
        self.set_mode(FILE_MODE)
        self.note.opened(path)
        self.path_label.setText(path)
        self.note_header.setText(self.tr("正在检查送货单…"))
        self.preview_model.set_rows([])
        self.problems.clear()
        self.problems.setVisible(False)
        self.say("")
        self._update_confirm()
        self._runner.run(Lane.READER, partial(_check_file, self._till, path), self._file_checked, self._file_failed)

    def _file_checked(self, answer: tuple[DeliveryNoteCheck, dict[str, str]]) -> None:
        check, names = answer
        self.note.checked(check, names)
        self._draw_note()

    def _file_failed(self, exc: BaseException) -> None:
        self.note.failed()
        self.note_header.setText("")
        self.fail(exc)
        self._update_confirm()

    def _draw_note(self) -> None:
        note, chinese = self.note, is_chinese()
        self.problems.clear()
        receipt = note.receipt
        if note.step is ReceiveStep.REFUSED and note.check is not None:
            n = note.check.problem_count
            self.note_header.setText(self.tr("送货单有 {n} 处问题，整单未收货。请改正后重新打开：").format(n=n))
            self.note_header.setStyleSheet(f"color: {ERROR_COLOR};")
            for text in note.problems(chinese):
                self._problem(text, ERROR_COLOR)
            if note.more_problems:
                self._problem(self.tr("……另有 {n} 处问题").format(n=note.more_problems), ERROR_COLOR)
        elif receipt is not None:
            self.note_header.setText(self.tr("批次 {batch} · {supplier}（{contact}）· 到货 {arrival} · {n} 行 · 合计 {total}")
                                     .format(batch=receipt.batch, supplier=receipt.supplier, contact=receipt.contact,
                                             arrival=receipt.arrival.isoformat(), n=len(receipt.lines),
                                             total=money_text(receipt.total_cost_fen)))
            self.note_header.setStyleSheet("")
        for text in note.warnings(chinese):
            self._problem(self.tr("提示：{text}").format(text=text), OVER_COLOR)
        self.preview_model.set_rows(preview_cells(note.lines()))
        self.preview_table.setVisible(note.step is not ReceiveStep.REFUSED)
        self.problems.setVisible(self.problems.count() > 0)
        if note.step is ReceiveStep.READY:
            self.say(self.tr("请核对后点“确认收货”"))
        self._update_confirm()

    def _problem(self, text: str, color: str) -> None:
        item = QListWidgetItem(text)
        item.setForeground(Qt.GlobalColor.red if color == ERROR_COLOR else Qt.GlobalColor.darkYellow)
        self.problems.addItem(item)

    # -- the scanner ------------------------------------------------------------------------------

    def _field(self, placeholder: str, name: str = "personField") -> QLineEdit:
        f = QLineEdit()
        f.setObjectName(name)
        f.setPlaceholderText(placeholder)
        f.returnPressed.connect(self._next_field)
        return f

    def _scan_panel(self) -> QWidget:
        panel = QWidget()
        self.batch_field = self._field(self.tr("如 SHKC-2026-48"))
        self.supplier_field = self._field(self.tr("供应商"))
        self.contact_field = self._field(self.tr("电话"))
        self.arrival_edit = QDateEdit()
        self.arrival_edit.setObjectName("dayEdit")
        self.arrival_edit.setCalendarPopup(True)
        self.arrival_edit.setDisplayFormat("yyyy-MM-dd")
        today = today_of(self._till)
        self.arrival_edit.setDate(QDate(today.year, today.month, today.day))
        header = QFrame()
        header.setObjectName("receiveHeader")
        hgrid = QGridLayout(header)
        hgrid.setContentsMargins(0, 0, 0, 0)
        self._pairs(hgrid, 0, ((self.tr("批次号"), self.batch_field), (self.tr("供应商"), self.supplier_field)))
        self._pairs(hgrid, 1, ((self.tr("联系方式"), self.contact_field), (self.tr("到货日期"), self.arrival_edit)))

        self.code_field = self._field(self.tr("扫商品条码或输入编码"))
        self.qty_field = self._field(self.tr("件数，称重商品为 kg"))
        self.cost_field = self._field(self.tr("元/件 或 元/kg"))
        self.expiry_field = self._field(self.tr("2026-12-05"))
        self.production_field = self._field(self.tr("或生产日期"))
        self.shelf_field = self._field(self.tr("保质期天数"))
        self.origin_field = self._field(self.tr("如 松阳"))
        self.cert_field = self._field(self.tr("输入编号或扫合格证二维码"))
        self.quarantine_field = self._field(self.tr("牛羊肉等需要"))
        self._line_fields = [self.code_field, self.qty_field, self.cost_field, self.expiry_field,
                             self.production_field, self.shelf_field, self.origin_field, self.cert_field,
                             self.quarantine_field]
        lgrid = QGridLayout()
        self._pairs(lgrid, 0, ((self.tr("商品"), self.code_field), (self.tr("数量"), self.qty_field),
                               (self.tr("进价"), self.cost_field)))
        self._pairs(lgrid, 1, ((self.tr("到期日"), self.expiry_field), (self.tr("生产日期"), self.production_field),
                               (self.tr("保质期"), self.shelf_field)))
        self._pairs(lgrid, 2, ((self.tr("产地"), self.origin_field), (self.tr("合格证"), self.cert_field),
                               (self.tr("检疫证明"), self.quarantine_field)))
        self.add_button = key_button(self.tr("加入本行 Enter"), None, "modeButton")
        self.add_button.clicked.connect(self.add_line)
        self.remove_button = key_button(self.tr("删除所选行"), None, "modeButton")
        self.remove_button.clicked.connect(self.remove_selected)
        self.line_message = QLabel("")
        self.line_message.setObjectName("lineMessage")
        self.line_message.setWordWrap(True)
        self.scan_total = QLabel("")
        self.scan_total.setObjectName("sectionTitle")
        self.scan_model = RowsModel([self.tr("行"), self.tr("商品编码"), self.tr("商品"), self.tr("数量"),
                                     self.tr("进价"), self.tr("金额"), self.tr("到期日"), self.tr("合格证"),
                                     self.tr("产地")], right=(0, 3, 4, 5))
        self.scan_table = rows_table(self.scan_model, "scanReceiveTable", stretch=2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.line_message, 1)
        buttons.addWidget(self.remove_button)
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(header)
        col.addLayout(lgrid)
        col.addLayout(buttons)
        col.addWidget(self.scan_total)
        col.addWidget(self.scan_table, 1)
        self._draw_scanned()
        return panel

    @staticmethod
    def _pairs(grid: QGridLayout, row: int, pairs: Sequence[tuple[str, QWidget]]) -> None:
        for i, (caption, field) in enumerate(pairs):
            label = QLabel(caption)
            label.setObjectName("fieldCaption")
            grid.addWidget(label, row, 2 * i)
            grid.addWidget(field, row, 2 * i + 1)
            grid.setColumnStretch(2 * i + 1, 1)

    def _next_field(self) -> None:
        """Enter moves through the line's fields; Enter in the last one adds the line."""
        focus = self.focusWidget()
        order: list[QWidget] = [self.batch_field, self.supplier_field, self.contact_field]
        if focus in order[:-1]:
            order[order.index(focus) + 1].setFocus()
            return
        if focus is self.contact_field:
            self.code_field.setFocus()
            return
        fields: list[QWidget] = list(self._line_fields)
        if focus is self.qty_field or focus is self.cost_field or focus is self.code_field:
            fields[fields.index(focus) + 1].setFocus()
            return
        self.add_line()

    def arrival(self) -> date:
        d = self.arrival_edit.date()
        return date(d.year(), d.month(), d.day())

    def add_line(self) -> None:
        """Check the typed line with the delivery note's rules; on the list when it passes."""
        if self._busy:
            return
        s = self.scanned
        fields = s.fields(self.code_field.text(), self.qty_field.text(), self.cost_field.text(),
                          self.expiry_field.text(), self.production_field.text(), self.shelf_field.text(),
                          self.origin_field.text(), self.cert_field.text(), self.quarantine_field.text())
        self._runner.run(Lane.READER, partial(_check_line, self._till, fields, self.arrival(), tuple(s.lines)),
                         self._line_checked, self._line_failed)

    def _line_checked(self, answer: tuple[LineCheck, str]) -> None:
        check, name = answer
        chinese = is_chinese()
        if self.scanned.add(check, name):
            line = self.scanned.lines[-1]
            text = self.tr("已加入：{name} {sku}").format(name=name, sku=line.sku)
            warnings = [problem_text(w, chinese) for w in check.warnings]
            if warnings:
                self._line_say(text + "\n" + self.tr("提示：{text}").format(text="；".join(warnings)), OVER_COLOR)
            else:
                self._line_say(text, OK_COLOR)
            for f in self._line_fields:
                if f is not self.origin_field:  # the next line is usually from the same county
                    f.clear()
            self.code_field.setFocus()
        else:
            self._line_say("\n".join(problem_text(p, chinese) for p in check.errors), ERROR_COLOR)
        self._draw_scanned()

    def _line_failed(self, exc: BaseException) -> None:
        from .messages import error_text

        self._line_say(error_text(exc), ERROR_COLOR)

    def _line_say(self, text: str, color: str) -> None:
        self.line_message.setText(text)
        self.line_message.setStyleSheet(f"color: {color};")

    def remove_selected(self) -> None:
        i = selected_row(self.scan_table)
        if i is None:
            self.say(self.tr("请先选择要删除的行"), ERROR_COLOR)
            return
        self.scanned.remove(i)
        self._draw_scanned()

    def _draw_scanned(self) -> None:
        s = self.scanned
        self.scan_model.set_rows(preview_cells(s.preview()))
        self.scan_total.setText(self.tr("{n} 行，合计 {total}").format(n=len(s.lines), total=money_text(s.total_cost_fen)))
        self._update_confirm()

    def unsaved(self) -> str | None:
        if self.scanned.lines:
            return self.tr("扫码收货的 {n} 行还没有确认收货，确定离开？").format(n=len(self.scanned.lines))
        return None

    # -- the mode and 确认收货 ----------------------------------------------------------------------

    def set_mode(self, mode: int) -> None:
        self.stack.setCurrentIndex(mode)
        (self.file_mode_button if mode == FILE_MODE else self.scan_mode_button).setChecked(True)
        if mode == SCAN_MODE:
            (self.batch_field if not self.batch_field.text() else self.code_field).setFocus()
        self._update_confirm()

    @property
    def mode(self) -> int:
        stack = getattr(self, "stack", None)
        return stack.currentIndex() if stack is not None else FILE_MODE

    def _update_confirm(self) -> None:
        if self.mode == FILE_MODE:
            ok = self.note.can_confirm
        else:
            ok = bool(self.scanned.lines)
        self.confirm_button.setEnabled(ok and not self._busy)

    def confirm(self) -> None:
        """确认收货: the checked file, or the scanned lines under the typed header, as one batch."""
        if self._busy:
            return
        if self.mode == FILE_MODE:
            receipt = self.note.receipt
            path = self.note.confirm()
            if path is None or receipt is None:
                return
            if not self._ask(self.tr("确认收货：批次 {batch}，{n} 行，合计 {total}？").format(
                    batch=receipt.batch, n=len(receipt.lines), total=money_text(receipt.total_cost_fen))):
                self.note.failed()
                self._update_confirm()
                return
            self._start(partial(_receive_file, self._till, path, self._user), receipt)
            return
        s = self.scanned
        s.set_header(self.batch_field.text(), self.supplier_field.text(), self.contact_field.text(), self.arrival())
        missing = s.header.missing()
        if missing:
            labels = {"batch": self.tr("批次号"), "supplier": self.tr("供应商"), "supplier_contact": self.tr("联系方式"),
                      "arrival": self.tr("到货日期")}
            self.say(self.tr("请填写：{fields}").format(fields="、".join(labels[m] for m in missing)), ERROR_COLOR)
            return
        goods = s.goods()
        if goods is None:
            self.say(self.tr("还没有加入任何商品"), ERROR_COLOR)
            return
        if not self._ask(self.tr("确认收货：批次 {batch}，{n} 行，合计 {total}？").format(
                batch=goods.batch, n=len(goods.lines), total=money_text(goods.total_cost_fen))):
            return
        self._start(partial(_receive, self._till, goods, self._user), goods)

    def _start(self, op: Callable[[], Any], goods: GoodsReceipt) -> None:
        self._busy = True
        self._update_confirm()
        self.say(self.tr("正在收货…"))
        self._runner.run(Lane.WRITER, op, partial(self._received, goods), self._receive_failed)

    def _received(self, goods: GoodsReceipt, received: Any) -> None:
        self._busy = False
        batch, lots, total = received_text(received, goods)
        if self.mode == FILE_MODE:
            self.note.done(received)
        else:
            self.scanned.clear()
            self._draw_scanned()
            self._line_say("", OK_COLOR)
        self.say(self.tr("已收货：批次 {batch}，{n} 个批号，合计 {total}").format(batch=batch, n=lots,
                                                                      total=money_text(total)), OK_COLOR)
        self._update_confirm()

    def _receive_failed(self, exc: BaseException) -> None:
        self._busy = False
        if self.mode == FILE_MODE:
            self.note.failed()
        self.fail(exc)
        self._update_confirm()


def min_width() -> int:
    return px(900)
