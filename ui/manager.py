"""店长/会计: the manager screen — 日结 (Z) of the business day, 对账 (the day's takings against the
payment statements, then 审核 which locks the day), 人员 (people: add, disable), and the stock pages
of issue 15 (库存, 临期, 收货, 报损, 盘点, 批次; ui/stock*.py).

Which pages a person sees follows the permission matrix: a manager all of them, an accountant
日结, 对账 and 批次, an administrator 人员. Every figure comes from the services on the writer thread;
this screen only types in what the statements say and shows what the services answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QDate, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.business_day import BusinessDay
from pos.domain.closing import ReconciliationLine
from pos.domain.errors import PosError
from pos.domain.money import Fen, parse_yuan
from pos.domain.permissions import Action, can_approve
from pos.domain.users import Role, User
from pos.reports.closing import reconciliation_document, z_document
from pos.services.shifts import ClosedDay, DayReconciliation, HeldSalesOpen, ZReport

from .i18n import translate
from .manager_page import ManagerPage
from .messages import error_text
from .ops import Lane, OpRunner
from .qtcompat import emit
from .reports_view import ReportView, ShownReport, shown_report, tender_label
from .stock import BatchReportPage, NearExpiryPage, StockPage, StockPageBase
from .stock_adjust import CountPage, WriteOffPage
from .stock_receiving import ReceivingPage
from .stock_trace import StockTracePage
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR, px, scaled, touch_px
from .widgets import YuanStepField, key_button, pin_field, yuan

log = logging.getLogger(__name__)

Z_PAGE, RECONCILE_PAGE, PEOPLE_PAGE = "z", "reconcile", "people"
STOCK_PAGE, EXPIRY_PAGE, RECEIVE_PAGE, WRITEOFF_PAGE, COUNT_PAGE, BATCH_PAGE = (
    "stock", "expiry", "receive", "writeoff", "count", "batches")
STOCK_PAGES = (STOCK_PAGE, EXPIRY_PAGE, RECEIVE_PAGE, WRITEOFF_PAGE, COUNT_PAGE)
TRACE_PAGE = "trace"  # 溯源: a receipt's lots, a batch's receipts (ui/stock_trace.py)
VARIANCE_BG = QColor("#ffcdd2")


def role_text(role: Role) -> str:
    labels = {Role.CASHIER: translate("roles", "收银员"), Role.MANAGER: translate("roles", "店长"),
              Role.ACCOUNTANT: translate("roles", "会计"), Role.ADMIN: translate("roles", "管理员")}
    return labels.get(role, role.label_zh)


def manager_pages(role: Role) -> list[str]:
    """The pages of the manager screen ``role`` may use (empty: no manager screen at all)."""
    pages = []
    if can_approve(role, Action.Z_CLOSE):
        pages.append(Z_PAGE)
    if can_approve(role, Action.APPROVE_DAY):
        pages.append(RECONCILE_PAGE)
    if can_approve(role, Action.USER_ADMIN):
        pages.append(PEOPLE_PAGE)
    if can_approve(role, Action.STOCK_COUNT):  # who may adjust stock alone receives, writes off and counts
        pages.extend(STOCK_PAGES)
    if can_approve(role, Action.STOCK_COUNT) or can_approve(role, Action.Z_CLOSE):
        pages.append(BATCH_PAGE)
    if can_approve(role, Action.STOCK_COUNT):
        pages.append(TRACE_PAGE)
    return pages


def may_sell(role: Role) -> bool:
    return can_approve(role, Action.SELL)


def ask_yes_no(parent: QWidget, question: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, translate("ManagerScreen", "请确认"), question, parent=parent)
    yes = box.addButton(translate("ManagerScreen", "确定"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("ManagerScreen", "取消"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


def _signed(fen: Fen) -> str:
    return ("+" if fen > 0 else "") + yuan(fen)


def _primary(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName("payButton")
    b.setAutoDefault(False)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return b


_Page = ManagerPage


# -- 日结 ---------------------------------------------------------------------------------------------

def _z_close(till: Till, user: User, day: BusinessDay, keep_held: bool) -> tuple[ZReport, ShownReport]:
    z = till.closing.z_close(user, day, keep_held=keep_held)
    return z, shown_report(till, z_document(z, till.identity))


def _day_state(till: Till) -> tuple[BusinessDay | None, str | None, list[ClosedDay]]:
    """Runs on the writer thread: the day 日结 would close, the last closed day, and the past Zs."""
    return till.closing.next_day_to_close(), till.closing.last_closed_day(), till.closing.closed_days()


def _past_z(till: Till, day: str) -> ShownReport:
    return shown_report(till, z_document(till.closing.z_report(day), till.identity))


ZCOL_DAY, ZCOL_AT, ZCOL_BY, ZCOL_NET, ZCOL_GRAND = range(5)


class DayClosePage(_Page):
    """日结 (Z): the oldest business day that had business and has no Z (or today), after a
    confirmation naming it; then the Z report. Below, every past Z: 查看, 重印, 导出PDF."""

    z_closed = Signal(object)  # ZReport

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.day: BusinessDay | None = None
        self.last_z: ZReport | None = None
        self.closed: list[ClosedDay] = []
        self.shown_day: str | None = None  # the past Z in the report view
        self._busy = False
        self.day_label = QLabel(self.tr("营业日 …"))
        self.day_label.setObjectName("dayLabel")
        self.day_label.setWordWrap(True)
        hint = QLabel(self.tr("日结前请先交班。日结后当天的数据不能再更改，之后的交易计入下一营业日。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #546e7a;")
        self.z_button = _primary(self.tr("日结（Z） Enter"))
        self.z_button.setEnabled(False)
        self.z_button.clicked.connect(self.z_close)

        past_title = QLabel(self.tr("历史日结"))
        past_title.setObjectName("sectionTitle")
        self.z_table = QTableWidget(0, 5)
        self.z_table.setObjectName("zList")
        self.z_table.setHorizontalHeaderLabels([self.tr("营业日"), self.tr("日结时间"), self.tr("日结人"),
                                                self.tr("净销售额"), self.tr("累计")])
        self.z_table.verticalHeader().setVisible(False)
        self.z_table.verticalHeader().setDefaultSectionSize(px(40))
        self.z_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.z_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.z_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.z_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.z_table.doubleClicked.connect(lambda _i: self.view_selected())
        self.view_button = key_button(self.tr("查看"), None, "modeButton")
        self.view_button.clicked.connect(lambda: self.view_selected())
        self.reprint_button = key_button(self.tr("重印"), None, "modeButton")
        self.reprint_button.clicked.connect(lambda: self.view_selected(then="print"))
        self.export_button = key_button(self.tr("导出PDF"), None, "modeButton")
        self.export_button.clicked.connect(lambda: self.view_selected(then="pdf"))
        past_buttons = QHBoxLayout()
        for b in (self.view_button, self.reprint_button, self.export_button):
            past_buttons.addWidget(b)

        left = QVBoxLayout()
        left.addWidget(self.day_label)
        left.addWidget(hint)
        left.addWidget(self.z_button)
        left.addWidget(self.status)
        left.addSpacing(8)
        left.addWidget(past_title)
        left.addWidget(self.z_table, 1)
        left.addLayout(past_buttons)
        self.report_view = ReportView(till, runner)
        row = QHBoxLayout(self)
        row.addLayout(left, 1)
        row.addSpacing(16)
        row.addWidget(self.report_view)
        self.refresh()

    def refresh(self) -> None:
        self._runner.run(Lane.WRITER, partial(_day_state, self._till), self._state_read, self.fail)

    def _state_read(self, state: tuple[BusinessDay | None, str | None, list[ClosedDay]]) -> None:
        day, last, closed = state
        self.day = day
        if day is None:
            self.day_label.setText(self.tr("没有待日结的营业日（{last} 已日结）").format(last=last or "—"))
        elif day.date < self._till.identity.local(self._till.clock.now()).date():  # a missed day
            self.day_label.setText(self.tr("待日结：营业日 {day}（未日结的最早一天）").format(day=day))
        else:
            self.day_label.setText(self.tr("营业日 {day}").format(day=day))
        self.z_button.setEnabled(day is not None and not self._busy)
        self._set_closed(closed)

    def _set_closed(self, closed: list[ClosedDay]) -> None:
        self.closed = list(closed)
        self.z_table.setRowCount(len(self.closed))
        for r, c in enumerate(self.closed):
            for col, text in ((ZCOL_DAY, c.business_day), (ZCOL_AT, c.closed_at), (ZCOL_BY, c.closed_by_name),
                              (ZCOL_NET, yuan(c.net_fen)), (ZCOL_GRAND, yuan(c.grand_total_fen))):
                item = QTableWidgetItem(text)
                if col in (ZCOL_NET, ZCOL_GRAND):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.z_table.setItem(r, col, item)
        has = bool(self.closed)
        for b in (self.view_button, self.reprint_button, self.export_button):
            b.setEnabled(has)
        if has and not self.z_table.selectionModel().selectedRows():
            self.z_table.selectRow(0)

    def select_day(self, day: str) -> None:
        row = next((i for i, c in enumerate(self.closed) if c.business_day == day), None)
        if row is not None:
            self.z_table.selectRow(row)

    def selected_day(self) -> str | None:
        rows = self.z_table.selectionModel().selectedRows()
        return self.closed[rows[0].row()].business_day if rows and rows[0].row() < len(self.closed) else None

    def view_selected(self, then: str | None = None) -> None:
        """Show the selected past Z; ``then`` 'print' reprints it, 'pdf' exports it."""
        day = self.selected_day()
        if day is None:
            self.say(self.tr("请先选择一个已日结的营业日"), ERROR_COLOR)
            return
        self._runner.run(Lane.WRITER, partial(_past_z, self._till, day), partial(self._past_shown, day, then),
                         self.fail)

    def _past_shown(self, day: str, then: str | None, report: ShownReport) -> None:
        assert self.report_view is not None
        self.shown_day = day
        self.report_view.set_report(report)
        self.say(self.tr("{day} 的 Z 报表").format(day=day))
        if then == "print":
            self.report_view.print_report()
        elif then == "pdf":
            self.report_view.export_pdf()

    def z_close(self) -> None:
        if self._busy or self.day is None:
            return
        day = self.day
        if not self._ask(self.tr("确定对营业日 {day} 日结？日结后当天的交易不能再更改。").format(day=day)):
            self.say(self.tr("未日结"))
            return
        self._start_z(day, keep_held=False)

    def _start_z(self, day: BusinessDay, *, keep_held: bool) -> None:
        self._busy = True
        self.z_button.setEnabled(False)
        self.say(self.tr("正在日结 {day}…").format(day=day))
        self._runner.run(Lane.WRITER, partial(_z_close, self._till, self._user, day, keep_held), self._closed,
                         partial(self._failed, day))

    def _closed(self, done: tuple[ZReport, ShownReport]) -> None:
        self._busy = False
        z, report = done
        self.last_z = z
        self.shown_day = z.business_day
        assert self.report_view is not None
        self.report_view.set_report(report)
        self.say(self.tr("{day} 已日结，净销售额 {net}").format(day=z.business_day, net=yuan(z.totals.net_fen)),
                 OK_COLOR)
        self.refresh()
        emit(self.z_closed, z)
        # The day's backup is due after a Z: taken in the background, a failure only logged.
        self._runner.run(Lane.DEVICE, self._till.auto_backup, None,
                         lambda exc: log.warning("daily backup after the Z failed: %s", exc))

    def _failed(self, day: BusinessDay, exc: BaseException) -> None:
        self._busy = False
        self.z_button.setEnabled(self.day is not None)
        if isinstance(exc, HeldSalesOpen):
            if self._ask(held_question(exc, self.tr("仍要日结 {day}？").format(day=day))):
                self._start_z(day, keep_held=True)
                return
            self.say(self.tr("未日结：请先处理挂单"))
            return
        self.fail(exc)


def held_question(exc: HeldSalesOpen, go_on: str) -> str:
    """The yes/no question for sales still on hold: each one with time, cashier and total."""
    lines = [translate("ManagerScreen", "还有 {n} 张挂单未取：").format(n=len(exc.held))]
    for h in exc.held[:10]:
        lines.append(translate("ManagerScreen", "挂单 {no}  {at}  {name}  {total}").format(
            no=h.hold_no, at=h.shown_at[5:16], name=h.cashier_name, total=yuan(h.total_fen)))
    if len(exc.held) > 10:
        lines.append(translate("ManagerScreen", "……另有 {n} 张").format(n=len(exc.held) - 10))
    lines.append(go_on)
    return "\n".join(lines)


# -- 对账 ---------------------------------------------------------------------------------------------

def _last_closed_day(till: Till) -> str | None:
    """The business day of the Z taken last (on the writer thread)."""
    return till.closing.last_closed_day()


def _reconciliation_shown(till: Till, rec: DayReconciliation) -> tuple[DayReconciliation, ShownReport, dict[str, str]]:
    names = {u.login: u.display_name for u in till.auth.users()}
    return rec, shown_report(till, reconciliation_document(rec, till.identity)), names


def _load_reconciliation(till: Till, day: str) -> tuple[DayReconciliation, ShownReport, dict[str, str]]:
    return _reconciliation_shown(till, till.closing.reconciliation(day))


def _declare(till: Till, day: str, declared: dict[str, Fen], notes: str, user: User,
             no_statement: dict[str, str | None] | None = None) -> tuple[DayReconciliation, ShownReport, dict[str, str]]:
    return _reconciliation_shown(till, till.closing.declare(day, declared, notes, user, no_statement=no_statement))


def _approve(till: Till, day: str, user: User) -> tuple[DayReconciliation, ShownReport, dict[str, str]]:
    return _reconciliation_shown(till, till.closing.approve(day, user))


COL_TENDER, COL_EXPECTED, COL_DECLARED, COL_VARIANCE, COL_NO_STATEMENT = range(5)


class ReconciliationPage(_Page):
    """对账: a day's 应收 per tender from its Z against 申报 from the statements, or 无对账单 with a
    reason; 保存, then 审核 (locks) by someone other than the person who saved the figures."""

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.rec: DayReconciliation | None = None
        self.fields: dict[str, YuanStepField] = {}
        self.reasons: dict[str, QLineEdit] = {}
        self._lines: list[ReconciliationLine] = []
        self._loading_day: str | None = None
        self._busy = False
        self.dirty = False

        self.day_edit = QDateEdit()
        self.day_edit.setObjectName("dayEdit")
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.dateChanged.connect(lambda _d: self.load())
        self.reload_button = key_button(self.tr("读取"), None)
        self.reload_button.setObjectName("modeButton")
        self.reload_button.clicked.connect(lambda: self.load())
        self.approved_label = QLabel("")
        self.approved_label.setObjectName("approvedLabel")
        day_row = QHBoxLayout()
        day_caption = QLabel(self.tr("营业日"))
        day_caption.setObjectName("fieldCaption")
        day_row.addWidget(day_caption)
        day_row.addWidget(self.day_edit)
        day_row.addWidget(self.reload_button)
        day_row.addSpacing(12)
        day_row.addWidget(self.approved_label, 1)

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("reconTable")
        self.table.setHorizontalHeaderLabels([self.tr("付款方式"), self.tr("应收"), self.tr("申报"), self.tr("差额"),
                                              self.tr("无对账单原因")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(touch_px(46))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        h = self.table.horizontalHeader()
        # The tender's name as wide as it needs, the figures fixed (scaled with the screen), the
        # reason takes the rest: on a 1024×768 screen nothing scrolls sideways.
        h.setSectionResizeMode(COL_TENDER, QHeaderView.ResizeMode.ResizeToContents)
        for col, width in ((COL_EXPECTED, 120), (COL_DECLARED, 140), (COL_VARIANCE, 120)):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, px(width))
        h.setSectionResizeMode(COL_NO_STATEMENT, QHeaderView.ResizeMode.Stretch)
        self.total_label = QLabel("")
        self.total_label.setObjectName("statusLabel")
        self.notes = QLineEdit()
        self.notes.setObjectName("notesField")
        self.notes.setMaxLength(200)
        self.notes.setPlaceholderText(self.tr("备注（如：手续费、长短款原因）"))
        self.notes.textEdited.connect(self._edited)

        self.save_button = key_button(self.tr("保存"), "F6")
        self.save_button.clicked.connect(self.save)
        self.approve_button = key_button(self.tr("审核"), "F7", "payButton")
        self.approve_button.clicked.connect(self.approve)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.approve_button, 1)

        left = QVBoxLayout()
        left.addLayout(day_row)
        left.addWidget(self.table, 1)
        left.addWidget(self.total_label)
        left.addWidget(self.notes)
        left.addWidget(self.status)
        left.addLayout(buttons)
        self.report_view = ReportView(till, runner)
        row = QHBoxLayout(self)
        row.addLayout(left, 1)
        row.addSpacing(16)
        row.addWidget(self.report_view)
        self._set_editable(False)
        self._runner.run(Lane.WRITER, partial(_last_closed_day, till), self._default_day, self.fail)

    # -- the day ---------------------------------------------------------------------------------

    def _default_day(self, day: str | None) -> None:
        if day is None:
            self.say(self.tr("还没有日结过的营业日：请先日结，再对账"))
            self.show_day(self._till.identity.local(self._till.clock.now()).date().isoformat(), load=False)
            return
        self.show_day(day)

    def show_day(self, day: str, *, load: bool = True) -> None:
        date = QDate.fromString(day, "yyyy-MM-dd")
        self.day_edit.blockSignals(True)
        self.day_edit.setDate(date)
        self.day_edit.blockSignals(False)
        if load:
            self.load()

    def day(self) -> str:
        return self.day_edit.date().toString("yyyy-MM-dd")

    def load(self) -> None:
        day = self.day()
        self._loading_day = day
        self._runner.run(Lane.WRITER, partial(_load_reconciliation, self._till, day),
                         partial(self._loaded, day), partial(self._load_failed, day))

    def _load_failed(self, day: str, exc: BaseException) -> None:
        if day != self._loading_day:
            return
        self.rec = None
        self._lines = []
        self.fields = {}
        self.reasons = {}
        self.table.setRowCount(0)
        self.total_label.setText("")
        self.approved_label.setText("")
        self.notes.clear()
        assert self.report_view is not None
        self.report_view.set_report(None)
        self._set_editable(False)
        self.fail(exc)

    def _loaded(self, day: str, done: tuple[DayReconciliation, ShownReport, dict[str, str]]) -> None:
        if day != self._loading_day:
            return  # another day was picked meanwhile
        self._show(*done)
        self.say(self.tr("{day} 的对账已读取").format(day=day) if self.rec and self.rec.declared_by
                 else self.tr("{day}：请按对账单录入各付款方式的申报金额").format(day=day))

    def _show(self, rec: DayReconciliation, report: ShownReport, names: dict[str, str]) -> None:
        self.rec = rec
        self._lines = list(rec.lines)
        self.fields = {}
        self.reasons = {}
        self.table.setRowCount(len(self._lines))
        for row, line in enumerate(self._lines):
            name = QTableWidgetItem(tender_label(line.tender))
            expected = QTableWidgetItem(yuan(line.expected_fen))
            expected.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            variance = QTableWidgetItem("—")
            variance.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, COL_TENDER, name)
            self.table.setItem(row, COL_EXPECTED, expected)
            self.table.setItem(row, COL_VARIANCE, variance)
            field = YuanStepField("statementField")
            if line.declared_fen is not None:
                field.setText(yuan(line.declared_fen).removeprefix("￥"))
            field.on_step = partial(self._step, row)
            self.table.setCellWidget(row, COL_DECLARED, field)
            self.fields[line.tender] = field
            reason = QLineEdit(rec.no_statement.get(line.tender, ""))
            reason.setObjectName("noStatementField")
            reason.setMaxLength(200)
            reason.setPlaceholderText(self.tr("无对账单时填写原因"))
            self.table.setCellWidget(row, COL_NO_STATEMENT, reason)
            self.reasons[line.tender] = reason
        for row, line in enumerate(self._lines):  # every field exists before the first update
            field = self.fields[line.tender]
            field.textChanged.connect(lambda _text, r=row: self._update_row(r))
            field.textEdited.connect(self._edited)
            reason = self.reasons[line.tender]
            reason.textChanged.connect(lambda _text, r=row: self._update_row(r))
            reason.textEdited.connect(self._edited)
            self._update_row(row)
        self.notes.setText(rec.notes)
        self.dirty = False
        if rec.approved:
            who = names.get(rec.approved_by or "", rec.approved_by_name or rec.approved_by or "")
            self.approved_label.setText(self.tr("已审核（{name}）").format(name=who))
            self.approved_label.setStyleSheet(scaled(f"color: {OK_COLOR}; font-size: 20px; font-weight: bold;"))
        elif rec.declared_by:
            who = names.get(rec.declared_by, rec.declared_by_name or rec.declared_by)
            self.approved_label.setText(self.tr("已保存，未审核（录入 {name}，须由另一人审核）").format(name=who))
            self.approved_label.setStyleSheet(scaled(f"color: {INFO_COLOR}; font-size: 19px;"))
        else:
            self.approved_label.setText(self.tr("未录入"))
            self.approved_label.setStyleSheet(scaled(f"color: {INFO_COLOR}; font-size: 19px;"))
        assert self.report_view is not None
        self.report_view.set_report(report)
        self._set_editable(not rec.approved)
        self._update_total()
        if not rec.approved and self._lines:
            first = self.fields[self._lines[0].tender]
            first.setFocus()
            first.selectAll()

    def _set_editable(self, editable: bool) -> None:
        for field in (*self.fields.values(), *self.reasons.values()):
            field.setReadOnly(not editable)
        self.notes.setReadOnly(not editable)
        self.save_button.setEnabled(editable)
        self.approve_button.setEnabled(editable)

    @property
    def read_only(self) -> bool:
        return not self.save_button.isEnabled()

    def _step(self, row: int, step: int) -> None:
        target = row + step
        if target >= len(self._lines):
            self.notes.setFocus()
            return
        field = self.fields[self._lines[max(0, target)].tender]
        field.setFocus()
        field.selectAll()

    def _edited(self, *_args: object) -> None:
        self.dirty = True

    # -- the variance, live ----------------------------------------------------------------------

    def declared_value(self, tender: str) -> Fen | None:
        """The figure typed for ``tender`` (None when blank); raises PosError when it is not an amount."""
        text = self.fields[tender].text().strip()
        return parse_yuan(text) if text else None

    def variance_item(self, tender: str) -> QTableWidgetItem:
        row = next(i for i, ln in enumerate(self._lines) if ln.tender == tender)
        item = self.table.item(row, COL_VARIANCE)
        assert item is not None
        return item

    def _update_row(self, row: int) -> None:
        line = self._lines[row]
        item = self.table.item(row, COL_VARIANCE)
        if item is None:
            return
        try:
            declared = self.declared_value(line.tender)
        except PosError:
            item.setText(self.tr("金额无效"))
            item.setForeground(QBrush(QColor(ERROR_COLOR)))
            item.setBackground(QBrush(VARIANCE_BG))
            self._update_total()
            return
        if declared is None:
            marked = line.tender in self.reasons and bool(self.reasons[line.tender].text().strip())
            item.setText(self.tr("无对账单") if marked else "—")
            item.setForeground(QBrush(QColor(INFO_COLOR)))
            item.setBackground(QBrush())
        else:
            v = declared - line.expected_fen
            item.setText(_signed(v))
            item.setForeground(QBrush(QColor(ERROR_COLOR if v else OK_COLOR)))
            item.setBackground(QBrush(VARIANCE_BG) if v else QBrush())
            font = item.font()
            font.setBold(bool(v))
            item.setFont(font)
        self._update_total()

    def is_highlighted(self, tender: str) -> bool:
        return self.variance_item(tender).background().color() == VARIANCE_BG

    def _update_total(self) -> None:
        total, declared_any = 0, False
        for line in self._lines:
            try:
                d = self.declared_value(line.tender)
            except PosError:
                continue
            if d is not None:
                declared_any = True
                total += d - line.expected_fen
        if not declared_any:
            self.total_label.setText("")
            return
        self.total_label.setText(self.tr("差额合计 {total}").format(total=_signed(total)))
        self.total_label.setStyleSheet(f"color: {ERROR_COLOR if total else OK_COLOR}; font-weight: bold;")

    def declared(self) -> dict[str, Fen]:
        """Every figure typed in; raises PosError (naming the tender) on one that is not an amount."""
        out: dict[str, Fen] = {}
        for line in self._lines:
            try:
                value = self.declared_value(line.tender)
            except PosError as exc:
                raise type(exc)(exc.message, message_zh=f"{tender_label(line.tender)}：{exc.message_zh}") from exc
            if value is not None:
                out[line.tender] = value
        return out

    def no_statement(self) -> dict[str, str | None]:
        """Each tender's "no statement" reason as typed (None: not marked, which clears a mark)."""
        return {t: (f.text().strip() or None) for t, f in self.reasons.items()}

    def mark_no_statement(self, tender: str, reason: str) -> None:
        """Mark ``tender`` 无对账单 with ``reason`` (what typing in its reason field does)."""
        self.fields[tender].clear()
        self.reasons[tender].setText(reason)
        self.dirty = True

    # -- 保存 and 审核 ----------------------------------------------------------------------------

    def save(self) -> None:
        if self._busy or self.rec is None or self.read_only:
            return
        try:
            declared = self.declared()
        except PosError as exc:
            self.fail(exc)
            return
        reasons = self.no_statement()
        if not declared and not any(reasons.values()) and not self.rec.no_statement:
            self.say(self.tr("请先录入申报金额，或填写无对账单原因"), ERROR_COLOR)
            return
        self._run(partial(_declare, self._till, self.rec.business_day, declared, self.notes.text(), self._user,
                          reasons), self.tr("已保存 {day} 的对账数据"))

    def approve(self) -> None:
        if self._busy or self.rec is None or self.read_only:
            return
        if self.dirty:
            # Saving now would make this person the preparer, who may not approve their own figures.
            self.say(self.tr("有未保存的修改：请先保存（F6），再由录入人以外的人审核"), ERROR_COLOR)
            return
        day = self.rec.business_day
        if not self._ask(self.tr("审核后 {day} 的对账数据将锁定，不能再修改。确定审核？").format(day=day)):
            self.say(self.tr("未审核"))
            return
        self._run(partial(_approve, self._till, day, self._user), self.tr("{day} 已审核并锁定"))

    def _run(self, fn: Callable[[], tuple[DayReconciliation, ShownReport, dict[str, str]]], ok_text: str) -> None:
        self._busy = True
        self.save_button.setEnabled(False)
        self.approve_button.setEnabled(False)

        def done(result: tuple[DayReconciliation, ShownReport, dict[str, str]]) -> None:
            self._busy = False
            self._show(*result)
            self.say(ok_text.format(day=result[0].business_day), OK_COLOR)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._set_editable(self.rec is not None and not self.rec.approved)
            self.fail(exc)

        self._runner.run(Lane.WRITER, fn, done, failed)

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_F6:
            self.save()
            return True
        if event.key() == Qt.Key.Key_F7:
            self.approve()
            return True
        return False


# -- 人员 ---------------------------------------------------------------------------------------------

class AddPersonDialog(QDialog):
    """添加人员: login, name, role, PIN twice. After ``accept()`` :attr:`user` is the new person."""

    def __init__(self, till: Till, runner: OpRunner, by: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._by = by
        self._busy = False
        self.user: User | None = None
        self.setWindowTitle(self.tr("添加人员"))
        self.setModal(True)
        self.setMinimumWidth(px(560))
        title = QLabel(self.tr("添加人员"))
        title.setObjectName("dialogTitle")
        self.login = QLineEdit()
        self.login.setObjectName("personField")
        self.login.setMaxLength(32)
        self.login.setValidator(QRegularExpressionValidator(QRegularExpression(r"[A-Za-z0-9_]{0,32}"), self.login))
        self.login.setPlaceholderText(self.tr("字母、数字、下划线，如 cashier2"))
        self.name = QLineEdit()
        self.name.setObjectName("personField")
        self.name.setMaxLength(40)
        self.name.setPlaceholderText(self.tr("姓名"))
        self.role = QComboBox()
        self.role.setObjectName("personField")
        for role in (Role.CASHIER, Role.MANAGER, Role.ACCOUNTANT, Role.ADMIN):
            self.role.addItem(role_text(role), role)
        self.pin = self._pin_field(self.tr("4–8 位数字"))
        self.pin_again = self._pin_field(self.tr("再输入一次"))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        form = QGridLayout()
        for row, (caption, field) in enumerate(((self.tr("登录名"), self.login), (self.tr("姓名"), self.name),
                                                (self.tr("角色"), self.role), (self.tr("密码"), self.pin),
                                                (self.tr("确认密码"), self.pin_again))):
            cap = QLabel(caption)
            cap.setObjectName("fieldCaption")
            form.addWidget(cap, row, 0)
            form.addWidget(field, row, 1)
        form.setColumnStretch(1, 1)
        self.ok_button = _primary(self.tr("添加 Enter"))
        self.ok_button.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("取消 Esc"))
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._order: list[QWidget] = [self.login, self.name, self.role, self.pin, self.pin_again]
        self.login.setFocus()

    def _pin_field(self, placeholder: str) -> QLineEdit:
        return pin_field(placeholder, "personField")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            i = self._order.index(focus) if focus in self._order else len(self._order) - 1
            if i + 1 < len(self._order):
                self._order[i + 1].setFocus()
            else:
                self.submit()
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        if self._busy:
            return
        if self.pin.text() != self.pin_again.text():
            self.message.setText(self.tr("两次输入的密码不一致"))
            self.pin_again.clear()
            self.pin_again.setFocus()
            return
        login, name, pin = self.login.text().strip(), self.name.text().strip(), self.pin.text()
        role = Role(self.role.currentData())
        self._busy = True
        self.ok_button.setEnabled(False)
        auth, by = self._till.auth, self._by
        self._runner.run(Lane.WRITER, lambda: auth.add_user(login, name, role, pin, by=by), self._added, self._failed)

    def _added(self, user: User) -> None:
        self._busy = False
        self.user = user
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self.message.setText(error_text(exc))


class PeoplePage(_Page):
    """人员: everyone with role and state; add a person, disable one."""

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.people: list[tuple[User, bool, bool]] = []
        self.add_dialog: AddPersonDialog | None = None
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("peopleTable")
        self.table.setHorizontalHeaderLabels([self.tr("登录名"), self.tr("姓名"), self.tr("角色"), self.tr("状态")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(touch_px(44))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = key_button(self.tr("添加人员"), "F6", "payButton")
        self.add_button.clicked.connect(self.add_person)
        self.disable_button = key_button(self.tr("停用"), "F8", "dangerButton")
        self.disable_button.clicked.connect(self.disable_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button, 1)
        buttons.addWidget(self.disable_button)
        col = QVBoxLayout(self)
        col.addWidget(self.table, 1)
        col.addWidget(self.status)
        col.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self._runner.run(Lane.WRITER, self._till.auth.all_users, self._loaded, self.fail)

    def state_text(self, active: bool, locked: bool) -> str:
        if not active:
            return self.tr("已停用")
        return self.tr("已锁定") if locked else self.tr("在用")

    def _loaded(self, people: list[tuple[User, bool, bool]]) -> None:
        self.people = list(people)
        self.table.setRowCount(len(self.people))
        for row, (u, active, locked) in enumerate(self.people):
            for col, text in enumerate((u.login, u.display_name, role_text(u.role), self.state_text(active, locked))):
                item = QTableWidgetItem(text)
                if not active:
                    item.setForeground(QBrush(QColor("#9e9e9e")))
                elif col == 3 and locked:
                    item.setForeground(QBrush(QColor(ERROR_COLOR)))
                self.table.setItem(row, col, item)

    def row_of(self, login: str) -> int | None:
        return next((i for i, (u, _a, _l) in enumerate(self.people) if u.login == login), None)

    def add_person(self) -> None:
        dialog = AddPersonDialog(self._till, self._runner, self._user, parent=self)
        self.add_dialog = dialog

        def finished(result: int) -> None:
            self.add_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted and dialog.user is not None:
                self.say(self.tr("已添加：{name}（{role}）").format(name=dialog.user.display_name,
                                                              role=role_text(dialog.user.role)), OK_COLOR)
                self.refresh()

        dialog.finished.connect(finished)
        dialog.open()

    def disable_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.say(self.tr("请先选择一个人"), ERROR_COLOR)
            return
        u, active, _locked = self.people[rows[0].row()]
        if not active:
            self.say(self.tr("{name} 已停用").format(name=u.display_name), ERROR_COLOR)
            return
        if not self._ask(self.tr("确定停用 {name}（{login}）？停用后不能再登录。").format(name=u.display_name,
                                                                                login=u.login)):
            return
        auth, by, login = self._till.auth, self._user, u.login

        def done(_none: object) -> None:
            self.say(self.tr("已停用：{name}").format(name=u.display_name), OK_COLOR)
            self.refresh()

        self._runner.run(Lane.WRITER, lambda: auth.disable_user(login, by=by), done, self.fail)

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_F6:
            self.add_person()
            return True
        if event.key() == Qt.Key.Key_F8:
            self.disable_selected()
            return True
        return False


# -- the screen ---------------------------------------------------------------------------------------

class ManagerScreen(QDialog):
    """店长/会计 screen: the pages the person may use, in tabs (F1 日结, F2 对账, F3 人员).

    Opened from the checkout (返回收银) or as the whole session of someone who cannot sell (退出登录).
    """

    def __init__(self, till: Till, runner: OpRunner, user: User, *, back_text: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self.user = user
        # What the person does here: an accountant closes and reconciles days, an administrator
        # looks after people and devices; only a manager's screen is 店长管理.
        work = {Role.ACCOUNTANT: self.tr("财务：日结与对账"), Role.ADMIN: self.tr("系统管理")}.get(
            user.role, self.tr("店长管理"))
        self.setWindowTitle(self.tr("{work} — {store}").format(work=work, store=till.identity.store_name))
        self.setModal(True)

        ident = till.identity
        header = QFrame()
        header.setObjectName("managerHeader")
        store = QLabel(f"{ident.store_name} · {ident.counter_name}")
        store.setObjectName("storeLabel")
        title = QLabel(work)
        self.title_label = title
        who = QLabel(self.tr("{name}（{role}）").format(name=user.display_name, role=role_text(user.role)))
        self.clock_label = QLabel("")
        hrow = QHBoxLayout(header)
        hrow.setContentsMargins(16, 8, 16, 8)
        hrow.addWidget(store)
        hrow.addSpacing(24)
        hrow.addWidget(title)
        hrow.addStretch(1)
        hrow.addWidget(who)
        hrow.addSpacing(24)
        hrow.addWidget(self.clock_label)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("managerTabs")
        self.pages: dict[str, _Page | StockPageBase] = {}
        self.day_page: DayClosePage | None = None
        self.reconcile_page: ReconciliationPage | None = None
        self.people_page: PeoplePage | None = None
        ask = lambda question: self.ask(question)  # noqa: E731 - late-bound: tests replace ask
        allowed = manager_pages(user.role)
        self._tab_keys: dict[Qt.Key, int] = {}
        fkeys = {0: (Qt.Key.Key_F1, "F1"), 1: (Qt.Key.Key_F2, "F2"), 2: (Qt.Key.Key_F3, "F3")}
        stock_pages: dict[str, tuple[type[StockPageBase], str]] = {
            STOCK_PAGE: (StockPage, self.tr("库存")), EXPIRY_PAGE: (NearExpiryPage, self.tr("临期")),
            RECEIVE_PAGE: (ReceivingPage, self.tr("收货")), WRITEOFF_PAGE: (WriteOffPage, self.tr("报损")),
            COUNT_PAGE: (CountPage, self.tr("盘点")), BATCH_PAGE: (BatchReportPage, self.tr("批次")),
            TRACE_PAGE: (StockTracePage, self.tr("溯源"))}
        for i, page_id in enumerate(allowed):
            if page_id == Z_PAGE:
                page: _Page | StockPageBase = DayClosePage(till, runner, user, ask)
                self.day_page = page
                label = self.tr("日结")
            elif page_id == RECONCILE_PAGE:
                page = ReconciliationPage(till, runner, user, ask)
                self.reconcile_page = page
                label = self.tr("对账")
            elif page_id == PEOPLE_PAGE:
                page = PeoplePage(till, runner, user, ask)
                self.people_page = page
                label = self.tr("人员")
            else:
                cls, label = stock_pages[page_id]
                page = cls(till, runner, user, ask)
            self.pages[page_id] = page
            key = fkeys.get(i)  # F4… belong to the pages (人员 F6/F8); the stock tabs are tapped
            index = self.tabs.addTab(page, f"{label} {key[1]}" if key else label)
            if key:
                self._tab_keys[key[0]] = index
        if self.day_page is not None and self.reconcile_page is not None:
            self.day_page.z_closed.connect(lambda z: self.reconcile_page and self.reconcile_page.show_day(z.business_day))
        self._link_stock_pages()
        self.tabs.currentChanged.connect(self._tab_shown)
        if self.tabs.count() > 4:  # a manager's nine tabs share the width instead of scrolling off a 1024 screen
            width = 1180 // self.tabs.count() - 16  # design px at 1280 wide, less the padding
            self.tabs.setStyleSheet(scaled(f"QTabBar::tab {{ min-width: {width}px; padding: 4px 8px; }}"))
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.back_button = key_button(back_text or self.tr("返回收银"), "Esc")
        self.back_button.clicked.connect(self.reject)
        self.settings_button: QPushButton | None = None
        self.settings_dialog: QDialog | None = None
        bottom = QHBoxLayout()
        if can_approve(user.role, Action.SETTINGS):
            self.settings_button = QPushButton(self.tr("硬件设置"))
            self.settings_button.setAutoDefault(False)
            self.settings_button.clicked.connect(self.open_settings)
            bottom.addWidget(self.settings_button)
        bottom.addWidget(self.back_button, 1)
        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(12, 8, 12, 10)
        col.addWidget(self.tabs, 1)
        col.addLayout(bottom)
        main = QVBoxLayout(self)
        main.setContentsMargins(0, 0, 0, 0)
        main.setSpacing(0)
        main.addWidget(header)
        main.addWidget(body, 1)

        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()
        self.resize(px(1280), px(800))

    def _link_stock_pages(self) -> None:
        """报损此商品 on 库存 or 临期 opens 报损 with that product (and that lot)."""
        write_off = self.pages.get(WRITEOFF_PAGE)
        if not isinstance(write_off, WriteOffPage):
            return
        for source in (self.pages.get(STOCK_PAGE), self.pages.get(EXPIRY_PAGE)):
            if isinstance(source, (StockPage, NearExpiryPage)):
                source.product_chosen.connect(lambda row, page=write_off: self._write_off(page, row))

    def _write_off(self, page: WriteOffPage, row: object) -> None:
        self.tabs.setCurrentWidget(page)
        page.choose(row)  # type: ignore[arg-type]

    def _tab_shown(self, index: int) -> None:
        """A stock page reads its figures when it is shown (stock moves with every sale)."""
        page = self.tabs.widget(index)
        if isinstance(page, StockPageBase):
            page.refresh()

    def open_settings(self) -> None:
        """硬件设置 (店长, 管理员)."""
        from .settings import HardwareSettingsDialog

        dialog = HardwareSettingsDialog(self._till, self._runner, self.user, parent=self)
        self.settings_dialog = dialog
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def _tick(self) -> None:
        self.clock_label.setText(self._till.identity.shown_time(self._till.clock.now()))

    def ask(self, question: str) -> bool:
        """A yes/no question (blocking)."""
        return ask_yes_no(self, question)

    def show_page(self, page_id: str) -> _Page | StockPageBase:
        page = self.pages[page_id]
        if self.tabs.currentWidget() is page and isinstance(page, StockPageBase):
            page.refresh()
        self.tabs.setCurrentWidget(page)
        return page

    def current_page(self) -> _Page | StockPageBase:
        page = self.tabs.currentWidget()
        assert isinstance(page, (_Page, StockPageBase))
        return page

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in self._tab_keys:
            self.tabs.setCurrentIndex(self._tab_keys[key])
            return
        page = self.tabs.currentWidget() if self.tabs.count() else None
        handler = getattr(page, "handle_key", None)
        if handler is not None and handler(event):
            return
        view = getattr(page, "report_view", None)
        if isinstance(view, ReportView) and view.handle_key(event):
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if isinstance(page, DayClosePage):
                page.z_close()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Esc / 返回: leaving with statement figures typed but not saved asks first."""
        page = self.reconcile_page
        if page is not None and page.dirty and not page.read_only:
            self.show_page(RECONCILE_PAGE)
            if not self.ask(self.tr("对账数据尚未保存，确定离开？")):
                return
        for page_id, stock_page in self.pages.items():  # lines scanned for 收货 or 盘点 and not yet saved
            question = stock_page.unsaved() if isinstance(stock_page, StockPageBase) else None
            if question:
                self.tabs.setCurrentWidget(self.pages[page_id])
                if not self.ask(question):
                    return
        super().reject()

    def done(self, result: int) -> None:
        self._clock.stop()
        super().done(result)
