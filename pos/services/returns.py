"""Returns (退货) by receipt, and without one when the role allows it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from pos.domain.catalog import Product
from pos.domain.errors import InvalidInput
from pos.domain.ledger import EntryKind
from pos.domain.money import weighed_amount
from pos.domain.permissions import Action, Approval, check
from pos.domain.receipt import VOUCHER_REFUND_NOTE, Receipt, ReceiptLine, ReceiptPayment, variant_text
from pos.domain.references import normalise_receipt_no
from pos.domain.returns import Return, Returned, ReturnError, ReturnLine, ReturnPlan, plan_return, returnable
from pos.domain.sale import Sale, format_quantity, format_receipt_no, parse_receipt_no, shown_reference
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import User

from . import stock_draws
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
    variant: str | None = None  # size and colour, e.g. "黑色/XL"
    unit_price_fen: int = 0  # as sold (per unit, or per kg)


@dataclass(frozen=True, slots=True)
class CompletedReturn:
    ret: Return
    receipt: Receipt
    seq: int


def variant_of(product: Product) -> str | None:
    return variant_text(product.color, product.size)


class ReturnService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till

    def _sale_and_returned(self, uow, receipt_no: str) -> tuple[Sale, Returned]:  # noqa: ANN001
        no = normalise_receipt_no(receipt_no)
        parse_receipt_no(no)
        sale = uow.documents.sale(no)
        if sale is None:
            raise InvalidInput(f"no sale {receipt_no} on this till", message_zh=f"本机没有小票 {receipt_no}")
        return sale, Returned.of(sale, uow.documents.returns_of(sale.receipt_no))

    def lookup(self, receipt_no: str) -> tuple[Sale, list[ReturnableLine]]:
        """The sale behind a receipt and how much of each line can still come back."""
        with self._uow() as uow:
            sale, already = self._sale_and_returned(uow, receipt_no)
        return sale, [ReturnableLine(ln.line_no, ln.sku, ln.name, ln.quantity, returnable(ln, already), ln.weighed,
                                     ln.net_fen, ln.variant, ln.unit_price_fen)
                      for ln in sale.lines]

    def plan(self, receipt_no: str, quantities: dict[int, int], *,
             voucher_refund_to: Tender | TenderKind = TenderKind.CASH) -> ReturnPlan:
        """What returning ``quantities`` would refund, and to which tenders, without doing it."""
        with self._uow() as uow:
            sale, already = self._sale_and_returned(uow, receipt_no)
        return plan_return(sale, quantities, already, single_use_to=voucher_refund_to)

    def return_items(self, receipt_no: str, quantities: dict[int, int], cashier: User, *,
                     approval: Approval | None = None, reason: str = "", training: bool = False,
                     voucher_refund_to: Tender | TenderKind = TenderKind.CASH) -> CompletedReturn:
        """Return lines of a receipt (line_no → quantity), refunding to the original tenders.

        A voucher (消费券) is single-use: its share is refunded as ``voucher_refund_to`` — cash
        unless the cashier picks another tender (a kind, or a Tender carrying its reference).
        """
        if training:
            raise ReturnError("returns are not practised in training mode", message_zh="练习模式下不能退货")
        # A refused quantity is said before anyone is asked for a PIN.
        self.plan(receipt_no, quantities, voucher_refund_to=voucher_refund_to)
        check(cashier.role, Action.RETURN, approval, detail=receipt_no)
        now = self._clock.now()
        with self._uow() as uow:
            day = uow.business_day(now)
            shift = self._shift(uow)
            sale, already = self._sale_and_returned(uow, receipt_no)
            plan = plan_return(sale, quantities, already, single_use_to=voucher_refund_to)
            ret = Return(self._next_no(uow, day), sale.receipt_no, cashier.login, cashier.display_name, plan.lines,
                         plan.refunds, (approval,) if approval else (), reason=reason, refund_of=plan.refund_of,
                         shift_no=shift, instead_of=plan.instead_of, approver_name=self._approver_name(uow, approval),
                         member_id=plan.member_id, points_reversed=plan.points_reversed)
            ret = replace(ret, draws=stock_draws.for_return(uow, ret, sale, already))
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
            lines.append(ReturnLine(i, None, p.sku, p.name, qty, p.weighed, refund, p.category, p.origin, p.tax_rate_bp,
                                    unit_price_fen=p.price_fen, variant=variant_of(p)))
        total = sum(ln.refund_fen for ln in lines)
        now = self._clock.now()
        with self._uow() as uow:
            day = uow.business_day(now)
            shift = self._shift(uow)
            refunds = (Tender(TenderKind.CASH, total),) if total > 0 else ()
            ret = Return(self._next_no(uow, day), None, cashier.login, cashier.display_name, tuple(lines), refunds,
                         (approval,) if approval else (), reason=reason, refund_of=(0,) if refunds else (),
                         shift_no=shift, approver_name=self._approver_name(uow, approval))
            ret = replace(ret, draws=stock_draws.for_return(uow, ret, None, None))
            entry = uow.journal.append(EntryKind.RETURN, business_day=day, created_at=utc_iso(now), payload=ret.to_payload())
            uow.commit()
        return CompletedReturn(ret, self._receipt(ret, now), entry.seq)

    @staticmethod
    def _approver_name(uow, approval: Approval | None) -> str:  # noqa: ANN001
        if approval is None:
            return ""
        rec = uow.users.get(approval.approver)
        return rec.display_name if rec else approval.approver

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
        return return_slip(ret, store_name=self._till.store_name, counter_name=self._till.counter_name,
                           terminal_id=self._till.terminal_id, printed_at=self._till.shown_time(at))


def return_slip(ret: Return, *, store_name: str, counter_name: str, terminal_id: str, printed_at: str) -> Receipt:
    """The 退货单: what came back at what unit price, 退款合计, how each part was refunded (a
    voucher's share as cash, said so), payment codes masked as on a sale receipt, reason, approver."""
    lines = tuple(ReceiptLine(ln.name, format_quantity(ln.weighed, ln.quantity), ln.shown_unit_price_fen,
                              ln.refund_fen, ln.weighed, ln.variant) for ln in ret.lines)
    instead = ret.instead_of if len(ret.instead_of) == len(ret.refunds) else (None,) * len(ret.refunds)
    payments = tuple(
        ReceiptPayment(f"退{t.kind.label_zh}" + (f"（{was.label_zh}部分）" if was else ""), t.amount_fen,
                       shown_reference(t.kind, t.reference), t.kind.value)
        for t, was in zip(ret.refunds, instead, strict=True))
    footer: tuple[str, ...] = (f"原小票：{ret.receipt_no}" if ret.receipt_no else "无小票退货",)
    if ret.points_reversed:  # the points the returned goods had earned go back (issue 17)
        footer += (f"会员积分扣回 {ret.points_reversed} 分",)
    instead_kinds = {t.kind for t, was in zip(ret.refunds, instead, strict=True) if was}
    if ret.receipt_no and sum(1 for was in instead if was) < len(ret.refunds):
        footer += ("其余退款已按原付款方式退回" if instead_kinds else "退款已按原付款方式退回",)
    if instead_kinds:  # a voucher stays redeemed: its share went back another way
        footer += (VOUCHER_REFUND_NOTE if instead_kinds == {TenderKind.CASH}
                   else "消费券部分退" + "、".join(sorted(k.label_zh for k in instead_kinds)),)
    return Receipt(
        store_name=store_name, counter_name=counter_name, terminal_id=terminal_id, receipt_no=ret.return_no,
        cashier=ret.cashier_name, printed_at=printed_at, lines=lines, subtotal_fen=ret.refund_fen,
        total_fen=ret.refund_fen, paid_fen=ret.refund_fen, change_fen=0, payments=payments,
        item_count=sum(1 if ln.weighed else ln.quantity for ln in ret.lines), title="退货单", footer=footer,
        is_return=True, reason=ret.reason,
        # Returns from before names were kept show the approver's login.
        approver=ret.approver_name or (ret.approvals[0].approver if ret.approvals else ""),
    )
