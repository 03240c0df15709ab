"""Serial (USB-CDC) barcode scanner: a thread that reads lines and hands over codes.

    scanner = SerialScanner("serial:///dev/ttyACM0", on_code=print)
    scanner.start()
    ...
    scanner.stop()

Codes arrive through ``on_code`` (called on the scanner's thread: the UI turns it into a Qt
signal) and the ``codes`` queue. Unplugging the scanner is not an error the caller sees: the
thread closes the port, reports ``connected = False`` (``on_status``), and tries again with a
growing pause (``backoff``) until the port is back. Nothing here ever raises into the caller
after construction.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from pos.domain.devices import LineFramer

from .errors import DeviceError, serial_error
from .serialport import SerialSettings, open_serial, parse_serial_url

log = logging.getLogger(__name__)

StatusCallback = Callable[[bool, "DeviceError | None"], None]


class SerialScanner:
    def __init__(
        self,
        url: str | SerialSettings,
        on_code: Callable[[str], None] | None = None,
        *,
        on_status: StatusCallback | None = None,
        backoff: tuple[float, float] = (0.2, 5.0),
        opener: Callable[[SerialSettings], object] | None = None,
    ) -> None:
        self.settings = url if isinstance(url, SerialSettings) else parse_serial_url(url, kind="scanner")
        self.url = self.settings.url
        self.on_code = on_code
        self.on_status = on_status
        self.backoff = backoff
        self._open = opener or (lambda s: open_serial(s, kind="scanner"))
        self.codes: queue.Queue[str] = queue.Queue()
        self.connected = False
        self.last_error: DeviceError | None = None
        self.reconnects = 0  # times the port came back after being lost
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._port = None

    # -- control ------------------------------------------------------------------------------

    def start(self) -> SerialScanner:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=f"scanner {self.url}", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_connected(self, timeout: float) -> bool:
        """For tests and the settings screen: wait until the port is open."""
        deadline = threading.Event()
        waited = 0.0
        while not self.connected and waited < timeout and not self._stop.is_set():
            deadline.wait(0.02)
            waited += 0.02
        return self.connected

    # -- the thread ---------------------------------------------------------------------------

    def _set_connected(self, value: bool, error: DeviceError | None) -> None:
        changed = value != self.connected
        self.connected = value
        self.last_error = error
        if changed and self.on_status is not None:
            try:
                self.on_status(value, error)
            except Exception:  # a UI callback must not kill the reader
                log.exception("scanner status callback failed")

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:
                log.debug("closing scanner port failed", exc_info=True)

    def _deliver(self, code: str) -> None:
        self.codes.put(code)
        if self.on_code is not None:
            try:
                self.on_code(code)
            except Exception:
                log.exception("scanner code callback failed for %r", code)

    def _run(self) -> None:
        delay = self.backoff[0]
        ever_connected = False
        while not self._stop.is_set():
            try:
                self._port = self._open(self.settings)
            except DeviceError as e:
                self._set_connected(False, e)
                self._stop.wait(delay)
                delay = min(delay * 2, self.backoff[1])
                continue
            except Exception as e:  # anything else from a driver: same treatment
                self._set_connected(False, serial_error(e, kind="scanner", url=self.url, port=self.settings.port))
                self._stop.wait(delay)
                delay = min(delay * 2, self.backoff[1])
                continue
            if ever_connected:
                self.reconnects += 1
            ever_connected = True
            delay = self.backoff[0]
            self._set_connected(True, None)
            framer = LineFramer()
            try:
                while not self._stop.is_set():
                    data = self._port.read(max(1, getattr(self._port, "in_waiting", 0) or 1))
                    if data:
                        for code in framer.feed(data):
                            self._deliver(code)
            except Exception as e:  # unplugged: SerialException / OSError (EIO)
                if not self._stop.is_set():
                    log.info("scanner %s lost: %s", self.url, e)
                    self._set_connected(False, serial_error(e, kind="scanner", url=self.url,
                                                            port=self.settings.port, doing="read"))
            finally:
                self._close()
            if not self._stop.is_set():
                self._stop.wait(delay)
        self._set_connected(False, self.last_error)
