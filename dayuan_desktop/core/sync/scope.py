"""What a sync receives that this side does not hold yet.

Sent: everything this side created or changed since the last exchange (all of it, always).
Received: the articles this side already holds, plus the other side's live drafts "assigned" to
this side's user: drafts whose author line contains the user name (the store has no assignee
field; the author line is how the newsroom names the reporter). ``channel`` widens that with
every live article of a channel (and its subchannels); ``since`` narrows the new ones to those
changed on or after a moment. A package (``everything``) brings all of its articles.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dayuan_desktop.core.models import Article, ArticleStatus, Channel


@dataclass(frozen=True)
class SyncScope:
    """Which of the other side's articles, not held here yet, a sync brings."""

    user: str = ""
    channel: str | None = None
    since: datetime | None = None
    everything: bool = False


def new_in_scope(session: Session, scope: SyncScope, held: Collection[str]) -> list[str]:
    """uuids of the other side's articles in ``scope`` that are not in ``held``, oldest first."""
    wanted = []
    if scope.user.strip():
        wanted.append(
            (Article.status == ArticleStatus.DRAFT.value)
            & Article.author.contains(scope.user.strip(), autoescape=True)
        )
    if scope.channel:
        channels = select(Channel.id).where(
            (Channel.path == scope.channel) | Channel.path.startswith(scope.channel + "/", autoescape=True)
        )
        wanted.append(Article.channel_id.in_(channels))
    if not wanted and not scope.everything:
        return []
    stmt = select(Article.uuid).order_by(Article.id)
    if not scope.everything:
        stmt = stmt.where(Article.deleted_at.is_(None), or_(*wanted))
    if scope.since is not None:
        stmt = stmt.where(Article.updated_at >= scope.since)
    return [uuid for uuid in session.scalars(stmt) if uuid not in held]
