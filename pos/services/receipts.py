"""Printing receipts after the sale is committed. A printer failure is reported, never raised."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from pos.domain.errors import PosError
from pos.domain.receipt import Receipt

from .ports import ReceiptPrinter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PrintResult:
    ok: bool
    message: str
    message_zh: str


class ReceiptService:
    """Builds the printer on first use, so a missing or broken printer never stops the till opening."""

    def __init__(self, make_printer: Callable[[], ReceiptPrinter], describe: str) -> None:
        self._make_printer = make_printer
        self._printer: ReceiptPrinter | None = None
        self.describe = describe

    @property
    def printer(self) -> ReceiptPrinter:
        if self._printer is None:
            self._printer = self._make_printer()
        return self._printer

    def print(self, receipt: Receipt) -> PrintResult:
        try:
            self.printer.print_receipt(receipt)
        except PosError as exc:
            return self._failed(receipt, exc.message, exc.message_zh)
        except Exception as exc:  # OSError, a driver's own exception: the sale is saved regardless
            log.exception("printing %s failed", receipt.receipt_no)
            return self._failed(receipt, f"{type(exc).__name__}: {exc}", f"{exc}")
        return PrintResult(True, f"receipt {receipt.receipt_no} printed to {self.describe}",
                           f"小票 {receipt.receipt_no} 已打印")

    def _failed(self, receipt: Receipt, why: str, why_zh: str) -> PrintResult:
        return PrintResult(False, f"receipt {receipt.receipt_no} was not printed: {why} (the sale is saved)",
                           f"小票 {receipt.receipt_no} 未能打印：{why_zh}（交易已保存）")
