"""Barcodes: GS1 check digits, EAN-13/EAN-8 validation, and cleaning what a scanner or a person typed."""

from __future__ import annotations

from .errors import InvalidBarcode

# Full-width digits and letters (what a Chinese IME in full-width mode produces) to ASCII.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space


def clean_code(text: str) -> str:
    """What was scanned or typed, with full-width characters folded and whitespace removed."""
    return "".join(text.translate(_FULLWIDTH).split())


def gs1_check_digit(data: str) -> int:
    """GS1 mod-10 check digit over ``data`` (weights 3,1,3,… from the rightmost digit)."""
    if not data.isdigit() or not data.isascii():
        raise InvalidBarcode(f"'{data}' has characters other than digits", message_zh=f"“{data}”含有非数字字符")
    total = 0
    for i, ch in enumerate(reversed(data)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) >= 2 and gs1_check_digit(code[:-1]) == int(code[-1])


def is_valid_ean13(code: str) -> bool:
    return len(code) == 13 and has_valid_check_digit(code)


def is_valid_ean8(code: str) -> bool:
    return len(code) == 8 and has_valid_check_digit(code)


def with_check_digit(data: str) -> str:
    """Append the GS1 check digit: ``'690123456789' -> '6901234567892'``."""
    return data + str(gs1_check_digit(data))


def validate_product_barcode(code: str) -> str:
    """A barcode printed on a product: EAN-13, EAN-8 or UPC-A (12) with a right check digit.

    Other in-house codes (letters, other lengths) are accepted as given, as long as they are
    printable ASCII without spaces, since many counters label local goods with their own codes.
    """
    c = clean_code(code)
    if not c:
        raise InvalidBarcode("the barcode is empty", message_zh="条码为空")
    if not c.isascii() or not c.isprintable():
        raise InvalidBarcode(f"barcode '{code}' has characters a scanner cannot send", message_zh=f"条码“{code}”含有扫码枪无法输入的字符")
    if c.isdigit() and len(c) in (8, 12, 13) and not has_valid_check_digit(c):
        raise InvalidBarcode(
            f"barcode {c} has a wrong check digit (expected {gs1_check_digit(c[:-1])})",
            message_zh=f"条码 {c} 校验位错误（应为 {gs1_check_digit(c[:-1])}）",
        )
    if len(c) > 32:
        raise InvalidBarcode(f"barcode '{c}' is too long", message_zh=f"条码“{c}”过长")
    return c
