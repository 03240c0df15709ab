"""A completed sale as the journal records it, and its receipt."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .cart import Cart, CartLine, CartTotals, format_quantity
from .catalog import SoldBy
from .errors import InvalidInput
from .members import PointsRule, points_earned
from .money import Fen, format_yuan, weighed_amount
from .permissions import Approval
from .pricing import Discount, RoundingMode, allocate
from .receipt import LotMark, Receipt, ReceiptLine, ReceiptMember, ReceiptPayment, variant_text
from .reductions import Reductions, line_reductions
from .stock import StockDraw
from .tax import RateAmount, TaxSplit, line_rate_amounts, split_tax
from .tenders import Settlement, Tender, TenderKind

_RECEIPT_NO = re.compile(r"^(?P<terminal>[A-Z0-9]{2,12})-(?P<day>\d{8})-(?P<series>[TR]?)(?P<n>\d{4,6})$")


def format_receipt_no(terminal_id: str, business_day: date, number: int, *, series: str = "") -> str:
    """``MX01-20261122-0042``: terminal (store code + till), business day, daily counter.

    Other documents are numbered in their own series so they never use up sale numbers:
    ``T`` for training sales (``MX01-20261122-T0001``), ``R`` for returns.
    """
    return f"{terminal_id}-{business_day:%Y%m%d}-{series}{number:04d}"


def parse_receipt_no(text: str) -> tuple[str, date, int]:
    m = _RECEIPT_NO.match(text.strip().upper())
    if not m:
        raise InvalidInput(f"'{text}' is not a receipt number like MX01-20261122-0042", message_zh=f"“{text}”不是有效的小票号")
    d = m.group("day")
    try:
        day = date(int(d[:4]), int(d[4:6]), int(d[6:]))
    except ValueError:
        raise InvalidInput(f"'{text}' has an impossible date", message_zh=f"小票号“{text}”中的日期无效") from None
    return m.group("terminal"), day, int(m.group("n"))


@dataclass(frozen=True, slots=True)
class Component:
    """One product inside a gift box (礼盒), with its share of the box's revenue."""

    sku: str
    name: str
    quantity: int
    category: str
    origin: str
    tax_rate_bp: int | None
    revenue_fen: Fen

    def to_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "quantity": self.quantity, "category": self.category,
                "origin": self.origin, "tax_rate_bp": self.tax_rate_bp, "revenue": self.revenue_fen}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Component:
        return cls(d["sku"], d["name"], d["quantity"], d.get("category", ""), d.get("origin", ""),
                   d.get("tax_rate_bp"), d["revenue"])


@dataclass(frozen=True, slots=True)
class SaleLine:
    line_no: int
    sku: str
    barcode: str | None
    name: str
    unit: str
    sold_by: SoldBy
    quantity: int  # units, or grams when weighed
    unit_price_fen: Fen  # as charged (after an override)
    amount_fen: Fen  # gross − line discount − promotion − points share: what the line comes to
    category: str
    origin: str
    tax_rate_bp: int | None
    list_price_fen: Fen | None = None  # catalogue price when the price was overridden
    gross_fen: Fen | None = None  # before the line discount (defaults to amount)
    discount_fen: Fen = 0  # line discount
    sale_discount_share_fen: Fen = 0  # this line's share of the whole-sale discount
    rounding_share_fen: Fen = 0  # this line's share of 抹零 (signed)
    label_amount: bool = False  # charged from a scale label
    components: tuple[Component, ...] = ()
    approvals: tuple[Approval, ...] = ()
    list_value_fen: Fen | None = None  # the line at list price; None: derived (payloads before it was stored)
    variant: str | None = None  # a variant's colour and size, e.g. "黑色/XL" (None: plain goods, older lines)
    # What promotions took off the line (促销, in ``amount_fen`` already) and by which: (promo_id, version, fen).
    promotion_fen: Fen = 0
    promo: tuple[tuple[str, int, Fen], ...] = ()
    points_share_fen: Fen = 0  # this line's share of the member's points redeemed (积分抵扣, in ``amount_fen``)

    @property
    def weighed(self) -> bool:
        return self.sold_by is SoldBy.WEIGHT

    @property
    def charged_gross_fen(self) -> Fen:
        """The line at the charged price, before any discount."""
        return self.gross_fen if self.gross_fen is not None else self.amount_fen

    @property
    def list_total_fen(self) -> Fen:
        """The line at list (catalogue) price: what it would have cost with no override or discount."""
        if self.list_value_fen is not None:
            return self.list_value_fen
        if self.list_price_fen is None:
            return self.charged_gross_fen
        if self.weighed:
            return weighed_amount(self.list_price_fen, self.quantity)
        return self.list_price_fen * self.quantity

    @property
    def reductions(self) -> Reductions:
        """折扣, 改价, 抹零 and 赠送 on this line: list total − reductions.total = net."""
        return line_reductions(list_value_fen=self.list_total_fen, gross_fen=self.charged_gross_fen,
                               line_discount_fen=self.discount_fen, sale_discount_share_fen=self.sale_discount_share_fen,
                               rounding_share_fen=self.rounding_share_fen, promotion_fen=self.promotion_fen,
                               points_fen=self.points_share_fen)

    def rate_amounts(self, amount_fen: Fen | None = None) -> list[RateAmount]:
        """``amount_fen`` (default: the line's net) by tax rate: a gift box at its components' rates."""
        return line_rate_amounts(self.net_fen if amount_fen is None else amount_fen, self.tax_rate_bp,
                                 [(c.tax_rate_bp, c.revenue_fen) for c in self.components])

    @property
    def net_fen(self) -> Fen:
        """What the customer paid for this line after every discount and 抹零 share."""
        return self.amount_fen - self.sale_discount_share_fen + self.rounding_share_fen

    def to_json(self, reductions: Reductions | None = None) -> dict[str, Any]:
        """The line as the payload has it; ``reductions``: :attr:`reductions`, when the caller has it already.
        ``promo`` (``[[promo_id, version, fen], …]``), ``promotion`` and ``points_share`` only when not empty."""
        out = {
            "line_no": self.line_no, "sku": self.sku, "barcode": self.barcode, "name": self.name, "unit": self.unit,
            "sold_by": self.sold_by.value, "quantity": self.quantity, "unit_price": self.unit_price_fen,
            "amount": self.amount_fen, "category": self.category, "origin": self.origin,
            "tax_rate_bp": self.tax_rate_bp, "list_price": self.list_price_fen,
            "gross": self.gross_fen if self.gross_fen is not None else self.amount_fen,
            "discount": self.discount_fen, "sale_discount_share": self.sale_discount_share_fen,
            "rounding_share": self.rounding_share_fen, "label_amount": self.label_amount,
            "components": [c.to_json() for c in self.components],
            "approvals": [a.to_json() for a in self.approvals], "variant": self.variant,
            "list_value": self.list_total_fen,
            "reductions": (self.reductions if reductions is None else reductions).to_json(),
        }
        if self.promo:
            out["promo"] = [list(x) for x in self.promo]
        if self.promotion_fen:
            out["promotion"] = self.promotion_fen
        if self.points_share_fen:
            out["points_share"] = self.points_share_fen
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> SaleLine:
        return cls(
            line_no=d["line_no"], sku=d["sku"], barcode=d.get("barcode"), name=d["name"], unit=d["unit"],
            sold_by=SoldBy(d["sold_by"]), quantity=d["quantity"], unit_price_fen=d["unit_price"],
            amount_fen=d["amount"], category=d.get("category", ""), origin=d.get("origin", ""),
            tax_rate_bp=d.get("tax_rate_bp"), list_price_fen=d.get("list_price"), gross_fen=d.get("gross"),
            discount_fen=d.get("discount", 0), sale_discount_share_fen=d.get("sale_discount_share", 0),
            rounding_share_fen=d.get("rounding_share", 0), label_amount=bool(d.get("label_amount", False)),
            components=tuple(Component.from_json(c) for c in d.get("components", ())),
            approvals=tuple(Approval.from_json(a) for a in d.get("approvals", ())),
            list_value_fen=d.get("list_value"), variant=d.get("variant"),
            promotion_fen=int(d.get("promotion", 0)),
            promo=tuple((str(i), int(v), int(f)) for i, v, f in d.get("promo") or ()),
            points_share_fen=int(d.get("points_share", 0)),
        )


@dataclass(frozen=True, slots=True)
class SaleMember:
    """The member (会员) on a sale as the journal keeps it: never the phone number, only its mask.
    ``balance`` is the member's points after this sale (for the receipt)."""

    member_id: str
    tier: str
    points_earned: int = 0
    points_redeemed: int = 0
    redeem_fen: Fen = 0
    phone_masked: str = ""
    balance: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.member_id, "tier": self.tier, "points_earned": self.points_earned,
                               "points_redeemed": self.points_redeemed, "redeem_fen": self.redeem_fen}
        if self.phone_masked:
            out["phone_masked"] = self.phone_masked
        if self.balance is not None:
            out["balance"] = self.balance
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> SaleMember:
        return cls(str(d["id"]), str(d.get("tier", "")), int(d.get("points_earned", 0)),
                   int(d.get("points_redeemed", 0)), int(d.get("redeem_fen", 0)), str(d.get("phone_masked", "")),
                   d.get("balance"))


@dataclass(frozen=True, slots=True)
class AppliedPromotion:
    """A promotion named on the sale (and its receipt): what it took off in all."""

    promo_id: str
    version: int
    name: str
    off_fen: Fen

    def to_json(self) -> list[Any]:
        return [self.promo_id, self.version, self.name, self.off_fen]

    @classmethod
    def from_json(cls, d: list[Any]) -> AppliedPromotion:
        return cls(str(d[0]), int(d[1]), str(d[2]), int(d[3]))


@dataclass(frozen=True, slots=True)
class Sale:
    receipt_no: str
    terminal_id: str
    business_day: str
    cashier_login: str
    cashier_name: str
    lines: tuple[SaleLine, ...]
    subtotal_fen: Fen  # Σ line gross (合计)
    total_fen: Fen  # 应收
    tenders: tuple[Tender, ...]
    paid_fen: Fen
    change_fen: Fen
    training: bool = False
    discount_fen: Fen = 0  # line discounts + whole-sale discount (优惠)
    sale_discount: Discount | None = None
    rounding_fen: Fen = 0  # signed 抹零
    rounding_mode: RoundingMode = RoundingMode.NONE
    approvals: tuple[Approval, ...] = ()
    shift_no: int | None = None
    # The lots each line drew from (issue 15), first-expiry-first-out, with cost and revenue share;
    # empty when no product of the sale has its stock followed (then the payload has no "draws").
    draws: tuple[StockDraw, ...] = ()
    promos: tuple[AppliedPromotion, ...] = ()  # the promotions applied, in the engine's order
    member: SaleMember | None = None  # the member on the sale (会员), with points earned and redeemed
    promo_version: int | None = None  # the version of the promotions in force when the sale began

    def to_payload(self) -> dict[str, Any]:
        lines = self.lines
        reds = [ln.reductions for ln in lines]  # each line's once: the lines and the sale's sum use them
        payload = {
            "receipt_no": self.receipt_no,
            "cashier": self.cashier_login,
            "cashier_name": self.cashier_name,
            "lines": [ln.to_json(r) for ln, r in zip(lines, reds, strict=True)],
            "subtotal": self.subtotal_fen,
            "discount": self.discount_fen,
            "sale_discount": self.sale_discount.to_json() if self.sale_discount else None,
            "rounding": self.rounding_fen,
            "rounding_mode": self.rounding_mode.value,
            "total": self.total_fen,
            "tenders": [{"kind": t.kind.value, "amount": t.amount_fen, "reference": t.reference} for t in self.tenders],
            "paid": self.paid_fen,
            "change": self.change_fen,
            "training": self.training,
            "approvals": [a.to_json() for a in self.approvals],
            "shift": self.shift_no,
            "list_total": self.list_total_fen,
            "reductions": Reductions.sum(reds).to_json(),
            "tax": self.tax.to_json(),
        }
        if self.draws:
            payload["draws"] = [d.to_json() for d in self.draws]
        if self.promos:
            payload["promos"] = [p.to_json() for p in self.promos]
        if self.promo_version is not None:
            payload["promo_version"] = self.promo_version
        if self.member is not None:
            payload["member"] = self.member.to_json()
        return payload

    @classmethod
    def from_payload(cls, terminal_id: str, business_day: str, p: Mapping[str, Any]) -> Sale:
        return cls(
            receipt_no=p["receipt_no"], terminal_id=terminal_id, business_day=business_day,
            cashier_login=p["cashier"], cashier_name=p.get("cashier_name", p["cashier"]),
            lines=tuple(SaleLine.from_json(x) for x in p["lines"]), subtotal_fen=p["subtotal"],
            total_fen=p["total"],
            tenders=tuple(Tender(TenderKind(t["kind"]), t["amount"], t.get("reference")) for t in p["tenders"]),
            paid_fen=p["paid"], change_fen=p["change"], training=bool(p.get("training", False)),
            discount_fen=p.get("discount", 0),
            sale_discount=Discount.from_json(p["sale_discount"]) if p.get("sale_discount") else None,
            rounding_fen=p.get("rounding", 0), rounding_mode=RoundingMode(p.get("rounding_mode", "none")),
            approvals=tuple(Approval.from_json(a) for a in p.get("approvals", ())),
            shift_no=p.get("shift"),
            draws=tuple(StockDraw.from_json(d) for d in p.get("draws") or ()),
            promos=tuple(AppliedPromotion.from_json(x) for x in p.get("promos") or ()),
            member=SaleMember.from_json(p["member"]) if p.get("member") else None,
            promo_version=p.get("promo_version"),
        )

    @property
    def item_count(self) -> int:
        return sum(1 if ln.weighed else ln.quantity for ln in self.lines)

    @property
    def list_total_fen(self) -> Fen:
        """Σ lines at list price (原价合计): list_total − reductions.total = total."""
        return sum(ln.list_total_fen for ln in self.lines)

    @property
    def reductions(self) -> Reductions:
        """折扣, 改价, 促销, 积分抵扣, 抹零 and 赠送 over the whole sale, each a positive amount taken off."""
        return Reductions.sum(ln.reductions for ln in self.lines)

    @property
    def tax(self) -> TaxSplit:
        """价税分离 per rate (see pos.domain.tax): gift boxes at their components' rates."""
        return split_tax(ra for ln in self.lines for ra in ln.rate_amounts())


ComponentSpec = tuple[str, str, int, str, str, int | None, int]  # sku, name, qty, category, origin, tax, weight


def sale_lines_from_cart(
    cart: Cart, rounding: RoundingMode = RoundingMode.NONE,
    components_of: Mapping[str, tuple[ComponentSpec, ...]] | None = None, *, totals: CartTotals | None = None,
) -> tuple[SaleLine, ...]:
    """Sale lines with the whole-sale discount and 抹零 spread over them to the fen.

    ``totals``: ``cart.totals(rounding)`` when the caller has worked it out already."""
    if totals is None:
        totals = cart.totals(rounding)
    grosses = [ln.gross_fen for ln in cart.lines]
    discounts = [ln.discount.off(g) if ln.discount else 0 for ln, g in zip(cart.lines, grosses, strict=True)]
    promo = totals.promo
    offs = [promo.off_for(i) for i in range(len(cart.lines))] if promo is not None else [0] * len(cart.lines)
    shares_of = {b.key: tuple((s.promo_id, s.version, s.fen) for s in b.shares) for b in promo.lines} if promo else {}
    # In the order the cart takes them off: promotions, the whole-sale discount, points, 抹零.
    amounts = [g - d - o for g, d, o in zip(grosses, discounts, offs, strict=True)]
    disc_shares = allocate(totals.sale_discount_fen, amounts)
    after = [a - d for a, d in zip(amounts, disc_shares, strict=True)]
    points_shares = allocate(totals.points_fen, after) if totals.points_fen else [0] * len(after)
    after = [a - p for a, p in zip(after, points_shares, strict=True)]
    round_shares = allocate(totals.rounding_fen, after)
    comps_of = components_of or {}
    return tuple(_sale_line(i + 1, ln, disc_shares[i], round_shares[i], comps_of.get(ln.product.sku, ()),
                            grosses[i], discounts[i], offs[i], shares_of.get(i, ()), points_shares[i])
                 for i, ln in enumerate(cart.lines))


def _sale_line(line_no: int, ln: CartLine, disc_share: Fen, round_share: Fen, comps: tuple[ComponentSpec, ...],
               gross: Fen | None = None, discount: Fen | None = None, promotion: Fen = 0,
               promo: tuple[tuple[str, int, Fen], ...] = (), points_share: Fen = 0) -> SaleLine:
    p = ln.product
    if gross is None:
        gross = ln.gross_fen
    if discount is None:
        discount = ln.discount_fen
    amount = gross - discount - promotion - points_share
    net = amount - disc_share + round_share
    components: tuple[Component, ...] = ()
    if comps:
        revenue = allocate(net, [c[6] * c[2] for c in comps])
        components = tuple(
            Component(sku, name, qty * ln.quantity, cat, origin, tax, rev)
            for (sku, name, qty, cat, origin, tax, _w), rev in zip(comps, revenue, strict=True)
        )
    return SaleLine(
        line_no=line_no, sku=p.sku, barcode=p.barcode, name=p.name, unit=p.unit, sold_by=p.sold_by,
        quantity=ln.quantity, unit_price_fen=ln.unit_price_fen, amount_fen=amount, category=p.category,
        origin=p.origin, tax_rate_bp=p.tax_rate_bp,
        list_price_fen=p.price_fen if ln.price_fen is not None else None, gross_fen=gross,
        discount_fen=discount, sale_discount_share_fen=disc_share, rounding_share_fen=round_share,
        label_amount=ln.label_amount_fen is not None, components=components, approvals=ln.approvals,
        list_value_fen=gross if ln.price_fen is None else _list_gross(ln), variant=variant_text(p.color, p.size),
        promotion_fen=promotion, promo=promo, points_share_fen=points_share,
    )


def _list_gross(ln: CartLine) -> Fen:
    """The line's gross at the catalogue price (``CartLine.gross_fen`` with no price override)."""
    if ln.label_amount_fen is not None:
        return ln.label_amount_fen
    p = ln.product
    if p.weighed:
        return weighed_amount(p.price_fen, ln.quantity)
    return p.price_fen * ln.quantity


def build_sale(
    *, receipt_no: str, terminal_id: str, business_day: str, cashier_login: str, cashier_name: str,
    cart: Cart, settlement: Settlement, training: bool = False, rounding: RoundingMode = RoundingMode.NONE,
    components_of: Mapping[str, tuple[ComponentSpec, ...]] | None = None, shift_no: int | None = None,
    totals: CartTotals | None = None, points_rule: PointsRule | None = None,
) -> Sale:
    """``totals``: ``cart.totals(rounding)`` when the caller has worked it out already (the same cart and mode).

    A sale with a member (``cart.member``) carries its member block: the points the cart redeemed and the
    points earned on the lines' nets under ``points_rule`` (none on a practice sale)."""
    if cart.is_empty():
        raise InvalidInput("the sale has no items", message_zh="本单没有商品")
    if totals is None:
        totals = cart.totals(rounding)
    if settlement.due_fen != totals.total_fen:
        raise InvalidInput("the amount paid was worked out for another total; take the payment again",
                           message_zh="收款金额与应收不符，请重新收款")
    lines = sale_lines_from_cart(cart, rounding, components_of, totals=totals)
    member = None
    if cart.member is not None:
        m = cart.member
        earned = 0 if training else points_earned(points_rule or PointsRule(), ((ln.category, ln.net_fen) for ln in lines))
        redeemed = cart.points_redeemed
        member = SaleMember(m.member_id, m.tier, earned, redeemed, totals.points_fen, m.phone_masked,
                            m.points - redeemed + earned)
    return Sale(
        receipt_no=receipt_no, terminal_id=terminal_id, business_day=business_day,
        cashier_login=cashier_login, cashier_name=cashier_name, lines=lines,
        subtotal_fen=totals.gross_fen, total_fen=totals.total_fen, tenders=settlement.tenders,
        paid_fen=settlement.paid_fen, change_fen=settlement.change_fen, training=training,
        discount_fen=totals.discount_fen, sale_discount=cart.discount, rounding_fen=totals.rounding_fen,
        rounding_mode=rounding, approvals=cart.approvals, shift_no=shift_no,
        promos=tuple(AppliedPromotion(a.promo_id, a.version, a.name, a.off_fen)
                     for a in (totals.promo.applied if totals.promo is not None else ()) if a.off_fen),
        member=member, promo_version=cart.context.version if cart.context and cart.context.book else None,
    )


def _receipt_line(ln: SaleLine, red: Reductions | None = None, draws: tuple[StockDraw, ...] = (),
                  promo_names: Mapping[str, str] | None = None) -> ReceiptLine:
    """A line at list price (so the lines add up to 原价合计), with what was taken off it said under it,
    and the batch and 合格证 of each lot ``draws`` took it from (a draw past zero has no lot: nothing).

    ``red``: the line's :attr:`SaleLine.reductions`, when the caller has it already."""
    weighed = ln.sold_by is SoldBy.WEIGHT
    per_kg = "/kg" if weighed else ""
    if red is None:
        red = ln.reductions
    notes = [ln.variant] if ln.variant else []
    if ln.list_price_fen is not None:
        notes.append(f"改价 {format_yuan(ln.unit_price_fen)}{per_kg}")
    if red.gift_fen:
        notes.append("赠送")
    elif ln.discount_fen:
        notes.append(f"折扣 -{format_yuan(ln.discount_fen)}")
    shares = [(promo_id, fen) for promo_id, _version, fen in ln.promo if fen]
    if len(shares) == 1:  # one promotion: by name; several: their sum, named under 促销 at the foot
        notes.append(f"{(promo_names or {}).get(shares[0][0], '促销')} -{format_yuan(shares[0][1])}")
    elif shares:
        notes.append(f"促销 -{format_yuan(sum(fen for _id, fen in shares))}")
    if ln.components:
        notes.append("含 " + "、".join(f"{c.name}×{c.quantity}" for c in ln.components))
    return ReceiptLine(
        name=ln.name, quantity_text=format_quantity(weighed, ln.quantity),
        unit_price_fen=ln.list_price_fen if ln.list_price_fen is not None else ln.unit_price_fen,
        amount_fen=ln.list_total_fen, weighed=weighed, detail="；".join(notes) or None,
        lots=tuple(LotMark(d.batch_no, d.certificate_no) for d in draws if d.line_no == ln.line_no and d.lot_id),
    )


def shown_reference(kind: TenderKind, reference: str | None) -> str | None:
    """A customer's WeChat/Alipay payment code is a bearer token: the receipt shows its last 4 digits."""
    if reference and kind in (TenderKind.WECHAT, TenderKind.ALIPAY) and reference.isdigit() and len(reference) >= 16:
        return f"…{reference[-4:]}"
    return reference


REDUCTION_LABELS = (("discount_fen", "折扣"), ("override_fen", "改价"), ("gift_fen", "赠送"),
                    ("promotion_fen", "促销"), ("points_fen", "积分抵扣"), ("rounding_fen", "抹零"))


def build_receipt(
    sale: Sale, *, store_name: str, counter_name: str, printed_at: str, reprint: bool = False, title: str = "销售小票",
    reprinted_at: str | None = None,
) -> Receipt:
    """The sale's receipt: lines at list price (each with the promotions that took something off it),
    原价合计, each reduction (折扣, 改价, 赠送, 促销 with the promotions by name, 积分抵扣, 抹零), 应收, and
    the member (phone masked) with the points earned and the balance.

    ``printed_at`` is when the sale happened; a reprint gives its own time as ``reprinted_at``.
    """
    reds = [ln.reductions for ln in sale.lines]  # each line's once: the lines and the sale's sum use them
    names = {p.promo_id: p.name for p in sale.promos}
    lines = tuple(_receipt_line(ln, r, sale.draws, names) for ln, r in zip(sale.lines, reds, strict=True))
    m = sale.member
    payments = tuple(ReceiptPayment(t.kind.label_zh, t.amount_fen, shown_reference(t.kind, t.reference), t.kind.value)
                     for t in sale.tenders)
    red = Reductions.sum(reds)
    return Receipt(
        store_name=store_name, counter_name=counter_name, terminal_id=sale.terminal_id,
        receipt_no=sale.receipt_no, cashier=sale.cashier_name, printed_at=printed_at, lines=lines,
        subtotal_fen=sale.subtotal_fen, total_fen=sale.total_fen, paid_fen=sale.paid_fen,
        change_fen=sale.change_fen, payments=payments, item_count=sale.item_count, reprint=reprint,
        training=sale.training, discount_fen=sale.discount_fen, rounding_fen=sale.rounding_fen, title=title,
        reprinted_at=reprinted_at, list_total_fen=sale.list_total_fen,
        # 促销 and 积分抵扣 only when the sale had them (a receipt of another sale reads as it did).
        reductions=tuple((label, getattr(red, attr)) for attr, label in REDUCTION_LABELS
                         if getattr(red, attr) or attr not in ("promotion_fen", "points_fen")),
        promotions=tuple((p.name, p.off_fen) for p in sale.promos),
        member=ReceiptMember(m.phone_masked or m.member_id, m.tier, m.points_earned, m.points_redeemed, m.balance)
        if m is not None else None,
    )


def cart_figures(cart: Cart, rounding: RoundingMode = RoundingMode.NONE) -> tuple[Fen, Reductions]:
    """The cart's list value (原价合计) and its reductions by kind, as the sale would record them."""
    lines = sale_lines_from_cart(cart, rounding)
    return sum(ln.list_total_fen for ln in lines), Reductions.sum(ln.reductions for ln in lines)
