"""Golden ESC/POS bytes for what a receipt carries besides text: logo raster, QR (native and
image), barcode, cut and drawer kick; printer profiles; the test page."""

from __future__ import annotations

from pathlib import Path

import pytest
from escpos_reader import decode
from PIL import Image
from sample_receipts import maoxian_sale, plain_sale

from printers import PrinterConfigError, encode_receipt, get_profile, known_profiles, make_printer, make_transport
from printers.raster import qr_bits
from printers.testpage import TEST_CODE, make_test_page

ROOT = Path(__file__).resolve().parents[2]
LOGO = ROOT / "resources" / "receipt-logo.png"
NO = "MX01-20261122-0042"

# Spelled out from the command reference, not taken from printers.escpos.
INIT, KANJI_ON, KANJI_OFF = b"\x1b\x40", b"\x1c\x26", b"\x1c\x2e"
CENTER, LEFT = b"\x1b\x61\x01", b"\x1b\x61\x00"
FEED_CUT = b"\x1b\x64\x06" + b"\x1d\x56\x00"
KICK = b"\x1b\x70\x00\x32\x32"
BARCODE = (b"\x1d\x68\x50" + b"\x1d\x77\x02" + b"\x1d\x48\x02" + b"\x1d\x66\x00"
           + b"\x1d\x6b\x49\x14" + b"{B" + NO.encode())
QR_NATIVE = (
    b"\x1d\x28\x6b\x04\x00\x31\x41\x32\x00"  # fn 165: model 2
    + b"\x1d\x28\x6b\x03\x00\x31\x43\x06"  # fn 167: module 6 dots
    + b"\x1d\x28\x6b\x03\x00\x31\x45\x31"  # fn 169: error correction M
    + b"\x1d\x28\x6b\x15\x00\x31\x50\x30" + NO.encode()  # fn 180: store 18 bytes (+3)
    + b"\x1d\x28\x6b\x03\x00\x31\x51\x30"  # fn 181: print
)


def _png(tmp_path: Path, rows: list[str]) -> Path:
    img = Image.new("1", (len(rows[0]), len(rows)), 1)
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            if ch == "#":
                img.putpixel((x, y), 0)
    path = tmp_path / "logo.png"
    img.save(path)
    return path


class TestGoldenBytes:
    def test_a_small_logo_is_a_centered_gs_v_0_raster_before_the_text(self, tmp_path: Path) -> None:
        path = _png(tmp_path, ["#.........", ".#......##", "##########"])
        printer = make_printer("dummy:", columns=48, logo=path)
        data = printer.encode(plain_sale())
        raster = (b"\x1d\x76\x30\x00" + b"\x02\x00" + b"\x03\x00"  # 2 bytes per row, 3 rows
                  + b"\x80\x00" + b"\x40\xc0" + b"\xff\xc0")
        assert data.startswith(INIT + CENTER + raster + LEFT + KANJI_ON)
        decoded = decode(data, 48)
        assert decoded.problems == []
        assert [img.ascii_art() for img in decoded.images] == [
            "#...............\n.#......##......\n##########......"]
        assert decoded.text == printer.render_receipt(plain_sale()).text  # the text is unchanged

    def test_the_demo_logo_fits_the_paper_and_keeps_its_shape(self) -> None:
        for columns, dots in ((32, 384), (48, 576)):
            printer = make_printer("dummy:", columns=columns, logo=LOGO)
            [img] = decode(printer.encode(plain_sale()), columns).images
            assert img.width <= dots and img.align == "center"
            with Image.open(LOGO) as src:
                assert (img.width, img.height) == (-(-src.width // 8) * 8, src.height)
                ink = sum(1 for y in range(src.height) for x in range(src.width) if not src.getpixel((x, y)))
            assert sum(row.count(True) for row in img.bits()) == ink

    def test_a_wide_logo_is_scaled_to_the_profile_width(self, tmp_path: Path) -> None:
        path = tmp_path / "wide.png"
        Image.new("1", (1000, 50), 0).save(path)
        printer = make_printer("dummy:", columns=48, logo=path, profile="TM-T88III")  # 512 dots
        [img] = decode(printer.encode(plain_sale()), 48).images
        assert img.width == 512 and img.height == 25

    def test_native_qr_is_the_gs_paren_k_sequence(self) -> None:
        data = encode_receipt(maoxian_sale(), columns=32)  # 58 mm: the barcode does not fit
        assert QR_NATIVE + NO.encode() + b"\n" in data
        assert decode(data, 32).barcodes == [("QR", NO)]

    def test_the_barcode_is_code128_set_b_with_its_number_below(self) -> None:
        data = encode_receipt(maoxian_sale(), columns=48)
        assert BARCODE in data and QR_NATIVE not in data
        assert decode(data, 48).barcodes == [("CODE128", NO)]

    def test_both_codes_on_80mm(self) -> None:
        printer = make_printer("dummy:", columns=48, codes="both")
        data = printer.encode(maoxian_sale())
        assert BARCODE + QR_NATIVE in data
        decoded = decode(data, 48)
        assert decoded.barcodes == [("CODE128", NO), ("QR", NO)] and decoded.problems == []
        assert decoded.text.count(NO) == 2  # 单号 line + the digits under the bars (the QR adds none)

    def test_a_barcode_setting_on_58mm_still_prints_a_scannable_qr(self) -> None:
        data = make_printer("dummy:", columns=32, codes="barcode").encode(maoxian_sale())
        assert decode(data, 32).barcodes == [("QR", NO)]

    def test_qr_as_an_image_has_the_qr_modules_6_dots_each(self) -> None:
        printer = make_printer("dummy:", columns=48, codes="qr", qr="image")
        decoded = decode(printer.encode(maoxian_sale()), 48)
        assert decoded.barcodes == [] and b"\x1d\x28\x6b" not in printer.encode(maoxian_sale())
        [img] = decoded.images
        expected = qr_bits(NO)
        assert img.height == len(expected) and len(expected) % 6 == 0
        assert [row[: len(expected[0])] for row in img.bits()] == expected
        assert NO in decoded.text  # the number is printed under the image

    def test_cut_and_drawer_kick(self) -> None:
        data = encode_receipt(plain_sale(), columns=48, drawer_kick=True)
        assert data.startswith(INIT + KICK + KANJI_ON)
        assert data.endswith(KANJI_OFF + FEED_CUT)
        decoded = decode(data, 48)
        assert decoded.cuts == 1 and decoded.drawer_kicks == [(0, 50, 50)]

    def test_open_drawer_alone_is_esc_p(self) -> None:
        printer = make_printer("dummy:")
        printer.open_drawer()
        assert printer.jobs[-1].data == KICK and printer.jobs[-1].kind == "drawer"


class TestProfiles:
    def test_known_profiles_come_from_python_escpos(self) -> None:
        names = known_profiles()
        assert {"default", "TM-T88III", "POS-5890", "ZJ-5870"} <= set(names)
        assert get_profile("TM-T88III").width_dots == 512

    def test_an_unknown_profile_is_refused_with_a_chinese_message(self) -> None:
        with pytest.raises(PrinterConfigError, match="unknown printer profile 'TM-T88';") as err:
            make_printer("dummy:", profile="TM-T88")
        assert "未知的打印机型号配置" in err.value.message_zh
        with pytest.raises(PrinterConfigError, match="did you mean TM-T88III"):
            make_printer("dummy:", profile="tm-t88iii")

    def test_the_profile_is_passed_to_python_escpos(self) -> None:
        transport = make_transport("tcp://127.0.0.1:9100", profile="TM-T88III")
        device = transport._factory()  # made, not opened
        assert device.profile.profile_data["media"]["width"]["pixels"] == 512

    def test_a_printer_without_a_cutter_gets_no_cut_and_no_native_qr(self) -> None:
        printer = make_printer("dummy:", columns=32, profile="POS-5890")
        data = printer.encode(maoxian_sale())
        decoded = decode(data, 32)
        assert decoded.cuts == 0 and data.endswith(b"\x1b\x64\x06")
        assert decoded.barcodes == [] and len(decoded.images) == 1  # QR as an image

    def test_a_profile_without_images_or_drawer(self) -> None:
        printer = make_printer("dummy:", columns=32, profile="AF-240", logo=LOGO)
        decoded = decode(printer.encode(maoxian_sale(), drawer_kick=True), 32)
        assert decoded.images == [] and decoded.drawer_kicks == [] and NO in decoded.text
        with pytest.raises(PrinterConfigError) as err:
            printer.open_drawer()
        assert "不支持钱箱" in err.value.message_zh

    def test_bad_code_and_qr_settings(self) -> None:
        with pytest.raises(PrinterConfigError) as err:
            make_printer("dummy:", codes="ean13")
        assert "小票条码方式" in err.value.message_zh
        with pytest.raises(PrinterConfigError):
            make_printer("dummy:", qr="svg")

    def test_a_missing_logo_shows_when_the_printer_is_made(self, tmp_path: Path) -> None:
        with pytest.raises(PrinterConfigError) as err:
            make_printer("dummy:", logo=tmp_path / "nope.png")
        assert "小票标志图片" in err.value.message_zh
        (tmp_path / "text.png").write_text("not an image")
        with pytest.raises(PrinterConfigError, match="not an image"):
            make_printer("dummy:", logo=tmp_path / "text.png")


@pytest.mark.parametrize("columns", [32, 48])
def test_the_test_page_has_chinese_widths_codes_and_the_yuan_sign(columns: int) -> None:
    printer = make_printer("dummy:", columns=columns, logo=LOGO)
    job = make_test_page(printer, printed_at="2026-11-22 10:00:00")
    decoded = decode(job.data, columns)
    assert decoded.problems == []
    assert decoded.text == job.text
    assert decoded.barcodes == [("CODE128", TEST_CODE), ("QR", TEST_CODE)]
    assert "￥1,234.56" in job.text and "茂县花椒" in job.text and len(decoded.images) == 1
    ruler = "".join(str(i % 10) for i in range(1, columns + 1))
    assert ruler in job.text.splitlines()
    assert b"\xa3\xa4" in job.data  # ￥ as GB18030 A3 A4, never the 4-byte ¥


def test_tall_images_go_out_in_bands_of_256_rows() -> None:
    from printers.raster import pack_bits, raster_command

    rows, width_bytes = pack_bits([[x == y % 16 for x in range(16)] for y in range(300)])
    data = raster_command(rows, width_bytes)
    assert data.startswith(b"\x1d\x76\x30\x00\x02\x00\x00\x01")  # 2 bytes × 256 rows
    assert b"\x1d\x76\x30\x00\x02\x00\x2c\x00" in data  # then 44 rows
    [img] = decode(INIT + data + b"\n", 32).images
    assert img.height == 300 and img.dot(3, 19) and not img.dot(4, 19)


def test_spooler_printers_need_a_name() -> None:
    for url in ("cups:", "win32:"):
        with pytest.raises(PrinterConfigError) as err:
            make_printer(url)
        assert "请写出打印机名称" in err.value.message_zh
