"""Request and response signing between a till and head office (HMAC-SHA256, stdlib only).

A request carries five headers. The signature is HMAC-SHA256, under the terminal's secret, of::

    LX1-HMAC-SHA256\\n{METHOD}\\n{path?query}\\n{timestamp}\\n{nonce}\\n{sha256(body) hex}

``timestamp`` is Unix seconds; head office refuses one more than :data:`MAX_SKEW_S` away from
its own clock, and a nonce it has already seen from the terminal within that window. The body
digest is also sent on its own (``X-LX-Content-SHA256``) so that a body changed on the way is
told apart from a wrong key.

Head office signs its successful answers the same way (``LX1-RESPONSE``, the status, the
request's nonce, its timestamp and the body digest), so the till can trust master data and
acknowledgements that came through a proxy.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

SCHEME = "LX1-HMAC-SHA256"
RESPONSE_SCHEME = "LX1-RESPONSE"

H_TERMINAL = "X-LX-Terminal"
H_TIMESTAMP = "X-LX-Timestamp"
H_NONCE = "X-LX-Nonce"
H_DIGEST = "X-LX-Content-SHA256"
H_SIGNATURE = "X-LX-Signature"
REQUEST_HEADERS = (H_TERMINAL, H_TIMESTAMP, H_NONCE, H_DIGEST, H_SIGNATURE)

MAX_SKEW_S = 300  # five minutes either way


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def string_to_sign(method: str, path: str, timestamp: int | str, nonce: str, digest: str) -> bytes:
    return "\n".join((SCHEME, method.upper(), path, str(timestamp), nonce, digest)).encode("utf-8")


def request_signature(secret: bytes, method: str, path: str, timestamp: int | str, nonce: str, digest: str) -> str:
    return hmac.new(secret, string_to_sign(method, path, timestamp, nonce, digest), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def sign_request(secret: bytes, terminal_id: str, method: str, path: str, body: bytes, *,
                 timestamp: int | None = None, nonce: str | None = None) -> dict[str, str]:
    """The headers that sign one request. ``path`` includes the query string, as sent."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    n = nonce or new_nonce()
    digest = body_digest(body)
    return {
        H_TERMINAL: terminal_id,
        H_TIMESTAMP: str(ts),
        H_NONCE: n,
        H_DIGEST: digest,
        H_SIGNATURE: request_signature(secret, method, path, ts, n, digest),
    }


def response_signature(secret: bytes, status: int, request_nonce: str, timestamp: int | str, body: bytes) -> str:
    text = "\n".join((RESPONSE_SCHEME, str(status), request_nonce, str(timestamp), body_digest(body)))
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_response(secret: bytes, status: int, request_nonce: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return {H_TIMESTAMP: str(ts), H_SIGNATURE: response_signature(secret, status, request_nonce, ts, body)}


def response_is_signed_by(secret: bytes, status: int, request_nonce: str, headers: Mapping[str, str], body: bytes) -> bool:
    ts = headers.get(H_TIMESTAMP) or headers.get(H_TIMESTAMP.lower())
    sig = headers.get(H_SIGNATURE) or headers.get(H_SIGNATURE.lower())
    if not ts or not sig:
        return False
    return hmac.compare_digest(sig, response_signature(secret, status, request_nonce, ts, body))


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
