"""What head office accepts from a till, checked before anything touches the database.

Plain functions that raise :class:`~headoffice.service.HeadOfficeError` (a 4xx naming the
problem, in English and Chinese) or return the checked values. A batch is checked whole before
any of it is stored, so a bad entry anywhere refuses all of it.

Rules, from what the till writes (pos.domain.ledger, pos.domain.sale, pos.domain.returns and the
services that journal the other kinds):

* ``seq`` an integer 1 … 2^63−1 (a BIGINT), ``kind`` 1–32 lower-case letters, digits or ``_``,
  ``business_day`` a real date written ``YYYY-MM-DD``, ``created_at`` an ISO 8601 time with its
  zone (≤ 32 characters), ``hash`` and ``prev_hash`` 64 lower-case hex digits.
* the payload is a JSON object of strings, integers (within 64 bits), booleans, null, lists and
  objects — no floats, NaN or NUL characters; for the kinds head office reads (sale, return) and
  the other kinds the dashboard adds up (cash in/out, shift close, Z, reconciliation, approved
  day), the fields head office reads, with their types. Every other kind, known or not, is
  accepted when its payload is a JSON object (an older till must never be stuck on an entry).
* a sale's receipt number and a return's number (and the receipt it returns) carry the sending
  till's own terminal id (``MX01-20261122-0042`` comes from MX01 only).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from typing import Any

from pos.domain.ledger import StoredEntry

from .service import BATCH_FORMAT, HeadOfficeError

MAX_SEQ = 2**63 - 1
MAX_INT = 2**63 - 1
MAX_MONEY_FEN = 10**13  # ¥100 billion: any one amount beyond this is not a counter's sale
MAX_KIND = 32
MAX_CREATED_AT = 32

_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")
_HASH = re.compile(r"[0-9a-f]{64}")
_DOC_NO = re.compile(r"(?P<terminal>[A-Z0-9]{2,12})-(?P<day>\d{8})-(?P<series>[TR]?)(?P<n>\d{4,6})")


def _bad(code: str, en: str, zh: str, **extra: Any) -> HeadOfficeError:
    return HeadOfficeError(code, 400, en, zh, **extra)


def _show(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# -- plain values ---------------------------------------------------------------------------------
def no_nul(value: str, what: str) -> str:
    """Refuse a NUL character (PostgreSQL cannot store one in text; no real value holds one)."""
    if "\x00" in value:
        raise _bad("nul_character", f"{what} contains a NUL character", f"{what} 含有空字符（NUL）", field=what)
    return value


def seq(value: Any, what: str = "seq") -> int:
    if type(value) is not int:
        raise _bad("bad_seq", f"{what} must be a whole number, not {_show(value)}", f"{what} 必须是整数", field=what)
    if not 1 <= value <= MAX_SEQ:
        raise _bad("bad_seq", f"{what} {_show(value)} is out of range (1 to 2^63−1)",
                   f"{what} {_show(value)} 超出范围（1 至 2^63−1）", field=what)
    return value


def kind(value: Any) -> str:
    if not isinstance(value, str) or not _KIND.fullmatch(value):
        raise _bad("bad_kind", f"kind {_show(value)} must be 1–{MAX_KIND} lower-case letters, digits or _",
                   f"记录类型 {_show(value)} 应为 1–{MAX_KIND} 位小写字母、数字或下划线", field="kind")
    return value


def business_day(value: Any, what: str = "business_day", code: str = "bad_business_day") -> str:
    """A real calendar date written YYYY-MM-DD (2026-11-01, never 2026-11-1 or 2026/11/01)."""
    ok = isinstance(value, str) and _DAY.fullmatch(value)
    if ok:
        try:
            date.fromisoformat(value)
        except ValueError:
            ok = False
    if not ok:
        raise _bad(code, f"{what} {_show(value)} is not a real date written YYYY-MM-DD",
                   f"{what} {_show(value)} 不是有效日期（格式 YYYY-MM-DD）", field=what)
    return value


def created_at(value: Any) -> str:
    ok = isinstance(value, str) and len(value) <= MAX_CREATED_AT and _TIME.fullmatch(value)
    if ok:
        try:
            datetime.fromisoformat(value[:19])
        except ValueError:
            ok = False
    if not ok:
        raise _bad("bad_created_at", f"created_at {_show(value)} is not an ISO 8601 time with its zone "
                   "(e.g. 2026-11-22T06:30:01.123456Z)", f"created_at {_show(value)} 不是带时区的 ISO 8601 时间",
                   field="created_at")
    return value


def hex_hash(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _HASH.fullmatch(value):
        raise _bad("bad_hash", f"{what} must be 64 lower-case hex digits", f"{what} 必须是 64 位小写十六进制数",
                   field=what)
    return value


def doc_no(value: Any, terminal: str, what: str) -> str:
    """A receipt or return number issued by ``terminal`` (``MX01-20261122-0042``)."""
    m = _DOC_NO.fullmatch(value) if isinstance(value, str) else None
    if m is None:
        raise _bad("bad_payload", f"{what} {_show(value)} is not a receipt number like {terminal}-20261122-0042",
                   f"{what} {_show(value)} 不是有效的单据号（如 {terminal}-20261122-0042）", field=what)
    if m.group("terminal") != terminal:
        raise HeadOfficeError("foreign_receipt", 403,
                              f"{what} {value} belongs to terminal {m.group('terminal')}, not to {terminal}",
                              f"{what} {value} 属于收银机 {m.group('terminal')}，不是 {terminal}", field=what)
    return value


_LONG_DIGITS = re.compile(r"\d{19}")


# -- payloads -------------------------------------------------------------------------------------
def parse_payload(text: str) -> dict[str, Any]:
    """The payload text as a JSON object of strings, integers, booleans, null, lists and objects."""

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed")

    def refuse_float(text: str) -> Any:
        raise ValueError(f"{text} is not an integer (money is whole fen)")

    try:  # integers parsed by json's C scanner; only NaN/Infinity and fractions come back here, to be refused
        value = json.loads(text, parse_constant=refuse_constant, parse_float=refuse_float)
    except (ValueError, RecursionError) as exc:
        raise _bad("bad_payload", f"payload is not JSON of integers and text ({str(exc)[:120]})",
                   "payload 不是有效的 JSON（只允许整数和文本）", field="payload") from None
    if not isinstance(value, dict):
        raise _bad("bad_payload", "payload must be a JSON object", "payload 必须是 JSON 对象", field="payload")
    # A NUL can only be written as the escape \u0000 in JSON text, and an integer beyond 64 bits needs 19 digits:
    # the walk that names the field runs only for a payload that may hold either (most never do).
    if "\\u0000" in text or _LONG_DIGITS.search(text):
        _walk(value, "payload")
    return value


def _walk(value: Any, path: str) -> None:
    stack = [(value, path)]
    while stack:
        v, at = stack.pop()
        if isinstance(v, str):
            no_nul(v, at)
        elif type(v) is int:
            if not -MAX_INT <= v <= MAX_INT:
                raise _bad("bad_payload", f"{at} {_show(v)} does not fit in 64 bits", f"{at} 超出 64 位整数范围", field=at)
        elif isinstance(v, dict):
            for k, item in v.items():
                no_nul(k, f"{at} key")
                stack.append((item, f"{at}.{k}"))
        elif isinstance(v, list):
            stack.extend((item, f"{at}[{i}]") for i, item in enumerate(v))


# A field rule: "str", "int" (a whole number), "money" (whole fen within MAX_MONEY_FEN), "bool",
# "list", "dict"; a trailing "?" also allows null.
_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "money": (int,), "bool": (bool,),
                                       "list": (list,), "dict": (dict,)}
_WORDS = {"str": ("text", "文本"), "int": ("a whole number", "整数"), "money": ("whole fen", "整数（分）"),
          "bool": ("true or false", "真假值"), "list": ("a list", "列表"), "dict": ("an object", "对象")}


def _field(obj: dict[str, Any], name: str, rule: str, path: str, required: bool = True) -> Any:
    if name not in obj:
        if required:
            raise _bad("bad_payload", f"{path}.{name} is missing", f"{path}.{name} 缺失", field=f"{path}.{name}")
        return None
    value = obj[name]
    base = rule[:-1] if rule[-1] == "?" else rule
    if value is None and base is not rule:
        return None
    t = type(value)
    if base == "money" or base == "int":
        ok = t is int
        if ok and base == "money" and not -MAX_MONEY_FEN <= value <= MAX_MONEY_FEN:
            raise _bad("bad_payload", f"{path}.{name} {value} fen is beyond any real amount",
                       f"{path}.{name} 金额 {value} 分超出合理范围", field=f"{path}.{name}")
    else:
        ok = t in _TYPES[base]
    if not ok:
        en, zh = _WORDS[base]
        nullable = " or null" if base is not rule else ""
        raise _bad("bad_payload", f"{path}.{name} must be {en}{nullable}, not {_show(value)}",
                   f"{path}.{name} 类型不对，应为{zh}", field=f"{path}.{name}")
    return value


def _fields(obj: Any, path: str, required: dict[str, str], optional: dict[str, str] | None = None) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise _bad("bad_payload", f"{path} must be an object", f"{path} 必须是对象", field=path)
    for name, rule in required.items():
        _field(obj, name, rule, path)
    for name, rule in (optional or {}).items():
        _field(obj, name, rule, path, required=False)
    return obj


def _items(obj: dict[str, Any], name: str, path: str) -> list[Any]:
    return obj.get(name) or []


def _sale(p: dict[str, Any], terminal: str) -> None:
    _fields(p, "payload", {"receipt_no": "str", "total": "money", "lines": "list"},
            {"tenders": "list", "training": "bool", "subtotal": "money", "discount": "money", "rounding": "money",
             "paid": "money", "change": "money", "shift": "int?", "cashier": "str", "cashier_name": "str"})
    doc_no(p["receipt_no"], terminal, "receipt_no")
    for i, ln in enumerate(p["lines"]):
        at = f"payload.lines[{i}]"
        _fields(ln, at, {"amount": "money"},
                {"line_no": "int", "sku": "str", "name": "str", "quantity": "int", "category": "str", "origin": "str", "sale_discount_share": "money", "rounding_share": "money",
                 "unit_price": "money", "gross": "money", "discount": "money", "components": "list",
                 "tax_rate_bp": "int?", "barcode": "str?", "sold_by": "str"})
        for j, c in enumerate(_items(ln, "components", at)):
            _fields(c, f"{at}.components[{j}]", {"revenue": "money"},
                    {"origin": "str", "category": "str", "sku": "str", "name": "str", "quantity": "int"})
    for i, t in enumerate(_items(p, "tenders", "payload")):
        _fields(t, f"payload.tenders[{i}]", {"kind": "str", "amount": "money"}, {"reference": "str?"})


def _return(p: dict[str, Any], terminal: str) -> None:
    _fields(p, "payload", {"return_no": "str", "lines": "list"},
            {"refunds": "list", "receipt_no": "str?", "refund": "money", "training": "bool", "shift": "int?",
             "reason": "str", "cashier": "str"})
    doc_no(p["return_no"], terminal, "return_no")
    if p.get("receipt_no") is not None:
        doc_no(p["receipt_no"], terminal, "receipt_no")
    for i, ln in enumerate(p["lines"]):
        at = f"payload.lines[{i}]"
        _fields(ln, at, {"refund": "money"},
                {"line_no": "int", "sku": "str", "quantity": "int", "orig_line_no": "int?", "category": "str", "origin": "str", "origin_split": "list",
                 "name": "str", "weighed": "bool"})
        for j, pair in enumerate(_items(ln, "origin_split", at)):
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
                    and type(pair[1]) is int and abs(pair[1]) <= MAX_MONEY_FEN):
                raise _bad("bad_payload", f"{at}.origin_split[{j}] must be [county, fen]",
                           f"{at}.origin_split[{j}] 应为 [产地, 金额]", field=f"{at}.origin_split[{j}]")
    for i, t in enumerate(_items(p, "refunds", "payload")):
        _fields(t, f"payload.refunds[{i}]", {"kind": "str", "amount": "money"}, {"reference": "str?", "of": "int?"})


def _reprint(p: dict[str, Any], terminal: str) -> None:
    _fields(p, "payload", {"receipt_no": "str"}, {"by": "str"})
    doc_no(p["receipt_no"], terminal, "receipt_no")


# The till's other kinds that head office adds up (derive.py): the fields it reads, with their types.
# Kinds it does not read (login, hold, void, override, …) need only be JSON objects, so a till
# whose older entries wrote them differently (hold_no was once a number) is never stuck.
_SIMPLE: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "cash_in": ({}, {"amount": "money", "reason": "str", "shift": "int?"}),
    "cash_out": ({}, {"amount": "money", "reason": "str", "shift": "int?"}),
    "shift_close": ({}, {"counted_total": "money", "expected_cash": "money", "variance": "money", "totals": "dict"}),
    "z_closure": ({"day": "str", "totals": "dict"}, {"grand_total": "money", "grand_total_before": "money",
                                                     "first_seq": "int?", "last_seq": "int?", "entries": "int"}),
    "reconcile": ({"day": "str", "declared": "dict"}, {"notes": "str", "no_statement": "dict"}),
    "day_approved": ({"day": "str"}, {"lines": "list"}),
}
_DAY_FIELD = {"z_closure", "reconcile", "day_approved"}


def _money_values(obj: dict[str, Any], path: str) -> None:
    for k, v in obj.items():
        if v is not None and (type(v) is not int or not -MAX_MONEY_FEN <= v <= MAX_MONEY_FEN):
            raise _bad("bad_payload", f"{path}.{k} must be whole fen or null, not {_show(v)}",
                       f"{path}.{k} 应为整数（分）或空", field=f"{path}.{k}")


def _day_kinds(kind_: str, p: dict[str, Any]) -> None:
    """What the dashboard adds up from a Z, a reconciliation and an approved day."""
    business_day(p["day"], "payload.day", "bad_payload")
    if kind_ == "z_closure":
        _fields(p["totals"], "payload.totals", {}, {"net": "money"})
    elif kind_ == "reconcile":
        _money_values(p["declared"], "payload.declared")
    else:
        for i, ln in enumerate(_items(p, "lines", "payload")):
            _fields(ln, f"payload.lines[{i}]", {}, {"variance": "money?", "expected": "money?", "declared": "money?"})


# -- the fast path: payloads decoded and type-checked in C (msgspec), each decoded once ---------------
# A payload the fast path accepts is one the rules above accept: every integer within 64 bits (money
# within MAX_MONEY_FEN), no floats, NaN or NUL anywhere, a sale's fields of the types _sale() asks. A
# payload it cannot vouch for (a field it does not know, nesting deeper than it looks, any error) goes
# through the rules above, which accept it or name the problem — so answers never differ, only speed.
try:
    import msgspec
except ImportError:  # pragma: no cover - installed with head office; without it every payload takes the rules above
    msgspec = None  # type: ignore[assignment]

if msgspec is not None:
    from typing import Annotated

    _I64 = Annotated[int, msgspec.Meta(ge=-MAX_INT, le=MAX_INT)]
    _Money = Annotated[int, msgspec.Meta(ge=-MAX_MONEY_FEN, le=MAX_MONEY_FEN)]
    _J: Any = str | _I64 | bool | None  # any JSON of text, 64-bit integers, booleans, null, lists, objects …
    for _depth in range(8):  # … nested up to 8 deep (deeper: the rules above)
        _J = str | _I64 | bool | None | list[_J] | dict[str, _J]

    # Fields in the order of their names, as the till writes them (canonical JSON, sorted keys): msgspec then finds
    # each key where it expects it, without searching the struct's fields (≈10 % of the sale's decode).
    class _Component(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True):
        category: str = ""
        name: str = ""
        origin: str = ""
        quantity: _I64 = 0
        revenue: _Money
        sku: str = ""
        tax_rate_bp: _J = None

    class _Line(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True):
        amount: _Money
        approvals: _J = None
        barcode: str | None = None
        category: str = ""
        components: list[_Component] = []
        discount: _Money = 0
        gross: _Money = 0
        label_amount: _J = None
        line_no: _I64 = 0
        list_price: _J = None
        list_value: _J = None
        name: str = ""
        origin: str = ""
        points_share: _Money = 0
        promo: _J = None  # [[promotion id, version, fen], …] (issue 17)
        promotion: _Money = 0
        quantity: _I64 = 0
        reductions: _J = None
        rounding_share: _Money = 0
        sale_discount_share: _Money = 0
        sku: str = ""
        sold_by: str = ""
        tax_rate_bp: _I64 | None = None
        unit: _J = None
        unit_price: _Money = 0
        variant: _J = None

    class _Tender(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True):
        amount: _Money
        kind: str
        reference: str | None = None

    class _Sale(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True):
        approvals: _J = None
        cashier: str = ""
        cashier_name: str = ""
        change: _Money = 0
        discount: _Money = 0
        draws: _J = None  # the lots each line drew (issue 15)
        lines: list[_Line]
        list_total: _J = None
        member: _J = None  # the member (issue 17)
        paid: _Money = 0
        promo_version: _J = None
        promos: _J = None  # the named promotions (issue 17)
        receipt_no: str
        reductions: _J = None
        rounding: _Money = 0
        rounding_mode: _J = None
        sale_discount: _J = None
        shift: _I64 | None = None
        subtotal: _Money = 0
        tax: _J = None
        tenders: list[_Tender] = []
        total: _Money
        training: bool = False

    _SALE = msgspec.json.Decoder(_Sale)
    _OBJECT = msgspec.json.Decoder(dict[str, _J])
    # RecursionError: JSON nested beyond the interpreter's depth (a till report of 5,000 brackets): the rules answer
    _FAILED: tuple[type[BaseException], ...] = (msgspec.MsgspecError, UnicodeError, ValueError, RecursionError)


def _fast_payload(kind_: str, text: str, terminal: str, data: bytes | None = None) -> bool:
    """True when the payload is certainly acceptable (checked in C); False: let the rules decide."""
    if msgspec is None or "\\u0000" in text:
        return False
    try:
        data = text.encode() if data is None else data  # msgspec reads UTF-8 bytes faster than a str holding Chinese
        if kind_ == "sale":
            return _DOC_NO_OK(_SALE.decode(data).receipt_no, terminal)
        p = _OBJECT.decode(data)
    except _FAILED:
        return False
    try:
        _kind_rules(kind_, p, terminal)
    except HeadOfficeError:
        return False
    return True


def _DOC_NO_OK(value: str, terminal: str) -> bool:  # noqa: N802 - reads as the rule it checks
    m = _DOC_NO.fullmatch(value)
    return m is not None and m.group("terminal") == terminal


def payload_for(kind_: str, text: str, terminal: str) -> dict[str, Any]:
    """Parse ``text`` and check it holds what an entry of ``kind_`` needs; returns the parsed payload."""
    p = parse_payload(text)
    _kind_rules(kind_, p, terminal)
    return p


def check_payload(kind_: str, text: str, terminal: str) -> None:
    """:func:`payload_for` without the parsed payload: the C fast path first, the rules when it cannot vouch."""
    if not _fast_payload(kind_, text, terminal):
        payload_for(kind_, text, terminal)


def _kind_rules(kind_: str, p: dict[str, Any], terminal: str) -> None:
    if kind_ == "sale":
        _sale(p, terminal)
    elif kind_ == "return":
        _return(p, terminal)
    elif kind_ == "reprint":
        _reprint(p, terminal)
    elif kind_ in _SIMPLE:
        required, optional = _SIMPLE[kind_]
        _fields(p, "payload", required, optional)
        if kind_ in _DAY_FIELD:
            _day_kinds(kind_, p)


# -- entries and batches --------------------------------------------------------------------------
FIELDS = ("seq", "kind", "business_day", "created_at", "payload", "prev_hash", "hash")


def entry(raw: Any, terminal: str, objects: bool = False) -> StoredEntry:
    """One entry of a batch, every field checked (the hash chain is checked later, in order). ``objects``: a
    format 2 batch, whose payloads may be JSON objects (judged as their canonical JSON text, which is what the
    till hashed: any other text fails the chain check)."""
    if not isinstance(raw, dict):
        raise _bad("bad_entry", "the entry is not a JSON object", "记录不是 JSON 对象")
    missing = [k for k in FIELDS if k not in raw]
    if missing:
        raise _bad("bad_entry", f"the entry has no {', '.join(missing)}", f"记录缺少 {', '.join(missing)}",
                   field=missing[0])
    s = seq(raw["seq"])
    k = kind(raw["kind"])
    day = business_day(raw["business_day"])
    at = created_at(raw["created_at"])
    prev = hex_hash(raw["prev_hash"], "prev_hash")
    h = hex_hash(raw["hash"], "hash")
    text = raw["payload"]
    if objects and isinstance(text, dict):
        text = _canonical_text(text)
    if not isinstance(text, str):
        raise _bad("bad_payload", "payload must be the entry's canonical JSON text", "payload 必须是记录的规范 JSON 文本",
                   field="payload")
    check_payload(k, text, terminal)
    return StoredEntry(terminal, s, k, day, at, text, prev, h)


def parsed_body(body: bytes) -> Any:
    """A batch body as JSON, for the rules (:func:`batch`) to judge; in format 2 each payload object is put back
    as its text exactly as it is in the body, the bytes the till hashed (so the rules and the chain check judge
    what was sent, as in format 1)."""
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        raise HeadOfficeError("bad_batch", 400, "the batch is not JSON", "批次不是有效的 JSON") from None
    if isinstance(raw, dict) and raw.get("v") == 2 and isinstance(raw.get("entries"), list) and msgspec is not None:
        try:
            texts = _PAYLOADS.decode(body).entries
        except _FAILED:
            texts = []
        if len(texts) == len(raw["entries"]):
            for e, t in zip(raw["entries"], texts, strict=True):
                if isinstance(e, dict) and isinstance(e.get("payload"), dict) and bytes(t.payload)[:1] == b"{":
                    try:
                        e["payload"] = bytes(t.payload).decode("utf-8")
                    except UnicodeError:
                        pass
    return raw


def _canonical_text(payload: dict[str, Any]) -> str:
    """A format 2 payload as the JSON text it stands for (sorted keys, no spaces, UTF-8), floats and NaN
    written out so that the payload rules name them."""
    try:
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        raise _bad("bad_payload", "payload is not JSON of integers and text", "payload 不是有效的 JSON（只允许整数和文本）",
                   field="payload") from None


def batch(raw: Any, terminal: str, max_entries: int) -> list[StoredEntry]:
    """Every entry of a batch body ``{"entries": [...], "till": {...}?}``, or a refusal naming the first bad one."""
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        raise _bad("bad_batch", "a batch is a JSON object with a list of entries", "批次应为含记录列表（entries）的 JSON 对象")
    items = raw["entries"]
    if len(items) > max_entries:
        raise HeadOfficeError("batch_too_large", 413, f"a batch holds at most {max_entries} entries, this one {len(items)}",
                              f"每批最多 {max_entries} 条记录，本批 {len(items)} 条")
    till = raw.get("till")
    if till is not None and not isinstance(till, dict):
        raise _bad("bad_batch", "the batch's till report must be an object", "批次中的收银机信息（till）必须是对象")
    v = raw.get("v", 1)
    if type(v) is not int or not 1 <= v <= BATCH_FORMAT:
        raise _bad("bad_batch", f"batch format v {_show(v)} is not one head office reads (1 to {BATCH_FORMAT}); "
                   "update head office", f"总部不支持批次格式 v {_show(v)}（支持 1–{BATCH_FORMAT}），请升级总部")
    out = []
    for i, e in enumerate(items):
        try:
            out.append(entry(e, terminal, v == 2))
        except HeadOfficeError as exc:
            where_seq = e.get("seq") if isinstance(e, dict) and type(e.get("seq")) is int else None
            if exc.code == "bad_seq":
                where_seq = None
            where = f"entry {i + 1}" + (f" (seq {where_seq})" if where_seq is not None else "")
            raise HeadOfficeError(exc.code, exc.status, f"{where} of the batch: {exc.message}",
                                  f"批次第 {i + 1} 条记录：{exc.message_zh}", index=i, seq=where_seq, **exc.extra) from None
    return out


def fast_batch(body: bytes, terminal: str, max_entries: int) -> tuple[Any, list[StoredEntry]] | None:
    """``(till, entries)`` of a batch body decoded once, in C, with every check :func:`batch` makes; None
    when anything is off (or msgspec is missing): then :func:`batch` over ``json.loads(body)`` decides
    and names the problem, so a bad batch gets exactly the answer it always got."""
    fast = fast_decode(body, terminal, max_entries)
    return None if fast is None else fast[:2]


def fast_decode(body: bytes, terminal: str, max_entries: int) -> tuple[Any, list[StoredEntry], bool, bool] | None:
    """:func:`fast_decode_raw` without the payloads' bytes."""
    fast = fast_decode_raw(body, terminal, max_entries)
    return None if fast is None else fast[:4]


def fast_decode_raw(body: bytes, terminal: str, max_entries: int,
                    ) -> tuple[Any, list[StoredEntry], bool, bool, list[bytes]] | None:
    """:func:`fast_batch`, the batch's ``sent_ahead`` flag (the till sent it before the one before was
    acknowledged) and whether the batch's own chain holds (:func:`links_ok`, worked out in the same pass
    over each payload's UTF-8 bytes, which the payload check has made anyway).

    Both batch formats (:data:`BATCH_FORMAT`): a payload sent as its JSON text in a string (format 1), or,
    in a body that says ``"v":2``, as that JSON object itself: then the payload's bytes in the body are the
    bytes that were hashed, checked and stored as they are, never unescaped or encoded again. The entry's
    seq, time and lengths are checked in C as they are decoded (the patterns of the rules above, anchored with
    ``\\Z``); its kind once per kind seen, and its hashes' form where the batch's own chain does not vouch for it."""
    if msgspec is None or b"\\u0000" in body:  # a NUL can be written only so, in either format: the rules name it
        return None
    try:
        doc = _BATCH.decode(body)
    except _FAILED:
        return None
    if len(doc.entries) > max_entries:
        return None
    out: list[StoredEntry] = []
    payloads: list[bytes] = []  # each entry's payload as UTF-8 bytes, for a COPY buffer that need not encode it again
    days, kinds = _DAYS_SEEN, _KINDS_SEEN
    objects = doc.v == 2
    linked = terminal.isascii() and terminal.isalnum()
    sha, tail = hashlib.sha256, ',"terminal_id":"' + terminal + '"}'
    prev_hash, prev_seq = None, 0
    from_iso, sale, doc_no, text_of, entry_ = datetime.fromisoformat, _SALE.decode, _DOC_NO.fullmatch, _TEXT.decode, \
        StoredEntry
    try:
        for e in doc.entries:
            k, day, at, prev, seq_, h_ = e.kind, e.business_day, e.created_at, e.prev_hash, e.seq, e.hash
            data = bytes(e.payload)
            first = data[:1]
            if first == b"{" and objects:  # format 2: the payload's own JSON, exactly as hashed
                text = data.decode()
            elif first == b'"':  # format 1: the payload's JSON text in a string
                text = text_of(data)
                data = text.encode()
                if b"\\u0000" in data:  # unescaped from the body's string (which may spell it \u005cu0000)
                    return None
            else:
                return None
            from_iso(at[:19])  # a real time (ValueError: the rules say what is wrong)
            if day not in days:
                business_day(day)
                if len(days) > 4096:
                    days.clear()
                days.add(day)
            if k not in kinds:
                if not _KIND.fullmatch(k):
                    return None
                if len(kinds) > 4096:
                    kinds.clear()
                kinds.add(k)
            if k == "sale":
                m = doc_no(sale(data).receipt_no)
                if m is None or m.group("terminal") != terminal:
                    return None
            elif not _fast_payload(k, text, terminal, data):
                return None
            if linked:
                if prev_hash is not None and (seq_ != prev_seq + 1 or prev != prev_hash):
                    linked = False
                else:
                    digest = sha(f'{prev}{{"business_day":"{day}","created_at":"{at}","kind":"{k}","payload":'.encode())
                    digest.update(data)  # the payload's bytes hashed where they are, not copied into one string
                    digest.update(f',"prev_hash":"{prev}","seq":{seq_}{tail}'.encode())
                    linked = digest.hexdigest() == h_
                prev_hash, prev_seq = h_, seq_
            out.append(entry_(terminal, seq_, k, day, at, text, prev, h_))
            payloads.append(data)
    except (HeadOfficeError, *_FAILED):
        return None
    # The hashes' form: a chain found linked is made of sha256 hex digests (each hash equals one, each prev_hash
    # is the hash before it), so only the first prev_hash is left to look at; otherwise every one is.
    hashed = out[:1] if linked else out
    if not all(_HASH.fullmatch(e.prev_hash) and (linked or _HASH.fullmatch(e.hash)) for e in hashed):
        return None
    return doc.till, out, doc.sent_ahead is True, linked, payloads


def links_ok(batch: list[StoredEntry], terminal: str) -> bool:
    """True when every entry's hash is right and each entry follows the one before it (seq + 1, prev_hash):
    the batch's own chain, checked before any lock is taken; its link to what head office holds is left to
    the store. False says nothing but "not sure": the full check (pos.domain.ledger.verify_chain) decides.

    The same bytes as ``hash_stored``: the checked fields (kind, day, time, hashes, the terminal id) hold no
    character JSON escapes, so their JSON strings are the values in quotes, written here in one format."""
    if not (terminal.isascii() and terminal.isalnum()):
        return False
    sha, tail = hashlib.sha256, ',"terminal_id":"' + terminal + '"}'
    prev_hash, prev_seq = None, 0
    for e in batch:
        if prev_hash is not None and (e.seq != prev_seq + 1 or e.prev_hash != prev_hash):
            return False
        prev_hash, prev_seq = e.hash, e.seq
        text = (f'{e.prev_hash}{{"business_day":"{e.business_day}","created_at":"{e.created_at}","kind":"{e.kind}",'
                f'"payload":{e.payload_text},"prev_hash":"{e.prev_hash}","seq":{e.seq}{tail}')
        if sha(text.encode()).hexdigest() != prev_hash:
            return False
    return True


_DAYS_SEEN: set[str] = set()  # business days already found real (a batch holds a few of them, thousands of times)
_KINDS_SEEN: set[str] = set()  # kinds already found well formed (_KIND)

if msgspec is not None:
    _Seq = Annotated[int, msgspec.Meta(ge=1, le=MAX_SEQ)]
    # kind and the hashes are checked against _KIND and _HASH after decoding, at most once per kind and only where
    # the chain does not vouch for a hash (a pattern here runs Python's re per field: ≈40 % of the body's decode)
    _HashText = Annotated[str, msgspec.Meta(min_length=64, max_length=64)]
    _TimeText = Annotated[str, msgspec.Meta(max_length=MAX_CREATED_AT, pattern=(  # _TIME
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})\Z"))]

    class _WireEntry(msgspec.Struct, gc=False):
        seq: _Seq
        kind: str
        business_day: str
        created_at: _TimeText
        payload: msgspec.Raw  # a JSON string (format 1) or, in format 2, the JSON object itself
        prev_hash: _HashText
        hash: _HashText

    class _WireBatch(msgspec.Struct):
        entries: list[_WireEntry]
        till: dict[str, Any] | None = None
        sent_ahead: bool = False
        v: Annotated[int, msgspec.Meta(ge=1, le=BATCH_FORMAT)] = 1

    _BATCH = msgspec.json.Decoder(_WireBatch)

    class _PayloadOnly(msgspec.Struct, gc=False):
        payload: msgspec.Raw = msgspec.Raw(b"")

    class _Payloads(msgspec.Struct):
        entries: list[_PayloadOnly]

    _PAYLOADS = msgspec.json.Decoder(_Payloads)
    _TEXT = msgspec.json.Decoder(str)


# -- enrolment ------------------------------------------------------------------------------------
MAX_CODE_TEXT = 64


def enrolment(raw: Any) -> tuple[str, str, str]:
    """``{"terminal_id", "store", "code"}`` of an enrolment request, as three strings."""
    if not isinstance(raw, dict):
        raise _bad("bad_request", "enrolment needs a JSON object with terminal_id, store and code",
                   "登记请求应为含收银机编号、门店和登记码的 JSON 对象")
    out = []
    for name, required in (("terminal_id", True), ("store", False), ("code", True)):
        value = raw.get(name, "" if not required else None)
        if not isinstance(value, str) or (required and not value.strip()):
            raise _bad("bad_request", f"enrolment needs {name} as text", f"登记请求需要文本形式的 {name}", field=name)
        if len(value) > MAX_CODE_TEXT:
            raise _bad("bad_request", f"{name} is too long ({MAX_CODE_TEXT} characters at most)",
                       f"{name} 过长（最多 {MAX_CODE_TEXT} 个字符）", field=name)
        out.append(no_nul(value, name))
    return out[0], out[1], out[2]


def query_text(value: str, what: str) -> str:
    """A query-string filter: no NUL, no more than 200 characters."""
    no_nul(value, what)
    if len(value) > 200:
        raise _bad("bad_filter", f"{what} is too long", f"{what} 过长", field=what)
    return value
