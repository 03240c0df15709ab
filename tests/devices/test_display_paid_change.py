"""The customer sees what they paid, then their change — even when both arrive at once."""

from pos.devices.display import BackgroundDisplay, DummyDisplay


def test_paid_is_shown_before_change_even_when_posted_together() -> None:
    dummy = DummyDisplay()
    display = BackgroundDisplay(dummy)
    display.PAID_HOLD_S = 0.01
    display._busy = True  # noqa: SLF001 - the writer thread is busy, so both posts wait together
    try:
        display.show_total(16_600)
        display.show_paid(20_000)
        display.show_change(3_400)
    finally:
        with display._cond:  # noqa: SLF001
            display._busy = False
            display._cond.notify_all()
    assert display.wait_idle(3)
    shown = b"".join(dummy.sent)
    assert b"200.00" in shown and b"34.00" in shown and shown.index(b"200.00") < shown.index(b"34.00")
    assert b"166.00" not in shown  # an old total is still dropped for the newer picture
    display.close()
