"""Adding photo files to an article: stored once, linked in order, and placed in the body."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dayuan_desktop.core.captions import compose_caption
from dayuan_desktop.core.photos.importing import ImportedPhoto, PhotoSource, import_photo, read_photo
from dayuan_desktop.core.records import ArticleRecord

if TYPE_CHECKING:
    from dayuan_desktop.core.store import Store


@dataclass(frozen=True)
class AddedPhotos:
    """What :func:`add_photos_to_article` did."""

    article: ArticleRecord
    photos: tuple[ImportedPhoto, ...]
    placed: tuple[str, ...]  # sha256 of the photos given a new image line at the end of the body


def photo_alt(caption: str) -> str:
    """The alt text of a photo's image line: the composed ``图为……。`` caption."""
    return compose_caption(caption).replace("]", "］")  # a "]" would end the Markdown alt text


def photo_line(sha256: str, caption: str) -> str:
    """The body's image line for a photo: ``![图为……。](photo:<sha256>)``."""
    return f"![{photo_alt(caption)}](photo:{sha256})"


def add_photos_to_article(
    store: Store,
    reference: str,
    sources: Sequence[PhotoSource],
    caption: str | None = None,
    photographer: str | None = None,
    *,
    zone: str = "Asia/Shanghai",
) -> AddedPhotos:
    """Import ``sources`` and attach them to the article (number or uuid), after its photos.

    Every file is read and checked first: one bad file stores nothing. The photos and the
    links are then written in one transaction; each photo the body does not show yet gets
    an image line at the end of the body (a normal save, with a revision). Given
    ``caption``/``photographer`` apply to every file and override what the files say.
    """
    article = store.find_article(reference)
    files = [read_photo(source, zone=zone) for source in sources]
    with store.db.session(write=True) as session:
        imported = [import_photo(store, file, caption, photographer, session=session) for file in files]
        existing = [link.photo.sha256 for link in article.photos]
        lead = next((link.photo.sha256 for link in article.photos if link.is_lead), None)
        wanted = list(dict.fromkeys(existing + [item.photo.sha256 for item in imported]))
        store.set_article_photos(article.id, wanted, lead=lead, session=session)
    placed = []
    lines = []
    for item in imported:
        sha = item.photo.sha256
        if f"photo:{sha}" not in article.body and sha not in placed:
            placed.append(sha)
            lines.append(photo_line(sha, item.photo.caption))
    if lines:
        body = article.body.rstrip("\n") + "\n\n" + "\n\n".join(lines) + "\n"
        store.update_article(article.id, {"body": body}, expected_version=article.version)
    return AddedPhotos(store.get_article(article.id), tuple(imported), tuple(placed))
