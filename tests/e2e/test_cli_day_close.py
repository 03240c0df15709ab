"""Issue 11 points 8–10 from the command line: strict --day, held sales before 交班 and Z, the Z
naming its day, a past Z shown/exported again (z-report), 无对账单 and the second approver."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import run

EGGS = "6972316000170"


def test_a_manager_closes_a_day_with_a_held_sale_and_looks_at_the_z_again(tmp_path: Path, pos_home: Path) -> None:
    db = tmp_path / "till.db"
    base = ["--db", str(db), "--printer", f"file:{tmp_path / 'receipts'}"]

    def cli(*args: str, check: int = 0):
        return run(pos_home, *base, *args, check=check)

    cli("init", "--demo")
    cashier = ("--cashier", "cashier1", "--pin", "1111")
    cli("shift", "open", *cashier)
    cli("sell", *cashier, "--scan", EGGS, "--pay", "cash:45")
    cli("sell", *cashier, "--scan", EGGS, "--pay", "account:45:PHGH")
    assert "held as number 1" in cli("hold", *cashier, "--scan", EGGS).stdout
    held = cli("held").stdout  # the cashier's name and local time, not login and UTC
    assert "张小芳" in held and "cashier1" not in held and "T" not in held.split()[1]
    assert "逗号" in cli("shift", "cash-in", "1,280", "--reason", "零钱", *cashier, "--approver", "manager1",
                          "--approver-pin", "2222", check=2).stderr  # amounts as 12.80 on every command

    proc = cli("shift", "close", *cashier, "--count", "10:4", "--count", "5:1", check=2)
    assert "张小芳" in proc.stderr and "--yes" in proc.stderr and "挂单" in proc.stderr  # listed, nothing done
    cli("shift", "close", *cashier, "--count", "10:4", "--count", "5:1", "--yes")

    manager = ("--by", "manager1", "--pin", "2222")
    for typed in ("20251231", "2025-W01-1", "2025-1-5"):
        proc = cli("z-close", *manager, "--day", typed, "--yes", check=2)
        assert "YYYY-MM-DD" in proc.stderr and "Traceback" not in proc.stderr
    proc = cli("z-close", *manager, check=2)
    assert "挂单" in proc.stderr
    out = cli("z-close", *manager, "--yes").stdout
    day = out.split("closed business day ", 1)[1].split(" ", 1)[0]
    assert f"营业日 {day}" in out and "李建国" in out and "manager1" not in out
    assert "已日结" in cli("z-close", *manager, "--yes", "--day", day, check=2).stderr

    shown = cli("z-report", day).stdout
    assert "Z 报表" in shown and f"营业日 {day}" in shown
    z = json.loads(cli("z-report", day, "--pdf", str(tmp_path / "again.pdf"), "--print", "--json").stdout)
    assert z["day"] == day and z["net"] == "90.00" and z["closed_by"] == "李建国" and z["printed"] is True
    assert (tmp_path / "again.pdf").read_bytes().startswith(b"%PDF")
    assert "YYYY-MM-DD" in cli("z-report", day.replace("-", ""), check=2).stderr

    cli("reconcile", day, *manager, "--declare", "cash:45")
    proc = cli("reconcile", day, "--by", "accountant1", "--pin", "3333", "--approve", check=2)
    assert "单位挂账" in proc.stderr  # 挂账 neither declared nor marked
    rec = json.loads(cli("reconcile", day, *manager, "--no-statement", "account:月底统一对账", "--json").stdout)
    assert rec["no_statement"] == {"account": "月底统一对账"} and rec["missing"] == []
    assert "另一人" in cli("reconcile", day, *manager, "--approve", check=2).stderr
    rec = json.loads(cli("reconcile", day, "--by", "accountant1", "--pin", "3333", "--approve", "--json").stdout)
    assert rec["approved"] is True
    assert "ledger ok" in cli("ledger", "verify").stdout
