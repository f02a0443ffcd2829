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
from sqlalchemy.exc import IntegrityError
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
from dayuan_desktop.core.search.text import joined_text
from dayuan_desktop.core.snapshots import snapshot_of
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
    kind: RevisionKind = RevisionKind.SYNC, channels: dict[str, int] | None = None,
) -> Written:
    """Make article ``uuid`` on this side hold ``content`` (created if missing), with a sync revision.

    ``expected`` is the version sync read (None: it was missing); a save since then here raises
    :class:`ChangedMeanwhile` so that an edit made during the sync is never overwritten. An
    article expected missing is not read first: the uuid's unique key refuses it if it came
    meanwhile. ``channels``: path → id on this side, known to exist (saves reading the channel).
    """
    try:
        return _write(store, session, uuid, content, side=side, expected=expected, kind=kind,
                      channels=channels or {})
    except IntegrityError:
        if expected is None and _exists(store, uuid):
            raise ChangedMeanwhile(uuid) from None
        raise


def _exists(store: Store, uuid: str) -> bool:
    # A fresh session: this one's transaction is spoilt by the error (PostgreSQL).
    with store.db.session() as other:
        return other.scalar(select(Article.id).where(Article.uuid == uuid)) is not None


def _write(
    store: Store, session: Session, uuid: str, content: dict, *, side: str, expected: int | None,
    kind: RevisionKind, channels: dict[str, int],
) -> Written:
    article = None if expected is None else load_article(session, uuid, for_update=True)
    if (None if article is None else article.version) != expected:
        raise ChangedMeanwhile(uuid)
    new = article is None
    if new:
        article = _blank(uuid)
        session.add(article)
    else:
        store.before_text_change(session, [article.id])
        article.version += 1
    values = {name: content[name] for name in _PLAIN_FIELDS}
    if values["published_at"]:
        values["published_at"] = datetime.fromisoformat(values["published_at"])
    clean = check_article_values(values)
    if not new and clean["tags"] == article.tags:
        del clean["tags"]  # unchanged: the links stay (no delete and insert again)
    with session.no_autoflush:
        store.apply_values(session, article, clean)
        _set_channel(store, session, article, content["channel_path"], channels)
    clash = _set_number(session, article, content["number"], side)
    article.deleted_at = datetime.fromisoformat(content["trashed"]) if content["trashed"] else None
    article.conflict_of = content["conflict_of"]
    article.updated_at = utcnow()
    article.updated_by = store.user_name
    session.flush()
    credits = _set_photos(session, article, content["photos"])
    fields = [article.title, article.subtitle, article.summary, article.body, *article.tags]
    store.reindex(session, article, new=new, text=joined_text([*fields, *credits]))
    session.add(Revision(
        article_id=article.id, article_version=article.version, kind=kind.value, created_at=utcnow(),
        created_by=store.user_name,
        snapshot=snapshot_of(article, content["channel_path"], [sha for sha, _lead in content["photos"]]),
    ))
    session.flush()
    return Written(article.version, clash)


def _blank(uuid: str) -> Article:
    now = utcnow()
    return Article(
        uuid=uuid, title="", subtitle="", author="", source="", summary="", body="",
        status=ArticleStatus.DRAFT.value, comment_count=0, like_count=0, view_count=0, version=1,
        created_at=now, updated_at=now, sort_key=0, tag_links=[], photo_links=[],
    )


def _set_channel(store: Store, session: Session, article: Article, path: str | None, known: dict[str, int]) -> None:
    if path in known:
        # The relationship is left alone (not read); the flush writes the column as set here.
        article.channel_id = known[path]
        return
    if path:
        store.create_channel(path, session=session)  # a field channel is kept, not dropped
    store.apply_values(session, article, {"channel_path": path})


def _set_number(session: Session, article: Article, number: int | None, side: str) -> NumberClash | None:
    if number is None or number == article.number:
        article.number = number
        return None
    holder = session.scalar(select(Article.uuid).where(Article.number == number, Article.uuid != article.uuid))
    if holder is None:
        article.number = number
        return None
    return NumberClash(number, article.uuid, holder, side)


def _set_photos(session: Session, article: Article, photos: list) -> list[str]:
    """Link the photos (sha256, is lead) in order; returns their captions and photographers, in order
    (what the search text holds of them)."""
    wanted = [(sha, lead) for sha, lead in photos]
    if [[link.photo.sha256, bool(link.is_lead)] for link in article.photo_links] == [list(p) for p in wanted]:
        return [text for link in article.photo_links for text in (link.photo.caption, link.photo.photographer)]
    by_sha = {p.sha256: p for p in session.scalars(select(Photo).where(Photo.sha256.in_([s for s, _ in wanted])))}
    article.photo_links.clear()
    session.flush()
    for position, (sha, lead) in enumerate(wanted):
        article.photo_links.append(ArticlePhoto(photo=by_sha[sha], position=position, is_lead=bool(lead)))
    session.flush()
    return [text for sha, _lead in wanted for text in (by_sha[sha].caption, by_sha[sha].photographer)]
