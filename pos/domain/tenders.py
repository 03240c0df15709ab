"""Tenders (payment methods) and the rule that settles a sale's amount due against them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import PaymentError
from .money import MAX_AMOUNT_FEN, Fen, format_yuan


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
TENDER_ALIASES = {
    TenderKind.WECHAT: ("wx", "weixin", "微信"),
    TenderKind.ALIPAY: ("zfb",),
    TenderKind.UNIONPAY: ("card", "bank", "银联"),
}


@dataclass(frozen=True, slots=True)
class Tender:
    kind: TenderKind
    amount_fen: Fen
    reference: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.amount_fen, int) or self.amount_fen <= 0:
            raise PaymentError("a payment must be more than zero", message_zh="付款金额必须大于零")
        if self.amount_fen > MAX_AMOUNT_FEN:
            raise PaymentError("the payment is too large", message_zh="付款金额过大")


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
    return Settlement(due_fen=due_fen, tenders=tenders, paid_fen=paid, change_fen=change)
