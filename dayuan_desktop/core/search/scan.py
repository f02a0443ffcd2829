"""An exact search without the index: every article's text checked in turn, newest first.

Used while the index is rebuilt in the background (``core.search.building``): the results are
those of the indexed search (the same reference semantics, ``text_matches`` on the search
text), only slower: each article's fields are read and normalised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from dayuan_desktop.core.search.filters import SearchFilter, filter_sql
from dayuan_desktop.core.search.text import joined_text, text_matches

if TYPE_CHECKING:
    from dayuan_desktop.core.search.index import SearchIndex

SCAN_BATCH = 200  # articles read per round


def scan_search(
    index: SearchIndex, conn: Connection, terms: list[str], offset: int, limit: int, filters: SearchFilter
) -> list[int]:
    """Ids of the articles matching every term, newest first (by sort key, then id), one page."""
    params: dict = {}
    where = filter_sql(filters, params)
    wanted = offset + limit
    found: list[int] = []
    last: tuple[int, int] | None = None
    while len(found) < wanted:
        after = ""
        if last is not None:
            after = " AND (a.sort_key < :key OR (a.sort_key = :key AND a.id < :after))"
            params.update(key=last[0], after=last[1])
        rows = conn.execute(
            text(f"SELECT a.sort_key, a.id FROM articles a WHERE 1 = 1{where}{after} "
                 f"ORDER BY a.sort_key DESC, a.id DESC LIMIT {SCAN_BATCH}"),
            params,
        ).all()
        if not rows:
            break
        ids = [row[1] for row in rows]
        fields = index._fields(conn, ids)
        found += [i for i in ids if i in fields and text_matches(joined_text(fields[i]).text, terms)]
        last = (rows[-1][0], rows[-1][1])
    return found[offset:wanted]
