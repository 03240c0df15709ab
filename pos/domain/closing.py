"""Shifts, cash counts and period totals (X and Z), computed from journal entries alone.

Everything here is a pure function of journal entries, so a Z closure can always be checked
against the entries it summarises, and head office can recompute it.

Period figures: list total (原价合计) − reductions (折扣, 改价, 赠送, 抹零; see
:mod:`pos.domain.reductions`) = sales (应收); sales − refunds = net. Tax per rate (价税分离,
see :mod:`pos.domain.tax`) is the Σ of each sale's and return's own per-rate figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from .errors import InvalidInput
from .ledger import EntryKind, JournalEntry
from .money import Fen, format_yuan, parse_yuan
from .pricing import allocate
from .reductions import Reductions
from .sale import SaleLine
from .tax import RateAmount, TaxSplit, payload_line_rate_amounts, rate_label, split_tax
from .tenders import TenderKind, net_by_tender

# What a Chinese cash drawer holds: ¥100, 50, 20, 10, 5, 1, 0.5 (5 jiao), 0.1 (1 jiao).
DENOMINATIONS_FEN: tuple[int, ...] = (10000, 5000, 2000, 1000, 500, 100, 50, 10)
MAX_PIECES = 100_000


@dataclass(frozen=True, slots=True)
class CashCount:
    """Pieces counted per denomination (fen → pieces)."""

    pieces: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        for denom, n in self.pieces:
            if denom not in DENOMINATIONS_FEN:
                raise InvalidInput(f"{format_yuan(denom)} is not a banknote or coin", message_zh=f"没有 {format_yuan(denom)} 元的面额")
            if not isinstance(n, int) or n < 0 or n > MAX_PIECES:
                raise InvalidInput("the number of pieces is not valid", message_zh="张数/枚数无效")

    @property
    def total_fen(self) -> Fen:
        return sum(d * n for d, n in self.pieces)

    def to_json(self) -> dict[str, int]:
        return {str(d): n for d, n in self.pieces if n}

    @classmethod
    def from_json(cls, d: Mapping[str, int]) -> CashCount:
        return cls(tuple(sorted(((int(k), int(v)) for k, v in d.items()), reverse=True)))

    @classmethod
    def of(cls, counts: Mapping[int, int]) -> CashCount:
        merged: dict[int, int] = {}
        for denom, n in counts.items():
            merged[denom] = merged.get(denom, 0) + n
        return cls(tuple(sorted(merged.items(), reverse=True)))


def parse_count(specs: Iterable[str]) -> CashCount:
    """``["100:3", "0.5:4"]`` — denomination in yuan : pieces."""
    counts: dict[int, int] = {}
    for spec in specs:
        denom, sep, n = spec.replace("x", ":").replace("×", ":").partition(":")
        if not sep or not n.strip().isdigit():
            raise InvalidInput(f"'{spec}' should look like 100:3 (three ¥100 notes)", message_zh=f"“{spec}”格式应为 100:3")
        fen = parse_yuan(denom)
        counts[fen] = counts.get(fen, 0) + int(n)
    return CashCount.of(counts)


def _add(d: dict[str, int], key: str, amount: int) -> None:
    if amount:
        d[key] = d.get(key, 0) + amount


tax_key = rate_label  # "13%", "未设": the key of every per-rate figure


def sale_tax(p: Mapping[str, Any]) -> TaxSplit:
    """A sale payload's 价税分离: as stored, or worked out the same way for sales written before."""
    if "tax" in p:
        return TaxSplit.from_json(p["tax"])
    return split_tax(ra for ln in p["lines"] for ra in payload_line_rate_amounts(ln, _line_net(ln)))


def return_tax(p: Mapping[str, Any]) -> TaxSplit:
    """A return payload's 价税分离 of what it refunds (returns before it: each line at its own rate)."""
    if "tax" in p:
        return TaxSplit.from_json(p["tax"])
    return split_tax(ra for ln in p["lines"] for ra in return_line_rate_amounts(ln))


def return_line_rate_amounts(ln: Mapping[str, Any]) -> list[RateAmount]:
    split = ln.get("rate_split")
    if split:
        return [(bp, int(a)) for bp, a in split]
    return [(ln.get("tax_rate_bp"), int(ln["refund"]))]


def sale_reductions(p: Mapping[str, Any]) -> tuple[Fen, Reductions]:
    """A sale payload's list total and reductions: as stored, else derived from its lines."""
    if "reductions" in p and "list_total" in p:
        return int(p["list_total"]), Reductions.from_json(p["reductions"])
    lines = [SaleLine.from_json(ln) for ln in p["lines"]]
    return sum(ln.list_total_fen for ln in lines), Reductions.sum(ln.reductions for ln in lines)


def _line_net(ln: Mapping[str, Any]) -> Fen:
    return ln["amount"] - ln.get("sale_discount_share", 0) + ln.get("rounding_share", 0)


def _add_tax(totals: PeriodTotals, stored: list[Mapping[str, Any]] | None, split: Callable[[], TaxSplit],
             sign: int) -> None:
    """Add a document's per-rate figures: as its payload stores them (read as they are, for speed), or
    ``split()`` for documents written before tax was stored."""
    for r in stored if stored is not None else split().to_json():
        label = rate_label(r.get("rate_bp"))
        row = totals.tax_by_rate.setdefault(label, {"gross": 0, "net": 0, "tax": 0})
        row["gross"] += sign * r["gross"]
        row["net"] += sign * r["net"]
        row["tax"] += sign * r["tax"]
        _add(totals.by_tax_rate, label, sign * r["gross"])


class _Paid(NamedTuple):
    """A tender as :func:`net_by_tender` reads it (kind and amount), without re-checking a stored one."""

    kind: TenderKind
    amount_fen: Fen


@dataclass(slots=True)
class PeriodTotals:
    """What happened in a period (a shift, a business day): sales less returns, to the fen."""

    sales_count: int = 0
    returns_count: int = 0
    voids_count: int = 0
    void_fen: Fen = 0
    training_count: int = 0  # practice sales seen and left out of every total
    gross_fen: Fen = 0  # Σ sale subtotals (合计, at the prices charged)
    discount_fen: Fen = 0  # 折扣 (Z closures before reductions by kind: every line and sale discount)
    rounding_fen: Fen = 0  # signed 抹零 as added to the sales (negative in the customers' favour)
    sales_fen: Fen = 0  # Σ sale totals (应收)
    refunds_fen: Fen = 0
    cash_in_fen: Fen = 0
    cash_out_fen: Fen = 0
    by_tender: dict[str, int] = field(default_factory=dict)  # net taken per tender (sales − refunds)
    by_tax_rate: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_origin: dict[str, int] = field(default_factory=dict)  # 消费帮扶: gift boxes by their components' counties
    list_total_fen: Fen = 0  # Σ sale lines at list price (原价合计)
    override_fen: Fen = 0  # 改价 (signed)
    gift_fen: Fen = 0  # 赠送
    # 价税分离 per rate label: {"gross": 含税, "net": 不含税, "tax": 税额}, sales less returns. Empty in Z
    # closures taken before tax was computed.
    tax_by_rate: dict[str, dict[str, int]] = field(default_factory=dict)
    promotion_fen: Fen = 0  # 促销 (issue 17)
    points_fen: Fen = 0  # 积分抵扣: what members' points paid
    by_promotion: dict[str, int] = field(default_factory=dict)  # 促销 by promotion name: the reduction each gave
    # Members: "sales" (sales with a member), "points_earned", "points_redeemed", "points_reversed" (by returns).
    members: dict[str, int] = field(default_factory=dict)

    @property
    def net_fen(self) -> Fen:
        return self.sales_fen - self.refunds_fen

    @property
    def reductions(self) -> Reductions:
        """折扣, 改价, 抹零 (positive in the customers' favour), 赠送, 促销 and 积分抵扣: list_total − reductions = sales."""
        return Reductions(self.discount_fen, self.override_fen, -self.rounding_fen, self.gift_fen, self.promotion_fen,
                          self.points_fen)

    @property
    def tax_fen(self) -> Fen:
        return sum(r["tax"] for r in self.tax_by_rate.values())

    def add(self, entry: JournalEntry) -> None:
        p = entry.payload
        if p.get("training"):
            if entry.kind == EntryKind.SALE:
                self.training_count += 1
            return
        if entry.kind == EntryKind.SALE:
            self._sale(p)
        elif entry.kind == EntryKind.RETURN:
            self._return(p)
        elif entry.kind == EntryKind.VOID:
            self.voids_count += 1
            self.void_fen += int(p.get("amount", 0))
        elif entry.kind == EntryKind.CASH_IN:
            self.cash_in_fen += int(p["amount"])
        elif entry.kind == EntryKind.CASH_OUT:
            self.cash_out_fen += int(p["amount"])

    def _sale(self, p: Mapping[str, Any]) -> None:
        self.sales_count += 1
        self.gross_fen += p["subtotal"]
        list_total, red = sale_reductions(p)
        self.list_total_fen += list_total
        self.discount_fen += red.discount_fen
        self.override_fen += red.override_fen
        self.gift_fen += red.gift_fen
        self.promotion_fen += red.promotion_fen
        self.points_fen += red.points_fen
        for promo in p.get("promos") or ():
            _add(self.by_promotion, promo[2], promo[3])
        member = p.get("member")
        if member:
            _add(self.members, "sales", 1)
            _add(self.members, "points_earned", int(member.get("points_earned", 0)))
            _add(self.members, "points_redeemed", int(member.get("points_redeemed", 0)))
        self.rounding_fen += p.get("rounding", 0)
        self.sales_fen += p["total"]
        paid = tuple(_Paid(TenderKind(t["kind"]), t["amount"]) for t in p["tenders"])
        for t, amount in zip(p["tenders"], net_by_tender(paid, p.get("change", 0)), strict=True):  # type: ignore[arg-type]
            _add(self.by_tender, t["kind"], amount)
        _add_tax(self, p.get("tax"), lambda: sale_tax(p), 1)
        for ln in p["lines"]:
            net = _line_net(ln)
            _add(self.by_category, ln.get("category") or "未分类", net)
            comps = ln.get("components") or []
            if comps:
                for c in comps:
                    _add(self.by_origin, c.get("origin") or "未知", c["revenue"])
            else:
                _add(self.by_origin, ln.get("origin") or "未知", net)

    def _return(self, p: Mapping[str, Any]) -> None:
        self.returns_count += 1
        self.refunds_fen += p["refund"]
        member = p.get("member")
        if member:
            _add(self.members, "points_reversed", int(member.get("points_reversed", 0)))
        for t in p["refunds"]:
            _add(self.by_tender, t["kind"], -t["amount"])
        _add_tax(self, p.get("tax"), lambda: return_tax(p), -1)
        for ln in p["lines"]:
            _add(self.by_category, ln.get("category") or "未分类", -ln["refund"])
            split = ln.get("origin_split") or [[ln.get("origin") or "未知", ln["refund"]]]
            for origin, amount in split:
                _add(self.by_origin, origin or "未知", -amount)

    def to_json(self) -> dict[str, Any]:
        """The totals as a Z or shift close stores them; 促销, 积分抵扣 and the members' figures only when
        some sale had them."""
        out = {
            "sales_count": self.sales_count, "returns_count": self.returns_count, "voids_count": self.voids_count,
            "void": self.void_fen, "training_count": self.training_count, "gross": self.gross_fen,
            "discount": self.discount_fen, "rounding": self.rounding_fen, "sales": self.sales_fen,
            "refunds": self.refunds_fen, "net": self.net_fen, "cash_in": self.cash_in_fen, "cash_out": self.cash_out_fen,
            "by_tender": dict(sorted(self.by_tender.items())), "by_tax_rate": dict(sorted(self.by_tax_rate.items())),
            "by_category": dict(sorted(self.by_category.items())), "by_origin": dict(sorted(self.by_origin.items())),
            "list_total": self.list_total_fen, "override": self.override_fen, "gift": self.gift_fen,
            "tax": self.tax_fen, "tax_by_rate": {k: dict(v) for k, v in sorted(self.tax_by_rate.items())},
        }
        if self.promotion_fen or self.by_promotion:
            out["promotion"] = self.promotion_fen
            out["by_promotion"] = dict(sorted(self.by_promotion.items()))
        if self.points_fen:
            out["points"] = self.points_fen
        if self.members:
            out["members"] = dict(sorted(self.members.items()))
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> PeriodTotals:
        """Totals as a Z or shift close stored them; those written before reductions by kind and tax
        read with list total = 合计, no 改价 or 赠送 (their 优惠 stays 折扣) and no tax figures."""
        return cls(d["sales_count"], d["returns_count"], d["voids_count"], d["void"], d["training_count"], d["gross"],
                   d["discount"], d["rounding"], d["sales"], d["refunds"], d["cash_in"], d["cash_out"],
                   dict(d["by_tender"]), dict(d["by_tax_rate"]), dict(d["by_category"]), dict(d["by_origin"]),
                   d.get("list_total", d["gross"]), d.get("override", 0), d.get("gift", 0),
                   {k: {"gross": int(v["gross"]), "net": int(v["net"]), "tax": int(v["tax"])}
                    for k, v in d.get("tax_by_rate", {}).items()},
                   int(d.get("promotion", 0)), int(d.get("points", 0)), dict(d.get("by_promotion", {})),
                   dict(d.get("members", {})))


def period_totals(entries: Iterable[JournalEntry]) -> PeriodTotals:
    totals = PeriodTotals()
    for e in entries:
        totals.add(e)
    return totals


def stored_totals(stored: Mapping[str, Any], entries: Callable[[], Iterable[JournalEntry]]) -> PeriodTotals:
    """Totals as a Z or shift close stored them, for viewing and reprinting.

    Totals stored before reductions by kind and tax were recorded get those figures worked out
    again from ``entries()`` (the entries they summarised) — only when the recount agrees with
    the stored sales and refunds, so a past Z never shows other money than it closed.
    """
    return recounted_totals(stored, lambda: period_totals(entries()))


def recounted_totals(stored: Mapping[str, Any], recount: Callable[[], PeriodTotals]) -> PeriodTotals:
    """:func:`stored_totals` with the recount given as totals (``recount()``: the totals of the entries
    the Z summarised, e.g. summed from the report facts in SQL)."""
    totals = PeriodTotals.from_json(stored)
    if "list_total" in stored:
        return totals
    again = recount()
    if (again.sales_count, again.sales_fen, again.refunds_fen) != (totals.sales_count, totals.sales_fen, totals.refunds_fen):
        return totals
    return replace(totals, list_total_fen=again.list_total_fen, discount_fen=again.discount_fen,
                   override_fen=again.override_fen, gift_fen=again.gift_fen, rounding_fen=again.rounding_fen,
                   by_tax_rate=again.by_tax_rate, tax_by_rate=again.tax_by_rate)


def origin_split(refund: Fen, components: list[Mapping[str, Any]] | tuple, fallback_origin: str) -> list[list]:
    """A returned gift box's refund spread over its components' counties (as the sale was)."""
    if not components:
        return [[fallback_origin, refund]]
    shares = allocate(refund, [c["revenue"] if isinstance(c, Mapping) else c.revenue_fen for c in components])
    out: dict[str, int] = {}
    for c, share in zip(components, shares, strict=True):
        origin = c["origin"] if isinstance(c, Mapping) else c.origin
        out[origin] = out.get(origin, 0) + share
    return [[k, v] for k, v in out.items()]


@dataclass(frozen=True, slots=True)
class ShiftResult:
    """A closed shift: the blind count against what the journal says should be in the drawer."""

    shift_no: int
    opening_float_fen: Fen
    expected_cash_fen: Fen
    counted_cash_fen: Fen
    expected_by_tender: dict[str, int]
    declared_by_tender: dict[str, int]
    totals: PeriodTotals | None = None  # the shift's figures, for the 交班 report

    @property
    def variance_fen(self) -> Fen:
        """Counted − expected: negative is cash missing (短款), positive is over (长款)."""
        return self.counted_cash_fen - self.expected_cash_fen

    def variance_by_tender(self) -> dict[str, int]:
        out = {"cash": self.variance_fen}
        for k, v in self.declared_by_tender.items():
            if k != "cash":
                out[k] = v - self.expected_by_tender.get(k, 0)
        return out


def expected_cash(opening_float: Fen, totals: PeriodTotals) -> Fen:
    """What should be in the drawer: float + cash taken (net of change and refunds) + cash in − cash out."""
    return opening_float + totals.by_tender.get(TenderKind.CASH.value, 0) + totals.cash_in_fen - totals.cash_out_fen


@dataclass(frozen=True, slots=True)
class ReconciliationLine:
    tender: str
    expected_fen: Fen
    declared_fen: Fen | None

    @property
    def variance_fen(self) -> Fen | None:
        return None if self.declared_fen is None else self.declared_fen - self.expected_fen


RECONCILED_TENDERS = ("cash", "wechat", "alipay", "unionpay", "voucher", "account")


def reconcile(expected: Mapping[str, int], declared: Mapping[str, int]) -> list[ReconciliationLine]:
    """Expected (from the Z) against declared (statements, counted deposits) for each tender."""
    keys = list(RECONCILED_TENDERS) + sorted(set(expected) - set(RECONCILED_TENDERS))
    return [ReconciliationLine(k, expected.get(k, 0), declared.get(k)) for k in keys]


def grand_total_problem(payload: Mapping[str, Any], previous_grand_total: Fen) -> str | None:
    """What is wrong with a Z closure's perpetual grand total (累计), or None.

    A Z's grand total is the one before it plus the day's net; since issue 11 the one before it
    is the grand total of the Z taken last (closing order). Z closures written before then (their
    totals have no ``list_total``) chained by business day, so only their own sum is checked.
    """
    try:
        before = int(payload["grand_total_before"])
        grand = int(payload["grand_total"])
        net = int(payload["totals"]["net"])
    except (KeyError, TypeError, ValueError):
        return "the Z closure has no readable grand total"
    if grand != before + net:
        return f"the Z's grand total {format_yuan(grand)} is not {format_yuan(before)} + the day's net {format_yuan(net)}"
    if "list_total" in payload["totals"] and before != previous_grand_total:
        return (f"the Z's grand total before ({format_yuan(before)}) is not the grand total of the Z taken before it "
                f"({format_yuan(previous_grand_total)})")
    return None
