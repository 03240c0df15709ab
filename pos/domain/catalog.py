"""Products as the till sells them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .money import Fen


class SoldBy(str, enum.Enum):
    UNIT = "unit"  # 按件: counted in whole units
    WEIGHT = "weight"  # 称重: priced per kg, quantity in grams


@dataclass(frozen=True, slots=True)
class Product:
    """One SKU. For weighed goods ``price_fen`` is the price per kilogram."""

    sku: str
    name: str
    price_fen: Fen
    sold_by: SoldBy = SoldBy.UNIT
    barcode: str | None = None
    category: str = ""
    origin: str = ""  # origin county, e.g. 茂县, 松阳, 青田, 九寨沟, 平湖
    unit: str = "件"
    plu: str | None = None  # scale PLU for weighed goods
    tax_rate_bp: int | None = None  # basis points: 1300 = 13 %
    style: str | None = None  # variants of one style (款式) share it, e.g. 羽绒服-男款
    size: str | None = None
    color: str | None = None
    active: bool = True

    @property
    def weighed(self) -> bool:
        return self.sold_by is SoldBy.WEIGHT

    @property
    def variant_label(self) -> str:
        return " ".join(p for p in (self.color, self.size) if p)
