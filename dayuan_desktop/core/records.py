"""Plain, immutable views of stored data handed to callers (CLI, window, export).

Callers never hold ORM objects, so nothing they do can touch the database by accident
and nothing breaks when the session that loaded the data is closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # only the ``of`` constructors see ORM objects; the window imports this without SQLAlchemy
    from dayuan_desktop.core.models import Article, ArticlePhoto, Channel, Photo, Revision

# Article fields a caller may set; everything else is the store's to manage.
EDITABLE_FIELDS = (
    "title",
    "subtitle",
    "author",
    "source",
    "published_at",
    "summary",
    "status",
    "body",
    "number",
    "channel_path",
    "tags",
    "comment_count",
    "like_count",
    "view_count",
)


@dataclass(frozen=True)
class ChannelRecord:
    """A channel as shown in lists."""

    id: int
    path: str
    name: str
    parent_id: int | None
    position: int

    @classmethod
    def of(cls, channel: Channel) -> ChannelRecord:
        return cls(channel.id, channel.path, channel.name, channel.parent_id, channel.position)


@dataclass(frozen=True)
class PhotoRecord:
    """A photo's metadata (not its bytes)."""

    id: int
    sha256: str
    format: str
    width: int
    height: int
    byte_size: int
    caption: str
    photographer: str
    credit: str
    copyright: str
    original_name: str
    taken_at: datetime | None
    web_name: str

    @classmethod
    def of(cls, photo: Photo) -> PhotoRecord:
        return cls(
            photo.id,
            photo.sha256,
            photo.format,
            photo.width,
            photo.height,
            photo.byte_size,
            photo.caption,
            photo.photographer,
            photo.credit,
            photo.copyright,
            photo.original_name,
            photo.taken_at,
            photo.web_name,
        )


@dataclass(frozen=True)
class ArticlePhotoRecord:
    """A photo as one article uses it."""

    photo: PhotoRecord
    position: int
    is_lead: bool

    @classmethod
    def of(cls, link: ArticlePhoto) -> ArticlePhotoRecord:
        return cls(PhotoRecord.of(link.photo), link.position, link.is_lead)


@dataclass(frozen=True)
class ArticleSummary:
    """One row of an article list."""

    id: int
    uuid: str
    number: int | None
    title: str
    channel_path: str | None
    status: str
    author: str
    updated_at: datetime
    published_at: datetime | None
    deleted_at: datetime | None

    @classmethod
    def of(cls, article: Article) -> ArticleSummary:
        return cls(
            article.id,
            article.uuid,
            article.number,
            article.title,
            article.channel_path,
            article.status,
            article.author,
            article.updated_at,
            article.published_at,
            article.deleted_at,
        )


@dataclass(frozen=True)
class ArticleRecord:
    """Everything about one article, as loaded."""

    id: int
    uuid: str
    number: int | None
    channel_path: str | None
    title: str
    subtitle: str
    author: str
    source: str
    published_at: datetime | None
    summary: str
    status: str
    body: str
    tags: tuple[str, ...]
    comment_count: int
    like_count: int
    view_count: int
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: str
    deleted_at: datetime | None
    photos: tuple[ArticlePhotoRecord, ...] = field(default=())

    @classmethod
    def of(cls, article: Article) -> ArticleRecord:
        return cls(
            id=article.id,
            uuid=article.uuid,
            number=article.number,
            channel_path=article.channel_path,
            title=article.title,
            subtitle=article.subtitle,
            author=article.author,
            source=article.source,
            published_at=article.published_at,
            summary=article.summary,
            status=article.status,
            body=article.body,
            tags=tuple(article.tags),
            comment_count=article.comment_count,
            like_count=article.like_count,
            view_count=article.view_count,
            version=article.version,
            created_at=article.created_at,
            updated_at=article.updated_at,
            updated_by=article.updated_by,
            deleted_at=article.deleted_at,
            photos=tuple(ArticlePhotoRecord.of(link) for link in article.photo_links),
        )

    @property
    def lead_photo(self) -> ArticlePhotoRecord | None:
        """The lead photo, or the first one when none is marked."""
        for link in self.photos:
            if link.is_lead:
                return link
        return self.photos[0] if self.photos else None

    def editable_values(self) -> dict:
        """The fields a caller may set, as a dict (what a revision snapshot restores)."""
        return {name: getattr(self, name) for name in EDITABLE_FIELDS}


@dataclass(frozen=True)
class RevisionRecord:
    """One saved snapshot of an article."""

    id: int
    article_id: int
    article_version: int
    kind: str
    created_at: datetime
    created_by: str
    snapshot: dict

    @classmethod
    def of(cls, revision: Revision) -> RevisionRecord:
        return cls(
            revision.id,
            revision.article_id,
            revision.article_version,
            revision.kind,
            revision.created_at,
            revision.created_by,
            dict(revision.snapshot),
        )


@dataclass(frozen=True)
class Page:
    """One page of a longer list."""

    items: tuple
    total: int
    offset: int
    limit: int


class PublishedPhoto(NamedTuple):
    """A photo as the export plans its rendition: where it goes and the texts it carries.

    The texts are the library's (an editor may have corrected them after import), not what
    the original file says.
    """

    sha256: str
    web_name: str
    width: int
    format: str  # the original's: JPEG, PNG, WEBP, TIFF or GIF
    caption: str
    photographer: str
    copyright: str
    credit: str


class PublishedRow(NamedTuple):
    """A live published article as a light row, before loading it in full (the export itself
    plans on the stored rows these are made from: ``published.PublishedSources``).

    A named tuple rather than a dataclass: one is made per published article, and tuples are
    several times cheaper to build.
    """

    id: int
    number: int | None
    version: int
    title: str
    summary: str
    published_at: datetime | None
    updated_at: datetime
    channel_path: str | None
    photos: tuple[PublishedPhoto, ...] = ()  # each photo the article uses, in order
