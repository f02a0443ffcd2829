"""解决冲突…: the conflict copy beside the newsroom's article, and its three outcomes; in the window the
list shows conflict copies alone and Article → Resolve conflict… opens the dialog."""

from __future__ import annotations

from datetime import UTC

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.engine import sync_stores
from dayuan_desktop.core.sync.scope import SyncScope
from dayuan_desktop.ui.resolve_dialog import ResolveConflictDialog

BODY = "第一段：县城的早晨。\n\n第二段：集市开张。\n\n第三段：记者手记。\n"


def _edit(store, uuid, **changes):
    article = store.get_article(uuid)
    store.update_article(article.id, changes, expected_version=article.version)


def make_conflict(here: Store, tmp_path) -> tuple[str, str]:
    """``here`` is the newsroom; a laptop changes the same paragraph; returns (original uuid, copy uuid)."""
    laptop = Store(open_database(tmp_path / "laptop.sqlite3"), user_name="zhang")
    laptop.ensure_search_index()
    try:
        article = here.create_article(title="两边都改", author="记者 zhang", body=BODY)
        sync_stores(laptop, here, scope=SyncScope(user="zhang"))
        _edit(laptop, article.uuid, body=BODY.replace("集市开张", "本机的改法"), title="本机标题")
        _edit(here, article.uuid, body=BODY.replace("集市开张", "编辑部的改法"))
        [(original, copy)] = sync_stores(laptop, here, scope=SyncScope(user="zhang")).conflict_copies
    finally:
        laptop.db.dispose()
    # The laptop's side keeps the original; on the newsroom the copy is the laptop's version.
    return original, copy


def _open_dialog(qtbot, store, copy_uuid) -> ResolveConflictDialog:
    dialog = ResolveConflictDialog(store, store.get_article(copy_uuid).id, UTC)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.keep_mine_button.isEnabled(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.comparison.comparison is not None, timeout=10_000)
    return dialog


@pytest.mark.parametrize("outcome", ["newsroom", "mine", "merge"])
def test_each_outcome_settles_the_copy_into_the_trash(qtbot, ui_store, tmp_path, outcome):
    original, copy = make_conflict(ui_store, tmp_path)
    dialog = _open_dialog(qtbot, ui_store, copy)
    merge = dialog.merge_edit.toPlainText()
    assert "编辑部的改法" in merge and "本机的改法" in merge  # the suggestion keeps both
    button = {"newsroom": dialog.keep_newsroom_button, "mine": dialog.keep_mine_button,
              "merge": dialog.save_merge_button}[outcome]
    if outcome == "merge":
        dialog.merge_edit.setPlainText(BODY.replace("集市开张", "手工合并的段落"))
    with qtbot.waitSignal(dialog.resolved, timeout=10_000):
        button.click()
    body = ui_store.get_article(original).body
    expected = {"newsroom": "编辑部的改法", "mine": "本机的改法", "merge": "手工合并的段落"}[outcome]
    assert expected in body
    kept_copy = ui_store.get_article(copy)
    assert kept_copy.deleted_at is not None and "本机的改法" in kept_copy.body  # trashed, never purged


def test_a_stale_pair_is_not_settled_and_says_why(qtbot, ui_store, tmp_path):
    original, copy = make_conflict(ui_store, tmp_path)
    dialog = _open_dialog(qtbot, ui_store, copy)
    _edit(ui_store, original, summary="有人刚保存")
    dialog.keep_mine_button.click()
    qtbot.waitUntil(lambda: dialog.problem_label.isVisible(), timeout=10_000)
    assert dialog.problem_label.text().startswith("Not settled:")
    assert ui_store.get_article(copy).deleted_at is None and "编辑部的改法" in ui_store.get_article(original).body
    # Read again as they are now: the choice can be made again, this time on the current version.
    qtbot.waitUntil(lambda: dialog.keep_mine_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(dialog.resolved, timeout=10_000):
        dialog.keep_mine_button.click()
    assert "本机的改法" in ui_store.get_article(original).body
    kept = ui_store.get_article(original)  # "mine" means the copy's fields; the later save stays in the history
    assert any(r.snapshot.get("summary") == "有人刚保存" for r in ui_store.list_revisions(kept.id))


def test_the_window_lists_conflict_copies_and_resolves_one(qtbot, open_window, tmp_path):
    window = open_window
    original, copy = make_conflict(window.store, tmp_path)
    panel = window.article_list
    conflicts = next(panel.channel_model.index(row, 0) for row in range(panel.channel_model.rowCount())
                     if panel.channel_model.index(row, 0).data() == "Conflict copies")
    panel.channel_view.setCurrentIndex(conflicts)
    qtbot.waitUntil(lambda: panel.model.list_filter.conflicts and not panel.model.is_loading
                    and panel.model.rowCount() == 1, timeout=10_000)
    copy_id = window.store.get_article(copy).id
    assert panel.model.article_id(0) == copy_id
    panel.select_article(copy_id)
    assert window.resolve_action in window.article_menu.actions()
    window.resolve_action.trigger()
    dialog = window.resolve_dialog
    qtbot.waitUntil(lambda: dialog.keep_newsroom_button.isEnabled(), timeout=10_000)
    dialog.keep_newsroom_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0 and not panel.model.is_loading, timeout=10_000)
    assert window.store.get_article(copy).deleted_at is not None
    assert "Conflict resolved" in window.statusBar().currentMessage()
