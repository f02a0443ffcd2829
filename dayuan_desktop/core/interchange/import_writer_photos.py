"""The photos of a batch's portal pages, written by the one writer in the batch's transaction.

What ``bring_in_photos`` does for one page (store each photo once by sha256, keep an existing
photo's texts, give a photo a new address name when another photo has its old one, link the
photos in page order with the first as lead) is done here for many pages in one transaction,
the links with one executemany. The search entry the worker made assumed the photos' texts
as the page gives them; a photo the library holds already keeps its own texts, and then the
entry is made again from those, so the index holds what a one-page import would give it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.orm import Session

from dayuan_desktop.core.interchange.import_prepare import Prepared, index_entry, photo_texts
from dayuan_desktop.core.models import ArticlePhoto
from dayuan_desktop.core.photos.importing import StoredPhoto, store_incoming


def store_photos(store, session: Session, prepared: Prepared) -> tuple[tuple[StoredPhoto, ...], tuple[str, ...]]:
    """Store the page's photos (in the caller's transaction); what was stored and the page's
    warnings (``import_portal_page``'s, in its words and order)."""
    from dayuan_desktop.core.interchange.portal_pages import photo_warnings

    stored = tuple(store_incoming(store, photo, session=session) for photo in prepared.photos)
    warnings = [*prepared.warnings, *photo_warnings(prepared.photos, stored)]
    return stored, tuple(dict.fromkeys(warnings))


def stored_entry(prepared: Prepared, values: dict, stored: Sequence[StoredPhoto], dialect: str) -> tuple:
    """The page's search entry: the worker's, unless a stored photo's texts differ from the page's."""
    page = [(p.file.sha256, p.caption, p.photographer) for p in prepared.photos]
    library = [(s.record.sha256, s.record.caption, s.record.photographer) for s in stored]
    if page == library:
        return prepared.index_entry
    return index_entry(values, dialect, photo_texts(library))


def link_photos(conn, links: list[tuple[int, Sequence[StoredPhoto]]]) -> None:
    """Each new article's photos in page order (each once), the first the lead (as ``attach_photos``)."""
    rows = []
    for article_id, stored in links:
        photos = {item.record.sha256: item.record.id for item in stored}  # first place of each, in order
        rows += [{"article_id": article_id, "photo_id": photo_id, "position": position, "is_lead": position == 0}
                 for position, photo_id in enumerate(photos.values())]
    if rows:
        conn.execute(insert(ArticlePhoto.__table__), rows)
