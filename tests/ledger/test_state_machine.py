"""A hypothesis state machine over the till's services: whatever a counter does, the ledger holds.

Rules: scan, void, discount, hold/recall, pay, return, cash movements, shift close, restart.
Invariants after every step: the chain verifies, seq is gap-free, the read models equal the
journal, change is never negative, returns never exceed sales, and (checked at each Z) the Z
totals equal the sum of that day's entries.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pos.bootstrap import open_till
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.closing import CashCount, period_totals
from pos.domain.errors import PosError
from pos.domain.ledger import EntryKind
from pos.domain.pricing import Discount, DiscountKind
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock
from tests.conftest import T0

CODES = ("6972316000170", "6972316000521", "6945837000172", "6923905000170", "6972316000736")


class Counter(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="lianxin-sm-"))
        self.config = load_config(db=self.dir / "till.db", printer="dummy:", device_key=self.dir / "device.key")
        self.clock = FixedClock(T0)
        self.till = open_till(self.config, create=True, demo=True, clock=self.clock)
        self.cashier = self.till.auth.login("cashier1", "1111")
        self.manager = self.till.auth.login("manager1", "2222")
        self.cart = Cart()
        self.held: list[int] = []
        self.sold: dict[str, dict[int, int]] = {}  # receipt → line → quantity sold
        self.returned: dict[str, dict[int, int]] = {}

    # -- rules -------------------------------------------------------------------------------
    @rule(i=st.integers(0, len(CODES) - 1), qty=st.integers(1, 3))
    def scan(self, i: int, qty: int) -> None:
        self.cart = self.cart.add(self.till.lookup.find(CODES[i]), qty)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(data=st.data())
    def void(self, data) -> None:  # noqa: ANN001
        i = data.draw(st.integers(0, len(self.cart.lines) - 1))
        self.cart = self.till.checkout.void_line(self.cart, i, self.cashier)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(pct=st.integers(1, 3000), whole=st.booleans())
    def discount(self, pct: int, whole: bool) -> None:
        d = Discount(DiscountKind.PERCENT, pct)
        self.cart = (self.cart.discount_sale(d, by=self.manager.role) if whole
                     else self.cart.discount_line(0, d, by=self.manager.role))

    @precondition(lambda self: not self.cart.is_empty())
    @rule()
    def hold(self) -> None:
        self.held.append(self.till.checkout.hold(self.cart, self.cashier))
        self.cart = Cart()

    @precondition(lambda self: self.held and self.cart.is_empty())
    @rule()
    def recall(self) -> None:
        self.cart = self.till.checkout.recall(self.held.pop(0), self.cashier)

    @precondition(lambda self: not self.cart.is_empty())
    @rule(extra=st.integers(0, 10_000), split=st.booleans())
    def pay(self, extra: int, split: bool) -> None:
        self.till.shifts.ensure_open(self.cashier)
        due = self.till.checkout.totals(self.cart).total_fen
        tenders = []
        if split and due > 1:
            tenders.append(Tender(TenderKind.WECHAT, due // 2, "134567890123456789"))
        rest = due - sum(t.amount_fen for t in tenders) + extra
        if rest > 0:
            tenders.append(Tender(TenderKind.CASH, rest))
        # The discounts were a manager's: at 收款 the manager approves what the sale as a whole is over.
        for need in self.till.checkout.pending_approvals(self.cart, self.cashier):
            approval = self.till.auth.approve(need.action, "manager1", "2222", requested_by=self.cashier)
            self.cart = self.cart.approve(need, approval)
        done = self.till.checkout.complete_sale(self.cart, tenders, self.cashier)
        assert done.sale.change_fen >= 0 and done.sale.change_fen == extra
        self.sold[done.sale.receipt_no] = {ln.line_no: ln.quantity for ln in done.sale.lines}
        self.cart = Cart()

    @precondition(lambda self: bool(self.sold))
    @rule(data=st.data())
    def give_back(self, data) -> None:  # noqa: ANN001
        receipt = data.draw(st.sampled_from(sorted(self.sold)))
        line = data.draw(st.sampled_from(sorted(self.sold[receipt])))
        left = self.sold[receipt][line] - self.returned.get(receipt, {}).get(line, 0)
        qty = data.draw(st.integers(1, left + 1))  # sometimes one too many: must be refused
        self.till.shifts.ensure_open(self.cashier)
        try:
            self.till.returns.return_items(receipt, {line: qty}, self.manager)
        except PosError:
            assert qty > left
            return
        assert qty <= left
        self.returned.setdefault(receipt, {})[line] = self.returned.get(receipt, {}).get(line, 0) + qty

    @rule(amount=st.integers(1, 20_000), into=st.booleans())
    def move_cash(self, amount: int, into: bool) -> None:
        self.till.shifts.ensure_open(self.cashier)
        try:
            self.till.shifts.move_cash(EntryKind.CASH_IN if into else EntryKind.CASH_OUT, amount, "测试", self.manager)
        except PosError:
            assert not into  # only taking out more than the drawer holds is refused

    @rule()
    def close_shift_and_z(self) -> None:
        if self.till.shifts.current() is None:
            return
        self.till.shifts.close(self.cashier, CashCount(), keep_held=True)  # held sales wait for the next shift
        try:
            z = self.till.closing.z_close(self.manager, keep_held=True)
        except PosError:
            return  # e.g. that business day has not begun on the clock yet
        with self.till.uow() as uow:
            entries = [e for e in uow.closures.day_entries(z.business_day) if e.kind != EntryKind.Z_CLOSURE]
        assert z.totals.to_json() == period_totals(entries).to_json()
        assert z.totals.net_fen == sum(z.totals.by_tender.values()) == sum(z.totals.by_origin.values())

    @rule()
    def restart(self) -> None:
        self.till.close()
        self.till = open_till(self.config, clock=self.clock)

    # -- invariants ----------------------------------------------------------------------------
    @invariant()
    def ledger_holds(self) -> None:
        report = self.till.verify()
        assert report.ok, report.problem
        with sqlite3.connect(self.till.db.path) as c:
            seqs = [r[0] for r in c.execute("SELECT seq FROM journal ORDER BY seq")]
            assert seqs == list(range(1, len(seqs) + 1))
            assert c.execute("SELECT COUNT(*) FROM sales WHERE change_fen < 0").fetchone()[0] == 0
            over = c.execute(
                "SELECT COUNT(*) FROM sale_lines s JOIN (SELECT r.receipt_no, l.orig_line_no, SUM(l.quantity) q "
                "FROM return_lines l JOIN returns r USING (return_no) GROUP BY 1, 2) x "
                "ON x.receipt_no = s.receipt_no AND x.orig_line_no = s.line_no WHERE x.q > s.quantity").fetchone()[0]
            assert over == 0

    def teardown(self) -> None:
        self.till.close()


Counter.TestCase.settings = settings(max_examples=12, stateful_step_count=25, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow])
TestCounter = Counter.TestCase
