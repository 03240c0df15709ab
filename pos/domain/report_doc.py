"""A printable report (X, Z, shift close, reconciliation) as plain data: titles, labelled rows.

The same document is laid out for the receipt printer (printers/report_layout.py) and as a PDF
(pos/reports/pdf.py), so the two always say the same thing.

Reports are written in Chinese; :data:`REPORT_EN` gives each wording's English as data, and
:func:`say` picks one by the report's language (``"zh"`` or ``"en"``). Names of goods, stores
and people stay as they are in either language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .money import Fen

LANGUAGES = ("zh", "en")


@dataclass(frozen=True, slots=True)
class ReportRow:
    label: str
    value: str
    highlight: bool = False  # a variance, shown bold / red


@dataclass(frozen=True, slots=True)
class ReportSection:
    heading: str
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True, slots=True)
class ReportDoc:
    title: str
    header: tuple[str, ...]  # store, counter, terminal, day, who, when
    sections: tuple[ReportSection, ...]
    footer: tuple[str, ...] = field(default=())
    name: str = "report"  # file name stem, e.g. Z-MX01-2026-11-22
    lang: str = "zh"
    # How to write the same report in another language (set by the builders in pos/reports), so a
    # screen can show a document in its own language whoever built it.
    remake: Callable[[str], ReportDoc] | None = field(default=None, compare=False, repr=False)

    def in_language(self, lang: str | None) -> ReportDoc:
        """This report in ``lang`` (``zh``/``zh_CN``/``en``…); itself when it is already, or cannot be."""
        want = report_language(lang)
        if want == self.lang or self.remake is None:
            return self
        return self.remake(want)


def report_language(lang: str | None) -> str:
    """``en``, ``en_US`` -> ``en``; anything else (``zh``, ``zh_CN``, None) -> ``zh``."""
    return "en" if lang and lang.replace("-", "_").lower().startswith("en") else "zh"


# Each Chinese wording of the reports (a str.format template where it has {fields}) -> its English.
REPORT_EN: dict[str, str] = {
    # titles, headers, footers
    "X 报表（班中）": "X report (shift so far)",
    "交班报表": "Shift handover",
    "Z 报表（日结）": "Z report (day close)",
    "对账单": "Reconciliation",
    "收银机 {terminal}": "Till {terminal}",
    "班次 {shift}  {opened}": "Shift {shift}  {opened}",
    "开班 {who}": "opened by {who}",
    "打印时间 {at}": "Printed {at}",
    "班次 {shift}  交班 {who}": "Shift {shift}  handed over by {who}",
    "时间 {at}": "Time {at}",
    "营业日 {day}": "Business day {day}",
    "日结 {who}  {at}": "Day closed by {who}  {at}",
    "录入 {who}": "Figures entered by {who}",
    "X 报表不结账": "An X report closes nothing",
    "盲点：先点钞，后显示应有金额": "Blind count: cash counted before the expected amount was shown",
    "日结后的交易计入下一营业日": "Later sales count towards the next business day",
    "备注：{notes}": "Notes: {notes}",
    "未申报：{tenders}": "Not declared: {tenders}",
    "状态：{status}": "Status: {status}",
    "已审核（{who}）": "approved ({who})",
    "未审核": "not approved yet",
    "、": ", ",
    "（无）": "(none)",
    # the period's figures
    "营业概况": "Summary",
    "销售笔数": "Sales",
    "原价合计": "Total at list prices",
    "折扣": "Discounts",
    "改价": "Price changes",
    "赠送": "Gifts",
    "促销": "Promotions",
    "积分抵扣": "Paid with points",
    "按促销": "By promotion",
    "会员": "Members",
    "会员销售笔数": "Sales to members",
    "发放积分": "Points earned",
    "使用积分": "Points used",
    "退货扣回积分": "Points taken back by returns",
    "抹零": "Rounding",
    "销售额（应收）": "Sales (amount due)",
    "退货笔数": "Returns",
    "退款": "Refunds",
    "净销售额": "Net sales",
    "删除商品行": "Removed lines",
    "{count} 笔 {amount}": "{count} ({amount})",
    "备用金存入": "Cash put in",
    "现金取出": "Cash taken out",
    "练习交易（不计入）": "Training sales (not counted)",
    "按付款方式": "By payment method",
    "按税率（价税分离）": "By tax rate (tax shown apart)",
    "按类别": "By category",
    "按产地（消费帮扶）": "By origin (rural support)",
    "{rate} 含税金额": "{rate} incl. tax",
    "{rate} 不含税金额": "{rate} excl. tax",
    "{rate} 税额": "{rate} tax",
    "合计": "Total",
    "未设": "No rate set",
    "税额": "Tax",
    "未计算（本报表早于价税分离）": "not worked out (this report is older than tax per rate)",
    "未分类": "Uncategorised",
    "未知": "Unknown",
    # the drawer, the handover, the Z
    "钱箱": "Cash drawer",
    "备用金": "Float",
    "应有现金": "Cash expected",
    "实点现金": "Cash counted",
    "对账": "Count and declarations",
    "现金差额": "Cash difference",
    "（长款）": " (over)",
    "（短款）": " (short)",
    "{tender} 应收": "{tender} expected",
    "{tender} 申报差额": "{tender} declared difference",
    "累计": "Grand total",
    "上次累计总额": "Grand total before",
    "本日净销售额": "Net sales of the day",
    "累计总额": "Grand total now",
    "流水号范围": "Journal entries",
    # reconciliation
    "应收与申报": "Expected / declared / difference",
    "应 {expected} 报 {declared} 差 {variance}": "{expected} / {declared} / {variance}",
    "无对账单": "no statement",
    "{tender} 无对账单原因": "{tender}: why no statement",
}


def say(lang: str, zh: str, **fields: object) -> str:
    """The report wording ``zh`` in ``lang``, with ``fields`` filled in (KeyError: no English yet)."""
    template = REPORT_EN[zh] if lang == "en" else zh
    return template.format(**fields) if fields else template


def name_or_word(lang: str, text: str) -> str:
    """A name taken from the data (a category, a county, a tax rate): the few that are the
    reports' own words (未分类, 未知, 未设) are said in ``lang``, real names stay as written."""
    return say(lang, text) if lang == "en" and text in ("未分类", "未知", "未设") else text


def money(fen: Fen) -> str:
    """``123456 -> '￥1,234.56'``: the full-width yuan sign and thousands separators, in every language."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"money must be int fen, got {type(fen).__name__}")
    a = abs(fen)
    return f"{'-' if fen < 0 else ''}￥{a // 100:,}.{a % 100:02d}"


def signed(fen: Fen) -> str:
    return ("+" if fen > 0 else "") + money(fen)
