"""The command line as the office and the counter type it: add-terminal → enroll → sell → sync → report."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]


def run(home: Path, *args: str, check: int | None = 0) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIANXIN_HOME": str(home), "LIANXIN_SYNC_SECRETS": "file"}
    env.pop("POS_DB", None)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)
    if check is not None:
        assert proc.returncode == check, f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    return proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_add_terminal_enroll_sell_sync_report(tmp_path: Path, pos_home: Path) -> None:
    ho = f"sqlite:///{tmp_path / 'ho.db'}"
    till = str(tmp_path / "till.db")
    issued = json.loads(run(pos_home, "headoffice", "add-terminal", "--db", ho, "--store", "MX", "--terminal", "MX01",
                            "--json").stdout)
    port = free_port()
    env = {**os.environ, "LIANXIN_HOME": str(pos_home)}
    server = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "headoffice", "serve", "--db", ho, "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read() if server.poll() else "timeout"
            time.sleep(0.1)

        run(pos_home, "--db", till, "init", "--demo")
        wrong = run(pos_home, "--db", till, "enroll", url, "AAAA-BBBB-CCCC", check=2)
        assert "登记码不正确" in wrong.stderr
        out = run(pos_home, "--db", till, "enroll", url, issued["code"]).stdout
        assert "enrolled terminal MX01" in out and "sync-MX01.secret" in out
        assert oct((pos_home / "config" / "sync-MX01.secret").stat().st_mode & 0o777) == "0o600"

        sale = json.loads(run(pos_home, "--db", till, "--printer", "dummy:", "sell", "--cashier", "cashier1", "--pin", "1111",
                              "--scan", "6972316000170*2", "--pay", "cash:100", "--json").stdout)
        out = run(pos_home, "--db", till, "sync").stdout
        assert "0 waiting" in out and "sent" in out

        csv_file = tmp_path / "prices.csv"
        header = (ROOT / "resources" / "demo" / "catalog_MX.csv").read_text(encoding="utf-8").splitlines()[0]
        row = next(ln for ln in (ROOT / "resources" / "demo" / "catalog_MX.csv").read_text(encoding="utf-8").splitlines()
                   if ln.startswith("MX-E001,"))
        csv_file.write_text(header + "\n" + row.replace(",45.00,", ",43.00,") + "\n", encoding="utf-8")
        out = run(pos_home, "headoffice", "publish-catalog", "--db", ho, "--store", "MX", str(csv_file)).stdout
        assert "version 1" in out and "1 products" in out
        out = run(pos_home, "--db", till, "sync").stdout
        assert "调价 45.00 → 43.00" in out and "0 waiting" in out
        status = json.loads(run(pos_home, "--db", till, "sync", "--status", "--json").stdout)
        assert status["state"] == "up_to_date" and status["master_version"] == 1

        report = json.loads(run(pos_home, "headoffice", "report", "--db", ho, "--format", "json").stdout)
        total = int(sale["total"].replace(".", ""))
        assert report["by_counter"][0]["net"] == total and report["by_origin"] == [
            {"origin": "松阳", "sales": total, "returns": 0, "net": total}]
        run(pos_home, "headoffice", "report", "--db", ho, "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"))
        assert load_workbook(tmp_path / "r.xlsx").sheetnames[0].startswith("按产地")
        run(pos_home, "headoffice", "report", "--db", ho, "--format", "html", "--out", str(tmp_path / "r.html"))
        assert "松阳" in (tmp_path / "r.html").read_text(encoding="utf-8")
        listing = run(pos_home, "headoffice", "terminals", "--db", ho).stdout
        assert "MX01" in listing and "active" in listing

        run(pos_home, "headoffice", "revoke-terminal", "--db", ho, "--terminal", "MX01")
        refused = run(pos_home, "--db", till, "sync", check=1)
        assert "停用" in refused.stdout and "revoked" in refused.stdout
    finally:
        server.terminate()
        server.wait(15)
