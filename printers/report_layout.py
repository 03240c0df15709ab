"""Reports (X, Z, shift close, reconciliation) laid out for the receipt printer."""

from __future__ import annotations

from pos.domain.report_doc import ReportDoc

from .layout import LayoutLine, cell_width, check_columns, pad_left, pad_right, printable, wrap


def layout_report(doc: ReportDoc, columns: int, *, encoding: str = "gb18030") -> list[LayoutLine]:
    """Title, header, then each section's rows as ``label ……… value`` within ``columns`` cells."""
    columns = check_columns(columns)
    rule = "-" * columns
    out: list[LayoutLine] = []
    for part in wrap(printable(doc.title, encoding), columns // 2, encoding):
        out.append(LayoutLine(part, align="center", bold=True, double=True))
    for h in doc.header:
        out += [LayoutLine(part, align="center") for part in wrap(printable(h, encoding), columns, encoding)]
    for section in doc.sections:
        out.append(LayoutLine(rule))
        out.append(LayoutLine(printable(section.heading, encoding), bold=True))
        for row in section.rows:
            label, value = printable(row.label, encoding), printable(row.value, encoding)
            room = columns - cell_width(value, encoding) - 1
            if room >= cell_width(label, encoding) and room > 0:
                out.append(LayoutLine(pad_right(label, room, encoding) + " " + value, bold=row.highlight))
            else:  # a long label or value: the label on its own line(s), the value right-aligned under it
                out += [LayoutLine(part, bold=row.highlight) for part in wrap(label, columns, encoding)]
                for part in wrap(value, columns, encoding):
                    out.append(LayoutLine(pad_left(part, columns, encoding), bold=row.highlight))
    out.append(LayoutLine(rule))
    for f in doc.footer:
        out += [LayoutLine(part, align="center") for part in wrap(printable(f, encoding), columns, encoding)]
    return out


def render_report_text(doc: ReportDoc, columns: int, *, encoding: str = "gb18030") -> str:
    return "\n".join(line.plain(columns, encoding) for line in layout_report(doc, columns, encoding=encoding)) + "\n"
