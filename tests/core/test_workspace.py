"""Opening the window's workspace: first run loads the sample once; bad targets fail clearly."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.config import load_settings
from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.workspace import open_workspace


def test_first_run_loads_the_sample_once(tmp_path):
    settings = load_settings(tmp_path / "home")
    target = str(tmp_path / "news.sqlite3")
    first = open_workspace(settings, target)
    try:
        assert first.first_run_article_id is not None
        assert "gsyl/lzgs" in {channel.path for channel in first.channels}
        assert "疫情" in first.tags
        assert first.store.get_article(first.first_run_article_id).number == 4709
    finally:
        first.store.db.dispose()
    second = open_workspace(settings, target)
    try:
        assert second.first_run_article_id is None  # not a first run any more
        assert second.store.count_articles() == 1
    finally:
        second.store.db.dispose()


def test_a_database_that_cannot_be_opened_says_why(tmp_path):
    settings = load_settings(tmp_path / "home")
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DayuanError):
        open_workspace(settings, str(broken))
    assert broken.read_bytes() == b"this is not a database" * 100  # nothing was changed


def test_a_first_run_without_the_sample_content_says_so(tmp_path, monkeypatch):
    # An installation that lost its sample (a broken bundle) must fail loudly, not open an empty window.
    sample = tmp_path / "resources" / "sample"
    sample.mkdir(parents=True)
    (sample / "channels.yaml").write_text("gsyl/lzgs: 旅游\n", encoding="utf-8")
    monkeypatch.setenv("DAYUAN_RESOURCES", str(tmp_path / "resources"))
    with pytest.raises(DayuanError, match="sample content is missing"):
        open_workspace(load_settings(tmp_path / "home"), str(tmp_path / "news.sqlite3"))
