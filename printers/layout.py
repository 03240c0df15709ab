"""Receipt layout: what goes on which line, counted in printer cells. Pure: no I/O, no bytes out.

A *cell* is one column of the printer's Font A (12 dots wide): 58 mm paper has 32 cells, 80 mm
has 48. A character's width is the length of its bytes in the printer encoding (GB18030 2-byte
area, or GBK): 1 for ASCII, 2 for everything else the printer can print. ``len()`` and
``unicodedata.east_asian_width`` are both wrong here: ×, —, ·, °, ① are narrow or "ambiguous"
in Unicode yet 2 bytes, so 2 cells, on the printer.

The same list of :class:`LayoutLine` feeds the ESC/POS encoder (``printers.escpos``) and the
plain-text rendering (``printers.text``), so the paper, the .txt file and the screen agree.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pos.domain.money import format_yuan
from pos.domain.receipt import TRACE_CAPTION, LotMark, Receipt, ReceiptLine, ReceiptMember, lot_parts

from .errors import PrinterConfigError

SUPPORTED_ENCODINGS = ("gb18030", "gbk")
# 28 leaves room for the three number columns on the narrowest rolls; 96 is far past any
# thermal printer and catches a mistyped setting (e.g. 480) early.
MIN_COLUMNS, MAX_COLUMNS = 28, 96

YUAN_SIGN = "\uffe5"  # ￥ FULLWIDTH YEN SIGN: A3 A4 in GBK/GB18030, which every Chinese printer has
TRAINING_MARK = "练习/培训 — 不是有效凭证"
REPRINT_MARK = "** 重印 **"

# Characters replaced before anything is measured or encoded.
_SUBSTITUTES = {
    # ¥ (U+00A5) is not in GBK and is a 4-byte sequence in GB18030 that printers misprint.
    "\u00a5": YUAN_SIGN,
    "\u00a0": " ",  # no-break space (pasted from the web) is not in GBK
    "\t": " ",
}

Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class LayoutLine:
    """One printed line plus style hints.

    ``text`` never has leading/trailing padding for centered lines: the printer centers it
    (ESC a 1) and :meth:`plain` reproduces that. ``double`` means double width and height, so
    the line uses twice its cell width. ``code`` asks the encoder to print ``text`` as a
    scannable code (CODE128 or QR) with the text itself under it. ``qr`` is data printed as a QR
    code whatever the code style (the receipt's trace address); ``text`` is then what the plain
    rendering shows in its place, and a printer that cannot print QR codes prints ``qr`` as text.
    """

    text: str
    align: Align = "left"
    bold: bool = False
    double: bool = False
    code: bool = False
    qr: str | None = None

    @property
    def scale(self) -> int:
        return 2 if self.double else 1

    def cells(self, encoding: str = "gb18030") -> int:
        """Width on paper, in cells, including the double-width factor."""
        return cell_width(self.text, encoding) * self.scale

    def plain(self, columns: int, encoding: str = "gb18030") -> str:
        """The line as plain text: alignment turned into leading spaces, no trailing spaces.

        A double-size line keeps its characters single but starts where the printer starts it,
        so the left edge in the .txt matches the paper.
        """
        free = max(0, columns - self.cells(encoding))
        pad = {"left": 0, "center": free // 2, "right": free}[self.align]
        return (" " * pad + self.text).rstrip()


@lru_cache(maxsize=8)
def normalize_encoding(encoding: str) -> str:
    """``'GB18030'``, ``'cp936'`` … -> ``'gb18030'`` or ``'gbk'``; anything else is refused."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = ""
    if name not in SUPPORTED_ENCODINGS:
        raise PrinterConfigError(
            f"printer encoding '{encoding}' is not supported; use gb18030 or gbk",
            message_zh=f"不支持打印机编码“{encoding}”，请设置为 gb18030 或 gbk",
            encoding=encoding,
        )
    return name


@lru_cache(maxsize=16384)
def _printable_char(ch: str, encoding: str) -> tuple[str, bytes]:
    """What ``ch`` prints as, and its bytes. Unprintable characters become ``?``."""
    ch = _SUBSTITUTES.get(ch, ch)
    if ch < " " or "\x7f" <= ch <= "\x9f":
        # Control characters never reach the printer: an ESC or GS inside a product name would
        # be obeyed as a command. A newline becomes a space; the layout decides where lines end.
        return " ", b" "
    try:
        data = ch.encode(encoding)
    except UnicodeEncodeError:  # not in GBK, or a lone surrogate
        return "?", b"?"
    if len(data) == 1 and 0x20 <= data[0] < 0x7F:
        return ch, data
    if len(data) == 2 and 0x81 <= data[0] <= 0xFE:
        return ch, data
    # GB18030 4-byte sequences (emoji, rare CJK, combining marks) are outside the printers'
    # font ROM; a stray single high byte would swallow the next byte as half a character.
    return "?", b"?"


def printable(text: str, encoding: str = "gb18030") -> str:
    """``text`` as the printer will print it: ¥ -> ￥, controls -> space, unprintable -> ``?``."""
    enc = normalize_encoding(encoding)
    return "".join(_printable_char(ch, enc)[0] for ch in text)


def encode_text(text: str, encoding: str = "gb18030") -> bytes:
    """Printer bytes for ``text`` (1 or 2 bytes per character, never a control byte)."""
    enc = normalize_encoding(encoding)
    return b"".join(_printable_char(ch, enc)[1] for ch in text)


def cell_width(text: str, encoding: str = "gb18030") -> int:
    """Cells ``text`` takes on paper: the encoded byte length of each character as printed.

    ``cell_width("苹果12.80") == 9``; ``cell_width("×") == 2``.
    """
    enc = normalize_encoding(encoding)
    return sum(len(_printable_char(ch, enc)[1]) for ch in text)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def wrap(text: str, width: int, encoding: str = "gb18030") -> list[str]:
    """Split ``text`` into pieces of at most ``width`` cells.

    Breaks fall between characters, so a double-byte character is never cut in half; inside
    a run of ASCII letters/digits the break moves back to the last space when one is near.
    ``"".join(wrap(t, w)) == t`` always holds (spaces are kept; callers strip them).
    """
    if width < 2:
        raise ValueError("wrap width must be at least 2 cells (one Chinese character)")
    enc = normalize_encoding(encoding)
    pieces: list[str] = []
    cur: list[str] = []
    cur_w = 0
    for ch in text:
        w = len(_printable_char(ch, enc)[1])
        if cur and cur_w + w > width:
            cut = len(cur)
            if _is_word_char(ch) and _is_word_char(cur[-1]):
                space = "".join(cur).rfind(" ")
                if space >= len(cur) // 2:
                    cut = space + 1
            tail = cur[cut:]
            tail_w = sum(len(_printable_char(c, enc)[1]) for c in tail)
            if tail_w + w > width:  # the word is longer than the line: hard break
                cut, tail, tail_w = len(cur), [], 0
            pieces.append("".join(cur[:cut]))
            cur, cur_w = tail, tail_w
        cur.append(ch)
        cur_w += w
    if cur or not pieces:
        pieces.append("".join(cur))
    return pieces


def pad_left(text: str, width: int, encoding: str = "gb18030") -> str:
    """Right-align ``text`` in ``width`` cells (never truncates)."""
    return " " * max(0, width - cell_width(text, encoding)) + text


def pad_right(text: str, width: int, encoding: str = "gb18030") -> str:
    """Left-align ``text`` in ``width`` cells (never truncates)."""
    return text + " " * max(0, width - cell_width(text, encoding))


def check_columns(columns: int) -> int:
    """Refuse a paper width no receipt printer has (58 mm = 32, 80 mm = 48)."""
    if not isinstance(columns, int) or isinstance(columns, bool) or not (
        MIN_COLUMNS <= columns <= MAX_COLUMNS
    ):
        raise PrinterConfigError(
            f"printer columns must be a whole number from {MIN_COLUMNS} to {MAX_COLUMNS} "
            f"(32 for 58 mm paper, 48 for 80 mm), not {columns}",
            message_zh=f"打印机每行字符数应为 {MIN_COLUMNS}–{MAX_COLUMNS}（58mm 纸为 32，80mm 纸为 48）",
            columns=columns,
        )
    return columns


def _yuan(fen: int) -> str:
    return format_yuan(fen, symbol=True)


class _Builder:
    """Collects lines; every line it accepts fits the paper (it wraps anything too wide)."""

    def __init__(self, columns: int, encoding: str) -> None:
        self.columns = columns
        self.enc = encoding
        self.lines: list[LayoutLine] = []
        # Number columns (cells, each including at least one separating space). 58 mm gives
        # the name column only 4 cells, so there names always sit on their own line.
        if columns < 40:
            self.qty_w, self.price_w, self.amount_w = 8, 10, 10
        else:
            self.qty_w, self.price_w, self.amount_w = 10, 12, 12
        self.name_w = columns - self.qty_w - self.price_w - self.amount_w

    def w(self, text: str) -> int:
        return cell_width(text, self.enc)

    def p(self, text: str) -> str:
        return printable(text, self.enc)

    def add(self, text: str, align: Align = "left", *, bold: bool = False, double: bool = False) -> None:
        text = text.rstrip() if align == "left" else text.strip()
        limit = self.columns // 2 if double else self.columns
        for piece in wrap(text, limit, self.enc) if self.w(text) > limit else [text]:
            piece = piece.rstrip() if align == "left" else piece.strip()
            self.lines.append(LayoutLine(piece, align, bold=bold, double=double))

    def blank(self) -> None:
        self.lines.append(LayoutLine(""))

    def rule(self, ch: str = "-") -> None:
        self.lines.append(LayoutLine(ch * self.columns))

    def center(self, text: str, *, bold: bool = False, double: bool = False) -> None:
        text = self.p(text).strip()
        if text:
            self.add(text, "center", bold=bold, double=double)

    def left(self, text: str, *, indent: int = 0, bold: bool = False) -> None:
        """Wrapped left-aligned text; every piece indented by ``indent`` cells."""
        text = self.p(text).strip()
        for piece in wrap(text, self.columns - indent, self.enc):
            if piece.strip():
                self.add(" " * indent + piece.strip(), bold=bold)

    def pair(self, label: str, value: str, *, bold: bool = False, indent: int = 0) -> None:
        """``label`` at the left edge (or ``indent`` cells in), ``value`` ending at the last column."""
        label, value = self.p(label).strip(), self.p(value).strip()
        if indent:
            if indent + self.w(label) + 1 + self.w(value) > self.columns:
                self.left(label, indent=indent, bold=bold)
                self.right(value, bold=bold)
                return
            label = " " * indent + label
        if self.w(label) + 1 + self.w(value) <= self.columns:
            gap = self.columns - self.w(label) - self.w(value)
            self.add(label + " " * gap + value, bold=bold)
            return
        self.left(label, bold=bold)
        self.right(value, bold=bold)

    def labelled(self, label: str, value: str, *, indent: int = 0) -> None:
        """``label`` and ``value`` on one line if they fit, else ``value`` on its own line(s)
        (so a long payment reference is not broken after its first digits)."""
        label, value = self.p(label).strip(), self.p(value).strip()
        if indent + self.w(label) + self.w(value) <= self.columns:
            self.add(" " * indent + label + value)
            return
        self.left(label, indent=indent)
        self.left(value, indent=indent)

    def right(self, text: str, *, bold: bool = False) -> None:
        pieces = [s.strip() for s in wrap(text, self.columns, self.enc)]
        for piece in pieces:
            self.add(pad_left(piece, self.columns, self.enc), bold=bold)

    def training_banner(self) -> None:
        self.rule("*")
        self.center(TRAINING_MARK, bold=True)
        self.rule("*")

    def item_header(self) -> None:
        self.add(
            pad_right("商品", self.name_w, self.enc)
            + pad_left("数量", self.qty_w, self.enc)
            + pad_left("单价", self.price_w, self.enc)
            + pad_left("金额", self.amount_w, self.enc)
        )

    def item(self, line: ReceiptLine) -> None:
        name = self.p(line.name).strip() or "?"
        qty = self.p(line.quantity_text).strip()
        price = format_yuan(line.unit_price_fen) + ("/kg" if line.weighed else "")
        amount = format_yuan(line.amount_fen)
        numbers = (
            pad_left(" " + qty, self.qty_w, self.enc)
            + pad_left(" " + price, self.price_w, self.enc)
            + pad_left(" " + amount, self.amount_w, self.enc)
        )
        room = self.columns - self.w(numbers)
        if room < 0:
            # Absurd quantities or prices: give quantity × price and the amount a line each,
            # the amount still ending at the last column.
            self.left(name)
            self.right(f"{qty} × {price}")
            self.right(amount)
        elif self.name_w >= 8 and self.w(name) <= room:
            self.add(pad_right(name, room, self.enc) + numbers)
        else:
            self.left(name)
            if line.detail:
                self.left(line.detail, indent=2)
            self.add(pad_left(numbers, self.columns, self.enc))
            self.lots(line.lots)
            return
        if line.detail:
            self.left(line.detail, indent=2)
        self.lots(line.lots)

    def lots(self, lots: tuple[LotMark, ...], indent: int = 2) -> None:
        """``批次 … 合格证 …`` under a line, as few lines as fit: a break falls between a batch and its
        合格证, never inside a number (one wider than the paper is wrapped like any text)."""
        width = self.columns - indent
        cur = ""
        for glue, part, alone in lot_parts(lots):
            part = self.p(part).strip()
            if cur and self.w(cur + glue + part) <= width:
                cur += glue + part
                continue
            if cur:
                self.left(cur, indent=indent)
            cur = self.p(alone).strip()
        if cur:
            self.left(cur, indent=indent)


def _sale_part(b: _Builder, receipt: Receipt) -> None:
    """合计 (or 原价合计 and each reduction), 应收; the payments, 实收, 找零."""
    if receipt.list_total_fen is not None and any(fen for _label, fen in receipt.reductions):
        b.pair("原价合计", _yuan(receipt.list_total_fen))
        for label, fen in receipt.reductions:
            if fen:
                b.pair(label, _yuan(-fen))
            if label == "促销":  # each promotion by name, under the kind
                for name, off in receipt.promotions:
                    b.pair(name, _yuan(-off), indent=2)
    else:
        b.pair("合计", _yuan(receipt.subtotal_fen))
        if receipt.discount_fen:
            b.pair("优惠", _yuan(-receipt.discount_fen))
        if receipt.rounding_fen:
            b.pair("抹零", _yuan(receipt.rounding_fen))
    b.pair("应收", _yuan(receipt.total_fen), bold=True)
    b.rule()
    _payments(b, receipt)
    b.pair("实收", _yuan(receipt.paid_fen))
    b.pair("找零", _yuan(receipt.change_fen))
    if receipt.member is not None:
        _member_part(b, receipt.member)


def _member_part(b: _Builder, m: ReceiptMember) -> None:
    """会员 138****1234 (tier), points used, earned and the balance after the sale."""
    b.rule()
    b.pair("会员", f"{m.phone_masked} {m.tier}".strip())
    if m.points_redeemed:
        b.pair("使用积分", str(m.points_redeemed))
    b.pair("本次积分", f"+{m.points_earned}")
    if m.balance is not None:
        b.pair("积分余额", str(m.balance))


def _refund_part(b: _Builder, receipt: Receipt) -> None:
    """A return slip: 退款合计, then 退款方式 (how each part went back), the reason and the approver."""
    b.pair("退款合计", _yuan(receipt.total_fen), bold=True)
    b.rule()
    b.left("退款方式：")
    _payments(b, receipt)
    if receipt.reason or receipt.approver:
        b.rule()
    if receipt.reason:
        b.left(f"退货原因：{receipt.reason}")
    if receipt.approver:
        b.left(f"授权人：{receipt.approver}")


def _payments(b: _Builder, receipt: Receipt) -> None:
    for pay in receipt.payments:
        b.pair(pay.label, _yuan(pay.amount_fen))
        if pay.reference:
            b.labelled("参考号：", pay.reference, indent=2)


def _trace_part(b: _Builder, url: str) -> None:
    """The caption and the QR code of head office's trace page (the plain text shows ``[二维码]``)."""
    url = "".join(ch for ch in url.strip() if " " < ch < "\x7f")  # an address is printable ASCII
    if not url:
        return
    b.blank()
    b.center(TRACE_CAPTION)
    b.lines.append(LayoutLine("[二维码 QR]", "center", qr=url))


def layout_receipt(receipt: Receipt, columns: int, *, encoding: str = "gb18030") -> list[LayoutLine]:
    """Lay ``receipt`` out for a roll ``columns`` cells wide (32 = 58 mm, 48 = 80 mm).

    Order follows Chinese practice: store, counter, title, 单号, 收银员/终端, 时间 (and 重印时间
    on a reprint); 商品 数量 单价 金额 (under a line that drew from lots, its 批次 and 合格证); 件数 合计 优惠 抹零 应收 (or 原价合计, each reduction,
    应收); payments, 实收, 找零; the receipt number as a code; the trace QR (a sale with
    ``trace_url``); footer. A return slip has
    退款合计, 退款方式, 退货原因 and 授权人 instead of the sale figures. Training receipts
    carry "练习/培训 — 不是有效凭证" at top and bottom.

    Sign conventions: ``discount_fen`` is the amount taken off (printed as -￥5.00);
    ``rounding_fen`` is the signed adjustment 抹零 made to the total (printed with its sign).
    Every returned line fits: ``line.cells(encoding) <= columns``.
    """
    enc = normalize_encoding(encoding)
    check_columns(columns)
    b = _Builder(columns, enc)
    if receipt.training:
        b.training_banner()
    b.center(receipt.store_name, double=True)
    b.center(receipt.counter_name)
    b.center(receipt.title, bold=True)
    if receipt.reprint:
        b.center(REPRINT_MARK, bold=True, double=True)
    b.left(f"单号：{receipt.receipt_no}")
    b.pair(f"收银员：{receipt.cashier}", f"终端：{receipt.terminal_id}")
    b.left(f"时间：{receipt.printed_at}")
    if receipt.reprinted_at:
        b.left(f"重印时间：{receipt.reprinted_at}")
    b.rule()
    b.item_header()
    b.rule()
    for line in receipt.lines:
        b.item(line)
    b.rule()
    if receipt.item_count:
        b.pair("件数", str(receipt.item_count))
    if receipt.is_return:
        _refund_part(b, receipt)
    else:
        _sale_part(b, receipt)
    b.rule()
    receipt_no = b.p(receipt.receipt_no).strip()
    if receipt_no and b.w(receipt_no) <= columns:
        b.blank()
        b.lines.append(LayoutLine(receipt_no, "center", code=True))
    if receipt.trace_url and not receipt.training and not receipt.is_return:
        _trace_part(b, receipt.trace_url)
    b.blank()
    for text in receipt.footer:
        b.center(text)
    if receipt.training:
        b.training_banner()
    return b.lines
