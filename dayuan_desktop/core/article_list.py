"""What an article list asks for and how its rows are read: the query, its filters and order.

The store's list and search calls build on these; kept apart so the store holds the calls and
this module the SQL shape of a list page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.models import Article, ArticleTag, Channel, Tag
from dayuan_desktop.core.records import ArticleSummary
from dayuan_desktop.core.validation import check_article_values

MAX_PAGE = 1000


@dataclass(frozen=True)
class ArticleQuery:
    """What an article list shows: filters, order and the page wanted."""

    channel_path: str | None = None
    include_subchannels: bool = True
    status: str | None = None
    tag: str | None = None
    date_from: datetime | None = None  # inclusive, on the sort field
    date_to: datetime | None = None  # exclusive, on the sort field
    sort: Literal["updated", "published", "title", "number", "status", "author", "channel"] = "updated"
    descending: bool = True
    trashed: bool = False  # True: the trash instead of the live articles
    conflicts: bool = False  # True: only conflict copies (core.sync)
    offset: int = 0
    limit: int = 50


def list_filter(stmt: Select, query: ArticleQuery, channel: Channel | None) -> Select:
    """``stmt`` narrowed to the articles ``query`` asks for (``channel``: its channel, looked up)."""
    stmt = stmt.where(Article.deleted_at.is_not(None) if query.trashed else Article.deleted_at.is_(None))
    if channel is not None:
        if query.include_subchannels:
            sub = select(Channel.id).where(
                (Channel.id == channel.id) | Channel.path.startswith(channel.path + "/", autoescape=True)
            )
            stmt = stmt.where(Article.channel_id.in_(sub))
        else:
            stmt = stmt.where(Article.channel_id == channel.id)
    if query.conflicts:
        stmt = stmt.where(Article.conflict_of.is_not(None))
    if query.status is not None:
        check_article_values({"status": query.status})
        stmt = stmt.where(Article.status == query.status)
    if query.tag is not None:
        stmt = stmt.where(
            Article.id.in_(select(ArticleTag.article_id).join(Tag).where(Tag.name == query.tag))
        )
    column = Article.published_at if query.sort == "published" else Article.updated_at
    if query.date_from is not None:
        stmt = stmt.where(column >= query.date_from)
    if query.date_to is not None:
        stmt = stmt.where(column < query.date_to)
    return stmt


# What a list row shows, and nothing else: loading whole articles read every body and
# their tags and photos (about 10 ms of a search page).
SUMMARY_COLUMNS = (
    Article.id, Article.uuid, Article.number, Article.title, Channel.path, Article.status, Article.author,
    Article.updated_at, Article.published_at, Article.deleted_at,
)


def summaries(session: Session, ids: Sequence[int]) -> list[ArticleSummary]:
    """List rows for these article ids, in their order (missing ones left out)."""
    if not ids:
        return []
    rows = session.execute(
        select(*SUMMARY_COLUMNS).outerjoin(Channel, Channel.id == Article.channel_id).where(Article.id.in_(ids))
    )
    by_id = {row[0]: ArticleSummary(*row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def sort_column(sort: str):
    """The column a list is ordered by (the channel by its path, so the order reads alphabetically)."""
    if sort == "channel":
        return select(Channel.path).where(Channel.id == Article.channel_id).scalar_subquery()
    columns = {
        "updated": Article.updated_at, "published": Article.published_at, "title": Article.title,
        "number": Article.number, "status": Article.status, "author": Article.author,
    }
    if sort not in columns:
        raise ValidationError(f"cannot sort by {sort!r}; choose one of {', '.join([*columns, 'channel'])}")
    return columns[sort]
