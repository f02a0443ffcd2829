"""A search-index format upgrade in the window: the window works at once, searches scan with a
notice on the list, saves made meanwhile are found by the new index, the notice goes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.search import background, building
from dayuan_desktop.core.store import Store
from tests.ui.conftest import add_articles, type_text


@pytest.fixture
def stale_database(tmp_path: Path, monkeypatch) -> str:
    """50 articles and the sample, their index marked as built by an older format."""
    path = tmp_path / "stale.sqlite3"
    store = Store(open_database(str(path)), user_name="editor")
    store.ensure_search_index()
    load_sample(store)
    add_articles(store, 50, title="太原稿件")
    with store.db.session(write=True) as session:
        session.connection().exec_driver_sql("UPDATE app_meta SET value = 'old' WHERE key = 'search_format'")
    store.db.dispose()
    monkeypatch.setattr(background, "BACKGROUND_FROM", 1)
    return str(path)


@pytest.fixture
def gate(monkeypatch) -> threading.Event:
    """Holds the background build after its first batch until set (so the test acts mid-build)."""
    released = threading.Event()
    real = background.build_in_steps

    def held(database, index, *, progress=None, stop=None, **_kwargs):
        def report(done: int, total: int) -> None:
            released.wait(timeout=60)
            if progress is not None:
                progress(done, total)

        return real(database, index, batch=10, progress=report, stop=stop)

    monkeypatch.setattr(background, "build_in_steps", held)
    yield released
    released.set()


def test_the_window_works_during_the_rebuild_and_the_notice_goes(qtbot, tmp_path, stale_database, gate):
    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import create_application, create_main_window, dispose_window

    create_application()
    window = create_main_window(load_settings(tmp_path / "home"), stale_database)
    try:
        with qtbot.waitSignal(window.workspaceReady, timeout=20_000):
            pass
        assert window.workspace.index_pending
        rebuild = window.index_rebuild
        notice = rebuild.notice
        assert not notice.isHidden()
        assert "rebuilt" in notice.text()
        store = window.store
        # The list, a search (an exact scan meanwhile), opening and saving an article all work.
        qtbot.waitUntil(lambda: window.article_list.model.rowCount() == 51, timeout=10_000)
        with store.db.session() as session:
            assert building.building(session.connection())
        window.article_list.search_field.setText("太原稿件")
        window.article_list.search_field.returnPressed.emit()
        qtbot.waitUntil(lambda: window.article_list.model.rowCount() == 50, timeout=10_000)
        target = store.search("太原稿件0007")[0].id
        with qtbot.waitSignal(window.articleOpened, timeout=10_000):
            window.article_list.select_article(target)
        title = window.editor.form.title
        title.end(False)
        type_text(title, "重建中保存")
        window.save_action.trigger()
        qtbot.waitUntil(lambda: store.get_article(target).title.endswith("重建中保存"), timeout=5_000)
        assert [a.id for a in store.search("重建中保存")] == [target]  # the scan finds it at once
        assert rebuild.running and not notice.isHidden()

        gate.set()
        qtbot.waitUntil(lambda: notice.isHidden(), timeout=30_000)
        assert not rebuild.running
        with store.db.session() as session:
            assert not building.building(session.connection())
        assert [a.id for a in store.search("重建中保存")] == [target]  # now through the new index
        assert len(store.search("太原稿件", limit=100)) == 50
    finally:
        gate.set()
        window.close()
        store = window.store
        dispose_window(window)
        if store is not None:
            store.db.dispose()
