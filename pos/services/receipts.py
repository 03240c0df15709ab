"""Printing receipts after the sale is committed. A printer failure is reported, never raised.

A sale receipt carries the till's signed trace address (a QR code to head office's trace page)
when a ``trace`` function gives one (see pos/services/trace.py). A receipt that does not print goes to the print queue (``PrintQueue``) when there is one, so the
cashier can retry it later; the next sale is never held up. A receipt with a cash payment (sale
or refund) opens the cash drawer as it prints; reprints and training receipts never do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from pos.domain.errors import PosError
from pos.domain.receipt import Receipt
from pos.domain.tenders import TenderKind

from .ports import PrintJobQueue, PrintResult, ReceiptPrinter

log = logging.getLogger(__name__)


__all__ = ["PrintResult", "ReceiptService", "pays_cash"]  # PrintResult is defined in .ports, named here as before


def pays_cash(receipt: Receipt) -> bool:
    """Cash changes hands: a cash tender, or a cash refund (退现金, also a voucher's share paid in cash)."""
    cash = TenderKind.CASH
    return any(p.amount_fen != 0 and (p.kind == cash.value if p.kind else p.label == cash.label_zh)
               for p in receipt.payments)


class ReceiptService:
    """Builds the printer on first use, so a missing or broken printer never stops the till opening."""

    def __init__(self, make_printer: Callable[[], ReceiptPrinter], describe: str, *,
                 queue: PrintJobQueue | None = None, cash_drawer: bool = True,
                 trace: Callable[[Receipt], str | None] | None = None) -> None:
        self._make_printer = make_printer
        self.trace = trace
        self._printer: ReceiptPrinter | None = None
        self.describe = describe
        self.queue = queue
        self.cash_drawer = cash_drawer

    def reset_printer(self) -> None:
        """Forget the printer so the next print builds it afresh (after a settings change or a swap)."""
        self._printer = None

    @property
    def printer(self) -> ReceiptPrinter:
        if self._printer is None:
            self._printer = self._make_printer()
        return self._printer

    def kicks_drawer(self, receipt: Receipt) -> bool:
        """A cash sale or cash refund opens the drawer; a reprint or a training receipt never does."""
        return self.cash_drawer and not receipt.reprint and not receipt.training and pays_cash(receipt)

    def traced(self, receipt: Receipt) -> Receipt:
        """``receipt`` with its trace address, when it is a sale receipt and the till can sign one."""
        if self.trace is None or receipt.trace_url or receipt.is_return or receipt.training:
            return receipt
        try:
            url = self.trace(receipt)
        except Exception:  # never let the trace code stop a receipt printing
            log.exception("no trace code for %s", receipt.receipt_no)
            return receipt
        return replace(receipt, trace_url=url) if url else receipt

    def print(self, receipt: Receipt, *, drawer_kick: bool | None = None) -> PrintResult:
        receipt = self.traced(receipt)
        kick = self.kicks_drawer(receipt) if drawer_kick is None else drawer_kick
        try:
            printer = self.printer
        except PosError as exc:
            return self._failed(receipt, exc.message, exc.message_zh)
        except Exception as exc:
            log.exception("the printer for %s could not be set up", receipt.receipt_no)
            return self._failed(receipt, f"{type(exc).__name__}: {exc}", f"{exc}")
        render = getattr(printer, "render_receipt", None)
        send = getattr(printer, "send_job", None)
        if render is None or send is None:  # a bare port (print_receipt only): no queue, no kick
            return self._print_plain(printer, receipt)
        try:
            job = render(receipt, drawer_kick=kick)
            outcome = send(job)
        except PosError as exc:
            return self._queue(printer, receipt, exc.message, exc.message_zh)
        except Exception as exc:  # OSError, a driver's own exception: the sale is saved regardless
            log.exception("printing %s failed", receipt.receipt_no)
            return self._queue(printer, receipt, f"{type(exc).__name__}: {exc}", f"{exc}")
        return self._printed(receipt, outcome, kicked=job.drawer_kick)

    def _print_plain(self, printer: ReceiptPrinter, receipt: Receipt) -> PrintResult:
        try:
            printer.print_receipt(receipt)
        except PosError as exc:
            return self._failed(receipt, exc.message, exc.message_zh)
        except Exception as exc:
            log.exception("printing %s failed", receipt.receipt_no)
            return self._failed(receipt, f"{type(exc).__name__}: {exc}", f"{exc}")
        return PrintResult(True, f"receipt {receipt.receipt_no} printed to {self.describe}",
                           f"小票 {receipt.receipt_no} 已打印")

    def _printed(self, receipt: Receipt, outcome: object, *, kicked: bool) -> PrintResult:
        en = f"receipt {receipt.receipt_no} printed to {self.describe}"
        zh = f"小票 {receipt.receipt_no} 已打印"
        status = getattr(outcome, "status", None)
        if status is not None and not getattr(status, "state", None) == "ready":
            # e.g. paper near end after the job: printed, but tell the cashier.
            en, zh = f"{en} ({status.message})", f"{zh}（{status.message_zh}）"
        return PrintResult(True, en, zh, drawer_kicked=kicked)

    def _queue(self, printer: ReceiptPrinter, receipt: Receipt, why: str, why_zh: str) -> PrintResult:
        if self.queue is None:
            return self._failed(receipt, why, why_zh)
        try:
            # Queued without the drawer kick: a retry later must not pop the drawer open.
            job = printer.render_receipt(receipt, drawer_kick=False)  # type: ignore[attr-defined]
            job_id = self.queue.enqueue(data=job.data, kind=job.kind, receipt_no=receipt.receipt_no, text=job.text,
                                        error=why, error_zh=why_zh)
        except Exception:
            log.exception("could not queue receipt %s", receipt.receipt_no)
            return self._failed(receipt, why, why_zh)
        return PrintResult(
            False,
            f"receipt {receipt.receipt_no} was not printed: {why} (the sale is saved; print job {job_id} is "
            "waiting in the print queue)",
            f"小票 {receipt.receipt_no} 未能打印：{why_zh}（交易已保存，已加入打印队列第 {job_id} 号，可稍后重试）",
            job_id,
        )

    def _failed(self, receipt: Receipt, why: str, why_zh: str) -> PrintResult:
        return PrintResult(False, f"receipt {receipt.receipt_no} was not printed: {why} (the sale is saved)",
                           f"小票 {receipt.receipt_no} 未能打印：{why_zh}（交易已保存）")
