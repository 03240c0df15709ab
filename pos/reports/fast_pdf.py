"""A small PDF writer for long tables: pages of text and lines in the bundled Chinese font (issue 16).

reportlab lays a month's 销售流水 (1,443 pages) out in about 40 s; this writer does it in about half a
second, because it does only what a table needs and its caller works a column at a time:

* the page content is text (operators and strings) made of Latin-1 characters, encoded once per page.
  The font is a Type0 font whose encoding is an embedded CMap: a printable ASCII character is its own
  one-byte code, so figures, dates and receipt numbers go into a literal string ``(…)`` as they are;
  every other character used gets a two-byte code (a whole column of text is translated in one
  ``str.translate``). Each code maps to the character's glyph id (the CID, ``CIDToGIDMap /Identity``),
  and a ToUnicode CMap with the same codes lets a reader copy and search the text (``pdftotext`` gives
  the Chinese back);
* the font (wqy-microhei.ttc, font 0 of the collection, glyf outlines) is embedded as a subset
  (FontFile2): the glyph ids are kept, only the used glyphs (with the parts of composite glyphs, and
  glyph 0) keep their outlines, the rest are empty; ``/W`` gives the advances of the used glyphs;
* a character the font lacks is drawn as glyph 0 (an empty box), never an error.

The parsed font is cached per process. :class:`Document` collects pages (content text with the
font's resource name ``/F1``) and writes the file.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .pdf import FONT_FILE  # the bundled font, one path for reportlab's PDFs and these

KEEP_TABLES = (b"head", b"hhea", b"maxp", b"hmtx", b"loca", b"glyf", b"cvt ", b"fpgm", b"prep")
COMPRESS_LEVEL = 1  # level 6 makes the file a tenth smaller and takes three times as long


@dataclass
class Font:
    """Font 0 of the bundled collection: what a page needs to measure and embed its text."""

    tables: dict[bytes, bytes]
    glyph_of: dict[int, int]  # code point → glyph id
    advances: list[int]  # glyph id → advance width in font units
    units: int  # units per em
    ascent: int
    descent: int
    bbox: tuple[int, int, int, int]
    name: str
    offsets: list[int]  # loca: glyph id → offset in glyf (numGlyphs + 1 entries)

    def char_widths(self, chars: set[str]) -> dict[str, float]:
        """The advance of each character at size 1 (points per point of font size)."""
        get, adv, u = self.glyph_of.get, self.advances, self.units
        return {c: adv[get(ord(c), 0)] / u for c in chars}

    def digits_alike(self) -> bool:
        """Whether the digits 0-9 all have one advance (then a number's width follows from its shape)."""
        return len({self.advances[self.glyph_of.get(ord(d), 0)] for d in "0123456789"}) == 1

    def subset(self, gids: set[int]) -> bytes:
        """A TrueType file with the glyph ids kept, the outlines only of ``gids`` (and their parts, glyph 0)."""
        glyf, offs = self.tables[b"glyf"], self.offsets
        keep, todo = set(), [0, *gids]
        while todo:
            g = todo.pop()
            if g in keep or g + 1 >= len(offs):
                continue
            keep.add(g)
            a, b = offs[g], offs[g + 1]
            if b - a >= 10 and struct.unpack_from(">h", glyf, a)[0] < 0:  # composite: follow its parts
                p = a + 10
                while True:
                    flags, part = struct.unpack_from(">HH", glyf, p)
                    todo.append(part)
                    p += 4 + (4 if flags & 0x0001 else 2)
                    p += 8 if flags & 0x0080 else 4 if flags & 0x0040 else 2 if flags & 0x0008 else 0
                    if not flags & 0x0020:
                        break
        chunks, loca, at = [], [], 0
        for g in range(len(offs) - 1):
            loca.append(at)
            if g in keep:
                data = glyf[offs[g]:offs[g + 1]]
                data += b"\0" * (-len(data) % 4)
                chunks.append(data)
                at += len(data)
        loca.append(at)
        tables = dict(self.tables)
        tables[b"glyf"] = b"".join(chunks) or b"\0\0\0\0"
        tables[b"loca"] = struct.pack(f">{len(loca)}I", *loca)
        head = bytearray(tables[b"head"])
        head[8:12] = b"\0\0\0\0"  # checkSumAdjustment: not checked by PDF readers
        head[50:52] = struct.pack(">h", 1)  # long loca offsets
        tables[b"head"] = bytes(head)
        return _sfnt({t: tables[t] for t in KEEP_TABLES if t in tables})


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    n = len(tables)
    entry = 1 << (n.bit_length() - 1)
    head = struct.pack(">IHHHH", 0x00010000, n, entry * 16, entry.bit_length() - 1, n * 16 - entry * 16)
    directory, body, at = [], [], 12 + 16 * n
    for tag in sorted(tables):
        data = tables[tag]
        directory.append(struct.pack(">4sIII", tag, _checksum(data), at, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        at += len(padded)
    return head + b"".join(directory) + b"".join(body)


@cache
def load_font(path: Path = FONT_FILE) -> Font:
    """Parse font 0 of the collection at ``path`` (once per process)."""
    raw = path.read_bytes()
    start = struct.unpack_from(">I", raw, 12)[0] if raw[:4] == b"ttcf" else 0
    n = struct.unpack_from(">H", raw, start + 4)[0]
    tables = {}
    for i in range(n):
        tag, _sum, off, length = struct.unpack_from(">4sIII", raw, start + 12 + 16 * i)
        tables[tag] = raw[off:off + length]
    head, hhea, maxp = tables[b"head"], tables[b"hhea"], tables[b"maxp"]
    units = struct.unpack_from(">H", head, 18)[0]
    bbox = struct.unpack_from(">hhhh", head, 36)
    long_loca = struct.unpack_from(">h", head, 50)[0] == 1
    glyphs = struct.unpack_from(">H", maxp, 4)[0]
    ascent, descent = struct.unpack_from(">hh", hhea, 4)
    n_metrics = struct.unpack_from(">H", hhea, 34)[0]
    hmtx = struct.unpack_from(f">{2 * n_metrics}H", tables[b"hmtx"])
    advances = list(hmtx[0::2]) + [hmtx[-2]] * (glyphs - n_metrics)
    loca = tables[b"loca"]
    if long_loca:
        offsets = list(struct.unpack_from(f">{glyphs + 1}I", loca))
    else:
        offsets = [o * 2 for o in struct.unpack_from(f">{glyphs + 1}H", loca)]
    return Font(tables, _cmap(tables[b"cmap"]), advances, units, ascent, descent, bbox,
                _name(tables.get(b"name", b"")) or "WenQuanYiMicroHei", offsets)


def _cmap(data: bytes) -> dict[int, int]:
    """Code point → glyph id from the Unicode subtable (format 12 if there is one, else format 4)."""
    n = struct.unpack_from(">H", data, 2)[0]
    found: dict[int, int] = {}
    for i in range(n):
        platform, encoding, off = struct.unpack_from(">HHI", data, 4 + 8 * i)
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and struct.unpack_from(">H", data, off)[0] == 12:
            count = struct.unpack_from(">I", data, off + 12)[0]
            for k in range(count):
                first, last, gid = struct.unpack_from(">III", data, off + 16 + 12 * k)
                for cp in range(first, last + 1):
                    found[cp] = gid + cp - first
            return found
    for i in range(n):
        platform, encoding, off = struct.unpack_from(">HHI", data, 4 + 8 * i)
        if (platform, encoding) in ((3, 1), (0, 3), (0, 1), (0, 0)) and struct.unpack_from(">H", data, off)[0] == 4:
            segs = struct.unpack_from(">H", data, off + 6)[0] // 2
            ends = struct.unpack_from(f">{segs}H", data, off + 14)
            starts = struct.unpack_from(f">{segs}H", data, off + 16 + 2 * segs)
            deltas = struct.unpack_from(f">{segs}h", data, off + 16 + 4 * segs)
            ranges_at = off + 16 + 6 * segs
            ranges = struct.unpack_from(f">{segs}H", data, ranges_at)
            for k in range(segs):
                for cp in range(starts[k], ends[k] + 1):
                    if cp == 0xFFFF:
                        continue
                    if ranges[k] == 0:
                        gid = (cp + deltas[k]) & 0xFFFF
                    else:
                        at = ranges_at + 2 * k + ranges[k] + 2 * (cp - starts[k])
                        gid = struct.unpack_from(">H", data, at)[0]
                        gid = (gid + deltas[k]) & 0xFFFF if gid else 0
                    if gid:
                        found[cp] = gid
            return found
    return found


def _name(data: bytes) -> str:
    """The PostScript name (name id 6) of the font."""
    if len(data) < 6:
        return ""
    count, strings = struct.unpack_from(">HH", data, 2)
    for i in range(count):
        platform, _enc, _lang, nid, length, off = struct.unpack_from(">HHHHHH", data, 6 + 12 * i)
        if nid == 6:
            raw = data[strings + off:strings + off + length]
            text = raw.decode("utf-16-be", "ignore") if platform in (0, 3) else raw.decode("latin-1")
            return "".join(c for c in text if c.isalnum() or c in "-_")
    return ""


def escape(text: str) -> str:
    """Text as the inside of a PDF literal string."""
    if "\\" in text or "(" in text or ")" in text:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return text


def utf16_hex(text: str) -> str:
    """A text string (title, author) for the document information: UTF-16 with its byte-order mark."""
    return "<FEFF" + text.encode("utf-16-be", "replace").hex().upper() + ">"


class Document:
    """Pages of content (PDF operators as text, the font as ``/F1``) and the file they make.

    The font's encoding: a printable ASCII character is its own one-byte code (figures, dates and the
    operators go into the page as they are); every other character used gets a two-byte code from
    0x8080 up (never a byte that a literal string would read differently — CR, LF, parentheses, backslash —
    nor NUL). So: :meth:`use` every text first, then :meth:`encode` (or :meth:`encode_all`, a
    column at once) the texts that go into ``(…)Tj``."""

    def __init__(self, width: float, height: float, *, title: str = "", author: str = "") -> None:
        self.width, self.height = width, height
        self.title, self.author = title, author
        self.pages: list[str] = []
        self.chars: set[str] = set(map(chr, range(32, 127)))
        self._table: dict[int, str] | None = None
        self._codes: dict[str, int] = {}

    def use(self, text: str) -> None:
        """Note the characters of ``text`` (before any :meth:`encode`)."""
        self.chars.update(text)

    def _encoding(self) -> dict[int, str]:
        if self._table is None:
            table: dict[int, str] = {}
            code = 0x8080
            for c in sorted(self.chars):
                if " " <= c <= "~":
                    self._codes[c] = ord(c)
                    continue
                if c < " " or 0xD800 <= ord(c) <= 0xDFFF or code > 0xFFFF:
                    table[ord(c)] = ""  # a control character (or more characters than codes): left out
                    continue
                while code & 0xFF in _UNSAFE:
                    code += 1
                self._codes[c] = code
                table[ord(c)] = chr(code >> 8) + chr(code & 0xFF)
                code += 1
            self._table = table
        return self._table

    def encode(self, text: str) -> str:
        """``text`` as the inside of ``(…)`` in a page's content (its characters noted with :meth:`use`)."""
        return escape(text).translate(self._encoding())

    def encode_all(self, texts: list[str]) -> list[str]:
        """:meth:`encode` of each text, done in one pass over them all."""
        if not texts:
            return []
        out = escape("\0".join(texts)).translate(self._encoding()).split("\0")
        return out if len(out) == len(texts) else [self.encode(t) for t in texts]  # a NUL in a text: one by one

    def add_page(self, content: str) -> None:
        """A page's content: operators and encoded texts (Latin-1 characters only)."""
        self.pages.append(content)

    def write(self, f) -> None:  # noqa: ANN001 - a binary file
        font = load_font()
        self._encoding()
        glyph_of = font.glyph_of
        gid = {c: glyph_of.get(ord(c), 0) for c in self._codes}
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        def stream(data: bytes, extra: str = "", *, compress: bool = True) -> bytes:
            if compress:
                data = zlib.compress(data, COMPRESS_LEVEL)
                extra += "/Filter/FlateDecode"
            return f"<</Length {len(data)}{extra}>>stream\n".encode() + data + b"\nendstream"

        n_pages = len(self.pages)
        # Object numbers: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, 6 font file, 7 encoding,
        # 8 ToUnicode, 9 info, then a page and its content for each page.
        catalog = add(b"<</Type/Catalog/Pages 2 0 R>>")
        first_page = 10
        kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n_pages))
        add(f"<</Type/Pages/Count {n_pages}/Kids[{kids}]>>".encode())
        name = "LXPOSA+" + font.name
        add(f"<</Type/Font/Subtype/Type0/BaseFont/{name}/Encoding 7 0 R/DescendantFonts[4 0 R]"
            f"/ToUnicode 8 0 R>>".encode())
        scale = 1000 / font.units
        used = sorted(set(gid.values()))
        widths = " ".join(f"{g}[{round(font.advances[g] * scale)}]" for g in used)
        add(f"<</Type/Font/Subtype/CIDFontType2/BaseFont/{name}/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)"
            f"/Supplement 0>>/FontDescriptor 5 0 R/DW 1000/W[{widths}]/CIDToGIDMap/Identity>>".encode())
        x0, y0, x1, y1 = (round(v * scale) for v in font.bbox)
        add(f"<</Type/FontDescriptor/FontName/{name}/Flags 4/FontBBox[{x0} {y0} {x1} {y1}]/ItalicAngle 0"
            f"/Ascent {round(font.ascent * scale)}/Descent {round(font.descent * scale)}/CapHeight 700"
            f"/StemV 80/FontFile2 6 0 R>>".encode())
        data = font.subset(set(used))
        add(stream(data, f"/Length1 {len(data)}"))
        add(stream(_encoding_cmap(self._codes, gid).encode(), "/Type/CMap/CMapName/LXPOS-Codes"
                   "/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>"))
        add(stream(_to_unicode(self._codes).encode()))
        add(f"<</Title{utf16_hex(self.title)}/Author{utf16_hex(self.author)}/Producer(LianXin POS)>>".encode())
        box = f"[0 0 {self.width:.2f} {self.height:.2f}]"
        for i, content in enumerate(self.pages):
            add(f"<</Type/Page/Parent 2 0 R/MediaBox{box}/Resources<</Font<</F1 3 0 R>>>>"
                f"/Contents {first_page + 2 * i + 1} 0 R>>".encode())
            add(stream(content.encode("latin-1", "replace")))
        out = [b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n"]
        at = len(out[0])
        offsets = []
        for n, body in enumerate(objects, 1):
            offsets.append(at)
            chunk = b"%d 0 obj\n" % n + body + b"\nendobj\n"
            out.append(chunk)
            at += len(chunk)
        xref = [f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"]
        xref += [f"{o:010d} 00000 n \n" for o in offsets]
        out.append("".join(xref).encode())
        out.append(f"trailer\n<</Size {len(objects) + 1}/Root {catalog} 0 R/Info 9 0 R>>\nstartxref\n{at}\n%%EOF\n"
                   .encode())
        f.write(b"".join(out))


_UNSAFE = frozenset((0x00, 0x0A, 0x0D, 0x28, 0x29, 0x5C))  # NUL separates texts in encode_all
_CODESPACE = "2 begincodespacerange\n<00> <7F>\n<8000> <FFFF>\nendcodespacerange\n"


def _hex(code: int) -> str:
    return f"{code:02x}" if code < 0x80 else f"{code:04x}"


def _blocks(lines: list[str], op: str) -> str:
    out = []
    for k in range(0, len(lines), 100):
        part = lines[k:k + 100]
        out.append(f"{len(part)} begin{op}\n" + "\n".join(part) + f"\nend{op}\n")
    return "".join(out)


def _encoding_cmap(codes: dict[str, int], gid: dict[str, int]) -> str:
    """The font's encoding: each used character's code → its glyph id (the CID)."""
    lines = [f"<{_hex(code)}> {gid[c]}" for c, code in codes.items()]
    return ("%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> def\n"
            "/CMapName /LXPOS-Codes def\n/CMapType 1 def\n" + _CODESPACE + _blocks(lines, "cidchar")
            + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")


def _to_unicode(codes: dict[str, int]) -> str:
    """Each used code → its character, so the text can be copied and searched."""
    lines = [f"<{_hex(code)}> <{c.encode('utf-16-be').hex()}>" for c, code in codes.items()]
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n"
            "/CMapName /LXPOS-UCS def\n/CMapType 2 def\n" + _CODESPACE + _blocks(lines, "bfchar")
            + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
