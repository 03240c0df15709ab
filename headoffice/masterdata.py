"""Master data from the browser: upload → preview (difference against what is published) → publish.

A draft is a catalogue or price file already checked with the till's own rules
(pos.catalog_files.read_catalog_file, pos.domain.catalog_import.validate_rows), a change of one
till user, or a change of store settings. Publishing turns a draft into the store's next master
data version with an effective time; the tills pick it up at their next sync and apply it when
their clock reaches that time.

Why this module writes the version itself instead of calling service.publish: service.publish
opens its own transaction, and here the new version, the draft marked as published (so a second
click cannot publish it twice) and the change-journal entry must be one transaction. The document
follows service.publish's rules: a full snapshot, version = latest + 1, ``digest`` = sha256 of its
canonical JSON without the digest.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from pos.domain.errors import PosError
from pos.domain.ledger import canonical_json
from pos.domain.money import format_yuan
from pos.domain.pricing import RoundingMode
from pos.domain.users import Role as TillRole
from pos.domain.users import check_pin_format

from .accounts import audit
from .schema import master_versions
from .schema_masterdata import master_drafts
from .service import HeadOfficeError, iso, merged_catalogue, utc_now

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
MAX_UPLOAD = 20 * 1024 * 1024
# catalogue columns (pos.domain.catalog_import field keys) → keys of a product in the master document
JSON_KEYS = {"sku": "sku", "barcode": "barcode", "name": "name", "category": "category", "origin": "origin",
             "unit": "unit", "price": "price", "sold_by": "sold_by", "plu": "plu", "tax_rate": "tax_rate_bp",
             "style": "style", "size": "size", "color": "color", "active": "active"}
ROUNDING_ZH = {"none": "不抹零", "drop_fen": "抹分", "drop_jiao": "抹角", "round_jiao": "四舍五入到角",
               "round_yuan": "四舍五入到元"}
MODES = {"merge": ("价格/部分更新：只改文件里的商品和列", "prices / partial: only the products and columns in the file"),
         "full": ("整表替换：文件里没有的商品停售", "full catalogue: products not in the file stop being sold")}


class FileRefused(HeadOfficeError):
    """A catalogue file with bad rows: ``rows`` lists them in words (row, column, reason)."""

    def __init__(self, name: str, rows: list[dict[str, Any]], more: int) -> None:
        total = len(rows) + more
        super().__init__("catalog_rejected", 400, f"{name}: {total} problem(s); nothing was kept",
                         f"{name}：发现 {total} 处错误，未保存任何内容", rows=rows, more=more)


def _check_store(store: str) -> str:
    v = store.strip().upper()
    if not (v.isascii() and v.isalnum() and 2 <= len(v) <= 12):
        raise HeadOfficeError("bad_id", 400, f"store '{store[:20]}' must be 2–12 letters or digits",
                              f"门店“{store[:20]}”应为 2–12 位字母或数字")
    return v


def _empty(store: str) -> dict[str, Any]:
    return {"store": store, "catalog": {"products": [], "components": {}}, "users": [], "settings": {}}


def _latest(conn: Connection, store: str, *, lock: bool = False) -> tuple[int, dict[str, Any]]:
    q = (select(master_versions.c.version, master_versions.c.document).where(master_versions.c.store_code == store)
         .order_by(master_versions.c.version.desc()).limit(1))
    row = conn.execute(q.with_for_update() if lock else q).first()
    return (int(row.version), json.loads(row.document)) if row else (0, _empty(store))


def published(engine: Engine, store: str) -> tuple[int, dict[str, Any]]:
    with engine.connect() as conn:
        return _latest(conn, _check_store(store))


# -- effective time ------------------------------------------------------------------------------------
def parse_effective(text: str) -> datetime | None:
    """A ``datetime-local`` value (Asia/Shanghai wall time, ``2026-12-05T08:00``) → UTC; '' → None (at once)."""
    t = (text or "").strip()
    if not t:
        return None
    formats = {16: "%Y-%m-%dT%H:%M", 19: "%Y-%m-%dT%H:%M:%S"}  # what a datetime-local input sends
    try:
        local = datetime.strptime(t, formats[len(t)]) if t.isascii() else None
    except (KeyError, ValueError):
        local = None
    if local is None:
        shown = "".join(c for c in t[:40] if c.isprintable())
        raise HeadOfficeError("bad_time", 400, f"'{shown}' is not a date and time like 2026-12-05T08:00",
                              f"“{shown}”不是有效的日期时间（例如 2026-12-05T08:00）")
    if not 2000 <= local.year <= 2199:
        raise HeadOfficeError("bad_time", 400, "the effective time must be between the years 2000 and 2199",
                              "生效时间应在 2000 年到 2199 年之间")
    return local.replace(tzinfo=SHANGHAI).astimezone(UTC)


def local_time(text: str | None) -> str:
    if not text:
        return ""
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


# -- applying a draft to a document ---------------------------------------------------------------------
def apply(doc: dict[str, Any], kind: str, mode: str, content: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``doc`` with the draft applied; refuses (HeadOfficeError) what the tills would refuse."""
    new = json.loads(json.dumps(doc))
    new.pop("digest", None)
    if kind == "catalog":
        _apply_catalog(new, mode, content)
    elif kind == "users":
        _apply_user(new, content)
    elif kind == "settings":
        new.setdefault("settings", {}).update(content)
    elif kind == "promotions":
        _apply_promotions(new, content)
    return new


def _apply_promotions(doc: dict[str, Any], content: dict[str, Any]) -> None:
    """A promotion file is the store's whole set: it replaces the published one as its next version (the
    tills keep the version in force when a sale began, and take a newer one only). The version is the
    publishing minute (``202612040930``), so a set published later always outranks one a till imported
    from a file meanwhile (whose version is one above what it held)."""
    version = max(int((doc.get("promotions") or {}).get("version", 0)) + 1, int(utc_now().strftime("%Y%m%d%H%M")))
    doc["promotions"] = {"version": version,
                         "promotions": [{**p, "version": version} for p in content["promotions"]]}


def _apply_catalog(doc: dict[str, Any], mode: str, content: dict[str, Any]) -> None:
    cat = doc.setdefault("catalog", {"products": [], "components": {}})
    by_sku = {p["sku"]: p for p in cat.get("products", [])}
    keys = [JSON_KEYS[c] for c in content.get("columns", JSON_KEYS) if c in JSON_KEYS]
    in_file = set()
    for p in content["products"]:
        in_file.add(p["sku"])
        old = by_sku.get(p["sku"])
        if old is None or mode == "full":
            by_sku[p["sku"]] = p
        else:  # a price file changes only the columns it has
            by_sku[p["sku"]] = {**old, **{k: p[k] for k in keys if k in p}}
    if mode == "full":
        for sku, p in by_sku.items():
            if sku not in in_file and p.get("active", True):
                by_sku[sku] = {**p, "active": False}
    doc["catalog"] = merged_catalogue(by_sku, cat.get("components") or {}, content.get("components") or {})


def _apply_user(doc: dict[str, Any], u: dict[str, Any]) -> None:
    people = {p["login"]: p for p in doc.get("users", [])}
    login = u["login"]
    cur = dict(people.get(login) or {})
    if not cur:
        if not (u.get("initial_pin") and u.get("role") and u.get("display_name")):
            raise HeadOfficeError("new_user_needs_pin", 400, "a new user needs a name, a role and an initial PIN",
                                  "新用户需要姓名、角色和初始密码")
        cur = {"login": login, "pin_serial": 0}
    if u.get("display_name"):
        cur["display_name"] = u["display_name"]
    if u.get("role"):
        cur["role"] = u["role"]
    cur["active"] = bool(u.get("active", True))
    if u.get("initial_pin"):
        cur["initial_pin"] = u["initial_pin"]
        cur["pin_serial"] = int(cur.get("pin_serial", 0)) + 1
    people[login] = cur
    doc["users"] = sorted(people.values(), key=lambda d: d["login"])


# -- the difference ------------------------------------------------------------------------------------
def percent(old: int, new: int) -> str:
    """``+10.2 %`` — exact fractions, rounded half away from zero to one decimal."""
    if not old:
        return ""
    tenths = Fraction((new - old) * 1000, old)
    n = int(abs(tenths) + Fraction(1, 2))
    sign = "+" if new > old else "−" if new < old else "±"
    return f"{sign}{n // 10}.{n % 10} %"


FIELD_ZH = {"name": "品名", "barcode": "条码", "category": "类别", "origin": "产地", "unit": "单位", "sold_by": "计价方式",
            "plu": "PLU", "tax_rate_bp": "税率", "style": "款式", "size": "尺码", "color": "颜色", "active": "在售"}


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What publishing ``new`` changes against ``old``: products new, changed, removed, price moves; users; settings."""
    before = {p["sku"]: p for p in old.get("catalog", {}).get("products", [])}
    after = {p["sku"]: p for p in new.get("catalog", {}).get("products", [])}
    added, changed, removed, prices = [], [], [], []
    for sku, p in after.items():
        o = before.get(sku)
        if o is None:
            added.append({"sku": sku, "name": p["name"], "price": format_yuan(p["price"]), "origin": p.get("origin") or ""})
            continue
        if o.get("active", True) and not p.get("active", True):
            removed.append({"sku": sku, "name": p["name"]})
            continue
        if o["price"] != p["price"]:
            prices.append({"sku": sku, "name": p["name"], "old": format_yuan(o["price"]), "new": format_yuan(p["price"]),
                           "pct": percent(o["price"], p["price"]), "up": p["price"] > o["price"]})
        fields = [f for f in FIELD_ZH if (o.get(f) or None) != (p.get(f) or None)]
        if fields:
            changed.append({"sku": sku, "name": p["name"],
                            "fields": [(FIELD_ZH[f], f, o.get(f), p.get(f)) for f in fields]})
    for sku, o in before.items():
        if sku not in after:
            removed.append({"sku": sku, "name": o["name"]})
    users_before = {u["login"]: u for u in old.get("users", [])}
    users = []
    for u in new.get("users", []):
        o = users_before.get(u["login"])
        if o == u:
            continue
        what = []
        if o is None:
            what.append(("新用户", "new user"))
        else:
            if o.get("display_name") != u.get("display_name"):
                what.append((f"姓名 {o.get('display_name')} → {u.get('display_name')}", "name"))
            if o.get("role") != u.get("role"):
                what.append((f"角色 {_role_zh(o.get('role'))} → {_role_zh(u.get('role'))}", f"role {o.get('role')} → {u.get('role')}"))
            if o.get("active", True) != u.get("active", True):
                what.append(("停用" if not u.get("active", True) else "启用", "disabled" if not u.get("active", True) else "enabled"))
            if int(u.get("pin_serial", 0)) > int(o.get("pin_serial", 0)):
                what.append(("重设初始密码", "PIN reset"))
        users.append({"login": u["login"], "name": u.get("display_name", ""), "role": _role_zh(u.get("role")), "what": what})
    s_old, s_new = old.get("settings", {}), new.get("settings", {})
    settings = [{"key": k, "old": s_old.get(k), "new": v, "old_zh": ROUNDING_ZH.get(str(s_old.get(k)), s_old.get(k) or "—"),
                 "new_zh": ROUNDING_ZH.get(str(v), v)} for k, v in sorted(s_new.items()) if s_old.get(k) != v]
    promotions = _promotion_diff(old.get("promotions") or {}, new.get("promotions") or {})
    return {"added": added, "changed": changed, "removed": removed, "prices": prices, "users": users,
            "settings": settings, "promotions": promotions,
            "empty": not (added or changed or removed or prices or users or settings or promotions)}


PROMO_KIND_ZH = {"spend_off": "满减", "spend_pct": "满折", "buy_get": "买赠", "nth_pct": "第N件折扣", "special": "特价",
                 "member_price": "会员价", "bundle": "组合价"}


def _promotion_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    """Promotions new, changed and ended between two published sets (the version stamp itself aside)."""
    if old.get("version") == new.get("version"):
        return []

    def plain(p: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in p.items() if k != "version"}

    before = {p["id"]: p for p in old.get("promotions", [])}
    after = {p["id"]: p for p in new.get("promotions", [])}
    out = []
    for pid, p in after.items():
        o = before.get(pid)
        if o is None or plain(o) != plain(p):
            out.append({"id": pid, "name": p.get("name", ""), "kind": PROMO_KIND_ZH.get(p.get("kind"), p.get("kind", "")),
                        "what_zh": "新增" if o is None else "修改", "what": "new" if o is None else "changed"})
    for pid, o in before.items():
        if pid not in after:
            out.append({"id": pid, "name": o.get("name", ""), "kind": PROMO_KIND_ZH.get(o.get("kind"), o.get("kind", "")),
                        "what_zh": "停止", "what": "ended"})
    return out


def _role_zh(role: str | None) -> str:
    try:
        return TillRole(role).label_zh if role else "—"
    except ValueError:
        return str(role)


# -- drafts --------------------------------------------------------------------------------------------
def _new_draft(engine: Engine, by: str, store: str, kind: str, title: str, mode: str, content: dict[str, Any],
               **journal: Any) -> int:
    with engine.begin() as conn:
        did = conn.execute(insert(master_drafts).values(
            store_code=store, kind=kind, status="draft", title=title[:200], mode=mode, content=canonical_json(content),
            created_by=by, created_at=iso(utc_now()))).inserted_primary_key[0]
        audit(conn, by, f"master.draft.{kind}", store=store, draft=int(did), title=title[:200], **journal)
    return int(did)


def _file_name(filename: str | None) -> str:
    """The uploaded file's own name, printable characters only (it is shown and stored)."""
    name = "".join(c for c in Path((filename or "").replace("\\", "/")).name if c.isprintable())[-100:]
    return name or "upload"


def check_catalog(engine: Engine, store: str, filename: str, data: bytes, mode: str) -> dict[str, Any]:
    """A catalogue or price file checked with the till's rules → a draft's content; refused in words."""
    from pos.catalog_files import read_catalog_file
    from pos.domain.catalog_import import map_header, validate_rows
    from pos.services.sync import product_to_json

    store = _check_store(store)
    if mode not in MODES:
        raise HeadOfficeError("bad_mode", 400, "choose how the file applies: prices/partial or full catalogue",
                              "请选择文件的用法：价格/部分更新或整表替换")
    name = _file_name(filename)
    with _uploaded(name, data, "catalogue", "商品") as path:
        try:
            file = read_catalog_file(path)
        except PosError as exc:
            raise HeadOfficeError("bad_file", 400, f"{name}: {exc.message}", f"{name}：{exc.message_zh}") from None
    result = validate_rows(file.header, file.rows, header_row=file.header_row)
    if result.errors:
        rows = [{"row": e.row, "column": e.column, "zh": e.message_zh, "en": str(e)} for e in result.errors]
        raise FileRefused(name, rows, result.more_errors)
    columns, _ = map_header([str(h) for h in file.header], header_row=file.header_row)
    content = {"products": [product_to_json(p) for p in result.products], "columns": sorted(columns),
               "components": {box: [[s, q] for s, q in parts] for box, parts in result.components.items()}}
    _version, doc = published(engine, store)
    apply(doc, "catalog", mode, content)  # a barcode clash or an unknown gift-box part is refused now, not at publish
    return content


@contextmanager
def _uploaded(name: str, data: bytes, what: str, what_zh: str) -> Iterator[Path]:
    """An uploaded .csv/.xlsx file (a catalogue, a promotion file) in a temporary folder while it is read;
    an empty, too large or other kind of file is refused in words first."""
    suffix = Path(name).suffix.casefold()
    if suffix not in (".csv", ".xlsx"):
        raise HeadOfficeError("bad_file", 400, f"{name}: only .csv and .xlsx {what} files are taken",
                              f"{name}：只接受 .csv 或 .xlsx {what_zh}文件")
    if not data:
        raise HeadOfficeError("bad_file", 400, f"{name}: the file is empty (or no file was chosen)",
                              f"{name}：文件是空的（或没有选择文件）")
    if len(data) > MAX_UPLOAD:
        raise HeadOfficeError("file_too_large", 413, f"{name}: a {what} file is at most 20 MB", f"{name}：{what_zh}文件最大 20 MB")
    with tempfile.TemporaryDirectory(prefix="lx-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        yield path


def check_promotions(engine: Engine, store: str, filename: str, data: bytes) -> dict[str, Any]:
    """A promotion file (CSV/XLSX, the till's own columns and rules) → a draft's content; refused in words."""
    from pos.domain.promo_file import PromoFileError
    from pos.promo_files import read_promotion_file

    store = _check_store(store)
    name = _file_name(filename)
    with _uploaded(name, data, "promotion", "促销") as path:
        try:
            promos = read_promotion_file(path, version=0)  # the version is set when it is published
        except PromoFileError as exc:
            rows = [{"row": e.row, "column": e.column, "zh": e.text_zh, "en": str(e)} for e in exc.errors]
            raise FileRefused(name, rows, 0) from None
        except PosError as exc:
            raise HeadOfficeError("bad_file", 400, f"{name}: {exc.message}", f"{name}：{exc.message_zh}") from None
    return {"promotions": [p.to_json() for p in promos]}


def upload_promotions(engine: Engine, by: str, store: str, filename: str, data: bytes) -> int:
    """Check a promotion file with the till's rules and keep it as a draft (the store's next whole set)."""
    content = check_promotions(engine, store, filename, data)
    name = _file_name(filename)
    return _new_draft(engine, by, _check_store(store), "promotions", f"促销 promotions {name}", "", content,
                      promotions=len(content["promotions"]))


def upload_catalog(engine: Engine, by: str, store: str, filename: str, data: bytes, mode: str) -> int:
    """Check a catalogue or price file with the till's rules and keep it as a draft; refuse it in words."""
    content = check_catalog(engine, store, filename, data, mode)
    name = _file_name(filename)
    return _new_draft(engine, by, _check_store(store), "catalog", name, mode, content,
                      products=len(content["products"]), applies=mode)


def user_draft(engine: Engine, by: str, store: str, login: str, display_name: str, role: str, initial_pin: str,
               active: bool) -> int:
    store = _check_store(store)
    login = login.strip()
    if not (1 <= len(login) <= 32 and login.isascii() and all(c.isalnum() or c in "._-" for c in login)):
        raise HeadOfficeError("bad_login", 400, "a till login is 1–32 letters, digits or . _ -",
                              "收银机登录名应为 1–32 位字母、数字或 . _ -")
    if role:
        try:
            TillRole(role)
        except ValueError:
            raise HeadOfficeError("bad_role", 400, f"role must be one of {', '.join(r.value for r in TillRole)}",
                                  "角色无效") from None
    if initial_pin:
        try:
            check_pin_format(initial_pin)
        except PosError as exc:
            raise HeadOfficeError("bad_pin", 400, exc.message, exc.message_zh) from None
    name = display_name.strip()
    if len(name) > 40 or not name.isprintable():
        raise HeadOfficeError("bad_name", 400, "a name is at most 40 characters, without control characters",
                              "姓名最多 40 个字符，且不能含控制字符")
    content = {"login": login, "display_name": name, "role": role, "initial_pin": initial_pin,
               "active": active}
    _version, doc = published(engine, store)
    apply(doc, "users", "", content)
    title = f"用户 user {login}" + ("" if active else "（停用 disable）")
    return _new_draft(engine, by, store, "users", title, "", content, till_login=login, role=role, active=active,
                      pin_set=bool(initial_pin))


def settings_draft(engine: Engine, by: str, store: str, rounding: str) -> int:
    store = _check_store(store)
    try:
        RoundingMode(rounding)
    except ValueError:
        raise HeadOfficeError("bad_setting", 400, f"rounding must be one of {', '.join(m.value for m in RoundingMode)}",
                              "抹零方式无效") from None
    return _new_draft(engine, by, store, "settings", f"抹零 rounding {rounding}", "", {"rounding": rounding}, rounding=rounding)


@dataclass(frozen=True)
class Preview:
    draft: dict[str, Any]
    base_version: int
    diff: dict[str, Any]
    error: HeadOfficeError | None


def get_draft(engine: Engine, draft_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(master_drafts).where(master_drafts.c.id == draft_id)).first()
    if row is None:
        raise HeadOfficeError("unknown_draft", 404, f"no draft {draft_id}", f"没有草稿 {draft_id}")
    d = dict(row._mapping)
    d["content"] = json.loads(d["content"])
    return d


def preview(engine: Engine, draft_id: int) -> Preview:
    d = get_draft(engine, draft_id)
    version, doc = published(engine, d["store_code"])
    try:
        new = apply(doc, d["kind"], d["mode"], d["content"])
    except HeadOfficeError as exc:
        return Preview(d, version, diff(doc, doc), exc)
    return Preview(d, version, diff(doc, new), None)


def publish_draft(engine: Engine, by: str, draft_id: int, effective_at: datetime | None) -> int:
    """The draft becomes the store's next version (with its effective time); one transaction with the journal."""
    try:
        with engine.begin() as conn:
            row = conn.execute(select(master_drafts).where(master_drafts.c.id == draft_id).with_for_update()).first()
            if row is None:
                raise HeadOfficeError("unknown_draft", 404, f"no draft {draft_id}", f"没有草稿 {draft_id}")
            if row.status != "draft":
                raise HeadOfficeError("not_a_draft", 409, f"draft {draft_id} was already {row.status}",
                                      f"草稿 {draft_id} 已{'发布' if row.status == 'published' else '放弃'}")
            version, doc = _latest(conn, row.store_code, lock=True)
            new = apply(doc, row.kind, row.mode, json.loads(row.content))
            new["digest"] = hashlib.sha256(canonical_json(new).encode()).hexdigest()
            version += 1
            now = utc_now()
            conn.execute(insert(master_versions).values(
                store_code=row.store_code, version=version, published_at=iso(now),
                effective_at=iso(effective_at) if effective_at else "", note=f"{row.kind} {row.title} by {by}"[:500],
                document=canonical_json(new)))
            n = conn.execute(update(master_drafts).where(master_drafts.c.id == draft_id, master_drafts.c.status == "draft")
                             .values(status="published", published_version=version, published_by=by,
                                     published_at=iso(now), effective_at=iso(effective_at) if effective_at else "")).rowcount
            if n != 1:
                raise HeadOfficeError("not_a_draft", 409, f"draft {draft_id} was published meanwhile", f"草稿 {draft_id} 已被发布")
            audit(conn, by, "master.publish", store=row.store_code, version=version, draft=draft_id, kind=row.kind,
                  title=row.title, effective_at=iso(effective_at) if effective_at else "now")
    except IntegrityError:
        raise HeadOfficeError("publish_clash", 409, "someone else published this store's master data at the same moment; "
                              "look at the difference again and publish", "他人刚刚发布了该门店的主数据，请重新查看差异后再发布") from None
    return version


def discard(engine: Engine, by: str, draft_id: int) -> None:
    with engine.begin() as conn:
        n = conn.execute(update(master_drafts).where(master_drafts.c.id == draft_id, master_drafts.c.status == "draft")
                         .values(status="discarded")).rowcount
        if not n:
            raise HeadOfficeError("not_a_draft", 409, f"draft {draft_id} is not waiting", f"草稿 {draft_id} 不在待发布状态")
        audit(conn, by, "master.discard", draft=draft_id)


# -- lists ---------------------------------------------------------------------------------------------
def known_stores(engine: Engine) -> list[str]:
    from .schema import terminals

    with engine.connect() as conn:
        a = {s for (s,) in conn.execute(select(terminals.c.store_code).distinct())}
        b = {s for (s,) in conn.execute(select(master_versions.c.store_code).distinct())}
    return sorted(a | b)


def open_drafts(engine: Engine, store: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(master_drafts.c.id, master_drafts.c.kind, master_drafts.c.title, master_drafts.c.mode,
                                   master_drafts.c.created_by, master_drafts.c.created_at)
                            .where(master_drafts.c.store_code == store, master_drafts.c.status == "draft")
                            .order_by(master_drafts.c.id.desc()).limit(50)).all()
    return [{**dict(r._mapping), "created": local_time(r.created_at)} for r in rows]


def versions(engine: Engine, store: str, limit: int = 50) -> list[dict[str, Any]]:
    """Published versions, newest first, with who published them (versions from the command line say so)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(master_versions.c.version, master_versions.c.published_at, master_versions.c.effective_at,
                   master_versions.c.note, master_drafts.c.published_by, master_drafts.c.title, master_drafts.c.kind)
            .select_from(master_versions.outerjoin(master_drafts, (master_drafts.c.store_code == master_versions.c.store_code)
                                                   & (master_drafts.c.published_version == master_versions.c.version)))
            .where(master_versions.c.store_code == store).order_by(master_versions.c.version.desc()).limit(limit)).all()
    now = iso(utc_now())
    return [{"version": int(r.version), "published": local_time(r.published_at),
             "effective": local_time(r.effective_at) or "立即 at once",
             "pending": bool(r.effective_at) and r.effective_at > now,
             "by": r.published_by or "命令行 command line", "what": r.title or r.note} for r in rows]
