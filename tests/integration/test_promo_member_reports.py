"""The accountant's 促销成本 and 会员销售与积分 reports (issue 17) on a real till, each figure checked
against an independent reading of the journal (json and sqlite3 only)."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import date
from pathlib import Path

from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from tests.conftest import login_cashier

ROOT = Path(__file__).resolve().parents[2]
DEMO_PROMOTIONS = ROOT / "resources" / "demo" / "promotions-demo.csv"


def journal_reading(db: Path) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Per promotion id: [receipts, given, returned]; per member id: [receipts, spent, refunded, earned, reversed]."""
    promos: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    members: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    with sqlite3.connect(db) as c:
        entries = [(k, json.loads(p)) for k, p in c.execute("SELECT kind, payload FROM journal ORDER BY seq")]
    sales = {p["receipt_no"]: p for k, p in entries if k == "sale"}
    for kind, p in entries:
        if kind == "sale" and not p.get("training"):
            for pid, _v, _name, fen in p.get("promos", []):
                promos[pid][0] += 1
                promos[pid][1] += fen
            if p.get("member"):
                m = members[p["member"]["id"]]
                m[0] += 1
                m[1] += p["total"] if "total" in p else p["total_fen"]
                m[3] += p["member"]["points_earned"]
        elif kind == "return":
            sale = sales[p["receipt_no"]]
            for rl in p["lines"]:
                line = next(x for x in sale["lines"] if x["line_no"] == rl["orig_line_no"])
                for pid, _v, fen in line.get("promo", []):
                    promos[pid][2] += (2 * fen * rl["quantity"] + line["quantity"]) // (2 * line["quantity"])
            if p.get("member"):
                m = members[p["member"]["id"]]
                m[2] += p["refund"] if "refund" in p else p["refund_fen"]
                m[4] += p["member"]["points_reversed"]
    return dict(promos), dict(members)


def test_promotion_cost_and_member_points_match_the_journal(demo_till) -> None:
    till = demo_till
    manager = till.auth.login("manager1", "2222")
    till.promotions.import_file(DEMO_PROMOTIONS, manager)
    cashier = login_cashier(till)
    wang = till.members.add("13812341234", "王芳", by=cashier)
    li = till.members.add("13900005678", "李强", by=cashier)
    receipts = []
    for who, items in ((wang, [("MX-G003", 2)]), (li, [("MX-E002", 3)]), (None, [("MX-G003", 1), ("MX-E002", 2)]),
                       (wang, [("MX-E002", 3), ("MX-G003", 1)])):
        cart = Cart().with_context(till.promotions.context(who))
        for sku, qty in items:
            cart = cart.add(till.lookup.find(sku), qty)
        total = till.checkout.totals(cart).total_fen
        receipts.append(till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, total)], cashier).sale)
    till.returns.return_items(receipts[1].receipt_no, {1: 1}, manager)  # one box of eggs of 买二赠一 back
    till.returns.return_items(receipts[3].receipt_no, {1: 2}, manager)

    d = date.fromisoformat(receipts[0].business_day)
    promos, members = journal_reading(till.db.path)

    rep = till.period_reports.build("promotions", d, d)
    got = {r[0]: (r[3], r[4], r[5], r[6]) for r in rep.rows}
    assert got == {pid: (n, given, back, given - back) for pid, (n, given, back) in promos.items()}
    assert "MX-P003" in got and got["MX-P003"][2] > 0  # the eggs returned took back part of 买二赠一
    assert rep.totals[6] == sum(v[1] - v[2] for v in promos.values())

    rep = till.period_reports.build("members", d, d)
    by_code = {r[0]: r for r in rep.rows}
    for m in (wang, li):
        row = by_code[m.code]
        receipts_n, spent, refunded, earned, reversed_ = members[m.member_id]
        assert (row[4], row[5], row[6], row[7], row[10]) == (receipts_n, spent, refunded, earned, reversed_)
        now = till.members.get(m.member_id).points
        assert row[11] == now == earned - reversed_  # nothing after the period; nothing redeemed
        assert row[12] == now * 1  # 100 points pay ¥1: a point is worth a fen
        assert row[3] == f"****{m.phone_last4}" and m.phone_last4 not in row[0]
    assert any("积分负债" in n for n in rep.notes)


def test_the_daily_report_and_the_reductions_list_show_promotions(demo_till) -> None:
    till = demo_till
    manager = till.auth.login("manager1", "2222")
    till.promotions.import_file(DEMO_PROMOTIONS, manager)
    cashier = login_cashier(till)
    cart = Cart().with_context(till.promotions.context(None)).add(till.lookup.find("MX-G003"), 2)
    sale = till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, till.checkout.totals(cart).total_fen)],
                                       cashier).sale
    d = date.fromisoformat(sale.business_day)
    promos, _members = journal_reading(till.db.path)
    (row,) = till.period_reports.build("daily", d, d).rows
    cols = [c.key for c in till.period_reports.build("daily", d, d).columns]
    r = dict(zip(cols, row, strict=True))
    assert r["promotion"] == sum(v[1] for v in promos.values()) == 6400 + 1000
    assert r["list_value"] - r["discount"] - r["override"] - r["gift"] - r["rounding"] - r["promotion"] - r["points"] \
        == r["sales"] == sale.total_fen
    kinds = [(x[4], x[5]) for x in till.period_reports.build("reductions", d, d).rows]
    assert ("促销", 7400) in kinds
