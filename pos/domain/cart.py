"""The cart being rung up: immutable values; every change returns a new cart.

Amounts: a line's *gross* is quantity × unit price (or the scale label's printed amount); its
*amount* is gross less the line discount. The sale's total is Σ amounts less the whole-sale
discount, plus the signed 抹零 adjustment (see :meth:`Cart.totals`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .catalog import Product
from .errors import CartError
from .limits import (
    NeededApproval,
    SaleNeedsApproval,
    apply_approval,
    line_need,
    override_need,
    required_approvals,
    sale_need,
)
from .money import MAX_AMOUNT_FEN, Fen, format_yuan, weighed_amount
from .permissions import Action, Approval, Grant, check, grant
from .pricing import Discount, RoundingMode, rounding_adjustment
from .users import Role

MAX_UNITS_PER_LINE = 9_999
MAX_GRAMS_PER_LINE = 500_000  # half a tonne: more is a typo or a stuck scale
MAX_LINES = 500


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
class CartLine:
    """A product and how much of it. ``quantity`` is units, or grams for weighed goods."""

    product: Product
    quantity: int
    price_fen: Fen | None = None  # overridden unit price (per kg when weighed); None = catalogue price
    label_amount_fen: Fen | None = None  # a scale label's printed amount: charged as printed
    discount: Discount | None = None
    approvals: tuple[Approval, ...] = ()

    def __post_init__(self) -> None:
        check_quantity(self.product, self.quantity)
        if self.label_amount_fen is not None and not 0 < self.label_amount_fen <= MAX_AMOUNT_FEN:
            raise CartError("the scale label's amount is not valid", message_zh="称重条码金额无效")

    @property
    def unit_price_fen(self) -> Fen:
        return self.product.price_fen if self.price_fen is None else self.price_fen

    @property
    def gross_fen(self) -> Fen:
        if self.label_amount_fen is not None and self.price_fen is None:
            return self.label_amount_fen
        if self.product.weighed:
            return weighed_amount(self.unit_price_fen, self.quantity)
        return self.unit_price_fen * self.quantity

    @property
    def discount_fen(self) -> Fen:
        return self.discount.off(self.gross_fen) if self.discount else 0

    @property
    def amount_fen(self) -> Fen:
        return self.gross_fen - self.discount_fen

    @property
    def quantity_text(self) -> str:
        return format_quantity(self.product.weighed, self.quantity)

    @property
    def plain(self) -> bool:
        """Nothing special about the line: a new scan of the same product may add to it."""
        return self.price_fen is None and self.label_amount_fen is None and self.discount is None


@dataclass(frozen=True, slots=True)
class CartTotals:
    gross_fen: Fen  # Σ line gross (合计)
    line_discount_fen: Fen
    sale_discount_fen: Fen
    rounding_fen: Fen  # signed 抹零
    total_fen: Fen  # 应收

    @property
    def discount_fen(self) -> Fen:
        return self.line_discount_fen + self.sale_discount_fen


def _nothing_to_discount(base: Fen) -> None:
    if base <= 0:
        raise CartError("there is nothing to discount", message_zh="没有可打折的金额")


def _bind(need: NeededApproval | None, role: Role, approval: Approval | None) -> tuple[Approval, ...]:
    """Early feedback at the keystroke: refuse what needs a manager unless ``approval`` is given,
    and bind the approval to exactly what it was given for (the commit checks it again)."""
    if need is None:
        return ()
    if approval is None and grant(role, need.action) is Grant.WITH_APPROVAL:
        raise SaleNeedsApproval((need,))  # says what is over, and by how much
    check(role, need.action, approval, detail=need.what_zh)
    if approval is None:  # the role may do it alone
        return ()
    return (need.scope(approval),)


@dataclass(frozen=True, slots=True)
class Cart:
    lines: tuple[CartLine, ...] = field(default_factory=tuple)
    discount: Discount | None = None  # whole-sale discount, on Σ line amounts
    approvals: tuple[Approval, ...] = ()  # sale-level approvals (whole-sale discount)

    # -- reading --------------------------------------------------------------------------
    def totals(self, rounding: RoundingMode = RoundingMode.NONE) -> CartTotals:
        gross = sum(ln.gross_fen for ln in self.lines)
        line_disc = sum(ln.discount_fen for ln in self.lines)
        after_lines = gross - line_disc
        sale_disc = self.discount.off(after_lines) if self.discount else 0
        before_rounding = after_lines - sale_disc
        adj = rounding_adjustment(before_rounding, rounding)
        return CartTotals(gross, line_disc, sale_disc, adj, before_rounding + adj)

    @property
    def total_fen(self) -> Fen:
        """What is due before 抹零 (the store's rounding is applied by :meth:`totals`)."""
        return self.totals().total_fen

    @property
    def item_count(self) -> int:
        """Units for counted goods, one per weighed line."""
        return sum(1 if ln.product.weighed else ln.quantity for ln in self.lines)

    def is_empty(self) -> bool:
        return not self.lines

    def describe_total(self) -> str:
        return format_yuan(self.total_fen, symbol=True)

    # -- changing -------------------------------------------------------------------------
    def add(self, product: Product, quantity: int = 1, *, label_amount_fen: Fen | None = None) -> Cart:
        """Add a product. Scanning a counted product already in the cart adds to its plain line."""
        if not product.active:
            raise CartError(f"{product.name} is no longer on sale", message_zh=f"{product.name} 已停售")
        if not product.weighed and label_amount_fen is None:
            for i, line in enumerate(self.lines):
                if line.product.sku == product.sku and line.plain and line.product.price_fen == product.price_fen:
                    return self.set_quantity(i, line.quantity + quantity)
        if len(self.lines) >= MAX_LINES:
            raise CartError("the sale has too many lines", message_zh="本单商品行过多，请分单结算")
        return self._with_lines(self.lines + (CartLine(product, quantity, label_amount_fen=label_amount_fen),))

    def set_quantity(self, index: int, quantity: int) -> Cart:
        line = self.line(index)
        if line.label_amount_fen is not None:
            raise CartError("a scale-labelled item is sold as weighed; scan another label instead",
                            message_zh="称重条码商品按标签计价，不能改数量，请重新扫码")
        return self._replace_line(index, replace(line, quantity=quantity))

    def remove(self, index: int) -> Cart:
        self.line(index)
        return self._with_lines(self.lines[:index] + self.lines[index + 1:])

    def discount_line(self, index: int, d: Discount | None, *, by: Role, approval: Approval | None = None) -> Cart:
        """A discount on one line; over ``by``'s limit (exactly: 10 % of any amount is not over) it needs ``approval``."""
        line = self.line(index)
        if d is None:
            return self._replace_line(index, replace(line, discount=None))
        _nothing_to_discount(line.gross_fen)
        new = self._replace_line(index, replace(line, discount=d))
        bound = _bind(line_need(new, index, by), by, approval)
        return new._replace_line(index, replace(new.lines[index], approvals=line.approvals + bound)) if bound else new

    def override_price(self, index: int, price_fen: Fen, *, by: Role, approval: Approval | None = None) -> Cart:
        line = self.line(index)
        if not isinstance(price_fen, int) or isinstance(price_fen, bool) or price_fen < 0 or price_fen > MAX_AMOUNT_FEN:
            raise CartError("the new price is not valid", message_zh="新价格无效")
        check(by, Action.PRICE_OVERRIDE, approval,
              detail=f"{line.product.name} {format_yuan(line.unit_price_fen)} → {format_yuan(price_fen)}")
        new = self._replace_line(index, replace(line, price_fen=price_fen))
        bound = _bind(override_need(new, index, by), by, approval)
        return new._replace_line(index, replace(new.lines[index], approvals=line.approvals + bound)) if bound else new

    def discount_sale(self, d: Discount | None, *, by: Role, approval: Approval | None = None) -> Cart:
        """A discount on the whole sale. Measured with the lines' discounts: 10 % on a line and 9折 on
        the sale is 19 % off, over a cashier's limit."""
        if d is None:
            return Cart(self.lines, None, self.approvals)
        _nothing_to_discount(sum(ln.amount_fen for ln in self.lines))
        new = Cart(self.lines, d, self.approvals)
        return Cart(self.lines, d, self.approvals + _bind(sale_need(new, by), by, approval))

    def approve(self, need: NeededApproval, approval: Approval) -> Cart:
        """The cart with ``approval`` bound to ``need`` (one of :meth:`required_approvals`)."""
        return apply_approval(self, need, approval)

    def required_approvals(self, role: Role, rounding: RoundingMode = RoundingMode.NONE) -> tuple[NeededApproval, ...]:
        """What a manager must still approve before ``role`` may commit this cart (see :mod:`.limits`)."""
        return required_approvals(self, role, rounding)

    def line(self, index: int) -> CartLine:
        if not 0 <= index < len(self.lines):
            raise CartError("no such line in the sale", message_zh="本单中没有这一行")
        return self.lines[index]

    def _replace_line(self, index: int, new: CartLine) -> Cart:
        return self._with_lines(self.lines[:index] + (new,) + self.lines[index + 1:])

    def _with_lines(self, lines: tuple[CartLine, ...]) -> Cart:
        return Cart(lines, self.discount, self.approvals)
