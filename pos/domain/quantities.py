"""Quantities as people type them: whole units, or weights in kilograms (1.255) or grams (850g)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .catalog import Product
from .errors import InvalidInput

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3002: ord(".")}


def parse_weight(text: str) -> int:
    """``"1.255"`` (kg) → 1255 grams; ``"850g"`` → 850. Gram precision at most; never a float."""
    raw = text.translate(_FULLWIDTH).strip().lower().replace("，", ".").replace(",", ".")
    try:
        if raw.endswith("g") and not raw.endswith("kg"):
            grams = Decimal(raw[:-1].strip())
        else:
            grams = Decimal(raw.removesuffix("kg").removesuffix("公斤").removesuffix("千克").strip()) * 1000
        if not grams.is_finite() or grams != grams.to_integral_value():
            raise InvalidOperation
    except InvalidOperation:
        raise InvalidInput(f"weight '{text}' is not valid (write kilograms like 1.255)",
                           message_zh=f"重量“{text}”无效（请按千克输入，如 1.255）") from None
    return int(grams)


def parse_units(text: str) -> int:
    """``"3"`` → 3. Whole units only; the cart checks the limits."""
    raw = text.translate(_FULLWIDTH).strip()
    if not (raw.isascii() and raw.isdigit()):
        raise InvalidInput(f"quantity '{text}' is not a whole number", message_zh=f"数量“{text}”无效（请输入整数）")
    return int(raw)


def parse_quantity(product: Product, text: str) -> int:
    """Grams for weighed goods, units otherwise."""
    return parse_weight(text) if product.weighed else parse_units(text)
