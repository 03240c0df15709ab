"""Printers chosen by URL: files, memory, a real TCP socket, a pseudo-terminal as serial port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from escpos_reader import decode
from sample_receipts import maoxian_sale

from printers import (
    SCHEMES,
    PrinterConfigError,
    PrinterError,
    PrinterUnavailable,
    PrinterWriteError,
    encode_receipt,
    make_printer,
    render_text,
)
from printers import transports as transports_module

RECEIPT_NO = "MX01-20261122-0042"


class TestFilePrinter:
    def test_writes_the_exact_bytes_and_the_text_into_a_new_folder(self, tmp_path: Path) -> None:
        folder = tmp_path / "var" / "receipts"
        printer = make_printer(f"file:{folder}", columns=32)
        outcome = printer.print_receipt(maoxian_sale())
        bin_path = folder / f"{RECEIPT_NO}.bin"
        assert outcome.destination == str(bin_path)
        assert bin_path.read_bytes() == encode_receipt(maoxian_sale(), columns=32)
        assert outcome.byte_count == bin_path.stat().st_size
        assert (folder / f"{RECEIPT_NO}.txt").read_text("utf-8") == render_text(maoxian_sale(), 32)
        assert sorted(p.name for p in folder.iterdir()) == [f"{RECEIPT_NO}.bin", f"{RECEIPT_NO}.txt"]

    def test_a_reprint_gets_its_own_files_and_the_original_stays(self, tmp_path: Path) -> None:
        printer = make_printer(f"file://{tmp_path}", columns=48)
        printer.print_receipt(maoxian_sale())
        original = (tmp_path / f"{RECEIPT_NO}.bin").read_bytes()
        first = printer.print_receipt(maoxian_sale(reprint=True))
        second = printer.print_receipt(maoxian_sale(reprint=True))
        assert Path(first.destination).name == f"{RECEIPT_NO}-reprint-1.bin"
        assert Path(second.destination).name == f"{RECEIPT_NO}-reprint-2.bin"
        assert (tmp_path / f"{RECEIPT_NO}.bin").read_bytes() == original
        assert "重印" in (tmp_path / f"{RECEIPT_NO}-reprint-1.txt").read_text("utf-8")
        assert "重印" not in (tmp_path / f"{RECEIPT_NO}.txt").read_text("utf-8")

    def test_a_failed_write_leaves_no_half_written_bin_nor_temp_files(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_replace = os.replace

        def disk_full_for_bin(src: str, dst: os.PathLike[str] | str) -> None:
            if str(dst).endswith(".bin"):
                raise OSError(28, "No space left on device")
            real_replace(src, dst)

        monkeypatch.setattr(transports_module.os, "replace", disk_full_for_bin)
        printer = make_printer(f"file:{tmp_path}", columns=32)
        with pytest.raises(PrinterWriteError, match="No space left on device") as err:
            printer.print_receipt(maoxian_sale())
        assert f"{RECEIPT_NO}.bin" in err.value.message_zh
        assert list(tmp_path.iterdir()) == []

    def test_a_folder_that_cannot_be_made_is_reported(self, tmp_path: Path) -> None:
        blocker = tmp_path / "receipts"
        blocker.write_text("not a folder")
        with pytest.raises(PrinterUnavailable, match="cannot create the folder"):
            make_printer(f"file:{blocker / 'sub'}").print_receipt(maoxian_sale())

    def test_raw_bytes_are_stored_under_a_safe_name(self, tmp_path: Path) -> None:
        outcome = make_printer(f"file:{tmp_path}").send_raw(b"\x1b@hello\n", "../self test")
        assert Path(outcome.destination) == tmp_path / "_self_test.bin"
        assert Path(outcome.destination).read_bytes() == b"\x1b@hello\n"

    def test_file_needs_a_folder(self) -> None:
        with pytest.raises(PrinterConfigError, match="give a folder"):
            make_printer("file:")


class TestDummyPrinter:
    def test_collects_jobs_in_memory(self) -> None:
        printer = make_printer("dummy:", columns=32)
        outcome = printer.print_receipt(maoxian_sale(), drawer_kick=True)
        printer.send_raw(b"\x1b@", "reset")
        assert [job.name for job in printer.jobs] == [RECEIPT_NO, "reset"]
        assert printer.jobs[0].data == encode_receipt(maoxian_sale(), columns=32, drawer_kick=True)
        assert outcome.byte_count == len(printer.jobs[0].data)
        assert decode(printer.jobs[0].data, 32).text == printer.jobs[0].text

    def test_opening_the_drawer_alone(self) -> None:
        printer = make_printer("dummy:")
        printer.open_drawer()
        assert printer.jobs[0].data == b"\x1b\x70\x00\x32\x32"


class _OneShotServer:
    """A TCP 'printer' on 127.0.0.1 that accepts one connection and keeps what it receives."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            chunks = []
            while chunk := conn.recv(4096):
                chunks.append(chunk)
        self.received = b"".join(chunks)
        self.sock.close()


def _closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


class TestNetworkPrinter:
    def test_a_printer_on_a_local_socket_receives_exactly_the_bytes(self) -> None:
        server = _OneShotServer()
        # status=0: no DLE EOT questions around the job (tests/printers/test_printer_status.py)
        url = f"tcp://127.0.0.1:{server.port}?status=0"
        outcome = make_printer(url, columns=48).print_receipt(maoxian_sale())
        server.thread.join(timeout=5)
        assert server.received == encode_receipt(maoxian_sale(), columns=48)
        assert (outcome.destination, outcome.byte_count) == (url, len(server.received))

    def test_a_closed_port_fails_quickly_with_a_plain_message(self) -> None:
        url = f"tcp://127.0.0.1:{_closed_port()}"
        printer = make_printer(url)
        started = time.monotonic()
        with pytest.raises(PrinterUnavailable) as err:
            printer.print_receipt(maoxian_sale())
        assert time.monotonic() - started < 5
        assert str(err.value) == (
            f"printer {url} cannot be reached (connection refused: is it switched on and is the address right?)"
        )
        assert err.value.message_zh.startswith(f"打印机 {url} 无法连接")
        assert isinstance(err.value, PrinterError)

    def test_the_port_defaults_to_9100_and_must_be_a_number(self) -> None:
        assert make_printer("tcp://192.0.2.1").url == "tcp://192.0.2.1"
        with pytest.raises(PrinterConfigError, match="port must be a number"):
            make_printer("tcp://127.0.0.1:printer")
        with pytest.raises(PrinterConfigError, match="timeout"):
            make_printer("tcp://127.0.0.1:9100?timeout=soon")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
class TestSerialPrinter:
    def test_bytes_arrive_on_the_other_end_of_the_line(self) -> None:
        master, slave = os.openpty()
        try:
            url = f"serial://{os.ttyname(slave)}?baudrate=9600"
            data = encode_receipt(maoxian_sale(), columns=32)
            make_printer(url, columns=32).print_receipt(maoxian_sale())
            received = b""
            while len(received) < len(data):
                received += os.read(master, 65536)
            assert received == data
        finally:
            os.close(master)
            os.close(slave)

    def test_a_missing_port_names_the_device(self) -> None:
        url = "serial:///dev/ttyUSB-nonexistent?baudrate=9600"
        with pytest.raises(PrinterUnavailable) as err:
            make_printer(url).send_raw(b"x", "x")
        assert err.value.message_zh.startswith(f"打印机 {url} 无法连接")

    def test_baudrate_must_be_a_number(self) -> None:
        with pytest.raises(PrinterConfigError, match="baudrate"):
            make_printer("serial:///dev/ttyUSB0?baudrate=fast")


class TestUnavailableKinds:
    def test_an_unknown_scheme_lists_the_ones_there_are(self) -> None:
        with pytest.raises(PrinterConfigError) as err:
            make_printer("lpt1:")
        for scheme in SCHEMES:
            assert scheme in str(err.value)
        assert "无法识别的打印机地址" in err.value.message_zh

    def test_usb_ids_are_hex(self) -> None:
        with pytest.raises(PrinterConfigError, match="hex"):
            make_printer("usb://printer")

    def test_usb_without_pyusb_says_so(self) -> None:
        pytest.importorskip("escpos.printer")
        from escpos.printer import Usb

        if Usb.is_usable():
            pytest.skip("pyusb is installed here")
        with pytest.raises(PrinterUnavailable, match="needs the pyusb package") as err:
            make_printer("usb://0416:5011")
        assert "未安装 pyusb" in err.value.message_zh

    def test_cups_without_pycups_says_so(self) -> None:
        from escpos.printer import CupsPrinter

        if CupsPrinter.is_usable():
            pytest.skip("pycups is installed here")
        with pytest.raises(PrinterUnavailable, match="needs the pycups package"):
            make_printer("cups:XP-58")

    @pytest.mark.skipif(sys.platform == "win32", reason="only off Windows")
    def test_win32_off_windows_says_so(self) -> None:
        with pytest.raises(PrinterUnavailable, match="only on Windows") as err:
            make_printer("win32:XP-80C Receipt")
        assert "只能在 Windows 上使用" in err.value.message_zh

    def test_settings_are_checked_when_the_printer_is_made(self) -> None:
        with pytest.raises(PrinterConfigError, match="gb18030 or gbk"):
            make_printer("dummy:", encoding="utf-8")
        with pytest.raises(PrinterConfigError, match="columns"):
            make_printer("dummy:", columns=80 * 6)


def test_printers_imports_only_the_domain_and_loads_python_escpos_lazily() -> None:
    probe = (
        "import sys, printers; printers.make_printer('dummy:');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ui', 'escpos', 'PySide6')"
        " or m.startswith(('pos.store', 'pos.services'))))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
