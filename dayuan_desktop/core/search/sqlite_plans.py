"""SQLite: answering a query from the ``search_grams`` FTS5 table, newest first.

Each query picks one of three plans, all exact (the choice only decides speed): *collect*
the few matches and sort them, *walk* the live sort-key index keeping ids in the match set,
or *scan* the newest articles' text when most of them match. Candidates of terms longer
than two characters are verified against the stored fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice

from sqlalchemy import Connection, text

from dayuan_desktop.core.search.filters import SearchFilter, filter_sql
from dayuan_desktop.core.search.text import CJK_ONLY, fields_contain
from dayuan_desktop.core.search.tokens import COMPAT_TOKEN, term_query

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


def _take(values: Iterator[int], count: int) -> list[int]:
    """The next ``count`` values of an iterator (fewer at its end)."""
    return list(islice(values, count))


class CompatIds:
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


class SqliteQueries:
    """The SQLite half of :class:`~dayuan_desktop.core.search.index.SearchIndex`: its queries.

    Needs ``collect_limit``, ``scan_share`` and ``_fields`` from the index it is mixed into.
    """

    collect_limit: int
    scan_share: float

    def _fields(self, conn: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
        raise NotImplementedError  # SearchIndex reads the fields (maintenance needs them too)

    def _search_sqlite(
        self, conn: Connection, terms: list[str], offset: int, limit: int, filters: SearchFilter
    ) -> list[int]:
        match = " AND ".join(term_query(term) for term in terms)
        needs_check = [t for t in terms if len(t) > 2]
        wanted = offset + limit
        params: dict = {"q": match}
        where = filter_sql(filters, params)
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
        where = filter_sql(filters, params)
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
        compat: CompatIds = CompatIds(conn)
        in_sql = all(CJK_ONLY.fullmatch(term) for term in terms)
        while len(found) < wanted:
            batch = _take(candidates, size)
            if not batch:
                break
            if in_sql:
                found += self._raw_matches(conn, batch, terms, compat)
            else:
                fields = self._fields(conn, batch)
                found += [i for i in batch if i in fields and all(fields_contain(fields[i], t, i, compat) for t in terms)]
            # Next round: what is still missing at the share of hits seen so far.
            size = min(VERIFY_BATCH, max(16, 2 * (wanted - len(found))))
        return found[:wanted]

    def _raw_matches(self, conn: Connection, batch: list[int], terms: list[str], compat: CompatIds) -> list[int]:
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
            raw.update(i for i in unsure if i in fields and all(fields_contain(fields[i], t, i, compat) for t in terms))
        return [i for i in batch if i in raw]
