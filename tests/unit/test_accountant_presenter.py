"""The accountant's desk decides periods, reports, file names and folders without Qt (issue 16)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from pos.domain.errors import InvalidInput, PosError
from pos.domain.table_report import Column, Qty, TableReport, summed_totals
from pos.domain.users import Role
from ui.presenters.accountant import (
    REPORTS,
    account_payment,
    accounts_of,
    change_kind,
    chart_points,
    custom_period,
    default_export_folder,
    default_period,
    export_file_name,
    format_of_path,
    is_numeric,
    period_of,
    reports_for,
    session_screen,
    step_period,
    with_format,
)


def test_the_desk_opens_on_this_month_and_steps_a_month_at_a_time_across_the_year() -> None:
    p = default_period(date(2026, 12, 4))
    assert (p.kind, p.date_from, p.date_to) == ("month", date(2026, 12, 1), date(2026, 12, 31))
    nxt = step_period(p, 1)
    assert (nxt.date_from, nxt.date_to) == (date(2027, 1, 1), date(2027, 1, 31))
    back = step_period(step_period(p, -1), -9)
    assert (back.date_from, back.date_to) == (date(2026, 2, 1), date(2026, 2, 28))
    assert step_period(period_of("month", date(2028, 3, 9)), -1).date_to == date(2028, 2, 29)  # leap year
    assert p.text() == "2026年12月" and p.text("en") == "December 2026"


def test_a_week_runs_monday_to_sunday_whatever_day_is_picked() -> None:
    for day in (date(2026, 11, 23), date(2026, 11, 26), date(2026, 11, 29)):
        w = period_of("week", day)
        assert (w.date_from, w.date_to) == (date(2026, 11, 23), date(2026, 11, 29))
        assert w.date_from.weekday() == 0 and w.days == 7
    nxt = step_period(period_of("week", date(2026, 12, 30)), 1)  # over the new year
    assert (nxt.date_from, nxt.date_to) == (date(2027, 1, 4), date(2027, 1, 10))


def test_a_day_steps_by_one_and_a_custom_period_by_its_own_length() -> None:
    d = period_of("day", date(2026, 11, 30))
    assert step_period(d, 1).date_from == date(2026, 12, 1) and d.text() == "2026-11-30"
    c = custom_period(date(2026, 11, 1), date(2026, 11, 10))
    nxt = step_period(c, 1)
    assert (nxt.date_from, nxt.date_to) == (date(2026, 11, 11), date(2026, 11, 20))
    assert c.text() == "2026-11-01 至 2026-11-10"


def test_a_custom_period_that_ends_before_it_starts_is_refused_in_both_languages() -> None:
    with pytest.raises(InvalidInput) as err:
        custom_period(date(2026, 11, 10), date(2026, 11, 9))
    assert "结束日期早于开始日期" in err.value.message_zh and "before it begins" in str(err.value)
    assert custom_period(date(2026, 11, 10), date(2026, 11, 10)).days == 1


def test_switching_kind_keeps_the_first_day_as_the_anchor() -> None:
    m = period_of("month", date(2026, 11, 18))
    assert change_kind(m, "week").date_from == date(2026, 10, 26)  # the week holding 1 November
    assert change_kind(m, "day").date_from == date(2026, 11, 1)
    c = change_kind(m, "custom")
    assert (c.kind, c.date_from, c.date_to) == ("custom", date(2026, 11, 1), date(2026, 11, 30))


def test_an_accountant_and_a_manager_see_the_reports_a_cashier_and_an_administrator_none() -> None:
    names = [r.name for r in reports_for(Role.ACCOUNTANT)]
    assert names[:2] == ["daily", "products"] and "tenders" in names and "accounts" in names
    assert [r.name for r in reports_for(Role.MANAGER)] == names
    assert reports_for(Role.CASHIER) == [] and reports_for(Role.ADMIN) == []
    # only what the service builds; a report the desk does not know yet still shows, under its name
    shown = reports_for(Role.ACCOUNTANT, ["tax", "daily", "brand-new"])
    assert [r.name for r in shown] == ["daily", "tax", "brand-new"]
    assert all(r.title_zh and r.title_en and r.title_zh != r.title_en for r in REPORTS)


def test_who_lands_where_after_login() -> None:
    assert session_screen(Role.CASHIER) == "checkout" and session_screen(Role.MANAGER) == "checkout"
    assert session_screen(Role.ACCOUNTANT) == "accountant"
    assert session_screen(Role.ADMIN) == "manager"


def test_file_names_carry_the_report_and_the_period_and_stay_legal_on_a_usb_stick() -> None:
    nov = period_of("month", date(2026, 11, 5))
    assert export_file_name("商品销售汇总", nov, "xlsx") == "商品销售汇总_2026-11-01_2026-11-30.xlsx"
    assert export_file_name("优惠/改价/抹零明细", nov, "CSV") == "优惠-改价-抹零明细_2026-11-01_2026-11-30.csv"
    with pytest.raises(PosError) as err:
        export_file_name("税额汇总", nov, "docx")
    assert "导出格式" in err.value.message_zh
    assert format_of_path("/media/x/a.PDF") == "pdf"
    assert format_of_path("/media/x/a", "CSV (*.csv)") == "csv"
    assert with_format("/media/x/月报", "xlsx") == Path("/media/x/月报.xlsx")
    assert with_format("/media/x/a.xlsx", "xlsx") == Path("/media/x/a.xlsx")


def test_the_save_dialog_starts_on_a_mounted_usb_stick_else_in_the_home_folder(tmp_path: Path) -> None:
    media, home = tmp_path / "media", tmp_path / "home"
    home.mkdir()
    assert default_export_folder(home, user="wang", media_root=media, run_media_root=media) == home
    (media / "wang").mkdir(parents=True)
    assert default_export_folder(home, user="wang", media_root=media, run_media_root=media) == home
    (media / "wang" / "KINGSTON").mkdir()
    (media / "li" / "OTHER").mkdir(parents=True)  # another user's stick is not ours
    assert default_export_folder(home, user="wang", media_root=media, run_media_root=media) == media / "wang" / "KINGSTON"


def _daily() -> TableReport:
    cols = (Column("day", "日期", "Day", "date"), Column("receipts", "笔数", "Receipts", "int", True),
            Column("gross", "销售额", "Gross", "money", True), Column("net", "净销售额", "Net", "money", True),
            Column("qty", "数量", "Qty", "qty", True))
    rows = ((date(2026, 11, 1), 3, 10_000, 9_500, Qty(3)), (date(2026, 11, 2), 1, 2_000, 1_990, Qty(1)))
    return TableReport("daily", "销售日报", "Daily sales", date(2026, 11, 1), date(2026, 11, 30), cols, rows,
                       totals=summed_totals(cols, rows))


def test_the_day_chart_draws_net_sales_per_day_without_the_totals_row() -> None:
    points = chart_points(_daily())
    assert len(points) == 30  # every day of November, a day without sales as nothing
    assert [(p.label, p.fen) for p in points[:3]] == [("1", 9_500), ("2", 1_990), ("3", 0)]


def test_the_hour_chart_runs_from_the_first_hour_to_the_last_with_quiet_hours_at_nothing() -> None:
    cols = (Column("hour", "时段", "Hour"), Column("net", "净销售额", "Net sales", "money", True))
    rows = (("09:00–10:00", 1_000), ("12:00–13:00", 700))
    report = TableReport("hours", "时段销售", "Sales by hour", date(2026, 11, 1), date(2026, 11, 30), cols, rows)
    assert [(p.label, p.fen) for p in chart_points(report)] == [("09", 1_000), ("10", 0), ("11", 0), ("12", 700)]
    across = TableReport("daily", "销售日报", "Daily", date(2026, 11, 30), date(2026, 12, 1), _daily().columns,
                         ((date(2026, 12, 1), 1, 5, 5, Qty(1)),))
    assert [(p.label, p.fen) for p in chart_points(across)] == [("11-30", 0), ("12-01", 5)]


def test_figures_are_right_aligned() -> None:
    assert is_numeric("money") and is_numeric("qty") and is_numeric("percent") and not is_numeric("date")


def test_payment_received_needs_an_account_and_an_amount_above_nothing() -> None:
    p = account_payment(" GOV01 ", "1,280.50", " 11月货款 ")
    assert (p.code, p.amount_fen, p.note) == ("GOV01", 128_050, "11月货款")
    for code, amount, zh in (("", "10", "挂账单位"), ("GOV01", "", "回款金额"), ("GOV01", "0", "大于 0.00"),
                             ("GOV01", "1.234", "")):
        with pytest.raises(PosError) as err:
            account_payment(code, amount)
        assert zh in err.value.message_zh


def test_the_payment_dialog_lists_the_institutions_of_the_accounts_report() -> None:
    cols = (Column("code", "编码", "Code"), Column("name", "单位", "Institution"),
            Column("balance", "余额", "Balance", "money", True))
    rows = (("GOV01", "县政府食堂", 50_000), ("SCH02", "实验小学", 0))
    report = TableReport("accounts", "挂账", "Accounts", date(2026, 11, 1), date(2026, 11, 30), cols, rows)
    assert accounts_of(report) == [("GOV01", "县政府食堂"), ("SCH02", "实验小学")]
    assert accounts_of(None) == []


def test_clicking_the_calendar_picks_the_period_holding_the_day_or_a_custom_start_then_end() -> None:
    from ui.presenters.accountant import pick_on_calendar

    week, again = pick_on_calendar(period_of("week", date(2026, 11, 2)), date(2026, 11, 19))
    assert (week.date_from, week.date_to, again) == (date(2026, 11, 16), date(2026, 11, 22), False)
    custom = custom_period(date(2026, 11, 1), date(2026, 11, 30))
    start, picking_end = pick_on_calendar(custom, date(2026, 11, 10))
    assert (start.date_from, start.date_to, picking_end) == (date(2026, 11, 10), date(2026, 11, 10), True)
    end, picking_end = pick_on_calendar(start, date(2026, 11, 20), picking_end=True)
    assert (end.date_from, end.date_to, picking_end) == (date(2026, 11, 10), date(2026, 11, 20), False)
    restart, picking_end = pick_on_calendar(start, date(2026, 11, 5), picking_end=True)  # before the start
    assert (restart.date_from, restart.date_to, picking_end) == (date(2026, 11, 5), date(2026, 11, 5), True)


def test_a_payment_above_what_the_institution_owes_is_refused_before_a_manager_is_called() -> None:
    from ui.presenters.accountant import balances_of

    cols = (Column("code", "单位编码", "Code"), Column("name", "单位名称", "Institution"),
            Column("balance", "期末欠款", "Closing balance", "money", True))
    report = TableReport("accounts", "挂账对账单", "Institution accounts", date(2026, 11, 1), date(2026, 11, 30), cols,
                         (("MXGXS", "茂县供销合作社", 34_800), ("PHGH", "平湖市总工会", 0)))
    owed = balances_of(report)
    assert owed == {"MXGXS": 34_800, "PHGH": 0}
    assert account_payment("MXGXS", "348", owed=owed["MXGXS"]).amount_fen == 34_800
    with pytest.raises(PosError) as err:
        account_payment("MXGXS", "348.01", owed=owed["MXGXS"])
    assert "超过欠款" in err.value.message_zh and "more than" in str(err.value)
    assert balances_of(None) == {} and balances_of(_daily()) == {}


def test_only_a_short_report_is_offered_to_the_receipt_printer() -> None:
    from ui.presenters.accountant import MAX_RECEIPT_ROWS, fits_receipt

    assert fits_receipt(_daily())
    cols = _daily().columns
    long = TableReport("daily", "销售日报", "Daily", date(2026, 1, 1), date(2026, 12, 31), cols,
                       tuple((date(2026, 1, 1) + timedelta(days=i), 1, 5, 5, Qty(1)) for i in range(MAX_RECEIPT_ROWS + 1)))
    assert not fits_receipt(long)
