"""Customer displays (客显): LED-8 and two-line VFD on a serial port, and a demo display.

    display = make_display("serial:///dev/ttyUSB2?type=led8")     # 2400 8N1 by default
    display.show_total(10900)      # lights 总计, shows 109.00
    display.show_change(100)
    display.clear()

No method ever raises: a display that is missing, unplugged or mis-set returns False and keeps
the reason in ``last_error`` (English + Chinese). After a failure the port is not tried again
for ``retry_after`` seconds, so a missing display costs the checkout nothing.
:class:`BackgroundDisplay` moves the writes off the caller's thread (only the newest picture
matters: older pending ones are dropped).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from pos.domain.devices import (
    LED8_CLEAR,
    LED8_INIT,
    VFD_CLEAR,
    DisplayLabel,
    led8_label,
    led8_show,
    vfd_amount,
    vfd_show,
)

from .errors import DeviceConfigError, DeviceError, serial_error
from .serialport import SerialSettings, open_serial, parse_serial_url

log = logging.getLogger(__name__)

DISPLAY_TYPES = ("led8", "vfd")
DEFAULT_BAUD = {"led8": 2400, "vfd": 9600}


class _DisplayBase:
    url: str
    kind: str = "led8"
    encoding: str = "gb18030"
    last_error: DeviceError | None = None
    ok: bool | None = None  # None: nothing sent yet

    def _frame(self, label: int, fen: int) -> bytes:
        raise NotImplementedError

    def _clear_bytes(self) -> bytes:
        raise NotImplementedError

    def _send(self, data: bytes) -> bool:
        raise NotImplementedError

    def _amount(self, label: int, fen: int) -> bool:
        try:
            data = self._frame(label, fen)
        except (ValueError, TypeError):
            self.last_error = DeviceError(f"display {self.url}: the amount has more digits than the display can show",
                                          message_zh="金额超出客显可显示的位数", reason="failed", device=self.url)
            return False
        return self._send(data)

    def show_price(self, fen: int) -> bool:
        return self._amount(DisplayLabel.PRICE, fen)

    def show_total(self, fen: int) -> bool:
        return self._amount(DisplayLabel.TOTAL, fen)

    def show_paid(self, fen: int) -> bool:
        return self._amount(DisplayLabel.PAID, fen)

    def show_change(self, fen: int) -> bool:
        return self._amount(DisplayLabel.CHANGE, fen)

    def clear(self) -> bool:
        return self._send(self._clear_bytes())

    def show_member(self, phone_masked: str, points: int) -> bool:
        """会员 on a two-line display: the masked phone above, the points below. An LED-8 shows digits
        only (a number there would read as a price): it shows nothing and says so (False)."""
        if self.kind != "vfd":
            return False
        if self.encoding == "ascii":
            return self._send(vfd_show(f"MEMBER {phone_masked}", f"POINTS {points}", encoding="ascii"))
        return self._send(vfd_show(f"会员 {phone_masked}", f"积分 {points}", encoding=self.encoding))


class SerialDisplay(_DisplayBase):
    def __init__(self, settings: SerialSettings, kind: str = "led8", *, encoding: str = "gb18030",
                 retry_after: float = 5.0, opener: Callable[[SerialSettings], object] | None = None) -> None:
        if kind not in DISPLAY_TYPES:
            raise DeviceConfigError(f"display type must be led8 or vfd, not '{kind}'",
                                    message_zh="客显类型只能是 led8（数码管）或 vfd（两行字符）", device=settings.url)
        if encoding not in ("gb18030", "gbk", "ascii"):
            raise DeviceConfigError(f"display encoding must be gb18030, gbk or ascii, not '{encoding}'",
                                    message_zh="客显编码只能是 gb18030、gbk 或 ascii", device=settings.url)
        self.settings = settings
        self.url = settings.url
        self.kind = kind
        self.encoding = encoding
        self.retry_after = retry_after
        self._open = opener or (lambda s: open_serial(s, kind="display"))
        self._port = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()
        self.last_error = None
        self.ok = None

    def _frame(self, label: int, fen: int) -> bytes:
        if self.kind == "led8":
            return led8_show(fen, label)
        return vfd_amount(label, fen, encoding=self.encoding)

    def _clear_bytes(self) -> bytes:
        return (led8_label(DisplayLabel.OFF) + LED8_CLEAR) if self.kind == "led8" else VFD_CLEAR

    def _greeting(self) -> bytes:
        return LED8_INIT + LED8_CLEAR if self.kind == "led8" else VFD_CLEAR

    def _send(self, data: bytes) -> bool:
        with self._lock:
            if self._port is None:
                if self._failed_at is not None and time.monotonic() - self._failed_at < self.retry_after:
                    return False  # still failing: do not stall the checkout on every scan
                try:
                    self._port = self._open(self.settings)
                    self._port.write(self._greeting())
                except DeviceError as e:
                    return self._fail(e)
                except Exception as e:
                    return self._fail(serial_error(e, kind="display", url=self.url, port=self.settings.port))
            try:
                self._port.write(data)
                self._port.flush()
            except Exception as e:
                return self._fail(serial_error(e, kind="display", url=self.url, port=self.settings.port,
                                               doing="write"))
            self.ok, self.last_error, self._failed_at = True, None, None
            return True

    def _fail(self, error: DeviceError) -> bool:
        log.info("customer display %s: %s", self.url, error.message)
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:
                pass
        self.ok, self.last_error, self._failed_at = False, error, time.monotonic()
        return False

    def close(self) -> None:
        with self._lock:
            port, self._port = self._port, None
            if port is not None:
                try:
                    port.close()
                except Exception:
                    pass


class DummyDisplay(_DisplayBase):
    """``dummy:`` (``?type=vfd``) — keeps the bytes it would send in ``sent`` (demos, tests)."""

    def __init__(self, url: str = "dummy:", kind: str = "led8", encoding: str = "gb18030") -> None:
        self.url = url
        self.kind = kind
        self.encoding = encoding
        self.sent: list[bytes] = []
        self.ok = None
        self.last_error = None

    _frame = SerialDisplay._frame
    _clear_bytes = SerialDisplay._clear_bytes

    def _send(self, data: bytes) -> bool:
        self.sent.append(data)
        self.ok = True
        return True

    def close(self) -> None:
        pass


class BackgroundDisplay:
    """Runs a display's writes on its own thread; every call returns at once (True = queued).

    Only the newest picture is kept while the thread is busy: a slow display shows the current
    total, never a backlog of old ones — except that 收款 (paid) is not dropped for the 找零
    (change) that follows it: the customer sees what they handed over, then their change.
    ``wait_idle`` is for tests and shutdown.
    """

    PAID_HOLD_S = 1.5

    def __init__(self, display: SerialDisplay | DummyDisplay) -> None:
        self.display = display
        self.url = display.url
        self._pending: tuple[str, tuple] | None = None
        self._cond = threading.Condition()
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"display {display.url}", daemon=True)
        self._thread.start()

    @property
    def ok(self) -> bool | None:
        return self.display.ok

    @property
    def last_error(self) -> DeviceError | None:
        return self.display.last_error

    def _post(self, method: str, *args: object) -> bool:
        with self._cond:
            if self._closed:
                return False
            if method == "show_change" and self._pending is not None and self._pending[0] == "show_paid":
                self._pending = ("_paid_then_change", (*self._pending[1], *args))
            else:
                self._pending = (method, args)
            self._cond.notify_all()
        return True

    def _paid_then_change(self, paid: int, change: int) -> None:
        self.display.show_paid(paid)
        time.sleep(self.PAID_HOLD_S)
        self.display.show_change(change)

    def show_price(self, fen: int) -> bool:
        return self._post("show_price", fen)

    def show_total(self, fen: int) -> bool:
        return self._post("show_total", fen)

    def show_paid(self, fen: int) -> bool:
        return self._post("show_paid", fen)

    def show_change(self, fen: int) -> bool:
        return self._post("show_change", fen)

    def clear(self) -> bool:
        return self._post("clear")

    def show_member(self, phone_masked: str, points: int) -> bool:
        return self._post("show_member", phone_masked, points)

    def wait_idle(self, timeout: float = 2.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending is not None or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self, timeout: float = 2.0) -> None:
        self.wait_idle(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout)
        self.display.close()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._pending is None and self._closed:
                    return
                method, args = self._pending  # type: ignore[misc]
                self._pending = None
                self._busy = True
            try:
                target = self if method.startswith("_") else self.display
                getattr(target, method)(*args)
            except Exception:  # the adapters do not raise; this is the last guard
                log.exception("customer display %s failed", self.url)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()


def make_display(url: str, *, opener: Callable[[SerialSettings], object] | None = None) -> SerialDisplay | DummyDisplay:
    """``serial://…?type=led8`` (2400 8N1) or ``?type=vfd`` (9600 8N1, ``&encoding=gb18030|ascii``), or ``dummy:``."""
    url = url.strip()
    if url.lower().startswith("dummy:"):
        params = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        return DummyDisplay(url, params.get("type", "led8").lower(), params.get("encoding", "gb18030").lower())
    probe = parse_serial_url(url, kind="display")
    kind = probe.options.get("type", "led8").lower()
    if kind not in DISPLAY_TYPES:
        raise DeviceConfigError(f"display type must be led8 or vfd, not '{kind}'",
                                message_zh="客显类型只能是 led8（数码管）或 vfd（两行字符）", device=url)
    settings = parse_serial_url(url, kind="display", baudrate=DEFAULT_BAUD[kind])
    return SerialDisplay(settings, kind, encoding=settings.options.get("encoding", "gb18030").lower(), opener=opener)
