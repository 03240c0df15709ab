"""Issue 16 from the command line: `report NAME --from --to --format …` and `account-payment` (回款).

An accountant takes the period's 收款方式汇总 as JSON, 商品销售汇总 as a table, CSV, XLSX and PDF, and the
挂账 statement before and after a payment received; bad days, reversed periods, unknown reports and a
store this till does not keep are one line and exit status 2.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

from tests.e2e.test_cli import run

EGGS = "6972316000170"  # 松阳土鸡蛋 30枚装, ¥45.00


def _period() -> tuple[str, str]:
    """A period around today's business day (the command line runs on the real clock)."""
    today = date.today()
    return (today - timedelta(days=40)).isoformat(), (today + timedelta(days=40)).isoformat()


def test_an_accountant_takes_the_period_reports_as_json_table_and_files(tmp_path: Path, pos_home: Path) -> None:
    db = tmp_path / "till.db"

    def cli(*args: str, check: int = 0) -> subprocess.CompletedProcess[str]:
        return run(pos_home, "--db", str(db), *args, check=check)

    cli("init", "--demo")
    cashier = ("--cashier", "cashier1", "--pin", "1111")
    cli("shift", "open", *cashier)
    cli("sell", *cashier, "--scan", EGGS, "--pay", "cash:50")
    cli("sell", *cashier, "--scan", EGGS, "--scan", EGGS, "--pay", "wechat:90.00:4200000001")
    cli("sell", *cashier, "--scan", EGGS, "--pay", "account:45:MXGXS")
    cli("sell", *cashier, "--scan", EGGS, "--pay", "cash:45", "--training")
    cli("shift", "close", *cashier, "--count", "10:4", "--count", "5:1")
    cli("z-close", "--by", "manager1", "--pin", "2222", "--yes")
    a, b = _period()
    period = ("--from", a, "--to", b)

    tenders = json.loads(cli("report", "tenders", *period, "--format", "json").stdout)
    net = {r["tender_code"]: r["net"] for r in tenders["rows"]}
    assert net == {"cash": "45.00", "wechat": "90.00", "account": "45.00"}  # the practice sale is left out
    assert all(r["net"] == r["z_net"] for r in tenders["rows"])
    assert tenders["totals"]["tender"] == "营业实收" and tenders["totals"]["net"] == "180.00"
    assert tenders["title"] == "收款方式汇总" and any("一致" in n for n in tenders["notes"])

    table = cli("report", "products", *period).stdout
    assert "商品销售汇总" in table and "松阳土鸡蛋 30枚装" in table and "180.00" in table and "合计" in table

    out = cli("report", "products", *period, "--format", "csv", "--out", str(tmp_path / "p.csv")).stdout
    data = (tmp_path / "p.csv").read_bytes()
    assert str(tmp_path / "p.csv") in out and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["商品编码", "商品名称"] and rows[-1][0] == "合计" and "180.00" in rows[-1]

    import openpyxl

    cli("report", "daily", *period, "--format", "xlsx", "--out", str(tmp_path))
    xlsx = next(tmp_path.glob("daily-*.xlsx"))
    sheet = openpyxl.load_workbook(xlsx).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[1] == 3 for row in values if isinstance(row[0], (date, str)) and row[0] != "营业日")  # not the practice sale

    cli("report", "tax", *period, "--format", "pdf", "--out", str(tmp_path / "tax.pdf"))
    assert (tmp_path / "tax.pdf").read_bytes().startswith(b"%PDF")

    # 回款: the institution's balance comes down, and the statement shows it
    before = json.loads(cli("report", "accounts", *period, "--format", "json").stdout)
    mx = next(r for r in before["rows"] if r["code"] == "MXGXS")
    assert (mx["sales"], mx["payments"], mx["balance"]) == ("45.00", "0.00", "45.00")
    paid = json.loads(cli("account-payment", "MXGXS", "20", "--by", "manager1", "--pin", "2222", "--note", "网银",
                          "--json").stdout)
    assert (paid["balance_before"], paid["balance"], paid["approver"]) == ("45.00", "25.00", "manager1")
    after = json.loads(cli("report", "accounts", *period, "--format", "json").stdout)
    mx = next(r for r in after["rows"] if r["code"] == "MXGXS")
    assert (mx["payments"], mx["balance"]) == ("20.00", "25.00")

    refused = cli("account-payment", "MXGXS", "30", "--by", "manager1", "--pin", "2222", check=2)
    assert "25.00" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    refused = cli("account-payment", "MXGXS", "5", "--by", "cashier1", "--pin", "1111", check=2)
    assert "店长或会计" in refused.stderr
    refused = cli("account-payment", "MXGXS", "5", "--by", "accountant1", "--pin", "3333", check=2)
    assert "--approver" in refused.stderr
    ok = cli("account-payment", "MXGXS", "5", "--by", "accountant1", "--pin", "3333", "--approver", "manager1",
             "--approver-pin", "2222")
    assert "20.00" in ok.stdout and "25.00 → 20.00" in ok.stdout


def test_bad_days_reversed_periods_unknown_reports_and_other_stores_are_one_line_and_exit_2(db: Path, pos_home: Path) -> None:
    cases = [
        (["report", "daily", "--from", "2026-11-1", "--to", "2026-11-30"], "YYYY-MM-DD"),
        (["report", "daily", "--from", "2026/11/01", "--to", "2026-11-30"], "YYYY-MM-DD"),
        (["report", "daily", "--from", "2026-02-30", "--to", "2026-03-01"], "YYYY-MM-DD"),
        (["report", "daily", "--from", "2026-11-30", "--to", "2026-11-01"], "before it begins"),
        (["report", "profit", "--from", "2026-11-01", "--to", "2026-11-30"], "unknown report"),
        (["report", "daily", "--from", "2026-11-01", "--to", "2026-11-30", "--store", "PM"], "PM"),
        (["report", "daily", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "docx"], "docx"),
        (["account-payment", "NOSUCH", "5", "--by", "manager1", "--pin", "2222"], "NOSUCH"),
        (["account-payment", "MXGXS", "-5", "--by", "manager1", "--pin", "2222"], ""),
    ]
    for args, words in cases:
        proc = run(pos_home, "--db", str(db), *args, check=2)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and words in lines[0], (args, proc.stderr)
        assert "Traceback" not in proc.stderr and proc.stdout == ""
