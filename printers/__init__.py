"""Receipt printing: layout (pure) -> ESC/POS bytes (GB18030/GBK, FS &) -> transport by URL.

    printer = make_printer("tcp://192.168.1.50:9100", columns=48, profile="TM-T88III")
    outcome = printer.print_receipt(receipt, drawer_kick=True)
    status = printer.status()          # PrinterStatus: READY, PAPER_OUT, … or UNKNOWN

Imports only ``pos.domain`` from the rest of the till; python-escpos is loaded when a device
transport is made, Pillow/qrcode when an image (logo, image QR) is made.
"""

from __future__ import annotations

from .errors import PrinterConfigError, PrinterError, PrinterNotReady, PrinterUnavailable, PrinterWriteError
from .escpos import CODE_STYLES, encode_lines, encode_receipt
from .layout import LayoutLine, cell_width, layout_receipt, printable, wrap
from .profiles import PrinterProfile, get_profile, known_profiles
from .status import PrinterState, PrinterStatus
from .text import render_text
from .transports import (
    QR_MODES,
    SCHEMES,
    PrintJob,
    PrintOutcome,
    ReceiptPrinter,
    make_printer,
    make_transport,
)

__all__ = [
    "CODE_STYLES",
    "QR_MODES",
    "SCHEMES",
    "LayoutLine",
    "PrintJob",
    "PrintOutcome",
    "PrinterConfigError",
    "PrinterError",
    "PrinterNotReady",
    "PrinterProfile",
    "PrinterState",
    "PrinterStatus",
    "PrinterUnavailable",
    "PrinterWriteError",
    "ReceiptPrinter",
    "cell_width",
    "encode_lines",
    "encode_receipt",
    "get_profile",
    "known_profiles",
    "layout_receipt",
    "make_printer",
    "make_transport",
    "printable",
    "render_text",
    "wrap",
]
