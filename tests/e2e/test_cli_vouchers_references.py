"""Issue 11 points 4–6 from the command line: a voucher typed another way is still used, a training
sale leaves it usable, and a return refunds its share in cash (or the tender the cashier names)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import run
from tests.e2e.test_cli_checkout import EGGS, sell


def test_a_voucher_typed_in_lower_case_after_it_was_used_is_refused(db: Path, pos_home: Path) -> None:
    sell(pos_home, db, "--scan", EGGS, "--pay", "voucher:20:V888", "--pay", "cash:25")
    proc = sell(pos_home, db, "--scan", EGGS, "--pay", "voucher:20: v888 ", "--pay", "cash:25", check=2)
    assert "V888 已使用过" in proc.stderr


def test_a_voucher_used_in_training_is_still_good_for_a_real_sale(db: Path, pos_home: Path) -> None:
    sell(pos_home, db, "--scan", EGGS, "--pay", "voucher:20:V123", "--pay", "cash:25", "--training")
    out = json.loads(sell(pos_home, db, "--scan", EGGS, "--pay", "voucher:20:v123", "--pay", "cash:25",
                          "--json").stdout)
    assert not out.get("training")


def test_a_return_refunds_the_vouchers_share_in_cash_or_as_the_cashier_says(db: Path, pos_home: Path) -> None:
    sale = json.loads(sell(pos_home, db, "--scan", f"{EGGS}*2", "--pay", "voucher:30:V500", "--pay", "cash:60",
                           "--json").stdout)
    base = ["--db", str(db), "--printer", "dummy:", "return", "--receipt", sale["receipt_no"], "--cashier", "cashier1",
            "--pin", "1111", "--approver", "manager1", "--approver-pin", "2222"]
    out = json.loads(run(pos_home, *base, "--line", "MX-E001*1", "--pay", "cash:45", "--json").stdout)
    assert out["refund"] == "45.00" and {r["tender"] for r in out["refunds"]} == {"cash"}
    proc = run(pos_home, *base, "--line", "MX-E001*1", "--voucher-refund", "voucher", check=2)
    assert "不能退到消费券" in proc.stderr
    out = json.loads(run(pos_home, *base, "--line", "MX-E001*1", "--voucher-refund", "wechat", "--json").stdout)
    assert sorted((r["tender"], r["amount"]) for r in out["refunds"]) == [("cash", "30.00"), ("wechat", "15.00")]
    assert run(pos_home, "--db", str(db), "ledger", "verify").returncode == 0
