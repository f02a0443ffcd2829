"""The conflict dialog gives the colleague's save in site time (as the list does); 字数 follows the version kept."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from dayuan_desktop.core.store import Store
from dayuan_desktop.core.text_stats import character_count
from dayuan_desktop.ui.conflict_dialog import ConflictDialog
from tests.ui.conftest import type_text

THEIR_BODY = "同事改写的正文，短了很多。\n"


@pytest.fixture
def new_york_system_clock(monkeypatch):
    """The computer's own time zone is not the site's (a laptop set to New York, site in Beijing)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_saved_at_is_site_time_and_the_count_follows_their_version(qtbot, new_york_system_clock, open_window):
    window = open_window
    colleague = Store(window.store.db, user_name="colleague")
    current = colleague.get_article(window.editor.article_id)
    saved = colleague.update_article(current.id, {"body": THEIR_BODY}, expected_version=current.version)
    seen: dict = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConflictDialog) or not dialog.loaded:  # the saved version is read first
            QTimer.singleShot(50, answer)
            return
        seen["text"] = dialog.explanation.text()
        dialog.keep_theirs_button.click()

    QTimer.singleShot(50, answer)
    title = window.editor.form.title
    title.selectAll()
    type_text(title, "我的标题")
    qtbot.waitUntil(lambda: "text" in seen, timeout=10_000)
    site_time = saved.updated_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    system_time = saved.updated_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert site_time != system_time  # the two clocks differ, so the test tells them apart
    assert site_time in seen["text"]
    assert system_time not in seen["text"]
    qtbot.waitUntil(lambda: window.editor.form.title.text() == current.title, timeout=10_000)
    model = window.article_list.model
    assert model.summary(model.row_of(current.id)).title == current.title  # the list, too, shows theirs
    expected = character_count(THEIR_BODY)
    assert window.count_label.text() in (f"{expected} characters", f"{expected} character(s)")
