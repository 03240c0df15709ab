"""设置向导: the first start of a till with no database, without a command line.

Pages: 欢迎 (set up my store, or try one of the two demo counters) → 门店与收银机 → 小票打印机 →
电子秤和客显 → 总部 → 管理员 → 完成. Every decision — what a field may hold, what goes into the
settings file, making the till all at once — is in ``pos.services.first_run``; this dialog
draws the pages, forwards keys, and runs the slow things (device tests, making the database,
enrolment) on the op runner's lanes. Nothing is written before 完成, so 取消 leaves nothing behind.

Keys: Enter 下一步, Esc 上一步 (on the first page: close).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos.config import Config
from pos.services import first_run as fr
from pos.services.first_run import Checked, Hardware, Problem

from .i18n import current_language, install_language, is_chinese
from .messages import error_text
from .ops import Lane, OpRunner
from .qtcompat import emit
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR

PAGES = ("welcome", "store", "printer", "devices", "headoffice", "admin", "finish")

WIZARD_STYLE = """
QLabel { font-size: 19px; }
QPushButton { font-size: 20px; min-height: 56px; padding: 4px 14px; }
#wizardTitle { font-size: 26px; font-weight: bold; color: #1f3a5f; }
#wizardStep { font-size: 17px; color: #546e7a; }
#wizardHint { font-size: 17px; color: #37474f; }
QLineEdit, QComboBox { font-size: 20px; min-height: 44px; padding: 0 8px; }
QListWidget { font-size: 19px; }
QListWidget::item { min-height: 44px; padding: 4px; }
#wizardMessage { font-size: 18px; }
QPushButton#choiceButton { font-size: 20px; min-height: 64px; text-align: left; padding: 4px 16px; }
QPushButton#toggleButton { font-size: 19px; min-height: 48px; }
QPushButton#toggleButton:checked { background: #1f3a5f; color: white; font-weight: bold; border: none; }
"""


def _form(parent: QWidget | None = None) -> QFormLayout:
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


def _row(form: QFormLayout, caption: str, field: QWidget) -> None:
    """A caption level with its field (a form's own label sits at the top of a tall field)."""
    label = QLabel(caption)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    label.setMinimumHeight(field.sizeHint().height())
    label.setBuddy(field)
    form.addRow(label, field)


def _wrapped(text: str, name: str = "wizardHint") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class FirstRunWizard(QDialog):
    """After ``accept()``: :attr:`demo_store` ("MX"/"PM") if the demo was chosen, else :attr:`till`."""

    language_changed = Signal(str)

    def __init__(self, cfg: Config, runner: OpRunner, hardware: Hardware | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cfg = cfg
        self._runner = runner
        self._hw = hardware or fr.default_hardware()
        self.demo_store: str | None = None
        self.till: Any = None  # pos.bootstrap.Till once 完成 has made it
        self.plan: fr.FirstRunPlan | None = None
        self._busy = False
        self._printer_choices: list[fr.PrinterChoice] = []
        self._ports: list[fr.SerialPort] = []
        self._searched = False  # the first look for printers and ports has come back
        self.setObjectName("firstRunWizard")
        self.setStyleSheet(WIZARD_STYLE)
        self.setMinimumSize(800, 600)
        self.resize(960, 700)
        self._layout = QVBoxLayout(self)
        self._body: QWidget | None = None
        self._build()
        self._runner.run(Lane.DEVICE, self._find_hardware, self._hardware_found, lambda exc: None)

    # -- building (again after a language switch: every text comes from self.tr) -----------------

    def _build(self) -> None:
        if self._body is not None:
            self._layout.removeWidget(self._body)
            self._body.deleteLater()
        body = QWidget()
        self._body = body
        self._layout.addWidget(body)
        self.setWindowTitle(self.tr("设置向导"))
        self.step = QLabel("")
        self.step.setObjectName("wizardStep")
        self.title = QLabel("")
        self.title.setObjectName("wizardTitle")
        self.pages = QStackedWidget()
        for name in PAGES:
            self.pages.addWidget(getattr(self, f"_page_{name}")())
        self.message = _wrapped("", "wizardMessage")
        self.message.setMinimumHeight(54)  # two lines, kept free: a wrapped label is not given room later
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.reject)
        self.back_button = QPushButton(self.tr("上一步 Esc"))
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(self.tr("下一步 Enter"))
        self.next_button.setObjectName("payButton")
        self.next_button.clicked.connect(self.next)
        for b in (self.cancel_button, self.back_button, self.next_button):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        col = QVBoxLayout(body)
        col.setContentsMargins(8, 4, 8, 4)
        col.addWidget(self.step)
        col.addWidget(self.title)
        col.addWidget(self.pages, 1)
        col.addWidget(self.message)
        col.addLayout(buttons)
        self._fill_hardware()
        self._show(0)

    def _titles(self) -> list[str]:
        return [self.tr("欢迎使用连心收银"), self.tr("门店与收银机"), self.tr("小票打印机"), self.tr("电子秤和客显"),
                self.tr("总部"), self.tr("管理员"), self.tr("完成")]

    def _page_welcome(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        langs = QHBoxLayout()
        langs.addWidget(QLabel(self.tr("语言 Language")))
        self.lang_group = QButtonGroup(page)
        for code, text in (("zh_CN", "中文"), ("en", "English")):
            b = QPushButton(text)
            b.setObjectName("toggleButton")
            b.setCheckable(True)
            b.setChecked(current_language() == code)
            b.setProperty("language", code)
            b.clicked.connect(lambda _=False, c=code: self.set_language(c))
            self.lang_group.addButton(b)
            langs.addWidget(b)
        langs.addStretch(1)
        lay.addLayout(langs)
        lay.addWidget(_wrapped(self.tr("这台收银机还没有设置。设置好门店、打印机和第一位管理员后即可开始收银，"
                                       "不需要命令行。")))
        self.setup_button = QPushButton(self.tr("设置我的门店 →"))
        self.setup_button.setObjectName("choiceButton")
        self.setup_button.clicked.connect(self.next)
        lay.addWidget(self.setup_button)
        lay.addSpacing(12)
        lay.addWidget(_wrapped(self.tr("或者先试用演示门店（示例商品和用户，收银员 cashier1 密码 1111）：")))
        self.demo_buttons: dict[str, QPushButton] = {}
        for code, text in (("MX", self.tr("茂县专柜 MX — 金平湖鲜到家（平湖）")),
                           ("PM", self.tr("平茂连心馆 PM — 茂县凤仪店（茂县）"))):
            b = QPushButton(text)
            b.setObjectName("choiceButton")
            b.clicked.connect(lambda _=False, c=code: self.choose_demo(c))
            self.demo_buttons[code] = b
            lay.addWidget(b)
        lay.addStretch(1)
        return page

    def _field(self, name: str, placeholder: str = "") -> QLineEdit:
        f = QLineEdit()
        f.setObjectName(name)
        f.setPlaceholderText(placeholder)
        return f

    def _page_store(self) -> QWidget:
        page = QWidget()
        form = _form(page)
        old = getattr(self, "store_fields", None)
        self.store_fields = {
            "code": self._field("storeCode", self.tr("例如 MX")),
            "name": self._field("storeName", self.tr("例如 金平湖鲜到家")),
            "counter": self._field("counterName", self.tr("例如 茂县专柜")),
            "address": self._field("storeAddress", self.tr("可不填")),
            "terminal": self._field("terminalId", self.tr("例如 MX01")),
        }
        captions = {"code": self.tr("门店代码"), "name": self.tr("门店名称"), "counter": self.tr("专柜名称"),
                    "address": self.tr("地址"), "terminal": self.tr("收银机编号")}
        for key, f in self.store_fields.items():
            if old:
                f.setText(old[key].text())
            _row(form, captions[key], f)
        self.store_fields["code"].textEdited.connect(self._suggest_terminal)
        form.addRow("", _wrapped(self.tr("收银机编号一般是门店代码加 01，同一门店的第二台收银机用 02。")))
        return page

    def _suggest_terminal(self, code: str) -> None:
        terminal = self.store_fields["terminal"]
        if not terminal.isModified():
            terminal.setText(fr.suggest_terminal(code))

    def _page_printer(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(_wrapped(self.tr("选择小票打印机（找到的 USB、串口打印机，或网络打印机）：")))
        self.printer_list = QListWidget()
        self.printer_list.setObjectName("printerList")
        self.printer_list.currentRowChanged.connect(self._printer_row_changed)
        lay.addWidget(self.printer_list, 1)
        net = QHBoxLayout()
        net.addWidget(QLabel(self.tr("网络打印机地址")))
        self.network_field = self._field("networkPrinter", self.tr("例如 192.168.1.50:9100"))
        self.network_field.textEdited.connect(lambda _t: self._select_network())
        net.addWidget(self.network_field, 1)
        lay.addLayout(net)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("纸宽")))
        self.paper_group = QButtonGroup(page)
        for width in fr.PAPER_WIDTHS:
            b = QPushButton(self.tr("{mm} 毫米").format(mm=width))
            b.setObjectName("toggleButton")
            b.setCheckable(True)
            b.setProperty("width", width)
            b.setChecked(width == 80)
            self.paper_group.addButton(b, width)
            row.addWidget(b)
        row.addStretch(1)
        self.rescan_button = QPushButton(self.tr("重新查找"))
        self.rescan_button.clicked.connect(self.rescan)
        row.addWidget(self.rescan_button)
        self.test_print_button = QPushButton(self.tr("打印测试页"))
        self.test_print_button.setObjectName("testPrintButton")
        self.test_print_button.clicked.connect(self.test_print)
        row.addWidget(self.test_print_button)
        lay.addLayout(row)
        self.printer_result = _wrapped("", "wizardMessage")
        lay.addWidget(self.printer_result)
        return page

    def _page_devices(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        self.scale_port, self.display_port = QComboBox(), QComboBox()
        self.scale_port.setObjectName("scalePort")
        self.display_port.setObjectName("displayPort")
        self.scale_protocol, self.display_type = QComboBox(), QComboBox()
        for proto, text in zip(fr.SCALE_PROTOCOLS, (self.tr("8217 协议（问答式，常见）"), self.tr("连续发送")),
                               strict=True):
            self.scale_protocol.addItem(text, proto)
        for kind, text in zip(fr.DISPLAY_TYPES, (self.tr("LED 数码管（8 位）"), self.tr("两行字符屏（VFD）")),
                              strict=True):
            self.display_type.addItem(text, kind)
        self.scale_port.currentIndexChanged.connect(self._ports_chosen)
        self.display_port.currentIndexChanged.connect(self._ports_chosen)
        grid.addWidget(QLabel(self.tr("电子秤串口")), 0, 0)
        grid.addWidget(self.scale_port, 0, 1)
        grid.addWidget(QLabel(self.tr("电子秤协议")), 1, 0)
        grid.addWidget(self.scale_protocol, 1, 1)
        grid.addWidget(QLabel(self.tr("客显串口")), 2, 0)
        grid.addWidget(self.display_port, 2, 1)
        grid.addWidget(QLabel(self.tr("客显类型")), 3, 0)
        grid.addWidget(self.display_type, 3, 1)
        self.test_devices_button = QPushButton(self.tr("测试电子秤和客显"))
        self.test_devices_button.clicked.connect(self.test_devices)
        grid.addWidget(self.test_devices_button, 4, 1)
        grid.addWidget(_wrapped(self.tr("没有电子秤或客显就选“无”；以后可以在 店长管理 › 硬件设置 里更改。")), 5, 0, 1, 2)
        self.devices_result = _wrapped("", "wizardMessage")
        grid.addWidget(self.devices_result, 6, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(7, 1)
        return page

    def _page_headoffice(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(_wrapped(self.tr("连接总部后，销售会自动上传，商品和价格由总部下发。总部的“收银机”页面给出"
                                       "登记码或登记二维码（可直接扫进下面任一栏）。")))
        form = _form()
        self.ho_url = self._field("headOfficeUrl", self.tr("例如 http://192.168.1.10:8080"))
        self.ho_code = self._field("enrolCode", self.tr("例如 ABCD-EFGH-JKLM"))
        _row(form, self.tr("总部地址"), self.ho_url)
        _row(form, self.tr("登记码"), self.ho_code)
        lay.addLayout(form)
        self.later_button = QPushButton(self.tr("以后再说（不连接总部）"))
        self.later_button.setObjectName("toggleButton")
        self.later_button.setCheckable(True)
        self.later_button.setAutoDefault(False)  # Enter after choosing 以后再说 goes on, not back off again
        self.later_button.toggled.connect(self._later_toggled)
        lay.addWidget(self.later_button)
        lay.addWidget(_wrapped(self.tr("登记在按“完成”后进行；连不上总部也能先开始收银，以后在 硬件设置 › 总部同步 里登记。")))
        lay.addStretch(1)
        return page

    def _later_toggled(self, later: bool) -> None:
        self.ho_url.setEnabled(not later)
        self.ho_code.setEnabled(not later)

    def _page_admin(self) -> QWidget:
        page = QWidget()
        form = _form(page)
        self.admin_name = self._field("adminName", self.tr("例如 李建国"))
        self.admin_login = self._field("adminLogin", self.tr("字母或数字，例如 admin"))
        self.admin_login.setText("admin")
        self.admin_pin = self._field("adminPin", self.tr("4–8 位数字"))
        self.admin_pin_again = self._field("adminPinAgain", self.tr("再输入一次"))
        for f in (self.admin_pin, self.admin_pin_again):
            f.setEchoMode(QLineEdit.EchoMode.Password)
            f.setMaxLength(8)
        _row(form, self.tr("姓名"), self.admin_name)
        _row(form, self.tr("登录名"), self.admin_login)
        _row(form, self.tr("密码"), self.admin_pin)
        _row(form, self.tr("确认密码"), self.admin_pin_again)
        form.addRow("", _wrapped(self.tr("管理员可以添加收银员和店长、更改设置，但不收银；请记住这个密码。")))
        # The first cashier (optional), so the new till can ring up a sale straight away.
        self.cashier_name = self._field("cashierName", self.tr("收银员姓名（可不填）"))
        self.cashier_login = self._field("cashierLogin", self.tr("例如 cashier1"))
        self.cashier_login.setText("cashier1")
        self.cashier_pin = self._field("cashierPin", self.tr("4–8 位数字"))
        self.cashier_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.cashier_pin.setMaxLength(8)
        _row(form, self.tr("收银员"), self.cashier_name)
        _row(form, self.tr("收银员登录名"), self.cashier_login)
        _row(form, self.tr("收银员密码"), self.cashier_pin)
        return page

    def _page_finish(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(_wrapped(self.tr("请核对。按“完成”后建立收银数据库、保存设置，然后打开登录。")))
        self.summary = QGridLayout()  # caption | value, one row per setting (filled when the page shows)
        self.summary.setColumnStretch(1, 1)
        self.summary.setHorizontalSpacing(16)
        lay.addLayout(self.summary)
        self.finish_result = _wrapped("", "wizardMessage")
        lay.addWidget(self.finish_result)
        self.enrol_result = _wrapped("", "wizardMessage")
        self.enrol_result.setMinimumHeight(80)
        lay.addWidget(self.enrol_result)
        row = QHBoxLayout()
        self.retry_enrol_button = QPushButton(self.tr("重试登记"))
        self.retry_enrol_button.clicked.connect(self._enrol)
        self.retry_enrol_button.hide()
        row.addWidget(self.retry_enrol_button)
        self.catalogue_button = QPushButton(self.tr("导入商品表（CSV/Excel）…"))
        self.catalogue_button.setObjectName("catalogueButton")
        self.catalogue_button.clicked.connect(self.import_catalogue)
        self.catalogue_button.hide()
        row.addWidget(self.catalogue_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.catalogue_result = _wrapped("", "wizardMessage")
        lay.addWidget(self.catalogue_result)
        lay.addStretch(1)
        return page

    # -- moving between pages ------------------------------------------------------------------------

    def current(self) -> str:
        return PAGES[self.pages.currentIndex()]

    def _show(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        name = PAGES[index]
        self.title.setText(self._titles()[index])
        self.step.setText(self.tr("第 {n} 步，共 {total} 步").format(n=index + 1, total=len(PAGES)))
        self._say("")
        self.back_button.setVisible(index > 0)
        self.next_button.setVisible(name != "welcome")
        self.next_button.setText(self.tr("完成 Enter") if name == "finish" else self.tr("下一步 Enter"))
        if name == "finish" and self.plan is not None:
            self._fill_summary(self.plan)
        first = {"store": self.store_fields["code"], "printer": self.printer_list, "headoffice": self.ho_url,
                 "admin": self.admin_name}.get(name)
        (first or self).setFocus()

    def next(self) -> None:
        if self._busy:
            return
        name = self.current()
        if name == "finish":
            if self.till is not None:  # made, enrolment done or given up: on to the login
                self.accept()
            else:
                self._make_till()
            return
        if name != "welcome" and self._read(name) is None:
            return
        if name == "admin":
            self.plan = self._plan()
        self._show(self.pages.currentIndex() + 1)

    def back(self) -> None:
        if self._busy or self.till is not None:
            return
        if self.pages.currentIndex() == 0:
            self.reject()
        else:
            self._show(self.pages.currentIndex() - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt
        if event.key() == Qt.Key.Key_Escape:
            self.back()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.next()
        else:
            super().keyPressEvent(event)

    def reject(self) -> None:
        if self._busy or self.till is not None:  # the till exists: only 打开登录 remains
            return
        super().reject()

    def set_language(self, language: str) -> None:
        lang = install_language(language)
        self._build()
        emit(self.language_changed, lang)

    def choose_demo(self, store: str) -> None:
        self.demo_store = store
        self.accept()

    # -- reading the pages (the rules are in pos.services.first_run) ---------------------------------

    def _say(self, text: str, color: str = ERROR_COLOR) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {color};")

    def _problems(self, checked: Checked[Any], fields: dict[str, QWidget]) -> bool:
        if checked.ok:
            return True
        self._say("\n".join(p.text(is_chinese()) for p in checked.problems))
        first: Problem = checked.problems[0]
        widget = fields.get(first.field)
        if widget is not None:
            widget.setFocus()
        return False

    def _read(self, name: str) -> Any:
        checked: Checked[Any]
        if name == "store":
            f = self.store_fields
            checked = fr.read_store(*(f[k].text() for k in ("code", "name", "counter", "address", "terminal")))
            if checked.ok and checked.plan is not None:
                f["code"].setText(checked.plan.code)
                f["terminal"].setText(checked.plan.terminal)
            return checked.plan if self._problems(checked, dict(f)) else None
        if name == "printer":
            url = self._printer_url()
            if isinstance(url, Checked):
                self._problems(url, {"network": self.network_field})
                return None
            checked = fr.read_printer(url, self.paper_group.checkedId())
            return checked.plan if self._problems(checked, {"printer": self.printer_list}) else None
        if name == "devices":
            checked = fr.read_devices(*self._device_urls())
            return checked.plan if self._problems(checked, {"scale": self.scale_port,
                                                            "display": self.display_port}) else None
        if name == "headoffice":
            if self.later_button.isChecked():
                return fr.HeadOfficePlan("", "")  # 以后再说: an empty plan, left out of the FirstRunPlan
            store = self._read_quiet("store")
            checked = fr.read_head_office(self.ho_url.text(), self.ho_code.text(), store)
            if checked.ok and checked.plan is not None:
                self.ho_url.setText(checked.plan.url)
                self.ho_code.setText(checked.plan.code)
            return checked.plan if self._problems(checked, {"url": self.ho_url, "code": self.ho_code}) else None
        if name == "admin":
            checked = fr.read_admin(self.admin_name.text(), self.admin_login.text(), self.admin_pin.text(),
                                    self.admin_pin_again.text())
            if not self._problems(checked, {"name": self.admin_name, "login": self.admin_login,
                                            "pin": self.admin_pin, "pin_again": self.admin_pin_again}):
                return None
            cashier = self._read_cashier()
            return checked.plan if self._problems(cashier, {"cashier_name": self.cashier_name,
                                                            "cashier_login": self.cashier_login,
                                                            "cashier_pin": self.cashier_pin}) else None
        return None

    def _read_quiet(self, name: str) -> Any:
        f = self.store_fields
        return fr.read_store(*(f[k].text() for k in ("code", "name", "counter", "address", "terminal"))).plan

    def _plan(self) -> fr.FirstRunPlan:
        store = self._read_quiet("store")
        url = self._printer_url()
        printer = fr.read_printer(None if isinstance(url, Checked) else url, self.paper_group.checkedId()).plan
        devices = fr.read_devices(*self._device_urls()).plan
        ho = None
        if not self.later_button.isChecked():
            ho = fr.read_head_office(self.ho_url.text(), self.ho_code.text(), store).plan
        admin = fr.read_admin(self.admin_name.text(), self.admin_login.text(), self.admin_pin.text(),
                              self.admin_pin_again.text()).plan
        assert store is not None and admin is not None  # each page was read before it could be left
        return fr.FirstRunPlan(store, admin, printer or fr.PrinterPlan(None), devices or fr.DevicePlan(), ho,
                               language=current_language(), cashier=self._read_cashier().plan)

    def _read_cashier(self) -> Checked[fr.CashierPlan | None]:
        return fr.read_cashier(self.cashier_name.text(), self.cashier_login.text(), self.cashier_pin.text(),
                               admin_login=self.admin_login.text())

    # -- hardware ----------------------------------------------------------------------------------

    def _find_hardware(self) -> tuple[list[fr.PrinterChoice], list[fr.SerialPort]]:
        return fr.printer_choices(self._hw), list(self._hw.serial_ports())

    def _hardware_found(self, found: tuple[list[fr.PrinterChoice], list[fr.SerialPort]]) -> None:
        self._printer_choices, self._ports = found
        self._searched = True
        self._fill_hardware()

    def rescan(self) -> None:
        self.printer_result.setText(self.tr("正在查找…"))
        self._runner.run(Lane.DEVICE, self._find_hardware, self._hardware_found, lambda exc: None)

    def _fill_hardware(self) -> None:
        chinese = is_chinese()
        self.printer_list.clear()
        for choice in self._printer_choices:
            item = QListWidgetItem(choice.label_zh if chinese else choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice.url)
            self.printer_list.addItem(item)
        self._network_row = self.printer_list.count()
        self.printer_list.addItem(QListWidgetItem(self.tr("网络打印机（在下面填写地址）")))
        self.printer_list.addItem(QListWidgetItem(self.tr("无打印机（小票保存为文件）")))
        # the first printer found, or 无打印机 while nothing is found (until someone types an address)
        self.printer_list.setCurrentRow(0 if self._printer_choices else self.printer_list.count() - 1)
        if not self._searched:
            self.printer_result.setText(self.tr("正在查找…"))
        elif self._printer_choices:
            self.printer_result.setText(self.tr("找到 {n} 台打印机").format(n=len(self._printer_choices)))
        else:
            self.printer_result.setText(self.tr("没有找到 USB 或串口打印机：可填写网络打印机地址，或选“无打印机”。"))
        self.printer_result.setStyleSheet(f"color: {INFO_COLOR};")
        for combo in (self.scale_port, self.display_port):
            keep_url = combo.currentData()
            combo.clear()
            combo.addItem(self.tr("无"), None)
            for port in self._ports:
                combo.addItem(f"{port.device}  {port.description}".strip(), port.url)
            combo.setCurrentIndex(max(0, combo.findData(keep_url)))
        self._ports_chosen()

    def _ports_chosen(self, _index: int = 0) -> None:
        """A protocol or display type only matters once a port is chosen."""
        self.scale_protocol.setEnabled(self.scale_port.currentData() is not None)
        self.display_type.setEnabled(self.display_port.currentData() is not None)

    def _printer_row_changed(self, row: int) -> None:
        self._say("")  # a complaint about the network address is old news once another printer is chosen

    def _select_network(self) -> None:
        self.printer_list.setCurrentRow(self._network_row)

    def _printer_url(self) -> str | None | Checked[str]:
        """The chosen printer's address, None for 无打印机, or the problem with a typed network address."""
        row = self.printer_list.currentRow()
        if row < self._network_row:
            return str(self.printer_list.item(max(row, 0)).data(Qt.ItemDataRole.UserRole))
        if row == self._network_row:
            checked = fr.network_printer_url(self.network_field.text())
            return checked.plan if checked.ok else checked
        return None

    def test_print(self) -> None:
        url = self._printer_url()
        if isinstance(url, Checked):
            self._problems(url, {"network": self.network_field})
            return
        checked = fr.read_printer(url, self.paper_group.checkedId())
        if not self._problems(checked, {"printer": self.printer_list}) or checked.plan is None:
            return
        plan = checked.plan
        self._say("")
        self.test_print_button.setEnabled(False)
        self.printer_result.setText(self.tr("正在打印测试页…"))
        self.printer_result.setStyleSheet(f"color: {INFO_COLOR};")
        self._runner.run(Lane.DEVICE, lambda: fr.print_test_page(plan), self._device_result(self.printer_result),
                         self._device_failed(self.printer_result))

    def _device_urls(self) -> tuple[str | None, str | None]:
        scale = self.scale_port.currentData()
        display = self.display_port.currentData()
        return (fr.scale_url(scale, self.scale_protocol.currentData()) if scale else None,
                fr.display_url(display, self.display_type.currentData()) if display else None)

    def test_devices(self) -> None:
        checked = fr.read_devices(*self._device_urls())
        if not self._problems(checked, {"scale": self.scale_port, "display": self.display_port}) or not checked.plan:
            return
        plan = checked.plan
        if not plan.scale and not plan.display:
            self.devices_result.setText(self.tr("没有选择电子秤或客显"))
            self.devices_result.setStyleSheet(f"color: {INFO_COLOR};")
            return
        self.test_devices_button.setEnabled(False)
        self.devices_result.setText(self.tr("正在测试…"))
        self._runner.run(Lane.DEVICE, lambda: fr.try_devices(plan), self._device_result(self.devices_result),
                         self._device_failed(self.devices_result))

    def _device_result(self, label: QLabel) -> Any:
        def shown(result: Any) -> None:
            results = result if isinstance(result, list) else [result]
            results = [r for r in results if r.detail.get("reason") != "not_configured"]
            label.setText("\n".join(r.message_zh if is_chinese() else r.message for r in results))
            label.setStyleSheet(f"color: {OK_COLOR if all(r.ok for r in results) else ERROR_COLOR};")
            self.test_print_button.setEnabled(True)
            self.test_devices_button.setEnabled(True)

        return shown

    def _device_failed(self, label: QLabel) -> Any:
        def shown(exc: BaseException) -> None:
            label.setText(error_text(exc))
            label.setStyleSheet(f"color: {ERROR_COLOR};")
            self.test_print_button.setEnabled(True)
            self.test_devices_button.setEnabled(True)

        return shown

    # -- 完成 ----------------------------------------------------------------------------------------

    def _fill_summary(self, plan: fr.FirstRunPlan) -> None:
        while self.summary.count():
            item = self.summary.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        chinese = is_chinese()
        for row, (en, zh, value_en, value_zh) in enumerate(fr.summary(plan)):
            caption = QLabel(zh if chinese else en)
            caption.setStyleSheet("color: #546e7a;")
            shown = QLabel(_short(value_zh if chinese else value_en))
            shown.setObjectName("summaryValue")
            shown.setTextFormat(Qt.TextFormat.PlainText)
            self.summary.addWidget(caption, row, 0)
            self.summary.addWidget(shown, row, 1)

    def summary_text(self) -> str:
        """The 完成 page's summary as one text (caption and value per line)."""
        parts = []
        for row in range(self.summary.rowCount()):
            cells = [self.summary.itemAtPosition(row, col) for col in (0, 1)]
            parts.append(" ".join(c.widget().text() for c in cells if c is not None and c.widget() is not None))
        return "\n".join(parts)

    def _make_till(self) -> None:
        plan = self.plan or self._plan()
        self._busy = True
        self._set_buttons(False)
        self.finish_result.setText(self.tr("正在建立收银数据库…"))
        self.finish_result.setStyleSheet(f"color: {INFO_COLOR};")
        cfg = self._cfg
        self._runner.run(Lane.WRITER, lambda: fr.apply_plan(plan, cfg), self._made, self._not_made)

    def _set_buttons(self, enabled: bool) -> None:
        for b in (self.cancel_button, self.back_button, self.next_button):
            b.setEnabled(enabled)

    def _made(self, till: Any) -> None:
        self._busy = False
        self.till = till
        self.cancel_button.hide()
        self.back_button.hide()
        self.next_button.setText(self.tr("打开登录 Enter"))
        self.next_button.setEnabled(True)
        done = self.tr("收银机已设置好：门店 {store}，收银机 {terminal}。").format(
            store=till.identity.store_code, terminal=till.identity.terminal_id)
        if self.plan is None or self.plan.head_office is None:
            done += self.tr("没有连接总部：可以先导入商品表，也可以以后在命令行用 catalog import 导入。")
        self.finish_result.setText(done)
        self.finish_result.setStyleSheet(f"color: {OK_COLOR};")
        self.catalogue_button.show()
        if self.plan is not None and self.plan.head_office is not None:
            self._enrol()

    def _not_made(self, exc: BaseException) -> None:
        self._busy = False
        self._set_buttons(True)
        self.finish_result.setText(self.tr("未能完成设置（没有保存任何内容）：{reason}").format(reason=error_text(exc)))
        self.finish_result.setStyleSheet(f"color: {ERROR_COLOR};")

    def choose_catalogue_file(self) -> str:
        """The file chooser (tests give a path instead)."""
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(self, self.tr("选择商品表"), "",
                                                    self.tr("商品表 (*.csv *.xlsx);;所有文件 (*)"))
        return path

    def import_catalogue(self) -> None:
        if self.till is None or self._busy:
            return
        path = self.choose_catalogue_file()
        if not path:
            return
        till = self.till
        self._busy = True
        self.catalogue_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self.catalogue_result.setText(self.tr("正在导入商品…"))
        self.catalogue_result.setStyleSheet(f"color: {INFO_COLOR};")
        self._runner.run(Lane.WRITER, lambda: fr.import_catalogue(till, Path(path)), self._catalogue_done,
                         self._catalogue_failed)

    def _catalogue_done(self, outcome: fr.CatalogueOutcome) -> None:
        self._busy = False
        self.catalogue_button.setEnabled(True)
        self.next_button.setEnabled(True)
        self.catalogue_result.setText(outcome.text(is_chinese()))
        self.catalogue_result.setStyleSheet(f"color: {OK_COLOR if outcome.ok else ERROR_COLOR};")

    def _catalogue_failed(self, exc: BaseException) -> None:
        self._catalogue_done(fr.CatalogueOutcome(False, error_text(exc), error_text(exc)))

    def _enrol(self) -> None:
        if self.till is None or self.plan is None or self.plan.head_office is None:
            return
        ho, till = self.plan.head_office, self.till
        self._busy = True
        self.next_button.setEnabled(False)
        self.retry_enrol_button.hide()
        self._enrol_says(self.tr("正在登记到总部 {url}…").format(url=ho.url), INFO_COLOR)
        self._runner.run(Lane.NETWORK, lambda: fr.enrol(till, ho), self._enrolled, self._enrol_failed)

    def _enrolled(self, report: Any) -> None:
        self._busy = False
        self.next_button.setEnabled(True)
        self._enrol_says(self.tr("已登记到总部：收银机 {terminal}").format(terminal=report.terminal_id), OK_COLOR)

    def _enrol_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.next_button.setEnabled(True)
        self.retry_enrol_button.show()
        self._enrol_says(self.tr("未能登记到总部：{reason}。可以先开始收银，以后在 硬件设置 › 总部同步 里再登记。").format(
            reason=error_text(exc)), ERROR_COLOR)

    def _enrol_says(self, text: str, color: str) -> None:
        self.enrol_result.setText(text)
        self.enrol_result.setStyleSheet(f"color: {color};")


def _short(text: str, most: int = 64) -> str:
    """Long addresses lose their middle: the start and the end say which one it is."""
    half = most // 2
    return text if len(text) <= most else f"{text[:half - 1]}…{text[-half:]}"


