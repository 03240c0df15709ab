"""The receipt on screen: the printer's own text layout (``printers.text``) drawn on a cell grid.

The printer counts width in cells: one for an ASCII character, two for a Chinese one. No screen
font is exactly 2:1 (WenQuanYi Micro Hei Mono is 0.6em : 1em), so :class:`ReceiptPaper` places
every character in its own cells instead of trusting the font's advances; the columns then line
up exactly as on paper.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from pos.domain.money import format_yuan
from pos.domain.receipt import Receipt, lots_text

from .style import MONO_FAMILY

log = logging.getLogger("lianxin.ui")


@dataclass(frozen=True, slots=True)
class PaperLine:
    """One printed line as the screen draws it: the plain text, and whether it prints double size."""

    text: str
    double: bool = False
    bold: bool = False


def receipt_text(receipt: Receipt, columns: int, encoding: str = "gb18030") -> str:
    """The receipt laid out as it prints (``printers.text.render_text``), so screen and paper agree."""
    try:
        from printers.text import render_text
    except ImportError:  # the printer package is optional for the screen
        return simple_receipt_text(receipt)
    try:
        return render_text(receipt, columns, encoding=encoding)
    except Exception:  # a layout fault must not hide a completed sale from the cashier
        log.exception("rendering receipt %s as text failed; showing the simple layout", receipt.receipt_no)
        return simple_receipt_text(receipt)


def paper_lines(receipt: Receipt, columns: int, encoding: str = "gb18030") -> list[PaperLine]:
    """The receipt's lines with the printer's double-size and bold hints where the layout gives them."""
    try:
        from printers.layout import layout_receipt

        return [PaperLine(ln.plain(columns, encoding), bool(ln.double), bool(ln.bold))
                for ln in layout_receipt(receipt, columns, encoding=encoding)]
    except Exception:  # no printer package yet, or it changed: plain lines are still the receipt
        return [PaperLine(t) for t in receipt_text(receipt, columns, encoding).splitlines()]


def simple_receipt_text(receipt: Receipt) -> str:
    """A plain, unaligned rendering with every fact of the receipt (fallback only)."""
    y = lambda fen: format_yuan(fen, symbol=True)  # noqa: E731
    out = [
        receipt.store_name, receipt.counter_name, receipt.title,
        f"单号：{receipt.receipt_no}", f"收银员：{receipt.cashier}", f"时间：{receipt.printed_at}",
    ]
    if receipt.reprinted_at:
        out.append(f"重印时间：{receipt.reprinted_at}")
    out.append("")
    for ln in receipt.lines:
        out.append(ln.name + (f"（{ln.detail}）" if ln.detail else ""))
        unit = f"{y(ln.unit_price_fen)}/kg" if ln.weighed else y(ln.unit_price_fen)
        out.append(f"  {ln.quantity_text} × {unit} = {y(ln.amount_fen)}")
        if ln.lots:
            out.append(f"  {lots_text(ln.lots)}")
    if receipt.is_return:
        out += ["", f"件数：{receipt.item_count}", f"退款合计：{y(receipt.total_fen)}", "退款方式："]
        out += [f"{p.label}：{y(p.amount_fen)}" for p in receipt.payments]
        out += [f"退货原因：{receipt.reason}"] if receipt.reason else []
        out += [f"授权人：{receipt.approver}"] if receipt.approver else []
        out.append("")
    else:
        out += ["", f"件数：{receipt.item_count}", f"应收：{y(receipt.total_fen)}"]
        out += [f"{p.label}：{y(p.amount_fen)}" for p in receipt.payments]
        out += [f"实收：{y(receipt.paid_fen)}", f"找零：{y(receipt.change_fen)}", ""]
    out += list(receipt.footer)
    return "\n".join(out) + "\n"


def cell_width(ch: str) -> int:
    """Printer cells taken by ``ch``: 1 for ASCII, 2 for everything else (as ``printers.layout`` counts)."""
    return 1 if ord(ch) < 0x80 else 2


class ReceiptPaper(QWidget):
    """A receipt drawn like the paper roll: ``columns`` cells wide, one text line per printed line."""

    PAPER = QColor("#fffef8")
    INK = QColor("#212121")
    MARGIN = 10

    def __init__(self, columns: int, pixel_size: int = 13, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._lines: list[PaperLine] = []
        self._text = ""
        self._font = QFont(MONO_FAMILY)
        self._font.setStyleHint(QFont.StyleHint.TypeWriter)
        self._font.setPixelSize(pixel_size)
        m = QFontMetricsF(self._font)
        # A cell is as wide as the widest of an ASCII glyph and half a Chinese one.
        self._cell = max(m.horizontalAdvance("0"), m.horizontalAdvance("中") / 2)
        self._line_height = m.height() + 2
        self._ascent = m.ascent()
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._resize()

    def text(self) -> str:
        return self._text

    def set_lines(self, lines: list[PaperLine]) -> None:
        self._lines = list(lines)
        self._text = "".join(ln.text + "\n" for ln in self._lines)
        self._resize()
        self.update()

    def set_text(self, text: str) -> None:
        self.set_lines([PaperLine(t) for t in text.splitlines()])

    def paper_width(self) -> int:
        """Pixels needed for the roll's full width."""
        cells = max([self._columns, *(self._cells(ln) for ln in self._lines)])
        return int(cells * self._cell + 2 * self.MARGIN + 1)

    @staticmethod
    def _cells(line: PaperLine) -> int:
        # Leading spaces are single cells; a double-size line's characters are twice as wide.
        body = line.text.lstrip(" ")
        scale = 2 if line.double else 1
        return len(line.text) - len(body) + scale * sum(cell_width(c) for c in body)

    def _height(self, line: PaperLine) -> float:
        return self._line_height * (2 if line.double else 1)

    def _resize(self) -> None:
        self.setFixedSize(self.sizeHint())

    def sizeHint(self) -> QSize:
        height = int(sum(self._height(ln) for ln in self._lines) + 2 * self.MARGIN) if self._lines else 0
        return QSize(self.paper_width(), height)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.PAPER)
        p.setPen(self.INK)
        top = float(self.MARGIN)
        for line in self._lines:
            height = self._height(line)
            if top <= event.rect().bottom() and top + height >= event.rect().top():
                self._draw_line(p, line, top)
            top += height
        p.end()

    def _draw_line(self, p: QPainter, line: PaperLine, top: float) -> None:
        scale = 2 if line.double else 1
        font = QFont(self._font)
        font.setPixelSize(self._font.pixelSize() * scale)
        font.setBold(line.bold)
        p.setFont(font)
        m = QFontMetricsF(font)
        body = line.text.lstrip(" ")
        cells = len(line.text) - len(body)
        baseline = top + self._ascent * scale
        for ch in body:
            w = cell_width(ch) * scale
            if not ch.isspace():
                # Centre the glyph in its cells (a Chinese glyph is narrower than two cells).
                x = self.MARGIN + cells * self._cell + (w * self._cell - m.horizontalAdvance(ch)) / 2
                p.drawText(QPointF(x, baseline), ch)
            cells += w
