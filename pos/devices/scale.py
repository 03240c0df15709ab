"""Serial scales (Toledo 8217 request/reply, Toledo continuous output) and a demo scale.

    scale = make_scale("serial:///dev/ttyUSB1?protocol=8217")      # 9600 7E1 by default
    reading = scale.read(timeout=1.0)          # ScaleReading (may be in motion)
    reading = scale.read_stable(timeout=5.0)   # the stable weight for a weighed line

The port stays open between reads (reopened after an error). Errors are :class:`DeviceError`
with a Chinese message: no answer, garbled data (wrong baud/parity), port missing, permission
denied, not stable in time, over capacity, under zero.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from pos.domain.devices import (
    TOLEDO_8217_REQUEST,
    ContinuousFramer,
    DeviceDataError,
    Framer8217,
    ScaleReading,
    parse_8217,
)

from .errors import DeviceConfigError, DeviceError, no_answer, serial_error
from .serialport import SerialSettings, open_serial, parse_serial_url

PROTOCOLS = ("8217", "continuous")
POLL_S = 0.1  # between two requests while waiting for a stable weight
STABLE_FRAMES = 2  # continuous output: this many equal, stable frames in a row


def _unstable(url: str, last: ScaleReading | None) -> DeviceError:
    why_zh = last.describe_zh() if last is not None else "秤未稳定"
    why = ("over capacity" if last and last.over_capacity else "under zero" if last and last.under_zero
           else "nothing on the scale" if last and last.grams is not None and last.stable else "still moving")
    return DeviceError(f"scale {url}: no stable weight in time ({why})",
                       message_zh=f"电子秤没有给出稳定重量：{why_zh}", reason="unstable", device=url,
                       reading=last.to_json() if last else None)


class SerialScale:
    """A Toledo scale on a serial port. Thread-safe: one read at a time."""

    def __init__(self, settings: SerialSettings, protocol: str = "8217", *,
                 opener: Callable[[SerialSettings], object] | None = None) -> None:
        if protocol not in PROTOCOLS:
            raise DeviceConfigError(f"scale protocol must be 8217 or continuous, not '{protocol}'",
                                    message_zh="电子秤协议只能是 8217 或 continuous（连续输出）", device=settings.url)
        self.settings = settings
        self.url = settings.url
        self.protocol = protocol
        self._open = opener or (lambda s: open_serial(s, kind="scale"))
        self._port = None
        self._lock = threading.Lock()

    def _ensure_open(self):  # noqa: ANN202
        if self._port is None:
            self._port = self._open(self.settings)
        return self._port

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:  # closing a vanished port
                pass

    def _io_error(self, e: Exception, doing: str) -> DeviceError:
        self._drop()
        return serial_error(e, kind="scale", url=self.url, port=self.settings.port, doing=doing)

    def _garbled(self, what: str) -> DeviceError:
        return DeviceError(
            f"scale {self.url} {what}; check baud rate, data bits, parity and protocol",
            message_zh="电子秤返回的数据无法识别，请检查波特率、数据位、校验位和协议设置",
            reason="garbled", device=self.url,
        )

    def _hint(self) -> tuple[str, str]:
        s = self.settings
        return (f"check the cable, {s.describe()} and protocol {self.protocol}",
                f"请检查连接线、串口参数 {s.baudrate} {s.bytesize}{s.parity}{s.stopbits} 和协议 {self.protocol}")

    # -- one reading ----------------------------------------------------------------------------

    def read(self, timeout: float = 1.0) -> ScaleReading:
        """One reading (possibly in motion). DeviceError if none arrives within ``timeout``."""
        with self._lock:
            try:
                port = self._ensure_open()
            except DeviceError:
                raise
            except Exception as e:
                raise self._io_error(e, "open") from e
            try:
                if self.protocol == "8217":
                    return self._read_8217(port, timeout)
                return self._read_continuous(port, timeout)
            except DeviceError:
                raise
            except DeviceDataError as e:  # a frame that does not parse: wrong settings, or lb
                raise DeviceError(e.message, message_zh=e.message_zh, reason="garbled", device=self.url) from e
            except Exception as e:
                raise self._io_error(e, "read") from e

    def _read_8217(self, port, timeout: float) -> ScaleReading:  # noqa: ANN001
        port.reset_input_buffer()
        port.write(TOLEDO_8217_REQUEST)
        framer = Framer8217()
        deadline = time.monotonic() + timeout
        heard = b""
        while time.monotonic() < deadline:
            data = port.read(max(1, getattr(port, "in_waiting", 0) or 1))
            if not data:
                continue
            heard += data
            frames = framer.feed(data)
            if frames:
                return parse_8217(frames[-1])
        if heard:
            raise self._garbled(f"answered with bytes that are not Toledo 8217 ({heard[:24].hex(' ')})")
        en, zh = self._hint()
        raise no_answer("scale", self.url, zh, en)

    def _read_continuous(self, port, timeout: float, framer: ContinuousFramer | None = None) -> ScaleReading:  # noqa: ANN001
        framer = framer or ContinuousFramer()
        deadline = time.monotonic() + timeout
        heard = 0
        while time.monotonic() < deadline:
            data = port.read(max(1, getattr(port, "in_waiting", 0) or 1))
            if not data:
                continue
            heard += len(data)
            readings = framer.feed(data)
            if readings:
                return readings[-1]
        if heard:
            raise self._garbled("sends bytes that are not Toledo continuous output")
        en, zh = self._hint()
        raise no_answer("scale", self.url, zh, en)

    # -- the weight for a sale line -------------------------------------------------------------

    def read_stable(self, timeout: float = 5.0, *, min_grams: int = 1) -> ScaleReading:
        """The first stable, in-range weight of at least ``min_grams`` within ``timeout``.

        8217: asks every 0.1 s. Continuous: needs two equal stable frames in a row. Raises
        DeviceError (reason ``unstable``) with the last reading's state if none comes in time.
        """
        deadline = time.monotonic() + timeout
        last: ScaleReading | None = None
        if self.protocol == "continuous":
            return self._stable_continuous(deadline, min_grams)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _unstable(self.url, last)
            last = self.read(timeout=min(left, 1.0))
            if last.usable and last.grams is not None and last.grams >= min_grams:
                return last
            time.sleep(min(POLL_S, max(0.0, deadline - time.monotonic())))

    def _stable_continuous(self, deadline: float, min_grams: int) -> ScaleReading:
        with self._lock:
            try:
                port = self._ensure_open()
                port.reset_input_buffer()
            except DeviceError:
                raise
            except Exception as e:
                raise self._io_error(e, "open") from e
            framer = ContinuousFramer()
            last: ScaleReading | None = None
            streak = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _unstable(self.url, last)
                try:
                    reading = self._read_continuous(port, min(left, 1.0), framer)
                except DeviceError:
                    raise
                except Exception as e:
                    raise self._io_error(e, "read") from e
                good = reading.usable and reading.grams is not None and reading.grams >= min_grams
                streak = streak + 1 if good and last is not None and reading == last else (1 if good else 0)
                last = reading
                if streak >= STABLE_FRAMES:
                    return reading


class DummyScale:
    """``dummy:?grams=1255`` — a scale that always reads that stable weight (demos, UI work)."""

    def __init__(self, url: str = "dummy:", grams: int = 1255) -> None:
        self.url = url
        self.grams = grams
        self.motion = False

    def read(self, timeout: float = 1.0) -> ScaleReading:
        return ScaleReading(self.grams, stable=not self.motion, motion=self.motion)

    def read_stable(self, timeout: float = 5.0, *, min_grams: int = 1) -> ScaleReading:
        reading = self.read(timeout)
        if not reading.usable or self.grams < min_grams:
            raise _unstable(self.url, reading)
        return reading

    def close(self) -> None:
        pass


def make_scale(url: str, *, opener: Callable[[SerialSettings], object] | None = None) -> SerialScale | DummyScale:
    """A scale for a URL: ``serial://…?protocol=8217|continuous`` (9600 7E1 unless given) or ``dummy:``."""
    url = url.strip()
    if url.lower().startswith("dummy:"):
        params = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        try:
            grams = int(params.get("grams", "1255"))
        except ValueError:
            raise DeviceConfigError(f"scale address '{url}': grams must be a whole number",
                                    message_zh="电子秤地址有误：grams 应为整数", device=url) from None
        return DummyScale(url, grams)
    settings = parse_serial_url(url, kind="scale", baudrate=9600, bytesize=7, parity="E", stopbits=1)
    return SerialScale(settings, settings.options.get("protocol", "8217").lower(), opener=opener)
