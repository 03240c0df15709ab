"""The unit-of-work port the services use (the SQLite one lives in pos.store.uow)."""

from __future__ import annotations

from collections.abc import Callable

from pos.store.uow import SqlUnitOfWork

UnitOfWorkFactory = Callable[[], SqlUnitOfWork]
