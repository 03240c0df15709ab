"""What the 会员 dialog and the sale's member panel decide, without Qt (issue 17).

The cashier types what the customer says or scans their card: a full mobile number finds the member
at once, the last 4 digits give a pick list (masked phone, name, tier, points: never the whole
number), a member code (``LXM…``, card barcode or QR) finds the one member it names. Nothing found
offers 新会员 with the number typed. The lookups themselves run in the member service on the till's
own database, so all of this works with the network cable pulled.

These objects decide and hand back plain data; the dialog and the checkout window put words on it.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pos.domain.members import (
    Member,
    MemberError,
    PointsRule,
    check_name,
    is_last4,
    looks_like_code,
    member_id_from_code,
    normalise_phone,
    parse_birthday,
    redeem_limit,
)


class QueryKind(enum.Enum):
    PHONE = "phone"  # a full mobile number: one member or none
    LAST4 = "last4"  # the last four digits: a pick list
    CODE = "code"  # a member code scanned or typed


@dataclass(frozen=True, slots=True)
class MemberQuery:
    kind: QueryKind
    text: str  # what the member service is asked: the normalised number, the 4 digits, or the code


def _fold(text: str) -> str:
    """Full-width digits and letters from an IME (１３８…) as the ASCII the scanner would type."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def member_query(text: str) -> MemberQuery:
    """What ``text`` asks for, or :class:`MemberError` in plain words before anything is looked up."""
    t = _fold(text)
    if not t:
        raise MemberError("type the customer's mobile number or its last 4 digits, or scan the member code",
                          message_zh="请输入手机号或手机号后 4 位，或扫描会员码")
    if is_last4(t):
        return MemberQuery(QueryKind.LAST4, t)
    if looks_like_code(t):
        member_id_from_code(t)  # a mistyped code is refused here, plainly
        return MemberQuery(QueryKind.CODE, t.upper())
    if sum(ch.isdigit() for ch in t) < 4:
        raise MemberError(f"'{t[:24]}' is neither a mobile number, its last 4 digits, nor a member code",
                          message_zh=f"“{t[:24]}”不是手机号、手机号后 4 位或会员码")
    return MemberQuery(QueryKind.PHONE, normalise_phone(t))


# -- what a lookup leads to ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chosen:
    """The member goes on the sale at once."""

    member: Member


@dataclass(frozen=True, slots=True)
class PickList:
    """The cashier picks one (by the masked phone, name and tier the customer confirms)."""

    members: tuple[Member, ...]

    @property
    def rows(self) -> tuple[PickRow, ...]:
        return tuple(pick_row(m) for m in self.members)


@dataclass(frozen=True, slots=True)
class NotFound:
    """No such member: 新会员 is offered, with the number already typed when there was one."""

    query: MemberQuery

    @property
    def phone(self) -> str:
        return self.query.text if self.query.kind is QueryKind.PHONE else ""


Outcome = Chosen | PickList | NotFound


def lookup_outcome(query: MemberQuery, found: Iterable[Member]) -> Outcome:
    """What the dialog does with the members the service found for ``query``. The last 4 digits always
    give a pick list (even of one), so the customer confirms who they are before points move."""
    members = tuple(sorted(found, key=lambda m: (m.phone_masked, m.name, m.member_id)))
    if not members:
        return NotFound(query)
    if len(members) == 1 and query.kind is not QueryKind.LAST4:
        return Chosen(members[0])
    return PickList(members)


@dataclass(frozen=True, slots=True)
class PickRow:
    member_id: str
    phone_masked: str
    name: str
    tier: str
    points: int


def pick_row(member: Member) -> PickRow:
    return PickRow(member.member_id, member.phone_masked, member.name, member.tier, member.points)


# -- 新会员 ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewMember:
    phone: str  # normalised, 11 digits
    name: str
    birthday: str | None  # "MM-DD"


def check_new_member(phone: str, name: str, birthday: str = "") -> NewMember:
    """The registration form checked field by field (the first problem, in plain words)."""
    return NewMember(normalise_phone(_fold(phone)), check_name(name), parse_birthday(_fold(birthday) or None))


# -- the member on the sale ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberPanel:
    """What the sale panel shows of the member: never the clear number."""

    member_id: str
    phone_masked: str
    name: str
    tier: str
    points: int
    birthday: bool  # 生日: today is the member's birthday (the store's local date)


def member_panel(member: Member | None, today: date) -> MemberPanel | None:
    if member is None:
        return None
    return MemberPanel(member.member_id, member.phone_masked, member.name, member.tier, member.points,
                       member.is_birthday(today))


# -- 积分抵扣 ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PointsOffer:
    """What the member may use on this sale: ``most`` points, paying ``most_fen``."""

    available: int
    most: int
    most_fen: int


def points_offer(rule: PointsRule, member: Member | None, due_fen: int) -> PointsOffer | None:
    """积分抵扣 is offered when a member on the sale has points this sale may take (None: not offered).
    ``due_fen``: what the sale comes to before any points."""
    if member is None or due_fen <= 0:
        return None
    most, fen = redeem_limit(rule, member.points, due_fen)
    return PointsOffer(member.points, most, fen) if most > 0 else None


def points_typed(text: str, offer: PointsOffer) -> int:
    """The points the cashier typed (nothing typed: as many as the sale may take; 0: none)."""
    t = _fold(text).replace(",", "")
    if not t:
        return offer.most
    if not (t.isascii() and t.isdigit()):
        raise MemberError(f"'{t[:12]}' is not a number of points", message_zh=f"“{t[:12]}”不是积分数")
    points = int(t)
    if points > offer.most:
        raise MemberError(f"at most {offer.most} points may be used on this sale",
                          message_zh=f"本单最多可用 {offer.most} 积分")
    return points


__all__ = ["PointsOffer", "points_offer", "points_typed", "Chosen", "MemberPanel", "MemberQuery", "NewMember", "NotFound", "Outcome", "PickList", "PickRow",
           "QueryKind", "check_new_member", "lookup_outcome", "member_panel", "member_query",
           "pick_row"]
