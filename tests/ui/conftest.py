"""Fixtures for window tests: a real SQLite store in a temporary folder (the store itself is
proven on PostgreSQL by the core tests; the window only calls the store)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dayuan_desktop.ui.webengine import prepare_webengine_environment

# Before pytest-qt creates the QApplication (this module loads while tests are collected):
# QtWebEngine needs its sandbox switch (as root) and must be imported before the application.
prepare_webengine_environment()

import PySide6.QtWebEngineWidgets  # noqa: E402,F401

from dayuan_desktop.core.db import open_database  # noqa: E402
from dayuan_desktop.core.sample import load_sample  # noqa: E402
from dayuan_desktop.core.store import Store  # noqa: E402


@pytest.fixture
def ui_store(tmp_path: Path) -> Iterator[Store]:
    """An empty store on a real SQLite file."""
    database = open_database(str(tmp_path / "ui.sqlite3"), backup_dir=tmp_path / "backups")
    store = Store(database, user_name="editor")
    yield store
    database.dispose()


@pytest.fixture
def sample_store(ui_store: Store) -> Store:
    """A store holding the sample article 4709 with its photo."""
    load_sample(ui_store)
    return ui_store


def add_articles(store: Store, count: int, *, channel: str = "news/local", status: str = "draft",
                 title: str = "稿件", start: datetime | None = None) -> list[int]:
    """Create ``count`` articles, one minute apart in publish time; returns their ids."""
    store.create_channel(channel, name=channel.rsplit("/", 1)[-1])  # existing channels are kept
    start = start or datetime(2024, 1, 1, tzinfo=UTC)
    batch = [
        {"title": f"{title}{i:04d}", "channel_path": channel, "status": status, "author": "记者",
         "body": f"第{i}篇正文，关于太原的新闻。", "published_at": start + timedelta(minutes=i)}
        for i in range(count)
    ]
    return [record.id for record in store.create_articles(batch)]


def type_text(widget, text: str) -> None:
    """Type text (Chinese included) as an input method commits it.

    ``qtbot.keyClicks`` with non-ASCII text aborts the process (Qt's ASCII key table).
    """
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def opened_window(qtbot, home: Path, database_url: str, *, timeout: int = 20_000) -> Iterator:
    """A real main window on ``database_url``, first run (the sample loaded); disposed afterwards."""
    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import create_application, create_main_window, dispose_window

    create_application()
    window = create_main_window(load_settings(home), database_url)
    with qtbot.waitSignal(window.articleOpened, timeout=timeout):
        pass
    yield window
    window.close()
    store = window.store
    dispose_window(window)
    if store is not None:
        store.db.dispose()


@pytest.fixture
def open_window(qtbot, tmp_path):
    """A real main window on a fresh SQLite database, first run (the sample loaded)."""
    yield from opened_window(qtbot, tmp_path / "home", str(tmp_path / "window.sqlite3"))


def url_catcher():
    """An object that receives the URLs Qt would hand to the desktop (set it with QDesktopServices.setUrlHandler)."""
    from PySide6.QtCore import QObject, QUrl, Slot

    class UrlCatcher(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[QUrl] = []

        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            self.urls.append(url)

    return UrlCatcher()
