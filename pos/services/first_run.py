"""The first run of a till with no database: what the wizard (ui/wizard.py) and ``setup`` decide.

Each page of the wizard reads what was typed into a small immutable plan (``read_store``,
``read_printer``, ``read_devices``, ``read_head_office``, ``read_admin``); a refusal comes back
as :class:`Problem` values (English and plain Chinese, and the field to point at), never an
exception. :func:`apply_plan` then makes the till in one go — settings file, database, store,
first administrator — and undoes all of it if any step fails, so a till is either set up or
untouched. Enrolment with head office (:func:`enrol`) comes after and may fail on its own: a
dropped connection is a message, not a failed set-up.

No Qt here: ``setup`` on the command line runs the same functions.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pos.config import Config, ConfigError, config_file, data_dir, save_settings, typed_setting
from pos.domain.errors import PosError
from pos.domain.users import Role, check_login_format, check_pin_format

if TYPE_CHECKING:
    from pos.bootstrap import Till
    from pos.services.devices import DeviceResult
    from pos.services.ports import Clock
    from pos.services.sync import EnrolReport

log = logging.getLogger(__name__)

T = TypeVar("T")

DEMO_COUNTERS = ("MX", "PM")  # 茂县专柜 (金平湖鲜到家, Pinghu) and 平茂连心馆 (茂县凤仪店)
SCALE_PROTOCOLS = ("8217", "continuous")
DISPLAY_TYPES = ("led8", "vfd")
PAPER_WIDTHS = (80, 58)
TCP_PORT = 9100


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing to fix, on one field of a page."""

    field: str
    message: str
    message_zh: str

    def text(self, chinese: bool) -> str:
        return self.message_zh if chinese else self.message


@dataclass(frozen=True, slots=True)
class Checked(Generic[T]):
    """What a page read: the plan, or the problems that stop it (then ``plan`` is None). An optional
    part left empty (the first cashier) is ``ok`` with no plan."""

    plan: T | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def _refused(*problems: Problem) -> Checked[Any]:
    return Checked(None, tuple(problems))


# -- the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StorePlan:
    code: str
    name: str
    counter: str
    address: str
    terminal: str


@dataclass(frozen=True, slots=True)
class PrinterPlan:
    url: str | None  # None: no receipt printer (receipts are kept as files)
    paper_width: int = 80


@dataclass(frozen=True, slots=True)
class DevicePlan:
    scale: str | None = None
    display: str | None = None


@dataclass(frozen=True, slots=True)
class HeadOfficePlan:
    url: str
    code: str


@dataclass(frozen=True, slots=True)
class AdminPlan:
    name: str
    login: str
    pin: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class CashierPlan:
    """The first cashier, so the new till can sell as soon as it is made (the administrator may not sell)."""
    name: str
    login: str
    pin: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class FirstRunPlan:
    store: StorePlan
    admin: AdminPlan
    printer: PrinterPlan = PrinterPlan(None)
    devices: DevicePlan = DevicePlan()
    head_office: HeadOfficePlan | None = None  # None: 以后再说
    language: str | None = None  # the language chosen on the first page
    cashier: CashierPlan | None = None  # None: cashiers are added later (店长管理 › 人员)


# -- 门店与收银机 ------------------------------------------------------------------------------------

_CODE = re.compile(r"^[A-Z0-9]{2,12}$")


def suggest_terminal(store_code: str) -> str:
    """The usual first terminal of a store: its code and 01 (MX -> MX01)."""
    code = store_code.strip().upper()
    return f"{code}01" if code else ""


def read_store(code: str, name: str, counter: str, address: str, terminal: str) -> Checked[StorePlan]:
    """Store code, names and terminal id as typed; codes are upper-cased, an empty terminal is code + 01."""
    code = code.strip().upper()
    terminal = terminal.strip().upper() or suggest_terminal(code)
    problems: list[Problem] = []
    if not code:
        problems.append(Problem("code", "Type the store code, e.g. MX", "请填写门店代码，例如 MX"))
    elif not _CODE.match(code):
        problems.append(Problem("code", "The store code is 2 to 12 letters or digits, e.g. MX",
                                "门店代码应为 2–12 位字母或数字，例如 MX"))
    if not name.strip():
        problems.append(Problem("name", "Type the store's name", "请填写门店名称"))
    elif len(name.strip()) > 40:
        problems.append(Problem("name", "The store's name is at most 40 characters", "门店名称最多 40 个字"))
    if len(counter.strip()) > 40:
        problems.append(Problem("counter", "The counter's name is at most 40 characters", "专柜名称最多 40 个字"))
    if len(address.strip()) > 100:
        problems.append(Problem("address", "The address is at most 100 characters", "地址最多 100 个字"))
    if code and not _CODE.match(terminal):
        problems.append(Problem("terminal", "The terminal id is 2 to 12 letters or digits, e.g. MX01",
                                "收银机编号应为 2–12 位字母或数字，例如 MX01"))
    if problems:
        return _refused(*problems)
    return Checked(StorePlan(code, name.strip(), counter.strip() or name.strip(), address.strip(), terminal))


# -- 小票打印机 -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrinterChoice:
    """A printer the till found (or the network one typed in): its address and how to name it."""

    url: str
    label: str
    label_zh: str


@dataclass(frozen=True, slots=True)
class SerialPort:
    device: str  # /dev/ttyUSB0, COM3
    description: str = ""

    @property
    def url(self) -> str:
        return f"serial://{self.device}"


@dataclass(frozen=True)
class Hardware:
    """What is plugged into this machine (the OS edge; tests give their own)."""

    serial_ports: Callable[[], Sequence[SerialPort]]
    usb_printers: Callable[[], Sequence[PrinterChoice]]


def usb_printers(root: Path = Path("/")) -> list[PrinterChoice]:
    """USB printers the kernel shows as /dev/usb/lp*, as ``usb://VID:PID`` addresses (from sysfs)."""
    found: list[PrinterChoice] = []
    for dev in sorted((root / "dev" / "usb").glob("lp*")):
        usb = (root / "sys" / "class" / "usbmisc" / dev.name / "device").resolve().parent
        try:
            vid = (usb / "idVendor").read_text().strip()
            pid = (usb / "idProduct").read_text().strip()
        except OSError:
            continue
        product = _read_text(usb / "product") or _read_text(usb / "manufacturer") or "USB"
        found.append(PrinterChoice(f"usb://{vid}:{pid}", f"USB printer {product} ({dev})",
                                   f"USB 打印机 {product}（{dev}）"))
    return found


def _read_text(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def default_hardware() -> Hardware:
    from pos.devices.serialport import list_serial_ports

    def ports() -> list[SerialPort]:
        return [SerialPort(p.device, p.description) for p in list_serial_ports()]

    return Hardware(ports, usb_printers)


def printer_choices(hw: Hardware) -> list[PrinterChoice]:
    """USB printers first, then every serial port (a serial printer at 9600 baud)."""
    choices = list(hw.usb_printers())
    for port in hw.serial_ports():
        what = f" ({port.description})" if port.description and port.description != "n/a" else ""
        what_zh = f"（{port.description}）" if what else ""
        choices.append(PrinterChoice(f"{port.url}?baudrate=9600", f"Serial printer on {port.device}{what}",
                                     f"串口打印机 {port.device}{what_zh}"))
    return choices


def network_printer_url(text: str) -> Checked[str]:
    """``192.168.1.50`` or ``192.168.1.50:9100`` (or a tcp:// address) -> ``tcp://192.168.1.50:9100``."""
    raw = text.strip()
    if raw.lower().startswith("tcp://"):
        raw = raw[len("tcp://"):]
    host, sep, port_text = raw.rpartition(":") if ":" in raw else (raw, "", "")
    bad = Problem("network", "Type the printer's network address, e.g. 192.168.1.50 or 192.168.1.50:9100",
                  "请填写打印机的网络地址，例如 192.168.1.50 或 192.168.1.50:9100")
    if not host or not re.fullmatch(r"[A-Za-z0-9.\-]+", host):
        return _refused(bad)
    port = TCP_PORT
    if sep:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            return _refused(Problem("network", "The port after the colon is a number from 1 to 65535, e.g. 9100",
                                    "冒号后的端口应为 1–65535 的数字，例如 9100"))
        port = int(port_text)
    return Checked(f"tcp://{host}:{port}")


def read_printer(url: str | None, paper_width: int) -> Checked[PrinterPlan]:
    """The chosen printer (None: 无打印机) and paper width, checked the way the till will use them."""
    if paper_width not in PAPER_WIDTHS:
        return _refused(Problem("paper", "The paper is 58 or 80 mm wide", "纸宽只能是 58 或 80 毫米"))
    if url is None:
        return Checked(PrinterPlan(None, paper_width))
    try:
        _printer(url, paper_width)
    except PosError as exc:
        return _refused(Problem("printer", exc.message, exc.message_zh))
    return Checked(PrinterPlan(url, paper_width))


def _printer(url: str, paper_width: int):  # noqa: ANN202 - printers.ReceiptPrinter
    from printers import make_printer

    return make_printer(url, columns=32 if paper_width == 58 else 48)


def print_test_page(plan: PrinterPlan) -> DeviceResult:
    """Print the till's test page on the chosen printer; the outcome in words (never raises).

    Blocking (a network printer may take seconds to refuse): run it off the GUI thread.
    """
    from pos.services.devices import DeviceResult, DeviceService, DeviceSettings, default_ports

    if plan.url is None:
        return DeviceResult(False, "No printer chosen: receipts are kept as files",
                            "未选打印机：小票保存为文件")

    service = DeviceService(DeviceSettings(printer_url=plan.url), default_ports(),
                            printer=lambda: _printer(plan.url or "", plan.paper_width))
    result = service.test_print()
    if result.ok:
        return DeviceResult(True, "Test page printed: check that the Chinese, the barcode and the QR code are clear",
                            "测试页已打印：请检查中文、条码和二维码是否清楚", result.detail)
    return result


# -- 电子秤和客显 -----------------------------------------------------------------------------------


def scale_url(port_url: str, protocol: str) -> str:
    return f"{port_url}?protocol={protocol}"


def display_url(port_url: str, kind: str) -> str:
    return f"{port_url}?type={kind}"


def read_devices(scale: str | None, display: str | None) -> Checked[DevicePlan]:
    """Scale and customer display addresses (None: not fitted), checked as the till will read them."""
    from pos.devices.display import make_display
    from pos.devices.scale import make_scale

    problems: list[Problem] = []
    for kind, url, make in (("scale", scale, make_scale), ("display", display, make_display)):
        if url:
            try:
                make(url)
            except PosError as exc:
                problems.append(Problem(kind, exc.message, exc.message_zh))
    if scale and display and _port_of(scale) == _port_of(display):
        problems.append(Problem("display", "The scale and the customer display cannot share one serial port",
                                "电子秤和客显不能用同一个串口"))
    if problems:
        return _refused(*problems)
    return Checked(DevicePlan(scale or None, display or None))


def _port_of(url: str) -> str:
    return url.partition("?")[0].lower()


def try_devices(plan: DevicePlan) -> list[DeviceResult]:
    """One scale reading and a test picture on the display, in words (never raises; blocking)."""
    from pos.services.devices import DeviceService, DeviceSettings, default_ports

    service = DeviceService(DeviceSettings(printer_url="dummy:", scale=plan.scale, display=plan.display),
                            default_ports(), printer=lambda: _printer("dummy:", 80))
    try:
        return [service.read_scale_once(), service.test_display()]
    finally:
        service.close()


# -- 总部 -------------------------------------------------------------------------------------------


def read_head_office(url_text: str, code_text: str, store: StorePlan) -> Checked[HeadOfficePlan]:
    """Head office's address and one-time code, or the enrolment QR text in either field."""
    from pos.sync.enrolment import address_and_code

    if not url_text.strip() and not code_text.strip():
        return _refused(Problem("url", "Type head office's address and enrolment code, or choose Later",
                                "请填写总部地址和登记码，或选“以后再说”"))
    try:
        url, code = address_and_code(url_text, code_text, store.code, store.terminal)
    except PosError as exc:
        return _refused(Problem("url", exc.message, exc.message_zh))
    problems: list[Problem] = []
    try:
        checked = typed_setting("sync_url", url) if url else None
    except ConfigError:
        checked = None
    if not checked:
        problems.append(Problem("url", "Type head office's address, e.g. http://192.168.1.10:8080",
                                "请填写总部地址，例如 http://192.168.1.10:8080"))
    if not code:
        problems.append(Problem("code", "Type the one-time enrolment code head office gave you (e.g. ABCD-EFGH-JKLM)",
                                "请填写总部给出的一次性登记码（例如 ABCD-EFGH-JKLM）"))
    if problems:
        return _refused(*problems)
    return Checked(HeadOfficePlan(str(checked).rstrip("/"), code))


# -- 管理员 -----------------------------------------------------------------------------------------


def read_admin(name: str, login: str, pin: str, pin_again: str) -> Checked[AdminPlan]:
    """The first administrator, under the user service's rules (login letters/digits/_, PIN 4–8 digits)."""
    problems: list[Problem] = []
    if not name.strip():
        problems.append(Problem("name", "Type the administrator's name", "请填写管理员姓名"))
    login = login.strip()
    bad_login = _login_problem(login, "login", "Type a login name, e.g. admin", "请填写登录名，例如 admin")
    if bad_login is not None:
        problems.append(bad_login)
    try:
        check_pin_format(pin)
    except PosError as exc:
        problems.append(Problem("pin", exc.message[:1].upper() + exc.message[1:], exc.message_zh))
    else:
        if pin != pin_again:
            problems.append(Problem("pin_again", "The two PINs differ: type the same PIN twice",
                                    "两次输入的密码不一致，请重新输入"))
    if problems:
        return _refused(*problems)
    return Checked(AdminPlan(name.strip(), login, pin))


def _login_problem(login: str, field_: str, empty_en: str = "Type a login name",
                   empty_zh: str = "请填写登录名") -> Problem | None:
    """The user service's login rule (pos.domain.users.check_login_format), as a page's problem."""
    if not login:
        return Problem(field_, empty_en, empty_zh)
    try:
        check_login_format(login)
    except PosError as exc:
        return Problem(field_, exc.message[:1].upper() + exc.message[1:], exc.message_zh)
    return None


def read_cashier(name: str, login: str, pin: str, *, admin_login: str = "") -> Checked[CashierPlan | None]:
    """The first cashier (optional): nothing typed in name and PIN means none for now."""
    name, login = name.strip(), login.strip()
    if not name and not pin:
        return Checked(None)
    problems: list[Problem] = []
    if not name:
        problems.append(Problem("cashier_name", "Type the cashier's name, or leave name and PIN empty",
                                "请填写收银员姓名，或姓名和密码都不填"))
    bad_login = _login_problem(login, "cashier_login")
    if bad_login is not None:
        problems.append(bad_login)
    elif login == admin_login.strip():
        problems.append(Problem("cashier_login", "The cashier needs a login of their own, not the administrator's",
                                "收银员的登录名不能与管理员相同"))
    try:
        check_pin_format(pin)
    except PosError as exc:
        problems.append(Problem("cashier_pin", exc.message[:1].upper() + exc.message[1:], exc.message_zh))
    if problems:
        return _refused(*problems)
    return Checked(CashierPlan(name, login, pin))


# -- 完成: make the till ------------------------------------------------------------------------------


def settings_of(plan: FirstRunPlan) -> dict[str, object]:
    """What goes into the settings file (None removes a key: the default applies)."""
    return {
        "store": plan.store.code, "terminal": plan.store.terminal,
        "printer": plan.printer.url, "paper_width": plan.printer.paper_width,
        "scale": plan.devices.scale, "display": plan.devices.display,
        "sync_url": plan.head_office.url if plan.head_office else None,
        **({"language": plan.language} if plan.language else {}),
    }


def summary(plan: FirstRunPlan) -> list[tuple[str, str, str, str]]:
    """The 完成 page's lines: (English caption, Chinese caption, English value, Chinese value)."""
    s = plan.store
    none = ("—", "—")
    printer = ((f"{plan.printer.url} · {plan.printer.paper_width} mm",) * 2 if plan.printer.url else
               (f"none: receipts kept as files ({plan.printer.paper_width} mm)",
                f"无：小票保存为文件（{plan.printer.paper_width} 毫米）"))
    rows: list[tuple[str, str, tuple[str, ...]]] = [
        ("Store", "门店", (f"{s.code} · {s.name}",) * 2),
        ("Counter", "专柜", (s.counter,) * 2),
        ("Address", "地址", (s.address,) * 2 if s.address else none),
        ("Terminal", "收银机", (s.terminal,) * 2),
        ("Receipt printer", "小票打印机", printer),
        ("Scale", "电子秤", (plan.devices.scale,) * 2 if plan.devices.scale else none),
        ("Customer display", "客显", (plan.devices.display,) * 2 if plan.devices.display else none),
        ("Head office", "总部", (plan.head_office.url,) * 2 if plan.head_office else ("later", "以后再说")),
        ("Administrator", "管理员", (f"{plan.admin.name} ({plan.admin.login})",) * 2),
        ("First cashier", "收银员", (f"{plan.cashier.name} ({plan.cashier.login})",) * 2 if plan.cashier else
         ("none yet: add in Manager › People", "暂无：在 店长管理 › 人员 添加")),
    ]
    return [(en, zh, value[0], value[1]) for en, zh, value in rows]


class SetupFailed(PosError):
    code = "setup_failed"


def _database_files(db: Path) -> list[Path]:
    return [db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


@dataclass
class _Undo:
    """What :func:`apply_plan` made, so that a failure can take it all back."""

    config: Path
    config_text: bytes | None
    made: list[Path] = field(default_factory=list)

    @classmethod
    def before(cls, cfg: Config) -> _Undo:
        path = config_file(cfg)
        undo = cls(path, path.read_bytes() if path.is_file() else None)
        for p in (*_database_files(Path(cfg.db)), Path(cfg.device_key)):
            if not p.exists():
                undo.made.append(p)
        return undo

    def run(self) -> None:
        for p in self.made:
            try:
                p.unlink(missing_ok=True)
            except OSError:
                log.exception("could not remove %s after a failed set-up", p)
        try:
            if self.config_text is None:
                self.config.unlink(missing_ok=True)
            else:
                self.config.write_bytes(self.config_text)
        except OSError:
            log.exception("could not restore %s after a failed set-up", self.config)


def apply_plan(plan: FirstRunPlan, cfg: Config, *, clock: Clock | None = None) -> Till:
    """Make the till: settings file, database bound to the store and terminal, the store's names,
    the first administrator. Returns the opened till. All or nothing: on any failure what was
    made is removed, the settings file is as before, and the error is raised.
    """
    from pos.bootstrap import open_till
    from pos.store.repositories import StoreRecord

    if Path(cfg.db).exists():
        raise SetupFailed(f"there is already a database at {cfg.db}; set-up is only for a new till",
                          message_zh=f"{cfg.db} 处已有数据库，只能为新收银机做首次设置")
    undo = _Undo.before(cfg)
    till = None
    try:
        values = settings_of(plan)
        saved = save_settings(undo.config, values)
        run_cfg = replace(cfg, **{k: getattr(saved, k) for k in values}, source=undo.config)
        till = open_till(run_cfg, create=True, rebind=True, clock=clock)
        s = plan.store
        with till.uow() as uow:
            uow.stores.put(StoreRecord(s.code, s.name, s.counter, s.address))
            uow.commit()
        till.auth.add_user(plan.admin.login, plan.admin.name, Role.ADMIN, plan.admin.pin, by=None)
        if plan.cashier is not None:
            till.auth.add_user(plan.cashier.login, plan.cashier.name, Role.CASHIER, plan.cashier.pin, by=None)
        till.close()  # opened again so that the till's identity carries the store's names
        till = None
        return open_till(run_cfg, clock=clock)
    except BaseException:
        if till is not None:
            till.close()
        undo.run()
        raise


@dataclass(frozen=True, slots=True)
class CatalogueOutcome:
    """A catalogue file brought in on the 完成 page, in words (a rejected file lists its first rows)."""

    ok: bool
    message: str
    message_zh: str

    def text(self, chinese: bool) -> str:
        return self.message_zh if chinese else self.message


def import_catalogue(till: Till, path: Path, *, rows_shown: int = 3) -> CatalogueOutcome:
    """The store's goods from a CSV (UTF-8/GBK) or XLSX file, as ``catalog import`` does; all rows or none.

    Without head office a new till has no goods to sell; this is the way in from the wizard.
    """
    from pos.services.catalog import CatalogRejected

    try:
        report = till.catalog.import_file(Path(path))
    except CatalogRejected as exc:
        rows = exc.errors[:rows_shown]
        more = len(exc.errors) + exc.more - len(rows)
        tail_en = f"; … and {more} more" if more else ""
        tail_zh = f"；另有 {more} 处" if more else ""
        return CatalogueOutcome(False, f"{exc.message}: " + "; ".join(str(e) for e in rows) + tail_en,
                                f"{exc.message_zh}：" + "；".join(e.message_zh for e in rows) + tail_zh)
    except PosError as exc:
        return CatalogueOutcome(False, exc.message, exc.message_zh)
    return CatalogueOutcome(True, f"{report.products} products imported from {Path(path).name}",
                            f"已从 {Path(path).name} 导入 {report.products} 件商品")


def enrol(till: Till, plan: HeadOfficePlan) -> EnrolReport:
    """Enrol with head office through the same service as ``enroll`` (blocking: network)."""
    return till.sync.enroll(plan.url, plan.code)


# -- 试用演示门店 ---------------------------------------------------------------------------------------


def demo_config(cfg: Config, store: str) -> Config:
    """The demo counter as ``gui`` (MX) or ``gui --store PM`` open it: PM on a database of its own
    (lianxin-PM.db in the data folder) unless a database was named."""
    store = store.upper()
    if store not in DEMO_COUNTERS:
        raise SetupFailed(f"the demo has the counters MX and PM, not {store}",
                          message_zh=f"演示门店只有 MX 和 PM 两个专柜，没有 {store}")
    if store == cfg.store:
        return cfg
    db = Path(cfg.db)
    if db == data_dir() / "lianxin.db" and not os.environ.get("POS_DB"):
        db = data_dir() / f"lianxin-{store}.db"
    return replace(cfg, store=store, terminal=None, db=db)

