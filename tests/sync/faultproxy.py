"""A fault-injecting TCP proxy for tests, on 127.0.0.1 only (threads, bounded, stops by itself).

It sits between the till and head office and, following a fixed schedule per HTTP exchange
(a request is the bytes the client sends before the server answers), does one of:

- ``ok``: pass it through;
- ``delay``: wait a little before passing the request on;
- ``reset``: forward part of the request, then reset both connections (RST) — nothing committed;
- ``drop``: pass the request, let head office answer (so it has committed), then close the
  client's connection without passing the answer on — the till must resend and get the same ack.
"""

from __future__ import annotations

import itertools
import socket
import struct
import threading
import time
from collections import Counter

DEFAULT_SCHEDULE = ("drop", "ok", "reset", "delay", "ok", "drop", "delay", "reset", "ok", "ok")


def _rst(sock: socket.socket) -> None:
    """Abort a connection. shutdown() first: it wakes a recv() blocked on the socket in the other thread."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class FaultProxy:
    def __init__(self, upstream_port: int, schedule: tuple[str, ...] = DEFAULT_SCHEDULE, *, delay_s: float = 0.15,
                 max_connections: int = 5000, lifetime_s: float = 300.0) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self._schedule = itertools.cycle(schedule)
        self._lock = threading.Lock()
        self.delay_s = delay_s
        self.counts: Counter[str] = Counter()
        self._max_connections = max_connections
        self._deadline = time.monotonic() + lifetime_s
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept_thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._accept_thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._accept_thread.join(5)
        self._listener.close()
        for t in self._threads:
            t.join(5)

    def _next_fault(self) -> str:
        with self._lock:
            fault = next(self._schedule)
            self.counts[fault] += 1
            return fault

    def _accept(self) -> None:
        accepted = 0
        while not self._stop.is_set() and accepted < self._max_connections and time.monotonic() < self._deadline:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted += 1
            t = threading.Thread(target=self._serve, args=(client,), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            _rst(client)
            return
        client.settimeout(30)
        upstream.settimeout(30)
        state = {"phase": "response", "fault": "ok", "closed": False}
        guard = threading.Lock()

        def close_both(reset: bool) -> None:
            with guard:
                if state["closed"]:
                    return
                state["closed"] = True
            (_rst if reset else _safe_close)(client)
            _rst(upstream) if reset else _safe_close(upstream)

        def client_to_upstream() -> None:
            try:
                while not self._stop.is_set():
                    data = client.recv(65536)
                    if not data:
                        break
                    if state["phase"] == "response":  # a new request starts
                        state["phase"] = "request"
                        state["fault"] = self._next_fault()
                        if state["fault"] == "delay":
                            time.sleep(self.delay_s)
                        elif state["fault"] == "reset":
                            upstream.sendall(data[: len(data) // 2])
                            close_both(reset=True)
                            return
                    upstream.sendall(data)
            except OSError:
                pass
            close_both(reset=False)

        def upstream_to_client() -> None:
            try:
                while not self._stop.is_set():
                    data = upstream.recv(65536)
                    if not data:
                        break
                    if state["phase"] == "request":
                        state["phase"] = "response"
                        if state["fault"] == "drop":  # head office has answered, so it has committed
                            close_both(reset=True)
                            return
                    client.sendall(data)
            except OSError:
                pass
            close_both(reset=False)

        t = threading.Thread(target=upstream_to_client, daemon=True)
        t.start()
        client_to_upstream()
        t.join(35)


def _safe_close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
