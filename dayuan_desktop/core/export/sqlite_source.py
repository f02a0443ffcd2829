"""What an export reads, straight from a current SQLite file with the sqlite3 module (issue 20).

A full export of 500 articles spent about a third of its CPU time importing SQLAlchemy and
mapping the models before it read a row. When the file is one this version keeps as it is
(schema at ``SCHEMA_HEAD``, search index at ``SEARCH_FORMAT``, WAL: ``quick_list.current_file``)
nothing needs upgrading or rebuilding, and what the export reads is a handful of plain
queries. :class:`SqliteSource` answers the same calls the export makes on a ``Store``
(``published_sources``, ``list_channels``, ``redirects``, ``get_articles``,
``photos.photo_bytes``) and the stored site settings, with the same records: the store stays
the reference, and a test exports one database both ways and compares every file.

Each call reads in one transaction, as the store's sessions do, and checks the file is still
current first (another app may have upgraded it meanwhile); anything else — a server URL, an
older or newer file, a missing file — is for the usual way (:meth:`SqliteSource.open` returns
None). SQLite's own errors become :class:`DatabaseError`, as the usual way reports them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dayuan_desktop.core.errors import DatabaseError, NotFoundError
from dayuan_desktop.core.published_rows import PublishedArticleRow, PublishedPhotoRow, PublishedSources
from dayuan_desktop.core.quick_list import BUSY_TIMEOUT_S, current_file
from dayuan_desktop.core.records import ArticlePhotoRecord, ArticleRecord, ChannelRecord, PhotoRecord
from dayuan_desktop.core.site import SITE_SETTINGS_KEY, SiteSettings, site_settings_from_stored

_LIVE_PUBLISHED = "a.status = 'published' AND a.deleted_at IS NULL"
# The same rows and order as core.published's queries (times and flags as stored).
_ARTICLE_ROWS = (
    "SELECT a.id, a.number, a.version, a.title, a.summary, a.published_at, a.updated_at, c.path "
    "FROM articles AS a LEFT OUTER JOIN channels AS c ON c.id = a.channel_id "
    f"WHERE {_LIVE_PUBLISHED} ORDER BY a.published_at DESC, a.number DESC"
)
_PHOTO_ROWS = (  # the covering index of migration 0005 (see core.published)
    "SELECT l.article_id, l.position, l.is_lead, p.sha256, p.caption, p.photographer, p.credit, p.copyright, "
    "p.web_name, p.width, p.format FROM article_photos l "
    "JOIN photos p INDEXED BY ix_photos_export_rows ON p.id = l.photo_id "
    f"JOIN articles a ON a.id = l.article_id WHERE {_LIVE_PUBLISHED} ORDER BY l.article_id, l.position"
)
_REDIRECT_ROWS = (  # core.addresses.redirect_rows
    "SELECT r.old_path, a.id, c.path, a.number FROM article_redirects r JOIN articles a ON a.id = r.article_id "
    f"JOIN channels c ON c.id = a.channel_id WHERE {_LIVE_PUBLISHED} AND a.number IS NOT NULL ORDER BY r.old_path"
)
# core.published.load_articles, column for column.
_ARTICLE_COLUMNS = (
    "a.id, a.uuid, a.number, c.path, a.title, a.subtitle, a.author, a.source, a.published_at, a.summary, a.status, "
    "a.body, a.comment_count, a.like_count, a.view_count, a.version, a.created_at, a.updated_at, a.updated_by, "
    "a.deleted_at"
)
_PHOTO_COLUMNS = (
    "l.article_id, l.position, l.is_lead, p.id, p.sha256, p.format, p.width, p.height, p.byte_size, p.caption, "
    "p.photographer, p.credit, p.copyright, p.original_name, p.taken_at, p.web_name"
)
_BATCH = 500  # ids per query, as Store.get_articles (well under SQLite's bound-parameter limit)


@dataclass(frozen=True)
class SqliteFile:
    """Stands in for ``core.db.Database`` where the export asks which database it reads."""

    sqlite_path: Path
    dialect: str = "sqlite"

    @property
    def url(self) -> str:
        """The file as the page worker is told it (a path: it opens it with this module too)."""
        return str(self.sqlite_path)

    def describe(self) -> str:
        """The database for messages and the log."""
        return f"SQLite file {self.sqlite_path}"


class SqliteSource:
    """The export's reads of one current SQLite file (see the module's description)."""

    def __init__(self, path: Path) -> None:
        self.db = SqliteFile(path)
        self.photos = self  # ``store.photos.photo_bytes``, as the export calls it on a Store
        self._connection: sqlite3.Connection | None = None

    @classmethod
    def open(cls, target: str | Path) -> SqliteSource | None:
        """A reader of ``target`` when it is an existing, current SQLite file; else None (any doubt)."""
        if "://" in str(target):
            return None
        path = Path(target).expanduser().resolve()
        if not path.is_file():
            return None  # the usual way creates it
        source = cls(path)
        try:
            with source._read():
                pass
        except (DatabaseError, sqlite3.Error):
            source.close()
            return None
        return source

    def close(self) -> None:
        """Close the connection (reopened by the next read)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction on a file still current; SQLite's errors as DatabaseError."""
        try:
            if self._connection is None:
                # mode=rw never creates a file; the -wal/-shm files are shared as the usual way shares them.
                self._connection = sqlite3.connect(f"{self.db.sqlite_path.as_uri()}?mode=rw", uri=True,
                                                   timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                                   check_same_thread=False)
            connection = self._connection
            connection.execute("BEGIN")
            try:
                if not current_file(connection):
                    raise DatabaseError(f"{self.db.describe()} changed its schema or search format during the export")
                yield connection
            finally:
                connection.execute("COMMIT")  # nothing was written: ends the read snapshot
        except sqlite3.Error as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise DatabaseError(f"Cannot read {self.db.describe()}: {reason}") from exc

    # -- what the export calls on a Store --------------------------------------------------
    def site_settings(self) -> SiteSettings:
        """The stored site settings (core.site.load_site_settings)."""
        with self._read() as connection:
            rows = connection.execute("SELECT value FROM app_meta WHERE key = ?", (SITE_SETTINGS_KEY,)).fetchall()
        return site_settings_from_stored(rows[0][0] if rows else None)

    def published_sources(self) -> PublishedSources:
        """The live published articles and their photos, as stored (Store.published_sources)."""
        photos: dict[int, list[PublishedPhotoRow]] = {}
        make_photo = PublishedPhotoRow._make
        with self._read() as connection:
            for row in connection.execute(_PHOTO_ROWS).fetchall():
                photos.setdefault(row[0], []).append(make_photo(row))
            articles = connection.execute(_ARTICLE_ROWS).fetchall()
        return PublishedSources(list(map(PublishedArticleRow._make, articles)), photos)

    def list_channels(self) -> list[ChannelRecord]:
        """Every channel, ordered by path (Store.list_channels)."""
        with self._read() as connection:
            rows = connection.execute("SELECT id, path, name, parent_id, position FROM channels ORDER BY path").fetchall()
        return [ChannelRecord(*row) for row in rows]

    def redirects(self) -> list[tuple[str, int, str]]:
        """(old path, article id, current path) of each live published article's earlier addresses."""
        with self._read() as connection:
            rows = connection.execute(_REDIRECT_ROWS).fetchall()
        return [(old, article_id, f"{channel}/{number}.html") for old, article_id, channel, number in rows]

    def photo_bytes(self, sha256: str) -> bytes:
        """The original bytes of a photo (PhotoLibrary.photo_bytes)."""
        with self._read() as connection:
            row = connection.execute("SELECT data FROM photos WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None or row[0] is None:
            raise NotFoundError(f"no photo {sha256[:12]}…")
        return bytes(row[0])

    def get_articles(self, ids: Sequence[int]) -> list[ArticleRecord]:
        """Several articles in full, in the order of ``ids`` (missing ones are left out)."""
        found: dict[int, ArticleRecord] = {}
        with self._read() as connection:
            for start in range(0, len(ids), _BATCH):
                found.update(_load_articles(connection, list(ids[start : start + _BATCH])))
        return [found[i] for i in ids if i in found]


def _load_articles(connection: sqlite3.Connection, ids: list[int]) -> dict[int, ArticleRecord]:
    """The records core.published.load_articles makes for these ids (tags and photos in order)."""
    marks = ",".join("?" * len(ids))
    tags: dict[int, list[str]] = {}
    for article_id, name in connection.execute(
        f"SELECT t.article_id, g.name FROM article_tags t JOIN tags g ON g.id = t.tag_id "
        f"WHERE t.article_id IN ({marks}) ORDER BY t.article_id, t.position", ids,
    ):
        tags.setdefault(article_id, []).append(name)
    photos: dict[int, list[ArticlePhotoRecord]] = {}
    for row in connection.execute(
        f"SELECT {_PHOTO_COLUMNS} FROM article_photos l JOIN photos p ON p.id = l.photo_id "
        f"WHERE l.article_id IN ({marks}) ORDER BY l.article_id, l.position", ids,
    ):
        photo = PhotoRecord(*row[3:14], _time(row[14]), row[15])
        photos.setdefault(row[0], []).append(ArticlePhotoRecord(photo, row[1], bool(row[2])))
    found = {}
    for row in connection.execute(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles AS a LEFT OUTER JOIN channels AS c ON c.id = a.channel_id "
        f"WHERE a.id IN ({marks})", ids,
    ):
        article_id = row[0]
        found[article_id] = ArticleRecord(
            *row[:8], _time(row[8]), *row[9:12], tuple(tags.get(article_id, ())), *row[12:16], _time(row[16]),
            _time(row[17]), row[18], _time(row[19]), photos=tuple(photos.get(article_id, ())),
        )
    return found


def _time(value: str | None) -> datetime | None:
    """A stored time as core.models.UTCDateTime reads it: SQLite keeps UTC without a zone."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
