"""Configuration: a TOML file, environment variables and command-line options, in that order of weakness.

Paths default to the platform's user directories (platformdirs). ``LIANXIN_HOME`` puts data and
config under one folder instead (portable installs, tests).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from pos.domain.errors import InvalidInput

APP = "lianxin-pos"

KNOWN_KEYS = {
    "store", "terminal", "db", "printer", "paper_width", "encoding", "language", "device_key", "member_key",
    "receipts_dir", "timezone_offset_hours", "scale_formats", "sync_url", "sync_batch_size", "receipt_trace_url",
    "backup_dir", "backup_keep", "lock_after_minutes", "window",
}

# Devices (README "Devices"): printer profile and receipt content, drawer, scanner, scale, display.
DEVICE_KEYS = {
    "printer_profile", "receipt_logo", "receipt_logo_file", "receipt_codes", "receipt_qr", "cash_drawer",
    "scanner", "scale", "display", "wedge_max_gap_ms", "wedge_min_length",
}
KNOWN_KEYS |= DEVICE_KEYS


class ConfigError(InvalidInput):
    code = "config_error"


def data_dir() -> Path:
    home = os.environ.get("LIANXIN_HOME")
    if home:
        return Path(home) / "data"
    from platformdirs import user_data_dir  # imported only here: a portable till (LIANXIN_HOME) starts without it

    return Path(user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    home = os.environ.get("LIANXIN_HOME")
    if home:
        return Path(home) / "config"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


@dataclass(frozen=True)
class Config:
    db: Path = field(default_factory=lambda: data_dir() / "lianxin.db")
    store: str = "MX"
    terminal: str | None = None  # default: store code + "01"
    printer: str | None = None  # default: file:<data>/receipts
    paper_width: int = 80  # mm: 58 or 80
    encoding: str = "gb18030"
    language: str = "zh_CN"
    device_key: Path = field(default_factory=lambda: config_dir() / "device.key")
    # The store's member key (phone lookup hash and phone encryption), beside the device key, never in the database.
    member_key: Path = field(default_factory=lambda: config_dir() / "member.key")
    receipts_dir: Path = field(default_factory=lambda: data_dir() / "receipts")
    timezone_offset_hours: int = 8
    # Scale-label layouts, e.g. "13:20,21,22:FFCCCCCXXXXXK:amount:gs1"; empty = the common defaults.
    scale_formats: tuple[str, ...] = ()
    lock_after_minutes: int = 5  # the till locks itself after this long without input
    # How the checkout shows: "fullscreen" on a kiosk counter, "maximized" on a desktop, "normal" a window.
    window: str = "maximized"
    # Backups (pos/services/backup.py): where they go, and how many daily ones are kept.
    backup_dir: Path = field(default_factory=lambda: data_dir() / "backups")
    backup_keep: int = 14
    # Head office: its address (enrolment also records one) and how many journal entries go per batch.
    sync_url: str | None = None
    sync_batch_size: int = 2000
    # The public address of head office's receipt trace page (the receipt QR), when customers reach
    # head office at another address than the till does; default: the address the till enrolled with.
    receipt_trace_url: str | None = None
    # Devices (README "Devices"). printer_profile: a python-escpos profile name; receipt_logo prints
    # receipt_logo_file (default resources/receipt-logo.png) at the top; receipt_codes: auto, barcode,
    # qr or both; receipt_qr: native (GS ( k) or image; cash_drawer: a cash sale's receipt opens the
    # drawer. scanner: "wedge" (keyboard) or a serial URL; scale / display: serial URLs (None = none).
    printer_profile: str = "default"
    receipt_logo: bool = False
    receipt_logo_file: Path | None = None
    receipt_codes: str = "auto"
    receipt_qr: str = "native"
    cash_drawer: bool = True
    scanner: str = "wedge"
    scale: str | None = None
    display: str | None = None
    wedge_max_gap_ms: int = 30
    wedge_min_length: int = 4
    source: Path | None = None

    @property
    def columns(self) -> int:
        return 32 if self.paper_width == 58 else 48

    @property
    def printer_url(self) -> str:
        return self.printer or f"file:{self.receipts_dir}"

    @property
    def terminal_id(self) -> str:
        return self.terminal or f"{self.store}01"


# -- every setting, its type and range: the one place a value from the file, the environment or
#    the command line is checked (a bad one is a one-line ConfigError naming the key) -------------

LANGUAGES = ("zh_CN", "en")  # the till's translations (ui.i18n); the CLI's --lang offers the same


@dataclass(frozen=True)
class _Setting:
    kind: str  # "text", "path", "int", "bool", "choice", "url", "formats"
    low: int = 0
    high: int = 0
    choices: tuple[str, ...] = ()
    optional: bool = False  # "" (or nothing) means "not set"


SETTINGS: dict[str, _Setting] = {
    "store": _Setting("text"),
    "terminal": _Setting("text", optional=True),
    "db": _Setting("path"),
    "printer": _Setting("text", optional=True),
    "paper_width": _Setting("int", 58, 80, choices=("58", "80")),
    "encoding": _Setting("choice", choices=("gb18030", "gbk")),
    "language": _Setting("choice", choices=LANGUAGES),
    "device_key": _Setting("path"),
    "member_key": _Setting("path"),
    "receipts_dir": _Setting("path"),
    "timezone_offset_hours": _Setting("int", -12, 14),
    "scale_formats": _Setting("formats"),
    "sync_url": _Setting("url", optional=True),
    "sync_batch_size": _Setting("int", 1, 5000),
    "receipt_trace_url": _Setting("url", optional=True),
    "backup_dir": _Setting("path"),
    "backup_keep": _Setting("int", 1, 3650),
    "lock_after_minutes": _Setting("int", 0, 24 * 60),  # 0: the till never locks itself
    "window": _Setting("choice", choices=("fullscreen", "maximized", "normal")),
    "printer_profile": _Setting("text"),
    "receipt_logo": _Setting("bool"),
    "receipt_logo_file": _Setting("path", optional=True),
    "receipt_codes": _Setting("choice", choices=("auto", "barcode", "qr", "both")),
    "receipt_qr": _Setting("choice", choices=("native", "image")),
    "cash_drawer": _Setting("bool"),
    "scanner": _Setting("text"),
    "scale": _Setting("text", optional=True),
    "display": _Setting("text", optional=True),
    "wedge_max_gap_ms": _Setting("int", 5, 500),
    "wedge_min_length": _Setting("int", 1, 64),
}


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else f"{text[:57]}…"


def _bad(where: str, key: str, en: str, zh: str, value: object) -> ConfigError:
    return ConfigError(f"{where}{key} {en}, not {_shown(value)}", message_zh=f"{where}{key} {zh}（现为 {_shown(value)}）",
                       key=key)


def typed_setting(key: str, value: object, *, where: str = "") -> object:
    """``value`` of setting ``key`` checked and converted (paths to Path, "" to None where optional).

    ``where`` prefixes the message, e.g. ``"config file /etc/x.toml: "``. Raises :class:`ConfigError`.
    """
    spec = SETTINGS[key]
    if spec.optional and (value is None or value == ""):
        return None
    if spec.kind == "int":
        if spec.choices and (not isinstance(value, int) or isinstance(value, bool) or str(value) not in spec.choices):
            raise _bad(where, key, f"must be {' or '.join(spec.choices)}", f"只能是 {' 或 '.join(spec.choices)}", value)
        if not isinstance(value, int) or isinstance(value, bool) or not spec.low <= value <= spec.high:
            raise _bad(where, key, f"must be a whole number from {spec.low} to {spec.high}",
                       f"应为 {spec.low} 到 {spec.high} 的整数", value)
        return value
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise _bad(where, key, "must be true or false", "只能是 true 或 false", value)
        return value
    if spec.kind == "choice":
        if not isinstance(value, str) or value.lower() not in {c.lower() for c in spec.choices}:
            raise _bad(where, key, f"must be one of {', '.join(spec.choices)}",
                       f"只能是 {'、'.join(spec.choices)} 之一", value)
        return next(c for c in spec.choices if c.lower() == value.lower())
    if spec.kind == "formats":
        items = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(v, str) and v.strip() for v in items):
            raise _bad(where, key, "must be a text or a list of texts", "应为文字或文字列表", value)
        return tuple(items)
    if spec.kind == "path":
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            raise _bad(where, key, "must be a path written as text (in quotes in the file)",
                       "应为文字形式的路径（配置文件中加引号）", value)
        return _usable(Path(value).expanduser(), where, key)
    if not isinstance(value, str) or "\x00" in value or (not spec.optional and not value.strip()):
        raise _bad(where, key, "must be text (in quotes in the file)", "应为文字（配置文件中加引号）", value)
    if spec.kind == "url":
        try:
            parts = urlsplit(value.strip())
            _ = parts.port  # a bad port or IPv6 bracket only shows when asked for
        except ValueError:
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise _bad(where, key, "must be a head-office address like http://host:8080",
                       "应为总部地址，如 http://host:8080", value)
        return value.strip()
    return value


def _usable(path: Path, where: str, key: str) -> Path:
    """``path`` if the system can look it up (it need not exist yet); a name too long or a loop is refused."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        pass
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        reason = getattr(exc, "strerror", None) or "not a usable file name"
        raise ConfigError(f"{where}{key} {_shown(str(path))} cannot be used: {reason}",
                          message_zh=f"{where}{key} {_shown(str(path))} 无法使用：{reason}", key=key) from exc
    return path


def _validated(cfg: Config) -> Config:
    """Checks that span settings or need other modules (codes, scale formats, device addresses)."""
    for name, value in (("store", cfg.store), ("terminal", cfg.terminal_id)):
        if not (value.isascii() and value.isalnum() and value.upper() == value and 2 <= len(value) <= 12):
            raise ConfigError(f"{name} '{value}' must be 2–12 capital letters or digits (e.g. MX, MX01)",
                              message_zh=f"{name}“{value}”应为 2–12 位大写字母或数字", key=name)
    db = Path(cfg.db)
    if db.is_dir():
        raise ConfigError(f"db {db} is a folder; give the database file, e.g. {db / 'lianxin.db'}",
                          message_zh=f"db（数据库）{db} 是文件夹，请给出数据库文件，如 {db / 'lianxin.db'}", key="db")
    if cfg.scale_formats:  # the scale-label module only when there is a layout to check (it costs the first paint)
        _check_scale_formats(cfg.scale_formats)
    return _checked_devices(cfg)


def _check_scale_formats(formats: tuple[str, ...]) -> None:
    from pos.domain.errors import PosError
    from pos.domain.scan import ScaleLabelFormat

    for text in formats:
        try:
            ScaleLabelFormat.from_setting(str(text))
        except (PosError, ValueError) as exc:
            raise ConfigError(f"scale format '{text}' is not valid: {exc}", message_zh=f"称重条码格式“{text}”无效",
                              key="scale_formats") from exc


def _read_file(file: Path) -> dict[str, object]:
    """The TOML table of ``file``; a folder, an unreadable or malformed file is a ConfigError."""
    if file.is_dir():
        raise ConfigError(f"cannot read config file {file}: it is a folder, not a file",
                          message_zh=f"无法读取配置文件 {file}：这是文件夹，不是文件")
    try:
        text = file.read_bytes().decode("utf-8")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"cannot read config file {file}: {reason}",
                          message_zh=f"无法读取配置文件 {file}：{reason}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read config file {file}: it is not UTF-8 text (save it as UTF-8)",
                          message_zh=f"无法读取配置文件 {file}：不是 UTF-8 文本（请另存为 UTF-8）") from exc
    simple = simple_toml(text)
    if simple is not None:
        return simple
    import tomllib  # only for a file that is more than `key = value` lines: it costs the first paint ~5 ms

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {file} is not valid TOML: {exc}", message_zh=f"配置文件 {file} 格式错误：{exc}") from exc


def simple_toml(text: str) -> dict[str, object] | None:
    """The table of a config file made only of comments and ``key = value`` lines (a bare key; a
    "string" or 'string' without escapes, true/false or a plain decimal integer), as ``tomllib`` reads
    it; None for anything else (tables, arrays, escapes, a repeated key, a trailing comment …), which
    tomllib then reads and, if need be, refuses with its message."""
    data: dict[str, object] = {}
    for raw in text.split("\n"):
        line = raw[:-1] if raw.endswith("\r") else raw
        if any((c < " " and c != "\t") or c == "\x7f" for c in line):
            return None
        line = line.strip(" \t")
        if not line or line.startswith("#"):
            continue
        key, eq, value = line.partition("=")
        key, value = key.strip(" \t"), value.strip(" \t")
        if not eq or not key or key in data or not key.isascii() or not all(c.isalnum() or c in "_-" for c in key):
            return None
        inner = value[1:-1]
        digits = value[1:] if value.startswith("-") else value
        if len(value) >= 2 and value[0] == value[-1] == '"' and '"' not in inner and "\\" not in inner:
            data[key] = inner
        elif len(value) >= 2 and value[0] == value[-1] == "'" and "'" not in inner:
            data[key] = inner
        elif value in ("true", "false"):
            data[key] = value == "true"
        elif digits.isascii() and digits.isdigit() and (digits == "0" or not digits.startswith("0")):
            data[key] = int(value)
        else:
            return None
    return data


def load_config(path: Path | None = None, **overrides: object) -> Config:
    """Read ``path`` (or the default config file if it exists), then apply env and overrides.

    Every value — from the file, ``POS_DB`` or an override — goes through :func:`typed_setting`.
    """
    cfg = Config()
    file = Path(path) if path else config_dir() / "config.toml"
    if path:
        _usable(file, "", "--config")
    if path and not file.exists():
        raise ConfigError(f"config file {file} does not exist", message_zh=f"配置文件 {file} 不存在")
    if path or file.exists():
        data = _read_file(file)
        unknown = set(data) - KNOWN_KEYS
        if unknown:
            raise ConfigError(f"config file {file} has unknown keys: {', '.join(sorted(unknown))}",
                              message_zh=f"配置文件含有未知项：{', '.join(sorted(unknown))}")
        where = f"config file {file}: "
        cfg = replace(cfg, **_typed_all(data, where), source=file)
    if os.environ.get("POS_DB"):
        cfg = replace(cfg, db=typed_setting("db", os.environ["POS_DB"], where="POS_DB: "))
    unknown = set(overrides) - KNOWN_KEYS
    if unknown:  # a caller's typo, not the user's
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    clean = {k: v for k, v in overrides.items() if v is not None}
    return _validated(replace(cfg, **_typed_all(clean, "")))


def _typed_all(values: Mapping[str, object], where: str) -> dict[str, object]:
    return {key: typed_setting(key, value, where=where) for key, value in values.items()}


DEFAULT_LOGO = Path(__file__).resolve().parent.parent / "resources" / "receipt-logo.png"


def logo_path(cfg: Config) -> Path | None:
    """The receipt logo to print, or None when receipt_logo is off."""
    if not getattr(cfg, "receipt_logo", False):
        return None
    return Path(cfg.receipt_logo_file) if cfg.receipt_logo_file else DEFAULT_LOGO


def _checked_devices(cfg: Config) -> Config:
    """Device settings: types, ranges and URLs checked now, so a typo shows at start-up."""
    from pos.domain.errors import PosError

    if cfg.receipt_logo_file is not None and not isinstance(cfg.receipt_logo_file, Path):
        cfg = replace(cfg, receipt_logo_file=Path(str(cfg.receipt_logo_file)).expanduser())
    # Each check's module is imported only when its setting is given: a till with the default
    # devices starts without loading the printer package or pyserial (the first paint waits on this).
    try:
        if cfg.printer_profile != Config.printer_profile:
            from printers.profiles import get_profile

            get_profile(cfg.printer_profile)
        if cfg.scanner not in ("wedge", "") and not str(cfg.scanner).lower().startswith("dummy:"):
            from pos.devices.serialport import parse_serial_url

            parse_serial_url(str(cfg.scanner), kind="scanner")
        if cfg.scale:
            from pos.devices.scale import make_scale

            make_scale(str(cfg.scale))
        if cfg.display:
            from pos.devices.display import make_display

            make_display(str(cfg.display))
    except PosError as exc:
        raise ConfigError(exc.message, message_zh=exc.message_zh) from exc
    return cfg


def config_file(cfg: Config | None = None) -> Path:
    """The file the till's settings live in: the one it was read from, else the default location."""
    source = getattr(cfg, "source", None)
    return Path(source) if source else config_dir() / "config.toml"


def _toml_value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        return '"' + "".join(_TOML_ESCAPES.get(ch, ch if ch >= " " else f"\\u{ord(ch):04x}") for ch in value) + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(key, v) for v in value) + "]"
    raise TypeError(f"setting {key}: cannot write {type(value).__name__} to the config file")


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def save_settings(path: Path, values: Mapping[str, object]) -> Config:
    """Write ``values`` into the TOML file ``path``, keeping its other keys; returns the file re-read.

    ``None`` removes a key (back to its default). The new text is checked with :func:`load_config`
    before it replaces the file (atomically), so a bad value raises :class:`ConfigError` and the
    file stays as it was. Comments in an existing file are not kept.
    """
    unknown = set(values) - KNOWN_KEYS
    if unknown:  # a caller's typo, not the user's
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    path = Path(path)
    data: dict[str, object] = dict(_read_file(path)) if path.exists() else {}
    for key, value in values.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    text = "# LianXin POS (连心收银) settings; README \"Configuration\" lists every key.\n" + "".join(
        f"{key} = {_toml_value(key, data[key])}\n" for key in sorted(data))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".new")
        tmp.write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"cannot write config file {path}: {reason}",
                          message_zh=f"无法写入配置文件 {path}：{reason}") from exc
    try:
        try:
            cfg = load_config(tmp)
        except ConfigError as exc:  # name the file being saved, not the temporary one beside it
            raise ConfigError(exc.message.replace(str(tmp), str(path)),
                              message_zh=exc.message_zh.replace(str(tmp), str(path)), **exc.details) from None
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return replace(cfg, source=path)


def log_to_file() -> None:
    """Send the till's log (INFO and up) to ``<data dir>/logs/lianxin.log``; nowhere if that cannot be
    written. Every way in (the command line, the plain till start) sets it up through this."""
    import logging

    try:
        logdir = data_dir() / "logs"
        logdir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(logdir / "lianxin.log", encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
