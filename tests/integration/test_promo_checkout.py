"""Promotions and members in the sale itself (issue 17), through the till's services on a real SQLite file.

The till has no head office configured here: everything below happens with the network cable pulled.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.errors import PaymentError
from pos.domain.promo_file import PromoFileError
from pos.domain.tenders import Tender, TenderKind
from pos.reports.closing import z_document
from printers.escpos import encode_receipt
from tests.conftest import login_cashier
from tests.printers.escpos_reader import decode

ROOT = Path(__file__).resolve().parents[2]
DEMO_PROMOTIONS = ROOT / "resources" / "demo" / "promotions-demo.csv"
LOQUAT_BOX = "MX-G003"  # 茂县枇杷礼盒 2.5kg, ¥128.00: 第二件半价 (MX-P004)
EGGS = "MX-E002"  # 松阳土鸡蛋 10枚装, ¥16.80: 买二赠一 (MX-P003)
PHONE = "13812341234"


def cash(fen: int) -> list[Tender]:
    return [Tender(TenderKind.CASH, fen)]


@pytest.fixture
def till(demo_till):
    demo_till.promotions.import_file(DEMO_PROMOTIONS, demo_till.auth.login("manager1", "2222"))
    return demo_till


@pytest.fixture
def member(till):
    return till.members.add(PHONE, "王芳", by=login_cashier(till))


def ring_up(till, member, *items: tuple[str, int]) -> Cart:
    """A sale as the till starts one: the promotions in force now, the member found by phone, then the scans."""
    (found,) = till.members.find(PHONE) if member is not None else (None,)
    cart = Cart().with_context(till.promotions.context(found))
    for sku, qty in items:
        cart = cart.add(till.lookup.find(sku), qty)
    return cart


def printed_text(receipt, columns: int) -> str:
    return decode(encode_receipt(receipt, columns=columns), columns).text


def test_a_member_gets_the_second_loquat_box_half_price_and_10_off_the_basket_and_earns_points(till, member) -> None:
    cashier = login_cashier(till)
    cart = ring_up(till, member, (LOQUAT_BOX, 2))
    t = till.checkout.totals(cart)
    # 2 × ¥128 = ¥256; the second box half price −¥64; ¥192 is over ¥100: −¥10. Due ¥182.
    assert (t.gross_fen, t.promotion_fen, t.total_fen) == (25600, 7400, 18200)

    done = till.checkout.complete_sale(cart, cash(20000), cashier)
    sale = done.sale
    assert (sale.total_fen, sale.change_fen) == (18200, 1800)

    # The journal's payload: the line's shares by promotion id and version, the named promotions, the member.
    with sqlite3.connect(till.db.path) as c:
        (raw,) = c.execute("SELECT payload FROM journal WHERE seq = ?", (done.seq,)).fetchone()
    p = json.loads(raw)
    (line,) = p["lines"]
    assert sorted(line["promo"]) == [["MX-P001", 1, 1000], ["MX-P004", 1, 6400]]
    assert line["reductions"]["promotion"] == 7400
    assert [x[2:] for x in p["promos"]] == [["枇杷礼盒第二件半价", 6400], ["全场满100减10", 1000]]
    assert p["member"] == {"id": member.member_id, "tier": "普通", "points_earned": 182, "points_redeemed": 0,
                           "redeem_fen": 0, "phone_masked": "138****1234", "balance": 182}
    assert p["list_total"] - sum(p["reductions"].values()) == p["total"]
    assert PHONE not in raw  # never the clear number in the journal (it goes to head office)
    with sqlite3.connect(till.db.path) as c:  # the read model the period reports add up
        row = c.execute("SELECT list_value_fen, discount_fen, override_fen, gift_fen, rounding_fen, promotion_fen, "
                        "points_fen, net_fen FROM sale_lines WHERE receipt_no = ?", (sale.receipt_no,)).fetchone()
    assert row[5] == 7400 and row[0] - sum(row[1:7]) == row[7] == 18200

    # The receipt as the printer prints it, on both rolls.
    for columns in (32, 48):
        text = printed_text(done.receipt, columns)
        for expected in ("原价合计", "促销", "枇杷礼盒第二件半价", "全场满100减10", "-￥64.00", "-￥10.00",
                         "138****1234", "本次积分", "+182", "积分余额", "￥182.00"):
            assert expected in text, (columns, expected, text)
        assert PHONE not in text

    assert till.members.get(member.member_id).points == 182
    assert till.verify().ok

    # The day's Z says what the promotions cost and what members earned.
    till.shifts.close(cashier, CashCount(((10000, 1), (5000, 1), (2000, 1), (1000, 1), (100, 2))))
    manager = till.auth.login("manager1", "2222")
    z = till.closing.z_close(manager)
    assert (z.totals.promotion_fen, z.totals.by_promotion) == (7400, {"枇杷礼盒第二件半价": 6400, "全场满100减10": 1000})
    assert z.totals.members == {"sales": 1, "points_earned": 182}
    assert z.totals.list_total_fen - z.totals.reductions.total_fen == z.totals.sales_fen
    ztext = till.documents.text(z_document(z, till.identity))
    for expected in ("促销", "按促销", "枇杷礼盒第二件半价", "会员", "发放积分"):
        assert expected in ztext, (expected, ztext)
    assert till.verify().ok


def test_the_promotions_are_those_in_force_when_the_sale_began(till, member) -> None:
    cart = ring_up(till, None, (LOQUAT_BOX, 2))
    assert till.checkout.totals(cart).promotion_fen == 7400
    # A manager imports a file with no 第二件半价 while the sale is open: this sale keeps version 1.
    only_spend = ROOT / "resources" / "demo" / "promotions-demo.csv"
    lines = only_spend.read_text(encoding="utf-8").splitlines()
    path = Path(till.config.db).parent / "promos-v2.csv"
    path.write_text("\n".join(ln for ln in lines if not ln.startswith("MX-P004")) + "\n", encoding="utf-8")
    done = till.promotions.import_file(path, till.auth.login("manager1", "2222"))
    assert done.version == 2 and till.promotions.version == 2
    sale = till.checkout.complete_sale(cart, cash(20000), login_cashier(till)).sale
    assert sale.total_fen == 18200 and sale.promo_version == 1
    assert {p.version for p in sale.promos} == {1}
    # The next sale is priced with version 2: only 满100减10.
    assert till.checkout.totals(ring_up(till, None, (LOQUAT_BOX, 2))).promotion_fen == 1000


def test_a_restart_finds_the_promotions_in_force_again(till, config, clock) -> None:
    from pos.bootstrap import open_till

    version = till.promotions.version
    again = open_till(config, clock=clock)
    try:
        assert again.promotions.version == version
        assert len(again.promotions.current().promotions) == 8
        assert again.checkout.totals(ring_up(again, None, (LOQUAT_BOX, 2))).total_fen == 18200
    finally:
        again.close()


def test_returning_one_of_buy_two_get_one_refunds_what_was_really_paid(till, member) -> None:
    cashier = login_cashier(till)
    cart = ring_up(till, member, (EGGS, 3))  # 3 × ¥16.80, the third free: ¥33.60, under ¥100
    done = till.checkout.complete_sale(cart, cash(3360), cashier)
    sale = done.sale
    assert sale.total_fen == 3360 and sale.lines[0].promotion_fen == 1680
    assert sale.member.points_earned == 33
    manager = till.auth.login("manager1", "2222")
    first = till.returns.return_items(sale.receipt_no, {1: 1}, manager)
    # One box of eggs back: a third of the ¥33.60 paid, not its ¥16.80 list price.
    assert first.ret.refund_fen == 1120
    assert first.ret.points_reversed == 11
    assert "会员积分扣回 11 分" in printed_text(first.receipt, 32)
    rest = till.returns.return_items(sale.receipt_no, {1: 2}, manager)
    assert first.ret.refund_fen + rest.ret.refund_fen == 3360  # a full return refunds exactly what was paid
    assert first.ret.points_reversed + rest.ret.points_reversed == 33
    assert till.members.get(member.member_id).points == 0
    with sqlite3.connect(till.db.path) as c:
        (raw,) = c.execute("SELECT payload FROM journal WHERE seq = ?", (first.seq,)).fetchone()
    assert json.loads(raw)["member"] == {"id": member.member_id, "points_reversed": 11}
    assert till.verify().ok


def test_points_pay_part_of_a_sale_within_the_limit(till, member) -> None:
    cashier = login_cashier(till)
    till.checkout.complete_sale(ring_up(till, member, (LOQUAT_BOX, 2)), cash(18200), cashier)  # 182 points
    (looked_up,) = till.members.find(PHONE)
    cart = ring_up(till, member, (EGGS, 1))  # ¥16.80: points may pay half, ¥8.40 = 840 points; the member has 182
    cart = cart.redeem_points(150, till.checkout.points_rule)
    t = till.checkout.totals(cart)
    assert (t.points_fen, t.total_fen) == (150, 1530)
    sale = till.checkout.complete_sale(cart, cash(1530), cashier).sale
    assert sale.reductions.points_fen == 150 and sale.list_total_fen - sale.reductions.total_fen == sale.total_fen
    assert (sale.member.points_redeemed, sale.member.redeem_fen, sale.member.points_earned) == (150, 150, 15)
    assert till.members.get(member.member_id).points == 182 - 150 + 15
    assert "积分抵扣" in printed_text(till.checkout.reprint(sale.receipt_no, cashier), 32)
    # Points looked up before another sale used them are refused at payment, plainly.
    stale = Cart().with_context(till.promotions.context(looked_up)).add(till.lookup.find(LOQUAT_BOX), 1)
    stale = stale.redeem_points(182, till.checkout.points_rule)  # the 182 points the member had when looked up
    assert till.members.find(PHONE)[0].points == 47
    with pytest.raises(PaymentError) as refused:
        till.checkout.complete_sale(stale, cash(till.checkout.totals(stale).total_fen), cashier)
    assert "会员积分现只有 47" in refused.value.message_zh
    assert till.verify().ok


def test_a_promotion_file_with_a_bad_row_changes_nothing(till, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    text = DEMO_PROMOTIONS.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([text[0], text[1], "", text[2].replace(",满折,", ",打骨折,")]) + "\n", encoding="utf-8")
    with pytest.raises(PromoFileError) as refused:
        till.promotions.import_file(bad, till.auth.login("manager1", "2222"))
    assert [e.row for e in refused.value.errors] == [4]  # the row the spreadsheet shows, the blank one counted
    assert till.promotions.version == 1


def run(home: Path, *args: str, check: int | None = 0) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIANXIN_HOME": str(home)}
    env.pop("POS_DB", None)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    if check is not None:
        assert proc.returncode == check, f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    return proc


def test_the_cli_sells_to_a_member_with_the_same_total_as_the_till(tmp_path, pos_home) -> None:
    db = str(tmp_path / "cli.db")
    run(pos_home, "--db", db, "init", "--demo")
    bad = run(pos_home, "--db", db, "promo", "import", str(DEMO_PROMOTIONS), "--by", "cashier1", "--pin", "1111",
              check=None)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    run(pos_home, "--db", db, "promo", "import", str(DEMO_PROMOTIONS), "--by", "manager1", "--pin", "2222")
    listed = json.loads(run(pos_home, "--db", db, "promo", "list", "--json").stdout)
    assert listed["version"] == 1 and len(listed["promotions"]) == 8
    run(pos_home, "--db", db, "member", "add", PHONE, "--name", "王芳", "--by", "cashier1", "--pin", "1111")
    out = run(pos_home, "--db", db, "sell", "--cashier", "cashier1", "--pin", "1111", "--scan", f"{LOQUAT_BOX}*2",
              "--scan", f"{EGGS}*3", "--member", PHONE, "--pay", "cash:300", "--json").stdout
    sold = json.loads(out)
    assert sold["member"]["phone"] == "138****1234" and sold["member"]["points_earned"] == sold["total_fen"] // 100
    assert {p["name"] for p in sold["promotions"]} == {"枇杷礼盒第二件半价", "土鸡蛋买二赠一", "全场满100减10"}

    from pos.bootstrap import open_till
    from pos.config import load_config

    till = open_till(load_config(db=db, printer="dummy:"))
    try:
        found = till.members.find(PHONE)[0]
        cart = Cart().with_context(till.promotions.context(found))
        cart = cart.add(till.lookup.find(LOQUAT_BOX), 2).add(till.lookup.find(EGGS), 3)
        assert till.checkout.totals(cart).total_fen == sold["total_fen"] == 21560
    finally:
        till.close()
    unknown = run(pos_home, "--db", db, "sell", "--cashier", "cashier1", "--pin", "1111", "--scan", EGGS,
                  "--member", "13900000000", "--pay", "cash:20", check=2)
    assert "没有找到会员" in unknown.stderr


def test_head_office_master_data_puts_its_promotions_in_force(demo_till) -> None:
    import csv

    from pos.domain.promo_file import parse_promotions

    with DEMO_PROMOTIONS.open(encoding="utf-8") as fh:
        promos = parse_promotions(list(csv.DictReader(fh)), version=7)
    section = {"version": 7, "promotions": [p.to_json() for p in promos if p.id == "MX-P001"]}
    changes = demo_till.sync.apply_master({"version": 3, "store": "MX", "promotions": section})
    assert [(c.what, c.old, c.new) for c in changes] == [("promotions", 0, 7)]
    assert demo_till.promotions.version == 7 and demo_till.promotions.current().source == "headoffice"
    assert demo_till.checkout.totals(ring_up(demo_till, None, (LOQUAT_BOX, 2))).promotion_fen == 1000
    # The same version again (or an older one) changes nothing.
    assert not [c for c in demo_till.sync.apply_master({"version": 4, "store": "MX", "promotions": section})
                if c.what == "promotions"]
    assert demo_till.verify().ok


def test_a_held_sale_comes_back_with_its_promotions_and_member(till, member) -> None:
    cashier = login_cashier(till)
    cart = ring_up(till, member, (LOQUAT_BOX, 2))
    hold_no = till.checkout.hold(cart, cashier)
    # Meanwhile a new set is put in force: the recalled sale keeps the one it began with.
    lines = DEMO_PROMOTIONS.read_text(encoding="utf-8").splitlines()
    path = Path(till.config.db).parent / "promos-v2.csv"
    path.write_text("\n".join(ln for ln in lines if not ln.startswith("MX-P004")) + "\n", encoding="utf-8")
    till.promotions.import_file(path, till.auth.login("manager1", "2222"))
    back = till.checkout.recall(hold_no, cashier)
    assert back.member is not None and back.member.member_id == member.member_id
    assert back.context.version == 1 and till.checkout.totals(back).total_fen == 18200
    sale = till.checkout.complete_sale(back, cash(18200), cashier).sale
    assert sale.member.points_earned == 182 and sale.promo_version == 1
    assert till.verify().ok


def test_the_held_sales_list_shows_what_is_due_with_the_promotions(till, member) -> None:
    cashier = login_cashier(till)
    cart = ring_up(till, member, (LOQUAT_BOX, 2))
    due = till.checkout.totals(cart).total_fen
    assert due == 18200  # ¥256 less 第二件半价 and 满100减10
    hold_no = till.checkout.hold(cart, cashier)
    (held,) = [h for h in till.checkout.held() if h.hold_no == hold_no]
    assert held.total_fen == due
    assert till.verify().ok  # the held list is a read model of the journal: rebuilt the same


def test_a_new_points_rule_applies_to_the_next_sale_without_a_restart(till, member) -> None:
    from pos.domain.members import PointsRule

    manager = till.auth.login("manager1", "2222")
    till.members.set_points_rule(PointsRule(fen_per_point=200), manager)  # 1 point per 2 yuan
    cashier = login_cashier(till)
    sale = till.checkout.complete_sale(ring_up(till, member, (LOQUAT_BOX, 2)), cash(18200), cashier).sale
    assert sale.member.points_earned == 91  # ¥182 at 1 point per 2 yuan
