"""A printable report (X, Z, shift close, reconciliation) as plain data: titles, labelled rows.

The same document is laid out for the receipt printer (printers/report_layout.py) and as a PDF
(pos/reports/pdf.py), so the two always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .money import Fen, format_yuan


@dataclass(frozen=True, slots=True)
class ReportRow:
    label: str
    value: str
    highlight: bool = False  # a variance, shown bold / red


@dataclass(frozen=True, slots=True)
class ReportSection:
    heading: str
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True, slots=True)
class ReportDoc:
    title: str
    header: tuple[str, ...]  # store, counter, terminal, day, who, when
    sections: tuple[ReportSection, ...]
    footer: tuple[str, ...] = field(default=())
    name: str = "report"  # file name stem, e.g. Z-MX01-2026-11-22


def money(fen: Fen) -> str:
    return format_yuan(fen, symbol=True)


def signed(fen: Fen) -> str:
    return ("+" if fen > 0 else "") + format_yuan(fen, symbol=True)
