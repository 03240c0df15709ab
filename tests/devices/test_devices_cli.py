"""The device commands: print-test, devices, drawer, print-queue (one-line errors, exit codes)."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_printers import FakeNetworkPrinter

from pos.bootstrap import open_till
from pos.cli import main
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _quiet_logging() -> Iterator[None]:
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for h in root.handlers[len(before):]:  # main() adds a file handler per call
        root.removeHandler(h)
        h.close()


@pytest.fixture
def db(tmp_path: Path, clock: FixedClock) -> Path:
    path = tmp_path / "till.db"
    till = open_till(load_config(db=path, printer="dummy:?fail=1"), create=True, demo=True, clock=clock)
    try:
        who = till.auth.login("cashier1", "1111")
        till.shifts.open(who, CashCount())
        with till.db.reader.connect() as c:
            code = c.exec_driver_sql("SELECT barcode FROM products WHERE store_code='MX' AND barcode IS NOT NULL "
                                     "AND sold_by='unit' ORDER BY sku LIMIT 1").scalar_one()
        for _ in range(2):  # two cash sales whose receipts could not print: jobs 1 and 2
            done = till.checkout.complete_sale(Cart().add(till.lookup.find(code)), [Tender(TenderKind.CASH, 100_000)],
                                               who)
            assert till.receipts.print(done.receipt).job_id is not None
    finally:
        till.close()
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_print_test_on_a_printer_that_answers(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeNetworkPrinter() as fake:
        code, out, _ = cli(capsys, "--printer", fake.url, "print-test", "--json")
        assert code == 0
        result = json.loads(out)
        assert result["ok"] and result["status"]["state"] == "ready" and result["bytes"] > 500
        assert "打印测试页".encode("gb18030") in fake.jobs[0]


def test_print_test_failures_are_one_chinese_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "--printer", "dummy:?state=paper_out", "print-test")
    assert code == 1 and out == ""
    assert err.startswith("error: 测试页未打印：打印机 dummy:?state=paper_out 缺纸，请装入新纸卷") and err.count("\n") == 1
    code, _, err = cli(capsys, "--printer", "lpt1:", "print-test")
    assert code == 1 and "无法识别的打印机地址" in err


def test_devices_lists_ports_and_the_configured_devices(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('printer = "dummy:"\nscale = "dummy:?grams=2500"\ndisplay = "dummy:"\n', encoding="utf-8")
    code, out, _ = cli(capsys, "--config", str(config), "--db", str(tmp_path / "none.db"), "devices", "--json")
    assert code == 0
    result = json.loads(out)
    assert isinstance(result["serial_ports"], list)
    kinds = {d["kind"]: d for d in result["devices"]}
    assert kinds["printer"]["state"] == "ready" and kinds["scale"]["reading"]["grams"] == 2500
    assert kinds["scanner"]["state"] == "wedge" and kinds["display"]["ok"] is True
    code, out, _ = cli(capsys, "--config", str(config), "--db", str(tmp_path / "none.db"), "devices")
    assert code == 0 and "电子秤" in out and "2500 克" in out


def test_drawer_needs_an_approver_for_a_cashier(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _, err = cli(capsys, "--db", str(db), "--printer", "dummy:", "drawer", "--cashier", "cashier1", "--pin", "1111")
    assert code == 2 and "needs a manager's approval" in err
    code, out, _ = cli(capsys, "--db", str(db), "--printer", "dummy:", "drawer", "--cashier", "cashier1", "--pin", "1111",
                       "--approver", "manager1", "--approver-pin", "2222", "--reason", "换零钱", "--json")
    assert code == 0 and json.loads(out)["message_zh"] == "钱箱已打开"
    with sqlite3.connect(db) as c:
        [payload] = [json.loads(r[0]) for r in c.execute("SELECT payload FROM journal WHERE kind='drawer_open'")]
    assert payload["by"] == "cashier1" and payload["approver"] == "manager1" and payload["reason"] == "换零钱"
    code, _, err = cli(capsys, "--db", str(db), "--printer", "dummy:?fail=1", "drawer", "--cashier", "manager1",
                       "--pin", "2222")
    assert code == 1 and "钱箱未能打开" in err


def test_print_queue_list_retry_abandon(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    base = ("--db", str(db))
    code, out, _ = cli(capsys, *base, "print-queue", "--json")
    jobs = json.loads(out)["pending"]
    assert code == 0 and [j["id"] for j in jobs] == [1, 2] and jobs[0]["last_error_zh"].endswith("无法连接（模拟故障）")
    code, out, _ = cli(capsys, *base, "print-queue")
    assert "小票 MX01-" in out and "attempts 1" in out
    code, _, err = cli(capsys, *base, "--printer", "dummy:?fail=1", "print-queue", "retry", "1")
    assert code == 1 and "仍未打印" in err
    code, out, _ = cli(capsys, *base, "--printer", "dummy:", "print-queue", "retry", "1")
    assert code == 0 and "已打印" in out
    code, out, _ = cli(capsys, *base, "print-queue", "abandon", "2")
    assert code == 0 and "已放弃打印" in out
    code, out, _ = cli(capsys, *base, "print-queue", "retry-all")
    assert code == 0 and "没有待打印的任务" in out
    code, _, err = cli(capsys, *base, "print-queue", "retry")
    assert code == 2 and "needs the job number" in err
    code, _, err = cli(capsys, *base, "print-queue", "retry", "99")
    assert code == 1 and "没有编号为 99 的打印任务" in err


def test_print_test_from_a_shell(tmp_path: Path, pos_home: Path) -> None:
    env = {**os.environ, "LIANXIN_HOME": str(pos_home)}
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--printer", f"file:{tmp_path}", "print-test"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "测试页已发送" in proc.stdout and (tmp_path / "test-page.bin").exists()
    assert "Traceback" not in proc.stderr
