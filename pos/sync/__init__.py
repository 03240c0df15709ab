"""Head-office client adapters: request signing, the secret store, the cycle lock, the HTTP transport.

The sync *use case* lives in :mod:`pos.services.sync`; this package holds what talks to the
outside world (HTTP, OS keyring, files, locks). ``build_sync_service(till)`` wires them;
``till`` is anything with the parts of :class:`pos.services.ports.TillParts` (``pos.bootstrap.Till``
is one), so this package never imports ``pos.bootstrap``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from pos.services.ports import TillParts
    from pos.services.sync import SyncService


def build_sync_service(till: TillParts) -> SyncService:
    """The till's sync service: HTTP transport, secret store and lock next to the database."""
    from pos.security import Argon2PinHasher, load_or_create_device_secret
    from pos.services.sync import SyncService

    from .lock import FileCycleLock
    from .secrets import default_secret_store

    cfg = till.config
    return SyncService(
        uow=till.uow,
        reader=till.db.reader,
        identity=till.identity,
        clock=till.clock,
        secrets=default_secret_store(till.identity.terminal_id),
        transport_factory=ReportingTransport(till_report_of(till)),
        lock=FileCycleLock(lock_path_for(till.db.path)),
        hasher_factory=lambda: Argon2PinHasher(load_or_create_device_secret(cfg.device_key)),
        configured_url=getattr(cfg, "sync_url", None),
        batch_size=getattr(cfg, "sync_batch_size", 2000),
        on_settings_changed=till.checkout.reload_settings,
        member_key_path=Path(cfg.member_key),
    )


def till_report_of(till: TillParts) -> Callable[[], dict[str, Any]]:
    """What the till says about itself with each batch: its version, its newest journal seq, its clock."""
    from sqlalchemy import func, select

    from pos import __version__
    from pos.services.ports import utc_iso
    from pos.store.schema import journal

    def report() -> dict[str, Any]:
        with till.db.reader.connect() as conn:
            head = conn.execute(select(func.max(journal.c.seq))
                                .where(journal.c.terminal_id == till.identity.terminal_id)).scalar()
        return {"version": __version__[:32], "head_seq": int(head or 0), "sent_at": utc_iso(till.clock.now())}

    return report


class ReportingTransport:
    """A transport factory (see pos.services.sync.TransportFactory) whose transports send ``report()``
    as the ``till`` object of every batch."""

    def __init__(self, report: Callable[[], dict[str, Any]]) -> None:
        self._report = report

    def __call__(self, base_url: str, terminal_id: str, secret: bytes, **kw: Any):  # noqa: ANN204
        from .transport import HttpTransport

        return HttpTransport(base_url, terminal_id, secret, till_report=self._report, **kw)

    @staticmethod
    def enroll(base_url: str, terminal_id: str, store_code: str, code: str, **kw: Any) -> dict[str, Any]:
        from .transport import HttpTransport

        return HttpTransport.enroll(base_url, terminal_id, store_code, code, **kw)


def lock_path_for(db_path):  # noqa: ANN001, ANN201
    from pathlib import Path

    p = Path(db_path)
    return p.with_name(p.name + ".sync.lock")
