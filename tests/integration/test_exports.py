"""Issue 16: a period report saved as XLSX, CSV and PDF as an accountant opens it, and the voucher file
of a real till's day (用友 / 金蝶) that balances and carries the Z's tender figures."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pos import cli
from pos.cli import main
from pos.cli import vouchers as vouchers_cli
from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.permissions import Action
from pos.domain.pricing import RoundingMode
from pos.domain.table_report import Column, Qty, Ratio, TableReport, summed_totals
from pos.domain.tenders import Tender, TenderKind
from pos.reports.export import ExportError, write_report, write_workbook
from pos.services.vouchers import export_vouchers
from tests.conftest import login_cashier

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "resources" / "vouchers" / "mapping-example.json"
SCARF = "6958271000240"  # 羌绣围巾 ¥168.00, 13 %
EGGS = "6972316000170"  # 松阳土鸡蛋 ¥45.00, 9 %
APPLE_PLU = "101"  # sold by weight

COLUMNS = (
    Column("product", "商品", "Product"),
    Column("qty", "数量", "Qty", "qty", total=True),
    Column("units", "件数", "Units", "qty", total=True),
    Column("net", "净额", "Net", "money", total=True),
    Column("margin", "毛利率", "Margin %", "percent"),
    Column("day", "日期", "Day", "date"),
    Column("at", "时间", "Time", "datetime"),
    Column("count", "笔数", "Receipts", "int", total=True),
)
EVIL = ("=HYPERLINK(\"http://x\",\"点我\")", "+1+1", " -2", "@SUM(A1)", "\t=1", "\r=1")


def products_report(n: int = 6, *, signed: bool = True) -> TableReport:
    names = [*EVIL, *(f"茂县高山苹果（精品装）{i}" for i in range(max(0, n - len(EVIL))))][:n]
    rows = tuple((name, Qty(1234 + i, weighed=True), Qty(i + 1), 123456789 + i, Ratio(1234, 5000),
                  date(2026, 11, 1 + i % 30), datetime(2026, 11, 1 + i % 30, 9, 30, 5), i + 1)
                 for i, name in enumerate(names))
    totals = summed_totals(COLUMNS, rows)
    totals = (*totals[:4], Ratio(1234 * n, 5000 * n), *totals[5:])  # the report's own overall margin
    return TableReport("products", "商品销售汇总", "Sales by product", date(2026, 11, 1), date(2026, 11, 30), COLUMNS,
                       rows, store="茂县专柜 · 一号柜", totals=totals, notes=("营业实收与 Z 报表一致",),
                       signatures=("制表", "审核", "财务") if signed else (), generated_at=datetime(2026, 12, 1, 9, 30))


# --- XLSX -----------------------------------------------------------------------------------------

def test_the_xlsx_has_numbers_dates_formats_a_frozen_header_a_filter_and_the_totals(tmp_path: Path) -> None:
    report = products_report()
    path = write_report(report, "xlsx", tmp_path / "m.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "商品销售汇总"
    assert ws["A1"].value == "商品销售汇总" and "2026-11-01 至 2026-11-30" in ws["A2"].value and "茂县专柜" in ws["A2"].value
    assert [c.value for c in ws[3]] == ["商品", "数量", "件数", "净额", "毛利率", "日期", "时间", "笔数"]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:H9"
    first = ws[4]
    assert first[0].data_type == "s"
    assert (first[1].value, first[1].number_format) == (1.234, "0.000")  # 1234 g as kg
    assert (first[2].value, first[2].number_format) == (1, "#,##0")
    assert (first[3].value, first[3].number_format) == (1234567.89, "#,##0.00")
    assert (first[4].value, first[4].number_format) == (0.247, "0.0%")
    assert first[5].is_date and first[5].value.date() == date(2026, 11, 1) and first[5].number_format == "yyyy-mm-dd"
    assert first[6].is_date and first[6].value == datetime(2026, 11, 1, 9, 30, 5)
    assert (first[7].value, first[7].number_format) == (1, "#,##0")

    # Every formula-like name is text that starts with ', never a formula.
    names = [ws.cell(row=r, column=1) for r in range(4, 4 + len(EVIL))]
    assert all(c.data_type == "s" and c.value.startswith("'") for c in names)
    assert [c.value[1:] for c in names] == [e.replace("\r", "\n") for e in EVIL]  # XML reads CR as LF

    totals = ws[10]
    assert totals[0].value == "合计"
    assert totals[3].value == "=SUM(D4:D9)" and totals[3].number_format == "#,##0.00"
    assert totals[4].value == 0.247 and totals[4].number_format == "0.0%"  # the report's own figure
    cached = openpyxl.load_workbook(path, data_only=True).active[10]  # what WPS shows before recalculating
    assert Decimal(str(cached[3].value)) == Decimal("7407407.49")
    assert Decimal(str(cached[1].value)) == Decimal("7.419") and cached[7].value == 21
    assert any("制表" in (ws.cell(row=r, column=1).value or "") for r in range(11, ws.max_row + 1))


def test_a_workbook_has_one_sheet_per_report(tmp_path: Path) -> None:
    a = products_report(3)
    b = TableReport("tax", "税额汇总", "Tax", date(2026, 11, 1), date(2026, 11, 30),
                    (Column("rate", "税率", "Rate"), Column("tax", "税额", "Tax", "money", True)), (("13%", 1300),),
                    totals=("合计", 1300))
    path = write_workbook([a, b], tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["商品销售汇总", "税额汇总"]
    assert wb["税额汇总"]["B4"].value == 13 and wb["税额汇总"]["B4"].number_format == "#,##0.00"
    assert path.name == "reports-2026-11-01-2026-11-30.xlsx"


# --- CSV ------------------------------------------------------------------------------------------

def test_the_csv_is_utf8_with_bom_plain_money_and_the_totals_last(tmp_path: Path) -> None:
    path = write_report(products_report(8), "csv", tmp_path)
    raw = path.read_bytes()
    assert path.name == "products-2026-11-01-2026-11-30.csv"
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert rows[0] == ["商品", "数量", "件数", "净额", "毛利率", "日期", "时间", "笔数"]
    assert rows[-1] == ["合计", "9.900", "36", "9876543.40", "24.7%", "", "", "36"]
    assert rows[7] == ["茂县高山苹果（精品装）0", "1.240", "7", "1234567.95", "24.7%", "2026-11-07", "2026-11-07 09:30:05", "7"]
    assert [r[0] for r in rows[1:7]] == ["'" + e for e in EVIL]
    assert raw.count(b"\r\n") >= 8


# --- PDF ------------------------------------------------------------------------------------------

def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


pdf_tools = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")


@pdf_tools
def test_a_long_pdf_repeats_its_header_numbers_its_pages_and_is_signed(tmp_path: Path) -> None:
    path = write_report(products_report(200), "pdf", tmp_path / "long.pdf")
    pages = _pages(path)
    assert pages >= 4
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == pages
    text = _pdf_text(path)
    per_page = text.split("\f")
    assert all("商品" in p and "净额" in p for p in per_page if p.strip())  # the header row on every page
    tight = [p.replace(" ", "") for p in per_page]  # pdftotext drops the blanks between Chinese words
    assert f"第1页/共{pages}页" in tight[0] and f"第{pages}页/共{pages}页" in tight[pages - 1]
    assert "1,234,567.89" in text  # thousands separators
    assert "茂县专柜" in per_page[1] and "2026-11-01至2026-11-30" in tight[1]  # store and period on every page
    assert "制表" in per_page[pages - 1] and "财务" in per_page[pages - 1]
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"WenQuanYi\S*\s+(CID )?TrueType.*yes\s+yes", fonts)  # the Chinese font embedded (a subset)


@pdf_tools
def test_a_wide_report_is_printed_landscape_and_english_pages_say_page_n_of_m(tmp_path: Path) -> None:
    cols = tuple(Column(f"c{i}", f"列{i}", f"Column {i}", "money" if i else "text", bool(i)) for i in range(12))
    rows = tuple(tuple([f"收银员 {r}"] + [r * 123457] * 11) for r in range(5))
    report = TableReport("wide", "销售流水", "Transactions", date(2026, 11, 1), date(2026, 11, 1), cols, rows,
                         totals=summed_totals(cols, rows))
    path = write_report(report, "pdf", tmp_path / "wide.pdf", lang="en")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height
    text = _pdf_text(path)
    assert "Page 1 of 1" in text and "Transactions" in text and "Column 11" in text


# --- failures -------------------------------------------------------------------------------------

def test_an_unwritable_folder_is_a_plain_error_and_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "usb"
    blocker.write_text("a file where the folder should be")
    for fmt in ("xlsx", "csv", "pdf"):
        with pytest.raises(ExportError) as exc:
            write_report(products_report(), fmt, blocker / "sub" / f"r.{fmt}")
        assert "could not be saved" in exc.value.message and "无法写入" in exc.value.message_zh
    with pytest.raises(ExportError) as exc:
        write_report(products_report(), "docx", tmp_path / "r.docx")
    assert "csv, xlsx or pdf" in exc.value.message


def test_a_full_disk_keeps_the_old_file_and_leaves_no_temp_file(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    target = tmp_path / "m.xlsx"
    target.write_bytes(b"yesterday's export")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError) as exc:
        write_report(products_report(), "xlsx", target)
    assert "No space left" in exc.value.message
    assert target.read_bytes() == b"yesterday's export"
    assert [p.name for p in tmp_path.iterdir()] == ["m.xlsx"]


# --- vouchers from a real till --------------------------------------------------------------------

def _trade_a_day(till):  # noqa: ANN001, ANN202
    cashier, manager = login_cashier(till), till.auth.login("manager1", "2222")
    till.shifts.open(cashier, CashCount())
    till.checkout.set_rounding(RoundingMode.DROP_JIAO, manager)  # 抹角: the customers keep the jiao
    find = till.lookup.find

    def sell(cart, tenders):  # noqa: ANN001, ANN202
        return till.checkout.complete_sale(cart, tenders, cashier)

    sell(Cart().add(find(SCARF)).add(find(EGGS)), [Tender(TenderKind.CASH, 30000)])  # change given
    sell(Cart().add(find(APPLE_PLU), 1234).add(find(EGGS)),
         [Tender(TenderKind.VOUCHER, 2000, "V100"), Tender(TenderKind.CASH, 10000)])
    sell(Cart().add(find(EGGS)), [Tender(TenderKind.WECHAT, 4500, "134567890123456789")])
    eggs = sell(Cart().add(find(EGGS), 3), [Tender(TenderKind.ACCOUNT, 13500, "PHGH")])
    sell(Cart().add(find(SCARF)), [Tender(TenderKind.ALIPAY, 16800, "284567890123456789")])
    ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    till.returns.return_items(eggs.sale.receipt_no, {1: 1}, cashier, approval=ok)
    till.shifts.close(cashier, CashCount())
    return till.closing.z_close(till.auth.login("accountant1", "3333"))


def _debits_credits(rows: list[list], debit: int, credit: int) -> tuple[Decimal, Decimal]:
    return (sum((Decimal(str(r[debit] or 0)) for r in rows), Decimal(0)),
            sum((Decimal(str(r[credit] or 0)) for r in rows), Decimal(0)))


def test_a_days_vouchers_balance_and_carry_the_z_tender_figures(fresh_till, tmp_path: Path) -> None:
    till = fresh_till
    z = _trade_a_day(till)
    t = z.totals
    assert t.rounding_fen < 0 and len(t.tax_by_rate) == 2  # 抹零 given, sales at 9 % and 13 %
    mapping = json.loads(MAPPING.read_text(encoding="utf-8"))

    path = export_vouchers(till.uow, z.business_day, z.business_day, "yonyou", MAPPING, tmp_path / "yonyou.xlsx")
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header == mapping["columns"]["yonyou"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    debit, credit = header.index("借方"), header.index("贷方")
    d, c = _debits_credits(rows, debit, credit)
    assert d == c  # Σ借 = Σ贷
    assert {r[header.index("凭证类别")] for r in rows} == {"记"} and {r[header.index("凭证号")] for r in rows} == {1}
    assert all(r[header.index("日期")].date().isoformat() == z.business_day for r in rows)
    by_code = {r[header.index("科目编码")]: Decimal(str(r[debit] or 0)) - Decimal(str(r[credit] or 0)) for r in rows}
    for tender, fen in t.by_tender.items():  # each tender's clearing account: the Z's figure
        assert by_code[mapping["tenders"][tender]["code"]] == Decimal(fen).scaleb(-2), tender
    assert by_code["22210102"] == -Decimal(t.tax_fen).scaleb(-2)  # output VAT as on the Z
    assert by_code["660304"] == Decimal(-t.rounding_fen).scaleb(-2)  # 抹零 given, on its own line
    revenue = -(by_code["600101"] + by_code["600102"])
    assert revenue == Decimal(t.net_fen - t.tax_fen - t.rounding_fen).scaleb(-2)
    assert ws.cell(row=2, column=debit + 1).number_format == "#,##0.00" and ws["C2"].is_date

    kingdee = export_vouchers(till.uow, z.business_day, z.business_day, "kingdee", MAPPING, tmp_path / "kd.csv",
                              per="period")
    raw = kingdee.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").splitlines()
    assert lines[0].split(",") == mapping["columns"]["kingdee"]
    cells = [ln.split(",") for ln in lines[1:]]
    assert sum(Decimal(r[6] or 0) for r in cells) == sum(Decimal(r[7] or 0) for r in cells) == d


def test_two_days_give_two_numbered_vouchers_each_carrying_its_own_z(fresh_till, tmp_path: Path) -> None:
    till = fresh_till
    first = _trade_a_day(till)
    till.clock.at += timedelta(days=1)
    cashier = login_cashier(till)
    till.shifts.open(cashier, CashCount())
    till.checkout.complete_sale(Cart().add(till.lookup.find(SCARF), 2), [Tender(TenderKind.UNIONPAY, 33600, "123456")],
                                cashier)
    till.shifts.close(cashier, CashCount())
    second = till.closing.z_close(till.auth.login("accountant1", "3333"))
    assert second.business_day != first.business_day
    path = export_vouchers(till.uow, first.business_day, second.business_day, "kingdee", MAPPING, tmp_path / "k.xlsx")
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    no, code, debit = header.index("凭证号"), header.index("科目代码"), header.index("借方金额")
    assert sorted({r[no] for r in rows}) == [1, 2]
    day2 = [r for r in rows if r[no] == 2]
    assert all(r[header.index("日期")].date().isoformat() == second.business_day for r in day2)
    assert [(r[code], Decimal(str(r[debit]))) for r in day2 if r[debit]] == [("101203", Decimal("336"))]
    for number in (1, 2):
        d, c = _debits_credits([r for r in rows if r[no] == number], debit, header.index("贷方金额"))
        assert d == c
    printed = export_vouchers(till.uow, first.business_day, second.business_day, "yonyou", MAPPING, tmp_path / "v.pdf")
    text = _pdf_text(printed).replace(" ", "")
    assert "记账凭证" in text and "制单" in text and "库存现金" in text and "101203" in text


def test_export_vouchers_on_the_command_line(fresh_till, tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    if vouchers_cli not in cli.COMMAND_MODULES:  # until pos/cli/__init__.py lists it
        monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, vouchers_cli])
    till = fresh_till
    z = _trade_a_day(till)
    db = str(till.db.path)
    till.close()
    out = tmp_path / "v.xlsx"
    assert main(["export-vouchers", "--db", db, "--from", z.business_day, "--to", z.business_day, "--style", "kingdee",
                 "--mapping", str(MAPPING), "--out", str(out)]) == 0
    assert "vouchers written" in capsys.readouterr().out and out.exists()
    bad = [["--from", "2026/11/22", "--to", z.business_day], ["--from", "2026-11-23", "--to", "2026-11-01"]]
    for dates in bad:
        code = main(["export-vouchers", "--db", db, *dates, "--style", "yonyou", "--mapping", str(MAPPING),
                     "--out", str(tmp_path / "x.xlsx")])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and err.startswith("error:")
    broken = tmp_path / "broken.json"
    broken.write_text('{"revenue": {"*": {"code": "6001", "name": "主营业务收入"}}, "tenders": {}}', encoding="utf-8")
    code = main(["export-vouchers", "--db", db, "--from", z.business_day, "--to", z.business_day, "--style", "yonyou",
                 "--mapping", str(broken), "--out", str(tmp_path / "x.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and "output_vat" in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_a_grouped_report_shows_its_group_headings_and_its_own_totals(tmp_path: Path) -> None:
    cols = (Column("key", "项目", "Item"), Column("net", "净额", "Net", "money", True))
    rows = (("苹果", 1000), ("梨", 500), ("水果", 1500), ("B2611-01", 1500))
    report = TableReport("margin", "毛利", "Margin", date(2026, 11, 1), date(2026, 11, 30), cols, rows,
                         totals=("合计", 1500), sections=(("按商品", 0), ("按分类", 2), ("按批次", 3)))
    ws = openpyxl.load_workbook(write_report(report, "xlsx", tmp_path / "g.xlsx")).active
    column_a = [ws.cell(row=r, column=1).value for r in range(4, 12)]
    assert column_a == ["按商品", "苹果", "梨", "按分类", "水果", "按批次", "B2611-01", "合计"]
    assert ws["B11"].value == 15 and ws.auto_filter.ref == "A3:B10"  # the report's total, not 4 groups summed
    lines = write_report(report, "csv", tmp_path / "g.csv").read_bytes()[3:].decode("utf-8").splitlines()
    assert lines[1:] == ["按商品,", "苹果,10.00", "梨,5.00", "按分类,", "水果,15.00", "按批次,", "B2611-01,15.00",
                         "合计,15.00"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_spreadsheet_program_opens_the_xlsx_and_shows_the_same_figures(tmp_path: Path) -> None:
    """LibreOffice stands in for Excel and WPS: it opens the file, recalculates the totals and shows
    each cell in its number format, as the accountant sees it."""
    path = write_report(products_report(8), "xlsx", tmp_path / "m.xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "--outdir", str(tmp_path),
                    str(path)], check=True, capture_output=True, timeout=240)
    rows = list(csv.reader(io.StringIO((tmp_path / "m.csv").read_text(encoding="utf-8"))))
    assert rows[2] == ["商品", "数量", "件数", "净额", "毛利率", "日期", "时间", "笔数"]
    assert rows[9] == ["茂县高山苹果（精品装）0", "1.240", "7", "1,234,567.95", "24.7%", "2026-11-07",
                       "2026-11-07 09:30:05", "7"]
    assert rows[3][0] == "'=HYPERLINK(\"http://x\",\"点我\")"  # shown as text, never run
    assert rows[11][:5] == ["合计", "9.900", "36", "9,876,543.40", "24.7%"]  # recalculated: the same totals


def test_a_report_whose_first_column_is_a_time_still_labels_its_totals(tmp_path: Path) -> None:
    cols = (Column("at", "时间", "At", "datetime"), Column("amount", "金额", "Amount", "money", True))
    rows = ((datetime(2026, 11, 22, 10, 0, 8), 21300), (datetime(2026, 11, 22, 10, 5, 0), -4500))
    report = TableReport("transactions", "销售流水", "Transactions", date(2026, 11, 22), date(2026, 11, 22), cols, rows,
                         totals=summed_totals(cols, rows))
    ws = openpyxl.load_workbook(write_report(report, "xlsx", tmp_path)).active
    assert (ws["A6"].value, ws["B6"].value) == ("合计", "=SUM(B4:B5)")
    assert write_report(report, "csv", tmp_path).read_bytes().decode("utf-8-sig").splitlines()[-1] == "合计,168.00"
    assert "168.00" in _pdf_text(write_report(report, "pdf", tmp_path))


def test_characters_a_file_cannot_hold_are_dropped_not_a_crash(tmp_path: Path) -> None:
    cols = (Column("name", "商品", "Name"), Column("net", "净额", "Net", "money", True))
    report = TableReport("products", "商品销售汇总", "Products", date(2026, 11, 1), date(2026, 11, 1), cols,
                         (("苹果\x01\ud800果", 100),), totals=("合计", 100))
    assert openpyxl.load_workbook(write_report(report, "xlsx", tmp_path)).active["A4"].value == "苹果果"
    assert "苹果果,1.00" in write_report(report, "csv", tmp_path).read_bytes().decode("utf-8-sig")
    assert "苹果果" in _pdf_text(write_report(report, "pdf", tmp_path)).replace(" ", "")


# --- a month's list: the column-at-a-time writers ---------------------------------------------------

LIST_COLUMNS = (
    Column("at", "时间", "Time", "datetime"),
    Column("doc", "单号", "Receipt"),
    Column("cashier", "收银员", "Cashier"),
    Column("amount", "金额", "Amount", "money", total=True),
    Column("cash", "现金", "Cash", "money", total=True),
    Column("wechat", "微信支付", "WeChat Pay", "money", total=True),
    Column("ref", "支付参考号", "References"),
    Column("lines", "行数", "Lines", "int", total=True),
)


def transactions_list(n: int = 3000) -> TableReport:
    """A day's receipts as 销售流水 lists them: most cells of a tender's column empty, one reference typed
    as a formula in the middle of the list, refunds negative."""
    rows = []
    for i in range(n):
        amount = (-1 if i % 97 == 0 else 1) * (i * 137 % 100000 + 5)
        cash, wechat = (amount, None) if i % 3 else (None, amount)
        ref = "" if cash is not None else f"4200{i:012d}"
        if i == n // 2:
            ref = "=cmd|' /C calc'!A0"
        rows.append((datetime(2026, 11, 1, 8) + timedelta(seconds=17 * i), f"MX01-20261101-{i:05d}",
                     "张小芳" if i % 2 else "李建国", amount, cash, wechat, ref, i % 5 + 1))
    rows = tuple(rows)
    return TableReport("transactions", "销售流水", "Transactions", date(2026, 11, 1), date(2026, 11, 1), LIST_COLUMNS,
                       rows, store="茂县专柜", totals=summed_totals(LIST_COLUMNS, rows))


def test_a_long_list_keeps_every_cell_in_its_place_with_its_type_and_format(tmp_path: Path) -> None:
    report = transactions_list()
    path = write_report(report, "xlsx", tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True).active
    got = list(ws.iter_rows(min_row=4, max_row=3 + len(report.rows)))
    for i in (0, 1, 2, 96, 97, 1500, 2999):
        at, doc, cashier, amount, cash, wechat, ref, lines = report.rows[i]
        cells = got[i]
        assert cells[0].value == at and cells[0].number_format == "yyyy-mm-dd hh:mm:ss"
        assert (cells[1].value, cells[2].value) == (doc, cashier) and cells[1].data_type == "s"
        assert Decimal(str(cells[3].value)) == Decimal(amount).scaleb(-2) and cells[3].number_format == "#,##0.00"
        for cell, fen in ((cells[4], cash), (cells[5], wechat)):  # a tender not used is an empty cell
            assert (cell.value is None) if fen is None else (Decimal(str(cell.value)) == Decimal(fen).scaleb(-2))
        assert cells[6].value == (None if ref == "" else "'" + ref if ref.startswith("=") else ref)
        assert (cells[7].value, cells[7].number_format) == (lines, "#,##0")
    assert report.rows[97][3] < 0 and Decimal(str(got[97][3].value)) < 0  # a refund stays negative
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    last = 3 + len(report.rows)
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == f"A3:H{last}"
    assert ws.cell(row=last + 1, column=4).value == f"=SUM(D4:D{last})"
    cached = openpyxl.load_workbook(path, data_only=True).active
    total = sum(r[3] for r in report.rows)
    assert Decimal(str(cached.cell(row=last + 1, column=4).value)) == Decimal(total).scaleb(-2)
    assert cached.cell(row=last + 1, column=8).value == sum(r[7] for r in report.rows)

    lines = write_report(report, "csv", tmp_path / "t.csv").read_bytes().decode("utf-8-sig").splitlines()
    rows = list(csv.reader(lines))
    assert rows[1] == ["2026-11-01 08:00:00", "MX01-20261101-00000", "李建国", "-0.05", "", "-0.05",
                       "420000000000000000"[:16], "1"]
    assert rows[1 + 1500][6] == "'=cmd|' /C calc'!A0" and rows[1 + 2][4] == f"{report.rows[2][4] / 100:.2f}"
    assert rows[-1][0] == "合计" and rows[-1][3] == str(Decimal(total).scaleb(-2))


def test_cells_of_other_types_take_the_careful_road(tmp_path: Path) -> None:
    """A number in a text column, a time with its time zone: still written, in the column's own form; fen
    given as a float is refused rather than rounded."""
    from datetime import UTC

    cols = (Column("name", "商品", "Name"), Column("at", "时间", "At", "datetime"), Column("n", "笔数", "N", "int", True),
            Column("net", "净额", "Net", "money", True))
    rows = ((12345, datetime(2026, 11, 1, 1, 0, tzinfo=UTC), 7, 100), ("+86 phone", None, None, None))
    report = TableReport("products", "商品", "Products", date(2026, 11, 1), date(2026, 11, 1), cols, rows,
                         totals=("合计", None, 7, 100))
    ws = openpyxl.load_workbook(write_report(report, "xlsx", tmp_path / "o.xlsx")).active
    assert ws["A4"].value == "12345" and ws["A5"].value == "'+86 phone"
    assert ws["B4"].value == datetime(2026, 11, 1, 1, 0, tzinfo=UTC).astimezone().replace(tzinfo=None)
    assert ws["C4"].value == 7 and ws["D4"].value == 1
    assert write_report(report, "csv", tmp_path / "o.csv").read_bytes().decode("utf-8-sig").splitlines()[1:3] == [
        "12345,2026-11-01 01:00:00,7,1.00", "'+86 phone,,,"]  # CSV keeps the time as given
    bad = TableReport("products", "商品", "Products", date(2026, 11, 1), date(2026, 11, 1), cols,
                      (("苹果", None, 1, 1.5),))
    with pytest.raises((TypeError, ValueError)):
        write_report(bad, "xlsx", tmp_path / "bad.xlsx")
    assert not (tmp_path / "bad.xlsx").exists()


def test_a_report_of_no_rows_is_written_in_every_format(tmp_path: Path) -> None:
    report = products_report(0)
    ws = openpyxl.load_workbook(write_workbook([report, products_report(3)], tmp_path / "book.xlsx")).worksheets[0]
    assert ws["A3"].value == "商品" and ws["A4"].value == "合计"
    for fmt in ("xlsx", "csv", "pdf"):
        assert write_report(report, fmt, tmp_path / f"empty.{fmt}").stat().st_size > 0
