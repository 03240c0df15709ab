"""Returns (退货): what may be given back for a receipt, and where the money goes.

Never more than was sold: quantities and refunds are counted against every earlier return of
the same receipt. Refunds go back to the original tenders in proportion to what each still
holds; the last return of a line or tender gets the exact remainder, so a receipt returned in
parts refunds to the fen what was paid.

A single-use tender (a 消费券) is never refunded onto: once redeemed it stays redeemed (the
issuer paid for it). Its share of a refund goes to cash, or to a tender the cashier picks, and
the refund remembers which voucher share it stands for (``instead_of``) so the slip can say so.

A line's refund is its share of what was really paid for it (its net, after promotions: returning one
of 买二赠一 refunds a third of what the three cost). A member's points earned on the sale are taken
back in proportion to the refund, cumulatively, so a sale returned in parts takes back exactly what it
earned. Points the member redeemed on the sale are not given back (they paid for what was kept first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .closing import origin_split
from .errors import PosError
from .money import Fen, div_round_half_up
from .permissions import Approval
from .pricing import allocate
from .sale import Sale, SaleLine
from .stock import StockDraw
from .tax import RateAmount, TaxSplit, split_tax
from .tenders import SINGLE_USE, Tender, TenderKind, net_by_tender


class ReturnError(PosError):
    code = "return_error"


@dataclass(frozen=True, slots=True)
class ReturnLine:
    line_no: int
    orig_line_no: int | None  # None for a return without a receipt
    sku: str
    name: str
    quantity: int  # units, or grams when weighed
    weighed: bool
    refund_fen: Fen
    category: str
    origin: str
    tax_rate_bp: int | None
    origin_split: tuple[tuple[str, int], ...] = ()  # a gift box's refund by its components' counties
    unit_price_fen: Fen | None = None  # as sold (per unit, or per kg); None in payloads from before it was kept
    variant: str | None = None  # size and colour of a variant, e.g. "黑色/XL"
    rate_split: tuple[RateAmount, ...] = ()  # a gift box's refund by its components' tax rates

    @property
    def shown_unit_price_fen(self) -> Fen:
        """The unit price a slip shows: as sold, or (older returns) the refund per unit or per kg."""
        if self.unit_price_fen is not None:
            return self.unit_price_fen
        if not self.quantity:
            return 0
        return div_round_half_up(self.refund_fen * (1000 if self.weighed else 1), self.quantity)

    def to_json(self) -> dict[str, Any]:
        return {"line_no": self.line_no, "orig_line_no": self.orig_line_no, "sku": self.sku, "name": self.name,
                "quantity": self.quantity, "weighed": self.weighed, "refund": self.refund_fen,
                "category": self.category, "origin": self.origin, "tax_rate_bp": self.tax_rate_bp,
                "origin_split": [list(x) for x in self.origin_split], "rate_split": [list(x) for x in self.rate_split],
                "unit_price": self.unit_price_fen, "variant": self.variant}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ReturnLine:
        return cls(d["line_no"], d.get("orig_line_no"), d["sku"], d["name"], d["quantity"], bool(d["weighed"]),
                   d["refund"], d.get("category", ""), d.get("origin", ""), d.get("tax_rate_bp"),
                   tuple((str(o), int(a)) for o, a in d.get("origin_split", ())),
                   d.get("unit_price"), d.get("variant"),
                   rate_split=tuple((bp, int(a)) for bp, a in d.get("rate_split", ())))


@dataclass(frozen=True, slots=True)
class Return:
    return_no: str
    receipt_no: str | None
    cashier_login: str
    cashier_name: str
    lines: tuple[ReturnLine, ...]
    refunds: tuple[Tender, ...]
    approvals: tuple[Approval, ...]
    training: bool = False
    reason: str = ""
    refund_of: tuple[int | None, ...] = ()  # for each refund, the index of the sale tender it goes back to
    shift_no: int | None = None
    instead_of: tuple[TenderKind | None, ...] = ()  # for each refund, the single-use tender it replaces
    approver_name: str = ""  # the manager who approved the return, by name, for the slip
    draws: tuple[StockDraw, ...] = ()  # the lots the goods went back into (issue 15); empty: stock not followed
    member_id: str | None = None  # the member of the sale (issue 17) …
    points_reversed: int = 0  # … and the points earned on it that this return takes back

    @property
    def refund_fen(self) -> Fen:
        return sum(ln.refund_fen for ln in self.lines)

    @property
    def tax(self) -> TaxSplit:
        """价税分离 of what this return refunds, per rate, the way a sale's is (pos.domain.tax)."""
        return split_tax(ra for ln in self.lines for ra in (ln.rate_split or ((ln.tax_rate_bp, ln.refund_fen),)))

    def to_payload(self) -> dict[str, Any]:
        return {"return_no": self.return_no, "receipt_no": self.receipt_no, "cashier": self.cashier_login,
                "cashier_name": self.cashier_name, "lines": [ln.to_json() for ln in self.lines],
                "refund": self.refund_fen,
                "refunds": [{"kind": t.kind.value, "amount": t.amount_fen, "reference": t.reference, "of": of}
                            | ({"instead_of": instead.value} if instead else {})
                            for t, of, instead in zip(self.refunds, self._sources(), self._replaced(), strict=True)],
                "approvals": [a.to_json() for a in self.approvals], "training": self.training, "reason": self.reason,
                "shift": self.shift_no, "tax": self.tax.to_json()} | ({"approver_name": self.approver_name} if self.approver_name else {}) | ({"draws": [d.to_json() for d in self.draws]} if self.draws else {}) | ({"member": {"id": self.member_id, "points_reversed": self.points_reversed}} if self.member_id else {})

    def _sources(self) -> tuple[int | None, ...]:
        return self.refund_of if len(self.refund_of) == len(self.refunds) else (None,) * len(self.refunds)

    def _replaced(self) -> tuple[TenderKind | None, ...]:
        return self.instead_of if len(self.instead_of) == len(self.refunds) else (None,) * len(self.refunds)

    @property
    def single_use_refunded_fen(self) -> Fen:
        """What was paid by voucher and refunded another way (消费券部分退现金)."""
        return sum(t.amount_fen for t, instead in zip(self.refunds, self._replaced(), strict=True) if instead)

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> Return:
        return cls(p["return_no"], p.get("receipt_no"), p["cashier"], p.get("cashier_name", p["cashier"]),
                   tuple(ReturnLine.from_json(x) for x in p["lines"]),
                   tuple(Tender(TenderKind(t["kind"]), t["amount"], t.get("reference")) for t in p["refunds"]),
                   tuple(Approval.from_json(a) for a in p.get("approvals", ())), bool(p.get("training", False)),
                   p.get("reason", ""), tuple(t.get("of") for t in p["refunds"]), p.get("shift"),
                   tuple(TenderKind(t["instead_of"]) if t.get("instead_of") else None for t in p["refunds"]),
                   p.get("approver_name", ""), tuple(StockDraw.from_json(d) for d in p.get("draws") or ()),
                   (p.get("member") or {}).get("id"), int((p.get("member") or {}).get("points_reversed", 0)))


@dataclass(frozen=True, slots=True)
class Returned:
    """What earlier returns of one receipt already took back."""

    quantity_by_line: Mapping[int, int]
    refund_by_line: Mapping[int, Fen]
    refund_by_tender: Mapping[int, Fen]  # index into the sale's tenders

    @classmethod
    def of(cls, sale: Sale, earlier: list[Return]) -> Returned:
        q: dict[int, int] = {}
        r: dict[int, int] = {}
        t: dict[int, int] = {}
        for ret in earlier:
            for ln in ret.lines:
                if ln.orig_line_no is not None:
                    q[ln.orig_line_no] = q.get(ln.orig_line_no, 0) + ln.quantity
                    r[ln.orig_line_no] = r.get(ln.orig_line_no, 0) + ln.refund_fen
            for refund, of in zip(ret.refunds, ret._sources(), strict=True):
                if of is not None:
                    t[of] = t.get(of, 0) + refund.amount_fen
        return cls(q, r, t)


def returnable(line: SaleLine, already: Returned) -> int:
    return line.quantity - already.quantity_by_line.get(line.line_no, 0)


@dataclass(frozen=True, slots=True)
class ReturnPlan:
    lines: tuple[ReturnLine, ...]
    refunds: tuple[Tender, ...]
    refund_of: tuple[int, ...]  # index of the sale tender each refund goes back to
    instead_of: tuple[TenderKind | None, ...] = ()  # the single-use tender a refund stands in for
    member_id: str | None = None  # the sale's member, whose points earned are taken back in part
    points_reversed: int = 0

    @property
    def refund_fen(self) -> Fen:
        return sum(ln.refund_fen for ln in self.lines)


def points_to_reverse(sale: Sale, refunded_before: Fen, refund: Fen) -> int:
    """The points earned on ``sale`` that a refund of ``refund`` takes back after ``refunded_before`` was
    refunded already: in proportion to the sale's total, counted cumulatively (a full return, in any
    number of parts, takes back exactly what was earned)."""
    earned = sale.member.points_earned if sale.member is not None else 0
    if earned <= 0:
        return 0
    due = sale.total_fen
    if due <= 0:
        return earned if refunded_before == 0 else 0

    def upto(refunded: Fen) -> int:
        return min(earned, div_round_half_up(earned * refunded, due))

    return upto(refunded_before + refund) - upto(refunded_before)


def _rate_split(line: SaleLine, refund: Fen) -> tuple[RateAmount, ...]:
    """A gift box's refund over its components' tax rates (as the sale counted them); () for a plain line."""
    return tuple(line.rate_amounts(refund)) if line.components else ()


def plan_return(sale: Sale, requested: Mapping[int, int], already: Returned, *,
                single_use_to: Tender | TenderKind = TenderKind.CASH) -> ReturnPlan:
    """Lines and refund tenders for returning ``requested`` (line_no → quantity) of ``sale``.

    A voucher's share is refunded as ``single_use_to`` (a kind, or a kind and reference given as a
    Tender whose amount is ignored), cash unless the cashier picks another tender.
    """
    to_kind, to_ref = (single_use_to.kind, single_use_to.reference) if isinstance(single_use_to, Tender) \
        else (single_use_to, None)
    if to_kind in SINGLE_USE:
        raise ReturnError(f"a refund cannot go back onto a {to_kind.label_en.lower()} (it can be used only once); "
                          "choose cash or another way to pay",
                          message_zh=f"退款不能退到{to_kind.label_zh}，请选择现金或其他付款方式")
    if sale.training:
        raise ReturnError("a training sale cannot be returned", message_zh="练习模式的交易不能退货")
    if not requested:
        raise ReturnError("choose at least one line to return", message_zh="请选择要退的商品")
    by_no = {ln.line_no: ln for ln in sale.lines}
    out: list[ReturnLine] = []
    for i, (line_no, qty) in enumerate(sorted(requested.items()), start=1):
        line = by_no.get(line_no)
        if line is None:
            raise ReturnError(f"receipt {sale.receipt_no} has no line {line_no}", message_zh=f"小票 {sale.receipt_no} 没有第 {line_no} 行")
        left = returnable(line, already)
        if not isinstance(qty, int) or qty <= 0:
            raise ReturnError("a returned quantity must be more than zero", message_zh="退货数量必须大于零")
        if qty > left:
            shown = f"{left / 1000:g} kg" if line.weighed else str(left)
            raise ReturnError(
                f"only {shown} of {line.name} can still be returned on {sale.receipt_no}",
                message_zh=f"{line.name} 最多还可退 {shown}（不能超过售出数量）",
            )
        refunded = already.refund_by_line.get(line_no, 0)
        if qty == left:
            refund = line.net_fen - refunded  # the last part gets the exact remainder
        else:
            refund = min(div_round_half_up(line.net_fen * qty, line.quantity), line.net_fen - refunded)
        split = origin_split(refund, line.components, line.origin) if line.components else []
        out.append(ReturnLine(i, line_no, line.sku, line.name, qty, line.weighed, refund, line.category, line.origin,
                              line.tax_rate_bp, tuple((o, a) for o, a in split), line.unit_price_fen,
                              line.variant,
                              rate_split=_rate_split(line, refund)))
    total = sum(ln.refund_fen for ln in out)
    nets = net_by_tender(sale.tenders, sale.change_fen)
    remaining = [n - already.refund_by_tender.get(i, 0) for i, n in enumerate(nets)]
    if total > sum(remaining):
        raise ReturnError("the refund is more than was paid", message_zh="退款金额超过实付金额")
    shares = allocate(total, remaining)
    paid_back = [i for i, share in enumerate(shares) if share > 0]
    refunds: list[Tender] = []
    instead: list[TenderKind | None] = []
    for i in paid_back:
        t = sale.tenders[i]
        if t.kind in SINGLE_USE:  # what was redeemed stays redeemed: refund the share another way
            refunds.append(Tender(to_kind, shares[i], to_ref))
            instead.append(t.kind)
        else:
            refunds.append(Tender(t.kind, shares[i], t.reference))
            instead.append(None)
    member = sale.member
    reversed_ = points_to_reverse(sale, sum(already.refund_by_line.values()), total) if member is not None else 0
    return ReturnPlan(tuple(out), tuple(refunds), tuple(paid_back), tuple(instead),
                      member.member_id if member is not None else None, reversed_)
