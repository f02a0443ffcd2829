"""Rebuilding the SQLite search index in the background, batch by batch (scheme: ``building``).

:func:`build_in_steps` runs on a worker with the app's :class:`~dayuan_desktop.core.db.Database`
(each step its own short write transaction on its own pooled connection); the app keeps
listing, editing and saving meanwhile, and searches scan the articles until the swap.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from dayuan_desktop.core.search import building, bulk
from dayuan_desktop.core.search.index import SearchIndex
from dayuan_desktop.core.search.text import make_sort_key

BATCH = 200  # articles per transaction: a save waits at most about one batch (~1 s)


# Fewer articles than this are indexed in one go when the workspace opens (about a second).
BACKGROUND_FROM = 200


def start_build(database, index: SearchIndex) -> bool:
    """Begin (or resume) a background build when the index is out of date; False when current.

    Called when the workspace opens, before any save: from then on saves keep the new tables.
    Also False on PostgreSQL and for small databases (under ``BACKGROUND_FROM`` articles, with
    no build under way): the caller's ``Store.ensure_search_index`` rebuilds them at once.
    """
    if database.dialect != "sqlite":
        return False
    with database.session(write=True) as session:
        conn = session.connection()
        small = conn.exec_driver_sql("SELECT count(*) FROM articles").scalar() < BACKGROUND_FROM
        if small and not building.building(conn):
            return False
        started = building.start(conn)
        if started:
            _fix_sort_keys(conn)
    return started


def build_in_steps(
    database, index: SearchIndex, *, batch: int = BATCH, progress: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> bool:
    """Index every article into the new tables, then swap them in; False when another did it.

    ``progress(done, total)`` after each batch; ``stop()`` true ends the work between batches
    (False returned, the build resumes at the next open). Safe to run in several processes
    at once and to kill at any point (the next :func:`start_build` resumes).
    """
    if _big(database):  # a first pass with tokens made ahead in a helper process
        from dayuan_desktop.core.search.prepared import prepared_pass

        prepared_pass(database, index, batch=batch, progress=progress, stop=stop)
    cursor = 0
    while stop is None or not stop():
        with database.session(write=True) as session:
            conn = session.connection()
            if not building.start(conn):
                return False  # current already (someone else finished, or rebuilt in one go)
            ids = _missing(conn, cursor, batch)
            if not ids and cursor == 0:
                if building.merge_step(conn):
                    continue  # one bounded merge per transaction: saves never wait for a whole 'optimize'
                building.swap(conn)  # nothing missing, checked in the swap's own transaction
                return True
            if ids:
                _index(conn, index, ids)
            counts = _counts(conn) if progress is not None and ids else None
        # No article after the cursor is missing: one more pass from the start catches those
        # indexed out of order or left behind by a reset, then the swap.
        cursor = ids[-1] if ids else 0
        if counts is not None:
            progress(*counts)  # after the commit: a callback may itself save
    return False


def _missing(conn: Connection, after: int, limit: int) -> list[int]:
    from dayuan_desktop.core.search.prepared import missing_ids

    return missing_ids(conn, after, limit)


def _big(database) -> bool:
    with database.session() as session:
        return (session.connection().exec_driver_sql("SELECT count(*) FROM articles").scalar() or 0) >= bulk.POOL_FROM


def _index(conn: Connection, index: SearchIndex, ids: list[int]) -> None:
    entries = sorted(index._texts(conn, ids).items())
    index._insert(conn, entries, (building.NEW_GRAMS, building.NEW_DOCS))


def _counts(conn: Connection) -> tuple[int, int]:
    done = conn.exec_driver_sql(f"SELECT count(*) FROM {building.NEW_DOCS}").scalar() or 0
    return done, conn.exec_driver_sql("SELECT count(*) FROM articles").scalar() or 0


def _fix_sort_keys(conn: Connection) -> None:
    """Recompute sort keys that differ (databases from before the search index have zeros)."""
    from sqlalchemy import select

    from dayuan_desktop.core.models import Article

    rows = conn.execute(select(Article.id, Article.published_at, Article.created_at, Article.sort_key))
    stale = [
        (key, row.id) for row in rows
        if row.sort_key != (key := make_sort_key(row.published_at or row.created_at, row.id))
    ]
    if stale:
        conn.exec_driver_sql("UPDATE articles SET sort_key = ? WHERE id = ?", stale)
