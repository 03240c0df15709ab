"""What the till's 溯源 (trace) page decides, without Qt (issue 15).

The manager types or scans a receipt number (``MX01-20261122-0042``, also from the receipt's
barcode) or a delivery batch number (``SHKC-2026-48``). A receipt shows each of its lines with the
lot it drew from: batch, 合格证, origin, arrival and expiry (a line sold past zero has no lot, and
is flagged). A batch shows its delivery (supplier, contact, arrival, lots with their 合格证) and
every receipt that sold from it and every return into it: the recall list, with quantities.

The page calls :func:`look_up` on the op runner (the same ``StockService.trace_receipt`` and
``trace_batch`` as the ``trace`` command), hands the answer to :meth:`StockTracePresenter.shown`
and draws ``rows``. Texts here are figures and codes only; the page words the headers.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pos.domain.errors import InvalidInput

from .stock import quantity_text

# A receipt number: store and counter, business day, number (MX01-20261122-0042).
RECEIPT_NO = re.compile(r"^[A-Z0-9]{2,8}-\d{8}-\d{3,6}$")


class TraceKind(enum.Enum):
    RECEIPT = "receipt"
    BATCH = "batch"


@dataclass(frozen=True, slots=True)
class TraceQuery:
    kind: TraceKind
    code: str


@dataclass(frozen=True, slots=True)
class TraceRow:
    """One drawn row: ``texts`` in the columns of the kind shown; ``flag`` a line sold past zero (no lot),
    or a return into the batch."""

    texts: tuple[str, ...]
    flag: bool = False


def query_of(text: str) -> TraceQuery:
    """What was typed or scanned: a receipt number, else a batch number. Full-width characters (a
    Chinese keyboard) and spaces are folded; an empty field is refused in both languages."""
    code = unicodedata.normalize("NFKC", text or "").strip()
    if not code:
        raise InvalidInput("type or scan a receipt number or a batch number",
                           message_zh="请输入或扫描小票号或批次号")
    upper = code.upper()
    if RECEIPT_NO.match(upper):
        return TraceQuery(TraceKind.RECEIPT, upper)
    return TraceQuery(TraceKind.BATCH, code)


def look_up(stock: Any, text: str) -> Any:
    """The service's trace of what was typed (run off the GUI thread): a TraceReceipt or a TraceBatch.
    A batch number typed in lower case is tried as printed (upper case) when not found as typed."""
    q = query_of(text)
    if q.kind is TraceKind.RECEIPT:
        return stock.trace_receipt(q.code)
    try:
        return stock.trace_batch(q.code)
    except InvalidInput:
        if q.code.upper() == q.code:
            raise
        return stock.trace_batch(q.code.upper())


class StockTracePresenter:
    """The answer shown: which kind, its heading figures, its rows."""

    def __init__(self) -> None:
        self.kind: TraceKind | None = None
        self.code = ""
        self.rows: list[TraceRow] = []
        self.lots: list[TraceRow] = []  # a batch's lots (batch answers only)
        self.receipts = 0  # a batch: receipts that sold from it; a receipt: 1
        self.returns = 0
        self.no_lot = 0  # receipt lines sold past zero (no lot to trace)
        self.supplier = ""
        self.contact = ""
        self.arrival = ""

    def clear(self) -> None:
        self.__init__()

    def shown(self, answer: Any) -> None:
        """Take a TraceReceipt or TraceBatch from :func:`look_up`."""
        self.clear()
        if hasattr(answer, "receipt_no"):
            self._receipt(answer)
        else:
            self._batch(answer)

    def _receipt(self, r: Any) -> None:
        self.kind, self.code, self.receipts = TraceKind.RECEIPT, r.receipt_no, 1
        for x in r.lines:
            qty = quantity_text(x.weighed, x.quantity) + (" kg" if x.weighed else "")
            if x.kind == "return":
                qty = "-" + qty
                self.returns += 1
            if x.lot_id is None:
                self.no_lot += 1
            self.rows.append(TraceRow((str(x.line_no), f"{x.name} {x.sku}".strip(), qty, x.batch_no or "—",
                                       x.certificate_no or "—", x.origin or "—", x.arrival or "—", x.expiry or "—"),
                                      flag=x.lot_id is None or x.kind == "return"))

    def _batch(self, t: Any) -> None:
        self.kind, self.code = TraceKind.BATCH, t.batch_no
        self.supplier, self.contact, self.arrival = t.supplier, t.contact, t.arrival
        self.receipts, self.returns = len(t.receipts), len(t.returns)
        for lot in t.lots:
            self.lots.append(TraceRow((lot.lot_id, lot.certificate_no or "—", lot.origin or "—", lot.expiry or "—")))
        for x in sorted((*t.sales, *t.returns), key=lambda x: (x.business_day, x.doc_no, x.line_no)):
            qty = quantity_text(x.weighed, x.quantity) + (" kg" if x.weighed else "")
            back = x.kind == "return"
            self.rows.append(TraceRow((x.business_day, x.doc_no, str(x.line_no), f"{x.name} {x.sku}".strip(),
                                       ("-" if back else "") + qty, x.lot_id or "—"), flag=back))
