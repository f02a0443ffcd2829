"""解决冲突…: a conflict copy beside the newsroom's article, and three ways to settle it.

Keep the newsroom's, keep mine, or save a text merged by hand (prefilled with a paragraph merge
that keeps both sides where they differ). The pair is read and every outcome written off the UI
thread (:mod:`dayuan_desktop.core.sync.resolve` does the work); the copy always goes to the trash.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.core.secrets import mask_secrets
from dayuan_desktop.ui.history.comparison import ComparisonView
from dayuan_desktop.ui.jobs import run_job

_FIELDS = ("title", "subtitle", "author", "source", "summary", "body")


def _fields(record) -> dict:
    values = {name: getattr(record, name) for name in _FIELDS}
    values["tags"] = list(record.tags)
    return values


class ResolveConflictDialog(QDialog):
    """The newsroom's article on the left, the conflict copy on the right; ``resolved(original_id)`` when settled."""

    resolved = Signal(int)

    def __init__(self, store, copy_id: int, zone, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Resolve conflict"))
        self.store = store
        self.pair = None
        self.explanation = QLabel(self.tr("Reading both versions…"), self)
        self.explanation.setWordWrap(True)
        self.comparison = ComparisonView(self, zone=zone)
        self.comparison.set_titles(self.tr("The newsroom's version"), self.tr("The conflict copy (mine)"))
        self.merge_edit = QPlainTextEdit(self)
        self.merge_edit.setObjectName("mergeEdit")
        merge_box = QWidget(self)
        merge_layout = QVBoxLayout(merge_box)
        merge_layout.setContentsMargins(0, 0, 0, 0)
        merge_layout.addWidget(QLabel(self.tr("Merge by hand: the body to save (where both changed, the "
                                              "newsroom's paragraphs come first, then mine):"), merge_box,
                                      wordWrap=True))
        merge_layout.addWidget(self.merge_edit, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.comparison)
        splitter.addWidget(merge_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.problem_label = QLabel(self)
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setVisible(False)
        self.keep_newsroom_button = QPushButton(self.tr("Keep the newsroom's"), self)
        self.keep_mine_button = QPushButton(self.tr("Keep mine"), self)
        self.save_merge_button = QPushButton(self.tr("Save the merge"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        for button in self.choice_buttons:
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setAutoDefault(False)  # Enter settles nothing: each outcome is a deliberate click
            button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        self.keep_newsroom_button.clicked.connect(lambda: self._settle("keep_newsroom"))
        self.keep_mine_button.clicked.connect(lambda: self._settle("keep_mine"))
        self.save_merge_button.clicked.connect(lambda: self._settle("keep_merged"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)
        self.resize(980, 640)  # fits a 1366×768 screen with title bar and taskbar
        self.copy_id = copy_id
        self._start_read()

    def _start_read(self) -> None:
        copy_id = self.copy_id
        self._job = run_job(lambda _context: self._read(copy_id), name="conflict copy: read", parent=self,
                            on_success=self._fill, on_failure=self._show_problem)

    @property
    def choice_buttons(self) -> tuple[QPushButton, ...]:
        """The three outcomes, enabled once both versions are shown."""
        return self.keep_newsroom_button, self.keep_mine_button, self.save_merge_button

    def _read(self, copy_id: int):
        from dayuan_desktop.core.sync.resolve import conflict_pair, suggested_merge

        pair = conflict_pair(self.store, copy_id)
        return pair, suggested_merge(pair.original.body, pair.copy.body)

    def _fill(self, result) -> None:
        self.pair, suggestion = result
        original = self.pair.original
        self.explanation.setText(self.tr("“%1” was changed in the newsroom and on this side in the same place. "
                                         "Nothing is lost: the copy you do not keep goes to the trash.")
                                 .replace("%1", original.title))
        self.comparison.compare(_fields(original), _fields(self.pair.copy))
        self.merge_edit.setPlainText(suggestion)
        for button in self.choice_buttons:
            button.setEnabled(True)

    def _settle(self, outcome: str) -> None:
        from dayuan_desktop.core.sync import resolve

        pair, body = self.pair, self.merge_edit.toPlainText()
        store = self.store
        work: Callable = {
            "keep_newsroom": lambda _c: resolve.keep_newsroom(store, pair),
            "keep_mine": lambda _c: resolve.keep_mine(store, pair),
            "keep_merged": lambda _c: resolve.keep_merged(store, pair, body),
        }[outcome]
        for button in self.choice_buttons:
            button.setEnabled(False)
        self._job = run_job(work, name=f"conflict copy: {outcome}", parent=self,
                            on_success=self._done, on_failure=self._settle_failed)

    def _settle_failed(self, exc: BaseException) -> None:
        # Most often the original was saved meanwhile: say so, then show both as they are now.
        self._show_problem(exc)
        for button in self.choice_buttons:
            button.setEnabled(False)
        self._start_read()

    def _done(self, original) -> None:
        self.resolved.emit(original.id)
        self.accept()

    def _show_problem(self, exc: BaseException) -> None:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        self.problem_label.setText(self.tr("Not settled: %1").replace("%1", mask_secrets(text)))
        self.problem_label.setVisible(True)
        for button in self.choice_buttons:
            button.setEnabled(self.pair is not None)
