"""What sync compares and copies of an article: its content as plain JSON-ready values.

Counters (comments, likes, views) are the portal's, not an editor's, and are left out; the
trash time travels (trash travels as trash); the photo list is (sha256, is lead) in order.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dayuan_desktop.core.models import Article

# Fields merged one by one; "body" is merged by paragraph (core.sync.merge).
CONTENT_FIELDS = (
    "title", "subtitle", "author", "source", "published_at", "summary", "status", "body",
    "number", "channel_path", "tags", "photos", "trashed", "conflict_of",
)


def article_content(article: Article) -> dict:
    """The content of an article that sync exchanges (JSON-ready, comparable with ``==``)."""
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "author": article.author,
        "source": article.source,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "summary": article.summary,
        "status": article.status,
        "body": article.body,
        "number": article.number,
        "channel_path": article.channel_path,
        "tags": list(article.tags),
        "photos": [[link.photo.sha256, bool(link.is_lead)] for link in article.photo_links],
        "trashed": article.deleted_at.isoformat() if article.deleted_at else None,
        "conflict_of": article.conflict_of,
    }


def load_article(session: Session, uuid: str, *, for_update: bool = False) -> Article | None:
    """The article with ``uuid`` (locked for the transaction on a server when ``for_update``), or None."""
    stmt = select(Article).where(Article.uuid == uuid)
    if for_update and session.bind.dialect.name != "sqlite":
        stmt = stmt.with_for_update(of=Article)
    return session.scalar(stmt)


def versions(session: Session) -> dict[str, int]:
    """Every article's uuid → version (one light query: what the nothing-changed check reads)."""
    return {uuid: version for uuid, version in session.execute(select(Article.uuid, Article.version))}


def photo_shas(content: dict) -> list[str]:
    """The sha256 of each photo a content shows, in order."""
    return [sha for sha, _lead in content["photos"]]


def read_contents(session: Session, uuids: Sequence[str]) -> dict[str, tuple[dict, int]]:
    """uuid → (content, version) of those of ``uuids`` held here, in a few queries for all of them.

    The links (channel, tags, photos) load eagerly by the model's own strategies, so a chunk of
    500 articles costs about four round trips instead of four per article.
    """
    found: dict[str, tuple[dict, int]] = {}
    wanted = list(uuids)
    for start in range(0, len(wanted), 500):
        for article in session.scalars(select(Article).where(Article.uuid.in_(wanted[start:start + 500]))):
            found[article.uuid] = (article_content(article), article.version)
    return found
