"""`make bench`: every benchmark in turn, then the table of figures for the README."""

from __future__ import annotations

import importlib
import sys
import time

from .common import RESULTS

MODULES = ["bench.bench_scan_search", "bench.bench_startup", "bench.bench_ledger", "bench.bench_sync",
           "bench.bench_headoffice_sync", "bench.bench_dashboard"]


def main() -> int:
    started = time.perf_counter()
    (RESULTS / "latest.json").unlink(missing_ok=True)
    failed = []
    for name in MODULES:
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
