"""Issue 16: a report's PDF written by our own PDF writer (pos/reports/fast_pdf.py) reads back as the
accountant sees it: the Chinese text can be copied and searched, the font is embedded, every page renders."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from pos.domain.table_report import Column, Qty, TableReport, summed_totals
from pos.reports.export import write_report
from pos.reports.fast_pdf import Document, load_font

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")

COLUMNS = (
    Column("at", "时间", "Time", "datetime"),
    Column("product", "商品", "Product"),
    Column("qty", "件数", "Units", "qty", total=True),
    Column("net", "净额", "Net", "money", total=True),
    Column("ref", "支付参考号", "Reference"),
)
NAMES = ("茂县冰糖心苹果（特级）", "松阳土鸡蛋 30枚装", "九寨沟脆红李", "青田稻鱼米 5kg")


def _report(n: int, *, sections: tuple = (), rows: tuple | None = None, signed: bool = True) -> TableReport:
    if rows is None:
        rows = tuple((datetime(2026, 11, 1 + i % 30, 8, i % 60, 5), NAMES[i % 4], Qty(i % 7 + 1),
                      123456789 + i * 1001 if i % 5 else -4500, f"微信支付:42000000{i:08d}" if i % 3 else None)
                     for i in range(n))
    return TableReport("transactions", "销售流水", "Transactions", date(2026, 11, 1), date(2026, 11, 30), COLUMNS, rows,
                       store="金平湖鲜到家 茂县专柜", totals=summed_totals(COLUMNS, rows),
                       notes=("金额 = 各付款方式之和 − 找零；退货为负数。",),
                       signatures=("制表", "审核", "财务") if signed else (),
                       generated_at=datetime(2026, 12, 1, 10, 0), sections=sections)


def _run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True).stdout


def _pages(path: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", path)).group(1))


def test_the_text_reads_back_with_page_numbers_money_and_chinese_names(tmp_path: Path) -> None:
    path = write_report(_report(300), "pdf", tmp_path / "tx.pdf")
    pages = _pages(path)
    assert pages >= 5
    per_page = _run("pdftotext", "-layout", path, "-").split("\f")
    tight = [p.replace(" ", "") for p in per_page]
    assert "销售流水" in per_page[0] and "金平湖鲜到家" in per_page[0]
    for name in NAMES:
        assert name.replace(" ", "") in tight[0]
    assert "1,234,577.90" in per_page[0] and "-45.00" in per_page[0]  # thousands separators, a return
    assert all(f"第{n}页/共{pages}页" in tight[n - 1] for n in range(1, pages + 1))
    assert all("支付参考号" in tight[n] and "净额" in tight[n] for n in range(pages))  # the header on every page
    assert "微信支付:4200000000000299" in per_page[pages - 1]
    total = sum(123456789 + i * 1001 if i % 5 else -4500 for i in range(300))
    assert f"{total // 100:,}.{total % 100:02d}" in per_page[pages - 1]  # the totals row
    assert "制表" in per_page[pages - 1] and "财务" in per_page[pages - 1] and "退货为负数" in tight[pages - 1]


def test_the_font_is_embedded_as_a_subset_and_the_first_and_last_pages_render(tmp_path: Path) -> None:
    path = write_report(_report(120), "pdf", tmp_path / "tx.pdf")
    fonts = _run("pdffonts", path)
    assert re.search(r"\+WenQuanYi\S*\s+CID TrueType\s+\S+\s+yes\s+yes\s+yes", fonts)  # embedded, subset, unicode
    assert "no " not in fonts.splitlines()[2]
    assert path.stat().st_size < 400_000  # a subset: the whole font is 5 MB
    pages = _pages(path)
    for n in (1, pages):
        result = subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(n), "-l", str(n), str(path),
                                 str(tmp_path / "p")], capture_output=True, text=True, check=True)
        assert "Error" not in result.stderr
    assert len(list(tmp_path.glob("p-*.png"))) == 2


def test_english_pages_are_numbered_page_n_of_m(tmp_path: Path) -> None:
    text = _run("pdftotext", "-layout", write_report(_report(80), "pdf", tmp_path, lang="en"), "-")
    assert "Page 1 of 2" in text and "Page 2 of 2" in text and "Transactions" in text and "Reference" in text


def test_a_grouped_report_heads_its_groups_and_a_long_name_wraps_in_its_cell(tmp_path: Path) -> None:
    long_name = "松阳山茶油蜂蜜礼盒（山茶油500ml×2 + 土蜂蜜500g×2，含手提袋与贺卡）" * 3
    rows = tuple((datetime(2026, 11, 2, 9, 0, i % 60), long_name if i == 7 else NAMES[i % 4], Qty(1), 1000 + i, "")
                 for i in range(90))
    report = _report(0, rows=rows, sections=(("茂县专柜", 0), ("松阳专柜", 45)))
    path = write_report(report, "pdf", tmp_path / "grouped.pdf")
    tight = _run("pdftotext", path, "-").replace(" ", "").replace("\n", "")
    assert "茂县专柜" in tight and "松阳专柜" in tight
    assert long_name.replace(" ", "") in tight  # every character of the wrapped name, in order
    assert _pages(path) >= 2


def test_an_empty_report_says_so_on_one_page(tmp_path: Path) -> None:
    path = write_report(_report(0, rows=()), "pdf", tmp_path / "empty.pdf")
    assert _pages(path) == 1
    assert "本期无数据" in _run("pdftotext", path, "-").replace(" ", "")


def test_brackets_backslashes_and_characters_the_font_lacks_never_break_the_file(tmp_path: Path) -> None:
    odd = ("(特价) a\\b )(", "苹果\x07\ttab\u200b", "𠀀🍎 罕见字", "—")
    rows = tuple((datetime(2026, 11, 3, 9, 0, i), name, Qty(1), 100, None) for i, name in enumerate(odd))
    path = write_report(_report(0, rows=rows), "pdf", tmp_path / "odd.pdf")
    text = _run("pdftotext", "-layout", path, "-")
    assert "(特价) a\\b )(" in text and "罕见字" in text and "苹果 tab" in text
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "p")], check=True, capture_output=True)


def test_the_writer_measures_figures_by_the_fonts_own_advances() -> None:
    font = load_font()
    assert font.digits_alike()  # right-aligned figures are measured once per shape
    assert font.glyph_of[ord("苹")] and font.advances[font.glyph_of[ord("苹")]] == font.units
    doc = Document(595, 842)
    doc.use("苹果 (1)")
    assert doc.encode("(1)") == "\\(1\\)"
    code = doc.encode("苹")
    assert len(code) == 2 and ord(code[0]) >= 0x80 and ord(code[1]) not in (0x0A, 0x0D, 0x28, 0x29, 0x5C)


def test_a_report_of_many_distinct_characters_reads_back_whole(tmp_path: Path) -> None:
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 1200) if load_font().glyph_of.get(c)]
    names = ["".join(chars[k:k + 12]) for k in range(0, len(chars), 12)]  # more codes than one byte can number
    rows = tuple((datetime(2026, 11, 3, 9, 0, i % 60), name, Qty(1), 100, None) for i, name in enumerate(names))
    for lang in ("zh", "en"):
        path = write_report(_report(0, rows=rows), "pdf", tmp_path / f"many-{lang}.pdf", lang=lang)
        tight = _run("pdftotext", path, "-").replace(" ", "").replace("\n", "")
        assert all(name in tight for name in names)
