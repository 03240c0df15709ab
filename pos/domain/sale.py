"""A completed sale as the journal records it, and its receipt."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .cart import Cart, format_quantity
from .catalog import Product, SoldBy
from .errors import InvalidInput
from .money import Fen
from .receipt import Receipt, ReceiptLine, ReceiptPayment
from .tenders import Settlement, Tender, TenderKind

_RECEIPT_NO = re.compile(r"^(?P<terminal>[A-Z0-9]{2,12})-(?P<day>\d{8})-(?P<n>\d{4,6})$")


def format_receipt_no(terminal_id: str, business_day: date, number: int) -> str:
    """``MX01-20261122-0042``: terminal (store code + till), business day, daily counter."""
    return f"{terminal_id}-{business_day:%Y%m%d}-{number:04d}"


def parse_receipt_no(text: str) -> tuple[str, date, int]:
    m = _RECEIPT_NO.match(text.strip().upper())
    if not m:
        raise InvalidInput(f"'{text}' is not a receipt number like MX01-20261122-0042", message_zh=f"“{text}”不是有效的小票号")
    d = m.group("day")
    return m.group("terminal"), date(int(d[:4]), int(d[4:6]), int(d[6:])), int(m.group("n"))


@dataclass(frozen=True, slots=True)
class SaleLine:
    line_no: int
    sku: str
    barcode: str | None
    name: str
    unit: str
    sold_by: SoldBy
    quantity: int  # units, or grams when weighed
    unit_price_fen: Fen
    amount_fen: Fen
    category: str
    origin: str
    tax_rate_bp: int | None

    @property
    def weighed(self) -> bool:
        return self.sold_by is SoldBy.WEIGHT

    def to_json(self) -> dict[str, Any]:
        return {
            "line_no": self.line_no,
            "sku": self.sku,
            "barcode": self.barcode,
            "name": self.name,
            "unit": self.unit,
            "sold_by": self.sold_by.value,
            "quantity": self.quantity,
            "unit_price": self.unit_price_fen,
            "amount": self.amount_fen,
            "category": self.category,
            "origin": self.origin,
            "tax_rate_bp": self.tax_rate_bp,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> SaleLine:
        return cls(
            line_no=d["line_no"], sku=d["sku"], barcode=d.get("barcode"), name=d["name"], unit=d["unit"],
            sold_by=SoldBy(d["sold_by"]), quantity=d["quantity"], unit_price_fen=d["unit_price"],
            amount_fen=d["amount"], category=d.get("category", ""), origin=d.get("origin", ""),
            tax_rate_bp=d.get("tax_rate_bp"),
        )


@dataclass(frozen=True, slots=True)
class Sale:
    receipt_no: str
    terminal_id: str
    business_day: str
    cashier_login: str
    cashier_name: str
    lines: tuple[SaleLine, ...]
    subtotal_fen: Fen
    total_fen: Fen
    tenders: tuple[Tender, ...]
    paid_fen: Fen
    change_fen: Fen
    training: bool = False

    def to_payload(self) -> dict[str, Any]:
        return {
            "receipt_no": self.receipt_no,
            "cashier": self.cashier_login,
            "cashier_name": self.cashier_name,
            "lines": [ln.to_json() for ln in self.lines],
            "subtotal": self.subtotal_fen,
            "total": self.total_fen,
            "tenders": [{"kind": t.kind.value, "amount": t.amount_fen, "reference": t.reference} for t in self.tenders],
            "paid": self.paid_fen,
            "change": self.change_fen,
            "training": self.training,
        }

    @classmethod
    def from_payload(cls, terminal_id: str, business_day: str, p: Mapping[str, Any]) -> Sale:
        return cls(
            receipt_no=p["receipt_no"], terminal_id=terminal_id, business_day=business_day,
            cashier_login=p["cashier"], cashier_name=p.get("cashier_name", p["cashier"]),
            lines=tuple(SaleLine.from_json(x) for x in p["lines"]), subtotal_fen=p["subtotal"],
            total_fen=p["total"],
            tenders=tuple(Tender(TenderKind(t["kind"]), t["amount"], t.get("reference")) for t in p["tenders"]),
            paid_fen=p["paid"], change_fen=p["change"], training=bool(p.get("training", False)),
        )


def sale_lines_from_cart(cart: Cart) -> tuple[SaleLine, ...]:
    return tuple(_sale_line(i + 1, ln.product, ln.quantity, ln.amount_fen) for i, ln in enumerate(cart.lines))


def _sale_line(line_no: int, p: Product, quantity: int, amount: Fen) -> SaleLine:
    return SaleLine(
        line_no=line_no, sku=p.sku, barcode=p.barcode, name=p.name, unit=p.unit, sold_by=p.sold_by,
        quantity=quantity, unit_price_fen=p.price_fen, amount_fen=amount, category=p.category,
        origin=p.origin, tax_rate_bp=p.tax_rate_bp,
    )


def build_sale(
    *, receipt_no: str, terminal_id: str, business_day: str, cashier_login: str, cashier_name: str,
    cart: Cart, settlement: Settlement, training: bool = False,
) -> Sale:
    if cart.is_empty():
        raise InvalidInput("the sale has no items", message_zh="本单没有商品")
    lines = sale_lines_from_cart(cart)
    return Sale(
        receipt_no=receipt_no, terminal_id=terminal_id, business_day=business_day,
        cashier_login=cashier_login, cashier_name=cashier_name, lines=lines,
        subtotal_fen=cart.total_fen, total_fen=settlement.due_fen, tenders=settlement.tenders,
        paid_fen=settlement.paid_fen, change_fen=settlement.change_fen, training=training,
    )


def build_receipt(
    sale: Sale, *, store_name: str, counter_name: str, printed_at: str, reprint: bool = False
) -> Receipt:
    lines = tuple(
        ReceiptLine(
            name=ln.name,
            quantity_text=format_quantity(ln.weighed, ln.quantity),
            unit_price_fen=ln.unit_price_fen,
            amount_fen=ln.amount_fen,
            weighed=ln.weighed,
            detail=None,
        )
        for ln in sale.lines
    )
    payments = tuple(ReceiptPayment(t.kind.label_zh, t.amount_fen, t.reference) for t in sale.tenders)
    items = sum(1 if ln.weighed else ln.quantity for ln in sale.lines)
    return Receipt(
        store_name=store_name, counter_name=counter_name, terminal_id=sale.terminal_id,
        receipt_no=sale.receipt_no, cashier=sale.cashier_name, printed_at=printed_at, lines=lines,
        subtotal_fen=sale.subtotal_fen, total_fen=sale.total_fen, paid_fen=sale.paid_fen,
        change_fen=sale.change_fen, payments=payments, item_count=items, reprint=reprint,
        training=sale.training,
    )
