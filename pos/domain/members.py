"""Members (会员): phone numbers, member codes, tiers, points and birthdays, as plain rules.

A member is found by a mainland mobile number (typed with spaces, dashes or +86 as people do),
by its last four digits (a pick list), or by the member code printed on a card or shown as a QR.
The clear phone number never leaves the service that encrypts it: this module only normalises,
masks and checks. Points are whole numbers: by default 1 point per yuan spent, 100 points pay
1 yuan, and at most half a sale's net may be paid in points.

Stored value (储值卡) is deliberately not offered: prepaid cards need filing with the authorities.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .errors import InvalidInput


class MemberError(InvalidInput):
    code = "member_error"


# ── phone numbers ─────────────────────────────────────────────────────────────────────────────

_SEPARATORS = " -()\u3000\t"


def plain_text(text: str) -> str:
    """``text`` with full-width digits, letters and signs made plain (a Chinese input method left in
    full-width mode types １３８…), and the spaces around it removed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def normalise_phone(text: str) -> str:
    """The 11-digit mainland mobile number in ``text`` ("138 0013-8000", "+86 13800138000",
    "0086 138…", full-width digits), or :class:`MemberError` in plain words."""
    raw = plain_text(text)
    digits = "".join(ch for ch in raw if ch not in _SEPARATORS)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not (len(digits) == 11 and digits.isascii() and digits.isdigit() and digits[0] == "1" and digits[1] in "3456789"):
        shown = raw if len(raw) <= 24 else raw[:21] + "…"
        raise MemberError(f"'{shown}' is not a mainland mobile number (11 digits starting 13–19, e.g. 138 0013 8000)",
                          message_zh=f"“{shown}”不是有效的手机号（应为 1 开头的 11 位数字，如 138 0013 8000）")
    return digits


def is_last4(text: str) -> bool:
    """True when ``text`` is exactly four digits: a search by the end of a phone number."""
    t = plain_text(text)
    return len(t) == 4 and t.isascii() and t.isdigit()


def mask_phone(phone: str) -> str:
    """``138****1234`` for a normalised number: what screens, receipts and the customer display show."""
    return f"{phone[:3]}****{phone[-4:]}"


def phone_last4(phone: str) -> str:
    return phone[-4:]


# ── member codes (card barcode / QR text) ─────────────────────────────────────────────────────

CODE_PREFIX = "LXM"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _check_char(body: str) -> str:
    """ISO 7064 MOD 37,36 check character over ``body`` (digits and capital letters): it catches
    every single wrong character and every swap of two neighbours."""
    m = 36
    p = m
    for ch in body:
        p = (p + _ALPHABET.index(ch)) % m
        p = ((p or m) * 2) % (m + 1)
    return _ALPHABET[(m + 1 - p) % m]


def _valid_id(member_id: str) -> bool:
    return 2 <= len(member_id) <= 24 and all(ch in _ALPHABET for ch in member_id)


def member_code(member_id: str) -> str:
    """The text of a member's card barcode / QR: ``LXM`` + id + one check character."""
    if not _valid_id(member_id):
        raise MemberError(f"member id '{member_id}' must be 2–24 capital letters or digits",
                          message_zh=f"会员编号“{member_id}”应为 2–24 位大写字母或数字")
    return f"{CODE_PREFIX}{member_id}{_check_char(member_id)}"


def looks_like_code(text: str) -> bool:
    return plain_text(text).upper().startswith(CODE_PREFIX)


def member_id_from_code(text: str) -> str:
    """The member id in a scanned or typed member code; a mistyped code is refused plainly."""
    code = plain_text(text).upper()
    body, check = code[len(CODE_PREFIX):-1], code[-1:]
    if not code.startswith(CODE_PREFIX) or not _valid_id(body) or _check_char(body) != check:
        shown = str(text).strip()[:30]
        raise MemberError(f"'{shown}' is not a valid member code (check for a mistyped character)",
                          message_zh=f"“{shown}”不是有效的会员码（请检查是否输错）")
    return body


def new_member_id(terminal_id: str, number: int) -> str:
    """A member id unique across the store's tills without asking anyone: the registering
    terminal and its own running number (``MX01`` + ``000017``)."""
    return f"{terminal_id}{number:06d}"


# ── tiers ─────────────────────────────────────────────────────────────────────────────────────

DEFAULT_TIERS: tuple[str, ...] = ("普通", "银卡", "金卡")


def check_tier(tier: str, tiers: tuple[str, ...] = DEFAULT_TIERS) -> str:
    """``tier`` if it is one of the store's tier names, else a plain refusal naming them."""
    t = str(tier).strip()
    if t not in tiers:
        raise MemberError(f"tier '{t}' is not one of {', '.join(tiers)}", message_zh=f"等级“{t}”应为 {'、'.join(tiers)} 之一")
    return t


def check_tiers(names: Iterable[str]) -> tuple[str, ...]:
    """A store's tier names in order (lowest first): 1–6 different names of 1–10 characters."""
    tiers = tuple(" ".join(str(n).split()) for n in names)
    if not 1 <= len(tiers) <= 6 or len(set(tiers)) != len(tiers) or not all(1 <= len(t) <= 10 for t in tiers):
        raise MemberError("give 1–6 different tier names of at most 10 characters, lowest first (e.g. 普通,银卡,金卡)",
                          message_zh="会员等级应为 1–6 个不同的名称，每个不超过 10 个字，由低到高（如 普通,银卡,金卡）")
    return tiers


def check_name(name: str) -> str:
    n = " ".join(str(name).split())
    if not n or len(n) > 40 or not n.isprintable():
        raise MemberError("a member's name must be 1–40 characters", message_zh="会员姓名应为 1–40 个字符")
    return n


# ── birthdays ─────────────────────────────────────────────────────────────────────────────────

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_birthday(text: str | None) -> str | None:
    """``"MM-DD"`` checked (02-29 allowed; no year kept), None for nothing given."""
    if text is None or not str(text).strip():
        return None
    t = str(text).strip()
    mm, sep, dd = t.partition("-")
    ok = sep and len(mm) == 2 and len(dd) == 2 and (mm + dd).isascii() and (mm + dd).isdigit()
    if not ok or not 1 <= int(mm) <= 12 or not 1 <= int(dd) <= _DAYS_IN_MONTH[int(mm) - 1]:
        raise MemberError(f"birthday '{t}' must be month-day like 05-17",
                          message_zh=f"生日“{t}”应为 月-日 格式，如 05-17")
    return t


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def is_birthday(birthday: str | None, today: date) -> bool:
    """True on the member's birthday (the store's local date); a 02-29 birthday is kept on 02-28
    in years without a 29 February."""
    if not birthday:
        return False
    month, day = int(birthday[:2]), int(birthday[3:])
    if (month, day) == (2, 29) and not _leap(today.year):
        return (today.month, today.day) == (2, 28)
    return (today.month, today.day) == (month, day)


# ── the member and points ─────────────────────────────────────────────────────────────────────

@dataclass(frozen=True, slots=True)
class Member:
    """A member as the till shows one: never the clear phone number, only its mask and last 4."""

    member_id: str
    phone_masked: str
    phone_last4: str
    name: str
    tier: str
    birthday: str | None  # "MM-DD"
    points: int
    code: str  # member QR/barcode text

    def is_birthday(self, today: date) -> bool:
        return is_birthday(self.birthday, today)


@dataclass(frozen=True, slots=True)
class PointsRule:
    """How points are earned and spent. ``fen_per_point``: spend that earns one point (100 = one
    point per yuan); ``redeem_fen_per_point``: what one point pays (1 = 100 points per yuan);
    ``max_redeem_pct``: the most of a sale's net that points may pay."""

    fen_per_point: int = 100
    excluded_categories: frozenset[str] = field(default_factory=frozenset)
    redeem_fen_per_point: int = 1
    max_redeem_pct: int = 50

    def __post_init__(self) -> None:
        if self.fen_per_point < 1 or self.redeem_fen_per_point < 1 or not 0 <= self.max_redeem_pct <= 100:
            raise MemberError("points rule: spend per point and value per point must be at least 1 fen, and the "
                              "redeem limit 0–100 %", message_zh="积分规则：每积分消费额与抵扣额至少 1 分，抵扣上限 0–100%")


def rule_to_json(rule: PointsRule) -> dict[str, object]:
    return {"fen_per_point": rule.fen_per_point, "excluded_categories": sorted(rule.excluded_categories),
            "redeem_fen_per_point": rule.redeem_fen_per_point, "max_redeem_pct": rule.max_redeem_pct}


def rule_from_json(d: dict) -> PointsRule:
    return PointsRule(int(d.get("fen_per_point", 100)), frozenset(str(c) for c in d.get("excluded_categories", ())),
                      int(d.get("redeem_fen_per_point", 1)), int(d.get("max_redeem_pct", 50)))


def points_earned(rule: PointsRule, lines: Iterable[tuple[str, int]]) -> int:
    """Points for a sale's lines ``(category, net_fen)``: the net of the categories that earn,
    summed first (so splitting a line never loses a point), whole points only, never negative."""
    total = sum(net for category, net in lines if category not in rule.excluded_categories)
    return max(0, total) // rule.fen_per_point


def redeem_limit(rule: PointsRule, points_available: int, net_fen: int) -> tuple[int, int]:
    """The most points a sale of ``net_fen`` may take, and the fen they pay: ``(points, fen)``."""
    cap_fen = max(0, net_fen) * rule.max_redeem_pct // 100
    points = max(0, min(points_available, cap_fen // rule.redeem_fen_per_point))
    return points, points * rule.redeem_fen_per_point


def check_redeem(rule: PointsRule, points: int, points_available: int, net_fen: int) -> int:
    """The fen ``points`` pay on this sale, or a plain refusal when the member has not that many
    or the sale's limit is lower."""
    most, _ = redeem_limit(rule, points_available, net_fen)
    if points < 0 or points > points_available:
        raise MemberError(f"the member has {points_available} points, not {points}",
                          message_zh=f"会员积分只有 {points_available}，不足 {points}")
    if points > most:
        raise MemberError(f"at most {most} points may be used on this sale",
                          message_zh=f"本单最多可用 {most} 积分")
    return points * rule.redeem_fen_per_point
