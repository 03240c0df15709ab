"""Serial device URLs, opening ports (pyserial), and listing the ports this machine has.

Device URLs::

    serial:///dev/ttyACM0?baudrate=9600            a port by path (Linux, macOS)
    serial://COM3?baudrate=2400                    a port by name (Windows)
    loop://  socket://host:port  rfc2217://…       pyserial URL handlers (tests, serial servers)

Query keys the till reads: ``baudrate``, ``bytesize`` (5–8), ``parity`` (N/E/O/M/S),
``stopbits`` (1, 1.5, 2), ``timeout`` (seconds); anything else (``protocol=``, ``type=``,
``encoding=`` …) is left in ``SerialSettings.options`` for the device adapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import DeviceConfigError, serial_error

SERIAL_KEYS = ("baudrate", "bytesize", "parity", "stopbits", "timeout")
PYSERIAL_SCHEMES = ("loop", "socket", "rfc2217", "spy", "alt", "hwgrep", "cp2110")
BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


@dataclass(frozen=True, slots=True)
class SerialSettings:
    url: str  # as configured (shown in messages)
    port: str  # what pyserial opens: a path, COM name or pyserial URL without our keys
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    timeout: float = 0.1
    options: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        stop = int(self.stopbits) if self.stopbits == int(self.stopbits) else self.stopbits
        return f"{self.port} {self.baudrate} {self.bytesize}{self.parity}{stop}"


def _config_error(url: str, kind: str, what_en: str, what_zh: str) -> DeviceConfigError:
    from .errors import KIND_ZH

    return DeviceConfigError(f"{kind} address '{url}': {what_en}",
                             message_zh=f"{KIND_ZH.get(kind, kind)}地址“{url}”有误：{what_zh}", device=url)


def parse_serial_url(url: str, *, kind: str = "device", baudrate: int = 9600, bytesize: int = 8,
                     parity: str = "N", stopbits: float = 1) -> SerialSettings:
    """Read a device URL; the keyword arguments are the device type's defaults (e.g. 9600 7E1)."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    params = {k.lower(): v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    if scheme == "serial":
        port = unquote(parts.netloc + parts.path)
        if not port:
            raise _config_error(url, kind, "give a port, e.g. serial:///dev/ttyUSB0",
                                "请写出串口，例如 serial:///dev/ttyUSB0 或 serial://COM3")
    elif scheme in PYSERIAL_SCHEMES:
        port = f"{scheme}://{parts.netloc}{parts.path}"  # our query keys are not pyserial's
    else:
        raise _config_error(url, kind, "use serial:///dev/ttyUSB0?baudrate=9600 (or serial://COM3)",
                            "应为 serial:///dev/ttyUSB0?baudrate=9600 或 serial://COM3 这样的串口地址")

    def number(key: str, default: float, cast: type) -> float:
        raw = params.get(key)
        if raw is None or raw == "":
            return default
        try:
            return cast(raw)
        except ValueError:
            raise _config_error(url, kind, f"{key}={raw} is not a number", f"{key}={raw} 不是数字") from None

    s = SerialSettings(
        url=url, port=port,
        baudrate=int(number("baudrate", baudrate, int)),
        bytesize=int(number("bytesize", bytesize, int)),
        parity=(params.get("parity") or parity).upper()[:1],
        stopbits=number("stopbits", stopbits, float),
        timeout=number("timeout", 0.1, float),
        options={k: v for k, v in params.items() if k not in SERIAL_KEYS},
    )
    if s.baudrate <= 0 or s.baudrate > 4_000_000:
        raise _config_error(url, kind, "the baud rate (baudrate=) must be from 1 to 4000000, e.g. 9600", "波特率超出范围")
    if s.bytesize not in (5, 6, 7, 8):
        raise _config_error(url, kind, "the data bits (bytesize=) must be 5, 6, 7 or 8", "数据位应为 5、6、7 或 8")
    if s.parity not in "NEOMS":
        raise _config_error(url, kind, "the parity (parity=) must be N, E or O", "校验位应为 N、E 或 O")
    if s.stopbits not in (1, 1.5, 2):
        raise _config_error(url, kind, "the stop bits (stopbits=) must be 1, 1.5 or 2", "停止位应为 1、1.5 或 2")
    if s.stopbits == int(s.stopbits):
        s = replace(s, stopbits=int(s.stopbits))
    return s


def open_serial(settings: SerialSettings, *, kind: str = "device", write_timeout: float = 0.5):  # noqa: ANN201
    """An open ``serial.Serial`` (or URL-handler port); DeviceError in plain words on failure."""
    try:
        import serial
    except ImportError as e:  # pragma: no cover - pyserial is a dependency
        raise DeviceConfigError("serial devices need the pyserial package", message_zh="串口设备需要 pyserial，未安装",
                                device=settings.url) from e
    try:
        return serial.serial_for_url(
            settings.port, baudrate=settings.baudrate, bytesize=settings.bytesize, parity=settings.parity,
            stopbits=settings.stopbits, timeout=settings.timeout, write_timeout=write_timeout,
        )
    except (serial.SerialException, OSError, ValueError) as e:
        raise serial_error(e, kind=kind, url=settings.url, port=settings.port) from e


@dataclass(frozen=True, slots=True)
class SerialPortInfo:
    device: str  # /dev/ttyUSB0, COM3
    description: str
    hwid: str
    vid: int | None = None
    pid: int | None = None
    manufacturer: str | None = None
    serial_number: str | None = None

    @property
    def url(self) -> str:
        """The device URL to put in the settings for this port."""
        return f"serial://{self.device}"  # serial:///dev/ttyUSB0, serial://COM3

    def to_json(self) -> dict[str, object]:
        return {"device": self.device, "description": self.description, "hwid": self.hwid,
                "vid": f"{self.vid:04x}" if self.vid is not None else None,
                "pid": f"{self.pid:04x}" if self.pid is not None else None,
                "manufacturer": self.manufacturer, "serial_number": self.serial_number, "url": self.url}


def list_serial_ports() -> list[SerialPortInfo]:
    """The serial ports pyserial can see (USB-serial adapters first), never raising."""
    try:
        from serial.tools import list_ports

        ports = list(list_ports.comports())
    except Exception:  # no pyserial, or the OS refused to enumerate: nothing to offer
        return []
    infos = [
        SerialPortInfo(p.device, p.description or "", p.hwid or "", p.vid, p.pid, p.manufacturer, p.serial_number)
        for p in ports
    ]
    return sorted(infos, key=lambda i: (i.vid is None, i.device))
