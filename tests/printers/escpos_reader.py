"""A small ESC/POS reader for tests: bytes back to printed lines, the way the printer would.

It knows only the commands a receipt needs and refuses anything else, so an unexpected byte
in the encoder's output fails a test instead of passing unnoticed. It is written from the
command reference, independently of ``printers.escpos`` (no shared constants).

Geometry: Font A, one cell per ASCII byte and two per GB character, times the character
width magnification. Alignment turns into leading spaces (centered: ``(columns - width) // 2``),
trailing spaces are dropped, like ``LayoutLine.plain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, FS, LF, DLE = 0x1B, 0x1D, 0x1C, 0x0A, 0x10
_ALIGN = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}


@dataclass(frozen=True)
class PrintedLine:
    text: str  # as it lies across the paper: alignment padding included, no trailing spaces
    content_cells: int  # width of the characters themselves (magnification included)
    align: str
    bold: bool
    double: bool


@dataclass(frozen=True)
class RasterImage:
    """A ``GS v 0`` image: ``rows`` of packed bits (MSB = leftmost dot, 1 = black)."""

    width_bytes: int
    height: int
    rows: tuple[bytes, ...]
    align: str
    mode: int = 0

    @property
    def width(self) -> int:
        return self.width_bytes * 8

    def dot(self, x: int, y: int) -> bool:
        return bool(self.rows[y][x >> 3] & (0x80 >> (x & 7)))

    def bits(self) -> list[list[bool]]:
        return [[self.dot(x, y) for x in range(self.width)] for y in range(self.height)]

    def ascii_art(self, step: int = 1) -> str:
        return "\n".join("".join("#" if self.dot(x, y) else "." for x in range(0, self.width, step))
                         for y in range(0, self.height, step))


@dataclass
class Decoded:
    lines: list[PrintedLine] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)  # e.g. "ESC @", "ESC a 1", "GS ! 0x11"
    barcodes: list[tuple[str, str]] = field(default_factory=list)  # ("CODE128", "MX01-…")
    problems: list[str] = field(default_factory=list)  # what a real printer would get wrong
    cuts: int = 0
    drawer_kicks: list[tuple[int, int, int]] = field(default_factory=list)
    realtime_pulses: list[tuple[int, int]] = field(default_factory=list)  # DLE DC4 1 m t
    status_queries: list[int] = field(default_factory=list)  # DLE EOT n
    images: list[RasterImage] = field(default_factory=list)  # GS v 0, bands joined
    feed_lines: int = 0

    @property
    def text(self) -> str:
        return "".join(line.text + "\n" for line in self.lines)

    def saw(self, command: str) -> bool:
        return any(c == command or c.startswith(command + " ") for c in self.commands)


class _State:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.align = "left"
        self.bold = False
        self.ascii_w = 1  # GS ! width magnification
        self.kanji_fs_double = False  # FS ! bit 2
        self.kanji = False  # inside FS & … FS .
        self.hri = 0  # GS H: 0 none, 1 above, 2 below, 3 both
        self.buffer: list[tuple[str, int]] = []  # (character, cells)
        self.qr_data = b""

    @property
    def kanji_w(self) -> int:
        return max(self.ascii_w, 2 if self.kanji_fs_double else 1)


def decode(data: bytes, columns: int, *, encoding: str = "gb18030") -> Decoded:
    """Read ``data`` as a printer with ``columns`` cells per line would print it."""
    out = Decoded()
    st = _State()
    i = 0
    n = len(data)

    def need(count: int) -> bytes:
        if i + count > n:
            raise ValueError(f"command at byte {i} is cut short")
        return data[i : i + count]

    def flush() -> None:
        cells = sum(w for _, w in st.buffer)
        content = "".join(ch for ch, _ in st.buffer)
        if cells > columns:
            out.problems.append(f"line {len(out.lines) + 1} is {cells} cells wide: {content!r}")
        free = max(0, columns - cells)
        pad = {"left": 0, "center": free // 2, "right": free}[st.align]
        double = any(w > (2 if ord(ch) > 0x7F else 1) for ch, w in st.buffer)
        out.lines.append(PrintedLine((" " * pad + content).rstrip(), cells, st.align, st.bold, double))
        st.buffer.clear()

    while i < n:
        b = data[i]
        if b == LF:
            flush()
            i += 1
        elif b == ESC:
            op = need(2)[1]
            if op == ord("@"):
                out.commands.append("ESC @")
                st.reset()
                i += 2
            elif op == ord("a"):
                arg = need(3)[2]
                out.commands.append(f"ESC a {arg}")
                st.align = _ALIGN[arg]
                i += 3
            elif op == ord("E"):
                arg = need(3)[2]
                out.commands.append(f"ESC E {arg}")
                st.bold = bool(arg & 1)
                i += 3
            elif op == ord("d"):
                arg = need(3)[2]
                out.commands.append(f"ESC d {arg}")
                if st.buffer:
                    flush()
                out.feed_lines += arg
                i += 3
            elif op == ord("p"):
                m, t1, t2 = need(5)[2:5]
                out.commands.append(f"ESC p {m} {t1} {t2}")
                out.drawer_kicks.append((m, t1, t2))
                i += 5
            else:
                raise ValueError(f"unknown command ESC 0x{op:02X} at byte {i}")
        elif b == GS:
            op = need(2)[1]
            if op == ord("!"):
                arg = need(3)[2]
                out.commands.append(f"GS ! 0x{arg:02X}")
                st.ascii_w = (arg >> 4) + 1
                i += 3
            elif op in (ord("h"), ord("w"), ord("H"), ord("f")):
                arg = need(3)[2]
                out.commands.append(f"GS {chr(op)} {arg}")
                if op == ord("H"):
                    st.hri = arg % 48 if arg >= 48 else arg
                i += 3
            elif op == ord("k"):
                i = _barcode(data, i, out, st, flush)
            elif op == ord("V"):
                m = need(3)[2]
                out.commands.append(f"GS V {m}")
                out.cuts += 1
                i += 4 if m in (65, 66) else 3
            elif op == ord("("):
                i = _gs_paren(data, i, out, st)
            elif op == ord("v") and need(3)[2] == ord("0"):
                i = _raster(data, i, out, st)
            else:
                raise ValueError(f"unknown command GS 0x{op:02X} at byte {i}")
        elif b == DLE:
            op = need(2)[1]
            if op == 0x04:  # DLE EOT n: real-time status request (the printer answers; prints nothing)
                n = need(3)[2]
                out.commands.append(f"DLE EOT {n}")
                out.status_queries.append(n)
                i += 3
            elif op == 0x14:  # DLE DC4 fn m t: fn 1 = real-time pulse on the drawer port
                fn, m, t = need(5)[2:5]
                if fn != 1:
                    raise ValueError(f"unknown DLE DC4 function {fn} at byte {i}")
                out.commands.append(f"DLE DC4 1 {m} {t}")
                out.realtime_pulses.append((m, t))
                i += 5
            else:
                raise ValueError(f"unknown command DLE 0x{op:02X} at byte {i}")
        elif b == FS:
            op = need(2)[1]
            if op == ord("&"):
                out.commands.append("FS &")
                st.kanji = True
                i += 2
            elif op == ord("."):
                out.commands.append("FS .")
                st.kanji = False
                i += 2
            elif op == ord("!"):
                arg = need(3)[2]
                out.commands.append(f"FS ! 0x{arg:02X}")
                st.kanji_fs_double = bool(arg & 0x04)
                i += 3
            else:
                raise ValueError(f"unknown command FS 0x{op:02X} at byte {i}")
        elif 0x20 <= b < 0x7F:
            st.buffer.append((chr(b), st.ascii_w))
            i += 1
        elif b >= 0x80:
            if not st.kanji:
                out.problems.append(f"byte 0x{b:02X} at {i} outside Chinese mode (FS &)")
                st.buffer.append(("\ufffd", st.ascii_w))
                i += 1
                continue
            if not 0x81 <= b <= 0xFE or i + 1 >= n:
                out.problems.append(f"byte 0x{b:02X} at {i} is not a GB lead byte")
                st.buffer.append(("\ufffd", st.ascii_w))
                i += 1
                continue
            trail = data[i + 1]
            if 0x30 <= trail <= 0x39:  # GB18030 4-byte form: not in the printer's font
                out.problems.append(f"4-byte GB18030 sequence {data[i:i + 4].hex(' ')} at {i}")
                st.buffer.append(("?", st.ascii_w))
                i += 4
                continue
            ch = data[i : i + 2].decode(encoding, errors="replace")
            st.buffer.append((ch, 2 * st.kanji_w))
            i += 2
        else:
            raise ValueError(f"stray control byte 0x{b:02X} at byte {i}")
    if st.buffer:
        out.problems.append("text left in the buffer without LF (it would print with the next job)")
    return out


def _barcode(data: bytes, i: int, out: Decoded, st: _State, flush) -> int:  # noqa: ANN001
    m = data[i + 2]
    if m <= 6:  # function A: NUL-terminated
        end = data.index(b"\x00", i + 3)
        payload, nxt = data[i + 3 : end], end + 1
    else:  # function B: length byte
        length = data[i + 3]
        payload, nxt = data[i + 4 : i + 4 + length], i + 4 + length
        if len(payload) != length:
            raise ValueError(f"barcode at byte {i} is cut short")
    kind = {73: "CODE128", 67: "EAN13", 69: "CODE39"}.get(m, f"barcode {m}")
    out.commands.append(f"GS k {m}")
    if st.buffer:
        out.problems.append("barcode sent with text still in the line buffer")
    text = payload.decode("ascii")
    if kind == "CODE128":
        if not text.startswith(("{A", "{B", "{C")):
            out.problems.append("CODE128 data must start with a code set ({A, {B or {C)")
        text = text[2:].replace("{{", "{")
    out.barcodes.append((kind, text))
    if st.hri in (2, 3):  # the printer prints the number under the bars, aligned like them
        st.buffer.extend((ch, 1) for ch in text)
        flush()
    return nxt


def _raster(data: bytes, i: int, out: Decoded, st: _State) -> int:
    """``GS v 0 m xL xH yL yH d…``; consecutive bands of the same width make one image."""
    if i + 8 > len(data):
        raise ValueError(f"GS v 0 at byte {i} is cut short")
    m, xl, xh, yl, yh = data[i + 3 : i + 8]
    width_bytes, height = xl | xh << 8, yl | yh << 8
    end = i + 8 + width_bytes * height
    if end > len(data) or width_bytes == 0 or height == 0:
        raise ValueError(f"GS v 0 at byte {i} is cut short or empty")
    out.commands.append(f"GS v 0 {m} {width_bytes}x{height}")
    if st.buffer:
        out.problems.append("raster image sent with text still in the line buffer")
    if width_bytes * 8 > 576:
        out.problems.append(f"raster image {width_bytes * 8} dots wide: wider than 80 mm paper")
    rows = tuple(data[i + 8 + r * width_bytes : i + 8 + (r + 1) * width_bytes] for r in range(height))
    prev = out.images[-1] if out.images else None
    if prev is not None and out.commands[-2:-1] and out.commands[-2].startswith("GS v 0") and \
            prev.width_bytes == width_bytes and prev.align == st.align:
        out.images[-1] = RasterImage(width_bytes, prev.height + height, prev.rows + rows, st.align, m)
    else:
        out.images.append(RasterImage(width_bytes, height, rows, st.align, m))
    return end


def _gs_paren(data: bytes, i: int, out: Decoded, st: _State) -> int:
    if data[i + 2] != ord("k"):
        raise ValueError(f"unknown command GS ( 0x{data[i + 2]:02X} at byte {i}")
    size = data[i + 3] | data[i + 4] << 8
    params = data[i + 5 : i + 5 + size]
    cn, fn = params[0], params[1]
    out.commands.append(f"GS ( k {chr(cn)}{chr(fn)}")
    if cn == ord("1") and fn == ord("P"):
        st.qr_data = params[3:]
    elif cn == ord("1") and fn == ord("Q"):
        out.barcodes.append(("QR", st.qr_data.decode("utf-8")))
    return i + 5 + size
