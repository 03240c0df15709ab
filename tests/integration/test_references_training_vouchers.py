"""Money that cannot leak through references, training and vouchers (issue 11, points 4–6).

Each test is the story a cashier or a manager told, replayed on a real SQLite file.
"""

from __future__ import annotations

import sqlite3

import pytest

from pos.domain.cart import Cart
from pos.domain.errors import PaymentError
from pos.domain.ledger import EntryKind
from pos.domain.permissions import Action
from pos.domain.returns import ReturnError
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import utc_iso
from pos.store.repositories import AccountRecord
from tests.conftest import login_cashier

EGGS = "6972316000170"  # 松阳土鸡蛋 30枚装, ¥45.00


@pytest.fixture
def cashier(demo_till):
    return login_cashier(demo_till)


def eggs(till, n: int = 1) -> Cart:
    return Cart().add(till.lookup.find(EGGS), n)


def approved_return(till, cashier):
    return till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)


def day(till) -> str:
    return till.closing.current_day()


# -- point 4: references are one reference however they are typed ------------------------------


@pytest.mark.parametrize("typed", ["V888 ", "v888", " v888 ", "Ｖ８８８", "ｖ８８８\u3000", "V 888"])
def test_after_v888_is_used_every_other_spelling_of_it_is_refused(demo_till, cashier, typed) -> None:
    demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 2000, "V888"),
                                                       Tender(TenderKind.CASH, 2500)], cashier)
    with pytest.raises(PaymentError) as exc:
        demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 2000, typed),
                                                           Tender(TenderKind.CASH, 2500)], cashier)
    assert "V888 已使用过" in exc.value.message_zh


def test_one_voucher_twice_on_the_same_sale_is_refused_whatever_the_spelling(demo_till, cashier) -> None:
    with pytest.raises(PaymentError):
        demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 2000, "v777"),
                                                           Tender(TenderKind.VOUCHER, 2500, "Ｖ７７７")], cashier)


def test_mxgxs_typed_with_spaces_or_in_lower_case_draws_on_one_credit_limit(demo_till, cashier) -> None:
    with demo_till.uow() as uow:
        uow.accounts.put(AccountRecord("MXGXS", "茂县供销合作社", 10000, True))  # ¥100.00 of credit
        uow.commit()
    demo_till.checkout.complete_sale(eggs(demo_till, 2), [Tender(TenderKind.ACCOUNT, 9000, "MXGXS ")], cashier)
    for typed in (" MXGXS", "MXGXS", "mxgxs", "ＭＸＧＸＳ"):
        with pytest.raises(PaymentError) as exc:
            demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.ACCOUNT, 4500, typed)], cashier)
        assert "剩余 10.00 元" in exc.value.message_zh
    with demo_till.uow() as uow:
        assert uow.documents.account_balance(" mxgxs ") == 9000
        assert uow.accounts.get("mxgxs ").code == "MXGXS"


def test_two_account_tenders_on_one_sale_count_together_against_the_limit(demo_till, cashier) -> None:
    with demo_till.uow() as uow:
        uow.accounts.put(AccountRecord("PHGH", "平湖市总工会", 5000, True))
        uow.commit()
    with pytest.raises(PaymentError):
        demo_till.checkout.complete_sale(eggs(demo_till, 2), [Tender(TenderKind.ACCOUNT, 4500, "PHGH"),
                                                              Tender(TenderKind.ACCOUNT, 4500, "phgh")], cashier)


def test_an_account_created_with_a_lower_case_code_is_stored_normalised(demo_till) -> None:
    with demo_till.uow() as uow:
        uow.accounts.put(AccountRecord(" phzgh ", "平湖市总工会", 5000, True))
        uow.commit()
    with demo_till.uow() as uow:
        assert [a.code for a in uow.accounts.all() if a.name == "平湖市总工会"] == ["PHZGH"]


def test_references_are_stored_normalised_in_the_journal_and_the_payments(demo_till, cashier) -> None:
    done = demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 2000, " ｖ５５５ "),
                                                              Tender(TenderKind.CASH, 2500)], cashier)
    with sqlite3.connect(demo_till.db.path) as c:
        payload = c.execute("SELECT payload FROM journal WHERE kind='sale'").fetchone()[0]
        stored = c.execute("SELECT reference FROM payments WHERE receipt_no=? AND tender='voucher'",
                           (done.sale.receipt_no,)).fetchone()[0]
    assert '"reference":"V555"' in payload and stored == "V555"
    assert demo_till.verify().ok


# -- point 5: training touches nothing real ---------------------------------------------------


def test_a_training_sale_with_v123_leaves_v123_usable_for_real(demo_till, cashier) -> None:
    practice = demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 2000, "V123"),
                                                                  Tender(TenderKind.CASH, 2500)], cashier,
                                                training=True)
    assert practice.sale.training
    real = demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 2000, "v123"),
                                                              Tender(TenderKind.CASH, 2500)], cashier)
    assert not real.sale.training
    with pytest.raises(PaymentError):  # now it is used for real
        demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 2000, "V123"),
                                                           Tender(TenderKind.CASH, 2500)], cashier)
    assert demo_till.verify().ok


def test_a_training_sale_on_account_takes_none_of_the_institutions_credit(demo_till, cashier) -> None:
    with demo_till.uow() as uow:
        uow.accounts.put(AccountRecord("MXGXS", "茂县供销合作社", 9000, True))
        uow.commit()
    demo_till.checkout.complete_sale(eggs(demo_till, 2), [Tender(TenderKind.ACCOUNT, 9000, "MXGXS")], cashier,
                                     training=True)
    with demo_till.uow() as uow:
        assert uow.documents.account_balance("MXGXS") == 0
    demo_till.checkout.complete_sale(eggs(demo_till, 2), [Tender(TenderKind.ACCOUNT, 9000, "MXGXS")], cashier)
    with demo_till.uow() as uow:
        assert uow.documents.account_balance("MXGXS") == 9000


def test_a_training_sale_is_left_out_of_the_day_totals_and_numbered_apart(demo_till, cashier) -> None:
    real = demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.CASH, 4500)], cashier)
    practice = demo_till.checkout.complete_sale(eggs(demo_till, 3), [Tender(TenderKind.VOUCHER, 2000, "V9"),
                                                                     Tender(TenderKind.CASH, 11500)], cashier,
                                                training=True)
    again = demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.CASH, 4500)], cashier)
    assert real.sale.receipt_no.endswith("-0001") and again.sale.receipt_no.endswith("-0002")
    assert practice.sale.receipt_no.endswith("-T0001")
    totals = demo_till.closing.day_totals(day(demo_till))
    assert (totals.sales_count, totals.sales_fen, totals.training_count) == (2, 9000, 1)
    assert "voucher" not in totals.by_tender and totals.by_tender["cash"] == 9000


def test_a_training_return_is_refused_so_it_can_give_no_credit_back(demo_till, cashier) -> None:
    sale = demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.CASH, 4500)], cashier).sale
    with pytest.raises(ReturnError):
        demo_till.returns.return_items(sale.receipt_no, {1: 1}, cashier, training=True)


# -- point 6: vouchers are single-use: refunds never go back onto them -------------------------


def test_returning_half_a_voucher_and_cash_sale_refunds_the_vouchers_share_in_cash(demo_till, cashier) -> None:
    # 2 × ¥45.00 = ¥90.00, paid ¥30.00 by voucher V500 and ¥60.00 in cash
    sale = demo_till.checkout.complete_sale(eggs(demo_till, 2), [Tender(TenderKind.VOUCHER, 3000, "V500"),
                                                                 Tender(TenderKind.CASH, 6000)], cashier).sale
    first = demo_till.returns.return_items(sale.receipt_no, {1: 1}, cashier, approval=approved_return(demo_till, cashier),
                                           reason="破损")
    assert [(t.kind, t.amount_fen) for t in first.ret.refunds] == [(TenderKind.CASH, 1500), (TenderKind.CASH, 3000)]
    assert first.ret.instead_of == (TenderKind.VOUCHER, None)
    assert first.ret.single_use_refunded_fen == 1500
    assert "消费券部分退现金" in first.receipt.footer
    assert [p.label for p in first.receipt.payments] == ["退现金（消费券部分）", "退现金"]

    # the Z's voucher figure still agrees with the issuer: ¥30.00 redeemed stays redeemed
    totals = demo_till.closing.day_totals(day(demo_till))
    assert totals.by_tender["voucher"] == 3000 and totals.by_tender["cash"] == 6000 - 4500
    assert totals.net_fen == 9000 - 4500

    # the rest comes back to the fen, the voucher's share again in cash
    last = demo_till.returns.return_items(sale.receipt_no, {1: 1}, cashier, approval=approved_return(demo_till, cashier))
    refunded = first.ret.refunds + last.ret.refunds
    assert all(t.kind is TenderKind.CASH for t in refunded) and sum(t.amount_fen for t in refunded) == 9000
    totals = demo_till.closing.day_totals(day(demo_till))
    assert totals.by_tender["voucher"] == 3000 and totals.by_tender["cash"] == -3000 and totals.net_fen == 0

    # and the voucher stays used: V500 cannot pay again
    with pytest.raises(PaymentError):
        demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 3000, "V500"),
                                                           Tender(TenderKind.CASH, 1500)], cashier)
    assert demo_till.verify().ok


def test_an_odd_fen_return_of_a_voucher_sale_refunds_to_the_fen(demo_till, cashier) -> None:
    # 3 × ¥45.00 = ¥135.00: voucher ¥33.33, cash ¥101.67; one egg box back is ¥45.00
    sale = demo_till.checkout.complete_sale(eggs(demo_till, 3), [Tender(TenderKind.VOUCHER, 3333, "V333"),
                                                                 Tender(TenderKind.CASH, 10167)], cashier).sale
    done = demo_till.returns.return_items(sale.receipt_no, {1: 1}, cashier, approval=approved_return(demo_till, cashier))
    voucher_share = done.ret.single_use_refunded_fen
    assert voucher_share == 1111 and done.ret.refund_fen == 4500
    assert sum(t.amount_fen for t in done.ret.refunds) == 4500
    assert demo_till.closing.day_totals(day(demo_till)).by_tender["voucher"] == 3333


def test_the_cashier_may_refund_the_vouchers_share_by_wechat_but_never_onto_a_voucher(demo_till, cashier) -> None:
    sale = demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 4500, "V45")], cashier).sale
    with pytest.raises(ReturnError) as exc:
        demo_till.returns.plan(sale.receipt_no, {1: 1}, voucher_refund_to=TenderKind.VOUCHER)
    assert "不能退到消费券" in exc.value.message_zh
    done = demo_till.returns.return_items(sale.receipt_no, {1: 1}, cashier, approval=approved_return(demo_till, cashier),
                                          voucher_refund_to=TenderKind.WECHAT)
    assert [(t.kind, t.amount_fen) for t in done.ret.refunds] == [(TenderKind.WECHAT, 4500)]
    assert "消费券部分退微信支付" in done.receipt.footer
    totals = demo_till.closing.day_totals(day(demo_till))
    assert totals.by_tender["voucher"] == 4500 and totals.by_tender["wechat"] == -4500
    with sqlite3.connect(demo_till.db.path) as c:
        payload = c.execute("SELECT payload FROM journal WHERE kind='return'").fetchone()[0]
    assert '"instead_of":"voucher"' in payload
    assert demo_till.verify().ok


# -- an old database: references stored as typed ---------------------------------------------


def test_an_old_database_with_references_as_typed_is_migrated_and_still_verifies(demo_till, cashier) -> None:
    """An older till wrote ' v999 ' into the journal and the payments as typed. The journal keeps its
    text (the hash covers it); migration 0009 brings the payments to what the journal projects to."""
    from alembic import command

    from pos.store.db import _alembic_config

    done = demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 2000, "V1"),
                                                              Tender(TenderKind.CASH, 2500)], cashier)
    old = done.sale.to_payload()
    old["receipt_no"] = done.sale.receipt_no[:-4] + "0999"
    old["tenders"] = [{"kind": "voucher", "amount": 2000, "reference": " v999 "},
                      {"kind": "cash", "amount": 2500, "reference": None}]
    now = demo_till.clock.now()
    with demo_till.uow() as uow:
        uow.journal.append(EntryKind.SALE, business_day=uow.business_day(now), created_at=utc_iso(now), payload=old)
        uow.commit()
    with sqlite3.connect(demo_till.db.path) as c:  # what the older till had stored
        c.execute("UPDATE payments SET reference=' v999 ' WHERE receipt_no=? AND tender='voucher'", (old["receipt_no"],))
        c.execute("UPDATE accounts SET code='mxgxs ' WHERE code='MXGXS'")
    assert not demo_till.verify().ok  # without the migration the read model disagrees with the journal

    with demo_till.db.writer.begin() as conn:
        heads = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('0008')")
        command.upgrade(_alembic_config(conn), "0009")
        conn.exec_driver_sql("DELETE FROM alembic_version")
        for h in heads:
            conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (h,))
    with sqlite3.connect(demo_till.db.path) as c:
        assert c.execute("SELECT payload FROM journal WHERE kind='sale' ORDER BY seq DESC").fetchone()[0].count(
            '" v999 "') == 1  # the journal still says what was typed
    assert demo_till.verify().ok
    with pytest.raises(PaymentError):
        demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.VOUCHER, 2000, "V999"),
                                                           Tender(TenderKind.CASH, 2500)], cashier)
    with demo_till.uow() as uow:
        assert uow.accounts.get("MXGXS") is not None


def test_a_receipt_number_typed_in_lower_case_or_full_width_finds_the_sale(demo_till, cashier) -> None:
    sale = demo_till.checkout.complete_sale(eggs(demo_till), [Tender(TenderKind.CASH, 4500)], cashier).sale
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in sale.receipt_no.lower())
    assert demo_till.checkout.find_sale(f" {wide} ").receipt_no == sale.receipt_no
    assert demo_till.checkout.reprint(sale.receipt_no.lower(), cashier).receipt_no == sale.receipt_no
    found, lines = demo_till.returns.lookup(wide)
    assert found.receipt_no == sale.receipt_no and lines[0].returnable == 1
