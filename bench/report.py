"""Turn bench/results/latest.json into the README's table of figures, each beside its floor.

Every target of issue 14 is a ratio to a floor measured in the same run on the same host (ratios
hold across machines; absolute times do not), so the table shows the figure, the floor, the ratio
and the target ratio, and the same figure from the previous run (bench/results/history.jsonl) so a
regression shows. ``python -m bench.report --history [FIGURE]`` lists every recorded value.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import HISTORY, RESULTS, ROOT

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

Fig = dict[str, Any]


def _n(v: float) -> str:
    return f"{v:,.0f}" if v >= 1000 else (f"{v:.3g}" if v < 10 else f"{v:.1f}")


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


@dataclass(frozen=True)
class Spec:
    """How one figure reads: a label, the measured value, its floor, and whether it meets its target."""

    label: Callable[[Fig], str]
    value: Callable[[Fig], str]
    floor: Callable[[Fig], str]
    target: str
    ok: Callable[[Fig], bool | None]
    headline: Callable[[Fig], str]  # the short value shown as "previous run"


def _get(f: Fig, *keys: str) -> Any:
    for k in keys:
        if f.get(k) is not None:
            return f[k]
    return None


def _catalogue(f: Fig) -> str:
    return f"{f['catalogue']:,} products" if f.get("catalogue") else "the bench catalogue"


def _sale_ok(f: Fig) -> bool:
    return (f["p50_ms"] <= 2 * f["baseline_insert_p50_ms"]) and (f["p99_ms"] <= 3 * f["baseline_insert_p99_ms"])


def _scan_ok(f: Fig) -> bool:
    return f["p99_ms"] <= 3 * f["baseline_sqlite_p99_ms"]


def _z_seconds(f: Fig) -> float:
    return _get(f, "seconds", "z_s") if _get(f, "seconds", "z_s") is not None else f["z_ms"] / 1000


def _z_floor_ms(f: Fig) -> float | None:
    return _get(f, "floor_ms", "baseline_aggregate_ms", "bare_aggregate_ms")


def _z_shown(f: Fig) -> float:
    """The Z in ms as the table shows it: two decimals under 10 ms (a running-totals Z is a fraction of one)."""
    ms = _z_seconds(f) * 1000
    return round(ms, 2 if ms < 10 else 1)


def _z_ok(f: Fig) -> bool | None:
    ms = _z_seconds(f) * 1000
    floor = _z_floor_ms(f)
    return None if floor is None else (ms <= 50 and ms <= 2 * floor)


def _drain_ok(f: Fig) -> bool:
    return f["entries_per_s"] >= 20_000 and f["entries_per_s"] * 10 >= f["baseline_per_s"]


def _ho_ok(f: Fig) -> bool:
    return bool(f.get("ok", True)) and f["entries_per_s"] >= 10_000 and f["batch_p99_ms"] <= 1000 and not f.get("errors")


def _stock_ok(f: Fig) -> bool:
    """`stock list` answering in under 0.5 s: the command as it prints the whole list (text and --json), one
    product's lots and the expiring list; and the 库存 page's list of every product, which it loads whole."""
    target = f.get("target_ms", 500)
    printed = [f[k] for k in ("printed_text_ms", "printed_json_ms") if f.get(k) is not None]
    return max(f["full_ms"], f["sku_lots_p99_ms"], f["expiring_3_ms"], *printed) <= target


def _bare(f: Fig) -> str:
    """The bare insert's name: since 4 Dec its WAL is written over from its beginning, as the till's is."""
    return "bare INSERT + COMMIT, WAL written over as the till's" if f.get("warm_sales") else "bare INSERT + COMMIT"


SPECS: dict[str, Spec] = {
    "sale_commit": Spec(
        lambda f: "durable sale commit, WAL + synchronous=FULL (p50 / p99)",
        lambda f: f"{f['p50_ms']} / {f['p99_ms']} ms",
        lambda f: (f"{_bare(f)} {f['baseline_insert_p50_ms']} / {f['baseline_insert_p99_ms']} ms "
                   f"(×{_ratio(f['p50_ms'], f['baseline_insert_p50_ms'])} / "
                   f"×{_ratio(f['p99_ms'], f['baseline_insert_p99_ms'])})"
                   + (f"; into a fresh file, its WAL growing (the floor before 4 Dec) {f['baseline_growing_wal_p50_ms']}"
                      f" ms p50 (×{f['ratio_growing_wal_p50']})" if f.get("baseline_growing_wal_p50_ms") else "")),
        "p50 ≤ 2×, p99 ≤ 3×", _sale_ok, lambda f: f"{f['p50_ms']} ms p50"),
    "sale_commit_lots": Spec(
        lambda f: (f"durable sale commit, every sold product in 2–3 lots ({f.get('draws_per_sale', '?')} draws a sale"
                   + (f"; {f['history_weeks']} sold-out lots a product before them" if f.get("history_weeks") else "")
                   + "; p50 / p99)"),
        lambda f: f"{f['p50_ms']} / {f['p99_ms']} ms",
        lambda f: (f"{_bare(f)} {f['baseline_insert_p50_ms']} / {f['baseline_insert_p99_ms']} ms "
                   f"(×{_ratio(f['p50_ms'], f['baseline_insert_p50_ms'])} / "
                   f"×{_ratio(f['p99_ms'], f['baseline_insert_p99_ms'])}); without lots "
                   f"{f['without_lots_p50_ms']} / {f['without_lots_p99_ms']} ms"),
        "p50 ≤ 2×, p99 ≤ 3×", _sale_ok, lambda f: f"{f['p50_ms']} ms p50"),
    "scan_to_cart": Spec(
        lambda f: f"scan → line in the cart, {_catalogue(f)} (p50 / p99)",
        lambda f: f"{f['p50_ms']} / {f['p99_ms']} ms",
        lambda f: (f"indexed SQLite lookup {f['baseline_sqlite_p50_ms']} / {f['baseline_sqlite_p99_ms']} ms "
                   f"(p99 ×{_ratio(f['p99_ms'], f['baseline_sqlite_p99_ms'])})"),
        "p99 ≤ 3×", _scan_ok, lambda f: f"{f['p99_ms']} ms p99"),
    "search_as_you_type": Spec(
        lambda f: f"search as you type, {_catalogue(f)} (p50 / p99, {f.get('n', '?')} keystrokes)",
        lambda f: f"{f['p50_ms']} / {f['p99_ms']} ms",
        lambda f: (f"the same SQL bare {_get(f, 'baseline_sql_p50_ms')} / {_get(f, 'baseline_sql_p99_ms')} ms "
                   f"(p99 ×{_ratio(f['p99_ms'], f['baseline_sql_p99_ms'])})" if f.get("baseline_sql_p99_ms") else "—"),
        "p99 ≤ 10 ms", lambda f: f["p99_ms"] <= 10, lambda f: f"{f['p99_ms']} ms p99"),
    "startup_to_checkout": Spec(
        lambda f: f"start-up to a painted, usable window, {_catalogue(f)} (median)",
        lambda f: f"{f['median_s']} s",
        lambda f: (f"empty PySide6 window {f['baseline_empty_window_s']} s "
                   f"(×{_ratio(f['median_s'], f['baseline_empty_window_s'])})"),
        "≤ 1.5×", lambda f: f["median_s"] <= 1.5 * f["baseline_empty_window_s"], lambda f: f"{f['median_s']} s"),
    "peak_memory": Spec(
        lambda f: f"peak memory of the till, {_catalogue(f)}",
        lambda f: f"{f['peak_rss_mb']} MB",
        lambda f: f"empty PySide6 window {f['baseline_empty_window_mb']} MB",
        "≤ 200 MB", lambda f: f["peak_rss_mb"] <= 200, lambda f: f"{f['peak_rss_mb']} MB"),
    "z_closure": Spec(
        lambda f: f"Z of a day with {f.get('sales', 5000):,} sales",
        lambda f: f"{_z_shown(f)} ms",
        lambda f: (f"{f.get('floor_what', 'bare GROUP BY over the day' + chr(39) + 's fact rows')} {_z_floor_ms(f)} ms "
                   f"(×{_ratio(_z_seconds(f) * 1000, _z_floor_ms(f))})" if _z_floor_ms(f) is not None else "—")
        + (f"; the running totals' bare SELECT {f['bare_fact_totals_ms']} ms"
           if f.get("bare_fact_totals_ms") is not None else "")
        + (f"; over the day's sale lines {f['floor_group_by_sale_lines_ms']} ms "
           f"(×{_ratio(_z_seconds(f) * 1000, f['floor_group_by_sale_lines_ms'])})"
           if f.get("floor_group_by_sale_lines_ms") and "floor_what" not in f else ""),
        "≤ 50 ms and ≤ 2×", _z_ok, lambda f: f"{_z_shown(f)} ms"),
    "stock_list": Spec(
        lambda f: (f"stock list, {f['products']:,} products × {f['lots'] // max(f['products'], 1)} lots "
                   "(the command printing all, text / --json; the 库存 page's whole list; first 100; --sku --lots p99; "
                   "--expiring 3)"),
        lambda f: (f"{f.get('printed_text_ms', '?')} / {f.get('printed_json_ms', '?')} ms; {f['full_ms']} ms; "
                   f"{f.get('first_page_ms', '?')} ms; {f['sku_lots_p99_ms']} ms; {f['expiring_3_ms']} ms"),
        lambda f: ((f"bare SELECT * of the summary {f['floor_printed_select_ms']} ms; "
                    if f.get("floor_printed_select_ms") is not None else "")
                   + f"bare GROUP BY over the lots {f['floor_group_by_ms']} ms (×{_ratio(f['full_ms'], f['floor_group_by_ms'])}); "
                   f"bare select of one product's lots {f['floor_sku_lots_p99_ms']} ms; "
                   f"bare GROUP BY of the expiring lots {f['floor_expiring_ms']} ms"
                   + (f"; the first GROUP BY over a covering index (proposal) {f['floor_covering_index_ms']} ms"
                      if f.get("floor_covering_index_ms") is not None else "")),
        "each < 0.5 s", _stock_ok, lambda f: f"{f['full_ms']} ms"),
    "period_reports": Spec(
        lambda f: f"period reports, a month of {f['sales']:,} sales (the slowest of {len(f['rows'])})",
        lambda f: f"{f['worst_ms']} ms ({f['worst_cpu_ms']} ms CPU)",
        lambda f: f"{f['floor_what']} {f['floor_ms']} ms (×{f['ratio_worst_to_floor']}); load {f['load_1min']}",
        "< 1 s each", lambda f: f["worst_ms"] < f["target_ms"], lambda f: f"{f['worst_ms']} ms"),
    "sync_drain": Spec(
        lambda f: f"sync drain of {f['entries']:,} entries to a SQLite head office on loopback",
        lambda f: f"{f['entries_per_s']:,} entries/s",
        lambda f: (f"HTTP echo of the same batches {f['baseline_per_s']:,}/s "
                   f"(1/{_ratio(f['baseline_per_s'], f['entries_per_s'])})"),
        "≥ 20,000/s and ≥ 1/10", _drain_ok, lambda f: f"{f['entries_per_s']:,}/s"),
    "promotions_add_line": Spec(
        lambda f: f"add a line to a {f['cart_lines']}-line cart + recompute {f['promotions']} promotions (p50 / p99)",
        lambda f: f"{f['p50_ms']} / {f['p99_ms']} ms",
        lambda f: f"Σ of the lines' gross {f['floor_ms']} ms; CPU p99 {f['cpu_p99_ms']} ms (load {f['load_1min']})",
        "p99 ≤ 5 ms", lambda f: f["p99_ms"] <= 5, lambda f: f"{f['p99_ms']} ms p99"),
    "report_exports": Spec(
        lambda f: f"exports of 销售流水 ({f['rows']:,} rows) and the workbook ({f['workbook_rows']:,} rows)",
        lambda f: (f"CSV {f['csv_ms']} / XLSX {f['xlsx_ms']} / workbook {f['workbook_ms']} ms; "
                   + (f"PDF {f['pdf_ms']} ms ({f['pdf_pages']:,} pages)" if "pdf_ms" in f
                      else f"PDF ~{f['pdf_month_s_est']} s")),
        lambda f: (f"csv.writer {f['csv_floor_ms']} ms; openpyxl {f['xlsx_floor_ms']} / {f['workbook_floor_ms']} ms; "
                   f"reportlab canvas {f['pdf_floor_pages_per_s']} pages/s"
                   + (f" (~{f['pdf_floor_month_s_est']} s for the month)" if "pdf_floor_month_s_est" in f else "")),
        "< 1 s each", lambda f: max(f["csv_ms"], f["xlsx_ms"], f["workbook_ms"], f.get("pdf_ms", 0)) < f["target_ms"]
        and "pdf_ms" in f,
        lambda f: f"XLSX {f['xlsx_ms']} ms"),
    "member_lookup": Spec(
        lambda f: f"member lookup by phone, {f['members']:,} members (p99; last 4; card)",
        lambda f: (f"{f['phone_p99_ms']} ms ({f['phone_cpu_p99_ms']} ms CPU); {f['last4_p99_ms']} ms; "
                   f"{f['code_p99_ms']} ms"),
        lambda f: f"bare SELECT by hash p99 {f['floor_p99_ms']} ms",
        "p99 ≤ 5 ms", lambda f: f["phone_p99_ms"] <= f["target_ms"], lambda f: f"{f['phone_p99_ms']} ms"),
}


def _ho_spec(db: str) -> Spec:
    return Spec(
        lambda f: (f"{f['tills']} tills syncing at once into head office on {db} ({f['entries']:,} entries; "
                   "batch p50 / p99" + (f"; all derived {f['derived_s']} s after the first batch" if "derived_s" in f
                                        else "") + ")"),
        lambda f: (f"{f['entries_per_s']:,} entries/s, {f['errors']} errors; "
                   f"{f['batch_p50_ms'] / 1000:.2f} / {f['batch_p99_ms'] / 1000:.2f} s"),
        lambda f: f"{f['floor']} (×{f['ratio_to_floor']})",
        "≥ 10,000/s, p99 ≤ 1 s", _ho_ok, lambda f: f"{f['entries_per_s']:,}/s")


SPECS["headoffice_sync_50"] = _ho_spec("PostgreSQL")
SPECS["headoffice_sync_50_sqlite"] = _ho_spec("SQLite")
for _key in ("dashboard_sqlite", "dashboard_postgres"):
    SPECS[_key] = Spec(
        lambda f: (f"head-office dashboard, a year of {f['counters']} counters on {f['database']} "
                   "(slowest page p99)"),
        lambda f: f"{f['worst_page_p99_ms']} ms",
        lambda f: f"count(*) over the largest table {max(f['floor_count_ms'].values())} ms",
        "≤ 300 ms", lambda f: f["worst_page_p99_ms"] <= f["target_ms"], lambda f: f"{f['worst_page_p99_ms']} ms")


def history(figure: str | None = None) -> list[Fig]:
    """Every recorded value (of ``figure``), oldest first."""
    if not HISTORY.exists():
        return []
    rows = [json.loads(x) for x in HISTORY.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r for r in rows if figure is None or r.get("figure") == figure]


def previous(name: str, taken_at: str | None) -> Fig | None:
    """The same figure from the run before ``taken_at``."""
    earlier = [r for r in history(name) if taken_at is None or r.get("taken_at", "") < taken_at]
    return earlier[-1] if earlier else None


def _safe(fn: Callable[[Fig], Any], f: Fig, default: Any = "?") -> Any:
    try:
        return fn(f)
    except (KeyError, TypeError, ZeroDivisionError, ValueError, AttributeError):
        return default


def table(data: dict) -> str:
    figs = data.get("figures", {})
    rows = ["| figure | measured | floor, same run (ratio) | target | previous run | |",
            "| --- | --- | --- | --- | --- | --- |"]
    for name, spec in SPECS.items():
        f = figs.get(name)
        if f is None:
            continue
        ok = _safe(spec.ok, f, None)
        verdict = "measured" if ok is None else ("met" if ok else "**missed**")
        before = previous(name, f.get("taken_at", data.get("taken_at")))
        prev = f"{_safe(spec.headline, before)} ({before.get('taken_at', '?')[:10]})" if before else "—"
        rows.append(f"| {_safe(spec.label, f)} | {_safe(spec.value, f)} | {_safe(spec.floor, f)} | {spec.target} "
                    f"| {prev} | {verdict} |")
    m = data.get("machine", {})
    where = (f"Taken {data.get('taken_at', '?')} on {m.get('cpu', '?')}, {m.get('cores', '?')} cores, "
             f"{m.get('memory', '?')}, {m.get('os', '?')}, Python {m.get('python', '?')}; "
             f"a fixed CPU loop {m.get('cpu_loop_ms', '?')} ms, one 4 KiB write + fsync {m.get('fsync_ms', '?')} ms, "
             f"load {m.get('load_1min', '?')}.")
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


def _print_history(figure: str | None) -> None:
    for r in history(figure):
        spec = SPECS.get(r.get("figure", ""))
        value = _safe(spec.headline, r) if spec else "?"
        host = r.get("host", {})
        print(f"{r.get('taken_at', '?'):<22} {r.get('figure', '?'):<28} {value:<18} "
              f"cpu loop {host.get('cpu_loop_ms', '?')} ms, fsync {host.get('fsync_ms', '?')} ms")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--history":
        _print_history(sys.argv[2] if len(sys.argv) > 2 else None)
    else:
        print(table(json.loads((RESULTS / "latest.json").read_text())))
