"""The checkout's cart edits that ask for a value: 数量 (F4), 折扣 (F5), 整单折扣 (F6), 改价 (F7).

A part of :class:`ui.checkout.CheckoutWindow` (its texts keep the window's translation context).
Over the cashier's limit the domain refuses; a manager is asked and the same change is retried once
with the approval (see ui.presenters.checkout).
"""

from __future__ import annotations

from collections.abc import Callable

from pos.domain.cart import Cart
from pos.domain.errors import PosError
from pos.domain.money import format_yuan, parse_yuan
from pos.domain.permissions import Approval
from pos.domain.pricing import parse_discount

from .cart_model import (
    name_text,
)
from .i18n import translate
from .messages import error_text
from .quantity import QuantityDialog
from .value_dialog import ValueDialog
from .widgets import discount_label, yuan


class CartEdits:
    """F4–F7 on the selected line or the sale (mixed into CheckoutWindow)."""

    def change_quantity(self) -> None:
        """F4: the quantity of the selected line (the weight in kg for weighed goods)."""
        row = self._line_to_change()
        if row is None:
            return
        line = self.cart.lines[row]

        def apply(quantity: int) -> None:
            self._set_cart(self.cart.set_quantity(row, quantity), select=row)

        dialog = QuantityDialog(line.product, apply, current=line.quantity, parent=self)
        self.quantity_dialog = dialog
        self._open_dialog(dialog, on_accept=lambda: self.show_ok(translate("CheckoutWindow", "已修改数量：{name} × {qty}").format(
            name=line.product.name, qty=self.cart.lines[row].quantity_text)))

    def _ask_cart_value(self, title: str, caption: str, hint: str, change: Callable[[str, Approval | None], Cart], *,
                        detail: Callable[[str], str], done: Callable[[Cart], str], initial: str = "",
                        quick: tuple[tuple[str, str], ...] = (), select: int | None = None) -> None:
        """Ask for a value and change the cart with it; over the cashier's limit, ask a manager first."""

        def apply(text: str) -> None:
            new = change(text, None)  # ApprovalRequired closes the dialog; the manager is asked next
            self._set_cart(new, select=select)
            self.show_ok(done(new))

        dialog = ValueDialog(title, caption, hint, apply, initial=initial, quick=quick, max_gap_ms=self._wedge_gap_ms(), parent=self)
        self.value_dialog = dialog

        def accepted() -> None:
            exc = dialog.needs_approval
            if exc is None:
                return
            text = dialog.value

            def retry(approval: Approval) -> None:
                try:
                    new = change(text, approval)
                except PosError as refused:
                    self.show_error(error_text(refused))
                    return
                self._set_cart(new, select=select)
                self.show_ok(done(new))

            self._ask_approval(exc, detail(text), retry)

        self._open_dialog(dialog, on_accept=accepted)

    def discount_line(self) -> None:
        """F5: a discount on the selected line: ``10%``, ``9折`` or an amount in yuan; 0 removes it."""
        row = self._line_to_change()
        if row is None:
            return
        line = self.cart.lines[row]
        role = self._cashier.role

        def change(text: str, approval: Approval | None) -> Cart:
            d = None if text.strip() in ("", "0") else parse_discount(text)
            return self.cart.discount_line(row, d, by=role, approval=approval)

        def done(cart: Cart) -> str:
            ln = cart.lines[row]
            if ln.discount is None:
                return translate("CheckoutWindow", "已取消折扣：{name}").format(name=name_text(ln))
            return translate("CheckoutWindow", "已打折：{name} {what}，优惠 {off}").format(
                name=name_text(ln), what=discount_label(ln.discount), off=yuan(ln.discount_fen))

        self._ask_cart_value(
            translate("CheckoutWindow", "单品折扣"),
            translate("CheckoutWindow", "{name}  金额 {gross}").format(name=name_text(line), gross=yuan(line.gross_fen)),
            translate("CheckoutWindow", "输入 10%、9折 或金额 5（减 5 元）；0 取消折扣。超过 10% 需店长授权"),
            change, detail=lambda text: f"{name_text(line)} {text.strip()}", done=done,
            quick=((translate("CheckoutWindow", "9.5折"), "9.5折"), (translate("CheckoutWindow", "9折"), "9折"), (translate("CheckoutWindow", "8折"), "8折"),
                   (translate("CheckoutWindow", "取消折扣"), "0")),
            select=row)

    def discount_sale(self) -> None:
        """F6: a discount on the whole sale (after line discounts)."""
        if not self._free() or self.cart.is_empty():
            return
        role = self._cashier.role
        base = sum(ln.amount_fen for ln in self.cart.lines)

        def change(text: str, approval: Approval | None) -> Cart:
            d = None if text.strip() in ("", "0") else parse_discount(text)
            return self.cart.discount_sale(d, by=role, approval=approval)

        def done(cart: Cart) -> str:
            if cart.discount is None:
                return translate("CheckoutWindow", "已取消整单折扣")
            t = self._till.checkout.totals(cart)
            return translate("CheckoutWindow", "整单{what}，整单优惠 {off}").format(what=discount_label(cart.discount),
                                                         off=yuan(t.sale_discount_fen))

        self._ask_cart_value(
            translate("CheckoutWindow", "整单折扣"),
            translate("CheckoutWindow", "本单 {n} 件  金额 {amount}").format(n=self.cart.item_count, amount=yuan(base)),
            translate("CheckoutWindow", "输入 10%、9折 或金额 5（减 5 元）；0 取消。超过 10% 需店长授权"),
            change, detail=lambda text: translate("CheckoutWindow", "整单 {what}").format(what=text.strip()), done=done,
            quick=((translate("CheckoutWindow", "9.5折"), "9.5折"), (translate("CheckoutWindow", "9折"), "9折"), (translate("CheckoutWindow", "8折"), "8折"),
                   (translate("CheckoutWindow", "取消折扣"), "0")))

    def override_price(self) -> None:
        """F7: a new unit price for the selected line (per kg for weighed goods); needs a manager."""
        row = self._line_to_change()
        if row is None:
            return
        line = self.cart.lines[row]
        role = self._cashier.role

        def change(text: str, approval: Approval | None) -> Cart:
            return self.cart.override_price(row, parse_yuan(text), by=role, approval=approval)

        def detail(text: str) -> str:
            try:
                new = format_yuan(parse_yuan(text))
            except PosError:
                new = text.strip()
            return f"{line.product.name} {format_yuan(line.unit_price_fen)} → {new}"

        def done(cart: Cart) -> str:
            ln = cart.lines[row]
            return translate("CheckoutWindow", "已改价：{name} {old} → {new}").format(
                name=name_text(ln), old=yuan(ln.product.price_fen), new=yuan(ln.unit_price_fen))

        unit = translate("CheckoutWindow", "（每千克）") if line.product.weighed else ""
        self._ask_cart_value(
            translate("CheckoutWindow", "改价"),
            translate("CheckoutWindow", "{name}  现价 {price}{unit}").format(name=name_text(line), price=yuan(line.unit_price_fen),
                                                      unit=unit),
            translate("CheckoutWindow", "输入新单价（元）；改价需店长授权并记录"), change, detail=detail, done=done,
            initial=format_yuan(line.unit_price_fen), select=row)
