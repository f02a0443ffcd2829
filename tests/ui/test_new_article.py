"""Ctrl+N: the new article opens with the cursor in its title and stays visible (and selected)
in the list whatever search or filter is in force."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import type_text


def _search(qtbot, window, text: str, rows: int) -> None:
    panel = window.article_list
    panel.search_field.setText(text)
    qtbot.waitUntil(lambda: panel.model.list_filter.search_text == text and not panel.model.is_loading
                    and panel.model.rowCount() == rows, timeout=10_000)


def _ctrl_n(qtbot, window) -> int:
    before = window.editor.article_id
    window.activateWindow()
    qtbot.keyClick(window.article_list.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor.article_id not in (None, before), timeout=10_000)
    return window.editor.article_id


def test_ctrl_n_under_a_search_shows_and_selects_the_new_article_with_the_cursor_in_its_title(qtbot, open_window):
    window = open_window
    panel = window.article_list
    _search(qtbot, window, "钢铁长城", rows=1)
    new_id = _ctrl_n(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor.form.title, timeout=5_000)
    qtbot.waitUntil(lambda: not panel.model.is_loading, timeout=10_000)
    assert panel.search_field.text() == "钢铁长城"  # the search is still in force …
    assert panel.model.row_of(new_id) is not None  # … and the new draft (which matches nothing) shows
    assert panel.current_id() == new_id and panel.selected_ids() == [new_id]
    type_text(window.editor.form.title, "新稿件")  # typed straight away, no click needed
    assert window.store.get_article(new_id).title in ("", "新稿件")
    assert panel.model.summary(panel.model.row_of(new_id)).title == "新稿件"
    panel.refresh()  # a refresh (after a save, a restore…) keeps it
    qtbot.waitUntil(lambda: not panel.model.is_loading, timeout=10_000)
    assert panel.model.row_of(new_id) is not None and panel.model.rowCount() == 2
    _search(qtbot, window, "完全不存在的词语", rows=0)  # a new search by the user lets it go


def test_ctrl_n_under_a_status_filter_keeps_the_new_draft_in_view(qtbot, open_window):
    window = open_window
    panel = window.article_list
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("published"))
    qtbot.waitUntil(lambda: panel.model.list_filter.status == "published" and not panel.model.is_loading,
                    timeout=10_000)
    new_id = _ctrl_n(qtbot, window)
    qtbot.waitUntil(lambda: not panel.model.is_loading, timeout=10_000)
    assert panel.model.row_of(new_id) == 0 and panel.current_id() == new_id
    assert window.store.get_article(new_id).status == "draft"


def test_ctrl_n_in_the_trash_shows_all_articles_with_the_new_one(qtbot, open_window):
    window = open_window
    panel = window.article_list
    trash = panel.channel_model.index(panel.channel_model.rowCount() - 1, 0)
    panel.channel_view.setCurrentIndex(trash)
    qtbot.waitUntil(lambda: panel.showing_trash and not panel.model.is_loading, timeout=10_000)
    new_id = _ctrl_n(qtbot, window)
    qtbot.waitUntil(lambda: not panel.showing_trash and panel.model.row_of(new_id) is not None, timeout=10_000)
    assert panel.current_id() == new_id
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor.form.title, timeout=5_000)
