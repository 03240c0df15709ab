"""The receipt's trace QR (head office's signed trace page): printed under the receipt number as a
QR code whatever the receipt-number code style, on both paper widths, natively or as an image."""

from __future__ import annotations

import pytest
from escpos_reader import decode
from sample_receipts import maoxian_sale

from pos.domain.receipt import TRACE_CAPTION
from printers import encode_receipt, render_text
from printers.layout import layout_receipt
from printers.raster import qr_bits

NO = "MX01-20261122-0042"
URL = "https://zongbu.pinghu-gxs.cn/r/MX01/MX01-20261122-0042.AbCdEfGhIjKlMn-_"


@pytest.mark.parametrize("columns", [32, 48])
@pytest.mark.parametrize("codes", ["auto", "barcode", "qr", "both"])
def test_the_trace_address_prints_as_a_qr_under_the_receipt_number(columns: int, codes: str) -> None:
    receipt = maoxian_sale(trace_url=URL)
    decoded = decode(encode_receipt(receipt, columns=columns, codes=codes), columns)
    assert decoded.problems == []
    assert ("QR", URL) in decoded.barcodes
    # the receipt number's own code comes first and is unchanged
    assert decoded.barcodes[0][1] == NO and decoded.barcodes[-1] == ("QR", URL)
    assert TRACE_CAPTION in decoded.text
    assert decoded.text.index(TRACE_CAPTION) < decoded.text.index("谢谢惠顾")
    for line in layout_receipt(receipt, columns):
        assert line.cells() <= columns


def test_without_a_trace_address_the_receipt_is_as_before() -> None:
    plain = encode_receipt(maoxian_sale(), columns=48)
    assert encode_receipt(maoxian_sale(trace_url=None), columns=48) == plain
    assert TRACE_CAPTION not in decode(plain, 48).text
    assert [kind for kind, _ in decode(plain, 48).barcodes] == ["CODE128"]


def test_return_slips_and_training_receipts_carry_no_trace_code() -> None:
    for receipt in (maoxian_sale(trace_url=URL, training=True), maoxian_sale(trace_url=URL, is_return=True)):
        decoded = decode(encode_receipt(receipt, columns=48), 48)
        assert ("QR", URL) not in decoded.barcodes
        assert TRACE_CAPTION not in decoded.text


def test_the_plain_text_shows_the_caption_and_a_placeholder_not_the_long_address() -> None:
    text = render_text(maoxian_sale(trace_url=URL), 32)
    assert TRACE_CAPTION in text and "[二维码 QR]" in text
    assert URL not in text
    assert max(len(line.encode("gb18030")) for line in text.splitlines()) <= 32


def test_as_an_image_the_qr_decodes_to_the_same_modules() -> None:
    decoded = decode(encode_receipt(maoxian_sale(trace_url=URL), columns=48, qr_image=True), 48)
    assert decoded.problems == []
    images = decoded.images
    assert images, "no raster image"
    want = qr_bits(URL)
    got = images[-1].bits()
    assert [row[: len(want[0])] for row in got] == want
    assert len(want[0]) <= 48 * 12  # fits 80 mm; and 58 mm:
    assert len(qr_bits(URL)[0]) <= 32 * 12


def test_a_printer_without_any_qr_prints_the_address_as_text() -> None:
    decoded = decode(encode_receipt(maoxian_sale(trace_url=URL), columns=32, qr=False), 32)
    assert decoded.problems == []
    assert "".join(line.text.strip() for line in decoded.lines).count(URL) == 1


def test_control_characters_never_reach_the_printer_inside_the_qr() -> None:
    decoded = decode(encode_receipt(maoxian_sale(trace_url=URL + "\x1b@\n"), columns=48), 48)
    assert ("QR", URL + "@") in decoded.barcodes


def _service(secret, base="http://ho.lan:8080"):  # noqa: ANN001, ANN202
    from pos.services.receipts import ReceiptService
    from pos.services.trace import TraceLinks
    from printers import make_printer

    printer = make_printer("dummy:", columns=48)
    return ReceiptService(lambda: printer, "dummy", trace=TraceLinks(secret, lambda: base)), printer


def test_the_receipt_service_signs_the_trace_address_with_the_till_key() -> None:
    from pos.domain.trace_code import trace_url

    key = bytes(range(32))
    service, printer = _service(lambda: key)
    assert service.print(maoxian_sale()).ok
    expected = trace_url("http://ho.lan:8080", key, "MX01", NO)
    assert ("QR", expected) in decode(printer.jobs[-1].data, 48).barcodes
    assert service.print(maoxian_sale(is_return=True, receipt_no="MX01-20261122-R0001")).ok
    assert all(kind != "QR" for kind, _ in decode(printer.jobs[-1].data, 48).barcodes)


def test_a_till_not_enrolled_or_with_an_unreadable_key_prints_no_trace_qr() -> None:
    def broken() -> bytes:
        raise OSError("keyring locked")

    for secret, base in ((lambda: None, "http://ho.lan:8080"), (broken, "http://ho.lan:8080"),
                         (lambda: b"k" * 32, None), (lambda: b"k" * 32, "javascript:alert(1)")):
        service, printer = _service(secret, base)
        assert service.print(maoxian_sale()).ok  # the receipt prints regardless
        decoded = decode(printer.jobs[-1].data, 48)
        assert [kind for kind, _ in decoded.barcodes] == ["CODE128"]
        assert TRACE_CAPTION not in decoded.text
