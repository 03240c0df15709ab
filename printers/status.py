"""Printer status from ESC/POS real-time status bytes (``DLE EOT n``). Pure: bytes in, status out.

The till asks three questions and decodes the answers here:

=========  ======================  ===========================================================
query      bytes                   bits used (a valid answer has bit 1 and 4 set, 0 and 7 clear)
=========  ======================  ===========================================================
printer    ``DLE EOT 1`` 10 04 01  0x08 offline
offline    ``DLE EOT 2`` 10 04 02  0x04 cover open, 0x20 stopped at paper end, 0x40 error
paper      ``DLE EOT 4`` 10 04 04  0x0C paper near end, 0x60 paper out
=========  ======================  ===========================================================

No answer to ``DLE EOT 1`` (or a byte that is not a status byte) is UNKNOWN, never READY:
python-escpos 3.1's ``paper_status()`` reports "adequate" when nothing answers, which would
tell a cashier all is well with a printer that is switched off.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace

DLE, EOT = 0x10, 0x04
QUERY_PRINTER, QUERY_OFFLINE, QUERY_ERROR, QUERY_PAPER = 1, 2, 3, 4


def status_query(n: int) -> bytes:
    """``DLE EOT n``: ask for status ``n`` (1 printer, 2 offline cause, 3 error cause, 4 paper)."""
    return bytes([DLE, EOT, n])


def is_status_byte(b: int) -> bool:
    """An answer to ``DLE EOT n`` always has bits 1 and 4 set and bits 0 and 7 clear."""
    return (b & 0x93) == 0x12


class PrinterState(str, enum.Enum):
    READY = "ready"
    PAPER_NEAR_END = "paper_near_end"  # still prints: change the roll soon
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"  # the printer says offline for another reason
    ERROR = "error"  # cutter jam, head too hot, … (needs a look, often a power cycle)
    UNREACHABLE = "unreachable"  # cannot connect / open the device at all
    UNKNOWN = "unknown"  # connected but no (valid) answer, or the transport cannot read status

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self]


_LABELS_ZH = {
    PrinterState.READY: "正常",
    PrinterState.PAPER_NEAR_END: "纸将用完",
    PrinterState.PAPER_OUT: "缺纸",
    PrinterState.COVER_OPEN: "纸仓盖打开",
    PrinterState.OFFLINE: "脱机",
    PrinterState.ERROR: "故障",
    PrinterState.UNREACHABLE: "无法连接",
    PrinterState.UNKNOWN: "状态未知",
}

_TEXT = {
    PrinterState.READY: ("ready", "正常"),
    PrinterState.PAPER_NEAR_END: ("paper is nearly out: have a new roll ready", "打印纸即将用完，请准备换纸"),
    PrinterState.PAPER_OUT: ("out of paper: load a new roll", "缺纸，请装入新纸卷"),
    PrinterState.COVER_OPEN: ("the cover is open: close it", "纸仓盖未关好，请合上"),
    PrinterState.OFFLINE: ("offline: check power, paper and cover", "脱机，请检查电源、纸张和纸仓盖"),
    PrinterState.ERROR: ("reports an error (cutter jam or overheating): check it and switch it off and on",
                         "报告故障（切刀卡纸或过热），请检查后重新开机"),
    PrinterState.UNKNOWN: ("did not answer the status query, so its state is unknown",
                           "没有回应状态查询，无法确认是否正常"),
}


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What the printer said (``None`` for a question it did not answer)."""

    url: str
    state: PrinterState
    message: str
    message_zh: str
    online: bool | None = None
    cover_open: bool | None = None
    paper_near_end: bool | None = None
    paper_out: bool | None = None
    error: bool | None = None
    answers: tuple[tuple[int, int | None], ...] = ()  # ((1, 0x12), (2, 0x12), (4, 0x12)) as read

    @property
    def ok(self) -> bool:
        """The printer answered and can print (a nearly empty roll still prints)."""
        return self.state in (PrinterState.READY, PrinterState.PAPER_NEAR_END)

    @property
    def answered(self) -> bool:
        return self.state not in (PrinterState.UNKNOWN, PrinterState.UNREACHABLE)

    @property
    def blocks_printing(self) -> bool:
        """The printer said it cannot print now (a job sent now would not come out)."""
        return self.state in (PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.OFFLINE,
                              PrinterState.ERROR)

    def to_json(self) -> dict[str, object]:
        return {"url": self.url, "state": self.state.value, "message": self.message, "message_zh": self.message_zh,
                "online": self.online, "cover_open": self.cover_open, "paper_near_end": self.paper_near_end,
                "paper_out": self.paper_out, "error": self.error}


def _label(url: str) -> str:
    return f"打印机 {url}"


def make_status(url: str, state: PrinterState, *, reason: str = "", reason_zh: str = "",
                **flags: bool | None) -> PrinterStatus:
    """A status with the standard wording for ``state`` (``reason`` replaces it when given)."""
    en, zh = _TEXT.get(state, ("", ""))
    en, zh = reason or en, reason_zh or zh
    return PrinterStatus(url, state, f"printer {url}: {en}", f"{_label(url)} {zh}", **flags)


def decode_status(url: str, answers: Mapping[int, int | None]) -> PrinterStatus:
    """Decode the answers to ``DLE EOT 1/2/4`` (keys 1, 2, 4; ``None`` = no answer).

    Invalid bytes count as no answer. Without a valid answer to 1 the state is UNKNOWN.
    """
    valid = {n: b for n, b in answers.items() if b is not None and is_status_byte(b)}
    raw = tuple(sorted(answers.items()))
    p1 = valid.get(QUERY_PRINTER)
    if p1 is None:
        return replace(make_status(url, PrinterState.UNKNOWN), answers=raw)
    p2, p4 = valid.get(QUERY_OFFLINE), valid.get(QUERY_PAPER)
    online = not p1 & 0x08
    cover_open = bool(p2 & 0x04) if p2 is not None else None
    stopped_at_paper_end = bool(p2 & 0x20) if p2 is not None else False
    error = bool(p2 & 0x40) if p2 is not None else None
    near_end = bool(p4 & 0x0C) if p4 is not None else None
    paper_out = (bool(p4 & 0x60) if p4 is not None else None)
    if stopped_at_paper_end:
        paper_out = True
    if cover_open:
        state = PrinterState.COVER_OPEN
    elif paper_out:
        state = PrinterState.PAPER_OUT
    elif error:
        state = PrinterState.ERROR
    elif not online:
        state = PrinterState.OFFLINE
    elif near_end:
        state = PrinterState.PAPER_NEAR_END
    else:
        state = PrinterState.READY
    status = make_status(url, state, online=online, cover_open=cover_open, paper_near_end=near_end,
                         paper_out=paper_out, error=error)
    return replace(status, answers=raw)
