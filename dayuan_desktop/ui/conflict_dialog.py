"""Shown when someone saved the article after it was opened: both versions, three choices."""

from __future__ import annotations

from enum import StrEnum

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


class ConflictChoice(StrEnum):
    """What the editor decided."""

    KEEP_MINE = "mine"  # my version becomes the article; theirs stays in the revisions
    KEEP_THEIRS = "theirs"  # their version stays; mine stays in the revisions
    KEEP_BOTH = "both"  # theirs stays; mine becomes a new draft article


class ConflictDialog(QDialog):
    """Side by side: the version in the database and my unsaved one."""

    def __init__(self, theirs: dict, mine: dict, saved_by: str, saved_at: str, parent: QWidget | None = None) -> None:
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
        self.comparison.compare(theirs, {name: mine.get(name) for name in theirs})
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

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:
        # Closing without choosing keeps theirs: the safe default, mine is in the revisions anyway.
        self.choice = ConflictChoice.KEEP_THEIRS
        super().reject()


def ask_conflict_choice(parent: QWidget, store, error, mine: dict, zone, my_values) -> tuple[ConflictChoice, object]:
    """Show both versions of the article ``error`` (a save conflict) names and ask which to keep.

    ``mine``: my unsaved fields; ``my_values()``: every field of the form. With *keep both*, my
    version is stored at once as a new draft. Returns the choice and the article as stored now.
    """
    current = store.get_article(error.article_id)
    theirs = {"title": current.title, "subtitle": current.subtitle, "summary": current.summary,
              "body": current.body}
    when = error.saved_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")  # site time, as the list
    dialog = ConflictDialog(theirs, {**theirs, **mine}, error.saved_by, when, parent)
    dialog.exec()
    if dialog.choice == ConflictChoice.KEEP_BOTH:
        copy = {k: v for k, v in my_values().items() if k not in ("number", "status")}
        # The window's string (its translation context), as before this moved here.
        copy["title"] = copy.get("title", "") + QCoreApplication.translate("MainWindow", " (my version)")
        store.create_article(status="draft", **copy)
    return dialog.choice, current

