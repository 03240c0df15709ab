"""The checkout's status strip (打印机 · 待打印 · 同步 · 扫码枪 · 秤 · 客显), the print-queue dialog
and the sync panel. Every device, database and network call runs on the op runner's lanes."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till

from .i18n import is_chinese, translate
from .messages import error_text
from .ops import Lane, OpRunner
from .qtcompat import emit
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR, px, scaled

PRINTER_POLL_MS = 30_000
SYNC_POLL_MS = 10_000


def printer_state_text(state: str) -> str:
    texts = {
        "ready": translate("devices", "就绪"), "paper_near_end": translate("devices", "纸将尽"),
        "paper_out": translate("devices", "缺纸"), "cover_open": translate("devices", "开盖"),
        "offline": translate("devices", "离线"), "unreachable": translate("devices", "离线"),
        "error": translate("devices", "故障"), "unknown": translate("devices", "未知"),
    }
    return texts.get(state, translate("devices", "未知"))


def _state_value(status: Any) -> str:
    state = getattr(status, "state", "unknown")
    return str(getattr(state, "value", state))


def shown_time(till: Till, iso: str | None) -> str:
    """A UTC ISO time from the database as the store's local time (MM-DD HH:MM)."""
    if not iso:
        return ""
    try:
        t = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return t.astimezone(till.identity.tz).strftime("%m-%d %H:%M")


def sync_text(till: Till, status: Any) -> tuple[str, str]:
    """What the sync indicator says and its colour."""
    state = status.state
    last = shown_time(till, status.last_success_at)
    since = translate("devices", "（上次成功 {at}）").format(at=last) if last else ""
    if state == "up_to_date":
        return translate("devices", "已同步") + since, OK_COLOR
    if state == "waiting":
        return translate("devices", "待上传 {n} 条").format(n=status.waiting) + since, INFO_COLOR
    if state == "running":
        return translate("devices", "正在同步…"), INFO_COLOR
    if state == "error":
        reason = status.last_error_zh if is_chinese() else status.last_error
        return translate("devices", "同步失败：{reason}").format(reason=reason) + since, ERROR_COLOR
    return translate("devices", "未登记总部"), INFO_COLOR


_FLAT = "QPushButton {{ padding: 2px 8px; min-height: 44px; font-size: 15px; text-align: left; color: {color}; }}"


def _color(button: QPushButton, color: str) -> None:
    button.setStyleSheet(scaled(_FLAT.format(color=color)))


def _flat(name: str) -> QPushButton:
    b = QPushButton("")
    b.setObjectName(name)
    b.setFlat(True)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.setAutoDefault(False)
    _color(b, INFO_COLOR)
    return b


class StatusStrip(QFrame):
    """One line at the bottom of the checkout: printer state, print queue, sync and the devices."""

    queue_clicked = Signal()
    sync_clicked = Signal()
    settings_clicked = Signal()

    def __init__(self, till: Till, runner: OpRunner, parent: QWidget | None = None, *, poll: bool = True) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self.setObjectName("statusStrip")
        self.printer_state: str | None = None
        self.pending_jobs: int | None = None
        self.sync_status: Any = None
        self._checking = {"printer": False, "queue": False, "sync": False}
        self.printer_button = _flat("printerState")
        self.queue_button = _flat("printQueue")
        self.sync_button = _flat("syncState")
        self.scanner_label = QLabel("")
        self.scale_label = QLabel("")
        self.display_label = QLabel("")
        self.settings_button = _flat("settingsButton")
        self.settings_button.setText(self.tr("硬件设置"))
        self.queue_button.clicked.connect(lambda: emit(self.queue_clicked))
        self.printer_button.clicked.connect(lambda: emit(self.queue_clicked))
        self.sync_button.clicked.connect(lambda: emit(self.sync_clicked))
        self.settings_button.clicked.connect(lambda: emit(self.settings_clicked))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 0, 8, 0)
        row.setSpacing(6)
        for w in (self.printer_button, self.queue_button, self.sync_button):
            row.addWidget(w)
        row.addStretch(1)
        for w in (self.scanner_label, self.scale_label, self.display_label):
            w.setStyleSheet(scaled("font-size: 14px;"))
            row.addWidget(w)
            row.addSpacing(8)
        row.addWidget(self.settings_button)
        self.printer_button.setText(self.tr("打印机：检查中…"))
        self.queue_button.setText(self.tr("待打印 0"))
        self.sync_button.setText(self.tr("同步：检查中…"))
        self._show_configured()
        self._printer_timer = QTimer(self)
        self._printer_timer.timeout.connect(self.refresh_printer)
        self._sync_timer = QTimer(self)
        self._sync_timer.timeout.connect(self.refresh_sync)
        self._sync_timer.timeout.connect(self.refresh_queue)
        if poll:
            self._printer_timer.start(PRINTER_POLL_MS)
            self._sync_timer.start(SYNC_POLL_MS)
        self.refresh()

    def stop(self) -> None:
        self._printer_timer.stop()
        self._sync_timer.stop()

    # -- devices shown from the configuration ----------------------------------------------------

    def _show_configured(self) -> None:
        s = self._till.devices.settings
        if s.scanner == "wedge":
            self.set_scanner(True, self.tr("扫码枪：键盘模式"))
        else:
            self.set_scanner(None, self.tr("扫码枪：连接中…"))
        self._word(self.scale_label, None if s.scale else False,
                   self.tr("秤：已配置") if s.scale else self.tr("秤：未配置"))
        self._word(self.display_label, None if s.display else False,
                   self.tr("客显：已配置") if s.display else self.tr("客显：未配置"))

    @staticmethod
    def _word(label: QLabel, ok: bool | None, text: str) -> None:
        label.setText(text)
        color = OK_COLOR if ok else (ERROR_COLOR if ok is False and "未配置" not in text else INFO_COLOR)
        label.setStyleSheet(scaled(f"font-size: 14px; color: {color};"))

    def set_scanner(self, ok: bool | None, text: str) -> None:
        self._word(self.scanner_label, ok, text)

    def show_display_state(self) -> None:
        """The customer display's last write (no I/O: its own thread keeps the answer)."""
        if not self._till.devices.settings.display:
            return
        ok = getattr(self._till.devices.display, "ok", None)
        text = {True: self.tr("客显：正常"), False: self.tr("客显：出错"), None: self.tr("客显：已配置")}[ok]
        self._word(self.display_label, ok, text)

    # -- polling ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.refresh_printer()
        self.refresh_queue()
        self.refresh_sync()

    def _once(self, what: str, lane: Lane, fn: Any, done: Any) -> None:
        if self._checking[what]:
            return
        self._checking[what] = True

        def ok(value: Any) -> None:
            self._checking[what] = False
            done(value)

        def failed(exc: BaseException) -> None:
            self._checking[what] = False
            done(exc)

        self._runner.run(lane, fn, ok, failed)

    def refresh_printer(self) -> None:
        self._once("printer", Lane.DEVICE, self._till.devices.printer_status, self._printer_read)

    def _printer_read(self, status: Any) -> None:
        if isinstance(status, BaseException):
            self.printer_state = "unknown"
            self.printer_button.setText(self.tr("打印机：未知"))
            self.printer_button.setToolTip(error_text(status))
            return
        state = _state_value(status)
        self.printer_state = state
        self.printer_button.setText(self.tr("打印机：{state}").format(state=printer_state_text(state)))
        self.printer_button.setToolTip(getattr(status, "message_zh", "") if is_chinese()
                                       else getattr(status, "message", ""))
        color = OK_COLOR if state in ("ready", "paper_near_end") else (INFO_COLOR if state == "unknown"
                                                                       else ERROR_COLOR)
        _color(self.printer_button, color)

    def refresh_queue(self) -> None:
        self._once("queue", Lane.READER, self._till.print_queue.count_pending, self._queue_read)

    def _queue_read(self, n: Any) -> None:
        if isinstance(n, BaseException):
            return
        self.pending_jobs = int(n)
        self.queue_button.setText(self.tr("待打印 {n}").format(n=n))
        color = ERROR_COLOR if n else INFO_COLOR
        _color(self.queue_button, color)

    def refresh_sync(self) -> None:
        till = self._till
        self._once("sync", Lane.READER, lambda: till.sync.status(), self._sync_read)

    def _sync_read(self, status: Any) -> None:
        if isinstance(status, BaseException):
            self.sync_button.setText(self.tr("同步：{reason}").format(reason=error_text(status)))
            return
        self.show_sync(status)

    def show_sync(self, status: Any) -> None:
        self.sync_status = status
        text, color = sync_text(self._till, status)
        self.sync_button.setText(text if len(text) <= 48 else text[:47] + "…")
        self.sync_button.setToolTip(text)
        _color(self.sync_button, color)

    def after_print(self) -> None:
        self.refresh_printer()
        self.refresh_queue()


# -- 打印队列 ---------------------------------------------------------------------------------------


class PrintQueueDialog(QDialog):
    """待打印: receipts that did not print, with why; 重试 / 全部重试 / 放弃."""

    changed = Signal()

    def __init__(self, till: Till, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._busy = False
        self.jobs: list[Any] = []
        self.setWindowTitle(self.tr("打印队列"))
        self.setModal(True)
        title = QLabel(self.tr("打印队列（未打印的小票）"))
        title.setObjectName("dialogTitle")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("printJobs")
        self.table.setHorizontalHeaderLabels([self.tr("编号"), self.tr("内容"), self.tr("次数"), self.tr("原因"),
                                              self.tr("时间")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 60), (1, 260), (2, 60), (4, 120)):
            self.table.setColumnWidth(col, width)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.retry_button = QPushButton(self.tr("重试"))
        self.retry_all_button = QPushButton(self.tr("全部重试"))
        self.abandon_button = QPushButton(self.tr("放弃"))
        self.abandon_button.setObjectName("dangerButton")
        close = QPushButton(self.tr("关闭 Esc"))
        for b in (self.retry_button, self.retry_all_button, self.abandon_button, close):
            b.setAutoDefault(False)
        self.retry_button.clicked.connect(self.retry_selected)
        self.retry_all_button.clicked.connect(self.retry_all)
        self.abandon_button.clicked.connect(self.abandon_selected)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.retry_button, self.retry_all_button, self.abandon_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(px(980), px(520))
        self.load()

    def load(self) -> None:
        self._runner.run(Lane.READER, self._till.print_queue.pending, self._loaded, self._failed)

    def _loaded(self, jobs: list[Any]) -> None:
        self.jobs = list(jobs)
        self.table.setRowCount(len(jobs))
        for r, job in enumerate(jobs):
            reason = (job.last_error_zh if is_chinese() else job.last_error) or ""
            values = (str(job.id), job.label_zh, str(job.attempts), reason, shown_time(self._till, job.created_at))
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                self.table.setItem(r, c, item)
        if jobs:
            self.table.selectRow(0)
        elif not self.message.text():
            self.say(self.tr("没有待打印的小票"), INFO_COLOR)
        self._set_enabled()

    def _set_enabled(self) -> None:
        has = bool(self.jobs) and not self._busy
        for b in (self.retry_button, self.retry_all_button, self.abandon_button):
            b.setEnabled(has)

    def say(self, text: str, color: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(scaled(f"color: {color}; font-size: 16px;"))

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.say(error_text(exc), ERROR_COLOR)
        self._set_enabled()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.jobs):
            return None
        return self.jobs[rows[0].row()].id

    def _run(self, lane: Lane, fn: Any) -> None:
        self._busy = True
        self._set_enabled()
        self.say(self.tr("正在处理…"), INFO_COLOR)
        self._runner.run(lane, fn, self._done, self._failed)

    def _done(self, result: Any) -> None:
        self._busy = False
        text = result.message_zh if is_chinese() else result.message
        self.say(text, OK_COLOR if result.ok else ERROR_COLOR)
        emit(self.changed)
        self.load()

    def retry_selected(self) -> None:
        job_id = self.selected_id()
        if job_id is not None and not self._busy:
            self._run(Lane.DEVICE, partial(self._till.print_queue.retry, job_id))

    def retry_all(self) -> None:
        if not self._busy:
            self._run(Lane.DEVICE, self._till.print_queue.retry_all)

    def abandon_selected(self) -> None:
        job_id = self.selected_id()
        if job_id is not None and not self._busy:
            self._run(Lane.DEVICE, partial(self._till.print_queue.abandon, job_id))


# -- 同步 -------------------------------------------------------------------------------------------


def run_sync_cycle(till: Till) -> Any:
    """On the network lane: one cycle; SyncBusy etc. come back as exceptions."""
    return till.sync.run_cycle()


def _sync_snapshot(till: Till) -> tuple[Any, list[Any], list[dict[str, Any]]]:
    s = till.sync
    return s.status(), s.last_changes(), s.history(20)


class SyncPanel(QDialog):
    """同步: the state, 立即同步, what the last master data changed, past cycles."""

    synced = Signal(object)  # SyncReport

    def __init__(self, till: Till, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self.running = False
        self._keep_error = False
        self.report: Any = None
        self.setWindowTitle(self.tr("总部同步"))
        self.setModal(True)
        title = QLabel(self.tr("总部同步"))
        title.setObjectName("dialogTitle")
        self.state_label = QLabel(self.tr("正在读取…"))
        self.state_label.setObjectName("syncStateLabel")
        self.state_label.setWordWrap(True)
        self.detail_label = QLabel("")
        self.detail_label.setWordWrap(True)
        self.sync_button = QPushButton(self.tr("立即同步"))
        self.sync_button.setObjectName("payButton")
        self.sync_button.setAutoDefault(False)
        self.sync_button.clicked.connect(self.sync_now)
        self.changes = QListWidget()
        self.changes.setObjectName("syncChanges")
        self.history = QTableWidget(0, 5)
        self.history.setObjectName("syncHistory")
        self.history.setHorizontalHeaderLabels([self.tr("时间"), self.tr("结果"), self.tr("上传"), self.tr("版本"),
                                                self.tr("说明")])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 120), (1, 70), (2, 70), (3, 70)):
            self.history.setColumnWidth(col, width)
        close = QPushButton(self.tr("关闭 Esc"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.state_label, 1)
        top.addWidget(self.sync_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.detail_label)
        layout.addWidget(QLabel(self.tr("上次下载的变更")))
        layout.addWidget(self.changes, 1)
        layout.addWidget(QLabel(self.tr("同步记录")))
        layout.addWidget(self.history, 2)
        layout.addWidget(close)
        self.resize(px(980), px(620))
        self.load()

    def load(self) -> None:
        self._runner.run(Lane.READER, partial(_sync_snapshot, self._till), self._loaded, self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        self.state_label.setText(error_text(exc))

    def _loaded(self, snap: tuple[Any, list[Any], list[dict[str, Any]]]) -> None:
        status, changes, history = snap
        text, color = sync_text(self._till, status)
        if not self.running and not self._keep_error:
            self.state_label.setText(text)
            self.state_label.setStyleSheet(scaled(f"color: {color}; font-size: 18px;"))
        self.sync_button.setEnabled(status.enrolled and not self.running)
        self.detail_label.setText(self.tr("总部地址 {url} · 收银机 {terminal} · 已确认到第 {seq} 条 · 主数据版本 {v}").format(
            url=status.url or "—", terminal=status.terminal_id, seq=status.acknowledged_seq, v=status.master_version))
        self.changes.clear()
        for c in changes:
            self.changes.addItem(c.text_zh if is_chinese() else c.text)
        if not changes:
            self.changes.addItem(self.tr("（无）"))
        self.history.setRowCount(len(history))
        for r, h in enumerate(history):
            note = (h.get("error_zh") if is_chinese() else h.get("error")) or (
                self.tr("变更 {n} 项").format(n=h.get("changes") or 0))
            values = (shown_time(self._till, h.get("finished_at")), self.tr("成功") if h.get("ok") else self.tr("失败"),
                      str(h.get("sent") or 0), str(h.get("master_version") or 0), note)
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                self.history.setItem(r, c, item)

    def sync_now(self) -> None:
        """立即同步 on the network lane; never two at once (the service refuses a second one too)."""
        if self.running:
            return
        self.running = True
        self._keep_error = False
        self.sync_button.setEnabled(False)
        self.state_label.setText(self.tr("正在同步…"))
        self.state_label.setStyleSheet(scaled(f"color: {INFO_COLOR}; font-size: 18px;"))
        self._runner.run(Lane.NETWORK, partial(run_sync_cycle, self._till), self._synced, self._sync_failed)

    def _synced(self, report: Any) -> None:
        self.running = False
        self.report = report
        emit(self.synced, report)
        self.load()

    def _sync_failed(self, exc: BaseException) -> None:
        self.running = False
        self._keep_error = True
        self.state_label.setText(self.tr("同步失败：{reason}").format(reason=error_text(exc)))
        self.state_label.setStyleSheet(scaled(f"color: {ERROR_COLOR}; font-size: 18px;"))
        emit(self.synced, None)
        self.load()
