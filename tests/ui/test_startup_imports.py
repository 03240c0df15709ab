"""The login window of a normal start is painted before any heavy library is imported.

One subprocess starts the till as ``python main.py`` does (``pos.cli.main([... "gui"])``) on a set-up
database, holds the till's opening back, and lists the heavy modules already imported at the moment
the login window is on screen: there must be none. Then it lets the till open and quits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pos.bootstrap import Till
from pos.config import Config

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("sqlalchemy", "alembic", "asyncio", "pypinyin", "reportlab", "openpyxl", "escpos", "httpx", "argon2",
         "serial", "PIL", "qrcode", "printers", "pos.bootstrap", "pos.store.db", "pos.services.auth",
         "pos.services.checkout", "ui.checkout", "ui.manager")

CODE = """
import json, sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

heavy, db = json.loads(sys.argv[1]), sys.argv[2]
app = QApplication(sys.argv[:1])
import ui.app
from ui.login import LoginDialog

release, real = threading.Event(), ui.app.load_till
def held(cfg, opened):
    release.wait(30)
    return real(cfg, opened)
ui.app.load_till = held
seen = {}

def look():
    login = [w for w in app.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()]
    if not login:
        QTimer.singleShot(1, look)
        return
    seen["at_paint"] = sorted(n for n in heavy if n in sys.modules)
    seen["users"] = login[0].users.count()
    release.set()
    QTimer.singleShot(0, login[0].reject)

QTimer.singleShot(0, look)
from pos.cli import main
seen["status"] = main(["--db", db, "--printer", "dummy:", "gui"])
seen["after"] = sorted(n for n in ("sqlalchemy", "pos.bootstrap") if n in sys.modules)
print(json.dumps(seen))
"""


def test_nothing_heavy_is_imported_before_the_login_window_is_painted(fresh_till: Till, config: Config) -> None:
    fresh_till.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CODE, json.dumps(HEAVY), str(config.db)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["at_paint"] == [], f"imported before the first paint: {seen['at_paint']}"
    assert seen["users"] >= 3  # the window shows the people, not "正在读取用户…"
    assert seen["status"] == 0
    assert seen["after"] == ["pos.bootstrap", "sqlalchemy"]  # the till did open behind the window
