"""The search index of one database: kept up to date as articles change, and asked queries
(SQLite's plans in ``sqlite_plans``, PostgreSQL's query in ``postgres``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, text

from dayuan_desktop.core.search import building, bulk, postgres
from dayuan_desktop.core.search.filters import SearchFilter, chunks
from dayuan_desktop.core.search.scan import scan_search
from dayuan_desktop.core.search.sqlite_plans import COLLECT_LIMIT, SCAN_SHARE, SqliteQueries
from dayuan_desktop.core.search.text import IndexedText, joined_text, query_terms
from dayuan_desktop.core.search.tokens import index_tokens, text_hash


class IndexOutOfStepError(Exception):
    """The index entry of an article was not built from the text the database holds now."""


class SearchIndex(SqliteQueries):
    """Keeps the search index of one database up to date and answers queries.

    Index maintenance reads articles from the database (never from ORM objects), so the
    text an entry is built from and the text it is later forgotten by are read the same way.
    Callers flush their changes before :meth:`update` and call :meth:`texts` for the articles
    they are about to change *before* changing them.
    """

    def __init__(self, dialect_name: str) -> None:
        self.dialect = dialect_name
        # Tests change these to run every plan on a handful of articles.
        self.collect_limit = COLLECT_LIMIT
        self.scan_share = SCAN_SHARE

    # -- reading the text an article is searched by ------------------------------------
    def texts(self, conn: Connection, article_ids: Sequence[int]) -> dict[int, IndexedText]:
        """The search text of each article as the database holds it now (missing ids left out)."""
        found: dict[int, IndexedText] = {}
        for chunk in chunks(list(article_ids), 500):
            found.update(self._texts(conn, chunk))
        return found

    def _texts(self, conn: Connection, ids: Sequence[int]) -> dict[int, IndexedText]:
        return {article_id: joined_text(fields) for article_id, fields in self._fields(conn, ids).items()}

    def _fields(self, conn: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
        """Each article's searched fields as stored (not normalised), in search-text order."""
        # The ids are written into the statement (integers from the index, never user text):
        # hundreds of bound parameters cost more to compile than the query takes to run.
        marks = ", ".join(str(int(i)) for i in ids)
        rows = conn.exec_driver_sql(f"SELECT id, title, subtitle, summary, body FROM articles WHERE id IN ({marks})").all()
        if not rows:
            return {}
        fields = {row[0]: [row[1], row[2], row[3], row[4]] for row in rows}
        for article_id, name in conn.exec_driver_sql(
            "SELECT l.article_id, t.name FROM article_tags l JOIN tags t ON t.id = l.tag_id "
            f"WHERE l.article_id IN ({marks}) ORDER BY l.article_id, l.position, l.tag_id"
        ):
            fields[article_id].append(name)
        for article_id, caption, photographer in conn.exec_driver_sql(
            "SELECT l.article_id, p.caption, p.photographer FROM article_photos l "
            f"JOIN photos p ON p.id = l.photo_id WHERE l.article_id IN ({marks}) "
            "ORDER BY l.article_id, l.position, l.id"
        ):
            fields[article_id] += (caption, photographer)
        return fields

    def texts_before_change(self, conn: Connection, article_ids: Sequence[int]) -> dict[int, IndexedText]:
        """The texts the index entries of these articles were built from (read before a change).

        On SQLite each text is checked against the hash kept when its entry was written; if
        one differs (the database was changed behind the store's back) the whole index is
        rebuilt first, so that what is returned is again what the index holds.

        During a background build (see ``core.search.building``) the texts are checked against
        the new tables and only the articles already in them are returned; a mismatch there
        starts the build again.
        """
        if self.dialect != "sqlite":
            return {}  # PostgreSQL's index is a plain column, overwritten on update
        tables = building.new_tables(conn)
        current = self.texts(conn, article_ids)
        if not current or tables is None:
            return {}
        try:
            return self._check_hashes(conn, current, tables[1], every=tables[1] == "search_docs")
        except IndexOutOfStepError:
            if tables[1] == "search_docs":
                self.rebuild(conn)
                return current
            building.reset(conn)
            return {}

    def _check_hashes(
        self, conn: Connection, current: dict[int, IndexedText], docs: str, *, every: bool
    ) -> dict[int, IndexedText]:
        """The texts whose entry ``docs`` holds (``every``: all must be there), hash-checked."""
        indexed = {}
        for chunk in chunks(list(current), 500):
            marks = ", ".join(str(int(i)) for i in chunk)
            stored = dict(
                conn.exec_driver_sql(f"SELECT article_id, text_hash FROM {docs} WHERE article_id IN ({marks})").all()
            )
            for article_id in chunk:
                if article_id not in stored and not every:
                    continue
                if stored.get(article_id) != text_hash(*current[article_id]):
                    raise IndexOutOfStepError(f"article {article_id}")
                indexed[article_id] = current[article_id]
        return indexed

    # -- maintenance -------------------------------------------------------------------
    def update(
        self, conn: Connection, article_id: int, *, old_text: IndexedText | None, new: bool = False,
        new_text: IndexedText | None = None,
    ) -> None:
        """Index (or re-index) one article from the database as it is now (changes flushed).

        ``old_text``: what :meth:`texts_before_change` returned for it; None with ``new``
        (just created, nothing indexed yet). Nothing is written when the text is unchanged.
        ``new_text``: the text as the caller just wrote it (``joined_text`` of the fields in
        :meth:`_fields`' order), saving the read back; None reads it from the database.
        """
        if new_text is None:
            new_text = self.texts(conn, [article_id]).get(article_id)
        if new_text is None:
            raise ValueError(f"article {article_id} is not in the database")
        if self.dialect != "sqlite":
            postgres.store_content(conn, article_id, new_text)
            return
        tables = building.new_tables(conn)
        if tables is None:
            return  # a build of another format is under way: it indexes the article later
        if old_text is None and not new:
            indexed = conn.exec_driver_sql(f"SELECT 1 FROM {tables[1]} WHERE article_id = ?", (article_id,)).first()
            if indexed is not None:
                # Changed without texts_before_change: what the entry holds is unknown now.
                self.rebuild(conn) if tables[1] == "search_docs" else building.reset(conn)
                return
        if old_text == new_text:
            return
        if old_text is not None:
            self._fts_delete(conn, article_id, old_text, tables[0])
        self._insert(conn, [(article_id, new_text)], tables)

    def remove(self, conn: Connection, article_id: int, old_text: IndexedText | None) -> None:
        """Forget an article entirely (before it is purged); ``old_text`` from :meth:`texts_before_change`."""
        tables = building.new_tables(conn) if self.dialect == "sqlite" else ("", "search_docs")
        if tables is None:
            return
        if self.dialect == "sqlite" and old_text is not None:
            self._fts_delete(conn, article_id, old_text, tables[0])
        conn.execute(text(f"DELETE FROM {tables[1]} WHERE article_id = :id"), {"id": article_id})

    def clear(self, conn: Connection) -> None:
        """Empty the whole index (before a rebuild)."""
        if self.dialect == "sqlite":
            building.drop_new(conn)  # a background build, if any, is made needless by this one
            building.make_grams(conn)
        conn.execute(text("DELETE FROM search_docs"))

    def optimize(self, conn: Connection) -> None:
        """Merge index segments into one (after bulk loads): fewer segments to look a token up in."""
        if self.dialect == "sqlite":
            conn.execute(text("INSERT INTO search_grams(search_grams) VALUES ('optimize')"))

    def rebuild(self, conn: Connection, *, batch: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
        """Index every article again from the database; returns how many were indexed.

        ``progress(done, total)`` after each batch. SQLite: tokens made in a helper process
        for big databases (``core.search.bulk``).
        """
        self.clear(conn)
        ids = list(conn.execute(text("SELECT id FROM articles ORDER BY id")).scalars())
        if self.dialect == "sqlite":
            bulk.index_all(conn, lambda chunk: self._fields(conn, chunk), ids, progress=progress)
        else:
            for done, chunk in enumerate(chunks(ids, batch), 1):
                postgres.insert_contents(conn, sorted(self._texts(conn, chunk).items()))
                if progress is not None:
                    progress(min(done * batch, len(ids)), len(ids))
        self.optimize(conn)
        return len(ids)

    def _insert(
        self, conn: Connection, entries: Sequence[tuple[int, IndexedText]],
        tables: tuple[str, str] = ("search_grams", "search_docs"),
    ) -> None:
        grams, docs = tables
        conn.exec_driver_sql(
            f"INSERT INTO {grams}(rowid, t) VALUES (?, ?)", [(i, index_tokens(*t)) for i, t in entries]
        )
        conn.exec_driver_sql(
            f"INSERT INTO {docs} (article_id, text_hash) VALUES (?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET text_hash = excluded.text_hash",
            [(i, text_hash(*t)) for i, t in entries],
        )

    def _fts_delete(self, conn: Connection, article_id: int, old_text: IndexedText, grams: str) -> None:
        conn.exec_driver_sql(
            f"INSERT INTO {grams}({grams}, rowid, t) VALUES ('delete', ?, ?)", (article_id, index_tokens(*old_text))
        )

    # -- queries -----------------------------------------------------------------------
    def search(
        self,
        conn: Connection,
        query: str,
        *,
        offset: int = 0,
        limit: int = 50,
        filters: SearchFilter | None = None,
    ) -> list[int]:
        """Article ids matching ``query`` (see the module doc), newest first, one page."""
        if offset < 0 or limit < 0:
            raise ValueError("offset and limit must not be negative")
        terms = query_terms(query)
        if not terms or limit == 0:
            return []
        filters = filters or SearchFilter()
        if self.dialect == "sqlite":
            if not building.usable(conn):  # being rebuilt, or never built: an exact scan instead
                return scan_search(self, conn, terms, offset, limit, filters)
            return self._search_sqlite(conn, terms, offset, limit, filters)
        return postgres.search_like(conn, terms, offset, limit, filters)
