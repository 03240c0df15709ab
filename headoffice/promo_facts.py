"""Promotion cost and member sales at head office (issue 17, point 5): derived facts and what the pages read.

The deriver (derive.py) adds these rows in the same chunks as the dashboard's, and ``rebuild`` empties and
derives them again; they follow the till's own figures (pos/services/period_reports.py ``_promotions`` and
``_members``) from the same payloads:

- ``promo_facts`` — per store × business day × promotion id and version: ``receipts`` (sales naming the
  promotion in ``"promos"``), ``given_fen`` (their ``off_fen``), and ``returned_fen``: for each return line
  with an ``orig_line_no``, each ``[id, version, fen]`` of the sold line's ``"promo"`` × returned quantity /
  sold quantity, rounded half up per return line, as the till does (on the return's business day).
  Cost = given − returned.
- ``member_facts`` — per store × business day × member id: sales and their totals, returns and their refunds,
  points earned / redeemed (sales), reversed (returns), ``redeem_fen`` (what redeemed points paid).
- ``member_points_rules`` — per terminal: the last ``member_points_rule`` setting it journaled (what one
  point pays, ``redeem_fen_per_point``); a store's rate is the newest of its terminals'. None journaled: the
  till's default, 1 fen a point (100 points pay ¥1).

Training sales and returns count nowhere. Points outstanding at a day's end = the sum of earned − redeemed −
reversed of the store's members up to that day (sales and returns of every till of the store, each once:
the member feed's copies at other tills are ``member_sync`` entries, not counted here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Integer, String, Table, delete, func, inspect, select

from pos.domain.money import div_round_half_up

from .schema import metadata

promo_facts = Table(
    "promo_facts",
    metadata,
    Column("store_code", String(32), primary_key=True),
    Column("business_day", String(10), primary_key=True),
    Column("promo_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),  # as the sale named it ("" on a row holding only returns)
    Column("receipts", Integer, nullable=False),
    Column("given_fen", BigInteger, nullable=False),
    Column("returned_fen", BigInteger, nullable=False),
)

member_facts = Table(
    "member_facts",
    metadata,
    Column("store_code", String(32), primary_key=True),
    Column("business_day", String(10), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("receipts", Integer, nullable=False),
    Column("return_docs", Integer, nullable=False),
    Column("spent_fen", BigInteger, nullable=False),
    Column("refunded_fen", BigInteger, nullable=False),
    Column("points_earned", BigInteger, nullable=False),
    Column("points_redeemed", BigInteger, nullable=False),
    Column("points_reversed", BigInteger, nullable=False),
    Column("redeem_fen", BigInteger, nullable=False),
)

member_points_rules = Table(
    "member_points_rules",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("store_code", String(32), nullable=False),
    Column("set_at", String(40), nullable=False),  # the setting entry's created_at (UTC ISO)
    Column("redeem_fen_per_point", Integer, nullable=False),
)

TABLES = (promo_facts, member_facts, member_points_rules)
PROMO_SUMS = ("receipts", "given_fen", "returned_fen")
MEMBER_SUMS = ("receipts", "return_docs", "spent_fen", "refunded_fen", "points_earned", "points_redeemed",
               "points_reversed", "redeem_fen")
DEFAULT_FEN_PER_POINT = 1  # pos.domain.members.PointsRule().redeem_fen_per_point
SaleLookup = Callable[[str, int], Mapping[str, Any] | None]


def _cut(value: Any, n: int) -> str:
    return str(value)[:n]


class Collector:
    """The promotion and member sums of some entries of one terminal, added to the tables in one go."""

    def __init__(self, terminal: str, store: str) -> None:
        self.terminal, self.store = terminal, store
        self.promos: dict[tuple[str, str, int], dict[str, Any]] = {}
        self.members: dict[tuple[str, str], dict[str, Any]] = {}
        self.rule: dict[str, Any] | None = None

    def _promo(self, day: str, pid: Any, version: Any, name: str = "") -> dict[str, Any]:
        key = (day, _cut(pid, 64), int(version))
        row = self.promos.get(key)
        if row is None:
            row = self.promos[key] = {"store_code": self.store, "business_day": day, "promo_id": key[1],
                                      "version": key[2], "name": "", **dict.fromkeys(PROMO_SUMS, 0)}
        if name and not row["name"]:
            row["name"] = _cut(name, 200)
        return row

    def _member(self, day: str, member_id: Any) -> dict[str, Any]:
        key = (day, _cut(member_id, 64))
        row = self.members.get(key)
        if row is None:
            row = self.members[key] = {"store_code": self.store, "business_day": day, "member_id": key[1],
                                       **dict.fromkeys(MEMBER_SUMS, 0)}
        return row

    def add(self, kind: str, day: str, created_at: str, p: Mapping[str, Any], lookup: SaleLookup) -> None:
        """Count one entry (anything but a sale, a return or a points-rule setting is passed over)."""
        if kind == "setting":
            if p.get("key") == "member_points_rule" and isinstance(p.get("value"), Mapping):
                self.rule = {"terminal_id": self.terminal, "store_code": self.store, "set_at": _cut(created_at, 40),
                             "redeem_fen_per_point": int(p["value"].get("redeem_fen_per_point", DEFAULT_FEN_PER_POINT))}
            return
        if kind not in ("sale", "return") or p.get("training"):
            return
        member = p.get("member")
        if kind == "sale":
            for pid, version, name, off_fen in p.get("promos") or ():
                row = self._promo(day, pid, version, str(name))
                row["receipts"] += 1
                row["given_fen"] += int(off_fen)
            if member:
                m = self._member(day, member["id"])
                m["receipts"] += 1
                m["spent_fen"] += int(p["total"])
                m["points_earned"] += int(member.get("points_earned", 0))
                m["points_redeemed"] += int(member.get("points_redeemed", 0))
                m["redeem_fen"] += int(member.get("redeem_fen", 0))
            return
        receipt = p.get("receipt_no")
        for line in p.get("lines") or ():
            if not receipt or line.get("orig_line_no") is None:
                continue
            sold = lookup(str(receipt), int(line["orig_line_no"]))
            if not sold or not sold.get("promo") or not int(sold.get("quantity") or 0):
                continue
            quantity = int(line.get("quantity") or 0)
            for pid, version, fen in sold["promo"]:
                self._promo(day, pid, version)["returned_fen"] += div_round_half_up(int(fen) * quantity,
                                                                                    int(sold["quantity"]))
        if member:
            m = self._member(day, member["id"])
            m["return_docs"] += 1
            m["refunded_fen"] += int(p.get("refund", sum(int(ln["refund"]) for ln in p.get("lines") or ())))
            m["points_reversed"] += int(member.get("points_reversed", 0))
            m["redeem_fen"] += int(member.get("redeem_fen", 0))

    def write(self, conn: Connection) -> None:
        from .derive import _upsert  # derive imports this module

        if self.promos:
            _upsert(conn, promo_facts, list(self.promos.values()), add=PROMO_SUMS, filled=("name",))
        if self.members:
            _upsert(conn, member_facts, list(self.members.values()), add=MEMBER_SUMS)
        if self.rule is not None:
            _upsert(conn, member_points_rules, [self.rule], replace=("store_code", "set_at", "redeem_fen_per_point"))


def empty(conn: Connection) -> None:
    """Delete every row (``rebuild``); nothing when the tables are not there yet (an older migration runs it)."""
    if inspect(conn).has_table(promo_facts.name):
        for t in TABLES:
            conn.execute(delete(t))


def exists(conn: Connection) -> bool:
    return inspect(conn).has_table(promo_facts.name)


# -- what the pages and the command line read ---------------------------------------------------------------
def _where(q, t, start: date, end: date, store: str | None):  # noqa: ANN001, ANN202
    q = q.where(t.c.business_day >= start.isoformat(), t.c.business_day <= end.isoformat())
    return q.where(t.c.store_code == store) if store else q


def promotions(conn: Connection, start: date, end: date, store: str | None = None) -> dict[str, Any]:
    """Each promotion (id, version) with its receipts, given, returned and cost in the period; totals."""
    t = promo_facts
    q = _where(select(t.c.promo_id, t.c.version, func.sum(t.c.receipts), func.sum(t.c.given_fen),
                      func.sum(t.c.returned_fen)), t, start, end, store).group_by(t.c.promo_id, t.c.version)
    found = conn.execute(q.order_by(t.c.promo_id, t.c.version)).all()
    names: dict[tuple[str, int], str] = {}
    if found:
        for pid, version, name in conn.execute(select(t.c.promo_id, t.c.version, func.max(t.c.name))
                                               .where(t.c.promo_id.in_({r[0] for r in found}))
                                               .group_by(t.c.promo_id, t.c.version)).all():
            names[(pid, int(version))] = name or ""
    rows = []
    for pid, version, receipts, given, returned in found:
        given, returned = int(given or 0), int(returned or 0)
        rows.append({"id": pid, "version": int(version), "name": names.get((pid, int(version)), ""),
                     "receipts": int(receipts or 0), "given": given, "returned": returned, "cost": given - returned})
    total = {k: sum(r[k] for r in rows) for k in ("receipts", "given", "returned", "cost")}
    return {"promotions": rows, "total": total}


def fen_per_point(conn: Connection) -> dict[str, tuple[int, bool]]:
    """Each store's redemption rate: (fen a point pays, True if a till journaled it) — the newest of its tills'."""
    t = member_points_rules
    out: dict[str, tuple[int, str]] = {}
    for store, set_at, rate in conn.execute(select(t.c.store_code, t.c.set_at, t.c.redeem_fen_per_point)).all():
        if store not in out or set_at > out[store][1]:
            out[store] = (int(rate), set_at)
    return {s: (rate, True) for s, (rate, _at) in out.items()}


def members(conn: Connection, start: date, end: date, store: str | None = None) -> dict[str, Any]:
    """Per store: members active in the period, their sales and share of all the store's sales, points earned /
    redeemed / reversed in the period, points outstanding at the period's end and their value (the liability)."""
    from .schema_dashboard import dash_days

    t = member_facts
    q = _where(select(t.c.store_code, func.count(func.distinct(t.c.member_id)),
                      *(func.sum(t.c[k]) for k in MEMBER_SUMS)), t, start, end, store).group_by(t.c.store_code)
    period = {r[0]: r[1:] for r in conn.execute(q).all()}
    held_q = select(t.c.store_code, func.sum(t.c.points_earned - t.c.points_redeemed - t.c.points_reversed)).where(
        t.c.business_day <= end.isoformat()).group_by(t.c.store_code)
    if store:
        held_q = held_q.where(t.c.store_code == store)
    held = {s: int(v or 0) for s, v in conn.execute(held_q).all()}
    d = dash_days
    all_q = _where(select(d.c.store_code, func.sum(d.c.sales_fen), func.sum(d.c.returns_fen)), d, start, end,
                   store).group_by(d.c.store_code)
    all_sales = {s: (int(a or 0), int(b or 0)) for s, a, b in conn.execute(all_q).all()}
    rates = fen_per_point(conn)
    rows = []
    for s in sorted(set(period) | set(held)):
        f = [int(v or 0) for v in period.get(s, (0,) * (len(MEMBER_SUMS) + 1))]
        active, receipts, return_docs, spent, refunded, earned, redeemed, reversed_, redeem_fen = f
        store_sales, store_returns = all_sales.get(s, (0, 0))
        net, store_net = spent - refunded, store_sales - store_returns
        rate, journaled = rates.get(s, (DEFAULT_FEN_PER_POINT, False))
        rows.append({"store": s, "active": active, "receipts": receipts, "return_docs": return_docs, "spent": spent,
                     "refunded": refunded, "net": net, "store_net": store_net,
                     "share": (net / store_net) if store_net > 0 else None, "earned": earned, "redeemed": redeemed,
                     "reversed": reversed_, "redeem_fen": redeem_fen, "outstanding": held.get(s, 0),
                     "fen_per_point": rate, "rule_known": journaled, "liability": held.get(s, 0) * rate})
    keys = ("active", "receipts", "return_docs", "spent", "refunded", "net", "store_net", "earned", "redeemed",
            "reversed", "redeem_fen", "outstanding", "liability")
    total: dict[str, Any] = {k: sum(r[k] for r in rows) for k in keys}
    total["share"] = total["net"] / total["store_net"] if total["store_net"] > 0 else None
    return {"stores": rows, "total": total}


def stores(conn: Connection) -> list[str]:
    """Every store with a counter enrolled (the filter's choices)."""
    from .schema import terminals

    return sorted(set(conn.execute(select(terminals.c.store_code).distinct()).scalars()))


def fill(conn: Connection, *, chunk: int = 2000) -> int:
    """Derive these tables from the entries already derived (the deriver adds the rest with the other report
    rows); entries read. For migration ho0012, on a database that held sales before it."""
    import json

    from sqlalchemy import and_

    from .schema import derive_state, documents, entries, terminals

    empty(conn)
    stores_of = dict(conn.execute(select(terminals.c.terminal_id, terminals.c.store_code)).all())
    derived = dict(conn.execute(select(derive_state.c.terminal_id, derive_state.c.derived_seq)).all())
    n = 0
    for terminal in sorted(derived):
        def sale_line(receipt_no: str, line_no: int, terminal: str = terminal) -> Mapping[str, Any] | None:
            text = conn.execute(select(entries.c.payload).join(documents, and_(
                documents.c.terminal_id == entries.c.terminal_id, documents.c.seq == entries.c.seq)).where(
                documents.c.terminal_id == terminal, documents.c.doc_no == receipt_no)).scalar()
            payload = json.loads(text) if text else {}
            return next((ln for ln in payload.get("lines", ()) if ln.get("line_no") == line_no), None)

        facts = Collector(terminal, stores_of.get(terminal, ""))
        after = -1
        while True:
            rows = conn.execute(select(entries.c.seq, entries.c.kind, entries.c.business_day, entries.c.created_at,
                                       entries.c.payload)
                                .where(entries.c.terminal_id == terminal, entries.c.seq > after,
                                       entries.c.seq <= int(derived[terminal]),
                                       entries.c.kind.in_(("sale", "return", "setting")))
                                .order_by(entries.c.seq).limit(chunk)).all()
            if not rows:
                break
            for r in rows:
                try:
                    facts.add(r.kind, r.business_day, r.created_at, json.loads(r.payload), sale_line)
                except (KeyError, TypeError, ValueError, AttributeError, IndexError):
                    continue  # left out of the reports, as the deriver leaves it out
            n += len(rows)
            after = int(rows[-1].seq)
        facts.write(conn)
    return n
