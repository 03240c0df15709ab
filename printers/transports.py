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

Status (``DLE EOT``, see :mod:`printers.status`) can be read from ``tcp://``, ``serial://`` and
``usb://`` printers. With status checks on (``?status=1``; the default for ``tcp://``) a job is
sent as: ask ``DLE EOT 1`` (and 2, 4) -> refuse with PrinterNotReady if the printer says paper
out / cover open / offline -> the bytes -> ``DLE EOT 1`` again, whose answer confirms that the
printer took the job (a connection dropped mid-receipt fails here instead of passing unnoticed).
A printer that never answers is remembered as such and is then sent plain jobs, as before.
``?status=0`` turns the checks off; ``?status_timeout=`` (seconds, default 1) bounds each wait.
``dummy:?state=paper_out`` / ``dummy:?fail=1`` simulate a printer's state for demos and tests.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from pos.domain.receipt import Receipt

from .errors import PrinterConfigError, PrinterError, PrinterNotReady, PrinterUnavailable, PrinterWriteError
from .escpos import CODE_STYLES, DRAWER_KICK, REALTIME_DRAWER_PULSE, encode_receipt
from .layout import check_columns, normalize_encoding
from .profiles import DEFAULT_PROFILE, PrinterProfile, get_profile
from .status import (
    QUERY_OFFLINE,
    QUERY_PAPER,
    QUERY_PRINTER,
    PrinterState,
    PrinterStatus,
    decode_status,
    is_status_byte,
    make_status,
    status_query,
)
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
DEFAULT_STATUS_TIMEOUT_S = 1.0  # a status byte comes back in milliseconds when it comes at all
REPROBE_AFTER_S = 300.0  # ask a printer that never answered again after this long
QR_MODES = ("native", "image")


@dataclass(frozen=True, slots=True)
class PrintJob:
    """One job for a transport: a name (the receipt number), the bytes, and optionally the
    plain-text rendering of the same layout (only ``file:`` stores it)."""

    name: str
    data: bytes
    text: str | None = None
    reprint: bool = False  # ``file:`` keeps the earlier job of the same name
    kind: str = "receipt"  # receipt, reprint, drawer, test, raw (what the print queue shows)
    precheck: bool = True  # ask the printer's status first where the transport can
    drawer_kick: bool = False  # the bytes open the cash drawer


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    """Where a job went (a file path or the printer URL) and how many bytes were sent.

    ``confirmed``: True when the printer answered a status query after the job (it is there
    and took the bytes), False when it did not answer, None when the transport cannot ask.
    ``status``: what it said after the job (e.g. paper near end), when it said anything.
    """

    destination: str
    byte_count: int
    name: str
    confirmed: bool | None = None
    status: PrinterStatus | None = None


class Transport(Protocol):
    url: str

    def send(self, job: PrintJob) -> str:
        """Deliver ``job``; return where it went. Raise PrinterError on failure."""
        ...


class StatusTransport(Transport, Protocol):
    def status(self, timeout: float | None = None) -> PrinterStatus:
        """Ask the device how it is; never raises."""
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

    def status(self, timeout: float | None = None) -> PrinterStatus:
        """READY when the folder exists (or can be made) and is writable; never raises."""
        folder = self.directory
        probe = folder
        while not probe.exists() and probe.parent != probe:
            probe = probe.parent
        if probe.is_dir() and os.access(probe, os.W_OK | os.X_OK):
            where = "" if folder.exists() else "（将自动创建）"
            return make_status(self.url, PrinterState.READY, reason=f"receipts are saved in {folder}",
                               reason_zh=f"小票保存到文件夹 {folder}{where}")
        return make_status(self.url, PrinterState.UNREACHABLE, reason=f"the folder {folder} cannot be written",
                           reason_zh=f"无法写入文件夹 {folder}")

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
    """Keeps every job in ``jobs`` (for tests, demos and the till's "print preview").

    ``dummy:?state=paper_out`` makes it report that state (and refuse jobs the way a real
    printer in that state would); ``dummy:?fail=1`` makes every job fail as if the printer
    were unplugged. Both are attributes (``state``, ``fail``) a test may change.
    """

    def __init__(self, url: str = "dummy:") -> None:
        self.url = url
        self.jobs: list[PrintJob] = []
        params = _query(url, urlsplit(url).query)
        raw_state = params.get("state", PrinterState.READY.value).strip().lower()
        try:
            self.state = PrinterState(raw_state)
        except ValueError:
            names = ", ".join(s.value for s in PrinterState)
            raise _config_error(url, f"state must be one of {names}", f"state 只能是 {names}") from None
        self.fail = _flag(params, "fail", False)

    def status(self, timeout: float | None = None) -> PrinterStatus:
        if self.fail:
            return make_status(self.url, PrinterState.UNREACHABLE, reason="cannot be reached (simulated)",
                               reason_zh="无法连接（模拟）")
        if self.state is PrinterState.READY:
            return make_status(self.url, PrinterState.READY, online=True, cover_open=False, paper_near_end=False,
                               paper_out=False, error=False)
        return make_status(self.url, self.state)

    def send(self, job: PrintJob) -> str:
        if self.fail:
            raise PrinterUnavailable(
                f"printer {self.url} cannot be reached (simulated failure)",
                message_zh=f"{_device_label(self.url)} 无法连接（模拟故障）",
                device=self.url,
            )
        if self.state is PrinterState.UNREACHABLE:
            raise PrinterUnavailable(
                f"printer {self.url} cannot be reached (simulated)",
                message_zh=f"{_device_label(self.url)} 无法连接（模拟）",
                device=self.url,
            )
        if job.precheck:
            now = self.status()
            if now.blocks_printing and job.kind != "drawer":
                raise PrinterNotReady(now)
        self.jobs.append(job)
        return f"{self.url}#{len(self.jobs)}"


# --- devices through python-escpos ------------------------------------------------------------


class _SocketLink:
    """Status questions over a network printer's socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def drain(self) -> None:
        old = self.sock.gettimeout()
        self.sock.setblocking(False)
        try:
            while self.sock.recv(256):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        finally:
            self.sock.settimeout(old)

    def write(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read(self, timeout: float) -> bytes:
        old = self.sock.gettimeout()
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data = self.sock.recv(16)
        except TimeoutError:
            return b""
        finally:
            self.sock.settimeout(old)
        if not data:
            raise ConnectionResetError("the printer closed the connection")
        return data


class _SerialLink:
    """Status questions over a serial printer's port (pyserial)."""

    def __init__(self, port) -> None:  # noqa: ANN001 - a serial.Serial
        self.port = port

    def drain(self) -> None:
        self.port.reset_input_buffer()

    def write(self, data: bytes) -> None:
        self.port.write(data)

    def read(self, timeout: float) -> bytes:
        old = self.port.timeout
        self.port.timeout = max(timeout, 0.001)
        try:
            return bytes(self.port.read(1))
        finally:
            self.port.timeout = old


class _UsbLink:
    """Status questions over a USB printer's bulk endpoints (pyusb)."""

    def __init__(self, printer) -> None:  # noqa: ANN001 - an escpos.printer.Usb
        self.printer = printer

    def drain(self) -> None:
        with contextlib.suppress(Exception):
            while self.read(0.005):
                pass

    def write(self, data: bytes) -> None:
        self.printer._raw(data)

    def read(self, timeout: float) -> bytes:
        try:
            return bytes(self.printer.device.read(self.printer.in_ep, 16, max(1, int(timeout * 1000))))
        except Exception as e:  # usb.core.USBTimeoutError: no answer
            if "timeout" in type(e).__name__.lower() or "timed out" in str(e).lower():
                return b""
            raise


def _ask(link, n: int, timeout: float) -> int | None:  # noqa: ANN001
    """Send ``DLE EOT n`` and return the status byte, or None if none came within ``timeout``.

    Connection errors propagate (the caller decides what a dropped connection means).
    """
    link.drain()
    link.write(status_query(n))
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        data = link.read(left)
        if not data:
            return None
        for b in reversed(data):
            if is_status_byte(b):
                return b
    return None


def _probe(url: str, link, timeout: float) -> PrinterStatus:  # noqa: ANN001
    """``DLE EOT 1``; if it answers, also 2 (offline cause) and 4 (paper sensor)."""
    answers: dict[int, int | None] = {QUERY_PRINTER: _ask(link, QUERY_PRINTER, timeout)}
    if answers[QUERY_PRINTER] is not None:
        answers[QUERY_OFFLINE] = _ask(link, QUERY_OFFLINE, timeout)
        answers[QUERY_PAPER] = _ask(link, QUERY_PAPER, timeout)
    return decode_status(url, answers)


class EscposTransport:
    """Opens a python-escpos device, sends the bytes raw, closes it.

    ``kind`` is ``network``, ``serial`` or ``usb`` (status can be read) or ``spool`` (CUPS,
    Windows: it cannot). ``check_status`` turns on the status check around each job.
    """

    def __init__(
        self,
        url: str,
        factory: Callable[[], Escpos],
        *,
        timeout: float | None = None,
        kind: str = "spool",
        check_status: bool = False,
        status_timeout: float = DEFAULT_STATUS_TIMEOUT_S,
    ) -> None:
        self.url = url
        self._factory = factory
        self._timeout = timeout
        self.kind = kind
        self.check_status = check_status and kind != "spool"
        self.status_timeout = status_timeout
        self._answers: bool | None = None  # does this printer answer DLE EOT? None: not known yet
        self._asked_at = 0.0
        self.last_status: PrinterStatus | None = None
        self.last_confirmed: bool | None = None

    def _link(self, device: Escpos):  # noqa: ANN202
        if self.kind == "network":
            return _SocketLink(device.device)
        if self.kind == "serial":
            return _SerialLink(device.device)
        if self.kind == "usb":
            return _UsbLink(device)
        return None

    def _should_probe(self) -> bool:
        return self._answers is not False or time.monotonic() - self._asked_at > REPROBE_AFTER_S

    def _remember(self, status: PrinterStatus) -> None:
        self._answers = status.answered
        self._asked_at = time.monotonic()

    def _open(self) -> Escpos:
        from escpos.exceptions import Error as EscposLibError

        device = self._factory()
        try:
            device.open()
        except (EscposLibError, OSError, RuntimeError, ValueError) as e:
            raise self._unavailable(e) from e
        return device

    def send(self, job: PrintJob) -> str:
        self.last_status, self.last_confirmed = None, None
        device = self._open()
        try:
            self._limit_serial_writes(device)
            link = self._link(device) if self.check_status else None
            if link is not None and job.precheck and self._should_probe():
                before = _probe(self.url, link, self.status_timeout)
                self._remember(before)
                if before.blocks_printing:
                    if job.drawer_kick:
                        # The drawer hangs off the printer: open it now (real-time pulse, obeyed
                        # even offline) so the cashier can give change; the receipt goes to the queue.
                        link.write(REALTIME_DRAWER_PULSE)
                    if job.kind != "drawer":
                        raise PrinterNotReady(before)
                    self.last_status = before
                    self._close_quietly(device)
                    return self.url
            device._raw(job.data)  # python-escpos's public API has no "send these bytes"
            if link is not None and self._answers:
                # The answer proves the printer is there and took the bytes before it.
                wait = max(self.status_timeout, self._timeout or 0)
                answer = _ask(link, QUERY_PRINTER, wait)
                self.last_confirmed = answer is not None
                if answer is not None:
                    self.last_status = decode_status(self.url, {QUERY_PRINTER: answer,
                                                                QUERY_PAPER: _ask(link, QUERY_PAPER, self.status_timeout)})
        except PrinterError:
            self._close_quietly(device)
            raise
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

    def status(self, timeout: float | None = None) -> PrinterStatus:
        """Ask ``DLE EOT 1/2/4``; UNKNOWN when the printer does not answer. Never raises."""
        if self.kind == "spool":
            return make_status(
                self.url, PrinterState.UNKNOWN,
                reason="cannot report its status (it is reached through the system's print queue)",
                reason_zh="无法读取状态（通过系统打印队列连接）",
            )
        try:
            device = self._open()
        except PrinterError as e:
            return make_status(self.url, PrinterState.UNREACHABLE, reason=e.message.split(f"{self.url} ", 1)[-1],
                               reason_zh=e.message_zh.split(f"{self.url} ", 1)[-1])
        try:
            self._limit_serial_writes(device)
            status = _probe(self.url, self._link(device), timeout or self.status_timeout)
            self._remember(status)
            return status
        except Exception as e:
            return make_status(self.url, PrinterState.UNKNOWN,
                               reason=f"the connection failed while asking ({_reason_en(e, self._timeout)})",
                               reason_zh=f"查询状态时连接中断（{_reason_zh(e, self._timeout)}）")
        finally:
            self._close_quietly(device)

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


# Why a device failed, in both languages, by the root cause's type (first match wins).
_REASONS: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str, str], ...] = (
    (ConnectionRefusedError, "connection refused: is it switched on and is the address right?",
     "连接被拒绝，请检查打印机电源和地址"),
    (socket.gaierror, "unknown host name", "无法解析主机名"),
    ((BrokenPipeError, ConnectionResetError), "the connection was closed by the printer", "连接被打印机断开"),
    (FileNotFoundError, "no such device", "设备不存在"),
    (PermissionError, "permission denied", "没有访问权限"),
)


def _reasons(e: BaseException, timeout: float | None) -> tuple[str, str]:
    """(English, Chinese) words for what went wrong underneath ``e``."""
    root = _root_cause(e)
    if isinstance(root, (TimeoutError, socket.timeout)):
        return (f"no answer within {timeout:g} s", f"{timeout:g} 秒内无响应") if timeout else ("timed out", "超时")
    for kinds, en, zh in _REASONS:
        if isinstance(root, kinds):
            return en, zh
    text = str(root).strip().splitlines()
    plain = text[-1] if text else type(root).__name__
    return plain, plain


def _reason_en(e: BaseException, timeout: float | None) -> str:
    return _reasons(e, timeout)[0]


def _reason_zh(e: BaseException, timeout: float | None) -> str:
    return _reasons(e, timeout)[1]


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
        raise _config_error(url, f"{key}={raw} is not a number", f"{key}={raw} 不是数字") from None
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


def _status_options(url: str, params: dict[str, str], default_on: bool) -> dict[str, object]:
    return {
        "check_status": _flag(params, "status", default_on),
        "status_timeout": _number(url, params, "status_timeout", DEFAULT_STATUS_TIMEOUT_S, float),
    }


def _tcp_transport(url: str, profile: str | None) -> EscposTransport:
    parts = urlsplit(url)
    try:
        host, port = parts.hostname, parts.port or DEFAULT_TCP_PORT
    except ValueError:
        raise _config_error(url, "the port must be a number from 1 to 65535", "端口必须是 1–65535 的数字") from None
    if not host:
        raise _config_error(url, "give a host", "请写出主机", example="tcp://192.168.1.50:9100")
    params = _query(url, parts.query)
    timeout = _number(url, params, "timeout", DEFAULT_TIMEOUT_S, float)
    status = _status_options(url, params, True)

    def factory() -> Escpos:
        from escpos.printer import Network

        return Network(host=host, port=port, timeout=timeout, profile=profile)

    return EscposTransport(url, factory, timeout=timeout, kind="network", **status)


def _serial_transport(url: str, profile: str | None) -> EscposTransport:
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
    status = _status_options(url, params, False)

    def factory() -> Escpos:
        from escpos.printer import Serial

        return Serial(
            devfile=devfile, baudrate=baudrate, bytesize=bytesize, parity=parity,
            stopbits=stopbits, timeout=timeout, xonxoff=xonxoff, dsrdtr=dsrdtr, profile=profile,
        )

    return EscposTransport(url, factory, timeout=timeout, kind="serial", **status)


def _usb_transport(url: str, profile: str | None) -> EscposTransport:
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
    status = _status_options(url, params, False)

    from escpos.printer import Usb

    if not Usb.is_usable():
        raise PrinterUnavailable(
            f"printer {url}: USB printing needs the pyusb package (and libusb), which is not "
            "installed; install pyusb or use a tcp:// or serial:// printer",
            message_zh=f"{_device_label(url)} 无法使用：未安装 pyusb（USB 打印需要 pyusb 和 libusb）",
            device=url,
        )

    def factory() -> Escpos:
        return Usb(idVendor=vid, idProduct=pid, timeout=timeout_ms, in_ep=in_ep, out_ep=out_ep, profile=profile)

    return EscposTransport(url, factory, timeout=timeout_ms / 1000, kind="usb", **status)


def _cups_transport(url: str, name: str, profile: str | None) -> EscposTransport:
    from escpos.printer import CupsPrinter

    if not CupsPrinter.is_usable():
        raise PrinterUnavailable(
            f"printer {url}: CUPS printing needs the pycups package, which is not installed",
            message_zh=f"{_device_label(url)} 无法使用：未安装 pycups（CUPS 打印需要它）",
            device=url,
        )
    return EscposTransport(url, lambda: CupsPrinter(printer_name=name, profile=profile))


def _win32_transport(url: str, name: str, profile: str | None) -> EscposTransport:
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
    return EscposTransport(url, lambda: Win32Raw(printer_name=name, profile=profile))


def make_transport(url: str, *, profile: str | None = None) -> Transport:
    """The transport for a printer URL (see the module docstring for the schemes).

    ``profile`` is a python-escpos profile name passed to the device (check it first with
    :func:`printers.profiles.get_profile`)."""
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
        return _tcp_transport(url, profile)
    if scheme == "serial":
        return _serial_transport(url, profile)
    if scheme == "usb":
        return _usb_transport(url, profile)
    if scheme in ("cups", "win32"):
        name = unquote(rest[2:] if rest.startswith("//") else rest).strip()
        if not name:
            raise _config_error(url, "give the printer's name", "请写出打印机名称", example=f"{scheme}:XP-80C")
        return _cups_transport(url, name, profile) if scheme == "cups" else _win32_transport(url, name, profile)
    raise PrinterConfigError(
        f"unknown printer address '{url}'; use one of: {', '.join(SCHEMES)}",
        message_zh=f"无法识别的打印机地址“{url}”，可用：{'，'.join(SCHEMES)}",
        device=url,
    )


# --- the printer the rest of the till uses -----------------------------------------------------


class ReceiptPrinter:
    """Encodes receipts for one printer and hands the bytes to its transport.

    Safe to share between threads: jobs (and status questions) go one at a time, so two
    receipts never interleave on the same device.

    Settings: ``columns`` (32 = 58 mm, 48 = 80 mm), ``encoding`` (gb18030/gbk), ``profile``
    (a python-escpos profile name; it decides native QR, raster images, cutter and drawer),
    ``logo`` (an image file printed centered at the top, or None), ``codes`` (how the receipt
    number prints: auto/barcode/qr/both) and ``qr`` (``native`` GS ( k, or ``image``).
    """

    def __init__(
        self,
        transport: Transport,
        *,
        columns: int = 48,
        encoding: str = "gb18030",
        cut: bool = True,
        profile: str | None = DEFAULT_PROFILE,
        logo: str | os.PathLike[str] | None = None,
        codes: str = "auto",
        qr: str = "native",
    ) -> None:
        self.transport = transport
        self.columns = check_columns(columns)
        self.encoding = normalize_encoding(encoding)
        self.profile: PrinterProfile = get_profile(profile)
        self.cut = cut and self.profile.cut_supported
        self.partial_cut = not self.profile.full_cut
        if codes not in CODE_STYLES:
            raise PrinterConfigError(
                f"receipt codes must be one of {', '.join(CODE_STYLES)}, not '{codes}'",
                message_zh=f"小票条码方式只能是 {'、'.join(CODE_STYLES)}",
            )
        if qr not in QR_MODES:
            raise PrinterConfigError(f"qr must be native or image, not '{qr}'",
                                     message_zh="二维码方式只能是 native（打印机指令）或 image（图片）")
        self.codes = codes
        # A profile without native QR gets an image; without raster images either, no QR at all.
        self.qr_image = qr == "image" or not self.profile.qr_native
        self.qr_possible = not self.qr_image or self.profile.raster
        self.logo_path = Path(logo) if logo and self.profile.raster else None
        self._logo: bytes | None = None
        if self.logo_path is not None:
            self._logo = self._logo_bytes()  # a bad file shows when the printer is made
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.transport.url

    @property
    def dots(self) -> int:
        """Printable width in dots: 12 per cell, or less if the profile says so."""
        dots = self.columns * 12
        return min(dots, self.profile.width_dots) if self.profile.width_dots else dots

    @property
    def jobs(self) -> list[PrintJob]:
        """Jobs kept by a ``dummy:`` printer (AttributeError for real devices)."""
        jobs = getattr(self.transport, "jobs", None)
        if jobs is None:
            raise AttributeError(f"printer {self.url} does not keep jobs in memory")
        return jobs

    def _logo_bytes(self) -> bytes | None:
        if self.logo_path is None:
            return None
        from .raster import logo_command

        return logo_command(self.logo_path, self.dots)

    def encode(self, receipt: Receipt, *, drawer_kick: bool = False) -> bytes:
        """The ESC/POS bytes this printer sends for ``receipt``."""
        return encode_receipt(
            receipt, columns=self.columns, encoding=self.encoding, cut=self.cut, partial_cut=self.partial_cut,
            drawer_kick=drawer_kick and self.profile.drawer, logo=self._logo_bytes(), codes=self.codes,
            qr_image=self.qr_image, qr=self.qr_possible,
        )

    def render_receipt(self, receipt: Receipt, *, drawer_kick: bool = False) -> PrintJob:
        """The job for ``receipt`` (bytes + text), not sent: what a print queue stores."""
        data = self.encode(receipt, drawer_kick=drawer_kick)
        text = render_text(receipt, self.columns, encoding=self.encoding)
        return PrintJob(receipt.receipt_no, data, text, reprint=receipt.reprint,
                        kind="reprint" if receipt.reprint else "receipt",
                        drawer_kick=drawer_kick and self.profile.drawer)

    def print_receipt(self, receipt: Receipt, *, drawer_kick: bool = False) -> PrintOutcome:
        """Print ``receipt``; with ``drawer_kick`` the cash drawer opens as printing starts."""
        return self.send_job(self.render_receipt(receipt, drawer_kick=drawer_kick))

    def send_raw(self, data: bytes, name: str, *, kind: str = "raw", text: str | None = None) -> PrintOutcome:
        """Send ready-made bytes (a test page, a report, a queued job) under ``name``."""
        return self.send_job(PrintJob(name, bytes(data), text, kind=kind))

    def open_drawer(self) -> PrintOutcome:
        """Kick the cash drawer without printing (e.g. a manager's 开钱箱)."""
        if not self.profile.drawer:
            raise PrinterConfigError(
                f"printer profile {self.profile.name} has no cash-drawer port",
                message_zh=f"打印机型号 {self.profile.name} 不支持钱箱接口",
                device=self.url,
            )
        return self.send_job(PrintJob("drawer", DRAWER_KICK, kind="drawer", drawer_kick=True))

    def status(self, timeout: float | None = None) -> PrinterStatus:
        """What the printer says now (UNKNOWN if it cannot say). Never raises."""
        ask = getattr(self.transport, "status", None)
        if ask is None:
            return make_status(self.url, PrinterState.UNKNOWN, reason="cannot report its status",
                               reason_zh="无法读取状态")
        with self._lock:
            try:
                return ask(timeout)
            except Exception as e:  # a driver bug must not reach the cashier as a traceback
                return make_status(self.url, PrinterState.UNKNOWN, reason=f"the printer's status could not be read ({e})",
                                   reason_zh=f"状态查询失败：{e}")

    def send_job(self, job: PrintJob) -> PrintOutcome:
        with self._lock:
            try:
                where = self.transport.send(job)
            except PrinterError:
                raise
            except Exception as e:  # a driver bug must still reach the cashier as a printer fault
                raise PrinterWriteError(
                    f"printer {self.url} stopped with a fault; check it is on and connected, then print again ({e})",
                    message_zh=f"{_device_label(self.url)} 出错：{e}",
                    device=self.url,
                ) from e
            confirmed = getattr(self.transport, "last_confirmed", None)
            after = getattr(self.transport, "last_status", None)
        return PrintOutcome(destination=where, byte_count=len(job.data), name=job.name, confirmed=confirmed,
                            status=after)

    _send = send_job  # the earlier name


def make_printer(
    url: str,
    *,
    columns: int = 48,
    encoding: str = "gb18030",
    profile: str | None = DEFAULT_PROFILE,
    logo: str | os.PathLike[str] | None = None,
    codes: str = "auto",
    qr: str = "native",
) -> ReceiptPrinter:
    """A :class:`ReceiptPrinter` for a printer URL, e.g. ``make_printer("tcp://192.168.1.50:9100")``.

    Checks the URL, columns, encoding, profile and logo now (PrinterConfigError /
    PrinterUnavailable) so a bad setting shows at start-up, not at the first sale; devices are
    opened per job.
    """
    checked = get_profile(profile)
    return ReceiptPrinter(make_transport(url, profile=checked.name), columns=columns, encoding=encoding,
                          profile=checked.name, logo=logo, codes=codes, qr=qr)
