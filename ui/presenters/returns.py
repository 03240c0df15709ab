"""What the return dialog (退货, F10) decides, without Qt: the receipt being looked up, the quantities
to return and their checks, the refund the service planned (and whether an answer is stale), where a
voucher's share goes back, goods coming back without a receipt, and what 确认退货 may do next.

The dialog runs the service calls this presenter asks for on the writer lane, hands the answers back
(:meth:`ReturnsPresenter.found`, :meth:`planned`, :meth:`returned` …) and draws the state.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pos.domain.cart import format_quantity
from pos.domain.catalog import Product
from pos.domain.errors import InvalidInput, PosError
from pos.domain.money import Fen, weighed_amount
from pos.domain.quantities import parse_units, parse_weight
from pos.domain.returns import ReturnLine
from pos.domain.sale import Sale
from pos.domain.tenders import SINGLE_USE, Tender, TenderKind

if TYPE_CHECKING:
    from pos.services.returns import CompletedReturn, ReturnableLine

# Tenders a voucher's share may be refunded to without a reference to type (银联 needs one).
VOUCHER_REFUND_KINDS = (TenderKind.CASH, TenderKind.WECHAT, TenderKind.ALIPAY)


def quantity_text(weighed: bool, quantity: int) -> str:
    return format_quantity(weighed, quantity) if quantity else ""


def parse_return_quantity(weighed: bool, text: str) -> int:
    """Kilograms for weighed lines (``0.5`` → 500 g), whole units otherwise; empty means none."""
    text = text.strip()
    if not text:
        return 0
    return parse_weight(text) if weighed else parse_units(text)


def receipt_number(text: str) -> str:
    """A receipt number as scanned or typed: spaces dropped, upper case (the service normalises further)."""
    return "".join(text.split()).upper()


def line_name(line: ReturnableLine) -> str:
    """A variant's colour and size tell two 羽绒服 lines apart."""
    variant = getattr(line, "variant", None)
    return f"{line.name} {variant}" if variant else line.name


class ReturnQuantities:
    """The receipt's lines and what the cashier chose to bring back of each (grams for weighed goods),
    with the refund the service planned per line."""

    def __init__(self) -> None:
        self.lines: list[ReturnableLine] = []
        self.qty: dict[int, int] = {}  # line_no -> quantity to return
        self.refund: dict[int, Fen] = {}  # line_no -> planned refund

    def set_lines(self, lines: list[ReturnableLine]) -> None:
        self.lines = list(lines)
        self.qty = {}
        self.refund = {}

    def line(self, row: int) -> ReturnableLine:
        return self.lines[row]

    def quantity(self, row: int) -> int:
        return self.qty.get(self.lines[row].line_no, 0)

    def quantities(self) -> dict[int, int]:
        """line_no -> quantity, only the lines coming back."""
        return {no: q for no, q in self.qty.items() if q > 0}

    def check(self, row: int, quantity: int) -> InvalidInput | None:
        """Why ``quantity`` cannot be returned on ``row`` (None when it can)."""
        ln = self.lines[row]
        if quantity < 0:
            return InvalidInput("A returned quantity cannot be negative", message_zh="退货数量不能为负")
        if quantity > ln.returnable:
            left = quantity_text(ln.weighed, ln.returnable) or "0"
            return InvalidInput(f"At most {left} of {ln.name} can still be returned (no more than was sold)",
                                message_zh=f"{ln.name} 最多还可退 {left}（不能超过售出数量）")
        return None

    def set_quantity(self, row: int, quantity: int) -> None:
        """Raise the refusal when ``quantity`` cannot come back; a new quantity clears the planned refunds."""
        problem = self.check(row, quantity)
        if problem is not None:
            raise problem
        self.qty[self.lines[row].line_no] = quantity
        self.refund = {}

    def set_text(self, row: int, text: str) -> None:
        """The quantity as typed (kilograms for weighed lines); PosError when it is no quantity or too many."""
        self.set_quantity(row, parse_return_quantity(self.lines[row].weighed, text))

    def set_refunds(self, planned: tuple[ReturnLine, ...]) -> None:
        self.refund = {ln.orig_line_no: ln.refund_fen for ln in planned if ln.orig_line_no is not None}

    def refund_of(self, row: int) -> Fen | None:
        """The planned refund of ``row``, None while nothing of it comes back or nothing is planned."""
        ln = self.lines[row]
        return self.refund.get(ln.line_no) if self.qty.get(ln.line_no, 0) else None

    def first_returnable(self, after: int = -1) -> int | None:
        return next((r for r in range(after + 1, len(self.lines)) if self.lines[r].returnable > 0), None)


class GoodsWithoutReceipt:
    """Goods coming back without a receipt: product and quantity, refunded in cash at today's price."""

    def __init__(self) -> None:
        self.rows: list[tuple[Product, int]] = []

    def items(self) -> list[tuple[Product, int]]:
        return [(p, q) for p, q in self.rows if q > 0]

    def joins(self, product: Product) -> int | None:
        """The row ``product`` adds to: a counted product already listed (each weighing is its own row)."""
        return next((i for i, (p, _q) in enumerate(self.rows) if p.sku == product.sku and not p.weighed), None)

    def add(self, product: Product, quantity: int) -> int:
        """Add goods (to :meth:`joins`'s row, else a new one); returns the row."""
        row = self.joins(product)
        if row is not None:
            self.rows[row] = (self.rows[row][0], self.rows[row][1] + quantity)
            return row
        self.rows.append((product, quantity))
        return len(self.rows) - 1

    def remove(self, row: int) -> bool:
        if 0 <= row < len(self.rows):
            del self.rows[row]
            return True
        return False

    def set_quantity(self, row: int, quantity: int) -> bool:
        """The new quantity of ``row``; 0 (or less) takes the row off. True when the row is gone."""
        if quantity <= 0:
            self.remove(row)
            return True
        self.rows[row] = (self.rows[row][0], quantity)
        return False

    def set_text(self, row: int, text: str) -> bool:
        """The quantity as typed (kilograms for weighed goods); PosError when it is no quantity."""
        return self.set_quantity(row, parse_return_quantity(self.rows[row][0].weighed, text))

    @staticmethod
    def refund(product: Product, quantity: int) -> Fen:
        return weighed_amount(product.price_fen, quantity) if product.weighed else product.price_fen * quantity

    def total_fen(self) -> Fen:
        return sum(self.refund(p, q) for p, q in self.rows)


class Next(enum.Enum):
    """What 确认退货 (F12, or Enter in an empty quantity field) leads to."""

    CLOSE = "close"  # the return is done: Enter/F12 closes the dialog
    WAIT = "wait"  # a lookup, plan or return is on its way
    NO_GOODS = "no_goods"  # without a receipt, nothing scanned yet
    NO_SALE = "no_sale"  # no receipt looked up yet
    NO_QUANTITIES = "no_quantities"  # a receipt, but nothing chosen to come back
    RETURN = "return"  # ask the service to return (it asks for a manager's PIN when the role needs one)


@dataclass(frozen=True, slots=True)
class QuantityEntered:
    """Enter in a quantity field: confirm (nothing typed), no line selected, refused, or taken — and then
    the next line that can still come back is selected."""

    confirm: bool = False
    no_row: bool = False
    error: PosError | None = None
    next_row: int | None = None


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """Ask the service what these quantities refund; the answer counts only while ``generation`` is current."""

    generation: int
    receipt_no: str
    quantities: dict[int, int]
    voucher_refund_to: TenderKind


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    """What to return: goods without a receipt (``items``) or lines of ``receipt_no``."""

    without_receipt: bool
    items: list[tuple[Product, int]] = field(default_factory=list)
    receipt_no: str = ""
    quantities: dict[int, int] = field(default_factory=dict)
    voucher_refund_to: TenderKind = TenderKind.CASH


@dataclass
class ReturnsPresenter:
    """The state of one return dialog."""

    by_receipt: ReturnQuantities = field(default_factory=ReturnQuantities)
    goods: GoodsWithoutReceipt = field(default_factory=GoodsWithoutReceipt)
    without_receipt: bool = False
    busy: bool = False
    sale: Sale | None = None
    refunds: tuple[Tender, ...] = ()
    voucher_refunded: bool = False  # the planned refund pays a voucher's share another way
    voucher_refund_to: TenderKind = TenderKind.CASH
    result: CompletedReturn | None = None
    _generation: int = 0

    # -- mode ---------------------------------------------------------------------------------

    def set_mode(self, without_receipt: bool) -> bool:
        """By receipt or without one; not once the return is done or while the service works."""
        if self.result is not None or self.busy:
            return False
        self.without_receipt = without_receipt
        return True

    # -- by receipt ---------------------------------------------------------------------------

    def start_lookup(self, text: str) -> str | None:
        """Enter in the receipt field: the number to look up (and busy until :meth:`found`), or None when
        nothing was typed or a lookup is already on its way."""
        number = receipt_number(text)
        if self.busy or not number:
            return None
        self.busy = True
        return number

    def lookup_failed(self) -> None:
        self.busy = False

    def found(self, sale: Sale, lines: list[ReturnableLine]) -> int | None:
        """The sale and what can still come back; the first row that can (None: all returned already)."""
        self.busy = False
        self.sale = sale
        self.refunds = ()
        self.voucher_refunded = False
        self.voucher_refund_to = TenderKind.CASH  # cash, unless the cashier picks another way
        self.by_receipt.set_lines(lines)
        return self.by_receipt.first_returnable()

    @property
    def has_voucher(self) -> bool:
        """The sale was paid partly by a single-use voucher: its share of a refund goes back another way."""
        return self.sale is not None and any(t.kind in SINGLE_USE for t in self.sale.tenders)

    def choose_voucher_refund(self, kind: TenderKind) -> None:
        if kind not in VOUCHER_REFUND_KINDS:
            raise InvalidInput(f"A voucher's share cannot be refunded by {kind.value}",
                               message_zh=f"消费券部分不能退到{kind.label_zh}")
        self.voucher_refund_to = kind

    def set_quantity_text(self, row: int, text: str) -> None:
        """The quantity typed for ``row``; PosError when it is no quantity or more than can come back."""
        if self.sale is None or not 0 <= row < len(self.by_receipt.lines):
            raise InvalidInput("Scan or type the receipt number first", message_zh="请先扫描或输入原小票号")
        self.by_receipt.set_text(row, text)

    def enter_quantity(self, row: int | None, text: str) -> QuantityEntered:
        """Enter in the receipt's quantity field: an empty field confirms the return; otherwise the
        quantity for the selected line, and on to the next line that can still come back."""
        if not text.strip():
            return QuantityEntered(confirm=True)
        if row is None:
            return QuantityEntered(no_row=True)
        try:
            self.set_quantity_text(row, text)
        except PosError as exc:
            return QuantityEntered(error=exc)
        return QuantityEntered(next_row=self.by_receipt.first_returnable(row))

    def return_line(self, row: int) -> bool:
        """本行全退: everything still returnable on ``row``."""
        if self.sale is None or not 0 <= row < len(self.by_receipt.lines):
            return False
        self.by_receipt.set_quantity(row, self.by_receipt.line(row).returnable)
        return True

    def return_everything(self) -> bool:
        """整单全退: everything still returnable on every line."""
        if self.sale is None:
            return False
        for row, ln in enumerate(self.by_receipt.lines):
            self.by_receipt.set_quantity(row, ln.returnable)
        return True

    def plan_request(self) -> PlanRequest | None:
        """The quantities changed: any plan on its way is stale now. None when there is nothing to plan."""
        self._generation += 1
        self.refunds = ()
        self.voucher_refunded = False
        quantities = self.by_receipt.quantities()
        if self.sale is None or not quantities:
            return None
        return PlanRequest(self._generation, self.sale.receipt_no, quantities, self.voucher_refund_to)

    def planned(self, generation: int, plan: Any) -> bool:
        """The service's ReturnPlan (lines, refunds, instead_of); False when a newer plan was asked for."""
        if generation != self._generation:
            return False
        lines, refunds = (plan.lines, plan.refunds) if hasattr(plan, "refunds") else plan
        self.refunds = tuple(refunds)
        self.voucher_refunded = bool(any(getattr(plan, "instead_of", ()) or ()))
        self.by_receipt.set_refunds(lines)
        return True

    def plan_failed(self, generation: int) -> bool:
        if generation != self._generation:
            return False
        self.refunds = ()
        self.voucher_refunded = False
        return True

    def refund_total(self) -> Fen:
        return sum(t.amount_fen for t in self.refunds)

    # -- confirming ---------------------------------------------------------------------------

    def next_step(self) -> Next:
        if self.result is not None:
            return Next.CLOSE
        if self.busy:
            return Next.WAIT
        if self.without_receipt:
            return Next.RETURN if self.goods.items() else Next.NO_GOODS
        if self.sale is None:
            return Next.NO_SALE
        return Next.RETURN if self.by_receipt.quantities() else Next.NO_QUANTITIES

    def return_request(self) -> ReturnRequest:
        """What to ask the service for (after :meth:`next_step` said RETURN); busy until the answer."""
        self.busy = True
        if self.without_receipt:
            return ReturnRequest(True, items=self.goods.items())
        assert self.sale is not None
        return ReturnRequest(False, receipt_no=self.sale.receipt_no, quantities=self.by_receipt.quantities(),
                             voucher_refund_to=self.voucher_refund_to)

    def return_failed(self) -> None:
        self.busy = False

    def returned(self, done: CompletedReturn) -> None:
        self.busy = False
        self.result = done
