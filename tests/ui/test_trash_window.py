"""The trash in the window: a trashed article opens read-only with a restore banner; Empty trash
asks, naming how many articles go, then purges them (their photos stay in the library)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import opened_window, type_text


@pytest.fixture
def backend_window(qtbot, tmp_path, database_url):
    """The real window, first run, on a fresh database of each backend (SQLite file, PostgreSQL server)."""
    yield from opened_window(qtbot, tmp_path / "home", database_url, timeout=30_000)


def _show_trash(qtbot, window) -> None:
    panel = window.article_list
    panel.channel_view.setCurrentIndex(panel.channel_model.index(panel.channel_model.rowCount() - 1, 0))
    qtbot.waitUntil(lambda: panel.showing_trash and not panel.model.is_loading, timeout=10_000)


def _trash_the_sample(qtbot, window) -> int:
    sample = window.editor.article_id
    qtbot.waitUntil(lambda: window.article_list.current_id() == sample, timeout=10_000)
    window.article_list.trash_action.trigger()
    qtbot.waitUntil(lambda: window.store.get_article(sample).deleted_at is not None, timeout=10_000)
    _show_trash(qtbot, window)
    qtbot.waitUntil(lambda: window.article_list.model.rowCount() == 1, timeout=10_000)
    window.article_list.select_article(sample)
    qtbot.waitUntil(lambda: window.editor.article_id == sample, timeout=10_000)
    return sample


def test_an_article_opened_from_the_trash_is_read_only_until_restored(qtbot, backend_window):
    window = backend_window
    sample = _trash_the_sample(qtbot, window)
    editor, form = window.editor, window.editor.form
    assert editor.trash_banner.isVisible() and "trash" in editor.trash_banner.label.text()
    assert form.title.isReadOnly() and form.summary.isReadOnly() and editor.body.text_edit().isReadOnly()
    assert not form.status.isEnabled() and not form.channel.isEnabled() and not form.published_at.isEnabled()
    assert not window.photo_area.isEnabled()  # no adding, removing or captioning photos either
    assert not editor.body.action("bold").isEnabled()
    title = form.title.text()
    for field in (form.title, editor.body.text_edit()):
        _key_in(field, "不该写进去")
    editor.body.action("bold").trigger()  # disabled: does nothing
    assert form.title.text() == title and "不该写进去" not in editor.body.markdown()
    assert window.save_label.text() == "Saved"
    # Restore: the article comes back, editable, and a later edit saves without a conflict.
    editor.trash_banner.restore_button.click()
    qtbot.waitUntil(lambda: window.store.get_article(sample).deleted_at is None, timeout=10_000)
    qtbot.waitUntil(lambda: not form.title.isReadOnly() and not editor.trash_banner.isVisible(), timeout=10_000)
    assert window.photo_area.isEnabled() and form.status.isEnabled() and editor.body.action("bold").isEnabled()
    form.title.end(False)
    type_text(form.title, "（恢复后）")
    window.save_action.trigger()
    qtbot.waitUntil(lambda: window.store.get_article(sample).title.endswith("（恢复后）"), timeout=10_000)
    qtbot.waitUntil(lambda: window.save_label.text() == "Saved", timeout=10_000)  # no conflict


def _key_in(widget, text: str) -> None:
    """Type as a keyboard does, one key event per character (what a read-only field must refuse)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    widget.setFocus()
    for character in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, character))


def _answer_empty_trash(button_role) -> dict:
    seen: dict = {}

    def poke() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, poke)
            return
        seen["text"] = box.text()
        seen["default"] = box.buttonRole(box.defaultButton())
        chosen = next(b for b in box.buttons() if box.buttonRole(b) == button_role)
        chosen.click()

    QTimer.singleShot(50, poke)
    return seen


def test_empty_trash_names_the_count_then_purges_and_keeps_the_photos(qtbot, backend_window):
    window = backend_window
    store = window.store
    sample = _trash_the_sample(qtbot, window)
    photo = store.get_article(sample).photos[0].photo.sha256
    for title in ("旧稿甲", "旧稿乙"):
        store.trash_article(store.create_article(title=title, body="正文").id)
    kept = store.create_article(title="在用的稿件", body="正文").id
    # Cancel first: nothing goes.
    seen = _answer_empty_trash(QMessageBox.ButtonRole.RejectRole)
    window.empty_trash()
    qtbot.waitUntil(lambda: "text" in seen, timeout=10_000)
    assert "3 article" in seen["text"] and "photo library" in seen["text"]
    assert seen["default"] == QMessageBox.ButtonRole.RejectRole  # Enter alone cancels
    qtbot.wait(200)
    assert store.get_article(sample).deleted_at is not None
    # Then from the Article menu, for real.
    seen = _answer_empty_trash(QMessageBox.ButtonRole.DestructiveRole)
    assert window.article_list.empty_trash_action in window.article_menu.actions()
    window.article_list.empty_trash_action.trigger()
    qtbot.waitUntil(lambda: "3 article(s) deleted" in window.statusBar().currentMessage(), timeout=10_000)
    from dayuan_desktop.core.trash import trashed_ids

    assert trashed_ids(store) == []
    assert store.get_article(kept).title == "在用的稿件"
    assert store.photos.get_photo(photo).sha256 == photo  # the sample's photo stays in the library
    assert window.editor.article_id is None  # the purged article is no longer shown
    qtbot.waitUntil(lambda: window.article_list.model.rowCount() == 0, timeout=10_000)


def test_the_trash_has_its_own_menu_with_empty_trash(qtbot, open_window):
    window = open_window
    panel = window.article_list
    _show_trash(qtbot, window)
    trash = panel.channel_model.index(panel.channel_model.rowCount() - 1, 0)
    seen: list = []

    def read_menu() -> None:
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(50, read_menu)
            return
        seen.extend(menu.actions())
        menu.close()

    QTimer.singleShot(50, read_menu)
    panel._show_channel_menu(panel.channel_view.visualRect(trash).center())
    assert panel.empty_trash_action in seen


def test_a_live_refresh_racing_the_switch_to_the_trash_leaves_no_row_current_and_unopened(qtbot, backend_window):
    """A colleague's change (or our own, noticed at once on PostgreSQL) refetches the list just as the
    editor switches to the trash; choosing the trashed article there must still open it."""
    window = backend_window
    panel = window.article_list
    sample = window.editor.article_id
    qtbot.waitUntil(lambda: panel.current_id() == sample, timeout=10_000)
    panel.trash_action.trigger()
    qtbot.waitUntil(lambda: window.store.get_article(sample).deleted_at is not None, timeout=10_000)
    qtbot.waitUntil(lambda: window.editor.article_id is None, timeout=10_000)
    # The stale list still has the sample as its current row when both fetches go out.
    panel.channel_view.setCurrentIndex(panel.channel_model.index_of_kind("trash"))
    panel.refresh_live()
    qtbot.waitUntil(lambda: panel.showing_trash and not panel.model.is_loading, timeout=10_000)
    assert panel.model.rowCount() == 1
    panel.select_article(sample)
    qtbot.waitUntil(lambda: window.editor.article_id == sample, timeout=10_000)
    assert window.editor.trash_banner.isVisible()
    # Same row, current but not shown (the editor moved on): a click opens it.
    window.editor.clear()
    panel.table.clicked.emit(panel.model.index(panel.model.row_of(sample), 1))
    qtbot.waitUntil(lambda: window.editor.article_id == sample, timeout=10_000)


def test_a_channel_refetch_keeps_the_conflict_copies_chosen(qtbot, open_window):
    panel = open_window.article_list
    panel.channel_view.setCurrentIndex(panel.channel_model.index_of_kind("conflicts"))
    qtbot.waitUntil(lambda: panel.model.list_filter.conflicts and not panel.model.is_loading, timeout=10_000)
    panel.set_channels(open_window.store.list_channels())  # what a colleague's channel edit brings
    assert panel.channel_view.currentIndex().data() == "Conflict copies"
    assert panel.model.list_filter.conflicts
