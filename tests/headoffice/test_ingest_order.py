"""Two batches of one till in flight at once: head office stores them only in seq order. A batch sent ahead of
the one before it waits for it, or is refused with a plain 409 (out_of_order) that stores nothing and flags
nothing; the request's nonce is kept with the batch (one commit), and a replay is refused either way."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from headoffice import service, validate
from pos.sync import signing
from tests.headoffice.ho_support import enrol_over_http, running_server
from tests.headoffice.test_headoffice_api import chain


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("ho") / "ho.db"
    with running_server(f"sqlite:///{path}") as s:
        yield s


def send(srv, terminal: str, secret: bytes, entries: list[dict], *, ahead: bool = False,  # noqa: ANN001
         nonce: str | None = None) -> httpx.Response:
    path = f"/api/v1/terminals/{terminal}/batches"
    body = {"entries": entries, **({"sent_ahead": True} if ahead else {})}
    raw = json.dumps(body).encode()
    h = signing.sign_request(secret, terminal, "POST", path, raw, nonce=nonce)
    return httpx.post(srv.url + path, content=raw, headers=h, timeout=30)


def test_a_batch_sent_ahead_alone_is_refused_plainly_and_stores_nothing(srv) -> None:  # noqa: ANN001
    secret = enrol_over_http(srv, "MX51")
    batch = chain("MX51", 6)
    assert send(srv, "MX51", secret, batch[:2]).json()["acknowledged_seq"] == 2
    t = time.perf_counter()
    r = send(srv, "MX51", secret, batch[4:], ahead=True)  # the batch 3–4 never comes
    assert time.perf_counter() - t >= service.AHEAD_WAIT_S * 0.9  # it waited for it first
    assert r.status_code == 409
    assert (r.json()["error"], r.json()["expected_seq"], r.json()["acknowledged_seq"]) == ("out_of_order", 3, 2)
    assert r.json()["message_zh"]
    assert [e.seq for e in service.stored_entries(srv.engine, "MX51")] == [1, 2]
    # not a problem for the office to look at: nothing listed, the counter not flagged
    assert service.list_problems(srv.engine, "MX51") == []
    assert not {t["terminal_id"]: t["flagged"] for t in service.list_terminals(srv.engine)}["MX51"]
    # the same batch not sent ahead is a real gap, as before
    assert send(srv, "MX51", secret, batch[4:]).json()["error"] == "gap"
    assert send(srv, "MX51", secret, batch[2:]).json()["acknowledged_seq"] == 6


def test_a_batch_sent_ahead_waits_for_the_one_before_and_both_are_stored_in_order(srv) -> None:  # noqa: ANN001
    secret = enrol_over_http(srv, "MX52")
    batch = chain("MX52", 9)
    answers: dict[str, httpx.Response] = {}
    later = threading.Thread(target=lambda: answers.update(ahead=send(srv, "MX52", secret, batch[5:], ahead=True)))
    later.start()  # 6–9 arrives first …
    time.sleep(service.AHEAD_WAIT_S / 4)
    first = send(srv, "MX52", secret, batch[:5])  # … then 1–5, well within the wait
    later.join()
    assert first.json()["acknowledged_seq"] >= 5
    assert answers["ahead"].status_code == 200 and answers["ahead"].json()["acknowledged_seq"] == 9
    assert [e.seq for e in service.stored_entries(srv.engine, "MX52")] == list(range(1, 10))
    assert service.list_problems(srv.engine, "MX52") == []


def test_the_nonce_is_kept_with_the_batch_and_after_a_refusal(srv) -> None:  # noqa: ANN001
    secret = enrol_over_http(srv, "MX53")
    batch = chain("MX53", 4)
    assert send(srv, "MX53", secret, batch[:2], nonce="n-53-a").status_code == 200
    again = send(srv, "MX53", secret, batch[:2], nonce="n-53-a")
    assert (again.status_code, again.json()["error"]) == (401, "replayed_nonce")
    refused = send(srv, "MX53", secret, batch[3:], nonce="n-53-b")  # a gap: refused, and its nonce kept all the same
    assert refused.json()["error"] == "gap"
    replay = send(srv, "MX53", secret, batch[2:], nonce="n-53-b")
    assert (replay.status_code, replay.json()["error"]) == (401, "replayed_nonce")
    bad = send(srv, "MX53", secret, [{"seq": "x"}], nonce="n-53-c")  # refused before anything is stored
    assert bad.status_code == 400
    assert send(srv, "MX53", secret, batch[2:], nonce="n-53-c").json()["error"] == "replayed_nonce"
    assert send(srv, "MX53", secret, batch[2:]).json()["acknowledged_seq"] == 4


def test_the_fast_path_finds_a_batch_chained_only_when_it_is() -> None:
    batch = chain("MX54", 5)
    body = json.dumps({"entries": batch, "sent_ahead": True}).encode()
    till, entries, ahead, linked = validate.fast_decode(body, "MX54", 5000)
    assert ahead and linked and [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert validate.links_ok(entries, "MX54")
    for change in ({"hash": "0" * 64}, {"prev_hash": "1" * 64}, {"seq": 9}, {"created_at": "2026-11-22T02:00:01Z"}):
        broken = [dict(e) for e in batch]
        broken[2].update(change)
        fast = validate.fast_decode(json.dumps({"entries": broken}).encode(), "MX54", 5000)
        assert fast is not None and fast[2] is False and fast[3] is False, change
        assert not validate.links_ok(fast[1], "MX54")
    # the chain the fast path vouches for is the one the ledger's own check vouches for
    from pos.domain.ledger import verify_chain

    assert verify_chain(entries, "MX54") is None
