"""Receipts after the sale: the drawer kick on cash, the 开钱箱 operation (permission + journal),
and the print queue when the printer drops the connection mid-receipt."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from escpos_reader import decode
from fake_printers import FakeNetworkPrinter

from pos.bootstrap import Till, open_till
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.errors import AuthError
from pos.domain.permissions import Action, ApprovalRequired, NotPermitted
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock

KICK = b"\x1b\x70\x00\x32\x32"


def cashier(till: Till):  # noqa: ANN201
    return till.auth.login("cashier1", "1111")


def manager(till: Till):  # noqa: ANN201
    return till.auth.login("manager1", "2222")


def sell(till: Till, *, card: bool = False, training: bool = False):  # noqa: ANN201
    with till.db.reader.connect() as c:
        code = c.exec_driver_sql("SELECT barcode FROM products WHERE store_code='MX' AND barcode IS NOT NULL "
                                 "AND sold_by='unit' ORDER BY sku LIMIT 1").scalar_one()
    cart = Cart().add(till.lookup.find(code))
    total = cart.totals(till.checkout.rounding_mode()).total_fen
    tender = Tender(TenderKind.UNIONPAY, total, "REF123456") if card else Tender(TenderKind.CASH, 100_000)
    return till.checkout.complete_sale(cart, [tender], cashier(till), training=training)


def journal(till: Till, kind: str) -> list[dict]:
    with till.db.reader.connect() as c:
        rows = c.exec_driver_sql("SELECT payload FROM journal WHERE kind = ? ORDER BY seq", (kind,)).all()
    return [json.loads(r[0]) for r in rows]


@pytest.fixture
def till_for(tmp_path: Path, clock: FixedClock) -> Iterator:
    """Open a demo till (shift open) printing to ``url``."""
    opened: list[Till] = []

    def make(url: str, **settings: object) -> Till:
        from pos.domain.closing import CashCount

        cfg = load_config(db=tmp_path / "queue.db", printer=url, **settings)
        till = open_till(cfg, create=True, demo=True, clock=clock)
        till.shifts.open(cashier(till), CashCount())
        opened.append(till)
        return till

    yield make
    for till in opened:
        till.close()


class TestDrawerKick:
    def test_a_cash_sale_kicks_the_drawer_as_its_receipt_prints(self, demo_till: Till) -> None:
        done = sell(demo_till)
        result = demo_till.receipts.print(done.receipt)
        assert result.ok and result.drawer_kicked
        data = demo_till.receipts.printer.jobs[-1].data
        assert data.startswith(b"\x1b@" + KICK)
        assert decode(data, 48).drawer_kicks == [(0, 50, 50)]

    def test_no_kick_without_cash_nor_on_reprints_or_training(self, demo_till: Till) -> None:
        done = sell(demo_till, card=True)
        assert not demo_till.receipts.print(done.receipt).drawer_kicked
        cash = sell(demo_till)
        reprint = demo_till.checkout.reprint(cash.sale.receipt_no, cashier(demo_till))
        assert not demo_till.receipts.print(reprint).drawer_kicked
        training = sell(demo_till, training=True)
        assert not demo_till.receipts.print(training.receipt).drawer_kicked
        assert all(KICK not in job.data for job in demo_till.receipts.printer.jobs)

    def test_the_kick_can_be_switched_off(self, till_for) -> None:  # noqa: ANN001
        till = till_for("dummy:", cash_drawer=False)
        assert not till.receipts.print(sell(till).receipt).drawer_kicked


class TestOpenDrawer:
    def test_a_cashier_needs_a_managers_approval_and_both_are_journaled(self, demo_till: Till) -> None:
        who = cashier(demo_till)
        with pytest.raises(ApprovalRequired) as err:
            demo_till.drawer.open(who, reason="换零钱")
        assert "开钱箱需要店长授权" in err.value.message_zh
        assert journal(demo_till, "drawer_open") == []
        approval = demo_till.auth.approve(Action.OPEN_DRAWER, "manager1", "2222", requested_by=who, detail="换零钱")
        result = demo_till.drawer.open(who, approval, reason="换零钱")
        assert result.ok and result.message_zh == "钱箱已打开"
        assert journal(demo_till, "drawer_open") == [{"by": "cashier1", "role": "cashier", "reason": "换零钱",
                                                      "approver": "manager1", "approver_role": "manager"}]
        assert demo_till.receipts.printer.jobs[-1].data == KICK
        assert demo_till.verify().ok

    def test_a_manager_alone_and_an_accountant_never(self, demo_till: Till) -> None:
        assert demo_till.drawer.open(manager(demo_till)).ok
        assert journal(demo_till, "drawer_open")[-1]["approver"] is None
        accountant = demo_till.auth.login("accountant1", "3333")
        with pytest.raises(NotPermitted) as err:
            demo_till.drawer.open(accountant)
        assert "无权" in err.value.message_zh

    def test_an_approval_for_someone_else_does_not_count(self, demo_till: Till) -> None:
        from pos.domain.users import Role

        approval = demo_till.auth.approve(Action.OPEN_DRAWER, "manager1", "2222", requested_by=cashier(demo_till))
        other = demo_till.auth.add_user("cashier9", "赵小敏", Role.CASHIER, "4321", by=manager(demo_till))
        with pytest.raises(AuthError) as err:
            demo_till.drawer.open(other, approval)
        assert err.value.message_zh == "该授权不是给当前收银员的"

    def test_a_printer_fault_is_reported_and_the_opening_stays_recorded(self, demo_till: Till) -> None:
        demo_till.receipts.printer.transport.fail = True
        result = demo_till.drawer.open(manager(demo_till))
        assert not result.ok and result.message_zh.startswith("钱箱未能打开：打印机 dummy: 无法连接")
        assert "开钱箱操作已记录" in result.message_zh
        assert len(journal(demo_till, "drawer_open")) == 1


class TestPrintQueue:
    def test_a_connection_dropped_mid_receipt_queues_the_job_and_a_retry_prints_it(self, till_for) -> None:  # noqa: ANN001
        with FakeNetworkPrinter(mode="drop", drop_after=200) as fake:
            till = till_for(fake.url)
            done = sell(till)
            result = till.receipts.print(done.receipt)
            assert not result.ok and result.job_id is not None
            assert "未能打印" in result.message_zh and "交易已保存" in result.message_zh
            assert f"打印队列第 {result.job_id} 号" in result.message_zh
            # The sale is intact.
            assert [p["receipt_no"] for p in journal(till, "sale")] == [done.sale.receipt_no]
            assert till.verify().ok
            [job] = till.print_queue.pending()
            assert (job.id, job.receipt_no, job.kind, job.attempts, job.state) == (
                result.job_id, done.sale.receipt_no, "receipt", 1, "pending")
            assert "传输中断" in job.last_error_zh and job.text and done.sale.receipt_no in job.text
            # The printer is back: retry sends the receipt without the drawer kick.
            fake.mode = "answer"
            retried = till.print_queue.retry(job.id)
            assert retried.ok and retried.message_zh == f"小票 {done.sale.receipt_no} 已打印"
            expected = till.receipts.printer.encode(done.receipt, drawer_kick=False)
            assert fake.jobs[-1] == expected and KICK not in fake.jobs[-1]
            assert till.print_queue.pending() == []
            assert till.print_queue.get(job.id).state == "printed" and till.print_queue.get(job.id).attempts == 2

    def test_nothing_blocks_the_next_sale_and_the_queue_survives_a_restart(self, till_for, tmp_path: Path) -> None:  # noqa: ANN001
        with socket.create_server(("127.0.0.1", 0)) as s:
            port = s.getsockname()[1]
        url = f"tcp://127.0.0.1:{port}"
        till = till_for(url)
        started = time.monotonic()
        results = [till.receipts.print(sell(till).receipt) for _ in range(3)]
        assert time.monotonic() - started < 5
        assert [r.ok for r in results] == [False, False, False]
        assert all("连接被拒绝" in r.message_zh for r in results)
        assert [j.id for j in till.print_queue.pending()] == [r.job_id for r in results]
        till.close()
        again = open_till(load_config(db=tmp_path / "queue.db", printer=url))
        try:
            assert len(again.print_queue.pending()) == 3
            stopped = again.print_queue.retry_all()
            assert not stopped.ok and stopped.printed == () and stopped.remaining == 3
            assert "还有 3 项待打印" in stopped.message_zh
            assert again.print_queue.get(results[0].job_id).attempts == 2
        finally:
            again.close()

    def test_retry_all_abandon_and_unknown_jobs(self, till_for) -> None:  # noqa: ANN001
        till = till_for("dummy:?fail=1")
        ids = [till.receipts.print(sell(till).receipt).job_id for _ in range(3)]
        queue = till.print_queue
        assert queue.abandon(ids[1]).message_zh.endswith("已放弃打印")
        assert not queue.abandon(ids[1]).ok and "已放弃" in queue.abandon(ids[1]).message_zh
        missing = queue.retry(999)
        assert not missing.ok and missing.message_zh == "没有编号为 999 的打印任务"
        till.receipts.printer.transport.fail = False
        done = queue.retry_all()
        assert done.ok and done.printed == (ids[0], ids[2]) and done.message_zh == "已打印 2 项"
        assert queue.retry_all().message_zh == "没有待打印的任务"
        assert not queue.retry(ids[0]).ok  # already printed
        assert [j.kind for j in till.receipts.printer.jobs] == ["receipt", "receipt"]

    def test_a_printer_out_of_paper_queues_with_the_reason(self, till_for) -> None:  # noqa: ANN001
        with FakeNetworkPrinter(answers={1: 0x1A, 2: 0x32, 4: 0x72}) as fake:
            till = till_for(fake.url)
            result = till.receipts.print(sell(till).receipt)
            assert not result.ok and "缺纸" in result.message_zh and result.job_id
            assert fake.wait_for_bytes(5) == b"\x10\x14\x01\x00\x01"  # the drawer still opens for the change
