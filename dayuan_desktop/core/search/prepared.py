"""The background build's first pass on a big database: tokens made ahead in a helper process.

Batches are read (a read transaction, no write lock) and handed to a spawned helper
(``bulk.entries``); each batch's tokens are then written in a short write transaction that
first re-reads the batch's fields and keeps only what still holds: an article a save indexed
meanwhile is skipped, one whose fields changed since they were read is tokenised again from
its current text, one deleted is left out. Every decision is made inside the write
transaction, so the invariant of ``core.search.building`` holds as in the plain loop
(``background.build_in_steps``, which then catches up whatever this pass left and swaps).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

from sqlalchemy import Connection

from dayuan_desktop.core.search import building, bulk
from dayuan_desktop.core.search.index import SearchIndex

IN_FLIGHT = 3


def prepared_pass(
    database, index: SearchIndex, *, batch: int, progress: Callable[[int, int], None] | None,
    stop: Callable[[], bool] | None,
) -> bool:
    """Index the articles missing from the new tables, in id order; False when stopped or ended."""
    with database.session() as session:
        conn = session.connection()
        total = conn.exec_driver_sql("SELECT count(*) FROM articles").scalar() or 0
        done = conn.exec_driver_sql(f"SELECT count(*) FROM {building.NEW_DOCS}").scalar() or 0
    ahead: deque[tuple[dict[int, list[str]], Future]] = deque()
    cursor = 0
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        while True:
            while cursor is not None and len(ahead) < IN_FLIGHT:
                with database.session() as session:
                    conn = session.connection()
                    ids = missing_ids(conn, cursor, batch)
                    fields = index._fields(conn, ids) if ids else {}
                cursor = ids[-1] if ids else None
                if ids:
                    ahead.append((fields, pool.submit(bulk.entries, sorted(fields.items()))))
            if not ahead:
                return True
            if stop is not None and stop():
                for _fields, future in ahead:
                    future.cancel()
                return False
            fields, future = ahead.popleft()
            made = future.result()
            with database.session(write=True) as session:
                conn = session.connection()
                if building.new_tables(conn) != (building.NEW_GRAMS, building.NEW_DOCS):
                    return False  # finished elsewhere, or reset: the plain loop decides
                done += _write_checked(conn, index, fields, made)
            if progress is not None:
                progress(min(done, total), total)


def missing_ids(conn: Connection, after: int, limit: int) -> list[int]:
    """Ids after ``after`` not in the new tables yet, in order."""
    return [row[0] for row in conn.exec_driver_sql(
        f"SELECT id FROM articles a WHERE id > ? AND NOT EXISTS "
        f"(SELECT 1 FROM {building.NEW_DOCS} d WHERE d.article_id = a.id) ORDER BY id LIMIT ?", (after, limit),
    )]


def _write_checked(conn: Connection, index: SearchIndex, sent: dict[int, list[str]], made) -> int:
    ids = list(sent)
    marks = ", ".join(str(int(i)) for i in ids)
    present = {row[0] for row in conn.exec_driver_sql(
        f"SELECT article_id FROM {building.NEW_DOCS} WHERE article_id IN ({marks})")}
    now = index._fields(conn, ids)
    keep, again = [], []
    for article_id, tokens, digest in made:
        if article_id in present or article_id not in now:
            continue
        if now[article_id] == sent[article_id]:
            keep.append((article_id, tokens, digest))
        else:
            again.append(article_id)
    bulk.insert_entries(conn, keep, building.NEW_GRAMS, building.NEW_DOCS)
    if again:
        bulk.insert_entries(conn, bulk.entries((i, now[i]) for i in again), building.NEW_GRAMS, building.NEW_DOCS)
    return len(keep) + len(again)
