"""The checkout's 会员 and 促销: the member on the sale and the promotions applied (issue 17).

A part of :class:`ui.checkout.CheckoutWindow` (its texts keep the window's translation context).
会员 (Ctrl+H) opens :class:`ui.member_dialog.MemberDialog`; the member found goes on the cart, which the
promotions are then priced for (会员价, 会员专享), shown on the sale panel (masked phone, name, tier,
points, 生日) and on the customer display, and can be taken off until payment. The promotions are
worked out by the cart at every change; this part shows each line's reduction and the named
promotions above the total (ui.presenters.promo decides what).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from pos.domain.cart import Cart, CartTotals
from pos.domain.members import Member, PointsRule

from .i18n import translate
from .member_dialog import MemberDialog, tier_text
from .messages import error_text
from .ops import Lane
from .presenters.members import MemberPanel, PointsOffer, member_panel, points_offer, points_typed
from .presenters.promo import PromoView, off_text, promo_view
from .value_dialog import ValueDialog
from .widgets import yuan


class CheckoutMembers:
    """会员 and 促销 on the checkout (mixed into CheckoutWindow)."""

    # -- the sale's pricing context ------------------------------------------------------------

    def _priced(self, cart: Cart) -> Cart:
        """``cart`` with the promotions in force now when it has none yet (a sale begins with its
        first line or its member; it keeps that book to the end, whatever is imported meanwhile). A held
        sale comes back without them (取单): it is priced with the book in force when it is recalled."""
        promotions = getattr(self._till, "promotions", None)
        context = getattr(cart, "context", None)
        if promotions is None or (context is not None and context.started_at is not None):
            return cart  # (a context without a start is only a member put on before the sale began)
        return cart.with_context(promotions.context(getattr(cart, "member", None)))

    def _member(self) -> Member | None:
        return getattr(self.cart, "member", None)

    def _today(self) -> date:
        return self._till.identity.local(self._till.clock.now()).date()

    # -- 会员 ------------------------------------------------------------------------------------

    def open_member(self) -> None:
        """会员 (Ctrl+H): find the customer by phone, last 4 digits or member code, or register them."""
        if not self._free():
            return
        dialog = MemberDialog(self._till, self._runner, self._cashier, current=self._member(), parent=self)
        self.member_dialog = dialog

        def done() -> None:
            if dialog.removed:
                self.set_member(None)
            elif dialog.member is not None:
                self.set_member(dialog.member)

        self._open_dialog(dialog, on_accept=done)

    def scan_member_code(self, code: str) -> None:
        """A member card scanned into the scan field (``LXM…``): its member goes on the sale, as with 会员."""
        if not self._free():
            self.show_error(translate("CheckoutWindow", "请稍候再扫会员码"))
            return
        members = self._till.members

        def found(hits: tuple[Member, ...]) -> None:
            if not hits:
                self.show_error(translate("CheckoutWindow", "没有这个会员码的会员"))
            elif self._free():
                self.set_member(hits[0])
            else:  # a dialog opened meanwhile (a weight asked): the card is scanned again after it
                self.show_error(translate("CheckoutWindow", "请稍候再扫会员码"))

        self._runner.run(Lane.READER, partial(members.find, code), found,
                         lambda exc: self.show_error(error_text(exc)))

    def set_member(self, member: Member | None) -> None:
        """The member on the sale (None: taken off). Promotions are priced again for them at once."""
        was = self._member()
        self._set_cart(self._priced(self.cart).with_member(member))
        if member is not None:
            self.show_ok(translate("CheckoutWindow", "会员：{phone} {name}（{tier}），积分 {points}").format(
                phone=member.phone_masked, name=member.name, tier=tier_text(member.tier), points=member.points))
            show = getattr(self.display, "show_member", None)  # (a till without a display has none)
            if show is not None:
                show(member.phone_masked, member.points)
        elif was is not None:
            self.show_info(translate("CheckoutWindow", "已移除会员 {phone}").format(phone=was.phone_masked))
            if self.cart.lines:
                self.display.show_total(self._till.checkout.totals(self.cart).total_fen)
            else:
                self.display.clear()

    def remove_member(self) -> None:
        """移除会员 on the sale panel (before payment: not while a dialog or a sale being saved holds the cart)."""
        if self._free() and self._member() is not None:
            self.set_member(None)

    # -- 积分抵扣 --------------------------------------------------------------------------------

    def _points_rule(self) -> PointsRule:
        rule = getattr(self._till.checkout, "points_rule", None)
        return rule if rule is not None else self._till.members.rule

    def redeem_points(self) -> None:
        """积分抵扣: the member pays part of the sale with points, within the rule's limit; 0 gives them back.
        A change to the cart afterwards lets the points go (they are asked again)."""
        offer = self.points_offer
        if not self._free() or offer is None:
            return
        rule = self._points_rule()

        def apply(text: str) -> None:
            points = points_typed(text, offer)
            new = self.cart.redeem_points(points, rule)
            self._set_cart(new)
            if points:
                self.show_ok(translate("CheckoutWindow", "已使用 {points} 积分，抵扣 {fen}").format(
                    points=points, fen=yuan(new.points_fen)))
            else:
                self.show_info(translate("CheckoutWindow", "本单不使用积分"))

        dialog = ValueDialog(
            translate("CheckoutWindow", "积分抵扣"),
            translate("CheckoutWindow", "会员积分 {points}，本单最多可用 {most} 积分（抵 {fen}）").format(
                points=f"{offer.available:,}", most=f"{offer.most:,}", fen=yuan(offer.most_fen)),
            translate("CheckoutWindow", "输入要使用的积分，直接 Enter 用到上限；0 不使用"), apply,
            initial=str(offer.most), max_gap_ms=self._wedge_gap_ms(), parent=self)
        self.value_dialog = dialog
        self._open_dialog(dialog)

    # -- drawing -----------------------------------------------------------------------------------

    points_offer: PointsOffer | None = None

    def _show_member(self, panel: MemberPanel | None) -> None:
        self.member_panel = panel
        self.member_bar.setVisible(panel is not None)
        if panel is None:
            return
        self.member_label.setText(translate("CheckoutWindow", "会员 {phone}  {name}  {tier}  积分 {points}").format(
            phone=panel.phone_masked, name=panel.name, tier=tier_text(panel.tier), points=f"{panel.points:,}"))
        used = getattr(self.cart, "points_redeemed", 0)
        if used:
            self.member_label.setText(self.member_label.full_text() + translate("CheckoutWindow", "（本单用 {n}）").format(
                n=f"{used:,}"))
        self.birthday_label.setVisible(panel.birthday)

    def _show_promotions(self, t: CartTotals) -> PromoView:
        view = promo_view(getattr(t, "promo", None))
        self.promo_view = view
        self.model.set_promos(view)
        self.promo_label.setText("    ".join(row.text for row in view.rows))
        self.promo_label.setVisible(view.any)
        return view

    def _refresh_members(self, t: CartTotals) -> list[str]:
        """The member panel and the promotions for the cart's totals ``t``; the totals bar's parts
        for 促销 and 积分抵扣."""
        self._show_member(member_panel(self._member(), self._today()))
        view = self._show_promotions(t)
        parts = []
        if view.total_off_fen:
            parts.append(translate("CheckoutWindow", "促销 {off}").format(off=off_text(view.total_off_fen)))
        points_fen = getattr(t, "points_fen", 0)
        if points_fen:
            parts.append(translate("CheckoutWindow", "积分抵扣 {off}").format(off=off_text(points_fen)))
        due = t.total_fen + points_fen  # what the sale comes to before points
        self.points_offer = points_offer(self._points_rule(), self._member(), due) if self.cart.lines else None
        self.points_button.setVisible(self.points_offer is not None or bool(points_fen))
        self.act_member.setEnabled(self._free() and not self.locked)
        self.remove_member_button.setEnabled(self._free())
        self.points_button.setEnabled(self._free())
        return parts


__all__ = ["CheckoutMembers"]
