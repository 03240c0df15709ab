"""What the accountant's screen decides (issue 16), without Qt: periods, which reports a person sees,
file names and the folder a save dialog opens in, the figures a chart draws, the 回款 amount.

The screen (ui/accountant.py) only draws what this module says and runs the service calls off the
GUI thread. Periods are whole local days: a week runs Monday to Sunday, a month from its 1st to
its last day, and a custom period needs its end on or after its start.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from pos.domain.errors import InvalidInput, InvalidMoney
from pos.domain.money import Fen, parse_yuan
from pos.domain.permissions import Action, can_approve
from pos.domain.table_report import TableReport, money_text
from pos.domain.users import Role

PeriodKind = Literal["day", "week", "month", "custom"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("day", "week", "month", "custom")
EXPORT_FORMATS: tuple[str, ...] = ("xlsx", "csv", "pdf")
NUMERIC_KINDS = frozenset({"money", "int", "qty", "percent"})


# -- periods ------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: ``kind`` and the first and last day (both included)."""

    kind: PeriodKind
    date_from: date
    date_to: date

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise InvalidInput("the period ends before it begins: pick an end date on or after the start",
                               message_zh="结束日期早于开始日期：请选择不早于开始日期的结束日期")

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def text(self, lang: str = "zh") -> str:
        """2026-11-01 至 2026-11-30 (one day: just the day); a month reads 2026年11月 / November 2026."""
        if self.kind == "month":
            if lang.startswith("en"):
                return f"{calendar.month_name[self.date_from.month]} {self.date_from.year}"
            return f"{self.date_from.year}年{self.date_from.month}月"
        a, b = self.date_from.isoformat(), self.date_to.isoformat()
        if a == b:
            return a
        return f"{a} – {b}" if lang.startswith("en") else f"{a} 至 {b}"


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_of(kind: PeriodKind, anchor: date) -> Period:
    """The day, week (Monday–Sunday) or month holding ``anchor``; a custom period starts as that day."""
    if kind == "day" or kind == "custom":
        return Period(kind, anchor, anchor)
    if kind == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return Period("week", monday, monday + timedelta(days=6))
    if kind == "month":
        first = anchor.replace(day=1)
        return Period("month", first, month_end(first))
    raise InvalidInput(f"unknown period kind {kind!r}", message_zh=f"未知的期间类型：{kind}")


def default_period(today: date) -> Period:
    """What the screen opens on: this month."""
    return period_of("month", today)


def custom_period(date_from: date, date_to: date) -> Period:
    """A custom period; an end before the start is refused in plain words."""
    return Period("custom", date_from, date_to)


def step_period(period: Period, step: int) -> Period:
    """The previous (``step=-1``) or next (``+1``) period of the same kind. A custom period moves by
    its own length, so 10 days are followed by the next 10 days."""
    if period.kind == "day":
        return period_of("day", period.date_from + timedelta(days=step))
    if period.kind == "week":
        return period_of("week", period.date_from + timedelta(days=7 * step))
    if period.kind == "month":
        months = period.date_from.year * 12 + period.date_from.month - 1 + step
        return period_of("month", date(months // 12, months % 12 + 1, 1))
    shift = timedelta(days=period.days * step)
    return Period("custom", period.date_from + shift, period.date_to + shift)


def change_kind(period: Period, kind: PeriodKind) -> Period:
    """Switching 日/周/月 keeps the period's first day as the anchor; 自定义 keeps the days as they are."""
    if kind == "custom":
        return Period("custom", period.date_from, period.date_to)
    return period_of(kind, period.date_from)


def pick_on_calendar(period: Period, day: date, *, picking_end: bool = False) -> tuple[Period, bool]:
    """A day clicked on the calendar: for 日/周/月 the period holding it; for 自定义 the first click
    sets the start (a one-day period) and the next the end — a day before the start starts again.
    Returns the period and whether the next click picks the end."""
    if period.kind != "custom":
        return period_of(period.kind, day), False
    if picking_end and day >= period.date_from:
        return Period("custom", period.date_from, day), False
    return Period("custom", day, day), True


# -- reports ------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReportEntry:
    name: str  # the service's and the CLI's name
    title_zh: str
    title_en: str

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang.startswith("en") else self.title_zh


# In the order an accountant works through a month: sales, goods, money, tax, then the details.
REPORTS: tuple[ReportEntry, ...] = (
    ReportEntry("daily", "销售日报", "Daily sales"),
    ReportEntry("products", "商品销售汇总", "Sales by product"),
    ReportEntry("categories", "分类汇总", "Sales by category"),
    ReportEntry("origins", "产地汇总", "Sales by origin"),
    ReportEntry("tenders", "收款方式汇总", "Takings by tender"),
    ReportEntry("tax", "税额汇总", "Tax by rate"),
    ReportEntry("margin", "毛利分析", "Gross margin"),
    ReportEntry("hours", "时段销售", "Sales by hour"),
    ReportEntry("transactions", "销售流水", "Transactions"),
    ReportEntry("returns", "退货明细", "Returns"),
    ReportEntry("reductions", "优惠/改价/抹零明细", "Discounts, overrides, rounding"),
    ReportEntry("promotions", "促销成本", "Promotion cost"),
    ReportEntry("members", "会员销售与积分", "Member sales and points"),
    ReportEntry("vouchers-used", "消费券核销明细", "Vouchers redeemed"),
    ReportEntry("accounts", "挂账对账单", "Institution accounts"),
    ReportEntry("zs", "Z 报表列表", "Z closures"),
)
REPORT_BY_NAME = {r.name: r for r in REPORTS}

# The charts and the reports they are drawn from: (chart, report name).
CHARTS: tuple[tuple[str, str], ...] = (("by_day", "daily"), ("by_category", "categories"), ("by_hour", "hours"))


def may_open_accounts_desk(role: Role) -> bool:
    """An accountant works here; a manager may open it too (both approve the day's figures)."""
    return role in (Role.ACCOUNTANT, Role.MANAGER)


def session_screen(role: Role) -> Literal["checkout", "accountant", "manager"]:
    """The first screen after login: the checkout for who sells, this desk for an accountant, the
    manager screen for the rest (an administrator's 人员)."""
    if can_approve(role, Action.SELL):
        return "checkout"
    if role == Role.ACCOUNTANT:
        return "accountant"
    return "manager"


def reports_for(role: Role, available: Iterable[str] | None = None) -> list[ReportEntry]:
    """The reports ``role`` sees, in the desk's order; ``available`` (the service's REPORT_NAMES)
    leaves out a report the service does not build. Anyone else sees none."""
    if not may_open_accounts_desk(role):
        return []
    names = None if available is None else set(available)
    known = [r for r in REPORTS if names is None or r.name in names]
    extra = [] if names is None else [ReportEntry(n, n, n) for n in sorted(names - set(REPORT_BY_NAME))]
    return known + extra


def may_take_payment(role: Role) -> bool:
    """回款 lowers what an institution owes: an accountant or a manager records it."""
    return may_open_accounts_desk(role)


def payment_needs_approval(role: Role) -> bool:
    """A manager records 回款 alone; an accountant with a manager's approval."""
    return role != Role.MANAGER


# -- files --------------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def export_file_name(title: str, period: Period, fmt: str) -> str:
    """商品销售汇总_2026-11-01_2026-11-30.xlsx: the report's title (characters a USB stick's FAT file
    system refuses become ``-``), the period's days and the format."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(f"unknown export format {fmt!r}: choose xlsx, csv or pdf",
                           message_zh=f"未知的导出格式“{fmt}”：请选择 xlsx、csv 或 pdf")
    stem = _UNSAFE.sub("-", title).strip("-") or "report"
    return f"{stem}_{period.date_from.isoformat()}_{period.date_to.isoformat()}.{fmt}"


def format_of_path(path: str | Path, chosen_filter: str = "") -> str:
    """The format a save dialog's answer asks for: the file's suffix, else the chosen filter's."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in EXPORT_FORMATS:
        return suffix
    for fmt in EXPORT_FORMATS:
        if f"*.{fmt}" in chosen_filter.lower():
            return fmt
    return "xlsx"


def with_format(path: str | Path, fmt: str) -> Path:
    """``path`` ending in ``.fmt`` (a name typed without a suffix gets one)."""
    p = Path(path)
    return p if p.suffix.lower() == f".{fmt}" else p.with_name(p.name + f".{fmt}")


def removable_media(user: str | None = None, media_root: Path = Path("/media"),
                    run_media_root: Path = Path("/run/media")) -> list[Path]:
    """Mounted USB sticks: the folders under /media/$USER (and /run/media/$USER on some desktops), and
    a stick mounted straight under /media (/media/usb0) by a till without a desktop."""
    user = user or os.environ.get("USER") or os.environ.get("LOGNAME") or ""
    found: list[Path] = []
    for root in (media_root / user, run_media_root / user) if user else ():
        try:
            found.extend(sorted(p for p in root.iterdir() if p.is_dir()))
        except OSError:
            continue
    try:
        found.extend(sorted(p for p in media_root.iterdir() if p.is_dir() and os.path.ismount(p)))
    except OSError:
        pass
    return found


def documents_folder(home: Path) -> Path:
    """The desktop's documents folder (XDG_DOCUMENTS_DIR: 文档 on a Chinese desktop, else Documents),
    or the home folder when there is none."""
    try:
        for line in (home / ".config" / "user-dirs.dirs").read_text(encoding="utf-8").splitlines():
            if line.startswith("XDG_DOCUMENTS_DIR="):
                p = Path(line.split("=", 1)[1].strip().strip('"').replace("$HOME", str(home)))
                if p.is_dir():
                    return p
    except OSError:
        pass
    for name in ("Documents", "文档"):
        if (home / name).is_dir():
            return home / name
    return home


def default_export_folder(home: Path | None = None, *, user: str | None = None,
                          media_root: Path = Path("/media"), run_media_root: Path = Path("/run/media")) -> Path:
    """Where the save dialog starts: a mounted USB stick if there is one, else the documents folder."""
    sticks = removable_media(user, media_root, run_media_root)
    if sticks:
        return sticks[0]
    return documents_folder(home if home is not None else Path.home())


# -- what the table and the charts show ----------------------------------------------------------------

MAX_RECEIPT_ROWS = 60  # a longer report on a paper roll is metres of paper: it goes to A4


def fits_receipt(report: TableReport) -> bool:
    """Whether the receipt printer is offered for ``report`` (a short summary), or only A4."""
    return len(report.rows) <= MAX_RECEIPT_ROWS


def is_numeric(kind: str) -> bool:
    """Money, counts, quantities and percentages are right-aligned, so their digits line up."""
    return kind in NUMERIC_KINDS


@dataclass(frozen=True, slots=True)
class ChartPoint:
    label: str
    fen: Fen


def _value_column(report: TableReport, preferred: Sequence[str]) -> int | None:
    keys = [c.key for c in report.columns]
    for key in preferred:
        if key in keys and report.columns[keys.index(key)].kind == "money":
            return keys.index(key)
    money = [i for i, c in enumerate(report.columns) if c.kind == "money"]
    totalled = [i for i in money if report.columns[i].total]
    return (totalled or money or [None])[0]


def _label_column(report: TableReport, preferred: Sequence[str]) -> int:
    keys = [c.key for c in report.columns]
    for key in preferred:
        if key in keys:
            return keys.index(key)
    for i, c in enumerate(report.columns):
        if c.kind in ("date", "text", "int"):
            return i
    return 0


NET_KEYS = ("net", "net_sales", "sales", "amount", "gross")
LABEL_KEYS = {"daily": ("day", "date", "business_day"), "categories": ("category", "name"),
              "hours": ("hour", "hour_text", "slot")}


def chart_points(report: TableReport) -> list[ChartPoint]:
    """The (label, fen) pairs a chart draws from ``report``: its label column (day, category, hour)
    against its net sales column, totals row left out. A report with no money column draws nothing.

    Days and hours are a time axis, so a day or an hour with no sales is drawn as nothing rather
    than left out (up to two months of days); a day is labelled by its day of the month when the
    period lies in one month (1 … 30), else as 11-30; an hour ``09:00–10:00`` as ``09``."""
    value = _value_column(report, NET_KEYS)
    if value is None:
        return []
    label = _label_column(report, LABEL_KEYS.get(report.name, ()))
    kind = report.columns[label].kind
    pairs: list[tuple[object, Fen]] = [(row[label], int(row[value])) for row in report.rows if row[value] is not None]
    if kind == "date" and pairs and all(isinstance(d, date) for d, _f in pairs):
        return _day_points(report, pairs)
    if report.name == "hours":
        return _hour_points(pairs)
    return [ChartPoint("" if raw is None else str(raw), fen) for raw, fen in pairs]


def _day_points(report: TableReport, pairs: list[tuple[object, Fen]]) -> list[ChartPoint]:
    a, b = report.period_from, report.period_to
    one_month = (a.year, a.month) == (b.year, b.month)
    by_day: dict[object, Fen] = {}
    for d, fen in pairs:
        by_day[d] = by_day.get(d, 0) + fen
    days = days_in(Period("custom", a, b)) if (b - a).days < 62 else sorted(by_day)  # type: ignore[arg-type]
    return [ChartPoint(str(d.day) if one_month else d.strftime("%m-%d"), by_day.get(d, 0)) for d in days]


def _hour_of(raw: object) -> int | None:
    if isinstance(raw, int):
        return raw
    head = str(raw).split(":", 1)[0].strip()
    return int(head) if head.isdigit() else None


def _hour_points(pairs: list[tuple[object, Fen]]) -> list[ChartPoint]:
    by_hour: dict[int, Fen] = {}
    for raw, fen in pairs:
        h = _hour_of(raw)
        if h is None:
            return [ChartPoint(str(r), f) for r, f in pairs]
        by_hour[h] = by_hour.get(h, 0) + fen
    if not by_hour:
        return []
    return [ChartPoint(f"{h:02d}", by_hour.get(h, 0)) for h in range(min(by_hour), max(by_hour) + 1)]


def days_in(period: Period) -> list[date]:
    return [period.date_from + timedelta(days=i) for i in range(period.days)]


# -- 回款 ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AccountPayment:
    """A payment received for an institution account, as typed: what 回款 records once approved."""

    code: str
    amount_fen: Fen
    note: str


def account_payment(code: str, amount_text: str, note: str = "", owed: Fen | None = None) -> AccountPayment:
    """Check what was typed for 回款: an account chosen, an amount above ¥0.00 (two decimals at most)
    and, when the statement says what the institution owes (``owed``), not more than that — said
    before a manager is called over to approve it, not after."""
    code = code.strip()
    if not code:
        raise InvalidInput("choose the institution account the payment is for", message_zh="请选择回款的挂账单位")
    if not amount_text.strip():
        raise InvalidMoney("type the amount received", message_zh="请输入回款金额")
    fen = parse_yuan(amount_text)
    if fen <= 0:
        raise InvalidMoney("a payment received must be more than ¥0.00", message_zh="回款金额必须大于 0.00 元")
    if owed is not None and fen > owed:
        raise InvalidMoney(f"{code} owes ¥{money_text(max(owed, 0))}: ¥{money_text(fen)} is more than that",
                           message_zh=f"{code} 欠款 ¥{money_text(max(owed, 0))}，回款 ¥{money_text(fen)} 超过欠款")
    return AccountPayment(code, fen, note.strip())


def balances_of(report: TableReport | None) -> dict[str, Fen]:
    """What each institution of the 挂账 statement owes at the end of the period (its 期末欠款)."""
    if report is None or report.name != "accounts":
        return {}
    keys = [c.key for c in report.columns]
    if "code" not in keys or "balance" not in keys:
        return {}
    code, balance = keys.index("code"), keys.index("balance")
    return {str(r[code]): int(r[balance]) for r in report.rows if r[code] and isinstance(r[balance], int)}


def accounts_of(report: TableReport | None) -> list[tuple[str, str]]:
    """(code, name) of each institution in the 挂账 report, for the 回款 dialog's list."""
    if report is None:
        return []
    keys = [c.key for c in report.columns]
    code = next((keys.index(k) for k in ("code", "account", "account_code") if k in keys), None)
    name = next((keys.index(k) for k in ("name", "account_name", "institution") if k in keys), None)
    if code is None:
        return []
    out: list[tuple[str, str]] = []
    for row in report.rows:
        c = row[code]
        if c is None or c == "" or any(c == seen for seen, _n in out):
            continue
        out.append((str(c), str(row[name]) if name is not None and row[name] is not None else str(c)))
    return out
