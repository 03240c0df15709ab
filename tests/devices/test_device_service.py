"""The hardware settings service: ports, configured devices and their status, test print,
test drawer, scale and display checks — every failure a plain Chinese message."""

from __future__ import annotations

from pathlib import Path

import pytest
import serial
from fake_printers import FakeNetworkPrinter

from pos.bootstrap import Till
from pos.config import ConfigError, load_config
from pos.devices import DeviceError, DummyDisplay, SerialPortInfo, make_scale
from pos.domain.devices import ScaleReading, WedgeDetector
from pos.domain.permissions import ApprovalRequired
from pos.services.devices import DevicePorts, DeviceService, DeviceSettings, NullDisplay, default_ports
from printers import PrinterState, make_printer


class FakeScanner:
    def __init__(self, url: str, on_code=None, on_status=None) -> None:  # noqa: ANN001
        self.url, self.on_code, self.on_status = url, on_code, on_status
        self.running = self.connected = False
        self.last_error = None

    def start(self) -> None:
        self.running = self.connected = True

    def stop(self) -> None:
        self.running = self.connected = False


def fake_ports(**overrides: object) -> DevicePorts:
    real = default_ports()
    parts = {
        "make_scale": real.make_scale, "make_display": real.make_display, "make_scanner": FakeScanner,
        "list_ports": lambda: [SerialPortInfo("/dev/ttyUSB0", "USB-Serial CH340", "USB VID:PID=1A86:7523", 0x1A86,
                                              0x7523)],
        "open_port": real.open_port, "background": lambda d: d,
    }
    parts.update(overrides)
    return DevicePorts(**parts)  # type: ignore[arg-type]


def service(printer_url: str = "dummy:", **settings: object) -> DeviceService:
    printer = make_printer(printer_url, columns=32)
    return DeviceService(DeviceSettings(printer_url=printer_url, **settings), fake_ports(), printer=lambda: printer)


def test_serial_ports_and_configured_devices() -> None:
    s = service(scale="dummy:?grams=500", scanner="serial:///dev/ttyACM0")
    [port] = s.list_serial_ports()
    assert (port.device, port.url, port.to_json()["vid"]) == ("/dev/ttyUSB0", "serial:///dev/ttyUSB0", "1a86")
    rows = {r.kind: r for r in s.configured()}
    assert rows["scale"].url == "dummy:?grams=500" and rows["display"].state == "not_configured"
    assert rows["display"].message_zh == "未配置客显" and rows["scanner"].label_zh == "扫码枪"


def test_status_of_every_device() -> None:
    s = service(scale="dummy:?grams=1255", display="dummy:")
    rows = {r.kind: r for r in s.status()}
    assert rows["printer"].ok and rows["printer"].state == "ready"
    assert rows["scanner"].state == "wedge" and rows["scanner"].ok
    assert rows["scale"].ok and rows["scale"].detail["reading"]["grams"] == 1255
    assert rows["display"].ok is True  # dummy: opens
    s.display.show_total(100)
    assert {r.kind: r for r in s.status()}["display"].message_zh == "客显工作正常"


def test_missing_devices_explain_themselves(tmp_path: Path) -> None:
    s = service(printer_url="dummy:?state=cover_open", scanner=f"serial://{tmp_path}/ttyACM9",
                scale=f"serial://{tmp_path}/ttyUSB9", display=f"serial://{tmp_path}/ttyUSB8?type=vfd")
    rows = {r.kind: r for r in s.status()}
    assert rows["printer"].state == "cover_open" and "纸仓盖" in rows["printer"].message_zh
    assert rows["scanner"].ok is False and rows["scanner"].state == "port_missing"
    assert rows["scale"].ok is False and "电子秤串口" in rows["scale"].message_zh and "不存在" in rows["scale"].message_zh
    assert rows["display"].ok is False and "不存在" in rows["display"].message_zh


def test_a_running_serial_scanner_reports_its_connection() -> None:
    s = service(scanner="serial:///dev/ttyACM0")
    got = []
    scanner = s.start_scanner(got.append)
    assert isinstance(scanner, FakeScanner) and scanner.url == "serial:///dev/ttyACM0"
    assert {r.kind: r for r in s.status()}["scanner"].message_zh == "扫码枪已连接"
    s.close()
    assert not scanner.running
    assert service().start_scanner(print) is None  # keyboard wedge: nothing to start


def test_test_print_reports_the_printer_status() -> None:
    with FakeNetworkPrinter(answers={1: 0x12, 2: 0x12, 4: 0x1E}) as fake:
        result = service(fake.url).test_print()
        assert result.ok and "测试页已发送" in result.message_zh and "即将用完" in result.message_zh
        assert result.detail["status"]["state"] == "paper_near_end"
        assert fake.jobs and "打印测试页".encode("gb18030") in fake.jobs[0]


def test_a_failed_test_print_says_why_in_chinese() -> None:
    with FakeNetworkPrinter(mode="silent") as fake:
        fake.close()  # nothing listens any more
        result = service(fake.url).test_print()
    assert not result.ok and result.message_zh.startswith("测试页未打印：打印机")
    assert "无法连接" in result.message_zh and result.detail["status"]["state"] == "unreachable"
    broken = DeviceService(DeviceSettings(), fake_ports(), printer=lambda: make_printer("lpt1:"))
    failed = broken.test_print()
    assert not failed.ok and "无法识别的打印机地址" in failed.message_zh
    assert broken.printer_status().state is PrinterState.UNREACHABLE


def test_read_scale_once_and_the_stable_weight() -> None:
    s = service(scale="dummy:?grams=1255")
    assert s.read_scale_once().message_zh == "电子秤读数：1255 克"
    assert s.read_stable_weight() == ScaleReading(1255, stable=True)
    none = service()
    assert none.read_scale_once().message_zh == "未配置电子秤"
    with pytest.raises(DeviceError) as err:
        none.read_stable_weight()
    assert err.value.message_zh == "未配置电子秤"


def test_scale_errors_from_the_port() -> None:
    def denied(settings):  # noqa: ANN001, ANN202
        raise serial.SerialException(13, "could not open port /dev/ttyUSB1: [Errno 13] Permission denied")

    s = DeviceService(DeviceSettings(scale="serial:///dev/ttyUSB1"),
                      fake_ports(make_scale=lambda url: make_scale(url, opener=denied)),
                      printer=lambda: make_printer("dummy:"))
    r = s.read_scale_once()
    assert not r.ok and r.detail["reason"] == "permission" and "dialout" in r.message_zh


def test_the_customer_display_is_a_no_op_when_none_is_fitted() -> None:
    assert isinstance(service().display, NullDisplay)
    assert service().display.show_total(100) is False
    s = service(display="dummy:")
    assert s.display.show_total(10900) and isinstance(s.display, DummyDisplay)
    assert s.display.sent == [b"\x1bs2\x1bQA109.00\r"]
    assert s.test_display().ok and not service().test_display().ok
    bad = service(display="serial:///dev/ttyLX-none?type=led8").test_display()
    assert not bad.ok and bad.detail["reason"] == "port_missing" and "客显串口" in bad.message_zh


def test_the_wedge_detector_uses_the_settings() -> None:
    d = service(wedge_max_gap_ms=45, wedge_min_length=6).wedge_detector()
    assert isinstance(d, WedgeDetector) and (d.max_gap_ms, d.min_length) == (45, 6)


def test_test_drawer_needs_the_same_permission_and_is_journaled(demo_till: Till) -> None:
    who = demo_till.auth.login("cashier1", "1111")
    with pytest.raises(ApprovalRequired):
        demo_till.devices.test_drawer(who)
    result = demo_till.devices.test_drawer(demo_till.auth.login("manager1", "2222"))
    assert result.ok
    with demo_till.db.reader.connect() as c:
        assert c.exec_driver_sql("SELECT COUNT(*) FROM journal WHERE kind='drawer_open'").scalar() == 1


def test_the_till_exposes_the_device_services(demo_till: Till) -> None:
    assert demo_till.devices.settings.printer_url == "dummy:"
    assert demo_till.devices.queue is demo_till.print_queue and demo_till.devices.drawer is demo_till.drawer
    assert [r.kind for r in demo_till.devices.configured()] == ["printer", "scanner", "scale", "display"]


class TestConfig:
    def test_device_keys_in_the_toml_file(self, tmp_path: Path) -> None:
        file = tmp_path / "config.toml"
        file.write_text(
            'printer = "tcp://192.0.2.50:9100"\nprinter_profile = "TM-T88III"\nreceipt_logo = true\n'
            'receipt_codes = "both"\nreceipt_qr = "image"\ncash_drawer = false\n'
            'scanner = "serial:///dev/ttyACM0"\nscale = "serial:///dev/ttyUSB1?protocol=continuous"\n'
            'display = "serial:///dev/ttyUSB2?type=vfd&encoding=ascii"\nwedge_max_gap_ms = 40\nwedge_min_length = 6\n',
            encoding="utf-8")
        cfg = load_config(file, db=tmp_path / "t.db")
        assert (cfg.printer_profile, cfg.receipt_logo, cfg.receipt_codes, cfg.receipt_qr, cfg.cash_drawer) == (
            "TM-T88III", True, "both", "image", False)
        assert cfg.scale.endswith("protocol=continuous") and cfg.wedge_max_gap_ms == 40
        from pos.config import DEFAULT_LOGO, logo_path

        assert logo_path(cfg) == DEFAULT_LOGO and DEFAULT_LOGO.exists()
        settings = DeviceSettings.from_config(cfg)
        assert (settings.scanner, settings.wedge_min_length) == ("serial:///dev/ttyACM0", 6)

    @pytest.mark.parametrize(("key", "value", "zh"), [
        ("printer_profile", '"TM-T99"', "未知的打印机型号配置"),
        ("receipt_codes", '"ean"', "receipt_codes"),
        ("receipt_qr", '"svg"', "receipt_qr"),
        ("cash_drawer", '"yes"', "true 或 false"),
        ("wedge_max_gap_ms", "0", "wedge_max_gap_ms"),
        ("scale", '"serial:///dev/ttyUSB1?protocol=nci"', "电子秤协议"),
        ("display", '"serial:///dev/ttyUSB2?type=lcd"', "客显类型"),
        ("scanner", '"/dev/ttyACM0"', "扫码枪地址"),
    ])
    def test_bad_device_settings_are_refused_at_start_up(self, tmp_path: Path, key: str, value: str, zh: str) -> None:
        file = tmp_path / "config.toml"
        file.write_text(f"{key} = {value}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            load_config(file, db=tmp_path / "t.db")
        assert zh in err.value.message_zh
