"""headoffice.xlsx: typed cells, totals with stored values, formula neutralisation."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from headoffice.xlsx import Column, Sheet, safe_text, workbook

COLS = [Column("产地 County", "text"), Column("净额 Net", "money"), Column("单数 Receipts", "int"),
        Column("营业日 Day", "date"), Column("占比 Share", "percent")]
ATTACKS = ['=HYPERLINK("http://evil.example/","点我")', "+1+2", "-2+3", "@SUM(A1:A2)", "  =1+1", "\t=1+1",
           "\r=1", "\tplain", " \n-5"]


def _book(data: bytes, **kw):
    return openpyxl.load_workbook(io.BytesIO(data), **kw)


def test_cells_are_typed_and_totals_are_sums_with_values():
    rows = [["茂县", 12345, 3, "2026-11-01", 0.25], ["青田", -45, 1, date(2026, 11, 2), None], ["松阳", 1, None, None, 0.1]]
    data = workbook([Sheet("按产地 By county", COLS, rows, note="金额单位：元 Amounts in yuan")])
    ws = _book(data).active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E4"
    assert [c.value for c in ws[1]] == [c.title for c in COLS]
    assert ws["B2"].value == pytest.approx(123.45) and ws["B2"].number_format == "#,##0.00"
    assert ws["D2"].value == datetime(2026, 11, 1) and ws["D3"].value == datetime(2026, 11, 2)
    assert ws["E2"].number_format == "0.0%"
    assert ws["A5"].value == "合计 Total" and ws["B5"].value == "=SUM(B2:B4)" and ws["C5"].value == "=SUM(C2:C4)"
    assert ws["D5"].value is None  # dates are not summed
    assert ws["A7"].value == "金额单位：元 Amounts in yuan"
    values = _book(data, data_only=True).active  # the computed totals are stored beside the formulas
    assert values["B5"].value == pytest.approx(123.01) and values["C5"].value == 4


def test_money_must_be_integer_fen():
    with pytest.raises(TypeError):
        workbook([Sheet("x", [Column("a", "money")], [[1.5]])])


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_like_text_is_stored_as_text(text):
    data = workbook([Sheet("t", [Column("产地 Origin", "text"), Column("净额", "money")], [[text, 100]])])
    ws = _book(data).active
    cell = ws["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'")
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert sheet_xml.count("<f>") == 1  # only the totals row's SUM


def test_ordinary_text_is_untouched_and_titles_are_made_valid():
    assert safe_text("茂县 a-b = c") == "茂县 a-b = c"
    data = workbook([Sheet("按日/By day [x]", [Column("a", "text")], [["ok"]], totals=False),
                     Sheet("按日/By day [x]", [Column("a", "text")], [])])
    book = _book(data)
    assert book.sheetnames == ["按日 By day  x", "按日 By day  x (2)"]
    assert book.worksheets[0].max_row == 2  # no totals row asked for
