"""The head-office API on a real server: enrolment, signed-request refusals, batch continuity."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from headoffice import service
from pos.domain.ledger import canonical_json, compute_hash, entry_body, genesis_hash
from pos.services.ports import FixedClock
from pos.sync import signing
from tests.headoffice.ho_support import cashier_of, enrol_over_http, fast_retries, make_till, running_server, sell

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("ho") / "ho.db"
    with running_server(f"sqlite:///{path}") as s:
        yield s


enrol = enrol_over_http


def entry(terminal: str, seq: int, prev: str, payload: dict | None = None) -> dict:
    payload = payload or {"amount": 100 * seq, "by": "cashier1", "reason": f"备用金 {seq}", "shift": 1}
    body = entry_body(terminal, seq, "cash_in", "2026-11-22", "2026-11-22T02:00:00.000000Z", payload, prev)
    return {"seq": seq, "kind": "cash_in", "business_day": "2026-11-22", "created_at": "2026-11-22T02:00:00.000000Z",
            "payload": canonical_json(payload), "prev_hash": prev, "hash": compute_hash(prev, body)}


def chain(terminal: str, n: int, start: int = 1, prev: str | None = None) -> list[dict]:
    out, prev = [], prev or genesis_hash(terminal)
    for seq in range(start, start + n):
        out.append(entry(terminal, seq, prev))
        prev = out[-1]["hash"]
    return out


def post(srv, terminal: str, secret: bytes | None, entries: list[dict], *, headers: dict | None = None,  # noqa: ANN001
         body: bytes | None = None, timestamp: int | None = None, nonce: str | None = None,
         sign_as: str | None = None) -> httpx.Response:
    path = f"/api/v1/terminals/{terminal}/batches"
    raw = json.dumps({"entries": entries}).encode()
    h = signing.sign_request(secret, sign_as or terminal, "POST", path, raw, timestamp=timestamp, nonce=nonce) if secret else {}
    h.update(headers or {})
    return httpx.post(srv.url + path, content=raw if body is None else body, headers=h)


def test_enrolment_code_is_used_once_and_wrong_codes_are_refused(srv) -> None:  # noqa: ANN001
    code = service.add_terminal(srv.engine, "MX", "MX07").code
    url = f"{srv.url}/api/v1/enroll"
    wrong = httpx.post(url, json={"terminal_id": "MX07", "store": "MX", "code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 403 and wrong.json()["error"] == "bad_code" and wrong.json()["message_zh"]
    other_store = httpx.post(url, json={"terminal_id": "MX07", "store": "PM", "code": code})
    assert other_store.json()["error"] == "store_mismatch"
    ok = httpx.post(url, json={"terminal_id": "MX07", "store": "MX", "code": code.lower().replace("-", "")})
    assert ok.status_code == 200 and len(bytes.fromhex(ok.json()["secret"])) == 32
    again = httpx.post(url, json={"terminal_id": "MX07", "store": "MX", "code": code})
    assert again.json()["error"] == "no_code"
    assert httpx.post(url, json={"terminal_id": "ZZ99", "store": "MX", "code": code}).json()["error"] == "unknown_terminal"
    with pytest.raises(service.HeadOfficeError) as exc:
        service.add_terminal(srv.engine, "MX", "MX07")
    assert exc.value.code == "already_enrolled"


def test_every_bad_request_is_refused_with_its_own_error(srv) -> None:  # noqa: ANN001
    secret = enrol(srv, "MX11")
    good = chain("MX11", 2)
    first = post(srv, "MX11", secret, good[:1], nonce="n-replay-1")
    assert first.status_code == 200 and first.json()["acknowledged_seq"] == 1
    codes = {}
    # the very same signed request again (same nonce)
    raw = json.dumps({"entries": good[:1]}).encode()
    path = "/api/v1/terminals/MX11/batches"
    h = signing.sign_request(secret, "MX11", "POST", path, raw, nonce="n-replay-2")
    assert httpx.post(srv.url + path, content=raw, headers=h).status_code == 200
    replay = httpx.post(srv.url + path, content=raw, headers=h)
    codes["replayed"] = (replay.status_code, replay.json()["error"])
    stale = post(srv, "MX11", secret, good[1:], timestamp=int(time.time()) - 3600)
    codes["stale"] = (stale.status_code, stale.json()["error"])
    assert abs(stale.json()["server_time"] - time.time()) < 60
    changed_on_the_way = json.dumps({"entries": good[1:]}).encode().replace(b'"cash_in"', b'"cash_out"')
    tampered = post(srv, "MX11", secret, good[1:], body=changed_on_the_way)
    codes["tampered"] = (tampered.status_code, tampered.json()["error"])
    wrong_key = post(srv, "MX11", b"\x01" * 32, good[1:])
    codes["bad_signature"] = (wrong_key.status_code, wrong_key.json()["error"])
    unsigned = post(srv, "MX11", None, good[1:])
    codes["unsigned"] = (unsigned.status_code, unsigned.json()["error"])
    unknown = post(srv, "ZZ01", secret, chain("ZZ01", 1))
    codes["unknown"] = (unknown.status_code, unknown.json()["error"])
    secret12 = enrol(srv, "MX13")  # a revoked till still has its old key
    service.revoke_terminal(srv.engine, "MX13")
    revoked = post(srv, "MX13", secret12, chain("MX13", 1))
    codes["revoked"] = (revoked.status_code, revoked.json()["error"])
    assert codes == {
        "replayed": (401, "replayed_nonce"), "stale": (401, "stale_timestamp"), "tampered": (400, "body_mismatch"),
        "bad_signature": (401, "bad_signature"), "unsigned": (401, "unsigned"), "unknown": (401, "unknown_terminal"),
        "revoked": (403, "revoked_terminal"),
    }
    # none of the refused requests stored anything
    assert [e.seq for e in service.stored_entries(srv.engine, "MX11")] == [1]
    # and a correct request still goes through
    assert post(srv, "MX11", secret, good[1:]).json()["acknowledged_seq"] == 2


def test_a_resend_gets_the_same_answer_and_stores_nothing_twice(srv) -> None:  # noqa: ANN001
    secret = enrol(srv, "MX21")
    batch = chain("MX21", 5)
    a = post(srv, "MX21", secret, batch).json()
    b = post(srv, "MX21", secret, batch).json()
    assert a == {"acknowledged_seq": 5, "accepted": 5, "duplicates": 0, "batch_format": 2}
    assert b == {"acknowledged_seq": 5, "accepted": 0, "duplicates": 5, "batch_format": 2}
    overlapping = post(srv, "MX21", secret, batch[3:] + chain("MX21", 2, start=6, prev=batch[-1]["hash"])).json()
    assert overlapping == {"acknowledged_seq": 7, "accepted": 2, "duplicates": 2, "batch_format": 2}
    assert [e.seq for e in service.stored_entries(srv.engine, "MX21")] == list(range(1, 8))


def test_a_gap_or_a_broken_chain_is_refused_with_the_expected_seq_and_flagged(srv) -> None:  # noqa: ANN001
    secret = enrol(srv, "MX31")
    batch = chain("MX31", 6)
    assert post(srv, "MX31", secret, batch[:2]).json()["acknowledged_seq"] == 2
    gap = post(srv, "MX31", secret, batch[4:])
    assert gap.status_code == 409
    assert (gap.json()["error"], gap.json()["expected_seq"], gap.json()["bad_seq"]) == ("gap", 3, 5)
    assert "3" in gap.json()["message_zh"]
    # an entry whose payload was changed after hashing
    bad = [dict(e) for e in batch[2:4]]
    bad[1]["payload"] = canonical_json({"amount": 99900, "by": "cashier1", "reason": "改过", "shift": 1})
    broken = post(srv, "MX31", secret, bad)
    assert (broken.status_code, broken.json()["error"], broken.json()["expected_seq"], broken.json()["bad_seq"]) == \
        (409, "chain_broken", 3, 4)
    # a first batch that does not start from the genesis hash
    secret2 = enrol(srv, "MX32")
    foreign = chain("MX32", 2, prev="0" * 64)
    r = post(srv, "MX32", secret2, foreign)
    assert (r.json()["error"], r.json()["expected_seq"]) == ("chain_broken", 1)
    # nothing of the refused batches was stored; both terminals are flagged, with the problems listed
    assert [e.seq for e in service.stored_entries(srv.engine, "MX31")] == [1, 2]
    flagged = {t["terminal_id"]: t["flagged"] for t in service.list_terminals(srv.engine)}
    assert flagged["MX31"] and flagged["MX32"]
    kinds = [(p["kind"], p["expected_seq"], p["got_seq"]) for p in service.list_problems(srv.engine, "MX31")]
    assert kinds == [("gap", 3, 5), ("chain_broken", 3, 4)]
    # the right batch is still taken afterwards
    assert post(srv, "MX31", secret, batch[2:]).json()["acknowledged_seq"] == 6


def test_the_till_rewinds_when_head_office_lost_entries(srv, tmp_path: Path) -> None:  # noqa: ANN001
    """Head office restored from an older backup: it refuses with a gap and the till resends from there."""
    till = make_till(tmp_path, "MX", "MX41", FixedClock(T0))
    try:
        till.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", "MX41").code)
        fast_retries(till)
        cashier = cashier_of(till)
        for _ in range(3):
            sell(till, cashier, [("MX-E001", 1)])
        first = till.sync.run_cycle()
        assert first.ok and first.waiting == 0
        with till.uow() as uow:  # pretend the till had been told more than head office holds now
            uow.meta.set("sync:acked_seq", str(first.acknowledged_seq - 2))
            uow.commit()
        with srv.engine.begin() as conn:
            from sqlalchemy import delete, update

            from headoffice.schema import documents, entries, origin_facts, terminals
            for table in (entries, documents, origin_facts):
                conn.execute(delete(table).where(table.c.terminal_id == "MX41", table.c.seq > 2))
            row = conn.execute(entries.select().where(entries.c.terminal_id == "MX41", entries.c.seq == 2)).one()
            conn.execute(update(terminals).where(terminals.c.terminal_id == "MX41").values(last_seq=2, last_hash=row.hash))
        sell(till, cashier, [("MX-E001", 1)])
        rep = till.sync.run_cycle()
        assert rep.ok and rep.waiting == 0 and rep.acknowledged_seq == till.sync.status().head_seq
        assert len(service.stored_entries(srv.engine, "MX41")) == rep.acknowledged_seq
    finally:
        till.close()


def test_a_revoked_till_reports_the_refusal_in_both_languages(srv, tmp_path: Path) -> None:  # noqa: ANN001
    till = make_till(tmp_path, "MX", "MX51", FixedClock(T0))
    try:
        till.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", "MX51").code)
        fast_retries(till)
        service.revoke_terminal(srv.engine, "MX51")
        rep = till.sync.run_cycle()
        assert not rep.ok and "revoked" in rep.last_error and "停用" in rep.last_error_zh
        st = till.sync.status()
        assert st.state == "error" and "停用" in st.label_zh and st.waiting > 0
    finally:
        till.close()


def format2(entries: list[dict], *, tail: str = "") -> bytes:
    """A batch body in format 2 as the till writes it: each payload its stored JSON text, unquoted, as it is."""
    items = [json.dumps({k: ("\x00P" if k == "payload" else v) for k, v in e.items()}, ensure_ascii=False,
                        separators=(",", ":")).replace('"\\u0000P"', e["payload"]) for e in entries]
    return ('{"v":2,"entries":[' + ",".join(items) + "]" + tail + "}").encode()


def post_body(srv, terminal: str, secret: bytes, raw: bytes, nonce: str | None = None) -> httpx.Response:  # noqa: ANN001
    path = f"/api/v1/terminals/{terminal}/batches"
    h = signing.sign_request(secret, terminal, "POST", path, raw, nonce=nonce)
    return httpx.post(srv.url + path, content=raw, headers=h)


def test_format_2_batches_are_checked_as_strictly_as_the_old_form(srv) -> None:  # noqa: ANN001
    secret = enrol(srv, "MX61")
    batch = chain("MX61", 8)
    ok = post_body(srv, "MX61", secret, format2(batch[:2]), nonce="f2-once")
    assert ok.status_code == 200 and ok.json()["acknowledged_seq"] == 2 and ok.json()["batch_format"] == 2
    # stored exactly as the till holds it, whichever form it came in
    assert [(e.seq, e.payload_text, e.hash) for e in service.stored_entries(srv.engine, "MX61")] == \
        [(e["seq"], e["payload"], e["hash"]) for e in batch[:2]]
    # the same request again: a replay
    again = post_body(srv, "MX61", secret, format2(batch[:2]), nonce="f2-once")
    assert (again.status_code, again.json()["error"]) == (401, "replayed_nonce")
    # a payload changed after hashing, in place in the body: the chain is broken at that entry
    tampered = format2(batch[2:4]).replace(b'"amount":400', b'"amount":900', 1)
    broken = post_body(srv, "MX61", secret, tampered)
    assert (broken.status_code, broken.json()["error"], broken.json()["expected_seq"], broken.json()["bad_seq"]) == \
        (409, "chain_broken", 3, 4)
    # the same payload with a space in it: other bytes than the till hashed, refused the same way
    spaced = format2(batch[2:4]).replace(b'"amount":400', b'"amount": 400', 1)
    assert post_body(srv, "MX61", secret, spaced).json()["error"] == "chain_broken"
    # a gap
    gap = post_body(srv, "MX61", secret, format2(batch[4:]))
    assert (gap.status_code, gap.json()["error"], gap.json()["expected_seq"]) == (409, "gap", 3)
    # a payload that breaks the payload rules is named, as in the old form
    bad = dict(batch[2], payload='{"amount":1.5,"by":"cashier1"}')
    named = post_body(srv, "MX61", secret, format2([bad]))
    assert (named.status_code, named.json()["error"], named.json()["index"]) == (400, "bad_payload", 0)
    assert "integer" in named.json()["message"] and named.json()["message_zh"]
    # a format head office does not know, and a payload object in a body that does not say format 2
    unknown = post_body(srv, "MX61", secret, format2(batch[2:4]).replace(b'{"v":2,', b'{"v":3,', 1))
    assert (unknown.status_code, unknown.json()["error"]) == (400, "bad_batch") and "v 3" in unknown.json()["message"]
    old_form = post_body(srv, "MX61", secret, format2(batch[2:4]).replace(b'{"v":2,', b"{", 1))
    assert (old_form.status_code, old_form.json()["error"]) == (400, "bad_payload")
    # old and new forms mixed in one format 2 batch, and the old form alone, still taken
    mixed = format2(batch[2:3])[:-2] + b"," + json.dumps(batch[3], ensure_ascii=False).encode() + b"]}"
    assert post_body(srv, "MX61", secret, mixed).json()["acknowledged_seq"] == 4
    assert post(srv, "MX61", secret, batch[4:6]).json()["acknowledged_seq"] == 6
    assert post_body(srv, "MX61", secret, format2(batch[6:], tail=',"sent_ahead":false')).json()["acknowledged_seq"] == 8
    assert [(e.seq, e.payload_text, e.hash) for e in service.stored_entries(srv.engine, "MX61")] == \
        [(e["seq"], e["payload"], e["hash"]) for e in batch]
