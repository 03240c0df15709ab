"""Delivery batches (批次) at head office: what each lot a till received became (issue 15).

Two halves:

* pure functions from a journal entry's payload to rows (:func:`lot_rows` for ``stock_receipt``,
  :func:`moves` for the ``draws`` of sales and returns, ``stock_writeoff`` and ``stock_count``), and
  :class:`Collector`, which sums the moves of a chunk of entries per (lot, sku) for derive.py to add
  to ``batch_lot_sums`` in one upsert. They never raise on what a till sent: a draw or lot that cannot
  be read (a missing or non-integer quantity, a lot that is not text, a negative cost) is counted as
  ``unreadable`` (under no lot, with its sku if readable) and left out of every figure; the entry
  itself is stored and its other report rows derived as usual.
* :func:`report`: the per-batch report read from the two tables lot by lot (per lot, per batch, per
  counter, per origin county, and the seed's "N 个批次，专项销售额 ¥…"), for one batch's page, the
  XLSX exports and the ``headoffice batch-report`` command; :func:`overview` gives the same batches,
  counties and summary added up in SQL per batch × origin, for the page of every batch (50 counters ×
  100 batches × 5 lots: about 0.3 s against 2 s lot by lot, on the shared 2-CPU box).

Revenue is what the draws carry (``net``: their share of the sale lines' net after every reduction)
less what returns put back; cost likewise; gross margin = revenue − cost. Write-offs and count
adjustments are shrinkage, shown apart at cost. On hand = received − sold + returned − written off +
counted. A batch is sold out when no lot of it has stock left; its days to sell out run from its
first arrival to its last sale (or "—").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from .schema_batches import SUM_FIELDS, batch_lot_sums, batch_lots

MAX_FEN = 10**13  # as validate.MAX_MONEY_FEN: beyond this nothing is a counter's figure
MAX_QTY = 10**12
LOT_LEN, BATCH_LEN, SKU_LEN = 80, 64, 64
UNLOTTED = ""  # the lot of a draw made past zero


class _Bad(ValueError):
    pass


def _int(value: Any, *, low: int = -MAX_FEN, high: int = MAX_FEN) -> int:
    if type(value) is not int or not low <= value <= high:
        raise _Bad(f"not a whole number in range: {str(value)[:20]}")
    return value


def _text(value: Any, n: int, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _Bad(f"not text: {str(value)[:20]}")
    if value.isprintable():  # nearly always: no control characters to drop
        return value.strip()[:n]
    return "".join(ch for ch in value.strip() if ch.isprintable())[:n]


def _day(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 10:
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return ""


def batch_of_lot(lot: str) -> str:
    """``SHKC-2026-48/1`` -> ``SHKC-2026-48`` (a lot id is ``<batch>/<n>``)."""
    return lot.rsplit("/", 1)[0] if "/" in lot else ""


# -- stock_receipt: the lots -------------------------------------------------------------------------------
def lot_rows(payload: Mapping[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The lots a ``stock_receipt`` names (without terminal, store and seq), and how many could not be read."""
    if not isinstance(payload, Mapping):
        return [], 1
    try:
        batch = _text(payload.get("batch"), BATCH_LEN)
    except _Bad:
        batch = ""
    head = {"batch": batch, "arrival": _day(payload.get("arrival")),
            "supplier": _safe(payload.get("supplier"), 200), "contact": _safe(payload.get("contact"), 64)}
    lots = payload.get("lots")
    if not isinstance(lots, list):
        return [], 1
    rows, bad = [], 0
    for item in lots:
        try:
            if not isinstance(item, Mapping):
                raise _Bad("a lot is not an object")
            lot = _text(item.get("lot"), LOT_LEN, required=True)
            weighed = item.get("weighed", False)
            rows.append({**head, "batch": head["batch"] or batch_of_lot(lot), "lot": lot,
                         "sku": _text(item.get("sku"), SKU_LEN), "name": _safe(item.get("name"), 200),
                         "category": _safe(item.get("category"), 200), "origin": _safe(item.get("origin"), 200),
                         "weighed": weighed is True, "expiry": _day(item.get("expiry")),
                         "production_date": _day(item.get("production_date")),
                         "certificate": _safe(item.get("certificate"), 120),
                         "quarantine": _safe(item.get("quarantine"), 120),
                         "received_qty": _int(item.get("quantity"), low=0, high=MAX_QTY),
                         "unit_cost": _int(item.get("unit_cost", 0), low=0),
                         "received_cost": _int(item.get("cost"), low=0)})
        except _Bad:
            bad += 1
    return rows, bad


def _safe(value: Any, n: int) -> str:
    try:
        return _text(value, n)
    except _Bad:
        return ""


# -- draws and moves ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Move:
    """Stock leaving (sold, written) or coming back into (returned) a lot, or a count's signed change."""

    what: str  # sold | returned | written | count | unreadable
    lot: str  # "" when drawn past zero
    batch: str
    sku: str
    qty: int = 0
    cost: int = 0  # positive, but signed for "count"
    net: int = 0
    unknown: bool = False  # sold without a known cost


def _where(d: Mapping[str, Any], sku: Any) -> tuple[str, str, str]:
    """(lot, batch, sku) of a draw, as far as they can be read."""
    lot = _safe(d.get("lot"), LOT_LEN)
    batch = _safe(d.get("batch"), BATCH_LEN) or batch_of_lot(lot)
    return lot, (batch if lot else ""), _safe(sku, SKU_LEN)


def _draw(what: str, d: Any, sku: Any = None) -> Move:
    if not isinstance(d, Mapping):
        return Move("unreadable", "", "", _safe(sku, SKU_LEN))
    lot, batch, sku_ = _where(d, d.get("sku") if d.get("sku") is not None else sku)
    try:
        if d.get("lot") is not None and not lot:
            raise _Bad("a lot that is not text")
        qty = _int(d.get("qty"), low=-MAX_QTY, high=MAX_QTY) if what == "count" else _int(d.get("qty"), low=0, high=MAX_QTY)
        cost = _int(d.get("cost", 0), low=0)
        if what == "count":
            cost = -cost if qty < 0 else cost
        net = _int(d.get("net", 0)) if what in ("sold", "returned") else 0
        known = d.get("known", True)
        if not isinstance(known, bool):
            raise _Bad("known is not true or false")
        return Move(what, lot, batch, sku_, qty, cost, net, what == "sold" and not known)
    except _Bad:
        return Move("unreadable", lot, batch, sku_)


def moves(kind: str, payload: Mapping[str, Any]) -> list[Move]:
    """The stock moves of one entry (none for kinds that move no stock, nor for training sales)."""
    if not isinstance(payload, Mapping):
        return []
    if kind in ("sale", "return"):
        if payload.get("training") is True:
            return []
        draws = payload.get("draws")
        if draws is None:
            return []
        if not isinstance(draws, list):
            return [Move("unreadable", "", "", "")]
        return [_draw("sold" if kind == "sale" else "returned", d) for d in draws]
    if kind == "stock_writeoff":
        draws = payload.get("draws")
        if not isinstance(draws, list):
            return [Move("unreadable", "", "", _safe(payload.get("sku"), SKU_LEN))]
        return [_draw("written", d, payload.get("sku")) for d in draws]
    if kind == "stock_count":
        lines = payload.get("lines")
        if not isinstance(lines, list):
            return [Move("unreadable", "", "", "")]
        out: list[Move] = []
        for line in lines:
            if not isinstance(line, Mapping) or not isinstance(line.get("moves"), list):
                out.append(Move("unreadable", "", "", _safe(line.get("sku") if isinstance(line, Mapping) else None,
                                                            SKU_LEN)))
                continue
            out.extend(_draw("count", m, line.get("sku")) for m in line["moves"])
        return out
    return []


STOCK_KINDS = frozenset({"sale", "return", "stock_writeoff", "stock_count"})


class Collector:
    """The batch rows of some entries of one terminal, to be added to the tables in one go (derive.py)."""

    def __init__(self, terminal: str, store: str) -> None:
        self.terminal, self.store = terminal, store
        self.lots: dict[str, dict[str, Any]] = {}
        self.sums: dict[tuple[str, str], dict[str, Any]] = {}

    def add(self, kind: str, seq: int, day: str, payload: Any) -> None:
        """Never raises: what cannot be read is counted as unreadable."""
        try:
            if kind == "stock_receipt":
                rows, bad = lot_rows(payload)
                for r in rows:
                    self.lots[r["lot"]] = {**r, "terminal_id": self.terminal, "store_code": self.store, "seq": seq}
                if bad:
                    self._row(UNLOTTED, "", "")["unreadable"] += bad
                return
            if kind not in STOCK_KINDS:
                return
            for m in moves(kind, payload):
                self._move(m, day)
        except Exception:  # noqa: BLE001 - a till's payload never stops the reports: counted, left out
            self._row(UNLOTTED, "", "")["unreadable"] += 1

    def _row(self, lot: str, batch: str, sku: str) -> dict[str, Any]:
        key = (lot, sku)
        row = self.sums.get(key)
        if row is None:
            row = self.sums[key] = {"terminal_id": self.terminal, "lot": lot, "sku": sku, "store_code": self.store,
                                    "batch": batch, **dict.fromkeys(SUM_FIELDS, 0), "first_sale_day": None,
                                    "last_sale_day": None}
        elif batch and not row["batch"]:
            row["batch"] = batch
        return row

    def _move(self, m: Move, day: str) -> None:
        if m.what == "unreadable":  # counted apart, under no lot: it never makes a lot or counter appear
            self._row(UNLOTTED, "", m.sku)["unreadable"] += 1
            return
        row = self._row(m.lot, m.batch, m.sku)
        row[f"{m.what}_qty"] += m.qty
        row[f"{m.what}_cost"] += m.cost
        if m.what in ("sold", "returned"):
            row[f"{m.what}_net"] += m.net
        if m.what == "sold":
            row["sold_unknown"] += int(m.unknown)
            first, last = row["first_sale_day"], row["last_sale_day"]
            row["first_sale_day"] = day if first is None or day < first else first
            row["last_sale_day"] = day if last is None or day > last else last


# -- the report ---------------------------------------------------------------------------------------------
LOT_FIELDS = ("received_qty", "received_cost", *SUM_FIELDS)
MONEY = ("received_cost", "sold_net", "sold_cost", "returned_net", "returned_cost", "written_cost", "count_cost",
         "revenue", "cost", "margin", "on_hand_cost")


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole to four places (a share or a margin rate), None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def quantity_text(q: int, weighed: bool) -> str:
    """``12`` units, ``-1.255kg`` for grams, ``0`` for none."""
    if not weighed or q == 0:
        return str(q)
    sign = "-" if q < 0 else ""
    return f"{sign}{abs(q) // 1000}.{abs(q) % 1000:03d}kg"


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    row["revenue"] = row["sold_net"] - row["returned_net"]
    row["cost"] = row["sold_cost"] - row["returned_cost"]
    row["margin"] = row["revenue"] - row["cost"]
    row["margin_rate"] = ratio(row["margin"], row["revenue"])
    row["on_hand_cost"] = (row["received_cost"] - row["sold_cost"] + row["returned_cost"] - row["written_cost"]
                           + row["count_cost"])
    return row


def _lot_view(lot: Mapping[str, Any] | None, terminal: str, lot_id: str, batch: str, sku: str) -> dict[str, Any]:
    base = dict(lot) if lot else {"terminal_id": terminal, "lot": lot_id, "store_code": "", "batch": batch, "sku": sku,
                                  "name": "", "category": "", "origin": "", "weighed": False, "arrival": "",
                                  "expiry": "", "production_date": "", "supplier": "", "contact": "",
                                  "certificate": "", "quarantine": "", "received_qty": 0, "unit_cost": 0,
                                  "received_cost": 0, "seq": None}
    base["received"] = lot is not None  # False: sales from a lot whose receipt head office does not hold
    base.update(dict.fromkeys(SUM_FIELDS, 0), first_sale_day=None, last_sale_day=None)
    return base


def _add_sums(view: dict[str, Any], s: Mapping[str, Any]) -> None:
    for k in SUM_FIELDS:
        view[k] += int(s[k] or 0)
    for k, pick in (("first_sale_day", min), ("last_sale_day", max)):
        if s[k]:
            view[k] = s[k] if view[k] is None else pick(view[k], s[k])
    if not view["store_code"]:
        view["store_code"] = s["store_code"]
    if not view["sku"]:
        view["sku"] = s["sku"]


def county_of(origin: str, counties: Sequence[str]) -> str | None:
    for c in counties:
        if c and (c == origin or c in origin):
            return c
    return None


def _days_between(first: str, last: str) -> int | None:
    try:
        return (date.fromisoformat(last) - date.fromisoformat(first)).days
    except ValueError:
        return None


def _roll(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(("received_cost", *SUM_FIELDS), 0)
    for r in rows:
        for k in out:
            out[k] += r[k]
    return _finish(out)


def report(conn: Connection, *, batch: str | None = None, store: str | None = None,
           counties: Sequence[str] = ("茂县", "松阳", "青田", "九寨沟")) -> dict[str, Any]:
    """The per-batch report (every batch, or one): lots, batches, counters, origin counties, the summary."""
    lq, sq = select(batch_lots), select(batch_lot_sums)
    if batch is not None:
        lq, sq = lq.where(batch_lots.c.batch == batch), sq.where(batch_lot_sums.c.batch == batch)
    if store:
        lq, sq = lq.where(batch_lots.c.store_code == store), sq.where(batch_lot_sums.c.store_code == store)
    lots: dict[tuple[str, str], dict[str, Any]] = {}
    for r in conn.execute(lq.order_by(batch_lots.c.batch, batch_lots.c.terminal_id, batch_lots.c.seq,
                                      batch_lots.c.lot)).mappings():
        lots[(r["terminal_id"], r["lot"])] = _lot_view(r, r["terminal_id"], r["lot"], r["batch"], r["sku"])
    unlotted: dict[tuple[str, str], dict[str, Any]] = {}
    unreadable = 0
    for s in conn.execute(sq.order_by(batch_lot_sums.c.terminal_id, batch_lot_sums.c.lot,
                                      batch_lot_sums.c.sku)).mappings():
        unreadable += int(s["unreadable"] or 0)
        if s["lot"] == UNLOTTED:
            key = (s["terminal_id"], s["sku"])
            view = unlotted.setdefault(key, _lot_view(None, s["terminal_id"], "", "", s["sku"]))
        else:
            key = (s["terminal_id"], s["lot"])
            view = lots.get(key)
            if view is None:
                view = lots[key] = _lot_view(None, s["terminal_id"], s["lot"], s["batch"], s["sku"])
        _add_sums(view, s)
    unlotted = {k: v for k, v in unlotted.items()  # rows of unreadable moves only: counted in the summary
                if v["sold_qty"] or v["returned_qty"] or v["written_qty"] or v["count_qty"]}
    for view in (*lots.values(), *unlotted.values()):
        view["on_hand"] = (view["received_qty"] - view["sold_qty"] + view["returned_qty"] - view["written_qty"]
                           + view["count_qty"])
        view["county"] = county_of(view["origin"], counties)
        _finish(view)
    by_batch: dict[str, list[dict[str, Any]]] = {}
    for view in lots.values():
        by_batch.setdefault(view["batch"], []).append(view)
    batches = [_batch_row(b, rows) for b, rows in sorted(by_batch.items(), key=lambda kv: (
        min((r["arrival"] for r in kv[1] if r["arrival"]), default="9999"), kv[0]))]
    county_rows: dict[str, list[dict[str, Any]]] = {}
    for view in lots.values():
        county_rows.setdefault(view["county"] or "", []).append(view)
    by_county = []
    for name in [*counties, ""]:
        rows = county_rows.get(name, [])
        if not rows and name == "":
            continue
        total = _roll(rows)
        by_county.append({"county": name, "aided": bool(name), "batches": len({r["batch"] for r in rows}),
                          "lots": len(rows), **total})
    aided = [b for b in batches if b["sold_qty"]]
    summary = {"batches": len(batches), "batches_sold": len(aided),
               "revenue": sum(b["revenue"] for b in batches),
               "aided_revenue": sum(c["revenue"] for c in by_county if c["aided"]),
               "margin": sum(b["margin"] for b in batches), "unreadable": unreadable,
               "unlotted": _roll(unlotted.values()) if unlotted else None}
    out: dict[str, Any] = {"summary": summary, "batches": batches, "counties": by_county,
                           "unlotted": sorted(unlotted.values(), key=lambda v: (v["terminal_id"], v["sku"]))}
    order = {b["batch"]: i for i, b in enumerate(batches)}
    out["lots"] = sorted(lots.values(), key=lambda r: (order[r["batch"]], r["terminal_id"], r["lot"]))
    if batch is not None:
        mine = by_batch.get(batch, [])
        out["batch"] = batches[0] if batches else None
        counters: dict[str, list[dict[str, Any]]] = {}
        for r in mine:
            counters.setdefault(r["terminal_id"], []).append(r)
        out["counters"] = [{"terminal_id": t, "store_code": rows[0]["store_code"], "lots": len(rows), **_roll(rows)}
                           for t, rows in sorted(counters.items())]
    return out


def _batch_row(batch: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = _roll(rows)
    arrivals = sorted(r["arrival"] for r in rows if r["arrival"])
    last_sale = max((r["last_sale_day"] for r in rows if r["last_sale_day"]), default=None)
    received = [r for r in rows if r["received"]]
    sold_out = bool(received) and all(r["on_hand"] <= 0 for r in rows)
    days = _days_between(arrivals[0], last_sale) if sold_out and arrivals and last_sale else None
    return {"batch": batch, "arrival": arrivals[0] if arrivals else "", "last_arrival": arrivals[-1] if arrivals else "",
            "counters": sorted({r["terminal_id"] for r in rows}), "stores": sorted({r["store_code"] for r in rows}),
            "origins": sorted({r["origin"] for r in rows if r["origin"]}),
            "counties": sorted({r["county"] for r in rows if r["county"]}),
            "suppliers": sorted({r["supplier"] for r in rows if r["supplier"]}),
            "lots": len(rows), "missing_receipts": len(rows) - len(received), "sold_out": sold_out,
            "last_sale_day": last_sale, "days_to_sell_out": days, **total}


def lots_of(conn: Connection, terminal: str, lot_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The received lots of one terminal by id (for the receipt trace page)."""
    ids = sorted({x for x in lot_ids if isinstance(x, str) and x})[:500]
    if not ids:
        return {}
    rows = conn.execute(select(batch_lots).where(batch_lots.c.terminal_id == terminal,
                                                 batch_lots.c.lot.in_(ids))).mappings()
    return {r["lot"]: dict(r) for r in rows}


def overview(conn: Connection, *, store: str | None = None,
             counties: Sequence[str] = ("茂县", "松阳", "青田", "九寨沟")) -> dict[str, Any]:
    """Every batch, the origin counties and the summary, as :func:`report` gives them, added up in SQL
    (per batch × origin), without reading every lot: the page over a year of many counters."""
    s, lt = batch_lot_sums, batch_lots
    mine = [lt.c.store_code == store] if store else []
    # per batch × origin: the lots received, then what the per-lot sums add to them (an inner join: a sum
    # row names its lot), and how many lots still have stock (one index look-up per lot)
    left = (select(func.coalesce(func.sum(s.c.sold_qty - s.c.returned_qty + s.c.written_qty - s.c.count_qty), 0))
            .where(s.c.terminal_id == lt.c.terminal_id, s.c.lot == lt.c.lot).scalar_subquery())
    received = {(r.batch, r.origin): r for r in conn.execute(select(
        lt.c.batch, lt.c.origin, func.count().label("lots"), func.min(func.nullif(lt.c.arrival, "")).label("first"),
        func.max(func.nullif(lt.c.arrival, "")).label("last"), func.sum(lt.c.received_cost).label("received_cost"),
        func.sum(case((lt.c.received_qty > left, 1), else_=0)).label("with_stock"),
    ).where(*mine).group_by(lt.c.batch, lt.c.origin))}
    summed = {(r["batch"], r["origin"]): r for r in conn.execute(select(
        lt.c.batch, lt.c.origin, *[func.sum(s.c[k]).label(k) for k in SUM_FIELDS],
        func.max(s.c.last_sale_day).label("last_sale_day"),
    ).select_from(lt.join(s, and_(s.c.terminal_id == lt.c.terminal_id, s.c.lot == lt.c.lot)))
        .where(*mine).group_by(lt.c.batch, lt.c.origin)).mappings()}
    groups = []
    for key, r in received.items():
        got = summed.get(key) or {}
        groups.append({"batch": r.batch, "origin": r.origin, "lots": r.lots, "first": r.first, "last": r.last,
                       "received_cost": r.received_cost, "with_stock": r.with_stock,
                       "last_sale_day": got.get("last_sale_day"), **{k: got.get(k) or 0 for k in SUM_FIELDS}})
    # sums of lots head office holds no receipt of (rare): their batch, no origin, nothing received
    oq = select(s).where(s.c.lot != UNLOTTED, ~select(lt.c.lot).where(
        lt.c.terminal_id == s.c.terminal_id, lt.c.lot == s.c.lot).exists())
    if store:
        oq = oq.where(s.c.store_code == store)
    by_lot: dict[tuple[str, str], dict[str, Any]] = {}
    for o in conn.execute(oq).mappings():
        row = by_lot.setdefault((o["terminal_id"], o["lot"]), {
            "terminal_id": o["terminal_id"], "batch": o["batch"], "store_code": o["store_code"], "last_sale_day": None,
            **dict.fromkeys(SUM_FIELDS, 0)})
        for k in SUM_FIELDS:
            row[k] += int(o[k] or 0)
        if o["last_sale_day"] and (row["last_sale_day"] is None or o["last_sale_day"] > row["last_sale_day"]):
            row["last_sale_day"] = o["last_sale_day"]
        row["batch"] = row["batch"] or o["batch"]
    orphans = list(by_lot.values())
    lots = select(lt).where(*mine).subquery()
    pairs = conn.execute(select(lots.c.batch, lots.c.terminal_id, lots.c.store_code, lots.c.supplier).distinct()).all()
    unlotted_q = select(s.c.terminal_id, s.c.sku, *[func.sum(s.c[k]).label(k) for k in SUM_FIELDS]).where(
        s.c.lot == UNLOTTED)
    unread_q = select(func.coalesce(func.sum(s.c.unreadable), 0))
    if store:
        unlotted_q, unread_q = unlotted_q.where(s.c.store_code == store), unread_q.where(s.c.store_code == store)
    unlotted_rows = conn.execute(unlotted_q.group_by(s.c.terminal_id, s.c.sku).order_by(s.c.terminal_id, s.c.sku)).mappings().all()
    unreadable = int(conn.execute(unread_q).scalar() or 0)

    batches: dict[str, dict[str, Any]] = {}
    by_county: dict[str, dict[str, Any]] = {}
    county_batches: dict[str, set[str]] = {}

    def blank(no: str) -> dict[str, Any]:
        return {"batch": no, "arrival": "", "last_arrival": "", "counters": set(), "stores": set(), "origins": [],
                "counties": [], "suppliers": [], "lots": 0, "missing_receipts": 0, "with_stock": 0, "received": 0,
                "last_sale_day": None, "received_cost": 0, **dict.fromkeys(SUM_FIELDS, 0)}

    for g in (*groups, *({**o, "origin": "", "lots": 1, "first": None, "last": None, "received_cost": 0,
                          "with_stock": 0, "orphan": True} for o in orphans)):
        b = batches.setdefault(g["batch"], blank(g["batch"]))
        for k in ("received_cost", *SUM_FIELDS):
            b[k] += int(g[k] or 0)
        b["lots"] += int(g["lots"])
        if g.get("orphan"):
            b["missing_receipts"] += 1
            b["counters"].add(g["terminal_id"])
            b["stores"].add(g["store_code"])
        else:
            b["received"] += int(g["lots"])
        b["with_stock"] += int(g["with_stock"] or 0)
        if g["first"] and (not b["arrival"] or g["first"] < b["arrival"]):
            b["arrival"] = g["first"]
        if g["last"] and g["last"] > b["last_arrival"]:
            b["last_arrival"] = g["last"]
        if g["last_sale_day"] and (b["last_sale_day"] is None or g["last_sale_day"] > b["last_sale_day"]):
            b["last_sale_day"] = g["last_sale_day"]
        county = county_of(g["origin"], counties) if not g.get("orphan") else None
        if g["origin"] and g["origin"] not in b["origins"]:
            b["origins"].append(g["origin"])
        if county and county not in b["counties"]:
            b["counties"].append(county)
        if not g.get("orphan"):
            c = by_county.setdefault(county or "", {"received_cost": 0, "lots": 0, **dict.fromkeys(SUM_FIELDS, 0)})
            for k in ("received_cost", *SUM_FIELDS):
                c[k] += int(g[k] or 0)
            c["lots"] += int(g["lots"])
            county_batches.setdefault(county or "", set()).add(g["batch"])
    for no, terminal, store_code, supplier in pairs:
        b = batches[no]
        b["counters"].add(terminal)
        b["stores"].add(store_code)
        if supplier and supplier not in b["suppliers"]:
            b["suppliers"].append(supplier)
    rows = []
    for b in batches.values():
        for k in ("counters", "stores", "origins", "counties", "suppliers"):
            b[k] = sorted(b[k])
        b["sold_out"] = b.pop("received") > 0 and b.pop("with_stock") == 0
        b.pop("with_stock", None)
        b["days_to_sell_out"] = (_days_between(b["arrival"], b["last_sale_day"])
                                 if b["sold_out"] and b["arrival"] and b["last_sale_day"] else None)
        rows.append(_finish(b))
    rows.sort(key=lambda b: (b["arrival"] or "9999", b["batch"]))
    county_out = []
    for name in [*counties, ""]:
        c = by_county.get(name)
        if c is None and name == "":
            continue
        c = c or {"received_cost": 0, "lots": 0, **dict.fromkeys(SUM_FIELDS, 0)}
        county_out.append({"county": name, "aided": bool(name), "batches": len(county_batches.get(name, ())),
                           **_finish(dict(c))})
    unlotted = []
    for u in unlotted_rows:
        view = _lot_view(None, u["terminal_id"], "", "", u["sku"])
        for k in SUM_FIELDS:
            view[k] = int(u[k] or 0)
        view["on_hand"] = -view["sold_qty"] + view["returned_qty"] - view["written_qty"] + view["count_qty"]
        view["county"] = None
        unlotted.append(_finish(view))
    unlotted = [u for u in unlotted if u["sold_qty"] or u["returned_qty"] or u["written_qty"] or u["count_qty"]]
    summary = {"batches": len(rows), "batches_sold": len([b for b in rows if b["sold_qty"]]),
               "revenue": sum(b["revenue"] for b in rows),
               "aided_revenue": sum(c["revenue"] for c in county_out if c["aided"]),
               "margin": sum(b["margin"] for b in rows), "unreadable": unreadable,
               "unlotted": _roll(unlotted) if unlotted else None}
    return {"summary": summary, "batches": rows, "counties": county_out, "unlotted": unlotted}
