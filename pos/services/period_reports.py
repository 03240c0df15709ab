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
categories 分类汇总     category, lines, sales, refunds, net, tax, cost, margin, margin_pct, share
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
Cost and margin are over the goods whose cost is known (each draw from a lot carries its cost and its
share of the line's revenue); goods with no known cost (not followed in stock, sold past zero with no
cost) are left out of both and named in the notes, and an item with no known cost at all has empty
cost and margin cells — never a 100 % margin. The first cell of a totals row is its label (合计,
营业实收), whatever the column's kind.

回款 (:meth:`PeriodReportService.record_account_payment`): a payment received from an institution
(挂账单位) is journaled as an ``account_payment`` entry with the manager's approval; the account's
balance (``DocumentRepo.account_balance``) subtracts it, so the sale's credit check sees it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pos.domain.errors import InvalidInput, PosError
from pos.domain.ledger import EntryKind
from pos.domain.money import MAX_AMOUNT_FEN, Fen, div_round_half_up, format_yuan
from pos.domain.permissions import Action, Approval, ApprovalRequired, Role, check
from pos.domain.references import normalise_account_code
from pos.domain.table_report import (
    REPORT_NAMES,
    Column,
    Qty,
    Ratio,
    TableReport,
    check_period,
    summed_totals,
)
from pos.domain.tenders import TenderKind
from pos.domain.users import User
from pos.store import period_queries as Q

from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory

# Journal entry kind of a payment received on an institution account (回款). Payload:
# {"code": "MXGXS", "name": "茂县…", "amount": 120000, "by": "manager1", "approver": "manager1",
#  "approval": {…} | null, "note": "", "store": "…", "balance_before": …, "balance_after": …}
ACCOUNT_PAYMENT = EntryKind.ACCOUNT_PAYMENT
# The action a manager's approval of an accountant's 回款 is asked for (auth.approve(ACCOUNT_PAYMENT_ACTION, …)):
# a manager records one alone, an accountant with a manager's approval.
ACCOUNT_PAYMENT_ACTION = Action.ACCOUNT_PAYMENT

# 消费帮扶 counties (partner regions); a store may set its own list in meta (comma or 、 separated).
K_PARTNER_REGIONS = "report_partner_regions"
K_POINTS_RULE = "members:points_rule"  # the store's points rule (pos.services.members)
DEFAULT_PARTNER_REGIONS: tuple[str, ...] = ("茂县", "松阳", "青田", "九寨沟")

UNCATEGORISED = "未分类"
TENDER_COLUMNS = ("cash", "wechat", "alipay", "unionpay", "voucher", "account")

_Built = tuple[list[tuple[Any, ...]], dict[str, Any]]

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
    "promotions": ("促销成本", "Promotion cost"),
    "members": ("会员销售与积分", "Member sales and points"),
}


def _c(zh: str, en: str, key: str, kind: str = "text", total: bool = False) -> Column:
    """A column: its titles (Chinese, English), its key, kind and whether the totals row sums it."""
    return Column(key, zh, en, kind, total)  # type: ignore[arg-type]


def _money(zh: str, en: str, key: str, total: bool = True) -> Column:
    return _c(zh, en, key, "money", total)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "daily": (
        _c("营业日", "Business day", "day", "date"), _c("笔数", "Receipts", "receipts", "int", True),
        _money("原价合计", "At list price", "list_value"), _money("折扣", "Discounts", "discount"),
        _money("改价", "Price overrides", "override"), _money("赠送", "Gifts", "gift"),
        _money("抹零", "Rounding", "rounding"), _money("销售额", "Sales", "sales"),
        _c("退货笔数", "Returns", "returns_count", "int", True), _money("退货金额", "Refunds", "refunds"),
        _money("净销售额", "Net sales", "net"), _money("客单价", "Average ticket", "avg_ticket", total=False),
        _money("促销", "Promotions", "promotion"), _money("积分抵扣", "Paid with points", "points"),
    ),
    "products": (
        _c("商品编码", "SKU", "sku"), _c("商品名称", "Product", "name"), _c("规格", "Variant", "variant"),
        _c("类别", "Category", "category"), _c("数量", "Quantity", "qty", "qty", True),
        _money("销售额", "Sales", "sales"), _money("退货额", "Refunds", "refunds"), _money("净销售额", "Net sales", "net"),
        _money("税额", "Tax", "tax"), _money("成本", "Cost", "cost"), _money("毛利", "Margin", "margin"),
        _c("毛利率", "Margin %", "margin_pct", "percent"),
    ),
    "categories": (
        _c("类别", "Category", "category"), _c("行数", "Lines", "lines", "int", True),
        _money("销售额", "Sales", "sales"), _money("退货额", "Refunds", "refunds"), _money("净销售额", "Net sales", "net"),
        _money("税额", "Tax", "tax"), _money("成本", "Cost", "cost"), _money("毛利", "Margin", "margin"),
        _c("毛利率", "Margin %", "margin_pct", "percent"), _c("占比", "Share", "share", "percent"),
    ),
    "origins": (
        _c("产地", "Origin", "origin"), _c("类型", "Kind", "region"), _money("净销售额", "Net sales", "net", total=False),
        _c("组内占比", "Share of group", "share", "percent"),
    ),
    "tenders": (
        _c("收款方式", "Tender", "tender"), _c("代码", "Code", "tender_code"), _money("收款", "Taken", "taken"),
        _money("退款", "Refunded", "refunded"), _money("实收", "Net", "net"), _money("Z 报表", "Per the Zs", "z_net"),
    ),
    "tax": (
        _c("税率", "Rate", "rate"), _money("含税销售额", "Sales incl. tax", "gross"),
        _money("不含税金额", "Net of tax", "net"), _money("税额", "Tax", "tax"),
    ),
    "transactions": (
        _c("时间", "Time", "at", "datetime"), _c("单号", "Receipt", "doc_no"), _c("类型", "Kind", "kind"),
        _c("收银员", "Cashier", "cashier"), _money("金额", "Amount", "amount"), _money("现金", "Cash", "cash"),
        _money("微信支付", "WeChat Pay", "wechat"), _money("支付宝", "Alipay", "alipay"),
        _money("银联卡", "UnionPay", "unionpay"), _money("消费券", "Voucher", "voucher"),
        _money("单位挂账", "Account", "account"), _money("找零", "Change", "change"),
        _c("支付参考号", "References", "references"),
    ),
    "returns": (
        _c("时间", "Time", "at", "datetime"), _c("退货单号", "Return", "return_no"), _c("原小票", "Receipt", "receipt_no"),
        _c("收银员", "Cashier", "cashier"), _c("商品编码", "SKU", "sku"), _c("商品名称", "Product", "name"),
        _c("数量", "Quantity", "qty", "qty", True), _money("退款", "Refund", "refund"), _money("税额", "Tax", "tax"),
        _c("退款方式", "Refunded to", "refunded_to"),
    ),
    "reductions": (
        _c("时间", "Time", "at", "datetime"), _c("小票号", "Receipt", "receipt_no"), _c("收银员", "Cashier", "cashier"),
        _c("商品", "Item", "line"), _c("类型", "Kind", "kind"), _money("金额", "Amount", "amount"),
        _c("授权人", "Approved by", "approved_by"),
    ),
    "vouchers-used": (
        _c("时间", "Time", "at", "datetime"), _c("小票号", "Receipt", "receipt_no"), _c("券号", "Voucher no.", "voucher_no"),
        _money("金额", "Amount", "amount"), _c("收银员", "Cashier", "cashier"),
    ),
    "accounts": (
        _c("单位编码", "Code", "code"), _c("单位名称", "Institution", "name"),
        _money("信用额度", "Credit limit", "credit_limit", total=False), _money("期初欠款", "Opening balance", "opening"),
        _money("本期挂账", "Charged", "sales"), _money("本期退货", "Returned", "returns"),
        _money("本期回款", "Payments received", "payments"), _money("期末欠款", "Closing balance", "balance"),
    ),
    "margin": (
        _c("维度", "By", "dimension"), _c("项目", "Item", "key"), _c("名称", "Name", "name"),
        _money("净销售额", "Net sales", "net"), _money("成本", "Cost", "cost"), _money("毛利", "Margin", "margin"),
        _c("毛利率", "Margin %", "margin_pct", "percent"), _c("成本未知行", "Lines of unknown cost", "unknown_lines", "int", True),
    ),
    "hours": (
        _c("时段", "Hour", "hour"), _c("笔数", "Receipts", "receipts", "int", True), _money("销售额", "Sales", "sales"),
        _money("退货额", "Refunds", "refunds"), _money("净销售额", "Net sales", "net"),
        _money("客单价", "Average ticket", "avg_ticket", total=False),
    ),
    "zs": (
        _c("营业日", "Business day", "day", "date"), _c("日结时间", "Closed at", "closed_at", "datetime"),
        _c("日结人", "Closed by", "closed_by"), _c("笔数", "Receipts", "receipts", "int", True),
        _money("销售额", "Sales", "sales"), _money("退货额", "Refunds", "refunds"), _money("净销售额", "Net sales", "net"),
        _money("累计总额", "Grand total", "grand_total", total=False), _c("流水号", "Journal no.", "seq", "int"),
    ),
    "promotions": (
        _c("促销编号", "Promotion", "id"), _c("促销名称", "Name", "name"), _c("版本", "Version", "version", "int"),
        _c("使用笔数", "Receipts", "receipts", "int", True), _money("销售让利", "Given on sales", "given"),
        _money("退货冲回", "Taken back by returns", "returned"), _money("促销成本", "Promotion cost", "cost"),
    ),
    "members": (
        _c("会员卡号", "Member card", "code"), _c("姓名", "Name", "name"), _c("等级", "Tier", "tier"),
        _c("手机尾号", "Phone (last 4)", "last4"), _c("消费笔数", "Receipts", "receipts", "int", True),
        _money("消费金额", "Spent", "spent"), _money("退货金额", "Refunded", "refunded"),
        _c("获得积分", "Points earned", "earned", "int", True), _c("使用积分", "Points used", "redeemed", "int", True),
        _money("积分抵扣", "Paid with points", "redeem_fen"), _c("冲回积分", "Points taken back", "reversed", "int", True),
        _c("期末积分", "Points at period end", "closing", "int", True),
        _money("积分负债", "Points liability", "liability"),
    )
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


class PaymentNotPermitted(PosError):
    code = "not_permitted"


class PaymentNeedsApproval(ApprovalRequired):
    """An accountant's 回款 needs a manager's approval (the UI asks for a manager's PIN and retries)."""

    def __init__(self) -> None:
        self.action = ACCOUNT_PAYMENT_ACTION
        PosError.__init__(self, "recording a payment received needs a manager's approval",
                          message_zh="登记回款需要店长授权")


def _payment_approver(by: User, approval: Approval | None) -> str:
    """Who approved a 回款: a manager alone, or an accountant with a manager's approval."""
    if by.role is Role.MANAGER:
        return approval.approver if approval is not None and approval.approver_role is Role.MANAGER else by.login
    if by.role is not Role.ACCOUNTANT:
        raise PaymentNotPermitted("only a manager or an accountant records payments received on an account",
                                  message_zh="只有店长或会计可以登记挂账回款")
    if approval is None or approval.approver_role is not Role.MANAGER or approval.approver == by.login:
        raise PaymentNeedsApproval()
    return approval.approver


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
        self._kept: tuple[tuple[str, str, int | None], dict[tuple[str, str, str], dict[str, Any]]] | None = None

    # -- the API ----------------------------------------------------------------------------------
    def build(self, name: str, date_from: date, date_to: date, *, store: str | None = None) -> TableReport:
        """Report ``name`` (one of :data:`REPORT_NAMES`) over business days ``date_from`` … ``date_to``."""
        if name not in REPORT_NAMES:
            raise UnknownReport(name)
        check_period(date_from, date_to)
        self._check_store(store)
        builder: Callable[[str, str], _Built] = getattr(
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

    def set_partner_regions(self, regions: Sequence[str], by: User) -> tuple[str, ...]:
        """Set the 消费帮扶 counties of 产地汇总 (a manager's store setting, journaled); empty: the default list."""
        check(by.role, Action.SETTINGS)
        cleaned = tuple(dict.fromkeys(r.strip() for r in regions if r and r.strip()))
        if len(cleaned) > 50 or any(len(r) > 20 or not r.isprintable() or "," in r or "、" in r for r in cleaned):
            raise InvalidInput("give up to 50 county names, each a short name of at most 20 characters",
                               message_zh="请填写不超过 50 个县名，每个为简短名称，如“茂县”")
        value = "、".join(cleaned)
        now = self._clock.now()
        with self._uow() as uow:
            uow.meta.set(K_PARTNER_REGIONS, value)
            uow.journal.append(EntryKind.SETTING, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"key": K_PARTNER_REGIONS, "value": value, "store": self._till.store_code,
                                        "by": by.login})
            uow.commit()
        return self.partner_regions()

    def account_balance(self, code: str) -> Fen:
        with self._uow() as uow:
            return uow.documents.account_balance(code)

    def record_account_payment(self, code: str, amount_fen: Fen, by: User, approval: Approval | None,
                               note: str = "") -> AccountPayment:
        """回款: ``amount_fen`` received from institution ``code``, journaled with the manager's approval.

        A manager records it alone; an accountant needs a manager's approval (an :class:`Approval`
        given by a manager); nobody else may. The balance comes down by the amount at once.
        """
        approver = _payment_approver(by, approval)
        if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or not 0 < amount_fen <= MAX_AMOUNT_FEN:
            raise InvalidInput("the amount received must be more than 0", message_zh="回款金额必须大于 0")
        note = (note or "").strip()
        if len(note) > 200 or not note.isprintable():
            raise InvalidInput("the note must be one line of at most 200 characters", message_zh="备注须为一行，最多 200 字")
        key = normalise_account_code(code)
        now = self._clock.now()
        with self._uow() as uow:
            account = uow.accounts.get(key) if key else None
            if account is None:
                raise UnknownAccount(f"there is no institution account '{code}'", message_zh=f"没有挂账单位“{code}”")
            before = uow.documents.account_balance(account.code)
            if amount_fen > before:
                raise InvalidInput(f"{account.name} owes {format_yuan(max(before, 0))} yuan; "
                                   f"{format_yuan(amount_fen)} is more than that",
                                   message_zh=f"{account.name} 欠款 {format_yuan(max(before, 0))} 元，"
                                              f"回款 {format_yuan(amount_fen)} 元超过欠款")
            payload = {"code": account.code, "name": account.name, "amount": amount_fen, "by": by.login,
                       "approver": approver, "approval": approval.to_json() if approval is not None else None,
                       "note": note, "store": self._till.store_code, "balance_before": before,
                       "balance_after": before - amount_fen}
            entry = uow.journal.append(ACCOUNT_PAYMENT, business_day=uow.business_day(now), created_at=utc_iso(now),
                                       payload=payload)
            uow.commit()
        return AccountPayment(account.code, account.name, amount_fen, by.login, approver, note, entry.seq,
                              utc_iso(now), before, before - amount_fen)


    # -- the reports ----------------------------------------------------------------------------
    def _daily(self, a: str, b: str) -> _Built:
        rows = []
        extra: dict[tuple[str, str], int] = {(day, key): int(fen or 0) for day, key, fen in self._rows(Q.DAILY_REDUCTIONS, (a, b))}
        for day, n, list_value, disc, over, gift, rounding, sales, n_ret, refunds in self._rows(Q.DAILY, (a, b)):
            if not (n or n_ret or sales or refunds):
                continue
            rows.append((date.fromisoformat(day), n, list_value, disc, over, gift, -rounding, sales, n_ret, refunds,
                         sales - refunds, _avg(sales, n), extra.get((day, "promotion"), 0), extra.get((day, "points"), 0)))
        totals = list(summed_totals(COLUMNS["daily"], rows))
        totals[11] = _avg(totals[7], totals[1])
        return rows, {"totals": tuple(totals), "notes": (
            "销售额 = 原价合计 − 折扣 − 改价 − 赠送 − 促销 − 积分抵扣 − 抹零；净销售额 = 销售额 − 退货金额；练习模式的销售不计入。",
            "Sales = list value less discounts, overrides, gifts, promotions, points and rounding; net = sales less "
            "refunds; practice sales are left out.")}

    def forget(self) -> None:
        """Drop the figures kept from the last 商品/分类/毛利 report (the next one reads them again)."""
        self._kept = None

    def _cells(self, a: str, b: str) -> dict[tuple[str, str, str], dict[str, Any]]:
        """Per (sku, category, business day): name, weighed, quantity sold and returned, sales, refunds, tax,
        known cost and lines of unknown cost — what 商品/分类汇总 and 毛利 add up, read in one pass each.

        The last period's cells are kept while the journal has no new entry (every figure here is a read model
        of the journal), so the screen's 商品, 分类 and 毛利 tabs of one period read the month once."""
        last = self._rows(Q.LAST_SEQ, (self._till.terminal_id,))[0][0]
        kept = self._kept
        if kept is not None and kept[0] == (a, b, last):
            return kept[1]  # read only (_group copies what it sums)
        out = self._read_cells(a, b)
        self._kept = ((a, b, last), out)
        return out

    def _read_cells(self, a: str, b: str) -> dict[tuple[str, str, str], dict[str, Any]]:
        out: dict[tuple[str, str, str], dict[str, Any]] = {}

        def cell(key: tuple[str, str, str], name: str = "") -> dict[str, Any]:
            c = out.get(key)
            if c is None:
                c = out[key] = {"name": name, "weighed": None, "sold": 0, "returned": 0, "sales": 0, "refunds": 0,
                                "tax": 0, "cost": 0, "unknown": 0, "lines": 0, "known_net": 0, "known": 0}
            return c

        for sku, category, day, name, sold_by, qty, net, tax, lines in self._rows(Q.LINE_SALES, (a, b)):
            c = cell((sku, category or UNCATEGORISED, day), name)
            c.update(weighed=sold_by == "weight", sold=qty, sales=net, tax=tax, lines=lines, unknown=lines)
        returned = self._rows(Q.LINE_RETURNS, (a, b))
        if returned:
            weighed = dict(self._rows("SELECT sku, sold_by = 'weight' FROM products"))
            for sku, category, day, name, qty, refund, tax, lines in returned:
                c = cell((sku, category or UNCATEGORISED, day), name)
                if c["weighed"] is None:
                    c["weighed"] = bool(weighed.get(sku, False))
                c["returned"] += qty
                c["refunds"] += refund
                c["tax"] -= tax
                c["unknown"] += lines
        for q in (Q.MOVED_SALE_LINES, Q.MOVED_RETURN_LINES):
            for sku, category, day, cost, moved, unknown, known_net, known in self._rows(q, (a, b)):
                c = cell((sku, category or UNCATEGORISED, day))
                c["cost"] += cost or 0
                c["unknown"] += (unknown or 0) - moved  # lines that moved stock at a known cost are known
                c["known_net"] += known_net or 0
                c["known"] += known or 0
        return out

    @staticmethod
    def _group(cells: Mapping[tuple[str, str, str], dict[str, Any]], part: int) -> dict[str, dict[str, Any]]:
        """The cells summed by sku (0), category (1) or day (2)."""
        out: dict[str, dict[str, Any]] = {}
        for key, c in cells.items():
            g = out.get(key[part])
            if g is None:
                out[key[part]] = {**c, "category": key[1]}
                continue
            for k in ("sold", "returned", "sales", "refunds", "tax", "cost", "unknown", "lines", "known_net", "known"):
                g[k] += c[k]
            g["name"] = g["name"] or c["name"]
            if g["weighed"] is None:
                g["weighed"] = c["weighed"]
        return out

    def _products(self, a: str, b: str) -> _Built:
        figures = self._group(self._cells(a, b), 0)
        variants = {sku: "/".join(x for x in (color, size) if x) or (style or "")
                    for sku, style, size, color in self._rows(Q.VARIANTS)}
        rows = []
        for sku, f in sorted(figures.items(), key=lambda kv: (kv[1]["category"], kv[0])):
            net = f["sales"] - f["refunds"]
            cost, margin, pct = _margin(f)
            rows.append((sku, f["name"], variants.get(sku, ""), f["category"], Qty(f["sold"] - f["returned"],
                         bool(f["weighed"])), f["sales"], f["refunds"], net, f["tax"], cost, margin, pct))
        return rows, {"totals": _margin_totals(COLUMNS["products"], rows, _known_net(figures)),
                      "notes": _margin_notes(figures)}

    def _categories(self, a: str, b: str) -> _Built:
        figures = self._group(self._cells(a, b), 1)
        whole = sum(f["sales"] - f["refunds"] for f in figures.values())
        rows = []
        for category, f in sorted(figures.items(), key=lambda kv: (-(kv[1]["sales"] - kv[1]["refunds"]), kv[0])):
            net = f["sales"] - f["refunds"]
            cost, margin, pct = _margin(f)
            rows.append((category, f["lines"], f["sales"], f["refunds"], net, f["tax"], cost, margin, pct,
                         Ratio(net, whole)))
        totals = _margin_totals(COLUMNS["categories"], rows, _known_net(figures))
        totals = (*totals[:-1], Ratio(whole, whole) if rows else None)
        return rows, {"totals": totals, "notes": _margin_notes(figures)}

    def _origins(self, a: str, b: str) -> _Built:
        regions = self.partner_regions()
        partner: list[tuple[str, int]] = []
        local: list[tuple[str, int]] = []
        for origin, amount, _net, _tax in self._rows(Q.BY_DIM, (a, b, "origin")):
            (partner if _is_partner(origin, regions) else local).append((origin, amount))
        rows: list[tuple[Any, ...]] = []
        sections = []
        for heading, kind, group in (("消费帮扶地区商品 Partner-region goods", "消费帮扶", partner),
                                     ("本地及其他商品 Local and other goods", "本地商品", local)):
            sections.append((heading, len(rows)))
            whole = sum(x for _o, x in group)
            for origin, amount in sorted(group, key=lambda g: (-g[1], g[0])):
                rows.append((origin, kind, amount, Ratio(amount, whole)))
            rows.append((f"小计（{kind}）", kind, whole, Ratio(whole, whole) if group else None))
        return rows, {"totals": None, "sections": sections, "notes": (
            "消费帮扶地区：" + "、".join(regions) + "（门店设置，可修改）；礼盒按其组成商品的产地计入。帮扶与本地商品分别小计，不合并。",
            "Partner regions: " + ", ".join(regions) + " (a store setting); gift boxes count by their components' "
            "origins. Partner-region and local goods have a subtotal each and are never added together.")}

    def _tenders(self, a: str, b: str) -> _Built:
        net = {k: amount for k, amount, _n, _t in self._rows(Q.BY_DIM, (a, b, "tender"))}
        refunded = dict(self._rows(Q.REFUNDS_BY_TENDER, (a, b)))
        zs = self._rows(Q.ZS, (a, b))
        z_net: dict[str, int] = {}
        for *_x, totals in zs:
            for k, v in json.loads(totals).get("by_tender", {}).items():
                z_net[k] = z_net.get(k, 0) + int(v)
        keys = [t.value for t in TenderKind if t.value in net or t.value in refunded or t.value in z_net]
        keys += sorted((set(net) | set(refunded) | set(z_net)) - set(keys))
        rows = []
        for k in keys:
            n = net.get(k, 0)
            back = refunded.get(k, 0)
            label = TenderKind(k).label_zh if k in TenderKind._value2member_map_ else k
            rows.append((label, k, n + back, back, n, z_net.get(k, 0)))
        totals = summed_totals(COLUMNS["tenders"], rows, label="营业实收")
        closed = {day for day, *_x in zs}
        open_days = [d for (d,) in self._rows(Q.ACTIVE_DAYS, (a, b)) if d not in closed]
        closed_net: dict[str, int] = {}
        for day, k, amount in self._rows(Q.TENDER_BY_DAY, (a, b)):
            if day in closed:
                closed_net[k] = closed_net.get(k, 0) + amount
        differ = [(_tender_label(k), closed_net.get(k, 0) - z_net.get(k, 0)) for k in keys
                  if closed_net.get(k, 0) != z_net.get(k, 0)]
        notes = []
        if not differ:
            notes.append(f"已日结营业日的实收与本期 {len(zs)} 张 Z 报表一致（到分）。")
            notes.append(f"The closed days' takings agree with the period's {len(zs)} Z closure(s) to the fen.")
        for label, diff in differ:
            notes.append(f"{label}：已日结营业日的实收与 Z 报表相差 {format_yuan(diff)} 元。")
            notes.append(f"{label}: the closed days' takings differ from the Zs by {format_yuan(diff)} yuan.")
        if open_days:
            notes.append(f"尚未日结的营业日（计入营业实收，不在 Z 报表列中）：{'、'.join(open_days)}。")
            notes.append(f"Business days not yet closed by a Z (in the takings, not in the Zs column): "
                         f"{', '.join(open_days)}.")
        return rows, {"totals": totals, "notes": tuple(notes)}

    def _tax(self, a: str, b: str) -> _Built:
        rows = [(rate, gross, net, tax) for rate, gross, net, tax in self._rows(Q.BY_DIM, (a, b, "tax"))]
        return rows, {"notes": ("价税分离：含税销售额 = 不含税金额 + 税额，销售减退货，按税率。",
                                "Sales less returns per tax rate: gross = net of tax + tax.")}

    def _transactions(self, a: str, b: str) -> _Built:
        names = self._names()
        local = self._utc_to_local()
        docs: list[list[Any]] = []
        index = {t: i for i, t in enumerate(TENDER_COLUMNS)}
        labels: dict[str, str] = {}
        for query, kind, sign in ((Q.SALE_DOCS_TENDERS, "销售", 1), (Q.RETURN_DOCS_TENDERS, "退货", -1)):
            current: list[Any] = [None, None]
            for at, doc, cashier, amount, change, tender, paid, ref in self._rows(query, (a, b)):
                if current[1] != doc:
                    current = [at, doc, kind, cashier, sign * amount, change, [None] * len(TENDER_COLUMNS), []]
                    docs.append(current)
                if tender is not None:
                    per = current[6]
                    i = index.get(tender, 0)
                    per[i] = (per[i] or 0) + sign * paid
                    if ref:
                        label = labels.get(tender) or labels.setdefault(tender, _tender_label(tender))
                        current[7].append(f"{label}:{ref}")
        docs.sort(key=lambda d: (d[0], d[1]))
        rows = [(local(at), doc, kind, names.get(cashier, cashier), amount, *per, change or None, "; ".join(refs))
                for at, doc, kind, cashier, amount, change, per, refs in docs]
        return rows, {"notes": ("金额 = 各付款方式之和 − 找零；退货为负数。",
                                "Amount = the tenders less change; returns are negative.")}

    def _returns(self, a: str, b: str) -> _Built:
        off = self._offset()
        names = self._names()
        to: dict[str, list[str]] = {}
        for doc, tender, amount, _ref in self._rows(Q.RETURN_TENDERS, (a, b)):
            to.setdefault(doc, []).append(f"{_tender_label(tender)} {format_yuan(amount)}")
        rows = [(_dt(at), ret, receipt or "无小票", names.get(cashier, cashier), sku, name, Qty(qty, sold_by == "weight"),
                 refund, tax, "; ".join(to.get(ret, ())))
                for at, ret, receipt, cashier, sku, name, qty, refund, tax, sold_by in self._rows(Q.RETURN_LINES, (off, a, b))]
        return rows, {}

    def _reductions(self, a: str, b: str) -> _Built:
        names = self._names()
        local = self._utc_to_local()
        lines = self._rows(Q.REDUCED_LINES, (a, b))
        payloads = self._payloads({r[3] for r in lines if r[6] or r[7] or r[8]})
        items: list[tuple[Any, ...]] = []
        rounded: dict[str, list[Any]] = {}
        for at, receipt, cashier, seq, line_no, name, disc, over, gift, rounding, promotion, points in lines:
            for kind, amount in (("促销", promotion), ("积分抵扣", points)):  # by the store's rules: nobody approves
                if amount:
                    items.append((at, receipt, line_no, kind, cashier, name, amount, ()))
            if rounding:
                r = rounded.get(receipt)
                if r is None:
                    rounded[receipt] = [at, receipt, 10**6, "抹零", cashier, "整单", rounding, []]
                else:
                    r[6] += rounding
            if disc or over or gift:
                p = payloads.get(seq)
                line = next((ln for ln in p.get("lines", ()) if ln.get("line_no") == line_no), {}) if p else {}
                for kind, amount in (("折扣", disc), ("改价", over), ("赠送", gift)):
                    if amount:
                        items.append((at, receipt, line_no, kind, cashier, name, amount,
                                      _approvers(p, line, kind) if p else ()))
        items.extend(tuple(r) for r in rounded.values() if r[6])
        items.sort(key=lambda x: (x[0], x[1], x[2], x[3]))
        rows = [(local(at), receipt, names.get(cashier, cashier), name, kind, amount,
                 "、".join(names.get(x, x) for x in approved) if approved else "")
                for at, receipt, _n, kind, cashier, name, amount, approved in items]
        return rows, {"notes": ("授权人为空：在收银员权限内，无需店长授权；抹零按门店规则；促销与积分抵扣按门店促销与会员规则（各促销见“促销成本”）。",
                                "No approver: within the cashier's own limits; rounding follows the store's rule; "
                                "promotions and points follow the store's promotions and members' rules (each "
                                "promotion in 'Promotion cost').")}

    def _promotions(self, a: str, b: str) -> _Built:
        """What each promotion took off the period's sales, less the share of it that returns gave back (a
        returned part of a line takes back that part of the line's promotion, by quantity)."""
        figures: dict[tuple[str, int], list[Any]] = {}  # (id, version) → [name, receipts, given, returned]
        for _receipt, payload in self._rows(Q.PROMO_SALES, (self._till.terminal_id, a, b)):
            p = json.loads(payload)
            for pid, version, name, off_fen in p.get("promos") or ():  # the sale's named promotion lines
                f = figures.setdefault((pid, int(version)), [name, 0, 0, 0])
                f[1] += 1
                f[2] += int(off_fen)
        returned = self._rows(Q.PROMO_RETURNED_LINES, (a, b))
        sale_payloads = self._payloads({seq for seq, _line, _qty in returned}, sql=Q.PAYLOADS_WITH_PROMO)
        for seq, orig_line, quantity in returned:
            p = sale_payloads.get(seq, {})
            line = next((ln for ln in p.get("lines", ()) if ln.get("line_no") == orig_line), None)
            if not line or not line.get("promo") or not int(line.get("quantity") or 0):
                continue
            names = {(x[0], int(x[1])): x[2] for x in p.get("promos") or ()}
            for pid, version, fen in line["promo"]:
                f = figures.setdefault((pid, int(version)), [names.get((pid, int(version)), ""), 0, 0, 0])
                f[3] += div_round_half_up(int(fen) * int(quantity), int(line["quantity"]))
        rows = [(pid, name, version, receipts, given, returned, given - returned)
                for (pid, version), (name, receipts, given, returned) in sorted(figures.items())]
        return rows, {"notes": ("促销成本 = 销售时的让利 − 退货按数量比例冲回的部分。",
                                "Promotion cost = what the promotions took off sales − the part returns took back "
                                "(in proportion to the quantity returned).")}

    def _members(self, a: str, b: str) -> _Built:
        """Each member with a sale or return in the period: spending, points, and the points still held at
        the period's end valued at the store's redemption rate (积分负债); the whole store's liability is a note."""
        from pos.domain.members import PointsRule, rule_from_json

        rule_text = self._rows("SELECT value FROM meta WHERE key = ?", (K_POINTS_RULE,))
        rule = rule_from_json(json.loads(rule_text[0][0])) if rule_text and rule_text[0][0] else PointsRule()
        per_point = rule.redeem_fen_per_point
        later = dict(self._rows(Q.MEMBER_POINTS_AFTER, (b,)))
        figures: dict[str, list[int]] = {}  # member → receipts, spent, refunded, earned, redeemed, redeem_fen, reversed
        for member, kind, earned, redeemed, reversed_, redeem_fen, amount in self._rows(Q.MEMBER_DOCS, (a, b)):
            f = figures.setdefault(member, [0] * 7)
            if kind == "sale":
                f[0] += 1
                f[1] += int(amount or 0)
            else:
                f[2] += int(amount or 0)
            f[3] += int(earned)
            f[4] += int(redeemed)
            f[5] += int(redeem_fen)
            f[6] += int(reversed_)
        rows = []
        held_total = 0
        for member, code, name, tier, last4, points in self._rows(Q.MEMBERS):
            closing = int(points) - int(later.get(member, 0))
            held_total += int(points)
            f = figures.get(member)
            if f is None:
                continue
            rows.append((code, name, tier, f"****{last4}", f[0], f[1], f[2], f[3], f[4], f[5], f[6], closing,
                         closing * per_point))
        rows.sort(key=lambda r: r[0])
        yuan = format_yuan(held_total * per_point)
        return rows, {"notes": (
            f"全部会员现有积分 {held_total}，每积分抵 {format_yuan(per_point)} 元，折合 {yuan} 元（积分负债，截至今日）。",
            f"All members hold {held_total} points now, worth {yuan} yuan at {format_yuan(per_point)} yuan a point "
            "(points liability today).",
            "期末积分 = 现有积分 − 期末之后的积分变动。Points at period end = points now − changes after the period.")}

    def _vouchers_used(self, a: str, b: str) -> _Built:
        names = self._names()
        rows = [(_dt(at), receipt, ref or "", amount, names.get(cashier, cashier))
                for at, receipt, ref, amount, cashier in self._rows(Q.VOUCHERS, (self._offset(), a, b))]
        return rows, {}

    def _accounts(self, a: str, b: str) -> _Built:
        figures: dict[str, list[int]] = {}
        for col, q in ((0, Q.ACCOUNT_CHARGED), (1, Q.ACCOUNT_RETURNED), (2, Q.ACCOUNT_PAID)):
            for code, before, during in self._rows(q, (a, a, b, b)):
                f = figures.setdefault(code or "", [0] * 6)
                f[col] += int(before or 0)
                f[3 + col] += int(during or 0)
        known = {code: (name, limit) for code, name, limit in self._rows(Q.ACCOUNTS)}
        rows = []
        for code in sorted(set(known) | set(figures)):
            charged0, returned0, paid0, charged, returned, paid = figures.get(code, [0] * 6)
            opening = charged0 - returned0 - paid0
            name, limit = known.get(code, ("（未登记单位）", None))
            if code not in figures and code in known and not (opening or charged or returned or paid):
                pass  # an account with nothing owed and nothing this period is still listed
            rows.append((code, name, limit, opening, charged, returned, paid, opening + charged - returned - paid))
        return rows, {"notes": ("期末欠款 = 期初欠款 + 本期挂账 − 本期退货 − 本期回款。",
                                "Closing balance = opening + charged − returned − payments received.")}

    def _margin(self, a: str, b: str) -> _Built:
        rows: list[tuple[Any, ...]] = []
        sections: list[tuple[str, int]] = []
        cells = self._cells(a, b)
        groups = [(self._group(cells, part), dim, heading) for part, dim, heading in
                  ((0, "商品", "按商品 By product"), (1, "分类", "按分类 By category"))]
        product_rows: list[tuple[Any, ...]] = []
        for figures, dim, heading in groups:
            sections.append((heading, len(rows)))
            keyed = sorted(figures.items(), key=lambda kv: (kv[1]["category"], kv[0])) if dim == "商品" else sorted(figures.items())
            for key, f in keyed:
                net = f["sales"] - f["refunds"]
                cost, margin, pct = _margin(f)
                rows.append((dim, key, f["name"] if dim == "商品" else key, net, cost, margin, pct, f["unknown"]))
            if dim == "商品":
                product_rows = list(rows)
        sections.append(("按批次 By delivery batch", len(rows)))
        for batch, net, cost_known, unknown, supplier, known_net, known in self._rows(Q.BATCH_MARGIN, (a, b, a, b)):
            cost, margin, pct = _margin({"cost": cost_known, "known_net": known_net, "known": known})
            rows.append(("批次", batch or "（无批次：超卖）", supplier or "", net, cost, margin, pct, unknown))
        sections.append(("按日期 By day", len(rows)))
        for day, f in sorted(self._group(cells, 2).items()):
            net = f["sales"] - f["refunds"]
            cost, margin, pct = _margin(f)
            rows.append(("日期", day, "", net, cost, margin, pct, f["unknown"]))
        totals = _margin_totals(COLUMNS["margin"], product_rows, _known_net(groups[0][0]))
        totals = ("合计", None, None, *totals[3:])
        notes = ("成本来自库存批次（收货成本）；成本未知的商品行（未跟踪库存，或超卖时无成本）不计入成本和毛利，毛利只按成本已知的"
                 "部分计算，全部未知的项目留空，不按 100% 计。合计行为按商品的合计。",
                 "Cost is the received cost of the lots drawn; lines of unknown cost (stock not followed, sold past zero "
                 "without a cost) are left out of cost and margin, which are over the goods of known cost; items with no "
                 "known cost are empty, never 100 %. The totals row is the products' total.")
        return rows, {"totals": totals, "sections": sections, "notes": notes}

    def _hours(self, a: str, b: str) -> _Built:
        off = self._offset()
        hours: dict[int, list[int]] = {}
        for h, n, total in self._rows(Q.HOURS_SALES, (off, a, b)):
            hours[h] = [n, total, 0]
        for h, refund in self._rows(Q.HOURS_REFUNDS, (off, a, b)):
            hours.setdefault(h, [0, 0, 0])[2] = refund
        rows = [(f"{h:02d}:00–{h + 1:02d}:00", n, sales, refunds, sales - refunds, _avg(sales, n))
                for h, (n, sales, refunds) in sorted(hours.items())]
        totals = summed_totals(COLUMNS["hours"], rows)
        return rows, {"totals": (*totals[:-1], _avg(totals[2], totals[1]))}

    def _zs(self, a: str, b: str) -> _Built:
        names = self._names()
        rows = []
        for day, closed_at, by, net, grand, seq, totals in self._rows(Q.ZS, (a, b)):
            t = json.loads(totals)
            rows.append((date.fromisoformat(day), self._local_dt(closed_at), names.get(by, by), int(t["sales_count"]),
                         int(t["sales"]), int(t["refunds"]), net, grand, seq))
        return rows, {}

    # -- helpers ---------------------------------------------------------------------------------
    def _check_store(self, store: str | None) -> None:
        if store is None or not store.strip() or store.strip().upper() == self._till.store_code.upper():
            return
        raise InvalidInput(f"this till keeps the sales of store {self._till.store_code} only, not {store}",
                           message_zh=f"本机只保存门店 {self._till.store_code} 的销售，没有门店 {store} 的数据")

    def _store_text(self) -> str:
        t = self._till
        return f"{t.store_name} {t.counter_name}".strip()

    def _offset(self) -> str:
        """The SQLite modifier that turns a stored UTC time into the store's local time ('+480 minutes')."""
        off = self._till.tz.utcoffset(self._clock.now())
        minutes = int(off.total_seconds() // 60) if off is not None else 0
        return f"{minutes:+d} minutes"

    def _utc_to_local(self) -> Callable[[str], datetime]:
        """Stored UTC text ('2026-11-22T02:00:00.000000Z') → the store's local time, fast (a fixed offset)."""
        off = self._till.tz.utcoffset(self._clock.now()) or timedelta(0)
        parse = datetime.fromisoformat
        return lambda text: parse(text[:19]) + off

    def _local_dt(self, utc_text: str) -> datetime:
        t = datetime.fromisoformat(utc_text.replace("Z", "+00:00"))
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        return self._till.local(t).replace(tzinfo=None, microsecond=0)

    def _names(self) -> dict[str, str]:
        return {login: name or login for login, name in self._rows(Q.USERS)}

    def _payloads(self, seqs: Iterable[int], *, sql: str = Q.PAYLOADS) -> dict[int, dict[str, Any]]:
        """The journal payloads of a few entries, by seq, read 500 at a time (``sql``: which of them —
        by default those naming an approver)."""
        wanted = sorted(set(seqs))
        out: dict[int, dict[str, Any]] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            query = sql.format(", ".join("?" * len(chunk)))
            for seq, payload in self._rows(query, (self._till.terminal_id, *chunk)):
                out[seq] = json.loads(payload)
        return out

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._reader is not None:
            return self._reader.rows(sql, args)
        with self._uow() as uow:
            return uow.raw.execute(sql, tuple(args)).fetchall()


# -- pure helpers ---------------------------------------------------------------------------------------
def _avg(total: Fen, count: int) -> Fen | None:
    return div_round_half_up(total, count) if count > 0 else None


def _dt(local_text: str) -> datetime:
    return datetime.fromisoformat(local_text)


def _margin(f: Mapping[str, Any]) -> tuple[Fen | None, Fen | None, Ratio | None]:
    """(cost, margin, margin %) over the goods of known cost: the cost of the draws whose cost is known, and
    the margin on their revenue. All empty when no cost is known (goods not followed): never a 100 % margin."""
    if not f["known"]:
        return None, None, None
    margin = f["known_net"] - f["cost"]
    return f["cost"], margin, Ratio(margin, f["known_net"])


def _margin_totals(columns: Sequence[Column], rows: Sequence[Sequence[Any]], known_net: Fen) -> tuple[Any, ...]:
    """Σ of the summed columns (cost and margin over the rows of known cost); the margin % over the revenue
    of known cost (``known_net``)."""
    totals = list(summed_totals(columns, rows))
    keys = [c.key for c in columns]
    i_cost, i_margin, i_pct = (keys.index(k) for k in ("cost", "margin", "margin_pct"))
    known = any(r[i_cost] is not None for r in rows)
    totals[i_pct] = Ratio(totals[i_margin], known_net) if known else None
    if not known:
        totals[i_cost] = totals[i_margin] = None
    return tuple(totals)


def _known_net(figures: Mapping[str, Mapping[str, Any]]) -> Fen:
    return sum(f["known_net"] for f in figures.values())


def _margin_notes(figures: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    unknown = sum(f["unknown"] for f in figures.values())
    if not unknown:
        return ("成本来自库存批次的收货成本；毛利 = 销售额 − 成本。",
                "Cost is the received cost of the lots the goods came from; margin = net sales − cost.")
    return (f"{unknown} 行成本未知（未跟踪库存，或超卖时无成本），不计入成本和毛利：毛利和毛利率只按成本已知的商品计算，"
            "全部成本未知的项目留空。",
            f"{unknown} line(s) of unknown cost (stock not followed, or sold past zero without a cost) are left out of "
            "cost and margin: margin and margin % are over the goods of known cost; items with no known cost are empty.")


def _is_partner(origin: str, regions: Sequence[str]) -> bool:
    return any(r and r in (origin or "") for r in regions)


def _tender_label(kind: str) -> str:
    try:
        return TenderKind(kind).label_zh
    except ValueError:
        return kind


_KIND_ACTIONS = {"折扣": ("discount_over_limit",), "改价": ("price_override",),
                 "赠送": ("price_override", "discount_over_limit"), "抹零": ()}


def _approvers(sale: Mapping[str, Any], line: Mapping[str, Any], kind: str) -> list[str]:
    """Who approved a reduction of ``kind``: the line's approvals, then the whole sale's."""
    actions = _KIND_ACTIONS[kind]
    found: list[str] = []
    for a in [*line.get("approvals", ()), *sale.get("approvals", ())]:
        who = a.get("approver", "")
        if a.get("action") in actions and who and who not in found:
            found.append(who)
    return found
