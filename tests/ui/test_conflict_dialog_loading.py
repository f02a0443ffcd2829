"""The conflict dialog opens at once and reads the saved version off the UI thread, then fills in."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from dayuan_desktop.core.errors import ConflictError
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.conflict_dialog import ConflictChoice, ConflictDialog, ask_conflict_choice

ZONE = ZoneInfo("Asia/Shanghai")


class _GatedStore(Store):
    """The real store, except that reading an article waits until the test opens the gate."""

    def __init__(self, database, gate: threading.Event) -> None:
        super().__init__(database, user_name="editor")
        self.gate = gate
        self.read_on: list[threading.Thread] = []

    def get_article(self, key):
        self.read_on.append(threading.current_thread())
        assert self.gate.wait(30)
        return super().get_article(key)


@pytest.fixture
def conflict(ui_store):
    """A real save conflict: a colleague saved the article after the editor loaded it."""
    ui_store.create_channel("news/local", name="本地")
    article = ui_store.create_article(title="原来的标题", channel_path="news/local", status="draft", body="正文。")
    colleague = Store(ui_store.db, user_name="colleague")
    colleague.update_article(article.id, {"title": "同事的标题"}, expected_version=article.version)
    with pytest.raises(ConflictError) as caught:
        ui_store.update_article(article.id, {"title": "我的标题"}, expected_version=article.version)
    return caught.value


def _when_dialog_shows(action) -> None:
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ConflictDialog):
            action(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def _ask(qtbot, store, conflict, settled: list) -> QWidget:
    parent = QWidget()  # the window, in the application (returned: it outlives the dialog)
    qtbot.addWidget(parent)
    ask_conflict_choice(parent, store, conflict, {"title": "我的标题"}, ZONE, lambda: {"title": "我的标题"},
                        lambda *outcome: settled.append(outcome))
    return parent


def test_the_dialog_is_on_screen_before_the_saved_version_is_read_and_fills_in_after(qtbot, ui_store, conflict):
    gate = threading.Event()
    store = _GatedStore(ui_store.db, gate)
    seen: dict = {}

    def while_reading(dialog: ConflictDialog) -> None:
        # The read is held at the gate, yet the dialog is up and the UI thread runs this timer.
        seen["loading"] = (dialog.loaded, dialog.comparison.browser.toPlainText(), dialog.keep_mine_button.isEnabled())
        gate.set()

        def when_filled() -> None:
            if not dialog.loaded or dialog.comparison.comparison is None:  # read, then compared off the UI thread
                QTimer.singleShot(20, when_filled)
                return
            [title] = [c for c in dialog.comparison.comparison.fields if c.name == "title"]
            seen["theirs"], seen["mine"] = title.old, title.new
            dialog.keep_theirs_button.click()

        when_filled()

    _when_dialog_shows(while_reading)
    settled: list = []
    _ask(qtbot, store, conflict, settled)
    assert seen["loading"] == (False, "Reading the saved version…", False)
    assert store.read_on and threading.main_thread() not in store.read_on
    assert seen["theirs"].startswith("同事的标题") and seen["mine"].startswith("我的标题")
    [(choice, current, problem)] = settled
    assert (choice, current.title, problem) == (ConflictChoice.KEEP_THEIRS, "同事的标题", "")


def test_closed_before_the_read_is_done_keeps_theirs_once_it_is(qtbot, ui_store, conflict):
    gate = threading.Event()
    store = _GatedStore(ui_store.db, gate)
    _when_dialog_shows(lambda dialog: dialog.reject())
    settled: list = []
    window = _ask(qtbot, store, conflict, settled)
    assert settled == []  # nothing to settle with yet: the window goes on meanwhile
    gate.set()
    qtbot.waitUntil(lambda: bool(settled), timeout=10_000)
    [(choice, current, _problem)] = settled
    assert (choice, current.title) == (ConflictChoice.KEEP_THEIRS, "同事的标题")
    assert window.isWindow()  # the window (kept alive to here) owns the closed dialog


def test_a_saved_version_that_cannot_be_read_is_said_and_nothing_is_settled(qtbot, ui_store):
    gone = ConflictError(987654, 1, 2, "colleague", datetime(2026, 12, 2, 8, 0, tzinfo=UTC), None)
    seen: dict = {}

    def when_failed(dialog: ConflictDialog) -> None:
        if "cannot be read" not in dialog.comparison.browser.toPlainText():
            QTimer.singleShot(20, lambda: when_failed(dialog))
            return
        seen["text"], seen["enabled"] = dialog.comparison.browser.toPlainText(), dialog.keep_mine_button.isEnabled()
        dialog.reject()

    _when_dialog_shows(when_failed)
    settled: list = []
    _ask(qtbot, ui_store, gone, settled)
    assert seen["enabled"] is False
    [(choice, current, problem)] = settled
    assert current is None and problem and problem in seen["text"]


class _WriteNotingStore(Store):
    """The real store, noting on which thread an article is created."""

    def __init__(self, database) -> None:
        super().__init__(database, user_name="editor")
        self.created_on: list[threading.Thread] = []

    def create_article(self, **fields):
        self.created_on.append(threading.current_thread())
        return super().create_article(**fields)


def test_keep_both_stores_my_copy_off_the_ui_thread_then_settles(qtbot, ui_store, conflict):
    store = _WriteNotingStore(ui_store.db)

    def when_filled(dialog: ConflictDialog) -> None:
        if not dialog.loaded:
            QTimer.singleShot(20, lambda: when_filled(dialog))
            return
        dialog.keep_both_button.click()

    _when_dialog_shows(when_filled)
    settled: list = []
    _ask(qtbot, store, conflict, settled)
    qtbot.waitUntil(lambda: bool(settled), timeout=10_000)
    [(choice, current, problem)] = settled
    assert (choice, current.title, problem) == (ConflictChoice.KEEP_BOTH, "同事的标题", "")
    assert store.created_on and threading.main_thread() not in store.created_on
    titles = [a.title for a in ui_store.list_articles().items]
    assert "我的标题 (my version)" in titles  # settled only once my copy is stored
