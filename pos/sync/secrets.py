"""Where the till keeps its head-office secret: the OS keyring if there is a usable one, else a file.

The secret never goes into the till's database, so a copy of the database cannot be used to
impersonate the till. The file fallback lives in the config directory (``sync-<terminal>.secret``),
is created with mode 0600 and replaced atomically, like the device key (pos/security.py).

``LIANXIN_SYNC_SECRETS=file`` forces the file even where a keyring exists (tests, kiosks where
the keyring is locked until someone logs in to the desktop).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Protocol

from pos.config import config_dir
from pos.domain.errors import PosError

log = logging.getLogger("lianxin.sync")

KEYRING_SERVICE = "lianxin-pos-sync"


class SecretStoreError(PosError):
    code = "sync_secret"


class SecretStore(Protocol):
    where: str

    def get(self) -> bytes | None: ...

    def set(self, secret: bytes) -> None: ...

    def delete(self) -> None: ...


class FileSecretStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.where = str(self.path)

    def get(self) -> bytes | None:
        if not self.path.exists():
            return None
        try:
            secret = bytes.fromhex(self.path.read_text(encoding="ascii").strip())
        except (OSError, ValueError) as exc:
            raise SecretStoreError(f"the head-office key {self.path} cannot be read ({exc}); enrol the till again",
                                   message_zh=f"总部同步密钥 {self.path} 无法读取，请重新登记本机") from exc
        if len(secret) < 32:
            raise SecretStoreError(f"the head-office key {self.path} is damaged; enrol the till again",
                                   message_zh=f"总部同步密钥 {self.path} 已损坏，请重新登记本机")
        return secret

    def set(self, secret: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secret.hex())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


class KeyringSecretStore:
    def __init__(self, keyring_module, terminal_id: str) -> None:  # noqa: ANN001
        self._kr = keyring_module
        self._user = terminal_id
        self.where = f"OS keyring ({KEYRING_SERVICE}/{terminal_id})"

    def get(self) -> bytes | None:
        value = self._kr.get_password(KEYRING_SERVICE, self._user)
        return bytes.fromhex(value) if value else None

    def set(self, secret: bytes) -> None:
        self._kr.set_password(KEYRING_SERVICE, self._user, secret.hex())

    def delete(self) -> None:
        try:
            self._kr.delete_password(KEYRING_SERVICE, self._user)
        except Exception:  # noqa: BLE001 - absent already
            pass


def _usable_keyring():  # noqa: ANN202
    try:
        import keyring  # optional dependency: pip install keyring
        from keyring.backends import fail
    except Exception:  # noqa: BLE001 - not installed or broken: use the file
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) < 1:
        return None
    return keyring


def secret_file(terminal_id: str) -> Path:
    return config_dir() / f"sync-{terminal_id}.secret"


def default_secret_store(terminal_id: str) -> SecretStore:
    if os.environ.get("LIANXIN_SYNC_SECRETS", "").lower() != "file":
        kr = _usable_keyring()
        if kr is not None:
            return KeyringSecretStore(kr, terminal_id)
    return FileSecretStore(secret_file(terminal_id))
