"""``headoffice demo``: a head office with something to look at — office accounts and two demo
counters (茂县专柜 MX01 in Pinghu, 平茂连心馆 PM01 in Maoxian) that received two 山海快车 delivery
batches each (with 合格证 numbers), sold from them, closed their shifts and took their Z every day
of a month, then synced through the real API.

The tills are real (their own SQLite ledgers under ``<data dir>/headoffice-demo/``, their own
keys in files there); they run on a clock set to each sale's time and talk to head office over
loopback, exactly as a counter would. Nothing here is used by the service itself.
"""

from __future__ import annotations

import os
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

DEMO_PASSWORD = "lianxin-demo-2026"
ACCOUNTS = (("admin", "管理员 李主任", "admin,auditor"), ("fenxi", "分析 王芳", "analyst"),
            ("zhushuju", "主数据 陈刚", "master_data"), ("shenji", "审计 赵敏", "auditor"))
COUNTERS = (("MX", "MX01"), ("PM", "PM01"))
SHANGHAI = timedelta(hours=8)


class _Clock:
    """The till's clock: wherever the demo puts it (a sale's time), moving a second per reading."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


@contextmanager
def _server(engine: Engine) -> Iterator[str]:
    import uvicorn

    from .app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # so asyncio turns Nagle off
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(engine), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


@dataclass(frozen=True)
class DemoReport:
    accounts: tuple[str, ...]
    sales: int
    returns: int
    days: int
    folder: Path


def _count_for(amount_fen: int):  # noqa: ANN202
    from pos.domain.closing import DENOMINATIONS_FEN, CashCount

    pieces, rest = [], amount_fen
    for d in DENOMINATIONS_FEN:
        n, rest = divmod(rest, d)
        if n:
            pieces.append((d, n))
    return CashCount(tuple(pieces))


def seed(engine: Engine, *, first_day: date, days: int, sales_per_day: int, folder: Path, seed_value: int = 2026,
         progress: Callable[[str], None] = lambda _m: None) -> DemoReport:
    """Fill ``engine``'s head office with accounts and a month of two counters' trading."""
    import csv

    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.domain.cart import Cart
    from pos.domain.permissions import Action
    from pos.domain.tenders import Tender, TenderKind
    from pos.services.setup import demo_catalog_files

    from . import accounts, service

    rnd = random.Random(seed_value)
    made = []
    for login, name, roles in ACCOUNTS:
        try:
            accounts.create_account(engine, login, name, DEMO_PASSWORD, roles, by="demo")
            made.append(login)
        except service.HeadOfficeError:
            pass  # already there from an earlier demo
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["LIANXIN_HOME"] = str(folder)  # the demo tills' keys stay in the demo folder
    os.environ["LIANXIN_SYNC_SECRETS"] = "file"
    n_sales = n_returns = 0
    start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC) - SHANGHAI
    with _server(engine) as url:
        for store, terminal in COUNTERS:
            db = folder / f"{terminal}.db"
            if db.exists():
                progress(f"{terminal}: already in {db}, kept")
                continue
            clock = _Clock(start + timedelta(hours=8))
            till = open_till(load_config(db=db, printer="dummy:", store=store, terminal=terminal), create=True,
                             demo=True, demo_stock=True, clock=clock)  # with two 山海快车 batches received
            try:
                issued = service.add_terminal(engine, store, terminal, reissue=True)
                till.sync.enroll(url, issued.code)
                with demo_catalog_files()[store].open(encoding="utf-8") as f:
                    products = [till.lookup.find(r["sku"]) for r in csv.DictReader(f) if r.get("active", "yes") == "yes"]
                for d in range(days):
                    opening = start + timedelta(days=d, hours=9)
                    clock.at = opening
                    cashier = till.auth.login("cashier1", "1111")
                    manager = till.auth.login("manager1", "2222")
                    till.shifts.open(cashier, _count_for(30000))
                    receipts = []
                    for k in range(sales_per_day + rnd.randint(-sales_per_day // 3, sales_per_day // 3)):
                        clock.at = opening + timedelta(minutes=10 + k * 600 // max(1, sales_per_day))
                        cart = Cart()
                        for p in rnd.sample(products, rnd.randint(1, 3)):
                            qty = rnd.randint(300, 2500) if p.weighed else rnd.randint(1, 2)
                            cart = cart.add(p, qty)
                        total = till.checkout.totals(cart).total_fen
                        kind = rnd.choices([TenderKind.CASH, TenderKind.WECHAT, TenderKind.ALIPAY], [3, 4, 2])[0]
                        ref = None if kind is TenderKind.CASH else "".join(rnd.choice("0123456789") for _ in range(18))
                        tender = Tender(kind, total, ref) if ref else Tender(kind, total)
                        done = till.checkout.complete_sale(cart, [tender], cashier)
                        receipts.append(done.sale.receipt_no)
                        n_sales += 1
                    if receipts and rnd.random() < 0.3:
                        ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
                        till.returns.return_items(rnd.choice(receipts), {1: 1}, cashier, approval=ok)
                        n_returns += 1
                    clock.at = opening + timedelta(hours=11)
                    expected = till.shifts.x_report().expected_cash_fen
                    off = rnd.choice([0, 0, 0, 0, -100, 50, -1000])  # now and then the drawer is a little off
                    till.shifts.close(cashier, _count_for(max(0, expected + off)))
                    till.closing.z_close(manager)
                    if d % 7 == 6 or d == days - 1:
                        till.sync.run_cycle()
                    progress(f"{terminal}: {(first_day + timedelta(days=d)).isoformat()} closed")
            finally:
                till.close()
    return DemoReport(tuple(made), n_sales, n_returns, days, folder)
