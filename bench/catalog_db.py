"""The big catalogue every till benchmark uses: built once per machine into bench/.data/."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from .common import CATALOG_SIZE, DATA, generate_products

VERSION = "1"


def db_path() -> Path:
    return DATA / f"catalog-{CATALOG_SIZE}.db"


def config(path: Path | None = None):  # noqa: ANN201
    from pos.config import load_config

    return load_config(db=path or db_path(), printer="dummy:", device_key=DATA / "device.key")


def ensure_catalog() -> tuple[Path, float | None]:
    """The database with CATALOG_SIZE products (plus the demo store); seconds spent building, or None if reused."""
    from pos.bootstrap import open_till
    from pos.services.ports import FixedClock

    path = db_path()
    if path.exists():
        till = open_till(config(path))
        try:
            with till.uow() as uow:
                if uow.meta.get("bench_catalog") == f"{VERSION}:{CATALOG_SIZE}":
                    return path, None
        finally:
            till.close()
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
    DATA.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    till = open_till(config(path), create=True, demo=True, clock=FixedClock(datetime(2026, 11, 22, 1, tzinfo=UTC)))
    try:
        till.catalog.apply(list(generate_products(CATALOG_SIZE)), source="bench", digest="bench", store_code="MX")
        with till.uow() as uow:
            uow.meta.set("bench_catalog", f"{VERSION}:{CATALOG_SIZE}")
            uow.commit()
    finally:
        till.close()
    return path, time.perf_counter() - t
