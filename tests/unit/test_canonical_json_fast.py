"""msgspec's canonical JSON (pos.store.json_text) is the standard library's text, byte for byte.

Every journal hash is over this text, and entries written before the switch verify against entries
written after: so the two encoders must agree on every value the float check lets through."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain import ledger
from pos.domain.errors import LedgerError
from pos.store.json_text import canonical_text

_STD = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode

# Every character class the payloads can carry: control characters, quotes and backslashes, CJK,
# astral emoji, the separators JavaScript minds (U+2028/9), DEL, BOM, private use.
_CHARS = st.one_of(st.characters(codec="utf-8"), st.sampled_from(list('\x00\x1f\x7f"\\/\u2028\u2029\ufeff\ue000茂县😀\t\n\r\b\f')))
_TEXT = st.text(_CHARS, max_size=12)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=-(2**80), max_value=2**80), _TEXT)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=5), st.tuples(inner, inner),
                                                          st.dictionaries(_TEXT, inner, max_size=5)), max_leaves=30)


@settings(max_examples=600, deadline=None)
@given(_VALUES)
def test_msgspec_writes_the_standard_librarys_text(value: object) -> None:
    assert canonical_text(value) == _STD(value)
    assert ledger.canonical_json(value) == _STD(value)


def test_the_fast_encoder_is_the_one_in_use() -> None:
    assert ledger._fast is canonical_text


def test_what_msgspec_refuses_fails_as_before() -> None:
    """A lone surrogate: msgspec refuses it, the standard library's text is kept (and fails later, as before)."""
    assert ledger.canonical_json({"name": "\ud800"}) == _STD({"name": "\ud800"})
    with pytest.raises(LedgerError):
        ledger.canonical_json({"amount": 1.5})
    with pytest.raises(LedgerError):
        ledger.canonical_json({"amount": float("nan")})


def test_a_sale_payload_hashes_as_before() -> None:
    payload = {"receipt_no": "MX01-20261122-0001", "lines": [{"name": "茂县苹果 5kg", "amount": 4500, "tax_rate_bp": 900,
                                                              "components": [], "note": 'say "hi"\n'}],
               "total": 4500, "training": False, "shift": None}
    fast = ledger.next_entry_text(None, terminal_id="MX01", kind="sale", business_day="2026-11-22",
                                  created_at="2026-11-22T01:00:00.000000Z", payload=payload)
    ledger.use_canonical_encoder(None)
    try:
        slow = ledger.next_entry_text(None, terminal_id="MX01", kind="sale", business_day="2026-11-22",
                                      created_at="2026-11-22T01:00:00.000000Z", payload=payload)
    finally:
        ledger.use_canonical_encoder(canonical_text)
    assert fast == slow
