"""`sell` on the command line: the sale as a whole needs --approver when it is over the cashier's
limits; 95折 is a discount; a ¥0 sale needs no --pay and prints."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.test_cli import run

EGGS = "6972316000170"  # 松阳土鸡蛋 30枚装 ¥45.00
MANAGER = ("--approver", "manager1", "--approver-pin", "2222")


@pytest.fixture
def db(tmp_path: Path, pos_home: Path) -> Path:
    path = tmp_path / "till.db"
    run(pos_home, "--db", str(path), "init", "--demo")
    return path


def kinds(db: Path) -> list[str]:
    with sqlite3.connect(db) as c:
        return [r[0] for r in c.execute("SELECT kind FROM journal WHERE kind IN ('login', 'sale', 'shift_open')")]


def sell(home: Path, db: Path, *args: str, check: int | None = 0):
    return run(home, "--db", str(db), "--printer", "dummy:", "sell", "--cashier", "cashier1", "--pin", "1111",
               *args, check=check)


def test_ten_percent_on_the_line_and_nine_zhe_on_the_sale_need_the_managers_pin(db: Path, pos_home: Path) -> None:
    stacked = ("--scan", f"{EGGS}*2", "--discount", "1:10%", "--sale-discount", "9折", "--pay", "cash:100")
    proc = sell(pos_home, db, *stacked, check=2)
    assert "needs a manager's approval" in proc.stderr and "19 %" in proc.stderr and "--approver" in proc.stderr
    assert kinds(db) == ["login"]  # only the cashier's login: no sale, no shift opened
    out = json.loads(sell(pos_home, db, *stacked, *MANAGER, "--json").stdout)
    assert out["total"] == "72.90"
    with sqlite3.connect(db) as c:
        [payload] = [json.loads(r[0]) for r in c.execute("SELECT payload FROM journal WHERE kind='sale'")]
    assert payload["approvals"][0]["approver"] == "manager1" and payload["approvals"][0]["percent_bp"] == 1900


def test_ninety_five_zhe_needs_no_pin(db: Path, pos_home: Path) -> None:
    out = json.loads(sell(pos_home, db, "--scan", EGGS, "--sale-discount", "95折", "--pay", "cash:50", "--json").stdout)
    assert out["total"] == "42.70"  # ¥42.75 less 抹分


def test_a_gift_is_a_zero_sale_with_no_payment_and_a_receipt(db: Path, pos_home: Path) -> None:
    proc = sell(pos_home, db, "--scan", EGGS, "--discount", "1:100%", *MANAGER)
    assert "total 0.00  paid 0.00  change 0.00" in proc.stdout and "warning" not in proc.stderr
    assert run(pos_home, "--db", str(db), "ledger", "verify").returncode == 0
    proc = sell(pos_home, db, "--scan", EGGS, check=2)  # something to pay and no --pay: refused in words
    assert "no payment was given" in proc.stderr
