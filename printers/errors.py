"""Printer errors: a plain English message plus the Chinese wording the till shows.

Every message names the device (its URL) so a cashier or the shop manager can tell which
printer needs attention, e.g. "打印机 tcp://127.0.0.1:9100 无法连接（连接被拒绝）".
"""

from __future__ import annotations

from pos.domain.errors import PosError


class PrinterError(PosError):
    """Anything that stops a receipt from reaching paper (or file)."""

    code = "printer_error"


class PrinterConfigError(PrinterError):
    """The printer setting itself is wrong: unknown URL scheme, bad port, unsupported encoding."""

    code = "printer_config"


class PrinterUnavailable(PrinterError):
    """The device cannot be opened: not connected, refused, missing driver, wrong OS."""

    code = "printer_unavailable"


class PrinterWriteError(PrinterError):
    """The device was opened but the bytes did not all get through (or the file was not written)."""

    code = "printer_write_failed"


class PrinterNotReady(PrinterUnavailable):
    """The printer answered but says it cannot print now (paper out, cover open, offline, error).

    ``status`` is the :class:`printers.status.PrinterStatus` it reported.
    """

    code = "printer_not_ready"

    def __init__(self, status: object) -> None:
        self.status = status
        super().__init__(
            f"{status.message}; the job was not sent",  # type: ignore[attr-defined]
            message_zh=f"{status.message_zh}，未发送打印内容",  # type: ignore[attr-defined]
            device=getattr(status, "url", ""),
        )
