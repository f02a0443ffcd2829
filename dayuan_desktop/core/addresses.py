"""An article's public address: the page path its number and channel make (``gsyl/lzgs/4709.html``).

Once an article has been published, other sites and readers link to that address, so the
store keeps it: an update that leaves the number or publish time empty keeps them (an editor
window that did not yet know the assigned number must not make the store assign a new one),
clearing them is refused for published and withdrawn articles, and a deliberate change of
number or channel records the old path, where the export then writes a redirect page.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from dayuan_desktop.core.errors import PublishedAddressError, ValidationError
from dayuan_desktop.core.models import Article, ArticleRedirect, ArticleStatus, Channel, utcnow

# Statuses whose page is (or was) on the portal: their address never goes away by itself.
PUBLIC_STATUSES = (ArticleStatus.PUBLISHED.value, ArticleStatus.WITHDRAWN.value)
CLEARABLE = ("number", "published_at")


def page_path(channel_path: str | None, number: int | None) -> str | None:
    """The site path of an article page, or None without a channel or number."""
    if not channel_path or number is None:
        return None
    return f"{channel_path}/{number}.html"


def keep_public_address(article: Article, clean: dict, clear: Collection[str] = ()) -> dict:
    """``clean`` without empty values that would drop the article's number or publish time.

    ``clear`` names the fields the caller explicitly wants emptied (refused, with
    :class:`PublishedAddressError`, for a published or withdrawn article).
    """
    unknown = set(clear) - set(CLEARABLE)
    if unknown:
        raise ValidationError(f"only {' and '.join(CLEARABLE)} can be cleared, not {', '.join(sorted(unknown))}")
    kept = dict(clean)
    public = article.status in PUBLIC_STATUSES or kept.get("status") in PUBLIC_STATUSES
    for name in CLEARABLE:
        stored = getattr(article, name)
        if name in clear:
            if stored is not None and public:
                raise PublishedAddressError(article.number, kept.get("status", article.status), name)
            kept[name] = None
        elif name in kept and kept[name] is None and stored is not None:
            del kept[name]  # "empty" never means "assign again"
    return kept


def public_path(article: Article) -> str | None:
    """The page path the article was public at before a change (None if it never was)."""
    if article.status not in PUBLIC_STATUSES:
        return None
    return page_path(article.channel_path, article.number)


def record_move(session: Session, article: Article, old_path: str | None) -> None:
    """After a change of number or channel: remember ``old_path`` for a redirect page.

    A redirect at the article's new path is dropped (its own page is there now); a path
    recorded before for another article now leads to this one (the newest move wins).
    """
    new_path = page_path(article.channel_path, article.number)
    if new_path is not None:
        session.execute(delete(ArticleRedirect).where(ArticleRedirect.old_path == new_path))
    if old_path is None or old_path == new_path:
        return
    session.execute(delete(ArticleRedirect).where(ArticleRedirect.old_path == old_path))
    session.add(ArticleRedirect(article_id=article.id, old_path=old_path, created_at=utcnow()))
    session.flush()


def renumbered_to(session: Session, old_number: int) -> int | None:
    """The current number of the article that was published as ``old_number`` (None if none was)."""
    return session.scalar(
        select(Article.number).join(ArticleRedirect, ArticleRedirect.article_id == Article.id)
        .where(ArticleRedirect.old_path.like(f"%/{old_number}.html")).order_by(ArticleRedirect.id.desc()).limit(1)
    )


def redirect_rows(conn: Connection) -> list[tuple[str, int, str]]:
    """(old path, article id, current path) of each redirect to a live published article, by old path."""
    rows = conn.execute(
        select(ArticleRedirect.old_path, Article.id, Channel.path, Article.number)
        .join(Article, Article.id == ArticleRedirect.article_id)
        .join(Channel, Channel.id == Article.channel_id)
        .where(
            Article.status == ArticleStatus.PUBLISHED.value, Article.deleted_at.is_(None), Article.number.is_not(None)
        )
        .order_by(ArticleRedirect.old_path)
    ).all()
    return [(old, article_id, page_path(channel, number)) for old, article_id, channel, number in rows]
