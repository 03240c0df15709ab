"""The printer test page (打印测试页): Chinese text, the paper's width, bold and double size,
a CODE128 barcode and a QR code, the ￥ sign, and the settings the page was printed with.

Pure apart from the clock string the caller passes in; the bytes go out like any other job.
"""

from __future__ import annotations

from .escpos import encode_lines
from .layout import LayoutLine, cell_width, pad_left, wrap
from .transports import PrintJob, ReceiptPrinter

TEST_CODE = "LX-TEST-0001"  # fits a CODE128 symbol even on 58 mm paper


def make_test_page_lines(printer: ReceiptPrinter, *, printed_at: str, title: str = "打印测试页") -> list[LayoutLine]:
    cols, enc = printer.columns, printer.encoding
    mm = 58 if cols < 40 else 80
    digits = "".join(str(i % 10) for i in range(1, cols + 1))
    hanzi = "中文" * (cols // 4) + ("中" if cols % 4 >= 2 else "")
    lines = [
        LayoutLine(title, "center", bold=True, double=True),
        LayoutLine(printed_at, "center"),
        LayoutLine("-" * cols),
        LayoutLine("连心收银 LianXin POS", "center", bold=True),
        LayoutLine(f"{mm}mm 纸：每行 {cols} 字符 / {cols // 2} 汉字"),
        LayoutLine(digits),
        LayoutLine(hanzi),
        LayoutLine("茂县花椒 冰糖心苹果 九寨沟脆红李"),
        LayoutLine("标点：，。？！“”（）【】"),
        LayoutLine("特殊字符：× — · ° ①"),
        LayoutLine("加粗 BOLD 粗体", bold=True),
        LayoutLine("倍高倍宽", double=True),
        LayoutLine("右对齐 ￥12.80", "right"),
    ]
    amount = "￥1,234.56"
    label = "金额"
    lines.append(LayoutLine(label + pad_left(amount, cols - cell_width(label, enc), enc)))
    lines += [
        LayoutLine("-" * cols),
        LayoutLine(f"编码 {enc.upper()}  型号 {printer.profile.name}"),
        LayoutLine(f"条码 {printer.codes}  二维码 {'图片' if printer.qr_image else '指令'}"),
        *(LayoutLine(piece) for piece in wrap(f"地址 {printer.url}", cols, enc)),
        LayoutLine(""),
        LayoutLine(TEST_CODE, "center", code=True),
        LayoutLine(""),
        LayoutLine("如能看清以上内容，打印机设置正确", "center"),
    ]
    return lines


def make_test_page(printer: ReceiptPrinter, *, printed_at: str) -> PrintJob:
    """The test page for ``printer``: barcode *and* QR whatever the receipt setting, logo if set."""
    lines = make_test_page_lines(printer, printed_at=printed_at)
    data = encode_lines(
        lines, columns=printer.columns, encoding=printer.encoding, cut=printer.cut, partial_cut=printer.partial_cut,
        logo=printer._logo_bytes(), codes="both", qr_image=printer.qr_image, qr=printer.qr_possible,
    )
    text = "".join(line.plain(printer.columns, printer.encoding) + "\n" for line in lines)
    return PrintJob("test-page", data, text, kind="test")
