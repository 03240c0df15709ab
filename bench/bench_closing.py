"""Z closure of a busy day: totals read from the running report facts, beside the floor of this run.

A demo till trades one business day of Z_SALES sales with a realistic mix (one to five goods a
sale, weighed fruit, gift boxes of mixed counties and rates, line and whole-sale discounts, price
changes, gifts, 抹角, cash with change, WeChat/Alipay/UnionPay, vouchers, an institution account,
split payments, returns full and partial, removed lines, cash in and out, practice sales, a shift
handover at midday). Then, on the closed-shift day:

* ``z_totals`` (``z_ms``): the day's PeriodTotals as the Z computes them (ClosingService.day_totals:
  a unit of work and two fixed SELECTs of the day's fact_figures and fact_totals rows), median;
* ``z_close``: the whole 日结 (checks, totals, day span, the Z's journal entry, durable commit), once;
* ``journal_totals``: the same totals the way they were computed before any facts (every payload of
  the day parsed, then PeriodTotals.add), median;
* ``floor_ms`` — the floor: a bare ``sqlite3`` GROUP BY over the day's own rows, its sale lines joined
  to their sales (``SELECT l.category, SUM(l.net_fen) … GROUP BY l.category``), on a connection of its
  own, median. That is the least a Z that adds up the day's sales in SQL can read, and the honest
  yardstick the issue's target names ("a bare SQL aggregate over the day's rows"). The running totals
  read far fewer rows than the day has, so the Z comes in under it;
* for comparison, in the same run: the two bare SELECTs of the running totals alone
  (``bare_fact_totals_ms``: what the Z reads, without building the PeriodTotals), and the per-entry
  facts of migration 0010 (fact_docs, fact_amounts, fact_tax) rebuilt from the same day into a scratch
  file: their three queries (``old_facts_query_ms``) and the bare GROUP BY over fact_amounts the last
  run used as the floor (``floor_group_by_old_facts_ms``);
* ``facts_write_us_per_sale``: what adding one sale to the running totals costs on the sale's commit
  (facts.write of the day's sale entries into a scratch copy of the table, per sale), beside the same
  for the 0010 per-entry rows (``old_facts_write_us_per_sale``);
* ``facts_commit``: the first DURABLE_SALES sales' facts alone, each as a durable transaction on a file
  with the till's pragmas (new / 0010 / a bare one-row insert, taking turns): p50 µs per COMMIT and the
  WAL pages each appends — the facts' share of the sale commit (the journal and sale rows left out).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .common import DATA, bench_home, line, record, timed

Z_SALES = int(os.environ.get("BENCH_Z_SALES", "5000"))
REPEAT = 15
DURABLE_SALES = 400
TARGET_MS = 50.0
TARGET_RATIO = 2.0

UNIT_CODES = ("6972316000170", "6972316000248", "6945837000172", "6945837000240", "6945837000455", "6972316000385",
              "6972316000521", "6923905000170", "6958271000172", "6958271000240", "6958271000318", "6940612000170")
BOXES = ("6972316000736", "6945837001018", "6945837000387")  # 松阳大礼包, 山海协作礼盒, a mixed-rate box (below)
PLUS = ("101", "104", "106", "201")


def _fresh_till():  # noqa: ANN202
    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.services.ports import FixedClock

    path = DATA / "closing.db"
    for p in DATA.glob("closing.db*"):
        p.unlink()
    cfg = load_config(db=path, printer="dummy:", device_key=DATA / "closing.device.key")
    # 09:00 in Pinghu, 40 ms a tick: the whole day stays on one business day.
    return open_till(cfg, create=True, demo=True, clock=FixedClock(datetime(2026, 11, 22, 1, tzinfo=UTC),
                                                                   timedelta(milliseconds=40)))


def _trade(till, rnd: random.Random) -> str:  # noqa: ANN001
    from pos.domain.cart import Cart
    from pos.domain.closing import CashCount
    from pos.domain.errors import PosError
    from pos.domain.permissions import Action
    from pos.domain.pricing import RoundingMode, parse_discount
    from pos.domain.tenders import Tender, TenderKind

    cashier = till.auth.login("cashier1", "1111")
    manager = till.auth.login("manager1", "2222")
    with till.uow() as uow:  # a gift box of mixed rates and counties: a 13 % sachet, 9 % walnuts and rice
        uow.bundles.put("MX-S004", [("MX-C001", 1, None), ("MX-N001", 1, None), ("MX-R002", 1, None)])
        uow.commit()
    goods = [till.lookup.find(c) for c in UNIT_CODES]
    boxes = [till.lookup.find(c) for c in BOXES]
    fruit = [till.lookup.find(c) for c in PLUS]
    till.shifts.open(cashier, CashCount.of({10000: 5}))
    sold: list = []
    vouchers = 0
    for i in range(Z_SALES):
        if i == Z_SALES // 2:  # the midday handover
            till.shifts.close(cashier, CashCount(), keep_held=True)
            till.shifts.open(cashier, CashCount.of({10000: 5}))
        if i == Z_SALES // 3:
            till.checkout.set_rounding(RoundingMode.DROP_JIAO, manager)
        cart = Cart()
        for _ in range(rnd.randint(1, 5)):
            r = rnd.random()
            if r < 0.15:
                cart = cart.add(rnd.choice(fruit), rnd.randint(200, 3000))
            elif r < 0.25:
                cart = cart.add(rnd.choice(boxes), 1)
            else:
                cart = cart.add(rnd.choice(goods), rnd.randint(1, 3))
        r = rnd.random()
        if r < 0.08:
            cart = cart.discount_line(0, parse_discount(rnd.choice(("5%", "10%", "9折"))), by=manager.role)
        elif r < 0.12:
            cart = cart.discount_sale(parse_discount("95折"), by=manager.role)
        elif r < 0.14:
            cart = cart.override_price(0, max(1, cart.lines[0].product.price_fen // 2), by=manager.role)
        elif r < 0.15 and len(cart.lines) > 1:
            cart = cart.discount_line(len(cart.lines) - 1, parse_discount("100%"), by=manager.role)  # 赠送
        if rnd.random() < 0.03 and len(cart.lines) > 1:
            cart = till.checkout.void_line(cart, 0, manager)
        due = till.checkout.totals(cart).total_fen
        r = rnd.random()
        if due < 200:
            tenders = [Tender(TenderKind.CASH, due)] if due else []
        elif r < 0.45:
            tenders = [Tender(TenderKind.CASH, -(-due // 1000) * 1000 or 1000)]
        elif r < 0.65:
            tenders = [Tender(TenderKind.WECHAT, due, "134567890123456789")]
        elif r < 0.8:
            tenders = [Tender(TenderKind.ALIPAY, due, "284567890123456789")]
        elif r < 0.88:
            tenders = [Tender(TenderKind.UNIONPAY, due, f"U{i:06d}")]
        elif r < 0.92 and due > 2000:
            vouchers += 1
            tenders = [Tender(TenderKind.VOUCHER, 2000, f"V{vouchers:06d}"), Tender(TenderKind.CASH, due - 2000 + 500)]
        elif r < 0.93:
            tenders = [Tender(TenderKind.ACCOUNT, due, "PHGH")]
        else:
            tenders = [Tender(TenderKind.WECHAT, due // 2, "134567890123456789"), Tender(TenderKind.CASH, due - due // 2)]
        training = rnd.random() < 0.01
        try:
            done = till.checkout.complete_sale(cart, tenders, manager, training=training)
        except PosError:  # a tender this mix could not use (credit, a used reference): pay cash
            done = till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, due)] if due else [], manager,
                                               training=training)
        if not training:
            sold.append(done.sale)
        if rnd.random() < 0.02 and sold:
            sale = rnd.choice(sold)
            ln = sale.lines[0]
            qty = ln.quantity if (ln.weighed or rnd.random() < 0.5) else max(1, ln.quantity // 2)
            ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
            try:
                till.returns.return_items(sale.receipt_no, {ln.line_no: qty}, cashier, approval=ok)
            except PosError:
                pass  # already returned
        if rnd.random() < 0.004:
            till.shifts.move_cash("cash_in" if rnd.random() < 0.5 else "cash_out", 5000, "零钱", manager)
    till.shifts.close(cashier, CashCount(), keep_held=True)
    return till.closing.current_day()


_OLD_FIGURES = ("sales_count", "returns_count", "voids_count", "training_count", "void_fen", "gross_fen",
                "list_total_fen", "discount_fen", "override_fen", "gift_fen", "rounding_fen", "sales_fen", "refunds_fen",
                "cash_in_fen", "cash_out_fen")
_OLD_TABLES = (
    "CREATE TABLE fact_docs (journal_seq INTEGER, terminal_id VARCHAR, business_day VARCHAR NOT NULL, shift_no INTEGER, "
    "kind VARCHAR NOT NULL, training BOOLEAN NOT NULL, " + ", ".join(f"{c} INTEGER NOT NULL" for c in _OLD_FIGURES)
    + ", PRIMARY KEY (journal_seq, terminal_id)) WITHOUT ROWID",
    "CREATE INDEX ix_fact_docs_day ON fact_docs (business_day)",
    "CREATE TABLE fact_amounts (journal_seq INTEGER, terminal_id VARCHAR, idx INTEGER, business_day VARCHAR NOT NULL, "
    "shift_no INTEGER, dim VARCHAR NOT NULL, key TEXT NOT NULL, amount_fen INTEGER NOT NULL, "
    "PRIMARY KEY (journal_seq, terminal_id, idx)) WITHOUT ROWID",
    "CREATE INDEX ix_fact_amounts_day ON fact_amounts (business_day, dim, key, amount_fen)",
    "CREATE TABLE fact_tax (journal_seq INTEGER, terminal_id VARCHAR, idx INTEGER, business_day VARCHAR NOT NULL, "
    "shift_no INTEGER, rate VARCHAR NOT NULL, gross_fen INTEGER NOT NULL, net_fen INTEGER NOT NULL, "
    "tax_fen INTEGER NOT NULL, by_rate_fen INTEGER, PRIMARY KEY (journal_seq, terminal_id, idx)) WITHOUT ROWID",
    "CREATE INDEX ix_fact_tax_day ON fact_tax (business_day, rate, gross_fen, net_fen, tax_fen, by_rate_fen)",
)
_OLD_SUMS = ", ".join(f"SUM({c})" for c in _OLD_FIGURES)
_OLD_QUERIES = {
    "docs": f"SELECT {_OLD_SUMS} FROM fact_docs WHERE business_day = ?",
    "amounts": "SELECT dim, key, SUM(amount_fen) FROM fact_amounts WHERE business_day = ? GROUP BY dim, key ORDER BY dim, key",
    "tax": "SELECT rate, SUM(gross_fen), SUM(net_fen), SUM(tax_fen), SUM(by_rate_fen) FROM fact_tax WHERE business_day = ? "
           "GROUP BY rate ORDER BY rate",
}


def _old_write(dbapi: sqlite3.Connection, entry) -> None:  # noqa: ANN001
    """One entry's per-entry fact rows as migration 0010's tables held them (the write this replaced)."""
    from pos.domain.closing import PeriodTotals
    from pos.store.facts import COUNTED_KINDS

    if entry.kind not in COUNTED_KINDS:
        return
    p = entry.payload
    training = bool(p.get("training"))
    if training and entry.kind != "sale":
        return
    t = PeriodTotals()
    t.add(entry)
    seq, terminal, day, shift = entry.seq, entry.terminal_id, entry.business_day, p.get("shift")
    dbapi.execute(f"INSERT INTO fact_docs VALUES ({', '.join('?' * (6 + len(_OLD_FIGURES)))})",
                  (seq, terminal, day, shift, entry.kind, training, *(getattr(t, c) for c in _OLD_FIGURES)))
    amounts = [(seq, terminal, i, day, shift, dim, key, amount)
               for i, (dim, key, amount) in enumerate((dim, k, a) for dim, d in (("tender", t.by_tender),
                                                      ("category", t.by_category), ("origin", t.by_origin))
                                                      for k, a in d.items())]
    if amounts:
        dbapi.executemany("INSERT INTO fact_amounts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", amounts)
    taxes = [(seq, terminal, i, day, shift, label, r["gross"], r["net"], r["tax"], t.by_tax_rate.get(label))
             for i, (label, r) in enumerate(t.tax_by_rate.items())]
    if taxes:
        dbapi.executemany("INSERT INTO fact_tax VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", taxes)


def _per_sale_write_us(variants: dict, entries: list, rounds: int = 7) -> dict[str, float]:
    """Per entry (µs), median over ``rounds``: writing ``entries`` one by one into each variant's scratch
    database — ``variants``: name → (connection, reset, write). The variants take turns in every round,
    so a busy machine slows them alike."""
    runs: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, (conn, reset, write) in variants.items():
            reset(conn)
            t = time.perf_counter()
            for e in entries:
                write(conn, e)
            runs[name].append((time.perf_counter() - t) / len(entries))
    for conn, _reset, _write in variants.values():
        conn.commit()
        conn.close()
    return {name: statistics.median(xs) * 1e6 for name, xs in runs.items()}


def _durable_writes(variants: dict, entries: list) -> dict[str, dict[str, float]]:
    """Each entry's facts alone as a durable transaction (BEGIN IMMEDIATE, write, COMMIT) on a file of
    its own with the till's pragmas, the variants taking turns entry by entry (which goes first
    alternates): p50 µs per commit and the WAL pages each COMMIT appends. ``variants``: name → (ddl,
    write); the variant ``bare`` writes one small row (the floor of a durable commit in this run)."""
    from pos.store.writer import WAL_AUTOCHECKPOINT_PAGES

    conns, times, frames = {}, {n: [] for n in variants}, {n: [] for n in variants}
    for name, (ddl, _write) in variants.items():
        path = DATA / f"closing-durable-{name}.db"
        for p in DATA.glob(f"closing-durable-{name}.db*"):
            p.unlink()
        c = sqlite3.connect(path, isolation_level=None)
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = FULL")
        c.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        for d in ddl:
            c.execute(d)
        conns[name] = (c, Path(f"{path}-wal"))
    names = list(variants)
    for i, e in enumerate(entries):
        for name in names[i % len(names):] + names[:i % len(names)]:
            c, wal = conns[name]
            size = wal.stat().st_size if wal.exists() else 0
            t = time.perf_counter()
            c.execute("BEGIN IMMEDIATE")
            variants[name][1](c, e)
            c.execute("COMMIT")
            times[name].append(time.perf_counter() - t)
            grown = wal.stat().st_size - size
            if grown > 0:
                frames[name].append(grown // (4096 + 24))
    for name, (c, _wal) in conns.items():
        c.close()
        for p in DATA.glob(f"closing-durable-{name}.db*"):
            p.unlink()
    return {name: {"p50_us": round(statistics.median(times[name]) * 1e6, 1),
                   "wal_pages": statistics.median(frames[name]) if frames[name] else 0} for name in names}


def main() -> dict[str, dict]:
    from sqlalchemy.dialects import sqlite as dialect_module
    from sqlalchemy.schema import CreateIndex, CreateTable

    from pos.domain.closing import period_totals
    from pos.domain.ledger import EntryKind, JournalEntry
    from pos.store import facts
    from pos.store.schema import fact_figures, fact_totals
    from pos.store.totals import DAY

    dialect = dialect_module.dialect()
    ix_shift = next(iter(fact_totals.indexes))

    rnd = random.Random(14)
    ms = lambda xs: round(statistics.median(xs) * 1000, 3)  # noqa: E731
    with bench_home("closing"):
        till = _fresh_till()
        try:
            t = time.perf_counter()
            day = _trade(till, rnd)
            fill_s = time.perf_counter() - t
            path = till.db.path
            z_totals = timed(lambda: till.closing.day_totals(day), REPEAT)
            totals = till.closing.day_totals(day)

            def journal_way() -> object:
                with till.uow() as uow:
                    return period_totals(uow.closures.day_entries(day))

            journal_s = timed(journal_way, 5)
            assert journal_way() == totals, "the SQL totals differ from the journal's"

            raw = sqlite3.connect(path)
            floor = timed(lambda: raw.execute(
                "SELECT l.category, SUM(l.net_fen) FROM sale_lines AS l JOIN sales AS s ON s.receipt_no = l.receipt_no "
                "WHERE s.business_day = ? GROUP BY l.category", (day,)).fetchall(), REPEAT)
            bare_totals = timed(lambda: [raw.execute(q, (day,)).fetchall() for q in DAY], REPEAT)
            total_rows = raw.execute("SELECT (SELECT COUNT(*) FROM fact_totals WHERE business_day = ?) + "
                                     "(SELECT COUNT(*) FROM fact_figures WHERE business_day = ?)", (day, day)).fetchone()[0]
            day_entries = [JournalEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), "", "")
                           for r in raw.execute("SELECT terminal_id, seq, kind, business_day, created_at, payload "
                                                "FROM journal WHERE business_day = ? ORDER BY seq", (day,))]
            raw.close()
            sales_rows = [e for e in day_entries if e.kind == EntryKind.SALE][:2000]

            # The 0010 per-entry facts of the same day, in a scratch file beside the till's, for comparison.
            old_path = DATA / "closing-0010-facts.db"
            for p in DATA.glob("closing-0010-facts.db*"):
                p.unlink()
            old = sqlite3.connect(old_path)
            for ddl in _OLD_TABLES:
                old.execute(ddl)
            for e in day_entries:
                _old_write(old, e)
            old.commit()
            old_floor = timed(lambda: old.execute(_OLD_QUERIES["amounts"], (day,)).fetchall(), REPEAT)
            old_parts = {name: ms(timed(lambda q=q: old.execute(q, (day,)).fetchall(), REPEAT))
                         for name, q in _OLD_QUERIES.items()}
            old_rows = {name: old.execute(f"SELECT COUNT(*) FROM fact_{name} WHERE business_day = ?", (day,)).fetchone()[0]
                        for name in ("docs", "amounts", "tax")}
            old.close()
            for p in DATA.glob("closing-0010-facts.db*"):
                p.unlink()

            def scratch(*ddl: str) -> sqlite3.Connection:
                c = sqlite3.connect(":memory:")
                for d in ddl:
                    c.execute(d)
                return c

            def emptied(*tables: str):  # noqa: ANN202
                return lambda c: [c.execute(f"DELETE FROM {t}") for t in tables]

            writes = _per_sale_write_us({
                "new": (scratch(*(str(CreateTable(t).compile(dialect=dialect)) for t in (fact_figures, fact_totals)),
                                str(CreateIndex(ix_shift).compile(dialect=dialect)),
                                "CREATE TABLE shifts (shift_no INTEGER PRIMARY KEY, opened_seq INTEGER, closed_seq INTEGER)"),
                        emptied("fact_figures", "fact_totals"), facts.write),
                "0010": (scratch(*_OLD_TABLES), emptied("fact_docs", "fact_amounts", "fact_tax"), _old_write),
            }, sales_rows)
            write_us, old_write_us = writes["new"], writes["0010"]
            new_ddl = (*(str(CreateTable(t).compile(dialect=dialect)) for t in (fact_figures, fact_totals)),
                       str(CreateIndex(ix_shift).compile(dialect=dialect)),
                       "CREATE TABLE shifts (shift_no INTEGER PRIMARY KEY, opened_seq INTEGER, closed_seq INTEGER)")
            durable = _durable_writes({
                "new": (new_ddl, facts.write), "0010": (_OLD_TABLES, _old_write),
                "bare": (("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)",),
                         lambda c, e: c.execute("INSERT INTO t (payload) VALUES (?)", (e.payload["receipt_no"],))),
            }, sales_rows[:DURABLE_SALES])

            manager = till.auth.login("manager1", "2222")
            t = time.perf_counter()
            z = till.closing.z_close(manager, day)
            z_close_s = time.perf_counter() - t
            assert z.totals == totals
        finally:
            till.close()
    z_ms, floor_ms = ms(z_totals), ms(floor)
    ratio = round(z_ms / max(floor_ms, 1e-6), 2)
    results = {
        "z_closure": {
            "z_ms": z_ms, "floor_ms": floor_ms,  # what bench/report.py reads: the Z's totals and the bare GROUP BY
            "floor_what": "bare GROUP BY over the day's sale lines joined to their sales",
            "z_totals_ms": z_ms, "z_close_ms": round(z_close_s * 1000, 2), "journal_totals_ms": ms(journal_s),
            "floor_group_by_sale_lines_ms": floor_ms, "ratio": ratio,
            "bare_fact_totals_ms": ms(bare_totals), "ratio_to_bare_fact_totals": round(z_ms / max(ms(bare_totals), 1e-6), 2),
            "fact_totals_rows": total_rows,
            "old_facts_query_ms": old_parts, "floor_group_by_old_facts_ms": ms(old_floor), "old_fact_rows": old_rows,
            "ratio_z_close": round(z_close_s * 1000 / max(floor_ms, 1e-6), 2),
            "target_ms": TARGET_MS, "target_ratio": TARGET_RATIO, "sales": totals.sales_count,
            "returns": totals.returns_count,
            "facts_write_us_per_sale": round(write_us, 1), "old_facts_write_us_per_sale": round(old_write_us, 1),
            "filling_sales_per_s": round(Z_SALES / fill_s),
            # each sale's facts alone, committed durably: p50 µs and WAL pages per COMMIT (new / 0010 / a bare row)
            "facts_commit": durable,
        },
    }
    r = results["z_closure"]
    print(line(f"Z totals of a day with {totals.sales_count:,} sales", f"{z_ms:.2f} ms", f"≤ {TARGET_MS:.0f} ms",
               f"sale lines GROUP BY {floor_ms:.1f} ms", z_ms <= TARGET_MS))
    print(line("  ratio to the bare aggregate", f"×{ratio}", f"≤ ×{TARGET_RATIO}", "", ratio <= TARGET_RATIO))
    print(line(f"  bare SELECT of the {total_rows} running totals", f"{r['bare_fact_totals_ms']:.2f} ms", "",
               f"×{r['ratio_to_bare_fact_totals']}", None))
    print(line("  before (0010 facts): docs / amounts / tax", " / ".join(f"{v:.1f}" for v in old_parts.values()) + " ms",
               "", f"GROUP BY fact_amounts {r['floor_group_by_old_facts_ms']:.1f} ms", None))
    print(line("  the whole 日结 (z_close)", f"{r['z_close_ms']:.1f} ms", "", f"×{r['ratio_z_close']}", None))
    print(line("  before any facts: payloads parsed", f"{r['journal_totals_ms']:.1f} ms", "", "", None))
    print(line("  running totals written per sale", f"{write_us:.0f} µs", "< 100 µs",
               f"0010 rows {old_write_us:.0f} µs", write_us < 100))
    dn, do, db = durable["new"], durable["0010"], durable["bare"]
    print(line("  a sale's facts alone, durable commit", f"{dn['p50_us']:.0f} µs, {dn['wal_pages']:g} pages", "",
               f"0010 {do['p50_us']:.0f} µs, {do['wal_pages']:g} pages; bare row {db['p50_us']:.0f} µs", None))
    record(results)
    return results


if __name__ == "__main__":
    main()
