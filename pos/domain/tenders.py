"""Tenders (payment methods) and the rule that settles a sale's amount due against them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import PaymentError
from .money import MAX_AMOUNT_FEN, Fen, format_yuan
from .references import ReferenceKind, normalise_reference


class TenderKind(str, enum.Enum):
    CASH = "cash"  # 现金
    WECHAT = "wechat"  # 微信支付
    ALIPAY = "alipay"  # 支付宝
    UNIONPAY = "unionpay"  # 银联 / aggregated-payment terminal
    VOUCHER = "voucher"  # 消费券
    ACCOUNT = "account"  # 机关单位挂账

    @property
    def label_zh(self) -> str:
        return TENDER_LABELS_ZH[self]

    @property
    def label_en(self) -> str:
        return TENDER_LABELS_EN[self]

    @classmethod
    def parse(cls, text: str) -> TenderKind:
        key = text.strip().lower()
        for kind in cls:
            if key in (kind.value, kind.label_zh) or key in TENDER_ALIASES.get(kind, ()):
                return kind
        names = ", ".join(k.value for k in cls)
        raise PaymentError(f"unknown tender '{text}' (use one of: {names})", message_zh=f"未知的付款方式“{text}”")


TENDER_LABELS_ZH = {
    TenderKind.CASH: "现金",
    TenderKind.WECHAT: "微信支付",
    TenderKind.ALIPAY: "支付宝",
    TenderKind.UNIONPAY: "银联卡",
    TenderKind.VOUCHER: "消费券",
    TenderKind.ACCOUNT: "单位挂账",
}
TENDER_LABELS_EN = {
    TenderKind.CASH: "Cash",
    TenderKind.WECHAT: "WeChat Pay",
    TenderKind.ALIPAY: "Alipay",
    TenderKind.UNIONPAY: "UnionPay card",
    TenderKind.VOUCHER: "Voucher",
    TenderKind.ACCOUNT: "Institution account",
}
# Tenders that cannot be reconciled without a reference. WeChat/Alipay may come without one: a
# small counter often shows a static 收款码 that the customer scans.
NEEDS_REFERENCE = {
    TenderKind.UNIONPAY: ("the terminal's reference number", "终端参考号"),
    TenderKind.VOUCHER: ("the voucher number", "消费券券号"),
    TenderKind.ACCOUNT: ("the institution account code", "挂账单位编码"),
}
# How each tender's reference is normalised (see pos.domain.references).
REFERENCE_KINDS = {
    TenderKind.VOUCHER: ReferenceKind.VOUCHER,
    TenderKind.ACCOUNT: ReferenceKind.ACCOUNT,
    TenderKind.UNIONPAY: ReferenceKind.UNIONPAY,
    TenderKind.WECHAT: ReferenceKind.PAYMENT_CODE,
    TenderKind.ALIPAY: ReferenceKind.PAYMENT_CODE,
}
# Single-use tenders: once redeemed they stay redeemed, so a refund never goes back onto them.
SINGLE_USE = frozenset({TenderKind.VOUCHER})
TENDER_ALIASES = {
    TenderKind.WECHAT: ("wx", "weixin", "微信"),
    TenderKind.ALIPAY: ("zfb",),
    TenderKind.UNIONPAY: ("card", "bank", "银联"),
}


def tender_reference(kind: TenderKind, reference: str | None) -> str | None:
    """``reference`` normalised the way ``kind`` stores it; ``None`` when nothing is left."""
    ref = normalise_reference(reference, REFERENCE_KINDS.get(kind, ReferenceKind.TEXT))
    return ref or None


@dataclass(frozen=True, slots=True)
class Tender:
    """One payment. Its reference is normalised on construction, so ``V888`` and `` ｖ８８８`` are
    the same voucher everywhere (checks, journal payloads, read models)."""

    kind: TenderKind
    amount_fen: Fen
    reference: str | None = None

    def __post_init__(self) -> None:
        if self.reference is not None and not isinstance(self.reference, str):
            raise PaymentError("the payment reference is not valid", message_zh="付款参考号无效")
        object.__setattr__(self, "reference", tender_reference(self.kind, self.reference))
        if not isinstance(self.amount_fen, int) or self.amount_fen <= 0:
            raise PaymentError("a payment must be more than zero", message_zh="付款金额必须大于零")
        if self.amount_fen > MAX_AMOUNT_FEN:
            raise PaymentError("the payment is too large", message_zh="付款金额过大")
        ref = self.reference or ""
        if self.kind in NEEDS_REFERENCE and not ref:
            raise PaymentError(f"{self.kind.label_en} payment: enter {NEEDS_REFERENCE[self.kind][0]}",
                               message_zh=f"{self.kind.label_zh}需要填写{NEEDS_REFERENCE[self.kind][1]}")
        if ref and (len(ref) > 64 or not ref.isprintable()):
            raise PaymentError("the payment reference is not valid", message_zh="付款参考号无效")


@dataclass(frozen=True, slots=True)
class Settlement:
    due_fen: Fen
    tenders: tuple[Tender, ...]
    paid_fen: Fen
    change_fen: Fen


def settle(due_fen: Fen, tenders: tuple[Tender, ...] | list[Tender]) -> Settlement:
    """Check that ``tenders`` pay ``due_fen``. Only cash may exceed what is due; change is cash."""
    tenders = tuple(tenders)
    if due_fen < 0:
        raise PaymentError("the amount due is negative", message_zh="应收金额为负")
    if not tenders and due_fen > 0:
        raise PaymentError("no payment was given", message_zh="尚未收款")
    paid = sum(t.amount_fen for t in tenders)
    if paid < due_fen:
        short = format_yuan(due_fen - paid)
        raise PaymentError(f"{short} yuan is still due", message_zh=f"还差 {short} 元")
    non_cash = sum(t.amount_fen for t in tenders if t.kind is not TenderKind.CASH)
    if non_cash > due_fen:
        raise PaymentError(
            "only cash can be more than the amount due",
            message_zh="除现金外，其他付款方式不能超过应收金额",
        )
    change = paid - due_fen
    for t in tenders:
        if t.kind is TenderKind.VOUCHER and change > 0 and not any(x.kind is TenderKind.CASH for x in tenders):
            raise PaymentError("a voucher gives no change", message_zh="消费券不找零")
    return Settlement(due_fen=due_fen, tenders=tenders, paid_fen=paid, change_fen=change)


def net_by_tender(tenders: tuple[Tender, ...], change_fen: Fen) -> list[Fen]:
    """What each tender actually contributed: change comes out of the cash tenders, last first."""
    nets = [t.amount_fen for t in tenders]
    left = change_fen
    for i in reversed(range(len(tenders))):
        if left and tenders[i].kind is TenderKind.CASH:
            take = min(left, nets[i])
            nets[i] -= take
            left -= take
    return nets
