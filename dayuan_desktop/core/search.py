"""Full-text search over the archive with exact substring semantics, for any query length.

What a query means (the contract the tests check against a plain scan):
the query and each article's *search text* (title, subtitle, summary, body, tags, photo
captions and photographers, joined by newlines) are normalised with NFKC and case
folding; the query is split on white space into terms; an article matches when every
term is a substring of its search text. Results come newest first by ``Article.sort_key``.

SQLite design (why not FTS5 ``trigram``: on SQLite 3.40 it finds nothing for one- and
two-character queries, and its index is ~4.5x the text):

* ``search_uni``: FTS5, contentless, ``detail=none``: for each article the set of distinct
  characters it contains. A one-character term is one exact lookup.
* ``search_bi``: FTS5, contentless, ``detail=none``: the set of distinct adjacent character
  pairs (never across white space). A two-character term is one exact lookup; a longer
  term is the AND of its pairs, a superset that is then verified against the stored text.
* ``search_docs``: per article the normalised search text, zlib-compressed; it is what
  verification reads and what index maintenance deletes with (contentless FTS5 tables on
  SQLite 3.40 can only forget a row given its old tokens).

Only *sets* are stored (no positions), so the index stays small; the FTS rowid is the
article's ``sort_key``, so "newest first" is FTS5's own rowid order and a query stops after
the page it needs. Characters other than common CJK ideographs and ASCII letters/digits are
written as ``x`` plus six hex digits, a prefix-free code, so SQLite's tokenizer (with its
old Unicode tables) never splits or folds a token.

PostgreSQL: ``search_docs.content`` holds the normalised text with a ``pg_trgm`` GIN index;
``LIKE '%term%'`` uses it for terms of three or more characters and stays correct (by
scan) for shorter ones.
"""

from __future__ import annotations

import operator
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, text

# Bumped whenever normalisation or tokenisation changes; the store rebuilds the index on open.
SEARCH_FORMAT = "3"

_SORT_KEY_LOW_BITS = 24  # articles per second of publish time before keys could collide
_PLAIN_ASCII = frozenset("abcdefghijklmnopqrstuvwyz0123456789")  # 'x' is the escape letter


def normalize(value: str) -> str:
    """Fold a text the way both the index and the query see it (NFKC, then case folding)."""
    return unicodedata.normalize("NFKC", value).casefold()


def build_search_text(
    *,
    title: str,
    subtitle: str = "",
    summary: str = "",
    body: str = "",
    tags: Iterable[str] = (),
    captions: Iterable[str] = (),
) -> str:
    """The normalised text an article is searched by (fields joined by newlines)."""
    parts = [title, subtitle, summary, body, *tags, *captions]
    return "\n".join(normalize(part) for part in parts if part)


def query_terms(query: str) -> list[str]:
    """Split a user's query into normalised terms, dropping duplicates, keeping order."""
    seen: dict[str, None] = {}
    for term in normalize(query).split():
        seen.setdefault(term, None)
    return list(seen)


def text_matches(search_text: str, terms: Sequence[str]) -> bool:
    """The reference semantics: every term occurs in the text as a substring."""
    return all(term in search_text for term in terms)


def make_sort_key(when: datetime, article_id: int) -> int:
    """A 64-bit key that orders articles by time (seconds), then by id; unique per id."""
    if when.tzinfo is None:
        raise ValueError("sort time must be timezone-aware")
    seconds = int(when.astimezone(UTC).timestamp())
    return (seconds << _SORT_KEY_LOW_BITS) | (article_id & ((1 << _SORT_KEY_LOW_BITS) - 1))


class _TokenCode(dict[str, str]):
    """Character → index token; computed once per character, then a dict hit."""

    def __missing__(self, char: str) -> str:
        code = ord(char)
        plain = (
            char in _PLAIN_ASCII
            or 0x4E00 <= code <= 0x9FA5  # CJK unified ideographs known to SQLite's tables
            or 0x3400 <= code <= 0x4DB5  # extension A
        )
        token = char if plain else f"x{code:06x}"
        self[char] = token
        return token


_TOKEN = _TokenCode()


# Characters that are not their own token (and the space that separates tokens is kept).
_NEEDS_CODE = re.compile("[^ abcdefghijklmnopqrstuvwyz0123456789\u4e00-\u9fa5\u3400-\u4db5]")


def _encode(joined: str) -> str:
    # One regex pass in C; Python only runs for the few characters that need a code.
    return _NEEDS_CODE.sub(lambda match: _TOKEN[match.group()], joined)


def unigram_tokens(search_text: str) -> str:
    """The distinct characters of a text as index tokens, space separated (order is irrelevant)."""
    return _encode(" ".join(set("".join(search_text.split()))))


def bigram_tokens(search_text: str) -> str:
    """The distinct adjacent character pairs (not across white space) as index tokens."""
    pairs: set[str] = set()
    for chunk in search_text.split():
        pairs.update(map(operator.add, chunk, chunk[1:]))
    return _encode(" ".join(pairs))


def _fts_and(tokens: Iterable[str]) -> str:
    return " AND ".join(f'"{token}"' for token in tokens)


@dataclass(frozen=True)
class SearchFilter:
    """Optional restrictions applied together with the text query."""

    channel_id: int | None = None
    status: str | None = None
    include_trashed: bool = False


def _filter_sql(filters: SearchFilter, params: dict) -> str:
    clauses = []
    if not filters.include_trashed:
        clauses.append("a.deleted_at IS NULL")
    if filters.channel_id is not None:
        clauses.append("a.channel_id = :channel_id")
        params["channel_id"] = filters.channel_id
    if filters.status is not None:
        clauses.append("a.status = :status")
        params["status"] = filters.status
    return "".join(f" AND {clause}" for clause in clauses)


class SearchIndex:
    """Keeps the search index of one database up to date and answers queries."""

    def __init__(self, dialect_name: str) -> None:
        self.dialect = dialect_name

    # -- maintenance -------------------------------------------------------------------
    def update(self, conn: Connection, article_id: int, sort_key: int, search_text: str, *, new: bool = False) -> None:
        """Index (or re-index) one article; a no-op when nothing it is found by changed.

        ``new``: the article was just created, so there is no old entry to look up.
        """
        if self.dialect == "sqlite":
            self._update_sqlite(conn, article_id, sort_key, search_text, new=new)
        else:
            conn.execute(
                text(
                    "INSERT INTO search_docs (article_id, content) VALUES (:id, :content) "
                    "ON CONFLICT (article_id) DO UPDATE SET content = EXCLUDED.content"
                ),
                {"id": article_id, "content": search_text},
            )

    def remove(self, conn: Connection, article_id: int) -> None:
        """Forget an article entirely (before it is purged)."""
        if self.dialect == "sqlite":
            old = conn.execute(
                text("SELECT fts_rowid, packed FROM search_docs WHERE article_id = :id"), {"id": article_id}
            ).first()
            if old is not None:
                self._fts_delete(conn, old.fts_rowid, _unpack(old.packed))
        conn.execute(text("DELETE FROM search_docs WHERE article_id = :id"), {"id": article_id})

    def clear(self, conn: Connection) -> None:
        """Empty the whole index (before a rebuild)."""
        if self.dialect == "sqlite":
            conn.execute(text("INSERT INTO search_uni(search_uni) VALUES ('delete-all')"))
            conn.execute(text("INSERT INTO search_bi(search_bi) VALUES ('delete-all')"))
        conn.execute(text("DELETE FROM search_docs"))

    def optimize(self, conn: Connection) -> None:
        """Merge index segments (after bulk loads); cheap to skip, good for query speed."""
        if self.dialect == "sqlite":
            conn.execute(text("INSERT INTO search_uni(search_uni) VALUES ('optimize')"))
            conn.execute(text("INSERT INTO search_bi(search_bi) VALUES ('optimize')"))

    def _update_sqlite(
        self, conn: Connection, article_id: int, sort_key: int, search_text: str, *, new: bool = False
    ) -> None:
        old = None if new else conn.execute(
            text("SELECT fts_rowid, packed FROM search_docs WHERE article_id = :id"), {"id": article_id}
        ).first()
        if old is not None:
            old_text = _unpack(old.packed)
            if old.fts_rowid == sort_key and old_text == search_text:
                return
            self._fts_delete(conn, old.fts_rowid, old_text)
        conn.execute(
            text("INSERT INTO search_uni(rowid, t) VALUES (:key, :t)"),
            {"key": sort_key, "t": unigram_tokens(search_text)},
        )
        conn.execute(
            text("INSERT INTO search_bi(rowid, t) VALUES (:key, :t)"),
            {"key": sort_key, "t": bigram_tokens(search_text)},
        )
        conn.execute(
            text(
                "INSERT INTO search_docs (article_id, fts_rowid, packed) VALUES (:id, :key, :packed) "
                "ON CONFLICT (article_id) DO UPDATE SET fts_rowid = excluded.fts_rowid, packed = excluded.packed"
            ),
            {"id": article_id, "key": sort_key, "packed": _pack(search_text)},
        )

    def _fts_delete(self, conn: Connection, rowid: int, old_text: str) -> None:
        conn.execute(
            text("INSERT INTO search_uni(search_uni, rowid, t) VALUES ('delete', :key, :t)"),
            {"key": rowid, "t": unigram_tokens(old_text)},
        )
        conn.execute(
            text("INSERT INTO search_bi(search_bi, rowid, t) VALUES ('delete', :key, :t)"),
            {"key": rowid, "t": bigram_tokens(old_text)},
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
            return self._search_sqlite(conn, terms, offset, limit, filters)
        return self._search_like(conn, terms, offset, limit, filters)

    def _search_sqlite(
        self, conn: Connection, terms: list[str], offset: int, limit: int, filters: SearchFilter
    ) -> list[int]:
        chars = [t for t in terms if len(t) == 1]
        pair_tokens: set[str] = set()
        for term in terms:
            if len(term) > 1:
                pair_tokens.update(_TOKEN[a] + _TOKEN[b] for a, b in zip(term, term[1:], strict=False))
        needs_check = [t for t in terms if len(t) > 2]
        params: dict = {}
        # Drive from one FTS table (its rowid order is "newest first"); the other narrows.
        if pair_tokens:
            driver, params["q"] = "search_bi", _fts_and(sorted(pair_tokens))
            if chars:
                params["u"] = _fts_and(sorted(_TOKEN[c] for c in chars))
        else:
            driver, params["q"] = "search_uni", _fts_and(sorted(_TOKEN[c] for c in chars))
        narrow = " AND f.rowid IN (SELECT rowid FROM search_uni WHERE search_uni MATCH :u)" if "u" in params else ""
        where = _filter_sql(filters, params)
        columns = "a.id, d.packed" if needs_check else "a.id"
        join_docs = " JOIN search_docs d ON d.article_id = a.id" if needs_check else ""
        sql = (
            f"SELECT {columns} FROM {driver} f JOIN articles a ON a.sort_key = f.rowid{join_docs} "
            f"WHERE {driver} MATCH :q{narrow}{where} ORDER BY f.rowid DESC"
        )
        if not needs_check:
            params.update(limit=limit, offset=offset)
            rows = conn.execute(text(sql + " LIMIT :limit OFFSET :offset"), params)
            return [row.id for row in rows]
        found: list[int] = []
        wanted = offset + limit
        for row in conn.execute(text(sql), params):
            if text_matches(_unpack(row.packed), needs_check):
                found.append(row.id)
                if len(found) >= wanted:
                    break
        return found[offset:]

    def _search_like(
        self, conn: Connection, terms: list[str], offset: int, limit: int, filters: SearchFilter
    ) -> list[int]:
        params: dict = {"limit": limit, "offset": offset}
        likes = []
        for i, term in enumerate(terms):
            params[f"t{i}"] = "%" + _escape_like(term) + "%"
            likes.append(f"d.content LIKE :t{i} ESCAPE '\\'")
        where = _filter_sql(filters, params)
        sql = (
            "SELECT a.id FROM search_docs d JOIN articles a ON a.id = d.article_id "
            f"WHERE {' AND '.join(likes)}{where} ORDER BY a.sort_key DESC LIMIT :limit OFFSET :offset"
        )
        return [row.id for row in conn.execute(text(sql), params)]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _pack(search_text: str) -> bytes:
    return zlib.compress(search_text.encode("utf-8"), 6)


def _unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8")
