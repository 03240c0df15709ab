"""The bench table: each figure beside its floor, its target ratio, and the previous run's value."""

from __future__ import annotations

import json

import bench.common as common
import bench.report as report


def _sale(p50: float, p99: float, taken: str) -> dict:
    return {"p50_ms": p50, "p99_ms": p99, "baseline_insert_p50_ms": 0.5, "baseline_insert_p99_ms": 1.0,
            "taken_at": taken}


def test_a_ratio_over_target_is_missed_and_the_previous_run_shows(tmp_path, monkeypatch):
    history = tmp_path / "history.jsonl"
    monkeypatch.setattr(report, "HISTORY", history)
    history.write_text("\n".join(json.dumps({"figure": "sale_commit", **_sale(p, 2.0, t)}) for p, t in
                                 ((0.9, "2026-12-01T00:00:00Z"), (3.1, "2026-12-02T00:00:00Z"))) + "\n")
    slow = report.table({"figures": {"sale_commit": _sale(1.2, 2.9, "2026-12-03T00:00:00Z")}})
    row = next(r for r in slow.splitlines() if "sale commit" in r)
    assert "×2.4" in row and "**missed**" in row  # p50 1.2 ms against a 0.5 ms insert: over 2×
    assert "3.1 ms p50 (2026-12-02)" in row  # the run before, not the older one
    fast = report.table({"figures": {"sale_commit": _sale(0.9, 2.9, "2026-12-03T00:00:00Z")}})
    assert "| met |" in next(r for r in fast.splitlines() if "sale commit" in r)


def test_record_stamps_the_host_and_appends_to_the_history(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "RESULTS", tmp_path)
    monkeypatch.setattr(common, "HISTORY", tmp_path / "history.jsonl")
    monkeypatch.setattr(common, "DATA", tmp_path / "data")
    common.record({"z_closure": {"seconds": 0.04, "sales": 5000}})
    common.record({"z_closure": {"seconds": 0.03, "sales": 5000}})
    rows = [json.loads(x) for x in (tmp_path / "history.jsonl").read_text().splitlines()]
    assert [r["seconds"] for r in rows] == [0.04, 0.03]
    host = rows[0]["host"]
    assert host["fsync_ms"] > 0 and host["cpu_loop_ms"] > 0
    latest = json.loads((tmp_path / "latest.json").read_text())
    assert latest["figures"]["z_closure"]["seconds"] == 0.03
