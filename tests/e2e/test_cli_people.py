"""Issue 5 from the command line: people, a shift, cash, blind close, Z, reconciliation, PDFs."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import run

EGGS = "6972316000170"


def test_a_manager_runs_the_day_from_the_command_line(tmp_path: Path, pos_home: Path) -> None:
    db = tmp_path / "till.db"
    base = ["--db", str(db), "--printer", f"file:{tmp_path / 'receipts'}"]

    def cli(*args: str, check: int = 0):
        return run(pos_home, *base, *args, check=check)

    cli("init", "--demo")
    cli("user", "add", "cashier2", "--name", "赵小红", "--role", "cashier", "--new-pin", "4321", "--by", "manager1",
        "--pin", "2222")
    assert "cashier2" in cli("user", "list").stdout
    proc = cli("user", "add", "x", "--name", "x", "--role", "admin", "--new-pin", "1234", "--by", "cashier1",
               "--pin", "1111", check=2)
    assert "无权" in proc.stderr

    out = json.loads(cli("shift", "open", "--cashier", "cashier2", "--pin", "4321", "--count", "100:2", "--count",
                         "10:5", "--json").stdout)
    assert out == {"float": "250.00", "shift": 1}
    cli("sell", "--cashier", "cashier2", "--pin", "4321", "--scan", f"{EGGS}*2", "--pay", "cash:100")
    cli("sell", "--cashier", "cashier2", "--pin", "4321", "--scan", EGGS, "--pay", "alipay:45:2512345678901234")
    proc = cli("shift", "cash-out", "100", "--reason", "存银行", "--cashier", "cashier2", "--pin", "4321", check=2)
    assert "--approver" in proc.stderr
    cli("shift", "cash-out", "100", "--reason", "存银行", "--cashier", "cashier2", "--pin", "4321",
        "--approver", "manager1", "--approver-pin", "2222")
    x = json.loads(cli("shift", "x", "--cashier", "cashier2", "--pin", "4321", "--json").stdout)
    assert x["expected_cash"] == "240.00"  # 250 + 90 − 100
    close = json.loads(cli("shift", "close", "--cashier", "cashier2", "--pin", "4321", "--count", "100:2",
                           "--count", "20:1", "--count", "10:1", "--count", "5:1", "--count", "1:4", "--print",
                           "--json").stdout)
    assert (close["counted_cash"], close["variance"]) == ("239.00", "-1.00")

    z = json.loads(cli("z-close", "--by", "accountant1", "--pin", "3333", "--pdf", str(tmp_path / "z.pdf"),
                       "--json").stdout)
    assert z["net"] == "135.00" and z["totals"]["by_tender"] == {"alipay": 4500, "cash": 9000}
    assert (tmp_path / "z.pdf").read_bytes().startswith(b"%PDF")
    assert list((pos_home / "data" / "backups").glob("lianxin-MX-MX01-*-daily.db"))  # the Z's daily backup
    cli("z-close", "--by", "manager1", "--pin", "2222", check=2)

    day = z["day"]
    rec = json.loads(cli("reconcile", day, "--by", "manager1", "--pin", "2222", "--declare", "cash:89",
                         "--declare", "alipay:45", "--notes", "短款1元", "--json").stdout)
    variances = {ln["tender"]: ln["variance"] for ln in rec["lines"] if ln["declared"] is not None}
    assert variances == {"cash": "-1.00", "alipay": "0.00"} and rec["approved"] is False
    proc = cli("reconcile", day, "--by", "manager1", "--pin", "2222", "--approve", check=2)
    assert "另一人审核" in proc.stderr  # who prepared the figures does not approve them
    rec = json.loads(cli("reconcile", day, "--by", "accountant1", "--pin", "3333", "--approve", "--pdf",
                         str(tmp_path / "r.pdf"), "--json").stdout)
    assert rec["approved"] is True and rec["approved_by"] == "accountant1"
    proc = cli("reconcile", day, "--by", "manager1", "--pin", "2222", "--declare", "cash:90", check=2)
    assert "锁定" in proc.stderr
    assert "ledger ok" in cli("ledger", "verify").stdout
