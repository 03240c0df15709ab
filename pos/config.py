"""Configuration: a TOML file, environment variables and command-line options, in that order of weakness.

Paths default to the platform's user directories (platformdirs). ``LIANXIN_HOME`` puts data and
config under one folder instead (portable installs, tests).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from pos.domain.errors import InvalidInput

APP = "lianxin-pos"

KNOWN_KEYS = {
    "store", "terminal", "db", "printer", "paper_width", "encoding", "language", "device_key",
    "receipts_dir", "timezone_offset_hours", "scale_formats", "sync_url", "sync_batch_size",
    "backup_dir", "backup_keep", "lock_after_minutes",
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
    return Path(home) / "data" if home else Path(user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    home = os.environ.get("LIANXIN_HOME")
    return Path(home) / "config" if home else Path(user_config_dir(APP, appauthor=False))


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
    receipts_dir: Path = field(default_factory=lambda: data_dir() / "receipts")
    timezone_offset_hours: int = 8
    # Scale-label layouts, e.g. "13:20,21,22:FFCCCCCXXXXXK:amount:gs1"; empty = the common defaults.
    scale_formats: tuple[str, ...] = ()
    lock_after_minutes: int = 5  # the till locks itself after this long without input
    # Backups (pos/services/backup.py): where they go, and how many daily ones are kept.
    backup_dir: Path = field(default_factory=lambda: data_dir() / "backups")
    backup_keep: int = 14
    # Head office: its address (enrolment also records one) and how many journal entries go per batch.
    sync_url: str | None = None
    sync_batch_size: int = 500
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


def _validated(cfg: Config) -> Config:
    if cfg.paper_width not in (58, 80):
        raise ConfigError(f"paper_width must be 58 or 80, not {cfg.paper_width}", message_zh="纸宽只能是 58 或 80")
    if cfg.encoding.lower() not in ("gb18030", "gbk"):
        raise ConfigError(f"encoding must be gb18030 or gbk, not {cfg.encoding}", message_zh="打印编码只能是 gb18030 或 gbk")
    for name, value in (("store", cfg.store), ("terminal", cfg.terminal_id)):
        if not (value.isascii() and value.isalnum() and value.upper() == value and 2 <= len(value) <= 12):
            raise ConfigError(f"{name} '{value}' must be 2–12 capital letters or digits (e.g. MX, MX01)",
                              message_zh=f"{name}“{value}”应为 2–12 位大写字母或数字")
    if not (isinstance(cfg.sync_batch_size, int) and 1 <= cfg.sync_batch_size <= 5000):
        raise ConfigError(f"sync_batch_size must be a whole number from 1 to 5000, not {cfg.sync_batch_size}",
                          message_zh="sync_batch_size（同步批量）应为 1 到 5000 的整数")
    if not (isinstance(cfg.backup_keep, int) and not isinstance(cfg.backup_keep, bool) and 1 <= cfg.backup_keep <= 3650):
        raise ConfigError(f"backup_keep must be a whole number from 1 to 3650, not {cfg.backup_keep}",
                          message_zh="backup_keep（保留的每日备份数）应为 1 到 3650 的整数")
    from pos.domain.errors import PosError
    from pos.domain.scan import ScaleLabelFormat

    for text in cfg.scale_formats:
        try:
            ScaleLabelFormat.from_setting(str(text))
        except (PosError, ValueError) as exc:
            raise ConfigError(f"scale format '{text}' is not valid: {exc}", message_zh=f"称重条码格式“{text}”无效") from exc
    cfg = _checked_devices(cfg)
    return replace(cfg, encoding=cfg.encoding.lower())


def load_config(path: Path | None = None, **overrides: object) -> Config:
    """Read ``path`` (or the default config file if it exists), then apply env and overrides."""
    cfg = Config()
    file = Path(path) if path else config_dir() / "config.toml"
    if path and not file.exists():
        raise ConfigError(f"config file {file} does not exist", message_zh=f"配置文件 {file} 不存在")
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {file} is not valid TOML: {exc}", message_zh=f"配置文件 {file} 格式错误") from exc
        unknown = set(data) - KNOWN_KEYS
        if unknown:
            raise ConfigError(f"config file {file} has unknown keys: {', '.join(sorted(unknown))}",
                              message_zh=f"配置文件含有未知项：{', '.join(sorted(unknown))}")
        values: dict[str, object] = {}
        for key, value in data.items():
            if key in ("db", "device_key", "receipts_dir", "backup_dir"):
                value = Path(value).expanduser()
            elif key == "scale_formats":
                value = tuple(value) if isinstance(value, list) else (value,)
            values[key] = value
        try:
            cfg = replace(cfg, **values, source=file)
        except TypeError as exc:
            raise ConfigError(f"config file {file}: {exc}") from exc
    if os.environ.get("POS_DB"):
        cfg = replace(cfg, db=Path(os.environ["POS_DB"]))
    clean = {k: v for k, v in overrides.items() if v is not None}
    if "db" in clean:
        clean["db"] = Path(str(clean["db"]))
    if "backup_dir" in clean:
        clean["backup_dir"] = Path(str(clean["backup_dir"]))
    return _validated(replace(cfg, **clean))


DEFAULT_LOGO = Path(__file__).resolve().parent.parent / "resources" / "receipt-logo.png"


def logo_path(cfg: Config) -> Path | None:
    """The receipt logo to print, or None when receipt_logo is off."""
    if not getattr(cfg, "receipt_logo", False):
        return None
    return Path(cfg.receipt_logo_file) if cfg.receipt_logo_file else DEFAULT_LOGO


def _checked_devices(cfg: Config) -> Config:
    """Device settings: types, ranges and URLs checked now, so a typo shows at start-up."""
    from pos.domain.errors import PosError

    for key in ("receipt_logo", "cash_drawer"):
        if not isinstance(getattr(cfg, key), bool):
            raise ConfigError(f"{key} must be true or false", message_zh=f"{key} 只能是 true 或 false")
    for key, low, high in (("wedge_max_gap_ms", 5, 500), ("wedge_min_length", 1, 64)):
        value = getattr(cfg, key)
        if not (isinstance(value, int) and not isinstance(value, bool) and low <= value <= high):
            raise ConfigError(f"{key} must be a whole number from {low} to {high}, not {value!r}",
                              message_zh=f"{key} 应为 {low} 到 {high} 的整数")
    if cfg.receipt_codes not in ("auto", "barcode", "qr", "both"):
        raise ConfigError(f"receipt_codes must be auto, barcode, qr or both, not {cfg.receipt_codes!r}",
                          message_zh="receipt_codes（小票单号条码）只能是 auto、barcode、qr 或 both")
    if cfg.receipt_qr not in ("native", "image"):
        raise ConfigError(f"receipt_qr must be native or image, not {cfg.receipt_qr!r}",
                          message_zh="receipt_qr（二维码方式）只能是 native 或 image")
    if cfg.receipt_logo_file is not None and not isinstance(cfg.receipt_logo_file, Path):
        cfg = replace(cfg, receipt_logo_file=Path(str(cfg.receipt_logo_file)).expanduser())
    try:
        from printers.profiles import get_profile

        get_profile(cfg.printer_profile)
        from pos.devices.display import make_display
        from pos.devices.scale import make_scale
        from pos.devices.serialport import parse_serial_url

        if cfg.scanner not in ("wedge", "") and not str(cfg.scanner).lower().startswith("dummy:"):
            parse_serial_url(str(cfg.scanner), kind="scanner")
        if cfg.scale:
            make_scale(str(cfg.scale))
        if cfg.display:
            make_display(str(cfg.display))
    except PosError as exc:
        raise ConfigError(exc.message, message_zh=exc.message_zh) from exc
    return cfg
