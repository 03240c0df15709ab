"""The 价税分离 section of X, 交班 and Z: per rate when tax was worked out, a plain word when the Z
is older than that, and nothing at all for a period with no sale (not "older than tax per rate")."""

from __future__ import annotations

from pos.domain.closing import PeriodTotals
from pos.reports.closing import tax_rows


def _texts(rows: tuple) -> list[tuple[str, str]]:
    return [(r.label, r.value) for r in rows]


def test_a_shift_with_no_sale_shows_no_tax_rows_and_does_not_call_itself_old() -> None:
    assert tax_rows(PeriodTotals()) == ()
    assert tax_rows(PeriodTotals(), "en") == ()


def test_a_z_older_than_tax_per_rate_says_so() -> None:
    t = PeriodTotals()
    t.by_tax_rate = {"9%": 11100}
    rows = _texts(tax_rows(t))
    assert rows[0][0] == "9% 含税金额" and "111.00" in rows[0][1]
    assert rows[-1] == ("税额", "未计算（本报表早于价税分离）")


def test_a_shift_with_sales_shows_each_rate_and_the_totals() -> None:
    t = PeriodTotals()
    t.tax_by_rate = {"9%": {"gross": 11100, "net": 10183, "tax": 917}}
    t.by_tax_rate = {"9%": 11100}
    labels = [label for label, _ in _texts(tax_rows(t))]
    assert labels[:3] == ["9% 含税金额", "9% 不含税金额", "9% 税额"]
    assert labels[-1] == "合计 税额"
