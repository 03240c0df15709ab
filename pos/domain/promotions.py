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


@dataclass(frozen=True, slots=True)
class PromoItem:
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


@dataclass(frozen=True, slots=True)
class PromoShare:
    promo_id: str
    version: int
    fen: int


@dataclass(frozen=True, slots=True)
class LineBenefit:
    key: int
    off_fen: int
    shares: tuple[PromoShare, ...]


@dataclass(frozen=True, slots=True)
class AppliedPromo:
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


class _Cart:
    """Working state of one :meth:`PromoBook.apply`: lines in content order, their value so far."""

    __slots__ = ("items", "net", "touched", "locked", "offs", "stamp", "epoch", "open", "fresh")

    def __init__(self, items: list[PromoItem]) -> None:
        self.items = items
        self.net = [max(0, it.gross_fen) for it in items]
        self.touched = [False] * len(items)
        self.locked = [False] * len(items)
        self.open = [True] * len(items)  # not locked: open to stackable promotions
        self.fresh = [True] * len(items)  # untouched: open to every promotion
        self.offs: list[list[tuple[Promotion, int]]] = [[] for _ in items]
        self.stamp = [0] * len(items)  # the epoch of each line's last change
        self.epoch = 0

    def use(self, i: int, promo: Promotion) -> None:
        self.touched[i] = True
        self.fresh[i] = False
        if not promo.stackable:
            self.locked[i] = True
            self.open[i] = False
        self.stamp[i] = self.epoch


def _kind_class(promo: Promotion) -> int:
    """Which lines the kind may use: 0 every line, 1 all but manual ones, 2 counted goods not manual (rule 4)."""
    if promo.kind in SPEND_KINDS:
        return 0 if promo.stackable else 1
    return 1 if promo.kind in PRICE_KINDS else 2


def _share(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` by cumulative flooring: exact sum, none above its weight."""
    whole = sum(weights)
    if whole <= 0 or total <= 0:
        return [0] * len(weights)
    total = min(total, whole)
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
        k = min(c, count)
        taken[i] = taken.get(i, 0) + value * k
        count -= k
    return taken


def _pool(cart: _Cart, lines: list[int], *, dearest_first: bool = False) -> list[tuple[int, int, int]]:
    """The lines' units as ``(value, line, count)``, cheapest (or dearest) first, then by line."""
    units = []
    net, items = cart.net, cart.items
    for i in lines:
        q = items[i].quantity
        if q > 0:
            base, extra = divmod(net[i], q)
            if q > extra:
                units.append((base, i, q - extra))
            if extra:
                units.append((base + 1, i, extra))
    if dearest_first:
        units.sort(key=lambda u: (-u[0], u[1]))
    else:
        units.sort()
    return units


def _evaluate(promo: Promotion, cart: _Cart, lines: list[int], gift_lines: list[int]) -> tuple[dict[int, int], list[int]]:
    """What ``promo`` would take off each line now: ``({line: off}, lines used)``; empty when it does not apply."""
    avail = cart.open if promo.stackable else cart.fresh
    lines = [i for i in lines if avail[i]]  # the kind rules were applied when the cover was built
    kind = promo.kind
    if kind in SPEND_KINDS:
        basis = sum(cart.net[i] for i in lines)
        threshold = max(0, promo.threshold_fen or 0)
        if basis <= 0 or basis < threshold:
            return {}, []
        if kind is PromoKind.SPEND_OFF:
            times = basis // threshold if (promo.repeat and threshold > 0) else 1
            off = max(0, promo.off_fen or 0) * times
        else:
            off = div_round_half_up(basis * _pct(promo), BP)
        return _spread(cart, lines, off), lines
    n = promo.n or 0
    if kind is PromoKind.NTH_PCT:
        total = sum(cart.items[i].quantity for i in lines)
        if n < 1 or total < n:
            return {}, []
        times = total // n if promo.repeat else 1
        pool = _pool(cart, lines)
        off = div_round_half_up(sum(_cheapest(pool, times).values()) * _pct(promo), BP)
        return _deal(off, _cheapest(pool, times * n))
    if kind is PromoKind.BUY_GET:
        m = promo.m or 0
        if n < 1 or m < 1:
            return {}, []
        if promo.gift_sku:
            gifts = [i for i in gift_lines if avail[i]]
            buying = [i for i in lines if cart.items[i].sku != promo.gift_sku]
            bought = sum(cart.items[i].quantity for i in buying)
            times = bought // n if promo.repeat else min(1, bought // n)
            given = min(times * m, sum(cart.items[i].quantity for i in gifts))
            if given == 0:
                return {}, []
            free = _cheapest(_pool(cart, gifts), given)
            deal = _cheapest(_pool(cart, buying), -(-given // m) * n)  # the units bought for the gifts given
            for i, v in free.items():
                deal[i] = deal.get(i, 0) + v
            return _deal(sum(free.values()), deal)
        total = sum(cart.items[i].quantity for i in lines)
        times = total // (n + m) if promo.repeat else min(1, total // (n + m))
        if times == 0:
            return {}, []
        pool = _pool(cart, lines)
        return _deal(sum(_cheapest(pool, times * m).values()), _cheapest(pool, times * (n + m)))
    if kind is PromoKind.BUNDLE:
        return _bundle(promo, cart, lines)
    return {}, []


def _deal(off: int, deal: dict[int, int]) -> tuple[dict[int, int], list[int]]:
    """``off`` shared over the units of a deal (``{line: their value}``) in proportion to their value."""
    if off <= 0:
        return {}, []
    keys = sorted(deal)
    shares = _share(off, [deal[i] for i in keys])
    return {i: s for i, s in zip(keys, shares, strict=True) if s > 0}, keys


def _pct(promo: Promotion) -> int:
    return min(BP, max(0, promo.pct_bp or 0))


def _spread(cart: _Cart, lines: list[int], off: int) -> dict[int, int]:
    shares = _share(off, [cart.net[i] for i in lines])
    return {i: s for i, s in zip(lines, shares, strict=True) if s > 0}


def _bundle(promo: Promotion, cart: _Cart, lines: list[int]) -> tuple[dict[int, int], list[int]]:
    price = promo.price_fen
    if price is None or price < 0:
        return {}, []
    each = max(1, promo.n or 1)
    skus = sorted({s.value for s in promo.scope if s.field == "sku"})
    by_set: list[list[tuple[int, int, int]]] = []  # per set: (value, line, count) of its units
    named = bool(skus) and all(s.field == "sku" for s in promo.scope)
    if named and len({cart.items[i].sku for i in lines}) < len(skus):
        return {}, []  # a product of the set is missing
    if not named and sum(cart.items[i].quantity for i in lines) < each:
        return {}, []
    if named:
        # One (or n) of each named product: the j-th set takes the j-th dearest units of each.
        per_sku = {sku: _pool(cart, [i for i in lines if cart.items[i].sku == sku], dearest_first=True) for sku in skus}
        streams = {sku: _expand(units) for sku, units in per_sku.items()}
        sets = min(len(s) for s in streams.values()) // each
        for j in range(sets):
            by_set.append([u for sku in skus for u in streams[sku][j * each:(j + 1) * each]])
    else:
        stream = _expand(_pool(cart, lines, dearest_first=True))
        for j in range(len(stream) // each):
            by_set.append(stream[j * each:(j + 1) * each])
    if not promo.repeat:
        by_set = by_set[:1]
    offs: dict[int, int] = {}
    used: set[int] = set()
    for units in by_set:
        value = sum(v for v, _, _ in units)
        if value <= price:
            break  # sets come dearest first: the rest save nothing either
        per_line: dict[int, int] = {}
        for v, i, _ in units:
            per_line[i] = per_line.get(i, 0) + v
        keys = sorted(per_line)
        for i, s in zip(keys, _share(value - price, [per_line[i] for i in keys]), strict=True):
            offs[i] = offs.get(i, 0) + s
        used.update(keys)
    return ({i: o for i, o in offs.items() if o > 0}, sorted(used)) if used else ({}, [])


_MAX_EXPANDED = 10_000  # units of one bundle stream spelt out one by one; more cannot form useful sets


def _expand(units: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for v, i, c in units:
        out.extend([(v, i, 1)] * min(c, _MAX_EXPANDED - len(out)))
        if len(out) >= _MAX_EXPANDED:
            break
    return out


def _item_order(item: PromoItem) -> tuple:
    return (item.sku, item.category, item.origin, item.weighed, item.quantity, item.unit_price_fen,
            item.gross_fen, item.manual, item.key)


def _price_of(promo: Promotion, item: PromoItem) -> int | None:
    if promo.price_fen is None or promo.price_fen < 0:
        return None
    if item.weighed:
        return weighed_amount(promo.price_fen, item.quantity)
    return promo.price_fen * item.quantity


_Entry = tuple[Promotion, list[int], list[int]]  # a promotion, the lines in its scope, the lines of its gift
_Indexed = tuple[int, Promotion, int, bool]  # rank (priority order), promotion, _kind_class, several index keys


class PromoBook:
    """The promotions in force, indexed by sku, category and origin so a cart meets only its own.

    The index of the promotions live at a given minute (for a sale with or without a member) is
    kept for that minute: a cart recomputed as each line is added does not check 500 date ranges
    again each time.
    """

    __slots__ = ("_promotions", "_minute_exact", "_live")

    def __init__(self, promotions: tuple[Promotion, ...]) -> None:
        self._promotions = promotions
        # Times at whole minutes (as the file writes them) let one minute's index serve the whole minute.
        self._minute_exact = all(
            all(t is None or (t.second, t.microsecond) == (0, 0) for t in (p.start, p.end))
            and all((t.second, t.microsecond) == (0, 0) or t == time.max for w in p.hours for t in w)
            for p in promotions
        )
        self._live: dict[tuple[datetime, bool], tuple[dict[tuple[str, str], list[_Indexed]], list[_Indexed]]] = {}

    @classmethod
    def build(cls, promotions: Iterable[Promotion]) -> PromoBook:
        return cls(tuple(sorted(promotions, key=lambda p: (-p.priority, p.id, p.version))))

    def __len__(self) -> int:
        return len(self._promotions)

    def active(self, at: datetime) -> tuple[Promotion, ...]:
        """The promotions in force at ``at``, highest priority first."""
        return tuple(p for p in self._promotions if p.active_at(at))

    def _index(self, at: datetime, member: bool) -> tuple[dict[tuple[str, str], list[_Indexed]], list[_Indexed]]:
        minute = at.replace(second=0, microsecond=0) if self._minute_exact else at
        found = self._live.get((minute, member))
        if found is not None:
            return found
        by: dict[tuple[str, str], list[_Indexed]] = {}
        everything: list[_Indexed] = []
        for rank, p in enumerate(self._promotions):
            if (p.needs_member and not member) or not p.active_at(at):
                continue
            cls = _kind_class(p)
            if any(s.field == "all" for s in p.scope):
                everything.append((rank, p, cls, False))
                continue
            keys = {(s.field, s.value) for s in p.scope if s.field in ("sku", "category", "origin")}
            for k in keys:
                by.setdefault(k, []).append((rank, p, cls, len(keys) > 1))
            if p.gift_sku:
                by.setdefault(("gift", p.gift_sku), []).append((rank, p, cls, len(keys) > 1))
        if len(self._live) >= 8:
            self._live.clear()
        if self._minute_exact:
            self._live[(minute, member)] = (by, everything)
        return by, everything

    def apply(self, items: Sequence[PromoItem], *, member_tier: str | None, at: datetime) -> PromoResult:
        """Every reduction the promotions give this cart at ``at`` (see the module's rules)."""
        if not items or not self._promotions:
            return NO_PROMOTIONS
        by, everything = self._index(at, member_tier is not None)
        ordered = sorted(items, key=_item_order)
        cart = _Cart(ordered)
        # The cart's lines under each index key, split by what the kinds may use (see _kind_class).
        groups: dict[tuple[str, str], tuple[list[int], list[int], list[int]]] = {}
        for i, item in enumerate(ordered):
            for key in (("sku", item.sku), ("category", item.category), ("origin", item.origin)):
                g = groups.get(key)
                if g is None:
                    g = groups[key] = ([], [], [])
                g[0].append(i)
                if not item.manual:
                    g[1].append(i)
                    if not item.weighed:
                        g[2].append(i)
        # Which lines each live promotion covers, found through the index (keyed by rank = priority order).
        cover: dict[int, list] = {}
        for key, g in groups.items():
            for rank, p, cls, multi in by.get(key, ()):
                lines = g[cls] if not p.exclude else [i for i in g[cls] if p.applies_to(ordered[i])]
                entry = cover.get(rank)
                if entry is None:
                    cover[rank] = [p, list(lines) if multi else lines, [], multi]
                else:
                    entry[1].extend(lines)
            if key[0] == "sku":
                for rank, p, cls, multi in by.get(("gift", key[1]), ()):
                    entry = cover.get(rank)
                    if entry is None:
                        entry = cover[rank] = [p, [], [], multi]
                    entry[2] = g[cls]
        if everything:
            whole = (list(range(len(ordered))), [i for i, it in enumerate(ordered) if not it.manual],
                     [i for i, it in enumerate(ordered) if not (it.manual or it.weighed)])
            for rank, p, cls, _ in everything:
                lines = whole[cls] if not p.exclude else [i for i in whole[cls] if p.applies_to(ordered[i])]
                gifts = groups.get(("sku", p.gift_sku), whole)[cls] if p.gift_sku else []
                cover[rank] = [p, lines, gifts, False]
        live: list[_Entry] = []
        for rank in sorted(cover):
            p, lines, gifts, multi = cover[rank]
            live.append((p, sorted(set(lines)) if multi else lines, gifts))
        applied_order: list[Promotion] = []
        _apply_prices(cart, [e for e in live if e[0].kind in PRICE_KINDS], applied_order)
        rest = [e for e in live if e[0].kind not in PRICE_KINDS and e[1]]
        start = 0
        while start < len(rest):
            end = start
            while end < len(rest) and rest[end][0].priority == rest[start][0].priority:
                end += 1
            _apply_group(cart, rest[start:end], applied_order)
            start = end
        return _result(cart, applied_order)


def _apply_group(cart: _Cart, group: list[_Entry], order: list[Promotion]) -> None:
    """One priority's promotions: item promotions first, then the bigger saving, then the id."""
    if len(group) == 1:
        p, lines, gifts = group[0]
        _take(cart, p, *_evaluate(p, cart, lines, gifts), order)
        return
    epoch = cart.epoch
    found = {id(e[0]): _evaluate(e[0], cart, e[1], e[2]) for e in group}
    saving = {k: sum(v[0].values()) for k, v in found.items()}
    group = sorted((e for e in group if saving[id(e[0])] > 0),
                   key=lambda e: (e[0].kind in SPEND_KINDS, -saving[id(e[0])], e[0].id, e[0].version))
    stamp = cart.stamp
    for p, lines, gifts in group:
        offs, used = found[id(p)]
        if cart.epoch > epoch and (any(stamp[i] > epoch for i in lines) or any(stamp[i] > epoch for i in gifts)):
            offs, used = _evaluate(p, cart, lines, gifts)  # an earlier promotion of the group changed its lines
        _take(cart, p, offs, used, order)


def _take(cart: _Cart, p: Promotion, offs: dict[int, int], used: list[int], order: list[Promotion]) -> None:
    """Apply what ``p`` gives: the reductions, and the lines it used out of reach as rule 3 says."""
    if not offs:
        return
    cart.epoch += 1
    for i in used:
        cart.use(i, p)
    for i, off in offs.items():
        off = min(off, cart.net[i])
        if off > 0:
            cart.net[i] -= off
            cart.offs[i].append((p, off))
    order.append(p)


def _apply_prices(cart: _Cart, entries: list[_Entry], order: list[Promotion]) -> None:
    """Each line's best promotional price: the highest priority, then the lowest price, then the id."""
    best: dict[int, tuple[tuple, Promotion, int]] = {}
    for p, lines, _ in entries:
        for i in lines:
            item = cart.items[i]
            price = _price_of(p, item)
            if price is None or price >= cart.net[i]:
                continue
            rank = (-p.priority, price, p.id, p.version)
            if i not in best or rank < best[i][0]:
                best[i] = (rank, p, cart.net[i] - price)
    chosen: dict[int, Promotion] = {}
    for i in sorted(best):
        _, p, off = best[i]
        cart.net[i] -= off
        cart.touched[i] = True
        cart.fresh[i] = False  # a promotional price does not lock the line: stackable promotions still reach it
        cart.offs[i].append((p, off))
        chosen.setdefault(id(p), p)
    order.extend(sorted(chosen.values(), key=lambda p: (-p.priority, p.id, p.version)))


def _result(cart: _Cart, order: list[Promotion]) -> PromoResult:
    lines: list[LineBenefit] = []
    per_promo: dict[int, tuple[int, list[int]]] = {}
    for i, item in enumerate(cart.items):
        taken = cart.offs[i]
        if not taken:
            continue
        lines.append(LineBenefit(item.key, sum(off for _, off in taken),
                                 tuple(PromoShare(p.id, p.version, off) for p, off in taken)))
        for p, off in taken:
            total, keys = per_promo.get(id(p), (0, []))
            keys.append(item.key)
            per_promo[id(p)] = (total + off, keys)
    lines.sort(key=lambda b: b.key)
    applied = tuple(
        AppliedPromo(p.id, p.version, p.name, p.kind, per_promo[id(p)][0], tuple(sorted(per_promo[id(p)][1])))
        for p in order if id(p) in per_promo
    )
    return PromoResult(tuple(lines), applied)
