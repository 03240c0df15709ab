"""Start-up to a painted, usable window with the big catalogue, beside an empty PySide6 window, and peak memory.

Each run is a fresh process started the way a cashier starts the till (``python main.py``, no
command), timed from just before the process is spawned until its first window has
been painted and the event loop has answered a key press (bench/startup_child.py). The floor is
the same measurement of an empty PySide6 window (QApplication + one 1280×800 QWidget) in the same
run; a second floor is a window of the login's make in PySide6 alone (font, style sheet, list,
fields, buttons). Till and floor runs alternate so that a busy machine weighs on all alike. Both run with
compiled bytecode, as an installed till does (the cache goes to bench/.data/pycache).

Also recorded: when the till behind the login window has finished opening (services, SQLAlchemy,
migrations check) and when the checkout is painted after an immediate login, and the till's peak
resident memory after a few scans beside the empty window's.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from .catalog_db import db_path, ensure_catalog
from .common import CATALOG_SIZE, DATA, ROOT, bench_home, generate_products, line, record

RUNS = int(os.environ.get("BENCH_STARTUP_RUNS", "9"))
TARGET_RATIO = 1.5
TARGET_MB = 200


def child_env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(DATA / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed till runs from compiled bytecode
    return env


def _run(args: list[str]) -> dict[str, float]:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-m", "bench.startup_child", args[0], args[1], repr(t0), *args[2:]],
                         cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=180)
    lines = out.stdout.strip().splitlines()
    result = json.loads(lines[-1]) if lines else {}
    if out.returncode != 0 or "error" in result:
        raise SystemExit(f"start-up child failed: {result.get('error', '')} {out.stderr[-2000:]}")
    return result


def _write_config() -> None:
    """The till's settings where a till keeps them (under LIANXIN_HOME): no printer, the bench's device key."""
    from pos.config import config_dir

    path = config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'printer = "dummy:"\ndevice_key = "{(DATA / "device.key").as_posix()}"\n', encoding="utf-8")


def main() -> dict[str, dict]:
    with bench_home("startup"):
        ensure_catalog()
        _write_config()
        codes = [p.barcode for p, _ in zip(generate_products(CATALOG_SIZE), range(2000), strict=False) if p.barcode][::100]
        till_args = ["till", str(db_path()), *codes]
        empty_args, bare_args = ["empty", "-"], ["bare", "-"]
        for args in (till_args, empty_args, bare_args):  # warm-up: the OS file cache and the bytecode cache,
            _run(args)  # as on a till that has run before
        till_runs, empty_runs, bare_runs = [], [], []
        for _ in range(RUNS):
            till_runs.append(_run(till_args))
            empty_runs.append(_run(empty_args))
            bare_runs.append(_run(bare_args))
    till_s = statistics.median(r["usable_s"] for r in till_runs)
    empty_s = statistics.median(r["usable_s"] for r in empty_runs)
    bare_s = statistics.median(r["usable_s"] for r in bare_runs)
    stall_ms = statistics.median(r["max_stall_ms"] for r in till_runs)
    ready_s = statistics.median(r["till_ready_s"] for r in till_runs)
    checkout_s = statistics.median(r["checkout_s"] for r in till_runs)
    rss = max(r["peak_rss_mb"] for r in till_runs)
    empty_rss = max(r["peak_rss_mb"] for r in empty_runs)
    ratio = till_s / empty_s
    results = {
        "startup_to_checkout": {
            "median_s": round(till_s, 3), "max_s": round(max(r["usable_s"] for r in till_runs), 3),
            "first_window": "login", "baseline_empty_window_s": round(empty_s, 3),
            "baseline_empty_window_max_s": round(max(r["usable_s"] for r in empty_runs), 3),
            "ratio": round(ratio, 2), "target_ratio": TARGET_RATIO,
            "bare_login_window_s": round(bare_s, 3), "ratio_to_bare_login_window": round(till_s / bare_s, 2),
            "max_stall_while_opening_ms": round(stall_ms, 1),
            "till_open_behind_login_s": round(ready_s, 3), "checkout_after_immediate_login_s": round(checkout_s, 3),
            "runs": RUNS, "catalogue": CATALOG_SIZE,
        },
        "peak_memory": {"peak_rss_mb": round(rss, 1), "target_mb": TARGET_MB, "baseline_empty_window_mb": round(empty_rss, 1),
                        "catalogue": CATALOG_SIZE},
    }
    print(line("start-up to a painted, usable login window", f"{till_s:.3f} s", f"≤ {TARGET_RATIO}×",
               f"empty window {empty_s:.3f} s (×{ratio:.2f})", ratio <= TARGET_RATIO))
    print(line("  the same window in bare PySide6 (font, style)", f"{bare_s:.3f} s", "—",
               f"till ×{till_s / bare_s:.2f} of it", None))
    print(line("  longest GUI stall while the till opens", f"{stall_ms:.0f} ms", "—", "5 ms timer, median run", None))
    print(line("  the till open behind it / checkout painted", f"{ready_s:.2f} / {checkout_s:.2f} s", "—",
               "login at once with cashier1", None))
    print(line("peak memory of the till", f"{rss:.0f} MB", f"≤ {TARGET_MB} MB", f"empty window {empty_rss:.0f} MB",
               rss <= TARGET_MB))
    record(results)
    return results


if __name__ == "__main__":
    main()
