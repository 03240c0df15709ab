"""A period report (:class:`TableReport`) as an A4 PDF table (issue 16), written by :mod:`pos.reports.fast_pdf`.

Portrait, or landscape when the columns do not fit across a portrait page; the bundled Chinese font
embedded as a subset; the header row repeated on every page; money with thousands separators
(:func:`cell_text`, as on screen), figures right-aligned; a long text wraps in its cell; every page
headed with the title, store, period and the time the report was made, and numbered
``第 N 页 / 共 M 页`` (``Page N of M``); the notes and the signature lines (制表 / 审核 / 财务) of a
signed report after the table.

The table is laid out a column at a time (a month's 50,000-row 销售流水, 1,443 pages, in about half a
second, where reportlab's platypus took 40 s). Written through :func:`pos.reports.export.write_atomic`
(a temp file beside the target, flushed, renamed); an OSError becomes an ExportError.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import repeat
from operator import methodcaller
from pathlib import Path

from pos.domain.table_report import TableReport, cell_text

from .fast_pdf import Document, load_font
from .xlsx import _ILLEGAL, paused_gc, report_heading, signature_label

FONT_SIZE = 9
WIDE_FONT_SIZE = 8  # a table of many columns (销售流水: eight tenders) in a size smaller, so its rows stay one line
WIDE_COLUMNS = 10
MM = 72 / 25.4
MARGIN_MM = 12
A4 = (595.2756, 841.8898)
_NUMERIC = ("int", "money", "qty", "percent")
_WRAPPED = ("text", "datetime", "date")
_MEASURED_ROWS = 400  # column widths from the header, the totals and the first rows
_PAD_X, _PAD_Y = 3.0, 2.0
_BLANKS = re.compile(r"[\t\n\r]")
_FEW = 64  # a column of no more distinct texts than this is measured and encoded text by text
_ZERO = str.maketrans("123456789", "000000000")
_STR_OR_NONE = frozenset((str, type(None)))
_INT_OR_NONE = frozenset((int, type(None)))
_SECONDS = methodcaller("isoformat", " ", "seconds")
_HEAD_FILL, _BAND_FILL, _SECTION_FILL, _TOTAL_FILL = "0.122 0.227 0.373", "0.973 0.976 0.984", "0.91 0.933 0.965", \
    "0.945 0.945 0.945"


def _clean(text: str) -> str:
    """Text without the control characters and lone surrogates no font can draw (tabs, line breaks: a blank)."""
    if text.isprintable():
        return text
    return _ILLEGAL.sub("", _BLANKS.sub(" ", text))


def _clean_all(texts: list[str]) -> list[str]:
    joined = "\0".join(texts)
    if joined.replace("\0", "").isprintable():
        return texts
    return [_clean(t) for t in texts]


def _page_words(lang: str) -> str:
    return "Page {n} of {m}" if lang.startswith("en") else "第 {n} 页 / 共 {m} 页"


class _Widths(dict):
    """Character → advance at size 1, looked up in the font the first time a character is met."""

    def __init__(self) -> None:
        super().__init__()
        self.font = load_font()

    def __missing__(self, c: str) -> float:
        w = self[c] = self.font.advances[self.font.glyph_of.get(ord(c), 0)] / self.font.units
        return w

    def of(self, text: str, size: float) -> float:
        return sum(map(self.__getitem__, text)) * size


def _wrap(text: str, limit: float, size: float, widths: _Widths) -> list[str]:
    """``text`` in lines no wider than ``limit`` (at a blank where one is near, else between characters)."""
    lines, line, used = [], "", 0.0
    for c in text:
        w = widths[c] * size
        if line and used + w > limit:
            cut = line.rfind(" ")
            if cut > len(line) // 2:
                lines.append(line[:cut])
                line = line[cut + 1:]
                used = widths.of(line, size)
            else:
                lines.append(line)
                line, used = "", 0.0
        line += c
        used += w
    lines.append(line)
    return lines


def write_table_pdf(report: TableReport, path: Path, *, lang: str = "zh") -> Path:
    """Write ``report`` as an A4 PDF at ``path`` (atomically and durably, as every export: a temp file
    beside it, flushed to the disk, then renamed; an OSError becomes an ExportError in plain words)."""
    from .export import write_atomic  # export imports this module when a PDF is asked for

    with paused_gc():
        doc = _layout(report, lang)
    return write_atomic(Path(path), doc.write)


def _texts(kind: str, values: tuple) -> list[str]:
    """One column's cells as :func:`cell_text` shows them, the usual columns in a pass or two."""
    types = set(map(type, values))
    if kind == "text" and types <= _STR_OR_NONE:
        return _clean_all(["" if v is None else v for v in values] if None in values else list(values))
    if kind == "money" and types <= _INT_OR_NONE:
        return ["" if v is None else f"{v // 100:,}.{v % 100:02d}" if v >= 0 else f"-{-v // 100:,}.{-v % 100:02d}"
                for v in values]
    if kind == "int" and types <= _INT_OR_NONE:
        return ["" if v is None else f"{v:,}" for v in values] if None in values else list(map("{:,}".format, values))
    if kind == "datetime" and types == {datetime} and {v.tzinfo for v in values} == {None}:
        return list(map(_SECONDS, values))
    if kind == "date" and types == {date}:
        return list(map(date.isoformat, values))
    return _clean_all([cell_text(kind, v) for v in values])


class _Page:
    """Where one page's rows are: its top, its body rows (first, end), section rows, the totals row."""

    __slots__ = ("bands", "end", "first", "last", "lines", "sections", "top", "totals")

    def __init__(self, top: float) -> None:
        self.top = top
        self.first = self.last = 0  # body rows first..last-1
        self.end = top  # the bottom of the page's last row
        self.sections: list[tuple[float, str]] = []  # (top, heading) of section rows on the page
        self.bands = ""  # rectangles of the banded rows of a page laid out row by row
        self.lines = ""  # the rows' top lines of such a page
        self.totals: float | None = None


def _layout(report: TableReport, lang: str) -> Document:  # noqa: C901, PLR0912, PLR0915 - one page plan
    en = lang.startswith("en")
    widths = _Widths()
    font = widths.font
    kinds = [c.kind for c in report.columns]
    ncol = len(kinds)
    n = len(report.rows)
    header = [_clean(c.title(lang)) for c in report.columns]
    columns = [_texts(k, values) for k, values in zip(kinds, zip(*report.rows, strict=True), strict=True)] \
        if n else [[] for _ in kinds]
    totals = None
    if report.totals is not None:
        totals = [_clean(str(v)) if j == 0 and v is not None else _clean(cell_text(k, v))
                  for j, (k, v) in enumerate(zip(kinds, report.totals, strict=True))]
    # Widths are measured once per shape (digits as 0: the font's digits are all alike), a column in one pass.
    alike = font.digits_alike()
    distinct = [dict.fromkeys(col) for col in columns]
    shapes = [col if not alike or len(d) <= _FEW else "\0".join(col).translate(_ZERO).split("\0")
              for col, d in zip(columns, distinct, strict=True)]
    shape_w = [{s: widths.of(s, 1) for s in (d if sh is col else dict.fromkeys(sh))}
               for sh, col, d in zip(shapes, columns, distinct, strict=True)]

    # Column widths: what the widest measured cell needs; landscape when that is wider than portrait.
    pad = 8.0
    raw = []
    for j in range(ncol):
        sample = [widths.of(header[j], 1), *(shape_w[j][s] for s in shapes[j][:_MEASURED_ROWS])]
        if totals:
            sample.append(widths.of(totals[j], 1))
        raw.append(max(sample))

    def measured(size: int) -> list[float]:
        return [max(w * size + pad, 28.0) for w in raw]

    size = FONT_SIZE
    natural = measured(size)
    margin = MARGIN_MM * MM
    page_w, page_h = A4 if sum(natural) <= A4[0] - 2 * margin else (A4[1], A4[0])
    avail = page_w - 2 * margin
    if sum(natural) > avail and ncol >= WIDE_COLUMNS:  # too wide even across the page: a point smaller
        size = WIDE_FONT_SIZE
        natural = measured(size)
    col_w = _fit(natural, kinds, avail) if kinds else []
    table_w = sum(col_w)
    lefts = [margin + sum(col_w[:j]) for j in range(ncol)]
    leading = size + 2
    row_h = leading + 2 * _PAD_Y

    title, sub = (_clean(t) for t in report_heading(report, lang))
    doc = Document(page_w, page_h, title=title, author="LianXin POS 连心收银")
    running = f"{title}  ·  {sub}"
    notes = [_clean(t) for t in report.notes]
    signs = [_clean(signature_label(s, lang)) + "_" * 14 for s in report.signatures]
    empty = "(no rows)" if en else "（本期无数据）"
    sections = {first: _clean(heading) for heading, first in report.sections if 0 <= first <= n}
    for text in (*header, *(totals or ()), title, sub, running, *notes, *signs, empty, _page_words(lang),
                 *sections.values()):
        doc.use(text)
    for d in distinct:
        joined = "".join(d)
        if not joined.isascii():  # printable ASCII is always in the font's encoding
            doc.use(joined)

    # Cells wider than their column wrap (text, dates, the header); the row is then as tall as its tallest cell.
    def wrapped(text: str, j: int) -> list[str] | None:
        limit = col_w[j] - 2 * _PAD_X
        if widths.of(text, size) <= limit:
            return None
        return _wrap(text, limit, size, widths)

    multi: dict[int, dict[int, list[str]]] = {}  # row → column → lines
    for j, col in enumerate(columns):
        limit = (col_w[j] - 2 * _PAD_X) / size
        wide = {s for s, w in shape_w[j].items() if w > limit} if kinds[j] in _WRAPPED else ()
        if wide:
            for i in [i for i, s in enumerate(shapes[j]) if s in wide]:
                multi.setdefault(i, {})[j] = _wrap(col[i], limit * size, size, widths)
    head_lines = [wrapped(h, j) or [h] for j, h in enumerate(header)]
    head_h = max(map(len, head_lines), default=1) * leading + 2 * _PAD_Y
    total_lines = [(wrapped(t, j) if kinds[j] == "text" else None) or [t] for j, t in enumerate(totals or ())]
    total_h = max(map(len, total_lines), default=1) * leading + 2 * _PAD_Y
    heights = {i: max(map(len, cells.values())) * leading + 2 * _PAD_Y for i, cells in multi.items()}

    # Pages: the table's rows (sections, body, totals) in order, each page headed by the header row.
    top = page_h - 14 * MM
    bottom = 14 * MM
    first_top = top - 22 - 2 - 13 - 3 * MM  # under the title and the line of store, period, time
    head_room = head_h if kinds else 0.0
    x0, x1 = margin, margin + table_w
    row_top = [0.0] * n
    pages: list[_Page] = []
    if not heights and not sections:  # every row one line: the rows of a page are counted
        at, t = 0, first_top
        while True:
            page = _Page(t)
            fit = max(1, int((t - head_room - bottom) / row_h + 1e-9))
            page.first, page.last = at, min(n, at + fit)
            y = t - head_room
            for i in range(page.first, page.last):
                row_top[i] = y
                y -= row_h
            page.end = y
            pages.append(page)
            at, t = page.last, top
            if at >= n:
                break
    else:  # row by row
        band = 0
        page = _Page(first_top)
        pages.append(page)
        y, lines, bands = first_top - head_room, [], []

        def close(p: _Page, y: float) -> None:
            p.end, p.lines, p.bands = y, "".join(lines), "".join(bands)
            lines.clear()
            bands.clear()

        for i in range(n + 1):
            items = [(row_h, sections[i])] if i in sections else []
            if i < n:
                items.append((heights.get(i, row_h), None))
            for h, heading in items:
                keep = heights.get(i, row_h) if heading is not None and i < n else 0.0  # a heading keeps its first row
                if y - h - keep < bottom and (page.last > page.first or page.sections):
                    close(page, y)
                    page = _Page(top)
                    page.first = page.last = i
                    pages.append(page)
                    y = top - head_room
                lines.append(f"{x0:.1f} {y:.1f} m {x1:.1f} {y:.1f} l ")
                if band % 2:
                    bands.append(f"{x0:.1f} {y - h:.1f} {table_w:.1f} {h:.1f} re ")
                band += 1
                if heading is None:
                    row_top[i] = y
                    if page.last == page.first:
                        page.first = i
                    page.last = i + 1
                else:
                    page.sections.append((y, heading))
                y -= h
        close(page, y)
    base = (leading - size) / 2 + 0.86 * size  # the baseline under the top of a line
    if not heights and not sections:  # pages alike: a page's row positions, lines and bands made once
        ytm: list[str] = []
        made: dict[tuple[float, int, int], tuple[list[str], str, str]] = {}
        for page in pages:
            key = (page.top, page.last - page.first, page.first % 2)
            if key not in made:
                at = [page.top - head_room - k * row_h for k in range(key[1])]
                made[key] = ([f"{y - _PAD_Y - base:.1f} Tm(" for y in at],
                             "".join(f"{x0:.1f} {y:.1f} m {x1:.1f} {y:.1f} l " for y in at),
                             "".join(f"{x0:.1f} {y - row_h:.1f} {table_w:.1f} {row_h:.1f} re "
                                     for k, y in enumerate(at) if (k + key[2]) % 2))
            ys, page.lines, page.bands = made[key]
            ytm += ys
    else:
        ytm = [f"{t - _PAD_Y - base:.1f} Tm(" for t in row_top]  # a tall row's cells stand at its top
    if totals and kinds:
        page = pages[-1]
        if page.end - total_h < bottom:
            page = _Page(top)
            page.first = page.last = n
            page.end = top - head_room
            pages.append(page)
        page.totals = page.end
        page.lines += f"{x0:.1f} {page.end:.1f} m {x1:.1f} {page.end:.1f} l "
        page.end -= total_h

    # Every body cell as its text operators, a column at a time; a row is then its cells joined (in C).
    pieces: list = []
    for j, (kind, col) in enumerate(zip(kinds, columns, strict=True)):
        joined = "".join(distinct[j])
        if joined.isascii() and "(" not in joined and ")" not in joined and "\\" not in joined:
            enc = col
        elif len(distinct[j]) <= _FEW:
            texts = list(distinct[j])
            enc = list(map(dict(zip(texts, doc.encode_all(texts), strict=True)).__getitem__, col))
        else:
            enc = doc.encode_all(col)
        for i, cells in multi.items():
            if j in cells:
                x = f"{lefts[j] + _PAD_X:.1f}"
                lines_j = cells[j]
                y0 = row_top[i] - _PAD_Y - base
                enc[i] = doc.encode(lines_j[0]) + "".join(
                    f")Tj\n1 0 0 1 {x} {y0 - k * leading:.1f} Tm({doc.encode(t)}" for k, t in enumerate(lines_j[1:], 1))
        if kind in _NUMERIC:
            right = lefts[j] + col_w[j] - _PAD_X
            at_x = {s: f"1 0 0 1 {right - w * size:.1f} " for s, w in shape_w[j].items()}
            xs = list(map(at_x.__getitem__, shapes[j]))
        else:
            xs = repeat(f"1 0 0 1 {lefts[j] + _PAD_X:.1f} ")
        if "" in enc:  # an empty cell draws nothing
            pieces.append([f"{x}{y}{e})Tj\n" if e else "" for x, y, e in zip(xs, ytm, enc)])  # noqa: B905
        else:
            pieces += [xs, ytm, enc, repeat(")Tj\n")]
    rows = list(map("".join, zip(*pieces))) if n and pieces else []  # noqa: B905 - the repeats are endless
    del pieces

    def cell_ops(lines_by_col: list[list[str]], y_top: float, h: float, numeric_right: bool) -> str:
        out = []
        for j, lines in enumerate(lines_by_col):
            y0 = y_top - (h - len(lines) * leading) / 2 - base
            for k, t in enumerate(lines):
                if not t:
                    continue
                x = lefts[j] + _PAD_X
                if numeric_right and kinds[j] in _NUMERIC:
                    x = lefts[j] + col_w[j] - _PAD_X - widths.of(t, size)
                out.append(f"1 0 0 1 {x:.1f} {y0 - k * leading:.1f} Tm({doc.encode(t)})Tj\n")
        return "".join(out)

    verticals = [f"{x:.1f}" for x in (*lefts, x1)]
    words = _page_words(lang)
    head_ops: dict[float, str] = {}
    contents = []
    for p, page in enumerate(pages):
        g = []
        t = page.top
        if kinds:
            g.append(f"{_HEAD_FILL} rg {x0:.1f} {t - head_h:.1f} {table_w:.1f} {head_h:.1f} re f\n")
            if page.bands:
                g.append(f"{_BAND_FILL} rg {page.bands}f\n")
            if page.sections:
                g.append(f"{_SECTION_FILL} rg " + "".join(f"{x0:.1f} {y - row_h:.1f} {table_w:.1f} {row_h:.1f} re "
                                                           for y, _s in page.sections) + "f\n")
            if page.totals is not None:
                g.append(f"{_TOTAL_FILL} rg {x0:.1f} {page.totals - total_h:.1f} {table_w:.1f} {total_h:.1f} re f\n")
            g.append(f"0.6 G 0.25 w {x0:.1f} {t:.1f} m {x1:.1f} {t:.1f} l {page.lines}"
                     f"{x0:.1f} {page.end:.1f} m {x1:.1f} {page.end:.1f} l "
                     + _verticals(verticals, t, page.end, [(y, y - row_h) for y, _s in page.sections]) + "S\n")
            if page.totals is not None:
                g.append(f"0 G 1 w {x0:.1f} {page.totals:.1f} m {x1:.1f} {page.totals:.1f} l S\n")
            if t not in head_ops:
                head_ops[t] = cell_ops(head_lines, t, head_h, False)
        text = [f"BT /F1 {size} Tf 1 g ", head_ops.get(t, ""), " 0 g ", "".join(rows[page.first:page.last])]
        for y, heading in page.sections:
            text.append(f"1 0 0 1 {x0 + _PAD_X:.1f} {y - _PAD_Y - base:.1f} Tm({doc.encode(heading)})Tj\n")
        if page.totals is not None:
            text.append(cell_ops(total_lines, page.totals, total_h, True))
        text.append(" ET\n")
        head = ""
        if p == 0:
            head = (_centred(doc, widths, title, 16, page_w / 2, top - 16, "0 g")
                    + _centred(doc, widths, sub, 9, page_w / 2, top - 22 - 2 - 10, "0.267 g"))
        contents.append(["".join(g), "".join(text), head])
    last_y = pages[-1].end

    # After the table: "no rows", the notes, the signature lines (on a new page when the last is full).
    tail, y = [], last_y - 4 * MM
    if not report.rows:
        y -= 9
        tail.append((9, margin, empty, y))
        y -= 4
    note_lines = [line for note in notes for line in _wrap(note, avail, 9, widths)]
    need = 13 * len(note_lines) + (10 * MM + 14 if signs else 0)
    if y - need < bottom and (note_lines or signs):
        contents.append(["", "", ""])
        y = top
    for line in note_lines:
        y -= 13
        tail.append((9, margin, line, y))
    if signs:
        y -= 10 * MM + 10
        cell = avail / len(signs)
        tail += [(10, margin + k * cell, s, y) for k, s in enumerate(signs)]
    contents[-1][2] += "".join(f"BT /F1 {sz} Tf 0 g 1 0 0 1 {x:.1f} {yy:.1f} Tm({doc.encode(s)})Tj ET\n"
                               for sz, x, s, yy in tail)

    total_pages = len(contents)
    run = doc.encode(running)
    for p, (g, text, extra) in enumerate(contents, 1):
        number = words.format(n=p, m=total_pages)
        foot = (f"BT /F1 8 Tf 0.333 g 1 0 0 1 {margin:.1f} {page_h - 8 * MM:.1f} Tm({run})Tj\n"
                f"1 0 0 1 {page_w / 2 - widths.of(number, 8) / 2:.1f} {7 * MM:.1f} Tm({doc.encode(number)})Tj ET\n")
        doc.add_page(g + text + extra + foot)
    return doc


def _verticals(xs: list[str], top: float, bottom: float, spans: list[tuple[float, float]]) -> str:
    """The column lines from ``top`` to ``bottom``: the outer two whole, the inner ones broken where a section
    heading spans the table (``spans``: its top and bottom)."""
    whole = f"{xs[0]} {top:.1f} m {xs[0]} {bottom:.1f} l {xs[-1]} {top:.1f} m {xs[-1]} {bottom:.1f} l "
    runs, y = [], top
    for a, b in spans:
        if a < y:
            runs.append((y, a))
        y = b
    runs.append((y, bottom))
    return whole + "".join(f"{x} {a:.1f} m {x} {b:.1f} l " for x in xs[1:-1] for a, b in runs if a > b)


def _centred(doc: Document, widths: _Widths, text: str, size: float, cx: float, y: float, colour: str) -> str:
    x = cx - widths.of(text, size) / 2
    return f"BT /F1 {size} Tf {colour} 1 0 0 1 {x:.1f} {y:.1f} Tm({doc.encode(text)})Tj ET\n"


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
