"""A list page read straight from a current SQLite file, without SQLAlchemy (issue 20).

``dayuan-desktop list`` spends ~0.3 s importing SQLAlchemy and mapping the models before
it reads 50 rows in ~5 ms. When the file is one this version already opened and keeps as
it would (schema at ``SCHEMA_HEAD``, search index at ``SEARCH_FORMAT``, WAL) there is
nothing to upgrade or rebuild, and the plain filters and orders of a list are simple SQL:
this module answers them with the sqlite3 module alone.

Anything else returns None and the caller takes the usual way (``open_database``, which
creates, upgrades or refuses, then ``Store.list_articles``): a missing, older, newer or
foreign file, a server URL, a channel, tag or date filter, the channel order, an
out-of-range page, any SQLite error. ``Store.list_articles`` stays the reference; a test
compares the two on the same database.

The window uses it too: its first list page is read here while the database opens the usual
way (``ui.article_list.first_page``), with the channels' names from the same snapshot.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from dayuan_desktop.core.enums import ArticleStatus
from dayuan_desktop.core.markers import SCHEMA_HEAD, SEARCH_FORMAT
from dayuan_desktop.core.records import ArticleSummary

MAX_PAGE = 1000  # core.article_list.MAX_PAGE (a test checks they agree): larger pages take the usual way
BUSY_TIMEOUT_S = 10  # core.db.SQLITE_BUSY_TIMEOUT_MS: a writer's transaction is waited for, as usual
# The list orders answered here, by their column; "published" and "number" put rows without one last.
_SORT_COLUMNS = {"updated": "updated_at", "published": "published_at", "title": "title", "number": "number",
                 "status": "status", "author": "author"}
_NULLS_LAST = ("published", "number")


# One list row: the store's own ``ArticleSummary`` (a light module: no SQLAlchemy comes with it).
QuickRow = ArticleSummary


@dataclass(frozen=True)
class QuickPage:
    """A page of rows and the total for the filters (as ``Store.list_articles``'s ``Page``)."""

    items: tuple[QuickRow, ...]
    total: int
    offset: int
    limit: int
    channels: tuple[tuple[str, str], ...] = ()  # (path, name) by path, when asked for (``with_channels``)


def quick_page(
    target: str, *, status: str | None = None, sort: str = "updated", descending: bool = True,
    trashed: bool = False, conflicts: bool = False, offset: int = 0, limit: int = 50, with_channels: bool = False,
) -> QuickPage | None:
    """The page ``Store.list_articles`` would return for these filters, or None: take the usual way.

    ``target`` is the database as given (a path or URL); only an existing, current SQLite
    file is read here, and nothing in it is changed. ``with_channels``: the channels' names
    too (as ``Store.list_channels`` orders them), read in the same snapshot.
    """
    if "://" in target or sort not in _SORT_COLUMNS or not 0 <= limit <= MAX_PAGE or offset < 0:
        return None
    if status is not None and status not in set(ArticleStatus):
        return None  # the usual way says what is wrong with it
    path = Path(target).expanduser().resolve()
    if not path.is_file():
        return None  # the usual way creates it
    try:
        # mode=rw: never creates a file; only reads here. The -wal/-shm files are shared as usual.
        connection = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S,
                                     isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")  # one snapshot for the markers, the count and the page
        if not current_file(connection):
            return None
        page = _read_page(connection, status, sort, descending, trashed, conflicts, offset, limit)
        if with_channels:
            names = connection.execute("SELECT path, name FROM channels ORDER BY path").fetchall()
            page = replace(page, channels=tuple(names))
        return page
    except sqlite3.Error:
        return None  # locked for too long, damaged, not ours…: the usual way reports it
    finally:
        connection.close()


def current_file(connection: sqlite3.Connection) -> bool:
    """The file is as the usual open leaves it: schema at the head, index format current, WAL."""
    schema = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    index = connection.execute("SELECT value FROM app_meta WHERE key = 'search_format'").fetchall()
    journal = connection.execute("PRAGMA journal_mode").fetchone()
    return (schema == [(SCHEMA_HEAD,)] and index == [(SEARCH_FORMAT,)]
            and journal is not None and str(journal[0]).lower() == "wal")


def _read_page(connection: sqlite3.Connection, status: str | None, sort: str, descending: bool, trashed: bool,
               conflicts: bool, offset: int, limit: int) -> QuickPage:
    # The same filters and order as core.article_list builds (list_filter, sort_column).
    where = ["a.deleted_at IS NOT NULL" if trashed else "a.deleted_at IS NULL"]
    params: list[object] = []
    if conflicts:
        where.append("a.conflict_of IS NOT NULL")
    if status is not None:
        where.append("a.status = ?")
        params.append(status)
    condition = " AND ".join(where)
    total = connection.execute(f"SELECT count(a.id) FROM articles AS a WHERE {condition}", params).fetchone()[0]
    column, direction = f"a.{_SORT_COLUMNS[sort]}", "DESC" if descending else "ASC"
    order = f"{column} {direction}, a.id {direction}"
    if sort in _NULLS_LAST:
        order = f"{column} IS NULL, {order}"
    rows = connection.execute(
        "SELECT a.id, a.uuid, a.number, a.title, c.path, a.status, a.author, a.updated_at, a.published_at, "
        "a.deleted_at "
        f"FROM articles AS a LEFT OUTER JOIN channels AS c ON c.id = a.channel_id WHERE {condition} "
        f"ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset],
    ).fetchall()
    items = tuple(
        QuickRow(row_id, uuid, number, title, path, row_status, author, _stored_time(updated), _stored_time(published),
                 _stored_time(deleted))
        for row_id, uuid, number, title, path, row_status, author, updated, published, deleted in rows
    )
    return QuickPage(items=items, total=total, offset=offset, limit=limit)


def _stored_time(value: str | None) -> datetime | None:
    # As core.models.UTCDateTime reads it: SQLite keeps UTC without a zone.
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
