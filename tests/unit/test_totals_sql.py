"""Totals read from the running report facts equal period_totals of the journal entries, to the key.

Generated journals hold every shape PeriodTotals reads: sales with and without stored tax and
reductions (older payloads), gift boxes with components at mixed rates and counties, zero lines,
several tenders with change, returns with origin and rate splits, practice sales and returns,
voids with and without a shift, cash in and out, entries that add nothing, shifts opened and
closed between them — over two business days, in any order. Day, shift and day-range totals from
SQL must equal ``period_totals`` of the same entries: every figure, every dict and its keys.
"""

from __future__ import annotations

import json
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from pos.domain.closing import PeriodTotals, period_totals, return_tax, sale_tax
from pos.domain.ledger import EntryKind, JournalEntry
from pos.services.shifts import shift_entries
from pos.store import facts, totals
from pos.store.repositories import ShiftRecord
from pos.store.schema import fact_figures, fact_totals, journal, metadata, shifts

DAYS = ("2026-11-22", "2026-11-23")
RATES = (None, 0, 600, 900, 1300)
ORIGINS = ("茂县", "松阳", "青田", "", "平湖")
CATEGORIES = ("水果", "礼盒", "", "工艺品")
TENDERS = ("cash", "wechat", "alipay", "unionpay", "voucher", "account")
SHIFTS = (1, 2, 3, None)  # None: a void (or older entry) naming no shift: it counts in the shift open then

money = st.integers(0, 30_000)

component = st.fixed_dictionaries({
    "sku": st.just("C1"), "name": st.just("组件"), "quantity": st.integers(1, 3), "category": st.sampled_from(CATEGORIES),
    "origin": st.sampled_from(ORIGINS), "tax_rate_bp": st.sampled_from(RATES), "revenue": money,
})


@st.composite
def sale_line(draw, line_no: int) -> dict:  # noqa: ANN001
    amount = draw(money)
    comps = draw(st.lists(component, max_size=3))
    return {"line_no": line_no, "sku": f"S{line_no}", "name": "货", "unit": "件", "sold_by": "unit",
            "quantity": draw(st.integers(1, 5)), "unit_price": amount, "amount": amount,
            "category": draw(st.sampled_from(CATEGORIES)), "origin": draw(st.sampled_from(ORIGINS)),
            "tax_rate_bp": draw(st.sampled_from(RATES)), "list_price": draw(st.none() | money),
            "gross": amount + draw(st.integers(0, 500)), "discount": draw(st.integers(0, 500)),
            "sale_discount_share": draw(st.integers(0, amount)), "rounding_share": draw(st.integers(-90, 90)),
            "components": comps}


@st.composite
def sale(draw) -> dict:  # noqa: ANN001
    lines = [draw(sale_line(i + 1)) for i in range(draw(st.integers(1, 4)))]
    net = sum(ln["amount"] - ln["sale_discount_share"] + ln["rounding_share"] for ln in lines)
    tenders = [{"kind": draw(st.sampled_from(TENDERS)), "amount": draw(money)} for _ in range(draw(st.integers(0, 3)))]
    cash = sum(t["amount"] for t in tenders if t["kind"] == "cash")
    p = {"receipt_no": "MX01-20261122-0001", "cashier": "c", "lines": lines, "subtotal": sum(ln["gross"] for ln in lines),
         "rounding": sum(ln["rounding_share"] for ln in lines), "total": net, "tenders": tenders,
         "change": draw(st.integers(0, cash)), "training": draw(st.booleans()), "shift": draw(st.sampled_from(SHIFTS))}
    if draw(st.booleans()):  # as sales are written now; else as before tax and reductions were stored
        p["tax"] = sale_tax(p).to_json()
        p["list_total"] = draw(money)
        p["reductions"] = {"discount": draw(money), "override": draw(st.integers(-500, 500)), "rounding": 0,
                           "gift": draw(money)}
    return p


@st.composite
def return_(draw) -> dict:  # noqa: ANN001
    lines = []
    for i in range(draw(st.integers(1, 3))):
        refund = draw(money)
        ln = {"line_no": i + 1, "refund": refund, "category": draw(st.sampled_from(CATEGORIES)),
              "origin": draw(st.sampled_from(ORIGINS)), "tax_rate_bp": draw(st.sampled_from(RATES))}
        if draw(st.booleans()):  # a gift box: by its components' counties and rates
            half = refund // 2
            ln["origin_split"] = [[draw(st.sampled_from(ORIGINS)), half], [draw(st.sampled_from(ORIGINS)), refund - half]]
            ln["rate_split"] = [[draw(st.sampled_from(RATES)), half], [draw(st.sampled_from(RATES)), refund - half]]
        lines.append(ln)
    p = {"lines": lines, "refund": sum(ln["refund"] for ln in lines),
         "refunds": [{"kind": draw(st.sampled_from(TENDERS)), "amount": draw(money)} for _ in range(draw(st.integers(0, 2)))],
         "training": draw(st.booleans()), "shift": draw(st.sampled_from(SHIFTS))}
    if draw(st.booleans()):
        p["tax"] = return_tax(p).to_json()
    return p


def _amount_payload(void: bool) -> st.SearchStrategy[dict]:
    base = {"amount": money, "shift": st.sampled_from(SHIFTS if void else SHIFTS[:-1])}
    if void:
        base["training"] = st.booleans()
    return st.fixed_dictionaries(base)


entry = st.one_of(
    st.tuples(st.just(EntryKind.SALE), sale()),
    st.tuples(st.just(EntryKind.RETURN), return_()),
    st.tuples(st.just(EntryKind.VOID), _amount_payload(True)),
    st.tuples(st.just(EntryKind.CASH_IN), _amount_payload(False)),
    st.tuples(st.just(EntryKind.CASH_OUT), _amount_payload(False)),
    st.tuples(st.just(EntryKind.LOGIN), st.fixed_dictionaries({"user": st.just("c"), "shift": st.just(1)})),
    st.tuples(st.just(EntryKind.SHIFT_OPEN), st.just({})),  # opens the next shift, or closes the open one
)


def _facts_db() -> sqlite3.Connection:
    engine = create_engine("sqlite://")
    metadata.create_all(engine, tables=[fact_figures, fact_totals, shifts, journal])
    return engine.raw_connection().driver_connection


def _journal(draws: list[tuple[str, dict, int]]) -> list[JournalEntry]:
    """The draws as a journal; each SHIFT_OPEN draw opens shift n + 1, or closes shift n when it is open."""
    out, last, open_no = [], 0, None
    for seq, (kind, payload, day) in enumerate(draws, start=1):
        if kind == EntryKind.SHIFT_OPEN:
            if open_no is None:
                last = open_no = last + 1
            else:
                kind, open_no = EntryKind.SHIFT_CLOSE, None
            payload = {"shift": last}
        out.append(JournalEntry("MX01", seq, kind, DAYS[day], "", payload, "", ""))
    return out


def _write(db: sqlite3.Connection, entries: list[JournalEntry]) -> dict[int, ShiftRecord]:
    """Journal the entries with the read models the facts see (shifts), as projections.apply does."""
    opened: dict[int, ShiftRecord] = {}
    for e in entries:
        db.execute("INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, '', '')",
                   (e.terminal_id, e.seq, e.kind, e.business_day, e.created_at, json.dumps(e.payload)))
        no = e.payload.get("shift")
        if e.kind == EntryKind.SHIFT_OPEN:
            db.execute("INSERT INTO shifts (shift_no, terminal_id, business_day, opened_seq, opened_at, opened_by, "
                       "opening_float_fen) VALUES (?, 'MX01', ?, ?, '', 'c', 0)", (no, e.business_day, e.seq))
            opened[no] = ShiftRecord(no, e.business_day, e.seq, "", "c", 0, None, None, None, None)
        elif e.kind == EntryKind.SHIFT_CLOSE:
            db.execute("UPDATE shifts SET closed_seq = ? WHERE shift_no = ?", (e.seq, no))
            opened[no] = ShiftRecord(no, e.business_day, opened[no].opened_seq, "", "c", 0, e.seq, None, None, None)
        facts.write(db, e)
    return opened


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(draws=st.lists(st.tuples(entry, st.integers(0, 1)).map(lambda x: (x[0][0], x[0][1], x[1])), max_size=30),
       cut=st.data())
def test_sql_totals_equal_the_journal_s_totals_for_days_shifts_and_ranges(draws, cut) -> None:  # noqa: ANN001
    entries = _journal(draws)
    db = _facts_db()
    opened = _write(db, entries)
    for day in DAYS:
        want = period_totals(e for e in entries if e.business_day == day)
        got = totals.day_totals(db, day)
        assert got == want
        assert got.to_json() == want.to_json()
        first = cut.draw(st.integers(0, len(entries) + 1))
        last = cut.draw(st.integers(first, len(entries) + 1))
        assert totals.day_range_totals(db, day, first, last) == period_totals(
            e for e in entries if e.business_day == day and first <= e.seq <= last)
    for shift in opened.values():
        want = period_totals(shift_entries(entries, shift))
        got = totals.shift_totals(db, shift.shift_no)
        assert got == want
        assert got.to_json() == want.to_json()


def test_an_empty_period_is_all_zero() -> None:
    db = _facts_db()
    assert totals.day_totals(db, DAYS[0]) == PeriodTotals()
    assert totals.shift_totals(db, 1) == PeriodTotals()


def test_a_practice_sale_is_counted_and_nothing_else_of_it_is() -> None:
    db = _facts_db()
    p = {"lines": [], "subtotal": 500, "total": 500, "tenders": [{"kind": "cash", "amount": 500}], "change": 0,
         "training": True, "shift": 1}
    facts.write(db, JournalEntry("MX01", 1, EntryKind.SALE, DAYS[0], "", p, "", ""))
    facts.write(db, JournalEntry("MX01", 2, EntryKind.RETURN, DAYS[0], "", {"training": True, "lines": [], "refund": 500,
                                                                              "refunds": [], "shift": 1}, "", ""))
    t = totals.day_totals(db, DAYS[0])
    assert (t.training_count, t.sales_count, t.returns_count, t.sales_fen, t.by_tender) == (1, 0, 0, 0, {})
    assert db.execute("SELECT training_count, sales_count, sales_fen FROM fact_figures").fetchall() == [(1, 0, 0)]
    assert db.execute("SELECT COUNT(*) FROM fact_totals").fetchone() == (0,)
