"""The accountant's period reports (issue 16): one :class:`TableReport` per report over business days.

``PeriodReportService.build(name, date_from, date_to)`` answers every report the accountant's screen,
the CLI (``report NAME``) and the exports (XLSX, CSV, PDF, vouchers) show. The figures are computed
here, once, by SQL aggregates over the read models (:mod:`pos.store.period_queries`): the report facts
(``fact_figures``, ``fact_totals``: what the Zs say), the documents (``sales``, ``sale_lines``,
``payments``, ``returns``, ``return_lines``, ``refunds``), the Zs (``closures``) and the stock moves
(cost). Payloads are read only for the few rows that need them (who approved a reduction). Practice
(training) sales never count; the period is business days, both ends included.

Columns of each report (the keys are stable: the screen, the exports and the vouchers use them):

====================  =========================================================================================
daily 销售日报         day, receipts, list_value, discount, override, gift, rounding, sales, returns_count,
                      refunds, net, avg_ticket
products 商品销售汇总   sku, name, variant, category, qty, sales, refunds, net, tax, cost, margin, margin_pct
categories 分类汇总     category, qty_units, sales, refunds, net, tax, cost, margin, margin_pct, share
origins 产地汇总        origin, region, net, share   (sections 消费帮扶 / 本地商品, each ending in a 小计 row;
                      no totals row: partner-region and local goods are never one mixed total)
tenders 收款方式汇总    tender, tender_code, taken, refunded, net, z_net   (totals row: 营业实收)
tax 税额汇总           rate, gross, net, tax
transactions 销售流水   at, doc_no, kind, cashier, amount, cash, wechat, alipay, unionpay, voucher, account,
                      change, references
returns 退货明细        at, return_no, receipt_no, cashier, sku, name, qty, refund, tax, refunded_to
reductions 优惠明细     at, receipt_no, cashier, line, kind, amount, approved_by
vouchers-used 消费券核销 at, receipt_no, voucher_no, amount, cashier
accounts 挂账对账单     code, name, credit_limit, opening, sales, returns, payments, balance
margin 毛利             dimension, key, name, net, cost, margin, margin_pct, unknown_lines
                      (sections 按商品 / 按分类 / 按批次 / 按日期; totals row over the products)
hours 时段销售          hour, receipts, sales, refunds, net, avg_ticket
zs Z 报表列表           day, closed_at, closed_by, receipts, sales, refunds, net, grand_total, seq
====================  =========================================================================================

Money is integer fen, quantities :class:`Qty` (grams for weighed goods), margins :class:`Ratio`.
A cost that is not known (goods not followed in stock, sold past zero with no cost) is an empty
cell and its margin too — never a 100 % margin.

回款 (:meth:`PeriodReportService.record_account_payment`): a payment received from an institution
(挂账单位) is journaled as an ``account_payment`` entry with the manager's approval; the account's
balance (``DocumentRepo.account_balance``) subtracts it, so the sale's credit check sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pos.domain.errors import InvalidInput
from pos.domain.money import Fen
from pos.domain.permissions import Approval
from pos.domain.table_report import Column, TableReport, summed_totals
from pos.domain.users import User

from .context import TillIdentity
from .ports import Clock
from .uow import UnitOfWorkFactory

REPORT_NAMES = ("daily", "products", "categories", "origins", "tenders", "tax", "transactions", "returns",
                "reductions", "vouchers-used", "accounts", "margin", "hours", "zs")

# Journal entry kind of a payment received on an institution account (回款). Payload:
# {"code": "MXGXS", "name": "茂县…", "amount": 120000, "by": "manager1", "approver": "manager1",
#  "approval": {…} | null, "note": "", "store": "…", "balance_before": …, "balance_after": …}
ACCOUNT_PAYMENT = "account_payment"

# 消费帮扶 counties (partner regions); a store may set its own list in meta (comma or 、 separated).
K_PARTNER_REGIONS = "report_partner_regions"
DEFAULT_PARTNER_REGIONS: tuple[str, ...] = ("茂县", "松阳", "青田", "九寨沟")

MAX_PERIOD_DAYS = 366 * 3

TITLES: dict[str, tuple[str, str]] = {
    "daily": ("销售日报", "Daily sales"),
    "products": ("商品销售汇总", "Sales by product"),
    "categories": ("分类汇总", "Sales by category"),
    "origins": ("产地汇总", "Sales by origin"),
    "tenders": ("收款方式汇总", "Takings by tender"),
    "tax": ("税额汇总", "Tax by rate"),
    "transactions": ("销售流水", "Transactions"),
    "returns": ("退货明细", "Returns"),
    "reductions": ("优惠/改价/抹零明细", "Discounts, price overrides and rounding"),
    "vouchers-used": ("消费券核销明细", "Vouchers redeemed"),
    "accounts": ("挂账对账单", "Institution accounts"),
    "margin": ("毛利分析", "Gross margin"),
    "hours": ("时段销售", "Sales by hour"),
    "zs": ("Z 报表列表", "Z closures"),
}


def _c(key: str, zh: str, en: str, kind: str = "text", total: bool = False) -> Column:
    return Column(key, zh, en, kind, total)  # type: ignore[arg-type]


def _money(key: str, zh: str, en: str, total: bool = True) -> Column:
    return _c(key, zh, en, "money", total)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "daily": (
        _c("day", "营业日", "Business day", "date"), _c("receipts", "笔数", "Receipts", "int", True),
        _money("list_value", "原价合计", "At list price"), _money("discount", "折扣", "Discounts"),
        _money("override", "改价", "Price overrides"), _money("gift", "赠送", "Gifts"),
        _money("rounding", "抹零", "Rounding"), _money("sales", "销售额", "Sales"),
        _c("returns_count", "退货笔数", "Returns", "int", True), _money("refunds", "退货金额", "Refunds"),
        _money("net", "净销售额", "Net sales"), _money("avg_ticket", "客单价", "Average ticket", total=False),
    ),
    "products": (
        _c("sku", "商品编码", "SKU"), _c("name", "商品名称", "Product"), _c("variant", "规格", "Variant"),
        _c("category", "类别", "Category"), _c("qty", "数量", "Quantity", "qty", True),
        _money("sales", "销售额", "Sales"), _money("refunds", "退货额", "Refunds"), _money("net", "净销售额", "Net sales"),
        _money("tax", "税额", "Tax"), _money("cost", "成本", "Cost"), _money("margin", "毛利", "Margin"),
        _c("margin_pct", "毛利率", "Margin %", "percent"),
    ),
    "categories": (
        _c("category", "类别", "Category"), _c("lines", "行数", "Lines", "int", True),
        _money("sales", "销售额", "Sales"), _money("refunds", "退货额", "Refunds"), _money("net", "净销售额", "Net sales"),
        _money("tax", "税额", "Tax"), _money("cost", "成本", "Cost"), _money("margin", "毛利", "Margin"),
        _c("margin_pct", "毛利率", "Margin %", "percent"), _c("share", "占比", "Share", "percent"),
    ),
    "origins": (
        _c("origin", "产地", "Origin"), _c("region", "类型", "Kind"), _money("net", "净销售额", "Net sales", total=False),
        _c("share", "组内占比", "Share of group", "percent"),
    ),
    "tenders": (
        _c("tender", "收款方式", "Tender"), _c("tender_code", "代码", "Code"), _money("taken", "收款", "Taken"),
        _money("refunded", "退款", "Refunded"), _money("net", "实收", "Net"), _money("z_net", "Z 报表", "Per the Zs"),
    ),
    "tax": (
        _c("rate", "税率", "Rate"), _money("gross", "含税销售额", "Sales incl. tax"),
        _money("net", "不含税金额", "Net of tax"), _money("tax", "税额", "Tax"),
    ),
    "transactions": (
        _c("at", "时间", "Time", "datetime"), _c("doc_no", "单号", "Receipt"), _c("kind", "类型", "Kind"),
        _c("cashier", "收银员", "Cashier"), _money("amount", "金额", "Amount"), _money("cash", "现金", "Cash"),
        _money("wechat", "微信支付", "WeChat Pay"), _money("alipay", "支付宝", "Alipay"),
        _money("unionpay", "银联卡", "UnionPay"), _money("voucher", "消费券", "Voucher"),
        _money("account", "单位挂账", "Account"), _money("change", "找零", "Change"),
        _c("references", "支付参考号", "References"),
    ),
    "returns": (
        _c("at", "时间", "Time", "datetime"), _c("return_no", "退货单号", "Return"), _c("receipt_no", "原小票", "Receipt"),
        _c("cashier", "收银员", "Cashier"), _c("sku", "商品编码", "SKU"), _c("name", "商品名称", "Product"),
        _c("qty", "数量", "Quantity", "qty", True), _money("refund", "退款", "Refund"), _money("tax", "税额", "Tax"),
        _c("refunded_to", "退款方式", "Refunded to"),
    ),
    "reductions": (
        _c("at", "时间", "Time", "datetime"), _c("receipt_no", "小票号", "Receipt"), _c("cashier", "收银员", "Cashier"),
        _c("line", "商品", "Item"), _c("kind", "类型", "Kind"), _money("amount", "金额", "Amount"),
        _c("approved_by", "授权人", "Approved by"),
    ),
    "vouchers-used": (
        _c("at", "时间", "Time", "datetime"), _c("receipt_no", "小票号", "Receipt"), _c("voucher_no", "券号", "Voucher no."),
        _money("amount", "金额", "Amount"), _c("cashier", "收银员", "Cashier"),
    ),
    "accounts": (
        _c("code", "单位编码", "Code"), _c("name", "单位名称", "Institution"),
        _money("credit_limit", "信用额度", "Credit limit", total=False), _money("opening", "期初欠款", "Opening balance"),
        _money("sales", "本期挂账", "Charged"), _money("returns", "本期退货", "Returned"),
        _money("payments", "本期回款", "Payments received"), _money("balance", "期末欠款", "Closing balance"),
    ),
    "margin": (
        _c("dimension", "维度", "By"), _c("key", "项目", "Item"), _c("name", "名称", "Name"),
        _money("net", "净销售额", "Net sales"), _money("cost", "成本", "Cost"), _money("margin", "毛利", "Margin"),
        _c("margin_pct", "毛利率", "Margin %", "percent"), _c("unknown_lines", "成本未知行", "Lines of unknown cost", "int", True),
    ),
    "hours": (
        _c("hour", "时段", "Hour"), _c("receipts", "笔数", "Receipts", "int", True), _money("sales", "销售额", "Sales"),
        _money("refunds", "退货额", "Refunds"), _money("net", "净销售额", "Net sales"),
        _money("avg_ticket", "客单价", "Average ticket", total=False),
    ),
    "zs": (
        _c("day", "营业日", "Business day", "date"), _c("closed_at", "日结时间", "Closed at", "datetime"),
        _c("closed_by", "日结人", "Closed by"), _c("receipts", "笔数", "Receipts", "int", True),
        _money("sales", "销售额", "Sales"), _money("refunds", "退货额", "Refunds"), _money("net", "净销售额", "Net sales"),
        _money("grand_total", "累计总额", "Grand total", total=False), _c("seq", "流水号", "Journal no.", "int"),
    ),
}

SIGNED = frozenset({"daily", "tenders", "tax", "accounts", "zs"})  # reports printed with signature lines
SIGNATURES = ("制表 Prepared by：", "审核 Checked by：", "店长 Manager：")


class UnknownReport(InvalidInput):
    code = "unknown_report"

    def __init__(self, name: str) -> None:
        names = ", ".join(REPORT_NAMES)
        super().__init__(f"unknown report '{name}' (use one of: {names})", message_zh=f"没有名为“{name}”的报表（可选：{names}）")


class UnknownAccount(InvalidInput):
    code = "unknown_account"


@dataclass(frozen=True, slots=True)
class AccountPayment:
    """A payment received on an institution account (回款), as journaled."""

    code: str
    name: str
    amount_fen: Fen
    by: str
    approver: str
    note: str
    seq: int
    at: str  # UTC, as journaled
    balance_before_fen: Fen
    balance_after_fen: Fen


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
    if date_to < date_from:
        raise InvalidInput(f"the period ends ({date_to}) before it begins ({date_from})",
                           message_zh=f"结束日期 {date_to} 早于开始日期 {date_from}")
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise InvalidInput("a report covers at most three years", message_zh="报表期间最长三年")


class PeriodReportService:
    """Builds the period reports of one till and records payments received on institution accounts."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, till: TillIdentity, *, reader: Any = None) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._till = till
        self._reader = None
        if reader is not None:
            from .lookup import SqliteReader

            self._reader = SqliteReader.for_engine(reader)

    # -- the API ----------------------------------------------------------------------------------
    def build(self, name: str, date_from: date, date_to: date, *, store: str | None = None) -> TableReport:
        """Report ``name`` (one of :data:`REPORT_NAMES`) over business days ``date_from`` … ``date_to``."""
        if name not in REPORT_NAMES:
            raise UnknownReport(name)
        check_period(date_from, date_to)
        self._check_store(store)
        builder: Callable[[str, str], tuple[list[tuple[Any, ...]], dict[str, Any]]] = getattr(
            self, "_" + name.replace("-", "_"))
        rows, extra = builder(date_from.isoformat(), date_to.isoformat())
        columns = COLUMNS[name]
        totals = extra.pop("totals", "sum")
        if totals == "sum":
            totals = summed_totals(columns, rows)
        zh, en = TITLES[name]
        return TableReport(
            name=name, title_zh=zh, title_en=en, period_from=date_from, period_to=date_to, columns=columns,
            rows=tuple(rows), store=self._store_text(), totals=totals, notes=tuple(extra.get("notes", ())),
            signatures=SIGNATURES if name in SIGNED else (), generated_at=self._till.local(self._clock.now()),
            sections=tuple(extra.get("sections", ())))

    def partner_regions(self) -> tuple[str, ...]:
        """The 消费帮扶 counties (store setting ``report_partner_regions`` in meta; default 茂县 松阳 青田 九寨沟)."""
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (K_PARTNER_REGIONS,))
        if rows and rows[0][0].strip():
            parts = rows[0][0].replace("、", ",").replace("，", ",").split(",")
            found = tuple(p.strip() for p in parts if p.strip())
            if found:
                return found
        return DEFAULT_PARTNER_REGIONS

    def account_balance(self, code: str) -> Fen:
        with self._uow() as uow:
            return uow.documents.account_balance(code)

    def record_account_payment(self, code: str, amount_fen: Fen, by: User, approval: Approval | None,
                               note: str = "") -> AccountPayment:
        """回款: ``amount_fen`` received from institution ``code``, journaled with the manager's approval.

        A manager records it alone; an accountant needs a manager's approval (an :class:`Approval`
        given by a manager); nobody else may. The balance comes down by the amount at once.
        """
        raise NotImplementedError


    # -- the reports (filled in next) --------------------------------------------------------------
    def _daily(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _products(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _categories(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _origins(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _tenders(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _tax(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _transactions(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _returns(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _reductions(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _vouchers_used(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _accounts(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _margin(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _hours(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    def _zs(self, a: str, b: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        return [], {}

    # -- helpers ---------------------------------------------------------------------------------
    def _check_store(self, store: str | None) -> None:
        if store is None or not store.strip() or store.strip().upper() == self._till.store_code.upper():
            return
        raise InvalidInput(f"this till keeps the sales of store {self._till.store_code} only, not {store}",
                           message_zh=f"本机只保存门店 {self._till.store_code} 的销售，没有门店 {store} 的数据")

    def _store_text(self) -> str:
        t = self._till
        return f"{t.store_name} {t.counter_name}".strip()

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._reader is not None:
            import sqlite3

            try:
                return self._reader.connection().execute(sql, tuple(args)).fetchall()
            except sqlite3.Error as exc:
                raise self._reader.plain(exc) from exc
        with self._uow() as uow:
            return uow.raw.execute(sql, tuple(args)).fetchall()
