"""Scan-to-cart and search-as-you-type over the big catalogue (Qt offscreen, the real cart model).

Every figure carries its floor from the same run:

* scan → cart (till.scan, Cart.add, the cart table model, one Qt event pass) beside a bare
  ``SELECT * FROM products WHERE barcode = ?`` on a plain sqlite3 connection to the same file;
  the lookup alone (till.scan) is reported too, so the Qt/cart share is visible;
* search as you type beside the bare SQL of the same queries (the search's own statements run
  straight through sqlite3, no Python around them);
* the peak resident memory of this process after the searches (the catalogue must stay on disk).
"""

from __future__ import annotations

import json
import os
import random
import resource
import sqlite3
import time

from .catalog_db import config, ensure_catalog
from .common import CATALOG_SIZE, bench_home, generate_products, line, record, summary_ms

SCANS = 3000
QUERIES = 1500
SAMPLED_PRODUCTS = 300
SCAN_TARGET_RATIO = 3  # scan → cart p99 ≤ 3× the bare lookup's p99
SEARCH_TARGET_P99_MS = 10
BARE_LOOKUP = "SELECT * FROM products WHERE barcode = ?"
MEMORY_TARGET_MB = 200


def _rss_mb() -> float:
    try:
        for row in open("/proc/self/status", encoding="ascii"):
            if row.startswith("VmRSS:"):
                return int(row.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _sample(rnd: random.Random) -> tuple[list[str], list]:
    """SCANS barcodes to scan and SAMPLED_PRODUCTS products to type, in one pass over the
    generated catalogue (never the whole catalogue in memory: it would count as the till's)."""
    step = max(CATALOG_SIZE // (SCANS * 2), 1)
    query_step = max(CATALOG_SIZE // SAMPLED_PRODUCTS, 1)
    barcodes, sample = [], []
    for i, p in enumerate(generate_products(CATALOG_SIZE)):
        if i % step == 0 and p.barcode:
            barcodes.append(p.barcode)
        if i % query_step == 0:
            sample.append(p)
    return [rnd.choice(barcodes) for _ in range(SCANS)], sample


def _typed_queries(rnd: random.Random, sample: list) -> list[str]:
    """What a cashier types, keystroke by keystroke: initials, full pinyin, Chinese, barcode prefixes."""
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    for p in sample:
        base = p.name.split(" ")[0]
        initials = "".join(lazy_pinyin(base, style=Style.FIRST_LETTER)).lower()
        full = "".join(lazy_pinyin(base)).lower()
        word = rnd.choice((initials[2:], full[len(lazy_pinyin(base)[0]):]))  # from a word inside the name too
        for text in (initials, full, word, base[2:5]):
            out += [text[:k] for k in range(2, min(len(text), 8) + 1)]
        if p.barcode:
            out += [p.barcode[:k] for k in (4, 7, 10)]
    rnd.shuffle(out)
    return out[:QUERIES]


class _BareSearch:
    """The search's own SQL for one query, straight through sqlite3: the floor of a search."""

    def __init__(self, path, store: str, limit: int) -> None:  # noqa: ANN001
        self.limit = limit
        self.raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.raw.execute("PRAGMA query_only = ON")
        self.store = store

    def __call__(self, text: str) -> float:
        from pos.domain.barcodes import clean_code
        from pos.search_index import normalize
        from pos.services import search as s

        code, q = clean_code(text), normalize(text)
        t = time.perf_counter()
        found = self.raw.execute(s._EXACT_SQL, {"c1": code, "c2": code.upper(), "store": self.store,
                                                "limit": self.limit}).fetchall()
        self.raw.execute(s._PREFIX_SQL, {"lo": q, "hi": q + s._MAX_CHAR, "after_term": None, "after_sku": None,
                                         "page": s.PAGE_TERMS, "store": self.store,
                                         "candidates": max(s.CANDIDATES, 3 * self.limit),
                                         "exclude": json.dumps([r[0] for r in found]),
                                         "limit": self.limit - len(found)}).fetchall()
        return time.perf_counter() - t

    def close(self) -> None:
        self.raw.close()


def main() -> dict[str, dict]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pos.bootstrap import open_till
    from pos.domain.cart import Cart
    from ui.cart_model import CartTableModel
    from ui.search import SEARCH_LIMIT  # what the search widget asks for at each pause in typing

    with bench_home("scan"):
        path, built = ensure_catalog()
        rnd = random.Random(11)
        codes, sample = _sample(rnd)
        queries = _typed_queries(rnd, sample)
        del sample
        app = QApplication.instance() or QApplication([])
        rss_before = _rss_mb()
        # The file's pages the scans and searches will touch, in the OS cache for the till and the
        # floor alike: whichever ran first would otherwise pay the disk (×10–50 at p99).
        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for c in codes:
            raw.execute(BARE_LOOKUP, (c,)).fetchone()
        till = open_till(config(path))
        bare_search = _BareSearch(path, till.identity.store_code, SEARCH_LIMIT)
        for q in queries:
            bare_search(q)
        model = CartTableModel()
        try:
            # warm the caches the way a till does after opening
            for c in codes[:50]:
                try:
                    till.scan(c)
                except Exception:  # noqa: BLE001 - a weighed product's number has no barcode
                    pass
            # Each scan is followed by the bare lookup of the same code, each search by the bare SQL
            # of the same query: on a shared, busy host both see the same load.
            samples, lookups, base_samples, cart, misses = [], [], [], Cart(), 0
            for c in codes:
                t = time.perf_counter()
                try:
                    found = till.scan(c)
                except Exception:  # noqa: BLE001
                    misses += 1
                    continue
                t1 = time.perf_counter()
                cart = cart.add(found.product, found.quantity or 1)
                model.set_cart(cart)
                app.processEvents()
                t2 = time.perf_counter()
                samples.append(t2 - t)
                lookups.append(t1 - t)
                if len(cart.lines) >= 40:
                    cart = Cart()  # a new sale
                t = time.perf_counter()
                raw.execute(BARE_LOOKUP, (c,)).fetchone()
                base_samples.append(time.perf_counter() - t)
            scan, lookup, base = summary_ms(samples), summary_ms(lookups), summary_ms(base_samples)

            for q in queries[:30]:
                till.search(q, SEARCH_LIMIT)
            search_samples, bare_samples, empty = [], [], 0
            for q in queries:
                t = time.perf_counter()
                found = till.search(q, SEARCH_LIMIT)
                search_samples.append(time.perf_counter() - t)
                empty += not found
                bare_samples.append(bare_search(q))
            search, bare = summary_ms(search_samples), summary_ms(bare_samples)
            rss_after = _rss_mb()
            peak = _peak_rss_mb()
        finally:
            till.close()
            bare_search.close()
            raw.close()
    ratio_p99 = round(scan["p99_ms"] / max(base["p99_ms"], 1e-6), 1)
    search_ratio = round(search["p99_ms"] / max(bare["p99_ms"], 1e-6), 1)
    results = {
        "scan_to_cart": {**scan, "target_ratio_p99": SCAN_TARGET_RATIO, "baseline_sqlite_p50_ms": base["p50_ms"],
                         "baseline_sqlite_p99_ms": base["p99_ms"],
                         "ratio_p50": round(scan["p50_ms"] / max(base["p50_ms"], 1e-6), 1), "ratio_p99": ratio_p99,
                         "lookup_p50_ms": lookup["p50_ms"], "lookup_p99_ms": lookup["p99_ms"],
                         "lookup_ratio_p99": round(lookup["p99_ms"] / max(base["p99_ms"], 1e-6), 1),
                         "catalogue": CATALOG_SIZE, "misses": misses,
                         "catalogue_build_s": None if built is None else round(built, 1)},
        "search_as_you_type": {**search, "target_p99_ms": SEARCH_TARGET_P99_MS, "queries_with_no_result": empty,
                               "results_asked": SEARCH_LIMIT,
                               "baseline_sql_p50_ms": bare["p50_ms"], "baseline_sql_p99_ms": bare["p99_ms"],
                               "ratio_p99": search_ratio, "catalogue": CATALOG_SIZE,
                               "rss_before_till_mb": round(rss_before, 1), "rss_after_searches_mb": round(rss_after, 1),
                               "peak_rss_mb": round(peak, 1), "target_peak_rss_mb": MEMORY_TARGET_MB},
    }
    print(line("scan-to-cart p50 / p99", f"{scan['p50_ms']:.3f} / {scan['p99_ms']:.3f} ms",
               f"p99 ≤ {SCAN_TARGET_RATIO}× floor", f"SQLite lookup {base['p50_ms']:.3f}/{base['p99_ms']:.3f} ms",
               ratio_p99 <= SCAN_TARGET_RATIO))
    print(line("  ratio to a bare indexed lookup (p50, p99)", f"×{results['scan_to_cart']['ratio_p50']} ×{ratio_p99}",
               "", "", None))
    print(line("  of which the lookup (till.scan) p50 / p99", f"{lookup['p50_ms']:.3f} / {lookup['p99_ms']:.3f} ms",
               "", f"×{results['scan_to_cart']['lookup_ratio_p99']} at p99", None))
    print(line("search as you type p50 / p99", f"{search['p50_ms']:.2f} / {search['p99_ms']:.2f} ms",
               f"p99 ≤ {SEARCH_TARGET_P99_MS} ms", f"bare SQL {bare['p50_ms']:.2f}/{bare['p99_ms']:.2f} ms",
               search["p99_ms"] <= SEARCH_TARGET_P99_MS))
    print(line("  peak memory of the bench process", f"{peak:.0f} MB", f"≤ {MEMORY_TARGET_MB} MB",
               f"before till {rss_before:.0f} MB", peak <= MEMORY_TARGET_MB))
    if built is not None:
        print(f"  (built the {CATALOG_SIZE:,}-product catalogue in {built:.1f} s)")
    record(results)
    return results


if __name__ == "__main__":
    main()
