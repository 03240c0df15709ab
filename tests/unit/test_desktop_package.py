"""The installed till on the desktop: the menu entry, `lianxin-pos autostart on|off`, the package's scripts.

The .deb itself is built and installed by `make package-check` (CI); these check the parts a test can
reach in a second: what the autostart entry runs, that it leaves a foreign file alone, that the menu
entry carries both names, and that no maintainer script touches a user's ledger.
"""

from __future__ import annotations

import configparser
import re
import sys
from pathlib import Path

import pytest

from pos import autostart
from pos.cli import main

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "resources" / "packaging"


def _entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive: Name[zh_CN]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def exec_args(line: str) -> list[str]:
    """An Exec= value split as the Desktop Entry Specification says (quotes, backslash escapes, %%)."""
    args, current, quoted, escaped, started = [], "", False, False, False
    for ch in line:
        if escaped:
            current, escaped = current + ch, False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted, started = not quoted, True
        elif ch == " " and not quoted:
            if current or started:
                args.append(current)
            current, started = "", False
        else:
            current += ch
    if current or started:
        args.append(current)
    return [a.replace("%%", "%") for a in args]


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "autostart" / "lianxin-pos.desktop"


def test_autostart_on_writes_an_entry_that_opens_this_till_and_off_removes_it(xdg: Path, capsys) -> None:
    assert main(["autostart", "status"]) == 0
    assert "autostart off" in capsys.readouterr().out
    assert not xdg.exists()

    assert main(["autostart", "on"]) == 0
    out = capsys.readouterr().out
    assert "登录后自动打开收银台" in out and str(xdg) in out
    entry = _entry(xdg)
    assert entry["Name[zh_CN]"] == "连心收银" and entry["Name"] == "LianXin POS"
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert exec_args(entry["Exec"]) == [sys.executable, str(ROOT / "main.py")]  # a source checkout: python main.py

    assert main(["autostart", "off"]) == 0
    assert "autostart off" in capsys.readouterr().out
    assert not xdg.exists()
    assert main(["autostart", "off"]) == 0  # nothing to remove is not an error


def test_autostart_for_the_second_counter_opens_that_store(xdg: Path, tmp_path: Path) -> None:
    db = tmp_path / "my folder" / "pm.db"
    assert main(["--db", str(db), "autostart", "on", "--store", "pm"]) == 0
    args = exec_args(_entry(xdg)["Exec"])
    assert args[-5:] == ["--db", str(db), "gui", "--store", "PM"]


def test_the_installed_till_autostarts_through_its_launcher(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(autostart.shutil, "which", lambda name: "/usr/bin/lianxin-pos" if name == "lianxin-pos" else None)
    assert main(["autostart", "on", "--json"]) == 0
    assert _entry(xdg)["Exec"] == "/usr/bin/lianxin-pos"


def test_a_foreign_autostart_file_is_left_alone(xdg: Path, capsys) -> None:
    xdg.parent.mkdir(parents=True)
    xdg.write_text("[Desktop Entry]\nType=Application\nExec=someone-elses-tool\n", encoding="utf-8")
    for action in ("on", "off"):
        assert main(["autostart", action]) == 2
        assert "not written by LianXin POS" in capsys.readouterr().err
    assert "someone-elses-tool" in xdg.read_text(encoding="utf-8")


def test_exec_quoting_keeps_spaces_quotes_and_percent_signs() -> None:
    args = ["/opt/my tills/lianxin-pos", "--db", '/data/50% "off"/$x.db']
    line = autostart.quote_exec(args)
    assert "%%" in line and "% " not in line.replace("%%", "")
    assert exec_args(line) == args


def test_the_menu_entry_names_the_till_in_chinese_and_english() -> None:
    entry = _entry(PACKAGING / "lianxin-pos.desktop")
    assert entry["Name"] == "LianXin POS" and entry["Name[zh_CN]"] == "连心收银"
    assert entry["Categories"] == "Office;Finance;"
    assert entry["Exec"] == "lianxin-pos" and (PACKAGING / f"{entry['Icon']}.png").is_file()


def test_the_package_depends_on_the_window_packages_the_makefile_names() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^WINDOW_DEBS := (.*?)\n\n", makefile, re.S | re.M)
    assert block is not None
    script = (PACKAGING / "build-deb.sh").read_text(encoding="utf-8")
    default = re.search(r'DEBS=\$\{WINDOW_DEBS:-(.*?)\}', script, re.S)
    assert default is not None  # the script's fallback when run without make
    assert default.group(1).replace("\\", " ").split() == block.group(1).replace("\\", " ").split()


@pytest.mark.parametrize("script", ["postinst", "postrm"])
def test_no_maintainer_script_touches_a_users_data(script: str) -> None:
    commands = [line for line in (PACKAGING / script).read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    for line in commands:
        assert not re.search(r"\brm\b|\.local|\.config|/home|/root|\$HOME|lianxin-pos/", line), line
