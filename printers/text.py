"""Plain-text rendering of a receipt: the .txt beside each print job and the till's preview."""

from __future__ import annotations

from pos.domain.receipt import Receipt

from .layout import layout_receipt, normalize_encoding


def render_text(receipt: Receipt, columns: int, *, encoding: str = "gb18030") -> str:
    """The receipt as lines of text, laid out exactly as it prints (same line breaks, same
    characters: what the printer cannot print shows as ``?`` here too).

    Centered lines get the leading spaces the printer would leave; a code line shows the
    receipt number that prints under the barcode. Ends with a newline.
    """
    enc = normalize_encoding(encoding)
    lines = layout_receipt(receipt, columns, encoding=enc)
    return "".join(line.plain(columns, enc) + "\n" for line in lines)
