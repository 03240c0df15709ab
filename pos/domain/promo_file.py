"""The promotion file: rows of a CSV/XLSX sheet (header → text) turned into promotions.

Pure and standard library only; reading the file itself is the file adapter's job (the one the
catalogue import uses gives a header and rows of strings). The rule is the catalogue's: one bad
row refuses the whole file, and every problem is listed with its row number (the header is row 1),
its column and a plain sentence in English and Chinese.

Columns (English or Chinese header, any case, ``_``/``-``/spaces ignored):

=============  ========  ===================================================================
id             编号       required, unique in the file, no spaces
name           名称       required, printed on the receipt
kind           类型       spend_off 满减, spend_pct 满折, buy_get 买赠, nth_pct 第N件,
                          special 特价, member_price 会员价, bundle 组合价
scope          范围       ``all`` / 全部, ``sku:MX-F001``, ``category:水果``, ``origin:茂县``; several with ``;``
exclude        排除       as scope (not ``all``)
threshold      门槛       yuan (满减 required, 满折 optional)
value          优惠       满减: yuan off; 满折 and 第N件: ``20%`` off or ``8折`` / ``8.5折`` (also 半价);
                          特价, 会员价, 组合价: the price in yuan (per kg for weighed goods); 买赠: empty
n, m                      买N赠M; 第N件 (n); 组合价 (n of each, default 1)
repeat         重复       yes/no (是/否), default no
start, end     开始, 结束  ``YYYY-MM-DD HH:MM`` (a date alone: from 00:00 / to 23:59)
hours          时段       ``08:00-10:00``, several with ``;`` (``24:00`` for the end of the day)
weekdays       星期       ``1-5``, ``6,7`` (1 = Monday)
members_only   会员专享   yes/no
stackable      可叠加     yes/no, default no (exclusive)
priority       优先级     an integer, higher first, default 0
gift           赠品       买赠 of another product: its sku
=============  ========  ===================================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from .catalog_import import normalise_header
from .errors import InvalidInput, PosError
from .money import parse_positive_yuan
from .promotions import PromoKind, Promotion, Selector

FIELDS: tuple[str, ...] = (
    "id", "name", "kind", "scope", "exclude", "threshold", "value", "n", "m", "repeat", "start", "end",
    "hours", "weekdays", "members_only", "stackable", "priority", "gift",
)

LABELS_ZH: dict[str, str] = {
    "id": "编号", "name": "名称", "kind": "类型", "scope": "范围", "exclude": "排除", "threshold": "门槛",
    "value": "优惠", "n": "n", "m": "m", "repeat": "重复", "start": "开始", "end": "结束", "hours": "时段",
    "weekdays": "星期", "members_only": "会员专享", "stackable": "可叠加", "priority": "优先级", "gift": "赠品",
}

_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "促销编号"),
    "name": ("name", "名称", "促销名称"),
    "kind": ("kind", "type", "类型", "促销类型"),
    "scope": ("scope", "范围", "适用范围"),
    "exclude": ("exclude", "排除", "不参加"),
    "threshold": ("threshold", "门槛", "满"),
    "value": ("value", "优惠", "优惠值"),
    "n": ("n",),
    "m": ("m",),
    "repeat": ("repeat", "重复", "上不封顶"),
    "start": ("start", "开始", "开始时间"),
    "end": ("end", "结束", "结束时间"),
    "hours": ("hours", "时段"),
    "weekdays": ("weekdays", "星期"),
    "members_only": ("membersonly", "会员专享"),
    "stackable": ("stackable", "可叠加"),
    "priority": ("priority", "优先级"),
    "gift": ("gift", "giftsku", "赠品"),
}
_FIELD_ORDER = {f: i for i, f in enumerate(("",) + FIELDS)}
_HEADER_TO_FIELD = {alias: f for f, names in _ALIASES.items() for alias in names}
REQUIRED: tuple[str, ...] = ("id", "name", "kind", "scope")

_KIND_WORDS: dict[str, PromoKind] = {k.value: k for k in PromoKind} | {
    "满减": PromoKind.SPEND_OFF, "满折": PromoKind.SPEND_PCT, "买赠": PromoKind.BUY_GET,
    "买n赠m": PromoKind.BUY_GET, "第n件": PromoKind.NTH_PCT, "第n件x折": PromoKind.NTH_PCT,
    "特价": PromoKind.SPECIAL, "限时特价": PromoKind.SPECIAL, "会员价": PromoKind.MEMBER_PRICE,
    "组合价": PromoKind.BUNDLE, "组合": PromoKind.BUNDLE, "套餐": PromoKind.BUNDLE,
}
_YES_NO: dict[str, bool] = {"yes": True, "y": True, "true": True, "1": True, "是": True,
                            "no": False, "n": False, "false": False, "0": False, "否": False}
_SELECTOR_WORDS: dict[str, str] = {
    "sku": "sku", "商品": "sku", "编码": "sku", "商品编码": "sku",
    "category": "category", "类别": "category", "分类": "category",
    "origin": "origin", "产地": "origin",
}
_ALL_WORDS = frozenset({"all", "全部", "全场"})
_FULLWIDTH = str.maketrans({"：": ":", "；": ";", "，": ",", "％": "%", "～": "-", "~": "-", "－": "-", "—": "-"})

MAX_ID_LENGTH = 40
MAX_NAME_LENGTH = 40
MAX_COUNT = 999
MAX_PRIORITY = 9999

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: the row as a person sees it (header = 1), the column's field key ("" = whole row)."""

    row: int
    column: str
    message_en: str
    message_zh: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message_en}"

    @property
    def text_zh(self) -> str:
        """The Chinese line for the till, e.g. ``第3行，优惠：“八折”不是折扣``."""
        label = LABELS_ZH.get(self.column, self.column)
        return f"第{self.row}行，{label}：{self.message_zh}" if label else f"第{self.row}行：{self.message_zh}"


class PromoFileError(InvalidInput):
    """The file was refused whole; ``errors`` lists every problem in file order."""

    code = "promo_file_error"

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = tuple(errors)
        n = len(self.errors)
        head = "; ".join(str(e) for e in self.errors[:3])
        head_zh = "；".join(e.text_zh for e in self.errors[:3])
        more = f" (and {n - 3} more)" if n > 3 else ""
        more_zh = f"（另有 {n - 3} 处）" if n > 3 else ""
        super().__init__(
            f"the promotion file has {n} problem{'s' if n != 1 else ''} and nothing was imported: {head}{more}",
            message_zh=f"促销文件有 {n} 处问题，未导入任何促销：{head_zh}{more_zh}",
        )


class _Bad(InvalidInput):
    """A refused cell, carried from a field parser to the row checker."""


# --- header -----------------------------------------------------------------------------------


def map_header(header: Iterable[str], *, header_row: int = 1) -> tuple[dict[str, str], list[RowError]]:
    """``{raw header: field}`` for the known columns, and the header's problems."""
    mapping: dict[str, str] = {}
    seen: dict[str, str] = {}
    errors: list[RowError] = []
    for raw in header:
        if raw is None or not str(raw).strip():
            continue
        field = _HEADER_TO_FIELD.get(normalise_header(str(raw)))
        if field is None:
            errors.append(RowError(header_row, "", f"'{raw}' is not a promotion column (known: {', '.join(FIELDS)})",
                                   f"“{raw}”不是促销文件的列（可用：{'、'.join(LABELS_ZH[f] for f in FIELDS)}）"))
        elif field in seen:
            errors.append(RowError(header_row, "", f"'{raw}' repeats the column '{seen[field]}' ({field})",
                                   f"“{raw}”与“{seen[field]}”重复（{LABELS_ZH[field]}）"))
        else:
            seen[field] = str(raw)
            mapping[str(raw)] = field
    for field in REQUIRED:
        if field not in seen:
            errors.append(RowError(header_row, field, f"the required column '{field}' is missing",
                                   f"缺少必需的列“{LABELS_ZH[field]}”（{field}）"))
    return mapping, errors


# --- cells --------------------------------------------------------------------------------------


def parse_kind(text: str) -> PromoKind:
    kind = _KIND_WORDS.get(text.casefold().replace(" ", ""))
    if kind is None:
        if not text:
            raise _Bad("kind is empty", message_zh="类型为空")
        raise _Bad(f"'{text}' is not a kind of promotion ('spend_off' 满减, 'spend_pct' 满折, 'buy_get' 买赠, "
                   "'nth_pct' 第N件, 'special' 特价, 'member_price' 会员价, 'bundle' 组合价)",
                   message_zh=f"“{text}”不是促销类型（满减、满折、买赠、第N件、特价、会员价、组合价）")
    return kind


def parse_selectors(text: str, *, allow_all: bool = True) -> tuple[Selector, ...]:
    """``all`` or ``sku:X;category:Y;origin:Z`` (Chinese 商品/类别/产地 and full-width ：； too)."""
    out: list[Selector] = []
    for part in (p.strip() for p in text.translate(_FULLWIDTH).split(";")):
        if not part:
            continue
        if part.casefold() in _ALL_WORDS:
            if not allow_all:
                raise _Bad("'all' cannot be excluded", message_zh="不能排除“全部”")
            sel = Selector("all")
        else:
            field, colon, value = part.partition(":")
            kind = _SELECTOR_WORDS.get(field.strip().casefold())
            value = value.strip()
            if not colon or kind is None or not value:
                raise _Bad(f"'{part}' is not a scope; write all, sku:CODE, category:NAME or origin:PLACE",
                           message_zh=f"“{part}”不是有效范围，请写 全部(all)、sku:编码、category:类别 或 origin:产地")
            sel = Selector(kind, value)
        if sel not in out:
            out.append(sel)
    return tuple(out)


def parse_yes_no(text: str, label: str, label_zh: str) -> bool:
    if not text:
        return False
    v = _YES_NO.get(text.casefold())
    if v is None:
        raise _Bad(f"{label} '{text}' is not yes or no", message_zh=f"{label_zh}“{text}”不是 是/否")
    return v


def parse_yuan_cell(text: str, label: str, label_zh: str) -> int:
    try:
        return parse_positive_yuan(text, label, label_zh)
    except PosError as exc:
        raise _Bad(exc.message, message_zh=exc.message_zh) from None


def parse_percent_off(text: str) -> int:
    """``20%`` → 2000 bp off; ``8折`` → 2000; ``8.5折`` → 1500; ``半价`` → 5000."""
    s = text.translate(_FULLWIDTH).replace(" ", "")
    if s == "半价":
        return 5000
    bad = _Bad(f"'{text}' is not a discount; write the part taken off as 20%, or the part paid in tenths (8折)",
               message_zh=f"“{text}”不是有效折扣，请写减去的比例如 20%，或折数如 8折")
    try:
        if s.endswith("%"):
            bp = Decimal(s[:-1]) * 100
        elif s.endswith("折"):
            zhe = Decimal(s[:-1])
            if not 0 < zhe < 10:
                raise bad
            bp = (10 - zhe) * 1000
        else:
            raise bad
    except InvalidOperation:
        raise bad from None
    if not bp.is_finite() or bp != bp.to_integral_value():
        raise bad
    if not 0 < bp <= 10_000:
        raise _Bad(f"discount '{text}' must take off more than 0% and at most 100%",
                   message_zh=f"折扣“{text}”必须大于 0% 且不超过 100%")
    return int(bp)


def parse_count(text: str, label: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_COUNT:
        raise _Bad(f"{label} '{text}' is not a whole number from 1 to {MAX_COUNT}",
                   message_zh=f"{label}“{text}”不是 1 至 {MAX_COUNT} 的整数")
    return int(text)


def parse_when(text: str, *, end: bool) -> datetime:
    m = _DATE.match(text.strip())
    try:
        if not m:
            raise ValueError
        y, mo, d, hh, mm = m.groups()
        if hh is None:
            return datetime(int(y), int(mo), int(d), 23, 59) if end else datetime(int(y), int(mo), int(d))
        return datetime(int(y), int(mo), int(d), int(hh), int(mm))
    except ValueError:
        raise _Bad(f"'{text}' is not a time; write YYYY-MM-DD HH:MM, e.g. 2026-12-24 08:00",
                   message_zh=f"“{text}”不是有效时间，请写成 年-月-日 时:分，如 2026-12-24 08:00") from None


def _clock(text: str, *, end: bool) -> time:
    m = _CLOCK.match(text)
    if m:
        h, mi = int(m.group(1)), int(m.group(2))
        if end and (h, mi) == (24, 0):
            return time.max
        if h < 24 and mi < 60:
            return time(h, mi)
    raise ValueError(text)


def parse_hours(text: str) -> tuple[tuple[time, time], ...]:
    """``08:00-10:00;18:00-20:00``; the end is not included; ``22:00-02:00`` runs over midnight."""
    out: list[tuple[time, time]] = []
    for part in (p.strip() for p in text.translate(_FULLWIDTH).replace("至", "-").split(";")):
        if not part:
            continue
        a, dash, b = (x.strip() for x in part.partition("-"))
        try:
            if not dash:
                raise ValueError
            window = (_clock(a, end=False), _clock(b, end=True))
        except ValueError:
            raise _Bad(f"'{part}' is not a time of day window; write it like 08:00-10:00",
                       message_zh=f"“{part}”不是有效时段，请写成 08:00-10:00") from None
        if window[0] == window[1]:
            raise _Bad(f"the window '{part}' starts and ends at the same time",
                       message_zh=f"时段“{part}”的开始与结束相同")
        out.append(window)
    return tuple(out)


def parse_weekdays(text: str) -> frozenset[int]:
    """``1-5``, ``6,7``, ``1-3;6`` (1 = Monday … 7 = Sunday)."""
    days: set[int] = set()
    for part in (p.strip() for p in re.split(r"[;,、]", text.translate(_FULLWIDTH))):
        if not part:
            continue
        a, dash, b = (x.strip() for x in part.partition("-"))
        ok = a in "1234567" and len(a) == 1 and (not dash or (len(b) == 1 and b in "1234567" and a <= b))
        if not ok:
            raise _Bad(f"'{part}' is not a weekday or range of weekdays (1 = Monday … 7 = Sunday, e.g. 1-5)",
                       message_zh=f"“{part}”不是有效星期（1=周一 … 7=周日，如 1-5）")
        days.update(range(int(a), int(b or a) + 1))
    return frozenset(days)


def parse_priority(text: str) -> int:
    if not text:
        return 0
    s = text.lstrip("+-")
    if not (s.isascii() and s.isdigit()) or abs(int(text)) > MAX_PRIORITY:
        raise _Bad(f"priority '{text}' is not a whole number from -{MAX_PRIORITY} to {MAX_PRIORITY}",
                   message_zh=f"优先级“{text}”不是 -{MAX_PRIORITY} 至 {MAX_PRIORITY} 的整数")
    return int(text)


def _code(text: str, label: str, label_zh: str) -> str:
    if not text:
        raise _Bad(f"{label} is empty", message_zh=f"{label_zh}为空")
    if any(ch.isspace() for ch in text) or not text.isprintable() or len(text) > MAX_ID_LENGTH:
        raise _Bad(f"{label} '{text}' must be at most {MAX_ID_LENGTH} characters without spaces",
                   message_zh=f"{label_zh}“{text}”须为不含空格的 {MAX_ID_LENGTH} 个字符以内")
    return text


def _name(text: str) -> str:
    if not text:
        raise _Bad("name is empty", message_zh="名称为空")
    if not text.isprintable() or len(text) > MAX_NAME_LENGTH:
        raise _Bad(f"name must be one line of at most {MAX_NAME_LENGTH} characters",
                   message_zh=f"名称须为一行，不超过 {MAX_NAME_LENGTH} 个字符")
    return text


# --- rows ---------------------------------------------------------------------------------------


def parse_promotions(rows: Iterable[Mapping[str, str]], *, version: int, first_row: int = 2) -> tuple[Promotion, ...]:
    """Every row of a promotion file as a :class:`Promotion` of ``version``, or :class:`PromoFileError`.

    ``rows`` map the header's cells to the row's cells (``csv.DictReader`` rows will do); the
    first row is row ``first_row`` of the file (row 1 is the header). Blank rows are skipped.
    """
    errors: list[RowError] = []
    promotions: list[Promotion] = []
    mapping: dict[str, str] | None = None
    first_id: dict[str, int] = {}
    row_no = first_row - 1
    for row_no, row in enumerate(rows, start=first_row):
        if mapping is None:
            mapping, header_errors = map_header(list(row.keys()), header_row=first_row - 1)
            if header_errors:
                raise PromoFileError(header_errors)
        promo, row_errors = _row(row_no, row, mapping, version)
        if promo is not None:
            first = first_id.setdefault(promo.id, row_no)
            if first != row_no:
                row_errors.append(RowError(row_no, "id", f"id '{promo.id}' is also in row {first}",
                                           f"编号“{promo.id}”与第{first}行重复"))
        if row_errors:
            errors.extend(row_errors)
        elif promo is not None:
            promotions.append(promo)
    if not errors and not promotions:
        errors.append(RowError(first_row - 1, "", "there are no promotions under the header", "表头下面没有任何促销"))
    if errors:
        raise PromoFileError(errors)
    return tuple(promotions)


def _row(row_no: int, row: Mapping[str, str], mapping: dict[str, str], version: int) -> tuple[Promotion | None, list[RowError]]:
    cells: dict[str, str] = {}
    errors: list[RowError] = []
    for raw, value in row.items():
        text = "" if value is None else (", ".join(map(str, value)) if isinstance(value, list) else str(value)).strip()
        field = mapping.get(raw) if raw is not None else None
        if field is None:
            if text:
                errors.append(RowError(row_no, "", f"'{text}' is in a column without a header",
                                       f"“{text}”位于没有表头的列"))
            continue
        cells[field] = text
    if not any(cells.values()):
        return None, errors
    values: dict[str, object] = {}

    def take(field: str, parse: Callable[[str], object]) -> None:
        try:
            values[field] = parse(cells.get(field, ""))
        except _Bad as exc:
            errors.append(RowError(row_no, field, exc.message, exc.message_zh))

    def need(field: str, why: str, why_zh: str) -> None:
        if not cells.get(field):
            errors.append(RowError(row_no, field, f"{field} is needed {why}", f"{why_zh}需要填写{LABELS_ZH[field]}"))

    def unused(field: str, kind_en: str, kind_zh: str) -> None:
        if cells.get(field):
            errors.append(RowError(row_no, field, f"{field} has no meaning for '{kind_en}'; leave it empty",
                                   f"{kind_zh}不使用{LABELS_ZH[field]}，请留空"))

    take("id", lambda t: _code(t, "id", "编号"))
    take("name", _name)
    take("kind", parse_kind)
    take("scope", lambda t: parse_selectors(t) or _raise_empty("scope", "范围"))
    take("exclude", lambda t: parse_selectors(t, allow_all=False))
    take("repeat", lambda t: parse_yes_no(t, "repeat", "重复"))
    take("members_only", lambda t: parse_yes_no(t, "members only", "会员专享"))
    take("stackable", lambda t: parse_yes_no(t, "stackable", "可叠加"))
    take("priority", parse_priority)
    take("start", lambda t: parse_when(t, end=False) if t else None)
    take("end", lambda t: parse_when(t, end=True) if t else None)
    take("hours", parse_hours)
    take("weekdays", parse_weekdays)
    start, end = values.get("start"), values.get("end")
    if isinstance(start, datetime) and isinstance(end, datetime) and end < start:
        errors.append(RowError(row_no, "end", "the promotion ends before it starts", "结束时间早于开始时间"))

    kind = values.get("kind")
    fields: dict[str, object] = {}
    if isinstance(kind, PromoKind):
        label_zh = {PromoKind.SPEND_OFF: "满减", PromoKind.SPEND_PCT: "满折", PromoKind.BUY_GET: "买赠",
                    PromoKind.NTH_PCT: "第N件", PromoKind.SPECIAL: "特价", PromoKind.MEMBER_PRICE: "会员价",
                    PromoKind.BUNDLE: "组合价"}[kind]
        k = kind.value
        if kind is PromoKind.SPEND_OFF:
            need("threshold", "for 'spend_off' (满减)", "满减")
            need("value", "for 'spend_off' (the yuan taken off)", "满减")
            take("threshold", lambda t: parse_yuan_cell(t, "threshold", "门槛") if t else None)
            take("value", lambda t: parse_yuan_cell(t, "value", "优惠") if t else None)
            fields = {"threshold_fen": values.get("threshold"), "off_fen": values.get("value")}
        elif kind in (PromoKind.SPEND_PCT, PromoKind.NTH_PCT):
            need("value", f"for '{k}' (e.g. 20% or 8折)", label_zh)
            take("value", lambda t: parse_percent_off(t) if t else None)
            fields = {"pct_bp": values.get("value")}
            if kind is PromoKind.SPEND_PCT:
                take("threshold", lambda t: parse_yuan_cell(t, "threshold", "门槛") if t else None)
                fields["threshold_fen"] = values.get("threshold")
            else:
                need("n", "for 'nth_pct' (every n-th unit)", label_zh)
                take("n", lambda t: parse_count(t, "n") if t else None)
                fields["n"] = values.get("n")
                unused("threshold", k, label_zh)
        elif kind is PromoKind.BUY_GET:
            need("n", "for 'buy_get' (units bought)", label_zh)
            need("m", "for 'buy_get' (units given)", label_zh)
            take("n", lambda t: parse_count(t, "n") if t else None)
            take("m", lambda t: parse_count(t, "m") if t else None)
            take("gift", lambda t: _code(t, "gift", "赠品") if t else None)
            unused("value", k, label_zh)
            unused("threshold", k, label_zh)
            fields = {"n": values.get("n"), "m": values.get("m"), "gift_sku": values.get("gift")}
        else:  # special, member_price, bundle: a price
            need("value", f"for '{k}' (the price in yuan)", label_zh)
            take("value", lambda t: parse_yuan_cell(t, "value", "优惠") if t else None)
            fields = {"price_fen": values.get("value")}
            unused("threshold", k, label_zh)
            if kind is PromoKind.BUNDLE:
                take("n", lambda t: parse_count(t, "n") if t else None)
                fields["n"] = values.get("n")
                scope = values.get("scope")
                if (isinstance(scope, tuple) and any(s.field == "sku" for s in scope)
                        and not all(s.field == "sku" for s in scope)):
                    errors.append(RowError(row_no, "scope", "a bundle names its products (sku:…) or one group "
                                           "(category:/origin:), not both",
                                           "组合价的范围要么列出商品（sku:…），要么是一个类别或产地，不能混用"))
            else:
                unused("n", k, label_zh)
        if kind is not PromoKind.BUY_GET:
            unused("gift", k, label_zh)
            unused("m", k, label_zh)
    if errors:
        # Left to right, as the manager reads the row in the spreadsheet.
        return None, sorted(errors, key=lambda e: _FIELD_ORDER.get(e.column, len(FIELDS)))
    return Promotion(
        id=str(values["id"]), version=version, name=str(values["name"]), kind=PromoKind(values["kind"]),
        scope=values["scope"], exclude=values["exclude"], repeat=bool(values["repeat"]),  # type: ignore[arg-type]
        start=values["start"], end=values["end"], hours=values["hours"],  # type: ignore[arg-type]
        weekdays=values["weekdays"], members_only=bool(values["members_only"]),  # type: ignore[arg-type]
        stackable=bool(values["stackable"]), priority=int(values["priority"]),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    ), errors


def _raise_empty(label: str, label_zh: str) -> tuple[Selector, ...]:
    raise _Bad(f"{label} is empty; write all or sku:/category:/origin:",
               message_zh=f"{label_zh}为空，请写 全部(all) 或 sku:/category:/origin:")
