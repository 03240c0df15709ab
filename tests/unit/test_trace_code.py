"""Signed receipt trace codes (pos.domain.trace_code): what the receipt QR carries."""

from __future__ import annotations

import hashlib
import hmac

from pos.domain import trace_code as tc

SECRET = bytes.fromhex("11" * 32)
OTHER = bytes.fromhex("22" * 32)


def test_url_names_terminal_and_receipt_and_carries_a_short_signature() -> None:
    url = tc.trace_url("https://ho.example.cn/", SECRET, "MX01", "MX01-20261122-0042")
    prefix = "https://ho.example.cn/r/MX01/MX01-20261122-0042."
    assert url.startswith(prefix)
    sig = url[len(prefix):]
    assert len(sig) == tc.SIG_CHARS == 16  # 96 bits
    assert len(url) < 70  # the QR stays small (version 4–5 at error correction M)
    assert tc.parse_ref("MX01", url.rsplit("/", 1)[1]) == ("MX01", "MX01-20261122-0042", sig)
    assert tc.verify(SECRET, "MX01", "MX01-20261122-0042", sig)


def test_any_change_fails_verification() -> None:
    sig = tc.signature(SECRET, "MX01", "MX01-20261122-0042")
    assert not tc.verify(SECRET, "MX01", "MX01-20261122-0043", sig)  # next receipt number
    assert not tc.verify(SECRET, "MX02", "MX01-20261122-0042", sig)  # another till
    assert not tc.verify(OTHER, "MX01", "MX01-20261122-0042", sig)  # another key
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert not tc.verify(SECRET, "MX01", "MX01-20261122-0042", flipped)
    assert not tc.verify(SECRET, "MX01", "MX01-20261122-0042", "")
    assert not tc.verify(SECRET, "MX01", "MX01-20261122-0042", sig[:-1])
    assert not tc.verify(b"", "MX01", "MX01-20261122-0042", sig)


def test_signature_uses_a_derived_key_not_the_sync_secret_itself() -> None:
    direct = hmac.new(SECRET, b"MX01\nMX01-20261122-0042", hashlib.sha256).digest()[:12]
    import base64

    assert tc.signature(SECRET, "MX01", "MX01-20261122-0042") != base64.urlsafe_b64encode(direct).decode()
    assert tc.trace_key(SECRET) != SECRET


def test_malformed_references_are_refused() -> None:
    good = tc.signature(SECRET, "MX01", "MX01-20261122-0042")
    assert tc.parse_ref("MX01", f"MX01-20261122-0042.{good}")
    for terminal, ref in [("MX01", "MX01-20261122-0042"),  # no signature
                          ("MX01", f"MX01-20261122-0042.{good}x"),  # too long
                          ("MX01", f"MX01-20261122-0042.{good[:-1]}!"),  # not base64url
                          ("mx01", f"MX01-20261122-0042.{good}"),  # terminal ids are upper case
                          ("MX01", f"../../etc.{good}"),
                          ("MX01", f"MX01 20261122 0042.{good}"),
                          ("MX01", "x" * 200),
                          ("MX01", f"MX01-20261122-0042%00.{good}")]:
        assert tc.parse_ref(terminal, ref) is None, (terminal, ref)
