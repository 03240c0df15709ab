"""Receipt pages over a real server on loopback: an enrolled till's receipt carries a signed QR to the
trace page; the trace page shows origin and no personal data; guessed or changed addresses get a
plain 404 and are rate-limited; the 开票 form checks the tax number and CSRF and takes the amount
from the receipt; the office's queue lists, filters and exports (marking exported, journaled); the
CLI exports too; a browser opens a trace page and submits a request."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from headoffice import receipts as rc
from headoffice import service
from headoffice.accounts import audit_entries
from headoffice.schema_receipts import invoice_requests, trace_hits
from pos.domain.money import format_yuan
from pos.domain.receipt import TRACE_CAPTION
from pos.services.ports import FixedClock
from tests.headoffice.ho_support import cashier_of, make_till, running_server, sell
from tests.headoffice.ho_web import cookies_of, make_account, office_client
from tests.printers.escpos_reader import decode

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
GOOD_TAX = "91350100M000100Y43"  # GB 32100's own example; check character 3
TITLE = "平湖市供销合作社联合社"


class Shop:
    def __init__(self, srv, till, done, url: str, text: str) -> None:  # noqa: ANN001
        self.srv, self.till, self.done, self.url, self.text = srv, till, done, url, text


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("receipts")
    mp = pytest.MonkeyPatch()
    mp.setenv("LIANXIN_HOME", str(tmp / "home"))
    mp.setenv("LIANXIN_SYNC_SECRETS", "file")
    try:
        with running_server(f"sqlite:///{tmp / 'ho.db'}") as srv:
            till = make_till(tmp, "MX", "MX01", FixedClock(T0))
            try:
                till.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", "MX01").code)
                cashier = cashier_of(till)
                done = sell(till, cashier, [("MX-F001", 1255), ("MX-E001", 2)])
                assert till.receipts.print(done.receipt).ok
                decoded = decode(till.receipts.printer.jobs[-1].data, till.config.columns)
                assert decoded.problems == []
                qr = [data for kind, data in decoded.barcodes if kind == "QR" and "/r/" in data]
                assert len(qr) == 1, decoded.barcodes
                rep = till.sync.run_cycle()
                assert rep.ok, rep
                yield Shop(srv, till, done, qr[0], decoded.text)
            finally:
                till.close()
    finally:
        mp.undo()


@pytest.fixture(autouse=True)
def _fresh_limits(shop: Shop):  # noqa: ANN202
    yield
    with shop.srv.engine.begin() as conn:
        conn.execute(delete(trace_hits))


def _submit(url: str, **fields: str) -> httpx.Response:
    form = httpx.get(url + "/invoice")
    assert form.status_code == 200, form.text[:300]
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    return httpx.post(url + "/invoice", data={"csrf": token, **fields},
                      headers={"Cookie": f"lx_invoice_csrf={cookies_of(form)['lx_invoice_csrf']}"})


def test_the_printed_receipt_carries_the_signed_trace_address_of_its_head_office(shop: Shop) -> None:
    no = shop.done.sale.receipt_no
    assert shop.url.startswith(f"{shop.srv.url}/r/MX01/{no}.")
    assert TRACE_CAPTION in shop.text
    assert len(shop.url.rsplit(".", 1)[1]) == 16


def test_the_trace_page_shows_origin_and_no_personal_data(shop: Shop) -> None:
    page = httpx.get(shop.url)
    assert page.status_code == 200
    html = page.text
    assert shop.done.sale.receipt_no in html
    assert "茂县冰糖心苹果（特级）" in html and "1.255kg" in html
    assert re.search(r'class="origin">\s*茂县<', html) and re.search(r'class="origin">\s*松阳<', html)
    assert "待补充" in html  # the sale lines carry no batch / 合格证 / arrival yet
    assert "2026-11-22" in html and "MX" in html
    sale = shop.done.sale
    assert sale.cashier_name not in html and sale.cashier_login not in html
    assert "现金" not in html  # no payment details
    assert page.headers["cache-control"] == "no-store"
    assert "/invoice" in html
    assert "金平湖鲜到家" not in html
    service.publish(shop.srv.engine, "MX", lambda doc: doc.setdefault("settings", {}).update(store_name="金平湖鲜到家"))
    assert "金平湖鲜到家" in httpx.get(shop.url).text  # the store's published name, when it has one


def test_a_changed_number_signature_or_till_is_a_plain_404(shop: Shop) -> None:
    base, sig = shop.url.rsplit(".", 1)
    no = shop.done.sale.receipt_no
    nxt = no[:-4] + f"{int(no[-4:]) + 1:04d}"
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    for url in (base.replace(no, nxt) + "." + sig,  # the next receipt number, same signature
                base + "." + flipped,  # one character of the signature changed
                base,  # no signature
                base + ".",
                shop.url.replace("/r/MX01/", "/r/MX02/"),
                shop.url + "/../../invoices",
                f"{shop.srv.url}/r/MX01/{'9' * 300}"):
        r = httpx.get(url, headers={"Accept": "text/html"})
        assert r.status_code == 404, (url, r.status_code)
        assert "没有找到这张小票" in r.text or url.endswith("invoices"), url
        assert "Traceback" not in r.text and "茂县" not in r.text


def test_guessing_is_rate_limited_per_client_address(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rc, "BAD_LIMIT", 5)
    base = shop.url.rsplit(".", 1)[0]
    codes = [httpx.get(f"{base}.{'A' * 15}{i % 10}").status_code for i in range(7)]
    assert codes[:5] == [404] * 5 and codes[5:] == [429, 429]
    blocked = httpx.get(shop.url)  # while blocked, even a real receipt waits
    assert blocked.status_code == 429 and "分钟后再试" in blocked.text


def test_the_invoice_form_refuses_a_bad_tax_number_in_words_and_accepts_a_good_one(shop: Shop) -> None:
    bad = _submit(shop.url, title=TITLE, tax_no=GOOD_TAX[:17] + "4")
    assert bad.status_code == 400 and "纳税人识别号校验位不符" in bad.text
    short = _submit(shop.url, title=TITLE, tax_no="9135010")
    assert short.status_code == 400 and "应为 18 位" in short.text
    letters = _submit(shop.url, title=TITLE, tax_no="91350100M000100YO3")
    assert letters.status_code == 400 and "不允许的字符" in letters.text and "O" in letters.text
    missing = _submit(shop.url, title=TITLE, tax_no="")
    assert missing.status_code == 400 and "单位抬头需要填写纳税人识别号" in missing.text
    mail = _submit(shop.url, title=TITLE, tax_no=GOOD_TAX, email="not-an-address")
    assert mail.status_code == 400 and "电子邮箱格式不正确" in mail.text
    with shop.srv.engine.connect() as conn:
        assert conn.execute(select(invoice_requests)).all() == []  # nothing half-saved

    ok = _submit(shop.url, title=TITLE, tax_no=" 91350100m000100y43 ", email="cw@example.cn", amount="1")
    assert ok.status_code == 200 and "开票申请已提交" in ok.text
    assert "cw@example.cn" not in ok.text and "c***@example.cn" in ok.text  # never shown back in full
    again = _submit(shop.url, title="个人", tax_no="")
    assert again.status_code == 200 and "开票申请已更新" in again.text
    assert "cw@example.cn" not in httpx.get(shop.url + "/invoice").text
    final = _submit(shop.url, title=TITLE, tax_no=GOOD_TAX, email="cw@example.cn")
    assert final.status_code == 200
    with shop.srv.engine.connect() as conn:
        rows = conn.execute(select(invoice_requests)).all()
    assert len(rows) == 1  # one open request per receipt
    assert rows[0].amount_fen == shop.done.sale.total_fen  # from the receipt, not the form
    assert rows[0].tax_no == GOOD_TAX and rows[0].title == TITLE
    assert rows[0].email == "cw@example.cn"  # an empty e-mail on a later submission kept it


def test_the_invoice_form_needs_its_csrf_token(shop: Shop) -> None:
    form = httpx.get(shop.url + "/invoice")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    no_cookie = httpx.post(shop.url + "/invoice", data={"csrf": token, "title": "个人"})
    assert no_cookie.status_code == 403 and "表单已过期" in no_cookie.text
    forged = httpx.post(shop.url + "/invoice", data={"csrf": "x" * 32, "title": "个人"},
                        headers={"Cookie": f"lx_invoice_csrf={'y' * 32}"})
    assert forged.status_code == 403
    cookie = [h for h in form.headers.get_list("set-cookie") if h.startswith("lx_invoice_csrf=")][0].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/r/" in cookie and "secure" in cookie


def test_the_queue_lists_filters_and_exports_with_the_amount_then_the_receipt_is_closed(shop: Shop,
                                                                                        tmp_path: Path) -> None:
    if not rc.request_of(shop.srv.engine, "MX01", shop.done.sale.receipt_no):
        assert _submit(shop.url, title=TITLE, tax_no=GOOD_TAX).status_code == 200
    make_account(shop.srv.engine, "kuaiji", "analyst")
    office = office_client(shop.srv.url, "kuaiji")
    no = shop.done.sale.receipt_no
    page = office.get("/invoices")
    assert page.status_code == 200 and no in page.text and TITLE in page.text
    assert format_yuan(shop.done.sale.total_fen) in page.text
    assert no not in office.get("/invoices", params={"store": "PM"}).text
    assert no not in office.get("/invoices", params={"from": "2026-11-23"}).text
    assert no in office.get("/invoices", params={"from": "2026-11-22", "to": "2026-11-22"}).text
    bad = office.get("/invoices", params={"from": "2026/11/01"})
    assert bad.status_code == 400 and "不是有效日期" in bad.text
    assert httpx.get(f"{shop.srv.url}/invoices", headers={"Accept": "text/html"}).status_code in (303, 401)
    assert office.post("/invoices/export", data={"state": "open"}).status_code == 403  # no CSRF token

    xlsx = office.form("/invoices/export", {"state": "open", "store": "MX"})
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    mine = [r for r in rows if r[3] == no]
    assert len(mine) == 1 and mine[0][5] == TITLE and mine[0][6] == GOOD_TAX
    assert mine[0][8] * 100 == shop.done.sale.total_fen
    assert ws["I2"].number_format == "#,##0.00"
    assert no not in office.get("/invoices").text  # exported: out of the open list
    assert no in office.get("/invoices", params={"state": "exported"}).text
    journal = audit_entries(shop.srv.engine, login="kuaiji")
    assert journal[0]["action"] == "invoice.export" and journal[0]["detail"]["newly_exported"] == 1
    form = httpx.get(shop.url + "/invoice")
    assert "已交财务处理" in form.text and 'name="title"' not in form.text  # no form to change it any more
    token = "t" * 32  # the double-submit check only needs the cookie and the field to match
    closed = httpx.post(shop.url + "/invoice", data={"csrf": token, "title": "个人"},
                        headers={"Cookie": f"lx_invoice_csrf={token}"})
    assert closed.status_code == 409 and "已交财务处理" in closed.text
    assert rc.request_of(shop.srv.engine, "MX01", no)["title"] == TITLE

    # the command line: nothing open any more; --all re-exports it
    from pos.cli import main

    out = tmp_path / "inv.xlsx"
    db = str(shop.srv.engine.url.render_as_string(hide_password=False))
    assert main(["headoffice", "invoice-requests", "--db", db, "--out", str(out)]) == 0
    assert all(r[0].value != no for r in load_workbook(out).active.iter_rows(min_row=2, max_col=4) if r)
    assert main(["headoffice", "invoice-requests", "--db", db, "--all", "--store", "mx", "--from", "2026-11-22",
                 "--out", str(out)]) == 0
    cells = [[c.value for c in row] for row in load_workbook(out).active.iter_rows(min_row=2)]
    assert any(r[3] == no and r[8] * 100 == shop.done.sale.total_fen for r in cells)
    assert main(["headoffice", "invoice-requests", "--db", db, "--from", "2026-11-1", "--out", str(out)]) == 2


def test_a_till_that_is_not_enrolled_prints_no_trace_qr(tmp_path: Path) -> None:
    till = make_till(tmp_path, "MX", "MX09", FixedClock(T0))
    try:
        done = sell(till, cashier_of(till), [("MX-E001", 1)])
        assert till.receipts.print(done.receipt).ok
        decoded = decode(till.receipts.printer.jobs[-1].data, till.config.columns)
        assert [kind for kind, _ in decoded.barcodes] == ["CODE128"]  # the receipt number's code stays
        assert TRACE_CAPTION not in decoded.text
    finally:
        till.close()


def test_after_the_till_enrols_again_its_receipts_are_signed_with_the_new_key(shop: Shop, tmp_path: Path) -> None:
    till = make_till(tmp_path, "MX", "MX03", FixedClock(T0))
    try:
        till.sync.enroll(shop.srv.url, service.add_terminal(shop.srv.engine, "MX", "MX03").code)
        cashier = cashier_of(till)
        first = sell(till, cashier, [("MX-E001", 1)])
        till.receipts.print(first.receipt)
        old = [d for k, d in decode(till.receipts.printer.jobs[-1].data, 48).barcodes if k == "QR"][0]
        till.sync.enroll(shop.srv.url, service.add_terminal(shop.srv.engine, "MX", "MX03", reissue=True).code)
        second = sell(till, cashier, [("MX-E001", 1)])
        till.receipts.print(second.receipt)
        new = [d for k, d in decode(till.receipts.printer.jobs[-1].data, 48).barcodes if k == "QR"][0]
        early = httpx.get(new)  # printed but not sent yet: signed, so not a 404, but nothing to show
        assert early.status_code == 200 and "尚未上传到总部" in early.text and "茂县" not in early.text
        token = "t" * 32
        refused = httpx.post(new + "/invoice", data={"csrf": token, "title": "个人"},
                             headers={"Cookie": f"lx_invoice_csrf={token}"})
        assert refused.status_code == 409 and "尚未上传到总部" in refused.text
        assert till.sync.run_cycle().ok
    finally:
        till.close()
    assert httpx.get(new).status_code == 200
    before = httpx.get(old)  # signed with the key the till had before: head office kept it for old receipts
    assert before.status_code == 200 and "松阳" in before.text
    assert httpx.get(old[:-1] + ("A" if old[-1] != "A" else "B")).status_code == 404  # but only genuine ones


def test_a_customer_opens_the_trace_page_in_a_browser_and_requests_an_invoice(shop: Shop, page) -> None:  # noqa: ANN001
    with shop.srv.engine.begin() as conn:
        conn.execute(delete(invoice_requests))
    page.goto(shop.url)
    assert page.locator("#receipt-no").inner_text() == shop.done.sale.receipt_no
    assert page.locator("dd.origin", has_text="松阳").count() == 1
    page.get_by_role("link", name=re.compile("申请开具发票")).click()
    assert page.locator("#invoice-amount").inner_text() == "￥" + format_yuan(shop.done.sale.total_fen)
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=tax_no]", "91350100M000100Y44")
    page.click("button[type=submit]")
    assert "校验位不符" in page.locator(".flash").inner_text()
    page.fill("input[name=tax_no]", GOOD_TAX)
    page.click("button[type=submit]")
    assert "开票申请已提交" in page.locator(".flash").inner_text()
    saved = rc.request_of(shop.srv.engine, "MX01", shop.done.sale.receipt_no)
    assert saved and saved["tax_no"] == GOOD_TAX and saved["amount_fen"] == shop.done.sale.total_fen


# -- PostgreSQL, refunds ----------------------------------------------------------------------------------


def test_on_postgresql_refunds_lower_the_invoice_amount_and_a_fully_refunded_receipt_has_none(
        postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pos.domain.permissions import Action

    monkeypatch.setenv("LIANXIN_SYNC_SECRETS", "file")
    with running_server(postgres_url) as srv:
        till = make_till(tmp_path, "MX", "MX02", FixedClock(T0))
        try:
            till.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", "MX02").code)
            cashier = cashier_of(till)
            part = sell(till, cashier, [("MX-F001", 1000), ("MX-E001", 2)])
            whole = sell(till, cashier, [("MX-E001", 1)])
            for done in (part, whole):
                assert till.receipts.print(done.receipt).ok
            urls = [d for job in till.receipts.printer.jobs[-2:] for k, d in decode(job.data, 48).barcodes if k == "QR"]
            approve = lambda: till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)  # noqa: E731
            back = till.returns.return_items(part.sale.receipt_no, {2: 1}, cashier, approval=approve())
            till.returns.return_items(whole.sale.receipt_no, {1: 1}, cashier, approval=approve())
            assert till.sync.run_cycle().ok
        finally:
            till.close()
        refund = back.ret.refund_fen
        assert 0 < refund < part.sale.total_fen
        page = httpx.get(urls[0])
        assert page.status_code == 200 and "已退款" in page.text and format_yuan(refund) in page.text
        assert _submit(urls[0], title="个人", tax_no="").status_code == 200
        assert rc.request_of(srv.engine, "MX02", part.sale.receipt_no)["amount_fen"] == part.sale.total_fen - refund
        gone = httpx.get(urls[1])
        assert gone.status_code == 200 and "申请开具发票" not in gone.text
        refused = _submit(urls[1], title="个人", tax_no="")
        assert refused.status_code == 409 and "已全部退货" in refused.text
        assert httpx.get(urls[1].replace("MX02-", "MX01-")).status_code == 404

        make_account(srv.engine, "kuaiji", "auditor")
        xlsx = office_client(srv.url, "kuaiji").form("/invoices/export", {"state": "all"})
        rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(min_row=2)]
        assert [r[3] for r in rows if r[3]] == [part.sale.receipt_no]
        assert rows[0][8] * 100 == part.sale.total_fen - refund


def test_batch_certificate_and_arrival_come_from_the_line_or_its_lots() -> None:
    line = {"name": "茂县冰糖心苹果", "sold_by": "weight", "quantity": 1255, "origin": "茂县",
            "lots": [{"batch": "SHKC-2026-48", "certificate": "HGZ-510923-0042", "arrival": "2026-11-20T08:00:00Z"},
                     {"batch": "SHKC-2026-47", "certificate": "HGZ-510923-0042", "arrival": "2026-11-13"}]}
    shown = rc.trace_line(line)
    assert shown == {"name": "茂县冰糖心苹果", "quantity": "1.255kg", "origin": "茂县",
                     "batch": "SHKC-2026-48、SHKC-2026-47", "certificate": "HGZ-510923-0042",
                     "quarantine": "", "arrival": "2026-11-20、2026-11-13"}
    # the lots a sale's draws name, as head office received them, come first (origin and quarantine too)
    drawn = [{"batch": "SHKC-2026-49", "certificate": "HG-SY-0003", "quarantine": "JY-3311-004213",
              "arrival": "2026-11-28", "origin": "松阳"}]
    beef = rc.trace_line({"name": "松阳黄牛肉", "quantity": 2, "origin": "松阳"}, drawn)
    assert (beef["batch"], beef["certificate"], beef["quarantine"], beef["arrival"], beef["origin"]) == (
        "SHKC-2026-49", "HG-SY-0003", "JY-3311-004213", "2026-11-28", "松阳")
    flat = rc.trace_line({"name": "礼盒", "quantity": 1, "batch_no": "SHKC-2026-48",
                          "components": [{"origin": "松阳"}, {"origin": "青田"}, {"origin": "松阳"}]})
    assert flat["batch"] == "SHKC-2026-48" and flat["origin"] == "松阳、青田" and flat["certificate"] == "待补充"
    assert rc.trace_line({"name": "x", "quantity": True, "lots": "junk"})["quantity"] == ""


@pytest.mark.parametrize("tax", ["91350100M000100Y43", "91110000600037341L", "９１３５０１００Ｍ０００１００Ｙ４３",
                                 "91350100-M000100-Y43"])
def test_good_tax_numbers_however_typed(tax: str) -> None:
    assert rc.check_tax_no(tax) in ("91350100M000100Y43", "91110000600037341L")


@pytest.mark.parametrize(("title", "tax", "words"), [
    ("", "", "请填写发票抬头"), ("某公司", "", "单位抬头需要填写纳税人识别号"),
    ("某公司", "91350100M000100Y4", "应为 18 位"), ("某公司", "91350100M000100YI3", "不允许的字符"),
    ("某公司", "91350100M000100Y42", "校验位不符"), ("x" * 101, "", "最多 100 个字符"),
    ("某\x00公司", "91350100M000100Y43", "控制字符")])
def test_bad_invoice_input_is_refused_in_words(title: str, tax: str, words: str) -> None:
    from headoffice.service import HeadOfficeError

    with pytest.raises(HeadOfficeError) as exc:
        rc.check_request(title, tax, "")
    assert exc.value.status == 400 and words in exc.value.message_zh and exc.value.message
