"""A network receipt printer on 127.0.0.1 for tests: answers DLE EOT status queries (or not),
keeps the job bytes, and can drop the connection in the middle of a receipt.

Written from the ESC/POS command reference, independently of ``printers`` (no shared code).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass, field

READY = {1: 0x12, 2: 0x12, 4: 0x12}  # online, cover closed, paper adequate


@dataclass
class Connection:
    data: bytearray = field(default_factory=bytearray)  # everything but the status queries
    queries: list[int] = field(default_factory=list)


class FakeNetworkPrinter:
    """``mode``: ``answer`` (reply to DLE EOT n with ``answers[n]``), ``silent`` (never reply),
    ``drop`` (read ``drop_after`` job bytes, then close the socket with the rest unread)."""

    def __init__(self, mode: str = "answer", answers: dict[int, int] | None = None, drop_after: int = 200) -> None:
        self.mode = mode
        self.answers = dict(READY if answers is None else answers)
        self.drop_after = drop_after
        self.connections: list[Connection] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    @property
    def jobs(self) -> list[bytes]:
        """The non-status bytes of each connection that carried any."""
        return [bytes(c.data) for c in self.connections if c.data]

    @property
    def queries(self) -> list[int]:
        return [q for c in self.connections for q in c.queries]

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            record = Connection()
            self.connections.append(record)
            t = threading.Thread(target=self._serve, args=(conn, record), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket, record: Connection) -> None:
        conn.settimeout(0.2)
        pending = b""
        with conn:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(64)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                pending += chunk
                while pending:
                    if pending.startswith(b"\x10\x04"):
                        if len(pending) < 3:
                            break
                        n = pending[2]
                        record.queries.append(n)
                        pending = pending[3:]
                        if self.mode != "silent" and n in self.answers:
                            conn.sendall(bytes([self.answers[n]]))
                        continue
                    cut = pending.find(b"\x10\x04", 1)
                    take = pending if cut < 0 else pending[:cut]
                    if cut < 0 and pending.endswith(b"\x10"):
                        take = pending[:-1]
                    if not take:
                        break
                    record.data += take
                    pending = pending[len(take):]
                    if self.mode == "drop" and len(record.data) >= self.drop_after:
                        record.data = record.data[: self.drop_after]
                        # Unread bytes in the receive buffer: closing now sends a reset.
                        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        return

    def wait_for_bytes(self, count: int, timeout: float = 3.0) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = b"".join(self.jobs)
            if len(data) >= count:
                return data
            time.sleep(0.01)
        return b"".join(self.jobs)

    def close(self) -> None:
        self._stop.set()
        self._accepter.join(2)
        for t in self._threads:
            t.join(2)
        self.sock.close()

    def __enter__(self) -> FakeNetworkPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
