"""X, Z, shift-close and reconciliation reports as documents (printer and PDF say the same).

Every builder takes ``lang`` (``"zh"``, the default, or ``"en"``): the labels come from the
domain's table (:data:`pos.domain.report_doc.REPORT_EN`); figures, days and names are the same
in both languages.
"""

from __future__ import annotations

from functools import partial

from pos.domain.closing import PeriodTotals, ShiftResult
from pos.domain.report_doc import ReportDoc, ReportRow, ReportSection, money, name_or_word, report_language, say, signed
from pos.domain.tax import rate_sort_key
from pos.domain.tenders import TENDER_LABELS_EN, TENDER_LABELS_ZH, TenderKind
from pos.services.context import TillIdentity
from pos.services.shifts import DayReconciliation, XReport, ZReport


def tender_label(key: str, lang: str = "zh") -> str:
    try:
        kind = TenderKind(key)
    except ValueError:
        return key
    return TENDER_LABELS_EN[kind] if lang == "en" else TENDER_LABELS_ZH[kind]


def _header(till: TillIdentity, lang: str, *lines: str) -> tuple[str, ...]:
    return (f"{till.store_name} · {till.counter_name}", say(lang, "收银机 {terminal}", terminal=till.terminal_id), *lines)


def totals_sections(t: PeriodTotals, lang: str = "zh") -> tuple[ReportSection, ...]:
    r = t.reductions

    def row(label: str, value: str) -> ReportRow:
        return ReportRow(say(lang, label), value)

    summary = ReportSection(say(lang, "营业概况"), (
        row("销售笔数", str(t.sales_count)),
        row("原价合计", money(t.list_total_fen)),
        # Each reduction is its own figure, shown as taken off (a raised price or rounding up shows +).
        row("折扣", signed(-r.discount_fen)),
        row("改价", signed(-r.override_fen)),
        row("赠送", signed(-r.gift_fen)),
        # 促销 and 积分抵扣 (issue 17) only where some sale had them: older periods read as they did.
        *((row("促销", signed(-r.promotion_fen)),) if r.promotion_fen or t.by_promotion else ()),
        *((row("积分抵扣", signed(-r.points_fen)),) if r.points_fen else ()),
        row("抹零", signed(-r.rounding_fen)),
        row("销售额（应收）", money(t.sales_fen)),
        row("退货笔数", str(t.returns_count)),
        row("退款", money(-t.refunds_fen) if t.refunds_fen else money(0)),
        row("净销售额", money(t.net_fen)),
        row("删除商品行", say(lang, "{count} 笔 {amount}", count=t.voids_count, amount=money(t.void_fen))),
        row("备用金存入", money(t.cash_in_fen)),
        row("现金取出", money(t.cash_out_fen)),
        row("练习交易（不计入）", str(t.training_count)),
    ))
    tenders = ReportSection(say(lang, "按付款方式"),
                            tuple(ReportRow(tender_label(k, lang), money(v)) for k, v in sorted(t.by_tender.items())))
    taxes = ReportSection(say(lang, "按税率（价税分离）"), tax_rows(t, lang))
    cats = ReportSection(say(lang, "按类别"),
                         tuple(ReportRow(name_or_word(lang, k), money(v)) for k, v in sorted(t.by_category.items())))
    origins = ReportSection(say(lang, "按产地（消费帮扶）"),
                            tuple(ReportRow(name_or_word(lang, k), money(v)) for k, v in sorted(t.by_origin.items())))
    extra: tuple[ReportSection, ...] = ()
    if t.by_promotion:  # the reduction each promotion gave (promotion cost)
        extra += (ReportSection(say(lang, "按促销"), tuple(ReportRow(k, signed(-v)) for k, v in sorted(t.by_promotion.items()))),)
    if t.members:
        m = t.members
        extra += (ReportSection(say(lang, "会员"), (
            row("会员销售笔数", str(m.get("sales", 0))),
            row("发放积分", str(m.get("points_earned", 0))),
            row("使用积分", str(m.get("points_redeemed", 0))),
            row("退货扣回积分", str(m.get("points_reversed", 0))),
        )),)
    return summary, tenders, taxes, cats, origins, *extra


def tax_rows(t: PeriodTotals, lang: str = "zh") -> tuple[ReportRow, ...]:
    """含税金额, 不含税金额 and 税额 per rate (lowest first, 未设 last), then the totals."""
    def rate_row(template: str, rate: str, fen: int) -> ReportRow:
        return ReportRow(say(lang, template, rate=name_or_word(lang, rate)), money(fen))

    rows: list[ReportRow] = []
    if not t.tax_by_rate and not t.by_tax_rate:  # nothing sold or returned: nothing to separate
        return ()
    if not t.tax_by_rate:  # a Z taken before tax was worked out: tax-inclusive sales only
        rows += [rate_row("{rate} 含税金额", k, v) for k, v in sorted(t.by_tax_rate.items(), key=lambda kv: rate_sort_key(kv[0]))]
        return (*rows, ReportRow(say(lang, "税额"), say(lang, "未计算（本报表早于价税分离）")))
    for k in sorted(t.tax_by_rate, key=rate_sort_key):
        v = t.tax_by_rate[k]
        rows += [rate_row("{rate} 含税金额", k, v["gross"]), rate_row("{rate} 不含税金额", k, v["net"]),
                 rate_row("{rate} 税额", k, v["tax"])]
    gross = sum(v["gross"] for v in t.tax_by_rate.values())
    total = say(lang, "合计")
    return (*rows, ReportRow(say(lang, "{rate} 含税金额", rate=total), money(gross)),
            ReportRow(say(lang, "{rate} 不含税金额", rate=total), money(gross - t.tax_fen)),
            ReportRow(say(lang, "{rate} 税额", rate=total), money(t.tax_fen)))


def x_document(x: XReport, till: TillIdentity, lang: str = "zh") -> ReportDoc:
    lang = report_language(lang)
    drawer = ReportSection(say(lang, "钱箱"), (
        ReportRow(say(lang, "备用金"), money(x.shift.opening_float_fen)),
        ReportRow(say(lang, "应有现金"), money(x.expected_cash_fen)),
    ))
    opened = say(lang, "开班 {who}", who=x.opened_by_name or x.shift.opened_by) + (f"  {x.opened_at}" if x.opened_at else "")
    return ReportDoc(say(lang, "X 报表（班中）"),
                     _header(till, lang, say(lang, "班次 {shift}  {opened}", shift=x.shift.shift_no, opened=opened),
                             say(lang, "打印时间 {at}", at=x.at)),
                     (*totals_sections(x.totals, lang), drawer), (say(lang, "X 报表不结账"),),
                     f"X-{till.terminal_id}-{x.shift.shift_no}", lang, partial(x_document, x, till))


def shift_close_document(r: ShiftResult, till: TillIdentity, by: str, at: str, lang: str = "zh") -> ReportDoc:
    """``by`` is the name of the person handing over (not the login); ``at`` the local time."""
    lang = report_language(lang)
    over_short = "（长款）" if r.variance_fen > 0 else "（短款）" if r.variance_fen < 0 else ""
    rows = [ReportRow(say(lang, "备用金"), money(r.opening_float_fen)),
            ReportRow(say(lang, "应有现金"), money(r.expected_cash_fen)),
            ReportRow(say(lang, "实点现金"), money(r.counted_cash_fen)),
            ReportRow(say(lang, "现金差额") + (say(lang, over_short) if over_short else ""),
                      signed(r.variance_fen), highlight=r.variance_fen != 0)]
    for k, v in sorted(r.expected_by_tender.items()):
        if k == "cash":
            continue
        declared = r.declared_by_tender.get(k)
        rows.append(ReportRow(say(lang, "{tender} 应收", tender=tender_label(k, lang)), money(v)))
        if declared is not None:
            rows.append(ReportRow(say(lang, "{tender} 申报差额", tender=tender_label(k, lang)), signed(declared - v),
                                  highlight=declared != v))
    figures = totals_sections(r.totals, lang) if r.totals is not None else ()
    return ReportDoc(say(lang, "交班报表"),
                     _header(till, lang, say(lang, "班次 {shift}  交班 {who}", shift=r.shift_no, who=by),
                             say(lang, "时间 {at}", at=at)),
                     (ReportSection(say(lang, "对账"), tuple(rows)), *figures), (say(lang, "盲点：先点钞，后显示应有金额"),),
                     f"SHIFT-{till.terminal_id}-{r.shift_no}", lang, partial(shift_close_document, r, till, by, at))


def z_document(z: ZReport, till: TillIdentity, lang: str = "zh") -> ReportDoc:
    lang = report_language(lang)
    grand = ReportSection(say(lang, "累计"), (
        ReportRow(say(lang, "上次累计总额"), money(z.grand_total_before_fen)),
        ReportRow(say(lang, "本日净销售额"), money(z.totals.net_fen)),
        ReportRow(say(lang, "累计总额"), money(z.grand_total_fen)),
        ReportRow(say(lang, "流水号范围"), f"{z.first_seq}–{z.last_seq}"),
    ))
    return ReportDoc(say(lang, "Z 报表（日结）"),
                     _header(till, lang, say(lang, "营业日 {day}", day=z.business_day),
                             say(lang, "日结 {who}  {at}", who=z.closed_by_name or z.closed_by, at=z.closed_at)),
                     (*totals_sections(z.totals, lang), grand), (say(lang, "日结后的交易计入下一营业日"),),
                     f"Z-{till.terminal_id}-{z.business_day}", lang, partial(z_document, z, till))


def reconciliation_document(r: DayReconciliation, till: TillIdentity, lang: str = "zh") -> ReportDoc:
    lang = report_language(lang)
    rows = []
    for ln in r.lines:
        declared = "—" if ln.declared_fen is None else money(ln.declared_fen)
        variance = "—" if ln.variance_fen is None else signed(ln.variance_fen)
        reason = r.no_statement.get(ln.tender)
        if reason is not None and ln.declared_fen is None:
            declared, variance = say(lang, "无对账单"), "—"
        rows.append(ReportRow(tender_label(ln.tender, lang),
                              say(lang, "应 {expected} 报 {declared} 差 {variance}", expected=money(ln.expected_fen),
                                  declared=declared, variance=variance),
                              highlight=bool(ln.variance_fen) or ln.tender in r.missing))
        if reason is not None and ln.declared_fen is None:
            rows.append(ReportRow("  " + say(lang, "{tender} 无对账单原因", tender=tender_label(ln.tender, lang)), reason))
    status = say(lang, "已审核（{who}）", who=r.approved_by_name or r.approved_by) if r.approved else say(lang, "未审核")
    missing = say(lang, "、").join(tender_label(t, lang) for t in r.missing)
    footer = tuple(x for x in (say(lang, "备注：{notes}", notes=r.notes) if r.notes else "",
                               say(lang, "未申报：{tenders}", tenders=missing) if missing else "",
                               say(lang, "状态：{status}", status=status)) if x)
    preparer = r.declared_by_name or r.declared_by or "—"
    return ReportDoc(say(lang, "对账单"),
                     _header(till, lang, say(lang, "营业日 {day}", day=r.business_day), say(lang, "录入 {who}", who=preparer)),
                     (ReportSection(say(lang, "应收与申报"), tuple(rows)),), footer,
                     f"RECON-{till.terminal_id}-{r.business_day}", lang, partial(reconciliation_document, r, till))
