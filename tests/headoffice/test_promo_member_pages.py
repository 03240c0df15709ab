"""Issue 17 point 5 at head office: promotion cost (/promotions) and member sales and points liability (/members).

A real till imports the demo promotions, registers a member, sells to her and to a walk-in shopper, takes part of
a sale back, and syncs to a real head office on loopback. The pages must show the till's own period reports'
figures (促销成本, 会员销售与积分), and what a plain reading of the stored entries gives; ``rebuild`` derives the same
rows again; a filter that is not understood gets a page in words.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from headoffice import derive, service
from headoffice.promo_facts import TABLES, member_facts, promo_facts
from pos.domain.cart import Cart
from pos.domain.members import PointsRule
from pos.domain.money import div_round_half_up
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server
from tests.headoffice.ho_web import make_account, office_client

ROOT = Path(__file__).resolve().parents[2]
DEMO_PROMOTIONS = ROOT / "resources" / "demo" / "promotions-demo.csv"
T0 = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # 10:00 in the store
DAY = date(2026, 12, 4)
LOQUAT_BOX, EGGS = "MX-G003", "MX-E002"  # 第二件半价 (MX-P004); 买二赠一 (MX-P003)
PHONE = "13812341234"
QS = {"from": "2026-12-01", "to": "2026-12-31"}


@pytest.fixture
def shop(tmp_path: Path):
    """A head office and one till of store MX that has sold, taken part back, and synced."""
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        till = make_till(tmp_path, "MX", "MX01", FixedClock(T0), member_key=tmp_path / "MX01.member.key")
        try:
            till.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", "MX01").code)
            fast_retries(till)
            manager = till.auth.login("manager1", "2222")
            till.promotions.import_file(DEMO_PROMOTIONS, manager)
            till.members.set_points_rule(PointsRule(redeem_fen_per_point=2), manager)  # a point pays 2 fen here
            cashier = cashier_of(till)
            member = till.members.add(PHONE, "王芳", by=cashier)

            def sell(who, *items: tuple[str, int], points: int = 0):  # noqa: ANN001, ANN202
                cart = Cart().with_context(till.promotions.context(who))
                for sku, qty in items:
                    cart = cart.add(till.lookup.find(sku), qty)
                if points:
                    cart = cart.redeem_points(points, till.checkout.points_rule)
                total = till.checkout.totals(cart).total_fen
                return till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, total)], cashier).sale

            first = sell(member, (LOQUAT_BOX, 2), (EGGS, 3))  # 第二件半价, 买二赠一, 满100减10
            sell(None, (EGGS, 3))  # a walk-in shopper: promotions, no member
            (found,) = till.members.find(PHONE)
            sell(found, (EGGS, 1), points=100)  # points pay part
            till.returns.return_items(first.receipt_no, {2: 1}, manager)  # one box of eggs back
            report = till.sync.run_cycle()
            assert report.ok and report.waiting == 0, report.last_error
            make_account(srv.engine, "acct", "analyst")
            yield srv, till, member
        finally:
            till.close()


def _cells(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>\s*<tfoot>(.*?)</tfoot>', html, re.S)
    assert body, f"no table {table_id} on the page"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) + body.group(2), re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def _fen(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    return sign * round(float(text.lstrip("-").replace(",", "")) * 100)


def _till_journal(till) -> list[tuple[str, dict]]:  # noqa: ANN001
    with sqlite3.connect(till.db.path) as c:
        return [(k, json.loads(p)) for k, p in c.execute("SELECT kind, payload FROM journal ORDER BY seq")]


def test_the_promotions_page_shows_what_the_till_and_the_entries_say(shop) -> None:  # noqa: ANN001
    srv, till, _member = shop
    own = till.period_reports.build("promotions", DAY, DAY)
    want = {(pid, version): (name, receipts, given, returned, cost)
            for pid, name, version, receipts, given, returned, cost in own.rows}
    assert {"MX-P001", "MX-P003", "MX-P004"} <= {pid for pid, _v in want}
    assert any(v[3] for v in want.values()), "the return took back part of a promotion"

    # an independent reading of the entries head office stored
    with srv.engine.connect() as conn:
        from headoffice.schema import entries

        stored = [(k, json.loads(p)) for k, p in conn.execute(select(entries.c.kind, entries.c.payload)
                                                              .order_by(entries.c.seq)).all()]
    assert stored == _till_journal(till)[: len(stored)] and len(stored) == len(_till_journal(till))
    read: dict[tuple[str, int], list[int]] = {}
    sales = {p["receipt_no"]: p for k, p in stored if k == "sale"}
    for kind, p in stored:
        if kind == "sale":
            for pid, version, _name, off in p.get("promos") or ():
                f = read.setdefault((pid, version), [0, 0, 0])
                f[0] += 1
                f[1] += off
        elif kind == "return":
            sold = {ln["line_no"]: ln for ln in sales[p["receipt_no"]]["lines"]}
            for ln in p["lines"]:
                line = sold[ln["orig_line_no"]]
                for pid, version, fen in line.get("promo") or ():
                    read.setdefault((pid, version), [0, 0, 0])[2] += div_round_half_up(fen * ln["quantity"],
                                                                                      line["quantity"])
    assert {k: (r, g, b, g - b) for k, (r, g, b) in read.items()} == {k: v[1:] for k, v in want.items()}

    with closing(office_client(srv.url, "acct")) as web:
        page = web.get("/promotions", params=QS)
        assert page.status_code == 200
        assert 'id="nav-promotions"' in page.text
        rows = _cells(page.text, "promotions")
        shown = {(r[0], int(r[1])): (r[2], int(r[3]), _fen(r[4]), _fen(r[5]), _fen(r[6])) for r in rows[:-1]}
        assert shown == want
        total = rows[-1]
        assert [int(total[3]), *map(_fen, total[4:])] == [sum(v[i] for v in want.values()) for i in (1, 2, 3, 4)]
        # the store filter: the same figures for MX, none for a store without sales
        assert _cells(web.get("/promotions", params={**QS, "store": "MX"}).text, "promotions") == rows
        assert "没有促销让利" in web.get("/promotions", params={**QS, "store": "SY"}).text
        # the export holds the same figures
        x = web.get("/promotions/export.xlsx", params=QS)
        assert x.status_code == 200 and x.headers["content-type"].startswith("application/vnd.openxmlformats")
        ws = load_workbook(io.BytesIO(x.content)).active
        values = [[c for c in r] for r in ws.iter_rows(values_only=True)]
        header = next(i for i, r in enumerate(values) if r[0] == "促销编号 Promotion")
        got = {(r[0], r[1]): (r[2], r[3], round(r[4] * 100), round(r[5] * 100), round(r[6] * 100))
               for r in values[header + 1: header + 1 + len(want)]}
        assert got == want


def test_the_members_page_shows_member_sales_and_the_points_liability(shop) -> None:  # noqa: ANN001
    srv, till, member = shop
    own = till.period_reports.build("members", DAY, DAY)
    assert [r[0] for r in own.rows] == [member.code]
    (_code, _name, _tier, _masked, receipts, spent, refunded, earned, redeemed, _redeem_fen, reversed_, held,
     liability) = own.rows[0]
    assert receipts == 2 and refunded > 0 and redeemed == 100 and reversed_ > 0
    assert held == till.members.get(member.member_id).points and liability == held * 2
    store_net = sum(p["total"] for k, p in _till_journal(till) if k == "sale") - sum(
        p["refund"] for k, p in _till_journal(till) if k == "return")

    with closing(office_client(srv.url, "acct")) as web:
        page = web.get("/members", params=QS)
        assert page.status_code == 200
        (row, total) = _cells(page.text, "members")
        assert row[0] == "MX" and int(row[1]) == 1 and int(row[2]) == receipts
        assert [_fen(row[3]), _fen(row[4]), _fen(row[5])] == [spent, refunded, spent - refunded]
        assert row[6] == f"{(spent - refunded) / store_net * 100:.1f}%"
        assert [int(row[7]), int(row[8]), int(row[9])] == [earned, redeemed, reversed_]
        assert int(row[11]) == held  # the points still held at the period's end …
        assert row[12] == "0.02"  # … at what a point pays by the rule the till journaled
        assert _fen(row[13]) == liability
        assert _fen(total[13]) == liability
        # a period that ended before any sale: no points outstanding, no liability
        before = _cells(web.get("/members", params={"from": "2026-11-01", "to": "2026-11-30"}).text, "members")
        assert "没有会员消费" in before[0][0]


def test_rebuild_derives_the_same_rows(shop) -> None:  # noqa: ANN001
    srv, _till, _member = shop
    derive.fresh(srv.engine)

    def rows() -> dict[str, list[tuple]]:
        with srv.engine.connect() as conn:
            return {t.name: sorted(tuple(r) for r in conn.execute(select(t)).all()) for t in TABLES}

    before = rows()
    assert before[promo_facts.name] and before[member_facts.name] and before["member_points_rules"]
    for _ in range(2):
        with srv.engine.begin() as conn:
            derive.rebuild(conn)
        assert rows() == before
    with srv.engine.begin() as conn:  # the dashboard-only rebuild (migration ho0003) keeps them too
        derive.rebuild(conn, documents_too=False)
    assert rows() == before
    # a head office that held these sales before migration ho0012: the migration derives them
    from alembic import command

    from headoffice.db import _alembic_config, migrate

    with srv.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "ho0011")
    migrate(srv.engine)
    assert rows() == before


HOSTILE = (({"from": "2026-13-45"}, "2026-13-45"), ({"from": "2026-12-31", "to": "2026-12-01"}, "after"),
           ({"store": "<script>alert(1)</script>"}, "store"), ({"to": "2026-12-31' OR '1'='1"}, "YYYY-MM-DD"))


def test_a_filter_that_is_not_understood_gets_a_page_in_words(shop) -> None:  # noqa: ANN001
    srv, _till, _member = shop
    with closing(office_client(srv.url, "acct")) as web:
        for path in ("/promotions", "/members", "/promotions/export.xlsx", "/members/export.xlsx"):
            for query, words in HOSTILE:
                page = web.get(path, params=query)
                assert page.status_code == 400, (path, query)
                assert page.headers["content-type"].startswith("text/html"), (path, query)
                assert words in page.text and "<script>alert" not in page.text, (path, query)
                assert "Traceback" not in page.text
    for path in ("/promotions", "/members", "/members/export.xlsx"):  # nobody logged in: nothing shown
        resp = httpx.get(srv.url + path, params=QS, headers={"Accept": "text/html"}, follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/login?next=")
        assert httpx.get(srv.url + path, params=QS).status_code in (401, 403)


def test_the_command_line_prints_the_same_figures(shop, capsys, tmp_path: Path) -> None:  # noqa: ANN001
    from pos.cli import main

    srv, till, _member = shop
    db = str(srv.engine.url.database)
    assert main(["headoffice", "promo-report", "--db", db, "--from", "2026-12-01", "--to", "2026-12-31",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    own = till.period_reports.build("promotions", DAY, DAY)
    assert [(p["id"], p["version"], p["given"], p["returned"], p["cost"]) for p in data["promotions"]["promotions"]] == [
        (pid, version, given, returned, cost) for pid, _n, version, _r, given, returned, cost in own.rows]
    assert data["members"]["stores"][0]["liability"] == till.period_reports.build("members", DAY, DAY).rows[0][-1]
    assert main(["headoffice", "promo-report", "--db", db, "--from", "2026-12-1"]) == 2
    assert "2026-12-01" in capsys.readouterr().err
    out = tmp_path / "promo.xlsx"
    assert main(["headoffice", "promo-report", "--db", db, "--format", "xlsx", "--out", str(out), "--store", "MX",
                 "--from", "2026-12-01", "--to", "2026-12-31"]) == 0
    assert [ws.title for ws in load_workbook(out).worksheets] == ["促销成本 Promotion cost", "会员销售与积分 Members"]


def test_an_analyst_finds_both_pages_from_the_menu_in_a_browser(shop, page, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.headoffice.ho_web import PASSWORD

    srv, till, _member = shop
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{srv.url}/dashboard")
    page.fill("input[name=login]", "acct")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard*")
    page.click("#nav-promotions")
    page.wait_for_url("**/promotions*")
    page.fill("input[name=from]", "2026-12-01")
    page.fill("input[name=to]", "2026-12-31")
    page.click("text=查询 Show")
    page.wait_for_url("**/promotions?from=2026-12-01&to=2026-12-31*")
    own = till.period_reports.build("promotions", DAY, DAY)
    assert page.locator("#promotions tbody tr").count() == len(own.rows)
    assert "枇杷礼盒第二件半价" in page.locator("#promotions").inner_text()
    page.screenshot(path=str(tmp_path / "promotions.png"), full_page=True)
    page.click("nav.tabs >> text=会员销售与积分")
    page.wait_for_url("**/members?from=2026-12-01&to=2026-12-31*")
    assert page.locator("#members tbody tr[data-store=MX]").count() == 1
    page.screenshot(path=str(tmp_path / "members.png"), full_page=True)
    # (the browser's own favicon request is the one 404 it may report: no page here has one)
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p or "/static/" in p], problems


def test_each_store_has_its_own_row_and_a_store_without_a_points_rule_uses_the_default(tmp_path: Path) -> None:
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        tills = {}
        try:
            for store, terminal in (("MX", "MX01"), ("SY", "SY01")):
                till = tills[store] = make_till(tmp_path, store, terminal, FixedClock(T0),
                                                member_key=tmp_path / f"{terminal}.member.key")
                till.sync.enroll(srv.url, service.add_terminal(srv.engine, store, terminal).code)
                fast_retries(till)
                manager = till.auth.login("manager1", "2222")
                till.promotions.import_file(DEMO_PROMOTIONS, manager)
                if store == "MX":
                    till.members.set_points_rule(PointsRule(redeem_fen_per_point=2), manager)
                cashier = cashier_of(till)
                member = till.members.add(PHONE, "王芳", by=cashier)
                cart = Cart().with_context(till.promotions.context(member))
                for sku, qty in ((LOQUAT_BOX, 2 if store == "MX" else 4), (EGGS, 3)):
                    cart = cart.add(till.lookup.find(sku), qty)
                total = till.checkout.totals(cart).total_fen
                till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, total)], cashier)
                assert till.sync.run_cycle().ok
            make_account(srv.engine, "acct", "analyst")
            with closing(office_client(srv.url, "acct")) as web:
                rows = {r[0]: r for r in _cells(web.get("/members", params=QS).text, "members")[:-1]}
                assert sorted(rows) == ["MX", "SY"]
                for store, till in tills.items():
                    own = till.period_reports.build("members", DAY, DAY).rows[0]
                    assert int(rows[store][11]) == own[11] and _fen(rows[store][13]) == own[12]
                assert rows["MX"][12] == "0.02" and rows["SY"][12] == "0.01*"  # SY journaled no rule: the default
                only = _cells(web.get("/members", params={**QS, "store": "SY"}).text, "members")
                assert [r[0] for r in only[:-1]] == ["SY"]
                promos = _cells(web.get("/promotions", params={**QS, "store": "SY"}).text, "promotions")
                own = tills["SY"].period_reports.build("promotions", DAY, DAY).rows
                assert [(r[0], _fen(r[4])) for r in promos[:-1]] == [(pid, given) for pid, _n, _v, _r, given, *_ in own]
        finally:
            for till in tills.values():
                till.close()
