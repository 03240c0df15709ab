"""Issue 3 from the command line: scale labels, discounts with approval, holds, returns, reprints."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pos.domain.scan import DEFAULT_SCALE_FORMATS
from tests.e2e.test_cli import journal_count, run

EGGS = "6972316000170"  # 松阳土鸡蛋 30枚装 ¥45.00


def sell(home: Path, db: Path, *args: str, check: int | None = 0):
    return run(home, "--db", str(db), "--printer", "dummy:", "sell", "--cashier", "cashier1", "--pin", "1111",
               *args, check=check)


def as_json(proc) -> dict:
    return json.loads(proc.stdout)


def test_a_scale_label_is_charged_as_printed_and_rounded_off(db: Path, pos_home: Path) -> None:
    label = DEFAULT_SCALE_FORMATS[0].encode(102, amount_fen=1607, flag="21")  # PLU 102 冰糖心苹果, ¥16.07
    out = as_json(sell(pos_home, db, "--scan", label, "--pay", "cash:20", "--json"))
    assert (out["total"], out["rounding"], out["change"]) == ("16.00", "-0.07", "4.00")
    bad = label[:-1] + str((int(label[-1]) + 1) % 10)
    proc = sell(pos_home, db, "--scan", bad, "--pay", "cash:20", check=2)
    assert "校验位" in proc.stderr


def test_a_payment_code_is_never_sold_as_a_product(db: Path, pos_home: Path) -> None:
    before = journal_count(db)
    proc = sell(pos_home, db, "--scan", "134567890123456789", "--pay", "cash:20", check=2)
    assert "付款码" in proc.stderr and journal_count(db) == before


def test_a_big_discount_needs_the_managers_pin(db: Path, pos_home: Path) -> None:
    proc = sell(pos_home, db, "--scan", f"{EGGS}*2", "--discount", "1:20%", "--pay", "cash:100", check=2)
    assert "--approver" in proc.stderr
    proc = sell(pos_home, db, "--scan", f"{EGGS}*2", "--discount", "1:20%", "--approver", "manager1",
                "--approver-pin", "0000", "--pay", "cash:100", check=2)
    assert "PIN" in proc.stderr
    out = as_json(sell(pos_home, db, "--scan", f"{EGGS}*2", "--discount", "1:20%", "--approver", "manager1",
                       "--approver-pin", "2222", "--pay", "cash:100", "--json"))
    assert (out["total"], out["discount"]) == ("72.00", "18.00")
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM journal WHERE kind='override'").fetchone()[0] == 1


def test_price_override_and_split_tender_with_references(db: Path, pos_home: Path) -> None:
    out = as_json(sell(pos_home, db, "--scan", EGGS, "--price", "1:40", "--approver", "manager1", "--approver-pin", "2222",
                       "--pay", "wechat:30:134567890123456789", "--pay", "unionpay:5:UP-778899", "--pay", "cash:10",
                       "--json"))
    assert (out["total"], out["change"]) == ("40.00", "5.00")
    # The ¥5.00 price cut is its own figure: list value − 改价 = total; 9 % VAT taken out of ¥40.00.
    assert (out["list_total"], out["reductions"]["override"], out["tax"]) == ("45.00", "5.00", "3.30")
    proc = sell(pos_home, db, "--scan", EGGS, "--pay", "unionpay:45", check=2)
    assert "参考号" in proc.stderr


def test_hold_recall_and_the_held_list(db: Path, pos_home: Path) -> None:
    base = ["--db", str(db), "--printer", "dummy:"]
    out = run(pos_home, *base, "hold", "--cashier", "cashier1", "--pin", "1111", "--scan", "102*0.8").stdout
    assert "held as number 1" in out
    assert "1 lines" in run(pos_home, *base, "held").stdout
    proc = run(pos_home, *base, "recall", "1", "--cashier", "cashier1", "--pin", "1111", "--pay", "cash:1", check=2)
    assert "still due" in proc.stderr
    held = run(pos_home, *base, "held").stdout
    assert "1 lines" in held and held.split()[0] == "1"  # a refused payment leaves it on hold, as it was
    out = run(pos_home, *base, "recall", "1", "--cashier", "cashier1", "--pin", "1111", "--scan", EGGS,
              "--pay", "cash:100").stdout
    assert "change" in out
    assert "no held sales" in run(pos_home, *base, "held").stdout
    assert run(pos_home, "--db", str(db), "ledger", "verify").returncode == 0


def test_returns_by_receipt_never_exceed_what_was_sold(db: Path, pos_home: Path) -> None:
    sale = as_json(sell(pos_home, db, "--scan", f"{EGGS}*2", "--pay", "wechat:60:w1", "--pay", "cash:50", "--json"))
    base = ["--db", str(db), "--printer", "dummy:", "return", "--receipt", sale["receipt_no"], "--cashier", "cashier1",
            "--pin", "1111", "--approver", "manager1", "--approver-pin", "2222"]
    out = json.loads(run(pos_home, *base, "--line", "MX-E001*1", "--json").stdout)
    assert out["refund"] == "45.00" and {r["tender"] for r in out["refunds"]} == {"wechat", "cash"}
    proc = run(pos_home, *base, "--line", "MX-E001*2", check=2)
    assert "最多还可退 1" in proc.stderr
    proc = run(pos_home, *base, "--line", "MX-E001*1", "--pay", "cash:45", check=2)
    assert "original tenders" in proc.stderr
    out = json.loads(run(pos_home, *base, "--line", "MX-E001", "--pay", "wechat:30", "--pay", "cash:15", "--json").stdout)
    assert out["refund"] == "45.00"
    assert run(pos_home, "--db", str(db), "ledger", "verify").returncode == 0


def test_reprint_and_training(db: Path, pos_home: Path) -> None:
    real = as_json(sell(pos_home, db, "--scan", EGGS, "--pay", "cash:50", "--json"))
    practice = as_json(sell(pos_home, db, "--scan", EGGS, "--pay", "cash:50", "--training", "--json"))
    assert practice["receipt_no"].endswith("-T0001") and practice["training"] is True
    out = run(pos_home, "--db", str(db), "--printer", "dummy:", "reprint", real["receipt_no"], "--cashier", "cashier1",
              "--pin", "1111").stdout
    assert "重印" in out
    proc = run(pos_home, "--db", str(db), "reprint", "MX01-20990101-0001", "--cashier", "cashier1", "--pin", "1111",
               check=2)
    assert "没有小票" in proc.stderr


def test_an_institution_pays_on_account_up_to_its_limit(db: Path, pos_home: Path) -> None:
    out = as_json(sell(pos_home, db, "--scan", "6972316000736*2", "--pay", "account:596:PHGH", "--json"))
    assert out["total"] == "596.00"
    proc = sell(pos_home, db, "--scan", EGGS, "--pay", "account:45:NOSUCH", check=2)
    assert "挂账单位" in proc.stderr
