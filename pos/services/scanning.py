"""Turning whatever arrived in the scan field into something the till can act on.

``ScanResolver.resolve(code)`` classifies the input (pos.domain.scan) and then:

* a product code is looked up (barcode, PLU, SKU) -> :class:`ResolvedProduct`;
* a scale label's PLU is looked up -> :class:`ResolvedProduct` carrying the label's grams and
  the amount the scale settled (what the customer is charged);
* a payment code -> :class:`ResolvedPayment`, *without* any catalogue lookup;
* Chinese text -> :class:`ResolvedSearch`, for the UI to run a product search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from pos.domain.catalog import Product
from pos.domain.errors import InvalidBarcode, UnknownProduct
from pos.domain.money import div_round_half_up
from pos.domain.scan import (
    DEFAULT_SCALE_FORMATS,
    PaymentCodeScan,
    PaymentProvider,
    ProductCode,
    ScaleLabel,
    ScaleLabelFormat,
    ScaleLabelScan,
    SearchText,
    amount_for_label,
    classify_scan,
    payment_provider,
)
from pos.domain.stock import ScanCheck, ScanVerdict

from .lookup import CatalogLookup


@dataclass(frozen=True, slots=True)
class ResolvedProduct:
    """A product to add. ``quantity`` is grams for weighed goods, units otherwise; None when the
    cashier must still give it (a weighed product keyed by code, or an amount-only label, whose
    weight is shown as "—"). ``amount_fen`` is the amount charged when a scale label fixed it."""

    product: Product
    quantity: int | None
    amount_fen: int | None = None
    label: ScaleLabel | None = None
    # Set when the lot this sale would draw first has expired and the store only warns (issue 15):
    # the till shows ``expiry.message_zh`` to the cashier; the sale goes on. (A store that refuses
    # raises pos.services.stock.ExpiredStock from resolve instead.)
    expiry: ScanCheck | None = None

    @property
    def expiry_warning(self) -> str | None:
        """The warning to show the cashier, Chinese first, or None."""
        e = self.expiry
        return f"{e.message_zh}（{e.message}）" if e is not None and e.verdict is not ScanVerdict.OK else None


@dataclass(frozen=True, slots=True)
class ResolvedPayment:
    """A customer's payment code: hand it to the tender step, never to the catalogue."""

    provider: PaymentProvider
    code: str

    def __repr__(self) -> str:  # a payment code is a bearer token: keep it out of logs
        return f"ResolvedPayment(provider={self.provider!r}, code='…{self.code[-4:]}')"


@dataclass(frozen=True, slots=True)
class ResolvedSearch:
    """Chinese text typed into the scan field: run ProductSearch on it."""

    text: str


ResolvedScan = ResolvedProduct | ResolvedPayment | ResolvedSearch


class ScanResolver:
    def __init__(self, lookup: CatalogLookup, scale_formats: tuple[ScaleLabelFormat, ...] | list[ScaleLabelFormat] = DEFAULT_SCALE_FORMATS,
                 *, expiry_check: Callable[[str], ScanCheck] | None = None) -> None:
        self._lookup = lookup
        self._formats = tuple(scale_formats)
        self._expiry_check = expiry_check  # StockService.scan_check: one indexed query per product scanned

    def resolve(self, code: str) -> ResolvedScan:
        """What ``code`` means for the sale; raises InvalidBarcode / UnknownProduct with a clear message,
        or ExpiredStock when the product's oldest lot with stock has expired and the store refuses it."""
        found = self._resolve(code)
        if self._expiry_check is not None and isinstance(found, ResolvedProduct):
            verdict = self._expiry_check(found.product.sku)
            if verdict.verdict is ScanVerdict.REFUSE:
                from .stock import ExpiredStock

                raise ExpiredStock(verdict, found.product.name)
            if verdict.verdict is ScanVerdict.WARN:
                found = replace(found, expiry=verdict)
        return found

    def _resolve(self, code: str) -> ResolvedScan:
        scan = classify_scan(code, self._formats)
        if isinstance(scan, PaymentCodeScan):
            return ResolvedPayment(scan.provider, scan.code)
        if isinstance(scan, SearchText):
            return ResolvedSearch(scan.text)
        if isinstance(scan, ScaleLabelScan):
            return self._label(scan.label)
        assert isinstance(scan, ProductCode)
        product = self._lookup.find(scan.code)
        return ResolvedProduct(product, None if product.weighed else 1)

    def _label(self, label: ScaleLabel) -> ResolvedScan:
        try:
            product = self._by_plu(label)
        except UnknownProduct:
            # An Alipay code starting 26 passes the label's check digit one time in ten. A "label"
            # whose PLU we do not sell, in the shape of a payment code, is that payment code.
            provider = payment_provider(label.code)
            if provider is not None:
                return ResolvedPayment(provider, label.code)
            raise
        if label.amount_fen is None and not product.weighed:
            raise InvalidBarcode(
                f"PLU {label.plu_digits} ({product.name}) is sold by the unit, but the label only carries a weight",
                message_zh=f"PLU {label.plu_digits}（{product.name}）按件销售，但条码只有重量",
            )
        amount = amount_for_label(product.price_fen, label)
        if amount <= 0:
            raise InvalidBarcode(
                f"the scale label for {product.name} shows no amount; weigh it again",
                message_zh=f"{product.name} 的称重条码金额为零，请重新称重",
            )
        quantity = label.grams if product.weighed else 1
        if product.weighed and quantity is None:
            # An amount-only label: the weight shown and reported is what the amount buys at the
            # catalogue price; the amount charged is still the label's.
            quantity = max(1, div_round_half_up(amount * 1000, product.price_fen))
        return ResolvedProduct(product, quantity, amount, label)

    def _by_plu(self, label: ScaleLabel) -> Product:
        """The product whose PLU is on the label (as stored, with or without leading zeros).

        CatalogLookup.find tries barcode, PLU, then SKU; only an answer whose PLU really is the
        label's counts, so a SKU or in-house barcode that happens to read "101" is never sold
        in place of PLU 101.
        """
        for candidate in dict.fromkeys((label.plu, label.plu_digits)):
            try:
                product = self._lookup.find(candidate)
            except UnknownProduct:
                continue
            if product.plu is not None and product.plu.lstrip("0") == label.plu.lstrip("0"):
                return product
        raise UnknownProduct(
            f"no product with PLU {label.plu_digits} (scale label {label.code})",
            message_zh=f"未找到 PLU {label.plu_digits} 对应的商品",
            plu=label.plu,
        )


__all__ = ["ResolvedPayment", "ResolvedProduct", "ResolvedScan", "ResolvedSearch", "ScanResolver"]
