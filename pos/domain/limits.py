"""The limits of a sale as a whole: what a role may take off without a manager, and whether the
approvals on the cart cover what the final cart takes off.

The rule is checked when the sale is committed (``CheckoutService.complete_sale``), the one place
no caller can bypass; the cart's checks at each keystroke only give early feedback. Whatever the
order of scans, quantity changes, voids, discounts and recalls, the final cart is measured:

- **a line's discount** against that line's value (a cashier: at most 10 % without a PIN);
- **the sale's discounts together** (each line's discount up to the limit — beyond it the line's
  own approval answers — plus the whole-sale discount) against the sale's value: 10 % on a line
  then 9折 on the sale is 19 % and needs a manager; a fixed ¥ off the sale that becomes the whole
  sale once the big line is voided needs one too;
- **a price override**: always needs a manager for a cashier, and the approval covers the price
  the manager saw, not another one.

The value of a line is its list value at the prices in force on it (the catalogue price, or the
price a manager approved). 抹零 at the store's configured mode is never counted against anyone;
the cart has no other rounding.

Ratios are exact (:class:`fractions.Fraction`): a percent discount counts at its nominal rate,
before its fen is rounded, so 10 % of ¥21.08 is 10 % and "not over 10 %".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

from .errors import CartError
from .money import Fen, format_yuan
from .permissions import (
    CASHIER_DISCOUNT_LIMIT_BP,
    Action,
    Approval,
    ApprovalRequired,
    Grant,
    NotPermitted,
    grant,
)
from .pricing import Discount, DiscountKind, RoundingMode
from .users import Role

if TYPE_CHECKING:
    from .cart import Cart, CartLine

BP = 10_000


def limit_of(role: Role) -> Fraction | None:
    """The share of a sale ``role`` may take off alone; ``None`` when there is no limit (a manager)."""
    if grant(role, Action.DISCOUNT_OVER_LIMIT) is Grant.ALONE:
        return None
    return Fraction(CASHIER_DISCOUNT_LIMIT_BP, BP)


def discount_off(d: Discount, base: Fen) -> Fraction:
    """What ``d`` takes off ``base``, exactly: a percent at its nominal rate (before the fen is rounded)."""
    if base <= 0:
        return Fraction(0)
    if d.kind is DiscountKind.PERCENT:
        return Fraction(min(d.value, BP), BP) * base
    return Fraction(min(d.value, base))


def ceil_bp(ratio: Fraction) -> int:
    """``ratio`` in basis points, rounded up (an approval never covers less than was asked)."""
    return -((-ratio.numerator * BP) // ratio.denominator)


def format_bp(bp: int) -> str:
    """``1900`` → ``19``, ``990`` → ``9.9``, ``1234`` → ``12.34`` (percent, no float)."""
    whole, frac = divmod(bp, 100)
    return f"{whole}.{frac:02d}".rstrip("0").rstrip(".") if frac else str(whole)


def over(ratio: Fraction, limit: Fraction | None) -> bool:
    return limit is not None and ratio > limit


@dataclass(frozen=True, slots=True)
class NeededApproval:
    """One thing in the cart a manager still has to approve before the sale may be committed.

    ``line`` is the line's index (``None`` for the whole sale); ``percent_bp`` / ``amount_fen`` /
    ``price_fen`` are the scope the approval will be given for.
    """

    action: Action
    line: int | None
    sku: str | None
    what: str
    what_zh: str
    percent_bp: int | None = None
    amount_fen: int | None = None
    price_fen: int | None = None

    def scope(self, approval: Approval) -> Approval:
        """``approval`` (for this action, from someone who may approve it) bound to exactly this need.

        An approval is bound once: one already bound to something must cover this need as it is,
        so that a manager's yes to ¥39.90 cannot be carried over to ¥1.00.
        """
        if approval.action is not self.action:
            raise ApprovalRequired(self.action, self.what_zh)
        if grant(approval.approver_role, self.action) is not Grant.ALONE:
            raise NotPermitted(approval.approver_role, self.action)  # only who may do it alone may approve it
        if approval.scoped:
            if not self.covered_by(approval):
                raise SaleNeedsApproval((self,))
            return approval
        return replace(approval, percent_bp=self.percent_bp, amount_fen=self.amount_fen, price_fen=self.price_fen)

    def covered_by(self, approval: Approval) -> bool:
        if self.action is Action.PRICE_OVERRIDE:
            return self.price_fen is not None and covers_price(approval, self.price_fen)
        if self.percent_bp is None:
            return False
        return covers_discount(approval, Fraction(self.percent_bp, BP), self.amount_fen)


class SaleNeedsApproval(ApprovalRequired):
    """The final cart goes beyond what the cashier may give alone; ``needs`` says what and where."""

    code = "sale_needs_approval"

    def __init__(self, needs: tuple[NeededApproval, ...]) -> None:
        super().__init__(needs[0].action, "；".join(n.what_zh for n in needs))
        self.needs = needs
        actions = list(dict.fromkeys(n.action for n in needs))
        who, who_zh = ((actions[0].label_en[:1].upper() + actions[0].label_en[1:], actions[0].label_zh)
                       if len(actions) == 1 else ("The sale", "本单"))
        self.message = f"{who} needs a manager's approval: " + "; ".join(n.what for n in needs)
        self.message_zh = f"{who_zh}需要店长授权：" + "；".join(n.what_zh for n in needs)
        self.args = (self.message,)


def _approver_ok(a: Approval, action: Action) -> bool:
    return a.action is action and grant(a.approver_role, action) is Grant.ALONE


def covers_discount(a: Approval, ratio: Fraction, off_fen: Fen | None = None) -> bool:
    """Whether ``a`` approved taking ``ratio`` off (and, when it names an amount, ``off_fen``)."""
    if not _approver_ok(a, Action.DISCOUNT_OVER_LIMIT) or a.percent_bp is None:
        return False
    if ratio > Fraction(a.percent_bp, BP):
        return False
    return a.amount_fen is None or off_fen is None or off_fen <= a.amount_fen


def covers_price(a: Approval, price_fen: Fen) -> bool:
    return _approver_ok(a, Action.PRICE_OVERRIDE) and a.price_fen == price_fen


def _pct(ratio: Fraction) -> str:
    return format_bp(ceil_bp(ratio))


def line_need(cart: Cart, index: int, role: Role) -> NeededApproval | None:
    """The approval line ``index``'s discount still needs, if it is over ``role``'s limit."""
    ln = cart.lines[index]
    limit = limit_of(role)
    if ln.discount is None or ln.gross_fen <= 0 or limit is None:
        return None
    ratio = discount_off(ln.discount, ln.gross_fen) / ln.gross_fen
    if not over(ratio, limit):
        return None
    amount = ln.discount_fen if ln.discount.kind is DiscountKind.AMOUNT else None
    if any(covers_discount(a, ratio, ln.discount_fen) for a in ln.approvals):
        return None
    name = ln.product.name
    return NeededApproval(
        Action.DISCOUNT_OVER_LIMIT, index, ln.product.sku,
        f"line {index + 1} {name}: {_pct(ratio)} % off {format_yuan(ln.gross_fen)} yuan is over the cashier's "
        f"{format_bp(CASHIER_DISCOUNT_LIMIT_BP)} %",
        f"第 {index + 1} 行 {name} 优惠 {_pct(ratio)}%（{format_yuan(ln.gross_fen, symbol=True)} 中减 "
        f"{format_yuan(ln.discount_fen, symbol=True)}），超过 {format_bp(CASHIER_DISCOUNT_LIMIT_BP)}%",
        percent_bp=ceil_bp(ratio), amount_fen=amount)


def _own_share(ln: CartLine, limit: Fraction) -> Fraction:
    """A line's discount as it counts towards the sale: beyond the limit the line's own approval answers."""
    if ln.discount is None or ln.gross_fen <= 0:
        return Fraction(0)
    return min(discount_off(ln.discount, ln.gross_fen), limit * ln.gross_fen)


def sale_measure(cart: Cart, role: Role) -> tuple[Fraction, Fen]:
    """(the sale's discounts as ``role``'s own reductions, the sale's value), both exact."""
    limit = limit_of(role) or Fraction(CASHIER_DISCOUNT_LIMIT_BP, BP)
    value = sum(ln.gross_fen for ln in cart.lines)
    off = sum((_own_share(ln, limit) for ln in cart.lines), Fraction(0))
    if cart.discount is not None:
        off += discount_off(cart.discount, sum(ln.amount_fen for ln in cart.lines))
    return off, value


def sale_need(cart: Cart, role: Role) -> NeededApproval | None:
    """The approval the sale's discounts together still need, if they are over ``role``'s limit."""
    limit = limit_of(role)
    if limit is None:
        return None
    off, value = sale_measure(cart, role)
    if value <= 0 or not over(off / value, limit):
        return None
    ratio = off / value
    if any(covers_discount(a, ratio) for a in cart.approvals):
        return None
    shown_off = format_yuan(int(off), symbol=True) if off.denominator == 1 else f"约{format_yuan(round(off), symbol=True)}"
    return NeededApproval(
        Action.DISCOUNT_OVER_LIMIT, None, None,
        f"discounts on the sale come to {_pct(ratio)} % of {format_yuan(value)} yuan, over the cashier's "
        f"{format_bp(CASHIER_DISCOUNT_LIMIT_BP)} %",
        f"整单优惠合计 {_pct(ratio)}%（{format_yuan(value, symbol=True)} 中减 {shown_off}），"
        f"超过 {format_bp(CASHIER_DISCOUNT_LIMIT_BP)}%",
        percent_bp=ceil_bp(ratio))


def override_need(cart: Cart, index: int, role: Role) -> NeededApproval | None:
    """The approval line ``index``'s price override still needs (a cashier's always does)."""
    ln = cart.lines[index]
    if ln.price_fen is None or ln.price_fen == ln.product.price_fen:
        return None
    if grant(role, Action.PRICE_OVERRIDE) is Grant.ALONE:
        return None
    if any(covers_price(a, ln.price_fen) for a in ln.approvals):
        return None
    name = ln.product.name
    old, new = format_yuan(ln.product.price_fen), format_yuan(ln.price_fen)
    return NeededApproval(
        Action.PRICE_OVERRIDE, index, ln.product.sku,
        f"line {index + 1} {name}: price changed from {old} to {new} yuan",
        f"第 {index + 1} 行 {name} 改价 {old} → {new}", price_fen=ln.price_fen)


def required_approvals(cart: Cart, role: Role, rounding_mode: RoundingMode = RoundingMode.NONE) -> tuple[NeededApproval, ...]:
    """Every approval the final ``cart`` still needs before ``role`` may commit it (none: it may).

    ``rounding_mode`` is the store's 抹零 setting the sale is committed with; 抹零 at that mode is
    the store's own choice and never counts as a reduction, and the cart has no other rounding.
    """
    del rounding_mode  # 抹零 at the store's mode is never the cashier's reduction (see the module doc)
    needs: list[NeededApproval] = []
    for i in range(len(cart.lines)):
        for need in (override_need(cart, i, role), line_need(cart, i, role)):
            if need is not None:
                needs.append(need)
    whole = sale_need(cart, role)
    if whole is not None:
        needs.append(whole)
    return tuple(needs)


def apply_approval(cart: Cart, need: NeededApproval, approval: Approval) -> Cart:
    """``cart`` with ``approval`` bound to ``need`` (on its line, or on the sale)."""
    scoped = need.scope(approval)
    if need.line is None:
        return replace(cart, approvals=cart.approvals + (scoped,))
    if not 0 <= need.line < len(cart.lines) or cart.lines[need.line].product.sku != need.sku:
        raise CartError("the sale changed while the approval was asked; ask again",
                        message_zh="授权期间本单已变化，请重新授权")
    ln = cart.lines[need.line]
    lines = cart.lines[:need.line] + (replace(ln, approvals=ln.approvals + (scoped,)),) + cart.lines[need.line + 1:]
    return replace(cart, lines=lines)
