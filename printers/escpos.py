"""ESC/POS bytes for a receipt, built here byte by byte.

python-escpos 3.1's ``text()`` cannot be used for Chinese: it sends no ``FS &``, picks GB18030
only for lines with a character in U+4E00–U+9FA5, prints full-width punctuation lines as ``?``
and sends ¥ as a 4-byte sequence. So every line is encoded by :func:`printers.layout.encode_text`
(GB18030 2-byte area or GBK) and the few commands we need are spelled out below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pos.domain.receipt import Receipt

from .layout import Align, LayoutLine, check_columns, encode_text, layout_receipt, normalize_encoding, wrap

# --- Command bytes: the only place they are spelled out. ------------------------------------
ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"
LF = b"\n"  # print the line buffer and feed one line
INIT = ESC + b"@"  # ESC @: power-on settings, so styles left by an earlier job don't leak in
KANJI_ON = FS + b"&"  # FS &: Chinese mode: a byte 0x81-0xFE starts a 2-byte GB character
KANJI_OFF = FS + b"."  # FS .: leave Chinese mode (high bytes go back to the code page)
ALIGN: dict[Align, bytes] = {  # ESC a n: 0 left, 1 center, 2 right (applies from line start)
    "left": ESC + b"a\x00",
    "center": ESC + b"a\x01",
    "right": ESC + b"a\x02",
}
BOLD = {False: ESC + b"E\x00", True: ESC + b"E\x01"}  # ESC E n: emphasis off/on
SIZE = {False: GS + b"!\x00", True: GS + b"!\x11"}  # GS ! n: 0x11 = double width + height
# FS ! n: the same for Chinese characters (0x04 double width | 0x08 double height); clones
# differ in whether GS ! alone scales Chinese, so both are sent.
KANJI_SIZE = {False: FS + b"!\x00", True: FS + b"!\x0c"}
FEED_BEFORE_CUT = ESC + b"d\x06"  # ESC d 6: feed so the last line clears the cutter/tear bar
FULL_CUT = GS + b"V\x00"  # GS V 0: full cut (with the feed, exactly python-escpos cut())
PARTIAL_CUT = GS + b"V\x01"  # GS V 1: partial cut (profiles without a full cutter)
DRAWER_KICK = ESC + b"p\x00\x32\x32"  # ESC p 0 50 50: pin 2, 100 ms on/off = cashdraw(2)
# DLE DC4 1 m t: real-time pulse on pin 2 (m = 0) for t × 100 ms. Executed on receipt even while
# the printer is offline (paper out, cover open), when ESC p would wait in the buffer.
REALTIME_DRAWER_PULSE = b"\x10\x14\x01\x00\x01"
BARCODE_HEIGHT = GS + b"h\x50"  # GS h 80: 10 mm of bars, easy for a handheld scanner
BARCODE_MODULE = GS + b"w\x02"  # GS w 2: narrowest module width every model accepts
BARCODE_HRI_BELOW = GS + b"H\x02"  # GS H 2: print the number under the bars
BARCODE_HRI_FONT_A = GS + b"f\x00"  # GS f 0: HRI in Font A (12 dots: one cell per digit)
CODE128 = GS + b"k\x49"  # GS k 73 n d1..dn: CODE128 (function B: length byte, then data)
CODE128_SET_B = b"{B"  # data begins by selecting code set B (printable ASCII)
QR_MODEL_2 = GS + b"(k\x04\x001A2\x00"  # GS ( k fn 165: QR model 2
QR_MODULE_6 = GS + b"(k\x03\x001C\x06"  # fn 167: 6 dots per module (~19 mm for a receipt no)
QR_ECC_M = GS + b"(k\x03\x001E1"  # fn 169: error correction level M (15 %)
QR_STORE = GS + b"(k"  # fn 180: + pL pH "1P0" data (length counts the 3 bytes "1P0")
QR_PRINT = GS + b"(k\x03\x001Q0"  # fn 181: print the stored symbol

DOTS_PER_CELL = 12  # Font A is 12 dots wide: 32 cells = 384 dots (58 mm), 48 = 576 (80 mm)
# Characters we put in a CODE128 set B symbol: receipt numbers are letters, digits and '-';
# '{' would be read as a code-set switch, so anything unusual goes into a QR code instead.
_CODE128_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-./+ ")

# How the receipt number prints (setting ``receipt_codes``):
#   auto     CODE128 when it fits the paper, else QR (the original behaviour)
#   barcode  CODE128; QR only where a barcode cannot fit (58 mm) so it stays scannable
#   qr       QR code plus the number as text
#   both     CODE128 (with its digits) and a QR code under it
CodeStyle = Literal["auto", "barcode", "qr", "both"]
CODE_STYLES: tuple[str, ...] = ("auto", "barcode", "qr", "both")


@dataclass(frozen=True, slots=True)
class _Style:
    align: Align = "left"
    bold: bool = False
    double: bool = False


def code128_fits(data: str, columns: int) -> bool:
    """Whether ``data`` prints as a CODE128 set B symbol across ``columns`` cells.

    Modules: start 11 + 11 per character + check 11 + stop 13, plus 10 quiet modules each side;
    at 2 dots a module. ``MX01-20261122-0042`` needs 506 dots: it fits 80 mm (576), not 58 mm
    (384), where the receipt number goes into a QR code instead.
    """
    if not data or not set(data) <= _CODE128_SAFE:
        return False
    modules = 11 * (len(data) + 2) + 13 + 20
    return modules * 2 <= columns * DOTS_PER_CELL


def _barcode_bytes(text: str) -> bytes:
    data = CODE128_SET_B + text.encode("ascii")
    return (
        BARCODE_HEIGHT + BARCODE_MODULE + BARCODE_HRI_BELOW + BARCODE_HRI_FONT_A
        + CODE128 + bytes([len(data)]) + data
    )


def qr_native_bytes(text: str) -> bytes:
    """``GS ( k``: model 2, 6-dot modules, error correction M, store the data, print it."""
    payload = text.encode("utf-8")
    size = len(payload) + 3
    store = QR_STORE + bytes([size & 0xFF, size >> 8]) + b"1P0" + payload
    return QR_MODEL_2 + QR_MODULE_6 + QR_ECC_M + store + QR_PRINT


def _qr_bytes(text: str, *, image: bool) -> bytes:
    if image:
        from .raster import qr_image_command

        return qr_image_command(text)
    return qr_native_bytes(text)


def _code_bytes(
    text: str, columns: int, encoding: str, codes: str = "auto", *, qr_image: bool = False, qr: bool = True
) -> bytes:
    """The receipt number as CODE128 with its digits under it, and/or as QR plus a text line.

    ``qr=False`` (a profile with neither native QR nor raster images) leaves the barcode, or
    the number as plain text.
    """
    fits = code128_fits(text, columns)
    barcode = fits and codes in ("auto", "barcode", "both")
    want_qr = codes in ("qr", "both") or (codes in ("auto", "barcode") and not fits)
    out = bytearray()
    if barcode:
        out += _barcode_bytes(text)
    if want_qr and qr:
        out += _qr_bytes(text, image=qr_image)
        if not barcode:  # a QR symbol prints no text of its own: the number follows as a line
            out += encode_text(text, encoding) + LF
    elif not barcode:
        out += encode_text(text, encoding) + LF
    return bytes(out)


def _trace_bytes(data: str, columns: int, encoding: str, *, qr_image: bool = False, qr: bool = True) -> bytes:
    """A QR code of ``data`` (always a QR, whatever ``codes`` says); the text itself, wrapped, on a
    printer that can print no QR code."""
    if qr:
        return _qr_bytes(data, image=qr_image)
    return b"".join(encode_text(piece, encoding) + LF for piece in wrap(data, columns, encoding))


def _restyle(out: bytearray, old: _Style, new: _Style) -> _Style:
    if new.align != old.align:
        out += ALIGN[new.align]
    if new.bold != old.bold:
        out += BOLD[new.bold]
    if new.double != old.double:
        out += SIZE[new.double] + KANJI_SIZE[new.double]
    return new


def encode_lines(
    lines: Iterable[LayoutLine],
    *,
    columns: int = 32,
    encoding: str = "gb18030",
    cut: bool = True,
    drawer_kick: bool = False,
    logo: bytes | None = None,
    codes: str = "auto",
    qr_image: bool = False,
    qr: bool = True,
    partial_cut: bool = False,
) -> bytes:
    """ESC/POS bytes for already laid-out lines (a receipt, a shift report, a test page).

    ``ESC @``, [drawer kick], [logo centered: ``ESC a 1`` + ``GS v 0``], ``FS &``, the lines
    with only the style changes they need, back to plain style, ``FS .``, ``ESC d 6`` and,
    with ``cut``, ``GS V 0`` (``GS V 1`` with ``partial_cut``). ``logo`` is a ready
    ``GS v 0`` command (:func:`printers.raster.logo_command`); ``codes`` is how code lines
    print (see :data:`CODE_STYLES`); ``qr_image`` prints QR codes as raster images.
    """
    enc = normalize_encoding(encoding)
    check_columns(columns)
    if codes not in CODE_STYLES:
        raise ValueError(f"codes must be one of {CODE_STYLES}, not {codes!r}")
    out = bytearray(INIT)
    if drawer_kick:
        # Kick before the text, so the drawer is open while the receipt prints.
        out += DRAWER_KICK
    if logo:
        out += ALIGN["center"] + logo + ALIGN["left"]
    out += KANJI_ON
    style = _Style()
    for line in lines:
        style = _restyle(out, style, _Style(line.align, line.bold, line.double))
        if line.qr is not None:
            out += _trace_bytes(line.qr, columns, enc, qr_image=qr_image, qr=qr)
        elif line.code:
            out += _code_bytes(line.text, columns, enc, codes, qr_image=qr_image, qr=qr)
        else:
            out += encode_text(line.text, enc) + LF
    _restyle(out, style, _Style())
    out += KANJI_OFF + FEED_BEFORE_CUT
    if cut:
        out += PARTIAL_CUT if partial_cut else FULL_CUT
    return bytes(out)


def encode_receipt(
    receipt: Receipt,
    *,
    columns: int = 32,
    encoding: str = "gb18030",
    cut: bool = True,
    drawer_kick: bool = False,
    logo: bytes | None = None,
    codes: str = "auto",
    qr_image: bool = False,
    qr: bool = True,
    partial_cut: bool = False,
) -> bytes:
    """ESC/POS bytes for ``receipt`` on a roll ``columns`` cells wide.

    ``encoding`` is ``"gb18030"`` or ``"gbk"`` (anything else raises PrinterConfigError);
    characters the printer cannot print come out as ``?``. The text is the same as
    :func:`printers.text.render_text` for the same arguments. The other options are those of
    :func:`encode_lines`.
    """
    enc = normalize_encoding(encoding)
    return encode_lines(
        layout_receipt(receipt, columns, encoding=enc),
        columns=columns,
        encoding=enc,
        cut=cut,
        drawer_kick=drawer_kick,
        logo=logo,
        codes=codes,
        qr_image=qr_image,
        qr=qr,
        partial_cut=partial_cut,
    )
