"""X, Z, shift-close and reconciliation reports as documents (printer and PDF say the same)."""

from __future__ import annotations

from pos.domain.closing import PeriodTotals, ShiftResult
from pos.domain.report_doc import ReportDoc, ReportRow, ReportSection, money, signed
from pos.domain.tax import rate_sort_key
from pos.domain.tenders import TENDER_LABELS_ZH, TenderKind
from pos.services.context import TillIdentity
from pos.services.shifts import DayReconciliation, XReport, ZReport


def tender_label(key: str) -> str:
    try:
        return TENDER_LABELS_ZH[TenderKind(key)]
    except ValueError:
        return key


def _header(till: TillIdentity, *lines: str) -> tuple[str, ...]:
    return (f"{till.store_name} · {till.counter_name}", f"收银机 {till.terminal_id}", *lines)


def totals_sections(t: PeriodTotals) -> tuple[ReportSection, ...]:
    r = t.reductions
    summary = ReportSection("营业概况", (
        ReportRow("销售笔数", str(t.sales_count)),
        ReportRow("原价合计", money(t.list_total_fen)),
        # Each reduction is its own figure, shown as taken off (a raised price or rounding up shows +).
        ReportRow("折扣", signed(-r.discount_fen)),
        ReportRow("改价", signed(-r.override_fen)),
        ReportRow("赠送", signed(-r.gift_fen)),
        ReportRow("抹零", signed(-r.rounding_fen)),
        ReportRow("销售额（应收）", money(t.sales_fen)),
        ReportRow("退货笔数", str(t.returns_count)),
        ReportRow("退款", money(-t.refunds_fen) if t.refunds_fen else money(0)),
        ReportRow("净销售额", money(t.net_fen)),
        ReportRow("删除商品行", f"{t.voids_count} 笔 {money(t.void_fen)}"),
        ReportRow("备用金存入", money(t.cash_in_fen)),
        ReportRow("现金取出", money(t.cash_out_fen)),
        ReportRow("练习交易（不计入）", str(t.training_count)),
    ))
    tenders = ReportSection("按付款方式", tuple(ReportRow(tender_label(k), money(v)) for k, v in sorted(t.by_tender.items())))
    taxes = ReportSection("按税率（价税分离）", tax_rows(t))
    cats = ReportSection("按类别", tuple(ReportRow(k, money(v)) for k, v in sorted(t.by_category.items())))
    origins = ReportSection("按产地（消费帮扶）", tuple(ReportRow(k, money(v)) for k, v in sorted(t.by_origin.items())))
    return summary, tenders, taxes, cats, origins


def tax_rows(t: PeriodTotals) -> tuple[ReportRow, ...]:
    """含税金额, 不含税金额 and 税额 per rate (lowest first, 未设 last), then the totals."""
    rows: list[ReportRow] = []
    if not t.tax_by_rate:  # a Z taken before tax was worked out: tax-inclusive sales only
        rows += [ReportRow(f"{k} 含税金额", money(v)) for k, v in sorted(t.by_tax_rate.items(), key=lambda kv: rate_sort_key(kv[0]))]
        return (*rows, ReportRow("税额", "未计算（本报表早于价税分离）"))
    for k in sorted(t.tax_by_rate, key=rate_sort_key):
        v = t.tax_by_rate[k]
        rows += [ReportRow(f"{k} 含税金额", money(v["gross"])), ReportRow(f"{k} 不含税金额", money(v["net"])),
                 ReportRow(f"{k} 税额", money(v["tax"]))]
    gross = sum(v["gross"] for v in t.tax_by_rate.values())
    return (*rows, ReportRow("合计 含税金额", money(gross)), ReportRow("合计 不含税金额", money(gross - t.tax_fen)),
            ReportRow("合计 税额", money(t.tax_fen)))


def x_document(x: XReport, till: TillIdentity) -> ReportDoc:
    drawer = ReportSection("钱箱", (
        ReportRow("备用金", money(x.shift.opening_float_fen)),
        ReportRow("应有现金", money(x.expected_cash_fen)),
    ))
    opened = f"开班 {x.opened_by_name or x.shift.opened_by}" + (f"  {x.opened_at}" if x.opened_at else "")
    return ReportDoc("X 报表（班中）", _header(till, f"班次 {x.shift.shift_no}  {opened}", f"打印时间 {x.at}"),
                     (*totals_sections(x.totals), drawer), ("X 报表不结账",), f"X-{till.terminal_id}-{x.shift.shift_no}")


def shift_close_document(r: ShiftResult, till: TillIdentity, by: str, at: str) -> ReportDoc:
    """``by`` is the name of the person handing over (not the login); ``at`` the local time."""
    rows = [ReportRow("备用金", money(r.opening_float_fen)),
            ReportRow("应有现金", money(r.expected_cash_fen)),
            ReportRow("实点现金", money(r.counted_cash_fen)),
            ReportRow("现金差额" + ("（长款）" if r.variance_fen > 0 else "（短款）" if r.variance_fen < 0 else ""),
                      signed(r.variance_fen), highlight=r.variance_fen != 0)]
    for k, v in sorted(r.expected_by_tender.items()):
        if k == "cash":
            continue
        declared = r.declared_by_tender.get(k)
        rows.append(ReportRow(f"{tender_label(k)} 应收", money(v)))
        if declared is not None:
            rows.append(ReportRow(f"{tender_label(k)} 申报差额", signed(declared - v), highlight=declared != v))
    figures = totals_sections(r.totals) if r.totals is not None else ()
    return ReportDoc("交班报表", _header(till, f"班次 {r.shift_no}  交班 {by}", f"时间 {at}"),
                     (ReportSection("对账", tuple(rows)), *figures), ("盲点：先点钞，后显示应有金额",),
                     f"SHIFT-{till.terminal_id}-{r.shift_no}")


def z_document(z: ZReport, till: TillIdentity) -> ReportDoc:
    grand = ReportSection("累计", (
        ReportRow("上次累计总额", money(z.grand_total_before_fen)),
        ReportRow("本日净销售额", money(z.totals.net_fen)),
        ReportRow("累计总额", money(z.grand_total_fen)),
        ReportRow("流水号范围", f"{z.first_seq}–{z.last_seq}"),
    ))
    return ReportDoc("Z 报表（日结）", _header(till, f"营业日 {z.business_day}",
                                           f"日结 {z.closed_by_name or z.closed_by}  {z.closed_at}"),
                     (*totals_sections(z.totals), grand), ("日结后的交易计入下一营业日",),
                     f"Z-{till.terminal_id}-{z.business_day}")


def reconciliation_document(r: DayReconciliation, till: TillIdentity) -> ReportDoc:
    rows = []
    for ln in r.lines:
        declared = "—" if ln.declared_fen is None else money(ln.declared_fen)
        variance = "—" if ln.variance_fen is None else signed(ln.variance_fen)
        reason = r.no_statement.get(ln.tender)
        if reason is not None and ln.declared_fen is None:
            declared, variance = "无对账单", "—"
        rows.append(ReportRow(f"{tender_label(ln.tender)}", f"应 {money(ln.expected_fen)} 报 {declared} 差 {variance}",
                              highlight=bool(ln.variance_fen) or ln.tender in r.missing))
        if reason is not None and ln.declared_fen is None:
            rows.append(ReportRow(f"  {tender_label(ln.tender)} 无对账单原因", reason))
    status = f"已审核（{r.approved_by_name or r.approved_by}）" if r.approved else "未审核"
    missing = "、".join(tender_label(t) for t in r.missing)
    footer = tuple(x for x in (f"备注：{r.notes}" if r.notes else "", f"未申报：{missing}" if missing else "",
                               f"状态：{status}") if x)
    preparer = r.declared_by_name or r.declared_by or "—"
    return ReportDoc("对账单", _header(till, f"营业日 {r.business_day}", f"录入 {preparer}"),
                     (ReportSection("应收与申报", tuple(rows)),), footer, f"RECON-{till.terminal_id}-{r.business_day}")
