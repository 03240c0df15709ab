"""Reductions and tax as an accountant reads them off the Z: 改价 is 改价, gift boxes pay tax at their goods' rates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.ledger import EntryKind
from pos.domain.permissions import Action
from pos.domain.pricing import parse_discount
from pos.domain.tenders import Tender, TenderKind
from pos.reports.closing import shift_close_document, z_document
from tests.conftest import login_cashier

SCARF = "6958271000240"  # 羌绣围巾 ¥168.00, 13 %
EGGS = "6972316000170"  # 松阳土鸡蛋 ¥45.00, 9 %
HEADER = "sku,barcode,name,category,origin,unit,price,sold_by,plu,tax_rate,style,size,color,active,components\n"


@pytest.fixture
def people(demo_till):
    return (demo_till, login_cashier(demo_till), demo_till.auth.login("manager1", "2222"),
            demo_till.auth.login("accountant1", "3333"))


def _rows(doc) -> dict[str, str]:  # noqa: ANN001
    return {row.label: row.value for section in doc.sections for row in section.rows}


def _close_day(till, cashier, accountant):  # noqa: ANN001, ANN202
    till.shifts.close(cashier, CashCount())
    return till.closing.z_close(accountant)


def test_a_day_with_a_158_10_price_cut_shows_158_10_under_override_on_its_z(people) -> None:
    till, cashier, manager, accountant = people
    cut = Cart().add(till.lookup.find(SCARF)).override_price(0, 990, by=manager.role)  # ¥168.00 → ¥9.90
    till.checkout.complete_sale(cut, [Tender(TenderKind.CASH, 990)], manager)
    eggs = Cart().add(till.lookup.find(EGGS), 2).discount_line(0, parse_discount("5%"), by=cashier.role)  # −4.50
    till.checkout.complete_sale(eggs, [Tender(TenderKind.CASH, 10000)], cashier)

    handover = till.shifts.close(cashier, CashCount())
    shift_rows = _rows(shift_close_document(handover, till.identity, "张小芳", "18:00"))
    assert (shift_rows["改价"], shift_rows["折扣"]) == ("-￥158.10", "-￥4.50")  # the 交班 report says it too
    z = till.closing.z_close(accountant)
    t = z.totals
    assert (t.list_total_fen, t.override_fen, t.discount_fen, t.gift_fen) == (16800 + 9000, 15810, 450, 0)
    assert t.list_total_fen - t.reductions.total_fen == t.sales_fen == 990 + 8550
    rows = _rows(z_document(z, till.identity))
    assert rows["原价合计"] == "￥258.00"
    assert rows["改价"] == "-￥158.10"
    assert rows["折扣"] == "-￥4.50"
    assert rows["赠送"] == "￥0.00"
    # The Z read back later (reprint, export) says the same.
    assert _rows(z_document(till.closing.z_report(z.business_day), till.identity))["改价"] == "-￥158.10"
    assert till.verify().ok


def test_a_gift_box_of_13_and_9_percent_goods_reports_tax_at_both_rates(people, tmp_path: Path) -> None:
    till, cashier, _manager, accountant = people
    csv = tmp_path / "box.csv"
    csv.write_text(HEADER + "MX-G009,6945837009991,羌绣核桃礼盒,礼盒,茂县,盒,108.00,unit,,9,,,,yes,"
                   "MX-C002*1;MX-N001*2\n", encoding="utf-8")
    till.catalog.import_file(csv)
    sold = till.checkout.complete_sale(Cart().add(till.lookup.find("6945837009991"), 2),
                                       [Tender(TenderKind.WECHAT, 21600, "134567890123456789")], cashier)
    # The box's ¥108.00 is shared by value: scarf ¥168 (13 %) and 2 × walnuts ¥35 (9 %) of ¥238.
    assert [r.label for r in sold.sale.tax.rates] == ["9%", "13%"]
    assert sold.sale.tax.gross_fen == 21600

    ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    till.returns.return_items(sold.sale.receipt_no, {1: 1}, cashier, approval=ok)

    z = _close_day(till, cashier, accountant)
    t = z.totals
    assert set(t.tax_by_rate) == {"9%", "13%"}
    assert "未设" not in t.tax_by_rate
    assert sum(r["gross"] for r in t.tax_by_rate.values()) == t.net_fen == 10800
    assert sum(r["tax"] for r in t.tax_by_rate.values()) == t.tax_fen > 0
    for r in t.tax_by_rate.values():
        assert r["net"] + r["tax"] == r["gross"]
    rows = _rows(z_document(z, till.identity))
    for label in ("9% 含税金额", "9% 不含税金额", "9% 税额", "13% 含税金额", "13% 不含税金额", "13% 税额", "合计 税额"):
        assert label in rows
    assert rows["合计 含税金额"] == "￥108.00"

    with sqlite3.connect(till.db.path) as c:
        sale_payload, = c.execute("SELECT payload FROM journal WHERE kind='sale'").fetchone()
        ret_payload, = c.execute("SELECT payload FROM journal WHERE kind='return'").fetchone()
    assert '"tax":[{' in sale_payload and '"rate_bp":1300' in sale_payload and '"rate_bp":900' in sale_payload
    assert '"rate_split":[[' in ret_payload
    assert till.verify().ok



def test_an_older_database_gets_its_line_figures_from_the_journal_and_still_verifies(people) -> None:
    """A ledger from before the figures: sales written without list values, reductions or tax, and
    sale lines without their columns. Migration 0008 fills them with what the journal projects to."""
    from alembic import command

    from pos.store.db import _alembic_config

    till, cashier, manager, _accountant = people
    cut = Cart().add(till.lookup.find(SCARF)).override_price(0, 990, by=manager.role)
    done = till.checkout.complete_sale(cut, [Tender(TenderKind.CASH, 990)], manager)
    old = done.sale.to_payload()
    old["receipt_no"] = done.sale.receipt_no[:-4] + "0999"
    for key in ("list_total", "reductions", "tax"):
        old.pop(key)
    old["lines"] = [{k: v for k, v in ln.items() if k not in ("list_value", "reductions")} for ln in old["lines"]]
    with till.uow() as uow:
        uow.journal.append(EntryKind.SALE, business_day=done.sale.business_day, created_at="2026-11-22T02:00:00Z",
                           payload=old)
        uow.commit()
    eggs = till.checkout.complete_sale(Cart().add(till.lookup.find(EGGS), 2), [Tender(TenderKind.CASH, 9000)], cashier)
    ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    till.returns.return_items(eggs.sale.receipt_no, {1: 1}, cashier, approval=ok)

    with till.db.writer.begin() as conn:  # back to the schema before 0008, then forward again
        heads = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('0008')")
        command.downgrade(_alembic_config(conn), "0007")
        assert "net_fen" not in [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(sale_lines)")]
        command.upgrade(_alembic_config(conn), "0008")
        conn.exec_driver_sql("DELETE FROM alembic_version")
        for h in heads:
            conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (h,))
    assert till.verify().ok
    with sqlite3.connect(till.db.path) as c:
        rows = c.execute("SELECT list_value_fen, override_fen, net_fen, tax_fen FROM sale_lines "
                         "WHERE sku = 'MX-C002' ORDER BY receipt_no").fetchall()
        returned = c.execute("SELECT refund_fen, tax_fen FROM return_lines").fetchall()
    assert rows == [(16800, 15810, 990, 114)] * 2  # the older entry reads exactly as the new one
    assert returned == [(4500, 372)]  # ¥45.00 at 9 %
