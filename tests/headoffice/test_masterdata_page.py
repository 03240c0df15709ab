"""/master on a real server: upload → difference → publish, refusals in words, roles and CSRF, and the
story of issue 12: a master-data user publishes a new apple price that reaches both tills at its
effective time (Playwright, Debian's chromium)."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from headoffice import service
from headoffice.accounts import audit_entries
from headoffice.schema import master_versions
from headoffice.schema_masterdata import master_drafts
from pos.cli.sync import enrol_target
from pos.services.ports import FixedClock
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server, sell
from tests.headoffice.ho_web import PASSWORD, make_account, office_client

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "catalog_MX.csv"
SHANGHAI = timezone(timedelta(hours=8))
APPLE = "MX-F001"  # 茂县冰糖心苹果（特级）, 16.80 a kilogram in the till's demo catalogue


@pytest.fixture
def srv(tmp_path: Path):
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as s:
        for login, roles in (("admin1", "admin"), ("ana", "analyst"), ("aud", "auditor"), ("md", "master_data")):
            make_account(s.engine, login, roles)
        yield s


def demo_rows() -> tuple[str, dict[str, str]]:
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    return lines[0], {ln.split(",")[0]: ln for ln in lines[1:] if ln.strip()}


def price_file(prices: dict[str, str]) -> bytes:
    """The demo catalogue's own rows for these products with new prices (yuan text)."""
    header, rows = demo_rows()
    out = [header]
    for sku, price in prices.items():
        cells = rows[sku].split(",")
        cells[header.split(",").index("price")] = price
        out.append(",".join(cells))
    return ("\n".join(out) + "\n").encode()


def flash(page: str) -> str:
    m = re.search(r'class="flash[^"]*"[^>]*>(.*?)</p>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))) if m else ""


def table(page: str, tid: str) -> str:
    m = re.search(rf'<table id="{tid}">.*?<tbody>(.*?)</tbody>', page, re.S)  # the rows, not the header
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", m.group(1)))) if m else ""


def counts(engine) -> tuple[int, int]:  # noqa: ANN001
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(master_versions)).scalar_one(),
                conn.execute(select(func.count()).select_from(master_drafts)).scalar_one())


def upload(client, name: str, data: bytes, mode: str = "merge", store: str = "MX"):  # noqa: ANN001, ANN201
    return client.post("/master/upload", data={"csrf": client.csrf, "store": store, "mode": mode},
                       files={"file": (name, data, "application/octet-stream")})


def test_only_master_data_accounts_reach_master_data_and_every_change_needs_its_csrf_token(srv) -> None:  # noqa: ANN001
    for login in ("ana", "aud", "admin1"):
        c = office_client(srv.url, login)
        assert c.get("/master").status_code == 403
        assert upload(c, "p.csv", price_file({APPLE: "18.80"})).status_code == 403
    md = office_client(srv.url, "md")
    assert md.get("/master").status_code == 200
    forged = md.post("/master/upload", data={"store": "MX", "mode": "merge"},
                     files={"file": ("p.csv", price_file({APPLE: "18.80"}), "text/csv")})
    assert forged.status_code == 403 and "表单已过期" in forged.text
    assert counts(srv.engine) == (0, 0)
    draft = upload(md, "p.csv", price_file({APPLE: "18.80"}))
    assert draft.status_code == 303
    assert md.post(draft.headers["location"] + "/publish", data={"effective": ""}).status_code == 403
    assert counts(srv.engine) == (0, 1)


def test_bad_files_are_refused_in_words_and_nothing_is_kept_or_published(srv) -> None:  # noqa: ANN001
    service.publish_catalog(srv.engine, "MX", DEMO)
    md = office_client(srv.url, "md")
    before = counts(srv.engine)
    bad = upload(md, "坏价格.csv", (ROOT / "resources" / "demo" / "catalog_bad_example.csv").read_bytes())
    assert bad.status_code == 400 and "未保存任何内容" in flash(bad.text)
    refused = table(bad.text, "refused")
    assert "第3行，单价：“12.8.0”不是有效金额" in refused and "校验位错误" in refused and "row 3, price" in refused
    assert "只接受 .csv 或 .xlsx" in flash(upload(md, "prices.txt", b"sku,name,price\nA,B,1\n").text)
    assert "文件是空的" in flash(upload(md, "p.csv", b"").text)
    broken = upload(md, "p.xlsx", b"PK\x03\x04 not really a workbook")
    assert broken.status_code == 400 and "p.xlsx：" in flash(broken.text)
    header, rows = demo_rows()
    clash = upload(md, "clash.csv", f"{header}\nMX-NEW9,,新苹果,水果,茂县,袋,5.00,unit,,9,,,,yes,\n".encode()
                   .replace(b"MX-NEW9,,", b"MX-NEW9,6945837000592,"))
    assert clash.status_code == 400 and "条码 6945837000592 将同时属于" in flash(clash.text)
    bad_store = upload(md, "p.csv", price_file({APPLE: "18.80"}), store="M")
    assert bad_store.status_code == 400 and "门店" in flash(bad_store.text)
    bad_mode = upload(md, "p.csv", price_file({APPLE: "18.80"}), mode="all")
    assert bad_mode.status_code == 400
    assert counts(srv.engine) == before


def test_a_price_file_changes_only_its_columns_and_a_full_catalogue_removes_what_it_lacks(srv) -> None:  # noqa: ANN001
    md = office_client(srv.url, "md")
    full = upload(md, "catalog_MX.csv", DEMO.read_bytes(), mode="full")
    first = md.get(full.headers["location"])
    assert "茂县冰糖心苹果（特级）" in table(first.text, "added") and not table(first.text, "prices")
    assert "已发布门店 MX 主数据版本 1，立即生效" in flash(md.form(full.headers["location"] + "/publish", {"effective": ""}).text)
    # a price file with only 编码, 品名, 单价: the apple's origin and barcode stay as published
    only_prices = upload(md, "调价.csv", "商品编码,品名,单价\nMX-F001,茂县冰糖心苹果（特级）,18.80\n".encode())
    preview = md.get(only_prices.headers["location"])
    assert table(preview.text, "prices") == " MX-F001 茂县冰糖心苹果（特级） 16.80 18.80 +11.9 % "
    assert not table(preview.text, "changed") and not table(preview.text, "removed") and not table(preview.text, "added")
    bad_time = md.form(only_prices.headers["location"] + "/publish", {"effective": "2026-13-40T25:00"})
    assert bad_time.status_code == 400 and "不是有效的日期时间" in flash(bad_time.text)
    done = md.form(only_prices.headers["location"] + "/publish", {"effective": "2030-01-01T08:00"})
    assert "版本 2，2030-01-01 08:00（上海时间）生效" in flash(done.text)
    assert "2030-01-01 08:00 （未到 pending）" in table(done.text, "versions")
    again = md.form(only_prices.headers["location"] + "/publish", {"effective": ""})
    assert again.status_code == 409 and "已发布" in flash(again.text)
    doc = service.master_for(srv.engine, "MX", 0)
    apple = next(p for p in doc["catalog"]["products"] if p["sku"] == APPLE)
    assert (apple["price"], apple["origin"], doc["version"], doc["effective_at"]) == (1880, "茂县", 2, "2030-01-01T00:00:00.000000Z")
    # a full catalogue without the eggs: they stop being sold
    header, rows = demo_rows()
    without = "\n".join([header] + [r for sku, r in rows.items() if sku != "MX-E001"]) + "\n"
    removal = md.get(upload(md, "全表.csv", without.encode(), mode="full").headers["location"])
    assert table(removal.text, "removed").strip().startswith("MX-E001")
    # publish also works from an XLSX file
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["商品编码", "品名", "单价"])
    wb.active.append(["MX-F002", "茂县冰糖心苹果（一级）", "13.50"])
    buf = io.BytesIO()
    wb.save(buf)
    xlsx = md.get(upload(md, "调价.xlsx", buf.getvalue()).headers["location"])
    assert "12.80 13.50 +5.5 %" in table(xlsx.text, "prices")
    versions = table(md.get("/master?store=MX").text, "versions")
    assert versions.count(" md ") == 2
    journal = [(r["login"], r["action"], r["detail"].get("version")) for r in audit_entries(srv.engine)]
    assert ("md", "master.publish", 2) in journal and ("md", "master.publish", 1) in journal


def test_till_users_and_store_settings_go_through_the_same_preview(srv) -> None:  # noqa: ANN001
    md = office_client(srv.url, "md")
    no_pin = md.form("/master/users", {"store": "MX", "login": "zhang", "name": "张小芳", "role": "cashier"})
    assert no_pin.status_code == 400 and "新用户需要姓名、角色和初始密码" in flash(no_pin.text)
    short = md.form("/master/users", {"store": "MX", "login": "zhang", "name": "张小芳", "role": "cashier", "pin": "12"})
    assert short.status_code == 400 and "4 到 8 位数字" in flash(short.text)
    long_name = md.form("/master/users", {"store": "MX", "login": "zhang", "name": "张" * 41, "role": "cashier", "pin": "2468"})
    assert long_name.status_code == 400 and "最多 40 个字符" in flash(long_name.text)
    assert counts(srv.engine) == (0, 0)
    new = md.form("/master/users", {"store": "MX", "login": "zhang", "name": "张小芳", "role": "cashier", "pin": "2468"})
    assert "zhang 张小芳 收银员 新用户" in table(md.get(new.headers["location"]).text, "users")
    md.form(new.headers["location"] + "/publish", {"effective": ""})
    off = md.form("/master/users", {"store": "MX", "login": "zhang", "role": "manager", "disable": "1"})
    what = table(md.get(off.headers["location"]).text, "users")
    assert "角色 收银员 → 店长" in what and "停用" in what
    md.form(off.headers["location"] + "/publish", {"effective": ""})
    rounding = md.form("/master/settings", {"store": "MX", "rounding": "drop_fen"})
    assert "抹零 rounding 不抹零 抹分" in table(md.get(rounding.headers["location"]).text, "settings-diff") or \
        "抹零 rounding — 抹分" in table(md.get(rounding.headers["location"]).text, "settings-diff")
    md.form(rounding.headers["location"] + "/publish", {"effective": ""})
    assert md.form("/master/settings", {"store": "MX", "rounding": "round_up_always"}).status_code == 400
    doc = service.master_for(srv.engine, "MX", 0)
    assert doc["version"] == 3 and doc["settings"] == {"rounding": "drop_fen"}
    assert doc["users"] == [{"login": "zhang", "display_name": "张小芳", "role": "manager", "active": False,
                             "initial_pin": "2468", "pin_serial": 1}]
    assert "2468" not in json.dumps(audit_entries(srv.engine), ensure_ascii=False)  # PINs are not journaled
    assert 'action="/master/promotions"' in md.get("/master").text


PROMOS = ROOT / "resources" / "demo" / "promotions-demo.csv"


def test_a_promotion_file_is_previewed_published_and_reaches_a_till_that_applies_it(srv, tmp_path: Path) -> None:  # noqa: ANN001
    md = office_client(srv.url, "md")
    bad = md.post("/master/promotions", data={"csrf": md.csrf, "store": "MX"},
                  files={"file": ("促销.csv", "id,name,kind,scope,value\nP1,坏行,满减,all,abc\n".encode(), "text/csv")})
    assert bad.status_code == 400 and "第2行" in table(bad.text, "refused")  # refused whole, row by row
    assert counts(srv.engine) == (0, 0)
    up = md.post("/master/promotions", data={"csrf": md.csrf, "store": "MX"},
                  files={"file": ("promotions-demo.csv", PROMOS.read_bytes(), "text/csv")})
    assert up.status_code == 303
    shown_diff = table(md.get(up.headers["location"]).text, "promotions-diff")
    assert "MX-P004 枇杷礼盒第二件半价 第N件折扣 新增" in shown_diff and "MX-P001 全场满100减10 满减 新增" in shown_diff
    assert "已发布门店 MX 主数据版本 1" in flash(md.form(up.headers["location"] + "/publish", {"effective": ""}).text)
    doc = service.master_for(srv.engine, "MX", 0)
    set_version = doc["promotions"]["version"]
    assert len(doc["promotions"]["promotions"]) == len(PROMOS.read_text(encoding="utf-8").strip().splitlines()) - 1
    # the same file again with one promotion left out: the difference names only that one
    lines = PROMOS.read_text(encoding="utf-8").strip().splitlines()
    fewer = "\n".join(ln for ln in lines if not ln.startswith("MX-P005")) + "\n"
    again = md.post("/master/promotions", data={"csrf": md.csrf, "store": "MX"},
                    files={"file": ("少一条.csv", fewer.encode(), "text/csv")})
    assert table(md.get(again.headers["location"]).text, "promotions-diff").strip() == "MX-P005 甜樱桃早市特价 特价 停止 ended"
    # a till syncs and sells two loquat boxes at the promotions head office published
    till = make_till(tmp_path, "MX", "MX01", FixedClock(datetime.now(UTC).replace(microsecond=0), step=timedelta(0)))
    try:
        code = service.add_terminal(srv.engine, "MX", "MX01").code
        till.sync.enroll(srv.url, code)
        fast_retries(till)
        assert till.promotions.current().version == 0
        assert till.sync.run_cycle().ok
        assert till.promotions.current().version == set_version
        from pos.domain.cart import Cart

        cart = Cart(context=till.promotions.context()).add(till.lookup.find("MX-G003"), 2)  # 枇杷礼盒, 128.00 each
        totals = till.checkout.totals(cart)
        assert totals.total_fen == 256_00 - 64_00 - 10_00  # 第二件半价, then 满100减10 on the basket
        assert {a.name for a in totals.promo.applied} == {"枇杷礼盒第二件半价", "全场满100减10"}
    finally:
        till.close()


def test_story_a_new_apple_price_reaches_both_tills_at_its_effective_time(srv, tmp_path: Path, page) -> None:  # noqa: ANN001
    service.publish_catalog(srv.engine, "MX", DEMO)  # what head office published so far: the demo catalogue
    now = datetime.now(UTC).replace(microsecond=0)
    clocks = {t: FixedClock(now, step=timedelta(0)) for t in ("MX01", "MX02")}
    tills = {t: make_till(tmp_path, "MX", t, clocks[t]) for t in clocks}
    try:
        # an admin enrols both terminals from the counters page
        page.goto(f"{srv.url}/terminals")
        page.fill("input[name=login]", "admin1")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/terminals")
        issued = {}
        for t in ("MX01", "MX02"):
            page.goto(f"{srv.url}/terminals")
            page.fill("#enrol input[name=store]", "MX")
            page.fill("#enrol input[name=terminal]", t)
            page.fill("#enrol input[name=url]", srv.url)
            page.click("#enrol button[type=submit]")
            page.wait_for_selector("#enrol-qr")
            assert page.locator("#enrol-qr").evaluate("img => img.decode().then(() => img.naturalWidth)") > 0  # the QR is drawn
            issued[t] = (page.inner_text("#enrol-code"), page.inner_text("#enrol-text"))
        tills["MX01"].sync.enroll(*enrol_target(issued["MX01"][1], None)[:2])  # scanned QR text
        tills["MX02"].sync.enroll(srv.url, issued["MX02"][0])  # the code typed in
        for till in tills.values():
            fast_retries(till)
            assert till.sync.run_cycle().ok
        page.click("text=退出 Log out")
        page.wait_for_url("**/login")

        # the master-data user uploads the new apple price, sees the move, publishes it for tomorrow 08:00
        page.fill("input[name=login]", "md")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/dashboard")
        page.goto(f"{srv.url}/master?store=MX")
        page.set_input_files("#upload input[type=file]", files=[
            {"name": "苹果调价.csv", "mimeType": "text/csv", "buffer": price_file({APPLE: "18.80"})}])
        page.click("#upload button[type=submit]")
        page.wait_for_url("**/master/drafts/*")
        assert re.sub(r"\s+", " ", page.inner_text("#prices")).endswith("MX-F001 茂县冰糖心苹果（特级） 16.80 18.80 +11.9 %")
        effective = (now.astimezone(SHANGHAI) + timedelta(days=1)).replace(hour=8, minute=0, second=0)
        page.fill("#publish input[name=effective]", effective.strftime("%Y-%m-%dT%H:%M"))
        page.click("#publish button[type=submit]")
        page.wait_for_selector(".flash")
        assert "已发布门店 MX 主数据版本 2" in page.inner_text(".flash")
        assert "md" in page.inner_text("#versions")

        def sold_for(till) -> int:  # noqa: ANN001
            return sell(till, cashier_of(till), [(APPLE, 1000)]).sale.total_fen  # one kilogram

        for till in tills.values():  # before the effective time: synced, scheduled, still the old price
            rep = till.sync.run_cycle()
            assert rep.ok and rep.scheduled_version == 2
            assert sold_for(till) == 1680
        for t, till in tills.items():  # the tills' clocks pass tomorrow 08:00 Shanghai time
            clocks[t].at = effective.astimezone(UTC) + timedelta(minutes=1)
            rep = till.sync.run_cycle()
            assert rep.ok and [(c.what, c.key, c.old, c.new) for c in rep.changes] == [("price", APPLE, 1680, 1880)]
            assert sold_for(till) == 1880
            assert till.sync.status().master_version == 2
    finally:
        for till in tills.values():
            till.close()


def test_counters_and_master_data_pages_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """The same flow on PostgreSQL: enrol from the page, a till reports with its batch, publish a price, ledger check."""
    with running_server(postgres_url) as s:
        for login, roles in (("admin1", "admin"), ("aud", "auditor"), ("md", "master_data")):
            make_account(s.engine, login, roles)
        admin, md, aud = (office_client(s.url, login) for login in ("admin1", "md", "aud"))
        text = html.unescape(re.search(r'id="enrol-text">([^<]+)<',
                                       admin.form("/terminals", {"store": "MX", "terminal": "MX01", "url": s.url}).text).group(1))
        two_days_ago = datetime.now(UTC) - timedelta(days=2, minutes=1)
        till = make_till(tmp_path, "MX", "MX01", FixedClock(two_days_ago, step=timedelta(0)))
        try:
            till.sync.enroll(*enrol_target(text, None)[:2])
            fast_retries(till)
            sell(till, cashier_of(till), [(APPLE, 500)])
            assert till.sync.run_cycle().ok
            row = re.search(r'<tr data-terminal="MX01">(.*?)</tr>', admin.get("/terminals").text, re.S).group(1)
            day = two_days_ago.astimezone(SHANGHAI).strftime("%Y-%m-%d")
            assert "时钟慢 2 天" in row and day in row  # a till two days behind, its day of sales not closed
            service.publish_catalog(s.engine, "MX", DEMO)
            draft = upload(md, "p.csv", price_file({APPLE: "18.80"}))
            assert "16.80 18.80 +11.9 %" in table(md.get(draft.headers["location"]).text, "prices")
            assert "版本 2" in flash(md.form(draft.headers["location"] + "/publish", {"effective": ""}).text)
            rep = till.sync.run_cycle()
            assert rep.ok and till.lookup.find(APPLE).price_fen == 1880
            assert "哈希链完好" in aud.get("/terminals/MX01/ledger?verify=1").text
            # odd input is refused in words, never a 500 (PostgreSQL refuses NUL in text)
            assert aud.get("/terminals/MX%0001/ledger").status_code in (400, 404)
            assert admin.get("/terminals/MX%0001/revoke").status_code in (400, 404)
            assert admin.form("/terminals", {"store": "MX", "terminal": "MX03", "url": "http://a\x00b"}).status_code == 400
            assert md.get("/master/drafts/%C2%B2").status_code == 404
            assert md.form("/master/users", {"store": "MX", "login": "li", "name": "李\x00", "role": "cashier",
                                             "pin": "1234"}).status_code == 400
            odd = md.post("/master/upload", data={"csrf": md.csrf, "store": "MX", "mode": "merge"},
                          files={"file": ("..\\p\x00.csv", price_file({APPLE: "19.80"}), "text/csv")})
            assert odd.status_code == 303 and md.get(odd.headers["location"]).status_code == 200
        finally:
            till.close()
