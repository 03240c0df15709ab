"""Reports as PDF (reportlab), with the bundled Chinese font embedded as a subset."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from pos.domain.errors import PosError
from pos.domain.report_doc import ReportDoc, say

FONT_FILE = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
FONT = "WQYMicroHei"


class ExportError(PosError):
    code = "export_error"


def _cannot_write(path: Path, exc: OSError) -> ExportError:
    reason = exc.strerror or str(exc)
    return ExportError(f"the report could not be saved as {path} ({reason}); check the folder and the free disk space",
                       message_zh=f"无法写入 {path}：{exc}")


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        # A TrueType font embeds as a subset; reportlab's STSong-Light CID font would not be embedded.
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))


def write_pdf(doc: ReportDoc, path: Path) -> Path:
    """Write ``doc`` as an A4 PDF at ``path`` (atomically: a temp file, then rename)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    title = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=24, alignment=1, spaceAfter=4)
    head = ParagraphStyle("head", fontName=FONT, fontSize=10, leading=14, alignment=1, textColor=colors.HexColor("#444444"))
    section = ParagraphStyle("section", fontName=FONT, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4,
                             textColor=colors.HexColor("#1f3a5f"))
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=13)
    value_cell = ParagraphStyle("value", parent=cell, alignment=2)
    red = colors.HexColor("#c62828")
    cell_hi, value_hi = (ParagraphStyle(f"{st.name}_hi", parent=st, textColor=red) for st in (cell, value_cell))
    foot = ParagraphStyle("foot", fontName=FONT, fontSize=9, leading=12, textColor=colors.HexColor("#666666"))
    story: list = [Paragraph(escape(doc.title), title)] + [Paragraph(escape(h), head) for h in doc.header]
    story.append(Spacer(1, 4 * mm))
    for s in doc.sections:
        story.append(Paragraph(escape(s.heading), section))
        if not s.rows:
            story.append(Paragraph(say(doc.lang, "（无）"), foot))
            continue
        # Cells as paragraphs: a long label or value (English is wider) wraps inside its column.
        table = Table([[Paragraph(escape(r.label), cell_hi if r.highlight else cell),
                        Paragraph(escape(r.value), value_hi if r.highlight else value_cell)] for r in s.rows],
                      colWidths=[85 * mm, 85 * mm])
        style = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 10),
                 ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 3)]
        for i, r in enumerate(s.rows):
            if r.highlight:
                style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#fdecea")))
        table.setStyle(TableStyle(style))
        story.append(table)
    story += [Spacer(1, 6 * mm)] + [Paragraph(escape(f), foot) for f in doc.footer]
    try:
        SimpleDocTemplate(tmp, pagesize=A4, title=doc.title, author="LianXin POS 连心收银",
                          leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm).build(story)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(path, exc) from exc
    return path
