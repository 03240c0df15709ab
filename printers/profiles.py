"""Printer profiles: python-escpos's capability database, read without importing python-escpos.

A profile name (``default``, ``TM-T88III``, ``POS-5890``, ``ZJ-5870`` …) is passed through to
python-escpos when a device is opened, and checked here when the printer is made, so a typo
shows at start-up. The few capabilities the receipt depends on are read from the same data:

=================  ======================================================================
``qrCode``         native QR (``GS ( k``); without it the receipt number's QR is an image
``bitImageRaster``  raster images (``GS v 0``): the logo and image QR codes
``paperFullCut``   ``GS V 0`` (else ``GS V 1`` with ``paperPartCut``, else no cut at all)
``pulseStandard``  ``ESC p``: a cash drawer on the printer's drawer port
``media.width``    printable dots (e.g. 512 on a TM-T88III): the widest logo that fits
=================  ======================================================================
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import PrinterConfigError

DEFAULT_PROFILE = "default"


@lru_cache(maxsize=1)
def _capabilities() -> dict:
    spec = importlib.util.find_spec("escpos")  # finds the package without running its code
    if spec is None or not spec.submodule_search_locations:
        return {}
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "capabilities.json"
        if path.exists():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
    return {}


def known_profiles() -> list[str]:
    """Every profile name python-escpos knows, sorted (empty if python-escpos is missing)."""
    return sorted(_capabilities().get("profiles", {}))


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    name: str
    qr_native: bool = True
    raster: bool = True
    full_cut: bool = True
    partial_cut: bool = True
    drawer: bool = True
    width_dots: int | None = None  # None: the profile does not say (python-escpos "Unknown")

    @property
    def cut_supported(self) -> bool:
        return self.full_cut or self.partial_cut


def get_profile(name: str | None) -> PrinterProfile:
    """The named profile's capabilities; PrinterConfigError (with Chinese wording) if unknown."""
    name = (name or DEFAULT_PROFILE).strip() or DEFAULT_PROFILE
    profiles = _capabilities().get("profiles", {})
    if not profiles:
        if name == DEFAULT_PROFILE:  # python-escpos missing: the default capabilities still hold
            return PrinterProfile(name)
        raise PrinterConfigError(
            f"printer profile '{name}' cannot be checked: python-escpos is not installed",
            message_zh=f"无法检查打印机型号配置“{name}”：未安装 python-escpos",
            profile=name,
        )
    data = profiles.get(name)
    if data is None:
        close = [p for p in profiles if p.lower() == name.lower()]
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise PrinterConfigError(
            f"unknown printer profile '{name}'{hint}; known profiles: {', '.join(sorted(profiles))}",
            message_zh=f"未知的打印机型号配置“{name}”，可用：{'，'.join(sorted(profiles))}",
            profile=name,
        )
    features = data.get("features", {})
    pixels = data.get("media", {}).get("width", {}).get("pixels")
    return PrinterProfile(
        name=name,
        qr_native=bool(features.get("qrCode", False)),
        raster=bool(features.get("bitImageRaster", False)),
        full_cut=bool(features.get("paperFullCut", False)),
        partial_cut=bool(features.get("paperPartCut", False)),
        drawer=bool(features.get("pulseStandard", False)),
        width_dots=pixels if isinstance(pixels, int) and pixels > 0 else None,
    )
