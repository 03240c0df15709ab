"""Shared fixtures of the command-line stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_cli import run


@pytest.fixture
def db(tmp_path: Path, pos_home: Path) -> Path:
    """A demo till database made by `init --demo` through the command line."""
    path = tmp_path / "till.db"
    run(pos_home, "--db", str(path), "init", "--demo")
    return path
