"""File → 与编辑部同步: sync with the newsroom's database off the UI thread, with progress and cancel.

The target comes from Preferences (:mod:`dayuan_desktop.ui.sync_target`). Opening the other
database and every exchange run in a :class:`~dayuan_desktop.ui.jobs.BackgroundJob`; a cancel
stops before the next article (each article is exchanged in its own transactions, so what was
done stays done and the next sync carries on). The summary names each number clash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from dayuan_desktop.core.secrets import mask_secrets
from dayuan_desktop.ui.jobs import BackgroundJob, JobContext, run_job
from dayuan_desktop.ui.sync_target import ask_sync_password, load_sync_target

if TYPE_CHECKING:
    from dayuan_desktop.ui.main_window import MainWindow


class SyncRunner(QObject):
    """Runs one sync at a time for the window and shows its progress and summary."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job: BackgroundJob | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.summary_box: QMessageBox | None = None
        self.last_summary = None  # the SyncSummary of the last completed sync (tests, the status bar)

    def start(self) -> None:
        """Sync with the newsroom database set in Preferences (asks for a password no keyring keeps)."""
        window = self.window
        if window.store is None or (self.job is not None and self.job.is_running):
            return
        stored = load_sync_target(window.app_settings)
        if not stored.target:
            self._tell(self.tr("No newsroom database is set. Enter it in Preferences → Sync first."),
                       QMessageBox.Icon.Information)
            return
        target = stored.target
        if stored.password_missing:
            target = ask_sync_password(stored.target, window)
            if target is None:
                return
        window.session.flush()  # what the editor shows is sent too
        store, backup_dir = window.store, window.settings.backup_dir
        self._show_progress()

        def work(context: JobContext):
            from dayuan_desktop.core.sync.engine import sync_stores
            from dayuan_desktop.core.sync.peer import open_peer

            other = open_peer(target, user_name=store.user_name, backup_dir=backup_dir)
            try:
                return sync_stores(store, other, progress=context.progress, cancel=context.cancel)
            finally:
                other.db.dispose()

        self.job = run_job(work, name="sync", parent=self, on_success=self._succeeded,
                           on_failure=self._failed, on_progress=self._progressed, on_cancelled=self._cancelled)

    def cancel(self) -> None:
        """Stop before the next article; what was exchanged stays exchanged."""
        if self.job is not None and self.job.is_running:
            self.job.cancel()
            if self.progress_dialog is not None:
                self.progress_dialog.setLabelText(self.tr("Stopping after the current article…"))

    def _show_progress(self) -> None:
        dialog = QProgressDialog(self.tr("Connecting to the newsroom database…"), self.tr("Cancel"), 0, 0,
                                 self.window)
        dialog.setWindowTitle(self.tr("Sync with the newsroom"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setMinimumWidth(420)
        dialog.show()
        self.progress_dialog = dialog

    def _progressed(self, done: int, total: int, _label: str) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        dialog.setLabelText(self.tr("Articles: %1 of %2").replace("%1", str(done)).replace("%2", str(total)))
        dialog.setMaximum(max(total, 1))
        # Last: a modal QProgressDialog's setValue runs the event loop, which may deliver the end of
        # the sync and close this dialog (only deleted later, so the reference stays good).
        dialog.setValue(done if total else 1)

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self.cancel)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _succeeded(self, summary) -> None:
        self._close_progress()
        self.last_summary = summary
        self._refresh()
        text = self.summary_text(summary)
        self.window.statusBar().showMessage(text.splitlines()[0], 10000)
        self._tell(text, QMessageBox.Icon.Information)

    def summary_text(self, summary) -> str:
        """The counts, then each number clash, then where conflict copies are found."""
        lines = [self.tr("%1 sent, %2 received, %3 merged, %4 conflicts")
                 .replace("%1", str(summary.sent)).replace("%2", str(summary.received))
                 .replace("%3", str(summary.merged)).replace("%4", str(summary.conflicts))]
        if summary.photos_sent or summary.photos_received:
            lines.append(self.tr("Photos: %1 sent, %2 received").replace("%1", str(summary.photos_sent))
                         .replace("%2", str(summary.photos_received)))
        for clash in summary.clashes:
            lines.append(self.tr("Number clash: %1").replace("%1", mask_secrets(clash)))
        if summary.conflicts:
            lines.append(self.tr("Conflict copies are listed under “Conflict copies”; "
                                 "choose one and Article → Resolve conflict…"))
        if summary.skipped:
            lines.append(self.tr("%1 article(s) saved during the sync are left for the next sync")
                         .replace("%1", str(summary.skipped)))
        return "\n".join(lines)

    def _failed(self, exc: BaseException) -> None:
        self._close_progress()
        reason = mask_secrets(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        self._tell(self.tr("The sync failed: %1").replace("%1", reason), QMessageBox.Icon.Warning)
        self._refresh()  # articles exchanged before the failure are complete: show them

    def _cancelled(self) -> None:
        self._close_progress()
        self.window.statusBar().showMessage(
            self.tr("Sync cancelled; articles exchanged so far are complete. The next sync carries on."), 10000)
        self._refresh()

    def _refresh(self) -> None:
        window = self.window
        window.article_list.refresh(select_id=window.article_list.current_id())
        window.article_list.set_channels(window.store.list_channels())  # channels come from the newsroom
        if window.editor.article_id is not None:
            window.open_article(window.editor.article_id, again=True)

    def _tell(self, text: str, icon: QMessageBox.Icon) -> None:
        box = QMessageBox(icon, self.tr("Sync with the newsroom"), text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("syncSummary")
        box.open()  # not exec(): the window keeps running (and tests can read it)
        self.summary_box = box
