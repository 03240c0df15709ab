"""A period report as a table (issue 16): typed columns, rows, a totals row — plain data.

The accountant's reports (销售日报, 商品销售汇总, 收款方式汇总, 税额汇总, 销售流水 …) are all tables
over a period. One :class:`TableReport` is what the screen shows, what the CLI prints (table, JSON,
CSV) and what the exports write (XLSX, PDF), so every form says the same figures: they are computed
once, in the service that builds the report, and the writers only lay them out.

Cell values by column kind (never a float):

* ``text``: str; ``int``: int (counts);
* ``money``: int fen (signed);
* ``qty``: :class:`Qty` — units, or grams of a weighed product (shown as kg with three decimals);
* ``percent``: :class:`Ratio` (an exact fraction, shown to one decimal; None when undefined);
* ``date``: ``datetime.date``; ``datetime``: ``datetime.datetime`` (local time as shown).

``None`` is an empty cell. Titles are Chinese first with their English beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from .errors import InvalidInput
from .money import Fen, div_round_half_up

Kind = Literal["text", "int", "money", "qty", "percent", "date", "datetime"]
KINDS: tuple[str, ...] = ("text", "int", "money", "qty", "percent", "date", "datetime")


@dataclass(frozen=True, slots=True)
class Qty:
    """A quantity: whole units, or grams when ``weighed`` (shown in kg)."""

    amount: int
    weighed: bool = False

    def text(self) -> str:
        if self.weighed:
            sign = "-" if self.amount < 0 else ""
            kg, g = divmod(abs(self.amount), 1000)
            return f"{sign}{kg}.{g:03d}kg"
        return str(self.amount)

    def __add__(self, other: Qty) -> Qty:
        if self.weighed != other.weighed:
            raise ValueError("units and kilograms do not add up")
        return Qty(self.amount + other.amount, self.weighed)


@dataclass(frozen=True, slots=True)
class Ratio:
    """An exact ratio (margin %, share of sales): ``part / whole``, None-safe, shown to 0.1 %."""

    part: int
    whole: int

    @property
    def defined(self) -> bool:
        return self.whole != 0

    def permille(self) -> int | None:
        """Tenths of a percent, rounded half up (a margin of 1234/5000 → 247 = 24.7 %)."""
        return div_round_half_up(self.part * 1000, self.whole) if self.whole > 0 else (
            div_round_half_up(-self.part * 1000, -self.whole) if self.whole < 0 else None)

    def text(self) -> str:
        p = self.permille()
        if p is None:
            return "—"
        sign = "-" if p < 0 else ""
        whole, tenth = divmod(abs(p), 10)
        return f"{sign}{whole}.{tenth}%"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title_zh: str
    title_en: str
    kind: Kind = "text"
    total: bool = False  # summed in the totals row (money, int, qty of one unit kind)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang.startswith("en") else self.title_zh


@dataclass(frozen=True, slots=True)
class TableReport:
    """One report over one period: what every screen, print and file of it shows."""

    name: str  # daily, products, … (the CLI's NAME); also the file name stem
    title_zh: str
    title_en: str
    period_from: date
    period_to: date
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    store: str = ""  # the store's name (and counter), as the header shows it
    totals: tuple[Any, ...] | None = None  # the totals row, computed by the builder (not by the writers)
    notes: tuple[str, ...] = ()  # lines under the table (e.g. "营业实收与 Z 报表一致")
    signatures: tuple[str, ...] = ()  # signature lines of a signed report (制表, 审核 …)
    generated_at: datetime | None = None
    sections: tuple[tuple[str, int], ...] = field(default=())  # (heading, first row index): a grouped table

    def __post_init__(self) -> None:
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"row {i} of {self.name} has {len(row)} cells for {width} columns")
        if self.totals is not None and len(self.totals) != width:
            raise ValueError(f"the totals row of {self.name} has {len(self.totals)} cells for {width} columns")
        if self.period_to < self.period_from:
            raise InvalidInput("the period ends before it begins", message_zh="报表期间的结束日期早于开始日期")

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang.startswith("en") else self.title_zh

    def column(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)

    def values(self, key: str) -> list[Any]:
        i = self.column(key)
        return [row[i] for row in self.rows]

    @property
    def period_text(self) -> str:
        a, b = self.period_from.isoformat(), self.period_to.isoformat()
        return a if a == b else f"{a} 至 {b}"


def summed_totals(columns: Sequence[Column], rows: Sequence[Sequence[Any]], label: str = "合计") -> tuple[Any, ...]:
    """The usual totals row: ``label`` in the first column, Σ of each column marked ``total``."""
    out: list[Any] = []
    for i, col in enumerate(columns):
        if i == 0:
            out.append(label)
        elif not col.total:
            out.append(None)
        elif col.kind == "qty":
            vals = [r[i] for r in rows if r[i] is not None]
            kinds = {v.weighed for v in vals}
            out.append(Qty(sum(v.amount for v in vals), kinds.pop()) if len(kinds) == 1 else None)
        else:
            out.append(sum(r[i] for r in rows if r[i] is not None))
    return tuple(out)


def cell_text(kind: str, value: Any) -> str:
    """A cell as a table on screen or paper shows it: money with thousands separators, kg, 24.7 %."""
    if value is None:
        return ""
    if kind == "money":
        return money_text(value)
    if kind == "int":
        return f"{value:,}"
    if kind in ("qty", "percent"):
        return value.text()
    if kind == "date":
        return value.isoformat()
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def money_text(fen: Fen) -> str:
    """¥-less yuan with thousands separators: 1234567 → '12,345.67', -5 → '-0.05'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


# The period reports (the CLI's ``report NAME``), in the order the accountant's screen lists them.
REPORT_NAMES = ("daily", "products", "categories", "origins", "tenders", "tax", "transactions", "returns",
                "reductions", "vouchers-used", "accounts", "margin", "hours", "zs", "promotions", "members")
MAX_PERIOD_DAYS = 366 * 3


def parse_day(text: str) -> date:
    """``YYYY-MM-DD`` exactly (2026-11-01), else InvalidInput in plain words."""
    t = text.strip()
    ok = len(t) == 10 and t[4] == "-" and t[7] == "-" and t[:4].isdigit() and t[5:7].isdigit() and t[8:].isdigit()
    if ok:
        try:
            return date.fromisoformat(t)
        except ValueError:
            pass
    raise InvalidInput(f"'{text}' is not a date (write YYYY-MM-DD, e.g. 2026-11-01)",
                       message_zh=f"“{text}”不是日期（请写成 YYYY-MM-DD，如 2026-11-01）")


def check_period(date_from: date, date_to: date) -> None:
    """A period ends on or after its first day and covers at most three years."""
    if date_to < date_from:
        raise InvalidInput(f"the period ends ({date_to}) before it begins ({date_from})",
                           message_zh=f"结束日期 {date_to} 早于开始日期 {date_from}")
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise InvalidInput("a report covers at most three years", message_zh="报表期间最长三年")
