"""Turn bench/results/latest.json into the README's table of figures."""

from __future__ import annotations

import json
from pathlib import Path

from .common import RESULTS, ROOT

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _row(name: str, value: str, target: str, baseline: str, ok: bool | None) -> str:
    verdict = "measured" if ok is None else ("met" if ok else "**missed**")
    return f"| {name} | {value} | {target} | {baseline} | {verdict} |"


def table(data: dict) -> str:
    f = data.get("figures", {})
    m = data.get("machine", {})
    rows = ["| figure | measured | target | baseline (same run) | |", "| --- | --- | --- | --- | --- |"]
    if "scan_to_cart" in f:
        s = f["scan_to_cart"]
        rows.append(_row(f"scan-to-cart, {s['catalogue']:,} products (p50 / p99)", f"{s['p50_ms']} / {s['p99_ms']} ms",
                         "p99 ≤ 20 ms", f"indexed SQLite lookup {s['baseline_sqlite_p50_ms']} / "
                         f"{s['baseline_sqlite_p99_ms']} ms (×{s['ratio_p50']})", s["p99_ms"] <= 20))
    if "search_as_you_type" in f:
        s = f["search_as_you_type"]
        rows.append(_row(f"pinyin/name search as you type (p50 / p99, {s['n']} keystrokes)",
                         f"{s['p50_ms']} / {s['p99_ms']} ms", "p99 ≤ 30 ms", "—", s["p99_ms"] <= 30))
    if "startup_to_checkout" in f:
        s = f["startup_to_checkout"]
        rows.append(_row("start-up to a usable checkout window (median)", f"{s['median_s']} s", "≤ 1.5 s",
                         f"empty PySide6 window {s['baseline_empty_window_s']} s (×{s['ratio']})", s["median_s"] <= 1.5))
    if "sale_commit" in f:
        s = f["sale_commit"]
        rows.append(_row("durable sale commit, WAL + FULL (p50 / p99)", f"{s['p50_ms']} / {s['p99_ms']} ms",
                         "p99 ≤ 15 ms", f"bare insert + commit {s['baseline_insert_p50_ms']} / "
                         f"{s['baseline_insert_p99_ms']} ms (×{s['ratio_p50']})", s["p99_ms"] <= 15))
    if "z_closure" in f:
        s = f["z_closure"]
        rows.append(_row(f"Z closure of a day with {s['sales']:,} sales", f"{s['seconds']} s", "≤ 0.5 s", "—",
                         s["seconds"] <= 0.5))
    if "sync_drain" in f:
        s = f["sync_drain"]
        rows.append(_row(f"sync drain of {s['entries']:,} entries to head office on loopback",
                         f"{s['entries_per_s']:,} entries/s", "≥ 5,000/s", s.get("baseline", "—"),
                         s["entries_per_s"] >= 5000))
    for key, db in (("headoffice_sync_50", "PostgreSQL"), ("headoffice_sync_50_sqlite", "SQLite")):
        if key in f:
            s = f[key]
            derived = (f"; every report row derived {s['derived_s']} s after the first batch"
                       if "derived_s" in s else "")
            rows.append(_row(f"{s['tills']} tills syncing at once into head office on {db} ({s['entries']:,} entries; "
                             f"batch p50 / p99{derived})", f"{s['entries_per_s']:,} entries/s, {s['errors']} errors; "
                             f"{s['batch_p50_ms'] / 1000:.2f} / {s['batch_p99_ms'] / 1000:.2f} s",
                             "≥ 10,000/s, p99 ≤ 1 s", f"{s['floor']} (×{s['ratio_to_floor']})",
                             s["ok"] and s["entries_per_s"] >= 10_000 and s["batch_p99_ms"] <= 1000))
    for key in ("dashboard_sqlite", "dashboard_postgres"):
        if key in f:
            s = f[key]
            floor = max(s["floor_count_ms"].values())
            rows.append(_row(f"head-office dashboard, a year of {s['counters']} counters on {s['database']} "
                             "(slowest page p99)", f"{s['worst_page_p99_ms']} ms", f"≤ {s['target_ms']} ms",
                             f"count(*) over the largest table {floor} ms", s["worst_page_p99_ms"] <= s["target_ms"]))
    if "peak_memory" in f:
        s = f["peak_memory"]
        rows.append(_row("peak memory of the till with the catalogue", f"{s['peak_rss_mb']} MB", "≤ 300 MB",
                         f"empty PySide6 window {s['baseline_empty_window_mb']} MB", s["peak_rss_mb"] <= 300))
    where = (f"Taken {data.get('taken_at', '?')} on {m.get('cpu', '?')}, {m.get('cores', '?')} cores, "
             f"{m.get('memory', '?')}, {m.get('os', '?')}, Python {m.get('python', '?')}.")
    return "\n".join(rows) + "\n\n" + where


def write_readme_table(readme: Path = ROOT / "README.md") -> str:
    data = json.loads((RESULTS / "latest.json").read_text())
    text = table(data)
    src = readme.read_text(encoding="utf-8")
    if BEGIN in src and END in src:
        head, rest = src.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        readme.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
    return text
