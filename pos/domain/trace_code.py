"""Signed receipt trace codes: the URL in a receipt's QR that opens head office's trace page.

``<head office>/r/<terminal>/<receipt_no>.<sig>``: ``sig`` is an HMAC-SHA256 of the terminal and
the receipt number, made with a key derived from the till's head-office secret (the one it got at
enrolment; head office holds the same secret), cut to 96 bits and written as 16 base64url
characters. Nobody without the key can make the address of another receipt by changing a digit,
and head office answers a wrong signature exactly like an unknown receipt.

The signing key is derived (HMAC of a fixed label) so these signatures can never stand in for a
signed sync request, which uses the secret itself. Pure standard library.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from urllib.parse import quote

PATH_PREFIX = "/r/"
SIG_BYTES = 12  # 96 bits: far beyond online guessing, which head office also rate-limits
SIG_CHARS = 16  # base64url of 12 bytes, no padding
_LABEL = b"lianxin-pos receipt trace v1"
_TERMINAL = re.compile(r"[A-Z0-9]{2,12}")
_RECEIPT = re.compile(r"[A-Z0-9][A-Z0-9-]{3,39}")
_SIG = re.compile(rf"[A-Za-z0-9_-]{{{SIG_CHARS}}}")


def trace_key(secret: bytes) -> bytes:
    """The key trace signatures are made with, derived from the till's head-office secret."""
    if not secret:
        raise ValueError("a trace signature needs the till's head-office secret")
    return hmac.new(secret, _LABEL, hashlib.sha256).digest()


def signature(secret: bytes, terminal_id: str, receipt_no: str) -> str:
    """16 base64url characters signing ``terminal_id`` and ``receipt_no``."""
    msg = f"{terminal_id}\n{receipt_no}".encode()
    mac = hmac.new(trace_key(secret), msg, hashlib.sha256).digest()[:SIG_BYTES]
    return base64.urlsafe_b64encode(mac).decode("ascii")


def verify(secret: bytes, terminal_id: str, receipt_no: str, sig: str) -> bool:
    """Whether ``sig`` is the signature of this receipt (constant-time comparison)."""
    if not secret or not isinstance(sig, str) or not _SIG.fullmatch(sig):
        return False
    return hmac.compare_digest(signature(secret, terminal_id, receipt_no).encode(), sig.encode())


def trace_path(secret: bytes, terminal_id: str, receipt_no: str) -> str:
    """``/r/<terminal>/<receipt_no>.<sig>``."""
    sig = signature(secret, terminal_id, receipt_no)
    return f"{PATH_PREFIX}{quote(terminal_id, safe='')}/{quote(receipt_no, safe='')}.{sig}"


def trace_url(base_url: str, secret: bytes, terminal_id: str, receipt_no: str) -> str:
    """The full address for the receipt's QR: ``base_url`` (head office, no trailing slash needed)."""
    return base_url.strip().rstrip("/") + trace_path(secret, terminal_id, receipt_no)


def parse_ref(terminal_id: str, ref: str) -> tuple[str, str, str] | None:
    """``(terminal, receipt_no, sig)`` from the two last parts of a trace path, or None if malformed."""
    if not isinstance(terminal_id, str) or not isinstance(ref, str) or len(ref) > 80:
        return None
    receipt_no, dot, sig = ref.rpartition(".")
    if not dot or not _TERMINAL.fullmatch(terminal_id) or not _RECEIPT.fullmatch(receipt_no) or not _SIG.fullmatch(sig):
        return None
    return terminal_id, receipt_no, sig
