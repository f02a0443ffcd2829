"""Export dialog: choose a folder and the articles, watch the export, read what it did.

The export itself is :class:`core.export.SiteExporter`, run off the UI thread by
:func:`ui.jobs.run_job` with its progress and cancel. A cancelled export leaves every
written file complete (the exporter renames each into place and records it), so the next
export continues where this one stopped.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.export import ExportReport, SiteExporter
from dayuan_desktop.core.site import load_site_settings
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.jobs import BackgroundJob, JobContext, run_job


class ExportDialog(QDialog):
    """Exports all published articles, or the selected ones, to a folder.

    ``selected_numbers`` are the numbers of the articles selected in the list; the ones
    not published are skipped and listed as such.
    """

    export_finished = Signal(object)  # the ExportReport of an export that ran to the end

    def __init__(
        self,
        store: Store,
        app_settings: AppSettings,
        selected_numbers: Sequence[int] = (),
        parent: QWidget | None = None,
        *,
        cache_dir: Path | None = None,
    ) -> None:
        """``cache_dir``: where photo renditions are kept between exports (default: the user cache folder)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export the Portal"))
        self._cache_dir = cache_dir
        self._store = store
        self._settings = app_settings
        self._selected = sorted(set(selected_numbers))
        self._published: set[int] | None = None  # numbers of the selected articles that are published
        self._job: BackgroundJob | None = None
        self._last_progress = (0, 0)
        self._close_when_stopped = False
        self.report: ExportReport | None = None
        self._build()
        if self._selected:
            store, wanted = store, set(self._selected)

            def published_among_selected(_context: JobContext) -> set[int]:
                return {row.number for row in store.published_rows() if row.number in wanted and row.channel_path}

            run_job(published_among_selected, name="export: published selection",
                    on_success=self._on_published_known, on_failure=self._on_published_unknown)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Export folder:"), self))
        layout.addLayout(self._folder_row())
        self._add_scope_choice(layout)
        self._add_progress_area(layout)
        layout.addLayout(self._button_row())
        self.resize(560, 320)

    def _folder_row(self) -> QHBoxLayout:
        """The export folder's field and its Choose… button."""
        row = QHBoxLayout()
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setPlaceholderText(self.tr("Choose the folder the site is written to"))
        if self._settings.export_folder is not None:
            self.folder_edit.setText(str(self._settings.export_folder))
        self.choose_button = QPushButton(self.tr("Choose…"), self)
        self.choose_button.clicked.connect(self._choose_folder)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.choose_button)
        return row

    def _add_scope_choice(self, layout: QVBoxLayout) -> None:
        """All published articles or the selected ones, and the note on selected ones skipped."""
        self.all_radio = QRadioButton(self.tr("All published articles (with lists, home page and feeds)"), self)
        self.selected_radio = QRadioButton(
            self.tr("The %n selected article(s) only", "", len(self._selected)), self
        )
        scope = QButtonGroup(self)
        scope.addButton(self.all_radio)
        scope.addButton(self.selected_radio)
        self.selected_radio.setEnabled(bool(self._selected))
        (self.selected_radio if self._selected else self.all_radio).setChecked(True)
        layout.addWidget(self.all_radio)
        layout.addWidget(self.selected_radio)
        self.skipped_label = QLabel(self)
        self.skipped_label.setWordWrap(True)
        self.skipped_label.setVisible(False)
        layout.addWidget(self.skipped_label)

    def _add_progress_area(self, layout: QVBoxLayout) -> None:
        """The progress bar, the status line and the (hidden until needed) details."""
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        layout.addWidget(self.progress_bar)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        layout.addWidget(self.details, 1)

    def _button_row(self) -> QHBoxLayout:
        """Open Folder on the left; Export, Cancel Export and Close on the right."""
        buttons = QHBoxLayout()
        self.open_folder_button = QPushButton(self.tr("Open Folder"), self)
        self.open_folder_button.setEnabled(False)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.export_button = QPushButton(self.tr("Export"), self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton(self.tr("Cancel Export"), self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        for button in (self.export_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        return buttons

    # -- public API --------------------------------------------------------------------------
    def folder(self) -> Path | None:
        """The target folder as typed (None when empty)."""
        text = self.folder_edit.text().strip()
        return Path(text).expanduser() if text else None

    def is_running(self) -> bool:
        """True while an export runs."""
        return self._job is not None

    def start_export(self) -> None:
        """Check the folder, remember it, and start the export in the background."""
        if self._job is not None:
            return
        folder = self.folder()
        problem = self._folder_problem(folder)
        if problem:
            self._show_error(problem)
            return
        only: list[int] | None = None
        if self.selected_radio.isChecked():
            if self._published is None:
                self._show_error(self.tr("Still finding out which selected articles are published; try again."))
                return
            only = [number for number in self._selected if number in self._published]
            if not only:
                self._show_error(self.tr("None of the selected articles is published; nothing to export."))
                return
        self._settings.export_folder = folder
        with contextlib.suppress(OSError):  # remembering the folder is a convenience; the export must still run
            self._settings.save()
        self.report = None
        self._last_progress = (0, 0)
        self.details.clear()
        self.details.setVisible(False)
        self.progress_bar.setRange(0, 0)  # busy until the exporter knows how many files are due
        self._set_status(self.tr("Preparing the export…"))
        self._set_running(True)
        store, cache_dir = self._store, self._cache_dir

        def export(context: JobContext) -> ExportReport:
            exporter = SiteExporter(
                store, load_site_settings(store.db), folder, progress=context.progress, cancel=context.cancel,
                cache_dir=cache_dir,
            )
            return exporter.run(only_numbers=only)

        self._job = run_job(export, name="export", on_success=self._on_done, on_failure=self._on_failed,
                            on_progress=self._on_progress, on_cancelled=self._on_cancelled)

    def cancel_export(self) -> None:
        """Ask a running export to stop; files already written stay complete."""
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self._set_status(self.tr("Cancelling…"))

    def open_folder(self) -> bool:
        """Open the target folder in the file manager."""
        folder = self.folder()
        return folder is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- checks ------------------------------------------------------------------------------
    def _folder_problem(self, folder: Path | None) -> str:
        if folder is None:
            return self.tr("Choose the folder to export to.")
        if folder.exists() and not folder.is_dir():
            return self.tr("{folder} is a file, not a folder.").format(folder=folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # A probe file: permission bits alone do not tell (ACLs, read-only mounts, root).
            handle, probe = tempfile.mkstemp(prefix=".dayuan-probe-", dir=folder)
            os.close(handle)
            os.unlink(probe)
        except OSError as exc:
            return self._cannot_write(folder, exc)
        return ""

    def _cannot_write(self, folder: Path, exc: OSError) -> str:
        return self.tr("Cannot write to {folder}: {reason}. Choose another folder.").format(
            folder=folder, reason=exc.strerror or type(exc).__name__
        )

    # -- job callbacks (UI thread) -----------------------------------------------------------
    def _on_progress(self, done: int, total: int, label: str) -> None:
        self._last_progress = (done, total)
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self._set_status(self.tr("{done} of {total}: {file}").format(done=done, total=total, file=label))

    def _on_done(self, report: ExportReport) -> None:
        self._job_ended()
        self.report = report
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        self._set_status(
            self.tr("Export finished: {written} file(s) written, {unchanged} unchanged, {removed} removed.").format(
                written=len(report.written), unchanged=report.unchanged, removed=len(report.removed)
            )
        )
        lines = []
        skipped = self._skipped_numbers() if self.selected_radio.isChecked() else []
        if skipped:
            lines.append(self.tr("Skipped (not published): {numbers}").format(numbers=_numbers(skipped)))
        lines += [self.tr("Warning: {text}").format(text=warning) for warning in report.warnings]
        lines += [self.tr("Redirect: {old} → {new}").format(old=old, new=new) for old, new in report.redirects]
        lines += report.checks  # pre-publish findings, already in Chinese and naming #number
        lines += [self.tr("Removed: {path}").format(path=path) for path in report.removed]
        lines += [self.tr("Written: {path}").format(path=path) for path in report.written]
        self.details.setPlainText("\n".join(lines))
        self.details.setVisible(bool(lines))
        self.export_finished.emit(report)

    def _on_failed(self, exc: BaseException) -> None:
        self._job_ended()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        folder = self.folder() or Path()
        if isinstance(exc, OSError):
            self._show_error(self._cannot_write(Path(exc.filename) if exc.filename else folder, exc))
        elif isinstance(exc, DayuanError):
            self._show_error(self.tr("The export stopped: {reason}").format(reason=str(exc)))
        else:
            self._show_error(self.tr("The export stopped because of an unexpected error: {reason}").format(
                reason=f"{type(exc).__name__}: {exc}"))

    def _on_cancelled(self) -> None:
        done, total = self._last_progress
        self._job_ended()
        self._set_status(
            self.tr("Export cancelled after {done} of {total} files. The files written are complete; "
                    "the next export continues from there.").format(done=done, total=total)
        )

    def _job_ended(self) -> None:
        self._job = None
        self._set_running(False)
        folder = self.folder()
        self.open_folder_button.setEnabled(folder is not None and folder.is_dir())
        if self._close_when_stopped:  # the user closed the dialog while the export ran
            super().reject()

    # -- selection ---------------------------------------------------------------------------
    def _on_published_known(self, published: set[int]) -> None:
        self._published = published
        skipped = self._skipped_numbers()
        if skipped:
            self.skipped_label.setText(
                self.tr("Not published, will be skipped: {numbers}").format(numbers=_numbers(skipped))
            )
            self.skipped_label.setVisible(True)

    def _on_published_unknown(self, exc: BaseException) -> None:
        self._published = set()
        self._show_error(self.tr("Cannot read the selected articles: {reason}").format(reason=str(exc)))

    def _skipped_numbers(self) -> list[int]:
        published = self._published or set()
        return [number for number in self._selected if number not in published]

    # -- helpers -----------------------------------------------------------------------------
    def _set_running(self, running: bool) -> None:
        for widget in (self.folder_edit, self.choose_button, self.all_radio, self.export_button):
            widget.setEnabled(not running)
        self.selected_radio.setEnabled(not running and bool(self._selected))
        self.cancel_button.setEnabled(running)
        self.open_folder_button.setEnabled(False if running else self.open_folder_button.isEnabled())

    def _show_error(self, message: str) -> None:
        self._set_status(message, error=True)

    def _set_status(self, message: str, *, error: bool = False) -> None:
        self.status_label.setText(message)
        self.status_label.setStyleSheet("color: #b00020;" if error else "")
        self.status_label.setProperty("error", error)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Export Folder"), self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def reject(self) -> None:
        """Close; a running export is cancelled first (the dialog closes once it has stopped)."""
        if self._job is not None:
            self._close_when_stopped = True
            self.cancel_export()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window while exporting cancels the export instead of abandoning it."""
        if self._job is not None:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(number) for number in numbers)
