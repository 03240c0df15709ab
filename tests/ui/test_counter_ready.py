"""Issue 13's small counter-readiness points, as a person at the till notices them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from pos.cli import main as cli_main
from pos.config import Config
from ui import app as app_module

# -- `make run STORE=PM` → `main.py gui --store PM`: the demo's second counter in one command ----------


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> list[Any]:
    """Run ``gui`` up to the point the till is open (no event loop): what it opened, or the error shown."""
    seen: list[Any] = []

    def run_gui(cfg: Config, language: str | None, *, rebind: bool = False) -> int:
        till = app_module.start_till(cfg, rebind=rebind)
        if till is not None:
            seen.append((Path(cfg.db).name, till.identity.terminal_id, till.identity.store_name))
            till.close()
        return 0 if till else app_module.EXIT_START_FAILED

    def critical(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(app_module, "run_gui", run_gui)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    return seen


def test_the_pm_counter_opens_with_one_command_on_its_own_database(opened: list[Any], pos_home: Path) -> None:
    assert cli_main(["gui", "--store", "pm"]) == 0
    assert cli_main([]) == 0  # plain `make run`: the MX counter, its database untouched by PM's
    assert opened == [("lianxin-PM.db", "PM01", "平茂连心馆"), ("lianxin.db", "MX01", "金平湖鲜到家")]
    assert cli_main(["gui", "--store", "PM"]) == 0  # the second time: the same PM database again
    assert opened[-1] == ("lianxin-PM.db", "PM01", "平茂连心馆")
    assert sorted(p.name for p in (pos_home / "data").glob("*.db")) == ["lianxin-PM.db", "lianxin.db"]


def test_asking_for_pm_on_the_mx_database_is_refused_not_ignored(opened: list[Any], pos_home: Path) -> None:
    assert cli_main([]) == 0
    mx_db = str(pos_home / "data" / "lianxin.db")
    assert cli_main(["--db", mx_db, "gui", "--store", "PM"]) == app_module.EXIT_START_FAILED
    assert "MX01" in opened[-1] and "PM01" in opened[-1]
