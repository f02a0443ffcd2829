"""core.quick_list: the list read without SQLAlchemy is the store's list, or it declines."""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dayuan_desktop.core.article_list import MAX_PAGE
from dayuan_desktop.core.db import SCHEMA_HEAD, SQLITE_BUSY_TIMEOUT_MS, resolve_url
from dayuan_desktop.core.quick_list import BUSY_TIMEOUT_S, quick_page
from dayuan_desktop.core.quick_list import MAX_PAGE as QUICK_MAX_PAGE
from dayuan_desktop.core.store import ArticleQuery, Store
from tests.core.export.sitekit import open_sqlite_store, raw_sql
from tests.helpers import run_cli

STATUSES = ("draft", "review", "published", "withdrawn")


@pytest.fixture
def listed(tmp_path: Path) -> tuple[Path, Store]:
    """A current SQLite file with rows every filter and order tells apart: ties, gaps, trash, conflicts."""
    path = tmp_path / "newsroom.sqlite3"
    store = open_sqlite_store(path)
    store.create_channel("news", "新闻")
    store.create_channel("news/sx", "山西新闻")
    start = datetime(2024, 3, 1, 8, tzinfo=UTC)
    values = []
    for n in range(23):
        article = {"title": f"第{n % 7}篇", "status": STATUSES[n % 4], "author": ("李娜", "张强", "")[n % 3],
                   "channel_path": (None, "news", "news/sx")[n % 3]}
        if n % 5:
            article["number"] = 5000 - n * 3
        if article["status"] == "published" or n % 6 == 0:
            article["published_at"] = start + timedelta(hours=n % 4)  # ties on purpose
        values.append(article)
    records = store.create_articles(values)
    for record in records[::4]:
        store.trash_article(record.id)
    raw_sql(store, "UPDATE articles SET conflict_of = uuid WHERE id % 5 = 0")
    raw_sql(store, "UPDATE articles SET updated_at = '2024-03-02 09:00:00.000000' WHERE id % 3 = 0")  # ties
    yield path, store
    store.db.dispose()


def _rows(page) -> tuple:
    # Every field of ArticleSummary, in its order: the window shows a quick page as the store's rows.
    return page.total, [astuple(item) for item in page.items]


def test_every_plain_filter_and_order_lists_what_the_store_lists(listed):
    path, store = listed
    sorts = ("updated", "published", "title", "number", "status", "author")
    pages = ((0, 50), (2, 3), (0, 0), (40, 10))
    for sort, descending, trashed, conflicts, status, (offset, limit) in itertools.product(
        sorts, (True, False), (False, True), (False, True), (None, "published", "draft"), pages
    ):
        options = dict(status=status, sort=sort, descending=descending, trashed=trashed, conflicts=conflicts,
                       offset=offset, limit=limit)
        quick = quick_page(str(path), **options)
        assert quick is not None, options
        assert _rows(quick) == _rows(store.list_articles(ArticleQuery(**options))), options


def test_the_channels_names_come_with_the_page_when_asked(listed):
    path, store = listed
    assert quick_page(str(path)).channels == ()
    page = quick_page(str(path), with_channels=True)
    assert page.channels == tuple((channel.path, channel.name) for channel in store.list_channels())
    assert page.channels == (("news", "新闻"), ("news/sx", "山西新闻"))


def test_the_limits_agree_with_the_store():
    assert QUICK_MAX_PAGE == MAX_PAGE
    assert BUSY_TIMEOUT_S * 1000 == SQLITE_BUSY_TIMEOUT_MS


@pytest.mark.parametrize("statement", [
    "UPDATE alembic_version SET version_num = '0008'",  # older: the usual open upgrades it
    "UPDATE alembic_version SET version_num = '9999'",  # newer: the usual open refuses it
    "UPDATE app_meta SET value = 'old' WHERE key = 'search_format'",  # the usual open rebuilds the index
    "DELETE FROM app_meta WHERE key = 'search_format'",
])
def test_a_database_that_is_not_current_is_left_to_the_usual_open(listed, statement):
    path, store = listed
    assert quick_page(str(path)) is not None
    raw_sql(store, statement)
    assert quick_page(str(path)) is None


def test_a_file_not_in_wal_mode_is_left_to_the_usual_open(listed):
    path, store = listed
    store.db.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    assert quick_page(str(path)) is None


def test_what_only_the_store_answers_is_declined(listed, tmp_path):
    path, _store = listed
    assert quick_page(str(tmp_path / "missing.sqlite3")) is None
    assert not (tmp_path / "missing.sqlite3").exists()  # nothing created
    assert quick_page("postgresql://user@localhost/newsroom") is None
    assert quick_page(str(path), sort="channel") is None
    assert quick_page(str(path), limit=MAX_PAGE + 1) is None
    assert quick_page(str(path), offset=-1) is None
    assert quick_page(str(path), status="deleted") is None  # the store's error message says why
    (tmp_path / "other.sqlite3").write_bytes(b"not a database at all, just some bytes" * 10)
    assert quick_page(str(tmp_path / "other.sqlite3")) is None


def test_the_command_prints_the_same_either_way(listed, capsys, tmp_path):
    path, store = listed
    args = ["--data-dir", str(tmp_path / "home"), "--db", str(path), "list", "--sort", "published", "--limit", "7"]
    code, quick_out, _ = run_cli(capsys, *args)
    assert code == 0 and "of 17 article(s)" in quick_out
    raw_sql(store, "UPDATE app_meta SET value = 'old' WHERE key = 'search_format'")  # the usual way, this once
    code, usual_out, err = run_cli(capsys, *args)
    assert code == 0 and usual_out == quick_out
    assert "search index rebuilt" in err
    assert quick_page(str(path)) is not None  # current again


def test_listing_an_older_database_still_upgrades_it(tmp_path, capsys):
    from tests.core.test_db import make_old_database  # schema 0001 with one article, no search index

    path = tmp_path / "old.sqlite3"
    make_old_database(resolve_url(path), "sqlite")
    assert quick_page(str(path)) is None
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path / "home"), "--db", str(path), "list")
    assert code == 0 and "党旗飘扬筑起疫情防控钢铁长城" in out and "1–1 of 1 article(s)" in out
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]
    assert list((tmp_path / "home").rglob("old-schema0001-*.sqlite3"))  # backed up first, as before
    assert quick_page(str(path)) is not None  # and listed directly from now on
