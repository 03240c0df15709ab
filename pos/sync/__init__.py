"""Head-office client adapters: request signing, the secret store, the cycle lock, the HTTP transport.

The sync *use case* lives in :mod:`pos.services.sync`; this package holds what talks to the
outside world (HTTP, OS keyring, files, locks). ``build_sync_service(till)`` wires them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from pos.bootstrap import Till
    from pos.services.sync import SyncService


def build_sync_service(till: Till) -> SyncService:
    """The till's sync service: HTTP transport, secret store and lock next to the database."""
    from pos.security import Argon2PinHasher, load_or_create_device_secret
    from pos.services.sync import SyncService

    from .lock import FileCycleLock
    from .secrets import default_secret_store
    from .transport import HttpTransport

    cfg = till.config
    return SyncService(
        uow=till.uow,
        reader=till.db.reader,
        identity=till.identity,
        clock=till.clock,
        secrets=default_secret_store(till.identity.terminal_id),
        transport_factory=HttpTransport,
        lock=FileCycleLock(lock_path_for(till.db.path)),
        hasher_factory=lambda: Argon2PinHasher(load_or_create_device_secret(cfg.device_key)),
        configured_url=getattr(cfg, "sync_url", None),
        batch_size=getattr(cfg, "sync_batch_size", 500),
        on_settings_changed=till.checkout.reload_settings,
    )


def lock_path_for(db_path):  # noqa: ANN001, ANN201
    from pathlib import Path

    p = Path(db_path)
    return p.with_name(p.name + ".sync.lock")
