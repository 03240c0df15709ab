"""The accountant takes the month to a USB stick (issue 16): 导出全部 writes every report of the period
as one workbook, 导出凭证 the vouchers through the shop's mapping file, asked for once and then
remembered; a stick that is full says so plainly and leaves no half-written file."""

from __future__ import annotations

import errno
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from till_ui import wait_ops

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import User
from tests.conftest import login_cashier
from ui.accountant import AccountantScreen
from ui.ops import OpRunner
from ui.presenters.accountant import REPORT_BY_NAME

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "resources" / "vouchers" / "mapping-example.json"
EGGS = "6972316000170"  # 松阳土鸡蛋 ¥45.00


def desk(qtbot: Any, till: Till, runner: OpRunner, user: User, tmp_path: Path) -> AccountantScreen:
    screen = AccountantScreen(till, runner, user, back_text="退出登录")
    screen.prefs_path = tmp_path / "config" / "accountant.json"
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    wait_ops(qtbot, runner)
    return screen


def settle(qtbot: Any, runner: OpRunner, screen: AccountantScreen) -> None:
    """Until the export has read, written and said so (two ops, one after the other)."""
    qtbot.waitUntil(lambda: runner.is_idle() and not screen._exporting_all and not screen._exporting_vouchers,
                    timeout=30_000)


def sell_eggs(till: Till) -> None:
    cashier = login_cashier(till)
    till.checkout.complete_sale(Cart().add(till.lookup.find(EGGS), 2), [Tender(TenderKind.CASH, 10000)], cashier)


def test_export_all_writes_every_report_of_the_month_as_a_sheet_of_one_workbook_on_the_stick(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    sell_eggs(demo_till)
    accountant = demo_till.auth.login("accountant1", "3333")
    stick = tmp_path / "media" / "wang" / "KINGSTON"
    stick.mkdir(parents=True)
    screen = desk(qtbot, demo_till, runner, accountant, tmp_path)
    screen.export_folder = lambda: stick
    asked: list[Path] = []
    screen.ask_workbook_path = lambda p: asked.append(p) or str(p)  # type: ignore[method-assign]
    screen.export_all_button.click()
    settle(qtbot, runner, screen)
    a, b = screen.period.date_from, screen.period.date_to
    assert asked == [stick / f"全部报表_{a.isoformat()}_{b.isoformat()}.xlsx"]
    assert "已导出全部报表" in screen.status.text() and screen.last_export == asked[0]
    wb = openpyxl.load_workbook(asked[0])
    assert len(wb.sheetnames) == len(screen.entries) >= 14  # a sheet per report the desk lists, in its order
    listed = [REPORT_BY_NAME[e.name].title_zh.replace("/", " ") for e in screen.entries if e.name in REPORT_BY_NAME]
    assert [n for n in wb.sheetnames if n in listed] == listed, "|".join(wb.sheetnames)
    daily = wb["销售日报"]
    assert daily.freeze_panes is not None and daily.auto_filter.ref
    figures = [c.value for row in daily.iter_rows() for c in row]
    assert 90 in figures  # two boxes of eggs at ¥45.00, as a number
    assert [p.name for p in stick.iterdir()] == [asked[0].name]  # no temp file left beside it


def test_the_vouchers_ask_for_the_mapping_file_once_then_remember_it_until_it_is_gone(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    sell_eggs(demo_till)
    accountant = demo_till.auth.login("accountant1", "3333")
    mapping = tmp_path / "stick" / "科目对照.json"
    mapping.parent.mkdir()
    shutil.copy(MAPPING, mapping)
    screen = desk(qtbot, demo_till, runner, accountant, tmp_path)
    screen.export_folder = lambda: tmp_path
    picked: list[Path] = []
    screen.ask_mapping_path = lambda start: picked.append(start) or str(mapping)  # type: ignore[method-assign]
    saved: list[Path] = []

    def save_as(suggested: Path) -> tuple[str, str]:
        saved.append(suggested)
        return str(suggested), "Excel 工作簿 (*.xlsx)"

    screen.ask_voucher_path = save_as  # type: ignore[method-assign]
    screen.export_vouchers("kingdee")
    settle(qtbot, runner, screen)
    a, b = screen.period.date_from.isoformat(), screen.period.date_to.isoformat()
    assert saved == [tmp_path / f"记账凭证-金蝶_{a}_{b}.xlsx"] and len(picked) == 1
    assert "已导出凭证" in screen.status.text(), screen.status.text()
    ws = openpyxl.load_workbook(saved[0]).active
    header = [c.value for c in ws[1]]
    assert "科目代码" in header and "借方金额" in header  # the 金蝶 layout
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    debit, credit = header.index("借方金额"), header.index("贷方金额")
    assert sum(r[debit] or 0 for r in rows) == sum(r[credit] or 0 for r in rows) > 0

    screen.export_vouchers("yonyou")  # next month: no question about the mapping
    settle(qtbot, runner, screen)
    assert len(picked) == 1 and saved[-1].name.startswith("记账凭证-用友")
    assert "凭证类别" in [c.value for c in openpyxl.load_workbook(saved[-1]).active[1]]
    assert str(mapping) in screen.prefs_path.read_text(encoding="utf-8")  # for the desk opened next month

    mapping.unlink()  # the stick with the mapping on it is not in: asked again, from where it was
    screen.export_vouchers("yonyou")
    settle(qtbot, runner, screen)
    assert len(picked) == 2 and picked[-1] == mapping.parent


def test_a_full_stick_is_said_plainly_and_leaves_no_half_written_file(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path, monkeypatch: Any) -> None:
    accountant = demo_till.auth.login("accountant1", "3333")
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    screen = desk(qtbot, demo_till, runner, accountant, tmp_path)
    screen.ask_workbook_path = lambda p: str(stick / p.name)  # type: ignore[method-assign]

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    screen.export_all()
    settle(qtbot, runner, screen)
    text = screen.status.text()
    assert "无法写入" in text or "could not be saved" in text
    assert "Traceback" not in text and list(stick.iterdir()) == []
    assert screen.export_all_button.isEnabled()  # ready to try again on another stick


def test_vouchers_of_a_month_with_no_sales_are_refused_in_plain_words(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    accountant = demo_till.auth.login("accountant1", "3333")
    screen = desk(qtbot, demo_till, runner, accountant, tmp_path)
    screen.set_custom(date(2026, 1, 1), date(2026, 1, 31))
    wait_ops(qtbot, runner)
    screen.ask_mapping_path = lambda _start: str(MAPPING)  # type: ignore[method-assign]
    screen.ask_voucher_path = lambda p: (str(tmp_path / "v.xlsx"), "")  # type: ignore[method-assign]
    screen.export_vouchers("yonyou")
    settle(qtbot, runner, screen)
    assert "无凭证可生成" in screen.status.text() or "no voucher" in screen.status.text()
    assert not (tmp_path / "v.xlsx").exists()
