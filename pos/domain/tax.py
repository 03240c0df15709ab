"""价税分离: a tax-inclusive amount split into net of tax and VAT, per rate.

Counter prices include VAT. The one rounding rule: a document's (sale's or return's) lines are
first summed per rate — each line at what the customer paid for it, after discounts and its 抹零
share; a gift box (礼盒) line split over its components' own rates by their revenue shares — and
then, once per rate::

    tax(rate) = round_half_up(gross(rate) × bp / (10000 + bp))    # bp: 1300 = 13 %
    net(rate) = gross(rate) − tax(rate)

The document's tax is the Σ of its per-rate taxes, so the per-rate figures always add up to it.
Lines with no rate (``tax_rate_bp`` None, shown as 未设) carry no tax. A return splits what it
refunds the same way; period totals add the documents' per-rate figures and never re-round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .money import Fen, div_round_half_up
from .pricing import allocate

NO_RATE_LABEL = "未设"

RateAmount = tuple[int | None, Fen]  # (tax_rate_bp or None, tax-inclusive amount)


def rate_label(bp: int | None) -> str:
    """``1300 -> '13%'``, ``950 -> '9.5%'``, ``None -> '未设'``."""
    if bp is None:
        return NO_RATE_LABEL
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if not frac else f"{whole}.{frac:02d}".rstrip("0") + "%"


def rate_sort_key(label: str) -> tuple[int, int]:
    """Orders rate labels by rate (0 %, 6 %, 9 %, 13 %), 未设 and anything unknown last."""
    text = label.removesuffix("%")
    whole, _, frac = text.partition(".")
    if whole.isdigit() and (not frac or frac.isdigit()):
        return 0, int(whole) * 100 + int(frac.ljust(2, "0")[:2] or 0)
    return 1, 0


def tax_in(gross_fen: Fen, bp: int | None) -> Fen:
    """The VAT inside a tax-inclusive amount at ``bp`` basis points, rounded half up to the fen."""
    if bp is None or bp <= 0:
        return 0
    return div_round_half_up(gross_fen * bp, 10_000 + bp)


@dataclass(frozen=True, slots=True)
class RateTax:
    """One rate's line in a 价税分离: 含税金额 (gross), 不含税金额 (net) and 税额 (tax)."""

    rate_bp: int | None
    gross_fen: Fen
    tax_fen: Fen

    @property
    def net_fen(self) -> Fen:
        return self.gross_fen - self.tax_fen

    @property
    def label(self) -> str:
        return rate_label(self.rate_bp)

    def to_json(self) -> dict[str, Any]:
        return {"rate_bp": self.rate_bp, "gross": self.gross_fen, "net": self.net_fen, "tax": self.tax_fen}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> RateTax:
        return cls(d.get("rate_bp"), int(d["gross"]), int(d["tax"]))


@dataclass(frozen=True, slots=True)
class TaxSplit:
    """A document's amounts per rate, lowest rate first, 未设 last."""

    rates: tuple[RateTax, ...] = ()

    @property
    def gross_fen(self) -> Fen:
        return sum(r.gross_fen for r in self.rates)

    @property
    def tax_fen(self) -> Fen:
        return sum(r.tax_fen for r in self.rates)

    @property
    def net_fen(self) -> Fen:
        return self.gross_fen - self.tax_fen

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.rates]

    @classmethod
    def from_json(cls, items: Iterable[Mapping[str, Any]]) -> TaxSplit:
        return cls(tuple(RateTax.from_json(d) for d in items))


def split_tax(amounts: Iterable[RateAmount]) -> TaxSplit:
    """Sum tax-inclusive amounts per rate, then take the tax out once per rate (see the module doc)."""
    by_rate: dict[int | None, Fen] = {}
    for bp, amount in amounts:
        by_rate[bp] = by_rate.get(bp, 0) + amount
    order = sorted(by_rate, key=lambda bp: (bp is None, bp or 0))
    return TaxSplit(tuple(RateTax(bp, by_rate[bp], tax_in(by_rate[bp], bp)) for bp in order))


def line_rate_amounts(amount_fen: Fen, rate_bp: int | None,
                      components: Sequence[tuple[int | None, Fen]] = ()) -> list[RateAmount]:
    """What a line's ``amount_fen`` counts at each rate.

    A plain line counts at its own rate. A gift box counts at its components' own rates, by their
    revenue shares (``components`` as (rate, revenue) pairs); ``amount_fen`` may be a part of the
    line (a partial refund), spread over the components in proportion to their revenue.
    """
    if not components:
        return [(rate_bp, amount_fen)]
    revenues = [rev for _bp, rev in components]
    shares = revenues if sum(revenues) == amount_fen else allocate(amount_fen, revenues)
    out: dict[int | None, Fen] = {}
    for (bp, _rev), share in zip(components, shares, strict=True):
        out[bp] = out.get(bp, 0) + share
    return list(out.items())


def payload_line_rate_amounts(line: Mapping[str, Any], amount_fen: Fen) -> list[RateAmount]:
    """:func:`line_rate_amounts` for a sale line as the journal stores it."""
    comps = line.get("components") or ()
    return line_rate_amounts(amount_fen, line.get("tax_rate_bp"),
                             [(c.get("tax_rate_bp"), int(c["revenue"])) for c in comps])


def line_taxes(lines: Sequence[Sequence[RateAmount]]) -> list[Fen]:
    """Each line's part of its document's tax, summing exactly to :func:`split_tax`'s total.

    ``lines`` are each line's amounts by rate (:func:`line_rate_amounts`). Each rate's tax is
    spread over the amounts at that rate in proportion (largest remainder), so a read model can
    keep a tax per line and still add up, per rate and in total, to the document's 价税分离.
    """
    split = split_tax(ra for line in lines for ra in line)
    out = [0] * len(lines)
    for rate in split.rates:
        if not rate.tax_fen:
            continue
        at_rate = [(i, amount) for i, line in enumerate(lines) for bp, amount in line if bp == rate.rate_bp]
        shares = allocate(rate.tax_fen, [max(amount, 0) for _i, amount in at_rate])
        for (i, _amount), share in zip(at_rate, shares, strict=True):
            out[i] += share
    return out
