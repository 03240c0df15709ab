"""`pip install -e .` (the first step of `make run`) prints no setuptools warnings.

setuptools warns ("Package would be ignored", ~12 screens of text) for every directory under a package
that holds data files but is not in ``packages``, and ("Editable installation") when the editable install
needs its import finder because the project root is not a declared package directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from setuptools.config.setupcfg import read_configuration

ROOT = Path(__file__).resolve().parents[2]
TOP = ("pos", "ui", "printers", "headoffice")


def _options() -> dict:
    return read_configuration(str(ROOT / "setup.cfg"))["options"]


def test_every_directory_with_files_is_a_declared_package():
    packages = set(_options()["packages"])
    missing = []
    for top in TOP:
        for d in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]:
            if d.name == "__pycache__" or not any(f.is_file() for f in d.iterdir()):
                continue
            name = ".".join(d.relative_to(ROOT).parts)
            if name not in packages:
                missing.append(name)
    assert not missing, f"setuptools would warn 'Package would be ignored' for {missing}"
    assert not [p for p in packages if "__pycache__" in p]


def test_editable_install_uses_the_project_root_as_a_plain_path():
    # package_dir {"": "."} with a flat layout → a static .pth file, no "Editable installation" warning
    assert _options()["package_dir"] == {"": "."}


# -- `make deps` (run by `make run`): the Debian packages Qt's window needs --------------------------

def _window_debs() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    [line] = [ln for ln in text.splitlines() if ln.startswith("WINDOW_DEBS :=")]
    return line.split(":=", 1)[1].split()


def _debian_name(soname: str) -> str:
    """Debian's library package name: libxcb-icccm.so.4 → libxcb-icccm4, libxkbcommon-x11.so.0 → libxkbcommon-x11-0."""
    stem, _, major = soname.partition(".so.")
    stem = stem.lower()
    return f"{stem}-{major}" if stem[-1].isdigit() else f"{stem}{major}"


def test_make_deps_names_every_x_library_the_window_plugin_links() -> None:
    import shutil
    import subprocess

    import PySide6

    if shutil.which("ldd") is None:
        pytest.skip("no ldd")
    qt = Path(PySide6.__file__).parent / "Qt"
    needed: set[str] = set()
    for lib in [qt / "plugins/platforms/libqxcb.so", *qt.glob("lib/libQt6XcbQpa.so.*"), *qt.glob("lib/libQt6Gui.so.*"),
                *qt.glob("lib/libQt6DBus.so.*"), *qt.glob("plugins/xcbglintegrations/*.so")]:
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, check=True).stdout
        needed |= {line.split()[0] for line in out.splitlines() if "=>" in line}
    window = {s for s in needed if s.startswith(("libxcb", "libX11", "libxkbcommon", "libEGL.", "libGL.",
                                                  "libfontconfig", "libfreetype", "libdbus"))}
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"} <= window
    assert sorted({_debian_name(s) for s in window} - set(_window_debs())) == []


def test_the_readme_lists_the_same_packages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    assert f"sudo apt-get install {' '.join(_window_debs())}" in " ".join(readme.split())


def _make_deps(tmp_path: Path, uid: str) -> tuple[int, str, str]:
    """`make deps` on a Debian where libxcb-icccm4 and libxcb-keysyms1 are missing (dpkg-query, id and
    apt-get are stand-ins on PATH); returns make's exit status, its output, and what apt-get was asked."""
    import os
    import subprocess

    bin_ = tmp_path / "bin"
    bin_.mkdir()
    scripts = {
        "dpkg-query": 'case "$3" in libxcb-icccm4|libxcb-keysyms1) exit 1;; esac; printf "install ok installed"',
        "id": f"echo {uid}",
        "apt-get": f'echo "$@" >> {tmp_path}/apt.log',
    }
    for name, body in scripts.items():
        (bin_ / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_ / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_}:{os.environ['PATH']}"}
    r = subprocess.run(["make", "-s", "--no-print-directory", "deps"], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=60)
    log = tmp_path / "apt.log"
    return r.returncode, r.stdout + r.stderr, log.read_text() if log.exists() else ""


def test_make_deps_as_a_user_prints_the_apt_command_and_stops(tmp_path: Path) -> None:
    code, out, apt = _make_deps(tmp_path, "1000")
    assert code != 0 and apt == ""
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in out


def test_make_deps_as_root_installs_only_what_is_missing(tmp_path: Path) -> None:
    code, out, apt = _make_deps(tmp_path, "0")
    assert code == 0, out
    assert apt.splitlines() == ["update -qq", "install -y -qq libxcb-icccm4 libxcb-keysyms1"]
