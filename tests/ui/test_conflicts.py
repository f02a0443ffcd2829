"""Someone else saves the open article: the dialog shows both versions and nothing is lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.conflict_dialog import ConflictDialog
from tests.ui.conftest import type_text


def _answer_conflict_with(button_name: str, seen: dict) -> None:
    def click() -> None:
        dialog = QApplication.activeModalWidget()
        if (not isinstance(dialog, ConflictDialog) or not dialog.loaded  # the saved version is read first
                or dialog.comparison.comparison is None):  # then compared off the UI thread
            QTimer.singleShot(50, click)
            return
        [title] = [c for c in dialog.comparison.comparison.fields if c.name == "title"]
        seen["theirs"], seen["mine"] = title.old, title.new
        seen["shown"] = dialog.comparison.browser.toPlainText()
        getattr(dialog, button_name).click()

    QTimer.singleShot(50, click)


def _colleague_saves(window, title: str) -> None:
    colleague = Store(window.store.db, user_name="colleague")
    current = colleague.get_article(window.editor.article_id)
    colleague.update_article(current.id, {"title": title}, expected_version=current.version)


@pytest.mark.parametrize(("button", "expected_title", "copies"), [
    ("keep_mine_button", "我的标题", 0),
    ("keep_theirs_button", "同事的标题", 0),
    ("keep_both_button", "同事的标题", 1),
])
def test_conflict_choices_keep_every_version(qtbot, open_window, button, expected_title, copies):
    window = open_window
    article_id = window.editor.article_id
    _colleague_saves(window, "同事的标题")
    seen: dict = {}
    _answer_conflict_with(button, seen)
    title = window.editor.form.title
    title.selectAll()
    type_text(title, "我的标题")
    qtbot.waitUntil(lambda: "theirs" in seen, timeout=10_000)
    assert seen["theirs"] == "同事的标题" and seen["mine"] == "我的标题"
    assert "同事的标题" in seen["shown"] and "我的标题" in seen["shown"]  # side by side, characters marked
    qtbot.waitUntil(lambda: window.store.get_article(article_id).title == expected_title, timeout=10_000)
    qtbot.wait(1500)  # any autosave that would follow has happened
    store = window.store
    assert store.get_article(article_id).title == expected_title
    assert window.editor.form.title.text() == expected_title
    kept = [r for r in store.list_revisions(article_id) if r.kind == "conflict"]
    assert kept, "the losing edit is kept as a revision"
    mine_copies = [a for a in store.list_articles().items if a.title.startswith("我的标题") and a.id != article_id]
    assert len(mine_copies) == copies
    assert window.save_label.text() == "Saved"
