"""The export's plan rows: the SQLite path (covering indexes of migration 0005) reads what the generic one does."""

from __future__ import annotations

from sqlalchemy import select, update

from dayuan_desktop.core import published
from dayuan_desktop.core.models import Article, ArticlePhoto, Photo
from tests.core.export.sitekit import add_photo, open_sqlite_store, publish


def test_sqlite_photo_rows_equal_the_generic_query_and_use_the_covering_indexes(tmp_path):
    store = open_sqlite_store(tmp_path / "x.sqlite3")
    store.create_channel("news")
    lead = add_photo(store, 1600, 1200, caption="卡口查验", photographer="马向英")
    other = add_photo(store, 1200, 900, color=(20, 90, 200), caption="志愿者", photographer="李明")
    publish(store, 1, "news", hour=1, photos=(lead, other))
    publish(store, 2, "news", hour=2, photos=(other,))
    publish(store, 3, "news", hour=3, photos=(lead,), status="draft")  # not published: not listed
    with store.db.engine.connect() as conn:
        fast = published._photo_rows(conn)
        generic = [tuple(row) for row in conn.execute(
            select(*published._PHOTO_ROW_COLUMNS)
            .join(Photo, Photo.id == ArticlePhoto.photo_id)
            .join(Article, Article.id == ArticlePhoto.article_id)
            .where(*published._LIVE_PUBLISHED)
            .order_by(ArticlePhoto.article_id, ArticlePhoto.position)
        )]
        plan = " ".join(str(row) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + published._SQLITE_PHOTO_ROWS))
        articles_plan = " ".join(str(row) for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id, number, version, title, summary, published_at, updated_at, channel_id "
            "FROM articles WHERE status = 'published' AND deleted_at IS NULL ORDER BY published_at DESC, number DESC"))
    assert [(*row[:2], bool(row[2]), *row[3:]) for row in fast] == generic and len(fast) == 3
    rows = {row.number: row for row in store.published_rows()}
    assert [(photo.sha256, photo.web_name, photo.width, photo.format, photo.caption, photo.photographer)
            for photo in rows[1].photos] == [
        (lead.sha256, lead.web_name, 1600, "JPEG", "卡口查验", "马向英"),
        (other.sha256, other.web_name, 1200, "JPEG", "志愿者", "李明"),
    ]
    assert [photo.sha256 for photo in rows[2].photos] == [other.sha256]
    assert "COVERING INDEX ix_photos_export_rows" in plan
    assert "COVERING INDEX ix_articles_export_rows" in articles_plan


def test_sqlite_article_rows_equal_the_generic_query_times_and_order_included(tmp_path):
    store = open_sqlite_store(tmp_path / "x.sqlite3")
    store.create_channel("news")
    for number, hour in ((1, 5), (2, 7), (3, 7), (4, 1)):
        publish(store, number, "news", hour=hour)
    publish(store, 5, "news", hour=2, status="draft")  # not published: not listed
    orphan = publish(store, 6, "news", hour=3)
    with store.db.session(write=True) as session:  # a damaged row: published without a time or channel
        session.execute(update(Article).where(Article.id == orphan.id).values(published_at=None, channel_id=None))
    with store.db.engine.connect() as conn:
        fast = published._article_rows(conn)  # times as stored: text on SQLite
        generic = [tuple(row) for row in conn.execute(published._ARTICLE_ROW_QUERY)]
    parsed = [(*row[:5], published.stored_time(row[5]), published.stored_time(row[6]), row[7]) for row in fast]
    assert parsed == generic and len(fast) == 5
    assert [row[1] for row in fast if row[5] is not None] == [3, 2, 1, 4]  # newest first, number breaks the tie
    assert all(row[6].tzinfo is not None for row in parsed)
    assert [(row.number, row.published_at, row.channel_path) for row in store.published_rows()] == [
        (row[1], row[5], row[7]) for row in generic]
