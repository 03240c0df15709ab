"""Devices as the till uses them: the cash drawer, the hardware settings screen, the customer
display and the scale during checkout.

* :class:`DrawerService` — ``open(by, approval=None)``: the 开钱箱 operation. A cashier needs a
  manager's approval, a manager may alone (``Action.OPEN_DRAWER``); every opening is journaled as
  ``drawer_open`` with who, their role, the approver and the reason, *before* the kick is sent.
* :class:`DeviceService` — what the settings screen needs: ``list_serial_ports()``,
  ``configured()``, ``status()``, ``test_print()``, ``test_drawer()``, ``read_scale_once()``,
  ``test_display()``; and what checkout needs: ``display`` (never raises, no-op when none),
  ``read_stable_weight()``, ``start_scanner()`` and ``wedge_detector()``.

Every result carries an English and a plain Chinese message; device faults never raise into
the caller (permission refusals do: the UI asks for a manager's PIN and tries again).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from pos.domain.devices import ScaleReading, WedgeDetector
from pos.domain.errors import AuthError, PosError
from pos.domain.ledger import EntryKind
from pos.domain.permissions import Action, Approval, check
from pos.domain.users import User

from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from printers import PrinterStatus, ReceiptPrinter

    from .print_queue import PrintQueue

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceResult:
    ok: bool
    message: str
    message_zh: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "message": self.message, "message_zh": self.message_zh, **self.detail}


def _fault(exc: BaseException, what: str, what_zh: str) -> tuple[str, str]:
    if isinstance(exc, PosError):
        return exc.message, exc.message_zh
    log.error("%s failed", what, exc_info=exc)
    return f"{what} failed: {type(exc).__name__}: {exc}", f"{what_zh}失败：{exc}"


# --- the cash drawer ----------------------------------------------------------------------------


class DrawerService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity,
                 printer: Callable[[], ReceiptPrinter]) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till
        self._printer = printer

    def open(self, by: User, approval: Approval | None = None, *, reason: str = "") -> DeviceResult:
        """Open the drawer for ``by`` (开钱箱).

        Raises ApprovalRequired (a cashier without approval) or NotPermitted, like every other
        permission check. Then journals ``drawer_open`` and kicks the drawer through the
        printer; a printer fault comes back as ``ok=False`` (the opening stays journaled as
        requested and authorised).
        """
        check(by.role, Action.OPEN_DRAWER, approval, detail=reason)
        if approval is not None and approval.requested_by != by.login:
            raise AuthError("that approval was given to someone else", message_zh="该授权不是给当前收银员的")
        now = self._clock.now()
        payload = {
            "by": by.login, "role": by.role.value, "reason": reason,
            "approver": approval.approver if approval else None,
            "approver_role": approval.approver_role.value if approval else None,
        }
        with self._uow() as uow:
            entry = uow.journal.append(EntryKind.DRAWER_OPEN, business_day=uow.business_day(now),
                                       created_at=utc_iso(now), payload=payload)
            uow.commit()
        try:
            self._printer().open_drawer()
        except Exception as exc:
            en, zh = _fault(exc, "opening the cash drawer", "开钱箱")
            return DeviceResult(False, f"the cash drawer did not open: {en} (the request is recorded)",
                                f"钱箱未能打开：{zh}（开钱箱操作已记录）", {"seq": entry.seq})
        return DeviceResult(True, "cash drawer opened", "钱箱已打开", {"seq": entry.seq})


# --- ports for the adapters (pos/devices), injected by bootstrap ------------------------------


class CustomerDisplay(Protocol):
    def show_price(self, fen: int) -> bool: ...
    def show_total(self, fen: int) -> bool: ...
    def show_paid(self, fen: int) -> bool: ...
    def show_change(self, fen: int) -> bool: ...
    def show_member(self, phone_masked: str, points: int) -> bool: ...
    def clear(self) -> bool: ...


class NullDisplay:
    """No customer display fitted: every call does nothing and says so (False)."""

    url = ""
    ok = None
    last_error = None

    def show_price(self, fen: int) -> bool:
        return False

    show_total = show_paid = show_change = show_price

    def show_member(self, phone_masked: str, points: int) -> bool:
        return False

    def clear(self) -> bool:
        return False

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class DevicePorts:
    """How adapters are made (``pos.devices`` in the till; fakes in tests)."""

    make_scale: Callable[[str], Any]
    make_display: Callable[[str], Any]
    make_scanner: Callable[..., Any]
    list_ports: Callable[[], list[Any]]
    open_port: Callable[[str], Any]  # open and close a serial URL: "can the port be opened?"
    background: Callable[[Any], Any] = lambda display: display  # wraps a display in its own thread


@dataclass(frozen=True)
class DeviceSettings:
    printer_url: str = "dummy:"
    scanner: str = "wedge"
    scale: str | None = None
    display: str | None = None
    wedge_max_gap_ms: int = 30
    wedge_min_length: int = 4

    @classmethod
    def from_config(cls, cfg: object) -> DeviceSettings:
        """From a ``pos.config.Config`` (attributes it lacks keep the defaults)."""
        g = lambda name, default: getattr(cfg, name, default)  # noqa: E731
        return cls(printer_url=g("printer_url", "dummy:"), scanner=g("scanner", "wedge") or "wedge",
                   scale=g("scale", None) or None, display=g("display", None) or None,
                   wedge_max_gap_ms=g("wedge_max_gap_ms", 30), wedge_min_length=g("wedge_min_length", 4))


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One configured device and what it is doing (the settings screen's rows)."""

    kind: str  # printer, scanner, scale, display
    label_zh: str
    url: str | None  # None: not fitted
    ok: bool | None  # None: not fitted / not checked
    state: str  # ready, wedge, connected, disconnected, not_configured, … (printer: PrinterState values)
    message: str
    message_zh: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "label_zh": self.label_zh, "url": self.url, "ok": self.ok, "state": self.state,
                "message": self.message, "message_zh": self.message_zh, **self.detail}


LABELS_ZH = {"printer": "小票打印机", "scanner": "扫码枪", "scale": "电子秤", "display": "客显"}


class DeviceService:
    def __init__(self, settings: DeviceSettings, ports: DevicePorts, *,
                 printer: Callable[[], ReceiptPrinter],
                 drawer: DrawerService | None = None,
                 queue: PrintQueue | None = None,
                 clock: Clock | None = None,
                 till: TillIdentity | None = None) -> None:
        self.settings = settings
        self.ports = ports
        self._printer = printer
        self.drawer = drawer
        self.queue = queue
        self._clock = clock
        self._till = till
        self._lock = threading.Lock()
        self._scale: Any = None
        self._display: Any = None
        self._scanner: Any = None

    # -- what is there ------------------------------------------------------------------------

    def list_serial_ports(self) -> list[Any]:
        """Serial ports on this machine (``SerialPortInfo``: device, description, vid/pid, url)."""
        try:
            return list(self.ports.list_ports())
        except Exception:
            log.exception("listing serial ports failed")
            return []

    def configured(self) -> list[DeviceInfo]:
        """The four device slots and their addresses, without touching any device."""
        s = self.settings
        rows = [self._info("printer", s.printer_url, None, "configured", "receipt printer", "小票打印机")]
        if s.scanner == "wedge":
            rows.append(self._info("scanner", "wedge", True, "wedge", "keyboard-wedge scanner (no setup needed)",
                                   "键盘模式扫码枪（插上即用）"))
        else:
            rows.append(self._info("scanner", s.scanner, None, "configured", "serial scanner", "串口扫码枪"))
        for kind, url in (("scale", s.scale), ("display", s.display)):
            if url:
                rows.append(self._info(kind, url, None, "configured", kind, LABELS_ZH[kind]))
            else:
                rows.append(self._info(kind, None, None, "not_configured", f"no {kind} configured",
                                       f"未配置{LABELS_ZH[kind]}"))
        return rows

    @staticmethod
    def _info(kind: str, url: str | None, ok: bool | None, state: str, en: str, zh: str, **detail: Any) -> DeviceInfo:
        return DeviceInfo(kind, LABELS_ZH[kind], url, ok, state, en, zh, detail)

    # -- status -------------------------------------------------------------------------------

    def printer_status(self, timeout: float | None = None) -> PrinterStatus:
        """The printer's own answer (DLE EOT) — UNKNOWN when it gives none, never READY without one."""
        from printers.status import PrinterState, make_status

        try:
            printer = self._printer()
        except Exception as exc:
            en, zh = _fault(exc, "setting up the printer", "打印机设置")
            return make_status(self.settings.printer_url, PrinterState.UNREACHABLE, reason=en, reason_zh=zh)
        return printer.status(timeout)

    def status(self, *, read_scale: bool = True) -> list[DeviceInfo]:
        """Every device's state now. Blocking (up to a few seconds): run it off the GUI thread."""
        rows: list[DeviceInfo] = []
        ps = self.printer_status()
        pending = self._pending_jobs()
        rows.append(self._info("printer", self.settings.printer_url, ps.ok, ps.state.value, ps.message, ps.message_zh,
                               pending_jobs=pending))
        rows.append(self._scanner_info())
        rows.append(self._scale_info(read_scale))
        rows.append(self._display_info())
        return rows

    def _pending_jobs(self) -> int | None:
        if self.queue is None:
            return None
        try:
            return self.queue.count_pending()
        except Exception:
            log.exception("counting print jobs failed")
            return None

    def _probe_port(self, kind: str, url: str) -> tuple[bool, str, str, str]:
        try:
            self.ports.open_port(url)
        except Exception as exc:
            en, zh = _fault(exc, f"opening the {kind}", f"打开{LABELS_ZH[kind]}")
            return False, getattr(exc, "reason", "failed"), en, zh
        return True, "port_ok", f"{kind} port {url} opens", f"{LABELS_ZH[kind]}串口可以打开"

    def _scanner_info(self) -> DeviceInfo:
        url = self.settings.scanner
        if url == "wedge":
            return self._info("scanner", "wedge", True, "wedge", "keyboard-wedge scanner (no setup needed)",
                              "键盘模式扫码枪（插上即用）")
        scanner = self._scanner
        if scanner is not None and scanner.running:
            if scanner.connected:
                return self._info("scanner", url, True, "connected", f"scanner {url} connected", "扫码枪已连接")
            err = scanner.last_error
            return self._info("scanner", url, False, "disconnected",
                              err.message if err else f"scanner {url} not connected",
                              err.message_zh if err else "扫码枪未连接（正在重试）")
        ok, state, en, zh = self._probe_port("scanner", url)
        return self._info("scanner", url, ok, state, en, zh)

    def _scale_info(self, read: bool) -> DeviceInfo:
        url = self.settings.scale
        if not url:
            return self._info("scale", None, None, "not_configured", "no scale configured", "未配置电子秤")
        if not read:
            return self._info("scale", url, None, "configured", f"scale {url}", "电子秤（未读取）")
        r = self.read_scale_once()
        return self._info("scale", url, r.ok, "reading" if r.ok else r.detail.get("reason", "failed"),
                          r.message, r.message_zh, **{k: v for k, v in r.detail.items() if k != "reason"})

    def _display_info(self) -> DeviceInfo:
        url = self.settings.display
        if not url:
            return self._info("display", None, None, "not_configured", "no customer display configured", "未配置客显")
        disp = self._display
        if disp is not None and disp.ok is not None:
            if disp.ok:
                return self._info("display", url, True, "ready", f"display {url} working", "客显工作正常")
            err = disp.last_error
            return self._info("display", url, False, getattr(err, "reason", "failed"),
                              err.message if err else "display failed", err.message_zh if err else "客显出错")
        ok, state, en, zh = self._probe_port("display", url)
        return self._info("display", url, ok, state, en, zh)

    # -- tests from the settings screen ------------------------------------------------------------

    def _now_text(self) -> str:
        if self._clock is None:
            from datetime import datetime

            return datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        now = self._clock.now()
        return self._till.shown_time(now) if self._till else now.strftime("%Y-%m-%d %H:%M:%S")

    def test_print(self) -> DeviceResult:
        """Print the test page (Chinese, widths, barcode, QR, ￥) and report the printer's status."""
        from printers.testpage import make_test_page

        try:
            printer = self._printer()
            outcome = printer.send_job(make_test_page(printer, printed_at=self._now_text()))
        except Exception as exc:
            en, zh = _fault(exc, "the test print", "测试打印")
            status = self.printer_status()
            return DeviceResult(False, f"test page not printed: {en}", f"测试页未打印：{zh}",
                                {"status": status.to_json()})
        after = outcome.status if outcome.status is not None else self.printer_status()
        en = f"test page sent to {outcome.destination} ({outcome.byte_count} bytes); printer: {after.message}"
        zh = f"测试页已发送（{outcome.byte_count} 字节）；{after.message_zh}"
        return DeviceResult(True, en, zh, {"status": after.to_json(), "bytes": outcome.byte_count,
                                           "destination": outcome.destination})

    def test_drawer(self, by: User, approval: Approval | None = None) -> DeviceResult:
        """Open the drawer as a test: the same permission and journal entry as any opening."""
        if self.drawer is None:
            return DeviceResult(False, "the drawer needs the till's database", "开钱箱需要打开收银数据库")
        return self.drawer.open(by, approval, reason="test")

    def _scale_adapter(self) -> Any:
        with self._lock:
            if self._scale is None and self.settings.scale:
                self._scale = self.ports.make_scale(self.settings.scale)
            return self._scale

    def read_scale_once(self, timeout: float = 1.0) -> DeviceResult:
        """One reading for the settings screen (may be in motion)."""
        if not self.settings.scale:
            return DeviceResult(False, "no scale configured", "未配置电子秤", {"reason": "not_configured"})
        try:
            r = self._scale_adapter().read(timeout)
        except Exception as exc:
            en, zh = _fault(exc, "reading the scale", "读取电子秤")
            return DeviceResult(False, en, zh, {"reason": getattr(exc, "reason", "failed")})
        weight = f"{r.grams} g" if r.grams is not None else "no weight"
        return DeviceResult(True, f"scale reads {weight}" + (" (moving)" if r.motion else ""),
                            f"电子秤读数：{r.describe_zh()}", {"reading": r.to_json()})

    def read_stable_weight(self, timeout: float = 5.0, *, min_grams: int = 1) -> ScaleReading:
        """The stable weight for a weighed line. Raises DeviceError with a Chinese message
        (no scale, not stable in time, no answer, …): run it through the op runner."""
        from pos.devices.errors import DeviceError

        if not self.settings.scale:
            raise DeviceError("no scale is set up for this till (hardware settings)", message_zh="未配置电子秤",
                              reason="not_configured")
        return self._scale_adapter().read_stable(timeout, min_grams=min_grams)

    # -- the customer display ------------------------------------------------------------------

    @property
    def display(self) -> CustomerDisplay:
        """The customer display (its writes run on a thread of their own), or a no-op one."""
        with self._lock:
            if self._display is None:
                if not self.settings.display:
                    self._display = NullDisplay()
                else:
                    try:
                        self._display = self.ports.background(self.ports.make_display(self.settings.display))
                    except Exception:
                        log.exception("customer display %s could not be set up", self.settings.display)
                        self._display = NullDisplay()
            return self._display

    def test_display(self) -> DeviceResult:
        if not self.settings.display:
            return DeviceResult(False, "no customer display configured", "未配置客显", {"reason": "not_configured"})
        try:
            adapter = self.ports.make_display(self.settings.display)
        except Exception as exc:
            en, zh = _fault(exc, "setting up the display", "客显设置")
            return DeviceResult(False, en, zh, {"reason": getattr(exc, "reason", "config")})
        try:
            if adapter.show_total(888888) and adapter.show_price(1280):
                return DeviceResult(True, "display test sent (total 8888.88, price 12.80)",
                                    "客显测试已发送（总计 8888.88，单价 12.80）")
            err = adapter.last_error
            return DeviceResult(False, err.message if err else "display failed", err.message_zh if err else "客显出错",
                                {"reason": getattr(err, "reason", "failed")})
        finally:
            adapter.close()

    # -- scanners --------------------------------------------------------------------------------

    def wedge_detector(self) -> WedgeDetector:
        """A detector with this till's timing, for the UI's application-wide key filter."""
        return WedgeDetector(max_gap_ms=float(self.settings.wedge_max_gap_ms),
                             min_length=int(self.settings.wedge_min_length))

    def start_scanner(self, on_code: Callable[[str], None],
                      on_status: Callable[[bool, Any], None] | None = None) -> Any:
        """Start the serial scanner's thread (None for a keyboard-wedge scanner).

        ``on_code(code)`` and ``on_status(connected, error)`` are called on that thread.
        """
        if self.settings.scanner == "wedge":
            return None
        with self._lock:
            if self._scanner is not None:
                self._scanner.stop()
            self._scanner = self.ports.make_scanner(self.settings.scanner, on_code=on_code, on_status=on_status)
            self._scanner.start()
            return self._scanner

    def close(self) -> None:
        """Stop the scanner thread, let the display finish, close ports."""
        with self._lock:
            scanner, display, scale = self._scanner, self._display, self._scale
            self._scanner = self._display = self._scale = None
        for thing in (scanner,):
            if thing is not None:
                thing.stop()
        for thing in (display, scale):
            if thing is not None:
                try:
                    thing.close()
                except Exception:
                    log.exception("closing a device failed")


def default_ports() -> DevicePorts:
    """The real adapters (pyserial)."""
    from pos.devices import BackgroundDisplay, SerialScanner, list_serial_ports, make_display, make_scale
    from pos.devices.serialport import open_serial, parse_serial_url

    def open_port(url: str) -> None:
        if url.lower().startswith("dummy:"):
            return
        open_serial(parse_serial_url(url)).close()

    def make_scanner(url: str, **kw: Any) -> SerialScanner:
        return SerialScanner(url, **kw)

    return DevicePorts(make_scale=make_scale, make_display=make_display, make_scanner=make_scanner,
                       list_ports=list_serial_ports, open_port=open_port, background=BackgroundDisplay)
