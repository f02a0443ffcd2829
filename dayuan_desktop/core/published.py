"""What the export reads: light rows to plan with, then the due articles in full (Core queries)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from dayuan_desktop.core.models import Article, ArticlePhoto, ArticleStatus, ArticleTag, Channel, Photo, Tag
from dayuan_desktop.core.published_rows import (
    PublishedArticleRow,
    PublishedPhotoRow,
    PublishedSources,
    published_photo,
    stored_time,
)
from dayuan_desktop.core.records import (
    ArticlePhotoRecord,
    ArticleRecord,
    PhotoRecord,
    PublishedRow,
)

__all__ = ["PublishedArticleRow", "PublishedPhotoRow", "PublishedSources", "published_photo", "stored_time"]

_LIVE_PUBLISHED = (Article.status == ArticleStatus.PUBLISHED.value, Article.deleted_at.is_(None))


_PHOTO_ROW_COLUMNS = (
    ArticlePhoto.article_id, ArticlePhoto.position, ArticlePhoto.is_lead, Photo.sha256, Photo.caption,
    Photo.photographer, Photo.credit, Photo.copyright, Photo.web_name, Photo.width, Photo.format,
)
# The same query for SQLite, naming the covering index of migration 0005: SQLite's planner
# looks each photo up by its row id instead, which reads a page of the photo's bytes per photo.
_SQLITE_PHOTO_ROWS = (
    "SELECT l.article_id, l.position, l.is_lead, p.sha256, p.caption, p.photographer, p.credit, p.copyright, "
    "p.web_name, p.width, p.format FROM article_photos l "
    "JOIN photos p INDEXED BY ix_photos_export_rows ON p.id = l.photo_id "
    "JOIN articles a ON a.id = l.article_id "
    "WHERE a.status = 'published' AND a.deleted_at IS NULL ORDER BY l.article_id, l.position"
)


def _photo_rows(conn: Connection) -> list[tuple]:
    """(article id, position, is lead, photo columns…) of each photo of a live published article."""
    if conn.dialect.name == "sqlite":
        return _driver_rows(conn, _SQLITE_PHOTO_ROWS)  # is_lead comes back 0/1 here
    return conn.execute(
        select(*_PHOTO_ROW_COLUMNS)
        .join(Photo, Photo.id == ArticlePhoto.photo_id)
        .join(Article, Article.id == ArticlePhoto.article_id)
        .where(*_LIVE_PUBLISHED)
        .order_by(ArticlePhoto.article_id, ArticlePhoto.position)
    ).all()  # one fetchall: row-by-row fetching cost more than the query here


_ARTICLE_ROW_QUERY = (
    select(
        Article.id, Article.number, Article.version, Article.title, Article.summary,
        Article.published_at, Article.updated_at, Channel.path,
    )
    .outerjoin(Channel, Channel.id == Article.channel_id)
    .where(*_LIVE_PUBLISHED)
    .order_by(Article.published_at.desc(), Article.number.desc())
)


def _article_rows(conn: Connection) -> list[tuple]:
    """(id, number, version, title, summary, published_at, updated_at, channel path) of each live
    published article, newest first; the two times as stored (see :func:`stored_time`).

    On SQLite the driver's rows are taken as they are: SQLAlchemy's row and type processing (a
    regular expression per stored time) was half of this query's ~0.1 s at 10,000 articles,
    which every export pays, and the export needs a parsed time only for the pages it renders.
    """
    if conn.dialect.name != "sqlite":
        return conn.execute(_ARTICLE_ROW_QUERY).all()
    return _driver_rows(conn, str(_ARTICLE_ROW_QUERY.compile(conn, compile_kwargs={"literal_binds": True})))


def _driver_rows(conn: Connection, sql: str) -> list[tuple]:
    """The rows of a query as the driver gives them (plain tuples, values as stored)."""
    cursor = conn.connection.driver_connection.execute(sql)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def published_sources(conn: Connection) -> PublishedSources:
    """The live published articles and their photos, as stored (see :class:`PublishedSources`)."""
    photos: dict[int, list[PublishedPhotoRow]] = {}
    make_photo = PublishedPhotoRow._make
    for row in _photo_rows(conn):
        photos.setdefault(row[0], []).append(make_photo(row))
    return PublishedSources(list(map(PublishedArticleRow._make, _article_rows(conn))), photos)


def published_rows(conn: Connection) -> list[PublishedRow]:
    """One row per live published article, newest first (Core rows: no ORM bookkeeping)."""
    sources = published_sources(conn)
    no_photos: tuple = ()
    rows = []
    for article_id, number, version, title, summary, published_at, updated_at, channel in sources.articles:
        rows.append(PublishedRow(
            article_id, number, version, title, summary, stored_time(published_at), stored_time(updated_at),
            channel, tuple(map(published_photo, sources.photos.get(article_id, no_photos))),
        ))
    return rows


_ARTICLE_COLUMNS = (
    Article.id, Article.uuid, Article.number, Channel.path, Article.title, Article.subtitle, Article.author,
    Article.source, Article.published_at, Article.summary, Article.status, Article.body,
)
_ARTICLE_TAIL = (
    Article.comment_count, Article.like_count, Article.view_count, Article.version, Article.created_at,
    Article.updated_at, Article.updated_by, Article.deleted_at,
)
_PHOTO_COLUMNS = (
    Photo.id, Photo.sha256, Photo.format, Photo.width, Photo.height, Photo.byte_size, Photo.caption,
    Photo.photographer, Photo.credit, Photo.copyright, Photo.original_name, Photo.taken_at, Photo.web_name,
)


def load_articles(conn: Connection, ids: Sequence[int]) -> dict[int, ArticleRecord]:
    """The articles with these ids in full (tags and photos in order; not the photos' bytes).

    Three Core queries instead of ORM loading: the same records, without identity-map and
    relationship bookkeeping, which was about a third of loading a page's article.
    """
    ids = list(ids)
    tags: dict[int, list[str]] = {}
    for article_id, name in conn.execute(
        select(ArticleTag.article_id, Tag.name).join(Tag, Tag.id == ArticleTag.tag_id)
        .where(ArticleTag.article_id.in_(ids)).order_by(ArticleTag.article_id, ArticleTag.position)
    ):
        tags.setdefault(article_id, []).append(name)
    photos: dict[int, list[ArticlePhotoRecord]] = {}
    for row in conn.execute(
        select(ArticlePhoto.article_id, ArticlePhoto.position, ArticlePhoto.is_lead, *_PHOTO_COLUMNS)
        .join(Photo, Photo.id == ArticlePhoto.photo_id)
        .where(ArticlePhoto.article_id.in_(ids)).order_by(ArticlePhoto.article_id, ArticlePhoto.position)
    ):
        photos.setdefault(row[0], []).append(ArticlePhotoRecord(PhotoRecord(*row[3:]), row[1], row[2]))
    found = {}
    for row in conn.execute(
        select(*_ARTICLE_COLUMNS, *_ARTICLE_TAIL).outerjoin(Channel, Channel.id == Article.channel_id)
        .where(Article.id.in_(ids))
    ):
        head, tail = row[: len(_ARTICLE_COLUMNS)], row[len(_ARTICLE_COLUMNS) :]
        article_id = head[0]
        # ArticleRecord's field order: the head columns, tags, then the tail columns and photos.
        found[article_id] = ArticleRecord(
            *head, tuple(tags.get(article_id, ())), *tail, photos=tuple(photos.get(article_id, ())),
        )
    return found
