"""Empty trash: count the trash, ask (naming how many articles go), purge off the UI thread.

Counting and purging both run as jobs: on a newsroom server either can take longer than the
UI thread may wait. Exactly the articles counted are purged (see ``core.trash``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from dayuan_desktop.ui.jobs import run_job

if TYPE_CHECKING:
    from dayuan_desktop.ui.main_window import MainWindow


class EmptyTrash(QObject):
    """Runs Empty trash for the window; ``message`` carries what the status bar should say."""

    purged = Signal(object)  # the PurgeOutcome
    message = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._busy = False
        self.message.connect(lambda text: window.statusBar().showMessage(text, 10000))
        self.purged.connect(lambda _outcome: window.article_list.refresh())

    def start(self, store) -> None:
        """Count the trash, ask, and purge (the open article first closes if it is among them)."""
        if store is None or self._busy:
            return
        from dayuan_desktop.core.trash import trashed_ids

        self._busy = True
        run_job(lambda _context: trashed_ids(store), name="count-trash", parent=self,
                on_success=lambda ids: self._confirm(store, ids, self._close_purged), on_failure=self._failed)

    def _close_purged(self, ids: list[int]) -> None:
        window = self._window
        if window.editor.article_id in ids:  # an open trashed article goes: show nothing
            window.session.close()
            window.editor.clear()
            window.photo_area.set_article(None)

    def confirmation_text(self, count: int) -> str:
        """The question asked before purging ``count`` articles."""
        return self.tr("Delete the %n article(s) in the trash for good? Their revisions go with them; "
                       "their photos stay in the photo library. This cannot be undone.", "", count)

    def _confirm(self, store, ids: list[int], before_purge: Callable[[list[int]], None]) -> None:
        if not ids:
            self._busy = False
            self.message.emit(self.tr("The trash is empty."))
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Empty trash"), self.confirmation_text(len(ids)),
                          QMessageBox.StandardButton.Cancel, self._window)
        box.setObjectName("emptyTrashConfirmation")
        purge = box.addButton(self.tr("Delete %n article(s)", "", len(ids)), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter alone never deletes
        box.exec()
        if box.clickedButton() is not purge:
            self._busy = False
            return
        before_purge(ids)
        from dayuan_desktop.core.trash import purge_trashed

        self.message.emit(self.tr("Emptying the trash…"))
        run_job(lambda context: purge_trashed(store, ids, progress=context.progress,
                                              cancelled=lambda: context.cancelled),
                name="empty-trash", parent=self, on_success=self._done, on_failure=self._failed)

    def _done(self, outcome) -> None:
        self._busy = False
        text = self.tr("%n article(s) deleted for good.", "", outcome.purged)
        if outcome.skipped:
            text += " " + self.tr("%n skipped: restored or deleted by someone else meanwhile.", "", outcome.skipped)
        self.message.emit(text)
        self.purged.emit(outcome)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.message.emit(self.tr("The trash could not be emptied: %1").replace("%1", str(error)))
