"""Start-up to a usable checkout window with the big catalogue, and the till's peak memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from .catalog_db import db_path, ensure_catalog
from .common import CATALOG_SIZE, DATA, ROOT, bench_home, generate_products, line, record

RUNS = 7


def _run(mode: str, db: str, codes: list[str]) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BENCH_DEVICE_KEY": str(DATA / "device.key")}
    t0 = time.time()
    out = subprocess.run([sys.executable, "-m", "bench.startup_child", mode, db, repr(t0), *codes], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"start-up child failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> dict[str, dict]:
    with bench_home("startup"):
        ensure_catalog()
        codes = [p.barcode for p, _ in zip(generate_products(CATALOG_SIZE), range(2000), strict=False) if p.barcode][::100]
        _run("till", str(db_path()), codes)  # one warm-up run: the OS file cache, as on a till that has run before
        till_runs = [_run("till", str(db_path()), codes) for _ in range(RUNS)]
        empty_runs = [_run("empty", "-", []) for _ in range(RUNS)]
    till_s = statistics.median(r["usable_s"] for r in till_runs)
    empty_s = statistics.median(r["usable_s"] for r in empty_runs)
    rss = max(r["peak_rss_mb"] for r in till_runs)
    empty_rss = max(r["peak_rss_mb"] for r in empty_runs)
    results = {
        "startup_to_checkout": {"median_s": round(till_s, 3), "max_s": round(max(r["usable_s"] for r in till_runs), 3),
                                "target_s": 1.5, "baseline_empty_window_s": round(empty_s, 3),
                                "ratio": round(till_s / empty_s, 2), "runs": RUNS, "catalogue": CATALOG_SIZE},
        "peak_memory": {"peak_rss_mb": round(rss, 1), "target_mb": 300, "baseline_empty_window_mb": round(empty_rss, 1),
                        "catalogue": CATALOG_SIZE},
    }
    print(line("start-up to a usable checkout window", f"{till_s:.3f} s", "≤ 1.5 s",
               f"empty window {empty_s:.3f} s (×{till_s / empty_s:.2f})", till_s <= 1.5))
    print(line("peak memory of the till", f"{rss:.0f} MB", "≤ 300 MB", f"empty window {empty_rss:.0f} MB", rss <= 300))
    record(results)
    return results


if __name__ == "__main__":
    main()
