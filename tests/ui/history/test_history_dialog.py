"""The history dialog on a real store (SQLite and PostgreSQL): folded autosaves, highlighted
characters, restore as a new revision, and a stale restore refused as a conflict."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QColor

from dayuan_desktop.core.enums import RevisionKind
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.history.dialog import HistoryDialog
from dayuan_desktop.ui.history.diff_html import MARK_COLOURS
from dayuan_desktop.ui.history.model import HistoryModel

ZONE = ZoneInfo("Asia/Shanghai")
INSERTED = QColor(MARK_COLOURS[("new", "inserted")])


@pytest.fixture
def article(store: Store):
    """Created, then three autosaves of typing, then a manual save."""
    store.create_channel("news/local", name="本地")
    record = store.create_article(title="初稿", channel_path="news/local", body="太原今天下雨。\n\n第二段不变。")
    for body in ("太原今天下大雨。\n\n第二段不变。", "太原今天下大雨，<b>气温</b>骤降。\n\n第二段不变。"):
        record = store.update_article(record.id, {"body": body}, expected_version=record.version,
                                      kind=RevisionKind.AUTOSAVE)
    record = store.update_article(record.id, {"tags": ["天气"]}, expected_version=record.version,
                                  kind=RevisionKind.AUTOSAVE)
    return store.update_article(record.id, {"title": "定稿"}, expected_version=record.version)


def _dialog(qtbot, store, record) -> HistoryDialog:
    dialog = HistoryDialog(store, record.id, record.version, ZONE)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.comparison.shown, timeout=10_000):
        dialog.show()
    return dialog


def _highlighted(browser, colour: QColor) -> list[str]:
    """The runs of text the comparison paints with ``colour`` (what the user sees marked)."""
    runs = []
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().background().color() == colour:
                runs.append(fragment.text())
            it += 1
        block = block.next()
    return runs


def _select(qtbot, dialog, index) -> None:
    with qtbot.waitSignal(dialog.comparison.shown, timeout=10_000):
        dialog.tree.setCurrentIndex(index)


def test_autosaves_are_one_row_and_the_comparison_marks_changed_characters(qtbot, store, article):
    dialog = _dialog(qtbot, store, article)
    model = dialog.model
    assert [model.index(r, HistoryModel.WHY).data() for r in range(model.rowCount())] == [
        "Saved", "Autosave ×3", "Created"]
    assert model.index(0, HistoryModel.WHO).data() == "tester"
    _select(qtbot, dialog, model.index(2, 0))  # the first version against the current text
    assert _highlighted(dialog.comparison.browser, INSERTED) == ["定", "天气", "大", "，<b>气温</b>骤降"]
    text = dialog.comparison.browser.toPlainText()
    assert "第二段不变。" in text and "<b>气温</b>" in text  # hostile-looking text shown as text
    assert [c.name for c in dialog.comparison.comparison.fields] == ["title", "tags"]


def test_previous_revision_comparison_of_a_session_shows_what_the_session_changed(qtbot, store, article):
    dialog = _dialog(qtbot, store, article)
    _select(qtbot, dialog, dialog.model.index(1, 0))
    with qtbot.waitSignal(dialog.comparison.shown, timeout=10_000):
        dialog.vs_previous.setChecked(True)
    assert "Created" in dialog.comparison.old_label.text()
    assert "大" in _highlighted(dialog.comparison.browser, INSERTED)
    session = dialog.model.index(1, 0)
    _select(qtbot, dialog, dialog.model.index(0, 0, session))  # the session's last autosave alone
    assert [c.name for c in dialog.comparison.comparison.fields] == ["tags"]
    assert not dialog.comparison.comparison.body.changed


def test_restore_writes_a_restore_revision_and_keeps_history(qtbot, store, article):
    dialog = _dialog(qtbot, store, article)
    before = len(store.list_revisions(article.id))
    _select(qtbot, dialog, dialog.model.index(2, 0))
    with qtbot.waitSignal(dialog.restored, timeout=10_000) as restored:
        dialog.restore_button.click()
    assert restored.args[0].body == "太原今天下雨。\n\n第二段不变。" and restored.args[0].title == "初稿"
    revisions = store.list_revisions(article.id)
    assert revisions[0].kind == "restore" and len(revisions) == before + 1
    qtbot.waitUntil(lambda: dialog.model.index(0, HistoryModel.WHY).data() == "Restored", timeout=10_000)


def test_a_stale_restore_is_a_conflict_not_an_overwrite(qtbot, store, article):
    dialog = _dialog(qtbot, store, article)
    colleague = Store(store.db, user_name="李四")
    colleague.update_article(article.id, {"body": "同事的正文。"}, expected_version=article.version)
    _select(qtbot, dialog, dialog.model.index(2, 0))
    with qtbot.waitSignal(dialog.restoreRefused, timeout=10_000) as refused:
        dialog.restore_button.click()
    assert "李四" in refused.args[0] and "Not restored" in dialog.status.text()
    assert store.get_article(article.id).body == "同事的正文。"
    assert "restore" not in [r.kind for r in store.list_revisions(article.id)]


def test_a_revision_that_no_longer_fits_is_refused_with_one_line_and_changes_nothing(qtbot, store, article):
    """Its number now belongs to another article: the store refuses, the dialog says why."""
    numbered = store.update_article(article.id, {"number": 5}, expected_version=article.version)
    renumbered = store.update_article(article.id, {"number": 6}, expected_version=numbered.version)
    store.create_article(title="另一篇", channel_path="news/local", number=5)
    dialog = _dialog(qtbot, store, renumbered)
    _select(qtbot, dialog, dialog.model.index(1, 0))  # the save that gave it number 5
    with qtbot.waitSignal(dialog.restoreRefused, timeout=10_000) as refused:
        dialog.restore_button.click()
    assert refused.args[0].startswith("Not restored: ") and "\n" not in refused.args[0] and "5" in refused.args[0]
    assert store.get_article(article.id).number == 6
    assert dialog.restore_button.isEnabled()


def test_enter_in_the_list_restores_nothing(qtbot, store, article):
    from PySide6.QtCore import Qt

    dialog = _dialog(qtbot, store, article)
    _select(qtbot, dialog, dialog.model.index(2, 0))
    before = len(store.list_revisions(article.id))
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert len(store.list_revisions(article.id)) == before and store.get_article(article.id).title == "定稿"
