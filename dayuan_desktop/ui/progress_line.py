"""A progress line in the status bar that goes away by itself without wiping other messages."""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar


class ProgressLine:
    """Shows a job's progress text; an empty text clears it, but only while it is still the one shown
    (a notice that arrived meanwhile, such as a paste's "left out" line, stays)."""

    def __init__(self, bar: QStatusBar) -> None:
        self._bar = bar
        self._shown = ""

    def show(self, text: str) -> None:
        """Show ``text``; "" means the job is done."""
        if text:
            self._shown = text
            self._bar.showMessage(text)
        elif self._bar.currentMessage() == self._shown:
            self._bar.clearMessage()
