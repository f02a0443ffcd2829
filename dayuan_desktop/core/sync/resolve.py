"""Settling a conflict copy: keep the newsroom's version, keep mine, or a text merged by hand.

Whatever is chosen, the copy goes to the trash (never purged: it stays findable there) and the
original changes only through the store's optimistic version check: if the original was saved
since the pair was read, :class:`ConflictError` is raised and the copy stays live.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import select

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.models import Article, RevisionKind
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.merge import split_paragraphs

# The editor's fields a "keep mine" carries over; number, status and publish time stay the newsroom's.
_TEXT_FIELDS = ("title", "subtitle", "author", "source", "summary", "body")


@dataclass(frozen=True)
class ConflictPair:
    """A conflict copy and the original it was split from, as read together."""

    original: ArticleRecord
    copy: ArticleRecord


def conflict_pair(store: Store, copy_key: int | str) -> ConflictPair:
    """The copy (by id or uuid) and its original; ValidationError if it is no live conflict copy."""
    copy = store.get_article(copy_key)
    with store.db.session() as session:
        original_uuid = session.scalar(select(Article.conflict_of).where(Article.id == copy.id))
    if original_uuid is None:
        raise ValidationError(f"article {copy.title!r} is not a conflict copy")
    if copy.deleted_at is not None:
        raise ValidationError(f"the conflict copy {copy.title!r} is in the trash: it was settled already")
    return ConflictPair(store.get_article(original_uuid), copy)


def keep_newsroom(store: Store, pair: ConflictPair) -> ArticleRecord:
    """Keep the original as it is; the copy goes to the trash. Returns the original."""
    store.trash_article(pair.copy.id)
    return pair.original


def keep_mine(store: Store, pair: ConflictPair) -> ArticleRecord:
    """The copy's texts, tags and photos become a new revision of the original; the copy goes to the trash."""
    changes = {name: getattr(pair.copy, name) for name in _TEXT_FIELDS}
    changes["tags"] = list(pair.copy.tags)
    updated = _save(store, pair, changes)
    photos = [link.photo.sha256 for link in pair.copy.photos]
    if photos != [link.photo.sha256 for link in pair.original.photos]:
        lead = next((link.photo.sha256 for link in pair.copy.photos if link.is_lead), None)
        store.photos.set_article_photos(updated.id, photos, lead=lead)
        updated = store.get_article(updated.id)
    store.trash_article(pair.copy.id)
    return updated


def keep_merged(store: Store, pair: ConflictPair, body: str) -> ArticleRecord:
    """``body`` (merged by hand) becomes a new revision of the original; the copy goes to the trash."""
    updated = _save(store, pair, {"body": body})
    store.trash_article(pair.copy.id)
    return updated


def _save(store: Store, pair: ConflictPair, changes: dict) -> ArticleRecord:
    return store.update_article(pair.original.id, changes, expected_version=pair.original.version,
                                kind=RevisionKind.SAVE)


def suggested_merge(newsroom_body: str, copy_body: str) -> str:
    """A first attempt at a hand merge: the newsroom's paragraphs, with the copy's where they differ.

    Paragraphs only one side has are taken; where both changed the same stretch, the newsroom's
    paragraphs come first and the copy's right after, so nothing is lost and the editor deletes
    what should go.
    """
    ours, theirs = split_paragraphs(newsroom_body), split_paragraphs(copy_body)
    merged: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        merged += ours[i1:i2]
        if tag in ("replace", "insert"):
            merged += theirs[j1:j2]
    return "\n\n".join(merged) + "\n" if merged else ""
