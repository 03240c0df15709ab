"""Quantities as people type them: whole units, or weights in kilograms (1.255) or grams (850g)."""

from __future__ import annotations

import re
from decimal import Decimal

from .catalog import Product
from .errors import InvalidInput

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3002: ord(".")}
_PLAIN_DECIMAL = re.compile(r"^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
# Far above any real quantity (the cart refuses more than 500 kg or 9999 units with a message);
# the cap only keeps absurd input such as a 5,000-digit number from reaching int().
_MAX_DIGITS = 12


def parse_weight(text: str) -> int:
    """``"1.255"`` (kg) → 1255 grams; ``"850g"`` → 850. Gram precision at most; never a float."""
    raw = text.translate(_FULLWIDTH).strip().lower().replace("，", ".").replace(",", ".")
    grams_given = raw.endswith("g") and not raw.endswith("kg")
    number = raw[:-1].strip() if grams_given else raw.removesuffix("kg").removesuffix("公斤").removesuffix("千克").strip()
    # Plain decimals only: Decimal alone would take 1e999999 (and overflow), nan or 1_000.
    bad = InvalidInput(f"weight '{text}' is not valid (write kilograms like 1.255)",
                       message_zh=f"重量“{text}”无效（请按千克输入，如 1.255）")
    if not _PLAIN_DECIMAL.match(number):
        raise bad
    if len(number.partition(".")[0]) > _MAX_DIGITS:
        raise _too_large(text)
    grams = Decimal(number) * (1 if grams_given else 1000)
    if grams != grams.to_integral_value():
        raise bad
    return int(grams)


def _too_large(text: str) -> InvalidInput:
    short = text if len(text) <= 20 else f"{text[:20]}…"
    return InvalidInput(f"quantity '{short}' is far too large", message_zh=f"数量“{short}”过大，请核对")


def parse_units(text: str) -> int:
    """``"3"`` → 3. Whole units only; the cart checks the limits."""
    raw = text.translate(_FULLWIDTH).strip()
    if not (raw.isascii() and raw.isdigit()):
        raise InvalidInput(f"quantity '{text}' is not a whole number", message_zh=f"数量“{text}”无效（请输入整数）")
    if len(raw) > _MAX_DIGITS:
        raise _too_large(text)
    return int(raw)


def parse_quantity(product: Product, text: str) -> int:
    """Grams for weighed goods, units otherwise."""
    return parse_weight(text) if product.weighed else parse_units(text)
