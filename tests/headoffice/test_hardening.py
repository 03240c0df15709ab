"""What a fuzzer found, fixed: every bad input is a 4xx naming the problem, nothing half-stored.

Unit tests of headoffice/validate.py, then a real server on loopback: correctly hashed entries
whose fields or payloads are wrong, NUL characters, receipts of another till, bodies refused
before they are read (raw sockets with huge Content-Lengths, time and memory measured), and
enrolment-code guessing under 300 concurrent requests on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from headoffice import service, validate
from headoffice.service import HeadOfficeError
from pos.domain.cart import Cart
from pos.domain.catalog import Product
from pos.domain.ledger import canonical_json, genesis_hash, hash_stored
from pos.domain.returns import Return, ReturnLine
from pos.domain.sale import build_sale
from pos.domain.tenders import Tender, TenderKind, settle
from pos.sync import signing
from tests.headoffice.ho_support import enrol_over_http, running_server

DAY = "2026-11-22"
AT = "2026-11-22T02:00:00.000000Z"
EGGS = Product("MX-E001", "松阳土鸡蛋 30枚装", 4500, barcode="6972316000170", category="肉禽蛋", origin="松阳",
               unit="盒", tax_rate_bp=900)
HONEY = Product("MX-H001", "茂县土蜂蜜 500g", 6800, category="蜂蜜", origin="茂县", unit="瓶", tax_rate_bp=900)
BOX = Product("MX-G001", "山海协作礼盒", 29800, category="礼盒", origin="", unit="盒", tax_rate_bp=1300)
BOX_PARTS = {"MX-G001": (("MX-H001", "茂县土蜂蜜 500g", 1, "蜂蜜", "茂县", 900, 6800),
                         ("QT-T001", "青田稻鱼米 2.5kg", 2, "粮油", "青田", 900, 4500))}


def sale_payload(terminal: str, n: int = 1) -> dict:
    cart = Cart().add(EGGS, 2).add(HONEY).add(BOX)
    settlement = settle(cart.total_fen, [Tender(TenderKind.CASH, cart.total_fen)])
    sale = build_sale(receipt_no=f"{terminal}-20261122-{n:04d}", terminal_id=terminal, business_day=DAY,
                      cashier_login="cashier1", cashier_name="张小芳", cart=cart, settlement=settlement,
                      components_of=BOX_PARTS, shift_no=1)
    return sale.to_payload()


def return_payload(terminal: str, n: int = 1, receipt: int | None = 1) -> dict:
    line = ReturnLine(1, 1 if receipt else None, "MX-G001", "山海协作礼盒", 1, False, 29800, "礼盒", "", 1300,
                      origin_split=(("茂县", 12000), ("青田", 17800)))
    ret = Return(f"{terminal}-20261122-R{n:04d}", f"{terminal}-20261122-{receipt:04d}" if receipt else None,
                 "manager1", "李店长", (line,), (Tender(TenderKind.CASH, 29800),), ())
    return ret.to_payload()


def cash_in(seq: int) -> dict:
    return {"amount": 10000 + seq, "by": "cashier1", "reason": "备用金", "shift": 1, "approver": None}


def entry(terminal: str, seq: int, prev: str, kind: str = "cash_in", payload: dict | str | None = None, *,
          day: str = DAY, at: str = AT) -> dict:
    """An entry hashed exactly as a till hashes it, whatever its fields hold."""
    text = payload if isinstance(payload, str) else canonical_json(payload if payload is not None else cash_in(seq))
    return {"seq": seq, "kind": kind, "business_day": day, "created_at": at, "payload": text, "prev_hash": prev,
            "hash": hash_stored(prev, terminal, seq, kind, day, at, text)}


# -- validate.py, no server -----------------------------------------------------------------------
def refused(fn, *args) -> HeadOfficeError:  # noqa: ANN001
    with pytest.raises(HeadOfficeError) as exc:
        fn(*args)
    assert 400 <= exc.value.status < 500 and exc.value.message and exc.value.message_zh
    return exc.value


@pytest.mark.parametrize("value", [0, -1, 2**63, 2**64 + 5, "1", 1.0, True, None])
def test_a_seq_outside_1_to_2_63_or_not_a_whole_number_is_refused(value) -> None:  # noqa: ANN001
    assert refused(validate.seq, value).code == "bad_seq"
    assert validate.seq(2**63 - 1) == 2**63 - 1 and validate.seq(1) == 1


def test_fields_of_an_entry_each_have_their_rule() -> None:
    assert refused(validate.kind, "k" * 33).code == "bad_kind"
    assert validate.kind("k" * 32) == "k" * 32
    for bad in ("Sale", "sale\x00", "", "销售", 7):
        assert refused(validate.kind, bad).code == "bad_kind"
    for bad in ("2026-11-1", "2026/11/01", "2026-02-30", "2026-11-01T00:00", "2026-11-01\x00", "x" * 11, 20261101):
        err = refused(validate.business_day, bad)
        assert err.code == "bad_business_day" and "YYYY-MM-DD" in err.message
    assert validate.business_day("2028-02-29") == "2028-02-29"
    for bad in ("2026-11-22T02:00:00.000000", "2026-11-22 02:00:00Z", "2026-11-22T02:00:00.000000Z" + "0" * 10,
                "2026-13-22T02:00:00Z", None):
        assert refused(validate.created_at, bad).code == "bad_created_at"
    assert validate.created_at(AT) == AT and validate.created_at("2026-11-22T10:00:00+08:00")
    for bad in ("A" * 64, "a" * 63, "a" * 65, "g" * 64, None):
        assert refused(validate.hex_hash, bad, "hash").code == "bad_hash"


@pytest.mark.parametrize(("kind", "payload", "field"), [
    ("sale", "[1,2]", "payload"),
    ("sale", "not json", "payload"),
    ("sale", '{"a":1.5}', "payload"),
    ("sale", '{"a":NaN}', "payload"),
    ("cash_in", '{"amount":100,"reason":"a\\u0000b"}', "payload.reason"),
    ("future_kind", '{"x":' + "[" * 100000 + "]" * 100000 + "}", "payload"),
    ("reconcile", '{"day":"2026-11-22","declared":{"wechat":"12.80"}}', "payload.declared.wechat"),
    ("day_approved", '{"day":"2026-11-22","lines":[{"tender":"cash","variance":"-5"}]}', "payload.lines[0].variance"),
    ("z_closure", '{"day":"2026-11-22","totals":{"net":1.5}}', "payload"),
    ("z_closure", '{"day":"2026-11-22","totals":{"net":"100"}}', "payload.totals.net"),
    ("sale", "PLACEHOLDER:tenders.0.kind=7", "payload.tenders[0].kind"),
    ("future_kind", '{"x":' + "9" * 30 + "}", "payload.x"),
    ("future_kind", '"just text"', "payload"),
    ("sale", "PLACEHOLDER:total=12.80", "payload.total"),
    ("sale", "PLACEHOLDER:lines={}", "payload.lines"),
    ("sale", "PLACEHOLDER:-receipt_no", "payload.receipt_no"),
    ("sale", "PLACEHOLDER:lines.0.amount=\"100\"", "payload.lines[0].amount"),
    ("sale", "PLACEHOLDER:lines.2.components.0.revenue=null", "payload.lines[2].components[0].revenue"),
    ("sale", "PLACEHOLDER:total=100000000000000", "payload.total"),
    ("sale", "PLACEHOLDER:receipt_no=20261122-0001", "receipt_no"),
    ("return", "PLACEHOLDER:lines.0.refund=true", "payload.lines[0].refund"),
    ("return", "PLACEHOLDER:lines.0.origin_split=[[1,2]]", "payload.lines[0].origin_split[0]"),
    ("cash_in", '{"amount":"100"}', "payload.amount"),
    ("z_closure", '{"day":"2026-11-31","totals":{}}', "payload.day"),
])
def test_a_payload_that_is_not_what_its_kind_needs_is_refused_naming_the_field(kind: str, payload: str,
                                                                               field: str) -> None:
    if payload.startswith("PLACEHOLDER:"):
        p = sale_payload("MX01") if kind == "sale" else return_payload("MX01")
        change = payload.split(":", 1)[1]
        if change.startswith("-"):
            del p[change[1:]]
        else:
            path, value = change.split("=", 1)
            *parents, last = path.split(".")
            target = p
            for part in parents:
                target = target[int(part)] if isinstance(target, list) else target[part]
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = value
            if isinstance(target, list):
                target[int(last)] = parsed
            else:
                target[last] = parsed if value != "12.80" else "12.80"
        payload = canonical_json(p)
    err = refused(validate.payload_for, kind, payload, "MX01")
    assert err.code == "bad_payload" or err.code == "nul_character"
    assert err.extra.get("field") == field, (err.extra, err.message)
    assert field.split(".")[-1].split("[")[0] in err.message


def test_what_a_till_really_writes_passes() -> None:
    for kind, p in (("sale", sale_payload("MX01")), ("return", return_payload("MX01")),
                    ("return", return_payload("MX01", 2, receipt=None)), ("cash_in", cash_in(1)),
                    ("login", {"login": "cashier1", "ok": True, "via": "till", "locked": False}),
                    ("terminal_init", {"store": "MX", "terminal": "MX01"}),
                    ("hold", {"hold_no": 3, "cashier": "cashier1", "cart": {"lines": []}}),
                    ("price_check", {"anything": [1, "二", None, {"x": True}]})):  # unknown kinds: any object
        assert validate.payload_for(kind, canonical_json(p), "MX01") == p


def test_every_entry_an_older_till_wrote_still_passes() -> None:
    """The v0007 ledger fixture (a till of an earlier release): head office must never strand such a till."""
    import sqlite3

    db = Path(__file__).resolve().parents[1] / "fixtures" / "ledger_v0007.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute("SELECT terminal_id, seq, kind, business_day, created_at, payload, prev_hash, hash "
                           "FROM journal ORDER BY seq").fetchall()
    kinds = {r[2] for r in rows}
    assert {"sale", "return", "z_closure", "reconcile", "day_approved", "hold"} <= kinds
    for t, seq, kind, day, at, payload, prev, h in rows:
        e = validate.entry({"seq": seq, "kind": kind, "business_day": day, "created_at": at, "payload": payload,
                            "prev_hash": prev, "hash": h}, t)
        assert (e.seq, e.kind, e.payload_text) == (seq, kind, payload)


def test_a_till_can_only_send_receipts_with_its_own_terminal_id() -> None:
    for kind, p in (("sale", sale_payload("MX02")), ("return", return_payload("MX02")),
                    ("reprint", {"receipt_no": "MX02-20261122-0001", "by": "cashier1"})):
        err = refused(validate.payload_for, kind, canonical_json(p), "MX01")
        assert (err.status, err.code) == (403, "foreign_receipt") and "MX02" in err.message and "MX01" in err.message
    mixed = return_payload("MX01")
    mixed["receipt_no"] = "MX02-20261122-0001"  # returning another till's receipt here
    assert refused(validate.payload_for, "return", canonical_json(mixed), "MX01").code == "foreign_receipt"


def test_an_enrolment_body_must_hold_three_short_texts() -> None:
    for bad in (None, [], "MX01", {"terminal_id": 5, "code": "A"}, {"terminal_id": "MX01"},
                {"terminal_id": "MX01", "code": "A" * 65}, {"terminal_id": "MX01", "code": "AB\x00C"},
                {"terminal_id": "MX01", "store": ["MX"], "code": "ABCD"}):
        assert refused(validate.enrolment, bad).code in ("bad_request", "nul_character")
    assert validate.enrolment({"terminal_id": "MX01", "code": "ABCD"}) == ("MX01", "", "ABCD")


# -- a real server --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("hard") / "ho.db"
    with running_server(f"sqlite:///{path}") as s:
        yield s


enrol = enrol_over_http


def post(srv, terminal: str, secret: bytes, entries: list[dict]) -> httpx.Response:  # noqa: ANN001
    path = f"/api/v1/terminals/{terminal}/batches"
    raw = json.dumps({"entries": entries}, ensure_ascii=False).encode()
    return httpx.post(srv.url + path, content=raw, headers=signing.sign_request(secret, terminal, "POST", path, raw))


def signed_get(srv, terminal: str, secret: bytes, path_query: str) -> httpx.Response:  # noqa: ANN001
    return httpx.get(srv.url + path_query, headers=signing.sign_request(secret, terminal, "GET", path_query, b""))


def test_correctly_hashed_bad_entries_are_refused_whole_with_the_problem_named(srv) -> None:  # noqa: ANN001
    secret = enrol(srv, "MX61")
    g = genesis_hash("MX61")
    first = entry("MX61", 1, g)
    assert post(srv, "MX61", secret, [first]).json()["acknowledged_seq"] == 1
    bad_sale = sale_payload("MX61", 1)
    bad_sale["lines"][0]["amount"] = "45.00"
    nul_sale = sale_payload("MX61", 2)
    nul_sale["lines"][0]["origin"] = "松阳\x00"
    cases = {  # what the third entry of a batch holds -> (status, error, words in the message)
        "seq 2^63": (dict(seq=2**63), (400, "bad_seq", "2^63")),
        "kind of 33": (dict(kind="k" * 33), (400, "bad_kind", "kind")),
        "kind with NUL": (dict(kind="cash\x00in"), (400, "bad_kind", "kind")),
        "day 2026-11-1": (dict(day="2026-11-1"), (400, "bad_business_day", "YYYY-MM-DD")),
        "day 2026-02-30": (dict(day="2026-02-30"), (400, "bad_business_day", "2026-02-30")),
        "long created_at": (dict(at=AT + "x" * 40), (400, "bad_created_at", "created_at")),
        "sale amount as text": (dict(kind="sale", payload=bad_sale), (400, "bad_payload", "payload.lines[0].amount")),
        "NUL in a county": (dict(kind="sale", payload=nul_sale), (400, "nul_character", "payload.lines[0].origin")),
        "payload a list": (dict(kind="stock_count", payload="[1]"), (400, "bad_payload", "JSON object")),
        "another till's sale": (dict(kind="sale", payload=sale_payload("MX62", 3)), (403, "foreign_receipt", "MX62")),
    }
    for name, (fields, (status, code, words)) in cases.items():
        kw = dict(fields)
        seq_ = kw.pop("seq", 4)
        second = entry("MX61", 2, first["hash"], "sale", sale_payload("MX61", 1))
        third = entry("MX61", 3, second["hash"])
        bad = entry("MX61", seq_, third["hash"], kw.pop("kind", "cash_in"), kw.pop("payload", None), **kw)
        r = post(srv, "MX61", secret, [second, third, bad])
        body = r.json()
        assert (r.status_code, body["error"]) == (status, code), (name, body)
        assert words in body["message"] and "第 3 条" in body["message_zh"] and body["index"] == 2, (name, body)
    # nothing of any refused batch was stored; each refusal is listed for the office, the terminal flagged
    assert [e.seq for e in service.stored_entries(srv.engine, "MX61")] == [1]
    state = service.terminal_state(srv.engine, "MX61")
    assert state["acknowledged_seq"] == 1 and state["flagged"]
    listed = [(p["kind"], p["got_seq"]) for p in service.list_problems(srv.engine, "MX61")]
    assert listed[:3] == [("bad_seq", None), ("bad_kind", 4), ("bad_kind", 4)] and len(listed) == len(cases)
    assert "payload.lines[0].amount" in service.list_problems(srv.engine, "MX61")[6]["reason"]
    second = entry("MX61", 2, first["hash"], "sale", sale_payload("MX61", 1))
    ok = post(srv, "MX61", secret, [second, entry("MX61", 3, second["hash"], "return", return_payload("MX61"))])
    assert ok.status_code == 200 and ok.json()["acknowledged_seq"] == 3


def test_a_nul_character_in_an_address_or_filter_is_a_400(srv) -> None:  # noqa: ANN001
    secret = enrol(srv, "MX63")
    for path in ("/healthz?x=%00", "/api/v1/reports/sales?from=2026-11-01%00", "/dashboard?county=%00",
                 "/api/v1/terminals/MX63%00/status", "/api/v1/terminals/MX63/master?since=1%00"):
        r = httpx.get(srv.url + path)
        assert r.status_code == 400 and r.json()["error"] == "nul_character" and "NUL" in r.json()["message"], path
    for since, code in (("abc", "bad_since"), ("9" * 40, "bad_since"), ("-1", "bad_since")):
        r = signed_get(srv, "MX63", secret, f"/api/v1/terminals/MX63/master?since={since}")
        assert (r.status_code, r.json()["error"]) == (400, code)
    assert signed_get(srv, "MX63", secret, "/api/v1/terminals/MX63/master?since=0").status_code == 200


def test_bad_enrolment_bodies_are_400s_in_words(srv) -> None:  # noqa: ANN001
    url = f"{srv.url}/api/v1/enroll"
    for content in (b"[]", b"\"MX01\"", b"not json", b'{"terminal_id": 5, "code": "A"}', b"[" * 3000,
                    json.dumps({"terminal_id": "MX01", "code": "A" * 100}).encode()):
        r = httpx.post(url, content=content, headers={"content-type": "application/json"})
        assert r.status_code == 400 and r.json()["error"] == "bad_request" and r.json()["message_zh"], content[:30]


def _rss_mb() -> float:
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    return 0.0


def raw_request(port: int, head: str, body: bytes = b"", timeout: float = 10) -> tuple[int, dict, float]:
    """Send a request's head (and maybe part of its body) on a plain socket; the status, JSON and seconds."""
    t = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    elapsed = time.perf_counter() - t
    head_part, _, rest = data.partition(b"\r\n\r\n")
    return int(head_part.split()[1]), json.loads(rest[:_length(data)] or b"{}"), elapsed


def _length(data: bytes) -> int:
    for row in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if row.lower().startswith(b"content-length:"):
            return int(row.split(b":", 1)[1])
    return 1 << 30


def test_huge_bodies_are_refused_before_they_are_read(srv) -> None:  # noqa: ANN001
    secret = enrol(srv, "MX64")
    path = "/api/v1/terminals/MX64/batches"
    before = _rss_mb()
    cases = []
    # 300 MB announced, not signed: 401 at once (the old server read it all: 14 s, 600 MB)
    cases.append(("unsigned 300 MB batch", raw_request(srv.port, f"POST {path} HTTP/1.1\nHost: x\n"
                  f"Content-Type: application/json\nContent-Length: {300 * 2**20}\n"), 401, "unsigned"))
    # signed headers but 300 MB: 413 at once
    h = signing.sign_request(secret, "MX64", "POST", path, b"{}")
    lines = "".join(f"{k}: {v}\n" for k, v in h.items())
    cases.append(("signed 300 MB batch", raw_request(srv.port, f"POST {path} HTTP/1.1\nHost: x\n{lines}"
                  f"Content-Length: {300 * 2**20}\n"), 413, "body_too_large"))
    # a forged signature on a body under the cap: refused from the headers, the 20 MB never read
    forged = {**h, "X-LX-Signature": "0" * 64, "X-LX-Nonce": "forged-1"}
    lines = "".join(f"{k}: {v}\n" for k, v in forged.items())
    cases.append(("forged 20 MB batch", raw_request(srv.port, f"POST {path} HTTP/1.1\nHost: x\n{lines}"
                  f"Content-Length: {20 * 2**20}\n"), 401, "bad_signature"))
    # enrolment: 1 GB announced (the old server took 1 GB of memory), and 8 KB streamed without a length
    cases.append(("1 GB enrolment", raw_request(srv.port, "POST /api/v1/enroll HTTP/1.1\nHost: x\n"
                  f"Content-Length: {2**30}\n"), 413, "body_too_large"))
    chunk = b"x" * 8192
    cases.append(("8 KB chunked enrolment", raw_request(srv.port, "POST /api/v1/enroll HTTP/1.1\nHost: x\n"
                  "Transfer-Encoding: chunked\n", f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"),
                  413, "body_too_large"))
    # a console form of 5 MB, the master-data upload over 20 MB
    cases.append(("5 MB login form", raw_request(srv.port, "POST /login HTTP/1.1\nHost: x\n"
                  f"Content-Type: application/x-www-form-urlencoded\nContent-Length: {5 * 2**20}\n"), 413, "body_too_large"))
    cases.append(("21 MB upload", raw_request(srv.port, "POST /master/upload HTTP/1.1\nHost: x\n"
                  f"Content-Type: multipart/form-data; boundary=x\nContent-Length: {21 * 2**20}\n"), 413, "body_too_large"))
    grown = _rss_mb() - before
    for name, (status, body, seconds), want_status, want_error in cases:
        assert (status, body.get("error")) == (want_status, want_error), (name, status, body)
        assert seconds < 1.0, (name, seconds)
        assert body["message"] and body["message_zh"]
    assert grown < 30, f"the server grew by {grown:.0f} MB refusing bodies it should not read"
    print(f"\nrefused at once: {', '.join(f'{n} {s * 1000:.0f} ms' for n, (_, _, s), *_ in cases)}; "
          f"memory +{grown:.1f} MB")
    # a body under the cap reaches its route
    ok = raw_request(srv.port, "POST /api/v1/enroll HTTP/1.1\nHost: x\nContent-Type: application/json\n"
                     "Content-Length: 2\n", b"{}")
    assert ok[0] == 400 and ok[1]["error"] == "bad_request"


def _guess_concurrently(port: int, terminal: str, n: int) -> list[tuple[int, str]]:
    """``n`` wrong codes sent at the same moment, each on its own connection (plain sockets, one thread each)."""
    start = threading.Barrier(n)

    def one(i: int) -> tuple[int, str]:
        body = json.dumps({"terminal_id": terminal, "store": "MX", "code": f"WRNG-{i:04d}-CODE"}).encode()
        start.wait()
        status, answer, _s = raw_request(port, "POST /api/v1/enroll HTTP/1.1\nHost: x\nContent-Type: application/json\n"
                                         f"Content-Length: {len(body)}\nConnection: close\n", body, timeout=120)
        return status, answer["error"]

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def _guessing_is_limited(url: str, engine) -> None:  # noqa: ANN001
    code = service.add_terminal(engine, "MX", "MX70").code
    t = time.perf_counter()
    answers = _guess_concurrently(int(url.rsplit(":", 1)[1]), "MX70", 300)
    elapsed = time.perf_counter() - t
    counted = {a: answers.count(a) for a in set(answers)}
    assert counted == {(403, "bad_code"): service.MAX_CODE_ATTEMPTS, (403, "code_exhausted"): 300 - service.MAX_CODE_ATTEMPTS}
    right = httpx.post(f"{url}/api/v1/enroll", json={"terminal_id": "MX70", "store": "MX", "code": code})
    assert (right.status_code, right.json()["error"]) == (403, "code_exhausted")  # the right code comes too late
    fresh = service.add_terminal(engine, "MX", "MX70", reissue=True).code
    assert httpx.post(f"{url}/api/v1/enroll", json={"terminal_id": "MX70", "store": "MX", "code": fresh}).status_code == 200
    print(f"\n300 concurrent wrong codes on {engine.dialect.name}: {counted} in {elapsed:.2f} s")


def test_300_concurrent_wrong_codes_let_at_most_the_limit_through_on_sqlite(srv) -> None:  # noqa: ANN001
    _guessing_is_limited(srv.url, srv.engine)


def test_300_concurrent_wrong_codes_let_at_most_the_limit_through_on_postgresql(postgres_url: str) -> None:
    with running_server(postgres_url) as pg:
        _guessing_is_limited(pg.url, pg.engine)


class _Deadlock(Exception):
    sqlstate = "40P01"  # what psycopg says when PostgreSQL broke a deadlock between two batches


def test_a_batch_that_loses_a_deadlock_is_stored_on_a_later_try_or_refused_as_busy(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    from sqlalchemy.exc import OperationalError

    from headoffice.db import open_engine

    engine = open_engine(f"sqlite:///{tmp_path / 'ho.db'}")
    service.add_terminal(engine, "MX", "MX80")
    caller = service.Caller("MX80", "MX", b"k" * 32, "n")
    real, calls = service._store, []  # noqa: SLF001

    def flaky(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError("INSERT …", {}, _Deadlock("deadlock detected"))
        return real(*args, **kw)

    monkeypatch.setattr(service, "_store", flaky)
    monkeypatch.setattr(service.time, "sleep", lambda _s: None)
    failures = service.BUSY_RETRIES - 1
    first = entry("MX80", 1, genesis_hash("MX80"))
    assert service.store_batch(engine, caller, {"entries": [first]})["acknowledged_seq"] == 1
    assert len(calls) == service.BUSY_RETRIES
    calls.clear()
    failures = 99
    with pytest.raises(HeadOfficeError) as exc:
        service.store_batch(engine, caller, {"entries": [entry("MX80", 2, first["hash"])]})
    assert (exc.value.status, exc.value.code) == (503, "busy") and "总部繁忙" in exc.value.message_zh
    assert [e.seq for e in service.stored_entries(engine, "MX80")] == [1]
    failures = 0  # any other database error is not retried
    monkeypatch.setattr(service, "_store", lambda *a, **k: (_ for _ in ()).throw(
        OperationalError("SELECT …", {}, Exception("disk I/O error"))))
    with pytest.raises(OperationalError):
        service.store_batch(engine, caller, {"entries": [entry("MX80", 2, first["hash"])]})
    engine.dispose()
