"""硬件设置: serial ports, the configured devices and their state, device tests, and head-office
enrolment. Reachable by whoever holds ``Action.SETTINGS`` (店长, 管理员).

Settings that live in the config file are shown read-only with the file and the key to change.
Every device and network call runs on the op runner (DEVICE / NETWORK lanes).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.errors import PosError
from pos.domain.permissions import Approval, ApprovalRequired
from pos.domain.users import User

from .approval import ApprovalDialog
from .device_panels import printer_state_text, sync_text
from .i18n import is_chinese, translate
from .messages import error_text
from .ops import Lane, OpRunner
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR, px, scaled

CONFIG_KEYS = ("printer", "paper_width", "encoding", "printer_profile", "receipt_codes", "receipt_qr", "cash_drawer",
               "scanner", "wedge_max_gap_ms", "wedge_min_length", "scale", "display", "sync_url", "window")
_ATTR = {"printer": "printer_url"}


def config_file(till: Till) -> Path:
    source = getattr(till.config, "source", None)
    if source:
        return Path(source)
    from pos.config import config_dir

    return config_dir() / "config.toml"


def _choices() -> str:
    try:
        import printers

        return "printer_profile: {p} · receipt_codes: {c} · receipt_qr: {q}".format(
            p=", ".join(list(printers.known_profiles())[:12]), c=", ".join(printers.CODE_STYLES),
            q=", ".join(printers.QR_MODES)) + " · window: fullscreen, maximized, normal"
    except Exception:  # noqa: BLE001 - a missing optional driver only hides the hint
        return ""


def _state_words(info: Any) -> str:
    if info.kind == "printer":
        return printer_state_text(info.state)
    if info.ok is None:
        return "—"
    return translate("devices", "正常") if info.ok else translate("devices", "故障")


class HardwareSettingsDialog(QDialog):
    """设置 / 硬件设置."""

    def __init__(self, till: Till, runner: OpRunner, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._user = user
        self.live_reading = False
        self.enrolled: bool | None = None
        self.approval_dialog: ApprovalDialog | None = None
        self.setWindowTitle(self.tr("硬件设置"))
        self.setModal(True)

        title = QLabel(self.tr("硬件设置"))
        title.setObjectName("dialogTitle")

        # -- devices -------------------------------------------------------------------------
        self.devices = QTableWidget(0, 4)
        self.devices.setObjectName("deviceTable")
        self.devices.setHorizontalHeaderLabels([self.tr("设备"), self.tr("地址"), self.tr("状态"), self.tr("说明")])
        self.devices.verticalHeader().hide()
        self.devices.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.devices.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.devices.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 110), (1, 300), (2, 80)):
            self.devices.setColumnWidth(col, width)
        self.devices.setFixedHeight(px(158))
        self.ports = QListWidget()
        self.ports.setObjectName("serialPorts")
        self.ports.setFixedHeight(px(56))
        self.result = QLabel("")
        self.result.setObjectName("deviceResult")
        self.result.setWordWrap(True)
        self.scale_readout = QLabel(self.tr("秤：—"))
        self.scale_readout.setObjectName("scaleReadout")
        self.scale_readout.setStyleSheet(scaled("font-size: 20px; font-weight: bold;"))

        self.test_print_button = QPushButton(self.tr("测试打印"))
        self.test_drawer_button = QPushButton(self.tr("测试钱箱"))
        self.scale_button = QPushButton(self.tr("读取秤重"))
        self.scale_button.setCheckable(True)
        self.display_button = QPushButton(self.tr("测试客显"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.test_print_button.clicked.connect(self.test_print)
        self.test_drawer_button.clicked.connect(lambda: self.test_drawer())
        self.scale_button.toggled.connect(self.toggle_scale)
        self.display_button.clicked.connect(self.test_display)
        self.refresh_button.clicked.connect(self.refresh)
        tests = QHBoxLayout()
        for b in (self.test_print_button, self.test_drawer_button, self.scale_button, self.display_button,
                  self.refresh_button):
            b.setAutoDefault(False)
            b.setStyleSheet(scaled("min-height: 44px; padding: 4px 12px;"))
            tests.addWidget(b)

        dev_box = QGroupBox(self.tr("设备"))
        dcol = QVBoxLayout(dev_box)
        dcol.addWidget(self.devices)
        dcol.addWidget(QLabel(self.tr("本机串口")))
        dcol.addWidget(self.ports)
        dcol.addLayout(tests)
        readout = QHBoxLayout()
        readout.addWidget(self.scale_readout)
        readout.addWidget(self.result, 1)
        dcol.addLayout(readout)

        # -- config file (read-only) -----------------------------------------------------------
        cfg_box = QGroupBox(self.tr("配置文件（只读）"))
        grid = QGridLayout(cfg_box)
        path = config_file(till)
        exists = path.exists()
        self.config_path = QLabel(self.tr("配置文件：{path}").format(path=path) if exists
                                  else self.tr("配置文件：{path}（尚不存在，可新建）").format(path=path))
        self.config_path.setWordWrap(True)
        self.config_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.config_path, 0, 0, 1, 4)
        for i, key in enumerate(CONFIG_KEYS):
            value = getattr(till.config, _ATTR.get(key, key), None)
            k = QLabel(key)
            k.setStyleSheet("font-family: monospace; color: #555;")
            v = QLabel("—" if value in (None, "") else str(value))
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(k, 1 + i // 2, (i % 2) * 2)
            grid.addWidget(v, 1 + i // 2, (i % 2) * 2 + 1)
        hint = QLabel(self.tr("修改：在配置文件中改对应的键（如 printer = \"tcp://192.0.2.50:9100\"），然后重启收银程序。")
                      + "\n" + _choices())
        hint.setWordWrap(True)
        hint.setStyleSheet(scaled("color: #666; font-size: 14px;"))
        grid.addWidget(hint, 2 + len(CONFIG_KEYS) // 2, 0, 1, 4)

        # -- head office ----------------------------------------------------------------------------
        sync_box = QGroupBox(self.tr("总部同步"))
        sgrid = QGridLayout(sync_box)
        self.sync_state = QLabel(self.tr("正在读取…"))
        self.sync_state.setObjectName("enrolState")
        self.sync_state.setWordWrap(True)
        self.url_field = QLineEdit()
        self.url_field.setObjectName("syncUrl")
        self.url_field.setPlaceholderText("http://headoffice:8080")
        self.code_field = QLineEdit()
        self.code_field.setObjectName("enrolCode")
        self.code_field.setPlaceholderText(self.tr("如 ABCD-EFGH-JKLM"))
        self.enroll_button = QPushButton(self.tr("登记"))
        self.enroll_button.setAutoDefault(False)
        self.enroll_button.setStyleSheet(scaled("min-height: 44px; padding: 4px 12px;"))
        self.enroll_button.clicked.connect(self.enroll)
        self.enroll_result = QLabel("")
        self.enroll_result.setWordWrap(True)
        sgrid.addWidget(self.sync_state, 0, 0, 1, 3)
        sgrid.addWidget(QLabel(self.tr("总部地址")), 1, 0)
        sgrid.addWidget(self.url_field, 1, 1, 1, 2)
        sgrid.addWidget(QLabel(self.tr("登记码")), 2, 0)
        sgrid.addWidget(self.code_field, 2, 1)
        sgrid.addWidget(self.enroll_button, 2, 2)
        sgrid.addWidget(self.enroll_result, 3, 0, 1, 3)

        content = QWidget()
        col = QVBoxLayout(content)
        col.addWidget(dev_box)
        lower = QHBoxLayout()
        lower.addWidget(cfg_box, 3)
        lower.addWidget(sync_box, 2)
        col.addLayout(lower)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        close = QPushButton(self.tr("返回 Esc"))
        close.setStyleSheet(scaled("min-height: 44px; padding: 4px 12px;"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addWidget(close)

        self._scale_timer = QTimer(self)
        self._scale_timer.setSingleShot(True)
        self._scale_timer.timeout.connect(self._read_scale)
        self.finished.connect(lambda _r: self._stop_scale())
        self.resize(px(1240), px(760))
        self._show_devices(till.devices.configured())
        self.refresh()

    # -- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        devices = self._till.devices
        self.say(self.tr("正在检查设备…"), INFO_COLOR)
        self._runner.run(Lane.DEVICE, devices.list_serial_ports, self._show_ports, self._failed)
        self._runner.run(Lane.DEVICE, partial(devices.status, read_scale=False), self._statuses, self._failed)
        self.load_sync()

    def _show_ports(self, ports: list[Any]) -> None:
        self.ports.clear()
        for p in ports:
            vidpid = f"  {p.vid:04X}:{p.pid:04X}" if getattr(p, "vid", None) and getattr(p, "pid", None) else ""
            self.ports.addItem(f"{p.device}  {p.description or ''}{vidpid}  {p.url}")
        if not ports:
            self.ports.addItem(self.tr("未发现串口"))

    def _statuses(self, rows: list[Any]) -> None:
        self._show_devices(rows)
        self.say(self.tr("设备状态已刷新"), OK_COLOR)

    def _show_devices(self, rows: list[Any]) -> None:
        self.device_rows = list(rows)
        self.devices.setRowCount(len(rows))
        for r, info in enumerate(rows):
            message = info.message_zh if is_chinese() else info.message
            values = (info.label_zh if is_chinese() else info.kind, info.url or self.tr("未配置"),
                      _state_words(info), message)
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                if c == 2 and info.ok is False:
                    item.setForeground(Qt.GlobalColor.red)
                self.devices.setItem(r, c, item)

    def say(self, text: str, color: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(scaled(f"color: {color}; font-size: 16px;"))

    def _failed(self, exc: BaseException) -> None:
        self.say(error_text(exc), ERROR_COLOR)

    def _result(self, result: Any) -> None:
        text = result.message_zh if is_chinese() else result.message
        self.say(text, OK_COLOR if result.ok else ERROR_COLOR)

    # -- tests ---------------------------------------------------------------------------------

    def test_print(self) -> None:
        self.say(self.tr("正在打印测试页…"), INFO_COLOR)
        self._runner.run(Lane.DEVICE, self._till.devices.test_print, self._result, self._failed)

    def test_drawer(self, approval: Approval | None = None) -> None:
        devices, user = self._till.devices, self._user
        self.say(self.tr("正在打开钱箱…"), INFO_COLOR)
        self._runner.run(Lane.DEVICE, lambda: devices.test_drawer(user, approval), self._result,
                         self._drawer_failed)

    def _drawer_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, ApprovalRequired):
            self._failed(exc)
            return
        dialog = ApprovalDialog(self._till, self._runner, self._user, exc.action, reason=error_text(exc),
                                detail=self.tr("测试钱箱"), parent=self)
        self.approval_dialog = dialog

        def done(result: int) -> None:
            self.approval_dialog = None
            if result == QDialog.DialogCode.Accepted and dialog.approval is not None:
                self.test_drawer(dialog.approval)
            else:
                self.say(self.tr("未获店长授权，操作已取消"), ERROR_COLOR)
            dialog.deleteLater()

        dialog.finished.connect(done)
        dialog.open()

    def test_display(self) -> None:
        self._runner.run(Lane.DEVICE, self._till.devices.test_display, self._result, self._failed)

    def toggle_scale(self, on: bool) -> None:
        """读取秤重: a live readout (motion, over capacity …) until pressed again."""
        self.live_reading = on
        if on:
            self._read_scale()
        else:
            self._scale_timer.stop()

    def _stop_scale(self) -> None:
        self.live_reading = False
        self._scale_timer.stop()

    def _read_scale(self) -> None:
        if not self.live_reading:
            return
        self._runner.run(Lane.DEVICE, partial(self._till.devices.read_scale_once, 0.5), self._scale_read,
                         self._scale_failed)

    def _scale_read(self, result: Any) -> None:
        text = result.message_zh if is_chinese() else result.message
        self.scale_readout.setText(self.tr("秤：{reading}").format(reading=text))
        self.scale_readout.setStyleSheet(f"font-size: 20px; font-weight: bold; color: "
                                         f"{OK_COLOR if result.ok else ERROR_COLOR};")
        if not result.ok and result.detail.get("reason") == "not_configured":
            self.scale_button.setChecked(False)
            return
        if self.live_reading:
            self._scale_timer.start(300)

    def _scale_failed(self, exc: BaseException) -> None:
        self.scale_readout.setText(error_text(exc))
        self.scale_button.setChecked(False)

    # -- head office -------------------------------------------------------------------------

    def load_sync(self) -> None:
        till = self._till
        self._runner.run(Lane.READER, lambda: till.sync.status(), self._sync_read, self._sync_failed)

    def _sync_read(self, status: Any) -> None:
        self.enrolled = bool(status.enrolled)
        text, color = sync_text(self._till, status)
        if status.enrolled:
            text = self.tr("已登记：{url}（收银机 {terminal}）").format(url=status.url, terminal=status.terminal_id) \
                + "\n" + text
        else:
            text = self.tr("尚未登记总部：填写总部地址和登记码，按 登记")
        if status.url and not self.url_field.text():
            self.url_field.setText(status.url)
        self.sync_state.setText(text)
        self.sync_state.setStyleSheet(f"color: {color};")

    def _sync_failed(self, exc: BaseException) -> None:
        self.sync_state.setText(error_text(exc))

    def enroll(self) -> None:
        from pos.sync.enrolment import address_and_code

        identity = self._till.identity
        try:  # head office's enrolment QR, scanned into either field, fills both
            url, code = address_and_code(self.url_field.text(), self.code_field.text(), identity.store_code,
                                         identity.terminal_id)
        except PosError as exc:
            self.enroll_result.setText(error_text(exc))
            self.enroll_result.setStyleSheet(f"color: {ERROR_COLOR};")
            return
        self.url_field.setText(url)
        self.code_field.setText(code)
        if not url or not code:
            self.enroll_result.setText(self.tr("请填写总部地址和登记码"))
            self.enroll_result.setStyleSheet(f"color: {ERROR_COLOR};")
            return
        self.enroll_button.setEnabled(False)
        self.enroll_result.setText(self.tr("正在登记…"))
        self.enroll_result.setStyleSheet(f"color: {INFO_COLOR};")
        sync = self._till.sync
        self._runner.run(Lane.NETWORK, lambda: sync.enroll(url, code), self._enrolled, self._enroll_failed)

    def _enrolled(self, report: Any) -> None:
        self.enroll_button.setEnabled(True)
        self.code_field.clear()
        self.enroll_result.setText(self.tr("登记成功：收银机 {terminal}，密钥保存在 {where}").format(
            terminal=report.terminal_id, where=report.secret_kept_in))
        self.enroll_result.setStyleSheet(f"color: {OK_COLOR};")
        self.load_sync()

    def _enroll_failed(self, exc: BaseException) -> None:
        self.enroll_button.setEnabled(True)
        self.enroll_result.setText(self.tr("登记失败：{reason}").format(reason=error_text(exc)))
        self.enroll_result.setStyleSheet(f"color: {ERROR_COLOR};")
