"""The crash test's child: rings up sales on a real SQLite file until it is killed.

    python tests/crash/child.py DB SEED      one life in a fresh interpreter
    python tests/crash/child.py --server     a fork server: imports once, then for each stdin line
                                             "go DB SEED" forks one life and reports when it ends

A life opens the till with the real ``open_till`` (WAL, synchronous=FULL) and calls
``checkout.complete_sale`` in a loop. Every line it prints is one ``os.write`` (atomic on a pipe,
no buffer to lose):

    READY <pid>                      the till is open
    C <pid> <receipt_no> <seq>       complete_sale returned, i.e. after the commit
    E <pid> <message>                a sale was refused (the test fails on these)

The fork server exists because a fresh interpreter spends ~0.5 s importing SQLAlchemy and the
services; a forked life starts in ~20 ms, so CI can afford hundreds of kills. The server never
opens the database itself, so each forked life starts with no SQLite state, like a new process.
It answers "PID <pid>" after forking and "EXIT <pid> <status>" once the life has ended.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pos.bootstrap import open_till  # noqa: E402
from pos.config import load_config  # noqa: E402
from pos.domain.cart import Cart  # noqa: E402
from pos.domain.errors import PosError  # noqa: E402
from pos.domain.tenders import Tender, TenderKind  # noqa: E402
from pos.domain.users import Role, User  # noqa: E402


def out(line: str) -> None:
    os.write(1, (line + "\n").encode())


def life(db: str, seed: int) -> None:
    rng = random.Random(seed)
    pid = os.getpid()
    till = open_till(load_config(db=db, printer="dummy:"))
    # The crash test is about the store, not PINs: skip the argon2 login and sell as cashier1.
    cashier = User("cashier1", "张小芳", Role.CASHIER)
    shifts = getattr(till, "shifts", None)
    if shifts is not None and shifts.current() is None:
        from pos.domain.closing import CashCount

        shifts.open(cashier, CashCount())
    from sqlalchemy import text

    with till.db.reader.connect() as c:
        codes = [r[0] for r in c.execute(text(
            "SELECT barcode FROM products WHERE store_code = 'MX' AND barcode IS NOT NULL AND active ORDER BY sku"))]
    products = [till.lookup.find(code) for code in codes]
    products = [p for p in products if not getattr(p, "weighed", False)]
    out(f"READY {pid}")
    while True:
        cart = Cart()
        for _ in range(rng.randint(1, 4)):
            cart = cart.add(rng.choice(products), rng.randint(1, 3))
        total = till.checkout.totals(cart).total_fen
        if rng.random() < 0.3 and total > 100:
            part = rng.randint(1, total - 1)
            tenders = [Tender(TenderKind.WECHAT, part, f"W{rng.randrange(10**12):012d}"),
                       Tender(TenderKind.CASH, total - part + rng.choice((0, 0, 50, 1000)))]
        else:
            tenders = [Tender(TenderKind.CASH, total + rng.choice((0, 10, 100, 5000)))]
        try:
            done = till.checkout.complete_sale(cart, tenders, cashier)
        except PosError as exc:
            out(f"E {pid} {exc.message}")
            continue
        out(f"C {pid} {done.sale.receipt_no} {done.seq}")


def serve() -> None:
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != "go":
            continue
        db, seed = parts[1], int(parts[2])
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                life(db, seed)
            except BaseException as exc:  # noqa: BLE001 - report, never fall back into the server loop
                out(f"E {os.getpid()} {type(exc).__name__}: {exc}".replace("\n", " "))
                code = 3
            os._exit(code)
        out(f"PID {pid}")
        _, status = os.waitpid(pid, 0)
        out(f"EXIT {pid} {status}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--server"]:
        serve()
    else:
        life(sys.argv[1], int(sys.argv[2]))
