"""Device protocols as pure logic: bytes and key events in, readings and decisions out.

Nothing here opens a port or starts a thread (see ``pos/devices/`` for that); everything is
testable with plain bytes.

* :class:`WedgeDetector` — tells a keyboard-wedge scanner's burst from a person typing.
* :class:`LineFramer` — CR/LF framing for serial scanners.
* Toledo scales — 8217 request/reply (:func:`parse_8217`) and continuous output
  (:func:`parse_continuous`, :class:`ContinuousFramer`), both giving a :class:`ScaleReading`.
* Customer displays — LED-8 and two-line VFD command bytes.

Toledo bits used (verify against the scale's own manual; they are also listed in README):

8217 status reply ``STX ? s CR`` — ``s`` bit 0 motion, bit 1 over capacity, bit 2 under zero
(bit 3 outside zero capture range, bit 4 center of zero, bit 5 net; bit 6 always 1 and is
checked; bit 7 is parity and ignored).

Continuous output ``STX A B C wwwwww tttttt CR`` —
A: bits 0–2 decimal point (0 = ×100, 1 = ×10, 2 = ×1, 3 = 0.1, 4 = 0.01, 5 = 0.001,
6 = 0.0001, 7 = 0.00001), bit 5 always 1 (checked).
B: bit 0 net, bit 1 negative, bit 2 out of range (over capacity when positive, under zero when
negative), bit 3 motion, bit 4 kg (0 = lb, refused), bit 5 always 1 (checked), bit 6 power-up
not zeroed (reported as not stable).
C: bit 0 grams (the weight is in g, not kg), bit 5 always 1 (checked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .errors import InvalidInput
from .money import div_round_half_up, format_yuan

STX, CR, LF = 0x02, 0x0D, 0x0A


class DeviceDataError(InvalidInput):
    """A device sent bytes that do not fit its protocol: usually a wrong baud rate or parity."""

    code = "device_data"


def _garbled(what: str, data: bytes) -> DeviceDataError:
    return DeviceDataError(
        f"the {what} sent data that is not its protocol ({data[:24].hex(' ')}): check baud rate, data bits and parity",
        message_zh=f"{_WHAT_ZH.get(what, what)}返回的数据无法识别，请检查波特率、数据位和校验位设置",
        data=data.hex(),
    )


_WHAT_ZH = {"scale": "电子秤", "scanner": "扫码枪", "display": "客显"}


# --- keyboard-wedge scanner -------------------------------------------------------------------

END_KEYS = ("\r", "\n")


@dataclass(frozen=True, slots=True)
class WedgeEvent:
    """``scan``: a scanner's code. ``typed``: keys a person typed, to hand on to the focused
    widget in order (``enter``: the Enter key that followed them belongs to the typing too)."""

    kind: Literal["scan", "typed"]
    text: str
    enter: bool = False


@dataclass
class WedgeDetector:
    """Burst-vs-typing decision for a keyboard-wedge scanner, on key text and timestamps.

    Feed every text key and Enter with its time in milliseconds (``QKeyEvent.timestamp()``).
    Keys are held back while they could still be the start of a burst; a key that arrives more
    than ``max_gap_ms`` after the previous one releases what was held as typing. Enter ends a
    burst: if every gap (the Enter's included) was at most ``max_gap_ms`` and at least
    ``min_length`` characters came, it is a scan; otherwise it is typing plus that Enter.

    A person's key is held at most ``max_gap_ms``: call :meth:`flush` when :meth:`deadline`
    passes (a single-shot timer), and :meth:`interrupt` on any non-text key.
    """

    max_gap_ms: float = 30.0
    min_length: int = 4
    end_keys: tuple[str, ...] = END_KEYS
    max_length: int = 256
    _buf: list[str] = field(default_factory=list, repr=False)
    _last: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        if self.max_gap_ms <= 0:
            raise ValueError("max_gap_ms must be more than zero")
        if self.min_length < 1:
            raise ValueError("min_length must be at least 1")

    @property
    def pending(self) -> str:
        return "".join(self._buf)

    def deadline(self) -> float | None:
        """When (ms) held keys become typing if nothing else comes; None if nothing is held."""
        return self._last + self.max_gap_ms if self._buf else None

    def _release(self, *, enter: bool = False) -> list[WedgeEvent]:
        text = "".join(self._buf)
        self._buf.clear()
        return [WedgeEvent("typed", text, enter)] if text or enter else []

    def feed(self, key: str, t_ms: float) -> list[WedgeEvent]:
        """One key press. Returns what to do now (often nothing: the key is being held)."""
        events: list[WedgeEvent] = []
        late = bool(self._buf) and t_ms - self._last > self.max_gap_ms
        if key in self.end_keys:
            if self._buf and not late and len(self._buf) >= self.min_length:
                events.append(WedgeEvent("scan", "".join(self._buf)))
                self._buf.clear()
            else:
                events += self._release(enter=True)
            self._last = t_ms
            return events
        if late:
            events += self._release()
        if len(key) != 1 or not key.isprintable():
            # An IME commit (several characters) or a control key: never part of a scan.
            events += self._release()
            if key:
                events.append(WedgeEvent("typed", key))
            self._last = t_ms
            return events
        self._buf.append(key)
        self._last = t_ms
        if len(self._buf) > self.max_length:  # a stuck key, not a barcode
            events += self._release()
        return events

    def flush(self, now_ms: float) -> list[WedgeEvent]:
        """Release held keys as typing once ``max_gap_ms`` has passed without another key."""
        if self._buf and now_ms - self._last > self.max_gap_ms:
            return self._release()
        return []

    def interrupt(self) -> list[WedgeEvent]:
        """A non-text key (arrow, F-key, Esc …): whatever is held was typed."""
        return self._release()


# --- serial scanner framing -------------------------------------------------------------------


class LineFramer:
    """Splits a serial scanner's byte stream into codes at CR, LF or CRLF; strips whitespace."""

    def __init__(self, max_length: int = 4096) -> None:
        self._buf = bytearray()
        self._skipping = False  # inside an over-long line: drop up to its end
        self.max_length = max_length
        self.dropped = 0  # bytes thrown away from over-long lines (noise, wrong baud rate)

    def feed(self, data: bytes) -> list[str]:
        codes: list[str] = []
        for b in data:
            if b in (CR, LF):
                if self._buf and not self._skipping:
                    text = decode_code(bytes(self._buf)).strip()
                    if text:
                        codes.append(text)
                self._buf.clear()
                self._skipping = False
            elif self._skipping:
                self.dropped += 1
            else:
                self._buf.append(b)
                if len(self._buf) > self.max_length:
                    self.dropped += len(self._buf)
                    self._buf.clear()
                    self._skipping = True
        return codes

    @property
    def pending(self) -> bytes:
        return bytes(self._buf)


def decode_code(data: bytes) -> str:
    """Scanner bytes as text: ASCII/UTF-8 (QR codes), else GB18030 (Chinese-configured scanners)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


# --- scales -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScaleReading:
    """One answer from a scale. ``grams`` is None when the scale sent only its status."""

    grams: int | None
    stable: bool
    motion: bool = False
    over_capacity: bool = False
    under_zero: bool = False
    net: bool = False
    tare_grams: int | None = None

    @property
    def usable(self) -> bool:
        """A weight that can go on a sale line: present, stable, in range."""
        return self.grams is not None and self.stable and not self.over_capacity and not self.under_zero

    def describe_zh(self) -> str:
        if self.over_capacity:
            return "超出秤的量程"
        if self.under_zero:
            return "秤读数低于零，请清零"
        if self.motion or not self.stable:
            return "秤未稳定"
        if self.grams is None:
            return "秤没有给出重量"
        return f"{self.grams} 克"

    def to_json(self) -> dict[str, object]:
        return {"grams": self.grams, "stable": self.stable, "motion": self.motion,
                "over_capacity": self.over_capacity, "under_zero": self.under_zero, "net": self.net,
                "tare_grams": self.tare_grams}


TOLEDO_8217_REQUEST = b"W"  # ask for the weight
TOLEDO_8217_STATUS_REQUEST = b"S"  # ask for the status byte only
_WEIGHT_8217 = re.compile(rb"^\s*(-?)(\d{1,4})\.(\d{1,4})\s*$")


def parse_8217(frame: bytes) -> ScaleReading:
    """One Toledo 8217 reply, with or without its STX and CR: ``01.255`` (kg) or ``? s``."""
    body = frame
    if body[:1] == bytes([STX]):
        body = body[1:]
    if body[-1:] == bytes([CR]):
        body = body[:-1]
    if body[:1] == b"?":
        if len(body) != 2:
            raise _garbled("scale", frame)
        s = body[1] & 0x7F
        if not s & 0x40:
            raise _garbled("scale", frame)
        return ScaleReading(None, stable=False, motion=bool(s & 0x01), over_capacity=bool(s & 0x02),
                            under_zero=bool(s & 0x04), net=bool(s & 0x20))
    m = _WEIGHT_8217.match(bytes(b & 0x7F for b in body))
    if not m:
        raise _garbled("scale", frame)
    sign, whole, frac = m.groups()
    grams = int(whole) * 1000 + div_round_half_up(int(frac) * 1000, 10 ** len(frac))
    if sign:
        grams = -grams
    return ScaleReading(grams, stable=True, under_zero=grams < 0)


class Framer8217:
    """Collects ``STX … CR`` replies from a byte stream (anything outside a frame is noise)."""

    MAX_BODY = 12

    def __init__(self) -> None:
        self._buf = bytearray()
        self._in = False
        self.noise = 0

    def feed(self, data: bytes) -> list[bytes]:
        frames: list[bytes] = []
        for b in data:
            if b == STX:
                if self._in:
                    self.noise += len(self._buf)
                self._buf = bytearray([STX])
                self._in = True
            elif self._in:
                self._buf.append(b)
                if b == CR:
                    frames.append(bytes(self._buf))
                    self._buf.clear()
                    self._in = False
                elif len(self._buf) > self.MAX_BODY + 1:
                    self.noise += len(self._buf)
                    self._buf.clear()
                    self._in = False
            else:
                self.noise += 1
        return frames


_CONT_LEN = 17  # STX + 3 status + 6 weight + 6 tare + CR


def _scaled_grams(digits: int, decimal_code: int, *, kg: bool) -> int:
    exp = (2 - decimal_code) + (3 if kg else 0)
    return digits * 10**exp if exp >= 0 else div_round_half_up(digits, 10 ** (-exp))


def parse_continuous(frame: bytes) -> ScaleReading:
    """One Toledo continuous-output frame: ``STX A B C wwwwww tttttt CR`` (17 bytes)."""
    if len(frame) != _CONT_LEN or frame[0] != STX or frame[-1] != CR:
        raise _garbled("scale", frame)
    a, b, c = (x & 0x7F for x in frame[1:4])
    if not (a & 0x20 and b & 0x20 and c & 0x20):
        raise _garbled("scale", frame)
    weight, tare = frame[4:10], frame[10:16]
    if not (weight.isdigit() and tare.isdigit()):
        raise _garbled("scale", frame)
    grams_unit = bool(c & 0x01)
    kg = bool(b & 0x10)
    if not grams_unit and not kg:
        raise DeviceDataError("the scale sends pounds; set it to kg", message_zh="电子秤单位为磅，请设置为千克",
                              data=frame.hex())
    code = a & 0x07
    grams = _scaled_grams(int(weight), code, kg=not grams_unit)
    tare_grams = _scaled_grams(int(tare), code, kg=not grams_unit)
    negative, out_of_range, motion = bool(b & 0x02), bool(b & 0x04), bool(b & 0x08)
    not_zeroed = bool(b & 0x40)
    return ScaleReading(
        -grams if negative else grams,
        stable=not motion and not not_zeroed,
        motion=motion,
        over_capacity=out_of_range and not negative,
        under_zero=negative,
        net=bool(b & 0x01),
        tare_grams=tare_grams,
    )


class ContinuousFramer:
    """Finds continuous-output frames in a byte stream (skips a checksum byte or noise)."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self.noise = 0
        self.bad_frames = 0

    def feed(self, data: bytes) -> list[ScaleReading]:
        self._buf += data
        readings: list[ScaleReading] = []
        while True:
            start = self._buf.find(bytes([STX]))
            if start < 0:
                self.noise += len(self._buf)
                self._buf.clear()
                break
            if start:
                self.noise += start
                del self._buf[:start]
            if len(self._buf) < _CONT_LEN:
                break
            frame = bytes(self._buf[:_CONT_LEN])
            try:
                readings.append(parse_continuous(frame))
            except DeviceDataError:
                self.bad_frames += 1
                del self._buf[:1]  # resynchronise on the next STX
                continue
            del self._buf[:_CONT_LEN]
        return readings


# --- customer displays ------------------------------------------------------------------------

ESC, FF, US = 0x1B, 0x0C, 0x1F


class DisplayLabel:
    """LED-8 label lamps (``ESC s n``, n as the ASCII digit)."""

    OFF, PRICE, TOTAL, PAID, CHANGE = 0, 1, 2, 3, 4


LABELS_ZH = {DisplayLabel.PRICE: "单价", DisplayLabel.TOTAL: "总计", DisplayLabel.PAID: "收款",
             DisplayLabel.CHANGE: "找零"}
LABELS_EN = {DisplayLabel.PRICE: "PRICE", DisplayLabel.TOTAL: "TOTAL", DisplayLabel.PAID: "PAID",
             DisplayLabel.CHANGE: "CHANGE"}

LED8_INIT = bytes([ESC]) + b"@"
LED8_CLEAR = bytes([FF])
LED8_DIGITS = 8


def led8_amount(fen: int) -> bytes:
    """``ESC Q A d… CR``: the amount in yuan with two decimals ("12.80"), at most 8 digits."""
    text = format_yuan(fen, symbol=False).replace(",", "")
    if sum(ch.isdigit() for ch in text) > LED8_DIGITS:
        raise ValueError(f"{text} does not fit an {LED8_DIGITS}-digit display")
    return bytes([ESC]) + b"QA" + text.encode("ascii") + bytes([CR])


def led8_label(label: int) -> bytes:
    """``ESC s n``: light one label (1 单价, 2 总计, 3 收款, 4 找零) or none (0)."""
    if label not in range(5):
        raise ValueError("label must be 0..4")
    return bytes([ESC]) + b"s" + str(label).encode("ascii")


def led8_show(fen: int, label: int) -> bytes:
    return led8_label(label) + led8_amount(fen)


VFD_CLEAR = bytes([FF])
VFD_COLUMNS = 20


def vfd_cursor(x: int, y: int) -> bytes:
    """``US $ x y``: move to column ``x`` (1–20) of line ``y`` (1–2)."""
    if not (1 <= x <= VFD_COLUMNS and 1 <= y <= 2):
        raise ValueError("cursor out of the 20×2 display")
    return bytes([US]) + b"$" + bytes([x, y])


def _vfd_text(text: str, encoding: str) -> bytes:
    out = bytearray()
    for ch in text:
        try:
            data = ch.encode(encoding)
        except UnicodeEncodeError:
            data = b"?"
        if len(data) == 1 and not 0x20 <= data[0] < 0x7F:
            data = b" "
        elif len(data) > 2:  # 4-byte GB18030: not in a display's font
            data = b"?"
        out += data
    return bytes(out)


def vfd_line(text: str, *, encoding: str = "gb18030", align: Literal["left", "right"] = "left") -> bytes:
    """``text`` padded (or cut) to exactly 20 cells; a double-byte character is never split."""
    data = b""
    for ch in text:
        piece = _vfd_text(ch, encoding)
        if len(data) + len(piece) > VFD_COLUMNS:
            break
        data += piece
    pad = b" " * (VFD_COLUMNS - len(data))
    return pad + data if align == "right" else data + pad


def vfd_show(label: str, value: str, *, encoding: str = "gb18030") -> bytes:
    """Both lines, rewritten in place (no clear, so no flicker): label left, value right."""
    return (vfd_cursor(1, 1) + vfd_line(label, encoding=encoding)
            + vfd_cursor(1, 2) + vfd_line(value, encoding=encoding, align="right"))


def vfd_amount(label: int, fen: int, *, encoding: str = "gb18030") -> bytes:
    if encoding == "ascii":
        return vfd_show(LABELS_EN[label], format_yuan(fen, symbol=False), encoding="ascii")
    return vfd_show(LABELS_ZH[label], format_yuan(fen, symbol=True), encoding=encoding)
