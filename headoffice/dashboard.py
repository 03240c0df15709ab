"""Dashboard figures (消费帮扶) from the derived tables: by county, counter, period; products, tenders,
counter-days, delivery batches; and this period against the one before.

消费帮扶 counts partner-region goods only: an origin belongs to an aided county when the
county's name is the origin or part of it (``茂县`` matches ``阿坝州茂县``). The list of aided
counties is an office setting (``dash_settings``, key ``aided_counties``); everything else
(平湖's own goods, a blank origin, "多地") is shown apart as local and other goods and never in
the 消费帮扶 total. Money is integer fen; ``net`` = sales − returns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, Engine, case, func, select

from . import derive
from .accounts import audit
from .dates import Period, parse_period
from .schema_dashboard import (
    RECON_APPROVED,
    RECON_DECLARED,
    RECON_Z,
    dash_days,
    dash_origin,
    dash_origin_all,
    dash_origin_month,
    dash_sales,
    dash_sales_all,
    dash_sales_month,
    dash_settings,
    dash_tenders,
    dash_tenders_all,
    dash_tenders_month,
)
from .service import HeadOfficeError, iso, utc_now

DEFAULT_AIDED = ("茂县", "松阳", "青田", "九寨沟")
AIDED_KEY = "aided_counties"
GROUPS = {"day": ("按日", "By day"), "week": ("按周", "By ISO week"), "month": ("按月", "By month")}
LOCAL_LABEL = "本地及其他 Local & other"
BLANK_ORIGIN = "（未填产地）"
CHINA = timezone(timedelta(hours=8))
TENDER_NAMES = {"cash": ("现金", "Cash"), "wechat": ("微信支付", "WeChat Pay"), "alipay": ("支付宝", "Alipay"),
                "unionpay": ("银联", "UnionPay"), "voucher": ("消费券", "Voucher"), "account": ("挂账", "On account")}
RECON_NAMES = {0: ("未日结", "no Z yet"), RECON_Z: ("已日结 未对账", "Z taken, not reconciled"),
               RECON_DECLARED: ("已申报 待审核", "declared, awaiting approval"), RECON_APPROVED: ("已审核", "approved")}
ROW_LIMIT = 200  # rows a page shows of a long table; the XLSX export has them all


# -- settings ------------------------------------------------------------------------------------
def aided_counties(conn: Connection) -> list[str]:
    text = conn.execute(select(dash_settings.c.value).where(dash_settings.c.key == AIDED_KEY)).scalar()
    return list(json.loads(text)) if text else list(DEFAULT_AIDED)


def parse_counties(text: str | Iterable[str]) -> list[str]:
    """County names from a form or the command line (one a line, or split by 、，, ; or spaces)."""
    raw = text if not isinstance(text, str) else text.translate(str.maketrans({c: "\n" for c in "、，,;；\t "}))
    items = raw.split("\n") if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        name = item.strip()
        if not name:
            continue
        if len(name) > 20 or not all(ch.isprintable() for ch in name) or any(ch in name for ch in "<>\"'=+@"):
            raise HeadOfficeError("bad_county", 400, f"'{name[:24]}' is not a county name (at most 20 plain characters)",
                                  f"“{name[:24]}”不是有效的县名（最多 20 个字，不含特殊符号）")
        if name not in out:
            out.append(name)
    if not out:
        raise HeadOfficeError("bad_county", 400, "give at least one aided county", "请至少填写一个帮扶县")
    if len(out) > 30:
        raise HeadOfficeError("bad_county", 400, "at most 30 aided counties", "帮扶县最多 30 个")
    return out


def set_aided_counties(engine: Engine, counties: str | Iterable[str], by: str) -> list[str]:
    names = parse_counties(counties)
    with engine.begin() as conn:
        before = aided_counties(conn)
        value = json.dumps(names, ensure_ascii=False)
        if conn.execute(select(dash_settings.c.key).where(dash_settings.c.key == AIDED_KEY)).first() is None:
            conn.execute(dash_settings.insert().values(key=AIDED_KEY, value=value, updated_at=iso(utc_now()),
                                                       updated_by=by))
        else:
            conn.execute(dash_settings.update().where(dash_settings.c.key == AIDED_KEY).values(
                value=value, updated_at=iso(utc_now()), updated_by=by))
        audit(conn, by, "dashboard.aided_counties", before=before, after=names)
    return names


def county_of(origin: str, counties: Sequence[str]) -> str | None:
    """The aided county an origin belongs to, or None for local and other goods."""
    for c in counties:
        if c == origin or (c and c in origin):
            return c
    return None


# -- the filter ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filter:
    start: date
    end: date
    store: str | None = None
    terminal: str | None = None
    group: str = "day"

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    def previous(self) -> Filter:
        p = self.period.previous()
        return replace(self, start=p.start, end=p.end)

    def query(self, **extra: str) -> dict[str, str]:
        q = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.store:
            q["store"] = self.store
        if self.terminal:
            q["terminal"] = self.terminal
        if self.group != "day":
            q["group"] = self.group
        q.update(extra)
        return q


def _code(text: str | None, what_en: str, what_zh: str) -> str | None:
    value = (text or "").strip().upper()
    if not value:
        return None
    if len(value) > 32 or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value):
        raise HeadOfficeError("bad_filter", 400, f"the {what_en} '{value[:24]}' is not a code (letters, digits, - or _)",
                              f"{what_zh}“{value[:24]}”格式不对（只能是字母、数字、- 或 _）")
    return value


def latest_day(conn: Connection) -> date | None:
    text = conn.execute(select(func.max(dash_days.c.business_day))).scalar()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def make_filter(conn: Connection, date_from: str | None, date_to: str | None, store: str | None = None,
                terminal: str | None = None, group: str | None = None, *, today: date | None = None) -> Filter:
    """The filter a form or command line gave, checked; missing dates default to the month of the
    latest business day held (so the page opens on figures), or this month."""
    start, end = parse_period(date_from, date_to)
    g = (group or "day").strip().lower() or "day"
    if g not in GROUPS:
        raise HeadOfficeError("bad_filter", 400, f"grouping '{g[:12]}' is not one of day, week, month",
                              f"分组“{g[:12]}”无效，应为 day（日）、week（周）或 month（月）")
    st = _code(store, "store", "门店")
    te = _code(terminal, "counter", "收银机")
    if end is None:
        latest = latest_day(conn) or today or datetime.now(CHINA).date()
        end = max(latest, start) if start else latest
    if start is None:
        start = end.replace(day=1)
    return Filter(start, end, st, te, g)


def _where(q, t, f: Filter):  # noqa: ANN001, ANN202
    q = q.where(t.c.business_day >= f.start.isoformat(), t.c.business_day <= f.end.isoformat())
    if f.store:
        q = q.where(t.c.store_code == f.store)
    if f.terminal:
        q = q.where(t.c.terminal_id == f.terminal)
    return q


def _money(sales: int, returns: int) -> dict[str, int]:
    return {"sales": int(sales), "returns": int(returns), "net": int(sales) - int(returns)}


def _add(into: dict[str, int], sales: int, returns: int) -> None:
    into["sales"] += int(sales)
    into["returns"] += int(returns)
    into["net"] += int(sales) - int(returns)


def _zero() -> dict[str, int]:
    return {"sales": 0, "returns": 0, "net": 0}


def pct(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


def change(now: int, before: int) -> dict[str, Any]:
    return {"now": now, "before": before, "change": now - before, "pct": None if not before else (now - before) / abs(before)}


# -- the views -----------------------------------------------------------------------------------
@dataclass
class Overview:
    filter: Filter
    counties: list[str]
    by_county: list[dict[str, Any]] = field(default_factory=list)
    aided: dict[str, int] = field(default_factory=_zero)
    local: list[dict[str, Any]] = field(default_factory=list)
    local_total: dict[str, int] = field(default_factory=_zero)
    total: dict[str, int] = field(default_factory=_zero)
    compare: list[dict[str, Any]] = field(default_factory=list)
    by_counter: list[dict[str, Any]] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)


def _filtered(f: Filter) -> bool:
    return bool(f.store or f.terminal)


def _pieces(f: Filter) -> tuple[list[tuple[date, date]], tuple[str, str] | None]:
    """The period as (days at either end, whole months): ``([(11-15, 11-30)], ("2026-12", "2027-02"))``."""
    first = f.start if f.start.day == 1 else (f.start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after = f.end + timedelta(days=1)
    last_end = f.end if after.day == 1 else f.end.replace(day=1) - timedelta(days=1)  # last day of the last whole month
    if first > last_end:
        return [(f.start, f.end)], None
    edges = []
    if f.start < first:
        edges.append((f.start, first - timedelta(days=1)))
    if last_end < f.end:
        edges.append((last_end + timedelta(days=1), f.end))
    return edges, (first.isoformat()[:7], last_end.isoformat()[:7])


def _days(q, t, start: date, end: date, f: Filter):  # noqa: ANN001, ANN202
    q = q.where(t.c.business_day >= start.isoformat(), t.c.business_day <= end.isoformat())
    if f.store and "store_code" in t.c:
        q = q.where(t.c.store_code == f.store)
    if f.terminal and "terminal_id" in t.c:
        q = q.where(t.c.terminal_id == f.terminal)
    return q


def _months(q, t, months: tuple[str, str], f: Filter):  # noqa: ANN001, ANN202
    q = q.where(t.c.month >= months[0], t.c.month <= months[1])
    if f.store and "store_code" in t.c:
        q = q.where(t.c.store_code == f.store)
    if f.terminal and "terminal_id" in t.c:
        q = q.where(t.c.terminal_id == f.terminal)
    return q


def _summed(conn: Connection, f: Filter, daily, monthly, keys: Sequence[str], values: Sequence[str],  # noqa: ANN001
            texts: Sequence[str] = ()) -> list[dict[str, Any]]:
    """``values`` summed by ``keys`` over the period: whole months from ``monthly``, the days at either
    end from ``daily`` (``texts`` are carried, the largest value kept)."""
    def query(t):  # noqa: ANN001, ANN202
        cols = [t.c[k] for k in keys] + [func.sum(t.c[v]).label(v) for v in values]
        cols += [func.max(case((t.c[x], 1), else_=0) if x == "weighed" else t.c[x]).label(x) for x in texts]
        return select(*cols)

    edges, months = _pieces(f)
    queries = [_days(query(daily), daily, a, b, f).group_by(*[daily.c[k] for k in keys]) for a, b in edges]
    if months:
        queries.append(_months(query(monthly), monthly, months, f).group_by(*[monthly.c[k] for k in keys]))
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for q in queries:
        for r in conn.execute(q):
            m = r._mapping
            key = tuple(m[k] for k in keys)
            row = out.get(key)
            if row is None:
                out[key] = {**{k: m[k] for k in keys}, **{v: int(m[v] or 0) for v in values}, **{x: m[x] for x in texts}}
            else:
                for v in values:
                    row[v] += int(m[v] or 0)
                for x in texts:
                    row[x] = max(row[x], m[x]) if row[x] is not None and m[x] is not None else row[x] or m[x]
    return list(out.values())


def _origin_table(f: Filter):  # noqa: ANN202
    return dash_origin if _filtered(f) else dash_origin_all


def _by_origin(conn: Connection, f: Filter) -> list[Any]:
    o = _origin_table(f)
    return conn.execute(_days(select(o.c.origin, func.sum(o.c.sales_fen).label("s"), func.sum(o.c.returns_fen).label("r")),
                              o, f.start, f.end, f).group_by(o.c.origin)).all()


def _split(rows: Iterable[Any], counties: Sequence[str]) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    aided = {c: _zero() for c in counties}
    local: dict[str, dict[str, int]] = {}
    for r in rows:
        c = county_of(r.origin, counties)
        _add(aided[c] if c else local.setdefault(r.origin or BLANK_ORIGIN, _zero()), r.s or 0, r.r or 0)
    return aided, local


def overview(engine: Engine, f: Filter) -> Overview:
    derive.fresh(engine)
    with engine.connect() as conn:
        counties = aided_counties(conn)
        out = Overview(f, counties)
        aided, local = _split(_by_origin(conn, f), counties)
        before_aided, before_local = _split(_by_origin(conn, f.previous()), counties)
        counter_rows = _summed(conn, f, dash_origin, dash_origin_month, ("store_code", "terminal_id", "origin"),
                               ("sales_fen", "returns_fen"))
        receipts = {(r.store_code, r.terminal_id): int(r.n or 0) for r in conn.execute(_where(
            select(dash_days.c.store_code, dash_days.c.terminal_id, func.sum(dash_days.c.receipts).label("n")),
            dash_days, f).group_by(dash_days.c.store_code, dash_days.c.terminal_id))}
        o = _origin_table(f)
        period_col = {"day": o.c.business_day, "week": o.c.week, "month": o.c.month}[f.group]
        trend_rows = conn.execute(_days(select(period_col.label("p"), o.c.origin, func.sum(o.c.sales_fen).label("s"),
                                               func.sum(o.c.returns_fen).label("r")), o, f.start, f.end, f)
                                  .group_by(period_col, o.c.origin).order_by(period_col)).all()
    for c in counties:
        _add(out.aided, aided[c]["sales"], aided[c]["returns"])
    for name, m in sorted(local.items(), key=lambda kv: -kv[1]["net"]):
        _add(out.local_total, m["sales"], m["returns"])
        out.local.append({"origin": name, **m, "share": None})
    for row in out.local:
        row["share"] = pct(row["net"], out.local_total["net"])
    _add(out.total, out.aided["sales"] + out.local_total["sales"], out.aided["returns"] + out.local_total["returns"])
    out.by_county = [{"county": c, **aided[c], "share": pct(aided[c]["net"], out.aided["net"])} for c in counties]
    before_total = sum(m["net"] for m in before_aided.values())
    before_local_total = sum(m["net"] for m in before_local.values())
    out.compare = ([{"label": f"{c}", "kind": "county", **change(aided[c]["net"], before_aided[c]["net"])} for c in counties]
                   + [{"label": "消费帮扶合计 Aided total", "kind": "aided", **change(out.aided["net"], before_total)},
                      {"label": LOCAL_LABEL, "kind": "local", **change(out.local_total["net"], before_local_total)},
                      {"label": "全部商品 All goods", "kind": "all",
                       **change(out.total["net"], before_total + before_local_total)}])
    counters: dict[tuple[str, str], dict[str, Any]] = {}
    for r in counter_rows:
        key = (r["store_code"], r["terminal_id"])
        row = counters.setdefault(key, {"store": key[0], "terminal": key[1], "aided": _zero(), "local": _zero(),
                                        "receipts": receipts.get(key, 0)})
        _add(row["aided"] if county_of(r["origin"], counties) else row["local"], r["sales_fen"], r["returns_fen"])
    out.by_counter = sorted(counters.values(), key=lambda x: (-x["aided"]["net"], x["store"], x["terminal"]))
    periods: dict[str, dict[str, Any]] = {}
    for r in trend_rows:
        row = periods.setdefault(r.p, {"period": r.p, "counties": {c: 0 for c in counties}, "aided": 0, "local": 0})
        c = county_of(r.origin, counties)
        net = int(r.s or 0) - int(r.r or 0)
        if c:
            row["counties"][c] += net
            row["aided"] += net
        else:
            row["local"] += net
    out.trend = list(periods.values())
    return out


def products(engine: Engine, f: Filter) -> dict[str, Any]:
    derive.fresh(engine)
    keys, values, texts = ("sku", "origin", "category"), ("quantity", "sales_fen", "returns_fen"), ("name", "weighed")
    with engine.connect() as conn:
        counties = aided_counties(conn)
        if _filtered(f):
            rows = _daily_only(conn, f, dash_sales, keys, values, texts)
        else:
            rows = _summed(conn, f, dash_sales_all, dash_sales_month, keys, values, texts)
    cats: dict[str, dict[str, Any]] = {}
    prods = []
    for r in rows:
        county = county_of(r["origin"], counties)
        category = r["category"] or "未分类"
        row = cats.setdefault(category, {"category": category, "aided": _zero(), "local": _zero()})
        _add(row["aided"] if county else row["local"], r["sales_fen"], r["returns_fen"])
        prods.append({"sku": r["sku"], "name": r["name"], "category": category, "origin": r["origin"] or BLANK_ORIGIN,
                      "county": county, "weighed": bool(r["weighed"]), "quantity": r["quantity"],
                      **_money(r["sales_fen"], r["returns_fen"])})
    prods.sort(key=lambda p: (p["county"] is None, -p["net"], p["sku"]))
    categories = sorted(cats.values(), key=lambda c: -(c["aided"]["net"] + c["local"]["net"]))
    return {"counties": counties, "categories": categories, "products": prods}


def _daily_only(conn: Connection, f: Filter, t, keys: Sequence[str], values: Sequence[str],  # noqa: ANN001
                texts: Sequence[str] = ()) -> list[dict[str, Any]]:
    cols = [t.c[k] for k in keys] + [func.sum(t.c[v]).label(v) for v in values]
    cols += [func.max(case((t.c[x], 1), else_=0) if x == "weighed" else t.c[x]).label(x) for x in texts]
    q = _days(select(*cols), t, f.start, f.end, f).group_by(*[t.c[k] for k in keys])
    return [{**{k: r._mapping[k] for k in keys}, **{v: int(r._mapping[v] or 0) for v in values},
             **{x: r._mapping[x] for x in texts}} for r in conn.execute(q)]


def tenders(engine: Engine, f: Filter) -> dict[str, Any]:
    derive.fresh(engine)
    with engine.connect() as conn:
        t = dash_tenders if _filtered(f) else dash_tenders_all
        rows = conn.execute(_days(select(t.c.tender, func.sum(t.c.paid_fen).label("p"), func.sum(t.c.refunded_fen).label("r"),
                                         func.sum(t.c.payments).label("n")), t, f.start, f.end, f)
                            .group_by(t.c.tender)).all()
        per_counter = _summed(conn, f, dash_tenders, dash_tenders_month, ("store_code", "terminal_id", "tender"),
                              ("paid_fen", "refunded_fen"))
    out = [{"tender": r.tender, "name": tender_name(r.tender), "paid": int(r.p or 0), "refunded": int(r.r or 0),
            "net": int(r.p or 0) - int(r.r or 0), "payments": int(r.n or 0)} for r in rows]
    out.sort(key=lambda x: -x["net"])
    total = sum(x["net"] for x in out)
    for x in out:
        x["share"] = pct(x["net"], total)
    kinds = [x["tender"] for x in out]
    counters: dict[tuple[str, str], dict[str, Any]] = {}
    for r in per_counter:
        key = (r["store_code"], r["terminal_id"])
        row = counters.setdefault(key, {"store": key[0], "terminal": key[1], "by": dict.fromkeys(kinds, 0)})
        row["by"][r["tender"]] = r["paid_fen"] - r["refunded_fen"]
    return {"tenders": out, "total": total, "kinds": kinds, "names": {k: tender_name(k) for k in kinds},
            "counters": sorted(counters.values(), key=lambda x: (x["store"], x["terminal"]))}


def tender_name(kind: str) -> str:
    zh, en = TENDER_NAMES.get(kind, (kind, kind))
    return f"{zh} {en}"


def counter_days(engine: Engine, f: Filter, *, limit: int | None = ROW_LIMIT) -> dict[str, Any]:
    derive.fresh(engine)
    d = dash_days
    with engine.connect() as conn:
        q = _where(select(d), d, f).order_by(d.c.business_day.desc(), d.c.store_code, d.c.terminal_id)
        total_rows = int(conn.execute(_where(select(func.count()).select_from(d), d, f)).scalar_one())
        rows = conn.execute(q.limit(limit) if limit else q).all()
        summary = conn.execute(_where(select(
            d.c.store_code, d.c.terminal_id, func.count().label("days"),
            func.sum(d.c.sales_fen - d.c.returns_fen).label("net"), func.sum(d.c.over_short_fen).label("os"),
            func.sum(d.c.shifts_closed).label("shifts"),
            func.sum(case((d.c.z_seq.is_not(None), 1), else_=0)).label("z_days"),
            func.sum(case((d.c.recon_state == RECON_APPROVED, 1), else_=0)).label("approved")),
            d, f).group_by(d.c.store_code, d.c.terminal_id).order_by(d.c.store_code, d.c.terminal_id)).all()
    days = [{"day": r.business_day, "store": r.store_code, "terminal": r.terminal_id,
             **_money(r.sales_fen, r.returns_fen), "receipts": r.receipts, "return_docs": r.return_docs,
             "cash_in": r.cash_in_fen, "cash_out": r.cash_out_fen, "shifts": r.shifts_closed,
             "counted": r.counted_fen, "expected": r.expected_cash_fen,
             "over_short": r.over_short_fen if r.shifts_closed else None, "z": r.z_seq is not None,
             "z_net": r.z_net_fen, "state": r.recon_state, "state_name": " ".join(RECON_NAMES[r.recon_state]),
             "declared": r.declared_fen, "recon_variance": r.recon_variance_fen} for r in rows]
    counters = [{"store": r.store_code, "terminal": r.terminal_id, "days": int(r.days), "net": int(r.net or 0),
                 "over_short": int(r.os or 0), "shifts": int(r.shifts or 0), "z_days": int(r.z_days or 0),
                 "no_z": int(r.days) - int(r.z_days or 0), "approved": int(r.approved or 0)} for r in summary]
    return {"days": days, "shown": len(days), "total_rows": total_rows, "counters": counters,
            "over_short": sum(c["over_short"] for c in counters)}


def batches(engine: Engine, f: Filter) -> dict[str, Any]:
    derive.fresh(engine)
    s = dash_sales
    with engine.connect() as conn:
        counties = aided_counties(conn)
        any_batch = conn.execute(select(s.c.batch).where(s.c.batch > "").limit(1)).first() is not None
        rows = conn.execute(_where(select(s.c.batch, s.c.origin, func.min(s.c.business_day).label("first"),
                                          func.max(s.c.business_day).label("last"),
                                          func.count(func.distinct(s.c.terminal_id)).label("counters"),
                                          func.sum(s.c.sales_fen).label("s"), func.sum(s.c.returns_fen).label("r")),
                                   s, f).where(s.c.batch > "").group_by(s.c.batch, s.c.origin)).all() if any_batch else []
        everything = _by_origin(conn, f)
    out = [{"batch": r.batch, "origin": r.origin or BLANK_ORIGIN, "county": county_of(r.origin, counties),
            "first": r.first, "last": r.last, "counters": int(r.counters), **_money(r.s or 0, r.r or 0)} for r in rows]
    out.sort(key=lambda b: (b["batch"], b["origin"]))
    unbatched = _money(sum(int(r.s or 0) for r in everything) - sum(b["sales"] for b in out),
                       sum(int(r.r or 0) for r in everything) - sum(b["returns"] for b in out))
    return {"batches": out, "any_batch_data": any_batch, "unbatched": unbatched}


def batch_products(engine: Engine, f: Filter, batch: str) -> list[dict[str, Any]]:
    derive.fresh(engine)
    s = dash_sales
    with engine.connect() as conn:
        rows = conn.execute(_where(select(s.c.sku, func.max(s.c.name).label("name"), s.c.origin,
                                          func.sum(s.c.quantity).label("q"), func.max(case((s.c.weighed, 1), else_=0)).label("w"),
                                          func.sum(s.c.sales_fen).label("s"), func.sum(s.c.returns_fen).label("r")),
                                   s, f).where(s.c.batch == batch).group_by(s.c.sku, s.c.origin)).all()
    return [{"sku": r.sku, "name": r.name, "origin": r.origin, "quantity": int(r.q or 0), "weighed": bool(r.w),
             **_money(r.s or 0, r.r or 0)} for r in rows]
