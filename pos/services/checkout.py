"""Ringing up a sale: find products, then commit the whole sale as one journal entry.

The sale, its lines and payments are written in one SQLite transaction with the journal entry
(synchronous=FULL): either all of it is on disk or none of it. Printing happens afterwards
(see ReceiptService) so that a printer fault can never lose a sale. Voids, holds, recalls and
reprints are journaled as they happen.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from pos.domain.cart import Cart, CartTotals, PromoContext
from pos.domain.errors import InvalidInput, PaymentError
from pos.domain.holds import cart_from_json, cart_to_json
from pos.domain.ledger import EntryKind
from pos.domain.limits import NeededApproval, SaleNeedsApproval, required_approvals
from pos.domain.members import PointsRule
from pos.domain.money import format_yuan
from pos.domain.permissions import Action, check
from pos.domain.pricing import RoundingMode
from pos.domain.receipt import Receipt
from pos.domain.references import normalise_receipt_no
from pos.domain.sale import Sale, build_receipt, build_sale, format_receipt_no, parse_receipt_no
from pos.domain.tenders import Tender, TenderKind, settle
from pos.domain.users import User
from pos.store.repositories import AccountRecord

from . import stock_draws
from .context import TillIdentity
from .lookup import CatalogLookup  # noqa: F401 - re-exported for older imports
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory


class CompletedSale:
    """A committed sale: the sale, its journal seq and its receipt.

    The receipt is formatted on first use (shown or printed), after the COMMIT the cashier waits for,
    not inside it; it is the same receipt either way (the sale and its time are fixed by then)."""

    __slots__ = ("sale", "seq", "_receipt", "_make")

    def __init__(self, sale: Sale, receipt: Receipt | None = None, seq: int = 0, *,
                 make: Callable[[], Receipt] | None = None) -> None:
        if receipt is None and make is None:
            raise TypeError("CompletedSale needs its receipt or a way to make it")
        self.sale, self.seq, self._receipt, self._make = sale, seq, receipt, make

    @property
    def receipt(self) -> Receipt:
        if self._receipt is None:
            self._receipt = self._make()  # type: ignore[misc]
            self._make = None
        return self._receipt

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompletedSale):
            return NotImplemented
        return (self.sale, self.seq, self.receipt) == (other.sale, other.seq, other.receipt)

    def __hash__(self) -> int:
        return hash((self.sale, self.seq))

    def __repr__(self) -> str:
        return f"CompletedSale(sale={self.sale!r}, seq={self.seq!r})"


@dataclass(frozen=True, slots=True)
class BeforePayment:
    """The step after 收款: ``needs`` first (one manager's PIN per action), then a ¥0 sale is
    committed at once with no tender, any other sale opens payment for ``due_fen``."""

    needs: tuple[NeededApproval, ...]
    due_fen: int

    @property
    def ask_now(self) -> tuple[NeededApproval, ...]:
        """The needs one approval answers (those of the first action still needed)."""
        return tuple(n for n in self.needs if n.action is self.needs[0].action) if self.needs else ()

    @property
    def free(self) -> bool:
        """Nothing to approve and nothing to pay: complete the sale with no tender."""
        return not self.needs and self.due_fen == 0


@dataclass(frozen=True, slots=True)
class HeldSale:
    hold_no: int
    cashier: str
    created_at: str
    lines: int
    total_fen: int


ROUNDING_KEY = "rounding:{store}"
SQL_HELD = "SELECT hold_no, cashier, created_at, lines, total_fen FROM held_sales ORDER BY hold_no"
SQL_HELD_CART = "SELECT cart FROM held_sales WHERE hold_no = ?"
SQL_MEMBER_POINTS = "SELECT points FROM members WHERE member_id = ?"


class NoOpenShift(InvalidInput):
    """No shift is open on this drawer: the till asks the cashier to open one (with a float count)."""

    code = "no_open_shift"

    def __init__(self) -> None:
        super().__init__("no shift is open on this till; open a shift and count the float first",
                         message_zh="尚未开班，请先开班并清点备用金")


def _nothing_to_approve(cart: Cart) -> bool:
    """True when ``required_approvals`` cannot find anything, whoever the cashier: no discount on the
    sale or on any line and no price changed (its needs are line discounts, price overrides and the
    sale's discounts together). Most sales; they skip its exact (Fraction) arithmetic."""
    if cart.discount is not None:
        return False
    for ln in cart.lines:
        if ln.discount is not None or (ln.price_fen is not None and ln.price_fen != ln.product.price_fen):
            return False
    return True


def _held_json(cart: Cart) -> dict[str, Any]:
    """A held cart as JSON, with what prices it beyond the catalogue: the promotions' version and the sale's
    start (the sale keeps them when recalled) and the member, by id."""
    out = cart_to_json(cart)
    ctx = cart.context
    if ctx is not None and (ctx.book is not None or ctx.member is not None):
        out["promo"] = {"version": ctx.version if ctx.book is not None else 0,
                        "started_at": ctx.started_at.isoformat(timespec="seconds") if ctx.started_at else None,
                        "member_id": ctx.member.member_id if ctx.member is not None else None}
    return out


class CheckoutService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity,
                 points_rule: PointsRule | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till
        self._rounding: RoundingMode | None = None
        self._prefixes: dict[tuple[str, str, str], str] = {}  # (terminal, business day, series) → receipt no. prefix
        # How a member's points are earned and redeemed (issue 17): 1 point per yuan, 100 points pay 1 yuan —
        # or, once bootstrap wires ``points_rule_of`` to the members' service, the store's rule as it is now.
        self._points_rule = points_rule or PointsRule()
        self.points_rule_of: Callable[[], PointsRule] | None = None
        # A held sale's promotions and member, given back on recall (bootstrap wires till.promotions.restore).
        self.restore_context: Callable[[Mapping[str, Any]], PromoContext | None] | None = None

    # -- store settings -----------------------------------------------------------------------
    def rounding_mode(self) -> RoundingMode:
        """The store's 抹零 setting, read once and kept, so the till can show totals without the database."""
        if self._rounding is None:
            self.reload_settings()
        assert self._rounding is not None
        return self._rounding

    def reload_settings(self) -> None:
        with self._uow() as uow:
            value = uow.meta.get(ROUNDING_KEY.format(store=self._till.store_code), RoundingMode.NONE.value)
        self._rounding = RoundingMode(value)

    def set_rounding(self, mode: RoundingMode, by: User) -> None:
        check(by.role, Action.SETTINGS)
        now = self._clock.now()
        with self._uow() as uow:
            uow.meta.set(ROUNDING_KEY.format(store=self._till.store_code), mode.value)
            uow.journal.append(EntryKind.SETTING, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"key": "rounding", "store": self._till.store_code, "value": mode.value,
                                        "by": by.login})
            uow.commit()
        self._rounding = mode

    def set_training(self, on: bool, by: User) -> None:
        """Switch practice mode (练习) on or off; the switch itself is journaled."""
        check(by.role, Action.TRAINING_MODE)
        now = self._clock.now()
        with self._uow() as uow:
            uow.journal.append(EntryKind.TRAINING, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"on": bool(on), "by": by.login})
            uow.commit()

    def accounts(self) -> list[AccountRecord]:
        """Active institution accounts (机关单位挂账) for the tender dialog."""
        with self._uow() as uow:
            return [a for a in uow.accounts.all() if a.active]

    def account_credit(self) -> list[tuple[AccountRecord, int]]:
        """Active institution accounts with the credit each has left, in fen (what the sale commit checks
        against; run on the writer so it counts every sale already committed)."""
        with self._uow() as uow:
            return [(a, max(0, a.credit_limit_fen - uow.documents.account_balance(a.code)))
                    for a in uow.accounts.all() if a.active]

    def totals(self, cart: Cart, rounding: RoundingMode | None = None) -> CartTotals:
        return cart.totals(self.rounding_mode() if rounding is None else rounding)

    # -- the sale -----------------------------------------------------------------------------
    def pending_approvals(self, cart: Cart, cashier: User) -> tuple[NeededApproval, ...]:
        """What a manager must still approve before ``cashier`` may commit ``cart`` (asked when 收款 is
        pressed, before payment); bind each answer with ``cart.approve(need, approval)``."""
        return required_approvals(cart, cashier.role, self.rounding_mode())

    def before_payment(self, cart: Cart, cashier: User) -> BeforePayment:
        """What pressing 收款 leads to: a manager's approval first, a ¥0 sale completed with no
        tender, or the payment dialog for what is due."""
        return BeforePayment(self.pending_approvals(cart, cashier), self.totals(cart).total_fen)

    def complete_sale(self, cart: Cart, tenders: list[Tender], cashier: User, *, training: bool = False) -> CompletedSale:
        """Settle the cart against the tenders and commit the sale durably; raises PosError if refused.

        The cart's promotions (the book in force when the sale began) are journaled with each line's
        share by promotion id and version; a member on the cart gets the member block: the points the
        cart redeemed and those earned on the lines' nets (:attr:`points_rule`)."""
        check(cashier.role, Action.SELL)
        if cart.is_empty():
            raise InvalidInput("the sale has no items", message_zh="本单没有商品")
        now = self._clock.now()
        # The mode the cashier's screen showed; a change made meanwhile applies from the next sale.
        rounding = self.rounding_mode()
        # The sale as a whole, whatever order it was rung up in: the final cart's reductions against
        # the cashier's limits and the approvals on it. This is the rule; the cart's checks at each
        # keystroke are only early feedback.
        if not _nothing_to_approve(cart):
            needs = required_approvals(cart, cashier.role, rounding)
            if needs:
                raise SaleNeedsApproval(needs)
        totals = cart.totals(rounding)
        with self._uow() as uow:
            day = uow.business_day(now)
            settlement = settle(totals.total_fen, tenders)
            self._check_tenders(uow, settlement.tenders)
            if cart.points_redeemed and not training:
                self._check_points(uow, cart)
            # The open shift is the LAST check: the CLI opens a shift on NoOpenShift and retries, so
            # any other refusal must come first or a refused sale would have opened a shift.
            shift = uow.shifts.current()
            if shift is None and not training:
                raise NoOpenShift()
            prefix = self._receipt_prefix(day, "T" if training else "")
            number = uow.documents.next_number("sale", prefix)
            receipt_no = f"{prefix}{number:04d}"  # format_receipt_no(…, number, series=series), its day formatted once
            sale = build_sale(
                receipt_no=receipt_no, terminal_id=self._till.terminal_id, business_day=day,
                cashier_login=cashier.login, cashier_name=cashier.display_name, cart=cart,
                settlement=settlement, training=training, rounding=rounding,
                components_of=uow.bundles.components_of({ln.product.sku for ln in cart.lines}),
                shift_no=shift.shift_no if shift else None, totals=totals, points_rule=self.points_rule,
            )
            draws = stock_draws.for_sale(uow, sale)
            if draws:
                sale = replace(sale, draws=draws)
            entry = uow.journal.append(EntryKind.SALE, business_day=day, created_at=utc_iso(now), payload=sale.to_payload(),
                                       doc=sale)
            uow.commit()
        return CompletedSale(sale=sale, seq=entry.seq, make=lambda: self._receipt(sale, now))

    def _receipt_prefix(self, day: str, series: str) -> str:
        """The receipt numbers' prefix of a business day and series (format_receipt_no without the number),
        kept for the day: formatting a date costs more than the rest of the numbering."""
        key = (self._till.terminal_id, day, series)
        prefix = self._prefixes.get(key)
        if prefix is None:
            if len(self._prefixes) > 8:
                self._prefixes.clear()
            prefix = format_receipt_no(self._till.terminal_id, date.fromisoformat(day), 0, series=series)[:-4]
            self._prefixes[key] = prefix
        return prefix

    @staticmethod
    def _check_points(uow, cart: Cart) -> None:  # noqa: ANN001
        """The member still has the points the cart uses (another sale may have used them since they were
        looked up)."""
        member = cart.member
        row = uow.raw.execute(SQL_MEMBER_POINTS, (member.member_id,)).fetchone() if member is not None else None
        have = row[0] if row else 0
        if have < cart.points_redeemed:
            raise PaymentError(f"the member has only {have} points now, not {cart.points_redeemed}; use fewer points",
                               message_zh=f"会员积分现只有 {have}，不足 {cart.points_redeemed}，请减少抵扣积分")

    def _check_tenders(self, uow, tenders: tuple[Tender, ...]) -> None:  # noqa: ANN001
        """Vouchers unused and accounts within credit. References arrive normalised (Tender does it),
        and only real sales count: a voucher or credit used in training is still there for real."""
        seen: set[str] = set()
        on_account: dict[str, int] = {}
        for t in tenders:
            ref = t.reference or ""
            if t.kind is TenderKind.VOUCHER:
                used = uow.documents.voucher_used(ref)
                if used or ref in seen:
                    raise PaymentError(f"voucher {ref} was already used{f' on {used}' if used else ''}",
                                       message_zh=f"消费券 {ref} 已使用过" + (f"（小票 {used}）" if used else ""))
                seen.add(ref)
            elif t.kind is TenderKind.ACCOUNT:
                acct = uow.accounts.get(ref)
                if acct is None or not acct.active:
                    raise PaymentError(f"there is no active institution account with the code '{t.reference}'",
                                       message_zh=f"挂账单位“{t.reference}”不存在或已停用")
                # Two account tenders on one sale count together against the limit.
                on_account[acct.code] = on_account.get(acct.code, 0) + t.amount_fen
                owed = uow.documents.account_balance(acct.code) + on_account[acct.code] - t.amount_fen
                if owed + t.amount_fen > acct.credit_limit_fen:
                    left = max(0, acct.credit_limit_fen - owed)
                    raise PaymentError(f"{acct.name} has only {format_yuan(left)} yuan of credit left",
                                       message_zh=f"{acct.name} 挂账额度不足，剩余 {format_yuan(left)} 元")

    def _receipt(self, sale: Sale, at, *, reprinted_at=None) -> Receipt:  # noqa: ANN001
        """The sale's receipt; ``at`` is when the sale happened, ``reprinted_at`` when it is printed again."""
        return build_receipt(sale, store_name=self._till.store_name, counter_name=self._till.counter_name,
                             printed_at=self._till.shown_time(at), reprint=reprinted_at is not None,
                             reprinted_at=self._till.shown_time(reprinted_at) if reprinted_at is not None else None,
                             title="练习小票" if sale.training else "销售小票")

    # -- voids, holds, reprints -------------------------------------------------------------
    def void_line(self, cart: Cart, index: int, cashier: User, *, approval=None) -> Cart:  # noqa: ANN001
        """Take a line off the cart before payment; the void is journaled with who did it."""
        line = cart.line(index)
        check(cashier.role, Action.LINE_VOID, approval)
        new = cart.remove(index)
        now = self._clock.now()
        with self._uow() as uow:
            uow.journal.append(EntryKind.VOID, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"cashier": cashier.login, "sku": line.product.sku, "name": line.product.name,
                                        "quantity": line.quantity, "amount": line.amount_fen,
                                        "approver": approval.approver if approval else None,
                                        "shift": getattr(uow.shifts.current(), "shift_no", None)})
            uow.commit()
        return new

    @property
    def points_rule(self) -> PointsRule:
        return self.points_rule_of() if self.points_rule_of is not None else self._points_rule

    def hold(self, cart: Cart, cashier: User) -> int:
        """Put the cart aside (挂单); returns its hold number."""
        if cart.is_empty():
            raise InvalidInput("there is nothing to hold", message_zh="当前没有商品，无法挂单")
        now = self._clock.now()
        with self._uow() as uow:
            last = uow.meta.get("last_hold_no", "0")
            hold_no = int(last or 0) + 1
            uow.meta.set("last_hold_no", str(hold_no))
            uow.journal.append(EntryKind.HOLD, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"hold_no": hold_no, "cashier": cashier.login, "cart": _held_json(cart),
                                        "total": self.totals(cart).total_fen})  # as due now: promotions included
            uow.commit()
        return hold_no

    def held(self) -> list[HeldSale]:
        with self._uow() as uow:
            rows = uow.raw.execute(SQL_HELD).fetchall()
        return [HeldSale(*r) for r in rows]

    def recall(self, hold_no: int, cashier: User) -> Cart:
        """Take a held sale back (取单); it leaves the held list."""
        now = self._clock.now()
        with self._uow() as uow:
            row = uow.raw.execute(SQL_HELD_CART, (hold_no,)).fetchone()
            if row is None:
                raise InvalidInput(f"there is no held sale number {hold_no}", message_zh=f"没有编号为 {hold_no} 的挂单")
            held = json.loads(row[0])
            cart = cart_from_json(held)
            uow.journal.append(EntryKind.RECALL, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"hold_no": hold_no, "cashier": cashier.login})
            uow.commit()
        if held.get("promo") and self.restore_context is not None:
            context = self.restore_context(held["promo"])
            if context is not None:
                cart = cart.with_context(context)
        return cart

    def find_sale(self, receipt_no: str) -> Sale:
        """The sale behind a receipt number, however it was typed (full width, spaces, lower case)."""
        no = normalise_receipt_no(receipt_no)
        parse_receipt_no(no)
        with self._uow() as uow:
            sale = uow.documents.sale(no)
        if sale is None:
            raise InvalidInput(f"no sale {receipt_no} on this till", message_zh=f"本机没有小票 {receipt_no}")
        return sale

    def reprint(self, receipt_no: str, by: User) -> Receipt:
        """The receipt again, marked 重印, with the sale's own time and the reprint time (重印时间) apart;
        the reprint is journaled."""
        sale = self.find_sale(receipt_no)
        now = self._clock.now()
        with self._uow() as uow:
            sold_at = uow.documents.sale_time(sale.receipt_no)
            uow.journal.append(EntryKind.REPRINT, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"receipt_no": sale.receipt_no, "by": by.login})
            uow.commit()
        return self._receipt(sale, sold_at or now, reprinted_at=now)
