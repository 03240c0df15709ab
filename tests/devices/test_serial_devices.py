"""Serial devices over real pseudo-terminals (socat) and pyserial's loop://: byte-exact traffic,
unplug and replug, and failures that come back as Chinese messages instead of exceptions."""

from __future__ import annotations

import threading
import time

import pytest
import serial
from socat_pair import SocatPair

from pos.devices import BackgroundDisplay, DeviceError, DummyDisplay, SerialScanner, make_display, make_scale
from pos.devices.errors import serial_error
from pos.domain.devices import ScaleReading

STX, CR = b"\x02", b"\r"


def cont(b: int, weight: str) -> bytes:
    return STX + bytes([0x25, 0x30 | b, 0x20]) + weight.encode() + b"000000" + CR  # A: 3 decimals; B: kg


class TestToledo8217OverAPty:
    def test_request_reply_motion_then_stable(self, socat_pair: SocatPair) -> None:
        device = socat_pair.device(baudrate=9600, bytesize=7, parity="E")
        requests: list[bytes] = []
        replies = [STX + b"?A" + CR, STX + b"?A" + CR, STX + b"01.255" + CR]  # motion, motion, 1.255 kg

        def scale() -> None:
            for reply in replies:
                requests.append(device.read(1))
                device.write(reply)

        t = threading.Thread(target=scale, daemon=True)
        t.start()
        scale_ = make_scale(f"serial://{socat_pair.a}?protocol=8217")
        try:
            first = scale_.read(timeout=2)
            assert first == ScaleReading(None, stable=False, motion=True)
            reading = scale_.read_stable(timeout=3)
            assert reading == ScaleReading(1255, stable=True) and reading.usable
            port = scale_._port
            assert (port.baudrate, port.bytesize, port.parity, port.stopbits) == (9600, 7, "E", 1)
        finally:
            scale_.close()
            t.join(2)
            device.close()
        assert requests == [b"W", b"W", b"W"]

    def test_a_silent_scale_is_no_answer_and_garbage_is_wrong_settings(self, socat_pair: SocatPair) -> None:
        device = socat_pair.device()
        scale_ = make_scale(f"serial://{socat_pair.a}")
        try:
            with pytest.raises(DeviceError) as err:
                scale_.read(timeout=0.3)
            assert err.value.reason == "no_answer" and "无响应" in err.value.message_zh
            assert "9600 7E1" in err.value.message_zh
            assert device.read(1) == b"W"

            def garble() -> None:
                device.read(1)
                device.write(b"\xf0\x8f\x0f\xe0")  # what 7E1 data looks like at the wrong baud rate

            t = threading.Thread(target=garble, daemon=True)
            t.start()
            with pytest.raises(DeviceError) as err:
                scale_.read(timeout=0.5)
            t.join(2)
            assert err.value.reason == "garbled" and "波特率" in err.value.message_zh
        finally:
            scale_.close()
            device.close()

    def test_over_capacity_never_becomes_a_weight(self, socat_pair: SocatPair) -> None:
        device = socat_pair.device(timeout=0.05)
        stop = threading.Event()

        def scale() -> None:
            while not stop.is_set():
                if device.read(1) == b"W":
                    device.write(STX + b"?B" + CR)

        t = threading.Thread(target=scale, daemon=True)
        t.start()
        scale_ = make_scale(f"serial://{socat_pair.a}")
        try:
            with pytest.raises(DeviceError) as err:
                scale_.read_stable(timeout=0.5)
            assert err.value.reason == "unstable" and "超出秤的量程" in err.value.message_zh
        finally:
            stop.set()
            scale_.close()
            t.join(2)
            device.close()


class TestToledoContinuousOverAPty:
    def test_a_stream_in_motion_then_stable_gives_the_stable_weight(self, socat_pair: SocatPair) -> None:
        device = socat_pair.device(baudrate=9600, bytesize=7, parity="E")
        stop = threading.Event()
        frames = [cont(0x08, "000800"), cont(0x08, "001100"), cont(0x08, "001240")] * 3 + [cont(0, "001255")] * 50

        def scale() -> None:
            for frame in frames:
                if stop.is_set():
                    return
                device.write(frame + b"\x5a")  # with a checksum byte after CR
                time.sleep(0.01)

        t = threading.Thread(target=scale, daemon=True)
        t.start()
        scale_ = make_scale(f"serial://{socat_pair.a}?protocol=continuous")
        try:
            assert scale_.read(timeout=2).motion is True
            reading = scale_.read_stable(timeout=3)
            assert reading == ScaleReading(1255, stable=True, tare_grams=0)
        finally:
            stop.set()
            t.join(2)
            scale_.close()
            device.close()


class TestScaleFailures:
    def test_a_missing_port(self) -> None:
        with pytest.raises(DeviceError) as err:
            make_scale("serial:///dev/ttyLX-missing").read(0.2)
        assert err.value.reason == "port_missing"
        assert err.value.message_zh == "电子秤串口 /dev/ttyLX-missing 不存在（设备未连接或端口名有误）"

    def test_permission_denied_names_the_dialout_group(self) -> None:
        def opener(settings):  # noqa: ANN001, ANN202
            raise serial.SerialException(13, "could not open port /dev/ttyUSB1: [Errno 13] Permission denied")

        with pytest.raises(DeviceError) as err:
            make_scale("serial:///dev/ttyUSB1", opener=opener).read(0.2)
        assert err.value.reason == "permission" and "dialout" in err.value.message_zh

    def test_busy_and_disconnected(self) -> None:
        busy = serial_error(serial.SerialException(16, "Device or resource busy"), kind="scale", url="u", port="p")
        assert busy.reason == "busy" and "占用" in busy.message_zh
        gone = serial_error(serial.SerialException("device reports readiness to read but returned no data "
                                                   "(device disconnected or multiple access on port?)"),
                            kind="scanner", url="u", port="p", doing="read")
        assert gone.reason == "disconnected" and "已断开" in gone.message_zh

    def test_bad_settings_are_config_errors(self) -> None:
        with pytest.raises(DeviceError) as err:
            make_scale("serial:///dev/ttyUSB1?protocol=nci")
        assert err.value.reason == "config" and "8217" in err.value.message_zh
        with pytest.raises(DeviceError, match="baudrate"):
            make_scale("serial:///dev/ttyUSB1?baudrate=fast")
        with pytest.raises(DeviceError):
            make_scale("/dev/ttyUSB1")


class TestCustomerDisplay:
    def test_led8_bytes_on_the_line(self) -> None:
        display = make_display("loop://?type=led8")
        assert display.show_price(1280) and display.show_total(10900) and display.show_paid(11000)
        assert display.show_change(100) and display.clear()
        port = display._port
        assert port.baudrate == 2400 and (port.bytesize, port.parity, port.stopbits) == (8, "N", 1)
        assert port.read(200) == (
            b"\x1b@\x0c"  # ESC @, clear: when the port opens
            + b"\x1bs1\x1bQA12.80\r" + b"\x1bs2\x1bQA109.00\r" + b"\x1bs3\x1bQA110.00\r" + b"\x1bs4\x1bQA1.00\r"
            + b"\x1bs0\x0c"
        )
        assert display.ok is True and display.last_error is None

    def test_vfd_bytes_on_the_line(self) -> None:
        display = make_display("loop://?type=vfd&encoding=gb18030")
        assert display.show_total(10900)
        assert display._port.baudrate == 9600
        assert display._port.read(200) == (b"\x0c" + b"\x1f$\x01\x01" + "总计".encode("gb18030") + b" " * 16
                                           + b"\x1f$\x01\x02" + b" " * 12 + b"\xa3\xa4109.00")

    def test_a_missing_display_never_raises_and_does_not_retry_at_every_scan(self) -> None:
        calls = []

        def opener(settings):  # noqa: ANN001, ANN202
            calls.append(settings.port)
            raise serial.SerialException(2, "could not open port /dev/ttyLX: [Errno 2] No such file or directory")

        display = make_display("serial:///dev/ttyLX?type=led8", opener=opener)
        assert display.show_total(100) is False
        assert display.show_price(200) is False and display.clear() is False
        assert calls == ["/dev/ttyLX"]  # tried once; the next try waits retry_after
        assert display.ok is False and "客显串口 /dev/ttyLX 不存在" in display.last_error.message_zh
        display.retry_after = 0
        display.show_total(100)
        assert len(calls) == 2

    def test_a_display_that_fails_while_writing_never_raises(self) -> None:
        class Port:
            def write(self, data: bytes) -> None:
                raise serial.SerialTimeoutException("Write timeout")

            def flush(self) -> None: ...
            def close(self) -> None: ...

        display = make_display("serial:///dev/ttyLX?type=vfd", opener=lambda s: Port())
        assert display.show_change(100) is False
        assert display.last_error.reason == "no_answer" and "超时" in display.last_error.message_zh
        assert display.show_total(10**12) is False  # too long for a display: refused, not raised

    def test_the_background_display_returns_at_once_and_shows_the_newest(self) -> None:
        gate = threading.Event()

        class Slow(DummyDisplay):
            def _send(self, data: bytes) -> bool:
                gate.wait(2)
                return super()._send(data)

        inner = Slow()
        display = BackgroundDisplay(inner)
        started = time.monotonic()
        for fen in range(100, 110):
            assert display.show_total(fen)
        assert time.monotonic() - started < 0.5
        gate.set()
        assert display.wait_idle(2)
        assert inner.sent[-1] == b"\x1bs2\x1bQA1.09\r" and len(inner.sent) <= 3
        display.close()
        assert display.show_total(1) is False


class TestSerialScanner:
    def test_codes_arrive_and_survive_an_unplug_and_replug(self, socat_pair: SocatPair) -> None:
        codes: list[str] = []
        states: list[bool] = []
        scanner = SerialScanner(f"serial://{socat_pair.a}", on_code=codes.append,
                                on_status=lambda up, err: states.append(up), backoff=(0.05, 0.2))
        scanner.start()
        try:
            assert scanner.wait_connected(3)
            device = socat_pair.device()
            device.write(b"6901234567892\r\n")
            device.write(b"MX01-20261122-0042\r")
            assert scanner.codes.get(timeout=2) == "6901234567892"
            assert scanner.codes.get(timeout=2) == "MX01-20261122-0042"
            device.close()

            socat_pair.stop()  # unplug
            deadline = time.monotonic() + 3
            while scanner.connected and time.monotonic() < deadline:
                time.sleep(0.02)
            assert not scanner.connected and scanner.running
            assert scanner.last_error is not None and scanner.last_error.message_zh.startswith("扫码枪串口")

            socat_pair.start()  # replug: same link name
            assert scanner.wait_connected(3) and scanner.reconnects == 1
            device = socat_pair.device()
            device.write(b"ABC-123\r")
            assert scanner.codes.get(timeout=2) == "ABC-123"
            device.close()
        finally:
            scanner.stop()
        assert not scanner.running
        assert codes == ["6901234567892", "MX01-20261122-0042", "ABC-123"]
        assert states[:3] == [True, False, True]

    def test_a_scanner_that_is_not_plugged_in_keeps_trying_quietly(self, tmp_path) -> None:  # noqa: ANN001
        scanner = SerialScanner(f"serial://{tmp_path / 'nothing'}", backoff=(0.02, 0.05)).start()
        time.sleep(0.2)
        assert scanner.running and not scanner.connected
        assert scanner.last_error.reason == "port_missing"
        scanner.stop()

    def test_a_failing_callback_does_not_stop_the_scanner(self) -> None:
        def boom(code: str) -> None:
            raise RuntimeError("UI bug")

        scanner = SerialScanner("loop://", on_code=boom).start()
        try:
            assert scanner.wait_connected(2)
            scanner._port.write(b"111\r222\r")
            assert scanner.codes.get(timeout=2) == "111" and scanner.codes.get(timeout=2) == "222"
            assert scanner.running
        finally:
            scanner.stop()
