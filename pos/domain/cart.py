"""The cart being rung up: immutable values; every change returns a new cart.

Amounts: a line's *gross* is quantity × unit price (or the scale label's printed amount); its
*amount* is gross less the line discount. The sale's total is Σ amounts less what the promotions in
force take off (促销, pos.domain.promotions), less the whole-sale discount (整单折扣, applied after
promotions), less the member's points redeemed (积分抵扣), plus the signed 抹零 adjustment (see
:meth:`Cart.totals`).

The promotions are worked out again from the whole cart at every change (the engine is pure and
independent of scan order); the cart keeps the book in force when the sale began (:class:`PromoContext`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

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
from .members import Member, PointsRule, check_redeem
from .money import MAX_AMOUNT_FEN, Fen, format_yuan, weighed_amount
from .permissions import Action, Approval, Grant, check, grant
from .pricing import Discount, RoundingMode, rounding_adjustment
from .users import Role

if TYPE_CHECKING:  # the engine is imported when a cart first asks it (pos.domain.promotions)
    from .promotions import PromoBook, PromoItem, PromoResult

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

    def promo_item(self, key: int) -> PromoItem:
        """The line as the promotion engine sees it. A line whose price was changed by hand (an override,
        a line discount, a scale label's printed amount) is ``manual``: it counts at what it is charged
        and takes part only in the spend thresholds of stackable promotions."""
        from .promotions import PromoItem

        p = self.product
        manual = not self.plain
        return PromoItem(key=key, sku=p.sku, category=p.category, origin=p.origin, weighed=p.weighed,
                         quantity=self.quantity, unit_price_fen=self.unit_price_fen,
                         gross_fen=self.amount_fen if manual else self.gross_fen, manual=manual)


@dataclass(frozen=True, slots=True)
class PromoContext:
    """What prices a sale beyond the catalogue: the promotions in force when it began (``book``, with its
    ``version``), when it began (``started_at``, store local time: time-limited offers are judged then),
    and the member on it (会员), if any."""

    book: PromoBook | None = None
    version: int = 0
    started_at: datetime | None = None
    member: Member | None = None


@dataclass(frozen=True, slots=True)
class CartTotals:
    gross_fen: Fen  # Σ line gross (合计)
    line_discount_fen: Fen
    sale_discount_fen: Fen
    rounding_fen: Fen  # signed 抹零
    total_fen: Fen  # 应收
    promotion_fen: Fen = 0  # 促销: what the promotions took off
    points_fen: Fen = 0  # 积分抵扣: what the member's points paid
    promo: PromoResult | None = None  # the engine's result: each line's share and the named promotions

    @property
    def discount_fen(self) -> Fen:
        return self.line_discount_fen + self.sale_discount_fen

    def promo_off(self, index: int) -> Fen:
        """What promotions took off line ``index`` (0 when none)."""
        return self.promo.off_for(index) if self.promo is not None else 0


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


# The promotions of the last cart priced (a cart never changes, so its result is kept by identity): the
# screen shows a cart's totals and payment and the commit ask again for the same cart.
_LAST_PROMO: tuple[Cart, PromoResult] | None = None


def _remember(cart: Cart, promo: PromoResult) -> None:
    global _LAST_PROMO
    _LAST_PROMO = (cart, promo)


@dataclass(frozen=True, slots=True)
class Cart:
    lines: tuple[CartLine, ...] = field(default_factory=tuple)
    discount: Discount | None = None  # whole-sale discount, on Σ line amounts after promotions
    approvals: tuple[Approval, ...] = ()  # sale-level approvals (whole-sale discount)
    context: PromoContext | None = None  # promotions in force and the member; None: catalogue prices only
    points_redeemed: int = 0  # the member's points used on this sale (积分抵扣) …
    points_fen: Fen = 0  # … and what they pay (taken off after the whole-sale discount)

    # -- reading --------------------------------------------------------------------------
    @property
    def member(self) -> Member | None:
        return self.context.member if self.context is not None else None

    def promotions(self) -> PromoResult | None:
        """What the promotions in force take off this cart, line by line and by name (None: no book)."""
        ctx = self.context
        if ctx is None or ctx.book is None or not self.lines:
            return None
        at = ctx.started_at if ctx.started_at is not None else datetime.now()
        member = ctx.member
        return ctx.book.apply([ln.promo_item(i) for i, ln in enumerate(self.lines)],
                              member_tier=member.tier if member is not None else None, at=at)

    def totals(self, rounding: RoundingMode = RoundingMode.NONE) -> CartTotals:
        last = _LAST_PROMO
        if last is not None and last[0] is self:  # the same (immutable) cart again: the screen, then the commit
            promo = last[1]
        else:
            promo = self.promotions()
            if promo is not None:
                _remember(self, promo)
        gross = sum(ln.gross_fen for ln in self.lines)
        line_disc = sum(ln.discount_fen for ln in self.lines)
        promo_off = promo.total_off_fen if promo is not None else 0
        after_lines = gross - line_disc - promo_off
        sale_disc = self.discount.off(after_lines) if self.discount else 0
        before_points = after_lines - sale_disc
        points = min(self.points_fen, max(0, before_points))
        before_rounding = before_points - points
        adj = rounding_adjustment(before_rounding, rounding)
        return CartTotals(gross, line_disc, sale_disc, adj, before_rounding + adj, promo_off, points, promo)

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
            return replace(self, discount=None)
        _nothing_to_discount(sum(ln.amount_fen for ln in self.lines))
        new = replace(self, discount=d)
        return replace(new, approvals=self.approvals + _bind(sale_need(new, by), by, approval))

    def with_context(self, context: PromoContext | None) -> Cart:
        """The cart priced with ``context``'s promotions and member (points used so far are let go)."""
        return replace(self, context=context, points_redeemed=0, points_fen=0)

    def with_member(self, member: Member | None) -> Cart:
        """The member on the sale (会员), or none; a removed member's points are no longer used."""
        ctx = self.context if self.context is not None else PromoContext()
        return self.with_context(replace(ctx, member=member))

    def redeem_points(self, points: int, rule: PointsRule) -> Cart:
        """Use ``points`` of the member's points on this sale (0: none), within the rule's limit on what
        is due after promotions and the whole-sale discount."""
        member = self.member
        if member is None:
            if points:
                raise CartError("find the member first: points belong to a member", message_zh="请先识别会员再使用积分")
            return replace(self, points_redeemed=0, points_fen=0)
        base = replace(self, points_redeemed=0, points_fen=0)
        t = base.totals()
        fen = check_redeem(rule, points, member.points, t.total_fen)
        return replace(base, points_redeemed=points, points_fen=fen)

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
        # Points are redeemed against a total: a changed cart asks for them again.
        return replace(self, lines=lines, points_redeemed=0, points_fen=0)
