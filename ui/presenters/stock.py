"""What the manager's stock pages decide, without Qt (issue 15): which products a search shows and
which are flagged 负库存, the lots of one product with days left, the order of the near-expiry list,
what a delivery note check lets the manager do (a preview to confirm, or the problems by row), the
lines typed or scanned on the receiving screen, a write-off's quantity and reason, a count sheet
being scanned, and the figures of the batch report.

The pages run the service calls on the op runner and hand the answers here; they draw what these
objects say. Quantities are integer units or grams, money integer fen, as everywhere.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from pos.domain.errors import InvalidInput
from pos.domain.money import Fen, format_yuan
from pos.domain.quantities import parse_units, parse_weight
from pos.domain.receiving import (
    DeliveryNoteCheck,
    GoodsReceipt,
    LineCheck,
    ReceiptLine,
    RowProblem,
    parse_certificate_qr,
)
from pos.domain.stock import WriteOffReason

if TYPE_CHECKING:
    from pos.services.stock import BatchReport

# --- shared wording-free formatting -------------------------------------------------------------


def quantity_text(weighed: bool, quantity: int) -> str:
    """``12`` units, or ``12.500`` (kg, no unit: the column says kg) for grams; a minus sign when below zero."""
    if not weighed:
        return str(quantity)
    sign = "-" if quantity < 0 else ""
    q = abs(quantity)
    return f"{sign}{q // 1000}.{q % 1000:03d}"


def signed_quantity_text(weighed: bool, quantity: int) -> str:
    return ("+" if quantity > 0 else "") + quantity_text(weighed, quantity)


def money_text(fen: Fen) -> str:
    return format_yuan(fen, symbol=True) if fen >= 0 else "-" + format_yuan(-fen, symbol=True)


def signed_money_text(fen: Fen) -> str:
    return ("+" if fen > 0 else "") + money_text(fen)


def unit_cost_text(weighed: bool, unit_cost_fen: Fen) -> str:
    """``￥12.00/kg`` for weighed goods, ``￥3.50`` a unit otherwise."""
    return money_text(unit_cost_fen) + ("/kg" if weighed else "")


def problem_text(problem: RowProblem, chinese: bool) -> str:
    """A delivery note problem as the manager reads it: ``第7行，进价：…`` or ``row 7, unit_cost: …``."""
    return problem.message_zh if chinese else str(problem)


def parse_quantity(weighed: bool, text: str) -> int:
    """Kilograms for weighed goods (``0.5`` → 500 g), whole units otherwise; refused in plain words."""
    text = text.strip()
    if not text:
        raise InvalidInput("type a quantity", message_zh="请输入数量")
    quantity = parse_weight(text) if weighed else parse_units(text)
    if quantity <= 0:
        raise InvalidInput("the quantity must be more than zero", message_zh="数量必须大于零")
    return quantity


def parse_counted(weighed: bool, text: str) -> int:
    """A counted quantity: like :func:`parse_quantity` but zero is a count (nothing left on the shelf)."""
    text = text.strip()
    if not text:
        raise InvalidInput("type the counted quantity", message_zh="请输入盘点数量")
    return parse_weight(text) if weighed else parse_units(text)


def days_left_of(expiry: date | None, today: date) -> int | None:
    return None if expiry is None else (expiry - today).days


def _get(row: Any, *names: str, default: Any = None) -> Any:
    """The first attribute (or mapping key) of ``row`` named ``names``: the service's rows are plain
    frozen dataclasses, and a field's name is read here once rather than all over the screens."""
    for name in names:
        if isinstance(row, Mapping) and name in row:
            return row[name]
        if hasattr(row, name):
            return getattr(row, name)
    return default


# --- 库存: the stock list ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LotRow:
    lot: str
    batch: str
    arrival: date | None
    expiry: date | None
    days_left: int | None
    on_hand: int
    weighed: bool
    certificate: str = ""
    origin: str = ""

    @property
    def expired(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True, slots=True)
class StockRow:
    sku: str
    name: str
    weighed: bool
    on_hand: int
    value_fen: Fen
    category: str = ""
    past_zero: bool = False  # sold past zero: stock below nothing, or a draw with no lot
    lots: tuple[LotRow, ...] = ()

    @property
    def unit(self) -> str:
        return "kg" if self.weighed else ""


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def lot_row(raw: Any, weighed: bool, today: date) -> LotRow:
    expiry = _as_date(_get(raw, "expiry"))
    days = _get(raw, "days_left")
    return LotRow(
        lot=str(_get(raw, "lot", "lot_id", default="")),
        batch=str(_get(raw, "batch", "batch_no", default="") or ""),
        arrival=_as_date(_get(raw, "arrival", "received_on", "arrival_date")),
        expiry=expiry,
        days_left=int(days) if days is not None else days_left_of(expiry, today),
        on_hand=int(_get(raw, "on_hand", "quantity", default=0)),
        weighed=bool(_get(raw, "weighed", default=weighed)),
        certificate=str(_get(raw, "certificate", "certificate_no", default="") or ""),
        origin=str(_get(raw, "origin", default="") or ""),
    )


def stock_row(raw: Any, today: date) -> StockRow:
    """One product of the service's stock list as this page shows it."""
    weighed = bool(_get(raw, "weighed", default=False))
    on_hand = int(_get(raw, "on_hand", "quantity", default=0))
    flagged = _get(raw, "past_zero", "sold_past_zero", "flagged", default=None)
    return StockRow(
        sku=str(_get(raw, "sku")),
        name=str(_get(raw, "name", default="") or ""),
        weighed=weighed,
        on_hand=on_hand,
        value_fen=int(_get(raw, "value_fen", "value", "cost_fen", default=0)),
        category=str(_get(raw, "category", default="") or ""),
        past_zero=bool(flagged) if flagged is not None else on_hand < 0,
        lots=tuple(lot_row(lot, weighed, today) for lot in (_get(raw, "lots", default=()) or ())),
    )


def matches(row: StockRow, text: str) -> bool:
    """A search box's text against a product: every word in its sku, name or category (case-insensitive)."""
    hay = f"{row.sku} {row.name} {row.category}".casefold()
    return all(word in hay for word in text.casefold().split())


@dataclass(frozen=True, slots=True)
class PreparedStock:
    rows: list[Any]
    hay: list[str]
    today: date
    past_zero_count: int
    total_value_fen: Fen


class StockListPresenter:
    """The 库存 page: every followed product, a search over them, the selected one's lots.

    The rows are the service's own (``ProductStock``: sku, name, category, weighed, on_hand,
    value_fen, past_zero, lots), kept as they came: a store with 200,000 products must not be
    copied row by row on the GUI thread; the table formats only the rows it draws."""

    def __init__(self) -> None:
        self.rows: list[Any] = []
        self.shown: list[Any] = []
        self.search = ""
        self.selected_sku: str | None = None
        self.lots: tuple[LotRow, ...] = ()
        self.today: date | None = None
        self.past_zero_count = 0
        self.total_value_fen: Fen = 0
        self._hay: list[str] | None = None

    @staticmethod
    def prepare(raws: Iterable[Any], today: date) -> PreparedStock:
        """The list ordered and indexed for search — slow for a big store, so run off the GUI thread."""
        rows = list(raws)
        # Sold past zero first: the manager must see them; then in the service's order (by sku).
        past = [r for r in rows if r.past_zero]
        ordered = past + [r for r in rows if not r.past_zero] if past else rows
        return PreparedStock(ordered, [f"{r.sku} {r.name} {r.category}".casefold() for r in ordered], today, len(past),
                             sum(r.value_fen for r in rows))

    def loaded(self, raws: Iterable[Any] | PreparedStock, today: date | None = None) -> None:
        ready = raws if isinstance(raws, PreparedStock) else self.prepare(raws, today or date.today())
        self.rows, self._hay, self.today = ready.rows, ready.hay, ready.today
        self.past_zero_count, self.total_value_fen = ready.past_zero_count, ready.total_value_fen
        self.filter(self.search)

    def filter(self, text: str) -> list[Any]:
        """Every word of ``text`` in the product's sku, name or category (case-insensitive)."""
        self.search = text
        words = text.casefold().split()
        if words:
            if self._hay is None:
                self._hay = [f"{r.sku} {r.name} {r.category}".casefold() for r in self.rows]
            if len(words) == 1:  # the usual case, kept tight: 200,000 products
                w = words[0]
                self.shown = [r for r, hay in zip(self.rows, self._hay, strict=True) if w in hay]
            else:
                self.shown = [r for r, hay in zip(self.rows, self._hay, strict=True) if all(w in hay for w in words)]
        else:
            self.shown = self.rows
        if self.selected_sku is not None and self.row_of(self.selected_sku) is None:
            self.selected_sku, self.lots = None, ()
        return self.shown

    def row_of(self, sku: str) -> int | None:
        return next((i for i, r in enumerate(self.shown) if r.sku == sku), None)

    def select(self, index: int | None) -> str | None:
        """The sku whose lots to read (None: nothing selected)."""
        if index is None or not 0 <= index < len(self.shown):
            self.selected_sku, self.lots = None, ()
            return None
        row = self.shown[index]
        self.selected_sku = row.sku
        today = self.today or date.today()
        lots = (lot_row(lot, row.weighed, today) for lot in (row.lots or ()))
        self.lots = tuple(sorted((lot for lot in lots if lot.on_hand), key=_lot_order))
        return row.sku

    def selected(self) -> StockRow | None:
        """The selected product with the lots shown (for 报损此商品)."""
        raw = next((r for r in self.rows if r.sku == self.selected_sku), None)
        if raw is None:
            return None
        return replace(stock_row(raw, self.today or date.today()), lots=self.lots)

    def lots_loaded(self, sku: str, raws: Iterable[Any], today: date) -> None:
        """The lots of ``sku`` as the service answered them (only when still selected)."""
        if sku != self.selected_sku:
            return
        row = next((r for r in self.rows if r.sku == sku), None)
        weighed = row.weighed if row else False
        lots = []
        for raw in raws:
            inner = _get(raw, "lots")
            if inner is not None:  # the service answered product rows carrying their lots
                lots.extend(lot_row(lot, bool(_get(raw, "weighed", default=weighed)), today) for lot in inner)
            else:
                lots.append(lot_row(raw, weighed, today))
        self.lots = tuple(sorted((lot for lot in lots if lot.on_hand), key=_lot_order))


def _lot_order(lot: LotRow) -> tuple[date, date, str]:
    return (lot.expiry or date.max, lot.arrival or date.max, lot.lot)


# --- 临期: near expiry ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExpiryRow:
    sku: str
    name: str
    lot: LotRow

    @property
    def expired(self) -> bool:
        return self.lot.expired

    @property
    def last_day(self) -> bool:
        return self.lot.days_left == 0


def expiry_row(raw: Any, today: date) -> ExpiryRow:
    """A near-expiry lot from the service: ``(ProductStock, LotStock)``."""
    product, lot = raw
    return ExpiryRow(product.sku, product.name, lot_row(lot, product.weighed, today))


def near_expiry_rows(raws: Iterable[Any], today: date) -> list[ExpiryRow]:
    """Expired lots first (longest expired at the top), then the ones expiring soonest."""
    rows = [expiry_row(r, today) for r in raws]
    rows = [r for r in rows if r.lot.on_hand > 0]
    return sorted(rows, key=lambda r: (not r.expired, r.lot.days_left if r.lot.days_left is not None else 10**6,
                                       r.name, r.lot.lot))


# --- 收货: receiving ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreviewLine:
    row: int
    sku: str
    name: str
    quantity: str  # kg or units, as on the note
    unit_cost: str
    cost: str
    expiry: str
    certificate: str
    origin: str
    quarantine: str


def preview_line(line: ReceiptLine, names: Mapping[str, str]) -> PreviewLine:
    return PreviewLine(line.row, line.sku, names.get(line.sku, ""),
                       quantity_text(line.weighed, line.quantity) + (" kg" if line.weighed else ""),
                       unit_cost_text(line.weighed, line.unit_cost_fen), money_text(line.cost_fen),
                       line.expiry.isoformat(), line.certificate, line.origin, line.quarantine)


class ReceiveStep(enum.Enum):
    NO_FILE = "no_file"
    CHECKING = "checking"
    REFUSED = "refused"  # the note has problems: nothing can be received
    READY = "ready"  # a preview to confirm
    RECEIVING = "receiving"
    RECEIVED = "received"


class DeliveryNotePresenter:
    """收货 from a delivery note file: check it (nothing written), then 确认收货 all or nothing."""

    def __init__(self) -> None:
        self.step = ReceiveStep.NO_FILE
        self.path = ""
        self.check: DeliveryNoteCheck | None = None
        self.names: dict[str, str] = {}
        self.received: Any = None

    def opened(self, path: str) -> None:
        self.path, self.check, self.received = path, None, None
        self.step = ReceiveStep.CHECKING

    def checked(self, check: DeliveryNoteCheck, names: Mapping[str, str] | None = None) -> None:
        self.check = check
        self.names = dict(names or {})
        self.step = ReceiveStep.READY if check.ok else ReceiveStep.REFUSED

    def failed(self) -> None:
        """The file could not be read or received: back to choosing a file (the page shows why)."""
        self.step = ReceiveStep.REFUSED if self.check is not None and not self.check.ok else (
            ReceiveStep.READY if self.check is not None else ReceiveStep.NO_FILE)

    @property
    def can_confirm(self) -> bool:
        return self.step is ReceiveStep.READY

    def confirm(self) -> str | None:
        """The file to receive, or None when 确认收货 may not run now."""
        if not self.can_confirm:
            return None
        self.step = ReceiveStep.RECEIVING
        return self.path

    def done(self, received: Any) -> None:
        self.received = received
        self.step = ReceiveStep.RECEIVED

    @property
    def receipt(self) -> GoodsReceipt | None:
        return self.check.receipt if self.check is not None else None

    def lines(self) -> list[PreviewLine]:
        receipt = self.receipt
        return [preview_line(line, self.names) for line in receipt.lines] if receipt else []

    def problems(self, chinese: bool) -> list[str]:
        return [problem_text(p, chinese) for p in self.check.errors] if self.check else []

    def warnings(self, chinese: bool) -> list[str]:
        return [problem_text(p, chinese) for p in self.check.warnings] if self.check else []

    @property
    def more_problems(self) -> int:
        return self.check.more_errors if self.check else 0


def certificate_input(text: str) -> tuple[str, str]:
    """What was typed or scanned into the 合格证 field: ``(number, qr_payload)``. A plain number is a
    number; a QR payload (a link, or labelled text such as ``编号:HG1;产地:松阳``) is kept whole, and its
    number, if it names one, fills the number."""
    text = text.strip()
    if not text:
        return "", ""
    looks_like_qr = text.lower().startswith(("http://", "https://")) or any(c in text for c in ":：;；=|")
    if not looks_like_qr:
        return text, ""
    try:
        qr = parse_certificate_qr(text)
    except InvalidInput:
        return "", text  # the line check names what is wrong with it
    return qr.number, qr.raw


@dataclass(frozen=True, slots=True)
class BatchHeader:
    batch: str = ""
    supplier: str = ""
    contact: str = ""
    arrival: date | None = None

    def missing(self) -> list[str]:
        """The header fields still empty (the page names them)."""
        return [name for name, value in (("batch", self.batch), ("supplier", self.supplier),
                                         ("supplier_contact", self.contact), ("arrival", self.arrival)) if not value]


@dataclass
class ScannedBatch:
    """收货 with the scanner: the batch header, and the lines checked one by one as they are added."""

    header: BatchHeader = field(default_factory=BatchHeader)
    lines: list[ReceiptLine] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    last: LineCheck | None = None

    def set_header(self, batch: str, supplier: str, contact: str, arrival: date | None) -> None:
        self.header = BatchHeader(batch.strip(), supplier.strip(), contact.strip(), arrival)

    def fields(self, code: str, quantity: str, unit_cost: str, expiry: str, production_date: str,
               shelf_life_days: str, origin: str, certificate: str, quarantine: str) -> dict[str, str]:
        """The typed line as :func:`pos.domain.receiving.check_line` reads it. A code of digits only
        is a barcode; anything else a sku (the service resolves both)."""
        code = code.strip()
        number, qr = certificate_input(certificate)
        return {("barcode" if code.isdigit() and len(code) >= 8 else "sku"): code, "quantity": quantity,
                "unit_cost": unit_cost, "expiry": expiry, "production_date": production_date,
                "shelf_life_days": shelf_life_days, "origin": origin, "certificate": number,
                "certificate_qr": qr, "quarantine": quarantine}

    def add(self, check: LineCheck, name: str = "") -> bool:
        """A checked line: on the list when it passed (True), else its problems stay in :attr:`last`."""
        self.last = check
        if check.line is None:
            return False
        line = replace(check.line, row=len(self.lines) + 1)
        self.lines.append(line)
        if name:
            self.names[line.sku] = name
        return True

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.lines):
            del self.lines[index]
            self.lines[:] = [replace(line, row=i + 1) for i, line in enumerate(self.lines)]

    @property
    def total_cost_fen(self) -> Fen:
        return sum(line.cost_fen for line in self.lines)

    def goods(self) -> GoodsReceipt | None:
        """The batch to receive, or None while the header or the lines are incomplete."""
        if self.header.missing() or not self.lines or self.header.arrival is None:
            return None
        return GoodsReceipt(self.header.batch, self.header.supplier, self.header.contact, self.header.arrival,
                            tuple(self.lines))

    def preview(self) -> list[PreviewLine]:
        return [preview_line(line, self.names) for line in self.lines]

    def clear(self) -> None:
        self.lines.clear()
        self.names.clear()
        self.last = None


# --- 报损: write-off ------------------------------------------------------------------------------

REASONS: tuple[WriteOffReason, ...] = (WriteOffReason.SPOILED, WriteOffReason.BROKEN, WriteOffReason.EXPIRED,
                                       WriteOffReason.OTHER)


@dataclass(frozen=True, slots=True)
class WriteOffRequest:
    sku: str
    quantity: int
    reason: WriteOffReason
    note: str = ""


class WriteOffPresenter:
    """报损: a product (from the stock list or a scan), a quantity in units or kg, one of four reasons."""

    def __init__(self) -> None:
        self.product: StockRow | None = None
        self.reason: WriteOffReason | None = None

    def choose(self, product: StockRow | None) -> None:
        self.product = product

    def request(self, quantity_text_: str, reason: WriteOffReason | None, note: str = "") -> WriteOffRequest:
        """The write-off to ask the service for, or a plain refusal (InvalidInput)."""
        if self.product is None:
            raise InvalidInput("choose a product first", message_zh="请先选择商品")
        if reason is None:
            raise InvalidInput("choose a reason", message_zh="请选择报损原因")
        if reason is WriteOffReason.OTHER and not note.strip():
            raise InvalidInput("say what happened (reason: other)", message_zh="原因为“其他”时请填写说明")
        quantity = parse_quantity(self.product.weighed, quantity_text_)
        if quantity > max(self.product.on_hand, 0):
            raise InvalidInput(
                f"only {quantity_text(self.product.weighed, max(self.product.on_hand, 0))}"
                f"{' kg' if self.product.weighed else ''} of {self.product.name} in stock",
                message_zh=f"{self.product.name} 库存只有 {quantity_text(self.product.weighed, max(self.product.on_hand, 0))}"
                           f"{'kg' if self.product.weighed else ''}")
        return WriteOffRequest(self.product.sku, quantity, reason, note.strip())


# --- 盘点: count ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VarianceRow:
    sku: str
    name: str
    weighed: bool
    expected: int
    counted: int
    variance: int
    cost_fen: Fen  # signed value of the variance at cost

    @property
    def short(self) -> bool:
        return self.variance < 0


def variance_row(raw: Any, names: Mapping[str, str] | None = None) -> VarianceRow:
    sku = str(_get(raw, "sku"))
    expected = int(_get(raw, "expected", default=0))
    counted = int(_get(raw, "counted", default=0))
    variance = _get(raw, "variance", "quantity", default=None)
    return VarianceRow(sku, str(_get(raw, "name", default=None) or (names or {}).get(sku, "")),
                       bool(_get(raw, "weighed", default=False)), expected, counted,
                       int(variance) if variance is not None else counted - expected,
                       int(_get(raw, "cost_fen", "cost", "value_fen", default=0)))


class ScannedCount:
    """盘点 by scanning: each product scanned once with its counted quantity (a rescan replaces it)."""

    def __init__(self) -> None:
        self.counted: dict[str, int] = {}
        self.names: dict[str, str] = {}
        self.weighed: dict[str, bool] = {}

    def add(self, sku: str, name: str, weighed: bool, counted: int) -> bool:
        """True when this replaced an earlier count of the same product."""
        again = sku in self.counted
        self.counted[sku] = counted
        self.names[sku] = name
        self.weighed[sku] = weighed
        return again

    def remove(self, sku: str) -> None:
        self.counted.pop(sku, None)

    def lines(self) -> list[tuple[str, str, str]]:
        return [(sku, self.names.get(sku, ""), quantity_text(self.weighed.get(sku, False), q))
                for sku, q in self.counted.items()]

    def clear(self) -> None:
        self.counted.clear()


def count_total_fen(rows: Sequence[VarianceRow]) -> Fen:
    return sum(r.cost_fen for r in rows)


# --- 批次: batch report ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchRow:
    batch: str
    arrival: str
    origin: str
    supplier: str
    lots: int
    received_cost_fen: Fen
    sold: str  # units and kg sold, net of returns
    on_hand: str
    revenue_fen: Fen
    cost_fen: Fen  # cost of the goods sold
    margin_fen: Fen
    margin_pct: str
    written_off_fen: Fen
    on_hand_cost_fen: Fen
    sell_out_days: int | None  # None while stock remains

    @property
    def losing(self) -> bool:
        return self.margin_fen < 0


def mixed_quantity(units: int, grams: int) -> str:
    """A batch holds counted and weighed goods: ``30 + 80.000kg``; ``0`` when none."""
    parts = ([str(units)] if units else []) + ([quantity_text(True, grams) + "kg"] if grams else [])
    return " + ".join(parts) or "0"


def batch_row(r: BatchReport) -> BatchRow:
    """One line of the service's batch report (a batch, or an origin county) as the page shows it."""
    pct = r.margin_pct
    return BatchRow(
        batch=r.batch_no, arrival=r.arrival or "", origin=r.origin, supplier=r.supplier, lots=r.lots,
        received_cost_fen=r.received_cost_fen, sold=mixed_quantity(r.sold_units, r.sold_grams),
        on_hand=mixed_quantity(r.on_hand_units, r.on_hand_grams), revenue_fen=r.revenue_fen,
        cost_fen=r.sold_cost_fen, margin_fen=r.margin_fen, margin_pct="—" if pct is None else f"{pct:.1f}%",
        written_off_fen=r.written_off_cost_fen, on_hand_cost_fen=r.on_hand_cost_fen,
        sell_out_days=r.days_to_sell_out)
