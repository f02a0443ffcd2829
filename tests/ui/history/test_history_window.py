"""Article → Revision history in the real window: restore reaches the editor; a stale window is refused."""

from __future__ import annotations

from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.history.dialog import HistoryDialog
from dayuan_desktop.ui.history.model import HistoryModel
from tests.ui.conftest import type_text


def _edit_title_and_save(qtbot, window, title: str) -> None:
    field = window.editor.form.title
    field.selectAll()
    type_text(field, title)
    with qtbot.waitSignal(window.session.saved, timeout=10_000):
        window.save_action.trigger()


def _open_history(qtbot, window) -> HistoryDialog:
    window.history_action.trigger()
    dialog = window.history_dialog
    assert isinstance(dialog, HistoryDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.comparison.comparison is not None, timeout=10_000)
    return dialog


def _select_oldest(qtbot, dialog) -> None:
    oldest = dialog.model.index(dialog.model.rowCount() - 1, 0)
    if dialog.tree.currentIndex() != oldest:
        with qtbot.waitSignal(dialog.comparison.shown, timeout=10_000):
            dialog.tree.setCurrentIndex(oldest)


def test_restore_from_the_menu_puts_the_old_version_in_the_editor(qtbot, open_window):
    window = open_window
    article_id = window.editor.article_id
    original = window.editor.form.title.text()
    _edit_title_and_save(qtbot, window, "改过的标题")
    assert window.history_action in window.article_menu.actions()
    dialog = _open_history(qtbot, window)
    assert dialog.model.index(0, HistoryModel.WHY).data() == "Saved"
    _select_oldest(qtbot, dialog)
    assert "改过的标题" in dialog.comparison.browser.toPlainText()  # the current text, beside the old one
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: window.editor.form.title.text() == original, timeout=10_000)
    assert [r.kind for r in window.store.list_revisions(article_id)][:2] == ["restore", "save"]
    qtbot.wait(1500)  # the reload must not autosave anything over the restore
    assert window.store.list_revisions(article_id)[0].kind == "restore"
    assert window.save_label.text() == "Saved"
    dialog.close()


def test_a_stale_window_restoring_gets_a_conflict_and_the_colleagues_text_stays(qtbot, open_window):
    window = open_window
    article_id = window.editor.article_id
    dialog = _open_history(qtbot, window)
    colleague = Store(window.store.db, user_name="colleague")
    current = colleague.get_article(article_id)
    colleague.update_article(article_id, {"title": "同事的标题"}, expected_version=current.version)
    _select_oldest(qtbot, dialog)
    with qtbot.waitSignal(dialog.restoreRefused, timeout=10_000):
        dialog.restore_button.click()
    assert "colleague" in dialog.status.text()
    assert window.store.get_article(article_id).title == "同事的标题"
    dialog.close()
