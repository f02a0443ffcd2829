"""An exact search without the index: every article's text checked in turn, newest first.

Used while the index is rebuilt in the background (``core.search.building``): the results are
those of the indexed search (the reference semantics on the normalised search text), only
slower. Ids come from the live sort-key index (the indexed search's own walk); a term of CJK
ideographs is looked for in the raw fields first, and only an article holding a character that
NFKC turns into an ideograph has its fields normalised for it (``fields_contain``).
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from dayuan_desktop.core.search.filters import SearchFilter
from dayuan_desktop.core.search.text import _holds_compat, fields_contain

if TYPE_CHECKING:
    from dayuan_desktop.core.search.index import SearchIndex

SCAN_BATCH = 200  # articles read per round


def scan_search(
    index: SearchIndex, conn: Connection, terms: list[str], offset: int, limit: int, filters: SearchFilter
) -> list[int]:
    """Ids of the articles matching every term, newest first (by sort key), one page."""
    wanted = offset + limit
    found: list[int] = []
    newest = index._newest_first(conn, filters)
    try:
        while len(found) < wanted and (ids := list(islice(newest, SCAN_BATCH))):
            fields = index._fields(conn, ids)
            found += [i for i in ids if i in fields and _matches(i, fields[i], terms)]
    finally:
        newest.close()
    return found[offset:wanted]


def _matches(article_id: int, fields: list[str], terms: list[str]) -> bool:
    compat = (article_id,) if any(map(_holds_compat, fields)) else ()
    return all(fields_contain(fields, term, article_id, compat) for term in terms)
