"""Shown when someone saved the article after it was opened: both versions, three choices.

The saved version is read off the UI thread (a slow or distant database must not hold the
window): the dialog opens at once saying so, and fills in when the read is done.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.ui.history.comparison import ComparisonView
from dayuan_desktop.ui.jobs import run_job


class ConflictChoice(StrEnum):
    """What the editor decided."""

    KEEP_MINE = "mine"  # my version becomes the article; theirs stays in the revisions
    KEEP_THEIRS = "theirs"  # their version stays; mine stays in the revisions
    KEEP_BOTH = "both"  # theirs stays; mine becomes a new draft article


class ConflictDialog(QDialog):
    """Side by side: the version in the database and my unsaved one."""

    def __init__(
        self, theirs: dict | None, mine: dict, saved_by: str, saved_at: str, parent: QWidget | None = None
    ) -> None:
        """``theirs`` None: the saved version is still being read (:meth:`fill_in` shows it later;
        ``mine`` then holds my changed fields only, put over theirs once it is there)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Someone else saved this article"))
        self.choice = ConflictChoice.KEEP_THEIRS
        self.explanation = explanation = QLabel(
            self.tr("%1 saved this article at %2, after you opened it. Nothing is lost: "
                    "choose which version to keep, or keep both.").replace("%1", saved_by or "?").replace("%2", saved_at),
            self,
        )
        explanation.setWordWrap(True)
        # The same character-level comparison as the history: theirs on the left, mine on the right.
        self.comparison = ComparisonView(self)
        self.comparison.set_titles(self.tr("In the database"), self.tr("Yours (unsaved)"))
        self.comparison.browser.setPlainText(self.tr("Reading the saved version…"))
        self._mine = mine
        buttons = QDialogButtonBox(self)
        self.keep_mine_button = QPushButton(self.tr("Keep mine"), self)
        self.keep_theirs_button = QPushButton(self.tr("Keep theirs"), self)
        self.keep_both_button = QPushButton(self.tr("Keep both"), self)
        for button, choice in (
            (self.keep_mine_button, ConflictChoice.KEEP_MINE),
            (self.keep_theirs_button, ConflictChoice.KEEP_THEIRS),
            (self.keep_both_button, ConflictChoice.KEEP_BOTH),
        ):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.comparison, 1)
        layout.addWidget(buttons)
        self.resize(900, 560)
        self.loaded = False  # until both versions are shown, there is nothing to choose between
        for button in (self.keep_mine_button, self.keep_theirs_button, self.keep_both_button):
            button.setEnabled(False)
        if theirs is not None:
            self._fill(theirs, mine)

    def fill_in(self, theirs: dict) -> None:
        """Show the saved version (read off the UI thread) beside mine; the choices become available."""
        self._fill(theirs, {**theirs, **self._mine})

    def show_read_error(self, reason: str) -> None:
        """The saved version cannot be read: say why (closing leaves the conflict to settle later)."""
        self.comparison.browser.setPlainText(
            self.tr("The saved version cannot be read: {reason}").format(reason=reason))

    def _fill(self, theirs: dict, mine: dict) -> None:
        self.comparison.compare(theirs, {name: mine.get(name) for name in theirs})
        for button in (self.keep_mine_button, self.keep_theirs_button, self.keep_both_button):
            button.setEnabled(True)
        self.loaded = True

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:
        # Closing without choosing keeps theirs: the safe default, mine is in the revisions anyway.
        self.choice = ConflictChoice.KEEP_THEIRS
        super().reject()


def ask_conflict_choice(
    parent: QWidget, store, error, mine: dict, zone, my_values,
    settle: Callable[[ConflictChoice, object | None, str], None],
) -> None:
    """Show both versions of the article ``error`` (a save conflict) names and ask which to keep.

    ``mine``: my unsaved fields; ``my_values()``: every field of the form. The saved version is
    read on a pool thread while the dialog is already open. Once the dialog is closed and the
    read is done, ``settle(choice, current, problem)`` is called with the article as stored now
    (None, and why in ``problem``, when it could not be read). With *keep both*, my version is
    first stored as a new draft, off the UI thread (None and why, when it could not be). Closing
    the dialog, even before the read is done, keeps theirs.
    """
    when = error.saved_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")  # site time, as the list
    dialog = ConflictDialog(None, mine, error.saved_by, when, parent)
    read: dict = {}

    def fill_in(current) -> None:
        read["current"] = current
        if shiboken6.isValid(dialog):  # gone when closed before the read (and its parent too)
            dialog.fill_in({"title": current.title, "subtitle": current.subtitle, "summary": current.summary,
                            "body": current.body})

    def failed(exc: BaseException) -> None:
        read["problem"] = _reason(exc)
        if shiboken6.isValid(dialog):
            dialog.show_read_error(read["problem"])

    # The dialog's own event loop delivers the read; the window never waits for the database.
    job = run_job(lambda _context: store.get_article(error.article_id), name="conflict: read the saved version",
                  on_success=fill_in, on_failure=failed)
    dialog.exec()
    choice = dialog.choice

    def finish() -> None:
        current = read.get("current")
        if current is not None and choice == ConflictChoice.KEEP_BOTH:
            copy = {k: v for k, v in my_values().items() if k not in ("number", "status")}
            # The window's string (its translation context), as before this moved here.
            copy["title"] = copy.get("title", "") + QCoreApplication.translate("MainWindow", " (my version)")
            # Written on a pool thread too; settled once my copy is stored. Should that fail, nothing is
            # settled: the editor keeps my version (and the revisions have it), the reason is said.
            run_job(lambda _context: store.create_article(status="draft", **copy), name="conflict: keep both",
                    on_success=lambda _copy: settle(choice, current, ""),
                    on_failure=lambda exc: settle(choice, None, _reason(exc)))
            return
        settle(choice, current, read.get("problem", ""))

    if job.is_running:  # closed before the saved version arrived: settled when it does
        job.finished.connect(finish)
    else:
        finish()



def _reason(exc: BaseException) -> str:
    """The first line of an error, for the dialog and the status bar."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
