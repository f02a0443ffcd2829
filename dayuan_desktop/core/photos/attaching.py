"""Adding photos to an article: stored once, linked after its photos, placed in the body — in one transaction.

:func:`attach_photos` is the one way to append photos to an article; every caller reaches it
through :func:`dayuan_desktop.core.photos.incoming.bring_in_photos`. It reads the article's photos and body
inside the write transaction that changes them, with the article's row locked (SQLite: the
write transaction itself, ``BEGIN IMMEDIATE``; PostgreSQL: ``SELECT … FOR UPDATE``), so two
attaches at the same moment both land: neither works from a copy read before the other
committed. A ``photo add`` killed at any point leaves the article as it was or with every
photo attached and placed, never one without the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError

from dayuan_desktop.core.captions import compose_caption
from dayuan_desktop.core.errors import DatabaseError
from dayuan_desktop.core.records import ArticleRecord, PhotoRecord

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dayuan_desktop.core.store import Store

# A transaction that lost a race the database could not queue (PostgreSQL: two first imports of
# one new photo, a deadlock) is run again from the start, this many times in all.
ATTEMPTS = 3
T = TypeVar("T")


@dataclass(frozen=True)
class AttachedPhotos:
    """What :func:`attach_photos` did."""

    article: ArticleRecord  # as committed
    attached: tuple[str, ...]  # sha256 of the photos newly linked (in order)
    placed: tuple[str, ...]  # sha256 of the photos given a new image line at the end of the body


def photo_alt(caption: str) -> str:
    """The alt text of a photo's image line: the composed ``图为……。`` caption."""
    return compose_caption(caption).replace("]", "］")  # a "]" would end the Markdown alt text


def photo_line(sha256: str, caption: str) -> str:
    """The body's image line for a photo: ``![图为……。](photo:<sha256>)``."""
    return f"![{photo_alt(caption)}](photo:{sha256})"


def attach_photos(
    store: Store,
    article_id: int,
    photos: Sequence[PhotoRecord],
    *,
    place_in_body: bool = False,
    lead: str | None = None,
    session: Session | None = None,
) -> AttachedPhotos:
    """Attach stored photos to an article after its own photos, keeping its lead photo.

    Photos it has already stay where they are. With ``place_in_body``, each given photo the
    body does not show yet gets an image line at the end of the body: a normal save (new
    version, revision). Everything happens in one transaction with the article's row locked
    (see the module's description); given ``session``, in that one (the caller commits).
    ``lead`` names the lead photo for an article that has none yet (a duplicate keeps its
    original's); otherwise the first photo becomes the lead.
    """
    if session is None:
        return run_in_transaction(store, lambda own: attach_photos(
            store, article_id, photos, place_in_body=place_in_body, lead=lead, session=own))
    article = store.article_row(session, article_id, for_update=True)
    existing = [link.photo.sha256 for link in article.photo_links]
    lead = next((link.photo.sha256 for link in article.photo_links if link.is_lead), lead)
    wanted = list(dict.fromkeys(photo.sha256 for photo in photos))
    attached = [sha for sha in wanted if sha not in existing]
    placed: list[str] = []
    if place_in_body:
        captions = {photo.sha256: photo.caption for photo in photos}
        placed = [sha for sha in wanted if f"photo:{sha}" not in article.body]
        if placed:
            lines = "\n\n".join(photo_line(sha, captions[sha]) for sha in placed)
            _save_body(store, session, article, article.body.rstrip("\n") + "\n\n" + lines + "\n")
    if attached:
        store.photos.set_article_photos(article.id, existing + attached, lead=lead, session=session)
    session.flush()
    return AttachedPhotos(ArticleRecord.of(article), tuple(attached), tuple(placed))


def arrange_photos(
    store: Store,
    article_id: int,
    shown: Sequence[str],
    wanted: Sequence[str],
    *,
    lead: str | None,
) -> ArticleRecord:
    """Apply a change made to the article's photo list as one window showed it, to the current list.

    ``shown`` is the list the change was made from, ``wanted`` the list after it (reordered,
    some removed, some added). Photos the article got meanwhile elsewhere (in the current list,
    not in ``shown``) stay, after ``wanted``: a ``photo add`` from the command line or a
    colleague is never undone by a stale view. Read and written in one transaction with the
    article's row locked (see :func:`attach_photos`); ``lead`` is the lead photo when it is
    still attached, otherwise the first.
    """

    def work(session: Session) -> ArticleRecord:
        article = store.article_row(session, article_id, for_update=True)
        current = [link.photo.sha256 for link in article.photo_links]
        kept = list(dict.fromkeys(wanted))
        kept += [sha for sha in current if sha not in shown and sha not in kept]
        store.photos.set_article_photos(article.id, kept, lead=lead if lead in kept else None, session=session)
        session.flush()
        return ArticleRecord.of(article)

    return run_in_transaction(store, work)


def _save_body(store: Store, session: Session, article, body: str) -> None:
    """Save a new body as the store saves an edit: new version, search text, revision."""
    store.before_text_change(session, [article.id])
    article.body = body
    store.record_edit(session, article)


def run_in_transaction(store: Store, work: Callable[[Session], T]) -> T:
    """``work(session)`` in one write transaction, run again (up to :data:`ATTEMPTS` in all) when
    it lost a race the database could not queue; each failed attempt changed nothing."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with store.db.session(write=True) as session:
                return work(session)
        except (IntegrityError, OperationalError) as exc:
            if attempt == ATTEMPTS:
                raise DatabaseError(
                    f"nothing was changed: the database refused the change {ATTEMPTS} times "
                    f"({str(exc.orig).strip().splitlines()[0][:120]}); try again"
                ) from exc
    raise AssertionError("unreachable")
