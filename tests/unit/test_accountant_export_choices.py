"""What 导出全部 and 导出凭证 decide without Qt (issue 16): file names a USB stick takes, the folder the
save dialog opens in, and the mapping file remembered between months."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pos.domain.errors import PosError
from pos.domain.table_report import Column, TableReport
from pos.domain.users import Role
from ui.presenters.accountant import Period, default_export_folder, period_of, reports_for
from ui.presenters.accountant_exports import (
    ExportPrefs,
    load_prefs,
    long_pdf_pages,
    mapping_to_use,
    remember_mapping,
    save_prefs,
    voucher_file_name,
    voucher_format_of_path,
    workbook_entries,
    workbook_file_name,
)

NOVEMBER = period_of("month", date(2026, 11, 18))


def test_the_workbook_and_voucher_files_are_named_after_the_period() -> None:
    assert workbook_file_name(NOVEMBER) == "全部报表_2026-11-01_2026-11-30.xlsx"
    assert workbook_file_name(NOVEMBER, "en") == "all-reports_2026-11-01_2026-11-30.xlsx"
    assert voucher_file_name("yonyou", NOVEMBER) == "记账凭证-用友_2026-11-01_2026-11-30.xlsx"
    assert voucher_file_name("kingdee", Period("day", date(2026, 11, 3), date(2026, 11, 3)), "csv", "en") == \
        "vouchers-Kingdee_2026-11-03_2026-11-03.csv"
    with pytest.raises(PosError) as err:
        voucher_file_name("sap", NOVEMBER)
    assert "用友" in err.value.message_zh
    with pytest.raises(PosError):
        voucher_file_name("yonyou", NOVEMBER, "docx")
    assert voucher_format_of_path("/media/u/凭证.CSV") == "csv"
    assert voucher_format_of_path("/media/u/凭证", "PDF 文件 (*.pdf)") == "pdf"
    assert voucher_format_of_path("/media/u/凭证") == "xlsx"


def test_the_workbook_holds_the_reports_the_person_sees_in_the_desks_order() -> None:
    names = workbook_entries(reports_for(Role.ACCOUNTANT))
    assert names[:3] == ["daily", "products", "categories"] and "vouchers-used" in names
    assert workbook_entries(reports_for(Role.CASHIER)) == []


def test_the_mapping_file_is_remembered_until_it_is_gone(tmp_path: Path) -> None:
    prefs_file = tmp_path / "config" / "accountant.json"
    assert load_prefs(prefs_file) == ExportPrefs()  # nothing remembered yet: ask
    mapping = tmp_path / "科目对照.json"
    mapping.write_text("{}", encoding="utf-8")
    save_prefs(prefs_file, remember_mapping(load_prefs(prefs_file), mapping, "kingdee"))
    again = load_prefs(prefs_file)
    assert (again.voucher_mapping, again.voucher_style) == (mapping, "kingdee")
    assert mapping_to_use(again) == mapping
    mapping.unlink()  # on a stick that is not in
    assert mapping_to_use(load_prefs(prefs_file)) is None
    with pytest.raises(PosError):
        remember_mapping(again, mapping, "sap")


def test_a_damaged_settings_file_is_forgotten_and_an_unwritable_one_is_no_error(tmp_path: Path) -> None:
    broken = tmp_path / "accountant.json"
    broken.write_text("{not json", encoding="utf-8")
    assert load_prefs(broken) == ExportPrefs()
    broken.write_text('{"voucher_mapping": 12, "voucher_style": "sap"}', encoding="utf-8")
    assert load_prefs(broken) == ExportPrefs()
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    save_prefs(blocker / "sub" / "accountant.json", ExportPrefs(tmp_path / "m.json"))  # the next export asks again
    assert not (blocker.parent / "sub").exists()


def test_without_a_stick_the_save_dialog_opens_in_the_documents_folder(tmp_path: Path) -> None:
    media, home = tmp_path / "media", tmp_path / "home"
    home.mkdir()
    assert default_export_folder(home, user="wang", media_root=media, run_media_root=media) == home
    (home / "Documents").mkdir()
    assert default_export_folder(home, user="wang", media_root=media, run_media_root=media) == home / "Documents"
    (home / "文档").mkdir()
    (home / ".config").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/文档"\n', encoding="utf-8")
    assert default_export_folder(home, user="wang", media_root=media, run_media_root=media) == home / "文档"
    (media / "wang" / "KINGSTON").mkdir(parents=True)
    assert default_export_folder(home, user="wang", media_root=media, run_media_root=media) == media / "wang" / "KINGSTON"


def test_a_long_pdf_is_announced_with_its_pages() -> None:
    cols = (Column("doc", "单号", "Receipt"), Column("amount", "金额", "Amount", "money", True))

    def listing(n: int) -> TableReport:
        rows = tuple((f"MX01-{i:05d}", 100) for i in range(n))
        return TableReport("transactions", "销售流水", "Transactions", date(2026, 11, 1), date(2026, 11, 30), cols, rows)

    assert long_pdf_pages(listing(200)) is None  # a few pages: nothing to say
    assert long_pdf_pages(listing(50_000)) == 1516  # a month's 销售流水
