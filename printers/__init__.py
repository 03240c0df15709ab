"""Receipt printing: layout (pure) -> ESC/POS bytes (GB18030/GBK, FS &) -> transport by URL.

    printer = make_printer("tcp://192.168.1.50:9100", columns=48)
    outcome = printer.print_receipt(receipt)

Imports only ``pos.domain`` from the rest of the till; python-escpos is loaded when a device
transport is made.
"""

from __future__ import annotations

from .errors import PrinterConfigError, PrinterError, PrinterUnavailable, PrinterWriteError
from .escpos import encode_lines, encode_receipt
from .layout import LayoutLine, cell_width, layout_receipt, printable, wrap
from .text import render_text
from .transports import SCHEMES, PrintJob, PrintOutcome, ReceiptPrinter, make_printer, make_transport

__all__ = [
    "SCHEMES",
    "LayoutLine",
    "PrintJob",
    "PrintOutcome",
    "PrinterConfigError",
    "PrinterError",
    "PrinterUnavailable",
    "PrinterWriteError",
    "ReceiptPrinter",
    "cell_width",
    "encode_lines",
    "encode_receipt",
    "layout_receipt",
    "make_printer",
    "make_transport",
    "printable",
    "render_text",
    "wrap",
]
