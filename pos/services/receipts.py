"""Printing receipts after the sale is committed. A printer failure is reported, never raised."""

from __future__ import annotations

from dataclasses import dataclass

from pos.domain.errors import PosError
from pos.domain.receipt import Receipt

from .ports import ReceiptPrinter


@dataclass(frozen=True, slots=True)
class PrintResult:
    ok: bool
    message: str
    message_zh: str


class ReceiptService:
    def __init__(self, printer: ReceiptPrinter, describe: str) -> None:
        self._printer = printer
        self._describe = describe

    def print(self, receipt: Receipt) -> PrintResult:
        try:
            self._printer.print_receipt(receipt)
        except PosError as exc:
            return PrintResult(False, f"receipt {receipt.receipt_no} was not printed: {exc.message} (the sale is saved)",
                               f"小票 {receipt.receipt_no} 未能打印：{exc.message_zh}（交易已保存）")
        except OSError as exc:
            return PrintResult(False, f"receipt {receipt.receipt_no} was not printed: {exc} (the sale is saved)",
                               f"小票 {receipt.receipt_no} 未能打印：{exc}（交易已保存）")
        return PrintResult(True, f"receipt {receipt.receipt_no} printed to {self._describe}",
                           f"小票 {receipt.receipt_no} 已打印")
