"""The dashboard against the tills' own journals: two real tills trade in October, November and
December, sync to a real head office (uvicorn on loopback, SQLite file), and every figure the
dashboard, its XLSX exports and the report API show is checked against a reading of the tills'
journals done here, independently of headoffice/facts.py."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import openpyxl
import pytest
from sqlalchemy import select

from headoffice import accounts, derive, service
from headoffice.dashboard import DEFAULT_AIDED
from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock
from pos.store.schema import journal
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server
from tests.headoffice.ho_web import make_account, office_client

ROOT = Path(__file__).resolve().parents[2]
EVIL = '=HYPERLINK("http://evil.example/","点我")'
EXTRA = [
    {"sku": "PH-XG01", "barcode": "6970562999019", "name": "平湖西瓜（本地）", "category": "水果", "origin": "平湖",
     "unit": "个", "price": "30.00", "sold_by": "unit", "tax_rate": "9", "active": "yes"},
    {"sku": "MX-EVIL", "barcode": "6970562999026", "name": "测试商品", "category": "干货", "origin": EVIL,
     "unit": "袋", "price": "5.00", "sold_by": "unit", "tax_rate": "9", "active": "yes"},
    {"sku": "MX-BOX9", "barcode": "6945837009984", "name": "山海协作三地礼盒", "category": "礼盒", "origin": "茂县",
     "unit": "盒", "price": "168.00", "sold_by": "unit", "tax_rate": "9", "active": "yes",
     "components": "MX-S001*1;MX-R002*1;MX-O001*1"},
]


def utc(day: str, hour: int = 2) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def catalogue(path: Path) -> Path:
    with (ROOT / "resources" / "demo" / "catalog_MX.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = list(reader.fieldnames or []), list(reader)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for r in rows + EXTRA:
            w.writerow({k: r.get(k, "") for k in header})
    return path


def sell(till, cashier, items, tender=TenderKind.CASH, *, training=False, extra_cash=0):  # noqa: ANN001, ANN201
    cart = Cart()
    for code, qty in items:
        cart = cart.add(till.lookup.find(code), qty)
    total = till.checkout.totals(cart).total_fen
    return till.checkout.complete_sale(cart, [Tender(tender, total + extra_cash)], cashier, training=training)


def journal_money(tills) -> dict:  # noqa: ANN001
    """What the tills' journals say, read here: net by origin, per day, per counter and per tender."""
    by_origin: dict[tuple[str, str], int] = defaultdict(int)  # (day, origin) -> net fen
    by_counter: dict[tuple[str, str], int] = defaultdict(int)  # (day, terminal) -> net fen
    tenders: dict[tuple[str, str], int] = defaultdict(int)
    over_short: dict[tuple[str, str], int] = defaultdict(int)
    for till in tills:
        with till.db.reader.connect() as conn:
            rows = conn.execute(select(journal.c.terminal_id, journal.c.kind, journal.c.business_day, journal.c.payload)
                                .order_by(journal.c.seq)).all()
        for terminal, kind, day, text in rows:
            p = json.loads(text)
            if kind == "shift_close":
                over_short[(day, terminal)] += p["variance"]
            if kind not in ("sale", "return") or p.get("training"):
                continue
            if kind == "sale":
                by_counter[(day, terminal)] += p["total"]
                for ln in p["lines"]:
                    if ln.get("components"):
                        for c in ln["components"]:
                            by_origin[(day, c["origin"])] += c["revenue"]
                    else:
                        by_origin[(day, ln["origin"])] += ln["amount"] - ln.get("sale_discount_share", 0) + ln.get("rounding_share", 0)
                left = p.get("change", 0)
                for t in reversed(p["tenders"]):
                    amount = t["amount"]
                    if t["kind"] == "cash" and left:
                        amount, left = amount - min(left, amount), left - min(left, amount)
                    tenders[(day, t["kind"])] += amount
            else:
                by_counter[(day, terminal)] -= p["refund"]
                for ln in p["lines"]:
                    for origin, amount in ln.get("origin_split") or [[ln["origin"], ln["refund"]]]:
                        by_origin[(day, origin)] -= amount
                for t in p["refunds"]:
                    tenders[(day, t["kind"])] -= t["amount"]
    return {"by_origin": by_origin, "by_counter": by_counter, "tenders": tenders, "over_short": over_short}


def in_range(d: dict, start: str, end: str) -> dict:
    out: dict = defaultdict(int)
    for (day, key), v in d.items():
        if start <= day <= end:
            out[key] += v
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dash")
    with trading(f"sqlite:///{tmp / 'ho.db'}", tmp) as w:
        yield w


@contextmanager
def trading(db_url: str, tmp: Path):  # noqa: ANN201
    """Two tills of store MX trade October to December and sync to a head office on ``db_url``."""
    clock = FixedClock(utc("2026-10-25"))
    with running_server(db_url) as srv:
        service.publish_catalog(srv.engine, "MX", catalogue(tmp / "cat.csv"), effective_at=utc("2026-10-01"))
        t1 = make_till(tmp, "MX", "MX01", clock)
        t2 = make_till(tmp, "MX", "MX02", clock)
        try:
            for t in (t1, t2):
                t.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", t.identity.terminal_id).code)
                fast_retries(t)
                assert t.sync.run_cycle().ok
                t.checkout.reload_settings()
            c1, c2 = cashier_of(t1), cashier_of(t2)
            manager, accountant = t1.auth.login("manager1", "2222"), t1.auth.login("accountant1", "3333")
            sell(t1, c1, [("MX-E001", 2)])  # October: the previous period of November
            sell(t1, c1, [("PH-XG01", 1)])
            clock.at = utc("2026-11-05")
            box = sell(t1, c1, [("MX-BOX9", 2), ("MX-E001", 1)], extra_cash=1000)  # change given back
            sell(t1, c1, [("PH-XG01", 3)], TenderKind.WECHAT)
            sell(t1, c1, [("MX-EVIL", 1), ("MX-R001", 1)], TenderKind.ALIPAY)
            sell(t1, c1, [("MX-S001", 5)], training=True)
            t1.returns.return_items(box.sale.receipt_no, {1: 1}, manager)
            t1.shifts.close(c1, CashCount.of({10000: 3}))
            t1.closing.z_close(manager, "2026-11-05")
            t1.closing.declare("2026-11-05", {"cash": 30000, "wechat": 9000, "alipay": 8400}, "", manager)
            t1.closing.approve("2026-11-05", accountant)
            clock.at = utc("2026-11-12")
            sell(t2, c2, [("MX-S001", 2), ("MX-J001", 1), ("PH-XG01", 1)])
            sell(t2, c2, [("MX-R001", 1)], TenderKind.WECHAT)
            clock.at = utc("2026-11-30", 15)  # 23:00 in Beijing: still the 30th
            sell(t2, c2, [("MX-O001", 1)])
            clock.at = utc("2026-12-01")
            t1.shifts.ensure_open(c1)
            sell(t1, c1, [("MX-S001", 1)])
            for t in (t1, t2):
                assert t.sync.run_cycle().ok and t.sync.status().waiting == 0
            make_account(srv.engine, "ana", "analyst")
            make_account(srv.engine, "md", "master_data")
            yield srv, (t1, t2), journal_money((t1, t2))
        finally:
            t1.close()
            t2.close()


NOV = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture(scope="module")
def ana(world):
    """The analyst's logged-in client (one login for the module: argon2 is slow on purpose)."""
    client = office_client(world[0].url, "ana")
    client.token = accounts.create_token(world[0].engine, "BI", by="test")[1]
    yield client
    client.close()


def fen_cells(html: str, table_id: str, key: int = 0) -> dict[str, list[int]]:
    """A page table's rows: the text of cell ``key`` -> the data-fen values of the row."""
    import html as html_text
    import re

    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    out = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        fens = [int(v) for v in re.findall(r'data-fen="(-?\d+)"', row)]
        if cells and fens:
            out[html_text.unescape(re.sub(r"<[^>]+>", "", cells[key if len(cells) > key else 0])).strip()] = fens
    return out


def test_november_by_county_equals_the_journals_and_leaves_pinghu_apart(world, ana) -> None:
    srv, _tills, truth = world
    nov = in_range(truth["by_origin"], "2026-11-01", "2026-11-30")
    assert nov["平湖"] > 0 and nov[EVIL] > 0  # the test trades local goods and a hostile origin
    client = ana
    page = client.get("/dashboard", params=NOV)
    assert page.status_code == 200, page.text[:500]
    counties = fen_cells(page.text, "counties")
    for county in DEFAULT_AIDED:
        assert counties[county][2] == nov.get(county, 0), county  # sales, returns, net: the net
    aided_total = sum(nov.get(c, 0) for c in DEFAULT_AIDED)
    assert counties["消费帮扶合计 Total"][2] == aided_total
    assert "平湖" not in page.text.split('id="counties"', 1)[1].split("</table>", 1)[0]
    local = fen_cells(page.text, "local")
    assert local["平湖"][2] == nov["平湖"] and local[EVIL][2] == nov[EVIL]
    assert local["合计 Total"][2] == sum(v for k, v in nov.items() if k not in DEFAULT_AIDED)
    # the counters' money adds up to the same total as the origins'
    per_counter = in_range(truth["by_counter"], "2026-11-01", "2026-11-30")
    counters = fen_cells(page.text, "counters", key=1)
    assert {k: v[2] for k, v in counters.items()} == dict(per_counter) and len(per_counter) == 2
    assert sum(per_counter.values()) == sum(nov.values())
    # this period against October 2–31 (the same 30 days before)
    compare = fen_cells(page.text, "compare")
    october = in_range(truth["by_origin"], "2026-10-02", "2026-10-31")
    assert compare["消费帮扶合计 Aided total"][:2] == [aided_total, sum(october.get(c, 0) for c in DEFAULT_AIDED)]
    assert compare["本地及其他 Local & other"][1] == october["平湖"]
    # a week view and a store filter are links too
    week = client.get("/dashboard", params={**NOV, "group": "week", "terminal": "MX02"})
    assert week.status_code == 200 and "2026-W46" in week.text and "2026-W45" not in week.text.split('id="trend"')[1]


def test_xlsx_exports_carry_the_same_totals_and_neutralise_formulas(world, ana) -> None:
    srv, _tills, truth = world
    nov = in_range(truth["by_origin"], "2026-11-01", "2026-11-30")
    client = ana
    resp = client.get("/dashboard/export.xlsx", params={**NOV, "table": "all"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in resp.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(resp.content), data_only=True)
    ws = book["消费帮扶 按帮扶县 By aided county"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    for county in DEFAULT_AIDED:
        assert round(rows[county][3] * 100) == nov.get(county, 0)
    assert round(rows["合计 Total"][3] * 100) == sum(nov.get(c, 0) for c in DEFAULT_AIDED)
    assert ws["D2"].number_format == "#,##0.00" and ws.freeze_panes == "A2" and ws.auto_filter.ref
    local = {r[0]: r for r in book["本地及其他商品 Local & other goods"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert "'" + EVIL in local and round(local["平湖"][3] * 100) == nov["平湖"]
    formulas = openpyxl.load_workbook(io.BytesIO(resp.content))
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.value.startswith("=SUM("), (sheet.title, cell.coordinate, cell.value)
    products = {r[1]: r for r in book["按商品 By product"].iter_rows(min_row=2, values_only=True) if r[1]}
    assert products["MX-EVIL"][3] == "'" + EVIL  # the origin column: text, not a live formula
    days = book["柜台日报 Counter-days"]
    assert isinstance(days["A2"].value, datetime)  # dates are dates
    # the report API agrees (its XLSX too)
    token = ana.token
    api = httpx.get(f"{srv.url}/api/v1/reports/sales", params=NOV, headers={"Authorization": f"Bearer {token}"}).json()
    assert api["aided"]["net"] == sum(nov.get(c, 0) for c in DEFAULT_AIDED)
    assert api["local"]["net"] == nov["平湖"] + nov[EVIL] and api["total"]["net"] == sum(nov.values())
    x = httpx.get(f"{srv.url}/api/v1/reports/sales.xlsx", params=NOV, headers={"Authorization": f"Bearer {token}"})
    sheet = openpyxl.load_workbook(io.BytesIO(x.content)).worksheets[0]  # by origin
    assert any(c.value == "'" + EVIL and c.data_type == "s" for c in sheet["A"])


def test_tenders_days_and_reconciliation_follow_the_journals(world, ana) -> None:
    srv, _tills, truth = world
    client = ana
    page = client.get("/dashboard/tenders", params=NOV)
    tenders = fen_cells(page.text, "tenders")
    nov = in_range(truth["tenders"], "2026-11-01", "2026-11-30")
    assert tenders["现金 Cash"][2] == nov["cash"] and tenders["微信支付 WeChat Pay"][2] == nov["wechat"]
    assert tenders["支付宝 Alipay"][2] == nov["alipay"]
    assert tenders["合计 Total"][0] == sum(nov.values())
    days = client.get("/dashboard/days", params=NOV)
    summary = fen_cells(days.text, "day-counters", key=1)
    assert summary["MX01"][1] == truth["over_short"][("2026-11-05", "MX01")] < 0  # short: 300 counted
    rows = days.text.split('id="days"', 1)[1]
    assert "已审核 approved" in rows and "未日结" in rows  # MX01's 5th approved; MX02 took no Z
    batches = client.get("/dashboard/batches", params=NOV)
    assert 'id="no-batches"' in batches.text and "No batch data has arrived yet" in batches.text
    assert fen_cells(batches.text, "batches") == {}
    products = client.get("/dashboard/products", params=NOV)
    names = fen_cells(products.text, "products")
    assert "茂县大红袍花椒 100g" in names and "平湖西瓜（本地）" in names  # the box counts by its contents


@pytest.mark.parametrize("params, words", [
    ({"from": "2026-11-1"}, "2026-11-01"),
    ({"from": "2026/11/01"}, "YYYY-MM-DD"),
    ({"to": "11/01"}, "year"),
    ({"from": "2026-02-30"}, "February 2026 has 28 days"),
    ({"from": "2026-11-30", "to": "2026-11-01"}, "after the last day"),
    ({"from": "2026-11-01\x00"}, "NUL"),
    ({"group": "fortnight"}, "day, week, month"),
    ({"store": "MX' OR 1=1"}, "not a code"),
])
def test_bad_filters_are_refused_in_words(world, ana, params, words) -> None:
    srv, _tills, _truth = world
    client = ana
    for path in ("/dashboard", "/dashboard/days", "/dashboard/export.xlsx"):
        resp = client.get(path, params=params)
        assert resp.status_code == 400, (path, resp.status_code)
        assert words in resp.text and "Traceback" not in resp.text
        assert 'data-fen' not in resp.text  # no figures for a filter that was not understood
    api = httpx.get(f"{srv.url}/api/v1/reports/sales", params=params, headers={"Authorization": f"Bearer {ana.token}"})
    if "group" not in params:
        assert api.status_code == 400 and api.json()["error"] in ("bad_date", "bad_filter", "nul_character")


def test_aided_counties_are_a_journaled_setting_for_master_data(world, ana) -> None:
    srv, _tills, truth = world
    md = office_client(srv.url, "md")
    assert ana.get("/dashboard/settings").status_code == 403
    assert ana.form("/dashboard/settings", {"counties": "平湖"}).status_code == 403
    refused = md.form("/dashboard/settings", {"counties": "=cmd|x"})
    assert refused.status_code == 400 and "不是有效的县名" in refused.text
    try:
        ok = md.form("/dashboard/settings", {"counties": "茂县\n松阳、青田"})
        assert ok.status_code == 200 and "已保存" in ok.text
        page = ana.get("/dashboard", params=NOV)
        counties = fen_cells(page.text, "counties")
        assert set(counties) == {"茂县", "松阳", "青田", "消费帮扶合计 Total"}
        nov = in_range(truth["by_origin"], "2026-11-01", "2026-11-30")
        assert fen_cells(page.text, "local")["九寨沟"][2] == nov["九寨沟"]  # no longer aided: shown apart
        journal_rows = accounts.audit_entries(srv.engine, login="md")
        assert journal_rows[0]["action"] == "dashboard.aided_counties"
        assert journal_rows[0]["detail"]["after"] == ["茂县", "松阳", "青田"]
    finally:
        md.form("/dashboard/settings", {"counties": "\n".join(DEFAULT_AIDED)})


def _cli(*argv: str) -> int:
    from pos.cli import main

    return main(list(argv))


@pytest.mark.parametrize("bad, words", [
    (["--from", "2026-11-1"], "did you mean 2026-11-01"), (["--from", "2026/11/01"], "YYYY-MM-DD"),
    (["--to", "11/01"], "the year is needed"), (["--to", "2026-04-31"], "April 2026 has 30 days"),
    (["--from", "2026-11-30", "--to", "2026-11-01"], "after the last day"),
])
def test_cli_report_refuses_bad_dates_with_exit_2(world, capsys, bad, words) -> None:
    db = world[0].engine.url.render_as_string(hide_password=False)
    assert _cli("headoffice", "report", "--db", db, *bad) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_cli_report_html_is_self_contained_and_the_json_agrees(world, tmp_path: Path, capsys) -> None:
    srv, _tills, truth = world
    db = srv.engine.url.render_as_string(hide_password=False)
    nov = in_range(truth["by_origin"], "2026-11-01", "2026-11-30")
    assert _cli("headoffice", "report", "--db", db, "--from", "2026-11-01", "--to", "2026-11-30") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["aided"]["net"] == sum(nov.get(c, 0) for c in DEFAULT_AIDED) and data["total"]["net"] == sum(nov.values())
    out = tmp_path / "nov.html"
    assert _cli("headoffice", "report", "--db", db, "--format", "html", "--out", str(out), "--from", "2026-11-01",
                "--to", "2026-11-30") == 0
    text = out.read_text(encoding="utf-8")
    assert "href" not in text and "src=" not in text and "action=" not in text  # nothing to click that is not there
    assert "平湖" in text.split("本地及其他商品（不计入消费帮扶）")[1] and "=HYPERLINK" in text  # shown, as text
    assert _cli("headoffice", "report", "--db", db, "--format", "html", "--out", str(out), "--from", "2026-11-01",
                "--base-url", "https://zb.example.cn/") == 0
    links = __import__("re").findall(r'href="([^"]+)"', out.read_text(encoding="utf-8"))
    assert links and all(link.startswith("https://zb.example.cn/dashboard") for link in links)
    assert _cli("headoffice", "report", "--db", db, "--format", "html", "--base-url", "javascript:alert(1)") == 2
    book = tmp_path / "all.xlsx"
    assert _cli("headoffice", "report", "--db", db, "--format", "xlsx", "--dashboard", "--out", str(book),
                "--from", "2026-11-01", "--to", "2026-11-30", "--group", "week") == 0
    assert "按期间 By period (week)" in openpyxl.load_workbook(book).sheetnames


def test_rebuild_derives_the_same_rows_again(world, capsys) -> None:
    from headoffice.schema_dashboard import DERIVED

    srv = world[0]

    def snapshot() -> dict[str, list]:
        with srv.engine.connect() as conn:
            return {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in DERIVED}

    before = snapshot()
    assert all(before.values())
    db = srv.engine.url.render_as_string(hide_password=False)
    assert _cli("headoffice", "dashboard-rebuild", "--db", db) == 0
    assert "derived again from" in capsys.readouterr().out
    assert snapshot() == before
    assert _cli("headoffice", "dashboard-rebuild", "--db", db) == 0  # twice: still the same
    assert snapshot() == before


def test_an_analyst_filters_november_in_a_browser_and_exports_it(world, page, tmp_path: Path) -> None:
    from tests.headoffice.ho_web import PASSWORD

    srv, _tills, truth = world
    nov = in_range(truth["by_origin"], "2026-11-01", "2026-11-30")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{srv.url}/dashboard")
    assert "/login" in page.url
    page.fill("input[name=login]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard*")
    page.fill("input[name=from]", "2026-11-01")
    page.fill("input[name=to]", "2026-11-30")
    page.click("text=查询 Show")
    page.wait_for_url("**/dashboard?from=2026-11-01&to=2026-11-30*")
    counties = page.locator("#counties")
    assert "茂县" in counties.inner_text() and "平湖" not in counties.inner_text()
    assert "平湖" in page.locator("#local").inner_text()
    total = int(page.locator("#counties tfoot td[data-fen]").nth(2).get_attribute("data-fen"))
    assert total == sum(nov.get(c, 0) for c in DEFAULT_AIDED)
    page.wait_for_selector("#chart-counties[data-drawn='1'] canvas")  # ECharts ran under the page's CSP
    with page.expect_download() as info:
        page.locator("h2:has-text('By aided county') a.export").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "消费帮扶-counties-2026-11-01_2026-11-30.xlsx"
    ws = openpyxl.load_workbook(saved, data_only=True).worksheets[0]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert "平湖" not in rows and round(rows["合计 Total"][3] * 100) == total
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_a_period_is_whole_months_plus_days_at_either_end_and_adds_up_the_same(world) -> None:
    from datetime import date

    from headoffice import dashboard as dash

    def pieces(a: str, b: str):  # noqa: ANN202
        return dash._pieces(dash.Filter(date.fromisoformat(a), date.fromisoformat(b)))

    assert pieces("2026-11-01", "2026-11-30") == ([], ("2026-11", "2026-11"))
    assert pieces("2026-10-25", "2027-01-03") == ([(date(2026, 10, 25), date(2026, 10, 31)),
                                                  (date(2027, 1, 1), date(2027, 1, 3))], ("2026-11", "2026-12"))
    assert pieces("2026-11-02", "2026-11-30") == ([(date(2026, 11, 2), date(2026, 11, 30))], None)
    assert pieces("2024-02-01", "2024-02-29") == ([], ("2024-02", "2024-02"))
    srv, _tills, truth = world
    for a, b in (("2026-10-25", "2026-12-01"), ("2026-11-05", "2026-11-12"), ("2026-10-01", "2026-12-31")):
        f = dash.Filter(date.fromisoformat(a), date.fromisoformat(b))
        want = sum(in_range(truth["by_origin"], a, b).values())
        assert sum(p["net"] for p in dash.products(srv.engine, f)["products"]) == want, (a, b)
        assert sum(c["aided"]["net"] + c["local"]["net"] for c in dash.overview(srv.engine, f).by_counter) == want
        assert dash.tenders(srv.engine, f)["total"] == sum(in_range(truth["tenders"], a, b).values())
        by_counter = dash.tenders(srv.engine, f)["counters"]
        assert sum(sum(c["by"].values()) for c in by_counter) == sum(in_range(truth["tenders"], a, b).values())


def test_the_dashboard_on_postgresql_equals_the_journals_and_rebuilds_the_same(postgres_url: str, tmp_path: Path) -> None:
    from headoffice import dashboard as dash
    from headoffice.derive import rebuild
    from headoffice.schema_dashboard import DERIVED

    with trading(postgres_url, tmp_path) as (srv, _tills, truth):
        assert srv.engine.dialect.name == "postgresql"
        nov = in_range(truth["by_origin"], "2026-11-01", "2026-11-30")
        with srv.engine.connect() as conn:
            f = dash.make_filter(conn, "2026-11-01", "2026-11-30")
        ov = dash.overview(srv.engine, f)
        assert {c["county"]: c["net"] for c in ov.by_county} == {c: nov.get(c, 0) for c in DEFAULT_AIDED}
        assert {o["origin"]: o["net"] for o in ov.local} == {"平湖": nov["平湖"], EVIL: nov[EVIL]}
        assert dash.tenders(srv.engine, f)["total"] == sum(in_range(truth["tenders"], "2026-11-01", "2026-11-30").values())
        assert sum(p["net"] for p in dash.products(srv.engine, f)["products"]) == sum(nov.values())
        days = dash.counter_days(srv.engine, f)
        assert days["over_short"] == truth["over_short"][("2026-11-05", "MX01")]
        batches = dash.batches(srv.engine, f)
        assert not batches["any_batch_data"] and batches["unbatched"]["net"] == sum(nov.values())

        def snapshot() -> dict[str, list]:
            with srv.engine.connect() as conn:
                return {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in DERIVED}

        before = snapshot()
        with srv.engine.begin() as conn:
            rebuild(conn)
        assert snapshot() == before


def test_upgrading_a_database_that_holds_entries_fills_the_dashboard(world, tmp_path: Path) -> None:
    import sqlalchemy as sa
    from alembic import command

    from headoffice.db import _alembic_config, open_engine
    from headoffice.schema_dashboard import DERIVED

    src = world[0].engine
    derive.fresh(src)  # the report rows of what the tills sent, as a reader would see them
    old_url = f"sqlite:///{tmp_path / 'before-dashboard.db'}"
    old = sa.create_engine(old_url)
    with old.begin() as conn:
        command.upgrade(_alembic_config(conn), "ho0002")  # a head office from before the dashboard
    held = sa.MetaData()
    held.reflect(old)
    with src.connect() as s, old.begin() as d:
        for name in ("terminals", "entries", "documents", "origin_facts"):
            cols = [c.name for c in held.tables[name].columns]
            rows = [dict(r._mapping) for r in s.execute(sa.select(*[sa.column(c) for c in cols]).select_from(sa.table(name)))]
            assert rows, name
            d.execute(held.tables[name].insert(), rows)
    old.dispose()
    upgraded = open_engine(old_url)  # migrates to the newest schema: ho0003 derives what the entries hold
    try:
        for t in DERIVED:
            with src.connect() as a, upgraded.connect() as b:
                assert sorted(map(tuple, a.execute(sa.select(t)))) == sorted(map(tuple, b.execute(sa.select(t)))), t.name
    finally:
        upgraded.dispose()


def test_the_batch_view_shows_real_figures_once_sale_lines_carry_a_batch(tmp_path: Path) -> None:
    from datetime import date

    from headoffice import dashboard as dash
    from headoffice.db import open_engine
    from headoffice.derive import derive_batch
    from pos.domain.ledger import StoredEntry

    def line(no: int, sku: str, origin: str, amount: int, **extra) -> dict:  # noqa: ANN003
        return {"line_no": no, "sku": sku, "name": f"{origin}{sku}", "quantity": 2, "amount": amount, "category": "水果",
                "origin": origin, "sold_by": "unit", **extra}

    sale = {"receipt_no": "MX01-20261122-0001", "total": 9000, "subtotal": 9000, "change": 0,
            "tenders": [{"kind": "cash", "amount": 9000}],
            "lines": [line(1, "MX-F001", "茂县", 5000, batch="SHKC-2026-48"), line(2, "PH-1", "平湖", 4000, lot="PH-7")]}
    ret = {"return_no": "MX01-R-1", "receipt_no": "MX01-20261122-0001", "refund": 2500,
           "refunds": [{"kind": "cash", "amount": 2500}],
           "lines": [{"line_no": 1, "orig_line_no": 1, "sku": "MX-F001", "name": "x", "quantity": 1, "weighed": False,
                      "refund": 2500, "category": "水果", "origin": "茂县", "batch": "SHKC-2026-48"}]}
    engine = open_engine(f"sqlite:///{tmp_path / 'ho.db'}")
    try:
        with engine.begin() as conn:
            derive_batch(conn, "MX01", "MX", [
                StoredEntry("MX01", 1, "sale", "2026-11-22", "2026-11-22T02:00:00Z", json.dumps(sale), "", ""),
                StoredEntry("MX01", 2, "return", "2026-11-22", "2026-11-22T03:00:00Z", json.dumps(ret), "", "")])
        f = dash.Filter(date(2026, 11, 1), date(2026, 11, 30))
        b = dash.batches(engine, f)
        assert b["any_batch_data"] and {(x["batch"], x["county"], x["net"]) for x in b["batches"]} == {
            ("SHKC-2026-48", "茂县", 2500), ("PH-7", None, 4000)}
        assert b["unbatched"]["net"] == 0
        [p] = dash.batch_products(engine, f, "SHKC-2026-48")
        assert (p["sku"], p["quantity"], p["net"]) == ("MX-F001", 1, 2500)
    finally:
        engine.dispose()
