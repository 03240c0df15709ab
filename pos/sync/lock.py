"""The cross-process guard that keeps the CLI and the till from syncing the same database at once.

An OS file lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on a file next to the
database. The operating system drops it when the process dies, so a crash never leaves a stale
lock behind. Non-blocking: a second cycle is told "already running" at once.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


class FileCycleLock:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._guard = threading.Lock()

    def acquire(self) -> bool:
        with self._guard:
            if self._fd is not None:
                return False
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if os.name == "nt":  # pragma: no cover - Windows tills
                    import msvcrt

                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                else:
                    import fcntl

                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
            try:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            except OSError:
                pass
            self._fd = fd
            return True

    def release(self) -> None:
        with self._guard:
            if self._fd is None:
                return
            fd, self._fd = self._fd, None
            try:
                if os.name == "nt":  # pragma: no cover
                    import msvcrt

                    os.lseek(fd, 0, 0)
                    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
                else:
                    import fcntl

                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
