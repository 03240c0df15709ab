"""The dashboard's 按批次 figures take a line's delivery batch from the lots the sale drew (issue 15)."""

from headoffice.facts import line_facts


def test_a_line_counts_under_the_batch_its_lots_came_from() -> None:
    payload = {"lines": [{"line_no": 1, "sku": "MX-F001", "name": "苹果", "origin": "茂县", "category": "水果",
                          "sold_by": "weight", "quantity": 1255, "amount": 2108, "net": 2108},
                         {"line_no": 2, "sku": "MX-E001", "name": "鸡蛋", "origin": "松阳", "category": "肉禽蛋",
                          "sold_by": "unit", "quantity": 1, "amount": 4500, "net": 4500}],
               "draws": [{"line": 1, "sku": "MX-F001", "lot": "SHKC-2026-48/1", "batch": "SHKC-2026-48", "qty": 1255,
                          "cost": 800, "net": 2108, "known": True}]}
    facts = line_facts("sale", payload)
    assert [(f.sku, f.batch) for f in facts] == [("MX-F001", "SHKC-2026-48"), ("MX-E001", "")]


def test_draws_that_are_not_a_list_do_not_break_the_dashboard() -> None:
    payload = {"lines": [{"line_no": 1, "sku": "A", "name": "a", "quantity": 1, "amount": 100, "net": 100}],
               "draws": "nonsense"}
    assert [f.batch for f in line_facts("sale", payload)] == [""]
