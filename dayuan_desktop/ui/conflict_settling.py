"""What the window does once the editor has answered the conflict dialog (ui.conflict_dialog)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from dayuan_desktop.ui.conflict_dialog import ConflictChoice, ask_conflict_choice

if TYPE_CHECKING:
    from dayuan_desktop.ui.main_window import MainWindow


def ask_and_settle(window: MainWindow, error, mine: dict) -> None:
    """Show both versions of the conflicting save; settle the article as the editor chooses."""
    ask_conflict_choice(window, window.store, error, mine, window.zone, window.editor.values,
                        lambda choice, current, problem: settle(window, choice, current, problem))


def settle(window: MainWindow, choice, current, problem: str) -> None:
    """Apply the choice: mine saved over theirs, or theirs shown (with mine as a new draft for *both*)."""
    if current is None:  # the saved version could not be read: nothing settled, mine is in the revisions
        window.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "The conflict is not settled: %1").replace("%1", problem))
        return
    if choice == ConflictChoice.KEEP_MINE:
        window.session.settle_conflict(current, keep_mine=True)
        return
    if choice == ConflictChoice.KEEP_BOTH:
        window.article_list.refresh(select_id=current.id)  # my version is a new draft beside it
    window.session.settle_conflict(current, keep_mine=False)
    window.editor.set_article(current)
    window.refresh_after_settling(current)
