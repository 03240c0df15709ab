"""Delivery batches at head office (issue 15) against journals sent through the real ingest.

Two tills' journals are written here by hand, following the contract the tills follow (stock_receipt,
stock_writeoff, stock_count, "draws" in sales and returns), chained with the ledger's own
next_entry_text and sent signed to a real head office (uvicorn on loopback, SQLite file). Every
figure of the per-batch report, its page, its XLSX and the CLI is checked against a sum over those
journals done here; rebuilding gives the same rows; a hostile draw is stored and counted as
unreadable, never a 500; the receipt trace page names the lots a line drew.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from pathlib import Path

import httpx
import openpyxl
import pytest
from sqlalchemy import select

from headoffice import batches as bt
from headoffice import derive
from headoffice.schema_batches import batch_lot_sums, batch_lots
from pos.domain.ledger import next_entry_text
from pos.domain.trace_code import trace_url
from pos.sync import signing
from tests.headoffice.ho_support import enrol_over_http, running_server
from tests.headoffice.ho_web import make_account, office_client

B48, B49, B50 = "SHKC-2026-48", "SHKC-2026-49", "SHKC-2026-50"


class Till:
    """A hand-written journal of one till, sent in batches through the signed sync API."""

    def __init__(self, srv, terminal: str, store: str) -> None:  # noqa: ANN001
        self.srv, self.terminal = srv, terminal
        self.secret = enrol_over_http(srv, terminal, store)
        self.prev = None
        self.sent: list[tuple[str, str, dict]] = []  # (kind, day, payload) of every entry sent
        self.pending: list[dict] = []
        self.receipts = 0

    def add(self, kind: str, day: str, payload: dict) -> dict:
        entry, text = next_entry_text(self.prev, terminal_id=self.terminal, kind=kind, business_day=day,
                                      created_at=f"{day}T03:00:00.000000Z", payload=payload)
        self.prev = entry
        self.pending.append({"seq": entry.seq, "kind": kind, "business_day": day, "created_at": entry.created_at,
                             "payload": text, "prev_hash": entry.prev_hash, "hash": entry.hash})
        self.sent.append((kind, day, payload))
        return payload

    def flush(self) -> httpx.Response:
        path = f"/api/v1/terminals/{self.terminal}/batches"
        raw = json.dumps({"entries": self.pending}).encode()
        r = httpx.post(self.srv.url + path, content=raw, timeout=30,
                       headers=signing.sign_request(self.secret, self.terminal, "POST", path, raw))
        assert r.status_code == 200, r.text[:500]
        assert r.json()["acknowledged_seq"] == self.prev.seq
        self.pending = []
        return r

    def receipt_no(self, day: str) -> str:
        self.receipts += 1
        return f"{self.terminal}-{day.replace('-', '')}-{self.receipts:04d}"

    def sale(self, day: str, lines: list[dict], draws: list[dict], *, training: bool = False) -> dict:
        total = sum(ln["amount"] for ln in lines)
        p = {"receipt_no": self.receipt_no(day), "total": total, "lines": lines, "training": training,
             "tenders": [{"kind": "cash", "amount": total}], "paid": total, "change": 0, "cashier": "cashier1"}
        if draws is not None:
            p["draws"] = draws
        return self.add("sale", day, p)


def lot(no: str, sku: str, name: str, origin: str, qty: int, unit_cost: int, cost: int, expiry: str, *,
        weighed: bool = False, cert: str = "", quarantine: str = "", category: str = "生鲜") -> dict:
    return {"lot": no, "sku": sku, "name": name, "category": category, "origin": origin, "weighed": weighed,
            "quantity": qty, "unit_cost": unit_cost, "cost": cost, "expiry": expiry, "production_date": None,
            "certificate": cert, "certificate_qr": f"QR:{cert}", "quarantine": quarantine}


def receipt(batch: str, arrival: str, lots: list[dict], supplier: str = "松阳县山海农业合作社") -> dict:
    return {"batch": batch, "supplier": supplier, "contact": "13800000000", "arrival": arrival, "by": "manager1",
            "source": "delivery-note.xlsx", "kept_until": "2027-06-01", "total_cost": sum(x["cost"] for x in lots if isinstance(x, dict) and type(x.get("cost")) is int),
            "lots": lots}


def line(no: int, sku: str, name: str, origin: str, qty: int, amount: int, *, weighed: bool = False) -> dict:
    return {"line_no": no, "sku": sku, "name": name, "origin": origin, "category": "生鲜", "quantity": qty,
            "amount": amount, "unit_price": amount, "sold_by": "weight" if weighed else "unit"}


def draw(ln: int, sku: str, lot_id: str | None, qty: int, cost: int, net: int, known: bool = True) -> dict:
    return {"line": ln, "sku": sku, "lot": lot_id, "batch": lot_id.rsplit("/", 1)[0] if lot_id else "",
            "qty": qty, "cost": cost, "known": known, "net": net}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("batches")
    mp = pytest.MonkeyPatch()
    mp.setenv("LIANXIN_HOME", str(tmp / "home"))
    try:
        with running_server(f"sqlite:///{tmp / 'ho.db'}") as srv:
            yield trade(srv), srv, tmp
    finally:
        mp.undo()


def trade(srv) -> dict:  # noqa: ANN001
    mx1, mx2 = Till(srv, "MX01", "MX"), Till(srv, "MX02", "MX")
    # MX01 receives part of truck 48: two lots of 茂县 apples (80 kg + 40 kg) and 松阳 beef with quarantine papers
    mx1.add("stock_receipt", "2026-11-28", receipt(B48, "2026-11-28", [
        lot(f"{B48}/1", "MX-F001", "茂县冰糖心苹果", "茂县", 80000, 1200, 96000, "2026-12-05", weighed=True, cert="HG-MX-0001"),
        lot(f"{B48}/2", "MX-F001", "茂县冰糖心苹果", "茂县", 40000, 1200, 48000, "2026-12-10", weighed=True, cert="HG-MX-0002"),
        lot(f"{B48}/3", "SY-B001", "松阳黄牛肉", "松阳", 20, 6000, 120000, "2026-12-02", cert="HG-SY-0003",
            quarantine="JY-3311-004213")]))
    # a sale across both apple lots (FEFO: lot 1 emptied first) and one of beef
    s1 = mx1.sale("2026-11-28", [line(1, "MX-F001", "茂县冰糖心苹果", "茂县", 79000, 189600, weighed=True)],
                  [draw(1, "MX-F001", f"{B48}/1", 79000, 94800, 189600)])
    s2 = mx1.sale("2026-11-29", [line(1, "MX-F001", "茂县冰糖心苹果", "茂县", 6000, 14400, weighed=True),
                                 line(2, "SY-B001", "松阳黄牛肉", "松阳", 2, 25600)],
                  [draw(1, "MX-F001", f"{B48}/1", 1000, 1200, 2400), draw(1, "MX-F001", f"{B48}/2", 5000, 6000, 12000),
                   draw(2, "SY-B001", f"{B48}/3", 2, 12000, 25600)])
    mx1.add("return", "2026-11-30", {"return_no": f"MX01-20261130-R{1:04d}", "receipt_no": s2["receipt_no"],
                                     "refund": 4800, "cashier": "cashier1", "reason": "客户退货",
                                     "refunds": [{"kind": "cash", "amount": 4800}],
                                     "lines": [{"line_no": 1, "orig_line_no": 1, "sku": "MX-F001", "quantity": 2000,
                                                "refund": 4800, "origin": "茂县", "category": "生鲜", "weighed": True}],
                                     "draws": [{"line": 1, "orig_line": 1, "sku": "MX-F001", "lot": f"{B48}/2",
                                                "batch": B48, "qty": 2000, "cost": 2400, "net": 4800}]})
    mx1.add("stock_writeoff", "2026-11-30", {"sku": "SY-B001", "name": "松阳黄牛肉", "quantity": 1, "weighed": False,
                                             "reason": "spoiled", "note": "冷链断", "by": "cashier1",
                                             "approver": "manager1", "cost": 6000,
                                             "draws": [{"lot": f"{B48}/3", "batch": B48, "qty": 1, "cost": 6000}]})
    # training sales never count
    mx1.sale("2026-11-30", [line(1, "SY-B001", "松阳黄牛肉", "松阳", 5, 64000)],
             [draw(1, "SY-B001", f"{B48}/3", 5, 30000, 64000)], training=True)
    mx1.flush()
    mx1.sale("2026-12-01", [line(1, "MX-H001", "茂县花椒", "茂县", 1, 3800)], None)  # a product with no stock followed
    mx1.flush()

    # MX02 receives the rest of truck 48 (松阳 eggs) and the whole of truck 49 (青田 rice and local goods)
    mx2.add("stock_receipt", "2026-11-28", receipt(B48, "2026-11-28", [
        lot(f"{B48}/1", "SY-E001", "松阳土鸡蛋", "松阳", 30, 1500, 45000, "2026-12-20", cert="HG-SY-0101")]))
    mx2.add("stock_receipt", "2026-12-01", receipt(B49, "2026-12-01", [
        lot(f"{B49}/1", "QT-R001", "青田稻鱼米", "青田", 10, 4000, 40000, "2027-06-01", cert="HG-QT-0201"),
        lot(f"{B49}/2", "PH-XG01", "平湖西瓜", "平湖", 4, 1500, 6000, "2026-12-08")], supplier="平湖供销社"))
    mx2.sale("2026-12-01", [line(1, "SY-E001", "松阳土鸡蛋", "松阳", 5, 15000), line(2, "QT-R001", "青田稻鱼米", "青田", 10, 68000)],
             [draw(1, "SY-E001", f"{B48}/1", 5, 7500, 14700), draw(2, "QT-R001", f"{B49}/1", 10, 40000, 66700)])
    # the whole of lot 49/2 sold, and one more past zero (no lot: flagged, cost unknown)
    mx2.sale("2026-12-03", [line(1, "PH-XG01", "平湖西瓜", "平湖", 5, 15000)],
             [draw(1, "PH-XG01", f"{B49}/2", 4, 6000, 12000), draw(1, "PH-XG01", None, 1, 0, 3000, known=False)])
    mx2.add("stock_count", "2026-12-03", {"count_no": 1, "by": "cashier1", "approver": "manager1", "source": "scanner",
                                          "as_of_seq": 4, "cost": -1500,
                                          "lines": [{"sku": "SY-E001", "name": "松阳土鸡蛋", "weighed": False, "expected": 25,
                                                     "counted": 24, "variance": -1, "cost": -1500,
                                                     "moves": [{"lot": f"{B48}/1", "batch": B48, "qty": -1, "cost": 1500}]}]})
    mx2.flush()
    return {"tills": (mx1, mx2), "s1": s1, "s2": s2}


def expected(tills) -> dict:  # noqa: ANN001
    """Per batch, from the journals sent: received cost, revenue, cost, written off and count at cost, and
    quantities per (terminal, lot) — read here, independently of headoffice/batches.py."""
    out: dict = defaultdict(lambda: defaultdict(int))
    qty: dict = defaultdict(int)
    for t in tills:
        for kind, _day, p in t.sent:
            if kind == "stock_receipt":
                for x in p["lots"]:
                    b = out[p["batch"]]
                    b["received_cost"] += x["cost"]
                    qty[(t.terminal, x["lot"])] += x["quantity"]
            elif kind in ("sale", "return") and not p.get("training"):
                sign = 1 if kind == "sale" else -1
                for d in p.get("draws") or ():
                    if d["lot"] is None:
                        continue
                    b = out[d["batch"]]
                    b["revenue"] += sign * d["net"]
                    b["cost"] += sign * d["cost"]
                    qty[(t.terminal, d["lot"])] -= sign * d["qty"]
            elif kind == "stock_writeoff":
                for d in p["draws"]:
                    out[d["batch"]]["written_cost"] += d["cost"]
                    qty[(t.terminal, d["lot"])] -= d["qty"]
            elif kind == "stock_count":
                for ln in p["lines"]:
                    for m in ln["moves"]:
                        out[m["batch"]]["count_cost"] += m["cost"] if m["qty"] > 0 else -m["cost"]
                        qty[(t.terminal, m["lot"])] += m["qty"]
    return {"batches": out, "on_hand": qty}


def read(engine) -> dict:  # noqa: ANN001
    derive.fresh(engine)
    with engine.connect() as conn:
        return bt.report(conn)


def test_head_office_per_batch_totals_equal_the_tills_journals(world) -> None:  # noqa: ANN001
    w, srv, _tmp = world
    want = expected(w["tills"])
    data = read(srv.engine)
    got = {b["batch"]: b for b in data["batches"]}
    assert set(got) == {B48, B49}
    for no, e in want["batches"].items():
        b = got[no]
        assert (b["received_cost"], b["revenue"], b["cost"], b["written_cost"], b["count_cost"]) == (
            e["received_cost"], e["revenue"], e["cost"], e["written_cost"], e["count_cost"]), no
        assert b["margin"] == e["revenue"] - e["cost"]
        assert b["on_hand_cost"] == e["received_cost"] - e["cost"] - e["written_cost"] + e["count_cost"]
    assert {(r["terminal_id"], r["lot"]): r["on_hand"] for r in data["lots"]} == dict(want["on_hand"])
    assert got[B48]["counters"] == ["MX01", "MX02"] and got[B49]["counters"] == ["MX02"]
    assert set(got[B48]["origins"]) == {"茂县", "松阳"} and got[B48]["arrival"] == "2026-11-28"
    # truck 49: lot 2 emptied on 12-03 but the rice lot 1 too: sold out, arrival 12-01 -> 2 days
    assert got[B49]["sold_out"] and got[B49]["days_to_sell_out"] == 2
    assert not got[B48]["sold_out"] and got[B48]["days_to_sell_out"] is None
    # the apples sold across two lots: 79 + 1 kg from lot 1 (emptied), 5 kg from lot 2, 2 kg of it returned
    lots = {(r["terminal_id"], r["lot"]): r for r in data["lots"]}
    assert lots[("MX01", f"{B48}/1")]["on_hand"] == 0 and lots[("MX01", f"{B48}/1")]["sold_qty"] == 80000
    assert lots[("MX01", f"{B48}/2")]["on_hand"] == 37000
    assert lots[("MX01", f"{B48}/3")]["on_hand"] == 17  # 20 − 2 sold − 1 written off; the training sale does not count
    assert bt.quantity_text(lots[("MX01", f"{B48}/2")]["on_hand"], True) == "37.000kg"
    # the sale past zero is flagged apart, under no batch
    assert [(u["terminal_id"], u["sku"], u["sold_qty"], u["sold_unknown"]) for u in data["unlotted"]] == [
        ("MX02", "PH-XG01", 1, 1)]
    # by origin county: 消费帮扶 counties, and 平湖 as local
    counties = {c["county"]: c for c in data["counties"]}
    assert counties["茂县"]["revenue"] == 189600 + 2400 + 12000 - 4800
    assert counties["松阳"]["revenue"] == 25600 + 14700 and counties["青田"]["revenue"] == 66700
    assert counties[""]["revenue"] == 12000 and not counties[""]["aided"]
    s = data["summary"]
    assert s["batches_sold"] == 2 and s["revenue"] == sum(e["revenue"] for e in want["batches"].values())
    assert s["aided_revenue"] == s["revenue"] - 12000 and s["unreadable"] == 0


def test_the_overview_added_up_in_sql_equals_the_report_read_lot_by_lot(world) -> None:  # noqa: ANN001
    _w, srv, _tmp = world
    derive.fresh(srv.engine)
    with srv.engine.connect() as conn:
        for store in (None, "MX", "PM"):
            full, fast = bt.report(conn, store=store), bt.overview(conn, store=store)
            assert fast["batches"] == full["batches"], store
            assert fast["counties"] == full["counties"] and fast["summary"] == full["summary"]
            assert [(u["terminal_id"], u["sku"], u["sold_qty"]) for u in fast["unlotted"]] == [
                (u["terminal_id"], u["sku"], u["sold_qty"]) for u in full["unlotted"]]


def rows_of(engine) -> tuple[list, list]:  # noqa: ANN001
    with engine.connect() as conn:
        return ([tuple(r) for r in conn.execute(select(batch_lots).order_by(batch_lots.c.terminal_id, batch_lots.c.lot))],
                [tuple(r) for r in conn.execute(select(batch_lot_sums).order_by(
                    batch_lot_sums.c.terminal_id, batch_lot_sums.c.lot, batch_lot_sums.c.sku))])


def test_rebuild_and_the_migration_s_derivation_give_the_same_rows(world) -> None:  # noqa: ANN001
    _w, srv, _tmp = world
    derive.fresh(srv.engine)
    before = rows_of(srv.engine)
    assert len(before[0]) == 6 and before[1]
    with srv.engine.begin() as conn:
        derive.rebuild(conn)
    assert rows_of(srv.engine) == before
    with srv.engine.begin() as conn:
        derive.rebuild(conn, documents_too=False)
    assert rows_of(srv.engine) == before
    with srv.engine.begin() as conn:
        derive.rebuild_batches(conn)  # what migration ho0010 runs over a database that holds entries
    assert rows_of(srv.engine) == before
    from alembic import command

    from headoffice.db import _alembic_config

    with srv.engine.begin() as conn:  # a head office from before batches, holding these entries, upgraded
        command.downgrade(_alembic_config(conn), "ho0009")
    with srv.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "heads")
    assert rows_of(srv.engine) == before


def test_a_hostile_draw_is_stored_counted_as_unreadable_and_breaks_nothing(world) -> None:  # noqa: ANN001
    w, srv, _tmp = world
    evil = Till(srv, "MX09", "MX")
    evil.add("stock_receipt", "2026-12-02", {"batch": B50, "lots": [
        lot(f"{B50}/1", "QT-R001", "青田稻鱼米", "青田", 2, 4000, 8000, "2027-06-01"),
        {"lot": 7, "quantity": "lots"}, "not a lot"]})
    evil.sale("2026-12-02", [line(1, "QT-R001", "青田稻鱼米", "青田", 1, 6800)],
              [{"line": 1, "lot": {"x": 1}, "qty": 1, "cost": 4000, "net": 6800},  # a lot that is not text
               {"line": 1, "lot": f"{B50}/1", "qty": "1", "cost": 4000, "net": 6800},  # a quantity as text
               {"line": 1, "lot": f"{B50}/1", "qty": 1, "cost": -4000, "net": 6800},  # a negative cost
               {"line": 1, "lot": f"{B50}/1", "qty": 1, "cost": 4000, "net": 6800, "known": "yes"},
               "junk", None, 12,
               {"line": 1, "sku": "QT-R001", "lot": f"{B50}/1", "qty": 1, "cost": 4000, "net": 6800},  # the one good
               {"line": 1, "sku": "QT-R001", "lot": "SHKC-2026-51/1", "qty": 1, "cost": 100, "net": 200}])  # no receipt
    evil.sale("2026-12-02", [line(1, "QT-R001", "青田稻鱼米", "青田", 1, 6800)], {"draws": "what"})
    evil.add("stock_writeoff", "2026-12-02", {"sku": "QT-R001", "draws": None})
    evil.add("stock_count", "2026-12-02", {"lines": [{"sku": "QT-R001", "moves": [{"lot": f"{B50}/1", "qty": 10**15}]}, 5]})
    evil.flush()  # stored and acknowledged: ingest reads none of it
    data = read(srv.engine)
    assert data["summary"]["unreadable"] == 2 + 7 + 1 + 1 + 2
    mine = [r for r in data["lots"] if r["terminal_id"] == "MX09"]
    assert [(r["lot"], r["sold_qty"], r["sold_cost"], r["revenue"], r["on_hand"], r["received"]) for r in mine] == [
        (f"{B50}/1", 1, 4000, 6800, 1, True), ("SHKC-2026-51/1", 1, 100, 200, -1, False)]
    b51 = next(b for b in data["batches"] if b["batch"] == "SHKC-2026-51")
    assert (b51["missing_receipts"], b51["counters"], b51["sold_out"]) == (1, ["MX09"], False)
    with srv.engine.connect() as conn:  # the page's overview, added up in SQL, says the same
        fast = bt.overview(conn)
    for mine_, theirs in zip(fast["batches"], data["batches"], strict=True):
        assert mine_ == theirs, {k: (v, theirs.get(k)) for k, v in mine_.items() if theirs.get(k) != v}
    assert fast["summary"] == data["summary"]
    # the sales themselves still count in the dashboard and as documents
    from headoffice.schema import documents

    with srv.engine.connect() as conn:
        assert conn.execute(select(documents.c.doc_no).where(documents.c.terminal_id == "MX09")).scalars().all()
    make_account(srv.engine, "ana9", "analyst")
    c = office_client(srv.url, "ana9")
    for path in ("/batches", f"/batches/{B50}", "/batches/export.xlsx", f"/batches/{B50}/export.xlsx"):
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:300])
    assert "条出入库记录无法读取" in c.get("/batches").text


def test_the_pages_show_the_batches_by_lot_counter_and_county_and_export_them(world) -> None:  # noqa: ANN001
    w, srv, _tmp = world
    data = read(srv.engine)
    make_account(srv.engine, "ana1", "analyst")
    c = office_client(srv.url, "ana1")
    page = c.get("/dashboard")
    assert 'href="/batches"' in page.text  # linked from the console's menu
    html = c.get("/batches").text
    s = data["summary"]
    assert f'id="batches-sold">{s["batches_sold"]}<' in html
    assert f'data-fen="{s["revenue"]}"' in html and "专项销售额" in html
    for b in data["batches"]:
        assert f'data-batch="{b["batch"]}"' in html
    one = c.get(f"/batches/{B48}")
    assert one.status_code == 200
    assert "JY-3311-004213" in one.text and "HG-MX-0002" in one.text and "37.000kg" in one.text
    assert re.search(r'data-terminal="MX02"', one.text)
    missing = c.get("/batches/SHKC-1999-01", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "没有批次" in missing.text
    x = c.get(f"/batches/{B48}/export.xlsx")
    assert x.status_code == 200 and x.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames[:2] == ["按批次 Batches", "按柜台 Counters"]
    lots = list(wb["按批号 Lots"].iter_rows(values_only=True))
    assert len(lots) == 1 + len([r for r in data["lots"] if r["batch"] == B48])
    whole = openpyxl.load_workbook(io.BytesIO(c.get("/batches/export.xlsx").content))
    head, *rows = list(whole["按批次 Batches"].iter_rows(values_only=True))
    revenue_col = head.index("净销售额 Revenue")
    by_no = {r[0]: r for r in rows}
    for b in data["batches"]:
        assert round(float(by_no[b["batch"]][revenue_col]) * 100) == b["revenue"]
    assert httpx.get(f"{srv.url}/batches", headers={"Accept": "text/html"}, follow_redirects=False).status_code == 303


def test_the_trace_page_names_origin_batch_certificate_quarantine_and_arrival_of_each_line(world) -> None:  # noqa: ANN001
    w, srv, _tmp = world
    mx1 = w["tills"][0]
    html = httpx.get(trace_url(srv.url, mx1.secret, "MX01", w["s2"]["receipt_no"])).text
    items = html.split("<li>")[1:]
    assert len(items) == 2
    apples, beef = items
    assert "茂县" in apples and B48 in apples and "HG-MX-0001、HG-MX-0002" in apples and "2026-11-28" in apples
    assert "JY-3311-004213" not in apples  # apples carry no quarantine certificate
    assert "松阳" in beef and "HG-SY-0003" in beef and "JY-3311-004213" in beef
    assert "松阳县山海农业合作社" not in html and "94800" not in html  # neither supplier nor cost


def test_the_cli_reports_every_batch_and_one_batch(world, capsys) -> None:  # noqa: ANN001
    from headoffice.cli_reports import cmd_batch_report

    w, srv, tmp = world
    data = read(srv.engine)
    url = str(srv.engine.url)

    class Args:
        db, store, out = url, None, None

    a = Args()
    a.batch, a.format = None, "json"
    assert cmd_batch_report(a) == 0
    out = json.loads(capsys.readouterr().out)
    assert [b["revenue"] for b in out["batches"]] == [b["revenue"] for b in data["batches"]]
    a.batch, a.format = B48, "csv"
    assert cmd_batch_report(a) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith("批次 Batch,批号 Lot") and f"{B48}/3" in text
    a.format, a.out = "xlsx", Path(tmp / "b48.xlsx")
    assert cmd_batch_report(a) == 0
    assert "已销售" in capsys.readouterr().out and openpyxl.load_workbook(a.out).sheetnames[0] == "按批次 Batches"


def test_an_analyst_goes_from_the_menu_to_a_batch_in_a_browser(world, page, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.headoffice.ho_web import PASSWORD

    w, srv, _tmp = world
    make_account(srv.engine, "ana2", "analyst")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{srv.url}/batches")
    assert "/login" in page.url
    page.fill("input[name=login]", "ana2")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/batches")
    page.click("#nav-batches")
    page.wait_for_url("**/batches")
    assert page.locator("#nav-batches.active").count() == 1
    assert page.locator("#batches tbody tr").count() >= 2
    assert "茂县" in page.locator("#counties").inner_text()
    page.screenshot(path=str(tmp_path / "batches.png"), full_page=True)
    page.click(f"#batches a:text-is('{B48}')")
    page.wait_for_url(f"**/batches/{B48}")
    assert page.locator("#batch-no").inner_text() == B48
    assert page.locator("#lots tbody tr").count() == 4
    on_hand = page.locator(f"#lots tr[data-lot='{B48}/2'] td.on-hand")
    assert on_hand.inner_text() == "37.000kg"
    assert page.locator("#lots nobr.quarantine").inner_text() == "JY-3311-004213"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # an office screen holds every column
    page.screenshot(path=str(tmp_path / "batch.png"), full_page=True)
    # a customer's phone: the trace page of a sale drawn from two lots fits the screen's width
    phone = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        pg = phone.new_page()
        pg.goto(trace_url(srv.url, w["tills"][0].secret, "MX01", w["s2"]["receipt_no"]))
        assert pg.locator("dd.quarantine").inner_text() == "JY-3311-004213"
        assert pg.locator("dd.certificate").first.inner_text() == "HG-MX-0001、HG-MX-0002"
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        pg.screenshot(path=str(tmp_path / "trace.png"), full_page=True)
    finally:
        phone.close()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


# -- the pure functions, payload to rows -------------------------------------------------------------------
def test_a_receipt_s_lots_are_read_and_a_bad_lot_is_counted_not_raised() -> None:
    rows, bad = bt.lot_rows(receipt(B48, "2026-11-28", [
        lot(f"{B48}/1", "MX-F001", "苹果", "茂县", 80000, 1200, 96000, "2026-12-05", weighed=True, cert="HG-1"),
        {"lot": f"{B48}/2", "quantity": 1.5, "cost": 100}, {"lot": "", "quantity": 1, "cost": 1}, [], None]))
    assert bad == 4
    assert [(r["lot"], r["batch"], r["weighed"], r["received_qty"], r["received_cost"], r["certificate"], r["arrival"])
            for r in rows] == [(f"{B48}/1", B48, True, 80000, 96000, "HG-1", "2026-11-28")]
    assert bt.lot_rows({"lots": "x"}) == ([], 1) and bt.lot_rows([]) == ([], 1)
    # no batch at the top: the lot id names it; a date that is not one is left blank
    rows, bad = bt.lot_rows({"arrival": "2026-02-30", "lots": [{"lot": "B7/1", "quantity": 3, "cost": 30}]})
    assert bad == 0 and rows[0]["batch"] == "B7" and rows[0]["arrival"] == "" and rows[0]["sku"] == ""


def test_moves_follow_the_contract_and_never_raise() -> None:
    sale = {"draws": [draw(1, "A", "B/1", 3, 30, 60), draw(1, "A", None, 1, 0, 20, known=False)]}
    assert bt.moves("sale", sale) == [bt.Move("sold", "B/1", "B", "A", 3, 30, 60), bt.Move("sold", "", "", "A", 1, 0, 20, True)]
    assert bt.moves("sale", {**sale, "training": True}) == [] and bt.moves("sale", {"lines": []}) == []
    ret = {"draws": [{"line": 1, "orig_line": 2, "sku": "A", "lot": "B/1", "batch": "B", "qty": 1, "cost": 10, "net": 20}]}
    assert bt.moves("return", ret) == [bt.Move("returned", "B/1", "B", "A", 1, 10, 20)]
    wo = {"sku": "A", "draws": [{"lot": "B/1", "batch": "B", "qty": 2, "cost": 20}]}
    assert bt.moves("stock_writeoff", wo) == [bt.Move("written", "B/1", "B", "A", 2, 20)]
    count = {"lines": [{"sku": "A", "moves": [{"lot": "B/1", "batch": "B", "qty": -2, "cost": 20},
                                             {"lot": "B/2", "batch": "B", "qty": 1, "cost": 10}]}]}
    assert bt.moves("stock_count", count) == [bt.Move("count", "B/1", "B", "A", -2, -20), bt.Move("count", "B/2", "B", "A", 1, 10)]
    hostile = [None, 1, "x", [], {"draws": 5}, {"draws": [None, {"qty": True}, {"lot": 3, "qty": 1}]},
               {"lines": [{"moves": "no"}]}, {"lines": "no"}]
    for kind in ("sale", "return", "stock_writeoff", "stock_count", "stock_receipt", "void"):
        for p in hostile:
            for m in bt.moves(kind, p):
                assert m.what == "unreadable" and (m.qty, m.cost, m.net) == (0, 0, 0)
    c = bt.Collector("MX01", "MX")
    for kind in ("sale", "stock_receipt", "stock_count"):
        for p in hostile:
            c.add(kind, 1, "2026-12-01", p)
    assert all(k[0] == "" for k in c.sums) and sum(r["unreadable"] for r in c.sums.values()) > 0
    assert not c.lots


def test_the_collector_sums_per_lot_and_keeps_the_first_and_last_sale_day() -> None:
    c = bt.Collector("MX01", "MX")
    c.add("sale", 5, "2026-12-02", {"draws": [draw(1, "A", "B/1", 3, 30, 60)]})
    c.add("sale", 6, "2026-11-30", {"draws": [draw(1, "A", "B/1", 2, 20, 40)]})
    c.add("return", 7, "2026-12-03", {"draws": [{"line": 1, "sku": "A", "lot": "B/1", "qty": 1, "cost": 10, "net": 20}]})
    row = c.sums[("B/1", "A")]
    assert (row["sold_qty"], row["sold_cost"], row["sold_net"], row["returned_qty"], row["returned_net"]) == (5, 50, 100, 1, 20)
    assert (row["first_sale_day"], row["last_sale_day"], row["batch"]) == ("2026-11-30", "2026-12-02", "B")
    assert bt.quantity_text(-1255, True) == "-1.255kg" and bt.quantity_text(0, True) == "0"
    assert bt.ratio(1, 3) == __import__("decimal").Decimal("0.3333") and bt.ratio(1, 0) is None


def test_the_batches_on_postgresql_add_up_the_same_and_rebuild_the_same(postgres_url: str, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANXIN_HOME", str(tmp_path / "home"))
    with running_server(postgres_url) as srv:
        assert srv.engine.dialect.name == "postgresql"
        w = trade(srv)
        want = expected(w["tills"])
        data = read(srv.engine)
        got = {b["batch"]: b for b in data["batches"]}
        for no, e in want["batches"].items():
            assert (got[no]["received_cost"], got[no]["revenue"], got[no]["cost"], got[no]["written_cost"]) == (
                e["received_cost"], e["revenue"], e["cost"], e["written_cost"])
        assert {(r["terminal_id"], r["lot"]): r["on_hand"] for r in data["lots"]} == dict(want["on_hand"])
        assert got[B49]["days_to_sell_out"] == 2
        before = rows_of(srv.engine)
        with srv.engine.begin() as conn:
            derive.rebuild(conn)
        assert rows_of(srv.engine) == before


def test_the_demo_counters_receive_two_batches_each_and_head_office_adds_up_their_journals(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real tills (the demo's), their own stock service and sync: head office's batch figures equal a sum
    over the journals in the tills' own databases."""
    import sqlite3
    from datetime import date

    from headoffice.demo import COUNTERS, seed

    monkeypatch.setenv("LIANXIN_HOME", str(tmp_path / "home"))
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        seed(srv.engine, first_day=date(2026, 11, 1), days=2, sales_per_day=4, folder=tmp_path / "demo")
        data = read(srv.engine)
    want: dict = defaultdict(lambda: defaultdict(int))
    for _store, terminal in COUNTERS:
        with sqlite3.connect(tmp_path / "demo" / f"{terminal}.db") as db:
            for kind, text in db.execute("SELECT kind, payload FROM journal ORDER BY seq"):
                p = json.loads(text)
                if kind == "stock_receipt":
                    want[p["batch"]]["received_cost"] += sum(x["cost"] for x in p["lots"])
                    want[p["batch"]]["lots"] += len(p["lots"])
                    want[p["batch"]]["certificates"] += sum(1 for x in p["lots"] if x.get("certificate"))
                elif kind in ("sale", "return") and not p.get("training"):
                    for d in p.get("draws") or ():
                        if d.get("lot"):
                            sign = 1 if kind == "sale" else -1
                            want[d["batch"]]["revenue"] += sign * d["net"]
                            want[d["batch"]]["cost"] += sign * d["cost"]
    got = {b["batch"]: b for b in data["batches"]}
    assert len(got) == 2 and set(got) == set(want)
    for no, b in got.items():
        assert b["counters"] == sorted(t for _s, t in COUNTERS)
        assert (b["received_cost"], b["lots"], b["revenue"], b["cost"]) == (
            want[no]["received_cost"], want[no]["lots"], want[no]["revenue"], want[no]["cost"]), no
        assert want[no]["certificates"] > 0
    assert data["summary"]["batches_sold"] >= 1 and data["summary"]["unreadable"] == 0
