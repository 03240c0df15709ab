"""Stock by delivery batch as the counter lives it: a 山海快车 batch of 茂县 apples in two lots."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.errors import InvalidInput
from pos.domain.stock import (
    ExpiryPolicy,
    Lot,
    Movement,
    MovementKind,
    ScanVerdict,
    StockState,
    WriteOff,
    WriteOffReason,
    bundle_draws,
    count_adjustments,
    count_variances,
    draw,
    expiry_from,
    line_margin,
    near_expiry,
    receive,
    return_draws,
    return_movements,
    scan_expiry_check,
)

TODAY = date(2026, 12, 5)

# 50 kg arrived first but keeps longer; 30 kg came on the next truck and must go first.
APPLES_48 = Lot("L48-1", "APPLE", "SHKC-2026-48", 50_000, 683, date(2026, 11, 28), expiry=date(2026, 12, 20),
                per_kg=True, received_seq=10, origin="茂县", certificate_no="HGZ-5132-0048", category="水果")
APPLES_49 = Lot("L49-1", "APPLE", "SHKC-2026-49", 30_000, 701, date(2026, 12, 4), expiry=date(2026, 12, 12),
                per_kg=True, received_seq=20, origin="茂县", certificate_no="HGZ-5132-0049", category="水果")


def apples() -> StockState:
    return StockState.empty().apply(receive(APPLES_48)).apply(receive(APPLES_49))


def sell(state: StockState, sku: str, qty: int):
    line = draw(state, sku, qty, today=TODAY)
    return line, state.apply_all(line.movements())


def test_80_kg_of_apples_in_two_lots_sell_first_expiry_first_and_cross_lots():
    state = apples()
    assert state.on_hand("APPLE") == 80_000

    line, state = sell(state, "APPLE", 1_255)  # 1.255 kg on the scale
    assert [(d.lot_id, d.quantity) for d in line.draws] == [("L49-1", 1_255)]
    assert line.cost_fen == 880  # 1.255 kg × 7.01 = 8.79755 → 8.80, half up

    _, state = sell(state, "APPLE", 27_745)  # the 49th batch is down to 1 kg
    crossing, state = sell(state, "APPLE", 2_500)
    assert [(d.lot_id, d.quantity) for d in crossing.draws] == [("L49-1", 1_000), ("L48-1", 1_500)]
    assert state.lot_on_hand("L49-1") == 0 and state.lot_on_hand("L48-1") == 48_500
    assert not crossing.flagged


def test_every_fen_of_a_fully_sold_lot_adds_up_to_its_delivery_note_amount():
    state, costs = apples(), []
    for grams in (333, 1_001, 499, 2_750, 777) * 20:
        line, state = sell(state, "APPLE", grams)
        costs += [d.cost_fen for d in line.draws if d.lot_id == "L49-1"]
        if state.lot_on_hand("L49-1") == 0:
            break
    assert state.lot_on_hand("L49-1") == 0
    assert sum(costs) == APPLES_49.total_cost_fen == 21_030  # 30 kg × 7.01


def test_a_partial_return_goes_back_to_the_lot_drawn_last_with_the_same_fen():
    state = apples()
    _, state = sell(state, "APPLE", 29_000)
    line, state = sell(state, "APPLE", 2_500)  # 1 kg from the 49th, 1.5 kg from the 48th

    first = return_draws(line.draws, 1_200)
    assert [(d.lot_id, d.quantity) for d in first] == [("L48-1", 1_200)]
    state = state.apply_all(return_movements(first))
    assert state.lot_on_hand("L48-1") == 48_500 + 1_200

    rest = return_draws(line.draws, 1_300, already_returned=1_200)
    assert [(d.lot_id, d.quantity) for d in rest] == [("L48-1", 300), ("L49-1", 1_000)]
    state = state.apply_all(return_movements(rest))
    assert sum(d.cost_fen for d in first + rest) == line.cost_fen
    assert state.on_hand("APPLE") == 80_000 - 29_000

    with pytest.raises(InvalidInput):
        return_draws(line.draws, 1, already_returned=2_500)


def test_a_spoiled_box_written_off_needs_approval_and_is_valued_at_cost():
    state = apples()
    box = WriteOff("APPLE", 5_000, WriteOffReason.SPOILED, lot_id="L48-1", note="一箱烂了")
    assert box.plan(state).cost_fen == 3_415  # 5 kg × 6.83
    with pytest.raises(InvalidInput) as refused:
        box.movements(state)
    assert refused.value.message_zh == "报损需要店长授权"

    approved = WriteOff("APPLE", 5_000, WriteOffReason.SPOILED, lot_id="L48-1", approved_by="manager")
    moves = approved.movements(state)
    assert [(m.kind, m.reason.label_zh) for m in moves] == [(MovementKind.WRITE_OFF, "变质")]
    state = state.apply_all(moves)
    assert state.lot_on_hand("L48-1") == 45_000 and state.lot_on_hand("L49-1") == 30_000

    with pytest.raises(InvalidInput):
        WriteOff("APPLE", 80_001, WriteOffReason.BROKEN).plan(state)


def test_counting_while_the_till_sells_shows_only_the_real_shortage():
    start = apples()
    # The count starts; the till keeps selling and takes a return meanwhile.
    sale, during = sell(start, "APPLE", 2_000)
    back = return_movements(return_draws(sale.draws, 500))
    since = list(sale.movements()) + list(back)
    # On the shelf: 80 kg − 2 kg + 0.5 kg, but 300 g went missing (tasting, weighing slips).
    [variance] = count_variances(start, since, {"APPLE": 78_200})
    assert variance.expected == 78_500 and variance.quantity == -300
    # 300 g of the 49th batch at 7.01 = 2.103: 2.11, because the return gave back 3.51 of the 2 kg's
    # 14.02 (half up) and the next outflow settles that half fen, so the lot still adds up exactly.
    assert variance.cost_fen == -211
    assert 1_402 - 351 + 211 == APPLES_49.cost_of(1_800)
    with pytest.raises(InvalidInput):
        count_adjustments([variance], approved_by=None)
    after = during.apply_all(back).apply_all(count_adjustments([variance], approved_by="manager"))
    assert after.on_hand("APPLE") == 78_200
    assert all(m.kind is MovementKind.ADJUST for m in variance.movements)


def test_a_count_that_finds_stock_settles_what_was_sold_past_zero_first():
    lot = Lot("E1", "EGG", "SHKC-2026-48", 10, 120, date(2026, 11, 28), expiry=date(2026, 12, 15))
    state = StockState.empty().apply(receive(lot))
    line, state = sell(state, "EGG", 12)
    assert line.flagged and [(d.lot_id, d.quantity, d.cost_fen) for d in line.draws] == [("E1", 10, 1_200),
                                                                                             (None, 2, 240)]
    assert state.on_hand("EGG") == -2
    [variance] = count_variances(state, [], {"EGG": 3})
    assert variance.quantity == 5
    state = state.apply_all(variance.movements)
    assert state.unlotted["EGG"] == 0 and state.lot_on_hand("E1") == 3 and state.on_hand("EGG") == 3


def test_selling_a_product_that_never_had_a_lot_is_flagged_with_an_unknown_cost():
    line = draw(StockState.empty(), "PEAR", 3, today=TODAY)
    assert line.flagged and not line.draws[0].cost_known and line.cost_fen == 0


def test_the_oldest_lot_expired_warns_or_refuses_by_store_setting():
    old = Lot("B1", "BEEF", "SHKC-2026-47", 4_000, 6_800, date(2026, 11, 21), expiry=date(2026, 12, 4), per_kg=True,
              quarantine_no="动检-2026-1187", category="肉")
    state = StockState.empty().apply(receive(old))
    assert scan_expiry_check(state, "BEEF", date(2026, 12, 4), ExpiryPolicy.WARN).verdict is ScanVerdict.OK
    warned = scan_expiry_check(state, "BEEF", TODAY, ExpiryPolicy.WARN)
    assert warned.verdict is ScanVerdict.WARN and "SHKC-2026-47" in warned.message_zh
    assert scan_expiry_check(state, "BEEF", TODAY, ExpiryPolicy.REFUSE).verdict is ScanVerdict.REFUSE
    # Still sold in FEFO order: the meat is physically there.
    assert draw(state, "BEEF", 500, today=TODAY).draws[0].lot_id == "B1"
    # Once the expired lot is written off, the scan is fine again.
    state = state.apply_all(WriteOff("BEEF", 4_000, WriteOffReason.EXPIRED, approved_by="m").movements(state))
    assert scan_expiry_check(state, "BEEF", TODAY, ExpiryPolicy.REFUSE).verdict is ScanVerdict.OK


def test_near_expiry_list_uses_each_categorys_days():
    state = apples()
    listed = near_expiry(state, TODAY, {"水果": 7})
    assert [(n.lot.lot_id, n.days_left) for n in listed] == [("L49-1", 7)]
    assert near_expiry(state, TODAY, {"水果": 3}) == ()
    assert [n.lot.lot_id for n in near_expiry(state, TODAY, {"水果": 15})] == ["L49-1", "L48-1"]


def test_same_expiry_draws_the_lot_received_first():
    a = Lot("A", "PIPA", "B1", 5, 900, date(2026, 12, 1), expiry=date(2026, 12, 9), received_seq=2)
    b = Lot("B", "PIPA", "B2", 5, 950, date(2026, 12, 2), expiry=date(2026, 12, 9), received_seq=3)
    state = StockState.empty().apply(receive(b)).apply(receive(a))
    assert [d.lot_id for d in draw(state, "PIPA", 7, today=TODAY).draws] == ["A", "B"]


def test_a_gift_box_draws_its_components_and_its_cost_is_theirs():
    cup = Lot("C1", "CUP", "PH-01", 10, 3_500, date(2026, 11, 1))
    tea = Lot("T1", "TEA", "PH-01", 10, 2_000, date(2026, 11, 1), expiry=date(2027, 6, 1))
    state = StockState.empty().apply(receive(cup)).apply(receive(tea))
    lines, state = bundle_draws(state, [("CUP", 1), ("TEA", 2)], 2, today=TODAY)
    assert [(ln.sku, ln.quantity) for ln in lines] == [("CUP", 2), ("TEA", 4)]
    assert sum(ln.cost_fen for ln in lines) == 2 * 3_500 + 4 * 2_000
    assert state.on_hand("CUP") == 8 and state.on_hand("TEA") == 6


def test_gross_margin_of_a_line_is_net_less_the_cost_of_its_draws():
    line = draw(apples(), "APPLE", 2_000, today=TODAY)  # 2 kg at 7.01 cost
    assert line_margin(2_396, line) == 2_396 - 1_402  # sold at 11.98/kg


@given(st.integers(1, 100_000), st.lists(st.integers(1, 5_000), min_size=1, max_size=60), st.booleans())
def test_draw_costs_always_add_up_to_the_lot_amount(cost, sales, per_kg):
    lot = Lot("X", "SKU", "B", sum(sales), cost, date(2026, 1, 1), per_kg=per_kg)
    state, total = StockState.empty().apply(receive(lot)), 0
    for q in sales:
        line, state = sell(state, "SKU", q)
        assert all(d.cost_fen >= 0 for d in line.draws)
        total += line.cost_fen
    assert total == lot.total_cost_fen


def test_expiry_from_a_production_date_counts_the_production_day_as_day_one():
    assert expiry_from(date(2026, 12, 1), 7) == date(2026, 12, 7)
    assert expiry_from(date(2026, 12, 1), 1) == date(2026, 12, 1)
    with pytest.raises(InvalidInput):
        expiry_from(date(2026, 12, 1), 0)


def test_a_write_off_from_another_products_lot_is_refused():
    with pytest.raises(InvalidInput) as refused:
        WriteOff("BEEF", 100, WriteOffReason.BROKEN, lot_id="L48-1").plan(apples())
    assert "L48-1" in refused.value.message_zh


def test_same_expiry_draws_the_earlier_delivery_day_before_the_journal_order():
    a = Lot("A", "PIPA", "B1", 5, 900, date(2026, 12, 1), expiry=date(2026, 12, 9), received_seq=9)
    b = Lot("B", "PIPA", "B2", 5, 950, date(2026, 12, 2), expiry=date(2026, 12, 9), received_seq=1)
    state = StockState.empty().apply(receive(b)).apply(receive(a))
    assert [d.lot_id for d in draw(state, "PIPA", 7, today=TODAY).draws] == ["A", "B"]


def test_a_movement_must_move_something_from_a_lot_of_its_own_product():
    state = apples()
    with pytest.raises(InvalidInput):
        state.apply(Movement(MovementKind.SALE, "BEEF", "L48-1", 100, 0))
    with pytest.raises(InvalidInput):
        Movement(MovementKind.SALE, "APPLE", "L48-1", 0, 0)
    with pytest.raises(InvalidInput):
        Movement(MovementKind.WRITE_OFF, "APPLE", "L48-1", 10, 7)
    with pytest.raises(InvalidInput):  # more than the lot holds
        state.apply(Movement(MovementKind.SALE, "APPLE", "L49-1", 30_001, 0))
