"""Full-text search over the archive with exact substring semantics, for any query length.

What a query means (the contract the tests check against a plain scan):
the query and each article's *search text* (title, subtitle, summary, body, tags, photo
captions and photographers, joined by newlines) are normalised with NFKC and case
folding; the query is split on white space into terms; an article matches when every
term is a substring of its search text. Results come newest first by ``Article.sort_key``.

SQLite design (why not FTS5 ``trigram``: on SQLite 3.40 it finds nothing for one- and
two-character queries, and its index is ~4.5x the text):

* ``search_grams``: one FTS5 table, contentless, ``detail=none``, whose rowid is the
  article id. Per article it holds three *sets* of tokens: its distinct characters, its
  distinct adjacent character pairs (never across white space), and its distinct
  trigrams hashed into ``TRIGRAM_BUCKETS`` buckets. A one-character term is one exact
  lookup, a two-character term one exact lookup; a three-character term the AND of its two
  pairs and its trigram's bucket, a longer one the AND of its trigram buckets: a small
  superset that is verified against the article row itself (no second copy of the text is
  kept). Articles holding a character that NFKC turns into a CJK ideograph (豈, ⼀, ㍻)
  also carry ``COMPAT_TOKEN``: every other candidate is verified against its raw text with
  a plain substring test, which is what makes verification cheap.
* Dense rowids (article ids) make a posting about one byte; the old sort-key rowids cost ~6.
  Newest first therefore comes from ``articles.sort_key``: a query that matches few articles
  is collected and sorted; one that matches many walks ``ix_articles_sort_key`` newest first
  and asks the index about each article until the page is full.
* ``search_docs``: per article a 64-bit hash of the text its entry was built from.
  Contentless FTS5 on SQLite 3.40 can only forget a row given its old tokens, so the store
  reads an article's current text before changing it (``SearchIndex.texts``), and the hash
  proves that this is the text the entry was built from (otherwise the index is rebuilt).

Characters other than common CJK ideographs and ASCII letters/digits are written as ``x``
plus six hex digits, a prefix-free code, so SQLite's tokenizer (with its old Unicode
tables) never splits or folds a token; trigram buckets are ``xz`` plus hex digits, which
no code sequence can spell.

PostgreSQL: ``search_docs.content`` holds the normalised text with a ``pg_trgm`` GIN index;
``LIKE '%term%'`` uses it for terms of three or more characters and stays correct (by
scan) for shorter ones.
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import NamedTuple

from sqlalchemy import Connection, text

# Bumped whenever normalisation or tokenisation changes; the store rebuilds the index on open.
SEARCH_FORMAT = "5"

_SORT_KEY_LOW_BITS = 24  # articles per second of publish time before keys could collide
_PLAIN_ASCII = frozenset("abcdefghijklmnopqrstuvwyz0123456789")  # 'x' is the escape letter

# Trigrams are hashed into this many buckets (a power of two). Fewer buckets: denser
# postings (smaller deltas, about a byte each) but more articles that share a bucket with a
# trigram they do not contain, i.e. more candidates to verify. Changing it needs a new
# SEARCH_FORMAT.
TRIGRAM_BUCKETS = 1 << 17
_BUCKET_MASK = TRIGRAM_BUCKETS - 1

# Query plans (SQLite), chosen by the share of matches among the newest SAMPLE_IDS ids:
# fewer than COLLECT_LIMIT matches expected: read and sort them all (~4 µs each, an article
# lookup); a share of SCAN_SHARE or more: check the newest articles' text one by one
# (~100 µs each, about page size / share of them); in between: the matches' ids as a set
# (~0.4 µs each) and a walk of the live sort-key index. Measured on 100,000 synthetic
# articles; see docs/decisions.md.
COLLECT_LIMIT = 1000
SCAN_SHARE = 0.3
SAMPLE_IDS = 2000
VERIFY_BATCH = 256  # candidates verified per round at most


# What NFKC does to single characters, learnt as characters are met (computing it for all
# of Unicode up front costs 0.3 s at start-up): the ones it leaves alone, and the others.
_NFKC_STABLE: set[str] = set()
_NFKC_CHANGES: dict[str, str] = {}
# ASCII and the CJK unified ideographs (with extension A) never change under NFKC; a regex
# skips them in C, so Python only looks at the punctuation and rarer characters.
_OUTSIDE_STABLE_BLOCKS = re.compile("[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]")


def normalize(value: str) -> str:
    """Fold a text the way both the index and the query see it (NFKC, then case folding).

    Equal to ``unicodedata.normalize("NFKC", value).casefold()`` (a Hypothesis test checks
    it), about six times faster on news text: NFKC of a string equals the concatenation of
    its characters' NFKC forms whenever that concatenation is already in NFKC (they share
    one compatibility decomposition), so the few full-width characters news text has are
    replaced one by one and the general algorithm runs only when the check fails.
    """
    if value.isascii():
        return value.casefold()
    mapped = value
    for char in set(_OUTSIDE_STABLE_BLOCKS.findall(value)):
        if char in _NFKC_STABLE:
            continue
        folded = _NFKC_CHANGES.get(char)
        if folded is None:
            folded = unicodedata.normalize("NFKC", char)
            if folded == char:
                _NFKC_STABLE.add(char)
                continue
            _NFKC_CHANGES[char] = folded
        mapped = mapped.replace(char, folded)
    if not unicodedata.is_normalized("NFKC", mapped):
        mapped = unicodedata.normalize("NFKC", value)
    return mapped.casefold()


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


def _encode(joined: str, chars: Iterable[str]) -> str:
    """Write ``joined`` (made of ``chars`` and spaces) as index tokens.

    One ``str.replace`` per distinct character that needs a code (news text has a dozen or
    so); 'x' goes first, since the codes written for the others contain it.
    """
    needing = [c for c in chars if not _PLAIN_CHARS[c]]
    needing.sort(key=lambda c: c != "x")
    for char in needing:
        joined = joined.replace(char, _TOKEN[char])
    return joined


def _is_plain(char: str) -> bool:
    code = ord(char)
    return char in _PLAIN_ASCII or 0x4E00 <= code <= 0x9FA5 or 0x3400 <= code <= 0x4DB5


class _PlainChars(dict[str, bool]):
    """Character → is it its own token; a dict hit after the first time."""

    def __missing__(self, char: str) -> bool:
        self[char] = plain = _is_plain(char)
        return plain


_PLAIN_CHARS = _PlainChars()


def _trigram_bucket(trigram: str) -> int:
    # crc32 rather than hash(): str hashes differ between processes (PYTHONHASHSEED).
    return zlib.crc32(trigram.encode("utf-8")) & _BUCKET_MASK


def _bucket_token(bucket: int) -> str:
    return f"xz{bucket:x}"


_MASK = _BUCKET_MASK.__and__


# The token of articles with a character whose NFKC form holds a CJK ideograph (see
# IndexedText.compat). Neither a character code (x + six hex digits), nor a bucket (xz + hex
# digits), nor a pair of either can spell it.
COMPAT_TOKEN = "xzz"


class IndexedText(NamedTuple):
    """An article's search text, as its index entry is built from it."""

    text: str  # the normalised search text (see build_search_text)
    # Some field holds a character that NFKC turns into a CJK ideograph (豈 U+F900, ⼀ U+2F00,
    # ㍻ U+337B…). Only such an article can contain a Chinese term after normalising that its
    # stored text does not contain as it is; searches check the others on the raw text alone.
    compat: bool = False


def index_tokens(search_text: str, compat: bool = False) -> str:
    """An article's index entry: its distinct characters, pairs and trigram buckets as tokens.

    Pairs and trigrams never span white space (a query term never contains any). Written
    with C-level map/set operations: this runs for every saved article.
    """
    chars: set[str] = set()
    pairs: set[str] = set()
    trigrams: set[str] = set()
    for chunk in search_text.split():
        chars.update(chunk)
        if len(chunk) > 1:
            chunk_pairs = list(map(operator.add, chunk, chunk[1:]))
            pairs.update(chunk_pairs)
            trigrams.update(map(operator.add, chunk_pairs, chunk[2:]))
    buckets = set(map(_MASK, map(zlib.crc32, map(str.encode, trigrams))))
    grams = _encode(" ".join(chars) + " " + " ".join(pairs), chars)
    return grams + " " + " ".join(map("xz{:x}".format, buckets)) + (" " + COMPAT_TOKEN if compat else "")


def term_tokens(term: str) -> set[str]:
    """The index tokens every article containing ``term`` has (the term is normalised).

    One character: its token (exact). Two: the pair (exact). Three: both pairs and the
    trigram's bucket. Longer: the trigram buckets alone: two or more buckets already leave
    almost no article that lacks the term (the pairs, often common words with long postings,
    doubled the time of the lookup and removed next to nothing). Three characters and more
    give a superset, which callers verify against the text.
    """
    if len(term) == 1:
        return {_TOKEN[term]}
    buckets = {_bucket_token(_trigram_bucket(term[i : i + 3])) for i in range(len(term) - 2)}
    if len(buckets) >= 2:
        return buckets
    return buckets | {_TOKEN[a] + _TOKEN[b] for a, b in zip(term, term[1:], strict=False)}


def text_hash(search_text: str, compat: bool = False) -> int:
    """A signed 64-bit digest of what an index entry is built from (what ``search_docs`` keeps per article)."""
    data = search_text.encode("utf-8") + (b"\0compat" if compat else b"")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


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


def _chunks(values: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class IndexOutOfStepError(Exception):
    """The index entry of an article was not built from the text the database holds now."""


class SearchIndex:
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
        for chunk in _chunks(list(article_ids), 500):
            found.update(self._texts(conn, chunk))
        return found

    def _texts(self, conn: Connection, ids: Sequence[int]) -> dict[int, IndexedText]:
        return {article_id: _joined(fields) for article_id, fields in self._fields(conn, ids).items()}

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
        """
        if self.dialect != "sqlite":
            return {}  # PostgreSQL's index is a plain column, overwritten on update
        current = self.texts(conn, article_ids)
        if not current:
            return current
        try:
            self._check_hashes(conn, current)
        except IndexOutOfStepError:
            self.rebuild(conn)
        return current

    def _check_hashes(self, conn: Connection, current: dict[int, IndexedText]) -> None:
        for chunk in _chunks(list(current), 500):
            params = {f"i{n}": value for n, value in enumerate(chunk)}
            marks = ", ".join(f":{name}" for name in params)
            stored = {
                row[0]: row[1]
                for row in conn.execute(
                    text(f"SELECT article_id, text_hash FROM search_docs WHERE article_id IN ({marks})"), params
                )
            }
            for article_id in chunk:
                if stored.get(article_id) != text_hash(*current[article_id]):
                    raise IndexOutOfStepError(f"article {article_id}")

    # -- maintenance -------------------------------------------------------------------
    def update(self, conn: Connection, article_id: int, *, old_text: IndexedText | None, new: bool = False) -> None:
        """Index (or re-index) one article from the database as it is now (changes flushed).

        ``old_text``: what :meth:`texts_before_change` returned for it; None with ``new``
        (just created, nothing indexed yet). Nothing is written when the text is unchanged.
        """
        new_text = self.texts(conn, [article_id]).get(article_id)
        if new_text is None:
            raise ValueError(f"article {article_id} is not in the database")
        if self.dialect != "sqlite":
            conn.execute(
                text(
                    "INSERT INTO search_docs (article_id, content) VALUES (:id, :content) "
                    "ON CONFLICT (article_id) DO UPDATE SET content = EXCLUDED.content"
                ),
                {"id": article_id, "content": new_text.text},
            )
            return
        if old_text is None and not new:
            indexed = conn.execute(
                text("SELECT 1 FROM search_docs WHERE article_id = :id"), {"id": article_id}
            ).first()
            if indexed is not None:
                # Changed without texts_before_change: what the entry holds is unknown now.
                self.rebuild(conn)
                return
        if old_text == new_text:
            return
        if old_text is not None:
            self._fts_delete(conn, article_id, old_text)
        self._insert(conn, [(article_id, new_text)])

    def remove(self, conn: Connection, article_id: int, old_text: IndexedText | None) -> None:
        """Forget an article entirely (before it is purged); ``old_text`` from :meth:`texts_before_change`."""
        if self.dialect == "sqlite" and old_text is not None:
            self._fts_delete(conn, article_id, old_text)
        conn.execute(text("DELETE FROM search_docs WHERE article_id = :id"), {"id": article_id})

    def clear(self, conn: Connection) -> None:
        """Empty the whole index (before a rebuild)."""
        if self.dialect == "sqlite":
            conn.execute(text("INSERT INTO search_grams(search_grams) VALUES ('delete-all')"))
        conn.execute(text("DELETE FROM search_docs"))

    def optimize(self, conn: Connection) -> None:
        """Merge index segments into one (after bulk loads): fewer segments to look a token up in."""
        if self.dialect == "sqlite":
            conn.execute(text("INSERT INTO search_grams(search_grams) VALUES ('optimize')"))

    def rebuild(self, conn: Connection, *, batch: int = 500) -> int:
        """Index every article again from the database; returns how many were indexed."""
        self.clear(conn)
        ids = list(conn.execute(text("SELECT id FROM articles ORDER BY id")).scalars())
        for chunk in _chunks(ids, batch):
            entries = sorted(self._texts(conn, chunk).items())
            if self.dialect == "sqlite":
                self._insert(conn, entries)
            else:
                conn.execute(
                    text("INSERT INTO search_docs (article_id, content) VALUES (:id, :content)"),
                    [{"id": i, "content": t.text} for i, t in entries],
                )
        self.optimize(conn)
        return len(ids)

    def _insert(self, conn: Connection, entries: Sequence[tuple[int, IndexedText]]) -> None:
        conn.execute(
            text("INSERT INTO search_grams(rowid, t) VALUES (:id, :t)"),
            [{"id": i, "t": index_tokens(*t)} for i, t in entries],
        )
        conn.execute(
            text(
                "INSERT INTO search_docs (article_id, text_hash) VALUES (:id, :h) "
                "ON CONFLICT (article_id) DO UPDATE SET text_hash = excluded.text_hash"
            ),
            [{"id": i, "h": text_hash(*t)} for i, t in entries],
        )

    def _fts_delete(self, conn: Connection, article_id: int, old_text: IndexedText) -> None:
        conn.execute(
            text("INSERT INTO search_grams(search_grams, rowid, t) VALUES ('delete', :id, :t)"),
            {"id": article_id, "t": index_tokens(*old_text)},
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
        tokens: set[str] = set()
        for term in terms:
            tokens |= term_tokens(term)
        match = _fts_and(sorted(tokens))
        needs_check = [t for t in terms if len(t) > 2]
        wanted = offset + limit
        params: dict = {"q": match}
        where = _filter_sql(filters, params)
        plan = self._plan(conn, match)
        if plan == "collect":
            # Few matches: read them all (an article lookup each) and sort by sort key.
            sql = (
                "SELECT a.id FROM search_grams f CROSS JOIN articles a ON a.id = f.rowid "
                f"WHERE search_grams MATCH :q{where} ORDER BY a.sort_key DESC"
            )
            if not needs_check:
                params.update(limit=limit, offset=offset)
                return list(conn.execute(text(sql + " LIMIT :limit OFFSET :offset"), params).scalars())
            result = conn.execute(text(sql), params)
            try:
                return self._verified(conn, (row[0] for row in result), needs_check, wanted)[offset:]
            finally:
                result.close()
        walk = self._newest_first(conn, filters)
        try:
            if plan == "walk":
                # Many matches: their ids as one set (one string from SQLite, no row per match
                # through the driver), then the articles newest first, kept when in the set.
                joined = conn.execute(
                    text("SELECT group_concat(rowid) FROM search_grams WHERE search_grams MATCH :q"), {"q": match}
                ).scalar()
                matching = set(map(int, joined.split(","))) if joined else set()
                candidates: Iterator[int] = (i for i in walk if i in matching)
                if not needs_check:
                    return _take(candidates, wanted)[offset:]
                return self._verified(conn, candidates, needs_check, wanted)[offset:]
            # Most articles match: check the newest articles' text directly, the index cannot
            # name a few newest matches more cheaply than that.
            return self._verified(conn, walk, terms, wanted)[offset:]
        finally:
            walk.close()

    def _plan(self, conn: Connection, match: str) -> str:
        """How to answer a match: "collect", "walk" or "scan" (see _search_sqlite).

        Every plan is exact; the choice only decides speed. Article ids are dense, so the
        share of matches among the newest ids (one range read of the index) estimates how
        many articles match and how far a newest-first walk must go.
        """
        top = conn.execute(text("SELECT max(id) FROM articles")).scalar() or 0
        sample = min(top, SAMPLE_IDS)
        if sample == 0:
            return "collect"
        hits = conn.execute(
            text("SELECT count(*) FROM search_grams WHERE search_grams MATCH :q AND rowid > :low"),
            {"q": match, "low": top - sample},
        ).scalar()
        share = hits / sample
        if share * top < self.collect_limit:
            return "collect"
        return "scan" if share >= self.scan_share else "walk"

    def _newest_first(self, conn: Connection, filters: SearchFilter) -> Iterator[int]:
        """Ids of the articles the filters allow, newest first (a generator; close it)."""
        params: dict = {}
        where = _filter_sql(filters, params)
        # The live articles' own sort-key index: no table row is read per step.
        index = "ix_articles_sort_key" if filters.include_trashed else "ix_articles_live_sort_key"
        # The driver's own cursor on the same connection (and transaction): a walk may step
        # through ten thousand ids, and SQLAlchemy's row objects took half of its time.
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(f"SELECT a.id FROM articles a INDEXED BY {index} WHERE 1 = 1{where} ORDER BY a.sort_key DESC",
                           params)
            size = 64
            while rows := cursor.fetchmany(size):
                yield from (row[0] for row in rows)
                size = min(size * 2, 4096)
        finally:
            cursor.close()

    def _verified(self, conn: Connection, candidates: Iterator[int], terms: list[str], wanted: int) -> list[int]:
        """The first ``wanted`` candidates (in their order) whose text contains every term."""
        found: list[int] = []
        size = max(16, wanted)
        compat: _CompatIds = _CompatIds(conn)
        in_sql = all(_CJK_ONLY.fullmatch(term) for term in terms)
        while len(found) < wanted:
            batch = _take(candidates, size)
            if not batch:
                break
            if in_sql:
                found += self._raw_matches(conn, batch, terms, compat)
            else:
                fields = self._fields(conn, batch)
                found += [i for i in batch if i in fields and all(_fields_contain(fields[i], t, i, compat) for t in terms)]
            # Next round: what is still missing at the share of hits seen so far.
            size = min(VERIFY_BATCH, max(16, 2 * (wanted - len(found))))
        return found[:wanted]

    def _raw_matches(self, conn: Connection, batch: list[int], terms: list[str], compat: _CompatIds) -> list[int]:
        """The ids of ``batch`` (in order) whose text holds every term, for terms of CJK ideographs only.

        SQLite checks the stored fields with ``instr`` (no body travels to Python): for such a
        term a raw occurrence is a normalised one (see :func:`_fields_contain`). A candidate it
        rejects can still match only when its entry carries the compatibility mark; those few
        are checked the long way.
        """
        params: dict = {}
        conditions = []
        for n, term in enumerate(terms):
            params[f"t{n}"] = term
            t = f":t{n}"
            conditions.append(
                f"(instr(a.title, {t}) > 0 OR instr(a.body, {t}) > 0 OR instr(a.summary, {t}) > 0 "
                f"OR instr(a.subtitle, {t}) > 0 "
                f"OR EXISTS (SELECT 1 FROM article_tags l JOIN tags g ON g.id = l.tag_id "
                f"WHERE l.article_id = a.id AND instr(g.name, {t}) > 0) "
                f"OR EXISTS (SELECT 1 FROM article_photos l JOIN photos p ON p.id = l.photo_id "
                f"WHERE l.article_id = a.id AND (instr(p.caption, {t}) > 0 OR instr(p.photographer, {t}) > 0)))"
            )
        marks = ", ".join(str(int(i)) for i in batch)  # integers from the index, never user text
        raw = set(conn.execute(
            text(f"SELECT a.id FROM articles a WHERE a.id IN ({marks}) AND {' AND '.join(conditions)}"), params
        ).scalars())
        unsure = [i for i in batch if i not in raw and i in compat]
        if unsure:
            fields = self._fields(conn, unsure)
            raw.update(i for i in unsure if i in fields and all(_fields_contain(fields[i], t, i, compat) for t in terms))
        return [i for i in batch if i in raw]

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


def _joined(fields: Sequence[str]) -> IndexedText:
    """The search text of an article from its fields (as ``build_search_text``) and its compat mark."""
    return IndexedText("\n".join(normalize(part) for part in fields if part), any(map(_holds_compat, fields)))


# Every character whose NFKC form holds a CJK ideograph lies in these blocks (a test checks it
# against all of Unicode): radicals, ideographic description and iteration marks, enclosed and
# squared CJK, compatibility ideographs. A regex over them skips almost every field in C.
_MAY_MAKE_CJK = re.compile(
    "[\u2e80-\u2fff\u3038-\u303a\u3190-\u319f\u3200-\u33ff\uf900-\ufaff\U0001f200-\U0001f2ff\U0002f800-\U0002fa1f]"
)


def _holds_compat(field: str) -> bool:
    """Does the field hold a character whose NFKC form has a CJK ideograph?"""
    return _MAY_MAKE_CJK.search(field) is not None and any(_MAKES_CJK[c] for c in set(_MAY_MAKE_CJK.findall(field)))


class _CompatIds:
    """The articles whose entry carries COMPAT_TOKEN, looked up once per search when first needed."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._ids: set[int] | None = None

    def __contains__(self, article_id: int) -> bool:
        if self._ids is None:
            joined = self._conn.execute(
                text("SELECT group_concat(rowid) FROM search_grams WHERE search_grams MATCH :q"),
                {"q": f'"{COMPAT_TOKEN}"'},
            ).scalar()
            self._ids = set(map(int, joined.split(","))) if joined else set()
        return article_id in self._ids


_CJK_ONLY = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_CHAR = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


class _MakesCJK(dict[str, bool]):
    """Character → does its NFKC form contain a CJK ideograph (e.g. U+F900, U+2F00, U+3300)."""

    def __missing__(self, char: str) -> bool:
        self[char] = makes = _CJK_CHAR.search(unicodedata.normalize("NFKC", char)) is not None
        return makes


_MAKES_CJK = _MakesCJK()


def _fields_contain(fields: Sequence[str], term: str, article_id: int, compat: _CompatIds) -> bool:
    """Does any field, normalised, contain the (normalised) term? Same as searching the joined text.

    A term never contains white space, so it cannot span two fields. A term made only of CJK
    ideographs is looked for in the raw field first: NFKC and case folding leave those
    ideographs and their neighbourhood alone, so a raw occurrence is a normalised one; and when
    no character of the article normalises *to* an ideograph (its index entry says so, see
    IndexedText.compat), no normalised occurrence can be new either. Only otherwise (and for
    other terms) is the field normalised.
    """
    if _CJK_ONLY.fullmatch(term):
        for field in fields:
            if term in field:
                return True
        if article_id not in compat:
            return False
        return any(_holds_compat(field) and term in normalize(field) for field in fields if field)
    return any(term in normalize(field) for field in fields if field)


def _take(values: Iterator[int], count: int) -> list[int]:
    """The next ``count`` values of an iterator (fewer at its end)."""
    return list(islice(values, count))


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
