"""File → 与编辑部同步 in the real window against a second SQLite file, its cancel, and the newsroom
URL in Preferences (no password in window.ini; the password in a test keyring)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.secrets import KEYRING_SERVICE
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.preferences import PreferencesDialog
from dayuan_desktop.ui.sync_target import load_sync_target, save_sync_target
from tests.keyrings import MemoryKeyring, no_keyring, using_keyring
from tests.ui.conftest import add_articles

TYPED = "postgresql://editor:s3cr et!@newsroom-server/dayuan"
BARE = "postgresql://editor@newsroom-server/dayuan"


def _newsroom(path: Path, reporter: str) -> Path:
    """A newsroom file holding one draft assigned to the window's user."""
    store = Store(open_database(path), user_name="editor")
    store.ensure_search_index()
    store.create_article(title="编辑部派的稿", author=f"记者 {reporter}", body="请补充现场。\n")
    store.db.dispose()
    return path


def _uuids(path: Path) -> list[str]:
    store = Store(open_database(path), user_name="check")
    try:
        return [a.uuid for a in store.all_articles(include_trashed=True)]
    finally:
        store.db.dispose()


def _sync(qtbot, window):
    before = getattr(getattr(window, "sync_runner", None), "last_summary", None)
    window.sync_action.trigger()
    runner = window.sync_runner
    qtbot.waitUntil(lambda: runner.last_summary is not before and runner.summary_box is not None, timeout=30_000)
    return runner


def test_menu_sync_exchanges_with_a_second_file_and_shows_the_summary(qtbot, open_window, tmp_path):
    window = open_window
    newsroom = _newsroom(tmp_path / "newsroom.sqlite3", window.store.user_name)
    save_sync_target(window.app_settings, str(newsroom))
    assert window.sync_action in window.menuBar().actions()[0].menu().actions()
    runner = _sync(qtbot, window)
    summary = runner.last_summary
    assert (summary.sent, summary.received, summary.conflicts) == (1, 1, 0)  # the sample out, the draft in
    box = runner.summary_box
    assert box.isVisible() and box.text().splitlines()[0] == "1 sent, 1 received, 0 merged, 0 conflicts"
    assert "Photos: 1 sent, 0 received" in box.text()
    qtbot.waitUntil(lambda: any(window.article_list.model.summary(row).title == "编辑部派的稿"
                                for row in range(window.article_list.model.rowCount())), timeout=10_000)
    box.done(QMessageBox.StandardButton.Ok)
    runner = _sync(qtbot, window)
    assert runner.summary_box.text().splitlines()[0] == "0 sent, 0 received, 0 merged, 0 conflicts"


def test_cancel_mid_way_leaves_both_whole_and_the_next_sync_completes(qtbot, open_window, tmp_path):
    window = open_window
    add_articles(window.store, 150, title="野外稿")
    newsroom = _newsroom(tmp_path / "newsroom.sqlite3", window.store.user_name)
    save_sync_target(window.app_settings, str(newsroom))
    window.sync_action.trigger()
    runner = window.sync_runner
    runner.job.progressed.connect(lambda done, total, _label: done >= 3 and runner.cancel())
    qtbot.waitUntil(lambda: not runner.job.is_running, timeout=30_000)
    assert runner.last_summary is None and "Sync cancelled" in window.statusBar().currentMessage()
    assert runner.progress_dialog is None
    sent_before = len(_uuids(newsroom)) - 1
    assert 0 <= sent_before < 151  # stopped part-way: every article there is whole (own transactions)
    runner = _sync(qtbot, window)
    assert runner.last_summary.sent == 151 - sent_before and runner.last_summary.conflicts == 0
    there = _uuids(newsroom)
    assert len(there) == len(set(there)) == 152  # nothing lost, nothing twice
    runner.summary_box.done(QMessageBox.StandardButton.Ok)
    assert _sync(qtbot, window).summary_box.text().startswith("0 sent, 0 received")


def test_a_number_held_there_by_another_article_is_listed_as_a_clash(qtbot, open_window, tmp_path):
    window = open_window
    newsroom = _newsroom(tmp_path / "newsroom.sqlite3", window.store.user_name)
    store = Store(open_database(newsroom), user_name="editor")
    store.create_article(title="编辑部的4709", status="published", number=4709, body="另一篇。\n")
    store.db.dispose()
    save_sync_target(window.app_settings, str(newsroom))
    runner = _sync(qtbot, window)
    lines = runner.summary_box.text().splitlines()
    assert lines[0] == "1 sent, 1 received, 0 merged, 0 conflicts"
    assert any(line.startswith("Number clash: number 4709 of article ") and "not overwritten" in line
               for line in lines)


def test_sync_without_a_target_says_where_to_set_it(qtbot, open_window):
    window = open_window
    window.sync_action.trigger()
    box = window.sync_runner.summary_box
    assert box.isVisible() and "Preferences → Sync" in box.text() and window.sync_runner.job is None


def test_preferences_keep_the_newsroom_url_without_password_and_the_password_in_the_keyring(
        qtbot, ui_store, tmp_path):
    ini = tmp_path / "window.ini"
    with using_keyring(MemoryKeyring()) as keyring:
        dialog = PreferencesDialog(AppSettings.from_file(ini), ui_store.db)
        qtbot.addWidget(dialog)
        dialog.sync_tab.url_edit.setText(TYPED)
        assert not dialog.sync_tab.password_note.isVisible()
        dialog.accept()
        assert "s3cr" not in ini.read_text(encoding="utf-8") and BARE in ini.read_text(encoding="utf-8")
        assert keyring.kept == {(KEYRING_SERVICE, BARE): "s3cr et!"}
        stored = load_sync_target(AppSettings.from_file(ini))
        assert not stored.password_missing and "s3cr" in stored.target
        again = PreferencesDialog(AppSettings.from_file(ini), ui_store.db)
        qtbot.addWidget(again)
        assert again.sync_tab.url_edit.text() == BARE  # shown without the password


def test_without_a_keyring_the_password_is_kept_nowhere_and_asked_for(qtbot, ui_store, tmp_path):
    ini = tmp_path / "window.ini"
    with no_keyring():
        dialog = PreferencesDialog(AppSettings.from_file(ini), ui_store.db)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.tabs.setCurrentWidget(dialog.sync_tab)
        dialog.sync_tab.url_edit.setText(TYPED)
        assert dialog.sync_tab.password_note.isVisible()
        dialog.accept()
        assert "s3cr" not in ini.read_text(encoding="utf-8")
        stored = load_sync_target(AppSettings.from_file(ini))
        assert stored.password_missing and stored.target == BARE


@pytest.fixture(autouse=True)
def _no_real_keyring():
    """Tests never reach a real keyring (none here; a developer's machine may have one)."""
    with using_keyring(MemoryKeyring()):
        yield


def test_a_failed_sync_says_why_without_the_password(qtbot, open_window):
    window = open_window
    save_sync_target(window.app_settings, "postgresql://editor:Sekr1t-pw@127.0.0.1:1/dayuan")
    window.sync_action.trigger()
    runner = window.sync_runner
    qtbot.waitUntil(lambda: runner.summary_box is not None, timeout=30_000)
    text = runner.summary_box.text()
    assert text.startswith("The sync failed: ") and "Sekr1t" not in text and "\n" not in text
    assert runner.progress_dialog is None and runner.last_summary is None


def test_without_a_keyring_the_window_asks_for_the_password_and_cancel_runs_nothing(qtbot, open_window):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    window = open_window
    asked = {}

    def answer() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()),
                      None)
        if dialog is None:
            QTimer.singleShot(50, answer)
            return
        asked["label"] = dialog.labelText()
        dialog.reject()

    with no_keyring():
        save_sync_target(window.app_settings, TYPED)
        QTimer.singleShot(50, answer)
        window.sync_action.trigger()
    assert "no keyring" in asked["label"] and BARE in asked["label"] and "s3cr" not in asked["label"]
    assert window.sync_runner.job is None  # cancelled: nothing was started
