"""What arrived in the scan field: a product code, a scale label, a mobile payment code, or text.

The till has one input line that a scanner, a scale label and a person typing all feed. This
module decides what the text *is* before anything is looked up, because two kinds of input must
never be treated as a product:

* a customer's WeChat/Alipay payment code (付款码) is a payment, never a product or a search;
* a scale label (条码秤) carries its own PLU and the amount settled at the scale, which is what the
  customer is charged (零售商品称重计量监督管理办法: weighed goods settle at the scale's reading).

Scale-label layouts are a per-store scale setting, so they are data (:class:`ScaleLabelFormat`),
configured by strings such as ``"13:20,21,22:FFCCCCCXXXXXK:amount:gs1"``.

Standard library only (ARCHITECTURE.md: pos.domain is pure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .barcodes import clean_code
from .errors import InvalidBarcode
from .money import Fen, weighed_amount

CheckMethod = Literal["gs1", "left_weighted"]
ValueKind = Literal["amount", "weight"]
PaymentProvider = Literal["wechat", "alipay"]

CHECK_METHODS: tuple[str, ...] = ("gs1", "left_weighted")
VALUE_KINDS: tuple[str, ...] = ("amount", "weight")
MAX_SCAN_LENGTH = 64
_LAYOUT_LETTERS = frozenset("FCXMWK")


# --- check digits -----------------------------------------------------------------------------


def check_digit(data: str, method: str = "gs1") -> int:
    """Mod-10 check digit over the digits ``data`` with weights 3,1,3,…

    ``gs1`` starts the weights at the rightmost data digit (GS1 / EAN); ``left_weighted`` starts
    them at the leftmost, as some scales do. The two agree whenever ``data`` has an odd number of
    digits (e.g. the 17 data digits of an 18-digit label) and differ when it is even (EAN-13).
    """
    if not data.isascii() or not data.isdigit():
        raise InvalidBarcode(f"'{data}' has characters other than digits", message_zh=f"“{data}”含有非数字字符")
    if method not in CHECK_METHODS:
        raise ValueError(f"unknown check digit method {method!r}")
    digits = data if method == "left_weighted" else data[::-1]
    total = sum(int(ch) * (3 if i % 2 == 0 else 1) for i, ch in enumerate(digits))
    return (10 - total % 10) % 10


# --- scale-label formats ----------------------------------------------------------------------


def _field_span(layout: str, letter: str) -> tuple[int, int] | None:
    """(start, end) of the one contiguous run of ``letter`` in ``layout``; None if absent."""
    start = layout.find(letter)
    if start < 0:
        return None
    end = layout.rfind(letter) + 1
    if layout[start:end] != letter * (end - start):
        raise ValueError(f"layout {layout!r}: the {letter} digits must be next to each other")
    return start, end


@dataclass(frozen=True, slots=True)
class ScaleLabelFormat:
    """One label layout a store's scales print.

    ``layout`` has one letter per digit: F flag (one of ``prefixes``), C PLU, X a value whose
    meaning is ``value`` (``"amount"`` in fen or ``"weight"`` in grams), M amount in fen, W weight
    in grams, K the check digit (last). ``check`` is ``"gs1"`` (default) or ``"left_weighted"``.
    """

    name: str
    length: int
    prefixes: tuple[str, ...]
    layout: str
    value: ValueKind | None = None
    check: CheckMethod = "gs1"

    def __post_init__(self) -> None:
        # Refuse a bad setting when the till starts, not when a customer is at the counter.
        lay = self.layout
        if self.length not in (13, 18) or len(lay) != self.length:
            raise ValueError(f"scale format {self.name}: layout {lay!r} must have {self.length} digits (13 or 18)")
        if set(lay) - _LAYOUT_LETTERS:
            raise ValueError(f"scale format {self.name}: layout {lay!r} may only use the letters F C X M W K")
        if lay.count("K") != 1 or not lay.endswith("K"):
            raise ValueError(f"scale format {self.name}: layout {lay!r} must end in one check digit K")
        flag = _field_span(lay, "F")
        if flag is None or flag[0] != 0:
            raise ValueError(f"scale format {self.name}: layout {lay!r} must start with the flag digits F")
        if not self.prefixes or any(len(p) != flag[1] or not p.isdigit() for p in self.prefixes):
            raise ValueError(f"scale format {self.name}: prefixes must be {flag[1]}-digit numbers")
        if _field_span(lay, "C") is None:
            raise ValueError(f"scale format {self.name}: layout {lay!r} has no PLU digits C")
        has_x = _field_span(lay, "X") is not None
        has_mw = _field_span(lay, "M") is not None or _field_span(lay, "W") is not None
        if has_x == has_mw:
            raise ValueError(f"scale format {self.name}: layout {lay!r} needs either X digits or M/W digits")
        if has_x and self.value not in VALUE_KINDS:
            raise ValueError(f"scale format {self.name}: X digits need value 'amount' or 'weight'")
        if self.check not in CHECK_METHODS:
            raise ValueError(f"scale format {self.name}: check must be one of {', '.join(CHECK_METHODS)}")

    @classmethod
    def from_setting(cls, text: str, name: str | None = None) -> ScaleLabelFormat:
        """Parse ``"LENGTH:PREFIX,PREFIX:LAYOUT:VALUE:CHECK"`` (VALUE and CHECK may be empty).

        ``"13:20,21,22:FFCCCCCXXXXXK:amount:gs1"`` or ``"18:26:FFCCCCCMMMMMWWWWWK::gs1"``.
        Raises ValueError with the setting quoted, so a bad config line is easy to find.
        """
        parts = [p.strip() for p in text.strip().split(":")]
        if not 3 <= len(parts) <= 5:
            raise ValueError(f"scale format {text!r}: expected LENGTH:PREFIXES:LAYOUT[:VALUE[:CHECK]]")
        parts += [""] * (5 - len(parts))
        length, prefixes, layout, value, check = parts
        if not length.isdigit():
            raise ValueError(f"scale format {text!r}: length {length!r} is not a number")
        return cls(
            name=name or text.strip(),
            length=int(length),
            prefixes=tuple(p.strip() for p in prefixes.split(",") if p.strip()),
            layout=layout.upper(),
            value=(value.lower() or None),  # type: ignore[arg-type]  # checked in __post_init__
            check=(check.lower() or "gs1"),  # type: ignore[arg-type]
        )

    def claims(self, code: str) -> bool:
        """Whether ``code`` (digits) has this format's length and one of its flags."""
        return len(code) == self.length and code.startswith(self.prefixes)

    def check_ok(self, code: str) -> bool:
        return check_digit(code[:-1], self.check) == int(code[-1])

    def _number(self, code: str, letter: str) -> int | None:
        span = _field_span(self.layout, letter)
        return None if span is None else int(code[span[0]:span[1]])

    def read(self, code: str) -> ScaleLabel:
        """The fields of a claimed code whose check digit is right."""
        c_start, c_end = _field_span(self.layout, "C") or (0, 0)
        plu_digits = code[c_start:c_end]
        amount = self._number(code, "M")
        grams = self._number(code, "W")
        x = self._number(code, "X")
        if x is not None:
            amount, grams = (x, None) if self.value == "amount" else (None, x)
        return ScaleLabel(
            plu=plu_digits.lstrip("0") or "0", amount_fen=amount, grams=grams, format=self.name,
            code=code, plu_digits=plu_digits,
        )

    def encode(self, plu: int, *, amount_fen: int | None = None, grams: int | None = None, flag: str | None = None) -> str:
        """The label a scale would print (for tests and label printing): digits with check digit."""
        values = {"F": flag or self.prefixes[0], "C": plu, "M": amount_fen, "W": grams,
                  "X": amount_fen if self.value == "amount" else grams}
        out = []
        spans = sorted((span, letter) for letter in "FCXMW" if (span := _field_span(self.layout, letter)))
        for (start, end), letter in spans:  # in layout order: W may come before M
            v = values[letter]
            width = end - start
            text = v if isinstance(v, str) else ("" if v is None or v < 0 else f"{v:0{width}d}")
            if len(text) != width:
                raise ValueError(f"{letter}={v!r} does not fit layout {self.layout}")
            out.append(text)
        data = "".join(out)
        return data + str(check_digit(data, self.check))


@dataclass(frozen=True, slots=True)
class ScaleLabel:
    """A parsed scale label. ``plu`` has its leading zeros stripped; ``plu_digits`` as printed."""

    plu: str
    amount_fen: Fen | None
    grams: int | None
    format: str
    code: str = ""
    plu_digits: str = ""


DEFAULT_SCALE_FORMATS: tuple[ScaleLabelFormat, ...] = (
    ScaleLabelFormat("ean13-amount", 13, ("20", "21", "22"), "FFCCCCCXXXXXK", "amount"),
    ScaleLabelFormat("ean13-weight", 13, ("23", "24"), "FFCCCCCXXXXXK", "weight"),
    ScaleLabelFormat("ean18-amount-weight", 18, ("26",), "FFCCCCCMMMMMWWWWWK"),
)


def parse_scale_label(code: str, formats: tuple[ScaleLabelFormat, ...] | list[ScaleLabelFormat] = DEFAULT_SCALE_FORMATS) -> ScaleLabel | None:
    """The scale label in ``code``, or None when no format claims it (it is some other code).

    When formats claim the code, the first whose check digit is right reads it; when none is,
    the label was misread or misprinted and :class:`InvalidBarcode` says so (never a guess).
    """
    c = clean_code(code)
    if not c.isascii() or not c.isdigit():
        return None
    claimed = [f for f in formats if f.claims(c)]
    if not claimed:
        return None
    for fmt in claimed:
        if fmt.check_ok(c):
            return fmt.read(c)
    raise InvalidBarcode(
        f"scale label {c} has a wrong check digit; scan it again or key the item in",
        message_zh="称重条码校验位错误，请重新扫描或手工输入",
        code_scanned=c,
    )


def amount_for_label(product_price_fen_per_kg: Fen, label: ScaleLabel) -> Fen:
    """What the customer is charged for ``label``.

    The amount printed by the scale wins: the law settles weighed goods at the scale's reading,
    and the scale may hold a price the till does not (a markdown keyed at the scale). Only a
    weight-only label is priced here, by the one rule for weighed goods.
    """
    if label.amount_fen is not None:
        return label.amount_fen
    if label.grams is not None:
        return weighed_amount(product_price_fen_per_kg, label.grams)
    raise ValueError(f"scale label {label.code} carries neither an amount nor a weight")


# --- payment codes ----------------------------------------------------------------------------


def payment_provider(code: str) -> PaymentProvider | None:
    """``"wechat"`` for 18 digits starting 10–15, ``"alipay"`` for 16–24 digits starting 25–30."""
    if not code.isascii() or not code.isdigit() or len(code) < 2:
        return None
    head = int(code[:2])
    if len(code) == 18 and 10 <= head <= 15:
        return "wechat"
    if 16 <= len(code) <= 24 and 25 <= head <= 30:
        return "alipay"
    return None


# --- classifying the scan field ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductCode:
    """A barcode, PLU or SKU to look up in the catalogue."""

    code: str


@dataclass(frozen=True, slots=True)
class ScaleLabelScan:
    label: ScaleLabel


@dataclass(frozen=True, slots=True)
class PaymentCodeScan:
    """A customer's payment code. Never looked up, searched or logged as a product."""

    provider: PaymentProvider
    code: str

    def __repr__(self) -> str:  # a payment code is a bearer token: keep it out of logs and tracebacks
        return f"PaymentCodeScan(provider={self.provider!r}, code='…{self.code[-4:]}')"


@dataclass(frozen=True, slots=True)
class SearchText:
    """Chinese text typed into the scan field (e.g. 苹果): a search, not a code."""

    text: str


Scan = ProductCode | ScaleLabelScan | PaymentCodeScan | SearchText


def _is_cjk_text_char(ch: str) -> bool:
    """Han ideographs and the CJK punctuation a cashier's IME types alongside them."""
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3134F
        or 0x3000 <= cp <= 0x303F or ch in "·×—…“”‘’"
    )


def classify_scan(code: str, scale_formats: tuple[ScaleLabelFormat, ...] | list[ScaleLabelFormat] = DEFAULT_SCALE_FORMATS) -> Scan:
    """Decide what ``code`` is. Full-width digits are folded and whitespace (a scanner's CR/LF) dropped.

    Order of the rules, and why:

    1. Garbage is refused with :class:`InvalidBarcode`: nothing, control characters, more than
       64 characters, or non-ASCII that is not Chinese search text.
    2. Chinese text is :class:`SearchText`.
    3. A code a configured scale format claims **with a valid check digit** is a scale label.
    4. A payment-code shape (WeChat: 18 digits starting 10–15; Alipay: 16–24 digits starting
       25–30) is a payment.
    5. A code a scale format claims with a **wrong** check digit is refused (misread label).
    6. Anything else is a product code (barcode, PLU or SKU) to look up.

    The 18-digit clash: an Alipay code starting ``26`` has the shape of an 18-digit ``26…`` scale
    label. The scale format wins only if its check digit is valid; otherwise the code is a payment
    code. (A random payment code passes a mod-10 check one time in ten, so the resolver also
    treats such a "label" whose PLU is not in the catalogue as the payment code it must be.)
    """
    c = clean_code(code)
    if not c:
        raise InvalidBarcode("nothing was scanned", message_zh="未输入条码")
    if not c.isprintable():
        raise InvalidBarcode("the scan contains control characters; scan it again",
                             message_zh="条码含有控制字符，请重新扫描")
    if len(c) > MAX_SCAN_LENGTH:
        raise InvalidBarcode(f"the scan is longer than {MAX_SCAN_LENGTH} characters; scan it again",
                             message_zh=f"条码超过 {MAX_SCAN_LENGTH} 个字符，请重新扫描")
    if not c.isascii():
        if all(ch.isascii() or _is_cjk_text_char(ch) for ch in c):
            return SearchText(c)
        raise InvalidBarcode("the scan contains characters a scanner cannot send",
                             message_zh="条码含有扫码枪无法输入的字符")
    if c.isdigit():
        claimed = [f for f in scale_formats if f.claims(c)]
        for fmt in claimed:
            if fmt.check_ok(c):
                return ScaleLabelScan(fmt.read(c))
        provider = payment_provider(c)
        if provider is not None:
            return PaymentCodeScan(provider, c)
        if claimed:
            parse_scale_label(c, claimed)  # raises the wrong-check-digit message
    return ProductCode(c)


__all__ = [
    "DEFAULT_SCALE_FORMATS", "PaymentCodeScan", "ProductCode", "ScaleLabel", "ScaleLabelFormat", "ScaleLabelScan",
    "Scan", "SearchText", "amount_for_label", "check_digit", "classify_scan", "parse_scale_label", "payment_provider",
]
