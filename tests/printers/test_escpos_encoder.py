"""The ESC/POS bytes: read back with our own reader, they say what the plain text says."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy
from escpos_reader import decode
from sample_receipts import maoxian_sale, plain_sale

from pos.domain.receipt import ReceiptLine
from printers import PrinterConfigError, cell_width, encode_receipt, render_text
from printers.escpos import code128_fits

FULLWIDTH_YEN = bytes.fromhex("a3a4")
UTF8_YEN = bytes.fromhex("c2a5")
GB18030_4BYTE_YEN = "¥".encode("gb18030")  # 81 30 84 36


def item_rows(lines: list[str]) -> list[str]:
    start = next(i for i, ln in enumerate(lines) if ln.startswith("商品")) + 2
    end = next(i for i in range(start, len(lines)) if set(lines[i]) == {"-"})
    return lines[start:end]


class TestTheBytesSayWhatTheTextSays:
    @pytest.mark.parametrize("columns", [32, 48])
    @pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
    def test_a_sale_with_two_products_and_weighed_apples_decodes_to_render_text(
        self, columns: int, encoding: str
    ) -> None:
        receipt = maoxian_sale()
        decoded = decode(encode_receipt(receipt, columns=columns, encoding=encoding), columns, encoding=encoding)
        assert decoded.problems == []
        assert decoded.text == render_text(receipt, columns, encoding=encoding)
        apples = {32: "     1.255kg  12.80/kg     16.06", 48: "冰糖心苹果       1.255kg    12.80/kg       16.06"}
        assert apples[columns] in decoded.text.splitlines()

    @pytest.mark.parametrize("columns", [32, 48])
    def test_training_and_reprint_receipts_decode_the_same_way(self, columns: int) -> None:
        receipt = maoxian_sale(training=True, reprint=True)
        decoded = decode(encode_receipt(receipt, columns=columns), columns)
        assert decoded.problems == []
        assert decoded.text == render_text(receipt, columns)
        marks = [ln for ln in decoded.lines if ln.text.strip() == "练习/培训 — 不是有效凭证"]
        assert len(marks) == 2 and all(m.bold for m in marks)

    @pytest.mark.parametrize("columns", [32, 48])
    def test_every_printed_line_fits_and_amounts_end_at_the_last_column(self, columns: int) -> None:
        decoded = decode(encode_receipt(maoxian_sale(), columns=columns), columns)
        assert all(cell_width(ln.text) <= columns for ln in decoded.lines)
        number_rows = [r for r in item_rows([ln.text for ln in decoded.lines]) if r[-1].isdigit()]
        assert len(number_rows) == 3
        assert all(cell_width(r) == columns for r in number_rows)

    def test_the_store_name_prints_double_size_for_ascii_and_chinese_alike(self) -> None:
        decoded = decode(encode_receipt(maoxian_sale()), 32)
        first = decoded.lines[0]
        assert (first.text, first.double, first.align, first.content_cells) == ("    金平湖鲜到家", True, "center", 24)
        assert decoded.commands[:5] == ["ESC @", "FS &", "ESC a 1", "GS ! 0x11", "FS ! 0x0C"]
        assert not decoded.lines[1].double

    def test_a_30_character_name_wraps_without_splitting_a_double_byte_character(self) -> None:
        name = "四川阿坝州茂县高山冰糖心红富士苹果特级大果礼盒装十二个装精选"
        receipt = plain_sale(lines=(ReceiptLine(name, "1", 12800, 12800),))
        decoded = decode(encode_receipt(receipt), 32)
        assert decoded.problems == []  # a split character would decode as garbage or overflow
        texts = [ln.text for ln in decoded.lines]
        assert texts[texts.index(name[:16]) + 1] == name[16:]


class TestChineseEncoding:
    def test_text_is_inside_fs_ampersand_and_the_yuan_sign_is_a3_a4(self) -> None:
        data = encode_receipt(maoxian_sale())
        first_high = next(i for i, b in enumerate(data) if b >= 0x80)
        assert data.index(b"\x1c&") < first_high
        assert data.rindex(b"\x1c.") > max(i for i, b in enumerate(data) if b >= 0x80)
        assert FULLWIDTH_YEN + b"114.06" in data
        assert UTF8_YEN not in data and GB18030_4BYTE_YEN not in data

    def test_a_yen_sign_in_a_product_name_never_becomes_the_4_byte_form(self) -> None:
        receipt = plain_sale(lines=(ReceiptLine("¥9.9 特价", "1", 990, 990),))
        for encoding in ("gb18030", "gbk"):
            data = encode_receipt(receipt, encoding=encoding)
            assert GB18030_4BYTE_YEN not in data and UTF8_YEN not in data
            assert FULLWIDTH_YEN + b"9.9" in data

    def test_gbk_and_gb18030_settings(self) -> None:
        # The euro sign is in GB18030's 2-byte area (A2 E3) but not in GBK.
        receipt = plain_sale(lines=(ReceiptLine("进口巧克力€", "1", 1000, 1000),))
        gb18030 = encode_receipt(receipt, encoding="gb18030")
        gbk = encode_receipt(receipt, encoding="GBK")
        assert "进口巧克力€".encode("gb18030") in gb18030
        assert "进口巧克力".encode("gbk") + b"?" in gbk
        assert decode(gbk, 32, encoding="gbk").problems == []

    def test_what_neither_encoding_has_becomes_a_question_mark_not_a_crash(self) -> None:
        receipt = plain_sale(lines=(ReceiptLine("苹果🍎礼盒\ud800", "1", 1000, 1000),))
        decoded = decode(encode_receipt(receipt), 32)
        assert decoded.problems == []
        assert "苹果?礼盒?" in decoded.text.splitlines()

    def test_control_characters_in_names_cannot_inject_commands(self) -> None:
        receipt = plain_sale(lines=(ReceiptLine("核桃\x1dV\x00\x1bp\x00", "1", 1000, 1000),))
        decoded = decode(encode_receipt(receipt, cut=False), 32)
        assert decoded.cuts == 0 and decoded.drawer_kicks == []

    def test_other_encodings_are_refused(self) -> None:
        with pytest.raises(PrinterConfigError, match="use gb18030 or gbk"):
            encode_receipt(maoxian_sale(), encoding="big5")


class TestGoldenBytes:
    def test_header_is_reset_then_chinese_mode(self) -> None:
        assert encode_receipt(maoxian_sale()).startswith(b"\x1b\x40\x1c\x26")

    def test_drawer_kick_comes_right_after_the_reset_so_the_drawer_opens_while_printing(self) -> None:
        data = encode_receipt(maoxian_sale(), drawer_kick=True)
        assert data.startswith(b"\x1b\x40" + b"\x1b\x70\x00\x32\x32" + b"\x1c\x26")
        dummy = Dummy()
        dummy.cashdraw(2)
        assert dummy.output == b"\x1b\x70\x00\x32\x32"
        assert decode(data, 32).drawer_kicks == [(0, 50, 50)]

    def test_cut_is_feed_six_then_full_cut_exactly_like_python_escpos(self) -> None:
        data = encode_receipt(maoxian_sale())
        assert data.endswith(b"\x1c\x2e" + b"\x1b\x64\x06\x1d\x56\x00")
        dummy = Dummy()
        dummy.cut()
        assert data.endswith(dummy.output)

    def test_without_cut_the_paper_still_feeds_past_the_tear_bar(self) -> None:
        data = encode_receipt(maoxian_sale(), cut=False)
        assert data.endswith(b"\x1b\x64\x06")
        assert decode(data, 32).cuts == 0

    def test_no_drawer_kick_unless_asked(self) -> None:
        assert b"\x1bp" not in encode_receipt(maoxian_sale())


class TestReceiptNumberCode:
    def test_80mm_prints_code128_with_the_number_under_it(self) -> None:
        data = encode_receipt(maoxian_sale(), columns=48)
        assert b"\x1dk\x49\x14{BMX01-20261122-0042" in data
        decoded = decode(data, 48)
        assert decoded.barcodes == [("CODE128", "MX01-20261122-0042")]
        assert "               MX01-20261122-0042" in [ln.text for ln in decoded.lines]

    def test_58mm_is_too_narrow_for_that_code128_so_it_prints_a_qr_code(self) -> None:
        assert not code128_fits("MX01-20261122-0042", 32)
        decoded = decode(encode_receipt(maoxian_sale(), columns=32), 32)
        assert decoded.barcodes == [("QR", "MX01-20261122-0042")]
        assert "       MX01-20261122-0042" in [ln.text for ln in decoded.lines]

    def test_the_code_comes_after_the_totals_and_before_the_footer(self) -> None:
        texts = [ln.text.strip() for ln in decode(encode_receipt(maoxian_sale(), columns=48), 48).lines]
        change = next(i for i, t in enumerate(texts) if t.startswith("找零"))
        assert change < texts.index("MX01-20261122-0042") < texts.index("请妥善保管购物凭证")
