"""Secure by default: every route of head office is refused without a session or with the wrong role."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute

from headoffice.app import create_app
from headoffice.db import open_engine
from headoffice.web.access import access_rule_of, iter_routes
from tests.headoffice.ho_support import running_server
from tests.headoffice.ho_web import PASSWORD, cookies_of, csrf_in, make_account, office_client

# Routes FastAPI itself serves: the API schema (for tills and tools; says nothing about the data).
BUILT_IN = {"/openapi.json"}


@pytest.fixture
def server(tmp_path: Path):
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        make_account(srv.engine, "admin1", "admin")
        make_account(srv.engine, "ana", "analyst")
        make_account(srv.engine, "md", "master_data")
        make_account(srv.engine, "aud", "auditor")
        yield srv


def _routes(engine):
    app = create_app(engine)
    return [r for r in iter_routes(app.routes) if isinstance(r, APIRoute)]


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "X1", path)


def test_every_route_declares_an_access_rule(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'ho.db'}")
    missing = [f"{sorted(r.methods)} {r.path}" for r in _routes(engine)
               if r.path not in BUILT_IN and access_rule_of(r) is None]
    engine.dispose()
    assert not missing, f"routes without an access rule (use requires(), public() or signed_by_terminal): {missing}"


def test_no_page_or_report_without_a_login(server) -> None:
    refused = {}
    for r in _routes(server.engine):
        rule = access_rule_of(r)
        if r.path in BUILT_IN or rule is None or rule.startswith("public") or rule == "terminal signature":
            continue
        for method in sorted(r.methods - {"HEAD"}):
            resp = httpx.request(method, server.url + _concrete(r.path), headers={"Accept": "text/html"},
                                 follow_redirects=False)
            refused[(method, r.path)] = resp.status_code
            if not r.path.startswith("/api/"):  # a browser is sent to log in; nothing is done
                assert resp.status_code == 303 and resp.headers["location"].startswith("/login?next="), (r.path, resp.status_code)
            else:
                assert resp.status_code in (401, 403), (method, r.path, resp.status_code)
            api = httpx.request(method, server.url + _concrete(r.path), follow_redirects=False)
            assert api.status_code in (401, 403), (method, r.path, api.status_code)
    assert len(refused) >= 10  # the enumeration really walked the console


@pytest.mark.parametrize("login, perm", [("ana", "read"), ("md", "master"), ("aud", "ledger"), ("admin1", "admin")])
def test_each_role_is_refused_what_it_may_not_do(server, login: str, perm: str) -> None:
    from headoffice.accounts import ROLE_PERMS, Role

    role = {"ana": Role.ANALYST, "md": Role.MASTER_DATA, "aud": Role.AUDITOR, "admin1": Role.ADMIN}[login]
    held = {str(p) for p in ROLE_PERMS[role]}
    client = office_client(server.url, login)
    checked = 0
    for r in _routes(server.engine):
        rule = access_rule_of(r) or ""
        needed = set(rule.split("+")[0].split("|"))
        if r.path in BUILT_IN or rule.startswith("public") or rule == "terminal signature" or needed & held:
            continue
        for method in sorted(r.methods - {"HEAD"}):
            resp = client.request(method, _concrete(r.path), data={"csrf": client.csrf})
            assert resp.status_code == 403, (login, method, r.path, resp.status_code)
            checked += 1
    if login != "admin1":
        assert checked > 0  # the others are each refused something


def test_session_cookie_is_secure_httponly_and_strict(server) -> None:
    page = httpx.get(f"{server.url}/login")
    resp = httpx.post(f"{server.url}/login", data={"login": "ana", "password": PASSWORD, "csrf": csrf_in(page.text)},
                      headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies_of(page).items())})
    assert resp.status_code == 303
    cookie = next(h for h in resp.headers.get_list("set-cookie") if h.startswith("lx_session="))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(server) -> None:
    from headoffice.accounts import list_accounts

    client = office_client(server.url, "admin1")
    before = list_accounts(server.engine)
    forged = client.post("/accounts", data={"login": "mallory", "password": "x" * 12, "roles": "admin"})
    assert forged.status_code == 403 and "表单已过期" in forged.text
    assert list_accounts(server.engine) == before
    ok = client.form("/accounts", {"login": "newbie", "password": "y" * 12, "roles": "analyst", "name": "新人"})
    assert ok.status_code == 200 and any(a["login"] == "newbie" for a in list_accounts(server.engine))


def test_wrong_passwords_are_throttled_even_for_the_right_one(server) -> None:
    for _ in range(5):
        page = httpx.get(f"{server.url}/login")
        r = httpx.post(f"{server.url}/login", data={"login": "ana", "password": "wrong-wrong", "csrf": csrf_in(page.text)},
                       headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies_of(page).items())})
        assert r.status_code == 401 and "登录名或密码错误" in r.text
    page = httpx.get(f"{server.url}/login")
    r = httpx.post(f"{server.url}/login", data={"login": "ana", "password": PASSWORD, "csrf": csrf_in(page.text)},
                   headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies_of(page).items())})
    assert r.status_code == 429 and "分钟后再试" in r.text
    assert "lx_session" not in cookies_of(r)


def test_changes_are_journaled_with_who_and_when(server) -> None:
    from headoffice.accounts import audit_entries

    client = office_client(server.url, "admin1")
    client.form("/accounts", {"login": "kuaiji", "password": "z" * 12, "roles": "analyst"})
    client.form("/accounts/kuaiji", {"action": "disable"})
    rows = audit_entries(server.engine)
    mine = [(r["login"], r["action"], r["detail"].get("account")) for r in rows if r["login"] == "admin1"]
    assert ("admin1", "account.create", "kuaiji") in mine and ("admin1", "account.update", "kuaiji") in mine
    assert all(r["at"].startswith("20") for r in rows)
    page = office_client(server.url, "aud").get("/audit")
    assert page.status_code == 200 and "kuaiji" in page.text


def test_a_revoked_report_token_reads_nothing_and_no_token_can_write(server) -> None:
    from headoffice.accounts import create_token, revoke_token

    tid, token = create_token(server.engine, "BI", by="test")
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/api/v1/reports/sales", headers=auth).status_code == 200
    assert httpx.post(f"{server.url}/accounts", headers=auth, data={"login": "x"}).status_code in (401, 403)
    revoke_token(server.engine, tid, by="test")
    assert httpx.get(f"{server.url}/api/v1/reports/sales", headers=auth).status_code == 401


def test_create_admin_from_the_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = f"sqlite:///{tmp_path / 'ho.db'}"
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "main.py", "headoffice", "create-admin", "--db", db, "--login", "boss",
                        "--name", "李主任", "--password", "short"], cwd=root, capture_output=True, text=True)
    assert r.returncode != 0 and "10" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "main.py", "headoffice", "create-admin", "--db", db, "--login", "boss",
                        "--name", "李主任", "--password", "a-long-enough-pw"], cwd=root, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with running_server(db) as srv:
        client = office_client(srv.url, "boss", "a-long-enough-pw")
        assert client.get("/accounts").status_code == 200


def test_login_in_a_real_browser_and_out_again(server, page) -> None:
    page.goto(f"{server.url}/accounts")
    assert "/login" in page.url
    page.fill("input[name=login]", "admin1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts")
    assert page.locator("#accounts").is_visible() and "管理员" in page.content()
    page.click("text=退出 Log out")
    page.wait_for_url("**/login")
    page.goto(f"{server.url}/accounts")
    assert "/login" in page.url


def test_an_over_long_or_malformed_form_field_gets_a_page_in_words(server) -> None:
    client = office_client(server.url, "admin1")
    long = client.form("/accounts", {"login": "x" * 400, "password": "y" * 12, "roles": "analyst"})
    assert long.status_code == 400 and "不合要求" in long.text and "login" in long.text
    bad_id = client.form("/accounts-tokens/abc/revoke")
    assert bad_id.status_code == 400 and "token_id" in bad_id.text


def test_changing_ones_own_password_checks_the_current_one_and_ends_the_sessions(server) -> None:
    client = office_client(server.url, "ana")
    wrong = client.form("/account", {"current": "not-my-password", "password": "a-brand-new-pw-1"})
    assert wrong.status_code == 403 and "登录名或密码错误" in wrong.text
    assert client.get("/account").status_code == 200  # still logged in, nothing changed
    done = client.form("/account", {"current": PASSWORD, "password": "a-brand-new-pw-1"})
    assert done.status_code == 200 and "密码已更改" in done.text
    assert client.get("/account", headers={"Accept": "text/html"}).status_code == 303  # that session ended
    assert office_client(server.url, "ana", "a-brand-new-pw-1").get("/account").status_code == 200
