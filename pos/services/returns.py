"""Returns (退货) by receipt, and without one when the role allows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pos.domain.catalog import Product
from pos.domain.errors import InvalidInput
from pos.domain.ledger import EntryKind
from pos.domain.money import weighed_amount
from pos.domain.permissions import Action, Approval, check
from pos.domain.receipt import Receipt, ReceiptLine, ReceiptPayment
from pos.domain.returns import Return, Returned, ReturnError, ReturnLine, ReturnPlan, plan_return, returnable
from pos.domain.sale import Sale, format_quantity, format_receipt_no, parse_receipt_no
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import User

from .checkout import NoOpenShift
from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    line_no: int
    sku: str
    name: str
    sold: int
    returnable: int
    weighed: bool
    net_fen: int


@dataclass(frozen=True, slots=True)
class CompletedReturn:
    ret: Return
    receipt: Receipt
    seq: int


class ReturnService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till

    def _sale_and_returned(self, uow, receipt_no: str) -> tuple[Sale, Returned]:  # noqa: ANN001
        parse_receipt_no(receipt_no)
        sale = uow.documents.sale(receipt_no.strip().upper())
        if sale is None:
            raise InvalidInput(f"no sale {receipt_no} on this till", message_zh=f"本机没有小票 {receipt_no}")
        return sale, Returned.of(sale, uow.documents.returns_of(sale.receipt_no))

    def lookup(self, receipt_no: str) -> tuple[Sale, list[ReturnableLine]]:
        """The sale behind a receipt and how much of each line can still come back."""
        with self._uow() as uow:
            sale, already = self._sale_and_returned(uow, receipt_no)
        return sale, [ReturnableLine(ln.line_no, ln.sku, ln.name, ln.quantity, returnable(ln, already), ln.weighed,
                                     ln.net_fen) for ln in sale.lines]

    def plan(self, receipt_no: str, quantities: dict[int, int]) -> ReturnPlan:
        """What returning ``quantities`` would refund, and to which tenders, without doing it."""
        with self._uow() as uow:
            sale, already = self._sale_and_returned(uow, receipt_no)
        return plan_return(sale, quantities, already)

    def return_items(self, receipt_no: str, quantities: dict[int, int], cashier: User, *,
                     approval: Approval | None = None, reason: str = "", training: bool = False) -> CompletedReturn:
        """Return lines of a receipt (line_no → quantity), refunding to the original tenders."""
        if training:
            raise ReturnError("returns are not practised in training mode", message_zh="练习模式下不能退货")
        self.plan(receipt_no, quantities)  # a refused quantity is said before anyone is asked for a PIN
        check(cashier.role, Action.RETURN, approval, detail=receipt_no)
        now = self._clock.now()
        with self._uow() as uow:
            day = uow.business_day(now)
            shift = self._shift(uow)
            sale, already = self._sale_and_returned(uow, receipt_no)
            plan = plan_return(sale, quantities, already)
            ret = Return(self._next_no(uow, day), sale.receipt_no, cashier.login, cashier.display_name, plan.lines,
                         plan.refunds, (approval,) if approval else (), reason=reason, refund_of=plan.refund_of,
                         shift_no=shift)
            entry = uow.journal.append(EntryKind.RETURN, business_day=day, created_at=utc_iso(now), payload=ret.to_payload())
            uow.commit()
        return CompletedReturn(ret, self._receipt(ret, now), entry.seq)

    def return_without_receipt(self, items: list[tuple[Product, int]], cashier: User, *,
                               approval: Approval | None = None, reason: str = "") -> CompletedReturn:
        """Take goods back with no receipt (permission needed): refunded in cash at today's price."""
        check(cashier.role, Action.RETURN_WITHOUT_RECEIPT, approval, detail="无小票")
        if not items:
            raise ReturnError("choose at least one product to return", message_zh="请选择要退的商品")
        lines = []
        for i, (p, qty) in enumerate(items, start=1):
            if qty <= 0:
                raise ReturnError("a returned quantity must be more than zero", message_zh="退货数量必须大于零")
            refund = weighed_amount(p.price_fen, qty) if p.weighed else p.price_fen * qty
            lines.append(ReturnLine(i, None, p.sku, p.name, qty, p.weighed, refund, p.category, p.origin, p.tax_rate_bp))
        total = sum(ln.refund_fen for ln in lines)
        now = self._clock.now()
        with self._uow() as uow:
            day = uow.business_day(now)
            shift = self._shift(uow)
            refunds = (Tender(TenderKind.CASH, total),) if total > 0 else ()
            ret = Return(self._next_no(uow, day), None, cashier.login, cashier.display_name, tuple(lines), refunds,
                         (approval,) if approval else (), reason=reason, refund_of=(0,) if refunds else (),
                         shift_no=shift)
            entry = uow.journal.append(EntryKind.RETURN, business_day=day, created_at=utc_iso(now), payload=ret.to_payload())
            uow.commit()
        return CompletedReturn(ret, self._receipt(ret, now), entry.seq)

    @staticmethod
    def _shift(uow) -> int:  # noqa: ANN001
        shift = uow.shifts.current()
        if shift is None:
            raise NoOpenShift()
        return shift.shift_no

    def _next_no(self, uow, day: str) -> str:  # noqa: ANN001
        d = date.fromisoformat(day)
        prefix = format_receipt_no(self._till.terminal_id, d, 0, series="R")[:-4]
        return format_receipt_no(self._till.terminal_id, d, uow.documents.next_number("return", prefix), series="R")

    def _receipt(self, ret: Return, at) -> Receipt:  # noqa: ANN001
        lines = tuple(ReceiptLine(ln.name, format_quantity(ln.weighed, ln.quantity), 0, ln.refund_fen, ln.weighed,
                                  None) for ln in ret.lines)
        payments = tuple(ReceiptPayment(f"退{t.kind.label_zh}", t.amount_fen, t.reference) for t in ret.refunds)
        footer = (f"原小票：{ret.receipt_no}" if ret.receipt_no else "无小票退货", "退款已按原付款方式退回")
        return Receipt(
            store_name=self._till.store_name, counter_name=self._till.counter_name, terminal_id=self._till.terminal_id,
            receipt_no=ret.return_no, cashier=ret.cashier_name, printed_at=self._till.shown_time(at), lines=lines,
            subtotal_fen=ret.refund_fen, total_fen=ret.refund_fen, paid_fen=ret.refund_fen, change_fen=0,
            payments=payments, item_count=sum(1 if ln.weighed else ln.quantity for ln in ret.lines),
            title="退货单", footer=footer,
        )
