"""Article → Revision history: every revision with who, when and why; compare; restore as a new revision.

Reading the history and comparing run as jobs (a newsroom article can have hundreds of
revisions on a remote server). Restoring writes the chosen revision back through the store's
optimistic version check: a window that is behind gets a conflict, never an overwrite, and
history is never deleted (the restore is itself a new ``restore`` revision).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.core.errors import ConflictError
from dayuan_desktop.core.revision_compare import values_as_snapshot
from dayuan_desktop.core.revision_history import group_history, previous_revision
from dayuan_desktop.ui.history.comparison import ComparisonView
from dayuan_desktop.ui.history.model import HistoryModel
from dayuan_desktop.ui.jobs import run_job

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from dayuan_desktop.core.records import ArticleRecord, RevisionRecord
    from dayuan_desktop.ui.main_window import MainWindow


class HistoryDialog(QDialog):
    """The revisions of one article, a comparison of the chosen one, and Restore."""

    loaded = Signal()
    restored = Signal(object)  # the ArticleRecord as restored
    restoreRefused = Signal(str)

    def __init__(self, store, article_id: int, expected_version: int, zone: ZoneInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Revision history"))
        self.setObjectName("historyDialog")
        self._store, self._article_id, self._version, self._zone = store, article_id, expected_version, zone
        self._revisions: list[RevisionRecord] = []
        self._current: dict = {}
        self.model = HistoryModel(zone, self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.selectionModel().currentRowChanged.connect(lambda *_: self._compare())
        self.comparison = ComparisonView(self, zone=zone)
        self.status = QLabel(self.tr("Reading the history…"), self)
        self.status.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("Restore this version"), self)
        self.restore_button.setEnabled(False)
        self.restore_button.setAutoDefault(False)  # Enter in the list must not restore anything
        self.restore_button.clicked.connect(self.restore_selected)
        self._lay_out()
        self._reload()

    def _lay_out(self) -> None:
        self.vs_current = QRadioButton(self.tr("Compare with the current text"), self)
        self.vs_previous = QRadioButton(self.tr("Compare with the revision before it"), self)
        self.vs_current.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.vs_current)
        group.addButton(self.vs_previous)
        group.buttonToggled.connect(lambda _button, checked: checked and self._compare())
        choices = QHBoxLayout()
        choices.addWidget(self.vs_current)
        choices.addWidget(self.vs_previous)
        choices.addStretch(1)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(choices)
        column.addWidget(self.comparison, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 770])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry()  # a 1366×768 laptop gets a dialog that fits
        self.resize(min(1100, int(screen.width() * 0.9)), min(720, int(screen.height() * 0.85)))

    # -- reading ------------------------------------------------------------------------------------
    def _reload(self, select_id: int | None = None) -> None:
        store, article_id = self._store, self._article_id
        run_job(lambda _context: (store.list_revisions(article_id), store.get_article(article_id)),
                name="read-history", parent=self, on_success=lambda result: self._loaded(result, select_id),
                on_failure=lambda error: self.status.setText(str(error)))

    def _loaded(self, result: tuple[list[RevisionRecord], ArticleRecord], select_id: int | None) -> None:
        self._revisions, current = result
        self._current = values_as_snapshot(current.editable_values())
        self._current["photos"] = [link.photo.sha256 for link in current.photos]
        self.model.set_entries(group_history(self._revisions))
        self.status.setText(self.tr("%n revision(s)", "", len(self._revisions)))
        row = next((i for i in range(self.model.rowCount()) if self.model.entry(i).newest.id == select_id), 0)
        if self.model.rowCount():
            self.tree.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        for column in range(self.model.columnCount()):
            self.tree.resizeColumnToContents(column)
        self.loaded.emit()

    # -- comparing ----------------------------------------------------------------------------------
    def selected_revision(self) -> RevisionRecord | None:
        """The revision of the current row (a session row: its newest autosave)."""
        return self.model.revision(self.tree.currentIndex())

    def _compare(self) -> None:
        revision = self.selected_revision()
        self.restore_button.setEnabled(revision is not None)
        if revision is None:
            self.comparison.clear()
            return
        if self.vs_current.isChecked():
            self.comparison.set_titles(self.describe(revision), self.tr("Current text"))
            self.comparison.compare(revision.snapshot, self._current)
            return
        index = self.tree.currentIndex()
        entry = self.model.entry(index.row()) if not index.parent().isValid() else None
        oldest = entry.oldest if entry is not None else revision  # a session: what the whole session changed
        before = previous_revision(self._revisions, oldest.id)
        self.comparison.set_titles(self.describe(before) if before else self.tr("(nothing before)"),
                                   self.describe(revision))
        self.comparison.compare(before.snapshot if before else {}, revision.snapshot)

    def describe(self, revision: RevisionRecord) -> str:
        """A revision in one line: when, who, why."""
        when = revision.created_at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M:%S")
        return f"{when} · {revision.created_by or '?'} · {self.model.kind_text(revision.kind)}"

    # -- restoring ----------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        """Write the chosen revision back as a new revision (refused when the window is behind)."""
        revision = self.selected_revision()
        if revision is None:
            return
        store, version = self._store, self._version
        self.restore_button.setEnabled(False)
        self.status.setText(self.tr("Restoring…"))
        run_job(lambda _context: store.restore_revision(revision.id, expected_version=version),
                name="restore-revision", parent=self, on_success=self._restored, on_failure=self._refused)

    def _restored(self, record: ArticleRecord) -> None:
        self._version = record.version
        self.restored.emit(record)
        self._reload()
        self.status.setText(self.tr("Restored as a new revision; the history keeps every earlier one."))

    def _refused(self, error: BaseException) -> None:
        self.restore_button.setEnabled(True)
        if isinstance(error, ConflictError):
            when = error.saved_at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M:%S")
            text = self.tr("Not restored: %1 saved this article at %2, after you opened it. Nothing was "
                           "overwritten; open the article again to see their version.")
            text = text.replace("%1", error.saved_by or "?").replace("%2", when)
        else:
            text = self.tr("Not restored: %1").replace("%1", str(error))
        self.status.setText(text)
        self.restoreRefused.emit(text)


def show_history(window: MainWindow) -> HistoryDialog | None:
    """Open the history of the window's article (its edits saved first); a restore reloads the editor."""
    article_id = window.editor.article_id if window.is_built else None
    if window.store is None or article_id is None or not window.session.flush():
        return None
    record = window.session.record
    dialog = HistoryDialog(window.store, article_id, record.version, window.zone, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def reload(restored: ArticleRecord) -> None:
        window.article_list.refresh(select_id=restored.id)
        window.open_article(restored.id, again=True)

    dialog.restored.connect(reload)
    dialog.open()  # window-modal without a nested event loop: jobs and tests run on
    return dialog
