"""Photos come in: the one use case that stores photos, attaches them to an article and prepares
their web renditions.

:func:`bring_in_photos` is used by every way photos reach an article: the photo panel's import
and images pasted into the body (through :func:`dayuan_desktop.core.photos.import_batch.import_files`),
a duplicated article, Markdown and portal page import (an article created together with its
photos) and ``photo add`` on the command line (:func:`add_photos_to_article`). Storing the
photos, creating the article when it is new and attaching them (:func:`attaching.attach_photos`)
are one transaction: an article never exists or changes without its photos. The renditions the
next export needs are made after the commit; they never fail the import (a photo without one
gets it at export).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dayuan_desktop.core.enums import RevisionKind
from dayuan_desktop.core.logs import log
from dayuan_desktop.core.photos.attaching import attach_photos, run_in_transaction
from dayuan_desktop.core.photos.importing import (
    ImportedPhoto,
    IncomingPhoto,
    PhotoBytesOrPath,
    StoredPhoto,
    read_photo,
    store_incoming,
)
from dayuan_desktop.core.records import ArticleRecord, PhotoRecord

if TYPE_CHECKING:
    from dayuan_desktop.core.photos.ready_renditions import ReadyReport
    from dayuan_desktop.core.photos.thumbnails import ThumbnailCache
    from dayuan_desktop.core.store import Store


@dataclass(frozen=True)
class NewArticle:
    """An article to create in the same transaction as its photos (an import, a duplicate)."""

    values: dict  # editable fields, as Store.create_articles takes them
    kind: RevisionKind = RevisionKind.IMPORT  # of its first revision
    create_channel: bool = False  # create its channel (and parents) when missing
    channel_names: Mapping[str, str] = field(default_factory=dict)  # names for channels it creates, by path


@dataclass(frozen=True)
class WebRenditions:
    """Where and how large to make the web renditions of the photos that came in."""

    cache_dir: Path
    long_side: int
    thumbnails: ThumbnailCache | None = None  # also make each missing thumbnail from its rendition


@dataclass(frozen=True)
class PhotosIn:
    """What :func:`bring_in_photos` did."""

    article: ArticleRecord  # as committed
    stored: tuple[StoredPhoto, ...]  # one per photo given, in order, as stored
    attached: tuple[str, ...]  # sha256 of the photos newly linked to the article
    placed: tuple[str, ...]  # sha256 of the photos given a new image line at the end of the body
    renditions: ReadyReport | None = None  # None when no renditions were asked for


def bring_in_photos(
    store: Store,
    article: int | NewArticle,
    photos: Sequence[IncomingPhoto | PhotoRecord],
    *,
    place_in_body: bool = False,
    lead: str | None = None,
    renditions: WebRenditions | None = None,
) -> PhotosIn:
    """Store ``photos`` (read files, or photos already in the library) and attach them to an article.

    ``article`` is an article's id (its row is locked first: one order for every writer) or a
    :class:`NewArticle` created in the same transaction. Photos go after the article's own,
    its lead stays the lead (``lead`` names one for an article without); with
    ``place_in_body`` each photo the body does not show yet gets an image line at its end
    (see :func:`attaching.attach_photos`). Run again from the start when the database lost a
    race it could not queue. With ``renditions``, the photos' web renditions are then made.
    """

    def work(session) -> tuple:
        if isinstance(article, NewArticle):
            channel = article.values.get("channel_path")
            if channel and article.create_channel:
                parts = channel.split("/")  # parents first, so each created one gets its own name
                for depth in range(1, len(parts) + 1):
                    path = "/".join(parts[:depth])
                    store.create_channel(path, article.channel_names.get(path), session=session)
        else:
            store.article_row(session, article, for_update=True)
        stored = [store_incoming(store, photo, session=session) if isinstance(photo, IncomingPhoto)
                  else StoredPhoto(photo, False) for photo in photos]
        article_id = article if not isinstance(article, NewArticle) else store.create_articles(
            [article.values], kind=article.kind, session=session)[0].id
        done = attach_photos(store, article_id, [item.record for item in stored], place_in_body=place_in_body,
                             lead=lead, session=session)
        return done, tuple(stored)

    done, stored = run_in_transaction(store, work)
    report = None
    if renditions is not None and stored:
        report = _prepare(store, renditions, stored, photos)
    return PhotosIn(done.article, stored, done.attached, done.placed, report)


def _prepare(store: Store, renditions: WebRenditions, stored, photos) -> ReadyReport:
    from dayuan_desktop.core.photos.ready_renditions import ReadyReport, prepare_renditions

    shas = [item.record.sha256 for item in stored]
    originals = {photo.file.sha256: photo.file.data for photo in photos if isinstance(photo, IncomingPhoto)}
    try:
        return prepare_renditions(store, renditions.cache_dir, shas, long_side=renditions.long_side,
                                  thumbnails=renditions.thumbnails, originals=originals)
    except Exception as exc:  # noqa: BLE001 - the photos are in (committed); the export makes what is missing
        log.warning("web renditions not made now", exc_info=exc)
        return ReadyReport(failed=dict.fromkeys(shas, str(exc) or type(exc).__name__))


@dataclass(frozen=True)
class AddedPhotos:
    """What :func:`add_photos_to_article` did."""

    article: ArticleRecord
    photos: tuple[ImportedPhoto, ...]
    placed: tuple[str, ...]  # sha256 of the photos given a new image line at the end of the body
    not_rendered: dict[str, str] = field(default_factory=dict)  # sha256 → why it has no web rendition yet


def add_photos_to_article(
    store: Store,
    reference: str,
    sources: Sequence[PhotoBytesOrPath],
    caption: str | None = None,
    photographer: str | None = None,
    *,
    zone: str = "Asia/Shanghai",
    renditions: WebRenditions | None = None,
) -> AddedPhotos:
    """Import ``sources`` and attach them to the article (number or uuid), after its photos.

    Every file is read and checked first: one bad file stores nothing. Storing the photos,
    linking them and giving each photo the body does not show yet an image line at the end
    of the body (a normal save, with a revision) are then one transaction
    (:func:`bring_in_photos`). Given ``caption``/``photographer`` apply to every file and
    override what the files say, also for a photo the library has already.
    """
    article_id = store.find_article(reference).id
    files = [read_photo(source, zone=zone) for source in sources]
    incoming = [IncomingPhoto.of_file(file, caption, photographer) for file in files]
    done = bring_in_photos(store, article_id, incoming, place_in_body=True, renditions=renditions)
    imported = tuple(ImportedPhoto.of(item.record, file) for item, file in zip(done.stored, files, strict=True))
    failed = dict(done.renditions.failed) if done.renditions is not None else {}
    return AddedPhotos(done.article, imported, done.placed, failed)
