"""Printing and exporting report documents (X, Z, shift close, reconciliation)."""

from __future__ import annotations

from pathlib import Path

from pos.domain.errors import PosError
from pos.domain.report_doc import ReportDoc

from .receipts import PrintResult, ReceiptService


class DocumentService:
    def __init__(self, receipts: ReceiptService, columns: int, encoding: str, reports_dir: Path) -> None:
        self._receipts = receipts
        self._columns = columns
        self._encoding = encoding
        self.reports_dir = reports_dir

    def text(self, doc: ReportDoc) -> str:
        from printers.report_layout import render_report_text

        return render_report_text(doc, self._columns, encoding=self._encoding)

    def print(self, doc: ReportDoc) -> PrintResult:
        """Print on the receipt printer; a fault is reported, never raised."""
        from printers.escpos import encode_lines
        from printers.report_layout import layout_report

        try:
            data = encode_lines(layout_report(doc, self._columns, encoding=self._encoding), columns=self._columns,
                                encoding=self._encoding)
            self._receipts.printer.send_raw(data, doc.name)
        except PosError as exc:
            return PrintResult(False, f"{doc.title} was not printed: {exc.message}", f"{doc.title}未能打印：{exc.message_zh}")
        except Exception as exc:  # a driver's own exception
            return PrintResult(False, f"{doc.title} was not printed; check the printer and print again ({exc})",
                               f"{doc.title}未能打印：{exc}")
        return PrintResult(True, f"{doc.title} printed", f"{doc.title}已打印")

    def pdf(self, doc: ReportDoc, path: Path | None = None) -> Path:
        from pos.reports.pdf import write_pdf

        return write_pdf(doc, path or self.reports_dir / f"{doc.name}.pdf")
