"""The light rows the export plans with: live published articles and the photos they show."""

from __future__ import annotations

from sqlalchemy import Connection, select

from dayuan_desktop.core.models import Article, ArticlePhoto, ArticleStatus, Channel, Photo
from dayuan_desktop.core.records import PublishedPhoto, PublishedRow

_LIVE_PUBLISHED = (Article.status == ArticleStatus.PUBLISHED.value, Article.deleted_at.is_(None))


def published_rows(conn: Connection) -> list[PublishedRow]:
    """One row per live published article, newest first (Core rows: no ORM bookkeeping)."""
    fingerprints: dict[int, list[str]] = {}
    photos: dict[int, list[PublishedPhoto]] = {}
    photo_rows = conn.execute(
        select(
            ArticlePhoto.article_id, ArticlePhoto.position, ArticlePhoto.is_lead, Photo.sha256,
            Photo.caption, Photo.photographer, Photo.credit, Photo.copyright, Photo.web_name, Photo.width,
            Photo.format,
        )
        .join(Photo, Photo.id == ArticlePhoto.photo_id)
        .join(Article, Article.id == ArticlePhoto.article_id)
        .where(*_LIVE_PUBLISHED)
        .order_by(ArticlePhoto.article_id, ArticlePhoto.position)
    ).all()  # one fetchall: row-by-row fetching cost more than the query here
    for row in photo_rows:
        # Anything that changes how a photo shows on a page or in its rendition.
        fingerprints.setdefault(row.article_id, []).append("\x1f".join(map(str, row[1:])))
        photos.setdefault(row.article_id, []).append(PublishedPhoto(
            row.sha256, row.web_name, row.width, row.format, row.caption, row.photographer, row.copyright, row.credit,
        ))
    rows = conn.execute(
        select(
            Article.id, Article.number, Article.version, Article.title, Article.summary,
            Article.published_at, Article.updated_at, Channel.path,
        )
        .outerjoin(Channel, Channel.id == Article.channel_id)
        .where(*_LIVE_PUBLISHED)
        .order_by(Article.published_at.desc(), Article.number.desc())
    ).all()
    no_photos: tuple = ()
    return [
        # positional, in PublishedRow's field order: id, number, version, title, summary,
        # published_at, updated_at, channel_path, photos_fingerprint, photos
        PublishedRow(
            *row,
            "\x1e".join(fingerprints[row[0]]) if row[0] in fingerprints else "",
            tuple(photos[row[0]]) if row[0] in photos else no_photos,
        )
        for row in rows
    ]
