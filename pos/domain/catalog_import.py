"""Catalogue import: map a spreadsheet's header to product fields and check every row.

Pure and standard library only. The file adapter (``pos.catalog_files``) turns a CSV or XLSX
file into a header and numbered rows of strings; this module decides what they mean.

The rule for a manager's import is all or nothing: one bad row refuses the whole file, so a
half-loaded price list never reaches the till. :func:`validate_rows` therefore checks every row
and hands back no products at all when there is a problem. It lists the first
:data:`MAX_LISTED_PROBLEMS` problems and counts the rest: a wrong file of 300,000 rows is
refused with a screenful, not a million lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal, InvalidOperation

from .barcodes import clean_code, validate_product_barcode
from .catalog import Product, SoldBy
from .errors import InvalidInput, PosError
from .money import Fen, format_yuan, parse_positive_yuan

# --- columns --------------------------------------------------------------------------------

# Canonical field keys, in the order exports write them.
EXPORT_HEADER: tuple[str, ...] = (
    "sku",
    "barcode",
    "name",
    "category",
    "origin",
    "unit",
    "price",
    "sold_by",
    "plu",
    "tax_rate",
    "style",
    "size",
    "color",
    "active",
    "components",
)

# Chinese label of each field, used in the Chinese messages and the Chinese export header.
FIELD_LABELS_ZH: dict[str, str] = {
    "sku": "商品编码",
    "barcode": "条码",
    "name": "品名",
    "category": "类别",
    "origin": "产地",
    "unit": "单位",
    "price": "单价",
    "sold_by": "计价方式",
    "plu": "PLU",
    "tax_rate": "税率",
    "style": "款式",
    "size": "尺码",
    "color": "颜色",
    "active": "在售",
    "components": "礼盒组成",
}

# Header spellings people actually use, already normalised by ``normalise_header``.
_ALIASES: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "商品编码", "商品编号", "货号"),
    "barcode": ("barcode", "条码", "条形码", "ean"),
    "name": ("name", "品名", "商品名称", "名称", "productname"),
    "category": ("category", "类别", "分类", "品类"),
    "origin": ("origin", "产地"),
    "unit": ("unit", "单位"),
    "price": ("price", "单价", "售价", "零售价"),
    "sold_by": ("soldby", "计价方式"),
    "plu": ("plu", "plu码"),
    "tax_rate": ("taxrate", "税率"),
    "style": ("style", "款式"),
    "size": ("size", "尺码"),
    "color": ("color", "colour", "颜色"),
    "active": ("active", "在售"),
    "components": ("components", "礼盒组成", "组成", "bundle"),
}
_HEADER_TO_FIELD: dict[str, str] = {alias: field for field, names in _ALIASES.items() for alias in names}

REQUIRED_FIELDS: tuple[str, ...] = ("sku", "name", "price")  # sold_by is required only when present

# Words for 计价方式; anything else is refused rather than guessed, since a weighed product sold
# per unit (or the reverse) is a pricing error of a factor of a thousand.
_SOLD_BY_WORDS: dict[str, SoldBy] = {
    "unit": SoldBy.UNIT,
    "units": SoldBy.UNIT,
    "piece": SoldBy.UNIT,
    "按件": SoldBy.UNIT,
    "计件": SoldBy.UNIT,
    "weight": SoldBy.WEIGHT,
    "weighed": SoldBy.WEIGHT,
    "称重": SoldBy.WEIGHT,
    "计重": SoldBy.WEIGHT,
    "散称": SoldBy.WEIGHT,
}

_KG_WORDS = frozenset({"kg", "千克", "公斤"})

_ACTIVE_WORDS: dict[str, bool] = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "是": True,
    "在售": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "否": False,
    "停售": False,
}

DEFAULT_UNIT = "件"
WEIGHED_UNIT = "kg"
MAX_SKU_LENGTH = 40
# How many problems an import lists; the rest are counted (CatalogImport.more_errors).
MAX_LISTED_PROBLEMS = 50
MAX_TEXT_LENGTH = 100

_PLU = re.compile(r"^\d{1,5}$")
_LINE_BREAK_OR_CONTROL = frozenset({"Zl", "Zp"})  # plus every "C*" category (control, format, …)
_FIELD_ORDER = {f: i for i, f in enumerate(("",) + EXPORT_HEADER)}


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one cell (or one row, when ``column`` is empty) of the imported file.

    ``row`` is the row number a person sees in the file (the header is row 1); ``column`` is
    the canonical field key (``price``, ``sku`` …) or ``""`` for the row as a whole.
    """

    row: int
    column: str
    reason: str
    reason_zh: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.reason}"

    @property
    def message_zh(self) -> str:
        """The Chinese line for the till, e.g. ``第7行，单价：“12.8.0”不是有效金额``."""
        label = FIELD_LABELS_ZH.get(self.column, self.column)
        where = f"第{self.row}行，{label}" if label else f"第{self.row}行"
        return f"{where}：{self.reason_zh}"


@dataclass(frozen=True, slots=True)
class CatalogImport:
    """What a file would import. ``products`` is empty whenever ``errors`` is not.

    ``errors`` lists at most :data:`MAX_LISTED_PROBLEMS` problems, in file order; ``more_errors``
    counts the ones left out. ``components`` maps a gift box's sku to its contents
    ``((component sku, quantity), …)``.
    """

    products: tuple[Product, ...]
    errors: tuple[RowError, ...]
    rows_checked: int = 0
    components: dict[str, tuple[tuple[str, int], ...]] = dataclass_field(default_factory=dict)
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.more_errors

    @property
    def problem_count(self) -> int:
        """Every problem found, listed or not."""
        return len(self.errors) + self.more_errors


class _Bad(InvalidInput):
    """A refused cell, carried from a field parser to the row checker."""


# --- header ---------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """Fold what differs between spellings of one header: width, case, spaces, ``_``/``-``
    and a trailing unit in brackets such as ``单价（元）`` or ``price (yuan)``."""
    s = clean_code(text.replace("\ufeff", "")).casefold()
    s = re.sub(r"\(.*\)$", "", s)
    return re.sub(r"[_\-]", "", s)


def map_header(header: Sequence[str], *, header_row: int = 1) -> tuple[dict[str, int], list[RowError]]:
    """Map each known column to its field key: ``({"sku": 0, "price": 3, …}, errors)``.

    Columns with a blank header are left unmapped (rows must leave them empty); unknown and
    repeated headers and missing required columns are errors on the header row.
    """
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(header):
        if not raw.strip():
            continue
        field = _HEADER_TO_FIELD.get(normalise_header(raw))
        if field is None:
            errors.append(_header_error(header_row, f"column {index + 1} '{raw}' is not a catalogue column ({_known_columns()})",
                                        f"第{index + 1}列“{raw}”不是商品目录的列（可用：{_known_columns_zh()}）"))
        elif field in columns:
            errors.append(_header_error(header_row, f"column {index + 1} '{raw}' repeats column {columns[field] + 1} ({field})",
                                        f"第{index + 1}列“{raw}”与第{columns[field] + 1}列重复（{FIELD_LABELS_ZH[field]}）"))
        else:
            columns[field] = index
    for field in REQUIRED_FIELDS:
        if field not in columns:
            errors.append(RowError(header_row, field, f"the required column '{field}' is missing",
                                   f"缺少必需的列“{FIELD_LABELS_ZH[field]}”（{field}）"))
    return columns, errors


def _header_error(row: int, reason: str, reason_zh: str) -> RowError:
    return RowError(row, "", reason, reason_zh)


def _known_columns() -> str:
    return ", ".join(EXPORT_HEADER)


def _known_columns_zh() -> str:
    return "、".join(FIELD_LABELS_ZH[f] for f in EXPORT_HEADER)


# --- field parsers: each returns the value or raises _Bad with both wordings --------------------


def _text(value: str, label: str, label_zh: str, *, limit: int = MAX_TEXT_LENGTH) -> str:
    # Line breaks and control characters (Alt+Enter in Excel) would break receipts and labels.
    if any(_is_break_or_control(ch) for ch in value):
        raise _Bad(f"{label} has a line break or control character", message_zh=f"{label_zh}含有换行或控制字符")
    if len(value) > limit:
        raise _Bad(f"{label} is longer than {limit} characters", message_zh=f"{label_zh}超过{limit}个字符")
    return value


def _is_break_or_control(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category.startswith("C") or category in _LINE_BREAK_OR_CONTROL


def parse_sku(value: str) -> str:
    """A non-empty code without spaces, as typed at the till's product lookup."""
    if not value:
        raise _Bad("sku is empty", message_zh="商品编码为空")
    if any(ch.isspace() for ch in value):
        raise _Bad(f"sku '{value}' contains spaces", message_zh=f"商品编码“{value}”含有空格")
    return _text(value, "sku", "商品编码", limit=MAX_SKU_LENGTH)


def parse_name(value: str) -> str:
    """The product name as printed on the receipt."""
    if not value:
        raise _Bad("name is empty", message_zh="品名为空")
    return _text(value, "name", "品名")


def parse_price(value: str) -> Fen:
    """A positive amount in yuan with at most two decimals, e.g. ``12.80`` -> 1280."""
    try:
        return parse_positive_yuan(value, "price", "单价")
    except PosError as exc:
        raise _Bad(exc.message, message_zh=exc.message_zh) from None


def parse_sold_by(value: str) -> SoldBy:
    """``unit``/按件/计件 or ``weight``/称重/计重."""
    sold_by = _SOLD_BY_WORDS.get(value.casefold())
    if sold_by is None:
        if not value:
            raise _Bad("the 'sold_by' column is empty; write unit (按件) or weight (称重)",
                       message_zh="计价方式为空，请填写 按件（unit）或 称重（weight）")
        raise _Bad(f"'{value}' is not a way of selling; write unit (按件) or weight (称重)",
                   message_zh=f"“{value}”不是有效的计价方式，请填写 按件（unit）或 称重（weight）")
    return sold_by


def parse_unit(value: str, sold_by: SoldBy) -> str:
    """The selling unit; weighed goods are always priced per kg."""
    if sold_by is SoldBy.WEIGHT:
        if not value or value.casefold() in _KG_WORDS:
            return WEIGHED_UNIT
        # A weighed price is per kg by definition; 斤 or 500g here would misprice every sale.
        raise _Bad(f"a weighed product is priced per kg, so its unit must be kg (not '{value}')",
                   message_zh=f"称重商品按千克计价，单位必须是 kg（不能是“{value}”）")
    return _text(value, "unit", "单位", limit=10) if value else DEFAULT_UNIT


def parse_plu(value: str) -> str:
    """A scale PLU: 1 to 5 digits."""
    if not (_PLU.match(value) and value.isascii()):
        raise _Bad(f"'{value}' is not a PLU (1 to 5 digits)", message_zh=f"“{value}”不是有效的 PLU（1 至 5 位数字）")
    return value


def parse_barcode(value: str) -> str:
    """A product barcode with a correct check digit (EAN-13/EAN-8/UPC-A) or an in-house code."""
    try:
        return validate_product_barcode(value)
    except PosError as exc:
        raise _Bad(exc.message, message_zh=exc.message_zh) from None


def parse_tax_rate(value: str) -> int:
    """A percent (``13``, ``9``, ``13%``, ``5.5``) to basis points (1300, 900, 1300, 550)."""
    s = value.replace("％", "%").removesuffix("%").strip()
    try:
        percent = Decimal(s)
    except InvalidOperation:
        percent = None
    if percent is None or not percent.is_finite():
        raise _Bad(f"'{value}' is not a tax rate; write a percent like 13 or 9",
                   message_zh=f"“{value}”不是有效税率，请填写百分数，如 13 或 9")
    if not 0 <= percent <= 100:
        raise _Bad(f"tax rate {value} is outside 0 to 100", message_zh=f"税率 {value} 不在 0 到 100 之间")
    if 0 < percent < 1:
        # No Chinese VAT rate lies strictly between 0 % and 1 %: 0.13 is 13 % written as a fraction.
        raise _Bad(f"tax rate {value} looks like a fraction; write 13 for 13%",
                   message_zh=f"税率 {value} 像是小数写法，13% 请填写 13")
    bp = percent * 100
    if bp != bp.to_integral_value():
        raise _Bad(f"tax rate {value} has more than two decimals", message_zh=f"税率 {value} 超过两位小数")
    return int(bp)


def parse_active(value: str) -> bool:
    """``yes``/``no`` (also 是/否, 在售/停售, 1/0); empty means on sale."""
    if not value:
        return True
    active = _ACTIVE_WORDS.get(value.casefold())
    if active is None:
        raise _Bad(f"'{value}' is not yes or no", message_zh=f"“{value}”不是 是/否")
    return active


_COMPONENT = re.compile(r"^(?P<sku>[^*×\s]+)\s*(?:[*×]\s*(?P<qty>\d{1,3}))?$")


def parse_components(value: str) -> tuple[tuple[str, int], ...]:
    """A gift box's contents: ``MX-O001*1;MX-H001*2`` (also ``；``, ``,``, ``×``)."""
    parts = [p.strip() for p in re.split(r"[;；,，]", value) if p.strip()]
    out: list[tuple[str, int]] = []
    for part in parts:
        m = _COMPONENT.match(part)
        qty = int(m.group("qty") or 1) if m else 0
        if not m or qty <= 0:
            raise _Bad(f"'{part}' is not a component (write SKU*QTY; separate several with ;)",
                       message_zh=f"“{part}”不是有效的礼盒组成（写成 编码*数量，多个用 ; 分隔）")
        if any(sku == m.group("sku") for sku, _ in out):
            raise _Bad(f"component {m.group('sku')} is listed twice", message_zh=f"组成商品 {m.group('sku')} 重复")
        out.append((m.group("sku"), qty))
    return tuple(out)


def _optional_text(field: str) -> Callable[[str], str | None]:
    def parse(value: str) -> str | None:
        return _text(value, field, FIELD_LABELS_ZH[field], limit=40) if value else None

    return parse


def _plain_text(field: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        return _text(value, field, FIELD_LABELS_ZH[field], limit=40)

    return parse


# --- rows -----------------------------------------------------------------------------------


class _FirstSeen:
    """Remembers the first row of each sku, barcode and PLU to name both rows of a duplicate."""

    def __init__(self) -> None:
        self.sku: dict[str, int] = {}
        self.barcode: dict[str, int] = {}
        self.plu: dict[int, int] = {}


def validate_rows(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    *,
    header_row: int = 1,
) -> CatalogImport:
    """Check a whole catalogue file and build its products, or report every problem.

    ``rows`` are ``(row_number, cells)`` with the row number as a person sees it in the file.
    Cells are stripped of surrounding spaces; fully blank rows are skipped. If the header is
    wrong no row is checked, because with an uncertain column mapping row messages would
    point at the wrong cells. Whenever there is any error, ``products`` is empty.
    """
    columns, header_errors = map_header([str(h) for h in header], header_row=header_row)
    if header_errors:
        return _refused(header_errors, 0)
    errors: list[RowError] = []
    more = 0
    products: list[Product] = []
    components: dict[str, tuple[tuple[str, int], ...]] = {}
    seen = _FirstSeen()
    checked = 0
    for row_no, raw_cells in rows:
        cells = [str(c).strip() for c in raw_cells]
        if not any(cells):
            continue
        checked += 1
        product, row_errors, comps = _check_row(row_no, cells, columns, len(header), seen)
        room = max(0, MAX_LISTED_PROBLEMS - len(errors))
        errors.extend(row_errors[:room])  # kept, not built up: a wrong file may have a million problems
        more += len(row_errors[room:])
        if product is not None and not errors:
            products.append(product)
            if comps:
                components[product.sku] = comps
    if checked == 0:
        errors.append(_header_error(header_row, "there are no products under the header", "表头下面没有任何商品"))
    if errors:
        return CatalogImport((), tuple(errors), checked, more_errors=more)
    return CatalogImport(tuple(products), (), checked, components)


def _refused(errors: list[RowError], checked: int) -> CatalogImport:
    listed = errors[:MAX_LISTED_PROBLEMS]
    return CatalogImport((), tuple(listed), checked, more_errors=len(errors) - len(listed))


def _check_row(
    row_no: int, cells: list[str], columns: dict[str, int], width: int, seen: _FirstSeen
) -> tuple[Product | None, list[RowError], tuple[tuple[str, int], ...]]:
    errors: list[RowError] = []
    mapped = set(columns.values())
    for index, value in enumerate(cells):
        if value and index not in mapped:
            where = "beyond the last column" if index >= width else "in a column without a header"
            where_zh = "超出表头范围" if index >= width else "位于没有表头的列"
            errors.append(RowError(row_no, "", f"'{value}' in column {index + 1} is {where}",
                                   f"第{index + 1}列的“{value}”{where_zh}"))

    def cell(field: str) -> str:
        index = columns.get(field)
        return cells[index] if index is not None and index < len(cells) else ""

    values: dict[str, object] = {}

    def take(field: str, parse: Callable[[str], object]) -> None:
        try:
            values[field] = parse(cell(field))
        except _Bad as exc:
            errors.append(RowError(row_no, field, exc.message, exc.message_zh))

    take("sku", parse_sku)
    take("name", parse_name)
    take("price", parse_price)
    take("sold_by", parse_sold_by if "sold_by" in columns else lambda _: SoldBy.UNIT)
    found = values.get("sold_by")
    # An unreadable sold_by is already reported; check the unit as if counted to avoid a second error.
    sold_by = found if isinstance(found, SoldBy) else SoldBy.UNIT
    take("unit", lambda v: parse_unit(v, sold_by))
    take("barcode", lambda v: parse_barcode(v) if v else None)
    take("plu", lambda v: parse_plu(v) if v else None)
    take("tax_rate", lambda v: parse_tax_rate(v) if v else None)
    take("active", parse_active)
    for field in ("category", "origin"):
        take(field, _plain_text(field))
    for field in ("style", "size", "color"):
        take(field, _optional_text(field))
    take("components", lambda v: parse_components(v) if v else ())
    comps = values.get("components")
    if isinstance(comps, tuple) and any(sku == values.get("sku") for sku, _ in comps):
        errors.append(RowError(row_no, "components", "a gift box cannot contain itself", "礼盒不能包含自身"))
    errors.extend(_duplicates(row_no, values, seen))
    if errors:
        # Left to right, as the manager reads the row in the spreadsheet.
        return None, sorted(errors, key=lambda e: _FIELD_ORDER.get(e.column, len(_FIELD_ORDER))), ()
    comps = values.get("components")
    return _product(values), errors, comps if isinstance(comps, tuple) else ()


def _duplicates(row_no: int, values: dict[str, object], seen: _FirstSeen) -> list[RowError]:
    """Errors for a sku, barcode or PLU already used by an earlier row of the same file."""
    errors: list[RowError] = []
    sku = values.get("sku")
    if isinstance(sku, str):
        first = seen.sku.setdefault(sku, row_no)
        if first != row_no:
            errors.append(RowError(row_no, "sku", f"sku '{sku}' is also in row {first}",
                                   f"商品编码“{sku}”与第{first}行重复"))
    barcode = values.get("barcode")
    if isinstance(barcode, str):
        first = seen.barcode.setdefault(barcode, row_no)
        if first != row_no:
            errors.append(RowError(row_no, "barcode", f"barcode {barcode} is also in row {first}",
                                   f"条码 {barcode} 与第{first}行重复"))
    plu = values.get("plu")
    if isinstance(plu, str):
        # Scales key PLUs by number, so 00101 and 101 are the same key on the scale.
        first = seen.plu.setdefault(int(plu), row_no)
        if first != row_no:
            errors.append(RowError(row_no, "plu", f"PLU {plu} is also in row {first}", f"PLU {plu} 与第{first}行重复"))
    return errors


def _product(values: dict[str, object]) -> Product:
    return Product(
        sku=str(values["sku"]),
        name=str(values["name"]),
        price_fen=_as_int(values["price"]),
        sold_by=SoldBy(values["sold_by"]),
        barcode=_as_opt_str(values["barcode"]),
        category=str(values["category"]),
        origin=str(values["origin"]),
        unit=str(values["unit"]),
        plu=_as_opt_str(values["plu"]),
        tax_rate_bp=None if values["tax_rate"] is None else _as_int(values["tax_rate"]),
        style=_as_opt_str(values["style"]),
        size=_as_opt_str(values["size"]),
        color=_as_opt_str(values["color"]),
        active=bool(values["active"]),
    )


def _as_int(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected int, got {type(value).__name__}")
    return value


def _as_opt_str(value: object) -> str | None:
    return None if value is None else str(value)


# --- export ---------------------------------------------------------------------------------


def format_tax_rate(bp: int | None) -> str:
    """Basis points back to the percent people write: 1300 -> ``13``, 550 -> ``5.5``."""
    if bp is None:
        return ""
    whole, frac = divmod(bp, 100)
    return str(whole) if frac == 0 else f"{whole}.{frac:02d}".rstrip("0")


def product_to_row(product: Product) -> list[str]:
    """One product as cells in :data:`EXPORT_HEADER` order; reading them back gives the same product."""
    return [
        product.sku,
        product.barcode or "",
        product.name,
        product.category,
        product.origin,
        product.unit,
        format_yuan(product.price_fen),
        product.sold_by.value,
        product.plu or "",
        format_tax_rate(product.tax_rate_bp),
        product.style or "",
        product.size or "",
        product.color or "",
        "yes" if product.active else "no",
        "",  # components: gift-box contents are exported with the bundle table, not the product
    ]
