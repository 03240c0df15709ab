"""Issue 15 from the command line: receive a 山海快车 batch, sell from it, write off, count, report, trace."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from pos.services.ports import CHINA_TZ
from tests.e2e.test_cli import run

EGGS = "6972316000170"  # MX-E001 松阳土鸡蛋 30枚装
HEADER = "batch,supplier,supplier_contact,arrival,sku,quantity,unit_cost,expiry,origin,certificate,quarantine"


def _today() -> date:
    """The store's today, as the command line counts days (the till's time zone, China's), not this machine's:
    from 16:00 UTC the two differ by a day."""
    return datetime.now(CHINA_TZ).date()


def _note(path: Path, rows: list[str], batch: str = "SHKC-2026-48") -> Path:
    arrival = _today() - timedelta(days=1)
    first = f"{batch},松阳县供销合作社,0578-8066000,{arrival.isoformat()},"
    path.write_text("\n".join([HEADER] + [(first if i == 0 else ",,,,") + r for i, r in enumerate(rows)]) + "\n",
                    encoding="utf-8")
    return path


def _in(days: int) -> str:
    return (_today() + timedelta(days=days)).isoformat()


def test_a_manager_receives_a_batch_the_cashier_sells_from_it_and_the_manager_writes_off_counts_and_traces(
        tmp_path: Path, pos_home: Path) -> None:
    db = tmp_path / "till.db"

    def cli(*args: str, check: int = 0):
        return run(pos_home, "--db", str(db), "--printer", "dummy:", *args, check=check)

    cli("init", "--demo", "--no-demo-stock")
    bad = _note(tmp_path / "bad.csv", [f"MX-F001,30,7.10,{_in(10)},茂县,HG-A2,", f"MX-E001,10,30.00,{_in(20)},松阳,,",
                                       f"MX-M001,12,58.00,{_in(8)},松阳,HG-B1,"])
    proc = cli("stock", "receive", str(bad), "--by", "manager1", "--pin", "2222", check=2)
    assert "第3行" in proc.stderr and "row 3" in proc.stderr and "第4行" in proc.stderr and "row 4" in proc.stderr
    assert "未做任何更改" in proc.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM lots").fetchone() == (0,)

    note = _note(tmp_path / "note.csv", [f"MX-F001,30,7.10,{_in(10)},茂县,HG-A2,", f"MX-F001,50,6.35,{_in(6)},茂县,HG-A1,",
                                         f"MX-E001,10,30.00,{_in(20)},松阳,HG-E1,", f"MX-M001,12,58.00,{_in(8)},松阳,HG-B1,JY-7"])
    assert "可以收货" in cli("stock", "receive", str(note)).stdout  # without --by: checked, not received
    done = json.loads(cli("stock", "receive", str(note), "--by", "manager1", "--pin", "2222", "--json").stdout)
    assert done["lots"] == ["SHKC-2026-48/1", "SHKC-2026-48/2", "SHKC-2026-48/3", "SHKC-2026-48/4"]
    assert done["total_cost"] == "1526.50"

    listed = json.loads(cli("stock", "list", "--sku", "MX-F001", "--lots", "--json").stdout)
    assert listed[0]["on_hand_text"] == "80.000 kg" and [x["lot"] for x in listed[0]["lots"]] == [
        "SHKC-2026-48/2", "SHKC-2026-48/1"]
    assert "合格证 HG-A1" in cli("stock", "list", "--lots").stdout

    sale = json.loads(cli("sell", "--cashier", "cashier1", "--pin", "1111", "--scan", "MX-F001*1.255", "--scan",
                          f"{EGGS}*2", "--pay", "cash:200", "--json").stdout)
    trace = json.loads(cli("trace", sale["receipt_no"], "--json").stdout)
    assert [(x["sku"], x["lot_id"], x["certificate_no"]) for x in trace["lines"]] == [
        ("MX-F001", "SHKC-2026-48/2", "HG-A1"), ("MX-E001", "SHKC-2026-48/3", "HG-E1")]
    assert "合格证 HG-A1" in cli("trace", sale["receipt_no"]).stdout

    proc = cli("stock", "writeoff", "MX-E001", "1", "--reason", "broken", "--by", "cashier1", "--pin", "1111", check=2)
    assert "--approver" in proc.stderr
    proc = cli("stock", "writeoff", "MX-E001", "20", "--reason", "broken", "--by", "manager1", "--pin", "2222", check=2)
    assert "超出库存" in proc.stderr
    wo = json.loads(cli("stock", "writeoff", "MX-E001", "1", "--reason", "broken", "--by", "cashier1", "--pin", "1111",
                        "--approver", "manager1", "--approver-pin", "2222", "--json").stdout)
    assert wo["cost"] == "30.00"

    count = tmp_path / "count.csv"
    count.write_text("条码,实盘数量\n6972316000170,6\n", encoding="utf-8")
    sheet = json.loads(cli("stock", "count", str(count), "--by", "cashier1", "--pin", "1111", "--json").stdout)
    assert sheet["state"] == "pending" and sheet["lines"][0]["variance"] == -1 and sheet["cost"] == "-30.00"
    assert str(sheet["count_no"]) in cli("stock", "counts").stdout
    cli("stock", "approve-count", str(sheet["count_no"]), "--by", "cashier1", "--pin", "1111", check=2)
    done = json.loads(cli("stock", "approve-count", str(sheet["count_no"]), "--by", "manager1", "--pin", "2222",
                          "--json").stdout)
    assert done["state"] == "approved"
    assert json.loads(cli("stock", "list", "--sku", EGGS, "--json").stdout)[0]["on_hand"] == 6

    report = json.loads(cli("batch", "report", "SHKC-2026-48", "--format", "json").stdout)[0]
    assert report["received_cost_fen"] == 152_650 and report["written_off_cost_fen"] == 3_000
    assert report["sold_cost_fen"] == 797 + 6_000 and report["adjusted_cost_fen"] == -3_000
    rows = list(csv.reader(io.StringIO(cli("batch", "report", "--format", "csv").stdout)))
    assert rows[0][0] == "批次号" and rows[1][0] == "SHKC-2026-48"
    out = tmp_path / "batches.xlsx"
    cli("batch", "report", "--format", "xlsx", "--out", str(out))
    sheet_rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert sheet_rows[1][0] == "SHKC-2026-48"
    assert "松阳" in cli("batch", "report", "--by-origin").stdout

    recall = json.loads(cli("trace", "--batch", "SHKC-2026-48", "--json").stdout)
    assert recall["receipts"] == [sale["receipt_no"]]
    cli("trace", "--batch", "SHKC-2026-99", check=2)
    assert cli("ledger", "verify").returncode == 0


def test_expiry_policy_and_category_settings_from_the_command_line(tmp_path: Path, pos_home: Path) -> None:
    db = tmp_path / "till.db"

    def cli(*args: str, check: int = 0):
        return run(pos_home, "--db", str(db), "--printer", "dummy:", *args, check=check)

    cli("init", "--demo", "--no-demo-stock")
    cli("stock", "category-settings", "肉禽蛋", "--near-days", "5", "--by", "cashier1", "--pin", "1111", check=2)
    out = cli("stock", "category-settings", "肉禽蛋", "--near-days", "5", "--by", "manager1", "--pin", "2222").stdout
    assert "临期 5 天" in out and "合格证 要" in out
    assert "禁止销售" in cli("stock", "expiry-policy", "refuse", "--by", "manager1", "--pin", "2222").stdout
    # the lot arrived yesterday on its last selling day: today the scan refuses it
    note = _note(tmp_path / "note.csv", [f"MX-E001,3,30.00,{_in(-1)},松阳,HG-E1,"])
    cli("stock", "receive", str(note), "--by", "manager1", "--pin", "2222")
    proc = cli("sell", "--cashier", "cashier1", "--pin", "1111", "--scan", EGGS, "--pay", "cash:100", check=2)
    assert "不能销售" in proc.stderr and "expired" in proc.stderr
    near = json.loads(cli("stock", "near-expiry", "--json").stdout)
    assert [(x["sku"], x["days_left"]) for x in near] == [("MX-E001", -1)]
    cli("stock", "expiry-policy", "warn", "--by", "manager1", "--pin", "2222")
    cli("sell", "--cashier", "cashier1", "--pin", "1111", "--scan", EGGS, "--pay", "cash:100")  # warned, sold
    proc = cli("stock", "list", "--expiring", "abc", check=2)
    assert "whole number" in proc.stderr


def test_stock_list_prints_every_followed_product_or_a_page_of_them(tmp_path: Path, pos_home: Path) -> None:
    db = tmp_path / "till.db"

    def cli(*args: str, check: int = 0):
        return run(pos_home, "--db", str(db), "--printer", "dummy:", *args, check=check)

    cli("init", "--demo")  # two delivery batches per counter
    every = json.loads(cli("stock", "list", "--limit", "0", "--json").stdout)
    skus = [p["sku"] for p in every]
    assert len(skus) > 3 and skus == sorted(skus) and all(p["on_hand"] > 0 for p in every)
    with sqlite3.connect(db) as c:
        on_hand = dict(c.execute("SELECT sku, SUM(on_hand) FROM lots GROUP BY sku"))
    assert {p["sku"]: p["on_hand"] for p in every} == on_hand
    text = cli("stock", "list", "--limit", "0").stdout.splitlines()
    assert [line.split("  ")[0] for line in text] == skus  # one line per product, in sku order
    eggs = next(p for p in every if p["sku"] == "MX-E001")
    assert f"MX-E001  {eggs['name']}  库存 {eggs['on_hand']}  成本 ¥{eggs['value']}" in text[skus.index("MX-E001")]

    page = cli("stock", "list", "--limit", "2", "--offset", "1")
    assert [line.split("  ")[0] for line in page.stdout.splitlines()] == skus[1:3]
    assert "--offset 3" in page.stderr
    cli("sell", "--cashier", "cashier1", "--pin", "1111", "--scan", f"{EGGS}*2", "--pay", "cash:200")
    after = json.loads(cli("stock", "list", "--sku", EGGS, "--json").stdout)
    assert after[0]["on_hand"] == eggs["on_hand"] - 2


def test_a_product_renamed_by_a_catalogue_import_is_listed_by_its_new_name_at_once(tmp_path: Path,
                                                                                   pos_home: Path) -> None:
    db = tmp_path / "till.db"

    def cli(*args: str, check: int = 0):
        return run(pos_home, "--db", str(db), "--printer", "dummy:", *args, check=check)

    cli("init", "--demo")  # with stock of the eggs
    before = json.loads(cli("stock", "list", "--sku", "MX-E001", "--json").stdout)
    assert before[0]["name"] == "松阳土鸡蛋 30枚装"
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("sku,barcode,name,category,origin,unit,price,sold_by\n"
                       f"MX-E001,{EGGS},松阳散养土鸡蛋 30枚礼盒,禽蛋礼盒,松阳,盒,48.00,unit\n", encoding="utf-8")
    assert "1 updated" in cli("catalog", "import", str(renamed)).stdout
    after = json.loads(cli("stock", "list", "--sku", "MX-E001", "--json").stdout)
    assert (after[0]["name"], after[0]["category"], after[0]["on_hand"]) == (
        "松阳散养土鸡蛋 30枚礼盒", "禽蛋礼盒", before[0]["on_hand"])
    lines = cli("stock", "list", "--limit", "0").stdout.splitlines()
    assert any(line.startswith("MX-E001  松阳散养土鸡蛋 30枚礼盒  ") for line in lines)
    assert not any("松阳土鸡蛋 30枚装" in line for line in lines)
    assert json.loads(cli("ledger", "verify", "--json").stdout)["ok"] is True
