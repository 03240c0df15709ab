"""Refresh the English translation: lupdate over ui/*.py, apply pending translations, lrelease.

``python resources/i18n/update.py`` (or ``make translations``). Pending translations are JSON lines
in ``resources/i18n/pending/*.jsonl`` — ``{"context": "CheckoutWindow", "source": "收款", "translation":
"Pay"}`` — so several people can add strings at once without editing the .ts file by hand; they are
applied on every run (a later file wins). Runs are serialised with a lock file. Prints the strings
still without a translation and exits 1 if there are any.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS = HERE / "lianxin_en.ts"
QM = HERE / "lianxin_en.qm"
BIN = Path(sys.executable).parent


def pending() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for path in sorted((HERE / "pending").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                found[(row["context"], row["source"])] = row["translation"]
            except (ValueError, KeyError) as exc:
                sys.exit(f"{path.name} line {n}: {exc}")
    return found


def main() -> int:
    with open(HERE / ".update.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.py"))
        lupdate = [str(BIN / "pyside6-lupdate"), *sources, "-ts", str(TS.relative_to(ROOT)), "-no-obsolete"]
        subprocess.run(lupdate, cwd=ROOT, check=True, capture_output=True)
        table = pending()
        tree = ET.parse(TS)
        missing = []
        for ctx in tree.getroot().iter("context"):
            name = ctx.findtext("name")
            for msg in ctx.iter("message"):
                src = msg.findtext("source")
                tr = msg.find("translation")
                if (name, src) in table:
                    tr.text = table[(name, src)]
                    tr.attrib.pop("type", None)
                elif tr.get("type") == "unfinished" or not tr.text:
                    missing.append((name, src))
        ET.indent(tree, space="    ")
        body = ET.tostring(tree.getroot(), encoding="unicode")
        TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
        subprocess.run(lupdate, cwd=ROOT, check=True, capture_output=True)  # back to lupdate's own layout
        subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True, capture_output=True)
    for name, src in missing:
        print(f"untranslated: {name}: {src}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
