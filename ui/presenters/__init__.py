"""Qt-free decision objects of the till's screens (STYLE.md "Screens that only draw").

A presenter holds what a screen decides that is not drawing — what a scan does while a dialog is
open, what to retry after an approval, when payment may start, when to lock — and is unit-tested
without Qt. The widget forwards keys and events to it and draws what it says. Nothing here
imports PySide6 (tests/ui/presenters checks).
"""
