"""Held sales (挂单): a cart written out as plain JSON and read back exactly as it was."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .cart import Cart, CartLine
from .catalog import Product, SoldBy
from .permissions import Approval
from .pricing import Discount


def product_to_json(p: Product) -> dict[str, Any]:
    d = asdict(p)
    d["sold_by"] = p.sold_by.value
    return d


def product_from_json(d: dict[str, Any]) -> Product:
    return Product(**{**d, "sold_by": SoldBy(d["sold_by"])})


def cart_to_json(cart: Cart) -> dict[str, Any]:
    return {
        "lines": [
            {"product": product_to_json(ln.product), "quantity": ln.quantity, "price": ln.price_fen,
             "label_amount": ln.label_amount_fen, "discount": ln.discount.to_json() if ln.discount else None,
             "approvals": [a.to_json() for a in ln.approvals]}
            for ln in cart.lines
        ],
        "discount": cart.discount.to_json() if cart.discount else None,
        "approvals": [a.to_json() for a in cart.approvals],
    }


def cart_from_json(d: dict[str, Any]) -> Cart:
    lines = tuple(
        CartLine(product_from_json(x["product"]), x["quantity"], x.get("price"), x.get("label_amount"),
                 Discount.from_json(x["discount"]) if x.get("discount") else None,
                 tuple(Approval.from_json(a) for a in x.get("approvals", ())))
        for x in d["lines"]
    )
    return Cart(lines, Discount.from_json(d["discount"]) if d.get("discount") else None,
                tuple(Approval.from_json(a) for a in d.get("approvals", ())))
