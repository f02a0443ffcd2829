"""Indexing many articles at once (a rebuild): tokens made in a helper process while this one
writes them into FTS5.

Measured at 100,000 articles (benchmarks/index_bench.py): per article, normalising and making
tokens costs ~1 ms of Python, reading the fields and the FTS5 insert ~2.2 ms in this process at
format 6 (format 5: 1.9 and 2.7 ms; format 7: the rebuild's whole 220.7 s of CPU here, 2.2 ms);
one after the other that is over 300 s. Here a spawned helper process makes the tokens of the
next batches while this process inserts the current one, so a rebuild takes about the FTS5 time
alone. Small rebuilds (under ``POOL_FROM`` articles) stay in this process: spawning costs ~0.5 s.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Connection

from dayuan_desktop.core.search.text import joined_text
from dayuan_desktop.core.search.tokens import index_tokens, text_hash

POOL_FROM = 5000
BATCH = 500
IN_FLIGHT = 3  # batches handed to the helper ahead of the insert
LOADING_AUTOMERGE = 16
DEFAULT_AUTOMERGE = 4  # FTS5's default
# FTS5 gathers a transaction's postings in memory up to this many bytes before writing a
# segment. An import writes batches of 500 articles, each its own transaction: 8 MiB makes one
# segment per batch instead of several (10,000 articles: 1.39 → 1.16 ms of FTS5 CPU an
# article). A rebuild is one long transaction: there 8 MiB was slower (100,000 articles: 309 s
# of CPU against 229 s with FTS5's 1 MiB), so only the import asks for it.
LOADING_HASHSIZE = 8 << 20
DEFAULT_HASHSIZE = 1 << 20


def entries(rows: Iterable[tuple[int, Sequence[str]]]) -> list[tuple[int, str, int]]:
    """(id, index tokens, text hash) of each (id, fields) row: the work the helper does."""
    made = []
    for article_id, fields in rows:
        indexed = joined_text(fields)
        made.append((article_id, index_tokens(*indexed), text_hash(*indexed)))
    return made


def insert_entries(conn: Connection, made: Sequence[tuple[int, str, int]], grams: str, docs: str) -> None:
    conn.exec_driver_sql(f"INSERT INTO {grams}(rowid, t) VALUES (?, ?)", [(i, t) for i, t, _h in made])
    conn.exec_driver_sql(
        f"INSERT INTO {docs} (article_id, text_hash) VALUES (?, ?) "
        "ON CONFLICT (article_id) DO UPDATE SET text_hash = excluded.text_hash",
        [(i, h) for i, _t, h in made],
    )


def index_all(
    conn: Connection, read_fields: Callable[[Sequence[int]], dict[int, list[str]]], ids: Sequence[int],
    *, grams: str = "search_grams", docs: str = "search_docs",
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Index the articles ``ids`` (fields read by ``read_fields``) into ``grams``/``docs``."""
    batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
    done = 0
    # Merge 16 segments at a time instead of 4 while loading (6,000 articles: 11 % less CPU);
    # the default comes back at the end, in the same transaction.
    set_loading(conn, grams, True)

    def insert(made: list[tuple[int, str, int]]) -> None:
        nonlocal done
        insert_entries(conn, made, grams, docs)
        done += len(made)
        if progress is not None:
            progress(done, len(ids))

    try:
        _load(read_fields, batches, insert, big=len(ids) >= POOL_FROM)
    finally:
        set_loading(conn, grams, False)


def set_loading(conn: Connection, grams: str, loading: bool, *, batch_buffer: bool = False) -> None:
    """FTS5's merge settings of ``grams`` for a bulk load, or back to its defaults; with
    ``batch_buffer`` also the postings buffer sized for batches of ``BATCH`` articles."""
    automerge, hashsize = (LOADING_AUTOMERGE, LOADING_HASHSIZE) if loading else (DEFAULT_AUTOMERGE, DEFAULT_HASHSIZE)
    conn.exec_driver_sql(f"INSERT INTO {grams}({grams}, rank) VALUES ('automerge', {automerge})")
    if batch_buffer:
        conn.exec_driver_sql(f"INSERT INTO {grams}({grams}, rank) VALUES ('hashsize', {hashsize})")


def _load(read_fields, batches, insert, *, big: bool) -> None:
    if not big:
        for batch in batches:
            insert(entries(sorted(read_fields(batch).items())))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: the window may have threads (Qt, jobs); forking a process with threads can deadlock.
    workers = 1 if (os.cpu_count() or 1) <= 2 else 2
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(entries, sorted(read_fields(batch).items())))
            if len(pending) > IN_FLIGHT:
                insert(pending.popleft().result())
        while pending:
            insert(pending.popleft().result())
