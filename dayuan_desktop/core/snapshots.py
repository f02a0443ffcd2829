"""What a revision keeps of an article, and how it becomes editable values again."""

from __future__ import annotations

from datetime import datetime

from dayuan_desktop.core.models import Article


def jsonable(values: dict) -> dict:
    """Editable values with datetimes as ISO text (JSON columns hold no datetimes)."""
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}


def article_snapshot(article: Article) -> dict:
    """An article's editable content as JSON-ready values (what a revision keeps)."""
    return snapshot_of(article, article.channel_path, [link.photo.sha256 for link in article.photo_links])


def snapshot_of(article: Article, channel_path: str | None, photos: list[str]) -> dict:
    """:func:`article_snapshot` with the channel path and photo sha256s given by a caller that
    just wrote them (sync), so that neither is loaded again."""
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
        "channel_path": channel_path,
        "tags": list(article.tags),
        "comment_count": article.comment_count,
        "like_count": article.like_count,
        "view_count": article.view_count,
        "photos": list(photos),
    }


def values_from_snapshot(snapshot: dict) -> dict:
    """The editable values a snapshot restores (photos are kept as they are)."""
    values = {k: v for k, v in snapshot.items() if k != "photos"}
    if values.get("published_at"):
        values["published_at"] = datetime.fromisoformat(values["published_at"])
    return values
