"""`stock list` prints a long list from lines SQLite writes (StockService.stock_lines), and a list with lots
through the CLI's own formatting of each product: the two must print a product the same, in text and JSON,
whatever its stock (weighed, sold past zero, an expired lot, one expiring today, no expiry at all)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from pos.cli.stock import _write_lines, _write_list
from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from tests.conftest import login_cashier

HEADER = "批次号,供应商,联系方式,到货日期,商品编码,数量,进价,到期日,产地,合格证编号,检疫证明编号"


def _printed(write, pages, as_json: bool) -> str:  # noqa: ANN001
    out = io.StringIO()
    with redirect_stdout(out):
        write(pages, as_json)
    return out.getvalue()


@pytest.fixture
def stocked(demo_till, tmp_path: Path):  # noqa: ANN001, ANN201
    today = demo_till.stock.today()
    day = lambda n: today.fromordinal(today.toordinal() + n).isoformat()  # noqa: E731
    rows = [f"MX-F001,12.345,6.35,{day(0)},茂县,HG-A1,",  # apples by the kg, expiring today
            f"MX-F001,3,7.10,{day(9)},茂县,HG-A2,",
            f"MX-E001,2,30.00,{day(-2)},松阳,HG-E1,",  # eggs already expired, then sold past zero
            f"MX-M001,0.5,58.00,{day(-1)},松阳,HG-B1,JY-7",  # beef expired yesterday, still on hand
            f"MX-O001,4,20.00,{day(1)},松阳,HG-O1,",
            f"MX-F004,0.1,3.00,{day(5)},茂县,HG-P1,"]  # loquats by the kg, then sold past zero
    note = tmp_path / "note.csv"
    first = f"SHKC-2026-48,松阳县供销合作社,0578-8066000,{day(-3)},"
    note.write_text("\n".join([HEADER] + [(first if i == 0 else ",,,,") + r for i, r in enumerate(rows)]) + "\n",
                    encoding="utf-8")
    demo_till.stock.receive_file(note, demo_till.auth.login("manager1", "2222"))
    cart = Cart()
    # 3 eggs past zero: no lot left, so no expiry; 0.050 kg of loquats past zero, valued at -¥0.15 (under a yuan)
    for sku, qty in (("MX-E001", 5), ("MX-F004", 150)):
        cart = cart.add(demo_till.lookup.find(sku), qty)
    demo_till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, 1_000_000)], login_cashier(demo_till))
    return demo_till


@pytest.mark.parametrize("as_json", [False, True])
def test_every_product_prints_the_same_from_sqlite_lines_as_from_the_cli_formatting(stocked, as_json: bool) -> None:  # noqa: ANN001
    stock = stocked.stock
    everything = stock.stock_list()
    assert {p.sku for p in everything} >= {"MX-F001", "MX-E001", "MX-M001", "MX-O001"}
    assert any(p.weighed for p in everything) and any(p.unlotted < 0 for p in everything)
    assert any(p.days_left == 0 for p in everything) and any((p.days_left or 0) < 0 for p in everything)
    assert any(p.earliest_expiry is None for p in everything)
    for lines, objects in [
        (list(stock.iter_stock_lines(as_json=as_json, chunk=2, first=1)), [everything]),  # pages of 1, then 2
        ([stock.stock_lines(as_json=as_json, expiring_days=3)], [stock.stock_list(expiring_days=3)]),
        ([stock.stock_lines(as_json=as_json, past_zero=True)], [stock.past_zero()]),
        ([stock.stock_lines(as_json=as_json, sku="6972316000170")], [stock.stock_list(sku="6972316000170")]),
        ([stock.stock_lines(as_json=as_json, limit=2, offset=1)], [stock.stock_list(limit=2, offset=1)]),
    ]:
        written = _printed(_write_lines, lines, as_json)
        assert written == _printed(_write_list, objects, as_json)
        assert written.strip() not in ("", "[]")
    if as_json:
        listed = json.loads(_printed(_write_lines, [stock.stock_lines(as_json=True)], True))
        eggs = next(p for p in listed if p["sku"] == "MX-E001")
        assert (eggs["past_zero"], eggs["unlotted"], eggs["earliest_expiry"], eggs["days_left"]) == (True, -3, None, None)
        loquats = next(p for p in listed if p["sku"] == "MX-F004")
        assert (loquats["on_hand_text"], loquats["value"], loquats["value_fen"]) == ("-0.050 kg", "-0.15", -15)
    else:
        text = _printed(_write_lines, [stock.stock_lines()], False)
        assert "15.345 kg" in text and "今天到期" in text and "剩 1 天" in text and "已过期 1 天" in text
        assert "⚠ 负库存（sold past zero）" in text
        assert "库存 -0.050 kg  成本 ¥-0.15" in text
