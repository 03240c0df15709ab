"""Logging in with a PIN: lockout after repeated failures; every attempt is journaled."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine

from pos.domain.errors import AuthError
from pos.domain.ledger import EntryKind
from pos.domain.permissions import Action, Approval, NotPermitted, can_approve, check
from pos.domain.users import LOCKOUT_MINUTES, MAX_FAILED_PINS, Role, User, check_login_format, check_pin_format
from pos.store.repositories import UserRepo

from .context import TillIdentity
from .ports import Clock, PinHasher, utc_iso
from .uow import UnitOfWorkFactory


class AuthService:
    def __init__(self, uow: UnitOfWorkFactory, hasher: PinHasher, clock: Clock, till: TillIdentity,
                 reader: Engine | None = None) -> None:
        self._uow = uow
        self._reader = reader
        self._hasher = hasher
        self._clock = clock
        self._till = till

    def login(self, login: str, pin: str, *, via: str = "till") -> User:
        """Check a PIN; return the user or raise AuthError in plain words."""
        now = self._clock.now()
        with self._uow() as uow:
            rec = uow.users.get(login.strip())
            if rec is None or not rec.active:
                raise AuthError(f"no active user '{login}'", message_zh=f"用户“{login}”不存在或已停用")
            if rec.locked_until and datetime.fromisoformat(rec.locked_until.replace("Z", "+00:00")) > now:
                # Refused without looking at the PIN; the attempt is still journaled.
                uow.journal.append(EntryKind.LOGIN, business_day=uow.business_day(now), created_at=utc_iso(now),
                                   payload={"login": rec.login, "ok": False, "via": via, "locked": True,
                                            "reason": "locked"})
                uow.commit()
                raise AuthError(
                    f"{login} is locked after {MAX_FAILED_PINS} wrong PINs; try again later or ask a manager",
                    message_zh=f"{rec.display_name} 密码错误次数过多，已锁定，请稍后再试或联系店长",
                )
            ok = self._hasher.verify(rec.pin_hash, pin)
            locked_until = None
            if not ok and rec.failed_attempts + 1 >= MAX_FAILED_PINS:
                locked_until = utc_iso(now + timedelta(minutes=LOCKOUT_MINUTES))
            uow.users.record_attempt(rec.login, failed=not ok, locked_until=locked_until)
            uow.journal.append(
                EntryKind.LOGIN,
                business_day=uow.business_day(now),
                created_at=utc_iso(now),
                payload={"login": rec.login, "ok": ok, "via": via, "locked": locked_until is not None},
            )
            uow.commit()
        if not ok:
            left = MAX_FAILED_PINS - rec.failed_attempts - 1
            if left <= 0:
                raise AuthError(f"wrong PIN; {login} is now locked for {LOCKOUT_MINUTES} minutes",
                                message_zh=f"密码错误，账号已锁定 {LOCKOUT_MINUTES} 分钟")
            raise AuthError(f"wrong PIN for {login} ({left} tries left)", message_zh=f"密码错误（还可尝试 {left} 次）")
        return User(rec.login, rec.display_name, Role(rec.role))

    def approve(self, action: Action, approver_login: str, pin: str, *, requested_by: User, detail: str = "") -> Approval:
        """A manager's PIN for one action. The approval is journaled with both people."""
        if approver_login.strip() == requested_by.login:
            raise AuthError("the approver must be someone else", message_zh="授权人不能是本人")
        approver = self.login(approver_login, pin, via="approval")
        if not can_approve(approver.role, action):
            raise NotPermitted(approver.role, action)
        now = self._clock.now()
        approval = Approval(action, approver.login, approver.role, requested_by.login, utc_iso(now), detail)
        with self._uow() as uow:
            uow.journal.append(EntryKind.OVERRIDE, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload=approval.to_json())
            uow.commit()
        return approval

    def add_user(self, login: str, display_name: str, role: Role, pin: str, *, by: User | None) -> User:
        """Add a person. ``by`` needs the user-admin right (None only when seeding a new database)."""
        if by is not None:
            check(by.role, Action.USER_ADMIN)
        check_pin_format(pin)
        login = login.strip()
        check_login_format(login)
        if not display_name.strip():
            raise AuthError("give the person's name", message_zh="请填写姓名")
        now = self._clock.now()
        with self._uow() as uow:
            if uow.users.get(login):
                raise AuthError(f"user '{login}' already exists", message_zh=f"用户“{login}”已存在")
            uow.users.add(login, display_name.strip(), role.value, self._hasher.hash(pin), utc_iso(now))
            uow.journal.append(EntryKind.USER_ADD, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"login": login, "name": display_name.strip(), "role": role.value,
                                        "by": by.login if by else None})
            uow.commit()
        return User(login, display_name.strip(), role)

    def disable_user(self, login: str, *, by: User) -> None:
        check(by.role, Action.USER_ADMIN)
        if login == by.login:
            raise AuthError("you cannot disable yourself", message_zh="不能停用自己的账号")
        now = self._clock.now()
        with self._uow() as uow:
            rec = uow.users.get(login)
            if rec is None or not rec.active:
                raise AuthError(f"no active user '{login}'", message_zh=f"用户“{login}”不存在或已停用")
            uow.users.set_active(login, False)
            uow.journal.append(EntryKind.USER_DISABLE, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"login": login, "by": by.login})
            uow.commit()

    def all_users(self) -> list[tuple[User, bool, bool]]:
        """Everyone, with (user, active, locked now)."""
        now = self._clock.now()
        with self._uow() as uow:
            records = uow.users.all()
        return [(User(r.login, r.display_name, Role(r.role)), r.active,
                 bool(r.locked_until and datetime.fromisoformat(r.locked_until.replace("Z", "+00:00")) > now))
                for r in records]

    def users(self) -> list[User]:
        """Active users for the login list, read without taking the write lock."""
        if self._reader is None:
            with self._uow() as uow:
                records = uow.users.all()
        else:
            with self._reader.connect() as conn:
                records = UserRepo(conn).all()
        return [User(r.login, r.display_name, Role(r.role)) for r in records if r.active]
