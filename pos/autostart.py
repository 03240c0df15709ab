"""Opening the till when a counter's user logs in (kiosk counters): an XDG autostart entry.

``lianxin-pos autostart on`` writes ``~/.config/autostart/lianxin-pos.desktop`` for the user who
runs it (``$XDG_CONFIG_HOME`` is honoured); ``off`` removes it again. Per user, not system-wide:
the till's data lives in the user's data folder too, so the entry belongs to the counter's own
login. Every desktop of the Debian family (GNOME, KDE, Xfce, DDE on 统信UOS, UKUI on 麒麟) reads
these entries. A file of that name that this module did not write is left alone.

Standard library only: the first-run wizard and the command line share it.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ENTRY_NAME = "lianxin-pos.desktop"
MARKER = "X-LianXin-Autostart=true"  # how `off` knows the file is ours
INSTALLED_LAUNCHER = "/usr/bin/lianxin-pos"  # what the .deb installs (resources/packaging)
MAIN = Path(__file__).resolve().parents[1] / "main.py"


class NotOurEntry(Exception):
    """An autostart file of our name that someone else wrote: neither replaced nor removed."""


@dataclass(frozen=True)
class AutostartState:
    path: Path
    enabled: bool
    command: str | None  # the Exec line when enabled


def autostart_dir(env: os._Environ[str] | dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "autostart"


def launcher() -> list[str]:
    """The command that opens this very till: the installed launcher, the bundle's program, or
    ``python main.py`` from a source checkout."""
    if getattr(sys, "frozen", False):
        installed = shutil.which("lianxin-pos") or (INSTALLED_LAUNCHER if Path(INSTALLED_LAUNCHER).exists() else None)
        return [installed or sys.executable]
    return [sys.executable, str(MAIN)]


def quote_exec(args: list[str]) -> str:
    """An Exec= value (Desktop Entry Specification): arguments with spaces or special characters in
    double quotes with ``"`` ``` ` ``` ``$`` ``\\`` escaped, and ``%`` doubled (field codes)."""
    out = []
    for arg in args:
        text = arg.replace("%", "%%")
        if not text or any(c in text for c in " \t\n\"'\\><~|&;$*?#()`"):
            text = '"' + "".join("\\" + c if c in '"`$\\' else c for c in text) + '"'
        out.append(text)
    return " ".join(out)


def entry_text(command: list[str]) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=LianXin POS",
        "Name[zh_CN]=连心收银",
        "Comment=Opens the till when this user logs in (lianxin-pos autostart off stops it)",
        "Comment[zh_CN]=登录时自动打开收银台（lianxin-pos autostart off 可关闭）",
        f"Exec={quote_exec(command)}",
        "Icon=lianxin-pos",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        MARKER,
        "",
    ])


def state(directory: Path | None = None) -> AutostartState:
    path = (directory or autostart_dir()) / ENTRY_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return AutostartState(path, False, None)
    if MARKER not in text:
        raise NotOurEntry(str(path))
    command = next((line[5:] for line in text.splitlines() if line.startswith("Exec=")), None)
    return AutostartState(path, True, command)


def enable(extra_args: list[str] | None = None, directory: Path | None = None) -> AutostartState:
    """Write (or rewrite) the entry; ``extra_args`` follow the launcher, e.g. ``["gui", "--store", "PM"]``."""
    current = state(directory)  # refuses a foreign file before anything is written
    command = [*launcher(), *(extra_args or [])]
    current.path.parent.mkdir(parents=True, exist_ok=True)
    tmp = current.path.with_suffix(".tmp")
    tmp.write_text(entry_text(command), encoding="utf-8")
    tmp.replace(current.path)
    return AutostartState(current.path, True, quote_exec(command))


def disable(directory: Path | None = None) -> AutostartState:
    """Remove our entry; nothing happens when there is none."""
    current = state(directory)
    if current.enabled:
        current.path.unlink()
    return AutostartState(current.path, False, None)
