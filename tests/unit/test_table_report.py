"""The period report table (issue 16): cells shown the way an accountant reads them, totals exact."""

from datetime import date

import pytest

from pos.domain.errors import InvalidInput
from pos.domain.table_report import Column, Qty, Ratio, TableReport, cell_text, money_text, summed_totals

COLS = (Column("name", "商品", "Product"), Column("qty", "数量", "Qty", "qty", total=True),
        Column("net", "净额", "Net", "money", total=True), Column("margin", "毛利率", "Margin %", "percent"))


def test_money_quantities_and_margins_read_as_on_a_chinese_report() -> None:
    assert money_text(123456789) == "1,234,567.89"
    assert money_text(-5) == "-0.05"
    assert cell_text("qty", Qty(1255, weighed=True)) == "1.255kg"
    assert cell_text("percent", Ratio(1234, 5000)) == "24.7%"
    assert cell_text("percent", Ratio(5, 0)) == "—"  # no sales: no margin, not 0 %
    assert cell_text("int", 12345) == "12,345"


def test_the_totals_row_adds_money_and_quantities_of_one_kind_only() -> None:
    rows = (("鸡蛋", Qty(5), 4500, Ratio(900, 4500)), ("苹果", Qty(1255, True), 2108, Ratio(300, 2108)))
    totals = summed_totals(COLS, rows)
    assert totals == ("合计", None, 6608, None)  # boxes and kilograms are never added together
    eggs = rows[:1]
    assert summed_totals(COLS, eggs)[1] == Qty(5)


def test_a_reversed_period_or_a_ragged_row_is_refused() -> None:
    with pytest.raises(InvalidInput):
        TableReport("products", "商品销售汇总", "Sales by product", date(2026, 11, 30), date(2026, 11, 1), COLS, ())
    with pytest.raises(ValueError):
        TableReport("products", "商品销售汇总", "Sales by product", date(2026, 11, 1), date(2026, 11, 30), COLS,
                    (("鸡蛋", Qty(1)),))
