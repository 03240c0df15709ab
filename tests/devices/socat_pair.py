"""socat pseudo-terminal pairs: a real pair of tty paths for serial device tests."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


class SocatPair:
    """Two linked pseudo-terminals made by ``socat``: the till opens ``a``, the test plays the
    device on ``b``. ``stop()`` is an unplug (socat removes the links), ``start()`` a replug."""

    def __init__(self, folder: Path) -> None:
        self.a = folder / "tty-till"
        self.b = folder / "tty-device"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> SocatPair:
        self.proc = subprocess.Popen(
            ["socat", "-d", "-d", f"pty,raw,echo=0,link={self.a}", f"pty,raw,echo=0,link={self.b}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while not (self.a.exists() and self.b.exists()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("socat did not make its pty pair")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        for link in (self.a, self.b):  # socat removes them on SIGTERM; make sure
            if link.is_symlink() and not link.exists():
                link.unlink()

    def device(self, **settings: object):  # noqa: ANN201 - a serial.Serial on the device end
        import serial

        settings.setdefault("timeout", 1.0)
        return serial.Serial(str(self.b), **settings)
