"""The Qt shell of the till (PySide6 only). Business rules live in ``pos``; widgets stay thin."""
