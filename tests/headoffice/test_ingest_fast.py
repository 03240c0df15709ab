"""Head office's fast ingest path (validate.fast_batch, payloads decoded once in C) answers exactly as the
rules do: a till's real batch takes the fast path; any batch the fast path is not sure of is decided by the
rules, so a hostile or odd batch gets the same 4xx naming the same problem as before, and what the fast
path accepts the rules accept too."""

from __future__ import annotations

import json

import pytest

from headoffice import validate
from headoffice.service import HeadOfficeError
from pos.domain.ledger import canonical_json, genesis_hash, hash_stored
from tests.headoffice.test_hardening import cash_in, return_payload, sale_payload

T = "MX01"


def chain(payloads: list[tuple[str, str]], terminal: str = T) -> list[dict]:
    """Correctly hashed entries of (kind, payload text): only what the payload says can be wrong."""
    prev, out = genesis_hash(terminal), []
    for seq, (kind, text) in enumerate(payloads, 1):
        at = f"2026-11-22T02:00:{seq % 60:02d}.000000Z"
        h = hash_stored(prev, terminal, seq, kind, "2026-11-22", at, text)
        out.append({"seq": seq, "kind": kind, "business_day": "2026-11-22", "created_at": at, "payload": text,
                    "prev_hash": prev, "hash": h})
        prev = h
    return out


def rules(body: bytes) -> list | HeadOfficeError:
    try:
        return validate.batch(json.loads(body), T, 5000)
    except HeadOfficeError as exc:
        return exc


def good_sale(n: int = 1) -> str:
    return canonical_json(sale_payload(T, n))


def with_(text: str, **changes: object) -> str:
    p = json.loads(text)
    p.update(changes)
    return json.dumps(p, ensure_ascii=False)


ODD: dict[str, tuple[str, str]] = {
    "float in a field head office does not read": ("sale", with_(good_sale(), list_total=1.5)),
    "float deep inside": ("sale", with_(good_sale(), reductions={"a": [{"b": 2.5e3}]})),
    "NaN": ("sale", good_sale().replace('"total":', '"x":NaN,"total":', 1)),
    "integer beyond 64 bits": ("sale", with_(good_sale(), extra=2**70)),
    "NUL in a name": ("sale", with_(good_sale(), cashier_name="张\u0000")),
    "money beyond any sale": ("sale", with_(good_sale(), total=10**14)),
    "total as text": ("sale", with_(good_sale(), total="100")),
    "true as money": ("sale", with_(good_sale(), paid=True)),
    "a field the fast path does not know": ("sale", with_(good_sale(), loyalty={"card": "8888", "points": 12})),
    "receipt of another till": ("sale", canonical_json(sale_payload("PH01"))),
    "receipt number malformed": ("sale", with_(good_sale(), receipt_no="MX01-2026-1")),
    "lines not a list": ("sale", with_(good_sale(), lines={"0": 1})),
    "no lines": ("sale", canonical_json({k: v for k, v in sale_payload(T).items() if k != "lines"})),
    "a payload that is a list": ("sale", "[1,2]"),
    "not JSON": ("sale", "{\"a\":"),
    "a return with a float": ("return", with_(canonical_json(return_payload(T)), refund=1.25)),
    "a return of another till": ("return", canonical_json(return_payload("PH01"))),
    "cash in as text": ("cash_in", with_(canonical_json(cash_in(1)), amount="5")),
    "an unknown kind with a float": ("loyalty_note", '{"x":0.5}'),
    "deeply nested": ("login", "{\"a\":" + "[" * 40 + "]" * 40 + "}"),
}


def test_a_real_batch_takes_the_fast_path_and_matches_the_rules() -> None:
    entries = chain([("sale", good_sale(n)) for n in range(1, 40)] + [("return", canonical_json(return_payload(T)))]
                    + [("cash_in", canonical_json(cash_in(2))), ("login", '{"login":"cashier1"}')])
    body = json.dumps({"entries": entries, "till": {"version": "1", "head_seq": 42}}, ensure_ascii=False).encode()
    fast = validate.fast_batch(body, T, 5000)
    assert fast is not None
    till, stored = fast
    assert till == {"version": "1", "head_seq": 42}
    assert stored == rules(body)


@pytest.mark.parametrize("what", sorted(ODD))
def test_an_odd_payload_gets_the_rules_answer(what: str) -> None:
    kind, text = ODD[what]
    body = json.dumps({"entries": chain([("sale", good_sale(1)), (kind, text)])}, ensure_ascii=False).encode()
    fast = validate.fast_batch(body, T, 5000)
    decided = rules(body)
    if fast is not None:  # the fast path vouched for it: the rules must agree, entry for entry
        assert not isinstance(decided, HeadOfficeError), (what, decided.message)
        assert fast[1] == decided
    # and whatever the fast path did, head office answers as the rules do (service.store_body falls back to them)


@pytest.mark.parametrize("field,value", [("seq", 0), ("seq", True), ("seq", 2**63), ("kind", "Sale"), ("kind", ""),
                                         ("business_day", "2026-02-30"), ("business_day", "2026-2-3"),
                                         ("created_at", "2026-11-22 02:00:00"), ("hash", "AB" * 32),
                                         ("prev_hash", "0" * 63), ("payload", {"a": 1})])
def test_a_bad_entry_field_is_left_to_the_rules(field: str, value: object) -> None:
    entries = chain([("sale", good_sale(1))])
    entries[0][field] = value
    body = json.dumps({"entries": entries}, ensure_ascii=False).encode()
    assert validate.fast_batch(body, T, 5000) is None
    assert isinstance(rules(body), HeadOfficeError)


def test_bodies_the_fast_path_cannot_read_are_left_to_the_rules() -> None:
    entries = chain([("sale", good_sale(1))])
    for body in (b"not json", b"[]", b'{"entries": {}}', json.dumps({"entries": entries, "till": 5}).encode(),
                 json.dumps({"entries": entries * 3}).encode()):
        assert validate.fast_batch(body, T, 2) is None


def format2(entries: list[dict]) -> bytes:
    """Batch format 2: each payload the entry's JSON text itself, unquoted, exactly as hashed."""
    items = [json.dumps({k: ("\x00P" if k == "payload" else v) for k, v in e.items()}, ensure_ascii=False,
                        separators=(",", ":")).replace('"\\u0000P"', e["payload"]) for e in entries]
    return ('{"v":2,"entries":[' + ",".join(items) + "]}").encode()


def test_a_real_format_2_batch_takes_the_fast_path_and_gives_what_the_old_form_gives() -> None:
    entries = chain([("sale", good_sale(n)) for n in range(1, 40)] + [("return", canonical_json(return_payload(T)))]
                    + [("cash_in", canonical_json(cash_in(2))), ("login", '{"login":"cashier1"}')])
    fast = validate.fast_decode(format2(entries), T, 5000)
    assert fast is not None
    _till, stored, _ahead, linked = fast
    assert linked and stored == rules(json.dumps({"entries": entries}, ensure_ascii=False).encode())
    assert stored == rules(format2(entries))  # the rules read format 2 the same way


def answer(decide) -> list | str:  # noqa: ANN001
    try:
        return decide()
    except HeadOfficeError as exc:
        return exc.code


@pytest.mark.parametrize("what", sorted(ODD))
def test_an_odd_format_2_payload_gets_the_old_forms_answer(what: str) -> None:
    kind, text = ODD[what]
    entries = chain([("sale", good_sale(1)), (kind, text)])
    old = answer(lambda: validate.batch(json.loads(json.dumps({"entries": entries})), T, 5000))
    body = format2(entries)
    fast = validate.fast_batch(body, T, 5000)
    new = fast[1] if fast is not None else answer(lambda: validate.batch(validate.parsed_body(body), T, 5000))
    if what == "not JSON":  # the payload is not JSON: in format 2 neither is the body
        assert (fast, new) == (None, "bad_batch")
    else:  # accepted as the same entries (the same text, exactly as sent), or refused for the same reason
        assert new == old


def test_a_sale_with_lots_promotions_and_a_member_takes_the_fast_path(demo_till) -> None:
    """What a till writes today — a member, promotions, lots drawn — is what the fast path knows."""
    import sqlite3
    from pathlib import Path

    from pos.domain.cart import Cart
    from pos.domain.tenders import Tender, TenderKind
    from tests.conftest import login_cashier

    root = Path(__file__).resolve().parents[2]
    till = demo_till
    manager = till.auth.login("manager1", "2222")
    till.promotions.import_file(root / "resources" / "demo" / "promotions-demo.csv", manager)
    till.stock.receive_file(root / "resources" / "demo" / "delivery_note_SHKC-2026-49.csv", manager)
    cashier = login_cashier(till)
    member = till.members.add("13812341234", "王芳", by=cashier)
    cart = Cart().with_context(till.promotions.context(member)).add(till.lookup.find("MX-G003"), 2)
    cart = cart.add(till.lookup.find("MX-E001"), 1)  # received just now: the sale draws its lot
    done = till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, till.checkout.totals(cart).total_fen)], cashier)
    with sqlite3.connect(till.db.path) as c:
        (text,) = c.execute("SELECT payload FROM journal WHERE seq = ?", (done.seq,)).fetchone()
    p = json.loads(text)
    assert p["promos"] and p["member"] and p["lines"][0]["promo"] and p["draws"]
    assert validate._fast_payload("sale", text, "MX01")


def test_a_chain_hashed_over_a_malformed_first_prev_hash_is_left_to_the_rules() -> None:
    """The fast path takes a linked chain's hashes as sha256 digests; the first prev_hash it must still look at."""
    entries = chain([("sale", good_sale(1)), ("sale", good_sale(2))])
    prev = "G" * 64  # 64 characters, not hex: the entry's own hash is made over it, so the batch's chain holds
    for e in entries:
        e["prev_hash"], e["hash"] = prev, hash_stored(prev, T, e["seq"], e["kind"], e["business_day"], e["created_at"],
                                                      e["payload"])
        prev = e["hash"]
    body = json.dumps({"entries": entries}, ensure_ascii=False).encode()
    assert validate.fast_batch(body, T, 5000) is None
    refused = rules(body)
    assert isinstance(refused, HeadOfficeError) and refused.code == "bad_hash"


def test_a_later_hash_in_capitals_is_left_to_the_rules() -> None:
    entries = chain([("sale", good_sale(1)), ("sale", good_sale(2)), ("sale", good_sale(3))])
    entries[1]["hash"] = entries[1]["hash"].upper()  # the chain breaks there: every hash's form is then checked
    entries[2]["prev_hash"] = entries[1]["hash"]
    body = json.dumps({"entries": entries}, ensure_ascii=False).encode()
    assert validate.fast_batch(body, T, 5000) is None
    refused = rules(body)
    assert isinstance(refused, HeadOfficeError) and refused.code == "bad_hash"


def test_a_kind_seen_before_and_a_malformed_one_in_the_same_batch() -> None:
    entries = chain([("login", '{"login":"cashier1"}'), ("login", '{"login":"cashier1"}'), ("Log-in", "{}")])
    body = json.dumps({"entries": entries}, ensure_ascii=False).encode()
    assert validate.fast_batch(body, T, 5000) is None
    refused = rules(body)
    assert isinstance(refused, HeadOfficeError) and refused.code == "bad_kind" and refused.extra["index"] == 2


def test_a_till_report_nested_too_deep_gets_a_plain_refusal_not_a_crash() -> None:
    body = ('{"entries":[],"till":{"a":' + "[" * 5000 + "]" * 5000 + "}}").encode()
    assert validate.fast_batch(body, T, 5000) is None  # no RecursionError out of the fast path
    with pytest.raises(HeadOfficeError) as refused:
        validate.parsed_body(body)
    assert refused.value.code == "bad_batch"


def test_a_nul_spelt_with_an_escaped_backslash_in_a_format_1_payload_is_left_to_the_rules() -> None:
    """In format 1 the payload is a string: ``\\u005cu0000`` in the body is ``\\u0000`` (a NUL) in the payload."""
    text = with_(good_sale(2), cashier_name="张\u0000")
    entries = chain([("sale", good_sale(1)), ("sale", text)])
    body = json.dumps({"entries": entries}, ensure_ascii=False).encode()
    body = body.replace(b"\\\\u0000", b"\\u005cu0000")  # the same JSON, without the six characters \u0000 in it
    assert b"\\u0000" not in body and json.loads(body) == {"entries": entries}
    assert validate.fast_batch(body, T, 5000) is None
    refused = rules(body)
    assert isinstance(refused, HeadOfficeError) and refused.code == "nul_character"
