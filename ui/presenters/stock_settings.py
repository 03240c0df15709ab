"""What the 临期 page's category settings decide, without Qt (issue 15): the rows of the table (each
category of the catalogue with its near-expiry days and whether receiving asks for a 合格证 and a
quarantine certificate), which row is being edited, whether the typed days are a whole number the
service accepts, and what changed — so 保存 sends only a real change, and says so in plain words
when there is none.

The page hands the service's :class:`~pos.services.stock.CategorySetting` values here and sends
:class:`CategoryChange` back through ``StockService.set_category_setting`` (journaled, manager only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pos.domain.errors import InvalidInput
from pos.domain.quantities import parse_units
from pos.services.stock import MAX_NEAR_DAYS


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category: str
    near_days: int
    needs_certificate: bool
    needs_quarantine: bool
    explicit: bool  # set by a manager (else the default for its name)


@dataclass(frozen=True, slots=True)
class CategoryChange:
    category: str
    near_days: int | None = None
    needs_certificate: bool | None = None
    needs_quarantine: bool | None = None

    @property
    def empty(self) -> bool:
        return self.near_days is None and self.needs_certificate is None and self.needs_quarantine is None


def category_rows(settings: Iterable[Any]) -> list[CategoryRow]:
    """The service's settings as rows, in the order given (the catalogue's categories, then the others)."""
    return [CategoryRow(s.category, s.near_days, s.needs_certificate, s.needs_quarantine, s.explicit)
            for s in settings]


def parse_near_days(text: str) -> int:
    """Days typed by a person: a whole number 0–365 (read as :func:`parse_units` reads a count: full-width
    digits and spaces allowed), a trailing 天 too. The service checks the range again on saving."""
    t = text.strip().removesuffix("天").strip()
    if not t:
        raise InvalidInput("type the near-expiry days, a whole number from 0 to 365",
                           message_zh="请填写临期天数（0 至 365 的整数）")
    try:
        days = parse_units(t)
    except InvalidInput:
        raise InvalidInput(f"near-expiry days must be a whole number from 0 to 365, not {text.strip()!r}",
                           message_zh=f"临期天数须为 0 至 365 的整数，“{text.strip()}”不行") from None
    if days > MAX_NEAR_DAYS:
        raise InvalidInput(f"near-expiry days must be 0 to {MAX_NEAR_DAYS}, not {days}",
                           message_zh=f"临期天数须为 0 至 {MAX_NEAR_DAYS}，不能是 {days}")
    return days


class CategorySettingsPresenter:
    """The table of categories and the one being edited."""

    def __init__(self) -> None:
        self.rows: list[CategoryRow] = []
        self.selected: int | None = None

    def shown(self, settings: Iterable[Any]) -> None:
        """New rows from the service; the same category stays selected if it is still there."""
        keep = self.current.category if self.current else None
        self.rows = category_rows(settings)
        names = [r.category for r in self.rows]
        self.selected = names.index(keep) if keep in names else None

    def select(self, i: int | None) -> CategoryRow | None:
        self.selected = i if i is not None and 0 <= i < len(self.rows) else None
        return self.current

    @property
    def current(self) -> CategoryRow | None:
        return self.rows[self.selected] if self.selected is not None and self.selected < len(self.rows) else None

    def change(self, days_text: str, needs_certificate: bool, needs_quarantine: bool) -> CategoryChange:
        """What 保存 would change on the selected category (raises InvalidInput for no selection or bad days).
        A quarantine certificate is asked for only with a 合格证: ticking 需检疫证明 implies 需合格证."""
        row = self.current
        if row is None:
            raise InvalidInput("choose a category in the table first", message_zh="请先在表格中选择一个类别")
        days = parse_near_days(days_text)
        cert = needs_certificate or needs_quarantine
        return CategoryChange(row.category,
                              near_days=None if days == row.near_days and row.explicit else days,
                              needs_certificate=None if cert == row.needs_certificate and row.explicit else cert,
                              needs_quarantine=None if needs_quarantine == row.needs_quarantine and row.explicit
                              else needs_quarantine)
