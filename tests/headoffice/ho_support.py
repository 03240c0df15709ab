"""Helpers for head-office tests: a real uvicorn server on loopback, tills, sales."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from sqlalchemy import Engine

from headoffice.app import create_app
from headoffice.db import open_engine
from pos.bootstrap import Till, open_till
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import Clock


@dataclass
class Server:
    url: str
    engine: Engine
    port: int


@contextmanager
def running_server(db_url: str) -> Iterator[Server]:
    """The real head-office app under uvicorn in a thread, on 127.0.0.1 and a free port."""
    engine = open_engine(db_url)
    app = create_app(engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # so asyncio turns Nagle off
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", timeout_keep_alive=5))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("head office did not start")
        time.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{port}", engine, port)
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
        engine.dispose()


def make_till(tmp_path: Path, store: str, terminal: str, clock: Clock, **cfg: object) -> Till:
    config = load_config(db=tmp_path / f"{terminal}.db", printer="dummy:", store=store, terminal=terminal, **cfg)
    return open_till(config, create=True, demo=True, clock=clock)


def cashier_of(till: Till):
    user = till.auth.login("cashier1", "1111")
    shifts = getattr(till, "shifts", None)  # tills with shifts need one open to sell
    if shifts is not None and hasattr(shifts, "ensure_open"):
        shifts.ensure_open(user)
    return user


def fast_retries(till: Till) -> None:
    till.sync.backoff_base = 0.01
    till.sync.backoff_cap = 0.05
    till.sync.max_attempts = 12


def sell(till: Till, cashier, codes: list[tuple[str, int]], *, training: bool = False):  # noqa: ANN001, ANN201
    cart = Cart()
    for code, qty in codes:
        cart = cart.add(till.lookup.find(code), qty)
    total = till.checkout.totals(cart).total_fen
    return till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, total)], cashier, training=training)


def enrol_over_http(srv: Server, terminal: str, store: str = "MX") -> bytes:
    """Add a terminal and redeem its code through the real enrolment API; the till's key."""
    import httpx

    from headoffice import service

    code = service.add_terminal(srv.engine, store, terminal).code
    r = httpx.post(f"{srv.url}/api/v1/enroll", json={"terminal_id": terminal, "store": store, "code": code})
    assert r.status_code == 200, r.text
    return bytes.fromhex(r.json()["secret"])
