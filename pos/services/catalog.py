"""Importing a catalogue file: validated whole, applied in one transaction, journaled."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pos.catalog_files import read_catalog_file
from pos.domain.catalog import Product
from pos.domain.catalog_import import RowError, validate_rows
from pos.domain.errors import InvalidInput
from pos.domain.ledger import EntryKind

from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory


class CatalogRejected(InvalidInput):
    """The file had bad rows; nothing was imported. ``errors`` lists the first problems (at most
    50, see pos.domain.catalog_import.MAX_LISTED_PROBLEMS) and ``more`` counts the rest."""

    code = "catalog_rejected"

    def __init__(self, errors: list[RowError], file: Path, *, more: int = 0) -> None:
        self.errors = errors
        self.more = more
        total = len(errors) + more
        super().__init__(
            f"{file.name}: {total} problem(s); nothing was imported",
            message_zh=f"{file.name}：发现 {total} 处错误，未导入任何商品",
        )


@dataclass(frozen=True, slots=True)
class ImportReport:
    file: str
    products: int
    added: int
    updated: int
    price_changes: int


class CatalogService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till

    def import_file(self, path: Path, *, store_code: str | None = None) -> ImportReport:
        """Import ``path`` for ``store_code`` (default: this till's store). All rows or none."""
        path = Path(path)
        file = read_catalog_file(path)
        result = validate_rows(file.header, file.rows, header_row=file.header_row)
        if result.errors:
            raise CatalogRejected(list(result.errors), path, more=result.more_errors)
        return self.apply(list(result.products), source=path.name, digest=hashlib.sha256(path.read_bytes()).hexdigest(),
                          store_code=store_code or self._till.store_code, components=result.components)

    def apply(self, items: list[Product], *, source: str, digest: str, store_code: str,
              components: Mapping[str, tuple[tuple[str, int], ...]] | None = None) -> ImportReport:
        now = self._clock.now()
        with self._uow() as uow:
            existing = uow.products.prices_by_sku(p.sku for p in items)
            owners = uow.products.barcode_owners(p.barcode for p in items if p.barcode)
            clashes = [
                RowError(0, "barcode", f"barcode {p.barcode} already belongs to product {owners[p.barcode]}",
                         f"条码 {p.barcode} 已属于商品 {owners[p.barcode]}")
                for p in items if p.barcode and owners.get(p.barcode, p.sku) != p.sku
            ]
            if clashes:
                raise CatalogRejected(clashes, Path(source))
            changes = [
                {"sku": p.sku, "old": existing[p.sku][0], "new": p.price_fen}
                for p in items if p.sku in existing and existing[p.sku][0] != p.price_fen
            ]
            uow.products.upsert_many(items, store_code, utc_iso(now))
            missing = [
                RowError(0, "components", f"gift box {box}: component {sku} is not in the catalogue",
                         f"礼盒 {box} 的组成商品 {sku} 不在商品目录中")
                for box, parts in (components or {}).items() for sku, _q in parts if uow.products.by_sku(sku) is None
            ]
            if missing:
                raise CatalogRejected(missing, Path(source))
            for box, parts in (components or {}).items():
                uow.bundles.put(box, [(sku, qty, None) for sku, qty in parts])
            added = sum(1 for p in items if p.sku not in existing)
            uow.journal.append(
                EntryKind.CATALOG_IMPORT,
                business_day=uow.business_day(now),
                created_at=utc_iso(now),
                payload={"source": source, "sha256": digest, "store": store_code, "products": len(items),
                         "added": added, "updated": len(items) - added, "price_changes": changes[:1000],
                         "price_change_count": len(changes)},
            )
            uow.commit()
        return ImportReport(source, len(items), added, len(items) - added, len(changes))
