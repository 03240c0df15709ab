"""The command line as a person types it: init → catalog import → sell → ledger verify."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo"


def run(home: Path, *args: str, check: int | None = 0) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIANXIN_HOME": str(home)}
    env.pop("POS_DB", None)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    if check is not None:
        assert proc.returncode == check, f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    return proc


def journal_count(db: Path) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT COUNT(*) FROM journal").fetchone()[0]


@pytest.fixture
def db(tmp_path: Path, pos_home: Path) -> Path:
    path = tmp_path / "till.db"
    out = run(pos_home, "--db", str(path), "init", "--demo").stdout
    assert "MX01" in out and "茂县专柜" in out
    return path


def _a_barcode() -> str:
    for line in (DEMO / "catalog_MX.csv").read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split(",")
        if cells[1] and cells[-1] != "no":
            return cells[1]
    raise AssertionError("demo catalogue has no barcodes")


def test_init_import_sell_verify(tmp_path: Path, pos_home: Path) -> None:
    path = tmp_path / "fresh.db"
    run(pos_home, "init", "--db", str(path), "--store", "PM")
    out = run(pos_home, "--db", str(path), "catalog", "import", str(DEMO / "catalog_PM.csv")).stdout
    assert "imported 34 products" in out
    code = next(ln.split(",")[1] for ln in (DEMO / "catalog_PM.csv").read_text(encoding="utf-8").splitlines()[1:] if ln.split(",")[1])
    # Nobody can log in on a fresh, non-demo database: add the people through the demo path instead.
    proc = run(pos_home, "--db", str(path), "sell", "--cashier", "cashier1", "--pin", "1111", "--scan", code,
               "--pay", "cash:1000", check=2)
    assert "cashier1" in proc.stderr
    assert run(pos_home, "--db", str(path), "ledger", "verify").returncode == 0


def test_a_cash_sale_from_the_command_line(db: Path, pos_home: Path, tmp_path: Path) -> None:
    receipts = tmp_path / "receipts"
    code = _a_barcode()
    out = run(pos_home, "--db", str(db), "--printer", f"file:{receipts}", "sell", "--cashier", "cashier1",
              "--pin", "1111", "--scan", f"{code}*2", "--scan", "101*1.255", "--pay", "cash:500", "--json").stdout
    result = json.loads(out)
    assert result["receipt_no"] == f"MX01-{result['receipt_no'][5:13]}-0001"
    total = int(result["total"].replace(".", ""))
    assert int(result["paid"].replace(".", "")) - int(result["change"].replace(".", "")) == total
    assert result["printed"] is True
    assert (receipts / f"{result['receipt_no']}.bin").read_bytes().startswith(b"\x1b@")
    text = (receipts / f"{result['receipt_no']}.txt").read_text(encoding="utf-8")
    assert result["receipt_no"] in text and "找零" in text
    verify = json.loads(run(pos_home, "--db", str(db), "ledger", "verify", "--json").stdout)
    assert verify["ok"] is True


def test_plain_output_names_receipt_total_paid_and_change(db: Path, pos_home: Path) -> None:
    out = run(pos_home, "--db", str(db), "--printer", "dummy:", "sell", "--cashier", "cashier1", "--pin", "1111",
              "--scan", _a_barcode(), "--pay", "wechat:1", "--pay", "cash:999").stdout
    assert out.startswith("MX01-") and "total" in out and "change" in out


@pytest.mark.parametrize(
    "args, words",
    [
        (["--scan", "0000000000000", "--pay", "cash:10"], "0000000000000"),
        (["--scan", "{code}", "--pay", "cash:0.01"], "still due"),
        (["--scan", "{code}", "--pay", "bitcoin:10"], "unknown tender"),
        (["--scan", "{code}", "--pay", "cash:-5"], "negative"),
        (["--scan", "{code}*0", "--pay", "cash:100"], "more than zero"),
        (["--scan", "{code}*abc", "--pay", "cash:100"], "not a whole number"),
        (["--scan", "{code}", "--pay", "cash"], "cash:50"),
        (["--scan", "{code}", "--pay", "wechat:9999"], "only cash"),
    ],
)
def test_bad_input_is_one_plain_line_exit_2_and_changes_nothing(db: Path, pos_home: Path, args, words) -> None:
    before = journal_count(db)
    args = [a.replace("{code}", _a_barcode()) for a in args]
    proc = run(pos_home, "--db", str(db), "--printer", "dummy:", "sell", "--cashier", "cashier1", "--pin", "1111",
               *args, check=2)
    assert words in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert journal_count(db) == before


def test_a_wrong_pin_is_refused_and_journaled_but_sells_nothing(db: Path, pos_home: Path) -> None:
    proc = run(pos_home, "--db", str(db), "sell", "--cashier", "cashier1", "--pin", "0000", "--scan", _a_barcode(),
               "--pay", "cash:100", check=2)
    assert "PIN" in proc.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 0
        assert c.execute("SELECT payload FROM journal WHERE kind='login' ORDER BY seq DESC").fetchone()[0].find('"ok":false') >= 0


def test_missing_arguments_and_unknown_commands_exit_2_in_one_line(pos_home: Path, tmp_path: Path) -> None:
    for args in (["sell"], ["frobnicate"], ["ledger"], ["--db", str(tmp_path / "nope.db"), "ledger", "verify"]):
        proc = run(pos_home, *args, check=2)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (tmp_path / "nope.db").exists()


def test_a_bad_catalogue_is_refused_whole_with_row_numbers(db: Path, pos_home: Path) -> None:
    with sqlite3.connect(db) as c:
        before = c.execute("SELECT COUNT(*), SUM(price_fen) FROM products").fetchone()
    proc = run(pos_home, "--db", str(db), "catalog", "import", str(DEMO / "catalog_bad_example.csv"), check=2)
    rows = [ln for ln in proc.stderr.splitlines() if ln.strip().startswith("row ")]
    assert len(rows) >= 3 and "nothing was imported" in proc.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*), SUM(price_fen) FROM products").fetchone() == before


def test_reimport_updates_by_sku_and_journals_price_changes(db: Path, pos_home: Path, tmp_path: Path) -> None:
    src = (DEMO / "catalog_MX.csv").read_text(encoding="utf-8").splitlines()
    header, first = src[0], src[1].split(",")
    first[6] = "19.90"
    changed = tmp_path / "changed.csv"
    changed.write_text("\n".join([header, ",".join(first)]) + "\n", encoding="gbk")
    out = run(pos_home, "--db", str(db), "catalog", "import", str(changed)).stdout
    assert "0 new, 1 updated, 1 price changes" in out
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT price_fen FROM products WHERE sku=?", (first[0],)).fetchone()[0] == 1990
        payload = c.execute("SELECT payload FROM journal WHERE kind='catalog_import' ORDER BY seq DESC").fetchone()[0]
    assert '"new":1990' in payload and first[0] in payload


def test_a_tampered_ledger_fails_verify_naming_the_seq(db: Path, pos_home: Path) -> None:
    run(pos_home, "--db", str(db), "--printer", "dummy:", "sell", "--cashier", "cashier1", "--pin", "1111",
        "--scan", _a_barcode(), "--pay", "cash:1000")
    with sqlite3.connect(db) as c:
        seq = c.execute("SELECT journal_seq FROM sales").fetchone()[0]
        c.execute("DROP TRIGGER journal_no_update")
        c.execute("UPDATE journal SET payload = replace(payload, '\"paid\":', '\"paid\":9') WHERE seq=?", (seq,))
    proc = run(pos_home, "--db", str(db), "ledger", "verify", check=1)
    assert f"seq {seq}" in proc.stdout
