"""Stock by delivery batch (issue 15): lots, first-expiry-first-out draws, cost, write-offs, counts.

Pure and standard library only. A delivery batch (批次, e.g. a 山海快车 truck) brings lines; each
line is a :class:`Lot`. Everything that changes stock is a :class:`Movement`, and
:class:`StockState` is what the movements add up to: on hand = Σ movements per lot, always.

Quantities are integers: grams for weighed goods, whole units otherwise. Money is integer fen.

**Cost rule.** A lot's unit cost is fen per unit, or fen per kilogram for weighed goods
(``per_kg``). The cost of the first ``q`` of a lot is ``C(q) = q × cost`` for unit goods and
``C(q) = round_half_up(q × cost / 1000)`` for weighed goods (grams), the same 四舍五入 the till
uses for a weighed price. Each outflow (sale draw, write-off, negative count adjustment) costs
``C(out after) − cost already out``: cumulative rounding, so the fen of all draws from a lot add
up exactly to ``C(received quantity)``, the lot's line amount on the delivery note, and no draw
is ever a fen off by more than the rounding of one weighing. A return puts back the very fen its
draw took out (shared by cumulative rounding within the draw for a partial return), so a sale
returned whole has a margin of exactly zero; the next outflow from that lot absorbs the fen of
rounding, so the sum stays exact. Where a return gave back less than the position's share, that
next outflow would come out at −1 fen: it is costed 0 instead (a cost is never negative) and the
fen is absorbed by later outflows. The fen out of a lot never exceed ``C(received)`` (each
outflow brings them to at most ``C`` of where it stops; returns only lower them), so a fully
drawn lot still gives out exactly its line amount.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import InvalidInput
from .money import Fen, div_round_half_up
from .permissions import Action

# The permission a write-off and a count adjustment need. pos.domain.permissions has no Action
# for them yet; the service layer checks these codes until ``Action.STOCK_WRITEOFF`` and
# ``Action.STOCK_COUNT`` exist (same strings).
WRITE_OFF_ACTION = Action.STOCK_WRITEOFF  # 报损
COUNT_ACTION = Action.STOCK_COUNT  # 盘点调整


class MovementKind(str, enum.Enum):
    RECEIVE = "receive"  # 收货
    SALE = "sale"  # 销售出库
    RETURN = "return"  # 退货入库
    WRITE_OFF = "write_off"  # 报损
    ADJUST = "adjust"  # 盘点调整


class WriteOffReason(str, enum.Enum):
    SPOILED = "spoiled"  # 变质
    BROKEN = "broken"  # 破损
    EXPIRED = "expired"  # 过期
    OTHER = "other"  # 其他

    @property
    def label_zh(self) -> str:
        return {"spoiled": "变质", "broken": "破损", "expired": "过期", "other": "其他"}[self.value]


class ExpiryPolicy(str, enum.Enum):
    """Store setting: what scanning an item whose oldest lot has expired does."""

    WARN = "warn"
    REFUSE = "refuse"


class ScanVerdict(str, enum.Enum):
    OK = "ok"
    WARN = "warn"
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True)
class Lot:
    """One line of a delivery batch: what came, what it cost, and its papers.

    ``unit_cost_fen`` is per unit, or per kilogram when ``per_kg`` (then quantities are grams).
    ``expiry`` is the last day the goods may be sold; ``None`` for goods that do not expire.
    ``received_seq`` orders lots received the same day (the journal sequence of the receipt).
    """

    lot_id: str
    sku: str
    batch_no: str
    received_qty: int
    unit_cost_fen: Fen
    received_on: date
    expiry: date | None = None
    per_kg: bool = False
    received_seq: int = 0
    production_date: date | None = None
    origin: str = ""
    certificate_no: str = ""  # 承诺达标合格证编号
    quarantine_no: str = ""  # 动物检疫合格证明编号
    category: str = ""

    def __post_init__(self) -> None:
        if self.received_qty <= 0:
            raise InvalidInput(f"lot {self.lot_id}: the quantity received must be above zero",
                               message_zh=f"批次行 {self.lot_id}：收货数量必须大于零")
        if self.unit_cost_fen < 0:
            raise InvalidInput(f"lot {self.lot_id}: the unit cost cannot be negative",
                               message_zh=f"批次行 {self.lot_id}：进价不能为负")

    def cost_of(self, quantity: int) -> Fen:
        """``C(q)``: the cost of the first ``quantity`` of this lot (half up to the fen for grams)."""
        if self.per_kg:
            return div_round_half_up(quantity * self.unit_cost_fen, 1000)
        return quantity * self.unit_cost_fen

    @property
    def total_cost_fen(self) -> Fen:
        """The lot's line amount: what all of it costs, and what all its draws add up to."""
        return self.cost_of(self.received_qty)

    def fefo_key(self) -> tuple[int, date, date, int, str]:
        """Earliest expiry first (lots without expiry last), then earliest received (day, then
        journal sequence), then lot id."""
        return (0 if self.expiry else 1, self.expiry or date.max, self.received_on, self.received_seq, self.lot_id)


@dataclass(frozen=True, slots=True)
class Draw:
    """Part of a sale line (or write-off) taken from one lot, with its cost.

    ``lot_id`` is ``None`` for an *unlotted* draw: sold past zero, or from stock found at a count
    that belongs to no lot. Those are flagged for the manager (``flagged``).
    """

    sku: str
    lot_id: str | None
    quantity: int
    cost_fen: Fen
    cost_known: bool = True

    @property
    def flagged(self) -> bool:
        return self.lot_id is None


@dataclass(frozen=True, slots=True)
class Movement:
    """One change of stock. ``quantity`` is positive; the kind says the direction, except for a
    count adjustment, whose quantity is signed (+ found, − missing). ``cost_fen`` is the cost of
    what moved, positive in both directions (the sign comes from :attr:`delta`)."""

    kind: MovementKind
    sku: str
    lot_id: str | None
    quantity: int
    cost_fen: Fen = 0
    lot: Lot | None = None  # the new lot, for RECEIVE
    reason: WriteOffReason | None = None  # for WRITE_OFF

    def __post_init__(self) -> None:
        if (self.quantity == 0 if self.kind is MovementKind.ADJUST else self.quantity <= 0) or self.cost_fen < 0:
            raise InvalidInput(f"A stock change of {self.quantity} costing {self.cost_fen} fen is not possible: the "
                               "quantity must be more than zero and the cost zero or more",
                               message_zh=f"库存变动数量 {self.quantity} 或成本 {self.cost_fen} 无效")
        if self.kind is MovementKind.WRITE_OFF and self.reason is None:
            raise InvalidInput("a write-off needs a reason", message_zh="报损需要填写原因")

    @property
    def delta(self) -> int:
        """What the movement does to on hand."""
        if self.kind in (MovementKind.RECEIVE, MovementKind.RETURN):
            return self.quantity
        if self.kind in (MovementKind.SALE, MovementKind.WRITE_OFF):
            return -self.quantity
        return self.quantity


@dataclass(frozen=True, slots=True)
class LotPosition:
    """How much of a lot is on hand, how much has gone out (net of returns) and at what cost."""

    on_hand: int
    out_qty: int = 0
    out_cost_fen: Fen = 0


def expiry_from(production_date: date, shelf_life_days: int) -> date:
    """The last selling day of goods made on ``production_date`` that keep ``shelf_life_days``.

    The production day counts as the first day (保质期 7 天 from 12-01 → last day 12-07): of the
    two readings of a delivery note this one never sells a day too long.
    """
    if shelf_life_days <= 0:
        raise InvalidInput("the shelf life must be at least one day", message_zh="保质期天数必须大于零")
    return production_date + timedelta(days=shelf_life_days - 1)


def receive(lot: Lot) -> Movement:
    return Movement(MovementKind.RECEIVE, lot.sku, lot.lot_id, lot.received_qty, lot.total_cost_fen, lot=lot)


@dataclass(frozen=True, slots=True)
class StockState:
    """Lots and where each stands, plus each product's unlotted quantity (negative when sold past
    zero). Never changed in place: :meth:`apply` returns a new state.

    :meth:`apply` copies the mappings, so a state should hold what one use case needs (the
    services load the lots of the products a sale, write-off or count touches), not the store.
    """

    lots: Mapping[str, Lot]
    positions: Mapping[str, LotPosition]
    unlotted: Mapping[str, int]

    @classmethod
    def empty(cls) -> StockState:
        return cls({}, {}, {})

    def on_hand(self, sku: str) -> int:
        return sum(self.positions[lot.lot_id].on_hand for lot in self.lots_of(sku)) + self.unlotted.get(sku, 0)

    def lot_on_hand(self, lot_id: str) -> int:
        return self.positions[lot_id].on_hand

    def lots_of(self, sku: str) -> list[Lot]:
        """The product's lots in draw order (FEFO)."""
        return sorted((lot for lot in self.lots.values() if lot.sku == sku), key=Lot.fefo_key)

    def last_lot(self, sku: str) -> Lot | None:
        """The lot received last: its cost is the product's last known cost."""
        lots = [lot for lot in self.lots.values() if lot.sku == sku]
        return max(lots, key=lambda lot: (lot.received_on, lot.received_seq, lot.lot_id)) if lots else None

    def apply(self, movement: Movement) -> StockState:
        """The state after ``movement``. Refuses a movement that would make a lot negative."""
        lots, positions, unlotted = dict(self.lots), dict(self.positions), dict(self.unlotted)
        m = movement
        if m.kind is MovementKind.RECEIVE:
            if m.lot is None or m.lot.lot_id in lots:
                raise InvalidInput(f"lot {m.lot_id} is missing or already received",
                                   message_zh=f"批次行 {m.lot_id} 缺失或已收货")
            lots[m.lot.lot_id] = m.lot
            positions[m.lot.lot_id] = LotPosition(m.lot.received_qty)
            return StockState(lots, positions, unlotted)
        if m.lot_id is None:
            unlotted[m.sku] = unlotted.get(m.sku, 0) + m.delta
            return StockState(lots, positions, unlotted)
        if m.lot_id not in positions:
            raise InvalidInput(f"unknown lot {m.lot_id}", message_zh=f"未知批次行 {m.lot_id}")
        if lots[m.lot_id].sku != m.sku:
            raise InvalidInput(f"lot {m.lot_id} is not a lot of {m.sku}", message_zh=f"批次行 {m.lot_id} 不属于商品 {m.sku}")
        pos = positions[m.lot_id]
        if pos.on_hand + m.delta < 0:
            raise InvalidInput(f"lot {m.lot_id} holds {pos.on_hand}, not {-m.delta}",
                               message_zh=f"批次行 {m.lot_id} 仅余 {pos.on_hand}")
        # Cost going out is positive; a return or a found quantity brings cost back.
        signed_cost = m.cost_fen if m.delta < 0 else -m.cost_fen
        positions[m.lot_id] = LotPosition(pos.on_hand + m.delta, pos.out_qty - m.delta, pos.out_cost_fen + signed_cost)
        return StockState(lots, positions, unlotted)

    def apply_all(self, movements: Sequence[Movement]) -> StockState:
        state = self
        for m in movements:
            state = state.apply(m)
        return state


def _outflow_cost(state: StockState, lot: Lot, quantity: int) -> Fen:
    """Cumulative rounding: ``C(out after) − cost already out``, never below zero."""
    pos = state.positions[lot.lot_id]
    return max(0, lot.cost_of(pos.out_qty + quantity) - pos.out_cost_fen)


def _unlotted_cost(state: StockState, sku: str, quantity: int) -> tuple[Fen, bool]:
    """An unlotted quantity is costed at the last received lot's unit cost (the best guess of what
    the goods sold past zero will cost when they are found or re-ordered); 0 and ``cost_known``
    false when the product never had a lot, so the manager sees a margin that is not real."""
    last = state.last_lot(sku)
    if last is None:
        return 0, False
    return (div_round_half_up(quantity * last.unit_cost_fen, 1000) if last.per_kg else quantity * last.unit_cost_fen), True


@dataclass(frozen=True, slots=True)
class LineDraw:
    """The draws of one sale line (or write-off) and the movements that record them."""

    sku: str
    quantity: int
    draws: tuple[Draw, ...]

    @property
    def cost_fen(self) -> Fen:
        """A sale line's cost: Σ of its draws' cost."""
        return sum(d.cost_fen for d in self.draws)

    @property
    def flagged(self) -> bool:
        return any(d.flagged for d in self.draws)

    def movements(self, kind: MovementKind = MovementKind.SALE, reason: WriteOffReason | None = None) -> tuple[Movement, ...]:
        return tuple(Movement(kind, d.sku, d.lot_id, d.quantity, d.cost_fen, reason=reason) for d in self.draws)


def draw(state: StockState, sku: str, quantity: int, *, today: date) -> LineDraw:
    """What a sale of ``quantity`` takes, first-expiry-first-out, never asking anyone.

    Expired lots are drawn in their turn too (the goods are physically there; the scan check
    warns). What the lots do not hold is an unlotted, flagged draw: stock never blocks a sale.
    ``today`` is accepted for the services' call shape; the order does not depend on it.
    """
    if quantity <= 0:
        raise InvalidInput("a draw must be of a positive quantity", message_zh="出库数量必须大于零")
    draws: list[Draw] = []
    left = quantity
    for lot in state.lots_of(sku):
        if left == 0:
            break
        take = min(left, state.positions[lot.lot_id].on_hand)
        if take > 0:
            draws.append(Draw(sku, lot.lot_id, take, _outflow_cost(state, lot, take)))
            left -= take
    if left:
        cost, known = _unlotted_cost(state, sku, left)
        draws.append(Draw(sku, None, left, cost, known))
    return LineDraw(sku, quantity, tuple(draws))


def line_margin(net_fen: Fen, line: LineDraw) -> Fen:
    """Gross margin of a sale line: its net amount (after reductions) − the cost of its draws."""
    return net_fen - line.cost_fen


def bundle_draws(state: StockState, components: Sequence[tuple[str, int]], boxes: int, *,
                 today: date) -> tuple[tuple[LineDraw, ...], StockState]:
    """A gift box (礼盒) sold ``boxes`` times draws each component (sku, quantity per box).

    Components are drawn one after the other, each seeing what the previous ones took (a box may
    list one product twice). Returns the component draws and the state after them.
    """
    lines: list[LineDraw] = []
    for sku, per_box in components:
        line = draw(state, sku, per_box * boxes, today=today)
        state = state.apply_all(line.movements())
        lines.append(line)
    return tuple(lines), state


def return_draws(draws: Sequence[Draw], quantity: int, *, already_returned: int = 0) -> tuple[Draw, ...]:
    """Where a return of ``quantity`` of a sale line goes back: into the lots the line drew from,
    the latest-drawn first, each part with the very fen it took out.

    ``already_returned`` is how much of this line earlier returns took back (they came off the
    end the same way). A part returned from a draw of ``q`` costing ``c`` carries
    ``round_half_up(c × returned after / q) − round_half_up(c × returned before / q)``, so a draw
    returned in pieces gives back exactly ``c``.
    """
    total = sum(d.quantity for d in draws)
    if quantity <= 0 or already_returned < 0 or already_returned + quantity > total:
        raise InvalidInput(f"cannot return {quantity} of a line of {total} ({already_returned} already returned)",
                           message_zh=f"退货数量 {quantity} 超出可退数量（共 {total}，已退 {already_returned}）")
    parts: list[Draw] = []
    skip, left = already_returned, quantity
    for d in reversed(draws):
        before = min(skip, d.quantity)
        skip -= before
        take = min(left, d.quantity - before)
        if take > 0:
            cost = (div_round_half_up(d.cost_fen * (before + take), d.quantity)
                    - div_round_half_up(d.cost_fen * before, d.quantity))
            parts.append(Draw(d.sku, d.lot_id, take, cost, d.cost_known))
            left -= take
        if left == 0:
            break
    return tuple(parts)


def return_movements(parts: Sequence[Draw]) -> tuple[Movement, ...]:
    return tuple(Movement(MovementKind.RETURN, d.sku, d.lot_id, d.quantity, d.cost_fen) for d in parts)


# --- expiry ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NearExpiry:
    lot: Lot
    on_hand: int
    days_left: int  # negative when already expired


def near_expiry(state: StockState, today: date, days_by_category: Mapping[str, int], *,
                default_days: int = 3) -> tuple[NearExpiry, ...]:
    """Lots with stock that expire within their category's days (``default_days`` otherwise),
    expired ones included, soonest first. ``days_left`` 0 means today is the last selling day."""
    found = []
    for lot in state.lots.values():
        on_hand = state.positions[lot.lot_id].on_hand
        if lot.expiry is None or on_hand <= 0:
            continue
        days_left = (lot.expiry - today).days
        if days_left <= days_by_category.get(lot.category, default_days):
            found.append(NearExpiry(lot, on_hand, days_left))
    return tuple(sorted(found, key=lambda n: n.lot.fefo_key()))


@dataclass(frozen=True, slots=True)
class ScanCheck:
    verdict: ScanVerdict
    lot: Lot | None = None
    message: str = ""
    message_zh: str = ""


def scan_expiry_check(state: StockState, sku: str, today: date, policy: ExpiryPolicy) -> ScanCheck:
    """Warn (or refuse, by store setting) when the oldest lot with stock is past its expiry date.

    "Oldest" is the lot the sale would draw first (FEFO). A lot expires after its ``expiry`` day.
    """
    for lot in state.lots_of(sku):
        if state.positions[lot.lot_id].on_hand <= 0:
            continue
        if lot.expiry is None or lot.expiry >= today:
            return ScanCheck(ScanVerdict.OK, lot)
        verdict = ScanVerdict.REFUSE if policy is ExpiryPolicy.REFUSE else ScanVerdict.WARN
        return ScanCheck(verdict, lot, f"batch {lot.batch_no} expired on {lot.expiry.isoformat()}",
                         f"批次 {lot.batch_no} 已于 {lot.expiry.isoformat()} 过期")
    return ScanCheck(ScanVerdict.OK)


# --- write-off ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WriteOff:
    """报损: ``quantity`` of ``sku`` gone for ``reason``, from one lot or (no lot given) FEFO.

    It needs a manager's approval (:data:`WRITE_OFF_ACTION`): :meth:`movements` refuses without
    ``approved_by``.
    """

    sku: str
    quantity: int
    reason: WriteOffReason
    lot_id: str | None = None
    note: str = ""
    approved_by: str | None = None

    def plan(self, state: StockState) -> LineDraw:
        """The draws it takes, valued at cost. One cannot write off more than is on hand."""
        if self.lot_id is not None:
            lot = state.lots.get(self.lot_id)
            if lot is None or lot.sku != self.sku:
                raise InvalidInput(f"lot {self.lot_id} is not a lot of {self.sku}",
                                   message_zh=f"批次行 {self.lot_id} 不属于商品 {self.sku}")
            lots = [lot]
        else:
            lots = state.lots_of(self.sku)
        available = sum(state.positions[lot.lot_id].on_hand for lot in lots)
        if self.quantity <= 0 or self.quantity > available:
            raise InvalidInput(f"cannot write off {self.quantity} of {self.sku}: {available} on hand",
                               message_zh=f"报损数量 {self.quantity} 超出库存 {available}")
        draws, left = [], self.quantity
        for lot in lots:
            take = min(left, state.positions[lot.lot_id].on_hand)
            if take > 0:
                draws.append(Draw(self.sku, lot.lot_id, take, _outflow_cost(state, lot, take)))
                left -= take
        return LineDraw(self.sku, self.quantity, tuple(draws))

    def movements(self, state: StockState) -> tuple[Movement, ...]:
        if not self.approved_by:
            raise InvalidInput("a write-off needs a manager's approval", message_zh="报损需要店长授权")
        return self.plan(state).movements(MovementKind.WRITE_OFF, self.reason)


# --- stocktake ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Variance:
    sku: str
    expected: int
    counted: int
    cost_fen: Fen  # signed: negative for missing stock, positive for found stock
    movements: tuple[Movement, ...]

    @property
    def quantity(self) -> int:
        return self.counted - self.expected


def expected_at_count(on_hand_at_start: int, sku: str, movements_since: Sequence[Movement]) -> int:
    """What the book says should be there: on hand when the count started, plus every movement of
    the product since (sales −, returns +, receipts +, write-offs −). Selling during the count
    therefore shows no variance."""
    return on_hand_at_start + sum(m.delta for m in movements_since if m.sku == sku)


def count_variances(start: StockState, movements_since: Sequence[Movement], sheet: Mapping[str, int]) -> tuple[Variance, ...]:
    """Variances of a count sheet (sku → counted quantity), valued at cost, with their adjustments.

    Missing stock comes out of the lots FEFO, at the cost rule's price. Found stock first settles
    a product's unlotted shortfall (sold past zero, at the last known cost), then goes back into
    the lot received last (cost given back by the cost rule); for a product that never had a lot it
    stays unlotted and flagged. Products not on the sheet are not counted and not adjusted.
    """
    now = start.apply_all(movements_since)
    out = []
    for sku in sorted(sheet):
        counted = sheet[sku]
        if counted < 0:
            raise InvalidInput(f"{sku}: a count cannot be negative", message_zh=f"{sku}：盘点数量不能为负")
        expected = expected_at_count(start.on_hand(sku), sku, movements_since)
        variance = counted - expected
        moves: list[Movement] = []
        if variance < 0:
            held = min(_lotted(now, sku), -variance)  # the lots hold it, unless stock was already short
            draws = list(WriteOff(sku, held, WriteOffReason.OTHER).plan(now).draws) if held > 0 else []
            if -variance > held:  # the rest deepens the unlotted shortfall
                cost, known = _unlotted_cost(now, sku, -variance - held)
                draws.append(Draw(sku, None, -variance - held, cost, known))
            moves = [Movement(MovementKind.ADJUST, d.sku, d.lot_id, -d.quantity, d.cost_fen) for d in draws]
        elif variance > 0:
            left = variance
            short = -now.unlotted.get(sku, 0)
            if short > 0:
                take = min(short, left)
                moves.append(Movement(MovementKind.ADJUST, sku, None, take, _unlotted_cost(now, sku, take)[0]))
                left -= take
            last = now.last_lot(sku)
            if left and last is not None:
                pos = now.positions[last.lot_id]
                give_back = max(0, pos.out_cost_fen - last.cost_of(pos.out_qty - left))
                moves.append(Movement(MovementKind.ADJUST, sku, last.lot_id, left, give_back))
            elif left:
                moves.append(Movement(MovementKind.ADJUST, sku, None, left, 0))
        cost = sum(-m.cost_fen if m.delta < 0 else m.cost_fen for m in moves)
        out.append(Variance(sku, expected, counted, cost, tuple(moves)))
    return tuple(out)


def _lotted(state: StockState, sku: str) -> int:
    return sum(state.positions[lot.lot_id].on_hand for lot in state.lots_of(sku))



def count_adjustments(variances: Sequence[Variance], *, approved_by: str | None) -> tuple[Movement, ...]:
    """The adjustment movements of a count, once a manager approved it (:data:`COUNT_ACTION`).

    Until then the variances are only shown (with their cost) and nothing changes.
    """
    if not approved_by:
        raise InvalidInput("a stock count adjustment needs a manager's approval", message_zh="盘点调整需要店长授权")
    return tuple(m for v in variances for m in v.movements)


# --- what a sale or return records (the "draws" of its journal payload) ----------------------


@dataclass(frozen=True, slots=True)
class StockDraw:
    """One part of a sale line (or return line) and the lot it came from (or went back to), as
    journaled: the lot and batch, the 合格证 number a receipt prints under the line, the quantity,
    its cost and its share of the line's net revenue. ``orig_line`` is the sale's line for a return.
    ``lot_id`` None: sold past zero (or returned without a lot), flagged for the manager."""

    line_no: int
    sku: str
    lot_id: str | None
    batch_no: str
    quantity: int
    cost_fen: Fen
    net_fen: Fen
    cost_known: bool = True
    certificate_no: str = ""
    orig_line: int | None = None

    @property
    def flagged(self) -> bool:
        return self.lot_id is None

    def to_json(self) -> dict[str, object]:
        d: dict[str, object] = {"line": self.line_no, "sku": self.sku, "lot": self.lot_id, "batch": self.batch_no,
                                "qty": self.quantity, "cost": self.cost_fen, "net": self.net_fen,
                                "known": self.cost_known}
        if self.certificate_no:
            d["certificate"] = self.certificate_no
        if self.orig_line is not None:
            d["orig_line"] = self.orig_line
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> StockDraw:
        lot = d.get("lot")
        orig = d.get("orig_line")
        return cls(int(d["line"]), str(d["sku"]), None if lot is None else str(lot), str(d.get("batch") or ""),
                   int(d["qty"]), int(d["cost"]), int(d.get("net", 0)), bool(d.get("known", True)),
                   str(d.get("certificate") or ""), None if orig is None else int(orig))

    def as_draw(self) -> Draw:
        return Draw(self.sku, self.lot_id, self.quantity, self.cost_fen, self.cost_known)


def split_by_quantity(amount: Fen, quantities: Sequence[int]) -> list[Fen]:
    """``amount`` shared over parts in proportion to their quantities, cumulatively rounded half up:
    part i gets round(amount × (q1+…+qi) / Σq) − round(amount × (q1+…+q(i−1)) / Σq), so the parts
    add up to ``amount`` exactly and each is within a fen of its exact share."""
    total = sum(quantities)
    if total <= 0:
        return [0] * len(quantities) if not amount else [amount] + [0] * (len(quantities) - 1)
    out, cum, before = [], 0, 0
    for q in quantities:
        cum += q
        now = div_round_half_up(amount * cum, total)
        out.append(now - before)
        before = now
    return out


@dataclass(frozen=True, slots=True)
class DrawItem:
    """What a sale line (or a gift box's component) takes out: ``quantity`` of ``sku`` for ``net_fen``."""

    line_no: int
    sku: str
    quantity: int
    net_fen: Fen


def tracked(state: StockState, sku: str) -> bool:
    """A product's stock is followed once it has had a lot or a count (its row of unlotted stock)."""
    return sku in state.unlotted or any(lot.sku == sku for lot in state.lots.values())


def sale_draws(state: StockState, items: Sequence[DrawItem], *, today: date) -> tuple[tuple[StockDraw, ...], StockState]:
    """The lots a sale draws from, first-expiry-first-out, with the cost of each part and its share
    of the line's net revenue; items of products whose stock is not followed draw nothing. Items are
    drawn in order, each seeing what the previous took (two lines of one product, a box and its
    component sold apart). Returns the draws and the state after them."""
    out: list[StockDraw] = []
    for item in items:
        if item.quantity <= 0 or not tracked(state, item.sku):
            continue
        line = draw(state, item.sku, item.quantity, today=today)
        state = state.apply_all(line.movements())
        nets = split_by_quantity(item.net_fen, [d.quantity for d in line.draws])
        for d, net in zip(line.draws, nets, strict=True):
            lot = state.lots.get(d.lot_id) if d.lot_id is not None else None
            out.append(StockDraw(item.line_no, d.sku, d.lot_id, lot.batch_no if lot else "", d.quantity, d.cost_fen, net,
                                 d.cost_known, lot.certificate_no if lot else ""))
    return tuple(out), state


def return_stock_draws(sold: Sequence[StockDraw], *, line_no: int, orig_line: int, sku: str, quantity: int,
                       already_returned: int, refund_fen: Fen) -> tuple[StockDraw, ...]:
    """Where ``quantity`` of a sale line's ``sku`` (the line's product, or one component of a gift box)
    goes back: into the lots its draws came from, each part with the very fen of cost it took out
    (:func:`return_draws`), and the refund shared over the parts by quantity. Nothing when the sale
    drew nothing for it (stock not followed then)."""
    mine = [d for d in sold if d.line_no == orig_line and d.sku == sku]
    if not mine or quantity <= 0:
        return ()
    total = sum(d.quantity for d in mine)
    quantity = min(quantity, total - min(already_returned, total))
    if quantity <= 0:
        return ()
    parts = return_draws([d.as_draw() for d in mine], quantity, already_returned=min(already_returned, total))
    by_lot = {d.lot_id: d for d in mine}
    nets = split_by_quantity(refund_fen, [p.quantity for p in parts])
    return tuple(StockDraw(line_no, p.sku, p.lot_id, by_lot[p.lot_id].batch_no, p.quantity, p.cost_fen, net, p.cost_known,
                           by_lot[p.lot_id].certificate_no, orig_line) for p, net in zip(parts, nets, strict=True))


def unlotted_return(state: StockState, *, line_no: int, sku: str, quantity: int, refund_fen: Fen) -> StockDraw | None:
    """Goods of a followed product taken back without their sale's draws (a return with no receipt):
    they go back as unlotted stock, flagged, valued at the last lot's cost. None when not followed."""
    if quantity <= 0 or not tracked(state, sku):
        return None
    cost, known = _unlotted_cost(state, sku, quantity)
    return StockDraw(line_no, sku, None, "", quantity, cost, refund_fen, known)
