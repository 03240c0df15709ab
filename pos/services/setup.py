"""Creating a till's database and seeding the demo store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pos.domain.errors import InvalidInput
from pos.domain.ledger import EntryKind
from pos.domain.users import Role
from pos.store.repositories import AccountRecord, StoreRecord

from .ports import Clock, PinHasher, utc_iso
from .uow import UnitOfWorkFactory

DEMO_DIR = Path(__file__).resolve().parents[2] / "resources" / "demo"

DEMO_STORES = (
    StoreRecord("MX", "金平湖鲜到家", "茂县专柜", "浙江省平湖市当湖街道"),
    StoreRecord("PM", "平茂连心馆", "茂县凤仪店", "四川省阿坝州茂县凤仪镇"),
)
# Institutions that buy on account (机关单位挂账): 疗休养 groups, the partner supply co-op.
DEMO_ACCOUNTS = (
    AccountRecord("PHGH", "平湖市总工会（疗休养）", 5_000_000, True),
    AccountRecord("MXGXS", "茂县供销合作社", 2_000_000, True),
)
# 抹零 per store: the Pinghu counter drops the fen, the Maoxian one rounds nothing.
DEMO_ROUNDING = {"MX": "drop_fen", "PM": "none"}
DEMO_USERS = (
    ("cashier1", "张小芳", Role.CASHIER, "1111"),
    ("manager1", "李建国", Role.MANAGER, "2222"),
    ("accountant1", "王会计", Role.ACCOUNTANT, "3333"),
    ("admin", "系统管理员", Role.ADMIN, "9999"),
)


@dataclass(frozen=True, slots=True)
class InitReport:
    store: str
    terminal: str
    created: bool
    demo_products: int


def initialize(uow_factory: UnitOfWorkFactory, *, store: str, terminal: str, clock: Clock) -> bool:
    """Bind the database to ``store``/``terminal``; True if it was new. A database belongs to one terminal."""
    now = clock.now()
    with uow_factory() as uow:
        bound = uow.meta.get("terminal_id")
        if bound is not None:
            if bound != terminal or uow.meta.get("store_code") != store:
                raise InvalidInput(
                    f"this database belongs to terminal {bound} of store {uow.meta.get('store_code')}; "
                    f"it cannot become {terminal} of {store}",
                    message_zh=f"该数据库属于 {uow.meta.get('store_code')} 门店的 {bound} 号收银机，不能改为 {terminal}",
                )
            return False
        uow.meta.set("store_code", store)
        uow.meta.set("terminal_id", terminal)
        if uow.stores.get(store) is None:
            known = {s.code: s for s in DEMO_STORES}
            uow.stores.put(known.get(store, StoreRecord(store, store, store, "")))
        uow.journal.append(
            EntryKind.TERMINAL_INIT, business_day=now.date().isoformat(), created_at=utc_iso(now),
            payload={"store": store, "terminal": terminal},
        )
        uow.commit()
    return True


def seed_demo_people(uow_factory: UnitOfWorkFactory, hasher: PinHasher, clock: Clock) -> None:
    now = utc_iso(clock.now())
    with uow_factory() as uow:
        for s in DEMO_STORES:
            uow.stores.put(s)
        for login, name, role, pin in DEMO_USERS:
            if uow.users.get(login) is None:
                uow.users.add(login, name, role.value, hasher.hash(pin), now)
        for acct in DEMO_ACCOUNTS:
            uow.accounts.put(acct)
        for store, mode in DEMO_ROUNDING.items():
            uow.meta.set(f"rounding:{store}", mode)
        uow.meta.set("demo", "1")
        uow.commit()


def demo_catalog_files() -> dict[str, Path]:
    return {s.code: DEMO_DIR / f"catalog_{s.code}.csv" for s in DEMO_STORES}


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Two 山海快车 delivery batches per demo counter (issue 15), received through the stock service at
# set-up: fresh goods with their 承诺达标合格证 numbers, beef with its quarantine certificate. Dates are
# relative to the day the demo is made (the older batch a week back, so a lot is near its expiry).
# (sku, quantity: kg for weighed goods or units, unit cost in fen, expiry days after arrival, origin,
#  合格证, quarantine)
DEMO_BATCHES: dict[str, tuple[tuple[str, int, tuple[tuple[str, str, int, int, str, str, str], ...]], ...]] = {
    "MX": (
        ("SHKC-2026-47", 8, (
            ("MX-F001", "50", 635, 10, "茂县", "HG5132-2026-1107", ""),
            ("MX-F004", "20", 1650, 9, "茂县", "HG5132-2026-1108", ""),
            ("MX-E001", "20", 4200, 20, "松阳", "HG3311-2026-0412", ""),
            ("MX-M001", "15", 6800, 10, "松阳", "HG3311-2026-0413", "3311-JY-2026-004721"),
        )),
        ("SHKC-2026-48", 1, (
            ("MX-F001", "30", 710, 14, "茂县", "HG5132-2026-1121", ""),
            ("MX-E001", "30", 4200, 21, "松阳", "HG3311-2026-0498", ""),
            ("MX-M001", "12", 6900, 7, "松阳", "HG3311-2026-0499", "3311-JY-2026-005102"),
            ("MX-M003", "18", 3200, 5, "松阳", "HG3311-2026-0500", ""),
            ("MX-M005", "10", 5600, 5, "松阳", "HG3311-2026-0501", ""),
        )),
    ),
    "PM": (
        ("SHKC-2026-47", 8, (
            ("PM-LC-001", "40", 680, 10, "茂县", "HG5132-2026-1109", ""),
            ("PM-LC-002", "15", 1700, 9, "茂县", "HG5132-2026-1110", ""),
            ("PM-LC-006", "20", 1200, 30, "茂县", "HG5132-2026-1111", ""),
        )),
        ("SHKC-2026-48", 1, (
            ("PM-LC-001", "30", 700, 14, "茂县", "HG5132-2026-1122", ""),
            ("PM-LC-002", "12", 1750, 8, "茂县", "HG5132-2026-1123", ""),
            ("PM-ZD-001", "24", 3000, 60, "平湖", "HG3304-2026-0311", ""),
        )),
    ),
}
DEMO_SUPPLIER = ("山海快车冷链（松阳县供销合作社）", "0578-8066000")


def seed_demo_stock(stock, store: str, today) -> int:  # noqa: ANN001 - pos.services.stock.StockService, a date
    """Receive the demo counter's two delivery batches (nothing for a store without any); how many lots."""
    from datetime import timedelta

    from pos.domain.receiving import GoodsReceipt, ReceiptLine
    from pos.domain.users import User

    manager = User("manager1", "李建国", Role.MANAGER)
    lots = 0
    for batch, days_ago, lines in DEMO_BATCHES.get(store, ()):
        arrival = today - timedelta(days=days_ago)
        received = []
        for sku, qty, cost, keeps, origin, cert, quarantine in lines:
            facts = stock.product_facts(sku)
            if facts is None:
                continue
            quantity = int(qty) * 1000 if facts.weighed else int(qty)
            received.append(ReceiptLine(sku, quantity, cost, arrival + timedelta(days=keeps), facts.weighed,
                                        origin=origin, certificate=cert, quarantine=quarantine))
        if received:
            stock.receive(GoodsReceipt(batch, *DEMO_SUPPLIER, arrival, tuple(received)), manager, source="demo")
            lots += len(received)
    return lots
