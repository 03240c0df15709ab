"""Receiving a delivery batch (收货): read a supplier's delivery note and decide what arrived.

Pure and standard library only. The file adapter (``pos.catalog_files``) turns a CSV or XLSX
delivery note into a header and numbered rows of strings; this module decides what they mean,
with the catalogue import's rules: headers in English or Chinese, every row checked, all or
nothing (one bad row refuses the whole note, so half a batch never reaches stock), problems
listed with their row numbers in English and Chinese, the first :data:`MAX_LISTED_PROBLEMS`
listed and the rest counted.

One file is one batch (e.g. ``SHKC-2026-48``): batch number, supplier, contact and arrival date
are the same on every row, or blank after the first row. Each row is one lot: a product, a
quantity (whole units, or kg with at most 3 decimals for weighed goods, kept as grams), a unit
cost (yuan per unit or per kg, kept as fen) and an expiry date (the last selling day), written
directly or as production date + shelf life (:func:`pos.domain.stock.expiry_from`: the
production day is day one). The same sku with a different expiry is a different lot; the same
sku with the same expiry twice is refused (see :func:`validate_delivery_note`).

Field rules (FIELD-NOTES, 2026-12): since :data:`CERTIFICATE_REQUIRED_FROM` fresh produce, meat
and eggs arrive with a 承诺达标合格证 (number or scanned QR payload), beef also with a quarantine
certificate number (a category setting, given by the product lookup), and receiving records are
kept at least six months (:func:`kept_until`).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from .catalog_import import normalise_header
from .errors import InvalidInput, PosError
from .money import Fen, parse_positive_yuan, weighed_amount
from .stock import expiry_from

# --- rules ----------------------------------------------------------------------------------

# 农业农村部令2025年第4号: 承诺达标合格证 required for produce, meat and eggs arriving from this day.
CERTIFICATE_REQUIRED_FROM = date(2026, 2, 1)
# 食品安全法 §65 and the 合格证 rules: the buyer keeps receiving records at least six months.
RETENTION_MONTHS = 6
# How many problems (and warnings) a delivery note lists; the rest are counted.
MAX_LISTED_PROBLEMS = 50
MAX_TEXT_LENGTH = 100
MAX_CODE_LENGTH = 40
MAX_QR_LENGTH = 1000
# Far above any shelf life of food (10 years); a bigger number is a typo (days for a date?).
MAX_SHELF_LIFE_DAYS = 3650
# Far above a delivery: 100 t of a weighed product or a million units; stops absurd typos.
MAX_GRAMS = 100_000_000
MAX_UNITS = 1_000_000
# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29), so serial 46354 is 2026-11-28.
EXCEL_EPOCH = date(1899, 12, 30)

FIELDS: tuple[str, ...] = (
    "batch",
    "supplier",
    "supplier_contact",
    "arrival",
    "sku",
    "barcode",
    "quantity",
    "unit_cost",
    "expiry",
    "production_date",
    "shelf_life_days",
    "origin",
    "certificate",
    "certificate_qr",
    "quarantine",
)

FIELD_LABELS_ZH: dict[str, str] = {
    "batch": "批次号",
    "supplier": "供应商",
    "supplier_contact": "联系方式",
    "arrival": "到货日期",
    "sku": "商品编码",
    "barcode": "条码",
    "quantity": "数量",
    "unit_cost": "进价",
    "expiry": "到期日",
    "production_date": "生产日期",
    "shelf_life_days": "保质期天数",
    "origin": "产地",
    "certificate": "合格证编号",
    "certificate_qr": "合格证二维码",
    "quarantine": "检疫证明编号",
}

# Header spellings, already normalised by ``normalise_header``.
_ALIASES: dict[str, tuple[str, ...]] = {
    "batch": ("batch", "batchno", "批次号", "批次", "批号"),
    "supplier": ("supplier", "供应商", "供货商"),
    "supplier_contact": ("suppliercontact", "contact", "联系方式", "联系电话", "电话"),
    "arrival": ("arrival", "arrivaldate", "到货日期", "收货日期", "到货日"),
    "sku": ("sku", "商品编码", "商品编号", "货号"),
    "barcode": ("barcode", "条码", "条形码", "ean"),
    "quantity": ("quantity", "qty", "数量"),
    "unit_cost": ("unitcost", "cost", "进价", "进货价", "单位成本"),
    "expiry": ("expiry", "expirydate", "到期日", "到期日期", "有效期至"),
    "production_date": ("productiondate", "生产日期"),
    "shelf_life_days": ("shelflifedays", "shelflife", "保质期天数", "保质期"),
    "origin": ("origin", "产地"),
    "certificate": ("certificate", "certificateno", "合格证编号", "合格证号", "合格证"),
    "certificate_qr": ("certificateqr", "合格证二维码", "二维码"),
    "quarantine": ("quarantine", "quarantineno", "检疫证明编号", "检疫证号", "检疫证明"),
}
_HEADER_TO_FIELD: dict[str, str] = {alias: f for f, names in _ALIASES.items() for alias in names}

# Needed as columns; sku/barcode and the expiry columns are checked as alternatives.
REQUIRED_FIELDS: tuple[str, ...] = ("batch", "supplier", "supplier_contact", "arrival", "quantity", "unit_cost")
BATCH_FIELDS: tuple[str, ...] = ("batch", "supplier", "supplier_contact", "arrival")
_FIELD_ORDER = {f: i for i, f in enumerate(("",) + FIELDS)}

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3002: ord(".")}
_KG = re.compile(r"^(?P<int>\d{1,9})(?:\.(?P<frac>\d*))?\s*(?:kg|公斤|千克)?$")
_UNITS = re.compile(r"^\d{1,9}$")
_DATE_SEPARATED = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DATE_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_EXCEL_SERIAL = re.compile(r"^(?P<n>\d{1,5})(?:\.0+)?$")
_DAYS = re.compile(r"^\d{1,6}$")
_SPACE = re.compile(r"\s")
_PLAIN_YUAN = re.compile(r"^(?P<int>\d{1,9})(?:\.(?P<frac>\d{1,2}))?$")


# --- results --------------------------------------------------------------------------------


class RowProblem(NamedTuple):
    """One problem (or warning) in one cell of the delivery note, or in the row when ``column`` is empty.

    ``row`` is the row number a person sees in the file (the header is row 1); 0 means the single
    line typed or scanned on the manager's receiving screen. Immutable like the other results, but a
    named tuple rather than a frozen dataclass: a wrong note makes one per bad cell, and this is
    several times cheaper to build (it keeps a 300,000-row note under the 5 s budget).
    """

    row: int
    column: str
    reason: str
    reason_zh: str

    def __str__(self) -> str:
        where = ("this line" if self.row == 0 else f"row {self.row}") + (f", {self.column}" if self.column else "")
        return f"{where}: {self.reason}"

    @property
    def message_zh(self) -> str:
        """The Chinese line, e.g. ``第7行，进价：“12.805”超过两位小数（最小单位为 0.01 元）``."""
        label = FIELD_LABELS_ZH.get(self.column, self.column)
        where = "本行" if self.row == 0 else f"第{self.row}行"
        return f"{where}，{label}：{self.reason_zh}" if label else f"{where}：{self.reason_zh}"


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What receiving needs to know of a product, from the catalogue and its category's settings."""

    sku: str
    weighed: bool = False  # sold by weight: quantity in kg on the note, grams in stock
    category: str = ""
    needs_certificate: bool = False  # fresh produce, meat, eggs: 承诺达标合格证
    needs_quarantine: bool = False  # e.g. beef: 动物检疫合格证明


ProductLookup = Callable[[str], "ProductFacts | None"]


@dataclass(frozen=True, slots=True)
class CertificateQr:
    """What a 合格证 QR payload says, as far as it can be read.

    No national payload format is given (FIELD-NOTES): ``raw`` is always kept as scanned; the
    other fields are filled only when the payload is labelled text such as
    ``品名:土鸡蛋;数量:30枚;产地:青田;日期:2026-11-27;开具人:…;联系方式:…``.
    """

    raw: str
    number: str = ""
    name: str = ""
    quantity: str = ""
    origin: str = ""
    issued: date | None = None
    issuer: str = ""
    contact: str = ""

    @property
    def structured(self) -> bool:
        return any((self.number, self.name, self.quantity, self.origin, self.issued, self.issuer, self.contact))


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """One lot of a delivery: ``quantity`` is grams when ``weighed`` (then the cost is per kg), else units."""

    sku: str
    quantity: int
    unit_cost_fen: Fen
    expiry: date
    weighed: bool = False
    production_date: date | None = None
    origin: str = ""
    certificate: str = ""
    certificate_qr: str = ""
    quarantine: str = ""
    row: int = 0

    @property
    def cost_fen(self) -> Fen:
        """The line's cost: units × cost, or grams × cost per kg / 1000 rounded half up to the fen
        (四舍五入, the one rule for weighed goods, as the supplier's scale-priced note does and as
        a stock lot values itself), so the batch total is the sum of what the lots will cost."""
        return weighed_amount(self.unit_cost_fen, self.quantity) if self.weighed else self.quantity * self.unit_cost_fen


@dataclass(frozen=True, slots=True)
class GoodsReceipt:
    """A delivery batch as received: the receiving record the shop must keep six months."""

    batch: str
    supplier: str
    contact: str
    arrival: date
    lines: tuple[ReceiptLine, ...]

    @property
    def total_cost_fen(self) -> Fen:
        """Exact: the sum of the lines' costs, each rounded once (see :attr:`ReceiptLine.cost_fen`)."""
        return sum(line.cost_fen for line in self.lines)

    @property
    def kept_until(self) -> date:
        return kept_until(self.arrival)


@dataclass(frozen=True, slots=True)
class DeliveryNoteCheck:
    """What a delivery note would receive. ``receipt`` is None whenever there is any error.

    ``errors`` and ``warnings`` each list at most :data:`MAX_LISTED_PROBLEMS` in file order;
    ``more_errors`` / ``more_warnings`` count the ones left out. Warnings (e.g. a 合格证 QR whose
    origin differs from the row's) never refuse the note; the manager sees them before confirming.
    """

    receipt: GoodsReceipt | None
    errors: tuple[RowProblem, ...]
    warnings: tuple[RowProblem, ...] = ()
    rows_checked: int = 0
    more_errors: int = 0
    more_warnings: int = 0

    @property
    def ok(self) -> bool:
        return self.receipt is not None and not self.errors and not self.more_errors

    @property
    def problem_count(self) -> int:
        return len(self.errors) + self.more_errors


@dataclass(frozen=True, slots=True)
class LineCheck:
    """The receiving screen's verdict on one typed or scanned line: a line, or its problems."""

    line: ReceiptLine | None
    errors: tuple[RowProblem, ...]
    warnings: tuple[RowProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.line is not None


class _Bad(InvalidInput):
    """A refused cell, carried from a field parser to the row checker."""

    def __init__(self, message: str, *, message_zh: str) -> None:
        # Lean on purpose: a wrong note of 300,000 rows raises one per bad cell.
        Exception.__init__(self, message)
        self.message, self.message_zh, self.details = message, message_zh, {}


# --- retention ------------------------------------------------------------------------------


def kept_until(arrival: date) -> date:
    """The last day a receiving record must still be kept: arrival + :data:`RETENTION_MONTHS` calendar
    months. A day missing in the target month falls back to that month's last day (08-31 → 02-28,
    or 02-29 in a leap year), which is still six full calendar months; it may be deleted the day after."""
    months = arrival.month - 1 + RETENTION_MONTHS
    year, month = arrival.year + months // 12, months % 12 + 1
    return date(year, month, min(arrival.day, calendar.monthrange(year, month)[1]))


# --- header ---------------------------------------------------------------------------------


def map_header(header: Sequence[str], *, header_row: int = 1) -> tuple[dict[str, int], list[RowProblem]]:
    """Map each known column to its field key, or list what is wrong with the header row.

    Unknown and repeated columns and missing required ones are errors; so is a note with neither
    ``sku`` nor ``barcode``, and one with neither ``expiry`` nor ``production_date`` + ``shelf_life_days``.
    """
    columns: dict[str, int] = {}
    errors: list[RowProblem] = []
    for index, raw in enumerate(header):
        if not raw.strip():
            continue
        f = _HEADER_TO_FIELD.get(normalise_header(raw))
        if f is None:
            errors.append(RowProblem(header_row, "", f"column {index + 1} '{raw}' is not a delivery note column "
                                     f"({', '.join(FIELDS)})",
                                     f"第{index + 1}列“{raw}”不是送货单的列（可用：{'、'.join(FIELD_LABELS_ZH.values())}）"))
        elif f in columns:
            errors.append(RowProblem(header_row, "", f"column {index + 1} '{raw}' repeats column {columns[f] + 1} ({f})",
                                     f"第{index + 1}列“{raw}”与第{columns[f] + 1}列重复（{FIELD_LABELS_ZH[f]}）"))
        else:
            columns[f] = index
    for f in REQUIRED_FIELDS:
        if f not in columns:
            errors.append(RowProblem(header_row, f, f"the required column '{f}' is missing",
                                     f"缺少必需的列“{FIELD_LABELS_ZH[f]}”（{f}）"))
    if "sku" not in columns and "barcode" not in columns:
        errors.append(RowProblem(header_row, "sku", "the note needs a 'sku' or a 'barcode' column",
                                 "送货单需要“商品编码”或“条码”列"))
    if "expiry" not in columns and not ("production_date" in columns and "shelf_life_days" in columns):
        errors.append(RowProblem(header_row, "expiry",
                                 "the note needs an 'expiry' column, or 'production_date' and 'shelf_life_days'",
                                 "送货单需要“到期日”列，或“生产日期”和“保质期天数”两列"))
    return columns, errors


# --- field parsers: each returns the value or raises _Bad with both wordings --------------------


def _ascii(value: str) -> str:
    """Full-width digits and punctuation (２０２６．１１) as ASCII; ASCII text skips the slow translate."""
    return value if value.isascii() else value.translate(_FULLWIDTH)


def _text(value: str, label: str, label_zh: str, *, limit: int = MAX_TEXT_LENGTH) -> str:
    # Line breaks and control characters (Alt+Enter in Excel) would break records and labels.
    # isprintable() is the fast path; it also fails on spaces such as U+3000, which are allowed.
    if not value.isprintable() and any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")
                                       for ch in value):
        raise _Bad(f"{label} has a line break or control character", message_zh=f"{label_zh}含有换行或控制字符")
    if len(value) > limit:
        raise _Bad(f"{label} is longer than {limit} characters", message_zh=f"{label_zh}超过{limit}个字符")
    return value


def _required_text(value: str, label: str, label_zh: str, *, limit: int = MAX_TEXT_LENGTH) -> str:
    if not value:
        raise _Bad(f"{label} is empty", message_zh=f"{label_zh}为空")
    return _text(value, label, label_zh, limit=limit)


def parse_code(value: str, label: str = "code", label_zh: str = "编码") -> str:
    """A batch number, sku or barcode: no spaces, at most :data:`MAX_CODE_LENGTH` characters."""
    if _SPACE.search(value):
        raise _Bad(f"{label} '{value}' contains spaces", message_zh=f"{label_zh}“{value}”含有空格")
    return _required_text(value, label, label_zh, limit=MAX_CODE_LENGTH)


def parse_date(value: str, label: str = "date", label_zh: str = "日期") -> date:
    """A date as suppliers write it: ``2026-11-28``, ``2026/11/28``, ``2026.11.28``, ``20261128``,
    or an Excel date serial (``46354`` = 2026-11-28, counted from 1899-12-30) when a date cell was
    read as a plain number. A midnight time (``2026-11-28 00:00:00``, from a date-time cell) is accepted."""
    s = _ascii(value).strip()
    if len(s) == 10 and s[4] == "-" and s[7] == "-" and s[:4].isdigit():
        try:
            return date.fromisoformat(s)  # the common spelling, read in C
        except ValueError:
            pass  # fall through for the full message
    if not s:
        raise _Bad(f"{label} is empty", message_zh=f"{label_zh}为空")
    m = _DATE_SEPARATED.match(s) or _DATE_COMPACT.match(s)
    try:
        if m:
            return date(int(m["y"]), int(m["m"]), int(m["d"]))
        serial = _EXCEL_SERIAL.match(s)
        if serial and 1 <= int(serial["n"]) <= 2958465:  # 2958465 = 9999-12-31
            return EXCEL_EPOCH + timedelta(days=int(serial["n"]))
    except ValueError:
        raise _Bad(f"{label} '{value}' is not a real date", message_zh=f"{label_zh}“{value}”不是有效日期") from None
    raise _Bad(f"{label} '{value}' is not a date (write 2026-11-28)",
               message_zh=f"{label_zh}“{value}”不是日期（请写成 2026-11-28）")


def parse_quantity(value: str, weighed: bool) -> int:
    """Units for counted goods (``24``), grams for weighed goods written in kg (``12.345`` → 12345).

    A weighed quantity with more than 3 decimals is refused, not rounded: stock is kept to the gram,
    and a quietly rounded delivery would not match the supplier's note.
    """
    s = _ascii(value).strip().lower()
    if not s:
        raise _Bad("quantity is empty", message_zh="数量为空")
    if weighed:
        m = _KG.match(s)
        if not m:
            raise _Bad(f"quantity '{value}' is not a weight in kg (write 12.345)",
                       message_zh=f"数量“{value}”不是千克重量（请写成 12.345）")
        frac = m["frac"] or ""
        if len(frac) > 3:
            raise _Bad(f"quantity '{value}' has more than 3 decimals (the smallest weight is 1 g = 0.001 kg)",
                       message_zh=f"数量“{value}”超过三位小数（最小单位为 1 克 = 0.001 千克）")
        amount = int(m["int"]) * 1000 + int(frac.ljust(3, "0"))
        limit = MAX_GRAMS
    elif s.isdigit() and s.isascii() and len(s) <= 9:
        amount = int(s)  # the common case, whole units
        limit = MAX_UNITS
    else:
        if not _UNITS.match(s):
            raise _Bad(f"quantity '{value}' is not a whole number of units",
                       message_zh=f"数量“{value}”不是整数件数")
        amount = int(s)
        limit = MAX_UNITS
    if amount <= 0:
        raise _Bad("quantity must be more than 0", message_zh="数量必须大于 0")
    if amount > limit:
        limit_text = f"{limit // 1000} kg" if weighed else f"{limit} units"
        raise _Bad(f"quantity '{value}' is more than {limit_text}; check the note", message_zh=f"数量“{value}”过大，请核对")
    return amount


def parse_unit_cost(value: str) -> Fen:
    """Yuan per unit (or per kg for weighed goods), more than 0, at most two decimals: ``12.80`` → 1280.

    A cost below the fen is refused rather than rounded: a rounded cost per kg, multiplied by a
    delivery's weight, would no longer match the supplier's total.
    """
    if value.isdigit() and value.isascii() and len(value) <= 9 and value != "0" * len(value):
        return int(value) * 100  # whole yuan, the most common cost on a note
    plain = _PLAIN_YUAN.match(value)
    if plain and (fen := int(plain["int"]) * 100 + int((plain["frac"] or "").ljust(2, "0"))) > 0:
        return fen  # the common case, e.g. 6.35, read without the general money parser
    try:
        return parse_positive_yuan(value, "unit cost", "进价")
    except PosError as exc:
        raise _Bad(exc.message, message_zh=exc.message_zh) from None


def parse_shelf_life(value: str) -> int:
    """Whole days, 1 to :data:`MAX_SHELF_LIFE_DAYS`."""
    s = _ascii(value).strip().removesuffix("天").removesuffix("days").strip()
    if not _DAYS.match(s) or not 1 <= int(s) <= MAX_SHELF_LIFE_DAYS:
        raise _Bad(f"shelf life '{value}' is not a number of days from 1 to {MAX_SHELF_LIFE_DAYS}",
                   message_zh=f"保质期“{value}”不是 1 至 {MAX_SHELF_LIFE_DAYS} 的天数")
    return int(s)


_QR_KEYS: dict[str, str] = {
    "编号": "number", "合格证编号": "number", "no": "number", "number": "number",
    "品名": "name", "名称": "name", "产品名称": "name", "name": "name",
    "数量": "quantity", "重量": "quantity", "quantity": "quantity",
    "产地": "origin", "origin": "origin",
    "日期": "issued", "开具日期": "issued", "开证日期": "issued", "date": "issued",
    "开具人": "issuer", "开具单位": "issuer", "出具人": "issuer", "生产者": "issuer", "issuer": "issuer",
    "联系方式": "contact", "联系电话": "contact", "电话": "contact", "contact": "contact",
}
_QR_PAIR = re.compile(r"^\s*(?P<key>[^:：=]{1,10})\s*[:：=]\s*(?P<value>.*?)\s*$")


def parse_certificate_qr(value: str) -> CertificateQr:
    """A scanned 合格证 QR payload: opaque text, at most :data:`MAX_QR_LENGTH` characters and no
    control characters; labelled parts (``产地:青田;日期:2026-11-27``, separated by ``;``/``；``/``|``)
    are read out for cross-checks. An unreadable part is ignored, never an error: the payload
    is the supplier's, and the shop only has to keep it."""
    raw = _text(value, "certificate QR", "合格证二维码", limit=MAX_QR_LENGTH)
    found: dict[str, str] = {}
    if not raw.lower().startswith(("http://", "https://")):
        for part in re.split(r"[;；|]", raw):
            m = _QR_PAIR.match(part)
            key = _QR_KEYS.get(m["key"].strip().casefold()) if m else None
            if m and key and m["value"] and key not in found:
                found[key] = m["value"]
    issued: date | None = None
    if "issued" in found:
        try:
            issued = parse_date(found.pop("issued"))
        except _Bad:
            issued = None
    return CertificateQr(raw=raw, issued=issued, **found)


# --- one line -------------------------------------------------------------------------------


_LINE_PARSERS: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("unit_cost", parse_unit_cost),
    ("expiry", lambda v: parse_date(v, "expiry", "到期日")),
    ("production_date", lambda v: parse_date(v, "production date", "生产日期")),
    ("shelf_life_days", parse_shelf_life),
    ("origin", lambda v: _text(v, "origin", "产地", limit=40)),
    ("certificate", lambda v: _text(v, "certificate number", "合格证编号", limit=MAX_CODE_LENGTH)),
    ("certificate_qr", parse_certificate_qr),
    ("quarantine", lambda v: _text(v, "quarantine certificate number", "检疫证明编号", limit=MAX_CODE_LENGTH)),
)


def _check_line(
    row_no: int, cells: Mapping[str, str], arrival: date | None, lookup: ProductLookup
) -> tuple[ReceiptLine | None, list[RowProblem], list[RowProblem]]:
    """Every per-line rule, shared by the delivery note and the receiving screen.

    ``cells`` holds every name of :data:`FIELDS`, ``""`` for a blank cell."""
    errors: list[RowProblem] = []
    warnings: list[RowProblem] = []
    values: dict[str, object] = {}
    cell = cells.__getitem__

    def bad(f: str, reason: str, reason_zh: str) -> None:
        errors.append(RowProblem(row_no, f, reason, reason_zh))

    facts = _resolve(row_no, cell("sku"), cell("barcode"), lookup, errors)
    weighed = facts.weighed if facts else False
    if facts is not None:
        try:
            values["quantity"] = parse_quantity(cell("quantity"), weighed)
        except _Bad as exc:
            bad("quantity", exc.message, exc.message_zh)
    elif not cell("quantity"):
        bad("quantity", "quantity is empty", "数量为空")
    for f, parse in _LINE_PARSERS:
        value = cells[f]
        if not value and f != "unit_cost":
            values[f] = None  # blank optional cells are the common case, kept cheap for big files
            continue
        try:
            values[f] = parse(value)
        except _Bad as exc:
            bad(f, exc.message, exc.message_zh)

    expiry = _expiry(row_no, values, arrival, errors)
    if facts is not None and arrival is not None and arrival >= CERTIFICATE_REQUIRED_FROM:
        if facts.needs_certificate and not cell("certificate") and not cell("certificate_qr"):
            bad("certificate", f"{facts.sku} ({facts.category or 'this category'}) must arrive with a quality-promise certificate (承诺达标合格证): "
                "give its number or scan its QR",
                f"{facts.sku}（{facts.category or '该类别'}）须附承诺达标合格证：请填写编号或扫描二维码")
    if facts is not None and facts.needs_quarantine and not cell("quarantine"):
        bad("quarantine", f"{facts.sku} ({facts.category or 'this category'}) needs a quarantine certificate number",
            f"{facts.sku}（{facts.category or '该类别'}）须填写动物检疫合格证明编号")
    qr = values.get("certificate_qr")
    if isinstance(qr, CertificateQr):
        warnings.extend(_qr_warnings(row_no, qr, cells, arrival))

    if errors or facts is None or expiry is None:
        if len(errors) > 1:
            errors.sort(key=lambda e: _FIELD_ORDER.get(e.column, 0))
        return None, errors, warnings
    production = values.get("production_date")
    return ReceiptLine(
        sku=facts.sku,
        quantity=int(str(values["quantity"])),
        unit_cost_fen=int(str(values["unit_cost"])),
        expiry=expiry,
        weighed=weighed,
        production_date=production if isinstance(production, date) else None,
        origin=cell("origin"),
        certificate=cell("certificate"),
        certificate_qr=qr.raw if isinstance(qr, CertificateQr) else "",
        quarantine=cell("quarantine"),
        row=row_no,
    ), [], warnings


def _resolve(row_no: int, sku: str, barcode: str, lookup: ProductLookup, errors: list[RowProblem]) -> ProductFacts | None:
    """The product named by the sku and/or barcode; both given must name the same product."""
    if not sku and not barcode:
        errors.append(RowProblem(row_no, "sku", "give the product's sku or barcode", "请填写商品编码或条码"))
        return None
    if not barcode and not _SPACE.search(sku) and len(sku) <= MAX_CODE_LENGTH and sku.isprintable():
        facts = lookup(sku)  # the common case: a plain sku alone
        if facts is not None:
            return facts
    found: list[ProductFacts] = []
    for f, label, label_zh, code in (("sku", "sku", "商品编码", sku), ("barcode", "barcode", "条码", barcode)):
        if not code:
            continue
        try:
            parse_code(code, label, label_zh)
        except _Bad as exc:
            errors.append(RowProblem(row_no, f, exc.message, exc.message_zh))
            continue
        facts = lookup(code)
        if facts is None:
            errors.append(RowProblem(row_no, f, f"{label} '{code}' is not in the catalogue",
                                     f"{label_zh}“{code}”不在商品目录中"))
        else:
            found.append(facts)
    if len(found) == 2 and found[0].sku != found[1].sku:
        errors.append(RowProblem(row_no, "barcode", f"barcode '{barcode}' is {found[1].sku}, not {found[0].sku}",
                                 f"条码“{barcode}”属于 {found[1].sku}，不是 {found[0].sku}"))
        return None
    return found[0] if found and len(found) == (bool(sku) + bool(barcode)) else None


def _expiry(row_no: int, values: dict[str, object], arrival: date | None, errors: list[RowProblem]) -> date | None:
    """Expiry (the last selling day) as written, or from production date + shelf life; both given must agree."""
    expiry, production, days = values.get("expiry"), values.get("production_date"), values.get("shelf_life_days")
    if production is None and days is None and isinstance(expiry, date):
        if arrival is not None and expiry < arrival:
            pass  # refused below with its message
        else:
            return expiry  # the common case: an expiry date and nothing else
    if any(e.column in ("expiry", "production_date", "shelf_life_days") for e in errors):
        return None
    # One rule with the stock lots (stock.expiry_from): the production day is day one, so 7 days from
    # 12-01 ends on 12-07; of the two readings this one never sells a day too long.
    derived = expiry_from(production, days) if isinstance(production, date) and isinstance(days, int) else None
    if production is not None and days is None and expiry is None:
        errors.append(RowProblem(row_no, "shelf_life_days", "a production date needs the shelf life in days",
                                 "有生产日期时须填写保质期天数"))
        return None
    if days is not None and production is None:
        errors.append(RowProblem(row_no, "production_date", "a shelf life needs the production date",
                                 "有保质期天数时须填写生产日期"))
        return None
    if expiry is None and derived is None:
        errors.append(RowProblem(row_no, "expiry", "give the expiry date, or the production date and shelf life",
                                 "请填写到期日，或生产日期和保质期天数"))
        return None
    if isinstance(expiry, date) and derived is not None and expiry != derived:
        errors.append(RowProblem(row_no, "expiry",
                                 f"expiry {expiry} does not match production date {production} + {days} days = {derived}",
                                 f"到期日 {expiry} 与生产日期 {production} + {days} 天 = {derived} 不符"))
        return None
    final = expiry if isinstance(expiry, date) else derived
    if isinstance(production, date) and isinstance(final, date) and final < production:
        errors.append(RowProblem(row_no, "expiry", f"expiry {final} is before the production date {production}",
                                 f"到期日 {final} 早于生产日期 {production}"))
        return None
    if arrival is not None and isinstance(production, date) and production > arrival:
        errors.append(RowProblem(row_no, "production_date", f"production date {production} is after arrival {arrival}",
                                 f"生产日期 {production} 晚于到货日期 {arrival}"))
        return None
    if arrival is not None and isinstance(final, date) and final < arrival:
        # Expired food may not be sold (食品安全法 §34); receiving it into stock would only feed 报损.
        errors.append(RowProblem(row_no, "expiry", f"the goods expired on {final}, before arrival {arrival}",
                                 f"商品已于 {final} 过期，早于到货日期 {arrival}"))
        return None
    return final if isinstance(final, date) else None


def _qr_warnings(row_no: int, qr: CertificateQr, cells: Mapping[str, str], arrival: date | None) -> list[RowProblem]:
    """What the 合格证 QR says that disagrees with the row: shown to the manager, never refusing."""
    out: list[RowProblem] = []
    origin = cells["origin"]
    if qr.origin and origin and origin not in qr.origin and qr.origin not in origin:
        out.append(RowProblem(row_no, column="certificate_qr",
                              reason=f"the certificate (合格证) QR says origin {qr.origin}, the row says {origin}",
                              reason_zh=f"合格证二维码的产地为 {qr.origin}，本行为 {origin}"))
    number = cells["certificate"]
    if qr.number and number and qr.number != number:
        out.append(RowProblem(row_no, column="certificate_qr",
                              reason=f"the certificate (合格证) QR carries number {qr.number}, the row says {number}",
                              reason_zh=f"合格证二维码的编号为 {qr.number}，本行为 {number}"))
    if qr.issued and arrival and qr.issued > arrival:
        out.append(RowProblem(row_no, column="certificate_qr",
                              reason=f"the certificate (合格证) QR is dated {qr.issued}, after arrival {arrival}",
                              reason_zh=f"合格证二维码的日期 {qr.issued} 晚于到货日期 {arrival}"))
    return out


def check_line(
    fields: Mapping[str, str], *, arrival: date, lookup: ProductLookup, lines_so_far: Sequence[ReceiptLine] = ()
) -> LineCheck:
    """The receiving screen: check one line typed or scanned (keys are :data:`FIELDS` names, e.g.
    ``{"barcode": …, "quantity": "12.5", "unit_cost": "9.80", "expiry": "2026-12-10"}``) with the
    delivery note's rules, for a batch arriving on ``arrival``. Problems carry row 0 (本行).

    ``lines_so_far`` are the lines already on the screen: the same sku and expiry again is refused,
    as in a file (the manager edits the earlier line's quantity instead)."""
    clean = {f: str(fields.get(f, "")).strip() for f in FIELDS}
    line, errors, warnings = _check_line(0, clean, arrival, lookup)
    if line is not None:
        twin = next((x for x in lines_so_far if (x.sku, x.expiry) == (line.sku, line.expiry)), None)
        if twin is not None:
            errors = [RowProblem(0, "sku", f"{line.sku} with expiry {line.expiry} is already on the list: "
                                 "change that line's quantity", f"{line.sku}（到期日 {line.expiry}）已在列表中：请修改该行数量")]
            line = None
    return LineCheck(line, tuple(errors), tuple(warnings))


# --- the whole note -------------------------------------------------------------------------


class _Listed:
    """Keeps the first :data:`MAX_LISTED_PROBLEMS` and counts the rest (a wrong file may have millions)."""

    def __init__(self) -> None:
        self.items: list[RowProblem] = []
        self.more = 0

    def add(self, problems: Sequence[RowProblem]) -> None:
        if not problems:
            return
        room = max(0, MAX_LISTED_PROBLEMS - len(self.items))
        self.items.extend(problems[:room])
        self.more += max(0, len(problems) - room)

    def __bool__(self) -> bool:
        return bool(self.items) or self.more > 0


def validate_delivery_note(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    lookup: ProductLookup,
    *,
    header_row: int = 1,
) -> DeliveryNoteCheck:
    """Check a whole delivery note and build its :class:`GoodsReceipt`, or report every problem.

    ``rows`` are ``(row_number, cells)``; fully blank rows are skipped. If the header is wrong no
    row is checked. The batch fields are taken from the first row that has them; any later row
    that gives a different value is refused (blank is fine). A row with the same sku and expiry
    as an earlier row is refused as a duplicate, not merged: a delivery note lists each lot once,
    and a line typed twice (or two lots with different costs or certificates under one expiry)
    must be sorted out by the manager, not silently doubled or averaged.
    """
    columns, header_errors = map_header([str(h) for h in header], header_row=header_row)
    known: dict[str, ProductFacts | None] = {}

    def remembered(code: str) -> ProductFacts | None:
        # One look-up per code and note: a note repeats its products, and the look-up may be a query.
        if code not in known:
            known[code] = lookup(code)
        return known[code]

    if header_errors:
        listed = _Listed()
        listed.add(header_errors)
        return DeliveryNoteCheck(None, tuple(listed.items), more_errors=listed.more)
    errors, warnings = _Listed(), _Listed()
    batch: dict[str, str] = {}
    batch_row: dict[str, int] = {}
    arrival: date | None = None
    arrival_bad = False
    lots: dict[tuple[str, date], int] = {}
    lines: list[ReceiptLine] = []
    mapped = set(columns.values())
    unmapped = [i for i in range(len(header)) if i not in mapped]
    # The field of each column, or a placeholder key for a column without one (its cells are checked above).
    names = [next((f for f, i in columns.items() if i == index), f"#{index}") for index in range(len(header))]
    blank = dict.fromkeys(FIELDS, "")
    checked = 0
    for row_no, raw_cells in rows:
        try:
            cells = list(map(str.strip, raw_cells))
        except TypeError:  # a cell that is not text (a caller's number): read it as its text
            cells = [str(c).strip() for c in raw_cells]
        if not any(cells):
            continue
        checked += 1
        row_errors: list[RowProblem] = []
        width = len(cells)
        stray = width > len(header) or any(cells[i] for i in unmapped if i < width)
        for index, value in enumerate(cells if stray else ()):
            if value and index not in mapped:
                where, where_zh = ("beyond the last column", "超出表头范围") if index >= len(header) else (
                    "in a column without a header", "位于没有表头的列")
                row_errors.append(RowProblem(row_no, "", f"'{value}' in column {index + 1} is {where}",
                                             f"第{index + 1}列的“{value}”{where_zh}"))

        named = blank.copy()
        named.update(zip(names, cells, strict=False))  # short rows keep blanks; long rows are refused above
        for f in BATCH_FIELDS if len(batch) < len(BATCH_FIELDS) or any(named[f] for f in BATCH_FIELDS) else ():
            value = named[f]
            if not value:
                if f not in batch:
                    row_errors.append(RowProblem(row_no, f, f"{f} is empty", f"{FIELD_LABELS_ZH[f]}为空"))
                continue
            if f not in batch:
                try:
                    if f == "arrival":
                        arrival = parse_date(value, "arrival date", "到货日期")
                    elif f == "batch":
                        parse_code(value, "batch", "批次号")
                    else:
                        _text(value, f, FIELD_LABELS_ZH[f], limit=MAX_CODE_LENGTH if f == "supplier_contact" else 60)
                except _Bad as exc:
                    row_errors.append(RowProblem(row_no, f, exc.message, exc.message_zh))
                    arrival_bad = arrival_bad or f == "arrival"
                batch[f], batch_row[f] = value, row_no
            elif value != batch[f]:
                row_errors.append(RowProblem(row_no, f, f"one note is one batch: {f} '{value}' differs from "
                                             f"'{batch[f]}' in row {batch_row[f]}",
                                             f"一张送货单只能是一个批次：{FIELD_LABELS_ZH[f]}“{value}”与第{batch_row[f]}行的"
                                             f"“{batch[f]}”不同"))
        line, line_errors, line_warnings = _check_line(row_no, named, None if arrival_bad else arrival, remembered)
        row_errors.extend(line_errors)
        if line is not None:
            first = lots.setdefault((line.sku, line.expiry), row_no)
            if first != row_no:
                row_errors.append(RowProblem(row_no, "sku", f"{line.sku} with expiry {line.expiry} is also in row {first} "
                                             "(one lot per row: add the quantities into one row)",
                                             f"{line.sku}（到期日 {line.expiry}）与第{first}行重复（同一批号请合并为一行）"))
        if len(row_errors) > 1:
            row_errors.sort(key=lambda e: _FIELD_ORDER.get(e.column, 0))  # left to right, as the manager reads
        errors.add(row_errors)
        warnings.add(line_warnings)
        if line is not None and not errors:
            lines.append(line)
    if checked == 0:
        errors.add([RowProblem(header_row, "", "there are no goods under the header", "表头下面没有任何商品")])
    if errors or arrival is None:
        return DeliveryNoteCheck(None, tuple(errors.items), tuple(warnings.items), checked, errors.more, warnings.more)
    receipt = GoodsReceipt(batch["batch"], batch["supplier"], batch["supplier_contact"], arrival, tuple(lines))
    return DeliveryNoteCheck(receipt, (), tuple(warnings.items), checked, 0, warnings.more)
