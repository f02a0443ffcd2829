"""Saving a photo's texts a moment after typing pauses, like the body's autosave, off the UI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from dayuan_desktop.ui.jobs import run_job

PAUSE_MS = 800  # save this long after the last keystroke


class PhotoTextSaver(QObject):
    """Collects a photo's edited texts and writes them (caption, photographer, credit, copyright)."""

    saved = Signal(object)  # the PhotoRecord as stored
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = None
        self._pending: dict[str, dict] = {}
        self._timer = QTimer(self, singleShot=True, interval=PAUSE_MS, timeout=self.save_now)
        self._running = 0
        self._in_flight = threading.Event()
        self._in_flight.set()

    def edited(self, sha256: str, values: dict) -> None:
        """A photo's texts changed: save them after the pause."""
        self._pending[sha256] = dict(values)
        self._timer.start()

    def is_pending(self) -> bool:
        """Are there edits not yet written (or being written)?"""
        return bool(self._pending) or self._running > 0

    def save_now(self) -> None:
        """Write every pending edit now (as jobs)."""
        self._timer.stop()
        store = self.store
        if store is None or self._running:
            return  # one write at a time; what is pending follows when it lands
        pending, self._pending = self._pending, {}
        if not pending:
            return
        self._running = 1

        landed = self._in_flight = threading.Event()

        def work(_context) -> list:
            try:
                return [_write(store, sha, values) for sha, values in pending.items()]
            finally:
                landed.set()

        job = run_job(work, name="photo-text", parent=self, on_success=self._done,
                      on_failure=lambda error: self._failed(str(error)))
        job.finished.connect(self._landed)

    def flush(self) -> None:
        """Write pending edits synchronously (before the window closes or the store changes)."""
        self._timer.stop()
        self._in_flight.wait(10.0)  # an older write still running must not land after the newer one
        store, pending, self._pending = self.store, self._pending, {}
        if store is None:
            return
        for sha, values in pending.items():
            self.saved.emit(_write(store, sha, values))

    def _done(self, records: list) -> None:
        self._running = 0
        for record in records:
            self.saved.emit(record)

    def _failed(self, message: str) -> None:
        self._running = 0
        self.failed.emit(message)

    def _landed(self) -> None:
        self._running = 0
        if self._pending and not self._timer.isActive():
            self.save_now()


def _write(store, sha256: str, values: dict):
    store.photos.set_photo_text(sha256, caption=values["caption"].strip(), photographer=values["photographer"].strip())
    return store.photos.set_photo_rights(sha256, credit=values["credit"].strip(), copyright=values["copyright"].strip())
