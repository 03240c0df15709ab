"""A hypothesis state machine: a cashier rings up sales in any order — scans, quantity changes,
voids, line and sale discounts, price overrides, holds and recalls — sometimes with a manager's
PIN on a single action, sometimes with a change the keystroke check never saw (made "by a manager's
hands"). Whatever the order, a sale committed through the real CheckoutService on a real SQLite
file never exceeds the cashier's limits without an approval covering it.

The check on each committed sale is written apart from :mod:`pos.domain.limits`: in whole fen
read back from the journal, with half a fen of rounding allowed per discount.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from pos.bootstrap import open_till
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.errors import PosError
from pos.domain.limits import SaleNeedsApproval
from pos.domain.permissions import Action, ApprovalRequired
from pos.domain.pricing import parse_discount
from pos.domain.sale import Sale
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import Role
from pos.services.ports import FixedClock
from tests.conftest import T0

CODES = ("6972316000170", "6972316000521", "6945837000172", "6923905000170", "6972316000736")
DISCOUNTS = ("5%", "9.9%", "10%", "9折", "95折", "88折", "8折", "50%", "100%", "0.50", "4.00", "12.00", "60.00")
LIMIT_BP = 1000


def over(off_fen: int, base_fen: int, bp: int, discounts: int) -> bool:
    """``off`` is more than ``bp`` of ``base``, beyond half a fen of rounding per discount."""
    return off_fen * 10_000 > base_fen * bp + 5_000 * discounts


def manager_yes(approvals, action: Action):  # noqa: ANN001, ANN201
    return [a for a in approvals if a.action is action and a.approver_role is Role.MANAGER]


def assert_within_limits_or_approved(sale: Sale) -> None:
    """What a cashier's committed sale may look like: every reduction beyond the limits is approved."""
    own = 0
    value = 0
    for ln in sale.lines:
        gross = ln.gross_fen or 0
        value += gross
        if ln.list_price_fen is not None and ln.list_price_fen != ln.unit_price_fen:
            assert any(a.price_fen == ln.unit_price_fen for a in manager_yes(ln.approvals, Action.PRICE_OVERRIDE)), \
                f"line {ln.line_no}: price {ln.list_price_fen} → {ln.unit_price_fen} without an approval for it"
        if gross and over(ln.discount_fen, gross, LIMIT_BP, 1):
            assert any(a.percent_bp is not None and not over(ln.discount_fen, gross, a.percent_bp, 1)
                       for a in manager_yes(ln.approvals, Action.DISCOUNT_OVER_LIMIT)), \
                f"line {ln.line_no}: {ln.discount_fen} off {gross} without an approval covering it"
        own += min(ln.discount_fen, -(-gross * LIMIT_BP // 10_000))
    sale_off = sum(ln.sale_discount_share_fen for ln in sale.lines)
    n = len(sale.lines) + 1
    if value and over(own + sale_off, value, LIMIT_BP, n):
        assert any(a.percent_bp is not None and not over(own + sale_off, value, a.percent_bp, n)
                   for a in manager_yes(sale.approvals, Action.DISCOUNT_OVER_LIMIT)), \
            f"the sale: {own + sale_off} off {value} without an approval covering it"


class CashierAtTheCounter(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="lianxin-limits-"))
        config = load_config(db=self.dir / "till.db", printer="dummy:", device_key=self.dir / "device.key")
        self.till = open_till(config, create=True, demo=True, clock=FixedClock(T0))
        self.cashier = self.till.auth.login("cashier1", "1111")
        self.till.shifts.open(self.cashier, CashCount())
        self.cart = Cart()
        self.held: list[int] = []
        self.refused = 0

    def _approval(self, action: Action):  # noqa: ANN202
        return self.till.auth.approve(action, "manager1", "2222", requested_by=self.cashier)

    def _try(self, change, action: Action, with_pin: bool) -> None:  # noqa: ANN001
        """A cart action as the till runs it: refused for want of a PIN, retried with one if the manager
        is there; any other refusal (nothing to discount) leaves the cart as it was."""
        try:
            self.cart = change(None)
        except ApprovalRequired:
            if with_pin:
                self.cart = change(self._approval(action))
        except PosError:
            pass

    def _line(self, data) -> int:  # noqa: ANN001
        return data.draw(st.integers(0, len(self.cart.lines) - 1), label="line")

    # -- what the cashier does ---------------------------------------------------------------
    @rule(i=st.integers(0, len(CODES) - 1), qty=st.integers(1, 4))
    def scan(self, i: int, qty: int) -> None:
        self.cart = self.cart.add(self.till.lookup.find(CODES[i]), qty)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(data=st.data(), qty=st.integers(1, 6))
    def change_quantity(self, data, qty: int) -> None:  # noqa: ANN001
        self.cart = self.cart.set_quantity(self._line(data), qty)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(data=st.data())
    def void(self, data) -> None:  # noqa: ANN001
        self.cart = self.till.checkout.void_line(self.cart, self._line(data), self.cashier)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(data=st.data(), spec=st.sampled_from(DISCOUNTS), with_pin=st.booleans())
    def discount_line(self, data, spec: str, with_pin: bool) -> None:  # noqa: ANN001
        i, d = self._line(data), parse_discount(spec)
        self._try(lambda a: self.cart.discount_line(i, d, by=self.cashier.role, approval=a),
                  Action.DISCOUNT_OVER_LIMIT, with_pin)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(spec=st.sampled_from(DISCOUNTS), with_pin=st.booleans())
    def discount_sale(self, spec: str, with_pin: bool) -> None:
        d = parse_discount(spec)
        self._try(lambda a: self.cart.discount_sale(d, by=self.cashier.role, approval=a),
                  Action.DISCOUNT_OVER_LIMIT, with_pin)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(data=st.data(), price=st.sampled_from((0, 100, 2_000, 4_500, 9_900)), with_pin=st.booleans())
    def override_price(self, data, price: int, with_pin: bool) -> None:  # noqa: ANN001
        i = self._line(data)
        self._try(lambda a: self.cart.override_price(i, price, by=self.cashier.role, approval=a),
                  Action.PRICE_OVERRIDE, with_pin)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(data=st.data(), spec=st.sampled_from(DISCOUNTS), whole=st.booleans())
    def change_no_keystroke_check_saw(self, data, spec: str, whole: bool) -> None:  # noqa: ANN001
        """A change made past the keystroke check (another path, a bug): only the commit can catch it."""
        d = parse_discount(spec)
        self._try(lambda _a: (self.cart.discount_sale(d, by=Role.MANAGER) if whole
                              else self.cart.discount_line(self._line(data), d, by=Role.MANAGER)),
                  Action.DISCOUNT_OVER_LIMIT, False)

    @precondition(lambda self: not self.cart.is_empty())
    @rule()
    def hold(self) -> None:
        self.held.append(self.till.checkout.hold(self.cart, self.cashier))
        self.cart = Cart()

    @precondition(lambda self: bool(self.held) and self.cart.is_empty())
    @rule()
    def recall(self) -> None:
        self.cart = self.till.checkout.recall(self.held.pop(0), self.cashier)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(manager_there=st.booleans())
    def pay(self, manager_there: bool) -> None:
        """收款: the commit is the rule. Refused, the manager (if there) approves what is named, then cash
        is paid (nothing for a ¥0 sale); otherwise the sale stays on the screen."""
        pending = self.till.checkout.pending_approvals(self.cart, self.cashier)
        try:
            done = self.till.checkout.complete_sale(self.cart, self._cash(), self.cashier)
        except SaleNeedsApproval as refused:
            assert refused.needs == pending != ()
            self.refused += 1
            if not manager_there:
                return
            for action in dict.fromkeys(n.action for n in refused.needs):
                approval = self._approval(action)
                for need in refused.needs:
                    if need.action is action:
                        self.cart = self.cart.approve(need, approval)
            assert self.till.checkout.pending_approvals(self.cart, self.cashier) == ()
            done = self.till.checkout.complete_sale(self.cart, self._cash(), self.cashier)
        else:
            assert pending == ()
        assert_within_limits_or_approved(self.till.checkout.find_sale(done.sale.receipt_no))  # as journaled
        self.cart = Cart()

    def _cash(self) -> list[Tender]:
        due = self.till.checkout.totals(self.cart).total_fen
        return [Tender(TenderKind.CASH, due)] if due else []

    def teardown(self) -> None:
        self.till.close()
        shutil.rmtree(self.dir, ignore_errors=True)


CashierAtTheCounter.TestCase.settings = settings(max_examples=12, stateful_step_count=16, deadline=None,
                                                 suppress_health_check=[HealthCheck.too_slow])
TestCashierAtTheCounter = CashierAtTheCounter.TestCase
