"""The state of a search index being rebuilt in the background (SQLite), and its tables.

A format upgrade (``SEARCH_FORMAT`` changed) builds the new index beside the old one, in
``search_grams_new`` and ``search_docs_new`` (same shape as ``search_grams``/``search_docs``),
in many short transactions, while the app keeps working. The scheme that keeps every save:

* ``app_meta['search_format_building']`` (the *marker*) holds the format being built; while
  it exists ``search_format`` is ``'rebuilding'`` (so any code, older or newer, sees the
  index as out of date and no query uses the old tables).
* Invariant: an article is in ``search_docs_new`` exactly when ``search_grams_new`` holds
  its tokens, built from the text whose hash that row keeps. Every writer keeps it inside
  its own (serialised, ``BEGIN IMMEDIATE``) SQLite write transaction:
  - a save during the build writes the *new* tables: it forgets the old entry (when the
    article is there, hash-checked) and inserts the new one; the old tables are left alone;
  - the builder indexes, per transaction, a batch of articles that are not in
    ``search_docs_new`` yet, from the text the database holds in that same transaction.
  So whichever comes first indexes an article, the other sees it indexed and either
  updates the entry (a save) or skips it (the builder): no save can be lost.
* Segments of the new index are merged in small steps (``merge_step``), then the swap is one
  transaction: index whatever is still missing, drop the old tables,
  rename the new ones, set ``search_format``, delete the marker. A process killed before
  it leaves the marker and the committed batches: the next open resumes the build.

Nothing here imports Qt; the window runs :func:`~dayuan_desktop.core.search.background.build_in_steps`
on a worker, the CLI rebuilds in one transaction (``Store.rebuild_search_index``).
"""

from __future__ import annotations

from sqlalchemy import Connection

from dayuan_desktop.core.markers import SEARCH_FORMAT

NEW_GRAMS = "search_grams_new"
NEW_DOCS = "search_docs_new"
MARKER = "search_format_building"
REBUILDING = "rebuilding"  # what search_format holds during a background build

# search_grams as format 7 needs it: FTS5's 'ascii' tokenizer takes the tokens as they are
# written (see core.search.tokens). Migration 0004 made it with unicode61, which folds the
# marks of format 7; every full index build makes the table again (:func:`make_grams`).
_GRAMS_DDL = "CREATE VIRTUAL TABLE {name} USING fts5(t, content='', columnsize=0, detail=none, tokenize='ascii')"
_DOCS_DDL = (
    "CREATE TABLE {name} (article_id INTEGER NOT NULL PRIMARY KEY "
    "REFERENCES articles (id) ON DELETE CASCADE, text_hash BIGINT NOT NULL)"
)


def meta(conn: Connection) -> dict[str, str]:
    """``search_format`` and the marker, when set (one small query)."""
    rows = conn.exec_driver_sql(
        f"SELECT key, value FROM app_meta WHERE key IN ('search_format', '{MARKER}')"
    ).all()
    return {key: value for key, value in rows}


def building(conn: Connection) -> bool:
    """Is a background build under way (or interrupted)?"""
    return MARKER in meta(conn)


def usable(conn: Connection) -> bool:
    """Can queries use ``search_grams``? Not during a build, nor before the index of this
    format was ever built (a database the store has not indexed yet: its entries may be an
    older format's tokens, which this format's queries would misread). Otherwise searches scan."""
    values = meta(conn)
    return MARKER not in values and values.get("search_format") == SEARCH_FORMAT


def new_tables(conn: Connection) -> tuple[str, str] | None:
    """The tables a save must keep up to date: the current ones, the ones being built, or none.

    None while a build of another format is under way (the builder indexes the article later).
    """
    values = meta(conn)
    if MARKER not in values:
        return ("search_grams", "search_docs")
    if values[MARKER] == SEARCH_FORMAT and _exists(conn, NEW_DOCS) and _exists(conn, NEW_GRAMS):
        return (NEW_GRAMS, NEW_DOCS)
    return None


def _exists(conn: Connection, name: str) -> bool:
    return conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).first() is not None


def make_grams(conn: Connection, name: str = "search_grams") -> None:
    """Make ``name`` again, empty, as this format defines it (an index of another format may
    have been made with another tokenizer)."""
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    conn.exec_driver_sql(_GRAMS_DDL.format(name=name))


def drop_new(conn: Connection) -> None:
    """Forget a build: its tables and marker (the caller makes the index current otherwise)."""
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {NEW_GRAMS}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {NEW_DOCS}")
    conn.exec_driver_sql(f"DELETE FROM app_meta WHERE key = '{MARKER}'")


def start(conn: Connection) -> bool:
    """Begin (or resume) a build when the index is not current; False when it is.

    Resumes when the marker names this format and its tables exist; otherwise starts empty.
    """
    values = meta(conn)
    if values.get("search_format") == SEARCH_FORMAT and MARKER not in values:
        return False
    if new_tables(conn) != (NEW_GRAMS, NEW_DOCS):
        reset(conn)
    return True


def reset(conn: Connection) -> None:
    """Start the build again from empty tables (also when an entry proved out of step)."""
    drop_new(conn)
    make_grams(conn, NEW_GRAMS)
    conn.exec_driver_sql(f"INSERT INTO {NEW_GRAMS}({NEW_GRAMS}, rank) VALUES ('automerge', 16)")  # while loading
    conn.exec_driver_sql(_DOCS_DDL.format(name=NEW_DOCS))
    _set(conn, MARKER, SEARCH_FORMAT)
    _set(conn, "search_format", REBUILDING)


def merge_step(conn: Connection) -> bool:
    """Merge some of the new index's segments (about 500 pages); False when nothing was left.

    Before the swap, in small transactions: an 'optimize' of 100,000 articles' index in the
    swap's transaction would hold the write lock longer than a save waits (busy timeout).
    """
    before = conn.exec_driver_sql("SELECT total_changes()").scalar()
    conn.exec_driver_sql(f"INSERT INTO {NEW_GRAMS}({NEW_GRAMS}, rank) VALUES ('merge', -500)")
    return conn.exec_driver_sql("SELECT total_changes()").scalar() - before >= 2


def swap(conn: Connection) -> None:
    """Make the built tables the index (in the caller's transaction, after the last batch)."""
    conn.exec_driver_sql(f"INSERT INTO {NEW_GRAMS}({NEW_GRAMS}, rank) VALUES ('automerge', 4)")  # FTS5's default
    conn.exec_driver_sql(f"INSERT INTO {NEW_GRAMS}({NEW_GRAMS}) VALUES ('optimize')")
    conn.exec_driver_sql("DROP TABLE search_grams")
    conn.exec_driver_sql(f"ALTER TABLE {NEW_GRAMS} RENAME TO search_grams")
    conn.exec_driver_sql("DELETE FROM search_docs")
    conn.exec_driver_sql(f"INSERT INTO search_docs (article_id, text_hash) SELECT article_id, text_hash FROM {NEW_DOCS}")
    conn.exec_driver_sql(f"DROP TABLE {NEW_DOCS}")
    conn.exec_driver_sql(f"DELETE FROM app_meta WHERE key = '{MARKER}'")
    _set(conn, "search_format", SEARCH_FORMAT)


def _set(conn: Connection, key: str, value: str) -> None:
    updated = conn.exec_driver_sql("UPDATE app_meta SET value = ? WHERE key = ?", (value, key))
    if updated.rowcount == 0:
        conn.exec_driver_sql("INSERT INTO app_meta (key, value) VALUES (?, ?)", (key, value))
