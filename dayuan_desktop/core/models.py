"""Typed SQLAlchemy models: the newsroom's articles, channels, photos, tags and revisions.

The schema itself is owned by the Alembic migrations in ``core/migrations``; these classes
must describe the same tables (a test compares them).
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Re-exported: callers have always imported the enums from here.
from dayuan_desktop.core.enums import ArticleStatus as ArticleStatus
from dayuan_desktop.core.enums import RevisionKind as RevisionKind

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only form stored)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and returns them aware.

    SQLite keeps no time zone, so without this a value written on a machine in
    Beijing and read on one in Berlin would shift silently.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Dayuan Desktop stores aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (Alembic needs them to alter SQLite tables)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppMeta(Base):
    """Small key/value settings kept in the database itself (search index format, site settings)."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Channel(Base):
    """A section of the portal, addressed by its URL path such as ``gsyl/lzgs``."""

    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Channel | None] = relationship(remote_side="Channel.id")


class Tag(Base):
    """A keyword shown in the article's meta line (e.g. ``防控``)."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class ArticleTag(Base):
    """Which tags an article carries, in the order the editor gave them."""

    __tablename__ = "article_tags"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="RESTRICT"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    tag: Mapped[Tag] = relationship(lazy="joined")


class Article(Base):
    """One news article; ``number`` is its public page number (the 4709 of ``4709.html``)."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_status_updated", "status", "updated_at"),
        Index("ix_articles_channel_published", "channel_id", "published_at"),
        # The article list: live (or trashed) articles in update or publish order.
        Index("ix_articles_live_updated", "deleted_at", "updated_at"),
        Index("ix_articles_live_published", "deleted_at", "published_at"),
        # One channel's list: page and count from the index (they also serve channel_id lookups).
        Index("ix_articles_channel_live_updated", "channel_id", "deleted_at", "updated_at"),
        Index("ix_articles_channel_live_published", "channel_id", "deleted_at", "published_at"),
        # Search's newest-first walk over live articles (see core.search).
        Index(
            "ix_articles_live_sort_key", "sort_key",
            sqlite_where=text("deleted_at IS NULL"), postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid_module.uuid4()))
    number: Mapped[int | None] = mapped_column(Integer, unique=True)
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(500), default="")
    subtitle: Mapped[str] = mapped_column(String(500), default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=ArticleStatus.DRAFT.value, index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    like_count: Mapped[int] = mapped_column(Integer, default=0)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Search order key: newest first by publish (or creation) time; see core.search.
    sort_key: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    # A conflict copy (core.sync): the uuid of the article whose edit it lost to; else None.
    conflict_of: Mapped[str | None] = mapped_column(String(36), index=True)

    channel: Mapped[Channel | None] = relationship(lazy="joined")
    tag_links: Mapped[list[ArticleTag]] = relationship(
        order_by="ArticleTag.position", cascade="all, delete-orphan", lazy="selectin"
    )
    photo_links: Mapped[list[ArticlePhoto]] = relationship(
        order_by="ArticlePhoto.position", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def tags(self) -> list[str]:
        """Tag names in the editor's order."""
        return [link.tag.name for link in self.tag_links]

    @property
    def channel_path(self) -> str | None:
        """The channel's URL path, or None for an article without a channel."""
        return self.channel.path if self.channel else None


class Photo(Base):
    """A photo, identified by the sha256 of its original bytes (kept unchanged)."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    byte_size: Mapped[int] = mapped_column(BigInteger, default=0)
    format: Mapped[str] = mapped_column(String(20), default="")
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    caption: Mapped[str] = mapped_column(Text, default="")
    photographer: Mapped[str] = mapped_column(String(200), default="")
    credit: Mapped[str] = mapped_column(String(200), default="")
    copyright: Mapped[str] = mapped_column(String(500), default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    original_name: Mapped[str] = mapped_column(String(500), default="")
    # Where the portal serves its renditions: "2022/12/3f2a9c0d11e2b4a7" (upload month/sha prefix).
    # Kept when a page is imported back, so re-exported pages point at the same URLs.
    web_name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ArticlePhoto(Base):
    """A photo used by an article, in order; at most one is the lead photo."""

    __tablename__ = "article_photos"
    __table_args__ = (UniqueConstraint("article_id", "photo_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)

    photo: Mapped[Photo] = relationship(lazy="joined")


class ArticleRedirect(Base):
    """A page path an article was published at before its number or channel changed.

    The export writes a small redirect page there, so links to the old address keep working.
    """

    __tablename__ = "article_redirects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    old_path: Mapped[str] = mapped_column(String(300), unique=True)  # e.g. "gsyl/lzgs/4709.html"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Revision(Base):
    """A snapshot of an article (fields, tags, photos) taken at a save; restorable."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_article_created", "article_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    article_version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    snapshot: Mapped[dict] = mapped_column(JSON)


class SyncBase(Base):
    """What this database last exchanged with a peer database for one article (core.sync).

    ``snapshot`` is the content both sides held then, the base of a three-way merge;
    ``local_version``/``peer_version`` are the article's versions here and there at that moment.
    """

    __tablename__ = "sync_bases"
    __table_args__ = (UniqueConstraint("peer_id", "article_uuid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_id: Mapped[str] = mapped_column(String(36))
    article_uuid: Mapped[str] = mapped_column(String(36))
    local_version: Mapped[int] = mapped_column(Integer)
    peer_version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSON)
    exchanged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ArticleLease(Base):
    """Who is editing an article now: taken on open, renewed by a heartbeat, gone on close.

    Times are written by the database's own clock (see ``core.leases``), so laptops whose
    clocks disagree still agree on when a lease has expired.
    """

    __tablename__ = "article_leases"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100))
    machine: Mapped[str] = mapped_column(String(200))
    session_id: Mapped[str] = mapped_column(String(36))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
