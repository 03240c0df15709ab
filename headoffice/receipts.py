"""Receipt pages: the trace page behind a receipt's QR, customers' invoice (开票) requests, the queue.

A receipt's QR carries ``/r/<terminal>/<receipt_no>.<sig>`` (pos.domain.trace_code): the signature
is checked with the till's key (``terminals.secret``) before anything is looked up, and a wrong,
missing or malformed one is answered exactly like an unknown receipt (404). Wrong signatures are
counted per client address; past :data:`BAD_LIMIT` in :data:`WINDOW_S` that address gets 429.

What the trace page shows is read from the sale as the till sent it: products, origin county, and
for each line the lots it drew (the sale's ``draws``) as the till received them (``batch_lots``:
delivery batch, 合格证 number, quarantine certificate number, arrival date), the store and the
day. Never the cashier, member data, supplier or cost, or payment references.

An invoice request's amount is the sale's total less what was refunded against it, from the
journal; the form gives only 发票抬头, 纳税人识别号 (checked with GB 32100's check character) and
an optional e-mail. One request per receipt; a second submission changes it until exported.
"""

from __future__ import annotations

import json
import random
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from pos.domain.cart import format_quantity
from pos.domain.trace_code import parse_ref, verify

from . import batches, derive
from .accounts import audit
from .schema import documents, entries, master_versions, retired_keys, terminals
from .schema_receipts import invoice_requests, trace_hits
from .service import HeadOfficeError, iso, latest_master, utc_now

WINDOW_S = 10 * 60
BAD_LIMIT = 20  # wrong or missing signatures per client address per window
SUBMIT_LIMIT = 20  # invoice submissions per client address per window
SHOWN_TZ = timezone(timedelta(hours=8))  # times on the pages: 北京时间
PERSONAL_TITLE = "个人"
PENDING = "待补充"

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, Z, S, V); the last is a
# check character over the first 17 with weights 3^i mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z]{2,24}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def not_found() -> HeadOfficeError:
    return HeadOfficeError("no_receipt", 404, "there is no such receipt; scan the code on your receipt again",
                           "没有找到这张小票，请重新扫描小票上的二维码")


def too_many() -> HeadOfficeError:
    return HeadOfficeError("throttled", 429, f"too many requests from your address; try again in {WINDOW_S // 60} minutes",
                           f"您的访问过于频繁，请 {WINDOW_S // 60} 分钟后再试")


# -- input checks ---------------------------------------------------------------------------------
def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _clean(text: str) -> str:
    """Full-width letters and digits made half-width, spaces and dashes dropped, upper case."""
    t = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in t if not ch.isspace() and ch != "-").upper()


def check_tax_no(text: str) -> str:
    """A 18-character 统一社会信用代码 with a correct check character (normalised), or a 400 in words."""
    v = _clean(text)
    if len(v) != 18:
        raise HeadOfficeError("bad_tax_no", 400,
                              f"a taxpayer number (unified social credit code) has 18 characters, not {len(v)}",
                              f"纳税人识别号（统一社会信用代码）应为 18 位，您填写了 {len(v)} 位")
    bad = sorted({ch for ch in v if ch not in USCC_ALPHABET})
    if bad:
        shown = "".join(ch if ch.isprintable() else "?" for ch in bad)[:8]
        raise HeadOfficeError("bad_tax_no", 400,
                              f"a taxpayer number holds only digits and capital letters other than I, O, Z, S, V (found {shown})",
                              f"纳税人识别号只含数字和大写字母（不含 I、O、Z、S、V），其中有不允许的字符：{shown}")
    if uscc_check_char(v[:17]) != v[17]:
        raise HeadOfficeError("bad_tax_no", 400,
                              "the taxpayer number's check character does not match; please check it digit by digit",
                              "纳税人识别号校验位不符，请逐位核对")
    return v


@dataclass(frozen=True)
class InvoiceInput:
    title: str
    tax_no: str
    email: str


def check_request(title: str, tax_no: str, email: str) -> InvoiceInput:
    """The form's three fields, checked and normalised; each problem is a 400 in both languages."""
    t = unicodedata.normalize("NFKC", title or "").strip()
    t = " ".join(t.split())
    if not t:
        raise HeadOfficeError("bad_title", 400, "enter the invoice title (company name, or 个人 for a person)",
                              "请填写发票抬头（单位名称；个人请填“个人”）")
    if len(t) > 100 or any(not ch.isprintable() for ch in t):
        raise HeadOfficeError("bad_title", 400, "the invoice title is at most 100 printable characters",
                              "发票抬头最多 100 个字符，且不能含控制字符")
    raw_tax = (tax_no or "").strip()
    if t == PERSONAL_TITLE and not raw_tax:
        tax = ""
    elif not raw_tax:
        raise HeadOfficeError("tax_no_needed", 400,
                              "a company title needs its taxpayer number (18 characters); a person writes 个人 as the title",
                              "单位抬头需要填写纳税人识别号（18 位统一社会信用代码）；个人请在抬头填写“个人”")
    else:
        tax = check_tax_no(raw_tax)
    mail = unicodedata.normalize("NFKC", email or "").strip()
    if mail and (len(mail) > 254 or not _EMAIL.fullmatch(mail)):
        raise HeadOfficeError("bad_email", 400, "the e-mail address does not look right (e.g. name@example.com); it may be left empty",
                              "电子邮箱格式不正确（例如 name@example.com），也可以不填")
    return InvoiceInput(t, tax, mail)


def masked_email(email: str) -> str:
    """``c***@example.cn``: enough for the customer to recognise, not to read someone else's address
    off a receipt found in the street."""
    local, at, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if at and local else ""


def parse_day(text: str | None, what_en: str, what_zh: str) -> str | None:
    """``YYYY-MM-DD`` (a real day) or None for empty; anything else is a 400 naming the field."""
    raw = (text or "").strip()
    if not raw:
        return None
    shown = "".join(ch if ch.isprintable() else "?" for ch in raw)[:24]
    if _DAY.fullmatch(raw):
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            pass
    raise HeadOfficeError("bad_date", 400, f"{what_en} '{shown}' is not a date like 2026-11-01",
                          f"{what_zh}“{shown}”不是有效日期，格式应为 2026-11-01")


# -- rate limit -----------------------------------------------------------------------------------
def throttled(engine: Engine, client: str, kind: str, limit: int) -> bool:
    since = int(time.time()) - WINDOW_S
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(trace_hits).where(
            trace_hits.c.client == client[:64], trace_hits.c.kind == kind, trace_hits.c.at >= since)).scalar() or 0
    return n >= limit


def note_hit(engine: Engine, client: str, kind: str) -> None:
    now = int(time.time())
    with engine.begin() as conn:
        if random.random() < 0.02:
            conn.execute(delete(trace_hits).where(trace_hits.c.at < now - WINDOW_S))
        conn.execute(insert(trace_hits).values(client=client[:64], kind=kind, at=now))


# -- the receipt ------------------------------------------------------------------------------------
def _shown_time(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        t = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(SHOWN_TZ).strftime("%Y-%m-%d %H:%M")


_BATCH_KEYS = ("batch", "batch_no", "delivery_batch")
_CERT_KEYS = ("certificate", "certificate_no", "cert_no", "hgz_no")
_ARRIVAL_KEYS = ("arrival", "arrival_date", "arrived_on", "arrived_at")


def _values(sources: list[dict[str, Any]], keys: tuple[str, ...], *, day: bool = False) -> str:
    out: list[str] = []
    for src in sources:
        for k in keys:
            v = src.get(k)
            if isinstance(v, str | int) and not isinstance(v, bool) and str(v).strip():
                text = str(v).strip()[:10 if day else 60]
                if text not in out:
                    out.append(text)
                break
    return "、".join(out)


_QUARANTINE_KEYS = ("quarantine", "quarantine_no")


def trace_line(line: dict[str, Any], drawn: list[dict[str, Any]] | None = None) -> dict[str, str]:
    """One sale line as the trace page shows it. Origin, batch, 合格证, quarantine number and arrival come
    from the lots the line drew (``drawn``: the received lots of the sale's ``draws`` for this line, as
    head office holds them), else from the line's own ``lots`` or the line itself; else 待补充."""
    lots = [x for x in (line.get("lots") or []) if isinstance(x, dict)] if isinstance(line.get("lots"), list) else []
    drawn = drawn or []
    sources = drawn + lots + [line]
    comps = [c for c in (line.get("components") or []) if isinstance(c, dict)]
    origins = [str(c.get("origin") or "").strip() for c in comps] or [str(line.get("origin") or "").strip()]
    origins = [str(x.get("origin") or "").strip() for x in drawn] + origins
    origin = "、".join(dict.fromkeys(o for o in origins if o))
    weighed = line.get("sold_by") == "weight"
    qty = line.get("quantity")
    return {
        "name": str(line.get("name") or ""),
        "quantity": format_quantity(weighed, qty) if isinstance(qty, int) and not isinstance(qty, bool) else "",
        "origin": origin or PENDING,
        "batch": _values(sources, _BATCH_KEYS) or PENDING,
        "certificate": _values(sources, _CERT_KEYS) or PENDING,
        "quarantine": _values(sources, _QUARANTINE_KEYS),  # only meat carries one: blank, not 待补充
        "arrival": _values(sources, _ARRIVAL_KEYS, day=True) or PENDING,
    }


def drawn_lots(conn: Connection, terminal: str, payload: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """The lots each sale line drew (sale line_no -> received lots, in draw order), from the sale's
    ``draws`` and the lots head office holds; a draw it cannot read, or past zero (no lot), is left out."""
    draws = payload.get("draws")
    if not isinstance(draws, list):
        return {}
    wanted: dict[int, dict[str, dict[str, Any]]] = {}
    for d in draws:
        if isinstance(d, dict) and type(d.get("line")) is int and isinstance(d.get("lot"), str) and d["lot"]:
            wanted.setdefault(d["line"], {}).setdefault(d["lot"], d)
    if not wanted:
        return {}
    found = batches.lots_of(conn, terminal, [x for ids in wanted.values() for x in ids])
    # a lot head office holds no receipt of: what the draw itself names (its batch, its 合格证)
    return {line: [found.get(x) or {"batch": d.get("batch"), "certificate": d.get("certificate")} for x, d in ids.items()]
            for line, ids in wanted.items()}


@dataclass(frozen=True)
class TracedReceipt:
    terminal_id: str
    receipt_no: str
    sig: str
    store_code: str
    synced: bool  # head office holds the sale
    store_name: str = ""
    business_day: str = ""
    sold_at: str = ""
    lines: tuple[dict[str, str], ...] = ()
    total_fen: int = 0
    refunded_fen: int = 0

    @property
    def invoice_fen(self) -> int:
        return self.total_fen - self.refunded_fen

    @property
    def path(self) -> str:
        return f"/r/{self.terminal_id}/{self.receipt_no}.{self.sig}"


_names: dict[str, tuple[int, str]] = {}  # store -> (master version, store name): the document is parsed once per version


def store_name_of(engine: Engine, store: str) -> str:
    """The store's name if its published settings carry one (``settings.store_name``), else ""."""
    with engine.connect() as conn:
        version = conn.execute(select(func.max(master_versions.c.version))
                               .where(master_versions.c.store_code == store)).scalar()
    if version is None:
        return ""
    cached = _names.get(store)
    if cached and cached[0] == version:
        return cached[1]
    found = latest_master(engine, store)
    settings = (found[1].get("settings") or {}) if found else {}
    name = str(settings.get("store_name") or "")[:60] if isinstance(settings, dict) else ""
    _names[store] = (int(version), name)
    return name


def open_receipt(engine: Engine, terminal: str, ref: str, client: str) -> TracedReceipt:
    """The receipt behind a trace address, after checking its signature; 404 for anything else."""
    if throttled(engine, client, "bad", BAD_LIMIT):
        raise too_many()
    parsed = parse_ref(terminal, ref)
    secret_row, keys = None, []
    if parsed is not None:
        with engine.connect() as conn:
            secret_row = conn.execute(select(terminals.c.secret, terminals.c.store_code)
                                      .where(terminals.c.terminal_id == parsed[0])).first()
            keys = [secret_row.secret] if secret_row is not None and secret_row.secret else []
            if keys:  # then the keys the till had before it enrolled again (its older receipts)
                keys += conn.execute(select(retired_keys.c.secret).where(retired_keys.c.terminal_id == parsed[0])
                                     .order_by(retired_keys.c.retired_at.desc())).scalars().all()
    if parsed is None or not any(verify(bytes.fromhex(k), parsed[0], parsed[1], parsed[2]) for k in keys):
        note_hit(engine, client, "bad")
        raise not_found()
    terminal, receipt_no, sig = parsed
    derive.fresh(engine)
    with engine.connect() as conn:
        doc = conn.execute(select(documents.c.seq, documents.c.store_code, documents.c.business_day,
                                  documents.c.amount_fen, documents.c.training, entries.c.payload, entries.c.created_at)
                           .join(entries, and_(entries.c.terminal_id == documents.c.terminal_id,
                                               entries.c.seq == documents.c.seq))
                           .where(documents.c.terminal_id == terminal, documents.c.doc_no == receipt_no,
                                  documents.c.kind == "sale")).first()
        if doc is None:
            return TracedReceipt(terminal, receipt_no, sig, secret_row.store_code, synced=False)
        if doc.training:
            raise not_found()
        pattern = f'%"receipt_no":"{receipt_no}"%'  # canonical JSON; receipt numbers hold only A-Z 0-9 -
        refunded = conn.execute(select(func.coalesce(func.sum(documents.c.amount_fen), 0))
                                .select_from(documents.join(entries, and_(entries.c.terminal_id == documents.c.terminal_id,
                                                                          entries.c.seq == documents.c.seq)))
                                .where(documents.c.store_code == doc.store_code, documents.c.kind == "return",
                                       documents.c.business_day >= doc.business_day,
                                       documents.c.training.is_(False), entries.c.payload.like(pattern))).scalar()
        payload = json.loads(doc.payload)
        drawn = drawn_lots(conn, terminal, payload)
    store_name = store_name_of(engine, doc.store_code)
    lines = tuple(trace_line(ln, drawn.get(ln.get("line_no")) if type(ln.get("line_no")) is int else None)
                  for ln in payload.get("lines", ()) if isinstance(ln, dict))
    return TracedReceipt(terminal, receipt_no, sig, doc.store_code, True, store_name, doc.business_day,
                         _shown_time(doc.created_at), lines, int(doc.amount_fen), -int(refunded or 0))


# -- invoice requests ---------------------------------------------------------------------------------
def request_of(engine: Engine, terminal: str, receipt_no: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(invoice_requests).where(invoice_requests.c.terminal_id == terminal,
                                                          invoice_requests.c.receipt_no == receipt_no)).first()
    return dict(row._mapping) if row else None


def submit_request(engine: Engine, receipt: TracedReceipt, form: InvoiceInput) -> tuple[dict[str, Any], bool]:
    """Save the request for ``receipt`` (new, or a change to the open one); (the request, whether new)."""
    if not receipt.synced:
        raise HeadOfficeError("not_synced", 409, "this receipt has not reached head office yet; try again later",
                              "这张小票尚未上传到总部，请稍后再试")
    if receipt.invoice_fen <= 0:
        raise HeadOfficeError("nothing_to_invoice", 409, "everything on this receipt was refunded: there is nothing to invoice",
                              "这张小票的商品已全部退货，没有可开票金额")
    now = iso(utc_now())
    values = {"title": form.title, "tax_no": form.tax_no, "email": form.email, "amount_fen": receipt.invoice_fen,
              "updated_at": now}
    keep_email = {k: v for k, v in values.items() if k != "email" or v}  # an empty e-mail keeps the one given before
    key = (invoice_requests.c.terminal_id == receipt.terminal_id, invoice_requests.c.receipt_no == receipt.receipt_no)
    for _attempt in range(2):
        try:
            with engine.begin() as conn:
                row = conn.execute(select(invoice_requests.c.id, invoice_requests.c.exported_at)
                                   .where(*key).with_for_update()).first()
                if row is not None and row.exported_at:
                    raise HeadOfficeError(
                        "already_exported", 409,
                        "the invoice request for this receipt is already with the accountant; ask the store to change it",
                        "这张小票的开票申请已交财务处理，如需更改请联系门店")
                if row is None:
                    conn.execute(insert(invoice_requests).values(
                        terminal_id=receipt.terminal_id, receipt_no=receipt.receipt_no, store_code=receipt.store_code,
                        business_day=receipt.business_day, created_at=now, **values))
                    created = True
                else:
                    conn.execute(update(invoice_requests).where(invoice_requests.c.id == row.id).values(**keep_email))
                    created = False
            break
        except IntegrityError:  # another submission for the same receipt won the race: change that one
            continue
    else:  # pragma: no cover - two lost races in a row
        raise HeadOfficeError("busy", 409, "please submit again", "请重新提交")
    saved = request_of(engine, receipt.terminal_id, receipt.receipt_no)
    assert saved is not None
    return saved, created


@dataclass(frozen=True)
class InvoiceFilter:
    store: str | None = None
    day_from: str | None = None
    day_to: str | None = None
    state: str = "open"  # open | exported | all

    @classmethod
    def parse(cls, store: str | None, day_from: str | None, day_to: str | None, state: str | None) -> InvoiceFilter:
        s = (store or "").strip().upper()
        if s and not (s.isascii() and s.isalnum() and len(s) <= 12):
            shown = "".join(ch if ch.isprintable() else "?" for ch in s)[:16]
            raise HeadOfficeError("bad_store", 400, f"store '{shown}' is 1–12 letters or digits",
                                  f"门店“{shown}”应为 1–12 位字母或数字")
        f = parse_day(day_from, "first day (from)", "起始日")
        t = parse_day(day_to, "last day (to)", "截止日")
        if f and t and f > t:
            raise HeadOfficeError("bad_date", 400, f"the first day {f} is after the last day {t}",
                                  f"起始日 {f} 晚于截止日 {t}")
        st = (state or "open").strip().lower()
        if st not in ("open", "exported", "all"):
            raise HeadOfficeError("bad_state", 400, "state is open, exported or all", "状态应为 未导出、已导出 或 全部")
        return cls(s or None, f, t, st)

    def where(self) -> list[Any]:
        c = invoice_requests.c
        out: list[Any] = []
        if self.store:
            out.append(c.store_code == self.store)
        if self.day_from:
            out.append(c.business_day >= self.day_from)
        if self.day_to:
            out.append(c.business_day <= self.day_to)
        if self.state == "open":
            out.append(c.exported_at.is_(None))
        elif self.state == "exported":
            out.append(c.exported_at.is_not(None))
        return out


def list_requests(engine: Engine, filt: InvoiceFilter, *, limit: int = 1000) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(invoice_requests).where(*filt.where())
                            .order_by(invoice_requests.c.business_day, invoice_requests.c.id).limit(limit)).all()
    out = []
    for r in rows:
        d = dict(r._mapping)
        d["created_shown"] = _shown_time(d["created_at"])
        d["updated_shown"] = _shown_time(d["updated_at"])
        d["exported_shown"] = _shown_time(d["exported_at"])
        out.append(d)
    return out


def stores(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(terminals.c.store_code).distinct().order_by(terminals.c.store_code))]


def _local(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(SHOWN_TZ).replace(tzinfo=None)


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from .xlsx import Column, Sheet, workbook

    cols = [Column("申请号 No.", "int", 10), Column("门店 Store", "text", 10), Column("收银机 Till", "text", 10),
            Column("小票号 Receipt", "text", 22), Column("小票日期 Date", "date", 12),
            Column("发票抬头 Invoice title", "text", 30), Column("纳税人识别号 Taxpayer no.", "text", 22),
            Column("电子邮箱 E-mail", "text", 26), Column("开票金额 Amount", "money", 14),
            Column("提交时间 Submitted (UTC+8)", "datetime", 20), Column("导出时间 Exported (UTC+8)", "datetime", 20)]
    data = [[r["id"], r["store_code"], r["terminal_id"], r["receipt_no"], r["business_day"], r["title"], r["tax_no"],
             r["email"], int(r["amount_fen"]), _local(r["updated_at"]), _local(r["exported_at"])] for r in rows]
    return workbook([Sheet("开票申请 Invoice requests", cols, data,
                           note="金额为小票实收减退款（元）。Amounts: the receipt's total less refunds, in yuan.")])


def export_requests(engine: Engine, filt: InvoiceFilter, *, by: str) -> tuple[bytes, int, int]:
    """The requests ``filt`` selects as XLSX; the ones not exported before are marked exported now,
    journaled in the same transaction. Returns (file, rows in it, newly exported)."""
    now = iso(utc_now())
    with engine.begin() as conn:
        rows = conn.execute(select(invoice_requests).where(*filt.where())
                            .order_by(invoice_requests.c.business_day, invoice_requests.c.id)
                            .with_for_update()).all()
        fresh = [r.id for r in rows if r.exported_at is None]
        if fresh:
            for i in range(0, len(fresh), 500):
                conn.execute(update(invoice_requests).where(invoice_requests.c.id.in_(fresh[i:i + 500]),
                                                            invoice_requests.c.exported_at.is_(None))
                             .values(exported_at=now, exported_by=by[:64]))
        audit(conn, by, "invoice.export", rows=len(rows), newly_exported=len(fresh),
              first_id=min(fresh) if fresh else None, last_id=max(fresh) if fresh else None,
              amount_fen=sum(int(r.amount_fen) for r in rows), store=filt.store, day_from=filt.day_from,
              day_to=filt.day_to, state=filt.state)
        done = set(fresh)
        marked = [{**dict(r._mapping), **({"exported_at": now} if r.id in done else {})} for r in rows]
    return to_xlsx(marked), len(rows), len(fresh)
