"""Accounting vouchers (记账凭证) from a period's figures, for 用友 and 金蝶 (issue 16) — pure.

A voucher turns a day's (or a period's) takings into balanced lines: the money came in through
each tender (借 its clearing account) and is the sales revenue per tax rate plus the output VAT
(贷). Which account each figure goes to is the shop's own chart of accounts, so it is read from a
mapping file (JSON, UTF-8). Its format, with ``resources/vouchers/mapping-example.json`` as a
worked example::

    {
      "word": "记",                       # 凭证类别 / 凭证字 (default 记)
      "first_number": 1,                  # number of the first voucher written (default 1)
      "preparer": "张会计",                # 制单人 (default empty)
      "negative": "red",                  # a negative figure: "red" = 红字 on its own side (default),
                                          # "swap" = a positive amount on the other side
      "summary": "{period} {what}",       # 摘要; {period} the day or period, {what} the line's own words
      "revenue": {                        # 主营业务收入 per tax rate label ("13%", "9%", "未设" …);
        "13%": {"code": "600101", "name": "主营业务收入-13%"},   # "*" for every other rate
        "*":   {"code": "6001",   "name": "主营业务收入"}
      },
      "output_vat": {"code": "22210102", "name": "应交税费-应交增值税(销项税额)"},
      "tenders": {                        # the clearing account of each tender (its net: sales less refunds)
        "cash":     {"code": "1001",     "name": "库存现金"},
        "wechat":   {"code": "101201",   "name": "其他货币资金-微信"},
        "alipay":   {"code": "101202",   "name": "其他货币资金-支付宝"},
        "unionpay": {"code": "101203",   "name": "其他货币资金-银联"},
        "voucher":  {"code": "122102",   "name": "其他应收款-消费券"},
        "account":  {"code": "1122",     "name": "应收账款"}       # 挂账
      },
      "rounding": {"code": "660304", "name": "财务费用-抹零"},   # optional, see below
      "columns": {                        # the file's columns, in order, per style (defaults below)
        "yonyou":  ["凭证类别", "凭证号", "日期", "摘要", "科目编码", "科目名称", "借方", "贷方"],
        "kingdee": ["凭证字", "凭证号", "日期", "摘要", "科目代码", "科目名称", "借方金额", "贷方金额"]
      }
    }

An account is ``{"code": …, "name": …}`` and may carry its own ``"summary"`` (the {what} of its lines).

The figures (:class:`VoucherFigures`, from :class:`PeriodTotals`):

* 借 each tender's net (taken less change, less refunds) — the same figures as the Z;
* 贷 revenue per rate = the rate's amount net of tax (价税分离), and 贷 output VAT = Σ tax;
* 抹零: without a ``rounding`` account it stays inside revenue (revenue is what was charged). With one,
  the 抹零 given (the customers' favour, positive) is 借 that account and revenue is credited before
  抹零: the amount is spread over the rates by their gross, to the fen; VAT stays as charged.

Σ 借 = Σ 贷 exactly, or the voucher is refused with the difference named. Lines of ¥0 are left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .closing import PeriodTotals
from .errors import InvalidInput
from .money import Fen, format_yuan
from .pricing import allocate
from .tax import rate_sort_key
from .tenders import TENDER_LABELS_ZH, TenderKind

STYLES = ("yonyou", "kingdee")
# Every column a style's file can have; the mapping picks and orders them.
STYLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "yonyou": ("凭证类别", "凭证号", "日期", "摘要", "科目编码", "科目名称", "借方", "贷方", "制单人", "附单据数",
               "分录号", "会计年度", "会计期间", "币种"),
    "kingdee": ("凭证字", "凭证号", "日期", "摘要", "科目代码", "科目名称", "借方金额", "贷方金额", "制单人", "附件数",
                "分录号", "会计年度", "会计期间", "币别"),
}
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "yonyou": ("凭证类别", "凭证号", "日期", "摘要", "科目编码", "科目名称", "借方", "贷方"),
    "kingdee": ("凭证字", "凭证号", "日期", "摘要", "科目代码", "科目名称", "借方金额", "贷方金额"),
}
# What each column holds: the voucher's or the line's field.
_FIELD = {"凭证类别": "word", "凭证字": "word", "凭证号": "number", "日期": "date", "摘要": "summary",
          "科目编码": "code", "科目代码": "code", "科目名称": "name", "借方": "debit", "借方金额": "debit",
          "贷方": "credit", "贷方金额": "credit", "制单人": "preparer", "附单据数": "attachments", "附件数": "attachments",
          "分录号": "entry", "会计年度": "year", "会计期间": "month", "币种": "currency", "币别": "currency"}
# The column kinds a writer lays them out as (pos.domain.table_report kinds).
COLUMN_KINDS = {"number": "int", "date": "date", "debit": "money", "credit": "money", "attachments": "int",
                "entry": "int", "year": "int", "month": "int"}
_MAX_CODE = 40
_MAX_NAME = 100


class VoucherError(InvalidInput):
    code = "voucher_error"


@dataclass(frozen=True, slots=True)
class Account:
    code: str
    name: str
    summary: str = ""  # the {what} of its lines, instead of the usual words


@dataclass(frozen=True, slots=True)
class VoucherMapping:
    revenue: dict[str, Account]  # tax rate label (or "*") → account
    output_vat: Account
    tenders: dict[str, Account]
    rounding: Account | None = None
    word: str = "记"
    first_number: int = 1
    preparer: str = ""
    negative: str = "red"
    summary: str = "{period} {what}"
    columns: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_COLUMNS))

    def revenue_account(self, rate: str) -> Account:
        account = self.revenue.get(rate) or self.revenue.get("*")
        if account is None:
            rates = "、".join(sorted(self.revenue))
            raise VoucherError(f"the mapping has no revenue account for the tax rate {rate} (add \"{rate}\" or \"*\" "
                               f"under revenue; it has {rates or 'none'})",
                               message_zh=f"科目对照中没有税率 {rate} 的主营业务收入科目（请在 revenue 中加入“{rate}”或“*”）")
        return account

    def tender_account(self, tender: str) -> Account:
        account = self.tenders.get(tender)
        if account is None:
            label = _tender_label(tender)
            raise VoucherError(f"the mapping has no clearing account for the tender {tender} ({label}); add it under tenders",
                               message_zh=f"科目对照中没有付款方式“{label}”的科目（请在 tenders 中加入 {tender}）")
        return account


def _tender_label(key: str) -> str:
    try:
        return TENDER_LABELS_ZH[TenderKind(key)]
    except ValueError:
        return key


def _refuse(en: str, zh: str) -> VoucherError:
    return VoucherError(en, message_zh=zh)


def _account(raw: Any, where: str) -> Account:
    if not isinstance(raw, Mapping):
        raise _refuse(f"{where} in the mapping should be an account like {{\"code\": \"1001\", \"name\": \"库存现金\"}}",
                      f"科目对照中 {where} 应为科目，如 {{\"code\": \"1001\", \"name\": \"库存现金\"}}")
    code, name, summary = raw.get("code"), raw.get("name"), raw.get("summary", "")
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code)
    for value, what, what_zh, limit in ((code, "code", "科目编码", _MAX_CODE), (name, "name", "科目名称", _MAX_NAME)):
        if not isinstance(value, str) or not value.strip():
            raise _refuse(f"{where} in the mapping has no account {what}", f"科目对照中 {where} 缺少{what_zh}")
        if len(value) > limit or any(ord(ch) < 32 for ch in value):
            raise _refuse(f"the account {what} of {where} in the mapping is too long or holds a control character",
                          f"科目对照中 {where} 的{what_zh}过长或含有控制字符")
    if not isinstance(summary, str):
        raise _refuse(f"the summary of {where} in the mapping should be text", f"科目对照中 {where} 的摘要应为文字")
    return Account(code.strip(), name.strip(), summary.strip())


_KNOWN_KEYS = {"word", "first_number", "preparer", "negative", "summary", "revenue", "output_vat", "tenders", "rounding",
               "columns", "comment", "_comment"}


def parse_mapping(source: str | bytes | Mapping[str, Any]) -> VoucherMapping:
    """The mapping from its JSON text (or the parsed object); every mistake is one plain sentence."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _refuse("the mapping file is not UTF-8 text", "科目对照文件不是 UTF-8 文本") from None
    if isinstance(source, str):
        try:
            data = json.loads(source.lstrip("\ufeff"))
        except json.JSONDecodeError as exc:
            raise _refuse(f"the mapping file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                          f"科目对照文件不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）") from None
    else:
        data = source
    if not isinstance(data, Mapping):
        raise _refuse("the mapping file should hold one JSON object ({ … })", "科目对照文件应为一个 JSON 对象（{ … }）")
    unknown = sorted(k for k in data if k not in _KNOWN_KEYS)
    if unknown:
        raise _refuse(f"the mapping has an unknown key {unknown[0]} (known: 'revenue', 'output_vat', "
                      "'tenders', 'rounding', 'columns', 'word', 'first_number', 'preparer', 'negative', 'summary')",
                      f"科目对照中有未知的项“{unknown[0]}”")
    for key, zh in (("revenue", "主营业务收入"), ("output_vat", "销项税额"), ("tenders", "付款方式")):
        if key not in data:
            raise _refuse(f"the mapping has no {key} section", f"科目对照缺少 {key}（{zh}）部分")
    revenue_raw = data["revenue"]
    if isinstance(revenue_raw, Mapping) and "code" in revenue_raw:  # one account for every rate
        revenue_raw = {"*": revenue_raw}
    if not isinstance(revenue_raw, Mapping) or not revenue_raw:
        raise _refuse("revenue in the mapping should name an account per tax rate, e.g. {\"*\": {\"code\": …}}",
                      "科目对照中 revenue 应按税率列出科目，如 {\"*\": {\"code\": …}}")
    revenue = {}
    for rate, raw in revenue_raw.items():
        if rate != "*" and rate_sort_key(rate)[0] != 0 and rate != "未设":
            raise _refuse(f"revenue in the mapping has {rate}, which is not a tax rate (write 13%, 9%, 0%, 未设 or *)",
                          f"科目对照 revenue 中的“{rate}”不是税率（应为 13%、9%、0%、未设 或 *）")
        revenue[rate] = _account(raw, f"revenue {rate}")
    tenders_raw = data["tenders"]
    if not isinstance(tenders_raw, Mapping):
        raise _refuse("tenders in the mapping should name an account per tender (cash, wechat …)",
                      "科目对照中 tenders 应按付款方式列出科目（cash、wechat …）")
    known = [k.value for k in TenderKind]
    tenders = {}
    for key, raw in tenders_raw.items():
        if key not in known:
            raise _refuse(f"tenders in the mapping has {key}, which is not a tender (use {', '.join(known)})",
                          f"科目对照 tenders 中的“{key}”不是付款方式（应为 {', '.join(known)}）")
        tenders[key] = _account(raw, f"tenders {key}")
    rounding = data.get("rounding")
    word = data.get("word", "记")
    if not isinstance(word, str) or not word.strip() or len(word) > 4:
        raise _refuse("word in the mapping should be the voucher word, e.g. 记", "科目对照中 word 应为凭证字，如“记”")
    first = data.get("first_number", 1)
    if isinstance(first, bool) or not isinstance(first, int) or not 1 <= first <= 99999:
        raise _refuse("'first_number' in the mapping should be a whole number from 1 to 99999",
                      "科目对照中 first_number（起始凭证号）应为 1 至 99999 的整数")
    preparer = data.get("preparer", "")
    if not isinstance(preparer, str) or len(preparer) > 40:
        raise _refuse("preparer in the mapping should be a name (text)", "科目对照中 preparer（制单人）应为姓名")
    negative = data.get("negative", "red")
    if negative not in ("red", "swap"):
        raise _refuse("negative in the mapping should be red (红字 on its own side) or swap (the other side)",
                      "科目对照中 negative 应为 red（红字）或 swap（记入对方）")
    summary = data.get("summary", "{period} {what}")
    if not isinstance(summary, str) or not _template_ok(summary):
        raise _refuse("summary in the mapping should be text using only {period} and {what}",
                      "科目对照中 summary（摘要）只能使用 {period} 和 {what}")
    return VoucherMapping(revenue, _account(data["output_vat"], "output_vat"), tenders,
                          _account(rounding, "rounding") if rounding is not None else None, word.strip(), first,
                          preparer.strip(), negative, summary, _columns(data.get("columns", {})))


def _template_ok(text: str) -> bool:
    try:
        text.format(period="", what="")
    except (KeyError, IndexError, ValueError, AttributeError):
        return False
    return True


def _columns(raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise _refuse("columns in the mapping should list the columns per style (yonyou, kingdee)",
                      "科目对照中 columns 应按格式（yonyou、kingdee）列出各列")
    out = dict(DEFAULT_COLUMNS)
    for style, cols in raw.items():
        if style not in STYLES:
            raise _refuse(f"columns in the mapping has the style {style} (use yonyou or kingdee)",
                          f"科目对照 columns 中的格式“{style}”无效（应为 yonyou 或 kingdee）")
        if not isinstance(cols, list) or not cols or not all(isinstance(c, str) for c in cols):
            raise _refuse(f"columns {style} in the mapping should be a list of column names",
                          f"科目对照中 columns {style} 应为列名列表")
        for c in cols:
            if c not in STYLE_COLUMNS[style]:
                raise _refuse(f"columns {style} in the mapping has {c}, which a {style} voucher file has not "
                              f"(use {', '.join(STYLE_COLUMNS[style])})",
                              f"科目对照 columns {style} 中的“{c}”不是该格式的列（可用：{'、'.join(STYLE_COLUMNS[style])}）")
        if len(set(cols)) != len(cols):
            raise _refuse(f"columns {style} in the mapping names a column twice", f"科目对照 columns {style} 中有重复的列")
        fields = {_FIELD[c] for c in cols}
        missing = [c for c in ("code", "debit", "credit") if c not in fields]
        if missing:
            raise _refuse(f"columns {style} in the mapping lacks the account code, debit or credit column",
                          f"科目对照 columns {style} 缺少科目编码、借方或贷方列")
        out[style] = tuple(cols)
    return out


@dataclass(frozen=True, slots=True)
class VoucherFigures:
    """What a voucher is made of: tender nets, 价税分离 per rate, and 抹零 (signed, as PeriodTotals holds it)."""

    by_tender: dict[str, int]
    tax_by_rate: dict[str, dict[str, int]]
    rounding_fen: Fen = 0  # negative in the customers' favour

    @classmethod
    def of(cls, t: PeriodTotals) -> VoucherFigures:
        return cls(dict(t.by_tender), {k: dict(v) for k, v in t.tax_by_rate.items()}, t.rounding_fen)

    @property
    def empty(self) -> bool:
        return not any(self.by_tender.values()) and not any(v["gross"] or v["tax"] for v in self.tax_by_rate.values()) \
            and not self.rounding_fen

    def __add__(self, other: VoucherFigures) -> VoucherFigures:
        tenders = dict(self.by_tender)
        for k, v in other.by_tender.items():
            tenders[k] = tenders.get(k, 0) + v
        tax = {k: dict(v) for k, v in self.tax_by_rate.items()}
        for k, v in other.tax_by_rate.items():
            row = tax.setdefault(k, {"gross": 0, "net": 0, "tax": 0})
            for f in ("gross", "net", "tax"):
                row[f] += v[f]
        return VoucherFigures(tenders, tax, self.rounding_fen + other.rounding_fen)


@dataclass(frozen=True, slots=True)
class VoucherLine:
    summary: str  # 摘要
    code: str  # 科目编码
    name: str  # 科目名称
    debit_fen: Fen  # 借方 (0 on a credit line)
    credit_fen: Fen  # 贷方


@dataclass(frozen=True, slots=True)
class Voucher:
    number: int
    when: date
    period: str  # the day or period it covers, as its summaries say it
    lines: tuple[VoucherLine, ...]

    @property
    def debit_fen(self) -> Fen:
        return sum(ln.debit_fen for ln in self.lines)

    @property
    def credit_fen(self) -> Fen:
        return sum(ln.credit_fen for ln in self.lines)


def build_voucher(figures: VoucherFigures, mapping: VoucherMapping, *, number: int, when: date, period: str) -> Voucher:
    """One balanced voucher for ``figures``; refused (naming the difference) when it cannot balance."""
    if figures.tax_by_rate == {} and any(figures.by_tender.values()):
        raise _refuse(f"the figures of {period} have no tax split (价税分离), so revenue and output VAT cannot be written",
                      f"{period} 的数据没有价税分离，无法生成收入和销项税额分录")
    entries: list[tuple[str, Account, int, bool]] = []  # (what, account, signed: + debit − credit, usually a debit)
    tender_order = [k.value for k in TenderKind]
    for key in sorted(figures.by_tender, key=lambda k: (tender_order.index(k) if k in tender_order else 99, k)):
        amount = figures.by_tender[key]
        if amount:
            entries.append((f"{_tender_label(key)}收款", mapping.tender_account(key), amount, True))
    rates = sorted(figures.tax_by_rate, key=rate_sort_key)
    given = -figures.rounding_fen if mapping.rounding is not None else 0  # 抹零 given, shown on its own
    shares = allocate(given, [max(figures.tax_by_rate[r]["gross"], 0) for r in rates]) if rates else []
    if given and mapping.rounding is not None:
        if not rates:
            raise _refuse(f"the 抹零 of {period} has no sales to go with", f"{period} 的抹零没有对应的销售")
        entries.append(("抹零", mapping.rounding, given, True))
    tax = 0
    for rate, share in zip(rates, shares, strict=True):
        row = figures.tax_by_rate[rate]
        amount = row["net"] + share
        tax += row["tax"]
        if amount:
            entries.append((f"销售收入（{rate}）", mapping.revenue_account(rate), -amount, False))
    if tax:
        entries.append(("销项税额", mapping.output_vat, -tax, False))
    lines = []
    for what, account, signed, usual_debit in entries:
        summary = mapping.summary.format(period=period, what=account.summary or what).strip()
        debit, credit = (signed, 0) if signed > 0 else (0, -signed)
        if mapping.negative == "red":  # a negative figure stays on its usual side, in red (negative)
            if signed < 0 and usual_debit:
                debit, credit = signed, 0
            elif signed > 0 and not usual_debit:
                debit, credit = 0, -signed
        lines.append(VoucherLine(summary[:200], account.code, account.name, debit, credit))
    voucher = Voucher(number, when, period, tuple(lines))
    diff = voucher.debit_fen - voucher.credit_fen
    if diff:
        raise _refuse(f"the voucher of {period} does not balance: debits {format_yuan(voucher.debit_fen)}, credits "
                      f"{format_yuan(voucher.credit_fen)}, a difference of {format_yuan(diff)}; nothing was written",
                      f"{period} 的凭证借贷不平衡：借方合计 {format_yuan(voucher.debit_fen)}，贷方合计 "
                      f"{format_yuan(voucher.credit_fen)}，相差 {format_yuan(diff)}，未生成文件")
    return voucher


def build_vouchers(days: Sequence[tuple[date, VoucherFigures]], mapping: VoucherMapping, *, per: str = "day",
                   period_text: str = "") -> list[Voucher]:
    """Vouchers for ``days`` (each day's figures, in order): one per day with business, or one for them all
    (``per="period"``, dated the last day, its summaries naming ``period_text``)."""
    if per not in ("day", "period"):
        raise _refuse(f"vouchers are made per day or per period, not {per}", f"凭证只能按日或按期间生成，不支持“{per}”")
    busy = [(d, f) for d, f in days if not f.empty]
    if not busy:
        return []
    if per == "period":
        total = busy[0][1]
        for _d, f in busy[1:]:
            total = total + f
        last = days[-1][0] if days else busy[-1][0]
        return [build_voucher(total, mapping, number=mapping.first_number, when=last,
                              period=period_text or f"{days[0][0].isoformat()} 至 {last.isoformat()}")]
    return [build_voucher(f, mapping, number=mapping.first_number + i, when=d, period=d.isoformat())
            for i, (d, f) in enumerate(busy)]


def voucher_table(vouchers: Sequence[Voucher], mapping: VoucherMapping, style: str) -> tuple[list[tuple[str, str]],
                                                                                             list[list[Any]]]:
    """The voucher file's columns ``[(title, kind)]`` and rows (money in fen, dates as dates), in the
    order the mapping sets for ``style``."""
    if style not in STYLES:
        raise _refuse(f"the voucher style is yonyou (用友) or kingdee (金蝶), not {style}",
                      f"凭证格式应为 yonyou（用友）或 kingdee（金蝶），不支持“{style}”")
    cols = mapping.columns.get(style) or DEFAULT_COLUMNS[style]
    fields = [_FIELD[c] for c in cols]
    rows = []
    for v in vouchers:
        for i, ln in enumerate(v.lines, start=1):
            values = {"word": mapping.word, "number": v.number, "date": v.when, "summary": ln.summary, "code": ln.code,
                      "name": ln.name, "debit": ln.debit_fen, "credit": ln.credit_fen, "preparer": mapping.preparer,
                      "attachments": 0, "entry": i, "year": v.when.year, "month": v.when.month, "currency": "人民币"}
            rows.append([values[f] for f in fields])
    return [(c, COLUMN_KINDS.get(f, "text")) for c, f in zip(cols, fields, strict=True)], rows
