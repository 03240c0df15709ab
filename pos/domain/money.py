"""Money is integer fen (分) everywhere. Parsing and formatting happen only at the edges.

``float`` never touches an amount: yuan strings such as ``"12.80"`` are parsed digit by digit.
"""

from __future__ import annotations

import re

from .errors import InvalidMoney

Fen = int

# Generous ceiling for a single amount (¥10,000,000.00): anything above is a typo, not a price.
MAX_AMOUNT_FEN: Fen = 1_000_000_000

_YUAN = re.compile(r"^(?P<sign>[-+]?)(?P<int>[0-9]{1,12})(?:\.(?P<frac>[0-9]{0,2}))?$")
_YUAN_FRAC_ONLY = re.compile(r"^(?P<sign>[-+]?)\.(?P<frac>[0-9]{1,2})$")
# Thousands separators as people write them: 1,280 / 12,345.60 — groups of exactly three digits.
_GROUPED = re.compile(r"^[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$")
# A Chinese IME in full-width mode types ０-９ and ．: fold them to ASCII first.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3002: ord("."), 0xFF0C: ord(",")}


def parse_yuan(text: str, *, allow_negative: bool = False, strict: bool = False) -> Fen:
    """Parse an amount in yuan as people type it (``12.8``, ``12.80``, ``￥12.80``, ``1,280``).

    At most two decimals; more precision than a fen is refused rather than rounded away.
    A comma is only ever a thousands separator in groups of three (``1,280``, ``12,345.60``);
    ``12,80`` is refused, because it could mean ¥12.80 or ¥1,280. With ``strict`` (the command
    line, where amounts are written once and not seen on a screen) no comma and no currency sign
    or unit is accepted: only ``12.80``-style numbers.
    """
    raw = text
    s = text.translate(_FULLWIDTH).strip()
    if not strict:
        for prefix in ("￥", "¥", "RMB", "CNY"):
            if s.upper().startswith(prefix):
                s = s[len(prefix):].strip()
        s = s.removesuffix("元").strip()
    if "," in s:
        if strict or not _GROUPED.match(s):
            hint = s.replace(",", ".") if s.count(",") == 1 and len(s.rpartition(",")[2]) <= 2 else s.replace(",", "")
            raise InvalidMoney(
                f"'{raw}' has a comma: write amounts with a decimal point and no thousands separators, e.g. {hint}",
                message_zh=f"“{raw}”含有逗号：金额请用小数点书写，不要千位分隔符，如 {hint}",
            )
        s = s.replace(",", "")
    m = _YUAN.match(s) or _YUAN_FRAC_ONLY.match(s)
    if not m:
        raise InvalidMoney(
            f"'{raw}' is not an amount in yuan (write it like 12.80)",
            message_zh=f"“{raw}”不是有效金额（请写成 12.80 这样的格式）",
        )
    whole = int(m.groupdict().get("int") or 0)
    frac = (m.group("frac") or "").ljust(2, "0")
    fen = whole * 100 + int(frac)
    if m.group("sign") == "-":
        fen = -fen
    if fen < 0 and not allow_negative:
        raise InvalidMoney(
            f"amount '{raw}' must not be negative", message_zh=f"金额“{raw}”不能为负数"
        )
    if abs(fen) > MAX_AMOUNT_FEN:
        raise InvalidMoney(
            f"amount '{raw}' is too large", message_zh=f"金额“{raw}”过大，请检查"
        )
    return fen



# A cell with a third decimal: named as such rather than as "not an amount".
_SUB_FEN = re.compile(r"^\s*[-+]?[￥¥]?\s*\d*\.\d{3,}\s*元?\s*$")


def parse_positive_yuan(text: str, what: str, what_zh: str) -> Fen:
    """A price or cost read from a file's cell: more than 0.00, at most two decimals (``12.80`` → 1280).

    ``what`` / ``what_zh`` name the field in the refusal ("price is empty" / "单价为空"). An amount
    below the fen is refused, never rounded: a rounded cost per kg times a delivery's weight would no
    longer match the supplier's total, and a rounded price is not the price on the shelf."""
    if not text:
        raise InvalidMoney(f"{what} is empty", message_zh=f"{what_zh}为空")
    if _SUB_FEN.match(text):
        raise InvalidMoney(f"'{text}' has more than two decimals (the smallest amount is 0.01 yuan)",
                           message_zh=f"“{text}”超过两位小数（最小单位为 0.01 元）")
    fen = parse_yuan(text)
    if fen <= 0:
        raise InvalidMoney(f"{what} must be more than 0.00", message_zh=f"{what_zh}必须大于 0.00")
    return fen

def format_yuan(fen: Fen, *, symbol: bool = False) -> str:
    """``1280 -> '12.80'``; with ``symbol``, ``'￥12.80'`` (full-width yuan sign, U+FFE5)."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"money must be int fen, got {type(fen).__name__}")
    sign = "-" if fen < 0 else ""
    a = abs(fen)
    body = f"{a // 100}.{a % 100:02d}"
    return f"{sign}{'￥' if symbol else ''}{body}"


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding halves away from zero (the counter's 四舍五入)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    q, r = divmod(abs(numerator), denominator)
    if r * 2 >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def weighed_amount(price_fen_per_kg: Fen, grams: int) -> Fen:
    """The one rule for weighed goods: price per kg × grams / 1000, rounded half up to the fen."""
    return div_round_half_up(price_fen_per_kg * grams, 1000)


def percent_of(amount: Fen, basis_points: int) -> Fen:
    """``basis_points`` hundredths of a percent of ``amount`` (1300 bp = 13 %), half up."""
    return div_round_half_up(amount * basis_points, 10_000)
