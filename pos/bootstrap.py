"""Wiring: builds the database, services and devices from a Config. Nothing happens at import time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone
from functools import cached_property
from pathlib import Path

from pos.config import Config, ConfigError
from pos.domain.catalog import Product
from pos.domain.errors import InvalidInput
from pos.domain.scan import DEFAULT_SCALE_FORMATS, ScaleLabelFormat
from pos.security import Argon2PinHasher, load_or_create_device_secret
from pos.services.auth import AuthService
from pos.services.catalog import CatalogService
from pos.services.checkout import CheckoutService
from pos.services.context import TillIdentity
from pos.services.devices import DeviceService, DeviceSettings, DrawerService, default_ports
from pos.services.documents import DocumentService
from pos.services.ledger import VerifyReport, verify_ledger
from pos.services.lookup import CatalogLookup
from pos.services.members import MemberService, create_member_key
from pos.services.period_reports import PeriodReportService
from pos.services.ports import Clock, SystemClock
from pos.services.print_queue import PrintQueue
from pos.services.promotions import PromotionService
from pos.services.receipts import ReceiptService
from pos.services.returns import ReturnService
from pos.services.scanning import ResolvedScan, ScanResolver
from pos.services.search import ProductSearch
from pos.services.setup import demo_catalog_files, initialize, seed_demo_people
from pos.services.shifts import ClosingService, ShiftService
from pos.services.stock import StockService
from pos.services.sync import SyncService
from pos.store.db import Database, open_database
from pos.store.uow import SqlUnitOfWork


class NoDatabase(InvalidInput):
    code = "no_database"


@dataclass
class Till:
    config: Config
    db: Database
    identity: TillIdentity
    clock: Clock
    auth: AuthService
    lookup: CatalogLookup
    checkout: CheckoutService
    catalog: CatalogService
    receipts: ReceiptService
    returns: ReturnService
    shifts: ShiftService
    closing: ClosingService
    documents: DocumentService
    scanner: ScanResolver
    searcher: ProductSearch
    print_queue: PrintQueue  # receipts that did not print, for the cashier to retry
    drawer: DrawerService  # 开钱箱 (permission + journal)
    devices: DeviceService  # hardware settings, customer display, scale, scanners
    stock: StockService  # receiving, stock on hand, expiry, 报损, 盘点, batch reports, 溯源 (issue 15)
    period_reports: PeriodReportService  # the accountant's period reports and 回款 (issue 16)
    members: MemberService  # 会员: register, find by phone / last 4 / member code, export (issue 17)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.db, self.identity.terminal_id, self.identity.tz)

    def scan(self, code: str) -> ResolvedScan:
        """What a scanned or typed code is: a product (maybe from a scale label), a payment code, or search text."""
        return self.scanner.resolve(code)

    def search(self, text: str, limit: int = 20) -> list[Product]:
        return self.searcher.search(text, limit)

    def auto_backup(self):  # noqa: ANN201 - BackupResult | None
        """Take today's backup if it is due (at start-up and after each Z). Run it off the GUI thread."""
        from pos.services.backup import BackupService

        return BackupService.for_till(self).auto_backup_if_due(self.clock.now())

    def verify(self) -> VerifyReport:
        return verify_ledger(self.db.reader, self.identity.terminal_id)

    @cached_property
    def promotions(self) -> PromotionService:
        """促销 in force (issue 17): imported from a file or sent by head office, versioned in the journal."""
        return PromotionService(self.uow, self.clock, self.identity, reader=self.db.reader)

    @cached_property
    def sync(self) -> SyncService:
        """Head-office sync (built on first use: httpx and the secret store load only when needed)."""
        from pos.sync import build_sync_service

        return build_sync_service(self)

    def close(self) -> None:
        if "devices" in self.__dict__:
            self.devices.close()
        if "sync" in self.__dict__:
            self.sync.stop()
        self.db.dispose()


def _identity(db: Database, cfg: Config) -> TillIdentity:
    with SqlUnitOfWork(db, cfg.terminal_id) as uow:
        store = uow.meta.get("store_code")
        terminal = uow.meta.get("terminal_id")
        rec = uow.stores.get(store) if store else None
    if store is None or terminal is None:
        raise NoDatabase(f"the database {db.path} has not been initialised; run `init` first",
                         message_zh=f"数据库 {db.path} 尚未初始化，请先运行 init")
    tz = timezone(timedelta(hours=cfg.timezone_offset_hours))
    return TillIdentity(store, terminal, rec.name if rec else store, rec.counter_name if rec else "", tz)


def open_till(cfg: Config, *, create: bool = False, demo: bool = False, clock: Clock | None = None,
              rebind: bool = False, demo_stock: bool = False) -> Till:
    """Open the till's database. ``create`` makes a new one (seeding the demo store if ``demo``).

    An existing database keeps the store and terminal it was created for; with ``rebind`` (the
    user named --store/--terminal explicitly) a different one is refused rather than ignored.
    ``demo_stock`` (with ``demo``): the demo counter also receives its two 山海快车 delivery batches.
    """
    clock = clock or SystemClock()
    path = Path(cfg.db)
    if not create and not path.exists():
        raise NoDatabase(f"there is no database at {path}; run `init --demo` first (or pass --db)",
                         message_zh=f"{path} 处没有数据库，请先运行 init --demo")
    _folder_for("db", path)
    _folder_for("device_key", Path(cfg.device_key))
    db = open_database(path, backup_dirs=(Path(cfg.backup_dir),))
    try:
        hasher = Argon2PinHasher(_device_secret(cfg))
        uow_factory = lambda: SqlUnitOfWork(db, cfg.terminal_id)  # noqa: E731
        fresh = False
        if create:
            with uow_factory() as uow:
                bound = uow.meta.get("terminal_id") is not None
            if not bound or rebind:
                fresh = initialize(uow_factory, store=cfg.store, terminal=cfg.terminal_id, clock=clock)
            try:  # the store's member key, beside the device key (kept if there is one)
                create_member_key(Path(cfg.member_key))
            except OSError as exc:
                raise ConfigError(f"member_key {cfg.member_key}: cannot create it ({exc.strerror})",
                                  message_zh=f"member_key（会员密钥）{cfg.member_key} 无法创建", key="member_key") from exc
        identity = _identity(db, cfg)
        uow_factory = lambda: SqlUnitOfWork(db, identity.terminal_id, identity.tz)  # noqa: E731
        printer = lambda: till.receipts.printer  # noqa: E731 - built on first use, shared
        print_queue = PrintQueue(uow_factory, clock, printer, reader=db.reader)
        drawer = DrawerService(uow_factory, clock, identity, printer)
        lookup = CatalogLookup(db.reader, identity)
        stock = StockService(uow_factory, clock, identity, reader=db.reader, lookup=lookup)
        receipts = ReceiptService(lambda: _make_printer(cfg), cfg.printer_url, queue=print_queue,
                                  cash_drawer=cfg.cash_drawer, trace=_trace_links(cfg, db, identity))
        till = Till(
            config=cfg, db=db, identity=identity, clock=clock,
            auth=AuthService(uow_factory, hasher, clock, identity, db.reader),
            lookup=CatalogLookup(db.reader, identity),
            checkout=CheckoutService(uow_factory, clock, identity),
            catalog=CatalogService(uow_factory, clock, identity),
            receipts=receipts,
            returns=ReturnService(uow_factory, clock, identity),
            shifts=ShiftService(uow_factory, clock, identity),
            closing=ClosingService(uow_factory, clock, identity),
            documents=DocumentService(receipts, cfg.columns, cfg.encoding, Path(cfg.receipts_dir).parent / "reports"),
            scanner=ScanResolver(CatalogLookup(db.reader, identity),
                                 tuple(ScaleLabelFormat.from_setting(s) for s in cfg.scale_formats) or DEFAULT_SCALE_FORMATS,
                                 expiry_check=stock.scan_check),
            searcher=ProductSearch(db.reader, identity),
            print_queue=print_queue,
            drawer=drawer,
            devices=DeviceService(DeviceSettings.from_config(cfg), default_ports(), printer=printer,
                                  drawer=drawer, queue=print_queue, clock=clock, till=identity),
            stock=stock,
            period_reports=PeriodReportService(uow_factory, clock, identity, reader=db.reader),
            members=MemberService(uow_factory, clock, identity, key_path=Path(cfg.member_key), reader=db.reader),
        )
        # A recalled held sale keeps its promotions' version and its member (issue 17).
        till.checkout.restore_context = lambda held: till.promotions.restore(held, till.members.get)
        members = till.members
        till.checkout.points_rule_of = lambda: members.rule  # one points rule, as the manager last set it
        if create and demo and fresh:
            seed_demo(till, hasher, stock=demo_stock)
        till.checkout.reload_settings()  # store settings are read once here, not on the GUI thread
        return till
    except BaseException:
        db.dispose()
        raise


def _folder_for(key: str, path: Path) -> None:
    """Make the folder a configured file lives in; a path through a file or a forbidden place is a ConfigError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        in_the_way = isinstance(exc, FileExistsError | NotADirectoryError)
        reason = "a file of that name is in the way" if in_the_way else exc.strerror or type(exc).__name__
        raise ConfigError(f"{key} {path}: cannot create the folder {path.parent} ({reason})",
                          message_zh=f"{key} {path}：无法创建文件夹 {path.parent}（{reason}）", key=key) from exc


def _device_secret(cfg: Config) -> bytes:
    try:
        return load_or_create_device_secret(cfg.device_key)
    except OSError as exc:  # reading is checked there; creating it in an unwritable place is not
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"device_key {cfg.device_key}: cannot create it ({reason})",
                          message_zh=f"device_key（设备密钥）{cfg.device_key} 无法创建（{reason}）", key="device_key") from exc


def _trace_links(cfg: Config, db: Database, identity: TillIdentity):  # noqa: ANN202
    """Receipt trace addresses: signed with the head-office key, at the public address or the enrolled one.

    The key is read from the secret store once per enrolment (the enrolment time in the database
    says when it changed), and not at all on a till that never enrolled.
    """
    from pos.services.sync import K_ENROLLED_AT, K_URL
    from pos.services.trace import TraceLinks
    from pos.store.repositories import MetaRepo

    state: dict[str, object] = {}

    def meta() -> tuple[str | None, str | None]:
        with db.reader.connect() as conn:
            repo = MetaRepo(conn)
            return repo.get(K_ENROLLED_AT), repo.get(K_URL)

    def secret() -> bytes | None:
        enrolled_at, _url = meta()
        if not enrolled_at:
            return None
        if state.get("enrolled_at") != enrolled_at:
            from pos.sync.secrets import default_secret_store

            state["secret"] = default_secret_store(identity.terminal_id).get()
            state["enrolled_at"] = enrolled_at
        return state["secret"]  # type: ignore[return-value]

    def base_url() -> str | None:
        return cfg.receipt_trace_url or meta()[1] or cfg.sync_url

    return TraceLinks(secret, base_url)


def _make_printer(cfg: Config):  # noqa: ANN202
    from pos.config import logo_path
    from printers import make_printer

    return make_printer(cfg.printer_url, columns=cfg.columns, encoding=cfg.encoding, profile=cfg.printer_profile,
                        logo=logo_path(cfg), codes=cfg.receipt_codes, qr=cfg.receipt_qr)


def seed_demo(till: Till, hasher: Argon2PinHasher, *, stock: bool = False) -> None:
    uow_factory = till.uow
    seed_demo_people(uow_factory, hasher, till.clock)
    for store_code, path in demo_catalog_files().items():
        if path.exists():
            till.catalog.import_file(path, store_code=store_code)
    if stock:
        from pos.services.setup import seed_demo_stock

        seed_demo_stock(till.stock, till.identity.store_code, till.identity.local(till.clock.now()).date())
