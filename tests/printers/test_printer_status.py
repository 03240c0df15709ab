"""Printer status (DLE EOT 1/2/4) decoded, and read from network and serial printers that
answer, stay silent or are not ready — never READY without an answer."""

from __future__ import annotations

import os
import threading
import time

import pytest
from fake_printers import READY, FakeNetworkPrinter
from sample_receipts import plain_sale

from printers import PrinterNotReady, PrinterState, encode_receipt, make_printer
from printers.status import decode_status, is_status_byte, status_query

URL = "tcp://printer"


class TestDecoding:
    @pytest.mark.parametrize(("answers", "state"), [
        ({1: 0x12, 2: 0x12, 4: 0x12}, PrinterState.READY),
        ({1: 0x1A, 2: 0x12, 4: 0x12}, PrinterState.OFFLINE),  # 0x08 offline
        ({1: 0x12, 2: 0x12, 4: 0x1E}, PrinterState.PAPER_NEAR_END),  # 0x0C near end
        ({1: 0x1A, 2: 0x32, 4: 0x72}, PrinterState.PAPER_OUT),  # 0x60 out, 0x20 stopped at paper end
        ({1: 0x12, 2: 0x12, 4: 0x72}, PrinterState.PAPER_OUT),
        ({1: 0x1A, 2: 0x16, 4: 0x12}, PrinterState.COVER_OPEN),  # 0x04 cover open
        ({1: 0x1A, 2: 0x52, 4: 0x12}, PrinterState.ERROR),  # 0x40 error
        ({1: None}, PrinterState.UNKNOWN),  # no answer
        ({1: 0xFF, 2: 0x12, 4: 0x12}, PrinterState.UNKNOWN),  # not a status byte
        ({}, PrinterState.UNKNOWN),
    ])
    def test_states(self, answers: dict[int, int | None], state: PrinterState) -> None:
        status = decode_status(URL, answers)
        assert status.state is state
        assert status.message_zh.startswith(f"打印机 {URL} ")
        assert status.ok == (state in (PrinterState.READY, PrinterState.PAPER_NEAR_END))

    def test_without_an_answer_it_is_never_ready(self) -> None:
        for b in range(256):
            status = decode_status(URL, {1: b})
            if not is_status_byte(b):
                assert status.state is PrinterState.UNKNOWN and not status.ok and not status.answered

    def test_a_partial_answer_says_what_it_knows(self) -> None:
        status = decode_status(URL, {1: 0x12, 2: None, 4: 0x1E})
        assert status.state is PrinterState.PAPER_NEAR_END and status.cover_open is None
        assert "即将用完" in status.message_zh

    def test_query_bytes(self) -> None:
        assert [status_query(n) for n in (1, 2, 4)] == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"]


class TestNetworkPrinterStatus:
    def test_a_ready_printer_answers_and_confirms_the_job(self) -> None:
        with FakeNetworkPrinter() as fake:
            printer = make_printer(fake.url, columns=48)
            status = printer.status()
            assert status.state is PrinterState.READY and status.answered
            outcome = printer.print_receipt(plain_sale())
            data = encode_receipt(plain_sale(), columns=48)
            assert fake.wait_for_bytes(len(data)) == data  # exactly the receipt, the questions aside
            assert outcome.confirmed is True and outcome.status.state is PrinterState.READY
            assert fake.queries == [1, 2, 4, 1, 2, 4, 1, 4]  # status(); before the job; after it

    @pytest.mark.parametrize(("answers", "state", "zh"), [
        ({**READY, 1: 0x1A}, PrinterState.OFFLINE, "脱机"),
        ({1: 0x1A, 2: 0x32, 4: 0x72}, PrinterState.PAPER_OUT, "缺纸"),
        ({1: 0x1A, 2: 0x16, 4: 0x12}, PrinterState.COVER_OPEN, "纸仓盖"),
    ])
    def test_a_printer_that_cannot_print_gets_no_job(self, answers: dict[int, int], state: PrinterState,
                                                      zh: str) -> None:
        with FakeNetworkPrinter(answers=answers) as fake:
            printer = make_printer(fake.url)
            assert printer.status().state is state
            with pytest.raises(PrinterNotReady) as err:
                printer.print_receipt(plain_sale())
            assert err.value.status.state is state and zh in err.value.message_zh
            assert "未发送" in err.value.message_zh
            time.sleep(0.05)
            assert fake.jobs == []

    def test_paper_out_with_a_cash_sale_still_opens_the_drawer_in_real_time(self) -> None:
        with FakeNetworkPrinter(answers={1: 0x1A, 2: 0x32, 4: 0x72}) as fake:
            with pytest.raises(PrinterNotReady):
                make_printer(fake.url).print_receipt(plain_sale(), drawer_kick=True)
            assert fake.wait_for_bytes(5) == b"\x10\x14\x01\x00\x01"  # DLE DC4 1 0 1, no receipt

    def test_paper_near_end_prints_and_says_so(self) -> None:
        with FakeNetworkPrinter(answers={**READY, 4: 0x1E}) as fake:
            printer = make_printer(fake.url)
            assert printer.status().state is PrinterState.PAPER_NEAR_END
            outcome = printer.print_receipt(plain_sale())
            assert outcome.status.state is PrinterState.PAPER_NEAR_END and outcome.confirmed
            data = encode_receipt(plain_sale(), columns=48)
            assert fake.wait_for_bytes(len(data)) == data
            assert "即将用完" in outcome.status.message_zh

    def test_a_printer_that_never_answers_is_unknown_within_a_bounded_time(self) -> None:
        with FakeNetworkPrinter(mode="silent") as fake:
            printer = make_printer(fake.url)
            started = time.monotonic()
            status = printer.status()
            assert time.monotonic() - started < 2.5
            assert status.state is PrinterState.UNKNOWN and not status.ok
            assert "没有回应" in status.message_zh
            # It still gets its receipt (as before status checks existed), just unconfirmed;
            # the next job no longer waits for an answer that does not come.
            outcome = printer.print_receipt(plain_sale())
            started = time.monotonic()
            printer.print_receipt(plain_sale())
            assert time.monotonic() - started < 0.5
            assert outcome.confirmed is None

    def test_a_closed_port_is_unreachable_not_unknown(self) -> None:
        import socket

        with socket.create_server(("127.0.0.1", 0)) as s:
            port = s.getsockname()[1]
        status = make_printer(f"tcp://127.0.0.1:{port}").status()
        assert status.state is PrinterState.UNREACHABLE and "无法连接" in status.message_zh

    def test_status_checks_can_be_turned_off(self) -> None:
        with FakeNetworkPrinter() as fake:
            make_printer(f"{fake.url}?status=0").print_receipt(plain_sale())
            fake.wait_for_bytes(100)
            time.sleep(0.05)
            assert fake.queries == []


class TestOtherTransports:
    def test_dummy_printer_simulates_states(self) -> None:
        printer = make_printer("dummy:?state=paper_out")
        assert printer.status().state is PrinterState.PAPER_OUT
        with pytest.raises(PrinterNotReady):
            printer.print_receipt(plain_sale())
        printer.transport.state = PrinterState.READY
        printer.print_receipt(plain_sale())
        assert len(printer.jobs) == 1
        assert make_printer("dummy:?fail=1").status().state is PrinterState.UNREACHABLE

    def test_a_file_printer_is_ready_when_its_folder_is_writable(self, tmp_path) -> None:  # noqa: ANN001
        assert make_printer(f"file:{tmp_path / 'new'}").status().state is PrinterState.READY
        blocker = tmp_path / "file"
        blocker.write_text("x")
        assert make_printer(f"file:{blocker / 'sub'}").status().state is PrinterState.UNREACHABLE

    @pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
    def test_a_serial_printer_answers_on_its_line(self) -> None:
        master, slave = os.openpty()
        stop = threading.Event()

        def printer_side() -> None:
            while not stop.is_set():
                data = os.read(master, 64)
                for i in range(len(data) - 2):
                    if data[i:i + 2] == b"\x10\x04":
                        os.write(master, bytes([{1: 0x12, 2: 0x12, 4: 0x1E}[data[i + 2]]]))

        t = threading.Thread(target=printer_side, daemon=True)
        t.start()
        try:
            status = make_printer(f"serial://{os.ttyname(slave)}?baudrate=9600&status=1").status()
            assert status.state is PrinterState.PAPER_NEAR_END
        finally:
            stop.set()
            os.write(slave, b"\x00")  # wake the reader
            t.join(1)
            os.close(master)
            os.close(slave)
