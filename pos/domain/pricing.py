"""Discounts, 抹零 (rounding-off) and spreading sale-level adjustments over lines."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

from .errors import CartError
from .money import Fen, div_round_half_up, format_yuan


class DiscountKind(str, enum.Enum):
    PERCENT = "percent"  # value in basis points off: 1000 = 10 % off (九折)
    AMOUNT = "amount"  # value in fen off


@dataclass(frozen=True, slots=True)
class Discount:
    kind: DiscountKind
    value: int

    def __post_init__(self) -> None:
        if not isinstance(self.value, int) or self.value <= 0:
            raise CartError("a discount must be more than zero", message_zh="折扣必须大于零")
        if self.kind is DiscountKind.PERCENT and self.value > 10_000:
            raise CartError("a discount cannot be more than 100 %", message_zh="折扣不能超过 100%")

    def off(self, amount: Fen) -> Fen:
        """How much this discount takes off ``amount`` (never more than the amount)."""
        if self.kind is DiscountKind.PERCENT:
            return min(amount, div_round_half_up(amount * self.value, 10_000))
        return min(amount, self.value)

    def describe_zh(self) -> str:
        if self.kind is DiscountKind.PERCENT:
            pct = self.value / 100
            return f"减{pct:g}%"
        return f"减{format_yuan(self.value, symbol=True)}"

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind.value, "value": self.value}

    @classmethod
    def from_json(cls, d: dict) -> Discount:
        return cls(DiscountKind(d["kind"]), int(d["value"]))


def _zhe_pay_bp(z: str) -> int | None:
    """What a customer pays for ``z``折, in basis points: ``9`` → 9000, ``9.5`` and ``95`` → 9500,
    ``88`` → 8800, ``0.5`` → 500. None when ``z`` is not a 折 figure at all."""
    whole, dot, frac = z.partition(".")
    if whole in ("10", "100") and (not dot or frac.strip("0") == ""):  # 十折, 100折: the full price
        return 10_000
    if not whole.isdigit() or not whole.isascii() or (dot and (len(frac) != 1 or not frac.isdigit() or not frac.isascii())):
        return None
    if dot:  # 9.5折, 0.5折: whole 0–9 and one tenth
        return int(whole) * 1000 + int(frac) * 100 if len(whole) == 1 else None
    if len(whole) == 1:  # 9折
        return int(whole) * 1000
    if len(whole) == 2 and whole[0] != "0":  # 95折 = 9.5折, 88折 = 8.8折
        return int(whole) * 100
    return None


def parse_discount(text: str) -> Discount:
    """``10%`` (10 % off), ``9折`` / ``9.5折`` / ``95折`` / ``88折`` (pay 90 % / 95 % / 95 % / 88 %),
    or an amount in yuan ``5`` / ``5.00``."""
    from .money import parse_yuan

    s = unicodedata.normalize("NFKC", text).strip()
    try:
        if s.endswith("%"):
            pct = s[:-1].strip()
            whole, _, frac = pct.partition(".")
            if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
                raise ValueError
            return Discount(DiscountKind.PERCENT, int(whole) * 100 + int(frac.ljust(2, "0") or 0))
        if s.endswith("折"):
            z = s[:-1].strip()
            pay_bp = _zhe_pay_bp(z)
            if pay_bp is None:
                raise ValueError
            if pay_bp >= 10_000:
                raise CartError(f"'{text}' means paying the full price: it is no discount",
                                message_zh=f"“{text}”即按原价，不是折扣")
            if pay_bp <= 0:
                raise CartError(f"'{text}' would make it free: to give it away write 100%",
                                message_zh=f"“{text}”等于不收钱；赠送请输入 100%")
            return Discount(DiscountKind.PERCENT, 10_000 - pay_bp)
    except ValueError:
        raise CartError(f"'{text}' is not a discount (write 10%, 9折, 95折 or an amount)",
                        message_zh=f"“{text}”不是有效折扣（如 10%、9折、95折 或金额）") from None
    return Discount(DiscountKind.AMOUNT, parse_yuan(s))


class RoundingMode(str, enum.Enum):
    """The store's 抹零 setting."""

    NONE = "none"
    DROP_FEN = "drop_fen"  # 抹分: 16.06 → 16.00
    DROP_JIAO = "drop_jiao"  # 抹角: 16.86 → 16.00
    ROUND_JIAO = "round_jiao"  # 四舍五入到角: 16.06 → 16.10, 16.04 → 16.00
    ROUND_YUAN = "round_yuan"  # 四舍五入到元: 16.50 → 17.00

    @property
    def label_zh(self) -> str:
        return {"none": "不抹零", "drop_fen": "抹分", "drop_jiao": "抹角", "round_jiao": "四舍五入到角",
                "round_yuan": "四舍五入到元"}[self.value]


def rounding_adjustment(total: Fen, mode: RoundingMode) -> Fen:
    """The signed 抹零 line: what to add to ``total`` (negative in the customer's favour)."""
    if total <= 0 or mode is RoundingMode.NONE:
        return 0
    if mode is RoundingMode.DROP_FEN:
        return -(total % 10)
    if mode is RoundingMode.DROP_JIAO:
        return -(total % 100)
    unit = 10 if mode is RoundingMode.ROUND_JIAO else 100
    return div_round_half_up(total, unit) * unit - total


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` over ``weights`` in proportion, to the fen, summing exactly (largest remainder).

    Used to spread a whole-sale discount and 抹零 over lines, so that reports by category,
    tax rate and origin county add up to the sale total, and returns refund exactly.
    """
    if not weights:
        if total:
            raise ValueError("cannot allocate over no lines")
        return []
    base = sum(weights)
    if base == 0:
        shares = [0] * len(weights)
        shares[-1] = total
        return shares
    sign = -1 if total < 0 else 1
    t = abs(total)
    raw = [(t * w) // base for w in weights]
    rem = [(t * w) % base for w in weights]
    left = t - sum(raw)
    for i in sorted(range(len(weights)), key=lambda i: (-rem[i], i))[:left]:
        raw[i] += 1
    return [sign * r for r in raw]
