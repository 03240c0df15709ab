"""`make bench`: every benchmark in turn, then the table of figures for the README."""

from __future__ import annotations

import importlib
import sys
import time

from .common import CATALOG_SIZE, RESULTS, machine

MODULES = ["bench.bench_scan_search", "bench.bench_startup", "bench.bench_ledger", "bench.bench_closing",
           "bench.bench_stock", "bench.bench_reports", "bench.bench_sync", "bench.bench_headoffice_sync", "bench.bench_dashboard",
           "bench.bench_members", "bench.bench_promotions"]


def main() -> int:
    started = time.perf_counter()
    only = [m for m in sys.argv[1:] if not m.startswith("-")]
    if not only:  # a whole run: latest.json holds this run only; earlier runs stay in history.jsonl
        (RESULTS / "latest.json").unlink(missing_ok=True)
    host = machine()
    print(f"host: {host['cpu']}, {host['cores']} cores; a fixed CPU loop {host['cpu_loop_ms']} ms, "
          f"one fsync {host['fsync_ms']} ms, load {host['load_1min']}; catalogue {CATALOG_SIZE:,} products")
    failed = []
    for name in MODULES:
        if only and not any(name.endswith(o) for o in only):
            continue
        print(f"\n== {name}")
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"   skipped: {exc}")
            continue
        t = time.perf_counter()
        try:
            module.main()
        except Exception as exc:  # one benchmark failing must not hide the others' figures
            failed.append(name)
            print(f"   FAILED: {type(exc).__name__}: {exc}")
        print(f"   ({time.perf_counter() - t:.0f} s)")
    from .report import write_readme_table

    table = write_readme_table()
    print("\n" + table)
    print(f"all benchmarks: {time.perf_counter() - started:.0f} s; results in bench/results/latest.json")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
