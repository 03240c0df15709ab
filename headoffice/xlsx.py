"""Excel workbooks for head office exports: the one generic writer is pos.reports.xlsx (typed columns,
a frozen header, auto-filter, a totals row, formula text neutralised)."""

from pos.reports.xlsx import FORMATS, Column, Kind, Sheet, safe_text, workbook, yuan

__all__ = ["FORMATS", "Column", "Kind", "Sheet", "safe_text", "workbook", "yuan"]
