"""A till's stock under any mix of receipts, sales, returns, write-offs and counts.

At every step: each lot's on hand is the sum of its movements, no lot goes negative, each
product's unlotted quantity is the sum of its unlotted movements, and a lot that is fully gone
has given out exactly its delivery note amount in cost.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pos.domain.stock import (
    Lot,
    Movement,
    MovementKind,
    StockState,
    WriteOff,
    WriteOffReason,
    count_variances,
    draw,
    receive,
    return_draws,
    return_movements,
)

SKUS = ("APPLE", "BEEF", "EGG")
TODAY = date(2026, 12, 5)


class StockMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = StockState.empty()
        self.log: list[Movement] = []
        self.lines: list[list] = []  # [draws, quantity returned so far]
        self.n = 0

    def _record(self, movements) -> None:
        for m in movements:
            assert m.cost_fen >= 0  # a draw, return or adjustment never carries a negative cost
            self.state = self.state.apply(m)
            self.log.append(m)

    @rule(sku=st.sampled_from(SKUS), qty=st.integers(1, 20_000), cost=st.integers(0, 20_000),
          per_kg=st.booleans(), days=st.one_of(st.none(), st.integers(-3, 30)))
    def receive_lot(self, sku, qty, cost, per_kg, days):
        self.n += 1
        lot = Lot(f"L{self.n}", sku, f"SHKC-{self.n}", qty, cost, TODAY, per_kg=per_kg, received_seq=self.n,
                  expiry=None if days is None else TODAY + timedelta(days=days))
        self._record([receive(lot)])

    @rule(sku=st.sampled_from(SKUS), qty=st.integers(1, 9_000))
    def sell(self, sku, qty):
        line = draw(self.state, sku, qty, today=TODAY)
        assert sum(d.quantity for d in line.draws) == qty
        self._record(line.movements())
        self.lines.append([line.draws, 0])

    @precondition(lambda self: any(sum(d.quantity for d in draws) > done for draws, done in self.lines))
    @rule(data=st.data())
    def return_part(self, data):
        open_lines = [ln for ln in self.lines if sum(d.quantity for d in ln[0]) > ln[1]]
        line = data.draw(st.sampled_from(open_lines))
        left = sum(d.quantity for d in line[0]) - line[1]
        qty = data.draw(st.integers(1, left))
        parts = return_draws(line[0], qty, already_returned=line[1])
        line[1] += qty
        if line[1] == sum(d.quantity for d in line[0]):  # the whole line back: exactly its cost back
            back = return_draws(line[0], line[1])
            assert sum(d.cost_fen for d in back) == sum(d.cost_fen for d in line[0])
        self._record(return_movements(parts))

    @rule(sku=st.sampled_from(SKUS), data=st.data())
    def write_off(self, sku, data):
        lotted = sum(self.state.lot_on_hand(lot.lot_id) for lot in self.state.lots_of(sku))
        if lotted == 0:
            return
        qty = data.draw(st.integers(1, lotted))
        reason = data.draw(st.sampled_from(list(WriteOffReason)))
        self._record(WriteOff(sku, qty, reason, approved_by="manager").movements(self.state))

    @rule(sku=st.sampled_from(SKUS), sold_during=st.integers(0, 3_000), delta=st.integers(-5_000, 5_000))
    def count(self, sku, sold_during, delta):
        start = self.state
        since: list[Movement] = []
        if sold_during:
            line = draw(self.state, sku, sold_during, today=TODAY)
            since = list(line.movements())
            self._record(since)
            self.lines.append([line.draws, 0])
        counted = max(0, self.state.on_hand(sku) + delta)
        [variance] = count_variances(start, since, {sku: counted})
        # Sales during the count never show as variance.
        assert variance.expected == self.state.on_hand(sku)
        assert variance.quantity == counted - self.state.on_hand(sku)
        self._record(variance.movements)
        assert self.state.on_hand(sku) == counted

    @invariant()
    def on_hand_is_the_sum_of_movements(self):
        per_lot: dict[str, int] = defaultdict(int)
        unlotted: dict[str, int] = defaultdict(int)
        for m in self.log:
            if m.lot_id is None:
                unlotted[m.sku] += m.delta
            else:
                per_lot[m.lot_id] += m.delta
        for lot_id in self.state.lots:
            assert self.state.lot_on_hand(lot_id) == per_lot[lot_id] >= 0
        for sku in SKUS:
            assert self.state.unlotted.get(sku, 0) == unlotted[sku]

    @invariant()
    def a_fully_drawn_lot_gave_out_exactly_its_cost(self):
        net_out: dict[str, int] = defaultdict(int)
        for m in self.log:
            if m.lot_id is not None and m.kind is not MovementKind.RECEIVE:
                net_out[m.lot_id] += m.cost_fen if m.delta < 0 else -m.cost_fen
        for lot_id, lot in self.state.lots.items():
            position = self.state.positions[lot_id]
            assert position.out_cost_fen == net_out[lot_id] <= lot.total_cost_fen
            if position.on_hand == 0:
                assert net_out[lot_id] == lot.total_cost_fen


StockMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
TestStockMachine = StockMachine.TestCase
