"""PIN hashing with argon2id and a per-device secret kept outside the database.

The PIN is first keyed with HMAC-SHA256 under the device secret, then hashed with argon2id.
A copy of the database alone therefore cannot be used to test PIN guesses: the secret lives in
the user's config directory (or ``device_key`` in the config file), readable only by the user.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pos.domain.errors import PosError


class DeviceSecretError(PosError):
    code = "device_secret"


def load_or_create_device_secret(path: Path) -> bytes:
    """Read the device secret, creating it (mode 0600) on first use."""
    path = Path(path)
    if path.exists():
        try:
            text = path.read_text(encoding="ascii").strip()
            secret = bytes.fromhex(text)
        except (OSError, ValueError) as exc:
            raise DeviceSecretError(
                f"the device key {path} cannot be read ({exc})", message_zh=f"设备密钥 {path} 无法读取"
            ) from exc
        if len(secret) < 32:
            raise DeviceSecretError(f"the device key {path} is damaged", message_zh=f"设备密钥 {path} 已损坏")
        return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret.hex())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return secret


class Argon2PinHasher:
    # OWASP's argon2id minimum (19 MiB, t=2): ~30 ms a check here, slow enough for guessing.
    def __init__(self, device_secret: bytes) -> None:
        self._secret = device_secret
        self._ph = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

    def _keyed(self, pin: str) -> str:
        return hmac.new(self._secret, pin.encode(), hashlib.sha256).hexdigest()

    def hash(self, pin: str) -> str:
        return self._ph.hash(self._keyed(pin))

    def verify(self, pin_hash: str, pin: str) -> bool:
        try:
            return self._ph.verify(pin_hash, self._keyed(pin))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
