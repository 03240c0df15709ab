"""Members at the till (issue 17): register, find by phone / last 4 / member code, change, export.

Works offline: the till holds its store's members (the ``members`` read model of its journal). Phone
numbers are protected with the store's member key, a file beside the device key (``member_key``),
never in the database nor in the journal entries that go to head office:

- ``phone_hash`` = HMAC-SHA256 under a key derived from the member key, over the normalised number:
  the lookup by phone is one indexed read, and a copied database cannot be searched by number;
- ``phone_last4`` for the pick list (four digits alone name nobody);
- ``phone_enc`` = AES-256-GCM under another derived key, bound to the member id: only
  ``member export`` (a manager) and the masked display (138****1234) open it.

All tills of a store must share the member key (head office hands it out at enrolment, and the till
writes it with :func:`install_member_key` while it holds no member), so that a member registered at one
till is found at the others once the entries come down (``member_sync``, pos/services/sync.py). A member
card of a registration that became an alias (the same phone registered at two tills offline) finds the
member it stands for.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import json
import os
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos.domain.errors import PosError
from pos.domain.ledger import EntryKind
from pos.domain.members import (
    DEFAULT_TIERS,
    Member,
    MemberError,
    PointsRule,
    check_name,
    check_tier,
    check_tiers,
    is_last4,
    looks_like_code,
    mask_phone,
    member_code,
    member_id_from_code,
    new_member_id,
    normalise_phone,
    parse_birthday,
    phone_last4,
    plain_text,
    rule_from_json,
    rule_to_json,
)
from pos.domain.permissions import Action, Approval, check
from pos.domain.users import User
from pos.store import members as M

from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory

PICK_LIST_MAX = 20  # a last-4 search shows at most this many members
# Store settings (meta keys), changed by a manager and journaled as setting entries.
K_TIERS = "members:tiers"  # JSON list, lowest first
K_POINTS_RULE = "members:points_rule"  # JSON, pos.domain.members.rule_to_json
EXPORT_FORMATS = ("csv", "xlsx")


class MemberKeyError(PosError):
    code = "member_key"


class MemberExists(MemberError):
    code = "member_exists"


class UnknownMember(MemberError):
    code = "unknown_member"


# -- the store's member key -------------------------------------------------------------------------


class MemberKey:
    """The store's member key and the two keys derived from it (one to look up, one to encrypt)."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("a member key has at least 32 bytes")
        self._lookup = hmac.new(secret, b"lianxin member phone lookup v1", hashlib.sha256).digest()
        self._seal = hmac.new(secret, b"lianxin member phone encryption v1", hashlib.sha256).digest()
        # Which key a row was made with (safe to show: it says nothing about the key itself).
        self.key_id = member_key_id(secret)
        self._aead: Any = None  # AESGCM, made on first use (importing cryptography costs the first paint)

    def _cipher(self) -> Any:
        if self._aead is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._aead = AESGCM(self._seal)
        return self._aead

    def phone_hash(self, phone: str) -> str:
        return hmac.new(self._lookup, phone.encode("ascii"), hashlib.sha256).hexdigest()

    def seal(self, phone: str, member_id: str) -> str:
        nonce = secrets.token_bytes(12)
        return base64.b64encode(nonce + self._cipher().encrypt(nonce, phone.encode("ascii"),
                                                               member_id.encode())).decode("ascii")

    def open(self, sealed: str, member_id: str) -> str:
        from cryptography.exceptions import InvalidTag

        try:
            raw = base64.b64decode(sealed, validate=True)
            return self._cipher().decrypt(raw[:12], raw[12:], member_id.encode()).decode("ascii")
        except (InvalidTag, ValueError) as exc:
            raise MemberKeyError(f"member {member_id}'s phone number cannot be opened with this till's member key",
                                 message_zh=f"会员 {member_id} 的手机号无法用本机会员密钥解开") from exc


def member_key_id(secret: bytes) -> str:
    """Which key a row was made with (safe to show: it says nothing about the key itself)."""
    return hmac.new(secret, b"lianxin member key id v1", hashlib.sha256).hexdigest()[:12]


def read_member_key(path: Path) -> bytes | None:
    """The member key in ``path``, None when there is none."""
    return _read_key(Path(path))


def _read_key(path: Path) -> bytes | None:
    """The member key in ``path`` (hex text), None when there is no file; a damaged one is refused."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise MemberKeyError(f"the member key {path} cannot be read ({exc})", message_zh=f"会员密钥 {path} 无法读取") from exc
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) < 32:
        raise MemberKeyError(f"the member key {path} is damaged; restore it from the backup",
                             message_zh=f"会员密钥 {path} 已损坏，请从备份恢复")
    return secret


def create_member_key(path: Path) -> bytes:
    """Make the store's member key (mode 0600) if there is none yet; the key in the file either way."""
    path = Path(path)
    found = _read_key(path)
    if found is not None:
        return found
    secret = secrets.token_bytes(32)
    _write_key(path, secret)
    return secret


def install_member_key(path: Path, secret: bytes) -> None:
    """Write the store's member key from head office (mode 0600, replacing the file). The caller checks that
    no member was registered under the key it replaces."""
    if len(secret) < 32:
        raise MemberKeyError("head office sent a member key that is too short", message_zh="总部下发的会员密钥无效")
    _write_key(Path(path), secret)


def _write_key(path: Path, secret: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret.hex())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True, slots=True)
class MemberExport:
    path: Path
    members: int


# -- the service --------------------------------------------------------------------------------------


class MemberService:
    """The store's members as one till sees them (``till.members``)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity, *, key_path: Path,
                 reader: Any = None) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till
        self._key_path = Path(key_path)
        self._key: MemberKey | None = None
        self._key_lock = threading.Lock()
        self._reader = None
        if reader is not None:
            from .lookup import SqliteReader

            self._reader = SqliteReader.for_engine(reader)
        self._tiers: tuple[str, ...] | None = None
        self._rule: PointsRule | None = None

    # -- the store's settings --------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows and rows[0][0] else None

    @property
    def tiers(self) -> tuple[str, ...]:
        """The store's tier names, lowest first (default 普通, 银卡, 金卡)."""
        if self._tiers is None:
            text = self._meta(K_TIERS)
            self._tiers = tuple(json.loads(text)) if text else DEFAULT_TIERS
        return self._tiers

    @property
    def rule(self) -> PointsRule:
        """The store's points rule (default: 1 point per yuan, 100 points pay ¥1, at most 50 % of a sale)."""
        if self._rule is None:
            text = self._meta(K_POINTS_RULE)
            self._rule = rule_from_json(json.loads(text)) if text else PointsRule()
        return self._rule

    def set_tiers(self, names: Sequence[str], by: User) -> tuple[str, ...]:
        """Name the store's tiers (a manager). Members keep the tier they have until it is changed."""
        tiers = check_tiers(names)
        self._setting(by, K_TIERS, json.dumps(list(tiers), ensure_ascii=False), {"key": "member_tiers",
                                                                                  "value": list(tiers)})
        self._tiers = tiers
        return tiers

    def set_points_rule(self, rule: PointsRule, by: User) -> PointsRule:
        """Change how points are earned and spent (a manager); sales already made keep their points."""
        value = rule_to_json(rule)
        self._setting(by, K_POINTS_RULE, json.dumps(value, ensure_ascii=False, sort_keys=True),
                      {"key": "member_points_rule", "value": value})
        self._rule = rule
        return rule

    def _setting(self, by: User, key: str, value: str, payload: dict[str, Any]) -> None:
        check(by.role, Action.SETTINGS)
        now = self._clock.now()
        with self._uow() as uow:
            uow.meta.set(key, value)
            uow.journal.append(EntryKind.SETTING, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={**payload, "store": self._till.store_code, "by": by.login})
            uow.commit()

    # -- the key ---------------------------------------------------------------------------------
    def _member_key(self, *, create: bool = False) -> MemberKey:
        """The member key, read once. It is made only when asked (registering) and no member exists yet:
        a new key would lose every member registered under the old one."""
        with self._key_lock:
            if self._key is not None:
                return self._key
            secret = _read_key(self._key_path)
            used = self._rows(M.SQL_ANY_KEY)
            if secret is None:
                if used or not create:
                    raise MemberKeyError(
                        f"the member key {self._key_path} is missing: members cannot be found without it; restore "
                        "it from the backup or from head office", message_zh=f"会员密钥 {self._key_path} 不存在，"
                        "无法查找会员；请从备份或总部恢复")
                secret = create_member_key(self._key_path)
            key = MemberKey(secret)
            if used and used[0][0] != key.key_id:
                raise MemberKeyError(f"the member key {self._key_path} is not the one this store's members were "
                                     "registered with; restore the right key", message_zh=f"会员密钥 {self._key_path} "
                                     "与本店会员登记时所用的不一致，请恢复正确的密钥")
            self._key = key
            return key

    # -- reading ---------------------------------------------------------------------------------
    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._reader is not None:
            return self._reader.rows(sql, args)
        with self._uow() as uow:
            return uow.raw.execute(sql, tuple(args)).fetchall()

    def _member(self, row: Sequence[Any], phone: str | None = None) -> Member:
        member_id, last4, sealed, _key_id, name, tier, birthday, code, points = row
        if phone is None:
            phone = self._member_key().open(sealed, member_id)
        return Member(member_id, mask_phone(phone), last4, name, tier, birthday, int(points), code)

    def find(self, text: str) -> tuple[Member, ...]:
        """Members matching ``text``: a full phone number (one), its last 4 digits (a pick list of up to
        20), or a member code scanned from a card (one). Nothing found is an empty tuple; a number or
        code that cannot be one is a plain :class:`MemberError`."""
        text = plain_text(text)
        if looks_like_code(text):
            member = self.get(member_id_from_code(text))
            return (member,) if member is not None else ()
        if is_last4(text):
            return tuple(self._member(r) for r in self._rows(M.SQL_BY_LAST4, (text, PICK_LIST_MAX)))
        phone = normalise_phone(text)
        if self._key is None and not self._rows(M.SQL_ANY_KEY):
            return ()  # no member yet: nothing to find, and no member key needed (a till from before members)
        key = self._member_key()
        rows = self._rows(M.SQL_BY_HASH, (key.phone_hash(phone),))
        return tuple(self._member(r, phone) for r in rows)

    def get(self, member_id: str) -> Member | None:
        """The member ``member_id`` (an alias's: the member it stands for), None if there is none."""
        rows = self._rows(M.SQL_BY_ID_RESOLVED, (str(member_id), str(member_id)))
        return self._member(rows[0]) if rows else None

    # -- writing ---------------------------------------------------------------------------------
    def add(self, phone: str, name: str, *, tier: str = "普通", birthday: str | None = None, by: User) -> Member:
        """Register a member at this till (会员登记); a number already registered is refused plainly."""
        check(by.role, Action.SELL)
        phone = normalise_phone(phone)
        name, tier, birthday = check_name(name), check_tier(tier, self.tiers), parse_birthday(birthday)
        key = self._member_key(create=True)
        phone_hash = key.phone_hash(phone)
        now = self._clock.now()
        with self._uow() as uow:
            taken = uow.raw.execute(M.SQL_HASH_TAKEN, (phone_hash,)).fetchone()
            if taken is not None:
                raise MemberExists(f"{mask_phone(phone)} is already a member ({taken[0]})",
                                   message_zh=f"{mask_phone(phone)} 已是会员（{taken[0]}）", member_id=taken[0])
            member_id = new_member_id(self._till.terminal_id, M.last_own_number(uow.raw, self._till.terminal_id) + 1)
            code = member_code(member_id)
            payload = {"member_id": member_id, "store": self._till.store_code, "phone_hash": phone_hash,
                       "phone_last4": phone_last4(phone), "phone_enc": key.seal(phone, member_id), "key_id": key.key_id,
                       "name": name, "tier": tier, "birthday": birthday, "code": code, "by": by.login}
            uow.journal.append(EntryKind.MEMBER_ADD, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload=payload)
            uow.commit()
        return Member(member_id, mask_phone(phone), phone_last4(phone), name, tier, birthday, 0, code)

    def change(self, member_id: str, *, by: User, name: str | None = None, tier: str | None = None,
               birthday: str | None = None, clear_birthday: bool = False) -> Member:
        """Change a member's name, tier or birthday (journaled as member_change)."""
        check(by.role, Action.SELL)
        current = self.get(member_id)
        if current is None:
            raise UnknownMember(f"no member {member_id}", message_zh=f"没有会员 {member_id}")
        new_name = check_name(name) if name is not None else current.name
        new_tier = check_tier(tier, self.tiers) if tier is not None else current.tier
        new_birthday = None if clear_birthday else parse_birthday(birthday) if birthday is not None else current.birthday
        changed = [f for f, old, new in (("name", current.name, new_name), ("tier", current.tier, new_tier),
                                         ("birthday", current.birthday, new_birthday)) if old != new]
        if not changed:
            return current
        now = self._clock.now()
        with self._uow() as uow:
            uow.journal.append(EntryKind.MEMBER_CHANGE, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"member_id": current.member_id, "name": new_name, "tier": new_tier,
                                        "birthday": new_birthday, "changed": changed, "by": by.login})
            uow.commit()
        return Member(current.member_id, current.phone_masked, current.phone_last4, new_name, new_tier, new_birthday,
                      current.points, current.code)

    def export(self, path: str | os.PathLike[str], *, by: User, approval: Approval | None = None) -> MemberExport:
        """Write every member with the clear phone number to ``path`` (.csv or .xlsx): a manager only.
        The export itself is journaled (who, when, how many), as personal data left the till."""
        check(by.role, Action.MEMBER_EXPORT, approval)
        target = Path(path)
        fmt = target.suffix.lower().lstrip(".")
        if fmt not in EXPORT_FORMATS:
            raise MemberError(f"export to a .csv or .xlsx file, not '{target.name}'",
                              message_zh=f"请导出为 .csv 或 .xlsx 文件（不是“{target.name}”）")
        rows = self._rows(M.SQL_EXPORT)
        out: list[list[Any]] = []
        if rows:
            key = self._member_key()
            out = [[member_id, key.open(sealed, member_id), name, tier, birthday or "", int(points), code, created_at]
                   for member_id, sealed, _key_id, name, tier, birthday, code, points, created_at in rows]
        from pos.reports.export import write_atomic

        if fmt == "csv":
            write_atomic(target, lambda fh: fh.write(_csv_bytes(out)))
        else:
            write_atomic(target, lambda fh: fh.write(_xlsx_bytes(out)))
        now = self._clock.now()
        with self._uow() as uow:
            uow.journal.append(EntryKind.MEMBER_EXPORT, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"by": by.login, "members": len(out), "format": fmt,
                                        "approver": approval.approver if approval is not None else by.login})
            uow.commit()
        return MemberExport(target, len(out))


EXPORT_HEADINGS = ("会员编号", "手机号", "姓名", "等级", "生日", "积分", "会员码", "登记时间(UTC)")


def _csv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    from pos.reports.xlsx import safe_text

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(EXPORT_HEADINGS)
    for r in rows:
        w.writerow([safe_text(v) if isinstance(v, str) else v for v in r])
    return buf.getvalue().encode("utf-8-sig")


def _xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    from pos.reports.xlsx import Column, Sheet, workbook

    kinds = ("text", "text", "text", "text", "text", "int", "text", "text")
    columns = [Column(t, k, 16) for t, k in zip(EXPORT_HEADINGS, kinds, strict=True)]  # type: ignore[arg-type]
    return workbook([Sheet("会员", columns, rows, totals=False)])
