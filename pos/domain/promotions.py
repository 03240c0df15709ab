"""Promotions (促销): what a promotion is and how a cart's lines get their reductions.

Pure and standard library only. The till builds a :class:`PromoBook` once per set of
promotions in force and calls :meth:`PromoBook.apply` each time the cart changes.

Kinds (``PromoKind``):

* ``spend_off`` 满减 — ``threshold_fen`` spent in scope takes ``off_fen`` off; with ``repeat`` once
  per full threshold (每满100减20).
* ``spend_pct`` 满折 — ``threshold_fen`` (or any amount when none) spent in scope takes ``pct_bp`` off.
* ``buy_get`` 买N赠M — ``n`` units bought give ``m`` free: of the scope itself (the cheapest units
  of the whole scope are the free ones) or, with ``gift_sku``, of that other product. ``repeat``
  gives it again for every complete group.
* ``nth_pct`` 第N件X折 — every ``n``-th unit takes ``pct_bp`` off; when the scope spans several
  products the units are pooled and the cheapest ones take it. Without ``repeat`` only once.

  The deal of a 买赠 or 第N件 is made of the cheapest units that complete it (for 买二赠一 with
  ``repeat`` and 7 units: the 6 cheapest); the free (or reduced) value is shared over the deal's
  units in proportion to their value, so a return refunds what was really paid for the unit
  returned (keeping the free one does not come for free). The named line shows the whole reduction.
* ``special`` 限时特价 — the line is sold at ``price_fen`` (per kg for weighed goods), usually with a
  date range, ``hours`` and ``weekdays``.
* ``member_price`` 会员价 — as ``special``, for a sale with a member on it.
* ``bundle`` 组合价 — one (or ``n``) of each product named by ``sku:`` selectors of the scope
  together for ``price_fen``; when the scope names a category or origin instead, any ``n`` units
  of it (任选N件). ``repeat`` prices every complete set, the dearest units first.

Percent convention: ``pct_bp`` is the percentage TAKEN OFF in basis points. The file's ``value``
``20%`` means 20 % off (8折, the customer pays 80 %), ``pct_bp == 2000``; the file also accepts
``8折`` (2000) and ``8.5折`` (1500). 第二件半价 is ``nth_pct`` with ``n=2`` and ``50%``.

How promotions meet (the rules :meth:`PromoBook.apply` follows):

1. Price promotions (``special``, ``member_price``) come first: each line takes at most one price,
   the one of the highest priority that is below the list price (then the lowest price, then the
   promotion id). A line with a promotional price takes part in later promotions only when those
   are ``stackable`` (a price promotion's own ``stackable`` flag plays no part: a price is a price).
2. The other promotions follow by priority, higher first. Within one priority, item promotions
   (买赠, 第N件, 组合) go before spend thresholds (满减, 满折) so thresholds count what is really
   paid; then the promotion that saves the customer more (as counted when that priority's turn
   begins) goes first; then the promotion id.
3. A promotion that applies uses the lines it counted (whole lines, not single units; for 买赠, 第N件
   and 组合价 the lines holding the units of the deal, for thresholds every line in scope). A line used
   by an exclusive promotion (``stackable=False``) is out of reach of every later promotion; a line
   used by a stackable promotion is open to later stackable promotions only.
4. Weighed lines take part in spend thresholds, ``special`` and ``member_price`` only. Manual lines
   (a price overridden, a manual discount, a scale label's own amount) take part only in spend
   thresholds of stackable promotions.
5. ``members_only`` promotions and every ``member_price`` need a member on the sale.

Amounts are integer fen. A reduction spread over several lines (a threshold, a bundle) is shared by
cumulative rounding in proportion to each line's value after the earlier promotions, so the shares
add up exactly and no line goes below zero. Lines are handled in an order fixed by their content
(sku, price, quantity …), not by scan order, so totals do not depend on the order of the items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from .money import div_round_half_up, weighed_amount

BP = 10_000  # basis points in a whole


class PromoKind(StrEnum):
    SPEND_OFF = "spend_off"
    SPEND_PCT = "spend_pct"
    BUY_GET = "buy_get"
    NTH_PCT = "nth_pct"
    SPECIAL = "special"
    MEMBER_PRICE = "member_price"
    BUNDLE = "bundle"


PRICE_KINDS = frozenset({PromoKind.SPECIAL, PromoKind.MEMBER_PRICE})
SPEND_KINDS = frozenset({PromoKind.SPEND_OFF, PromoKind.SPEND_PCT})
ITEM_KINDS = frozenset({PromoKind.BUY_GET, PromoKind.NTH_PCT, PromoKind.BUNDLE})

SELECTOR_FIELDS = ("all", "sku", "category", "origin")


@dataclass(frozen=True, slots=True)
class Selector:
    """One part of a scope: ``all``, or ``sku``/``category``/``origin`` equal to ``value``."""

    field: str  # "all" | "sku" | "category" | "origin"
    value: str = ""

    def matches(self, item: PromoItem) -> bool:
        if self.field == "all":
            return True
        if self.field == "sku":
            return item.sku == self.value
        if self.field == "category":
            return item.category == self.value
        if self.field == "origin":
            return item.origin == self.value
        return False

    def __str__(self) -> str:
        return "all" if self.field == "all" else f"{self.field}:{self.value}"


@dataclass(frozen=True, slots=True)
class Promotion:
    """One promotion as published (id and version go into the journal with every reduction).

    ``start``/``end`` are naive local store times; ``end`` is the last minute the promotion runs
    (a sale at 23:59:40 is still inside ``end=23:59``). ``hours`` are ``[from, to)`` windows of the
    day (``to`` before ``from`` runs over midnight); ``weekdays`` 1=Monday … 7=Sunday, empty = every day.
    """

    id: str
    version: int
    name: str
    kind: PromoKind
    scope: tuple[Selector, ...]
    exclude: tuple[Selector, ...] = ()
    threshold_fen: int | None = None
    off_fen: int | None = None
    pct_bp: int | None = None
    price_fen: int | None = None
    n: int | None = None
    m: int | None = None
    repeat: bool = False
    start: datetime | None = None
    end: datetime | None = None
    hours: tuple[tuple[time, time], ...] = ()
    weekdays: frozenset[int] = frozenset()
    members_only: bool = False
    stackable: bool = False
    priority: int = 0
    gift_sku: str | None = None

    def applies_to(self, item: PromoItem) -> bool:
        """Whether the item is in scope and not excluded (kind rules aside)."""
        return any(s.matches(item) for s in self.scope) and not any(s.matches(item) for s in self.exclude)

    def active_at(self, at: datetime) -> bool:
        """In force at ``at``: inside the date range, a listed weekday and one of the hours."""
        if self.start is not None and at < self.start:
            return False
        if self.end is not None:
            whole_minute = (self.end.second, self.end.microsecond) == (0, 0)
            if (at >= self.end + timedelta(minutes=1)) if whole_minute else (at > self.end):
                return False
        if self.weekdays and at.isoweekday() not in self.weekdays:
            return False
        if self.hours:
            t = at.time()
            return any((a <= t < b) if a <= b else (t >= a or t < b) for a, b in self.hours)
        return True

    @property
    def needs_member(self) -> bool:
        return self.members_only or self.kind is PromoKind.MEMBER_PRICE

    def to_json(self) -> dict:
        """A plain dict for the journal and head office; :meth:`from_json` gives back an equal promotion."""
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "kind": str(self.kind),
            "scope": [[s.field, s.value] for s in self.scope],
            "exclude": [[s.field, s.value] for s in self.exclude],
            "threshold_fen": self.threshold_fen,
            "off_fen": self.off_fen,
            "pct_bp": self.pct_bp,
            "price_fen": self.price_fen,
            "n": self.n,
            "m": self.m,
            "repeat": self.repeat,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "hours": [[a.isoformat(), b.isoformat()] for a, b in self.hours],
            "weekdays": sorted(self.weekdays),
            "members_only": self.members_only,
            "stackable": self.stackable,
            "priority": self.priority,
            "gift_sku": self.gift_sku,
        }

    @classmethod
    def from_json(cls, d: dict) -> Promotion:
        def when(v: str | None) -> datetime | None:
            return datetime.fromisoformat(v) if v else None

        return cls(
            id=str(d["id"]),
            version=int(d["version"]),
            name=str(d["name"]),
            kind=PromoKind(d["kind"]),
            scope=tuple(Selector(str(f), str(v)) for f, v in d.get("scope", ())),
            exclude=tuple(Selector(str(f), str(v)) for f, v in d.get("exclude", ())),
            threshold_fen=d.get("threshold_fen"),
            off_fen=d.get("off_fen"),
            pct_bp=d.get("pct_bp"),
            price_fen=d.get("price_fen"),
            n=d.get("n"),
            m=d.get("m"),
            repeat=bool(d.get("repeat", False)),
            start=when(d.get("start")),
            end=when(d.get("end")),
            hours=tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in d.get("hours", ())),
            weekdays=frozenset(int(w) for w in d.get("weekdays", ())),
            members_only=bool(d.get("members_only", False)),
            stackable=bool(d.get("stackable", False)),
            priority=int(d.get("priority", 0)),
            gift_sku=d.get("gift_sku"),
        )


# The engine's inputs and outputs are named tuples rather than frozen dataclasses: as immutable, and built
# several times faster (a cart recomputed on each scan makes one per line, and one per reduction).


class PromoItem(NamedTuple):
    """A cart line as the engine sees it."""

    key: int  # the cart line index (any stable int)
    sku: str
    category: str
    origin: str
    weighed: bool
    quantity: int  # units, or grams when weighed
    unit_price_fen: int  # the list price per unit (per kg when weighed)
    gross_fen: int  # the line at list price (what the cashier would charge)
    # Price overridden / manually discounted / scale label: takes part in no promotion except
    # spend thresholds of promotions with stackable=True.
    manual: bool = False


class PromoShare(NamedTuple):
    promo_id: str
    version: int
    fen: int


class LineBenefit(NamedTuple):
    key: int
    off_fen: int
    shares: tuple[PromoShare, ...]


class AppliedPromo(NamedTuple):
    promo_id: str
    version: int
    name: str
    kind: PromoKind
    off_fen: int
    keys: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PromoResult:
    lines: tuple[LineBenefit, ...]  # only lines with off_fen > 0, ordered by key
    applied: tuple[AppliedPromo, ...]  # named lines for screen and receipt, in the order applied

    @property
    def total_off_fen(self) -> int:
        return sum(b.off_fen for b in self.lines)

    def off_for(self, key: int) -> int:
        for b in self.lines:
            if b.key == key:
                return b.off_fen
        return 0


NO_PROMOTIONS = PromoResult((), ())


# --- the engine -----------------------------------------------------------------------------
#
# Speed (issue 17: a 50-line cart against 500 promotions well under 5 ms): everything that depends only on
# the promotions is read off once per book (a _Plan per promotion, which promotions reach a product), what
# depends on the minute once per minute (which are live), and apply only walks the cart's lines.

_OFF, _PCT, _BUY, _NTH, _SET, _PRICE = range(6)  # _Plan.code per kind
_CODES = {PromoKind.SPEND_OFF: _OFF, PromoKind.SPEND_PCT: _PCT, PromoKind.BUY_GET: _BUY, PromoKind.NTH_PCT: _NTH,
          PromoKind.BUNDLE: _SET, PromoKind.SPECIAL: _PRICE, PromoKind.MEMBER_PRICE: _PRICE}


class _Plan:
    """One promotion of a book with its numbers read off once (``None`` and out-of-range values settled)."""

    __slots__ = ("promo", "rank", "code", "cls", "stackable", "priority", "threshold", "off", "pct", "n", "m",
                 "repeat", "gift", "price", "skus", "named", "each", "order", "min_lines")

    def __init__(self, rank: int, p: Promotion) -> None:
        self.promo = p
        self.rank = rank
        self.code = _CODES[p.kind]
        self.cls = _kind_class(p)
        self.stackable = p.stackable
        self.priority = p.priority
        self.threshold = max(0, p.threshold_fen or 0)
        self.off = max(0, p.off_fen or 0)
        self.pct = min(BP, max(0, p.pct_bp or 0))
        self.n = p.n or 0
        self.m = p.m or 0
        self.repeat = p.repeat
        self.gift = p.gift_sku or None
        self.price = p.price_fen if p.price_fen is not None and p.price_fen >= 0 else None
        self.skus = tuple(sorted({s.value for s in p.scope if s.field == "sku"}))
        self.named = bool(self.skus) and all(s.field == "sku" for s in p.scope)
        self.each = max(1, p.n or 1)
        self.order = (p.id, p.version)
        self.min_lines = len(self.skus) if self.code == _SET and self.named else 1  # a set needs each product


def _kind_class(promo: Promotion) -> int:
    """Which lines the kind may use: 0 every line, 1 all but manual ones, 2 counted goods not manual (rule 4)."""
    if promo.kind in SPEND_KINDS:
        return 0 if promo.stackable else 1
    return 1 if promo.kind in PRICE_KINDS else 2


class _Cart:
    """Working state of one :meth:`PromoBook.apply`: lines in content order, their value so far."""

    __slots__ = ("items", "net", "qty", "sku", "offs", "open", "fresh", "given", "negative")

    def __init__(self, items: list[PromoItem]) -> None:
        self.items = items
        self.net = [it.gross_fen if it.gross_fen > 0 else 0 for it in items]
        self.qty = [it.quantity for it in items]
        self.sku = [it.sku for it in items]
        self.offs: list[list[PromoShare]] = [[] for _ in items]
        self.given: dict[int, tuple[int, list[int]]] = {}  # per promotion (by id): fen given, lines given to
        self.negative = False  # a line below zero
        self.open = [True] * len(items)  # not locked: open to stackable promotions
        self.fresh = [True] * len(items)  # untouched: open to every promotion


def _share(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` by cumulative flooring: exact sum, none above its weight."""
    whole = sum(weights)
    if whole <= 0 or total <= 0:
        return [0] * len(weights)
    if total >= whole:
        return list(weights)  # every weight whole (the cumulative flooring gives exactly that)
    out, cum, before = [], 0, 0
    for w in weights:
        cum += w
        upto = total * cum // whole
        out.append(upto - before)
        before = upto
    return out


def _cheapest(units: list[tuple[int, int, int]], count: int) -> dict[int, int]:
    """From ``(value, line, count)`` unit groups sorted cheapest first, the value taken per line."""
    taken: dict[int, int] = {}
    for value, i, c in units:
        if count <= 0:
            break
        k = c if c < count else count
        taken[i] = taken.get(i, 0) + value * k
        count -= k
    return taken


def _pool(cart: _Cart, lines: list[int], *, dearest_first: bool = False) -> list[tuple[int, int, int]]:
    """The lines' units as ``(value, line, count)``, cheapest (or dearest) first, then by line."""
    units = []
    net, qty = cart.net, cart.qty
    for i in lines:
        q = qty[i]
        if q > 0:
            base, extra = divmod(net[i], q)
            if q > extra:
                units.append((base, i, q - extra))
            if extra:
                units.append((base + 1, i, extra))
    # ``lines`` come in ascending order and a line's two values differ, so a stable sort on the value alone
    # leaves equal values by line (a reversed sort keeps ties in their order too).
    if len(units) > 1:
        units.sort(key=_value, reverse=dearest_first)
    return units


_value = itemgetter(0)


_Found = tuple[int, int, Any, Any]  # (saving, how, x, y): what a promotion would save now, and how to share it out
_SPREAD, _DEAL, _SETS = range(3)  # how: (off, lines) by their value, (off, {line: value}) of a deal, (price, sets)
_NOTHING: _Found = (0, _SPREAD, 0, ())


def _evaluate(plan: _Plan, cart: _Cart, lines: list[int], gift_lines: list[int]) -> _Found:
    """What the promotion would save now (0 when it does not apply), and what :func:`_split` needs to share it.

    The sharing waits until the promotion is taken: within a priority every promotion is counted first to put
    them in order, and one whose lines an earlier one changes is counted again.
    """
    if len(lines) < plan.min_lines:
        return _NOTHING
    avail = cart.open if plan.stackable else cart.fresh
    # The kind rules were applied when the cover was built; what is left is whether the lines are still free.
    if len(lines) == 1:
        if not avail[lines[0]]:
            return _NOTHING
    else:
        lines = [i for i in lines if avail[i]]
    code = plan.code
    if code <= _PCT:
        net = cart.net
        if len(lines) == 1:
            basis = net[lines[0]]
        else:
            basis = sum(map(net.__getitem__, lines))
        threshold = plan.threshold
        if basis <= 0 or basis < threshold:
            return _NOTHING
        if code == _OFF:
            off = plan.off * (basis // threshold if (plan.repeat and threshold > 0) else 1)
        else:
            off = div_round_half_up(basis * plan.pct, BP)
        if off <= 0:
            return _NOTHING
        if cart.negative:  # a line below zero (a negative quantity at a promotional price) takes no share
            return sum(_split(cart, (0, _SPREAD, off, lines))[0].values()), _SPREAD, off, lines
        return (off if off < basis else basis), _SPREAD, off, lines
    qty = cart.qty
    n = plan.n
    if code == _NTH:
        total = sum(map(qty.__getitem__, lines))
        if n < 1 or total < n:
            return _NOTHING
        times = total // n if plan.repeat else 1
        pool = _pool(cart, lines)
        off = div_round_half_up(sum(_cheapest(pool, times).values()) * plan.pct, BP)
        return _deal(off, _cheapest(pool, times * n)) if off > 0 else _NOTHING
    if code == _BUY:
        m = plan.m
        if n < 1 or m < 1:
            return _NOTHING
        gift = plan.gift
        if gift:
            gifts = [i for i in gift_lines if avail[i]]
            if not gifts:
                return _NOTHING
            sku = cart.sku
            buying = [i for i in lines if sku[i] != gift]
            bought = sum(map(qty.__getitem__, buying))
            times = bought // n if plan.repeat else min(1, bought // n)
            given = min(times * m, sum(map(qty.__getitem__, gifts)))
            if given <= 0:
                return _NOTHING
            free = _cheapest(_pool(cart, gifts), given)
            deal = _cheapest(_pool(cart, buying), -(-given // m) * n)  # the units bought for the gifts given
            for i, v in free.items():
                deal[i] = deal.get(i, 0) + v
            return _deal(sum(free.values()), deal)
        total = sum(map(qty.__getitem__, lines))
        times = total // (n + m) if plan.repeat else min(1, total // (n + m))
        if times <= 0:
            return _NOTHING
        pool = _pool(cart, lines)
        return _deal(sum(_cheapest(pool, times * m).values()), _cheapest(pool, times * (n + m)))
    if code == _SET:
        return _bundle(plan, cart, lines)
    return _NOTHING


def _deal(off: int, deal: dict[int, int]) -> _Found:
    """``off`` to share over the units of a deal (``{line: their value}``, never below zero) by their value."""
    whole = sum(deal.values())
    if off <= 0 or whole <= 0:
        return _NOTHING
    return (off if off < whole else whole), _DEAL, off, deal


def _split(cart: _Cart, found: _Found) -> tuple[dict[int, int], list[int]]:
    """What a promotion counted by :func:`_evaluate` takes off each line ``{line: off}``, and the lines it uses."""
    _, how, x, y = found
    if how == _SPREAD:
        net = cart.net
        return {i: s for i, s in zip(y, _share(x, [net[i] for i in y]), strict=True) if s > 0}, y
    if how == _DEAL:
        keys = sorted(y)
        return {i: s for i, s in zip(keys, _share(x, [y[i] for i in keys]), strict=True) if s > 0}, keys
    offs: dict[int, int] = {}
    used: set[int] = set()
    for value, units in y:
        per_line: dict[int, int] = {}
        for v, i, _ in units:  # (value, line, units): one unit, or several of one line together
            per_line[i] = per_line.get(i, 0) + v
        keys = sorted(per_line)
        for i, s in zip(keys, _share(value - x, [per_line[i] for i in keys]), strict=True):
            offs[i] = offs.get(i, 0) + s
        used.update(keys)
    return {i: o for i, o in offs.items() if o > 0}, sorted(used)


def _bundle(plan: _Plan, cart: _Cart, lines: list[int]) -> _Found:
    price = plan.price
    if price is None:
        return _NOTHING
    each, skus = plan.each, plan.skus
    by_set: list[list[tuple[int, int, int]]] = []  # per set: (value, line, count) of its units
    sku = cart.sku
    if plan.named:
        if len({sku[i] for i in lines}) < len(skus):
            return _NOTHING  # a product of the set is missing
        # One (or n) of each named product: the j-th set takes the j-th dearest units of each.
        streams = {s: _expand(_pool(cart, [i for i in lines if sku[i] == s], dearest_first=True)) for s in skus}
        sets = min(len(s) for s in streams.values()) // each
        if not plan.repeat:
            sets = min(sets, 1)
        for j in range(sets):
            by_set.append([u for s in skus for u in streams[s][j * each:(j + 1) * each]])
    else:
        if sum(map(cart.qty.__getitem__, lines)) < each:
            return _NOTHING
        # Any n units: the dearest n make the first set, the next n the second … (units of a line taken together,
        # as (their value, line, how many)); the first set that does not save ends it.
        priced, saving, units, value, need, left = [], 0, [], 0, each, _MAX_EXPANDED
        for v, i, c in _pool(cart, lines, dearest_first=True):
            c = min(c, left)
            left -= c
            while c:
                k = min(c, need)
                units.append((v * k, i, k))
                value += v * k
                c -= k
                need -= k
                if need == 0:
                    if value <= price:
                        break
                    priced.append((value, units))
                    saving += value - price
                    if not plan.repeat:
                        break
                    units, value, need = [], 0, each
            else:
                if left:
                    continue
            break
        return (saving, _SETS, price, priced) if priced else _NOTHING
    priced: list[tuple[int, list[tuple[int, int, int]]]] = []  # the sets that save something, with their value
    saving = 0
    for units in by_set:
        value = sum(v for v, _, _ in units)
        if value <= price:
            break  # sets come dearest first: the rest save nothing either
        priced.append((value, units))
        saving += value - price
    return (saving, _SETS, price, priced) if priced else _NOTHING


_MAX_EXPANDED = 10_000  # units of one bundle stream counted (a named set spells them out); more cannot form useful sets


def _expand(units: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for v, i, c in units:
        out.extend([(v, i, 1)] * min(c, _MAX_EXPANDED - len(out)))
        if len(out) >= _MAX_EXPANDED:
            break
    return out


_item_order = attrgetter("sku", "category", "origin", "weighed", "quantity", "unit_price_fen", "gross_fen", "manual",
                         "key")


def _price_of(price_fen: int, item: PromoItem) -> int:
    if item.weighed:
        return weighed_amount(price_fen, item.quantity)
    return price_fen * item.quantity


_Signature = tuple[str, str, str]  # sku, category, origin: all that decides whether a scope takes a line
_Reach = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]  # ranks reaching a manual, weighed, counted line
_Keyed = dict[str, tuple[tuple[int, int, bool], ...]]  # a sku, category or origin → its promotions' (rank, _kind_class,
# whether they name several keys)
_FIELDS = ("sku", "category", "origin")


class _Live:
    """The promotions live at one minute (for a sale with or without a member): those of one sku, category or
    origin (or everything) without exclusions by that key, the others by the products they reach."""

    __slots__ = ("live", "keyed", "wide", "reach", "mixed")

    def __init__(self, book: PromoBook, live: list[bool]) -> None:
        plans = book._plans
        self.live = live
        self.keyed: tuple[_Keyed, _Keyed, _Keyed] = tuple(
            {v: kept for v, ranks in by.items() if (kept := tuple((r, plans[r].cls, r in book._several)
                                                                   for r in ranks if live[r]))}
            for by in book._keyed)
        self.wide = tuple((r, plans[r].cls) for r in book._wide if live[r])
        self.mixed = any(live[r] for r in book._mixed)
        self.reach: dict[_Signature, _Reach] = {}


class PromoBook:
    """The promotions in force, indexed by sku, category and origin so a cart meets only its own.

    Which promotions reach a product is worked out once per book; which of them are live at a given
    minute (for a sale with or without a member) once for that minute: a cart recomputed as each line
    is added does not check 500 scopes and date ranges again each time.
    """

    __slots__ = ("_promotions", "_plans", "_minute_exact", "_live", "_keyed", "_several", "_wide", "_mixed", "_by_key",
                 "_reach")

    def __init__(self, promotions: tuple[Promotion, ...]) -> None:
        self._promotions = promotions
        self._plans = tuple(_Plan(rank, p) for rank, p in enumerate(promotions))
        # Times at whole minutes (as the file writes them) let one minute's index serve the whole minute.
        self._minute_exact = all(
            all(t is None or (t.second, t.microsecond) == (0, 0) for t in (p.start, p.end))
            and all((t.second, t.microsecond) == (0, 0) or t == time.max for w in p.hours for t in w)
            for p in promotions
        )
        self._live: dict[tuple[datetime, bool], _Live] = {}
        # Most promotions name skus, categories or origins, or everything, and exclude nothing: they take every
        # line of those keys. The others ("mixed": with exclusions) are matched product by product.
        self._keyed: tuple[dict[str, list[int]], ...] = ({}, {}, {})
        self._several: set[int] = set()  # the keyed ones naming several keys
        self._wide: list[int] = []
        self._mixed: list[int] = []
        self._by_key: dict[tuple[str, str], list[int]] = {}  # the mixed ones by each key they name
        wide_mixed: list[int] = []
        for rank, p in enumerate(promotions):
            wide = any(s.field == "all" for s in p.scope)
            keys = list(dict.fromkeys((s.field, s.value) for s in p.scope if s.field in _FIELDS))
            if not p.exclude and wide:
                self._wide.append(rank)
            elif not p.exclude and keys:
                for field, value in keys:
                    self._keyed[_FIELDS.index(field)].setdefault(value, []).append(rank)
                if len(keys) > 1:
                    self._several.add(rank)
            elif wide:
                self._mixed.append(rank)
                wide_mixed.append(rank)
            elif keys:
                self._mixed.append(rank)
                for k in keys:
                    self._by_key.setdefault(k, []).append(rank)
        self._by_key[("all", "")] = wide_mixed
        self._reach: dict[_Signature, _Reach] = {}

    @classmethod
    def build(cls, promotions: Iterable[Promotion]) -> PromoBook:
        return cls(tuple(sorted(promotions, key=lambda p: (-p.priority, p.id, p.version))))

    def __len__(self) -> int:
        return len(self._promotions)

    def active(self, at: datetime) -> tuple[Promotion, ...]:
        """The promotions in force at ``at``, highest priority first."""
        return tuple(p for p in self._promotions if p.active_at(at))

    def _reaching(self, index: _Live, sig: _Signature) -> _Reach:
        """The ranks of the live mixed promotions whose scope takes a product (exclusions applied), by line class."""
        found = self._reach.get(sig)
        if found is None:
            sku, category, origin = sig
            probe = PromoItem(0, sku, category, origin, False, 0, 0, 0)
            by = self._by_key
            ranks = set(by[("all", "")])
            for k in (("sku", sku), ("category", category), ("origin", origin)):
                ranks.update(by.get(k, ()))
            plans = self._plans
            hits = sorted(r for r in ranks if plans[r].promo.applies_to(probe))
            found = tuple(tuple(r for r in hits if plans[r].cls <= level) for level in (0, 1, 2))
            if len(self._reach) >= 50_000:
                self._reach.clear()
            self._reach[sig] = found
        live = index.live
        found = index.reach[sig] = tuple(tuple(r for r in ranks if live[r]) for ranks in found)
        return found

    def _index(self, at: datetime, member: bool) -> _Live:
        minute = at.replace(second=0, microsecond=0) if self._minute_exact else at
        found = self._live.get((minute, member))
        if found is not None:
            return found
        found = _Live(self, [not (p.needs_member and not member) and p.active_at(at) for p in self._promotions])
        if len(self._live) >= 8:
            self._live.clear()
        if self._minute_exact:
            self._live[(minute, member)] = found
        return found

    def apply(self, items: Sequence[PromoItem], *, member_tier: str | None, at: datetime) -> PromoResult:
        """Every reduction the promotions give this cart at ``at`` (see the module's rules)."""
        if not items or not self._promotions:
            return NO_PROMOTIONS
        index = self._index(at, member_tier is not None)
        ordered = sorted(items, key=_item_order)
        cart = _Cart(ordered)
        # The cart's lines under each sku, category and origin (and all of them), split by what the kinds may
        # use (see _kind_class): [every line, all but manual ones, counted goods not manual].
        levels = [0 if it.manual else 1 if it.weighed else 2 for it in ordered]
        whole = [list(range(len(ordered))), [i for i, v in enumerate(levels) if v],
                 [i for i, v in enumerate(levels) if v == 2]]
        groups: tuple[dict[str, list[list[int]]], ...] = ({}, {}, {})
        by_sku, by_category, by_origin = groups
        for i, it in enumerate(ordered):
            level = levels[i]
            for g in (by_sku.get(it.sku) or by_sku.setdefault(it.sku, [[], [], []]),
                      by_category.get(it.category) or by_category.setdefault(it.category, [[], [], []]),
                      by_origin.get(it.origin) or by_origin.setdefault(it.origin, [[], [], []])):
                g[0].append(i)
                if level:
                    g[1].append(i)
                    if level == 2:
                        g[2].append(i)
        # Which lines each live promotion covers, keyed by rank (= priority order).
        cover: dict[int, list[int]] = {}
        several: list[int] = []
        for by, keyed in zip(groups, index.keyed, strict=True):
            for value, g in by.items():
                for r, cls, multi in keyed.get(value, ()):
                    lines = g[cls]
                    if not lines:
                        continue
                    if not multi:
                        cover[r] = lines
                    elif r in cover:
                        cover[r].extend(lines)
                    else:
                        cover[r] = list(lines)
                        several.append(r)
        for r in several:
            cover[r] = sorted(set(cover[r]))
        for r, cls in index.wide:
            if whole[cls]:
                cover[r] = whole[cls]
        if index.mixed:
            reach = index.reach
            for i, it in enumerate(ordered):
                sig = (it.sku, it.category, it.origin)
                ranks = reach.get(sig) or self._reaching(index, sig)
                for r in ranks[levels[i]]:
                    c = cover.get(r)
                    if c is None:
                        cover[r] = [i]
                    else:
                        c.append(i)
        plans = self._plans
        prices: list[tuple[_Plan, list[int]]] = []
        rest: list[tuple[_Plan, list[int], list[int]]] = []
        for r in sorted(cover):
            plan = plans[r]
            if plan.code == _PRICE:
                prices.append((plan, cover[r]))
            else:
                gift = by_sku.get(plan.gift) if plan.gift else None
                rest.append((plan, cover[r], gift[plan.cls] if gift else []))
        applied_order: list[Promotion] = []
        if prices:
            _apply_prices(cart, prices, applied_order)
            cart.negative = min(cart.net) < 0
        start, count = 0, len(rest)
        while start < count:
            end, priority = start + 1, rest[start][0].priority
            while end < count and rest[end][0].priority == priority:
                end += 1
            if end == start + 1:
                plan, lines, gifts = rest[start]
                found = _evaluate(plan, cart, lines, gifts)
                if found[0] > 0:
                    _take(cart, plan, *_split(cart, found), applied_order)
            else:
                _apply_group(cart, rest[start:end], applied_order)
            start = end
        return _result(cart, applied_order)


def _apply_group(cart: _Cart, group: list[tuple[_Plan, list[int], list[int]]], order: list[Promotion]) -> None:
    """One priority's promotions: item promotions first, then the bigger saving, then the id."""
    counted = []
    for plan, lines, gifts in group:
        found = _evaluate(plan, cart, lines, gifts)
        if found[0] > 0:
            counted.append(((plan.code <= _PCT, -found[0], plan.order), plan, lines, gifts, found))
    if len(counted) > 1:
        counted.sort(key=_first)
    changed: set[int] = set()  # the lines used so far by the group's promotions
    for _, plan, lines, gifts, found in counted:
        if changed and not (changed.isdisjoint(lines) and changed.isdisjoint(gifts)):
            found = _evaluate(plan, cart, lines, gifts)  # an earlier promotion of the group changed its lines
            if found[0] <= 0:
                continue
        offs, used = _split(cart, found)
        _take(cart, plan, offs, used, order)
        changed.update(used)


def _first(entry: tuple) -> tuple:
    return entry[0]


def _take(cart: _Cart, plan: _Plan, offs: dict[int, int], used: list[int], order: list[Promotion]) -> None:
    """Apply what the promotion gives: the reductions, and the lines it used out of reach as rule 3 says."""
    fresh = cart.fresh
    if plan.stackable:
        for i in used:
            fresh[i] = False
    else:
        opened = cart.open
        for i in used:
            fresh[i] = False
            opened[i] = False
    net, taken, p = cart.net, cart.offs, plan.promo
    pid, version = plan.order
    gave, total = [], 0
    for i, off in offs.items():
        if off > net[i]:
            off = net[i]
        if off > 0:
            net[i] -= off
            taken[i].append(_tuple_new(PromoShare, (pid, version, off)))
            gave.append(i)
            total += off
    _given(cart, p, total, gave)
    order.append(p)


def _given(cart: _Cart, p: Promotion, total: int, lines: list[int]) -> None:
    """What a promotion gave, for its named line: the fen in all and the lines that had some."""
    acc = cart.given.get(id(p))
    if acc is None:
        cart.given[id(p)] = (total, lines)
    else:
        cart.given[id(p)] = (acc[0] + total, acc[1] + lines)


def _apply_prices(cart: _Cart, entries: list[tuple[_Plan, list[int]]], order: list[Promotion]) -> None:
    """Each line's best promotional price: the highest priority, then the lowest price, then the id."""
    best: dict[int, tuple[tuple, _Plan, int]] = {}
    items, net = cart.items, cart.net
    for plan, lines in entries:
        if plan.price is None:
            continue
        for i in lines:
            price = _price_of(plan.price, items[i])
            if price >= net[i]:
                continue
            rank = (-plan.priority, price, plan.order)
            if i not in best or rank < best[i][0]:
                best[i] = (rank, plan, net[i] - price)
    chosen: dict[int, _Plan] = {}
    fresh, taken = cart.fresh, cart.offs
    for i in sorted(best):
        _, plan, off = best[i]
        net[i] -= off
        fresh[i] = False  # a promotional price does not lock the line: stackable promotions still reach it
        taken[i].append(_tuple_new(PromoShare, (*plan.order, off)))
        chosen.setdefault(plan.rank, plan)
        _given(cart, plan.promo, off, [i])
    order.extend(plan.promo for plan in sorted(chosen.values(), key=lambda plan: (-plan.priority, plan.order)))


def _result(cart: _Cart, order: list[Promotion]) -> PromoResult:
    lines: list[LineBenefit] = []
    items = cart.items
    for item, taken in zip(items, cart.offs, strict=True):
        if taken:
            off = taken[0][2] if len(taken) == 1 else sum(s[2] for s in taken)
            lines.append(_tuple_new(LineBenefit, (item.key, off, tuple(taken))))
    lines.sort(key=_benefit_key)
    applied = []
    given = cart.given
    for p in order:
        gave = given.get(id(p))
        if gave is not None:
            keys = tuple(sorted([items[i].key for i in gave[1]]))
            applied.append(_tuple_new(AppliedPromo, (p.id, p.version, p.name, p.kind, gave[0], keys)))
    return PromoResult(tuple(lines), tuple(applied))


_tuple_new = tuple.__new__  # builds a named tuple from its fields without the Python-level __new__ (hot loops only)
_benefit_key = itemgetter(0)  # LineBenefit.key
