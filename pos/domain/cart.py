"""The cart being rung up: immutable values; every change returns a new cart."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .catalog import Product
from .errors import CartError
from .money import Fen, format_yuan, weighed_amount

MAX_UNITS_PER_LINE = 9_999
MAX_GRAMS_PER_LINE = 500_000  # half a tonne: more is a typo or a stuck scale
MAX_LINES = 500


@dataclass(frozen=True, slots=True)
class CartLine:
    """A product and how much of it. ``quantity`` is units, or grams for weighed goods."""

    product: Product
    quantity: int

    def __post_init__(self) -> None:
        check_quantity(self.product, self.quantity)

    @property
    def amount_fen(self) -> Fen:
        if self.product.weighed:
            return weighed_amount(self.product.price_fen, self.quantity)
        return self.product.price_fen * self.quantity

    @property
    def quantity_text(self) -> str:
        return format_quantity(self.product.weighed, self.quantity)


def format_quantity(weighed: bool, quantity: int) -> str:
    """``2`` for counted goods, ``1.255kg`` for weighed goods (quantity in grams)."""
    if weighed:
        return f"{quantity // 1000}.{quantity % 1000:03d}kg"
    return str(quantity)


def check_quantity(product: Product, quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise CartError("quantity must be a whole number", message_zh="数量必须是整数")
    if quantity <= 0:
        raise CartError(
            f"quantity for {product.name} must be more than zero",
            message_zh=f"{product.name} 的数量必须大于零",
        )
    limit = MAX_GRAMS_PER_LINE if product.weighed else MAX_UNITS_PER_LINE
    if quantity > limit:
        shown = f"{limit // 1000} kg" if product.weighed else str(limit)
        raise CartError(
            f"quantity for {product.name} is more than {shown}; please check it",
            message_zh=f"{product.name} 的数量超过 {shown}，请核对",
        )


@dataclass(frozen=True, slots=True)
class Cart:
    lines: tuple[CartLine, ...] = field(default_factory=tuple)

    @property
    def total_fen(self) -> Fen:
        return sum(line.amount_fen for line in self.lines)

    @property
    def item_count(self) -> int:
        """Units for counted goods, one per weighed line."""
        return sum(1 if ln.product.weighed else ln.quantity for ln in self.lines)

    def is_empty(self) -> bool:
        return not self.lines

    def add(self, product: Product, quantity: int = 1) -> Cart:
        """Add a product. Scanning a counted product that is already in the cart adds to its line."""
        if not product.active:
            raise CartError(f"{product.name} is no longer on sale", message_zh=f"{product.name} 已停售")
        if not product.weighed:
            for i, line in enumerate(self.lines):
                if line.product.sku == product.sku and line.product.price_fen == product.price_fen:
                    return self.set_quantity(i, line.quantity + quantity)
        if len(self.lines) >= MAX_LINES:
            raise CartError("the sale has too many lines", message_zh="本单商品行过多，请分单结算")
        return Cart(self.lines + (CartLine(product, quantity),))

    def set_quantity(self, index: int, quantity: int) -> Cart:
        line = self._line(index)
        new = replace(line, quantity=quantity)
        return Cart(self.lines[:index] + (new,) + self.lines[index + 1:])

    def remove(self, index: int) -> Cart:
        self._line(index)
        return Cart(self.lines[:index] + self.lines[index + 1:])

    def _line(self, index: int) -> CartLine:
        if not 0 <= index < len(self.lines):
            raise CartError("no such line in the sale", message_zh="本单中没有这一行")
        return self.lines[index]

    def describe_total(self) -> str:
        return format_yuan(self.total_fen, symbol=True)
