"""What a receipt (小票) says, as plain data. Layout and bytes live in ``printers/``."""

from __future__ import annotations

from dataclasses import dataclass, field

from .money import Fen

TRACE_CAPTION = "扫码查看产地溯源 · 申请开票"
DEFAULT_FOOTER = ("请妥善保管购物凭证", "退换货请凭此小票", "谢谢惠顾，欢迎再来")
VOUCHER_REFUND_NOTE = "消费券部分退现金"


def variant_text(color: str | None, size: str | None) -> str | None:
    """A variant's colour and size as the slip shows them, e.g. ``"黑色/XL"``; None for plain goods."""
    parts = [p.strip() for p in (color, size) if p and p.strip()]
    return "/".join(parts) or None


@dataclass(frozen=True, slots=True)
class LotMark:
    """The delivery batch a line's goods came from and its 合格证 number ("" when the lot has none),
    printed under the line for traceability (issue 15)."""

    batch_no: str
    certificate_no: str = ""


def lot_groups(lots: tuple[LotMark, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The marks by batch, in order, each certificate once: two lots of one batch share its number."""
    groups: dict[str, list[str]] = {}
    for mark in lots:
        certs = groups.setdefault(mark.batch_no, [])
        if mark.certificate_no and mark.certificate_no not in certs:
            certs.append(mark.certificate_no)
    return tuple((batch, tuple(certs)) for batch, certs in groups.items() if batch)


def lot_parts(lots: tuple[LotMark, ...]) -> list[tuple[str, str, str]]:
    """What goes under a fresh line, as (glue, part, alone) triples: ``批次 B`` and ``合格证 C`` parts
    joined by a space, a batch's further certificates by ``、``; ``alone`` is the part as it reads at
    the start of a line. A layout may break between parts, never inside one."""
    parts: list[tuple[str, str, str]] = []
    for batch, certs in lot_groups(lots):
        parts.append((" ", f"批次 {batch}", f"批次 {batch}"))
        parts += [(" ", f"合格证 {c}", f"合格证 {c}") if i == 0 else ("、", c, f"合格证 {c}")
                  for i, c in enumerate(certs)]
    return parts


def lots_text(lots: tuple[LotMark, ...]) -> str:
    """``批次 SHKC-2026-48 合格证 HG2026112701`` on one line; "" for a line that drew no lot."""
    return "".join(glue + part for glue, part, _alone in lot_parts(lots)).strip()


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    name: str
    quantity_text: str  # "2" or "1.255kg"
    unit_price_fen: Fen  # per unit, or per kg for weighed goods
    amount_fen: Fen
    weighed: bool = False
    detail: str | None = None  # e.g. barcode, variant, "单价/kg"
    lots: tuple[LotMark, ...] = ()  # the batches (and 合格证) the goods came from, printed under the line


@dataclass(frozen=True, slots=True)
class ReceiptMember:
    """The member on a sale as the receipt shows one: the phone masked (138****1234), never in clear."""

    phone_masked: str
    tier: str = ""
    points_earned: int = 0
    points_redeemed: int = 0
    balance: int | None = None  # points after this sale


@dataclass(frozen=True, slots=True)
class ReceiptPayment:
    label: str  # 现金, 微信支付, …
    amount_fen: Fen
    reference: str | None = None
    kind: str | None = None  # the tender kind ("cash", …) the label names, for the cash drawer


@dataclass(frozen=True, slots=True)
class Receipt:
    store_name: str
    counter_name: str
    terminal_id: str
    receipt_no: str
    cashier: str
    printed_at: str  # local time as shown, "2026-11-22 14:03:05"
    lines: tuple[ReceiptLine, ...]
    subtotal_fen: Fen  # Σ line amounts
    total_fen: Fen  # = subtotal − discount + rounding: what the customer owes (应收)
    paid_fen: Fen
    change_fen: Fen
    payments: tuple[ReceiptPayment, ...]
    discount_fen: Fen = 0  # amount taken off (positive), printed as 优惠 -￥…
    rounding_fen: Fen = 0  # 抹零, signed: negative when the store rounds in the customer's favour
    item_count: int = 0
    title: str = "销售小票"
    reprint: bool = False
    training: bool = False
    footer: tuple[str, ...] = field(default=DEFAULT_FOOTER)
    # A return slip (退货单) shows 退款合计 and 退款方式 instead of 合计/应收/实收/找零.
    is_return: bool = False
    reason: str = ""  # 退货原因
    approver: str = ""  # who approved, by name
    # A reprint shows the sale's own time as 时间 (``printed_at``) and when it was reprinted apart.
    reprinted_at: str | None = None
    # 原价合计 and the reductions taken off it (label, fen taken off), e.g. ("折扣", 500); when
    # ``list_total_fen`` is set these replace 合计/优惠/抹零 on a sale receipt.
    list_total_fen: Fen | None = None
    reductions: tuple[tuple[str, Fen], ...] = ()
    # The signed address of head office's trace page for this receipt (pos.domain.trace_code),
    # printed as a QR code under the receipt number; None: no trace code (till not enrolled).
    trace_url: str | None = None
    # The promotions applied, by name, with what each took off (e.g. ("满100减10", 1000)), printed under
    # 促销; and the member on the sale with the points earned and the balance.
    promotions: tuple[tuple[str, Fen], ...] = ()
    member: ReceiptMember | None = None
