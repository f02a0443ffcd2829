"""The suggestion engine in its worker process: same answers, cancellable, never left behind."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from dayuan_desktop.core.store import Store
from dayuan_desktop.core.tags.process import SuggestionProcess
from dayuan_desktop.core.tags.suggest import ArticleText


def test_the_worker_suggests_from_the_database_it_opened_itself(store: Store, tmp_path: Path):
    store.create_article(title="疫情防控", body="疫情防控。", tags=["疫情防控"])
    worker = SuggestionProcess(store.db.url, tmp_path)
    try:
        progress: list[str] = []
        worker.load(progress=lambda _done, _total, label: progress.append(label))
        assert "dictionary" in progress
        article = ArticleText(title="桥头堡", body="疫情防控的桥头堡，桥头堡。")
        assert worker.suggest(article)[:2] == ["疫情防控", "桥头堡"]
    finally:
        worker.close()
    assert not worker._process.is_alive()


def test_cancelling_the_load_ends_the_worker_at_once(store: Store, tmp_path: Path):
    worker = SuggestionProcess(store.db.url, tmp_path)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(InterruptedError):
        worker.load(cancel)
    assert time.monotonic() - started < 20  # not the whole load: the worker is ended, not waited for
    assert not worker._process.is_alive()


def test_a_database_the_worker_cannot_open_is_one_clear_error(tmp_path: Path):
    worker = SuggestionProcess(str(tmp_path / "missing" / "none.sqlite3"), tmp_path)
    with pytest.raises(RuntimeError, match=r"^DatabaseError: no database at .*none\.sqlite3$"):
        worker.load()
    worker.close()
    assert not (tmp_path / "missing").exists()  # nothing created
