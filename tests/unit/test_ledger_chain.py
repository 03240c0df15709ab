"""The hash chain: canonical JSON, and verify naming the first bad entry."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.errors import LedgerError
from pos.domain.ledger import StoredEntry, canonical_json, genesis_hash, next_entry, verify_chain


def _chain(n: int, terminal: str = "MX01") -> list[StoredEntry]:
    rows, head = [], None
    for i in range(n):
        e = next_entry(head, terminal_id=terminal, kind="sale", business_day="2026-11-22",
                       created_at=f"2026-11-22T02:00:{i:02d}.000000Z", payload={"n": i, "名": "苹果"})
        rows.append(StoredEntry(e.terminal_id, e.seq, e.kind, e.business_day, e.created_at,
                                canonical_json(e.payload), e.prev_hash, e.hash))
        head = e
    return rows


def test_canonical_json_sorts_keys_keeps_chinese_and_refuses_floats() -> None:
    assert canonical_json({"b": 1, "a": "冰糖心"}) == '{"a":"冰糖心","b":1}'
    with pytest.raises(LedgerError):
        canonical_json({"price": 12.8})


def test_a_fresh_chain_verifies_and_starts_from_the_terminal_genesis() -> None:
    rows = _chain(5)
    assert rows[0].prev_hash == genesis_hash("MX01") != genesis_hash("PM01")
    assert verify_chain(rows, "MX01") is None


def test_an_edited_payload_is_caught_at_its_seq() -> None:
    rows = _chain(5)
    r = rows[2]
    rows[2] = StoredEntry(r.terminal_id, r.seq, r.kind, r.business_day, r.created_at,
                          r.payload_text.replace('"n":2', '"n":9'), r.prev_hash, r.hash)
    assert verify_chain(rows, "MX01").seq == 3


def test_a_deleted_entry_is_caught() -> None:
    rows = _chain(5)
    del rows[3]
    assert verify_chain(rows, "MX01").seq == 4


def test_swapped_entries_are_caught_at_the_first_of_them() -> None:
    rows = _chain(5)
    rows[1], rows[2] = rows[2], rows[1]
    assert verify_chain(rows, "MX01").seq == 2


def test_whitespace_in_a_stored_payload_is_not_canonical() -> None:
    rows = _chain(2)
    r = rows[1]
    rows[1] = StoredEntry(r.terminal_id, r.seq, r.kind, r.business_day, r.created_at,
                          r.payload_text.replace(",", ", "), r.prev_hash, r.hash)
    problem = verify_chain(rows, "MX01")
    assert problem.seq == 2 and "canonical" in problem.reason


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6), st.text(min_size=1, max_size=12),
       st.integers(1, 10**9), st.text(max_size=10), st.text(max_size=30))
def test_hashing_the_stored_text_equals_hashing_the_parsed_entry(payload, terminal, seq, kind, created) -> None:
    from pos.domain.ledger import compute_hash, entry_body, hash_stored

    prev = genesis_hash(terminal)
    text = canonical_json(payload)
    assert hash_stored(prev, terminal, seq, kind, "2026-11-22", created, text) == compute_hash(
        prev, entry_body(terminal, seq, kind, "2026-11-22", created, payload, prev))


def test_floats_are_refused_wherever_they_hide() -> None:
    for bad in ({"a": [1, {"b": 2.5}]}, {"a": (1, 2.0)}, {1: "x"}):
        with pytest.raises(LedgerError):
            canonical_json(bad)
