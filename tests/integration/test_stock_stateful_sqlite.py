"""Σ stock moves per lot = the lot's on hand, at every step, on a real SQLite file (issue 15).

A hypothesis state machine receives delivery batches, sells through the checkout service, returns
part of a sale, writes off and counts (a sheet may wait while the till sells) through the stock
service, and after every step checks what a manager would see against a plain model: each lot's
moves add up to its on hand, each product's unlotted moves to its unlotted row, and the stock list
shows on hand = received − sold + returned − written off + counted variances (and the running
stock_summary equals the lots and unlotted rows added up). ``ledger verify``
rebuilds the same tables from the journal at the end.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from pos.bootstrap import open_till
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.errors import InvalidInput
from pos.domain.receiving import GoodsReceipt, ReceiptLine
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import Role, User
from pos.services.ports import FixedClock
from pos.store import stock as stock_store
from pos.store import writer
from tests.conftest import T0
from tests.integration.test_stock_summary import independent_summary, stored_summary

APPLES, EGGS = "MX-F001", "MX-E001"  # by the gram (cost per kg), by the box
WEIGHED = {APPLES: True, EGGS: False}
CASHIER = User("cashier1", "张小芳", Role.CASHIER)
MANAGER = User("manager1", "李建国", Role.MANAGER)
TODAY = date(2026, 11, 22)


def _drawable(part) -> tuple:  # noqa: ANN001
    """A product's stock as a draw sees it: its lots holding stock with their positions, its last lot, its unlotted."""
    lots, unlotted = part
    last = max((lot for lot, _ in lots), key=lambda lot: (lot.received_on, lot.received_seq, lot.lot_id), default=None)
    held = sorted(((lot, pos) for lot, pos in lots if pos.on_hand != 0), key=lambda lp: lp[0].lot_id)
    return held, last, unlotted


def _machine(template: Path, work: Path, seen: list[str]):  # noqa: ANN202
    class StockMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            work.mkdir(parents=True, exist_ok=True)
            db = work / f"till-{id(self)}.db"
            for suffix in ("", "-wal"):
                if Path(f"{template}{suffix}").exists():
                    shutil.copyfile(f"{template}{suffix}", f"{db}{suffix}")
            self.till = open_till(load_config(db=db, printer="dummy:"), clock=FixedClock(T0))
            self.model = {APPLES: 0, EGGS: 0}
            self.followed: set[str] = set()  # a product's stock is followed once it had a lot or a count
            self.batches = 0
            self.sales: list[tuple[str, int, str, int]] = []  # receipt, line, sku, quantity still returnable
            self.sheets: list[tuple[int, str, int]] = []  # count no, sku, variance of the sheet

        def teardown(self) -> None:
            try:
                assert self.till.verify().ok
            finally:
                self.till.close()

        @rule(sku=st.sampled_from([APPLES, EGGS]), qty=st.integers(1, 40), cost=st.integers(1, 5_000),
              keeps=st.integers(0, 30), lines=st.integers(1, 2))
        def receive(self, sku: str, qty: int, cost: int, keeps: int, lines: int) -> None:
            self.batches += 1
            weighed = WEIGHED[sku]
            quantity = qty * 777 if weighed else qty
            goods = tuple(ReceiptLine(sku, quantity, cost + i, TODAY + timedelta(days=keeps + i), weighed,
                                      certificate=f"HG{self.batches}-{i}") for i in range(lines))
            self.till.stock.receive(GoodsReceipt(f"SHKC-T-{self.batches}", "山海快车", "0578", TODAY - timedelta(days=1),
                                                 goods), MANAGER, source="test")
            self.model[sku] += quantity * lines
            self.followed.add(sku)

        @rule(sku=st.sampled_from([APPLES, EGGS]), qty=st.integers(1, 30))
        def sell(self, sku: str, qty: int) -> None:
            quantity = qty * 333 if WEIGHED[sku] else qty
            cart = Cart().add(self.till.lookup.find(sku), quantity)
            done = self.till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, 10_000_000)], CASHIER)
            if sku in self.followed:  # a product not followed sells as before: no stock moves
                self.sales.append((done.sale.receipt_no, 1, sku, quantity))
                self.model[sku] -= quantity
            else:
                assert done.sale.draws == ()

        @precondition(lambda self: any(q > 0 for *_x, q in self.sales))
        @rule(pick=st.integers(0, 10_000), part=st.integers(1, 3))
        def give_back(self, pick: int, part: int) -> None:
            open_sales = [i for i, s in enumerate(self.sales) if s[3] > 0]
            i = open_sales[pick % len(open_sales)]
            receipt, line, sku, left = self.sales[i]
            quantity = max(1, left // part)
            self.till.returns.return_items(receipt, {line: quantity}, MANAGER, reason="test")
            self.sales[i] = (receipt, line, sku, left - quantity)
            self.model[sku] += quantity

        @rule(sku=st.sampled_from([APPLES, EGGS]), qty=st.integers(1, 30), reason=st.sampled_from(["spoiled", "broken"]))
        def write_off(self, sku: str, qty: int, reason: str) -> None:
            quantity = qty * 111 if WEIGHED[sku] else qty
            lotted = sum(x.on_hand for p in self.till.stock.stock_list(sku=sku, lots=True) for x in p.lots)
            try:
                self.till.stock.write_off(sku, quantity, reason, MANAGER)
            except InvalidInput:
                assert quantity > lotted  # only more than the lots hold is refused
                return
            assert quantity <= lotted
            self.model[sku] -= quantity

        @rule(sku=st.sampled_from([APPLES, EGGS]), delta=st.integers(-5, 5))
        def count(self, sku: str, delta: int) -> None:
            step = 250 if WEIGHED[sku] else 1
            counted = max(0, self.model[sku] + delta * step)
            sheet = self.till.stock.take_count({sku: counted}, CASHIER, source="test")
            [line] = sheet.lines
            assert line.expected == self.model[sku]
            self.sheets.append((sheet.count_no, sku, counted - line.expected))

        @precondition(lambda self: bool(self.sheets))
        @rule()
        def approve(self) -> None:
            count_no, sku, variance = self.sheets.pop(0)
            done = self.till.stock.approve_count(count_no, None, MANAGER)
            assert [x.variance for x in done.lines] == [variance]
            self.model[sku] += variance  # the sheet's variance, whatever was sold while it waited
            if variance:
                self.followed.add(sku)

        @invariant()
        def moves_add_up(self) -> None:
            with sqlite3.connect(self.till.db.path) as c:
                lots = dict(c.execute("SELECT lot_id, on_hand FROM lots"))
                moved = dict(c.execute("SELECT lot_id, SUM(quantity) FROM stock_moves WHERE lot_id IS NOT NULL "
                                       "GROUP BY lot_id"))
                unlotted = dict(c.execute("SELECT sku, quantity FROM stock_unlotted WHERE quantity != 0"))
                unlotted_moved = dict(c.execute("SELECT sku, SUM(quantity) FROM stock_moves WHERE lot_id IS NULL "
                                                "GROUP BY sku HAVING SUM(quantity) != 0"))
                # in_stock (what the near-expiry index goes by) is on hand > 0, lot by lot
                stale = c.execute("SELECT lot_id FROM lots WHERE in_stock != (on_hand > 0)").fetchall()
            assert not stale
            assert moved == lots
            assert unlotted_moved == unlotted
            assert all(v >= 0 for v in lots.values())
            shown = {p.sku: p.on_hand for p in self.till.stock.stock_list()}
            assert {k: v for k, v in self.model.items() if k in shown or v} == shown
            # the running summary stock list reads is what the lots and unlotted rows add up to
            assert stored_summary(self.till.db.path) == independent_summary(self.till.db.path)

        @invariant()
        def the_writers_stock_is_the_tables(self) -> None:
            """What the writer keeps of each product's stock (the next sale draws from it without reading) is
            what its rows hold: the same lots with stock and positions, the same last lot, the same unlotted."""
            with self.till.uow() as uow:
                for sku in (APPLES, EGGS):
                    kept = uow.hot.get(writer.lots_key(sku))
                    if kept is writer.WriteContext.MISSING:
                        continue
                    fresh = stock_store.state_parts(stock_store.load_state(uow.raw, [sku]), [sku])[sku]
                    assert _drawable(kept) == _drawable(fresh), sku
                    seen.append(sku)

    return StockMachine


def test_stock_moves_add_up_to_on_hand_through_receiving_sales_returns_write_offs_and_counts(tmp_path: Path) -> None:
    template = tmp_path / "template.db"
    till = open_till(load_config(db=template, printer="dummy:"), create=True, demo=True, clock=FixedClock(T0))
    try:
        till.shifts.open(CASHIER, CashCount())
    finally:
        till.close()
    seen: list[str] = []  # products whose kept stock the writer's-stock invariant compared with the rows
    machine = _machine(template, tmp_path / "runs", seen)
    run_state_machine_as_test(machine, settings=settings(max_examples=12, stateful_step_count=14, deadline=None,
                                                         suppress_health_check=[HealthCheck.too_slow]))
    assert seen
