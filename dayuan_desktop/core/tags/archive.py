"""What the suggestions read from the database: tag usage and the newest articles' text."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from sqlalchemy import func, select

from dayuan_desktop.core.models import Article, ArticleTag, Tag
from dayuan_desktop.core.tags.text import MAX_FIELD_CHARS, plain_text


def tag_usage(store, *, without_articles: Collection[int] = ()) -> dict[str, int]:
    """How many live articles carry each tag (``without_articles``: leave those articles' tags out)."""
    stmt = (
        select(Tag.name, func.count(ArticleTag.article_id))
        .join(ArticleTag, ArticleTag.tag_id == Tag.id)
        .join(Article, Article.id == ArticleTag.article_id)
        .where(Article.deleted_at.is_(None))
        .group_by(Tag.name)
    )
    with store.db.session() as session:
        counts = dict(session.execute(stmt).all())
        if without_articles:  # the precision benchmark hides these articles' tags
            hidden = select(Tag.name, func.count()).join(ArticleTag, ArticleTag.tag_id == Tag.id).where(
                ArticleTag.article_id.in_(list(without_articles))).group_by(Tag.name)
            for name, count in session.execute(hidden).all():
                counts[name] = counts.get(name, 0) - count
    return {name: count for name, count in counts.items() if count > 0}


def live_article_count(store) -> int:
    """How many articles are not in the trash."""
    with store.db.session() as session:
        return session.scalar(select(func.count(Article.id)).where(Article.deleted_at.is_(None))) or 0


def newest_texts(store, limit: int, batch: int = 200) -> Iterator[str]:
    """Title, summary and body (as plain text) of up to ``limit`` newest live articles, in batches."""
    last_id: int | None = None
    given = 0
    while given < limit:
        stmt = (select(Article.id, Article.title, Article.summary, Article.body)
                .where(Article.deleted_at.is_(None)).order_by(Article.id.desc()).limit(min(batch, limit - given)))
        if last_id is not None:
            stmt = stmt.where(Article.id < last_id)
        with store.db.session() as session:
            rows = session.execute(stmt).all()
        if not rows:
            return
        for row in rows:
            yield f"{row.title[:MAX_FIELD_CHARS]}\n{row.summary[:MAX_FIELD_CHARS]}\n{plain_text(row.body)}"
        given += len(rows)
        last_id = rows[-1].id
