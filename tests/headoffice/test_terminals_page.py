"""/terminals on a real server: what each till reports, flags, enrolment with a QR code, revocation, ledgers."""

from __future__ import annotations

import base64
import html
import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from headoffice import service
from headoffice.accounts import audit_entries
from headoffice.schema import entries
from pos import __version__
from pos.cli.sync import enrol_target
from pos.domain.closing import CashCount
from pos.services.ports import FixedClock
from pos.services.sync import TransientSyncError
from pos.sync import signing
from pos.sync.transport import HttpTransport
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server, sell
from tests.headoffice.ho_web import make_account, office_client
from tests.headoffice.test_headoffice_api import chain, enrol

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # a past day: the till's clock is behind, its day has no Z


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("ho") / "ho.db"
    with running_server(f"sqlite:///{path}") as s:
        for login, roles in (("admin1", "admin"), ("ana", "analyst"), ("aud", "auditor"), ("md", "master_data")):
            make_account(s.engine, login, roles)
        yield s


def row_of(page: str, terminal: str) -> str:
    m = re.search(rf'<tr data-terminal="{terminal}">(.*?)</tr>', page, re.S)
    assert m, f"no row for {terminal}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1)))


def flash(page: str) -> str:
    m = re.search(r'class="flash[^"]*"[^>]*>(.*?)</p>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))) if m else ""


def post_batch(srv, terminal: str, secret: bytes, body: dict) -> httpx.Response:  # noqa: ANN001
    path = f"/api/v1/terminals/{terminal}/batches"
    raw = json.dumps(body).encode()
    return httpx.post(srv.url + path, content=raw, headers=signing.sign_request(secret, terminal, "POST", path, raw))


def test_an_admin_enrols_a_till_from_the_page_and_the_till_enrols_with_the_qr_text(srv, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    admin = office_client(srv.url, "admin1")
    page = admin.form("/terminals", {"store": "mx", "terminal": "mx02", "url": srv.url})
    assert page.status_code == 200
    code = re.search(r'id="enrol-code">([A-Z0-9-]+)<', page.text).group(1)
    text = html.unescape(re.search(r'id="enrol-text">([^<]+)<', page.text).group(1))
    assert text.startswith("lianxin-enroll:1?") and f"code={code}" in text and "terminal=MX02" in text
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page.text).group(1))
    assert svg.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"') and b"<path" in svg  # an image a browser draws
    journal = [r for r in audit_entries(srv.engine) if r["action"] == "terminal.enrol"]
    assert journal[0]["login"] == "admin1" and journal[0]["detail"]["terminal"] == "MX02"
    assert code not in json.dumps(journal, ensure_ascii=False)  # the code is never journaled

    till = make_till(tmp_path, "MX", "MX02", FixedClock(T0))
    try:
        url, qr_code, meant_for = enrol_target(text, None)
        assert (url, qr_code, meant_for) == (srv.url, code, ("MX", "MX02"))
        till.sync.enroll(url, qr_code)
        fast_retries(till)
        cashier = cashier_of(till)
        for _ in range(3):
            sell(till, cashier, [("MX-E001", 1)])
        head = till.sync.status().head_seq
        # the line drops after the first batch of one entry
        till.sync.batch_size = 1
        till.sync.max_attempts = 1
        real = HttpTransport.post_batch
        calls = []

        def flaky(self, batch):  # noqa: ANN001, ANN202
            calls.append(len(batch))
            if len(calls) > 1:
                raise TransientSyncError("line dropped", message_zh="网络中断")
            return real(self, batch)

        monkeypatch.setattr(HttpTransport, "post_batch", flaky)
        before = (datetime.now(UTC) - T0).days  # the till's clock stands at T0: it is behind by today's distance
        assert not till.sync.run_cycle().ok
        ana = office_client(srv.url, "ana")
        row = row_of(ana.get("/terminals").text, "MX02")
        behind = {f"时钟慢 {d} 天" for d in (before, (datetime.now(UTC) - T0).days)}
        assert f" {head - 1} " in row  # entries waiting: the till's newest seq minus the one entry head office holds
        assert __version__ in row and any(b in row for b in behind) and "在用 active" in row
        monkeypatch.setattr(HttpTransport, "post_batch", real)
        till.sync.batch_size = 500
        till.sync.max_attempts = 5
        assert till.sync.run_cycle().ok
        row = row_of(ana.get("/terminals").text, "MX02")
        assert re.search(rf" {till.sync.status().head_seq} 0 {re.escape(__version__)} ", row), row
        assert "2026-11-22" in row  # sales that day, and no Z closure yet
        assert "流水" not in row and "停用 Revoke" not in row  # an analyst has neither ledger nor admin actions
        till.shifts.close(cashier, CashCount())  # the day is closed (Z) and synced: no longer flagged
        till.closing.z_close(till.auth.login("accountant1", "3333"))
        assert till.sync.run_cycle().ok
        assert "2026-11-22" not in row_of(ana.get("/terminals").text, "MX02")
    finally:
        till.close()


def test_the_enroll_command_takes_the_qr_text_and_refuses_one_meant_for_another_till(srv, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from pos.cli import main

    admin = office_client(srv.url, "admin1")
    page = admin.form("/terminals", {"store": "MX", "terminal": "MX01", "url": srv.url})
    text = html.unescape(re.search(r'id="enrol-text">([^<]+)<', page.text).group(1))
    db = str(tmp_path / "till.db")
    assert main(["--db", db, "init", "--demo"]) == 0  # the demo till is MX01 of store MX
    capsys.readouterr()
    assert main(["--db", db, "enroll", text.replace("terminal=MX01", "terminal=MX09")]) == 2
    err = capsys.readouterr().err
    assert "MX09" in err and "本机是" in err and "Traceback" not in err
    assert main(["--db", db, "enroll", "lianxin-enroll:1?url=http%3A%2F%2Fx"]) == 2
    assert "登记二维码" in capsys.readouterr().err
    assert main(["--db", db, "enroll", text, "ABCD-EFGH-JKLM"]) == 2  # the QR text already holds the code
    assert main(["--db", db, "enroll", text]) == 0
    assert "enrolled terminal MX01 of store MX" in capsys.readouterr().out
    assert [t["status"] for t in service.list_terminals(srv.engine) if t["terminal_id"] == "MX01"] == ["active"]


def test_bad_till_reports_are_refused_and_gaps_and_a_fast_clock_are_flagged(srv) -> None:  # noqa: ANN001
    secret = enrol(srv, "MX09")
    good = chain("MX09", 4)
    for bad in ({"head_seq": "7"}, {"head_seq": 2**63}, {"head_seq": True}, {"version": "v" * 33},
                {"version": "1.0\ud800"}, {"version": "1\u0000"}, {"sent_at": "yesterday"}, {"sent_at": 1700000000},
                {"sent_at": "2026-12-03T08:00:00\u0000"}, {"sent_at": "2026-12-03"}, "3.1"):
        r = post_batch(srv, "MX09", secret, {"entries": good[:2], "till": bad})
        assert (r.status_code, r.json()["error"]) == (400, "bad_batch"), bad
        assert "收银机信息" in r.json()["message_zh"]
    assert service.stored_entries(srv.engine, "MX09") == []  # the batch is refused whole
    ahead = (datetime.now(UTC) + timedelta(minutes=10, seconds=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ok = post_batch(srv, "MX09", secret, {"entries": good[:2], "till": {"version": "9.9.9", "head_seq": 5, "sent_at": ahead}})
    assert ok.status_code == 200 and ok.json()["acknowledged_seq"] == 2
    gap = post_batch(srv, "MX09", secret, {"entries": good[3:]})
    assert gap.status_code == 409
    row = row_of(office_client(srv.url, "ana").get("/terminals").text, "MX09")
    assert " 2 3 9.9.9 " in row  # held up to 2, the till has 5: 3 waiting
    assert "缺号 ×1" in row and "时钟快 10 分钟" in row and "expected seq 3" in row


def test_revoking_asks_for_a_confirmation_and_is_journaled(srv) -> None:  # noqa: ANN001
    admin = office_client(srv.url, "admin1")
    admin.form("/terminals", {"store": "PM", "terminal": "PM07", "url": srv.url})
    confirm = admin.get("/terminals/PM07/revoke")
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.text
    wrong = admin.form("/terminals/PM07/revoke", {"confirm": "yes"})
    assert wrong.status_code == 400 and "以确认" in flash(wrong.text)
    forged = admin.post("/terminals/PM07/revoke", data={"confirm": "PM07"})  # no CSRF token
    assert forged.status_code == 403
    assert next(t for t in service.list_terminals(srv.engine) if t["terminal_id"] == "PM07")["status"] == "pending"
    done = admin.form("/terminals/PM07/revoke", {"confirm": "PM07"})
    assert done.status_code == 200 and "已停用" in flash(done.text)
    assert "已停用 revoked" in row_of(done.text, "PM07")
    assert next(t for t in service.list_terminals(srv.engine) if t["terminal_id"] == "PM07")["status"] == "revoked"
    again = admin.form("/terminals/PM07/reissue", {"url": srv.url})
    assert again.status_code == 200 and re.search(r'id="enrol-code">[A-Z0-9-]{14}<', again.text)
    actions = [(r["login"], r["action"]) for r in audit_entries(srv.engine) if r["detail"].get("terminal") == "PM07"]
    assert actions[:3] == [("admin1", "terminal.reissue"), ("admin1", "terminal.revoke"), ("admin1", "terminal.enrol")]
    bad = admin.form("/terminals", {"store": "PM", "terminal": "P", "url": srv.url})
    assert bad.status_code == 400 and "2–12" in flash(bad.text)
    bad_url = admin.form("/terminals", {"store": "PM", "terminal": "PM08", "url": "ftp://x"})
    assert bad_url.status_code == 400 and "总部地址" in flash(bad_url.text)
    too_long = admin.form("/terminals", {"store": "PM", "terminal": "PM08", "url": "http://" + "a" * 400})
    assert too_long.status_code == 400 and "总部地址" in flash(too_long.text)  # in words, not a bare 422
    assert "PM08" not in {t["terminal_id"] for t in service.list_terminals(srv.engine)}


def test_auditors_page_through_a_ledger_and_a_changed_entry_breaks_the_chain(srv) -> None:  # noqa: ANN001
    secret = enrol(srv, "MX05")
    assert post_batch(srv, "MX05", secret, {"entries": chain("MX05", 60)}).status_code == 200
    aud = office_client(srv.url, "aud")
    first = aud.get("/terminals/MX05/ledger")
    seqs = [int(s) for s in re.findall(r'<tr><td class="num">(\d+)</td><td>cash_in', first.text)]
    assert seqs == list(range(60, 10, -1)) and "?page=2" in first.text  # newest first, 50 a page
    second = aud.get("/terminals/MX05/ledger?page=2")
    assert [int(s) for s in re.findall(r'<tr><td class="num">(\d+)</td><td>cash_in', second.text)] == list(range(10, 0, -1))
    ok = aud.get("/terminals/MX05/ledger?verify=1")
    assert "哈希链完好：已核验 60 条" in ok.text
    with srv.engine.begin() as conn:
        conn.execute(update(entries).where(entries.c.terminal_id == "MX05", entries.c.seq == 17)
                     .values(payload='{"n":1700}'))
    broken = aud.get("/terminals/MX05/ledger?verify=1")
    assert "哈希链有误：第 17 条" in broken.text
    assert ">流水 Ledger<" in aud.get("/terminals").text
    for login in ("ana", "admin1", "md"):
        assert office_client(srv.url, login).get("/terminals/MX05/ledger").status_code == 403
    assert aud.get("/terminals/NOPE/ledger").status_code == 404
    time.sleep(0)


def test_the_counters_and_master_data_commands(srv, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from pos.cli import main

    db = srv.engine.url.render_as_string(hide_password=False)
    assert main(["headoffice", "enrol-qr", "--db", db, "--store", "MX", "--terminal", "MX66", "--url", srv.url,
                 "--out", str(tmp_path / "qr.svg")]) == 0
    out = capsys.readouterr().out
    assert "QR text: lianxin-enroll:1?" in out and "terminal=MX66" in out and (tmp_path / "qr.svg").read_bytes().startswith(b"<")
    assert main(["headoffice", "counters", "--db", db, "--json"]) == 0
    rows = {r["terminal_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["MX66"]["status"] == "pending" and rows["MX66"]["waiting"] is None
    prices = tmp_path / "p.csv"
    prices.write_text("商品编码,品名,单价\nMX-F001,茂县冰糖心苹果（特级）,18.80\n", encoding="utf-8")
    assert main(["headoffice", "master-preview", "--db", db, "--store", "QX", str(prices)]) == 0
    assert "1 new, 0 price moves" in capsys.readouterr().out  # nothing published for store QX yet
    assert main(["headoffice", "ledger-verify", "--db", db, "--terminal", "MX66"]) == 0
    assert "chain intact: 0 entries" in capsys.readouterr().out
