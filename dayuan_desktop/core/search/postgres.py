"""PostgreSQL: ``search_docs.content`` holds each article's normalised search text under a
``pg_trgm`` GIN index; ``LIKE '%term%'`` uses it for terms of three or more characters and
stays correct (by scan) for shorter ones."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text

from dayuan_desktop.core.search.filters import SearchFilter, filter_sql
from dayuan_desktop.core.search.text import IndexedText


def store_content(conn: Connection, article_id: int, new_text: IndexedText) -> None:
    """Write (or overwrite) one article's search text."""
    conn.execute(
        text(
            "INSERT INTO search_docs (article_id, content) VALUES (:id, :content) "
            "ON CONFLICT (article_id) DO UPDATE SET content = EXCLUDED.content"
        ),
        {"id": article_id, "content": new_text.text},
    )


def insert_contents(conn: Connection, entries: Sequence[tuple[int, IndexedText]]) -> None:
    """Write the search texts of articles not indexed yet (a rebuild after clearing)."""
    conn.execute(
        text("INSERT INTO search_docs (article_id, content) VALUES (:id, :content)"),
        [{"id": i, "content": t.text} for i, t in entries],
    )


def search_like(conn: Connection, terms: list[str], offset: int, limit: int, filters: SearchFilter) -> list[int]:
    """Article ids whose search text holds every term, newest first, one page."""
    params: dict = {"limit": limit, "offset": offset}
    likes = []
    for i, term in enumerate(terms):
        params[f"t{i}"] = "%" + _escape_like(term) + "%"
        likes.append(f"d.content LIKE :t{i} ESCAPE '\\'")
    where = filter_sql(filters, params)
    sql = (
        "SELECT a.id FROM search_docs d JOIN articles a ON a.id = d.article_id "
        f"WHERE {' AND '.join(likes)}{where} ORDER BY a.sort_key DESC LIMIT :limit OFFSET :offset"
    )
    return [row.id for row in conn.execute(text(sql), params)]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
