"""The accountant's period reports (issue 16) over a generated month, checked against the journal.

A till on a real SQLite file trades twelve days of November (and a day on either side that must not
count): every tender, line and sale discounts, a price override and a gift approved by the manager,
抹零, a weighed product, a gift box, returns with and without a receipt, practice sales, lots with a
cost (and one product sold past zero), a shift and a Z every day. Every total of every report is then
compared with an independent reading of the journal below, which uses only ``json`` and ``sqlite3``
and the payloads as written — never the read models the reports are built from.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from pos.bootstrap import open_till
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.errors import InvalidInput, PosError
from pos.domain.ledger import EntryKind
from pos.domain.permissions import Action
from pos.domain.pricing import Discount, DiscountKind, RoundingMode
from pos.domain.table_report import Ratio
from pos.domain.tenders import Tender, TenderKind
from pos.services.period_reports import (
    ACCOUNT_PAYMENT_ACTION,
    REPORT_NAMES,
    PaymentNeedsApproval,
    PaymentNotPermitted,
    UnknownReport,
)
from pos.services.ports import FixedClock

EGGS, EGGS10, APPLES, BEEF = "MX-E001", "MX-E002", "MX-F001", "MX-M001"
WALNUTS, RICE, HONEY, TEA, BOX = "MX-N001", "MX-R001", "MX-H001", "MX-T001", "MX-G001"
A, B = "2026-11-01", "2026-11-30"
DAYS = ["2026-10-31"] + [f"2026-11-{d:02d}" for d in range(1, 13)] + ["2026-12-01"]


def at_local(day: str, hh: int, mm: int = 0) -> datetime:
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=UTC) - timedelta(hours=8)


def _lot(lot: str, sku: str, qty: int, unit_cost: int, *, weighed: bool, origin: str = "松阳") -> dict:
    cost = (qty * unit_cost * 2 + 1000) // 2000 if weighed else qty * unit_cost
    return {"lot": lot, "sku": sku, "name": sku, "category": "", "origin": origin, "weighed": weighed,
            "quantity": qty, "unit_cost": unit_cost, "cost": cost, "expiry": "2027-01-31", "production_date": None,
            "certificate": "HG" + lot[-1], "certificate_qr": "", "quarantine": ""}


def _receive(till) -> None:
    lots = [_lot("SHKC-2026-50/1", EGGS, 1000, 3000, weighed=False),
            _lot("SHKC-2026-50/2", APPLES, 500_000, 900, weighed=True, origin="茂县"),
            _lot("SHKC-2026-50/3", HONEY, 500, 5000, weighed=False),
            _lot("SHKC-2026-50/4", WALNUTS, 5, 2000, weighed=False, origin="茂县")]  # sold past zero on day 2
    with till.uow() as uow:
        uow.journal.append(EntryKind.STOCK_RECEIPT, business_day="2026-10-30", created_at="2026-10-30T01:00:00.000000Z",
                           payload={"batch": "SHKC-2026-50", "supplier": "松阳县供销合作社", "contact": "0578-8066000",
                                    "arrival": "2026-10-30", "by": "manager1", "source": "test",
                                    "kept_until": "2027-04-30", "total_cost": sum(x["cost"] for x in lots), "lots": lots})
        uow.commit()


def _sell(till, cashier, items, tenders, *, training=False, edit=None):
    cart = Cart()
    for sku, qty in items:
        cart = cart.add(till.lookup.find(sku), qty)
    if edit is not None:
        cart = edit(cart)
    total = till.checkout.totals(cart).total_fen
    return till.checkout.complete_sale(cart, tenders(total), cashier, training=training)


def _trade_day(till, day: str, i: int, cashier, manager) -> None:
    till.clock.at = at_local(day, 8, 30)
    till.shifts.open(cashier, CashCount())
    till.clock.at = at_local(day, 9 + i % 3)
    cash_sale = _sell(till, cashier, [(EGGS, 2)], lambda t: [Tender(TenderKind.CASH, 10_000)])
    weighed = _sell(till, cashier, [(APPLES, 1255 + 10 * i)], lambda t: [Tender(TenderKind.WECHAT, t, f"42000{day[-2:]}{i}")])
    _sell(till, cashier, [(BOX, 1)], lambda t: [Tender(TenderKind.ALIPAY, t)])
    till.clock.at = at_local(day, 12, 5)
    _sell(till, cashier, [(WALNUTS, 3)], lambda t: [Tender(TenderKind.UNIONPAY, t, f"UP{day[-2:]}{i:02d}")],
          edit=lambda c: c.discount_line(0, Discount(DiscountKind.PERCENT, 1000), by=cashier.role))
    voucher_sale = _sell(till, cashier, [(RICE, 1)], lambda t: [Tender(TenderKind.VOUCHER, 5000, f"V{day[-5:]}"),
                                                                Tender(TenderKind.CASH, t - 5000)])
    _sell(till, cashier, [(HONEY, 2)], lambda t: [Tender(TenderKind.ACCOUNT, t, "MXGXS")])
    till.clock.at = at_local(day, 15, 40)
    if i % 2 == 0:  # a price override and a gift, approved by the manager
        ok = till.auth.approve(Action.PRICE_OVERRIDE, "manager1", "2222", requested_by=cashier, detail="test")
        _sell(till, cashier, [(TEA, 1)], lambda t: [Tender(TenderKind.CASH, t)],
              edit=lambda c: c.override_price(0, 15_000, by=cashier.role, approval=ok))
        gift_ok = till.auth.approve(Action.DISCOUNT_OVER_LIMIT, "manager1", "2222", requested_by=cashier, detail="赠送")
        _sell(till, cashier, [(EGGS, 1), (EGGS10, 1)], lambda t: [Tender(TenderKind.CASH, t)],
              edit=lambda c: c.discount_line(1, Discount(DiscountKind.PERCENT, 10_000), by=cashier.role, approval=gift_ok))
    _sell(till, cashier, [(EGGS10, 2), (BEEF, 505)], lambda t: [Tender(TenderKind.CASH, t)],
          edit=lambda c: c.discount_sale(Discount(DiscountKind.PERCENT, 500), by=cashier.role))
    _sell(till, cashier, [(EGGS, 3)], lambda t: [Tender(TenderKind.CASH, t)], training=True)  # practice
    till.clock.at = at_local(day, 19, 10)
    till.returns.return_items(cash_sale.sale.receipt_no, {1: 1}, manager)
    if i % 3 == 0:
        till.returns.return_items(weighed.sale.receipt_no, {1: 500}, manager)
        till.returns.return_items(voucher_sale.sale.receipt_no, {1: 1}, manager)
    if i % 4 == 1:
        till.returns.return_without_receipt([(till.lookup.find(EGGS10), 1)], manager)
    till.clock.at = at_local(day, 21)
    till.shifts.close(cashier, CashCount())
    till.clock.at = at_local(day, 21, 30)
    till.closing.z_close(manager)


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("month")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIANXIN_HOME", str(tmp / "home"))
        mp.delenv("POS_DB", raising=False)
        till = open_till(load_config(db=tmp / "till.db", printer="dummy:"), create=True, demo=True,
                         clock=FixedClock(at_local("2026-10-30", 8)))
        try:
            cashier = till.auth.login("cashier1", "1111")
            manager = till.auth.login("manager1", "2222")
            till.checkout.set_rounding(RoundingMode.ROUND_JIAO, manager)
            _receive(till)
            for i, day in enumerate(DAYS):
                if day == "2026-12-01":  # a payment received in the middle of the month, before December trades
                    till.clock.at = at_local("2026-11-13", 10)
                    till.period_reports.record_account_payment("MXGXS", 20_000, manager, None, note="转账 20261113")
                _trade_day(till, day, i, cashier, manager)
            yield till, tmp / "till.db"
        finally:
            till.close()


# -- the independent reading of the journal: json and sqlite3 only ------------------------------------
class Journal:
    """What the journal says about a period, read from the payloads as they were written."""

    def __init__(self, path, a: str = A, b: str = B) -> None:
        with sqlite3.connect(path) as c:
            rows = c.execute("SELECT kind, business_day, created_at, payload FROM journal ORDER BY seq").fetchall()
            self.partners = ("茂县", "松阳", "青田", "九寨沟")
        self.entries = [(k, d, at, json.loads(p)) for k, d, at, p in rows]
        inside = [(k, d, at, p) for k, d, at, p in self.entries if a <= d <= b]
        self.sales = [(d, at, p) for k, d, at, p in inside if k == "sale" and not p.get("training")]
        self.returns = [(d, at, p) for k, d, at, p in inside if k == "return" and not p.get("training")]
        self.training = [p for k, _d, _at, p in inside if k == "sale" and p.get("training")]
        self.zs = [(d, p) for k, d, _at, p in inside if k == "z_closure"]
        self.all_sales = [(d, p) for k, d, _at, p in self.entries if k == "sale" and not p.get("training")]
        self.all_returns = [(d, p) for k, d, _at, p in self.entries if k == "return" and not p.get("training")]
        self.payments = [(d, p) for k, d, _at, p in self.entries if k == "account_payment"]
        self.a, self.b = a, b

    @staticmethod
    def line_net(ln: dict) -> int:
        return ln["amount"] - ln.get("sale_discount_share", 0) + ln.get("rounding_share", 0)

    def daily(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for d, _at, p in self.sales:
            o = out[d]
            o["receipts"] += 1
            o["list_value"] += p["list_total"]
            for k in ("discount", "override", "gift", "rounding"):
                o[k] += p["reductions"][k]
            o["sales"] += p["total"]
        for d, _at, p in self.returns:
            out[d]["returns_count"] += 1
            out[d]["refunds"] += p["refund"]
        return {d: dict(v) for d, v in out.items()}

    def tenders(self) -> dict[str, list[int]]:
        """tender → [taken (after change), refunded]."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for _d, _at, p in self.sales:
            change = p["change"]
            for t in reversed(p["tenders"]):
                amount = t["amount"]
                if t["kind"] == "cash" and change:
                    take = min(change, amount)
                    amount -= take
                    change -= take
                out[t["kind"]][0] += amount
        for _d, _at, p in self.returns:
            for t in p["refunds"]:
                out[t["kind"]][1] += t["amount"]
        return dict(out)

    def tax(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for docs, sign in ((self.sales, 1), (self.returns, -1)):
            for _d, _at, p in docs:
                for r in p["tax"]:
                    label = "未设" if r.get("rate_bp") is None else f"{r['rate_bp'] // 100}%"
                    row = out[label]
                    row[0] += sign * r["gross"]
                    row[1] += sign * r["net"]
                    row[2] += sign * r["tax"]
        return dict(out)

    def products(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for _d, _at, p in self.sales:
            for ln in p["lines"]:
                o = out[ln["sku"]]
                o["qty"] += ln["quantity"]
                o["sales"] += self.line_net(ln)
            lines = {ln["line_no"]: ln["sku"] for ln in p["lines"]}
            drawn = defaultdict(list)
            for dr in p.get("draws", ()):
                drawn[dr["line"]].append(dr)
            for ln in p["lines"]:
                draws = drawn.get(ln["line_no"], [])
                o = out[lines[ln["line_no"]]]
                if not draws or any(not dr["known"] for dr in draws):
                    o["unknown"] += 1  # a line of unknown cost
                o["cost"] += sum(dr["cost"] for dr in draws if dr["known"])
                o["known_net"] += sum(dr["net"] for dr in draws if dr["known"])
                o["known"] += sum(1 for dr in draws if dr["known"])
        for _d, _at, p in self.returns:
            for ln in p["lines"]:
                o = out[ln["sku"]]
                o["qty"] -= ln["quantity"]
                o["refunds"] += ln["refund"]
            draws = defaultdict(list)
            for dr in p.get("draws", ()):
                draws[dr["line"]].append(dr)
            for ln in p["lines"]:
                mine = draws.get(ln["line_no"], [])
                if not mine or any(not dr.get("known", True) for dr in mine):
                    out[ln["sku"]]["unknown"] += 1
                known = [dr for dr in mine if dr.get("known", True)]
                out[ln["sku"]]["cost"] -= sum(dr["cost"] for dr in known)
                out[ln["sku"]]["known_net"] -= sum(dr["net"] for dr in known)
                out[ln["sku"]]["known"] += len(known)
        return {k: dict(v) for k, v in out.items()}

    def categories(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for _d, _at, p in self.sales:
            for ln in p["lines"]:
                out[ln.get("category") or "未分类"] += self.line_net(ln)
        for _d, _at, p in self.returns:
            for ln in p["lines"]:
                out[ln.get("category") or "未分类"] -= ln["refund"]
        return dict(out)

    def origins(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for _d, _at, p in self.sales:
            for ln in p["lines"]:
                if ln.get("components"):
                    for c in ln["components"]:
                        out[c.get("origin") or "未知"] += c["revenue"]
                else:
                    out[ln.get("origin") or "未知"] += self.line_net(ln)
        for _d, _at, p in self.returns:
            for ln in p["lines"]:
                for origin, amount in ln.get("origin_split") or [[ln.get("origin") or "未知", ln["refund"]]]:
                    out[origin or "未知"] -= amount
        return dict(out)

    def reductions(self) -> dict[str, int]:
        out = {"折扣": 0, "改价": 0, "赠送": 0, "抹零": 0}
        for _d, _at, p in self.sales:
            for k, zh in (("discount", "折扣"), ("override", "改价"), ("gift", "赠送"), ("rounding", "抹零")):
                out[zh] += p["reductions"][k]
        return out

    def approvers(self) -> set[tuple[str, str]]:
        """(receipt, approver) of every line approval (price overrides, discounts over the limit)."""
        return {(p["receipt_no"], a["approver"]) for _d, _at, p in self.sales for ln in p["lines"]
                for a in ln.get("approvals", ())}

    def vouchers(self) -> list[tuple[str, str, int]]:
        return [(p["receipt_no"], t["reference"], t["amount"]) for _d, _at, p in self.sales for t in p["tenders"]
                if t["kind"] == "voucher"]

    def account(self, code: str) -> dict[str, int]:
        out = defaultdict(int)
        for d, p in self.all_sales:
            for t in p["tenders"]:
                if t["kind"] == "account" and t["reference"] == code:
                    out["opening" if d < self.a else "sales" if d <= self.b else "later"] += t["amount"]
        for d, p in self.all_returns:
            for t in p["refunds"]:
                if t["kind"] == "account" and t["reference"] == code:
                    out["opening" if d < self.a else "returns" if d <= self.b else "later"] -= t["amount"]
        for d, p in self.payments:
            if p["code"] == code:
                out["opening" if d < self.a else "payments" if d <= self.b else "later"] += -p["amount"] if d < self.a else p["amount"]
        return dict(out)

    def hours(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for docs, i in ((self.sales, 1), (self.returns, 2)):
            for _d, at, p in docs:
                hour = (datetime.fromisoformat(at.replace("Z", "+00:00")) + timedelta(hours=8)).hour
                if i == 1:
                    out[hour][0] += 1
                    out[hour][1] += p["total"]
                else:
                    out[hour][2] += p["refund"]
        return dict(out)

    def batches(self) -> dict[str, list[int]]:
        """batch → [net, cost of known draws, net of known draws]."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for docs, sign in ((self.sales, 1), (self.returns, -1)):
            for _d, _at, p in docs:
                for dr in p.get("draws", ()):
                    out[dr["batch"]][0] += sign * dr["net"]
                    if dr.get("known", True):
                        out[dr["batch"]][1] += sign * dr["cost"]
                        out[dr["batch"]][2] += sign * dr["net"]
        return dict(out)


@pytest.fixture(scope="module")
def journal(month):
    return Journal(month[1])


def build(month, name: str, a: str = A, b: str = B):
    return month[0].period_reports.build(name, date.fromisoformat(a), date.fromisoformat(b))


def col(report, key: str) -> list:
    return report.values(key)


def total(report, key: str):
    return report.totals[report.column(key)]


# -- the reports ------------------------------------------------------------------------------------
def test_the_month_has_what_an_accountant_meets(journal) -> None:
    kinds = {t["kind"] for _d, _at, p in journal.sales for t in p["tenders"]}
    assert kinds == {t.value for t in TenderKind}
    assert journal.training and journal.returns and any(p.get("draws") for _d, _at, p in journal.sales)
    assert all(v for v in journal.reductions().values())
    assert len(journal.zs) == 12


def test_the_daily_report_is_the_journal_day_by_day_and_leaves_practice_and_other_months_out(month, journal) -> None:
    r = build(month, "daily")
    want = journal.daily()
    assert [d.isoformat() for d in col(r, "day")] == sorted(want)
    for row in r.rows:
        w = want[row[0].isoformat()]
        got = dict(zip([c.key for c in r.columns], row, strict=True))
        assert got["receipts"] == w["receipts"] and got["list_value"] == w["list_value"]
        assert (got["discount"], got["override"], got["gift"], got["rounding"]) == (
            w["discount"], w["override"], w["gift"], w["rounding"])
        assert got["sales"] == w["sales"] and got["refunds"] == w["refunds"] and got["net"] == w["sales"] - w["refunds"]
        assert got["list_value"] - got["discount"] - got["override"] - got["gift"] - got["rounding"] == got["sales"]
    sales = sum(w["sales"] for w in want.values())
    assert total(r, "sales") == sales and total(r, "receipts") == len(journal.sales)
    assert total(r, "net") == sales - sum(p["refund"] for _d, _at, p in journal.returns)
    assert total(r, "avg_ticket") == (2 * sales + len(journal.sales)) // (2 * len(journal.sales))


def test_takings_by_tender_end_in_the_net_takings_and_equal_the_zs(month, journal) -> None:
    r = build(month, "tenders")
    want = journal.tenders()
    got = {row[1]: row for row in r.rows}
    assert set(got) == set(want)
    for k, (taken, refunded) in want.items():
        assert got[k][2:5] == (taken, refunded, taken - refunded)
    z = defaultdict(int)
    for _d, p in journal.zs:
        for k, v in p["totals"]["by_tender"].items():
            z[k] += v
    assert {k: row[5] for k, row in got.items()} == dict(z)
    assert all(row[4] == row[5] for row in r.rows)
    assert r.totals[0] == "营业实收" and total(r, "net") == sum(z.values()) == total(build(month, "daily"), "net")
    assert any("一致" in n for n in r.notes)


def test_tax_by_rate_is_the_payloads_tax_split(month, journal) -> None:
    r = build(month, "tax")
    want = journal.tax()
    assert {row[0]: list(row[1:]) for row in r.rows} == want
    assert total(r, "tax") == sum(v[2] for v in want.values())
    assert all(row[1] == row[2] + row[3] for row in r.rows)


def test_products_carry_quantity_kg_net_tax_and_cost_and_never_call_an_unknown_cost_a_full_margin(month, journal) -> None:
    r = build(month, "products")
    want = journal.products()
    rows = {row[0]: dict(zip([c.key for c in r.columns], row, strict=True)) for row in r.rows}
    assert set(rows) == set(want)
    for sku, w in want.items():
        g = rows[sku]
        assert g["qty"].amount == w["qty"] and g["sales"] == w["sales"] and g["refunds"] == w.get("refunds", 0)
        if not w.get("known"):  # no cost known at all: empty, never a 100 % margin
            assert g["cost"] is None and g["margin"] is None and g["margin_pct"] is None
        else:  # the margin over the goods of known cost
            margin = w["known_net"] - w["cost"]
            assert g["cost"] == w["cost"] and g["margin"] == margin
            assert g["margin_pct"] == Ratio(margin, w["known_net"])
    # eggs: every line drew from a lot at a known cost, so the margin is simply net − cost; the gift box's
    # margin is only over its honey (the one component followed in stock), not its whole price
    assert rows[EGGS]["margin"] == rows[EGGS]["net"] - rows[EGGS]["cost"]
    assert rows[BOX]["margin"] < rows[BOX]["net"] - rows[BOX]["cost"]
    assert rows[APPLES]["qty"].weighed and rows[APPLES]["qty"].text().endswith("kg")
    assert rows[EGGS]["cost"] is not None and rows[HONEY]["cost"] is not None
    assert rows[BEEF]["cost"] is None  # beef's stock is not followed: unknown, not 100 %
    assert total(r, "net") == total(build(month, "daily"), "net")
    assert total(r, "tax") == total(build(month, "tax"), "tax")
    assert total(r, "qty") is None  # kilograms and units are never added together
    assert any("成本未知" in n for n in r.notes)


def test_categories_and_origins_add_up_and_partner_regions_are_never_mixed_with_local_goods(month, journal) -> None:
    r = build(month, "categories")
    assert {row[0]: row[4] for row in r.rows} == journal.categories()
    assert total(r, "net") == sum(journal.categories().values())
    o = build(month, "origins")
    assert o.totals is None and [h for h, _i in o.sections][0].startswith("消费帮扶")
    want = journal.origins()
    partner = {k: v for k, v in want.items() if any(p in k for p in journal.partners)}
    local = {k: v for k, v in want.items() if k not in partner}
    rows = [row for row in o.rows if not row[0].startswith("小计")]
    assert {row[0]: row[2] for row in rows if row[1] == "消费帮扶"} == partner
    assert {row[0]: row[2] for row in rows if row[1] == "本地商品"} == local
    subtotals = [row for row in o.rows if row[0].startswith("小计")]
    assert [s[2] for s in subtotals] == [sum(partner.values()), sum(local.values())]


def test_the_partner_regions_are_a_store_setting(month) -> None:
    till, _path = month
    with pytest.raises(PosError):
        till.period_reports.set_partner_regions(["茂县"], till.auth.login("cashier1", "1111"))
    manager = till.auth.login("manager1", "2222")
    try:
        assert till.period_reports.set_partner_regions([" 茂县", "青田", "茂县"], manager) == ("茂县", "青田")
        o = build(month, "origins")
        assert "松阳" in [row[0] for row in o.rows if row[1] == "本地商品"]
        assert "茂县、青田" in o.notes[0]
    finally:
        assert till.period_reports.set_partner_regions([], manager) == ("茂县", "松阳", "青田", "九寨沟")


def test_transactions_list_every_receipt_and_return_with_tenders_and_references(month, journal) -> None:
    r = build(month, "transactions")
    docs = [p["receipt_no"] for _d, _at, p in journal.sales] + [p["return_no"] for _d, _at, p in journal.returns]
    assert sorted(col(r, "doc_no")) == sorted(docs)
    assert total(r, "amount") == total(build(month, "daily"), "net")
    want = journal.tenders()
    for k, (taken, refunded) in want.items():
        change = sum(p["change"] for _d, _at, p in journal.sales) if k == "cash" else 0
        assert total(r, k) == taken - refunded + change
    assert total(r, "change") == sum(p["change"] for _d, _at, p in journal.sales)
    refs = " ".join(col(r, "references"))
    for _d, _at, p in journal.sales:
        for t in p["tenders"]:
            if t["reference"]:
                assert t["reference"] in refs
    assert col(r, "at") == sorted(col(r, "at"))
    assert all(row[3] == "张小芳" for row in r.rows if row[2] == "销售")


def test_returns_reductions_and_vouchers_redeemed(month, journal) -> None:
    r = build(month, "returns")
    assert total(r, "refund") == sum(p["refund"] for _d, _at, p in journal.returns)
    assert len(r.rows) == sum(len(p["lines"]) for _d, _at, p in journal.returns)
    assert "无小票" in col(r, "receipt_no")
    red = build(month, "reductions")
    by_kind = defaultdict(int)
    for row in red.rows:
        by_kind[row[4]] += row[5]
    assert dict(by_kind) == journal.reductions()
    approved = {(row[1], row[6]) for row in red.rows if row[6]}
    assert approved == {(rc, "李建国") for rc, a in journal.approvers() if a == "manager1"} and approved
    assert {row[4] for row in red.rows if row[6]} == {"改价", "赠送"}  # a 10 % line discount needs nobody
    v = build(month, "vouchers-used")
    assert [(row[1], row[2], row[3]) for row in v.rows] == journal.vouchers()
    assert total(v, "amount") == sum(x[2] for x in journal.vouchers())


def test_the_account_statement_and_a_payment_received_bring_the_balance_down(month, journal) -> None:
    till, _path = month
    r = build(month, "accounts")
    row = dict(zip([c.key for c in r.columns], next(x for x in r.rows if x[0] == "MXGXS"), strict=True))
    w = journal.account("MXGXS")
    assert row["opening"] == w.get("opening", 0) and row["sales"] == w["sales"]
    assert row["returns"] == -w.get("returns", 0) and row["payments"] == w["payments"] == 20_000
    assert row["balance"] == row["opening"] + row["sales"] - row["returns"] - row["payments"]
    before = till.period_reports.account_balance("MXGXS")
    assert before == w.get("opening", 0) + w["sales"] + w.get("returns", 0) - w["payments"] + w.get("later", 0)
    credit = dict((a.code, left) for a, left in till.checkout.account_credit())
    accountant = till.auth.login("accountant1", "3333")
    with pytest.raises(PaymentNeedsApproval):
        till.period_reports.record_account_payment("MXGXS", 1_000, accountant, None)
    with pytest.raises(PaymentNotPermitted):
        till.period_reports.record_account_payment("MXGXS", 1_000, till.auth.login("cashier1", "1111"), None)
    with pytest.raises(InvalidInput):
        till.period_reports.record_account_payment("MXGXS", before + 1, till.auth.login("manager1", "2222"), None)
    with pytest.raises(InvalidInput):
        till.period_reports.record_account_payment("NOSUCH", 100, till.auth.login("manager1", "2222"), None)
    ok = till.auth.approve(ACCOUNT_PAYMENT_ACTION, "manager1", "2222", requested_by=accountant, detail="回款")
    paid = till.period_reports.record_account_payment(" mxgxs", 1_000, accountant, ok, note="网银")
    assert (paid.approver, paid.balance_before_fen, paid.balance_after_fen) == ("manager1", before, before - 1_000)
    assert till.period_reports.account_balance("MXGXS") == before - 1_000
    assert dict((a.code, left) for a, left in till.checkout.account_credit())["MXGXS"] == credit["MXGXS"] + 1_000
    assert till.verify().ok  # a payment entry leaves the ledger whole


def test_margin_by_product_category_batch_and_day(month, journal) -> None:
    r = build(month, "margin")
    assert [h.split()[0] for h, _i in r.sections] == ["按商品", "按分类", "按批次", "按日期"]
    products = build(month, "products")
    prod_rows = [row for row in r.rows if row[0] == "商品"]
    assert {row[1]: row[7] for row in prod_rows} == {sku: w.get("unknown", 0) for sku, w in journal.products().items()}
    assert [(row[1], row[3], row[4]) for row in prod_rows] == [(p[0], p[7], p[9]) for p in products.rows]
    assert total(r, "net") == total(products, "net") and total(r, "margin") == total(products, "margin")
    want = journal.batches()
    got = {row[1]: (row[3], row[4]) for row in r.rows if row[0] == "批次"}
    assert got["SHKC-2026-50"] == tuple(want["SHKC-2026-50"][:2])
    days = {row[1]: row[3] for row in r.rows if row[0] == "日期"}
    daily = build(month, "daily")
    assert days == {row[0].isoformat(): row[10] for row in daily.rows}
    assert all(row[7] > 0 for row in r.rows if row[0] == "日期")  # beef's cost is never known: named every day
    batch = next(row for row in r.rows if row[1] == "SHKC-2026-50")
    assert batch[5] == want["SHKC-2026-50"][2] - want["SHKC-2026-50"][1]  # margin over the draws of known cost


def test_figures_kept_for_the_next_report_are_read_again_once_the_journal_moves(month) -> None:
    till, _path = month
    first = build(month, "products")
    assert build(month, "categories").totals[4] == first.totals[7]  # the same month read once, the same net
    assert build(month, "products").rows == first.rows  # kept figures are not changed by a report that sums them
    till.clock.at = at_local("2026-12-01", 22)
    cashier = till.auth.login("cashier1", "1111")
    till.shifts.open(cashier, CashCount())
    till.checkout.complete_sale(Cart().add(till.lookup.find(EGGS), 1), [Tender(TenderKind.CASH, 4500)], cashier)
    till.shifts.close(cashier, CashCount.of({1000: 4, 500: 1}))
    day = till.closing.current_day()
    again = build(month, "products", A, day)
    assert again.totals[7] - build(month, "products", A, "2026-12-01").totals[7] == 4500


def test_sales_by_hour_and_the_list_of_zs(month, journal) -> None:
    r = build(month, "hours")
    want = journal.hours()
    assert {int(row[0][:2]): (row[1], row[2], row[3]) for row in r.rows} == {h: tuple(v) for h, v in want.items()}
    assert total(r, "net") == total(build(month, "daily"), "net")
    zs = build(month, "zs")
    assert [d.isoformat() for d in col(zs, "day")] == [d for d, _p in journal.zs]
    assert col(zs, "net") == [p["totals"]["net"] for _d, p in journal.zs]
    assert total(zs, "net") == total(build(month, "tenders"), "z_net")


def test_every_report_builds_for_any_period_and_refuses_what_is_not_a_report(month) -> None:
    for name in REPORT_NAMES:
        r = build(month, name, "2026-11-05", "2026-11-05")
        assert r.name == name and r.title_zh and r.title_en and r.period_text == "2026-11-05"
        empty = build(month, name, "2025-01-01", "2025-01-31")
        assert empty.rows == () or name in ("accounts", "origins")
    with pytest.raises(UnknownReport):
        build(month, "profits")
    with pytest.raises(InvalidInput):
        build(month, "daily", "2026-11-30", "2026-11-01")
    with pytest.raises(InvalidInput):
        month[0].period_reports.build("daily", date(2026, 11, 1), date(2026, 11, 30), store="PM")
    one_day = build(month, "daily", "2026-11-05", "2026-11-05")
    assert one_day.totals[1] == sum(1 for _d, _at, p in Journal(month[1], "2026-11-05", "2026-11-05").sales)


def test_a_one_day_report_equals_the_z_of_that_day(month) -> None:
    till, path = month
    for day in ("2026-11-01", "2026-11-07", "2026-11-12"):
        z = till.closing.z_report(day).totals
        r = build(month, "tenders", day, day)
        assert {row[1]: row[4] for row in r.rows} == {k: v for k, v in z.by_tender.items()}
        t = build(month, "tax", day, day)
        assert {row[0]: row[3] for row in t.rows} == {k: v["tax"] for k, v in z.tax_by_rate.items()}
