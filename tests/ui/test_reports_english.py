"""Issue 13: a manager whose till runs in English opens a past Z and the day's reconciliation on
the manager screen: the paper on screen and the exported PDF are in English; in Chinese they are
as before. Offscreen, real SQLite, dummy printer."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest
from till_ui import wait_ops

from pos.bootstrap import Till
from pos.domain.closing import CashCount
from pos.domain.tenders import Tender, TenderKind
from ui.i18n import install_language
from ui.manager import ManagerScreen
from ui.ops import OpRunner

EGGS = "6972316000170"  # ¥45.00
HAN = re.compile(r"[\u3400-\u9fff]")
NAMES = ("金平湖鲜到家", "茂县专柜", "肉禽蛋", "松阳", "李建国")


def a_closed_day(till: Till) -> str:
    from pos.domain.cart import Cart

    cashier = till.auth.login("cashier1", "1111")
    till.shifts.open(cashier, CashCount())
    till.checkout.complete_sale(Cart().add(till.lookup.find(EGGS), 30), [Tender(TenderKind.CASH, 135000)], cashier)
    till.shifts.close(cashier, CashCount.of({10000: 13, 5000: 1}))
    return till.closing.z_close(till.auth.login("manager1", "2222")).business_day


def english_words(text: str) -> list[str]:
    for name in NAMES:
        text = text.replace(name, "")
    return HAN.findall(text)


def test_a_past_z_on_the_english_manager_screen_is_english_on_screen_and_in_the_pdf(
        qtbot: Any, fresh_till: Till, runner: OpRunner) -> None:
    day = a_closed_day(fresh_till)
    assert install_language("en") == "en"
    screen = ManagerScreen(fresh_till, runner, fresh_till.auth.login("manager1", "2222"))
    qtbot.addWidget(screen)
    screen.ask = lambda question: True  # type: ignore[method-assign]
    screen.show()
    wait_ops(qtbot, runner)
    page = screen.day_page
    assert page is not None
    page.select_day(day)
    page.view_button.click()
    wait_ops(qtbot, runner)
    assert page.report_view is not None
    text = page.report_view.text()
    assert "Z report (day close)" in text and f"Business day {day}" in text and "Day closed by 李建国" in text
    assert re.search(r"^Net sales +￥1,350\.00$", text, re.M), text
    assert not english_words(text), english_words(text)

    page.export_button.click()
    wait_ops(qtbot, runner)
    wait_ops(qtbot, runner)
    pdf = page.report_view.last_pdf
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert "Exported" in page.report_view.status.text() or str(pdf) in page.report_view.status.text()
    if shutil.which("pdftotext"):
        pdf_text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Z report (day close)" in pdf_text and "1,350.00" in pdf_text
        assert not english_words(pdf_text), english_words(pdf_text)
    screen.reject()


def test_the_same_z_in_the_chinese_ui_reads_as_before(qtbot: Any, fresh_till: Till, runner: OpRunner) -> None:
    day = a_closed_day(fresh_till)
    screen = ManagerScreen(fresh_till, runner, fresh_till.auth.login("manager1", "2222"))
    qtbot.addWidget(screen)
    screen.show()
    wait_ops(qtbot, runner)
    page = screen.day_page
    assert page is not None
    page.select_day(day)
    page.view_button.click()
    wait_ops(qtbot, runner)
    text = page.report_view.text()
    assert "Z 报表（日结）" in text and f"营业日 {day}" in text and "Summary" not in text
    assert re.search(r"^净销售额 +￥1,350\.00$", text, re.M), text
    screen.reject()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_report_paper_fits_the_narrow_screen(qtbot: Any, fresh_till: Till, runner: OpRunner, lang: str) -> None:
    """On a 1024×768 counter the report's paper (48 columns, English or Chinese) fits the screen's width."""
    from pos.reports.closing import z_document
    from ui.reports_view import ReportDialog, shown_report

    day = a_closed_day(fresh_till)
    install_language(lang)
    report = shown_report(fresh_till, z_document(fresh_till.closing.z_report(day), fresh_till.identity))
    dialog = ReportDialog(fresh_till, runner, "Z", report)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.view.scroll.minimumWidth() <= 1000
    assert dialog.view.paper.width() <= dialog.view.scroll.viewport().width()  # no sideways scrolling
    assert report.doc.lang == ("en" if lang == "en" else "zh")
