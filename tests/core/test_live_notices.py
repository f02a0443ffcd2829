"""Change notices from a PostgreSQL newsroom: a save, a new channel or a lease wakes a listener."""

from __future__ import annotations

import threading

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.live_notices import ChangeListener, listen_in_background, notices_available
from dayuan_desktop.core.store import Store

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_stores(postgres_url):
    listening, writing = open_database(postgres_url), open_database(postgres_url)
    yield Store(listening, user_name="张三"), Store(writing, user_name="李四")
    listening.dispose()
    writing.dispose()


def test_every_kind_of_change_wakes_the_listener_and_quiet_does_not(two_stores):
    mine, colleague = two_stores
    listener = ChangeListener(mine.db)
    try:
        assert not listener.wait(0.2)  # nothing happened
        article = colleague.create_article(title="同事的新稿件")
        assert listener.wait(5)
        assert not listener.wait(0.2)  # one save, one wake-up
        colleague.update_article(article.id, {"body": "改了一段。"}, expected_version=article.version)
        assert listener.wait(5)
        colleague.create_channel("news/local", "本地新闻")
        assert listener.wait(5)
        colleague.leases.take(article.id)
        assert listener.wait(5)
        for n in range(5):  # five saves: at most one wake-up each, then quiet again
            colleague.create_article(title=f"连发第{n}篇")
        wakes = 0
        while listener.wait(0.3):
            wakes += 1
        assert 1 <= wakes <= 5
    finally:
        listener.close()


def test_the_background_listener_calls_back_and_stops(two_stores):
    mine, colleague = two_stores
    called = threading.Event()
    stop = listen_in_background(mine.db, called.set)
    try:
        assert not called.wait(0.5)
        colleague.create_article(title="来自另一台电脑")
        assert called.wait(5)
    finally:
        stop()
    called.clear()
    threading.Event().wait(1.5)  # the thread looks at its stop flag at least once a second
    colleague.create_article(title="停止之后")
    assert not called.wait(1.5)


def test_stop_waits_for_a_callback_under_way_and_none_follows(two_stores):
    """The callback may belong to a window being deleted: once stop() has returned it never runs again."""
    mine, colleague = two_stores
    inside, release, stopped = threading.Event(), threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_callback() -> None:
        calls.append(1)
        inside.set()
        release.wait(10)

    stop = listen_in_background(mine.db, slow_callback)
    colleague.create_article(title="正在通知")
    assert inside.wait(5)
    stopper = threading.Thread(target=lambda: (stop(), stopped.set()))
    stopper.start()
    assert not stopped.wait(0.5)  # the callback is still running: stop() waits for it
    release.set()
    assert stopped.wait(5)
    stopper.join()
    for n in range(3):
        colleague.create_article(title=f"停止后的第{n}篇")
    threading.Event().wait(1.5)
    assert calls == [1]


def test_sqlite_sends_no_notices(tmp_path):
    database = open_database(tmp_path / "laptop.sqlite3")
    try:
        assert not notices_available(database)
        with pytest.raises(ValueError, match="no change notices"):
            ChangeListener(database)
    finally:
        database.dispose()
