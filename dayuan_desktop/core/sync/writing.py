"""Writing exchanged content into one side: create or update the article as a ``sync`` revision.

The store's save path is not used: it would give a published article without a number the
next free number (numbers belong to the newsroom; a field draft keeps none) and refuse a
number another article holds. Here a number held on this side by another uuid is kept off
(the article keeps the number it had here, or none) and reported as a clash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dayuan_desktop.core.models import (
    Article,
    ArticlePhoto,
    ArticleStatus,
    Photo,
    Revision,
    RevisionKind,
    utcnow,
)
from dayuan_desktop.core.snapshots import article_snapshot
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.content import load_article
from dayuan_desktop.core.validation import check_article_values

_PLAIN_FIELDS = ("title", "subtitle", "author", "source", "summary", "status", "body", "tags", "published_at")


@dataclass(frozen=True)
class NumberClash:
    """A number that could not travel: ``number`` is held on ``side`` by another article."""

    number: int
    uuid: str
    holder_uuid: str
    side: str

    def __str__(self) -> str:
        return (f"number {self.number} of article {self.uuid} is used on {self.side} by article "
                f"{self.holder_uuid}; kept there, not overwritten")


@dataclass(frozen=True)
class Written:
    """An article after a write: its version there and any number that could not be given."""

    version: int
    clash: NumberClash | None


class ChangedMeanwhile(Exception):  # noqa: N818 - a signal to the engine, never shown
    """The article was saved on this side after sync read it: left for the next sync."""


def write_content(
    store: Store, session: Session, uuid: str, content: dict, *, side: str, expected: int | None,
    kind: RevisionKind = RevisionKind.SYNC,
) -> Written:
    """Make article ``uuid`` on this side hold ``content`` (created if missing), with a sync revision.

    ``expected`` is the version sync read (None: it was missing); a save since then here raises
    :class:`ChangedMeanwhile` so that an edit made during the sync is never overwritten.
    """
    article = load_article(session, uuid, for_update=True)
    if (None if article is None else article.version) != expected:
        raise ChangedMeanwhile(uuid)
    new = article is None
    if new:
        now = utcnow()
        article = Article(
            uuid=uuid, title="", subtitle="", author="", source="", summary="", body="",
            status=ArticleStatus.DRAFT.value, comment_count=0, like_count=0, view_count=0, version=1,
            created_at=now, updated_at=now, sort_key=0, tag_links=[], photo_links=[],
        )
        session.add(article)
    else:
        store.before_text_change(session, [article.id])
        article.version += 1
    values = {name: content[name] for name in _PLAIN_FIELDS}
    if values["published_at"]:
        values["published_at"] = datetime.fromisoformat(values["published_at"])
    with session.no_autoflush:
        store.apply_values(session, article, check_article_values(values))
        if content["channel_path"]:
            store.create_channel(content["channel_path"], session=session)  # a field channel is kept, not dropped
        store.apply_values(session, article, {"channel_path": content["channel_path"]})
    clash = _set_number(session, article, content["number"], side)
    article.deleted_at = datetime.fromisoformat(content["trashed"]) if content["trashed"] else None
    article.conflict_of = content["conflict_of"]
    article.updated_at = utcnow()
    article.updated_by = store.user_name
    session.flush()
    _set_photos(session, article, content["photos"])
    store.reindex(session, article, new=new)
    session.add(Revision(
        article_id=article.id, article_version=article.version, kind=kind.value,
        created_at=utcnow(), created_by=store.user_name, snapshot=article_snapshot(article),
    ))
    session.flush()
    return Written(article.version, clash)


def _set_number(session: Session, article: Article, number: int | None, side: str) -> NumberClash | None:
    if number is None or number == article.number:
        article.number = number
        return None
    holder = session.scalar(select(Article.uuid).where(Article.number == number, Article.uuid != article.uuid))
    if holder is None:
        article.number = number
        return None
    return NumberClash(number, article.uuid, holder, side)


def _set_photos(session: Session, article: Article, photos: list) -> None:
    wanted = [(sha, lead) for sha, lead in photos]
    if [[link.photo.sha256, bool(link.is_lead)] for link in article.photo_links] == [list(p) for p in wanted]:
        return
    by_sha = {p.sha256: p for p in session.scalars(select(Photo).where(Photo.sha256.in_([s for s, _ in wanted])))}
    article.photo_links.clear()
    session.flush()
    for position, (sha, lead) in enumerate(wanted):
        article.photo_links.append(ArticlePhoto(photo=by_sha[sha], position=position, is_lead=bool(lead)))
    session.flush()
    session.refresh(article, ["photo_links"])
