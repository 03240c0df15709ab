"""Pure device protocols: Toledo 8217 and continuous output, serial scanner framing, and the
customer displays' bytes."""

from __future__ import annotations

import pytest

from pos.domain.devices import (
    ContinuousFramer,
    DeviceDataError,
    Framer8217,
    LineFramer,
    ScaleReading,
    led8_label,
    led8_show,
    parse_8217,
    parse_continuous,
    vfd_amount,
    vfd_cursor,
    vfd_line,
)

STX, CR = b"\x02", b"\r"


def cont(a: int, b: int, c: int, weight: str, tare: str = "000000") -> bytes:
    """A continuous-output frame; status bytes get their always-1 bit 5 (0x20) here."""
    return STX + bytes([0x20 | a, 0x20 | b, 0x20 | c]) + weight.encode() + tare.encode() + CR


KG, MOTION, NEG, RANGE, NET = 0x10, 0x08, 0x02, 0x04, 0x01


class TestToledo8217:
    def test_a_weight_reply_is_in_kg(self) -> None:
        assert parse_8217(STX + b"01.255" + CR) == ScaleReading(1255, stable=True)
        assert parse_8217(b"0.005").grams == 5
        assert parse_8217(STX + b"12.3" + CR).grams == 12300

    @pytest.mark.parametrize(("s", "motion", "over", "under"), [
        (0x41, True, False, False), (0x42, False, True, False), (0x44, False, False, True), (0x40, False, False, False),
        (0xC1, True, False, False),  # bit 7 is parity
    ])
    def test_a_status_reply_has_the_motion_over_and_under_bits(self, s: int, motion: bool, over: bool,
                                                               under: bool) -> None:
        r = parse_8217(STX + b"?" + bytes([s]) + CR)
        assert (r.grams, r.stable, r.motion, r.over_capacity, r.under_zero) == (None, False, motion, over, under)
        assert not r.usable

    @pytest.mark.parametrize("frame", [STX + b"abc" + CR, STX + b"?\x01" + CR, STX + b"?" + CR, b"\xff\xfe"])
    def test_garbage_is_a_chinese_settings_hint(self, frame: bytes) -> None:
        with pytest.raises(DeviceDataError) as err:
            parse_8217(frame)
        assert "波特率" in err.value.message_zh

    def test_the_framer_finds_replies_in_noise(self) -> None:
        f = Framer8217()
        assert f.feed(b"\x00\xff" + STX + b"01.2") == []
        assert f.feed(b"55" + CR + STX + b"?A" + CR) == [STX + b"01.255" + CR, STX + b"?A" + CR]
        assert f.noise == 2


class TestToledoContinuous:
    def test_a_stable_kg_frame_with_three_decimals(self) -> None:
        r = parse_continuous(cont(5, KG, 0, "001255", "000100"))
        assert r == ScaleReading(1255, stable=True, tare_grams=100)

    @pytest.mark.parametrize(("code", "digits", "grams"), [
        (0, "000012", 1_200_000), (1, "000012", 120_000), (2, "000012", 12_000), (3, "000125", 12_500),
        (4, "000125", 1_250), (5, "001255", 1_255), (6, "012555", 1_256), (7, "125555", 1_256),
    ])
    def test_the_decimal_point_code_in_status_a(self, code: int, digits: str, grams: int) -> None:
        assert parse_continuous(cont(code, KG, 0, digits)).grams == grams

    def test_status_b_bits(self) -> None:
        assert parse_continuous(cont(5, KG | MOTION, 0, "001255")).motion is True
        assert parse_continuous(cont(5, KG | MOTION, 0, "001255")).stable is False
        over = parse_continuous(cont(5, KG | RANGE, 0, "999999"))
        assert over.over_capacity and not over.under_zero and not over.usable
        under = parse_continuous(cont(5, KG | RANGE | NEG, 0, "000020"))
        assert under.under_zero and under.grams == -20 and not under.over_capacity
        assert parse_continuous(cont(5, KG | NET, 0, "000500", "000100")).net is True
        assert parse_continuous(cont(5, KG | 0x40, 0, "000500")).stable is False  # power-up, not zeroed

    def test_grams_and_pounds(self) -> None:
        assert parse_continuous(cont(2, 0, 0x01, "001255")).grams == 1255  # status C bit 0: grams
        with pytest.raises(DeviceDataError) as err:
            parse_continuous(cont(5, 0, 0, "001255"))  # lb
        assert "磅" in err.value.message_zh

    def test_a_frame_without_its_always_one_bits_is_garbage(self) -> None:
        bad = STX + bytes([0x05, 0x30, 0x20]) + b"001255000000" + CR
        with pytest.raises(DeviceDataError):
            parse_continuous(bad)

    def test_the_framer_resynchronises_and_skips_checksums(self) -> None:
        f = ContinuousFramer()
        moving, stable = cont(5, KG | MOTION, 0, "001250"), cont(5, KG, 0, "001255")
        stream = b"\x30\x31" + moving + b"\x7f" + stable + b"\x55" + stable[:9]
        got = f.feed(stream[:10]) + f.feed(stream[10:])
        assert [(r.grams, r.motion) for r in got] == [(1250, True), (1255, False)]
        assert f.feed(stable[9:]) == [parse_continuous(stable)]


class TestScannerFraming:
    def test_cr_lf_and_crlf_end_a_code_and_whitespace_is_stripped(self) -> None:
        f = LineFramer()
        assert f.feed(b"6901234567892\r\n MX01-0042 \rABC") == ["6901234567892", "MX01-0042"]
        assert f.feed(b"\n") == ["ABC"]
        assert f.feed("茂县\r".encode("gb18030")) == ["茂县"]

    def test_an_endless_line_is_dropped(self) -> None:
        f = LineFramer(max_length=10)
        assert f.feed(b"x" * 25 + b"\r12\r") == ["12"]
        assert f.dropped == 25


class TestDisplayBytes:
    def test_led8(self) -> None:
        assert led8_show(1280, 1) == b"\x1bs1" + b"\x1bQA12.80\r"  # 单价
        assert led8_show(10900, 2) == b"\x1bs2\x1bQA109.00\r"  # 总计
        assert led8_show(11000, 3) == b"\x1bs3\x1bQA110.00\r"  # 收款
        assert led8_show(100, 4) == b"\x1bs4\x1bQA1.00\r"  # 找零
        assert led8_label(0) == b"\x1bs0"
        with pytest.raises(ValueError):
            led8_show(100_000_000, 2)  # 9 digits

    def test_vfd(self) -> None:
        assert vfd_cursor(1, 2) == b"\x1f\x24\x01\x02"
        assert vfd_line("总计") == "总计".encode("gb18030") + b" " * 16
        assert vfd_amount(2, 10900) == (b"\x1f$\x01\x01" + "总计".encode("gb18030") + b" " * 16
                                        + b"\x1f$\x01\x02" + b" " * 12 + "￥109.00".encode("gb18030"))
        assert vfd_amount(4, 100, encoding="ascii") == (b"\x1f$\x01\x01CHANGE" + b" " * 14
                                                        + b"\x1f$\x01\x02" + b" " * 16 + b"1.00")
        assert len(vfd_line("冰" * 11)) == 20  # never half a character
