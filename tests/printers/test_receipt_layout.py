"""The receipt layout: widths counted in printer cells, Chinese names wrapped, Chinese practice."""

from __future__ import annotations

import pytest
from sample_receipts import APPLES, maoxian_sale, plain_sale

from pos.domain.receipt import ReceiptLine
from printers import PrinterConfigError, cell_width, layout_receipt, printable, render_text, wrap

THIRTY_CHAR_NAME = "四川阿坝州茂县高山冰糖心红富士苹果特级大果礼盒装十二个装精选"
assert len(THIRTY_CHAR_NAME) == 30


def item_rows(text: str) -> list[str]:
    """Lines between the 商品 header's rule and the next rule."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("商品")) + 2
    end = next(i for i in range(start, len(lines)) if set(lines[i]) == {"-"})
    return lines[start:end]


class TestCellWidth:
    def test_ascii_is_one_cell_and_chinese_two(self) -> None:
        assert cell_width("MX01") == 4
        assert cell_width("冰糖心苹果") == 10
        assert cell_width("苹果12.80") == 9

    @pytest.mark.parametrize("ch", ["×", "—", "·", "°", "①", "￥", "（", "："])
    def test_symbols_that_unicode_calls_narrow_or_ambiguous_are_two_cells(self, ch: str) -> None:
        assert cell_width(ch) == 2
        assert cell_width(ch, "gbk") == 2

    def test_yen_sign_prints_as_the_full_width_sign(self) -> None:
        assert printable("¥12.80") == "￥12.80"
        assert cell_width("¥") == 2  # not the 4 bytes of its GB18030 form

    def test_what_the_printer_cannot_print_is_one_question_mark(self) -> None:
        assert printable("苹果🍎") == "苹果?"
        assert cell_width("🍎") == 1
        assert printable("€5", "gbk") == "?5"
        assert printable("€5", "gb18030") == "€5"  # GB18030's 2-byte area has it (A2 E3)

    def test_control_characters_never_reach_the_printer(self) -> None:
        assert printable("核桃\x1b@\n特级\t") == "核桃 @ 特级 "

    def test_other_encodings_are_refused_plainly(self) -> None:
        with pytest.raises(PrinterConfigError, match="gb18030 or gbk") as err:
            cell_width("x", "utf-8")
        assert "gb18030" in err.value.message_zh
        assert cell_width("苹果", "GB18030") == cell_width("苹果", "cp936") == 4


class TestWrap:
    def test_a_30_character_chinese_name_wraps_between_characters(self) -> None:
        pieces = wrap(THIRTY_CHAR_NAME, 32)
        assert pieces == [THIRTY_CHAR_NAME[:16], THIRTY_CHAR_NAME[16:]]
        assert "".join(pieces) == THIRTY_CHAR_NAME

    def test_an_odd_width_leaves_the_last_cell_empty_rather_than_halve_a_character(self) -> None:
        pieces = wrap("苹果苹果", 7)
        assert pieces == ["苹果苹", "果"]
        assert all(cell_width(p) <= 7 for p in pieces)

    def test_ascii_words_break_at_a_space(self) -> None:
        assert wrap("Maoxian apple gift box", 16) == ["Maoxian apple ", "gift box"]

    def test_a_word_longer_than_the_line_is_cut(self) -> None:
        assert wrap("4200001234202611221234567890", 10) == ["4200001234", "2026112212", "34567890"]


class TestReceiptContent:
    def test_header_follows_chinese_practice(self) -> None:
        lines = render_text(maoxian_sale(), 32).splitlines()
        assert lines[0].strip() == "金平湖鲜到家"
        assert lines[1].strip() == "茂县专柜"
        assert lines[2].strip() == "销售小票"
        assert lines[3] == "单号：MX01-20261122-0042"
        assert lines[4].startswith("收银员：张晓梅") and lines[4].endswith("终端：MX01")
        assert lines[5] == "时间：2026-11-22 14:03:05"
        assert lines[7] == "商品    数量      单价      金额"

    def test_store_name_is_centered_in_double_size(self) -> None:
        first = layout_receipt(maoxian_sale(), 32)[0]
        assert (first.text, first.align, first.double) == ("金平湖鲜到家", "center", True)
        assert first.cells() == 24

    def test_58mm_puts_names_on_their_own_line_and_numbers_in_fixed_columns(self) -> None:
        rows = item_rows(render_text(maoxian_sale(), 32))
        assert rows == [
            "茂县花椒（特级）250g",
            "           2     35.00     70.00",
            "核桃",
            "           1     28.00     28.00",
            "冰糖心苹果",
            "     1.255kg  12.80/kg     16.06",
        ]

    def test_80mm_keeps_short_names_on_the_number_row(self) -> None:
        rows = item_rows(render_text(maoxian_sale(), 48))
        assert rows[2] == "核桃                   1       28.00       28.00"
        assert rows[3] == "冰糖心苹果       1.255kg    12.80/kg       16.06"

    def test_a_long_name_wraps_onto_its_own_lines_before_the_numbers(self) -> None:
        line = ReceiptLine(THIRTY_CHAR_NAME, "1", 12800, 12800)
        rows = item_rows(render_text(plain_sale(lines=(line,)), 32))
        assert rows == [THIRTY_CHAR_NAME[:16], THIRTY_CHAR_NAME[16:], "           1    128.00    128.00"]

    def test_a_line_detail_is_shown_indented(self) -> None:
        line = ReceiptLine("羽绒服", "1", 39900, 39900, detail="藏青 XL")
        rows = item_rows(render_text(plain_sale(lines=(line,)), 32))
        assert rows[1] == "  藏青 XL"

    def test_totals_payments_and_change(self) -> None:
        text = render_text(maoxian_sale(), 32)
        for row in [
            "件数                           4",
            "合计                    ￥114.06",
            "优惠                     -￥5.00",
            "抹零                     -￥0.06",
            "应收                    ￥109.00",
            "微信支付                 ￥50.00",
            "  参考号：",
            "  4200001234202611221234567890",
            "现金                     ￥60.00",
            "实收                    ￥110.00",
            "找零                      ￥1.00",
        ]:
            assert row in text.splitlines()
        assert "¥" not in text

    def test_zero_discount_and_rounding_are_left_out(self) -> None:
        text = render_text(plain_sale(), 32)
        assert "优惠" not in text and "抹零" not in text
        assert "找零                     ￥13.94" in text

    def test_the_amount_due_is_bold(self) -> None:
        due = next(ln for ln in layout_receipt(maoxian_sale(), 48) if ln.text.startswith("应收"))
        assert due.bold

    def test_receipt_number_line_is_the_scannable_code(self) -> None:
        codes = [ln for ln in layout_receipt(maoxian_sale(), 32) if ln.code]
        assert [(c.text, c.align) for c in codes] == [("MX01-20261122-0042", "center")]

    def test_footer_is_centered_at_the_end(self) -> None:
        lines = render_text(maoxian_sale(), 32).splitlines()
        assert [ln.strip() for ln in lines[-3:]] == ["请妥善保管购物凭证", "退换货请凭此小票", "谢谢惠顾，欢迎再来"]

    def test_a_reprint_says_so_near_the_top(self) -> None:
        lines = render_text(maoxian_sale(reprint=True), 32).splitlines()
        assert lines[3].strip() == "** 重印 **"
        assert "重印" not in render_text(maoxian_sale(), 32)

    def test_a_training_receipt_is_marked_invalid_at_top_and_bottom(self) -> None:
        lines = render_text(maoxian_sale(training=True), 32).splitlines()
        assert lines[1].strip() == "练习/培训 — 不是有效凭证"
        assert lines[-2].strip() == "练习/培训 — 不是有效凭证"
        assert lines[0] == lines[2] == lines[-1] == "*" * 32

    def test_a_yen_sign_typed_into_a_name_still_prints_as_the_full_width_sign(self) -> None:
        line = ReceiptLine("¥9.9特价 核桃", "1", 990, 990)
        assert "￥9.9特价 核桃" in render_text(plain_sale(lines=(line,)), 32)


class TestEveryLineFits:
    @pytest.mark.parametrize("columns", [32, 42, 48])
    @pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
    def test_every_line_fits_the_roll(self, columns: int, encoding: str) -> None:
        receipt = maoxian_sale(
            training=True, reprint=True, store_name="平湖市供销合作社 金平湖鲜到家 当湖街道店",
            lines=(ReceiptLine(THIRTY_CHAR_NAME, "12.345kg", 99999, 1234567, weighed=True), APPLES),
        )
        for line in layout_receipt(receipt, columns, encoding=encoding):
            assert line.cells(encoding) <= columns, line

    def test_absurd_numbers_still_fit_and_end_at_the_last_column(self) -> None:
        line = ReceiptLine("核桃", "500.000kg", 999_999_999, 1_000_000_000, weighed=True)
        rows = item_rows(render_text(plain_sale(lines=(line,)), 32))
        assert rows == ["核桃", "      500.000kg × 9999999.99/kg", "                     10000000.00"]

    @pytest.mark.parametrize("columns", [0, 16, 27, 97, 480])
    def test_a_paper_width_no_printer_has_is_refused(self, columns: int) -> None:
        with pytest.raises(PrinterConfigError, match="32 for 58 mm"):
            layout_receipt(maoxian_sale(), columns)
