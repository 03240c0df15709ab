"""Reductions by kind: what came off the list price of a line, a sale or a period, and why.

Six kinds, each a positive amount taken off (negative only where money was added):

- 折扣 ``discount``: line discounts and each line's share of the whole-sale discount;
- 改价 ``override``: list value − charged value of a line whose price was overridden (negative
  when a price was raised);
- 抹零 ``rounding``: the line's share of the rounding line, positive in the customer's favour;
- 赠送 ``gift``: a line given away — its line discount takes 100 % of it. Such a line counts
  here, never under 折扣.
- 促销 ``promotion``: what the promotions in force took off the line (满减, 第二件半价, 买二赠一 …,
  pos.domain.promotions), before the whole-sale discount;
- 积分抵扣 ``points``: the line's share of a member's points redeemed on the sale (the customer pays
  less; the store gives it, so the accountant sees it here, not as a tender).

Payloads written before the last two kinds read them as 0.

So that, for every line, sale and period: list value − reductions.total = net paid, to the fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .money import Fen

KINDS_ZH = (("discount", "折扣"), ("override", "改价"), ("gift", "赠送"), ("promotion", "促销"), ("points", "积分抵扣"),
            ("rounding", "抹零"))


@dataclass(frozen=True, slots=True)
class Reductions:
    discount_fen: Fen = 0  # 折扣
    override_fen: Fen = 0  # 改价 (signed: negative when a price was raised)
    rounding_fen: Fen = 0  # 抹零 (positive in the customer's favour)
    gift_fen: Fen = 0  # 赠送
    promotion_fen: Fen = 0  # 促销
    points_fen: Fen = 0  # 积分抵扣

    @property
    def total_fen(self) -> Fen:
        return (self.discount_fen + self.override_fen + self.rounding_fen + self.gift_fen + self.promotion_fen
                + self.points_fen)

    def __add__(self, other: Reductions) -> Reductions:
        return Reductions(self.discount_fen + other.discount_fen, self.override_fen + other.override_fen,
                          self.rounding_fen + other.rounding_fen, self.gift_fen + other.gift_fen,
                          self.promotion_fen + other.promotion_fen, self.points_fen + other.points_fen)

    def __sub__(self, other: Reductions) -> Reductions:
        return Reductions(self.discount_fen - other.discount_fen, self.override_fen - other.override_fen,
                          self.rounding_fen - other.rounding_fen, self.gift_fen - other.gift_fen,
                          self.promotion_fen - other.promotion_fen, self.points_fen - other.points_fen)

    @classmethod
    def sum(cls, items: Iterable[Reductions]) -> Reductions:
        out = cls()
        for r in items:
            out = out + r
        return out

    def to_json(self) -> dict[str, int]:
        """The kinds as a payload keeps them; 促销 and 积分抵扣 only when not 0, so a sale without them
        hashes as it did before they existed."""
        out = {"discount": self.discount_fen, "override": self.override_fen, "rounding": self.rounding_fen,
               "gift": self.gift_fen}
        if self.promotion_fen:
            out["promotion"] = self.promotion_fen
        if self.points_fen:
            out["points"] = self.points_fen
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Reductions:
        return cls(int(d.get("discount", 0)), int(d.get("override", 0)), int(d.get("rounding", 0)),
                   int(d.get("gift", 0)), int(d.get("promotion", 0)), int(d.get("points", 0)))


def line_reductions(*, list_value_fen: Fen, gross_fen: Fen, line_discount_fen: Fen,
                    sale_discount_share_fen: Fen, rounding_share_fen: Fen, promotion_fen: Fen = 0,
                    points_fen: Fen = 0) -> Reductions:
    """A sale line's reductions from its list value, charged gross, discounts and signed 抹零 share.

    ``gross_fen`` is the line at the charged price (after an override, before discounts);
    ``rounding_share_fen`` is signed as on the sale (negative in the customer's favour);
    ``promotion_fen`` and ``points_fen`` what promotions and the member's points took off it.
    """
    gift = line_discount_fen if gross_fen > 0 and line_discount_fen >= gross_fen else 0
    return Reductions(
        discount_fen=line_discount_fen - gift + sale_discount_share_fen,
        override_fen=list_value_fen - gross_fen,
        rounding_fen=-rounding_share_fen,
        gift_fen=gift,
        promotion_fen=promotion_fen,
        points_fen=points_fen,
    )
