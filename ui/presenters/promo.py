"""What the checkout shows of the promotions in force (促销), without Qt (issue 17).

The cart's promotion result (pos.domain.promotions.PromoResult, worked out again at every change)
becomes two things on screen: on each cart line, the reduction of the promotions on that item
("第二件半价 -￥64.00"); above the total, one named line per promotion applied, in priority order
("满100减10 -￥10.00"). A basket promotion (满减, 满折) is shared over the lines for returns, but a
cashier reads it as one line above the total, not as odd fen on every line: the line shows only
the promotions of the item itself. Names come from the promotion file as written (Chinese).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pos.domain.money import Fen, format_yuan

if TYPE_CHECKING:  # (the engine is imported by the cart; a presenter only reads its result)
    from pos.domain.promotions import PromoResult

# Kinds whose reduction belongs to the basket, not to one item (PromoKind values).
BASKET_KINDS = frozenset({"spend_off", "spend_pct"})


def off_text(fen: Fen) -> str:
    """A reduction as the screen writes it: ``-￥6.00``."""
    return f"-{format_yuan(fen, symbol=True)}"


@dataclass(frozen=True, slots=True)
class LinePromo:
    """The item promotions on one cart line and what they take off it."""

    names: tuple[str, ...]
    off_fen: Fen

    @property
    def text(self) -> str:
        return f"{'、'.join(self.names)} {off_text(self.off_fen)}"


@dataclass(frozen=True, slots=True)
class PromoRow:
    """One named promotion above the total."""

    promo_id: str
    name: str
    off_fen: Fen

    @property
    def text(self) -> str:
        return f"{self.name} {off_text(self.off_fen)}"


@dataclass(frozen=True, slots=True)
class PromoView:
    lines: Mapping[int, LinePromo] = field(default_factory=dict)  # by cart line index
    rows: tuple[PromoRow, ...] = ()
    total_off_fen: Fen = 0

    def line(self, key: int) -> LinePromo | None:
        return self.lines.get(key)

    @property
    def any(self) -> bool:
        return bool(self.rows)


NO_PROMOTIONS = PromoView()


def promo_view(result: PromoResult | None) -> PromoView:
    """The screen's view of ``result`` (None or nothing applied: nothing to show)."""
    if result is None or not result.applied:
        return NO_PROMOTIONS
    names = {(a.promo_id, a.version): a.name for a in result.applied}
    basket = {(a.promo_id, a.version) for a in result.applied if str(a.kind) in BASKET_KINDS}
    lines: dict[int, LinePromo] = {}
    for benefit in result.lines:
        shares = [s for s in benefit.shares if s.fen > 0 and (s.promo_id, s.version) not in basket]
        off = sum(s.fen for s in shares)
        if off <= 0:
            continue
        seen: list[str] = []
        for s in shares:
            name = names.get((s.promo_id, s.version), s.promo_id)
            if name not in seen:
                seen.append(name)
        lines[benefit.key] = LinePromo(tuple(seen), off)
    rows = tuple(PromoRow(a.promo_id, a.name, a.off_fen) for a in result.applied if a.off_fen > 0)
    return PromoView(lines, rows, result.total_off_fen)


__all__ = ["BASKET_KINDS", "NO_PROMOTIONS", "LinePromo", "PromoRow", "PromoView", "off_text", "promo_view"]
