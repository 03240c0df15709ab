"""Stock by delivery batch at the till (issue 15): receiving, stock on hand, expiry, 报损, 盘点, reports, 溯源.

Every change of stock is one journal entry (``stock_receipt``, ``stock_writeoff``, ``stock_count``;
the journal contract is in pos/store/stock.py and the issue), written in one unit of work; the
stock tables are its read models. Sales and returns draw their lots themselves
(pos/services/stock_draws.py). Reads (lists, reports, traces, the scan check) go through the
reader connection, so they never wait behind a sale being written.

Quantities are integers (grams for weighed goods, units otherwise) and money integer fen, as in
the domain (pos.domain.stock, pos.domain.receiving).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from pos.domain.errors import InvalidInput, PosError, UnknownProduct
from pos.domain.ledger import EntryKind
from pos.domain.money import Fen, div_round_half_up
from pos.domain.permissions import Action, Approval, Grant, check, grant
from pos.domain.receiving import (
    DeliveryNoteCheck,
    GoodsReceipt,
    LineCheck,
    ProductFacts,
    ReceiptLine,
    RowProblem,
    check_line,
    kept_until,
    validate_delivery_note,
)
from pos.domain.stock import (
    ExpiryPolicy,
    ScanCheck,
    ScanVerdict,
    StockState,
    WriteOff,
    WriteOffReason,
    count_variances,
)
from pos.domain.users import User

from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory

__all__ = [
    "BatchReport",
    "CategorySetting",
    "CountLine",
    "CountSheet",
    "DeliveryNoteRejected",
    "ExpiredStock",
    "LotStock",
    "ProductStock",
    "ReceivedBatch",
    "StockService",
    "TraceBatch",
    "TraceLine",
    "TraceReceipt",
    "WrittenOff",
]

# Store settings (meta keys).
K_EXPIRY_POLICY = "stock:expiry_policy"  # warn | refuse
K_CATEGORY_SETTINGS = "stock:category_settings"  # JSON {category: {"certificate", "quarantine", "near_days"}}

# Fresh categories: a 承诺达标合格证 is needed when the category's name holds one of these words.
CERTIFICATE_WORDS = ("生鲜", "水果", "蔬菜", "肉", "禽", "蛋", "水产")
# A quarantine certificate (动物检疫合格证明): beef and mutton (category, or the product's name in a meat category).
QUARANTINE_WORDS = ("牛肉", "牛羊肉", "羊肉")
DEFAULT_NEAR_DAYS = 3
MAX_NEAR_DAYS = 365

REASONS_ZH = {"spoiled": "变质", "broken": "破损", "expired": "过期", "other": "其他"}


# --- results ---------------------------------------------------------------------------------


class DeliveryNoteRejected(InvalidInput):
    """A delivery note with any bad row: nothing was received. ``check`` lists every problem (row numbers)."""

    code = "delivery_note_rejected"

    def __init__(self, check: DeliveryNoteCheck, file: str = "") -> None:
        n = check.problem_count
        where = f"{file}: " if file else ""
        super().__init__(f"{where}the delivery note was not received: {n} problem(s), nothing was changed",
                         message_zh=f"{where}送货单未收货：共 {n} 处问题，未做任何更改")
        self.check = check

    @property
    def errors(self) -> tuple[RowProblem, ...]:
        return self.check.errors

    @property
    def more(self) -> int:
        return self.check.more_errors


class ExpiredStock(InvalidInput):
    """Scanning an item whose oldest lot with stock has expired, with the store set to refuse."""

    code = "expired_stock"

    def __init__(self, verdict: ScanCheck, name: str = "") -> None:
        what = f"{name}: " if name else ""
        super().__init__(f"{what}{verdict.message}; it may not be sold (take it off the shelf and write it off)",
                         message_zh=f"{what}{verdict.message_zh}，不能销售（请下架并报损）")
        self.verdict = verdict


@dataclass(frozen=True, slots=True)
class CategorySetting:
    """What receiving and the near-expiry list need to know of a category (a store setting)."""

    category: str
    needs_certificate: bool
    needs_quarantine: bool
    near_days: int = DEFAULT_NEAR_DAYS
    explicit: bool = False  # set by the manager (else: the default for its name)


@dataclass(frozen=True, slots=True)
class ReceivedBatch:
    batch_no: str
    seq: int
    lots: tuple[str, ...]  # the lot ids, "<batch>/<n>"
    total_cost_fen: Fen
    lines: int
    warnings: tuple[RowProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class LotStock:
    """One lot in the stock list. ``value_fen`` is what the lot's stock on hand cost."""

    lot_id: str
    batch_no: str
    on_hand: int
    received_qty: int
    value_fen: Fen
    unit_cost_fen: Fen
    received_on: str
    expiry: str | None
    days_left: int | None  # negative: expired
    origin: str
    certificate_no: str
    quarantine_no: str


class ProductStock(NamedTuple):
    """A followed product: on hand (grams when ``weighed``, else units), its value at cost, its lots.

    A named tuple, not a dataclass: the whole list of a 200,000-product store is made straight from
    its query's rows (``tuple.__new__`` mapped over them in C), an order of magnitude cheaper than a
    frozen dataclass's ``__init__``."""

    sku: str
    name: str
    category: str
    weighed: bool
    on_hand: int
    value_fen: Fen
    unlotted: int  # negative: sold past zero (flagged)
    lots_with_stock: int
    earliest_expiry: str | None
    days_left: int | None
    lots: tuple[LotStock, ...] = ()

    @property
    def past_zero(self) -> bool:
        return self.unlotted < 0

    @property
    def on_hand_text(self) -> str:
        return quantity_text(self.on_hand, self.weighed)


@dataclass(frozen=True, slots=True)
class WrittenOff:
    sku: str
    quantity: int
    cost_fen: Fen
    seq: int
    draws: tuple[tuple[str, int, Fen], ...]  # (lot, qty, cost)


@dataclass(frozen=True, slots=True)
class CountLine:
    sku: str
    name: str
    weighed: bool
    expected: int
    counted: int
    cost_fen: Fen  # signed value of the variance at cost

    @property
    def variance(self) -> int:
        return self.counted - self.expected


@dataclass(frozen=True, slots=True)
class CountSheet:
    count_no: int
    by: str
    source: str
    as_of_seq: int
    created_at: str
    state: str  # pending, approved
    lines: tuple[CountLine, ...]
    seq: int | None = None  # the stock_count entry, once approved

    @property
    def cost_fen(self) -> Fen:
        return sum(x.cost_fen for x in self.lines)


@dataclass(frozen=True, slots=True)
class BatchReport:
    """One delivery batch (or, with ``batch_no`` empty and ``origin`` set, one origin county)."""

    batch_no: str
    origin: str
    supplier: str
    arrival: str
    lots: int
    received_cost_fen: Fen
    sold_cost_fen: Fen  # cost of the goods sold, net of returns
    returned_cost_fen: Fen
    written_off_cost_fen: Fen
    adjusted_cost_fen: Fen  # signed: + found, − missing
    on_hand_cost_fen: Fen
    revenue_fen: Fen  # net of returns
    returned_revenue_fen: Fen
    sold_units: int
    sold_grams: int
    on_hand_units: int
    on_hand_grams: int
    sold_out_on: str | None
    days_to_sell_out: int | None

    @property
    def margin_fen(self) -> Fen:
        return self.revenue_fen - self.sold_cost_fen

    @property
    def margin_pct(self) -> float | None:
        """Gross margin as a share of revenue, for showing only (the figures themselves are fen)."""
        return round(self.margin_fen * 100 / self.revenue_fen, 1) if self.revenue_fen else None

    def to_json(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["margin_fen"], d["margin_pct"] = self.margin_fen, self.margin_pct
        return d


@dataclass(frozen=True, slots=True)
class TraceLine:
    """One part of a document line and its lot (trace_receipt) or one document's take of a batch (trace_batch)."""

    doc_no: str
    kind: str  # sale | return
    line_no: int
    sku: str
    name: str
    lot_id: str | None
    batch_no: str
    quantity: int  # positive: sold (sale) or taken back (return)
    weighed: bool
    business_day: str
    certificate_no: str = ""
    quarantine_no: str = ""
    origin: str = ""
    arrival: str = ""
    expiry: str | None = None
    supplier: str = ""

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class TraceReceipt:
    receipt_no: str
    lines: tuple[TraceLine, ...]


@dataclass(frozen=True, slots=True)
class TraceBatch:
    batch_no: str
    supplier: str
    contact: str
    arrival: str
    lots: tuple[LotStock, ...]
    sales: tuple[TraceLine, ...]
    returns: tuple[TraceLine, ...] = field(default=())

    @property
    def receipts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(x.doc_no for x in self.sales))


def quantity_text(quantity: int, weighed: bool) -> str:
    """Grams as kg with three decimals ("12.345 kg"), units as a whole number."""
    if not weighed:
        return str(quantity)
    sign = "-" if quantity < 0 else ""
    q = abs(quantity)
    return f"{sign}{q // 1000}.{q % 1000:03d} kg"


def default_category_setting(category: str) -> CategorySetting:
    needs_cert = any(w in category for w in CERTIFICATE_WORDS)
    needs_quarantine = any(w in category for w in QUARANTINE_WORDS)
    return CategorySetting(category, needs_cert or needs_quarantine, needs_quarantine, DEFAULT_NEAR_DAYS)


# --- SQL (reader side) -------------------------------------------------------------------------

_LOT_FIELDS = ("lot_id, batch_no, on_hand, received_qty, cost_fen - out_cost_fen, unit_cost_fen, received_on, expiry, "
               "origin, certificate_no, quarantine_no")
SQL_FIRST_EXPIRING = ("SELECT lot_id, batch_no, expiry FROM lots WHERE sku = ? AND in_stock = 1 AND expiry IS NOT NULL "
                      "ORDER BY expiry, received_on, journal_seq, lot_id LIMIT 1")
SQL_PRODUCT = "SELECT sku, name, category, sold_by FROM products WHERE sku = ?"


class StockService:
    """Receiving, stock on hand, expiry, write-offs, counts, batch reports and traces for one till."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity, *, reader: Any = None,
                 lookup: Any = None) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till
        self._reader = None
        if reader is not None:
            from .lookup import SqliteReader

            self._reader = SqliteReader.for_engine(reader)
        self._lookup = lookup  # a CatalogLookup (barcode, PLU, sku); else sku and barcode by SQL
        self._policy: ExpiryPolicy | None = None
        self._categories: dict[str, CategorySetting] | None = None

    # -- reading ---------------------------------------------------------------------------------
    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._reader is not None:
            return self._reader.rows(sql, args)
        with self._uow() as uow:
            return uow.raw.execute(sql, tuple(args)).fetchall()

    def today(self) -> date:
        return self._till.local(self._clock.now()).date()

    # -- settings --------------------------------------------------------------------------------
    def expiry_policy(self) -> ExpiryPolicy:
        if self._policy is None:
            rows = self._rows("SELECT value FROM meta WHERE key = ?", (K_EXPIRY_POLICY,))
            self._policy = ExpiryPolicy(rows[0][0]) if rows and rows[0][0] in ("warn", "refuse") else ExpiryPolicy.WARN
        return self._policy

    def set_expiry_policy(self, policy: ExpiryPolicy | str, by: User) -> None:
        """Warn (default) or refuse when an item whose oldest lot has expired is scanned. Journaled."""
        policy = _policy(policy)
        self._setting(by, K_EXPIRY_POLICY, policy.value, {"key": "stock_expiry_policy", "value": policy.value})
        self._policy = policy

    def category_settings(self) -> dict[str, CategorySetting]:
        """The manager's settings per category (categories with no setting use :func:`default_category_setting`)."""
        if self._categories is None:
            rows = self._rows("SELECT value FROM meta WHERE key = ?", (K_CATEGORY_SETTINGS,))
            raw = json.loads(rows[0][0]) if rows and rows[0][0] else {}
            self._categories = {c: CategorySetting(c, bool(v.get("certificate")), bool(v.get("quarantine")),
                                                   int(v.get("near_days", DEFAULT_NEAR_DAYS)), True)
                                for c, v in raw.items()}
        return dict(self._categories)

    def category_setting(self, category: str) -> CategorySetting:
        return self.category_settings().get(category) or default_category_setting(category)

    def category_list(self) -> list[CategorySetting]:
        """Every category of the catalogue, then any set by the manager that the catalogue no longer has, each
        with its setting (the manager's, else the default for its name) — what the 临期 page and
        ``stock category-settings`` list."""
        cats = [r[0] for r in self._rows("SELECT DISTINCT category FROM products WHERE category != '' ORDER BY category")]
        explicit = self.category_settings()
        return [explicit.get(c) or default_category_setting(c) for c in dict.fromkeys([*cats, *explicit])]

    def set_category_setting(self, category: str, by: User, *, needs_certificate: bool | None = None,
                             needs_quarantine: bool | None = None, near_days: int | None = None) -> CategorySetting:
        """Change what a category needs at receiving (合格证, quarantine) and its near-expiry days. Journaled."""
        category = category.strip()
        if not category or len(category) > 40 or not category.isprintable():
            raise InvalidInput("give the category's name as the catalogue has it", message_zh="请填写商品目录中的类别名称")
        if near_days is not None and not 0 <= near_days <= MAX_NEAR_DAYS:
            raise InvalidInput(f"near-expiry days must be 0 to {MAX_NEAR_DAYS}", message_zh=f"临期天数须为 0 至 {MAX_NEAR_DAYS}")
        now = self.category_setting(category)
        new = CategorySetting(category, now.needs_certificate if needs_certificate is None else needs_certificate,
                              now.needs_quarantine if needs_quarantine is None else needs_quarantine,
                              now.near_days if near_days is None else near_days, True)
        settings = self.category_settings()
        settings[category] = new
        value = json.dumps({c: {"certificate": s.needs_certificate, "quarantine": s.needs_quarantine,
                                "near_days": s.near_days} for c, s in sorted(settings.items())}, ensure_ascii=False)
        self._setting(by, K_CATEGORY_SETTINGS, value, {"key": "stock_category", "category": category,
                                                       "certificate": new.needs_certificate,
                                                       "quarantine": new.needs_quarantine, "near_days": new.near_days})
        self._categories = settings
        return new

    def _setting(self, by: User, key: str, value: str, payload: dict[str, Any]) -> None:
        check(by.role, Action.SETTINGS) if grant(by.role, Action.STOCK_COUNT) is not Grant.ALONE else None
        now = self._clock.now()
        with self._uow() as uow:
            uow.meta.set(key, value)
            uow.journal.append(EntryKind.SETTING, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={**payload, "store": self._till.store_code, "by": by.login})
            uow.commit()

    # -- products --------------------------------------------------------------------------------
    def product_facts(self, code: str) -> ProductFacts | None:
        """What receiving needs of the product with this sku or barcode (None: not in the catalogue)."""
        product = self._product(code)
        if product is None:
            return None
        sku, name, category, weighed = product
        setting = self.category_setting(category)
        quarantine = setting.needs_quarantine or (not setting.explicit and any(w in name for w in QUARANTINE_WORDS)
                                                  and setting.needs_certificate)
        return ProductFacts(sku, weighed, category, setting.needs_certificate or quarantine, quarantine)

    def _product(self, code: str) -> tuple[str, str, str, bool] | None:
        code = str(code).strip()
        if not code:
            return None
        if self._lookup is not None:
            try:
                p = self._lookup.find(code)
            except (UnknownProduct, InvalidInput):
                return None
            return p.sku, p.name, p.category, p.weighed
        rows = self._rows("SELECT sku, name, category, sold_by FROM products WHERE sku = ? OR barcode = ? "
                          "ORDER BY sku = ? DESC LIMIT 1", (code.upper(), code, code.upper()))
        if not rows:
            return None
        sku, name, category, sold_by = rows[0]
        return sku, name, category or "", sold_by == "weight"

    # -- receiving -------------------------------------------------------------------------------
    def check_delivery_note(self, path: str | Path) -> DeliveryNoteCheck:
        """Read and check a CSV/XLSX delivery note; nothing is written."""
        from pos.catalog_files import read_catalog_file

        f = read_catalog_file(path)
        return validate_delivery_note(f.header, f.rows, self.product_facts, header_row=f.header_row)

    def receive_file(self, path: str | Path, by: User) -> ReceivedBatch:
        """Receive a whole delivery note, or nothing (:class:`DeliveryNoteRejected` lists every problem)."""
        _may_receive(by)
        result = self.check_delivery_note(path)
        if not result.ok or result.receipt is None:
            raise DeliveryNoteRejected(result, Path(path).name)
        done = self.receive(result.receipt, by, source=Path(path).name)
        return ReceivedBatch(done.batch_no, done.seq, done.lots, done.total_cost_fen, done.lines, result.warnings)

    def check_scanned_line(self, fields: Mapping[str, str], *, arrival: date,
                           lines_so_far: Sequence[ReceiptLine] = ()) -> LineCheck:
        """The receiving screen: one typed or scanned line, checked with the delivery note's rules."""
        return check_line(fields, arrival=arrival, lookup=self.product_facts, lines_so_far=lines_so_far)

    def receive(self, goods: GoodsReceipt, by: User, source: str = "scanner") -> ReceivedBatch:
        """Journal one ``stock_receipt`` entry: the batch's lots, numbered "<batch>/<n>" in receiving order."""
        _may_receive(by)
        if not goods.lines:
            raise InvalidInput("there are no goods to receive", message_zh="没有要收货的商品")
        names = {}
        for line in goods.lines:
            if line.sku not in names:
                p = self._product(line.sku)
                names[line.sku] = (p[1], p[2]) if p else (line.sku, "")
        now = self._clock.now()
        with self._uow() as uow:
            n0 = uow.raw.execute("SELECT COUNT(*) FROM lots WHERE batch_no = ?", (goods.batch,)).fetchone()[0]
            lots = []
            for i, line in enumerate(goods.lines, start=n0 + 1):
                name, category = names[line.sku]
                lots.append({"lot": f"{goods.batch}/{i}", "sku": line.sku, "name": name, "category": category,
                             "origin": line.origin, "weighed": line.weighed, "quantity": line.quantity,
                             "unit_cost": line.unit_cost_fen, "cost": line.cost_fen, "expiry": line.expiry.isoformat(),
                             "production_date": line.production_date.isoformat() if line.production_date else None,
                             "certificate": line.certificate, "certificate_qr": line.certificate_qr,
                             "quarantine": line.quarantine})
            payload = {"batch": goods.batch, "supplier": goods.supplier, "contact": goods.contact,
                       "arrival": goods.arrival.isoformat(), "by": by.login, "source": source,
                       "kept_until": kept_until(goods.arrival).isoformat(), "total_cost": goods.total_cost_fen,
                       "lots": lots}
            entry = uow.journal.append(EntryKind.STOCK_RECEIPT, business_day=uow.business_day(now),
                                       created_at=utc_iso(now), payload=payload)
            uow.commit()
        return ReceivedBatch(goods.batch, entry.seq, tuple(x["lot"] for x in lots), goods.total_cost_fen, len(lots))

    # -- stock on hand ---------------------------------------------------------------------------
    def stock_list(self, sku: str | None = None, lots: bool = False, expiring_days: int | None = None,
                   limit: int | None = None, offset: int = 0) -> list[ProductStock]:
        """Followed products by sku: on hand, value at cost, earliest expiry; with ``lots``, each lot with stock.

        ``expiring_days``: only products with a lot holding stock that expires within that many days
        (expired included). One row per product from ``stock_summary`` (kept by the stock projection),
        in sku order, so a page reads only its own rows."""
        today = self.today()
        where, args = self._where(sku, expiring_days, today)
        tail = ""
        if limit is not None or offset:
            tail = " LIMIT ? OFFSET ?"
            args += [-1 if limit is None else int(limit), int(offset)]
        with _gc_paused():
            return self._products(self._rows(_SUMMARY.format(where=where, tail=tail), args), lots, today)

    def iter_stock_list(self, expiring_days: int | None = None, *, chunk: int = 20_000,
                        first: int = 1_000) -> Iterator[list[ProductStock]]:
        """The whole stock list in pages by sku (each page one indexed range of ``stock_summary``): a
        first page of ``first`` products, so printing starts at once, then pages of ``chunk``."""
        today = self.today()
        where, args = self._where(None, expiring_days, today)
        for rows in self._pages(_SUMMARY.format(where=where + " AND s.sku > ?", tail=" LIMIT ?"), args, chunk, first):
            with _gc_paused():
                page = self._products(rows, False, today)
            yield page

    def _pages(self, sql: str, args: list[Any], chunk: int, first: int) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of ``sql`` (sku first, ending ``sku > ? … LIMIT ?``) in pages by sku, each one indexed range of
        ``stock_summary``: a first page of ``first`` rows, so printing starts at once, then pages of ``chunk``."""
        last, size = "", min(first, chunk)
        while True:
            with _gc_paused():
                rows = self._rows(sql, [*args, last, size])
            if not rows:
                return
            yield rows
            if len(rows) < size:
                return
            last, size = rows[-1][0], chunk

    def stock_lines(self, *, as_json: bool = False, sku: str | None = None, expiring_days: int | None = None,
                    past_zero: bool = False, limit: int | None = None, offset: int = 0) -> list[bytes]:
        """The products of :meth:`stock_list` (without their lots) as ``stock list`` prints them, UTF-8 encoded:
        one line of text per product, or with ``as_json`` one JSON object each. SQLite writes each line
        (``_LINE_TEXT`` / ``_LINE_JSON``) as bytes, so a long list costs no Python per product, not even the
        decoding and encoding of its text."""
        where, args = self._where(sku, expiring_days, self.today())
        if past_zero:
            where += " AND s.unlotted < 0"
        tail = ""
        if limit is not None or offset:
            tail = " LIMIT ? OFFSET ?"
            args += [-1 if limit is None else int(limit), int(offset)]
        sql = (_LINE_JSON if as_json else _LINE_TEXT).format(where=where, tail=tail)
        return list(map(_second, self._rows(sql, args)))

    def iter_stock_lines(self, expiring_days: int | None = None, *, as_json: bool = False, chunk: int = 20_000,
                         first: int = 1_000) -> Iterator[list[bytes]]:
        """:meth:`stock_lines` of every product, in pages by sku as :meth:`iter_stock_list` reads them."""
        where, args = self._where(None, expiring_days, self.today())
        sql = (_LINE_JSON if as_json else _LINE_TEXT).format(where=where + " AND s.sku > ?", tail=" LIMIT ?")
        for rows in self._pages(sql, args, chunk, first):
            yield list(map(_second, rows))

    def _where(self, sku: str | None, expiring_days: int | None, today: date) -> tuple[str, list[Any]]:
        """``_SUMMARY``'s (and ``_LINE_TEXT``'s) extra conditions and its arguments: first today (?1) as its
        day number (:func:`_day_number`)."""
        where, args = "", [_day_number(today)]
        if sku is not None:
            p = self._product(sku)
            where += " AND s.sku = ?"
            args.append(p[0] if p else sku.strip())
        if expiring_days is not None:
            where += " AND s.first_expiry <= ?"
            args.append((today + timedelta(days=expiring_days)).isoformat())
        return where, args

    def _products(self, rows: Sequence[tuple[Any, ...]], lots: bool, today: date) -> list[ProductStock]:
        """``_SUMMARY`` rows as the products a manager sees (with ``lots``: each with its lots holding stock)."""
        if not lots or not rows:  # each row and "no lots" made into a ProductStock in C, no Python call per row
            return list(map(_NEW_PRODUCT_STOCK, map(tuple.__add__, rows, repeat(_NO_LOTS))))
        make = ProductStock._make
        by_sku: dict[str, list[LotStock]] = {}
        want = json.dumps([r[0] for r in rows])
        for r in self._rows(f"SELECT sku, {_LOT_FIELDS} FROM lots WHERE sku IN (SELECT value FROM json_each(?)) "
                            "AND in_stock = 1 ORDER BY sku, expiry IS NULL, expiry, received_on, journal_seq, lot_id",
                            (want,)):
            by_sku.setdefault(r[0], []).append(_lot_stock(r[1:], today))
        return [make((*r, tuple(by_sku.get(r[0], ())))) for r in rows]

    def near_expiry(self, today: date | None = None) -> list[tuple[ProductStock, LotStock]]:
        """Lots with stock expiring within their category's near-expiry days (expired ones included), soonest first."""
        today = today or self.today()
        settings = self.category_settings()
        longest = max([DEFAULT_NEAR_DAYS, *(s.near_days for s in settings.values())])
        until = (today + timedelta(days=longest)).isoformat()
        # the product's name and category as the catalogue has them now (stock_summary's copy), else the lot's
        rows = self._rows(f"SELECT l.sku, COALESCE(s.name, NULLIF(l.name, ''), l.sku), COALESCE(s.category, l.category), "
                          f"l.weighed, {_prefixed('l.', _LOT_FIELDS)} FROM lots l "
                          "LEFT JOIN stock_summary s ON s.sku = l.sku "
                          "WHERE l.in_stock = 1 AND l.on_hand > 0 AND l.expiry IS NOT NULL AND l.expiry <= ? "
                          "ORDER BY l.expiry, l.received_on, l.journal_seq, l.lot_id", (until,))
        out = []
        for r in rows:
            sku, name, category, weighed = r[:4]
            lot = _lot_stock(r[4:], today)
            days = (settings.get(category) or default_category_setting(category or "")).near_days
            if lot.days_left is not None and lot.days_left <= days:
                ps = ProductStock(sku, name, category, bool(weighed), lot.on_hand, lot.value_fen, 0, 1, lot.expiry,
                                  lot.days_left, (lot,))
                out.append((ps, lot))
        return out

    def past_zero(self) -> list[ProductStock]:
        """Products sold past zero (flagged for the manager): their unlotted stock is negative."""
        today = self.today()
        return self._products(self._rows(_SUMMARY.format(where=" AND s.unlotted < 0", tail=""), (_day_number(today),)),
                              False, today)

    def scan_check(self, sku: str) -> ScanCheck:
        """Warn or refuse (store setting) when the lot a sale of ``sku`` would draw first has expired.

        One indexed query (lots by sku and expiry); OK at once for a product whose stock is not followed."""
        rows = self._rows(SQL_FIRST_EXPIRING, (sku,))
        if not rows:
            return ScanCheck(ScanVerdict.OK)
        lot_id, batch, expiry = rows[0]
        if date.fromisoformat(expiry) >= self.today():
            return ScanCheck(ScanVerdict.OK)
        verdict = ScanVerdict.REFUSE if self.expiry_policy() is ExpiryPolicy.REFUSE else ScanVerdict.WARN
        return ScanCheck(verdict, None, f"batch {batch} (lot {lot_id}) expired on {expiry}",
                         f"批次 {batch}（{lot_id}）已于 {expiry} 过期")

    # -- write-off -------------------------------------------------------------------------------
    def write_off(self, sku: str, quantity: int, reason: WriteOffReason | str, by: User,
                  approval: Approval | None = None, lot_id: str | None = None, note: str = "") -> WrittenOff:
        """报损: ``quantity`` (grams for weighed goods) of ``sku`` out of its lots (one lot, or FEFO), at cost."""
        check(by.role, Action.STOCK_WRITEOFF, approval)
        reason = _reason(reason)
        product = self._product(sku)
        if product is None:
            raise UnknownProduct(f"no product with code {sku}", message_zh=f"未找到商品：{sku}")
        sku, name, _category, weighed = product
        note = _note(note)
        approver = approval.approver if approval is not None else by.login
        now = self._clock.now()
        with self._uow() as uow:
            state = _state_with_lot(uow, sku, lot_id)
            plan = WriteOff(sku, int(quantity), reason, lot_id, note, approver)
            moves = plan.movements(state)
            lots = state.lots
            draws = [{"lot": m.lot_id, "batch": lots[m.lot_id].batch_no if m.lot_id in lots else "", "qty": m.quantity,
                      "cost": m.cost_fen} for m in moves]
            cost = sum(m.cost_fen for m in moves)
            payload = {"sku": sku, "name": name, "quantity": int(quantity), "weighed": weighed, "reason": reason.value,
                       "note": note, "by": by.login, "approver": approver, "cost": cost, "draws": draws}
            entry = uow.journal.append(EntryKind.STOCK_WRITEOFF, business_day=uow.business_day(now),
                                       created_at=utc_iso(now), payload=payload)
            uow.commit()
        return WrittenOff(sku, int(quantity), cost, entry.seq, tuple((d["lot"], d["qty"], d["cost"]) for d in draws))

    # -- counts ----------------------------------------------------------------------------------
    def take_count(self, lines: Mapping[str, int], by: User, source: str = "scanner") -> CountSheet:
        """Save a count sheet (sku or barcode → counted, grams for weighed goods) waiting for approval.

        Expected is what the books hold now (as of the journal head); the variances are valued at cost.
        Nothing changes stock until :meth:`approve_count`."""
        if grant(by.role, Action.STOCK_COUNT) is Grant.NEVER:
            check(by.role, Action.STOCK_COUNT)
        if not lines:
            raise InvalidInput("the count sheet is empty", message_zh="盘点表为空")
        sheet: dict[str, int] = {}
        for code, counted in lines.items():
            p = self._product(code)
            if p is None:
                raise UnknownProduct(f"no product with code {code}", message_zh=f"未找到商品：{code}")
            if int(counted) < 0:
                raise InvalidInput(f"{p[0]}: a count cannot be negative", message_zh=f"{p[0]}：盘点数量不能为负")
            if p[0] in sheet:
                raise InvalidInput(f"{p[0]} is on the count sheet twice", message_zh=f"{p[0]} 在盘点表中重复")
            sheet[p[0]] = int(counted)
        now = self._clock.now()
        with self._uow() as uow:
            state = uow.stock_state(sheet)
            head = uow.journal.head()
            as_of = head.seq if head else 0
            count_no = uow.raw.execute("SELECT COALESCE(MAX(count_no), 0) + 1 FROM count_sheets").fetchone()[0]
            stored = [[s, c, state.on_hand(s)] for s, c in sorted(sheet.items())]
            uow.raw.execute("INSERT INTO count_sheets (count_no, created_at, by_login, source, as_of_seq, lines, state) "
                            "VALUES (?, ?, ?, ?, ?, ?, 'pending')",
                            (count_no, utc_iso(now), by.login, source, as_of, json.dumps(stored, ensure_ascii=False)))
            variances = _sheet_variances(state, {s: (c, e) for s, c, e in stored})
            uow.commit()
        return self._sheet(count_no, by.login, source, as_of, utc_iso(now), "pending", stored, variances)

    def count_from_file(self, path: str | Path, by: User) -> CountSheet:
        """A count sheet from a CSV/XLSX file: a sku or barcode column and a counted column (kg for weighed goods)."""
        from pos.catalog_files import read_catalog_file

        f = read_catalog_file(path)
        return self.take_count(self._count_rows(f.header, f.rows, f.header_row), by, source=Path(path).name)

    def _count_rows(self, header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]], header_row: int) -> dict[str, int]:
        from pos.domain.catalog_import import normalise_header
        from pos.domain.receiving import parse_quantity

        names = {"sku": ("sku", "商品编码", "商品编号", "货号"), "barcode": ("barcode", "条码", "条形码", "ean"),
                 "counted": ("counted", "count", "quantity", "qty", "实盘数量", "盘点数量", "实盘", "数量")}
        cols: dict[str, int] = {}
        for i, h in enumerate(header):
            key = normalise_header(str(h))
            for f, aliases in names.items():
                if key in aliases and f not in cols:
                    cols[f] = i
        problems: list[str] = []
        problems_zh: list[str] = []
        if "counted" not in cols or ("sku" not in cols and "barcode" not in cols):
            raise InvalidInput(f"row {header_row}: a count file needs a sku (or barcode) column and a counted column",
                               message_zh=f"第{header_row}行：盘点文件需要“商品编码”（或“条码”）列和“实盘数量”列")
        out: dict[str, int] = {}
        for row_no, cells in rows:
            cells = [str(c).strip() for c in cells]
            if not any(cells):
                continue

            def cell(f: str, cells: list[str] = cells) -> str:
                i = cols.get(f)
                return cells[i] if i is not None and i < len(cells) else ""

            code = cell("sku") or cell("barcode")
            p = self._product(code) if code else None
            if p is None:
                problems.append(f"row {row_no}: '{code}' is not in the catalogue" if code else f"row {row_no}: no sku")
                problems_zh.append(f"第{row_no}行：“{code}”不在商品目录中" if code else f"第{row_no}行：缺少商品编码")
                continue
            try:
                counted = parse_quantity(cell("counted"), p[3]) if cell("counted") not in ("0", "0.0", "0.000") else 0
            except PosError as exc:
                problems.append(f"row {row_no}: {exc.message}")
                problems_zh.append(f"第{row_no}行：{exc.message_zh}")
                continue
            if p[0] in out:
                problems.append(f"row {row_no}: {p[0]} is counted twice")
                problems_zh.append(f"第{row_no}行：{p[0]} 重复")
                continue
            out[p[0]] = counted
        if problems:
            raise InvalidInput("the count file was not taken in: " + "; ".join(problems[:50]),
                               message_zh="盘点文件未导入：" + "；".join(problems_zh[:50]))
        return out

    def pending_counts(self) -> list[CountSheet]:
        rows = self._rows("SELECT count_no, by_login, source, as_of_seq, created_at, state, lines FROM count_sheets "
                          "WHERE state = 'pending' ORDER BY count_no")
        out = []
        for count_no, login, source, as_of, created, state, lines in rows:
            stored = json.loads(lines)
            with self._uow() as uow:
                variances = _sheet_variances(uow.stock_state(s for s, _c, _e in stored),
                                             {s: (c, e) for s, c, e in stored})
            out.append(self._sheet(count_no, login, source, as_of, created, state, stored, variances))
        return out

    def approve_count(self, count_no: int, approval: Approval | None, by: User | None = None) -> CountSheet:
        """Apply a pending count sheet: one ``stock_count`` entry with the sheet's variances (counted −
        expected when the sheet was taken), so what was sold while it waited is not counted as missing."""
        who = by
        now = self._clock.now()
        with self._uow() as uow:
            row = uow.raw.execute("SELECT by_login, source, as_of_seq, created_at, state, lines FROM count_sheets "
                                  "WHERE count_no = ?", (int(count_no),)).fetchone()
            if row is None:
                raise InvalidInput(f"there is no count sheet {count_no}", message_zh=f"没有盘点表 {count_no}")
            login, source, as_of, created, state, lines = row
            if state != "pending":
                raise InvalidInput(f"count sheet {count_no} is already {state}", message_zh=f"盘点表 {count_no} 已处理")
            if who is None:
                who = uow.users.get(login)
            role = who.role if isinstance(who, User) else None
            if role is None:
                raise InvalidInput(f"{login} can no longer approve counts", message_zh=f"{login} 无权提交盘点")
            check(role, Action.STOCK_COUNT, approval)
            approver = approval.approver if approval is not None else who.login
            stored = json.loads(lines)
            state_now = uow.stock_state(s for s, _c, _e in stored)
            variances = _sheet_variances(state_now, {s: (c, e) for s, c, e in stored})
            info = {s: self._product(s) for s, _c, _e in stored}
            out_lines, total = [], 0
            for v, (s, c, e) in zip(variances, stored, strict=True):
                p = info[s]
                moves = [{"lot": m.lot_id, "batch": _batch(state_now, m.lot_id), "qty": m.quantity, "cost": m.cost_fen}
                         for m in v.movements]
                out_lines.append({"sku": s, "name": p[1] if p else s, "weighed": bool(p and p[3]), "expected": e,
                                  "counted": c, "variance": c - e, "cost": v.cost_fen, "moves": moves})
                total += v.cost_fen
            payload = {"count_no": int(count_no), "by": login, "approver": approver, "source": source,
                       "as_of_seq": as_of, "cost": total, "lines": out_lines}
            entry = uow.journal.append(EntryKind.STOCK_COUNT, business_day=uow.business_day(now),
                                       created_at=utc_iso(now), payload=payload)
            uow.raw.execute("UPDATE count_sheets SET state = 'approved', journal_seq = ? WHERE count_no = ?",
                            (entry.seq, int(count_no)))
            uow.commit()
        sheet = self._sheet(int(count_no), login, source, as_of, created, "approved", stored, variances)
        return CountSheet(sheet.count_no, sheet.by, sheet.source, sheet.as_of_seq, sheet.created_at, "approved",
                          sheet.lines, entry.seq)

    def _sheet(self, count_no: int, login: str, source: str, as_of: int, created: str, state: str,
               stored: Sequence[Sequence[Any]], variances: Sequence[Any]) -> CountSheet:
        lines = []
        for (s, c, e), v in zip(stored, variances, strict=True):
            p = self._product(s)
            lines.append(CountLine(s, p[1] if p else s, bool(p and p[3]), e, c, v.cost_fen))
        return CountSheet(count_no, login, source, as_of, created, state, tuple(lines))

    # -- reports and traces ------------------------------------------------------------------------
    def batch_report(self, batch_no: str | None = None, *, by_origin: bool = False) -> list[BatchReport]:
        """Per delivery batch (or per origin county): received, sold, returned, written off, adjusted,
        on hand, revenue, cost, gross margin and days to sell out, from the stock tables."""
        key = "l.origin" if by_origin else "l.batch_no"
        where, args = ("WHERE l.batch_no = ?", [batch_no]) if batch_no else ("", [])
        lot_rows = self._rows(
            f"SELECT {key}, COUNT(*), SUM(l.cost_fen), SUM(l.cost_fen - l.out_cost_fen), "
            "SUM(CASE WHEN l.weighed THEN 0 ELSE l.on_hand END), SUM(CASE WHEN l.weighed THEN l.on_hand ELSE 0 END), "
            "MIN(l.received_on), MIN(b.supplier), MAX(b.supplier) "
            f"FROM lots l JOIN delivery_batches b ON b.batch_no = l.batch_no {where} GROUP BY {key} ORDER BY {key}", args)
        move_rows = self._rows(
            f"SELECT {key}, m.kind, SUM(m.cost_fen), SUM(m.net_fen), "
            "SUM(CASE WHEN l.weighed THEN 0 ELSE m.quantity END), SUM(CASE WHEN l.weighed THEN m.quantity ELSE 0 END), "
            "MAX(m.business_day) FROM stock_moves m JOIN lots l ON l.lot_id = m.lot_id "
            f"{where.replace('l.batch_no', 'm.batch_no')} GROUP BY {key}, m.kind", args)
        moves: dict[str, dict[str, tuple[int, int, int, int, str]]] = {}
        for k, kind, cost, net, units, grams, last in move_rows:
            moves.setdefault(k, {})[kind] = (int(cost or 0), int(net or 0), int(units or 0), int(grams or 0), last)
        out = []
        for k, n, received, on_hand_cost, units_left, grams_left, arrival, sup_min, sup_max in lot_rows:
            m = moves.get(k, {})
            sale, ret = m.get("sale", (0, 0, 0, 0, "")), m.get("return", (0, 0, 0, 0, ""))
            wo, adj = m.get("write_off", (0, 0, 0, 0, "")), m.get("adjust", (0, 0, 0, 0, ""))
            sold_out = None
            if units_left == 0 and grams_left == 0:
                sold_out = max(x[4] for x in m.values()) if m else None
            days = (date.fromisoformat(sold_out) - date.fromisoformat(arrival)).days if sold_out else None
            out.append(BatchReport(
                batch_no="" if by_origin else k, origin=k if by_origin else "", supplier=sup_min if sup_min == sup_max
                else f"{sup_min} …", arrival=arrival, lots=int(n), received_cost_fen=int(received),
                sold_cost_fen=-sale[0] - ret[0], returned_cost_fen=ret[0], written_off_cost_fen=-wo[0],
                adjusted_cost_fen=adj[0], on_hand_cost_fen=int(on_hand_cost), revenue_fen=sale[1] + ret[1],
                returned_revenue_fen=-ret[1], sold_units=-sale[2] - ret[2], sold_grams=-sale[3] - ret[3],
                on_hand_units=int(units_left), on_hand_grams=int(grams_left), sold_out_on=sold_out,
                days_to_sell_out=days))
        if not by_origin:
            origins = dict(self._rows("SELECT batch_no, GROUP_CONCAT(DISTINCT origin) FROM lots GROUP BY batch_no"))
            out = [_replace_origin(r, origins.get(r.batch_no) or "") for r in out]
        return out

    def trace_receipt(self, receipt_no: str) -> TraceReceipt:
        """The lots each line of a receipt drew from: batch, 合格证, origin, arrival and expiry (溯源)."""
        from pos.domain.references import normalise_receipt_no

        no = normalise_receipt_no(receipt_no)
        # the moves of the sale (or return) numbered so, by their key: its journal seq, then the move
        rows = self._rows(_TRACE + "WHERE m.journal_seq IN (SELECT journal_seq FROM sales WHERE receipt_no = ?1 "
                          "UNION ALL SELECT journal_seq FROM returns WHERE return_no = ?1) AND m.doc_no = ?1 "
                          "AND m.kind IN ('sale', 'return') ORDER BY m.journal_seq, m.idx", (no,))
        if not rows:
            known = self._rows("SELECT 1 FROM sales WHERE receipt_no = ?", (no,))
            if not known:
                raise InvalidInput(f"no sale {receipt_no} on this till", message_zh=f"本机没有小票 {receipt_no}")
        return TraceReceipt(no, tuple(_trace_line(r) for r in rows))

    def trace_batch(self, batch_no: str) -> TraceBatch:
        """Every receipt that sold from a batch (and every return into it), with quantities: for a recall."""
        b = self._rows("SELECT batch_no, supplier, contact, arrival FROM delivery_batches WHERE batch_no = ?",
                       (batch_no.strip(),))
        if not b:
            raise InvalidInput(f"no delivery batch {batch_no} on this till", message_zh=f"本机没有批次 {batch_no}")
        batch, supplier, contact, arrival = b[0]
        today = self.today()
        lots = tuple(_lot_stock(r, today) for r in self._rows(
            f"SELECT {_LOT_FIELDS} FROM lots WHERE batch_no = ? ORDER BY journal_seq, lot_id", (batch,)))
        rows = self._rows(_TRACE + "WHERE m.batch_no = ? AND m.kind IN ('sale', 'return') "
                          "ORDER BY m.journal_seq, m.idx", (batch,))
        lines = [_trace_line(r) for r in rows]
        return TraceBatch(batch, supplier, contact, arrival, lots, tuple(x for x in lines if x.kind == "sale"),
                          tuple(x for x in lines if x.kind == "return"))


# --- helpers -----------------------------------------------------------------------------------

# A _SUMMARY row and its lots as a ProductStock: tuple.__new__ straight (what _make does, less its Python frame and
# its length check: _SUMMARY's columns are ProductStock's but the last, lots, which _NO_LOTS adds).
_NEW_PRODUCT_STOCK = partial(tuple.__new__, ProductStock)
_NO_LOTS: tuple[tuple[()]] = ((),)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a list of up to 200,000 products is read: its rows are tuples, which the
    collector would walk again and again as they pile up (a third of the time of building the list), and none of
    them is garbage. Collection is on again after, unless it was off already."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# Per followed product (a lot received, or unlotted stock): what `stock list` shows, from the running
# stock_summary alone (pos/store/stock.py; its copy of the catalogue's name, category and unit is kept by
# migration 0016's triggers), in sku order by its key: no join, one b-tree walked in order.
# The columns are ProductStock's (weighed as 0/1; days_left from the first argument, today) but its lots.
#
# Days from today (?1, its day number: :func:`_day_number`) to the first expiry, as the till counts them: the summary
# keeps the first expiry also as a day number (first_day, migration 0017), so no date text is parsed per row.
_DAYS = "(first_day - ?1)"


def _day_number(day: date) -> int:
    """``day`` as stock_summary's first_day counts days (pos/store/stock.py FIRST_DAY)."""
    return day.toordinal()


_SUMMARY = ("SELECT sku, COALESCE(name, sku), COALESCE(category, ''), COALESCE(by_weight, weighed), on_hand, "
            "value_fen, unlotted, lots_with_stock, first_expiry, " + _DAYS + " "
            "FROM stock_summary s WHERE (lots > 0 OR unlotted != 0){where} ORDER BY sku{tail}")

# ``stock list``'s line per product, written by SQLite from the columns _SUMMARY reads (no join, the summary's
# b-tree walked in sku order), so the whole list of a 200,000-product store costs no Python per product:
#   SKU  NAME  库存 QTY  成本 ¥VALUE[  最早到期 DATE（DAYS）][  ⚠ 负库存（sold past zero）]
# with QTY as quantity_text writes it (kg with three decimals when weighed), VALUE as format_yuan and DAYS as
# the CLI's days text; or the JSON object of pos/cli/stock._product_json, spaced as json.dumps spaces it.
# Each row is (sku, line as UTF-8 bytes: the database keeps its text in UTF-8, SQLite's default); ?1 is
# today's day number. tests/integration/test_stock_list_lines.py holds them equal to the lines the
# CLI formats in Python (with --lots).
_NAME, _CATEGORY, _WEIGHED = "COALESCE(name, sku)", "COALESCE(category, '')", "COALESCE(by_weight, weighed)"
_LINE_FROM = " FROM stock_summary s WHERE (lots > 0 OR unlotted != 0){where} ORDER BY sku{tail}"
# The text line: sku, name, quantity and value in one printf per row (one format for weighed products, one for the
# others), then the expiry and the flag; VALUE's sign, yuan and fen as printf's arguments.
_YUAN_ARGS = "iif(value_fen < 0, '-', ''), abs(value_fen) / 100, abs(value_fen) % 100"
_LINE_TEXT = (f"SELECT sku, CAST(iif({_WEIGHED}, printf('%s  %s  库存 %s%d.%03d kg  成本 ¥%s%d.%02d', sku, {_NAME}, "
              f"iif(on_hand < 0, '-', ''), abs(on_hand) / 1000, abs(on_hand) % 1000, {_YUAN_ARGS}), "
              f"printf('%s  %s  库存 %d  成本 ¥%s%d.%02d', sku, {_NAME}, on_hand, {_YUAN_ARGS})) || "
              f"iif(COALESCE(first_expiry, '') = '', '', '  最早到期 ' || first_expiry || '（' || "
              f"CASE WHEN {_DAYS} IS NULL THEN '' WHEN {_DAYS} < 0 THEN '已过期 ' || -{_DAYS} || ' 天' "
              f"WHEN {_DAYS} = 0 THEN '今天到期' ELSE '剩 ' || {_DAYS} || ' 天' END || '）') || "
              "iif(unlotted < 0, '  ⚠ 负库存（sold past zero）', '') AS BLOB)" + _LINE_FROM)

# The JSON object in one printf per row, its quantity and value written by the same printf (a printf nested in
# another costs SQLite a format parsed and a string made per row: the list printed with --json took 569 ms, with
# them nested): one format for weighed products (kg with three decimals), one for the others, chosen per row.
# The quantity and value texts hold only digits, '-', '.' and ' kg', so they need no JSON quoting.
_JSON_HEAD = '{{"sku": %s, "name": %s, "category": %s, "weighed": '
_JSON_TAIL = ('"value": "%s%d.%02d", "value_fen": %d, "unlotted": %d, "past_zero": %s, "earliest_expiry": %s, '
              '"days_left": %s}}')
_JSON_KG = _JSON_HEAD + 'true, "on_hand": %d, "on_hand_text": "%s%d.%03d kg", ' + _JSON_TAIL
_JSON_UNITS = _JSON_HEAD + 'false, "on_hand": %d, "on_hand_text": "%d", ' + _JSON_TAIL
_JSON_FIRST = f"json_quote(sku), json_quote({_NAME}), json_quote({_CATEGORY})"
_JSON_LAST = (f"{_YUAN_ARGS}, value_fen, unlotted, "
              f"iif(unlotted < 0, 'true', 'false'), json_quote(first_expiry), COALESCE({_DAYS}, 'null')")
_LINE_JSON = (f"SELECT sku, CAST(iif({_WEIGHED}, "
              f"printf('{_JSON_KG}', {_JSON_FIRST}, on_hand, iif(on_hand < 0, '-', ''), abs(on_hand) / 1000, "
              f"abs(on_hand) % 1000, {_JSON_LAST}), "
              f"printf('{_JSON_UNITS}', {_JSON_FIRST}, on_hand, on_hand, {_JSON_LAST})) AS BLOB)" + _LINE_FROM)
_second = itemgetter(1)

_TRACE = ("SELECT m.doc_no, m.kind, m.line_no, m.sku, COALESCE(l.name, p.name, m.sku), m.lot_id, m.batch_no, m.quantity, "
          "COALESCE(l.weighed, p.sold_by = 'weight', 0), m.business_day, COALESCE(l.certificate_no, ''), "
          "COALESCE(l.quarantine_no, ''), COALESCE(l.origin, p.origin, ''), COALESCE(l.received_on, ''), l.expiry, "
          "COALESCE(b.supplier, '') FROM stock_moves m LEFT JOIN lots l ON l.lot_id = m.lot_id "
          "LEFT JOIN delivery_batches b ON b.batch_no = l.batch_no LEFT JOIN products p ON p.sku = m.sku ")


def _trace_line(r: Sequence[Any]) -> TraceLine:
    (doc, kind, line, sku, name, lot, batch, qty, weighed, day, cert, quarantine, origin, arrival, expiry, supplier) = r
    return TraceLine(doc, kind, int(line), sku, name, lot, batch, abs(int(qty)), bool(weighed), day, cert, quarantine,
                     origin, arrival, expiry, supplier)


def _prefixed(prefix: str, fields: str) -> str:
    out = []
    for f in fields.split(", "):
        out.append(f.replace("cost_fen - out_cost_fen", f"{prefix}cost_fen - {prefix}out_cost_fen")
                   if "-" in f else prefix + f)
    return ", ".join(out)


def _lot_stock(r: Sequence[Any], today: date) -> LotStock:
    lot_id, batch, on_hand, received, value, unit_cost, received_on, expiry, origin, cert, quarantine = r
    return LotStock(lot_id, batch, int(on_hand), int(received), int(value), int(unit_cost), received_on, expiry,
                    _days(expiry, today), origin or "", cert or "", quarantine or "")


def _days(expiry: str | None, today: date) -> int | None:
    return (date.fromisoformat(expiry) - today).days if expiry else None


def _replace_origin(r: BatchReport, origin: str) -> BatchReport:
    from dataclasses import replace

    return replace(r, origin=origin)


def _batch(state: StockState, lot_id: str | None) -> str:
    lot = state.lots.get(lot_id) if lot_id is not None else None
    return lot.batch_no if lot else ""


def _may_receive(by: User) -> None:
    """Receiving is the manager's task (the one who may adjust stock alone)."""
    if grant(by.role, Action.STOCK_RECEIVE) is not Grant.ALONE:
        raise InvalidInput(f"{by.login} may not receive goods: receiving (收货) is a manager's task",
                           message_zh=f"{by.login} 无权收货：收货须由店长操作")


def _policy(value: ExpiryPolicy | str) -> ExpiryPolicy:
    try:
        return ExpiryPolicy(value)
    except ValueError:
        raise InvalidInput(f"the expiry policy is warn or refuse, not '{value}'",
                           message_zh=f"过期商品处理方式须为 warn（提醒）或 refuse（禁止销售），而不是“{value}”") from None


def _reason(value: WriteOffReason | str) -> WriteOffReason:
    if isinstance(value, WriteOffReason):
        return value
    by_zh = {v: k for k, v in REASONS_ZH.items()}
    try:
        return WriteOffReason(by_zh.get(str(value).strip(), str(value).strip().lower()))
    except ValueError:
        raise InvalidInput(f"the reason of a write-off is spoiled, broken, expired or other, not '{value}'",
                           message_zh=f"报损原因须为 变质、破损、过期 或 其他，而不是“{value}”") from None


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > 200 or not note.isprintable():
        raise InvalidInput("the note must be one line of at most 200 characters", message_zh="备注须为一行，不超过200字")
    return note


def _state_with_lot(uow: Any, sku: str, lot_id: str | None) -> StockState:
    state = uow.stock_state([sku])
    if lot_id is not None and lot_id not in state.lots:
        from pos.store.stock import LOT_COLUMNS, lot_from_row

        row = uow.raw.execute(f"SELECT {LOT_COLUMNS} FROM lots WHERE lot_id = ?", (lot_id,)).fetchone()
        if row is None:
            raise InvalidInput(f"there is no lot {lot_id}", message_zh=f"没有批次行 {lot_id}")
        lot, pos = lot_from_row(row)
        state = StockState({**state.lots, lot.lot_id: lot}, {**state.positions, lot.lot_id: pos}, state.unlotted)
    return state


def _sheet_variances(state: StockState, sheet: Mapping[str, tuple[int, int]]) -> tuple[Any, ...]:
    """Variances of a sheet whose expected quantities were read when it was taken: counted − expected
    *at the sheet*, whatever was sold or received since, with their adjustments drawn from the lots as
    they stand now (pos.domain.stock.count_variances does the costing)."""
    out = []
    for sku in sorted(sheet):
        counted, expected = sheet[sku]
        variance = counted - expected
        now = state.on_hand(sku)
        target = now + variance
        st = state
        if target < 0:  # more missing than the books hold now: count from a state holding enough unlotted
            extra = -target
            st = StockState(state.lots, state.positions, {**state.unlotted, sku: state.unlotted.get(sku, 0) + extra})
            target = 0
        v = count_variances(st, (), {sku: target})[0]
        out.append(v)
    return tuple(out)


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def weighed_cost(quantity: int, unit_cost_fen: int) -> int:
    return div_round_half_up(quantity * unit_cost_fen, 1000)
