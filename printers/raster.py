"""Raster images for the receipt: the logo and (by setting) the QR code, as ``GS v 0``.

``GS v 0 m xL xH yL yH d1…dk`` (1D 76 30): ``m`` = 0 normal size, ``x`` = bytes per row
(8 dots each, most significant bit = leftmost dot), ``y`` = rows, then ``x × y`` bytes, a set
bit prints black. Images taller than :data:`BAND_ROWS` go out as several bands, because many
clones have small image buffers. Pillow and qrcode are imported only when an image is made.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PrinterConfigError

if TYPE_CHECKING:
    from PIL.Image import Image

GS_V_0 = b"\x1dv0"
BAND_ROWS = 256  # rows per GS v 0 command
MAX_LOGO_ROWS = 240  # 30 mm at 203 dpi: a logo, not a poster
QR_MODULE_DOTS = 6  # the same module size as the native QR (GS ( k fn 167 = 6)
QR_QUIET_MODULES = 2  # the receipt's white space around it does the rest


def raster_command(rows: list[bytes], width_bytes: int) -> bytes:
    """``GS v 0`` command(s) for packed rows of ``width_bytes`` bytes each."""
    if width_bytes < 1 or width_bytes > 0xFFFF:
        raise ValueError("raster width must be 1..65535 bytes")
    out = bytearray()
    for start in range(0, len(rows), BAND_ROWS):
        band = rows[start : start + BAND_ROWS]
        out += GS_V_0 + bytes([0, width_bytes & 0xFF, width_bytes >> 8, len(band) & 0xFF, len(band) >> 8])
        for row in band:
            if len(row) != width_bytes:
                raise ValueError("every raster row must have width_bytes bytes")
            out += row
    return bytes(out)


def pack_bits(bits: list[list[bool]]) -> tuple[list[bytes], int]:
    """Rows of dots (True = black) -> packed rows (MSB first, padded white to a whole byte)."""
    width = max((len(r) for r in bits), default=0)
    width_bytes = max(1, (width + 7) // 8)
    rows = []
    for r in bits:
        row = bytearray(width_bytes)
        for x, black in enumerate(r):
            if black:
                row[x >> 3] |= 0x80 >> (x & 7)
        rows.append(bytes(row))
    return rows, width_bytes


def image_bits(image: Image, max_width: int, max_rows: int = MAX_LOGO_ROWS) -> list[list[bool]]:
    """A Pillow image as rows of dots: flattened on white, scaled down to fit, threshold 50 %."""
    from PIL import Image as PILImage

    img = image
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        white = PILImage.new("RGBA", img.size, (255, 255, 255, 255))
        img = PILImage.alpha_composite(white, img)
    img = img.convert("L")
    w, h = img.size
    scale = min(1.0, max_width / w, max_rows / h)
    if scale < 1.0:
        img = img.resize((max(1, int(w * scale)), max(1, int(h * scale))), PILImage.Resampling.LANCZOS)
    w, h = img.size
    px = img.load()
    return [[px[x, y] < 128 for x in range(w)] for y in range(h)]


_logo_cache: dict[tuple[str, float, int], bytes] = {}
_logo_lock = threading.Lock()


def logo_command(path: Path, max_width: int) -> bytes:
    """The logo at ``path`` (PNG, BMP, …) as ``GS v 0`` bytes, at most ``max_width`` dots wide.

    Cached per file and modification time. A missing or unreadable file is a PrinterConfigError.
    """
    path = Path(path)
    try:
        key = (str(path.resolve()), path.stat().st_mtime, max_width)
    except OSError as e:
        raise PrinterConfigError(
            f"the receipt logo {path} cannot be read ({e.strerror or e})",
            message_zh=f"小票标志图片 {path} 无法读取", logo=str(path),
        ) from e
    with _logo_lock:
        cached = _logo_cache.get(key)
    if cached is not None:
        return cached
    try:
        from PIL import Image as PILImage

        with PILImage.open(path) as img:
            img.load()
            bits = image_bits(img, max_width)
    except ImportError as e:
        raise PrinterConfigError("printing a logo needs Pillow, which is not installed",
                                 message_zh="打印标志图片需要 Pillow，未安装") from e
    except Exception as e:  # PIL.UnidentifiedImageError, truncated files …
        raise PrinterConfigError(
            f"the receipt logo {path} is not an image the till can read; use a PNG, JPEG or BMP file",
            message_zh=f"小票标志图片 {path} 不是可识别的图片文件", logo=str(path),
        ) from e
    rows, width_bytes = pack_bits(bits)
    data = raster_command(rows, width_bytes)
    with _logo_lock:
        _logo_cache[key] = data
    return data


def qr_bits(text: str, *, module: int = QR_MODULE_DOTS, quiet: int = QR_QUIET_MODULES) -> list[list[bool]]:
    """A QR code (error correction M, like the native one) as rows of dots."""
    try:
        import qrcode
        from qrcode.constants import ERROR_CORRECT_M
    except ImportError as e:
        raise PrinterConfigError("QR codes as images need the qrcode package, which is not installed",
                                 message_zh="以图片打印二维码需要 qrcode 库，未安装") from e
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=quiet, box_size=1)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    matrix = qr.get_matrix()
    rows: list[list[bool]] = []
    for mrow in matrix:
        dots = [bool(cell) for cell in mrow for _ in range(module)]
        rows.extend([dots] * module)
    return rows


def qr_image_command(text: str, *, module: int = QR_MODULE_DOTS) -> bytes:
    rows, width_bytes = pack_bits(qr_bits(text, module=module))
    return raster_command(rows, width_bytes)
