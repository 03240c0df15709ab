"""Issue 13: a manager whose till runs in English reads the X, the handover, the Z and the
reconciliation in English — on screen, on paper and as a PDF — while the Chinese reports read
exactly as they did. Names of goods, stores and people stay as they are."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pos.bootstrap import open_till
from pos.config import load_config
from pos.domain.report_doc import REPORT_EN, ReportDoc, money, signed
from pos.reports.closing import reconciliation_document, shift_close_document, x_document, z_document
from pos.services.ports import FixedClock
from tests.conftest import T0
from tests.e2e.test_cli import run
from tests.integration.report_day import trade_report_day

GOLDEN = Path(__file__).parent / "report_golden"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]")
# What the day's data itself holds: the store, counter, goods' categories and counties, people,
# and what the manager typed (a note, a reason). Everything else an English report says is English.
NAMES = ("金平湖鲜到家", "茂县专柜", "工艺品", "水果", "肉禽蛋", "松阳", "茂县", "张小芳", "李建国", "王会计",
         "微信少一笔手续费", "单位月底统一对账")
KINDS = ("x", "shift", "z", "rec")


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("report-day")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIANXIN_HOME", str(tmp / "home"))
        till = open_till(load_config(db=tmp / "till.db", printer="dummy:"), create=True, demo=True,
                         clock=FixedClock(T0))
        try:
            yield till, trade_report_day(till)
        finally:
            till.close()


def documents(day, lang: str) -> dict[str, ReportDoc]:  # noqa: ANN001
    till, d = day
    return {"x": x_document(d.x, till.identity, lang),
            "shift": shift_close_document(d.handover, till.identity, "张小芳", "2026-11-22 18:00:00", lang),
            "z": z_document(d.z, till.identity, lang), "rec": reconciliation_document(d.rec, till.identity, lang)}


def without_names(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, "")
    return text


def steady(text: str) -> str:
    """The report with its clock times masked (the test clock ticks once per reading)."""
    return re.sub(r"\d\d:\d\d:\d\d", "hh:mm:ss", text)


def test_the_chinese_reports_read_as_they_did(day) -> None:
    till, _d = day
    for kind, doc in documents(day, "zh").items():
        assert steady(till.documents.text(doc)) == (GOLDEN / f"{kind}.zh.txt").read_text(encoding="utf-8"), kind
        assert doc.lang == "zh" and documents(day, "zh")[kind] == doc


@pytest.mark.parametrize("columns", [48, 32])
def test_an_english_report_has_no_chinese_but_the_names_in_it(day, columns: int) -> None:
    from printers.report_layout import render_report_text

    for kind, doc in documents(day, "en").items():
        text = render_report_text(doc, columns)
        assert not HAN.findall(without_names(text)), (kind, HAN.findall(without_names(text)), text)
        assert all(len(line.encode("gb18030")) <= columns for line in text.splitlines()), text
    z = till_text(day, "z", 48)
    assert "Z report (day close)" in z and "Business day 2026-11-22" in z and "Day closed by 王会计" in z
    for label, value in (("Total at list prices", "￥1,673.73"), ("Price changes", "-￥158.10"),
                         ("Rounding", "-￥0.73"), ("Net sales", "￥1,490.40"), ("9% incl. tax", "￥1,480.50"),
                         ("Total tax", "￥123.39"), ("Institution account", "￥45.00"), ("Cash taken out", "￥1,000.00")):
        assert re.search(rf"^{re.escape(label)} +{re.escape(value)}$", z, re.M), (label, z)
    shift = till_text(day, "shift", 48)
    assert re.search(r"^Cash difference \(short\) +-￥44\.90$", shift, re.M)
    assert "handed over by 张小芳" in shift and "Blind count" in shift
    rec = till_text(day, "rec", 48)
    assert re.search(r"^Cash +￥1,359\.90 / ￥600\.00 / -￥759\.90$", rec, re.M)
    assert "no statement" in rec and "Status: approved (王会计)" in rec and "Notes: 微信少一笔手续费" in rec


def till_text(day, kind: str, columns: int) -> str:  # noqa: ANN001
    from printers.report_layout import render_report_text

    return render_report_text(documents(day, "en")[kind], columns)


def test_the_english_reports_are_kept_for_review(day) -> None:
    """The English wording as it prints at 48 columns, to read and compare in review."""
    till, _d = day
    for kind, doc in documents(day, "en").items():
        assert steady(till.documents.text(doc)) == (GOLDEN / f"{kind}.en.txt").read_text(encoding="utf-8"), kind


def test_a_report_built_in_chinese_can_be_shown_in_english_and_back(day) -> None:
    zh, en = documents(day, "zh"), documents(day, "en")
    for kind in KINDS:
        assert zh[kind].in_language("en") == en[kind]
        assert zh[kind].in_language("en_US").in_language("zh_CN") == zh[kind]
        assert en[kind].name == zh[kind].name  # the same file name for the PDF


def test_every_english_label_is_plain_english() -> None:
    for zh, en in REPORT_EN.items():
        assert not HAN.findall(en), (zh, en)
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), (zh, en)


def test_money_in_reports_has_thousands_separators_in_every_language() -> None:
    assert money(123456789) == "￥1,234,567.89"
    assert money(-100000) == "-￥1,000.00" and money(5) == "￥0.05" and money(0) == "￥0.00"
    assert signed(99999) == "+￥999.99" and signed(-1) == "-￥0.01"
    with pytest.raises(TypeError):
        money(12.5)  # type: ignore[arg-type]


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None, reason="poppler-utils")
def test_an_english_pdf_renders_and_says_what_the_screen_says(day, tmp_path: Path) -> None:
    till, _d = day
    pdf = till.documents.pdf(documents(day, "en")["z"], tmp_path / "z-en.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Z report (day close)" in text and "Total at list prices" in text and "1,673.73" in text
    assert "Grand total now" in text and "Later sales count towards the next business day" in text
    assert not HAN.findall(without_names(text)), HAN.findall(without_names(text))
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    assert page.stat().st_size > 5000  # a page with text on it, not an empty sheet


def test_the_report_commands_take_a_language(tmp_path: Path, pos_home: Path) -> None:
    base = ["--db", str(tmp_path / "till.db"), "--printer", f"file:{tmp_path / 'receipts'}"]

    def cli(*args: str, check: int = 0):  # noqa: ANN202
        return run(pos_home, *base, *args, check=check)

    cli("init", "--demo")
    cashier = ("--cashier", "cashier1", "--pin", "1111")
    cli("shift", "open", *cashier)
    cli("sell", *cashier, "--scan", "6972316000170", "--pay", "cash:45")
    x = cli("shift", "x", *cashier, "--lang", "en").stdout
    assert "X report (shift so far)" in x and "Net sales" in x and "营业概况" not in x
    handover = cli("shift", "close", *cashier, "--count", "10:4", "--count", "5:1", "--lang", "en").stdout
    assert "Shift handover" in handover and "Cash counted" in handover
    out = cli("z-close", "--by", "manager1", "--pin", "2222", "--lang", "en", "--pdf", str(tmp_path / "z.pdf")).stdout
    day = out.split("closed business day ", 1)[1].split(" ", 1)[0]
    assert f"Business day {day}" in out and "Grand total now" in out
    assert (tmp_path / "z.pdf").read_bytes().startswith(b"%PDF")
    assert "Z 报表（日结）" in cli("z-report", day).stdout  # Chinese unless asked
    assert "Z report (day close)" in cli("z-report", day, "--lang", "en").stdout
    rec = cli("reconcile", day, "--by", "manager1", "--pin", "2222", "--declare", "cash:45", "--lang", "en").stdout
    assert "Reconciliation" in rec and "not approved yet" in rec
    assert "invalid choice" in cli("z-report", day, "--lang", "fr", check=2).stderr


def test_the_report_screen_shows_a_chinese_built_report_in_the_ui_language(day, qapp) -> None:  # noqa: ANN001
    from ui.i18n import install_language, remove_language
    from ui.reports_view import shown_report

    till, _d = day
    z = documents(day, "zh")["z"]  # as the manager screen builds it
    assert install_language("en") == "en"
    try:
        shown = shown_report(till, z)
    finally:
        remove_language()
    assert shown.doc.lang == "en" and shown.lines[0].text.strip() == "Z report (day close)" and shown.lines[0].double
    assert "Summary" in shown.text and not HAN.findall(without_names(shown.text))
    assert shown_report(till, z).text.startswith(" " * 10 + "Z 报表（日结）")  # back in Chinese
