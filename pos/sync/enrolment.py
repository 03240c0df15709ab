"""The text of head office's enrolment QR code: ``lianxin-enroll:1?url=…&store=MX&terminal=MX02&code=…``.

Head office's counters page shows it as a QR code; the till's wizard (or ``python main.py enroll``)
takes the scanned text instead of typing the address and the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from pos.domain.errors import InvalidInput

SCHEME = "lianxin-enroll:"
VERSION = "1"


@dataclass(frozen=True, slots=True)
class EnrolmentText:
    url: str
    store: str
    terminal: str
    code: str


def enrolment_text(url: str, store: str, terminal: str, code: str) -> str:
    return f"{SCHEME}{VERSION}?" + urlencode({"url": url.rstrip("/"), "store": store, "terminal": terminal, "code": code})


def is_enrolment_text(text: str) -> bool:
    return text.strip().lower().startswith(SCHEME)


def parse_enrolment_text(text: str) -> EnrolmentText:
    """Read a scanned enrolment QR text; refuse anything else in words."""
    raw = text.strip()
    bad = InvalidInput(f"'{raw[:80]}' is not head office's enrolment QR text (lianxin-enroll:1?url=…&code=…)",
                       message_zh="这不是总部的登记二维码内容（应以 lianxin-enroll:1? 开头）")
    if not is_enrolment_text(raw) or len(raw) > 2000:
        raise bad
    version, _, query = raw[len(SCHEME):].partition("?")
    if version != VERSION:
        raise InvalidInput(f"enrolment QR version {version[:10]!r} is not known to this till; update the till",
                           message_zh="本机不认识这个版本的登记二维码，请升级收银软件")
    fields = {k: v[0].strip() for k, v in parse_qs(query, keep_blank_values=True).items() if v}
    if not all(fields.get(k) for k in ("url", "store", "terminal", "code")):
        raise bad
    return EnrolmentText(fields["url"], fields["store"].upper(), fields["terminal"].upper(), fields["code"])


def address_and_code(url_text: str, code_text: str, store: str, terminal: str) -> tuple[str, str]:
    """What a person typed or scanned into the till's enrolment fields → (address, code).

    The QR text may land in either field (a scanner types wherever the cursor is); a QR made for
    another till is refused in words.
    """
    scanned = next((t for t in (url_text, code_text) if is_enrolment_text(t)), None)
    if scanned is None:
        return url_text.strip(), code_text.strip()
    qr = parse_enrolment_text(scanned)
    if (qr.store, qr.terminal) != (store.upper(), terminal.upper()):
        raise InvalidInput(f"this QR code is for terminal {qr.terminal} of store {qr.store}, but this till is "
                           f"{terminal} of store {store}",
                           message_zh=f"此二维码属于门店 {qr.store} 的收银机 {qr.terminal}，本机是 {store} 的 {terminal}")
    return qr.url, qr.code
