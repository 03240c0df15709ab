"""`pip install -e .` (the first step of `make run`) prints no setuptools warnings.

setuptools warns ("Package would be ignored", ~12 screens of text) for every directory under a package
that holds data files but is not in ``packages``, and ("Editable installation") when the editable install
needs its import finder because the project root is not a declared package directory.
"""

from __future__ import annotations

from pathlib import Path

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
