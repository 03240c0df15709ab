"""A period report (:class:`TableReport`) as an A4 PDF table (issue 16).

Portrait, or landscape when the columns do not fit across a portrait page; the bundled Chinese font
embedded as a subset (as :mod:`pos.reports.pdf` does); the header row repeated on every page; money
with thousands separators (:func:`cell_text`, as on screen); every page headed with the title,
store, period and the time the report was made, and numbered ``第 N 页 / 共 M 页``; the notes and
the signature lines (制表 / 审核 / 财务) of a signed report after the table.

Written to a temp file beside the target and renamed into place; an OSError becomes an ExportError.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from pos.domain.table_report import TableReport, cell_text

from .pdf import FONT, _cannot_write, _register_font
from .xlsx import _ILLEGAL, report_heading, signature_label

FONT_SIZE = 9
WIDE_FONT_SIZE = 8  # a table of many columns (销售流水: eight tenders) in a size smaller, so its rows stay one line
WIDE_COLUMNS = 10
MARGIN_MM = 12
_NUMERIC = ("int", "money", "qty", "percent")
_MEASURED_ROWS = 400  # column widths from the header, the totals and the first rows


def _clean(text: str) -> str:
    """Text without the control characters and lone surrogates no font can draw."""
    return _ILLEGAL.sub("", text) if not text.isprintable() else text


def _page_words(lang: str) -> str:
    return "Page {n} of {m}" if lang.startswith("en") else "第 {n} 页 / 共 {m} 页"


def _numbered_canvas(lang: str, running: str):  # noqa: ANN202 - a reportlab Canvas class
    """A canvas that holds its pages until the end, so each can say how many pages there are."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    words = _page_words(lang)

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            kwargs.setdefault("initialFontName", FONT)  # no unembedded Helvetica in the file
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width, height = self._pagesize
                self.setFont(FONT, 8)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawString(MARGIN_MM * mm, height - 8 * mm, running)
                self.drawCentredString(width / 2, 7 * mm, words.format(n=self._pageNumber, m=total))
                super().showPage()
            super().save()

    return NumberedCanvas


def write_table_pdf(report: TableReport, path: Path, *, lang: str = "zh") -> Path:
    """Write ``report`` as an A4 PDF at ``path`` (atomically: a temp file, then rename)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".pdf", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc

    kinds = [c.kind for c in report.columns]
    header = [_clean(c.title(lang)) for c in report.columns]
    body = [[_clean(cell_text(k, v)) for k, v in zip(kinds, row, strict=True)] for row in report.rows]
    totals = None
    if report.totals is not None:
        totals = [_clean(str(v)) if j == 0 and v is not None else cell_text(k, v)
                  for j, (k, v) in enumerate(zip(kinds, report.totals, strict=True))]

    # Column widths: what the widest measured cell needs; landscape when that is wider than portrait.
    pad = 8.0
    sample = [header, *body[:_MEASURED_ROWS], *([totals] if totals else [])]

    def measured(size: int) -> list[float]:
        return [max(max(stringWidth(r[j], FONT, size) for r in sample) + pad, 28.0) for j in range(len(kinds))]

    size = FONT_SIZE
    natural = measured(size) if kinds else []
    portrait_w = A4[0] - 2 * MARGIN_MM * mm
    page = A4 if sum(natural) <= portrait_w else landscape(A4)
    avail = page[0] - 2 * MARGIN_MM * mm
    if sum(natural) > avail and len(kinds) >= WIDE_COLUMNS:  # too wide even across the page: a point smaller
        size = WIDE_FONT_SIZE
        natural = measured(size)
    widths = _fit(natural, kinds, avail)

    cell = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size + 2)
    head_cell = ParagraphStyle("head", parent=cell, textColor=colors.white)

    def wrapped(text: str, j: int, style: ParagraphStyle = cell) -> object:
        # A cell wider than its column wraps as a paragraph; the rest stay plain strings (fast).
        if stringWidth(text, FONT, size) + pad > widths[j]:
            return Paragraph(escape(text), style)
        return text

    data: list[list[object]] = [[wrapped(h, j, head_cell) for j, h in enumerate(header)]]
    section_rows: list[int] = []
    starts = {first: heading for heading, first in report.sections}
    for i, row in enumerate(body):
        if i in starts:
            section_rows.append(len(data))
            data.append([_clean(starts[i])] + [""] * (len(kinds) - 1))
        data.append([wrapped(t, j) if kinds[j] in ("text", "datetime", "date") else t for j, t in enumerate(row)])
    if totals:
        data.append([wrapped(t, j) if kinds[j] == "text" else t for j, t in enumerate(totals)])

    style = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), size),
             ("LEADING", (0, 0), (-1, -1), size + 2),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3a5f")), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    for j, k in enumerate(kinds):
        if k in _NUMERIC:
            style.append(("ALIGN", (j, 1), (j, -1), "RIGHT"))
    for r in section_rows:
        style.append(("SPAN", (0, r), (-1, r)))
    if totals:
        style += [("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f1f1f1")),
                  ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black)]
    # Banded rows in one command (reportlab repeats it on every page) rather than one per row.
    style.append(("ROWBACKGROUNDS", (0, 1), (-1, -2 if totals else -1), [colors.white, colors.HexColor("#f8f9fb")]))
    for r in section_rows:  # a section heading stays tinted whatever its band
        style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#e8eef6")))

    title_style = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1, spaceAfter=2)
    sub_style = ParagraphStyle("sub", fontName=FONT, fontSize=9, leading=13, alignment=1,
                               textColor=colors.HexColor("#444444"))
    foot = ParagraphStyle("foot", fontName=FONT, fontSize=9, leading=13)
    sign = ParagraphStyle("sign", fontName=FONT, fontSize=10, leading=14)
    title, sub = (_clean(t) for t in report_heading(report, lang))
    story: list = [Paragraph(escape(title), title_style), Paragraph(escape(sub), sub_style), Spacer(1, 3 * mm)]
    if kinds:
        table = LongTable(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(style))
        story.append(table)
    if not report.rows:
        story.append(Paragraph("(no rows)" if lang.startswith("en") else "（本期无数据）", foot))
    story.append(Spacer(1, 4 * mm))
    story += [Paragraph(escape(_clean(n)), foot) for n in report.notes]
    story.append(Spacer(1, 10 * mm))
    if report.signatures:  # one cell per signature across the page: 制表：______  审核：______ …
        n = len(report.signatures)
        line = Table([[Paragraph(f"{escape(signature_label(s, lang))}{'_' * 14}", sign) for s in report.signatures]],
                     colWidths=[avail / n] * n, hAlign="LEFT")
        line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
        story.append(line)
    running = f"{title}  ·  {sub}"
    try:
        SimpleDocTemplate(tmp, pagesize=page, title=title, author="LianXin POS 连心收银",
                          leftMargin=MARGIN_MM * mm, rightMargin=MARGIN_MM * mm, topMargin=14 * mm,
                          bottomMargin=14 * mm).build(story, canvasmaker=_numbered_canvas(lang, running))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _fit(natural: list[float], kinds: list[str], avail: float) -> list[float]:
    """Widths that fit ``avail``. The widest text columns give way first (references, names: their cells
    wrap), each down to 60 pt or half its width, so short columns (单号, 类型, 收银员) never wrap to
    make room for a long one; only when that is not enough does every column narrow alike."""
    total = sum(natural)
    if total <= avail:
        return natural
    excess = total - avail
    room = [w - max(60.0, w / 2) if k == "text" and w > 60.0 else 0.0 for w, k in zip(natural, kinds, strict=True)]
    widths = list(natural)
    for j in sorted(range(len(widths)), key=lambda i: -natural[i]):  # the widest first
        if excess <= 0:
            break
        take = min(room[j], excess)
        widths[j] -= take
        excess -= take
    if excess > 0:
        scale = avail / sum(widths)
        widths = [w * scale for w in widths]
    return widths
