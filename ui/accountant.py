"""会计 · 财务报表: the accountant's desk (issue 16) — a period, a report as a table, charts, 打印, 导出, 回款.

What the desk decides (periods, which reports, file names, the folder a USB stick is in) lives in
:mod:`ui.presenters.accountant`; this module draws it. Every report is built by the period report
service on the reader lane, every file is written on the device lane, and 回款 is recorded on the
writer lane after a manager's approval, so the window never waits on the database or a USB stick.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QLocale, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.errors import PosError
from pos.domain.permissions import Action
from pos.domain.report_doc import ReportDoc, ReportRow, ReportSection
from pos.domain.table_report import TableReport, cell_text, money_text
from pos.domain.users import User

from .charts import SalesCharts
from .i18n import is_chinese
from .messages import error_text, print_text
from .ops import Lane, OpRunner
from .presenters.accountant import (
    CHARTS,
    AccountPayment,
    Period,
    PeriodKind,
    ReportEntry,
    account_payment,
    accounts_of,
    balances_of,
    change_kind,
    chart_points,
    custom_period,
    default_export_folder,
    default_period,
    export_file_name,
    fits_receipt,
    format_of_path,
    is_numeric,
    may_take_payment,
    payment_needs_approval,
    pick_on_calendar,
    reports_for,
    step_period,
    with_format,
)
from .presenters.accountant_exports import (
    PREFS_FILE,
    VOUCHER_STYLES,
    load_prefs,
    long_pdf_pages,
    mapping_to_use,
    remember_mapping,
    save_prefs,
    voucher_file_name,
    voucher_format_of_path,
    workbook_entries,
    workbook_file_name,
)
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR, px, scaled
from .widgets import key_button

log = logging.getLogger(__name__)

SECTION_BG = QColor("#eceff1")
TOTALS_BG = QColor("#fff8e1")
NEGATIVE = QColor("#c62828")


def _cell(kind: str, value: Any) -> str:
    """A cell as shown; a label in a typed column (the totals row's 合计 under 营业日) as it is."""
    return value if isinstance(value, str) else cell_text(kind, value)


def _lang() -> str:
    return "zh" if is_chinese() else "en"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def payment_action() -> Action:
    """The approval 回款 asks for: the service's own action once it has one, else 审核日报 (a
    manager's yes on the day's money)."""
    return getattr(Action, "ACCOUNT_PAYMENT", Action.APPROVE_DAY)


# -- the table ----------------------------------------------------------------------------------------

class ReportTableModel(QAbstractTableModel):
    """A :class:`TableReport` as rows: section headings as grey rows, then the totals row in bold."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.report: TableReport | None = None
        self._rows: list[tuple[str, Any]] = []  # ("section", heading) / ("row", cells) / ("totals", cells)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_report(self, report: TableReport | None) -> None:
        self.beginResetModel()
        self.report = report
        rows: list[tuple[str, Any]] = []
        if report is not None:
            starts = {first: heading for heading, first in report.sections}
            for i, row in enumerate(report.rows):
                if i in starts:
                    rows.append(("section", starts[i]))
                rows.append(("row", row))
            if report.totals is not None:
                rows.append(("totals", report.totals))
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.report is None else len(self.report.columns)

    def row_kind(self, row: int) -> str:
        return self._rows[row][0]

    def text(self, row: int, col: int) -> str:
        kind, cells = self._rows[row]
        if kind == "section":
            return str(cells) if col == 0 else ""
        assert self.report is not None
        if kind == "totals" and col == 0 and cells[0] == "合计" and not is_chinese():
            return "Total"
        return _cell(self.report.columns[col].kind, cells[col])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.report is None:
            return None
        row, col = index.row(), index.column()
        kind, cells = self._rows[row]
        column = self.report.columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if is_numeric(column.kind) and kind != "section" else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and kind in ("totals", "section"):
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(TOTALS_BG) if kind == "totals" else QBrush(SECTION_BG) if kind == "section" else None
        if role == Qt.ItemDataRole.ForegroundRole and kind != "section" and column.kind == "money":
            value = cells[col]
            return QBrush(NEGATIVE) if isinstance(value, int) and value < 0 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.report is None or orientation != Qt.Orientation.Horizontal:
            return None
        column = self.report.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title(_lang())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if is_numeric(column.kind) else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None


def receipt_doc(report: TableReport, lang: str) -> ReportDoc:
    """A report for the receipt printer: each row as a short section (its first cell the heading,
    the other cells as label / value), then the totals and the notes."""
    cols = report.columns

    def section(heading: str, cells: tuple[Any, ...]) -> ReportSection:
        rows = tuple(ReportRow(c.title(lang), _cell(c.kind, v)) for c, v in zip(cols[1:], cells[1:], strict=True)
                     if v is not None and v != "")
        return ReportSection(heading, rows)

    sections = [section(_cell(cols[0].kind, r[0]), r) for r in report.rows]
    if report.totals is not None:
        sections.append(section(_cell(cols[0].kind, report.totals[0]) or ("合计" if lang == "zh" else "Total"),
                                report.totals))
    header = tuple(x for x in (report.store, report.period_text) if x)
    return ReportDoc(report.title(lang), header, tuple(sections), footer=report.notes + report.signatures,
                     name=f"{report.name}-{report.period_from.isoformat()}-{report.period_to.isoformat()}")


# -- 回款 -------------------------------------------------------------------------------------------

class AccountPaymentDialog(QDialog):
    """回款: which institution, how much was received, a note. Checked here; the manager's approval
    and the recording follow once this dialog is accepted (:attr:`payment`)."""

    def __init__(self, accounts: list[tuple[str, str]], parent: QWidget | None = None, *,
                 owed: dict[str, int] | None = None) -> None:
        super().__init__(parent)
        self.owed = owed or {}  # what each institution owes per the statement on screen
        self.setWindowTitle(self.tr("回款"))
        self.setModal(True)
        self.setMinimumWidth(px(480))
        self.payment: AccountPayment | None = None
        title = QLabel(self.tr("回款：记录挂账单位的付款"))
        title.setObjectName("dialogTitle")
        self.account = QComboBox()
        self.account.setEditable(True)  # an account not yet in this period's report can be typed by code
        for code, name in accounts:
            self.account.addItem(f"{name}（{code}）" if name != code else code, code)
        self.owed_label = QLabel("")
        self.owed_label.setStyleSheet("color: #546e7a;")
        self.account.currentIndexChanged.connect(lambda _i: self._show_owed())
        self.account.editTextChanged.connect(lambda _t: self._show_owed())
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("金额（元），如 1280.00"))
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("备注，如 银行回单号"))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        form = QFormLayout()
        form.addRow(self.tr("挂账单位"), self.account)
        form.addRow("", self.owed_label)
        form.addRow(self.tr("回款金额"), self.amount)
        form.addRow(self.tr("备注"), self.note)
        ok = QPushButton(self.tr("下一步：店长授权"))
        ok.setObjectName("payButton")
        ok.setAutoDefault(False)
        ok.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("取消 Esc"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(ok, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.amount.setFocus()
        self._show_owed()

    def _show_owed(self) -> None:
        owed = self.owed.get(self.account_code())
        self.owed_label.setText("" if owed is None else self.tr("期末欠款 ¥{amount}").format(amount=money_text(owed)))

    def account_code(self) -> str:
        text = self.account.currentText().strip()
        i = self.account.currentIndex()
        if i >= 0 and self.account.itemText(i) == text:
            return str(self.account.itemData(i))
        return text

    def submit(self) -> None:
        try:
            code = self.account_code()
            self.payment = account_payment(code, self.amount.text(), self.note.text(), self.owed.get(code))
        except PosError as exc:
            self.message.setText(error_text(exc))
            return
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        super().keyPressEvent(event)


# -- the screen ---------------------------------------------------------------------------------------

class AccountantScreen(QDialog):
    """会计 · 财务报表: period on the left (日/周/月/自定义, a calendar, ‹ ›), the reports under it,
    the chosen report (报表) or the charts (图表) on the right, 打印 / 导出 / 回款 below."""

    def __init__(self, till: Till, runner: OpRunner, user: User, *, back_text: str | None = None,
                 today: date | None = None, reports: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        # the period report service (till.period_reports): build(name, from, to), record_account_payment
        self.reports: Any = reports if reports is not None else getattr(till, "period_reports", None)
        self._runner = runner
        self.user = user
        # this month of the store's business days (its own time zone, not the machine's)
        self.period: Period = default_period(today or date.fromisoformat(till.identity.business_day(till.clock.now())))
        self._picking_end = False
        self.report: TableReport | None = None
        self.entry: ReportEntry | None = None
        self._token = 0  # the newest report asked for; older answers are dropped
        self._chart_token = 0
        self.charts_period: Period | None = None
        self.last_export: Path | None = None
        self._exporting_all = False
        self._exporting_vouchers = False
        self.manager_screen: QDialog | None = None
        self.export_folder: Callable[[], Path] = lambda: default_export_folder()
        self.prefs_path: Path = _prefs_path()  # the voucher mapping file and layout, remembered between months
        ident = till.identity
        title_text = self.tr("会计 · 财务报表")
        self.setWindowTitle(self.tr("{work} — {store}").format(work=title_text, store=ident.store_name))
        self.setModal(True)

        # header: store · counter, the desk's title, who, clock
        header = QFrame()
        header.setObjectName("managerHeader")
        store = QLabel(f"{ident.store_name} · {ident.counter_name}")
        store.setObjectName("storeLabel")
        self.title_label = QLabel(title_text)
        from .manager import role_text

        who = QLabel(self.tr("{name}（{role}）").format(name=user.display_name, role=role_text(user.role)))
        self.clock_label = QLabel("")
        hrow = QHBoxLayout(header)
        hrow.setContentsMargins(16, 8, 16, 8)
        hrow.addWidget(store)
        hrow.addSpacing(24)
        hrow.addWidget(self.title_label)
        hrow.addStretch(1)
        hrow.addWidget(who)
        hrow.addSpacing(24)
        hrow.addWidget(self.clock_label)

        # the period
        self.kind_group = QButtonGroup(self)
        self.kind_group.setExclusive(True)
        kinds = QHBoxLayout()
        kinds.setSpacing(4)
        self.kind_buttons: dict[str, QPushButton] = {}
        for kind, label in (("day", self.tr("日")), ("week", self.tr("周")), ("month", self.tr("月")),
                            ("custom", self.tr("自定义"))):
            b = QPushButton(label)
            b.setCheckable(True)
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setObjectName("modeButton")
            b.setStyleSheet(scaled("padding-left: 2px; padding-right: 2px;"))  # Month, Custom fit a quarter of 300 px
            b.clicked.connect(partial(self.set_kind, kind))
            self.kind_group.addButton(b)
            self.kind_buttons[kind] = b
            kinds.addWidget(b)
        self.prev_button = QPushButton("‹")
        self.next_button = QPushButton("›")
        for b, step in ((self.prev_button, -1), (self.next_button, 1)):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setFixedWidth(px(44))
            b.clicked.connect(partial(self.step, step))
        self.prev_button.setToolTip(self.tr("上一期 PgUp"))
        self.next_button.setToolTip(self.tr("下一期 PgDn"))
        self.period_label = QLabel("")
        self.period_label.setObjectName("periodLabel")
        self.period_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.period_label.setWordWrap(True)
        steps = QHBoxLayout()
        steps.addWidget(self.prev_button)
        steps.addWidget(self.period_label, 1)
        steps.addWidget(self.next_button)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("periodCalendar")
        self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if is_chinese()
                                else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        # 一 二 … 日: 周六 and 周日 were cut off in a 300 px column at 1024×768
        self.calendar.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(self._calendar_clicked)
        self.custom_hint = QLabel(self.tr("自定义：先点开始日期，再点结束日期"))
        self.custom_hint.setWordWrap(True)
        self.custom_hint.setStyleSheet("color: #546e7a;")

        self.report_list = QListWidget()
        self.report_list.setObjectName("reportList")
        self.report_list.currentRowChanged.connect(self._report_chosen)
        self.report_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report_list.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long English title ends in …
        self.entries: list[ReportEntry] = reports_for(user.role, self._available())
        for entry in self.entries:
            item = QListWidgetItem(entry.title(_lang()))
            item.setData(Qt.ItemDataRole.UserRole, entry.name)
            item.setToolTip(entry.title_en if is_chinese() else entry.title_zh)
            self.report_list.addItem(item)

        left = QVBoxLayout()
        left.setSpacing(6)
        left.addLayout(kinds)
        left.addLayout(steps)
        left.addWidget(self.calendar)
        left.addWidget(self.custom_hint)
        reports_title = QLabel(self.tr("报表"))
        reports_title.setObjectName("sectionTitle")
        left.addWidget(reports_title)
        left.addWidget(self.report_list, 1)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setFixedWidth(px(300))

        # the report and the charts
        self.report_title = QLabel("")
        self.report_title.setObjectName("sectionTitle")
        self.report_meta = QLabel("")
        self.report_meta.setStyleSheet("color: #546e7a;")
        self.model = ReportTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("periodReport")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(px(32))
        self.table.horizontalHeader().setStretchLastSection(False)  # figures stay next to their neighbours
        self.table.setWordWrap(False)
        self.notes = QLabel("")
        self.notes.setObjectName("reportNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #37474f;")
        report_page = QWidget()
        rcol = QVBoxLayout(report_page)
        rcol.setContentsMargins(0, 4, 0, 0)
        rcol.addWidget(self.report_title)
        rcol.addWidget(self.report_meta)
        rcol.addWidget(self.table, 1)
        rcol.addWidget(self.notes)
        self.charts = SalesCharts()
        self.view_tabs = QTabWidget()
        self.view_tabs.setObjectName("accountantTabs")
        self.view_tabs.addTab(report_page, self.tr("报表"))
        self.view_tabs.addTab(self.charts, self.tr("图表"))
        self.view_tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view_tabs.currentChanged.connect(lambda _i: self._maybe_load_charts())

        body_row = QHBoxLayout()
        body_row.addWidget(left_box)
        body_row.addWidget(self.view_tabs, 1)

        # the buttons
        self.print_button = key_button(self.tr("打印"), "F9", "reportButton")
        self.print_button.clicked.connect(self.choose_print)
        self.export_button = key_button(self.tr("导出"), "F10", "reportButton")
        self.export_button.clicked.connect(self.export)
        self.export_all_button = key_button(self.tr("导出全部"), self.tr("工作簿"), "reportButton")
        self.export_all_button.setToolTip(self.tr("本期全部报表导出为一个 Excel 工作簿，每张报表一页"))
        self.export_all_button.clicked.connect(self.export_all)
        self.vouchers_button = key_button(self.tr("导出凭证"), self.tr("用友 / 金蝶"), "reportButton")
        self.vouchers_button.setToolTip(self.tr("本期记账凭证，按科目对照文件生成"))
        self.vouchers_button.clicked.connect(self.choose_vouchers)
        self.payment_button: QPushButton | None = None
        if may_take_payment(user.role):
            self.payment_button = key_button(self.tr("回款"), "F11", "reportButton")
            self.payment_button.clicked.connect(self.record_payment)
        self.day_button: QPushButton | None = None
        from .manager import manager_pages

        if manager_pages(user.role) and back_text is not None:  # the accountant's own 日结 and 对账
            self.day_button = key_button(self.tr("日结与对账"), "F12", "reportButton")
            self.day_button.clicked.connect(self.open_day_close)
        self.back_button = key_button(back_text or self.tr("返回"), "Esc")
        self.back_button.clicked.connect(self.reject)
        self.status = QLabel("")
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for b in (self.print_button, self.export_button, self.export_all_button, self.vouchers_button,
                  self.payment_button, self.day_button):
            if b is not None:
                buttons.addWidget(b)
        buttons.addWidget(self.back_button, 1)

        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(12, 8, 12, 10)
        col.addLayout(body_row, 1)
        col.addWidget(self.status)
        col.addLayout(buttons)
        main = QVBoxLayout(self)
        main.setContentsMargins(0, 0, 0, 0)
        main.setSpacing(0)
        main.addWidget(header)
        main.addWidget(body, 1)

        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()
        self._show_period()
        self._set_buttons()
        self.resize(px(1280), px(800))
        if self.entries:
            self.report_list.setCurrentRow(0)
        else:
            self.say(self.tr("没有可以查看的报表"), ERROR_COLOR)

    # -- state ------------------------------------------------------------------------------------

    def _available(self) -> list[str] | None:
        try:
            from pos.services.period_reports import REPORT_NAMES
        except ImportError:  # the service not installed: every report listed, each says so when chosen
            return None
        return list(REPORT_NAMES)

    def _tick(self) -> None:
        self.clock_label.setText(self._till.identity.shown_time(self._till.clock.now()))

    def say(self, text: str, color: str = INFO_COLOR) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};")

    def _set_buttons(self) -> None:
        ready = self.report is not None
        self.print_button.setEnabled(ready)
        self.export_button.setEnabled(ready)
        self.export_all_button.setEnabled(bool(self.entries) and not self._exporting_all)
        self.vouchers_button.setEnabled(not self._exporting_vouchers)

    def _show_period(self) -> None:
        p = self.period
        self.kind_buttons[p.kind].setChecked(True)
        self.period_label.setText(p.text(_lang()))
        self.custom_hint.setVisible(p.kind == "custom")
        self.calendar.blockSignals(True)
        self.calendar.setSelectedDate(_qdate(p.date_to if self._picking_end is False and p.kind == "custom"
                                             else p.date_from))
        self.calendar.blockSignals(False)

    # -- the period -------------------------------------------------------------------------------

    def set_period(self, period: Period) -> None:
        self.period = period
        self._show_period()
        self.reload()

    def set_kind(self, kind: PeriodKind) -> None:
        self._picking_end = False
        self.set_period(change_kind(self.period, kind))

    def step(self, step: int) -> None:
        self._picking_end = False
        self.set_period(step_period(self.period, step))

    def set_custom(self, date_from: date, date_to: date) -> None:
        """自定义 from ``date_from`` to ``date_to``; an end before the start is said, not taken."""
        try:
            period = custom_period(date_from, date_to)
        except PosError as exc:
            self.say(error_text(exc), ERROR_COLOR)
            return
        self._picking_end = False
        self.set_period(period)

    def _calendar_clicked(self, qdate: QDate) -> None:
        period, self._picking_end = pick_on_calendar(self.period, _pydate(qdate), picking_end=self._picking_end)
        self.set_period(period)

    # -- the report -------------------------------------------------------------------------------

    def select_report(self, name: str) -> None:
        for i, e in enumerate(self.entries):
            if e.name == name:
                self.report_list.setCurrentRow(i)
                return
        raise KeyError(name)

    def _report_chosen(self, row: int) -> None:
        self.entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self.view_tabs.setCurrentIndex(0)
        self.reload()

    def reload(self) -> None:
        """Build the chosen report for the period on the reader lane (and the charts if they show)."""
        self.charts_period = None
        if self.entry is not None:
            self._token += 1
            token, entry, period = self._token, self.entry, self.period
            self.report = None  # 打印/导出 wait for this report: the table still shows the last one meanwhile
            self._set_buttons()
            self.report_title.setText(entry.title(_lang()))
            self.report_meta.setText(self.tr("{period} · 正在生成…").format(period=period.text(_lang())))
            self.say("")
            build = partial(self._build, entry.name, period)
            self._runner.run(Lane.READER, build, partial(self._loaded, token), partial(self._load_failed, token))
        self._maybe_load_charts()

    def _build(self, name: str, period: Period) -> TableReport:
        if self.reports is None:
            raise PosError("period reports are not available on this till",
                           message_zh="本机尚未安装期间报表功能")
        return self.reports.build(name, period.date_from, period.date_to)

    def _loaded(self, token: int, report: TableReport) -> None:
        if token != self._token:
            return
        self.show_report(report)

    def show_report(self, report: TableReport) -> None:
        self.report = report
        self.model.set_report(report)
        self.report_title.setText(report.title(_lang()))
        meta = [report.period_text if is_chinese() else self.period.text("en")]
        if report.store:
            meta.insert(0, report.store)
        meta.append(self.tr("{n} 行").format(n=len(report.rows)))
        self.report_meta.setText(" · ".join(meta))
        self.notes.setText("\n".join(report.notes))
        self.notes.setVisible(bool(report.notes))
        self.table.clearSpans()
        for row in range(self.model.rowCount()):
            if self.model.row_kind(row) == "section":  # 按商品 / 按分类 … across the table
                self.table.setSpan(row, 0, 1, len(report.columns))
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(300)  # widths from the first rows: a month's 销售流水 has 50,000
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.scrollToTop()
        if not report.rows:
            self.say(self.tr("本期间没有数据"))
        self._set_buttons()

    def _load_failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self.report = None
        self.model.set_report(None)
        self.report_meta.setText(self.period.text(_lang()))
        self._set_buttons()
        self.say(error_text(exc), ERROR_COLOR)

    def table_text(self, row: int, col: int) -> str:
        return self.model.text(row, col)

    # -- the charts -------------------------------------------------------------------------------

    def show_charts(self) -> None:
        self.view_tabs.setCurrentWidget(self.charts)

    def _maybe_load_charts(self) -> None:
        if self.view_tabs.currentWidget() is not self.charts or self.charts_period == self.period:
            return
        self.charts_period = self.period
        self._chart_token += 1
        token, period = self._chart_token, self.period
        available = {e.name for e in self.entries}
        for chart, name in CHARTS:
            if name not in available:
                self.charts.chart(chart).set_points([])
                continue
            self._runner.run(Lane.READER, partial(self._build, name, period),
                             partial(self._chart_loaded, token, chart), partial(self._chart_failed, token))

    def _chart_loaded(self, token: int, chart: str, report: TableReport) -> None:
        if token == self._chart_token:
            self.charts.chart(chart).set_points(chart_points(report))

    def _chart_failed(self, token: int, exc: BaseException) -> None:
        if token == self._chart_token:
            self.say(error_text(exc), ERROR_COLOR)

    # -- 打印 -------------------------------------------------------------------------------------

    def choose_print(self) -> None:
        """打印: A4 (a print preview of the report's PDF) or the receipt printer, as the manager screen prints."""
        if self.report is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("A4 打印预览"), self.print_a4)
        receipt = menu.addAction(self.tr("小票打印机"), self.print_receipt)
        if not fits_receipt(self.report):
            receipt.setEnabled(False)
            receipt.setText(self.tr("小票打印机（报表太长，请用 A4）"))
        menu.popup(self.print_button.mapToGlobal(self.print_button.rect().bottomLeft()))
        self.print_menu = menu

    def print_receipt(self) -> None:
        if self.report is None:
            return
        if not fits_receipt(self.report):
            self.say(self.tr("报表太长，不宜用小票打印，请用 A4 打印"), ERROR_COLOR)
            return
        doc = receipt_doc(self.report, _lang())
        self.say(self.tr("正在打印…"))
        self._runner.run(Lane.DEVICE, partial(self._till.documents.print, doc), self._printed, self._failed)

    def _printed(self, result: object) -> None:
        self.say(print_text(result), OK_COLOR if getattr(result, "ok", False) else ERROR_COLOR)  # type: ignore[arg-type]

    def print_a4(self) -> None:
        """The report's A4 PDF (made on the device lane) in a print preview, printed from there."""
        if self.report is None:
            return
        report, lang = self.report, _lang()
        path = Path(tempfile.mkdtemp(prefix="lianxin-print-")) / export_file_name(report.title(lang), self.period, "pdf")
        self.say(self.tr("正在准备打印…"))
        self._runner.run(Lane.DEVICE, partial(write_file, report, "pdf", path, lang), self.preview_pdf, self._failed)

    def preview_pdf(self, path: Path) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        pdf = QPdfDocument(self)
        pdf.load(str(path))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)  # the PDF page carries its own margins
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印预览"))

        def paint(target: QPrinter) -> None:
            from PySide6.QtCore import QRect, QSize
            from PySide6.QtGui import QPainter

            painter = QPainter(target)
            for page in range(pdf.pageCount()):
                if page:
                    target.newPage()
                area = target.pageLayout().fullRectPixels(target.resolution())
                points = pdf.pagePointSize(page)  # rendered at 200 dpi, not the printer's 1200 (500 MB a page)
                image = pdf.render(page, QSize(int(points.width() * 200 / 72), int(points.height() * 200 / 72)))
                painter.drawImage(QRect(0, 0, area.width(), area.height()), image)
            painter.end()

        dialog.paintRequested.connect(paint)
        self.preview_dialog = dialog
        self.preview_printer = (printer, pdf)  # the dialog does not own the printer: keep it alive while it shows
        self.say("")
        dialog.open()

    # -- 导出 -------------------------------------------------------------------------------------

    def ask_save_path(self, suggested: Path) -> tuple[str, str] | None:
        """The save dialog (Excel, CSV, PDF), starting on a USB stick if one is in."""
        filters = ";;".join((self.tr("Excel 工作簿 (*.xlsx)"), self.tr("CSV 文件 (*.csv)"), self.tr("PDF 文件 (*.pdf)")))
        chosen = {"xlsx": 0, "csv": 1, "pdf": 2}.get(suggested.suffix.lstrip("."), 0)
        path, selected = QFileDialog.getSaveFileName(self, self.tr("导出报表"), str(suggested), filters,
                                                     filters.split(";;")[chosen])
        return (path, selected) if path else None

    def export(self) -> None:
        if self.report is None:
            return
        report, lang = self.report, _lang()
        suggested = self.export_folder() / export_file_name(report.title(lang), self.period, "xlsx")
        answer = self.ask_save_path(suggested)
        if answer is None:
            return
        fmt = format_of_path(*answer)
        path = with_format(answer[0], fmt)
        self.export_button.setEnabled(False)
        pages = long_pdf_pages(report) if fmt == "pdf" else None
        self.say(self.tr("正在导出…") if pages is None else
                 self.tr("正在导出 PDF：约 {pages} 页，需要一些时间（对账用 Excel 更快）…").format(pages=f"{pages:,}"))
        self._runner.run(Lane.DEVICE, partial(write_file, report, fmt, path, lang), self._exported, self._export_failed)

    def _exported(self, path: Path) -> None:
        self.last_export = Path(path)
        self._set_buttons()
        self.say(self.tr("已导出：{path}").format(path=path), OK_COLOR)

    def _export_failed(self, exc: BaseException) -> None:
        self._set_buttons()
        self.say(error_text(exc), ERROR_COLOR)

    def _failed(self, exc: BaseException) -> None:
        self.say(error_text(exc), ERROR_COLOR)

    # -- 导出全部 (工作簿) and 导出凭证 ------------------------------------------------------------

    def ask_workbook_path(self, suggested: Path) -> str | None:
        """The save dialog for the workbook of every report (Excel only)."""
        path, _selected = QFileDialog.getSaveFileName(self, self.tr("导出全部报表"), str(suggested),
                                                      self.tr("Excel 工作簿 (*.xlsx)"))
        return path or None

    def export_all(self) -> None:
        """导出全部: every report the desk lists, for the period on screen, one sheet each in one XLSX."""
        if not self.entries or self._exporting_all:
            return
        lang, period = _lang(), self.period
        answer = self.ask_workbook_path(self.export_folder() / workbook_file_name(period, lang))
        if answer is None:
            return
        path = with_format(answer, "xlsx")
        names = workbook_entries(self.entries)
        self._exporting_all = True
        self._set_buttons()
        self.say(self.tr("正在生成全部报表（{n} 张）…").format(n=len(names)))
        self._runner.run(Lane.READER, partial(self._build_all, names, period),
                         partial(self._write_workbook, path, lang), self._export_all_failed)

    def _build_all(self, names: list[str], period: Period) -> list[TableReport]:
        return [self._build(name, period) for name in names]

    def _write_workbook(self, path: Path, lang: str, reports: list[TableReport]) -> None:
        self.say(self.tr("正在写入 {path}…").format(path=path))
        self._runner.run(Lane.DEVICE, partial(write_workbook_file, reports, path, lang),
                         partial(self._exported_all, len(reports)), self._export_all_failed)

    def _exported_all(self, count: int, path: Path) -> None:
        self._exporting_all = False
        self.last_export = Path(path)
        self._set_buttons()
        self.say(self.tr("已导出全部报表（{n} 张）：{path}").format(n=count, path=path), OK_COLOR)

    def _export_all_failed(self, exc: BaseException) -> None:
        self._exporting_all = False
        self._set_buttons()
        self.say(error_text(exc), ERROR_COLOR)

    def choose_vouchers(self) -> None:
        """导出凭证: the layout (用友 or 金蝶, the last one used first), or another mapping file."""
        prefs = load_prefs(self.prefs_path)
        menu = QMenu(self)
        styles = sorted(VOUCHER_STYLES, key=lambda s: s[0] != prefs.voucher_style)
        for style, zh, en in styles:
            label = zh if is_chinese() else en
            menu.addAction(self.tr("{style}格式凭证…").format(style=label), partial(self.export_vouchers, style))
        menu.addSeparator()
        remembered = mapping_to_use(prefs)
        if remembered is not None:
            shown = menu.addAction(self.tr("科目对照：{name}").format(name=remembered.name))
            shown.setEnabled(False)
        menu.addAction(self.tr("更换科目对照文件…"), partial(self.export_vouchers, prefs.voucher_style, pick=True))
        menu.popup(self.vouchers_button.mapToGlobal(self.vouchers_button.rect().bottomLeft()))
        self.vouchers_menu = menu

    def ask_mapping_path(self, start: Path) -> str | None:
        """The open dialog for the shop's mapping file (科目对照, JSON), asked once and then remembered."""
        path, _selected = QFileDialog.getOpenFileName(self, self.tr("选择科目对照文件"), str(start),
                                                      self.tr("科目对照文件 (*.json)"))
        return path or None

    def ask_voucher_path(self, suggested: Path) -> tuple[str, str] | None:
        filters = ";;".join((self.tr("Excel 工作簿 (*.xlsx)"), self.tr("CSV 文件 (*.csv)"), self.tr("PDF 文件 (*.pdf)")))
        path, selected = QFileDialog.getSaveFileName(self, self.tr("导出凭证"), str(suggested), filters,
                                                     filters.split(";;")[0])
        return (path, selected) if path else None

    def export_vouchers(self, style: str, *, pick: bool = False) -> None:
        """The period's vouchers in ``style`` through the remembered mapping file (asked for when there
        is none, it has gone, or ``pick``); read on the writer lane, written on the device lane."""
        if self._exporting_vouchers:
            return
        prefs = load_prefs(self.prefs_path)
        mapping = None if pick else mapping_to_use(prefs)
        if mapping is None:
            start = prefs.voucher_mapping.parent if prefs.voucher_mapping is not None else self.export_folder()
            chosen = self.ask_mapping_path(start)
            if chosen is None:
                return
            mapping = Path(chosen)
        lang, period = _lang(), self.period
        answer = self.ask_voucher_path(self.export_folder() / voucher_file_name(style, period, "xlsx", lang))
        if answer is None:
            return
        fmt = voucher_format_of_path(*answer)
        path = with_format(answer[0], fmt)
        self._exporting_vouchers = True
        self._set_buttons()
        self.say(self.tr("正在生成凭证…"))
        self._runner.run(Lane.WRITER, partial(read_vouchers, self._till.uow, period, mapping),
                         partial(self._write_vouchers, style, mapping, path, period), self._vouchers_failed)

    def _write_vouchers(self, style: str, mapping_path: Path, path: Path, period: Period, read: Any) -> None:
        vouchers, mapping = read
        save_prefs(self.prefs_path, remember_mapping(load_prefs(self.prefs_path), mapping_path, style))
        self._runner.run(Lane.DEVICE, partial(write_voucher_file, vouchers, mapping, style, path, period),
                         partial(self._vouchers_written, len(vouchers)), self._vouchers_failed)

    def _vouchers_written(self, count: int, path: Path) -> None:
        self._exporting_vouchers = False
        self.last_export = Path(path)
        self._set_buttons()
        self.say(self.tr("已导出凭证（{n} 张）：{path}").format(n=count, path=path), OK_COLOR)

    def _vouchers_failed(self, exc: BaseException) -> None:
        self._exporting_vouchers = False
        self._set_buttons()
        self.say(error_text(exc), ERROR_COLOR)

    # -- 回款 -------------------------------------------------------------------------------------

    def record_payment(self) -> None:
        """回款: the dialog (its institutions and what they owe from 挂账对账单, read first when another
        report is on screen), then a manager's approval, then the payment recorded."""
        if self.payment_button is None:
            return
        if self.report is not None and self.report.name == "accounts":
            self._open_payment(self.report)
            return
        self.say(self.tr("正在读取挂账单位…"))
        self._runner.run(Lane.READER, partial(self._build, "accounts", self.period), self._open_payment,
                         lambda _exc: self._open_payment(None))  # no statement: the code can still be typed

    def _open_payment(self, statement: TableReport | None) -> None:
        self.say("")
        dialog = AccountPaymentDialog(accounts_of(statement), self, owed=balances_of(statement))
        self.payment_dialog = dialog
        dialog.accepted.connect(lambda: dialog.payment and self.approve_payment(dialog.payment))
        dialog.open()

    def approve_payment(self, payment: AccountPayment) -> None:
        """An accountant's 回款 goes to a manager first; a manager's is recorded at once."""
        from .approval import ApprovalDialog

        if not payment_needs_approval(self.user.role):
            self.save_payment(payment, None)
            return
        detail = self.tr("{code} 回款 ¥{amount}").format(code=payment.code, amount=money_text(payment.amount_fen))
        dialog = ApprovalDialog(self._till, self._runner, self.user, payment_action(),
                                reason=self.tr("回款需要店长授权"), detail=detail, parent=self)
        self.approval_dialog = dialog
        dialog.accepted.connect(lambda: dialog.approval and self.save_payment(payment, dialog.approval))
        dialog.open()

    def save_payment(self, payment: AccountPayment, approval: Any) -> None:
        if self.reports is None:
            self.say(self.tr("本机尚未安装期间报表功能"), ERROR_COLOR)
            return
        record = partial(self.reports.record_account_payment, payment.code, payment.amount_fen, by=self.user,
                         approval=approval, note=payment.note)
        self.say(self.tr("正在记录回款…"))
        self._runner.run(Lane.WRITER, record, partial(self._payment_saved, payment), self._failed)

    def _payment_saved(self, payment: AccountPayment, _result: object) -> None:
        if self.entry is not None and self.entry.name == "accounts":
            self.reload()  # the statement with the payment and the lower balance
        self.say(self.tr("已记录回款：{code} ¥{amount}").format(code=payment.code, amount=money_text(payment.amount_fen)),
                 OK_COLOR)

    # -- 日结与对账, keys, leaving -------------------------------------------------------------------

    def open_day_close(self) -> None:
        """The accountant's 日结 and 对账 (the manager screen's pages they may use)."""
        from .manager import ManagerScreen

        screen = ManagerScreen(self._till, self._runner, self.user, back_text=self.tr("返回财务报表"), parent=self)
        self.manager_screen = screen
        screen.finished.connect(lambda _r: screen.deleteLater())
        screen.open()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        actions = {Qt.Key.Key_F9: self.choose_print, Qt.Key.Key_F10: self.export,
                   Qt.Key.Key_PageUp: partial(self.step, -1), Qt.Key.Key_PageDown: partial(self.step, 1)}
        if self.payment_button is not None:
            actions[Qt.Key.Key_F11] = self.record_payment
        if self.day_button is not None:
            actions[Qt.Key.Key_F12] = self.open_day_close
        action = actions.get(Qt.Key(key))
        if action is not None:
            action()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        self._clock.stop()
        super().done(result)


def write_file(report: TableReport, fmt: str, path: Path, lang: str) -> Path:
    """Runs on the device lane: the report written by the export writers (XLSX, CSV, PDF)."""
    try:
        from pos.reports.export import write_report
    except ImportError as exc:
        raise PosError("exports are not available on this till", message_zh="本机尚未安装报表导出功能") from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    out = write_report(report, fmt, path, lang=lang)
    return Path(out) if out is not None else path


def write_workbook_file(reports: list[TableReport], path: Path, lang: str) -> Path:
    """Runs on the device lane: every report in one workbook, written beside its name and renamed into place."""
    from pos.reports.export import write_workbook

    return Path(write_workbook(reports, path, lang=lang))


def read_vouchers(uow_factory: Callable[[], Any], period: Period, mapping_path: Path) -> tuple[list[Any], Any]:
    """Runs on the writer lane: the mapping file read and the period's vouchers made (nothing sold: said)."""
    from pos.domain.vouchers import VoucherError
    from pos.services.vouchers import period_vouchers, read_mapping

    mapping = read_mapping(mapping_path)
    vouchers = period_vouchers(uow_factory, period.date_from, period.date_to, mapping)
    if not vouchers:
        a, b = period.date_from, period.date_to
        raise VoucherError(f"nothing was sold or returned from {a} to {b}: there is no voucher to write",
                           message_zh=f"{a} 至 {b} 没有销售或退货，无凭证可生成")
    return vouchers, mapping


def write_voucher_file(vouchers: list[Any], mapping: Any, style: str, path: Path, period: Period) -> Path:
    """Runs on the device lane: the voucher file (XLSX, CSV or a PDF to print), written atomically."""
    from pos.services.vouchers import write_vouchers

    return Path(write_vouchers(vouchers, mapping, style, path, period.date_from, period.date_to))


def _prefs_path() -> Path:
    from pos.config import config_dir

    return config_dir() / PREFS_FILE
