"""Whatever names a catalogue holds, no printed line is wider than the roll."""

from __future__ import annotations

from escpos_reader import decode
from hypothesis import given, settings
from hypothesis import strategies as st
from sample_receipts import maoxian_sale

from pos.domain.receipt import ReceiptLine, ReceiptPayment
from printers import cell_width, encode_receipt, layout_receipt, render_text, wrap

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
PUNCTUATION = st.sampled_from("，。、；：？！“”‘’（）【】《》—…·×°①￥¥%/-+ 　")
ANYTHING = st.characters(codec="utf-8")  # emoji, combining marks, controls, rare CJK …
CHAR = st.one_of(CJK, CJK, ASCII, PUNCTUATION, ANYTHING)
NAME = st.text(CHAR, min_size=0, max_size=60)
FEN = st.integers(min_value=-1_000_000_000, max_value=1_000_000_000)

KILOGRAMS = st.integers(1, 500_000).map(lambda g: f"{g // 1000}.{g % 1000:03d}kg")
line_strategy = st.builds(
    ReceiptLine,
    name=NAME,
    quantity_text=st.one_of(st.integers(1, 9999).map(str), KILOGRAMS),
    unit_price_fen=FEN,
    amount_fen=FEN,
    weighed=st.booleans(),
    detail=st.one_of(st.none(), NAME),
)
payment_strategy = st.builds(ReceiptPayment, label=NAME, amount_fen=FEN, reference=st.one_of(st.none(), NAME))


@st.composite
def receipts(draw: st.DrawFn):  # noqa: ANN201
    return maoxian_sale(
        store_name=draw(NAME),
        counter_name=draw(NAME),
        cashier=draw(NAME),
        lines=tuple(draw(st.lists(line_strategy, min_size=1, max_size=4))),
        payments=tuple(draw(st.lists(payment_strategy, max_size=3))),
        discount_fen=draw(FEN),
        rounding_fen=draw(FEN),
        footer=tuple(draw(st.lists(NAME, max_size=3))),
        reprint=draw(st.booleans()),
        training=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None)
@given(receipt=receipts(), columns=st.sampled_from([32, 48]), encoding=st.sampled_from(["gb18030", "gbk"]))
def test_no_line_is_ever_wider_than_the_roll(receipt, columns: int, encoding: str) -> None:  # noqa: ANN001
    for line in layout_receipt(receipt, columns, encoding=encoding):
        assert line.cells(encoding) <= columns, line
    decoded = decode(encode_receipt(receipt, columns=columns, encoding=encoding), columns, encoding=encoding)
    assert decoded.problems == []
    assert decoded.text == render_text(receipt, columns, encoding=encoding)


@settings(max_examples=300, deadline=None)
@given(text=NAME, width=st.integers(2, 48))
def test_wrapping_keeps_every_character_and_never_overflows(text: str, width: int) -> None:
    pieces = wrap(text, width)
    assert "".join(pieces) == text
    assert all(cell_width(p) <= width for p in pieces)
