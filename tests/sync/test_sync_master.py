"""Master data from head office (catalogue, users, settings) and the head-office reports, on a real server."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from headoffice import accounts, service
from pos.domain.errors import UnknownProduct
from pos.domain.pricing import RoundingMode
from pos.services.ports import FixedClock
from pos.services.sync import SyncBusy
from pos.store.schema import journal
from pos.sync import lock_path_for
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server, sell
from tests.sync.faultproxy import FaultProxy

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
BOX = "MX-BOX9"  # 三地礼盒: 茂县花椒 + 青田稻鱼米 + 松阳山茶油


def demo_rows(*skus: str) -> tuple[list[str], list[dict[str, str]]]:
    with (ROOT / "resources" / "demo" / "catalog_MX.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = {r["sku"]: r for r in reader}
        return list(reader.fieldnames or []), [rows[s] for s in skus]


def write_catalog(path: Path, changes: dict[str, dict[str, str]], extra: list[dict[str, str]]) -> Path:
    header, rows = demo_rows("MX-E001", "MX-S001", "MX-R002", "MX-O001")
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for r in rows:
            w.writerow({**r, **changes.get(r["sku"], {})})
        for r in extra:
            w.writerow({k: r.get(k, "") for k in header})
    return path


NEW_ROWS = [
    {"sku": "MX-NEW1", "barcode": "6945837009991", "name": "茂县高山土豆 2.5kg", "category": "蔬菜", "origin": "茂县",
     "unit": "袋", "price": "25.00", "sold_by": "unit", "tax_rate": "9", "active": "yes"},
    {"sku": BOX, "barcode": "6945837009984", "name": "山海协作三地礼盒", "category": "礼盒", "origin": "茂县",
     "unit": "盒", "price": "168.00", "sold_by": "unit", "tax_rate": "9", "active": "yes",
     "components": "MX-S001*1;MX-R002*1;MX-O001*1"},
]


@pytest.fixture
def setup(tmp_path: Path):
    clock = FixedClock(T0)
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        till = make_till(tmp_path, "MX", "MX01", clock)
        till.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", "MX01").code)
        fast_retries(till)
        try:
            yield srv, till, clock
        finally:
            till.close()


def journal_count(till, kind: str) -> int:  # noqa: ANN001
    with till.db.reader.connect() as conn:
        return conn.execute(select(func.count()).select_from(journal).where(journal.c.kind == kind)).scalar_one()


def test_master_data_is_applied_in_one_go_and_the_till_shows_what_changed(setup, tmp_path: Path) -> None:
    srv, till, _clock = setup
    file = write_catalog(tmp_path / "cat.csv", {"MX-E001": {"price": "42.00"}}, NEW_ROWS)
    rep = service.publish_catalog(srv.engine, "MX", file)
    assert (rep.version, rep.products, rep.added) == (1, 6, 6)
    service.set_user(srv.engine, "MX", "cashier9", "王小明", "cashier", initial_pin="5678")
    assert service.set_setting(srv.engine, "MX", rounding="round_jiao") == 3
    before = journal_count(till, "catalog_import")

    report = till.sync.run_cycle()
    assert report.ok and report.master_version == 3 and report.waiting == 0
    assert till.sync.status().master_version == 3 and till.sync.status().state == "up_to_date"
    what = {(c.what, c.key) for c in report.changes}
    assert what == {("price", "MX-E001"), ("product_added", "MX-NEW1"), ("product_added", BOX), ("components", BOX),
                    ("user_added", "cashier9"), ("setting", "rounding")}
    price = next(c for c in report.changes if c.what == "price")
    assert (price.old, price.new) == (4500, 4200) and "42.00" in price.text_zh
    # the till sells at the new price, the new cashier logs in with the PIN head office chose, 抹零 changed
    assert till.lookup.find("MX-E001").price_fen == 4200
    assert till.lookup.find("6945837009984").sku == BOX
    assert till.auth.login("cashier9", "5678").display_name == "王小明"
    assert till.checkout.rounding_mode() is RoundingMode.ROUND_JIAO
    # journaled once, with the version, and uploaded in the same cycle; "what changed" is kept for the screen
    assert journal_count(till, "catalog_import") == before + 1
    with till.db.reader.connect() as conn:
        payload = json.loads(conn.execute(select(journal.c.payload).where(journal.c.kind == "catalog_import")
                                          .order_by(journal.c.seq.desc())).scalars().first())
    assert payload["source"] == "headoffice" and payload["version"] == 3 and payload["price_change_count"] == 1
    assert [(c.what, c.key) for c in till.sync.last_changes()] == [(c.what, c.key) for c in report.changes]
    assert till.sync.status().state == "waiting"  # the logins above are new journal entries
    # nothing new: nothing applied, nothing journaled
    again = till.sync.run_cycle()
    assert again.ok and again.changes == () and journal_count(till, "catalog_import") == before + 1
    # head office resets a PIN: the till re-hashes it; the old one stops working
    service.set_user(srv.engine, "MX", "cashier9", None, None, initial_pin="8765")
    assert {c.what for c in till.sync.run_cycle().changes} == {"pin_reset"}
    assert till.auth.login("cashier9", "8765").login == "cashier9"


def test_bad_master_data_changes_nothing(setup) -> None:
    srv, till, _clock = setup
    service.publish_catalog(srv.engine, "MX", write_catalog(Path(till.db.path).with_name("c.csv"), {}, []))
    assert till.sync.run_cycle().ok

    def broken(doc: dict) -> None:  # a price change and a gift box whose component does not exist
        for p in doc["catalog"]["products"]:
            if p["sku"] == "MX-E001":
                p["price"] = 100
        doc["catalog"]["products"].append({"sku": "MX-BAD", "name": "坏礼盒", "price": 100, "sold_by": "unit"})
        doc["catalog"]["components"]["MX-BAD"] = [["NO-SUCH-SKU", 1]]
        doc["settings"]["rounding"] = "round_yuan"

    service.publish(srv.engine, "MX", broken)
    imports = journal_count(till, "catalog_import")
    rep = till.sync.run_cycle()
    assert not rep.ok and "NO-SUCH-SKU" in rep.last_error and "不在商品目录" in rep.last_error_zh
    assert till.lookup.find("MX-E001").price_fen == 4500
    assert till.checkout.rounding_mode() is RoundingMode.DROP_FEN
    assert till.sync.status().master_version == 1 and journal_count(till, "catalog_import") == imports
    with pytest.raises(UnknownProduct):
        till.lookup.find("MX-BAD")


def test_prices_wait_for_their_effective_time(setup, tmp_path: Path) -> None:
    srv, till, clock = setup
    file = write_catalog(tmp_path / "cat.csv", {"MX-E001": {"price": "39.90"}}, [])
    service.publish_catalog(srv.engine, "MX", file, effective_at=clock.at + timedelta(days=1))
    rep = till.sync.run_cycle()
    assert rep.ok and rep.scheduled_version == 1 and rep.changes == ()
    assert till.lookup.find("MX-E001").price_fen == 4500 and till.sync.status().pending_master_version == 1
    clock.at += timedelta(days=2)
    rep = till.sync.run_cycle()
    assert [(c.what, c.new) for c in rep.changes] == [("price", 3990)]
    assert till.lookup.find("MX-E001").price_fen == 3990 and till.sync.status().pending_master_version is None


def test_reports_count_gift_boxes_by_their_own_counties_leave_out_training_and_subtract_returns(setup, tmp_path: Path) -> None:
    srv, till, _clock = setup
    service.publish_catalog(srv.engine, "MX", write_catalog(tmp_path / "cat.csv", {}, NEW_ROWS))
    assert till.sync.run_cycle().ok
    till.checkout.reload_settings()
    cashier = cashier_of(till)
    manager = till.auth.login("manager1", "2222")
    box = sell(till, cashier, [(BOX, 2), ("MX-E001", 1)])
    sell(till, cashier, [("MX-NEW1", 3)], training=True)
    till.returns.return_items(box.sale.receipt_no, {1: 1}, manager)
    assert till.sync.run_cycle().ok

    comps = {c.origin: c.revenue_fen for c in box.sale.lines[0].components}
    assert set(comps) == {"茂县", "青田", "松阳"} and sum(comps.values()) == box.sale.lines[0].net_fen
    token_id, token = accounts.create_token(srv.engine, "finance BI", by="test")
    bearer = {"Authorization": f"Bearer {token}"}
    data = httpx.get(f"{srv.url}/api/v1/reports/sales", headers=bearer).json()
    by_origin = {o["origin"]: o for o in data["by_origin"]}
    assert by_origin["青田"]["sales"] == comps["青田"] and by_origin["茂县"]["sales"] == comps["茂县"]
    assert by_origin["松阳"]["sales"] == comps["松阳"] + box.sale.lines[1].net_fen
    refund = sum(o["returns"] for o in data["by_origin"])
    assert refund == box.sale.lines[0].net_fen // 2 and by_origin["青田"]["returns"] > 0
    assert data["total"]["net"] == box.sale.total_fen - refund
    assert data["by_counter"] == [{"store": "MX", "terminal": "MX01", "sales": box.sale.total_fen, "returns": refund,
                                   "net": box.sale.total_fen - refund, "receipts": 1, "return_documents": 1}]
    assert httpx.get(f"{srv.url}/api/v1/reports/sales").status_code == 401  # a login or a token is needed
    xlsx = httpx.get(f"{srv.url}/api/v1/reports/sales.xlsx", headers=bearer)
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = {r[0]: r for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(rows["青田"][1])) == Decimal(comps["青田"]).scaleb(-2)  # exact yuan, no float rounding
    assert wb.worksheets[0]["B2"].number_format == "#,##0.00"  # money as numbers with thousands separators
    accounts.revoke_token(srv.engine, token_id, by="test")
    assert httpx.get(f"{srv.url}/api/v1/reports/sales", headers=bearer).status_code == 401  # revoked


def test_never_two_cycles_at_once(setup) -> None:
    srv, till, _clock = setup
    # in this process: a cycle held up by a slow network, and a second one asked for meanwhile
    with FaultProxy(srv.port, ("delay",), delay_s=1.0) as proxy:
        t = threading.Thread(target=till.sync.run_cycle, args=(proxy.url,))
        t.start()
        time.sleep(0.3)
        with pytest.raises(SyncBusy):
            till.sync.run_cycle()
        assert till.sync.status().state == "running"
        t.join(20)
    # another process (the CLI while the till runs) holds the lock
    code = ("import sys,time; from pos.sync.lock import FileCycleLock; l=FileCycleLock(sys.argv[1]); "
            "assert l.acquire(); print('held', flush=True); time.sleep(30)")
    other = subprocess.Popen([sys.executable, "-c", code, str(lock_path_for(till.db.path))], stdout=subprocess.PIPE,
                             text=True, cwd=ROOT)
    try:
        assert other.stdout.readline().strip() == "held"
        with pytest.raises(SyncBusy) as exc:
            till.sync.run_cycle()
        assert "另一个程序" in exc.value.message_zh
    finally:
        other.kill()
        other.wait(10)
    assert till.sync.run_cycle().ok


def test_an_unreachable_head_office_is_retried_with_full_jitter_then_reported(setup) -> None:
    _srv, till, _clock = setup
    delays: list[float] = []
    till.sync._sleep = delays.append
    till.sync.max_attempts = 5
    rep = till.sync.run_cycle("http://127.0.0.1:9")  # discard port: nothing listens
    assert not rep.ok and rep.retries == 5 and len(delays) == 4
    assert all(0 <= d < min(till.sync.backoff_cap, till.sync.backoff_base * 2 ** i) for i, d in enumerate(delays))
    assert "无法连接总部" in rep.last_error_zh and "cannot be reached" in rep.last_error
    assert rep.waiting > 0 and till.sync.status().state == "error"
    till.sync.backoff_cap = 1.0
    samples = [till.sync.backoff_delay(3) for _ in range(2000)]  # uniform over [0, 0.01·2³)
    assert max(samples) < 0.08 and min(samples) < 0.01 and 0.03 < sum(samples) / len(samples) < 0.05
