"""The HTTP transport to head office (httpx): signed requests, signed answers, errors sorted into
"try again" (:class:`TransientSyncError`) and "refused" (:class:`SyncRefused`)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from pos import __version__
from pos.services.sync import Ack, SyncRefused, TransientSyncError

from .signing import H_NONCE, response_is_signed_by, sign_request

API = "/api/v1"


def _split(base_url: str) -> tuple[str, str]:
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SyncRefused("bad_url", f"'{base_url}' is not a head-office address like http://host:8080",
                          f"“{base_url}”不是有效的总部地址（例如 http://host:8080）")
    return f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/")


_ssl_lock = threading.Lock()
_ssl: list[Any] = []


def _verifying_context() -> Any:  # noqa: ANN401 - an ssl.SSLContext
    """The context httpx verifies head office's certificate with by default (its CA bundle, SSL_CERT_FILE and
    the like honoured), made once a process: making it reads and parses the whole bundle, 20.6 ms of CPU, and
    the till made it again for every sync cycle's client (0.1 ms with this one)."""
    with _ssl_lock:
        if not _ssl:
            _ssl.append(httpx.create_ssl_context())
        return _ssl[0]


def _refusal(resp: httpx.Response) -> SyncRefused:
    try:
        data = resp.json()
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    code = str(data.get("error") or f"http_{resp.status_code}")
    msg = str(data.get("message") or f"head office refused the request (HTTP {resp.status_code})")
    msg_zh = str(data.get("message_zh") or f"总部拒绝了请求（HTTP {resp.status_code}）")
    return SyncRefused(code, msg, msg_zh, status=resp.status_code, expected_seq=data.get("expected_seq"),
                       server_time=data.get("server_time"), details=data)


def _network_error(exc: Exception, url: str) -> TransientSyncError:
    return TransientSyncError(f"head office at {url} cannot be reached ({type(exc).__name__}: {exc})",
                              message_zh=f"无法连接总部 {url}（网络故障），稍后自动重试")


class HttpTransport:
    """One head office, one terminal. ``time_offset`` corrects the till's clock for signatures.

    ``till_report`` (optional) gives what the till says about itself with every batch, the
    ``till`` object of the batch body: ``{"version", "head_seq", "sent_at"}`` (see
    :func:`pos.sync.till_report`); head office shows it on its counters page.
    """

    pipelined = True  # two batches may be in flight at once (the client's pool is shared by threads)
    # The batch format sent (headoffice/service.py BATCH_FORMAT): 1, each payload its JSON text in a string, until
    # an acknowledgement says head office reads 2 (each payload the JSON object itself, no escaping either side).
    batch_format = 1

    def __init__(self, base_url: str, terminal_id: str, secret: bytes, *, timeout: float = 30.0,
                 time_offset: float = 0.0, till_report: Callable[[], dict[str, Any]] | None = None) -> None:
        self.url = base_url
        self._till_report = till_report
        self._origin, self._prefix = _split(base_url)
        self._terminal = terminal_id
        self._secret = secret
        self.time_offset = time_offset
        self._client = httpx.Client(timeout=timeout, headers={"User-Agent": f"lianxin-pos/{__version__}"},
                                    verify=_verifying_context())

    def close(self) -> None:
        self._client.close()

    # -- the calls ------------------------------------------------------------------------------
    def post_batch(self, entries: list[dict[str, Any]]) -> Ack:
        encoded = getattr(entries, "encoded", b"")  # a WireBatch: its JSON array was made while the last batch was away
        form = getattr(entries, "form", 1)
        if form == 2 and self.batch_format < 2:  # head office has not said it reads format 2 (yet)
            encoded = entries.text_form()  # type: ignore[attr-defined]
        elif not encoded:
            encoded = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        till = b""
        if self._till_report is not None:
            till = b',"till":' + json.dumps(self._till_report(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        ahead = b',"sent_ahead":true' if getattr(entries, "sent_ahead", False) else b""
        head = b'{"v":2,"entries":' if form == 2 and self.batch_format >= 2 else b'{"entries":'
        body = head + encoded + till + ahead + b"}"
        data = self._signed("POST", f"{API}/terminals/{self._terminal}/batches", body)
        if data.get("batch_format") == 2:  # head office reads format 2: payloads as JSON objects, not in strings
            self.batch_format = 2
        try:
            return Ack(int(data["acknowledged_seq"]), int(data.get("accepted", 0)), int(data.get("duplicates", 0)))
        except (KeyError, TypeError, ValueError) as exc:
            raise TransientSyncError(f"head office sent an acknowledgement without a seq ({exc})",
                                     message_zh="总部的确认信息不完整，稍后重试") from exc

    def get_master(self, since: int) -> dict[str, Any] | None:
        data = self._signed("GET", f"{API}/terminals/{self._terminal}/master", b"", query=f"since={int(since)}")
        return data if data.get("version") is not None and not data.get("unchanged") else None

    def terminal_status(self) -> dict[str, Any]:
        return self._signed("GET", f"{API}/terminals/{self._terminal}/status", b"")

    @classmethod
    def enroll(cls, base_url: str, terminal_id: str, store_code: str, code: str, *, timeout: float = 30.0) -> dict[str, Any]:
        origin, prefix = _split(base_url)
        body = {"terminal_id": terminal_id, "store": store_code, "code": code.strip()}
        try:
            resp = httpx.post(f"{origin}{prefix}{API}/enroll", json=body, timeout=timeout, verify=_verifying_context())
        except httpx.HTTPError as exc:
            raise _network_error(exc, base_url) from exc
        if resp.status_code >= 400:
            raise _refusal(resp)
        data = resp.json()
        if not isinstance(data, dict) or not isinstance(data.get("secret"), str):
            raise SyncRefused("bad_enrolment", "head office did not send a key", "总部没有返回密钥")
        return data

    # -- plumbing ---------------------------------------------------------------------------------
    def _signed(self, method: str, path: str, body: bytes, *, query: str = "") -> dict[str, Any]:
        full = self._prefix + path + (f"?{query}" if query else "")
        headers = sign_request(self._secret, self._terminal, method, full, body,
                               timestamp=int(time.time() + self.time_offset))
        if body:
            headers["Content-Type"] = "application/json"
        try:
            resp = self._client.request(method, self._origin + full, content=body, headers=headers)
            content = resp.content
        except httpx.HTTPError as exc:
            raise _network_error(exc, self.url) from exc
        if resp.status_code >= 500 or resp.status_code in (408, 429):
            raise TransientSyncError(f"head office is busy or failing (HTTP {resp.status_code})",
                                     message_zh=f"总部服务器繁忙或故障（HTTP {resp.status_code}），稍后自动重试")
        if resp.status_code >= 400:
            raise _refusal(resp)
        if not response_is_signed_by(self._secret, resp.status_code, headers[H_NONCE], resp.headers, content):
            raise TransientSyncError("the answer from head office was not signed with this till's key (changed on the way?)",
                                     message_zh="总部的回复签名不符（可能在传输中被改动），稍后重试")
        try:
            data = json.loads(content)
        except ValueError as exc:
            raise TransientSyncError("head office sent an answer that is not JSON", message_zh="总部回复格式错误") from exc
        if not isinstance(data, dict):
            raise TransientSyncError("head office sent an answer that is not a JSON object", message_zh="总部回复格式错误")
        return data
