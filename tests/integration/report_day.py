"""A trading day with every figure the closing reports show, for the report-language tests.

Sold at the demo counter (茂县专柜, MX01) on 2026-11-22: cash with change, a price change, a line
discount, WeChat and an institution account, 抹角 rounding, a return, cash in and out, a removed
line; then X mid-shift, the blind handover, the Z and the reconciliation (one tender without a
statement, approved by the accountant).
"""

from __future__ import annotations

from dataclasses import dataclass

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.closing import CashCount, ShiftResult
from pos.domain.permissions import Action
from pos.domain.pricing import RoundingMode, parse_discount
from pos.domain.tenders import Tender, TenderKind
from pos.services.shifts import DayReconciliation, XReport, ZReport

SCARF = "6958271000240"  # 羌绣围巾 ¥168.00, 13 %
EGGS = "6972316000170"  # 松阳土鸡蛋 ¥45.00, 9 %
APPLE_PLU = "101"  # 茂县冰糖心苹果（特级）, ¥16.80 per kg


@dataclass(frozen=True)
class ReportDay:
    x: XReport
    handover: ShiftResult
    z: ZReport
    rec: DayReconciliation


def trade_report_day(till: Till) -> ReportDay:
    cashier = till.auth.login("cashier1", "1111")
    manager = till.auth.login("manager1", "2222")
    accountant = till.auth.login("accountant1", "3333")
    till.shifts.open(cashier, CashCount.of({10000: 2}))
    # 30 boxes of eggs: ¥1,350.00 paid with fourteen ¥100 notes.
    till.checkout.complete_sale(Cart().add(till.lookup.find(EGGS), 30), [Tender(TenderKind.CASH, 140000)], cashier)
    cut = Cart().add(till.lookup.find(SCARF)).override_price(0, 990, by=manager.role)
    till.checkout.complete_sale(cut, [Tender(TenderKind.CASH, 990)], manager)
    eggs = Cart().add(till.lookup.find(EGGS), 2).discount_line(0, parse_discount("5%"), by=cashier.role)
    till.checkout.complete_sale(eggs, [Tender(TenderKind.WECHAT, 8550, "134567890123456789")], cashier)
    till.checkout.complete_sale(Cart().add(till.lookup.find(EGGS), 1), [Tender(TenderKind.ACCOUNT, 4500, "PHGH")],
                                cashier)
    till.checkout.set_rounding(RoundingMode.DROP_JIAO, manager)
    apples = Cart().add(till.lookup.find(APPLE_PLU), 1234)  # 1.234 kg = ¥20.73, ¥20.00 after 抹角
    sold = till.checkout.complete_sale(apples, [Tender(TenderKind.CASH, 2000)], cashier)
    ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    till.returns.return_items(sold.sale.receipt_no, {1: 1234}, cashier, approval=ok)
    ok = till.auth.approve(Action.CASH_IN_OUT, "manager1", "2222", requested_by=cashier)
    till.shifts.move_cash("cash_in", 5000, "补零钱", cashier, approval=ok)
    ok = till.auth.approve(Action.CASH_IN_OUT, "manager1", "2222", requested_by=cashier)
    till.shifts.move_cash("cash_out", 100000, "存银行", cashier, approval=ok)
    x = till.shifts.x_report()
    handover = till.shifts.close(cashier, CashCount.of({10000: 5, 5000: 1, 1000: 1, 500: 1}), {"wechat": 8500})
    z = till.closing.z_close(accountant)
    till.closing.declare(z.business_day, {"cash": 60000, "wechat": 8550}, "微信少一笔手续费", manager,
                         no_statement={"account": "单位月底统一对账"})
    rec = till.closing.approve(z.business_day, accountant)
    return ReportDay(x, handover, z, rec)
