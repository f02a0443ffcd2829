"""The window's list comes first (issue 20 item 4): the early page, then the store, without a jump."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from dayuan_desktop.core.db import SCHEMA_HEAD, open_database, resolve_url
from dayuan_desktop.core.store import Store
from tests.core.export.sitekit import raw_sql
from tests.ui.conftest import add_articles


def _archive(tmp_path: Path, *, stale_index: bool = False) -> Path:
    """A file the window opened before (current), with 60 articles; ``stale_index``: an older index format."""
    path = tmp_path / "archive.sqlite3"
    database = open_database(str(path), backup_dir=tmp_path / "backups")
    store = Store(database, user_name="editor")
    store.ensure_search_index()
    add_articles(store, 60, channel="news/local")
    if stale_index:
        raw_sql(store, "UPDATE app_meta SET value = 'old' WHERE key = 'search_format'")
    database.dispose()
    return path


def _old_archive(tmp_path: Path) -> Path:
    from tests.core.test_db import make_old_database  # schema 0001 with one article, no search index

    path = tmp_path / "old.sqlite3"
    make_old_database(resolve_url(path), "sqlite")
    return path


@pytest.fixture
def held_open(monkeypatch):
    """The usual open waits for the test's word: the early page comes first on any machine."""
    import dayuan_desktop.core.workspace as workspace

    gate, real = threading.Event(), workspace.open_workspace

    def held(*args, **kwargs):
        gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace, "open_workspace", held)
    yield gate
    gate.set()


@pytest.fixture
def opened(monkeypatch):
    """Every article the window loads for the editor, in order (a second load would be a double open)."""
    import dayuan_desktop.ui.editing_leases as editing_leases

    loads, real = [], editing_leases.open_for_edit

    def counting(store, article_id, previous):
        loads.append(article_id)
        return real(store, article_id, previous)

    monkeypatch.setattr(editing_leases, "open_for_edit", counting)
    return loads


def _start(tmp_path: Path, target: Path):
    """A window as ``dayuan-desktop`` starts it, and every list its table showed (at each model reset)."""
    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import create_application, create_main_window

    create_application()
    window = create_main_window(load_settings(tmp_path / "home"), str(target))
    shown: list[list[int]] = []

    def watch() -> None:
        model = window.article_list.model
        model.modelReset.connect(lambda: shown.append([model.article_id(r) for r in range(model.rowCount())]))

    window.built.connect(watch)  # before the first paint: nothing the table shows is missed
    return window, shown


def _close(window) -> None:
    from dayuan_desktop.ui.app import dispose_window

    window.close()
    store = window.store
    dispose_window(window)
    if store is not None:
        store.db.dispose()


def _ids(window) -> list[int]:
    model = window.article_list.model
    return [model.article_id(row) for row in range(model.rowCount())]


def test_the_early_page_stays_and_the_row_chosen_in_it_opens_once(qtbot, tmp_path, held_open, opened):
    path = _archive(tmp_path)
    window, shown = _start(tmp_path, path)
    try:
        qtbot.waitUntil(lambda: window.first_page.shown, timeout=20_000)
        assert window.store is None  # on screen before the database is open
        early = _ids(window)
        table = window.article_list.table
        assert len(early) == 60 and table.isVisible()
        chosen = early[4]
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                         pos=table.visualRect(window.article_list.model.index(4, 1)).center())
        assert window.article_list.current_id() == chosen

        with qtbot.waitSignal(window.articleOpened, timeout=20_000) as article:
            held_open.set()
        assert article.args == [chosen]
        with qtbot.waitSignal(window.previewReady, timeout=30_000):
            pass  # the whole start has run: the list fetched again, the article opened, the preview built
        assert shown == [early]  # one list, shown once: no empty or other list before or after it
        assert _ids(window) == early and window.article_list.current_id() == chosen
        assert opened == [chosen]  # opened once, not again after the store's page
        assert window.editor.article_id == chosen
    finally:
        held_open.set()
        _close(window)


def test_the_article_open_last_time_is_selected_and_opened_once_after_the_early_page(qtbot, tmp_path, held_open,
                                                                                    opened):
    path = _archive(tmp_path)
    held_open.set()
    window, _shown = _start(tmp_path, path)  # a first start: open the 8th row, then quit
    try:
        qtbot.waitUntil(lambda: window.store is not None and not window.article_list.model.is_loading, timeout=20_000)
        last = _ids(window)[7]
        with qtbot.waitSignal(window.articleOpened, timeout=20_000):
            window.article_list.select_article(last)
    finally:
        _close(window)
    held_open.clear()
    opened.clear()

    window, shown = _start(tmp_path, path)
    try:
        qtbot.waitUntil(lambda: window.first_page.shown, timeout=20_000)
        early = _ids(window)
        assert window.article_list.current_id() is None  # nothing chosen: the last article comes with the store
        with qtbot.waitSignal(window.articleOpened, timeout=20_000) as article:
            held_open.set()
        assert article.args == [last]
        with qtbot.waitSignal(window.previewReady, timeout=30_000):
            pass
        assert shown == [early] and _ids(window) == early
        assert window.article_list.current_id() == last and opened == [last]
    finally:
        held_open.set()
        _close(window)


@pytest.mark.parametrize("make", [_old_archive, lambda tmp_path: _archive(tmp_path, stale_index=True)],
                         ids=["older schema", "stale search index"])
def test_a_database_to_upgrade_opens_as_before_without_an_early_page(qtbot, tmp_path, make):
    path = make(tmp_path)
    window, shown = _start(tmp_path, path)
    try:
        qtbot.waitUntil(lambda: window.store is not None and window.is_built
                        and not window.article_list.model.is_loading and window.article_list.model.rowCount() > 0,
                        timeout=30_000)
        assert not window.first_page.shown
        final = _ids(window)
        assert [ids for ids in shown if ids] == [final]  # the list appears once, as the store lists it
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]
            assert connection.execute("SELECT value FROM app_meta WHERE key = 'search_format'").fetchone()[0] != "old"
    finally:
        _close(window)


def test_the_early_page_leaves_the_list_when_the_database_then_fails_to_open(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication, QMessageBox

    import dayuan_desktop.core.workspace as workspace
    from dayuan_desktop.core.errors import DayuanError

    gate = threading.Event()

    def failing(*_args, **_kwargs):
        gate.wait(30)
        raise DayuanError("the disk holding the database went away")

    monkeypatch.setattr(workspace, "open_workspace", failing)
    window, _shown = _start(tmp_path, _archive(tmp_path))
    errors: list[str] = []
    window.workspaceFailed.connect(errors.append)
    try:
        qtbot.waitUntil(lambda: window.first_page.shown, timeout=20_000)
        assert window.article_list.model.rowCount() == 60
        rows_when_told: list[int] = []

        def close_the_error() -> None:  # the real message box, closed as the editor would
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox):
                rows_when_told.append(window.article_list.model.rowCount())
                box.accept()
            else:
                qtbot_timer.start()

        from PySide6.QtCore import QTimer

        qtbot_timer = QTimer(window, singleShot=True, interval=50)
        qtbot_timer.timeout.connect(close_the_error)
        qtbot_timer.start()
        gate.set()
        qtbot.waitUntil(lambda: bool(rows_when_told), timeout=20_000)
        assert errors and "went away" in errors[0]
        assert rows_when_told == [0]  # no rows of a database that is not open under the error
        assert window.article_list.model.rowCount() == 0 and not window.article_list.model.showing_early_page
        assert "60" not in window.article_list.count_label.text()
    finally:
        gate.set()
        _close(window)
