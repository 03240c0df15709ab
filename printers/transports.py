"""Where receipt bytes go, chosen by URL. Transports move bytes; they never compose content.

=========================================  =================================================
``file:DIR``                               ``<name>.bin`` (exact bytes) + ``<name>.txt``
``dummy:``                                 kept in memory (``jobs``), for tests and demos
``tcp://host:9100``                        network printer (python-escpos ``Network``)
``serial:///dev/ttyUSB0?baudrate=9600``    serial printer (python-escpos ``Serial``)
``usb://VID:PID``                          USB printer (python-escpos ``Usb``, needs pyusb)
``cups:NAME``                              CUPS raw queue (needs pycups)
``win32:PRINTER NAME``                     Windows spooler, raw (needs pywin32)
=========================================  =================================================

Each job opens the device, sends everything and closes it again: a network printer serves one
connection at a time, and a till must not hold it between sales.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from pos.domain.receipt import Receipt

from .errors import PrinterConfigError, PrinterError, PrinterUnavailable, PrinterWriteError
from .escpos import DRAWER_KICK, encode_receipt
from .layout import check_columns, normalize_encoding
from .text import render_text

if TYPE_CHECKING:  # python-escpos is imported only when a device is used (it pulls in PIL etc.)
    from escpos.escpos import Escpos

SCHEMES = (
    "file:DIR",
    "dummy:",
    "tcp://HOST:PORT",
    "serial:///dev/ttyUSB0?baudrate=9600",
    "usb://VID:PID",
    "cups:NAME",
    "win32:NAME",
)
DEFAULT_TCP_PORT = 9100
DEFAULT_TIMEOUT_S = 4.0  # long enough for a busy printer to accept, short enough for a till


@dataclass(frozen=True, slots=True)
class PrintJob:
    """One job for a transport: a name (the receipt number), the bytes, and optionally the
    plain-text rendering of the same layout (only ``file:`` stores it)."""

    name: str
    data: bytes
    text: str | None = None
    reprint: bool = False  # ``file:`` keeps the earlier job of the same name


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    """Where a job went (a file path or the printer URL) and how many bytes were sent."""

    destination: str
    byte_count: int
    name: str


class Transport(Protocol):
    url: str

    def send(self, job: PrintJob) -> str:
        """Deliver ``job``; return where it went. Raise PrinterError on failure."""
        ...


def _device_label(url: str) -> str:
    return f"打印机 {url}"


# --- file: ----------------------------------------------------------------------------------

_UNSAFE_NAME = re.compile(r"[^0-9A-Za-z._\-\u4e00-\u9fff]")


def _safe_name(name: str) -> str:
    """A receipt number made safe as a file name (no separators, no leading dot)."""
    cleaned = _UNSAFE_NAME.sub("_", name).lstrip(".")
    return cleaned[:120] or "job"


class FileTransport:
    """Writes ``<name>.bin`` and ``<name>.txt`` into a directory, each atomically.

    A file appears complete or not at all: bytes go to a temp file in the same directory,
    are fsynced, then renamed into place. A reprint takes the first free ``-reprint-N`` name.
    """

    def __init__(self, url: str, directory: Path) -> None:
        self.url = url
        self.directory = directory

    def send(self, job: PrintJob) -> str:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise PrinterUnavailable(
                f"printer {self.url}: cannot create the folder {self.directory} ({e.strerror or e})",
                message_zh=f"{_device_label(self.url)} 无法创建文件夹 {self.directory}",
                device=self.url,
            ) from e
        base = _safe_name(job.name)
        try:
            if not job.reprint:
                return str(self._write_set(base, job, exclusive=False))
            for n in range(1, 1000):
                try:
                    return str(self._write_set(f"{base}-reprint-{n}", job, exclusive=True))
                except FileExistsError:
                    continue
            raise OSError("too many reprints of the same receipt")
        except OSError as e:
            raise PrinterWriteError(
                f"printer {self.url}: could not write {base}.bin ({e.strerror or e})",
                message_zh=f"{_device_label(self.url)} 写入 {base}.bin 失败",
                device=self.url,
            ) from e

    def _write_set(self, stem: str, job: PrintJob, *, exclusive: bool) -> Path:
        bin_path = self.directory / f"{stem}.bin"
        txt_path = self.directory / f"{stem}.txt"
        if exclusive and (bin_path.exists() or txt_path.exists()):
            raise FileExistsError(bin_path)
        if job.text is not None:
            self._write_file(txt_path, job.text.encode("utf-8"), exclusive=exclusive)
        try:
            # The .bin goes last: its presence means the job is complete.
            self._write_file(bin_path, job.data, exclusive=exclusive)
        except BaseException:
            if job.text is not None:  # no .txt claiming a job that has no .bin
                txt_path.unlink(missing_ok=True)
            raise
        return bin_path

    def _write_file(self, path: Path, data: bytes, *, exclusive: bool) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            _place(tmp, path, exclusive=exclusive)
        finally:
            # Gone after a rename; still there after a failure or a hard link.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        _fsync_dir(self.directory)


def _place(tmp: str, path: Path, *, exclusive: bool) -> None:
    """Move a finished temp file to ``path``; ``exclusive`` never replaces an existing file."""
    if not exclusive:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # atomic "create only if absent"
    except FileExistsError:
        raise
    except OSError:
        # Filesystems without hard links (FAT, some shares): check-then-rename is what is left.
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp, path)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX). Best effort: some network filesystems refuse,
    and by then the file is complete and in place."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- dummy: ---------------------------------------------------------------------------------


class MemoryTransport:
    """Keeps every job in ``jobs`` (for tests, demos and the till's "print preview")."""

    def __init__(self, url: str = "dummy:") -> None:
        self.url = url
        self.jobs: list[PrintJob] = []

    def send(self, job: PrintJob) -> str:
        self.jobs.append(job)
        return f"{self.url}#{len(self.jobs)}"


# --- devices through python-escpos ------------------------------------------------------------


class EscposTransport:
    """Opens a python-escpos device, sends the bytes raw, closes it."""

    def __init__(self, url: str, factory: Callable[[], Escpos], *, timeout: float | None = None) -> None:
        self.url = url
        self._factory = factory
        self._timeout = timeout

    def send(self, job: PrintJob) -> str:
        from escpos.exceptions import Error as EscposLibError

        device = self._factory()
        try:
            device.open()
        except (EscposLibError, OSError, RuntimeError) as e:
            raise self._unavailable(e) from e
        try:
            self._limit_serial_writes(device)
            device._raw(job.data)  # python-escpos's public API has no "send these bytes"
        except Exception as e:
            self._close_quietly(device)
            raise PrinterWriteError(
                f"printer {self.url} stopped taking data ({_reason_en(e, self._timeout)}); "
                "the receipt may be incomplete",
                message_zh=f"{_device_label(self.url)} 传输中断（{_reason_zh(e, self._timeout)}），小票可能不完整",
                device=self.url,
            ) from e
        try:
            device.close()  # CUPS and win32 hand the job to the spooler here
        except Exception as e:
            raise PrinterWriteError(
                f"printer {self.url}: the job could not be finished ({_reason_en(e, self._timeout)})",
                message_zh=f"{_device_label(self.url)} 打印任务未能完成（{_reason_zh(e, self._timeout)}）",
                device=self.url,
            ) from e
        return self.url

    def _limit_serial_writes(self, device: Escpos) -> None:
        # python-escpos sets only a read timeout; with hardware flow control an offline printer
        # would block write() for ever and hang the print thread.
        port = getattr(device, "device", None)
        if self._timeout is not None and hasattr(port, "write_timeout"):
            port.write_timeout = self._timeout

    @staticmethod
    def _close_quietly(device: Escpos) -> None:
        with contextlib.suppress(Exception):  # the write failure is what gets reported
            device.close()

    def _unavailable(self, e: BaseException) -> PrinterUnavailable:
        return PrinterUnavailable(
            f"printer {self.url} cannot be reached ({_reason_en(e, self._timeout)})",
            message_zh=f"{_device_label(self.url)} 无法连接（{_reason_zh(e, self._timeout)}）",
            device=self.url,
        )


def _root_cause(e: BaseException) -> BaseException:
    # python-escpos wraps OSError in DeviceNotFoundError without "from": follow __context__.
    for _ in range(10):  # exception chains are short; never loop on a cyclic one
        nxt = e.__cause__ or e.__context__
        if nxt is None:
            break
        e = nxt
    return e


def _reason_en(e: BaseException, timeout: float | None) -> str:
    root = _root_cause(e)
    if isinstance(root, ConnectionRefusedError):
        return "connection refused: is it switched on and is the address right?"
    if isinstance(root, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s" if timeout else "timed out"
    if isinstance(root, socket.gaierror):
        return "unknown host name"
    if isinstance(root, (BrokenPipeError, ConnectionResetError)):
        return "the connection was closed by the printer"
    if isinstance(root, FileNotFoundError):
        return "no such device"
    if isinstance(root, PermissionError):
        return "permission denied"
    text = str(root).strip().splitlines()
    return text[-1] if text else type(root).__name__


def _reason_zh(e: BaseException, timeout: float | None) -> str:
    root = _root_cause(e)
    if isinstance(root, ConnectionRefusedError):
        return "连接被拒绝，请检查打印机电源和地址"
    if isinstance(root, (TimeoutError, socket.timeout)):
        return f"{timeout:g} 秒内无响应" if timeout else "超时"
    if isinstance(root, socket.gaierror):
        return "无法解析主机名"
    if isinstance(root, (BrokenPipeError, ConnectionResetError)):
        return "连接被打印机断开"
    if isinstance(root, FileNotFoundError):
        return "设备不存在"
    if isinstance(root, PermissionError):
        return "没有访问权限"
    return _reason_en(e, timeout)


# --- URL parsing ------------------------------------------------------------------------------


def _config_error(url: str, what_en: str, what_zh: str, *, example: str = "") -> PrinterConfigError:
    if example:
        what_en, what_zh = f"{what_en}, e.g. {example}", f"{what_zh}，例如 {example}"
    return PrinterConfigError(
        f"printer address '{url}': {what_en}",
        message_zh=f"打印机地址“{url}”有误：{what_zh}",
        device=url,
    )


def _query(url: str, query: str) -> dict[str, str]:
    params = {k.lower(): v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    return params


def _number(url: str, params: dict[str, str], key: str, default: float, kind: type = int) -> float:
    raw = params.get(key)
    if raw is None:
        return default
    try:
        value = int(raw, 0) if kind is int else float(raw)
    except ValueError:
        raise _config_error(url, f"{key}={raw!r} is not a number", f"{key}={raw} 不是数字") from None
    if value <= 0:
        raise _config_error(url, f"{key} must be more than zero", f"{key} 必须大于零")
    return value


def _flag(params: dict[str, str], key: str, default: bool) -> bool:
    raw = params.get(key)
    return default if raw is None else raw.strip().lower() in ("1", "true", "yes", "on")


def _file_transport(url: str, rest: str) -> FileTransport:
    if rest.startswith("//"):  # file:///var/receipts
        rest = unquote(rest[2:])
        if rest.startswith("localhost/"):
            rest = rest[len("localhost"):]
    if not rest.strip():
        raise _config_error(url, "give a folder", "请写出文件夹", example="file:/var/lib/lianxin/receipts")
    return FileTransport(url, Path(rest).expanduser())


def _tcp_transport(url: str) -> EscposTransport:
    parts = urlsplit(url)
    try:
        host, port = parts.hostname, parts.port or DEFAULT_TCP_PORT
    except ValueError:
        raise _config_error(url, "the port must be a number from 1 to 65535", "端口必须是 1–65535 的数字") from None
    if not host:
        raise _config_error(url, "give a host", "请写出主机", example="tcp://192.168.1.50:9100")
    timeout = _number(url, _query(url, parts.query), "timeout", DEFAULT_TIMEOUT_S, float)

    def factory() -> Escpos:
        from escpos.printer import Network

        return Network(host=host, port=port, timeout=timeout)

    return EscposTransport(url, factory, timeout=timeout)


def _serial_transport(url: str) -> EscposTransport:
    parts = urlsplit(url)
    devfile = unquote(parts.netloc + parts.path)  # serial:///dev/ttyUSB0 or serial://COM3
    if not devfile:
        raise _config_error(url, "give a port", "请写出串口", example="serial:///dev/ttyUSB0?baudrate=9600")
    params = _query(url, parts.query)
    baudrate = int(_number(url, params, "baudrate", 9600))
    bytesize = int(_number(url, params, "bytesize", 8))
    stopbits = int(_number(url, params, "stopbits", 1))
    timeout = _number(url, params, "timeout", DEFAULT_TIMEOUT_S, float)
    parity = params.get("parity", "N").upper()[:1] or "N"
    if parity not in "NEOMS":
        raise _config_error(url, "parity must be N, E or O", "校验位应为 N、E 或 O")
    xonxoff = _flag(params, "xonxoff", False)
    dsrdtr = _flag(params, "dsrdtr", True)  # python-escpos's default

    def factory() -> Escpos:
        from escpos.printer import Serial

        return Serial(
            devfile=devfile, baudrate=baudrate, bytesize=bytesize, parity=parity,
            stopbits=stopbits, timeout=timeout, xonxoff=xonxoff, dsrdtr=dsrdtr,
        )

    return EscposTransport(url, factory, timeout=timeout)


def _usb_transport(url: str) -> EscposTransport:
    parts = urlsplit(url)
    ids = parts.netloc.split(":")
    try:
        vid, pid = (int(x, 16) for x in ids) if len(ids) == 2 else (None, None)
    except ValueError:
        vid = pid = None
    if vid is None or pid is None:
        raise _config_error(url, "write the USB ids in hex", "请用十六进制写 USB 编号", example="usb://0416:5011")
    params = _query(url, parts.query)
    timeout_ms = int(_number(url, params, "timeout", DEFAULT_TIMEOUT_S * 1000))
    in_ep = int(_number(url, params, "in_ep", 0x82))
    out_ep = int(_number(url, params, "out_ep", 0x01))

    from escpos.printer import Usb

    if not Usb.is_usable():
        raise PrinterUnavailable(
            f"printer {url}: USB printing needs the pyusb package (and libusb), which is not "
            "installed; install pyusb or use a tcp:// or serial:// printer",
            message_zh=f"{_device_label(url)} 无法使用：未安装 pyusb（USB 打印需要 pyusb 和 libusb）",
            device=url,
        )

    def factory() -> Escpos:
        return Usb(idVendor=vid, idProduct=pid, timeout=timeout_ms, in_ep=in_ep, out_ep=out_ep)

    return EscposTransport(url, factory, timeout=timeout_ms / 1000)


def _cups_transport(url: str, name: str) -> EscposTransport:
    from escpos.printer import CupsPrinter

    if not CupsPrinter.is_usable():
        raise PrinterUnavailable(
            f"printer {url}: CUPS printing needs the pycups package, which is not installed",
            message_zh=f"{_device_label(url)} 无法使用：未安装 pycups（CUPS 打印需要它）",
            device=url,
        )
    return EscposTransport(url, lambda: CupsPrinter(printer_name=name))


def _win32_transport(url: str, name: str) -> EscposTransport:
    if sys.platform != "win32":
        raise PrinterUnavailable(
            f"printer {url}: win32 printers exist only on Windows; on this system use "
            "tcp://, serial://, usb:// or cups:",
            message_zh=f"{_device_label(url)} 无法使用：win32 打印机只能在 Windows 上使用",
            device=url,
        )
    from escpos.printer import Win32Raw

    if not Win32Raw.is_usable():
        raise PrinterUnavailable(
            f"printer {url}: Windows printing needs the pywin32 package, which is not installed",
            message_zh=f"{_device_label(url)} 无法使用：未安装 pywin32",
            device=url,
        )
    return EscposTransport(url, lambda: Win32Raw(printer_name=name))


def make_transport(url: str) -> Transport:
    """The transport for a printer URL (see the module docstring for the schemes)."""
    url = url.strip()
    scheme, sep, rest = url.partition(":")
    scheme = scheme.lower()
    if not sep:
        scheme = ""
    if scheme == "file":
        return _file_transport(url, rest)
    if scheme == "dummy":
        return MemoryTransport(url)
    if scheme == "tcp":
        return _tcp_transport(url)
    if scheme == "serial":
        return _serial_transport(url)
    if scheme == "usb":
        return _usb_transport(url)
    if scheme in ("cups", "win32"):
        name = unquote(rest[2:] if rest.startswith("//") else rest).strip()
        return _cups_transport(url, name) if scheme == "cups" else _win32_transport(url, name)
    raise PrinterConfigError(
        f"unknown printer address '{url}'; use one of: {', '.join(SCHEMES)}",
        message_zh=f"无法识别的打印机地址“{url}”，可用：{'，'.join(SCHEMES)}",
        device=url,
    )


# --- the printer the rest of the till uses -----------------------------------------------------


class ReceiptPrinter:
    """Encodes receipts for one printer and hands the bytes to its transport.

    Safe to share between threads: jobs are sent one at a time, so two receipts never
    interleave on the same device.
    """

    def __init__(
        self, transport: Transport, *, columns: int = 48, encoding: str = "gb18030", cut: bool = True
    ) -> None:
        self.transport = transport
        self.columns = check_columns(columns)
        self.encoding = normalize_encoding(encoding)
        self.cut = cut
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.transport.url

    @property
    def jobs(self) -> list[PrintJob]:
        """Jobs kept by a ``dummy:`` printer (AttributeError for real devices)."""
        jobs = getattr(self.transport, "jobs", None)
        if jobs is None:
            raise AttributeError(f"printer {self.url} does not keep jobs in memory")
        return jobs

    def print_receipt(self, receipt: Receipt, *, drawer_kick: bool = False) -> PrintOutcome:
        """Print ``receipt``; with ``drawer_kick`` the cash drawer opens as printing starts."""
        data = encode_receipt(
            receipt, columns=self.columns, encoding=self.encoding, cut=self.cut, drawer_kick=drawer_kick
        )
        text = render_text(receipt, self.columns, encoding=self.encoding)
        return self._send(PrintJob(receipt.receipt_no, data, text, reprint=receipt.reprint))

    def send_raw(self, data: bytes, name: str) -> PrintOutcome:
        """Send ready-made bytes (a test page, a report) under ``name``."""
        return self._send(PrintJob(name, bytes(data)))

    def open_drawer(self) -> PrintOutcome:
        """Kick the cash drawer without printing (e.g. a manager's 开钱箱)."""
        return self.send_raw(DRAWER_KICK, "drawer")

    def _send(self, job: PrintJob) -> PrintOutcome:
        with self._lock:
            try:
                where = self.transport.send(job)
            except PrinterError:
                raise
            except Exception as e:  # a driver bug must still reach the cashier as a printer fault
                raise PrinterWriteError(
                    f"printer {self.url} failed: {e}",
                    message_zh=f"{_device_label(self.url)} 出错：{e}",
                    device=self.url,
                ) from e
        return PrintOutcome(destination=where, byte_count=len(job.data), name=job.name)


def make_printer(url: str, *, columns: int = 48, encoding: str = "gb18030") -> ReceiptPrinter:
    """A :class:`ReceiptPrinter` for a printer URL, e.g. ``make_printer("tcp://192.168.1.50:9100")``.

    Checks the URL, columns and encoding now (PrinterConfigError / PrinterUnavailable) so a bad
    setting shows at start-up, not at the first sale; devices are opened per job.
    """
    return ReceiptPrinter(make_transport(url), columns=columns, encoding=encoding)
