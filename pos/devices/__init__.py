"""Serial devices (pyserial adapters): scanner, scale, customer display, and port listing.

Protocols themselves (bytes <-> readings, key timing) are pure and live in
``pos.domain.devices``; this package opens ports, runs threads and explains failures.
"""

from __future__ import annotations

from .display import BackgroundDisplay, DummyDisplay, SerialDisplay, make_display
from .errors import DeviceConfigError, DeviceError
from .scale import DummyScale, SerialScale, make_scale
from .scanner import SerialScanner
from .serialport import SerialPortInfo, SerialSettings, list_serial_ports, open_serial, parse_serial_url

__all__ = [
    "BackgroundDisplay",
    "DeviceConfigError",
    "DeviceError",
    "DummyDisplay",
    "DummyScale",
    "SerialDisplay",
    "SerialPortInfo",
    "SerialScale",
    "SerialScanner",
    "SerialSettings",
    "list_serial_ports",
    "make_display",
    "make_scale",
    "open_serial",
    "parse_serial_url",
]
