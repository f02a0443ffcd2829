"""The search index rebuilt in the background after a format upgrade, with a notice on the list.

When the opened database's index is out of date (``Workspace.index_pending``), the window is
usable at once: :func:`~dayuan_desktop.core.search.background.build_in_steps` runs as a job,
saves made meanwhile keep the index being built (see ``core.search.building``), searches scan
every article (exact, slower), and the list shows a notice until the new index is in place.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from dayuan_desktop.ui.jobs import BackgroundJob, run_job

log = logging.getLogger(__name__)


class IndexRebuild(QObject):
    """Runs the background build for one store and shows ``notice`` above the list meanwhile."""

    finished = Signal(bool)  # True: the new index is in place

    def __init__(self, store, list_panel: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.notice = QLabel(self.tr("The search index is being rebuilt: results come from a look "
                                     "through every article and may be slow"), list_panel)
        self.notice.setObjectName("indexRebuildNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel { background: #fff4ce; color: #5c4400; padding: 3px 6px; }")
        self.notice.hide()
        # Above the table, in the list's right-hand column (search field, table, count).
        column = list_panel.table.parentWidget().layout()
        column.insertWidget(column.indexOf(list_panel.table), self.notice)
        self.job: BackgroundJob | None = None

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self) -> None:
        """Show the notice and start the build (once)."""
        from dayuan_desktop.core.search.background import build_in_steps

        if self.job is not None:
            return
        self.notice.show()
        store = self.store

        def work(context) -> bool:
            return build_in_steps(store.db, store.search_index, progress=context.progress,
                                  stop=lambda: context.cancelled)

        self.job = run_job(work, name="search index", parent=self, on_success=self._done,
                           on_failure=self._failed, on_progress=self._progressed,
                           on_cancelled=lambda: self._end(False))
        app = QCoreApplication.instance()
        if app is not None:  # quitting: stop between batches; the next open resumes the build
            app.aboutToQuit.connect(self.job.cancel)

    def _progressed(self, done: int, total: int, _label: str) -> None:
        self.notice.setToolTip(self.tr("%1 of %2 articles indexed").replace("%1", f"{done:,}").replace("%2", f"{total:,}"))

    def _done(self, swapped: bool) -> None:
        stopped = not swapped and self.job is not None and self.job.context.cancelled
        log.info("background search-index rebuild %s", "stopped" if stopped else "done")
        self._end(not stopped)

    def _failed(self, error: BaseException) -> None:
        # Searches keep scanning (still exact); the next open tries again.
        log.error("background search-index rebuild failed: %s", error, exc_info=error)
        self._end(False)

    def _end(self, ready: bool) -> None:
        self.job = None
        if ready:
            self.notice.hide()
        self.finished.emit(ready)


def start_if_pending(window, workspace) -> IndexRebuild | None:
    """Start the background build when the opened workspace needs one (the window's list shows the notice)."""
    if not workspace.index_pending:
        return None
    rebuild = IndexRebuild(workspace.store, window.article_list, window)
    rebuild.start()
    return rebuild
