"""Import of portal article pages (our own exports, and pages of the live portal's shape).

``dayuan-desktop import page.html``: each page becomes an article with its photos and their
captions, in one transaction (the article and its photos, or nothing). What a page says
and how it is read is in ``portal_page_reader``; how its body becomes Markdown again in
``html_to_markdown``. Importing an exported page and exporting it again gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.interchange.markdown_files import ImportOutcome, unexpected_failure
from dayuan_desktop.core.interchange.portal_page_reader import (
    MAX_PAGE_BYTES,
    PAGE_SUFFIXES,
    PagePhoto,
    ParsedPortalPage,
    photo_captions,
    read_portal_page,
)
from dayuan_desktop.core.models import Photo, RevisionKind
from dayuan_desktop.core.photos.importing import store_photo_file
from dayuan_desktop.core.site import SiteSettings, load_site_settings
from dayuan_desktop.core.store import Store

__all__ = [
    "MAX_PAGE_BYTES", "PAGE_SUFFIXES", "ParsedPortalPage", "import_portal_page", "import_portal_pages",
    "read_portal_page",
]


# -- storing ------------------------------------------------------------------------------------


def import_portal_page(
    store: Store,
    path: Path,
    *,
    create_channels: bool = False,
    site: SiteSettings | None = None,
    allow_outside: bool = False,
) -> ImportOutcome:
    """Import one page in one transaction: the article and its photos, or nothing.

    Any failure, even one nobody foresaw, is this page's one-line error: a batch goes on.
    """
    path = Path(path)
    try:
        parsed = read_portal_page(path, site=site or load_site_settings(store.db), allow_outside=allow_outside)
        warnings = list(parsed.warnings)
        with store.db.session(write=True) as session:
            channel = parsed.values.get("channel_path")
            if channel and create_channels:
                store.create_channel(channel, session=session)
            shas = []
            for photo, caption in zip(parsed.photos, photo_captions(parsed.photos), strict=True):
                shas.append(_store_photo(store, session, photo, caption, warnings))
            [article] = store.create_articles([parsed.values], kind=RevisionKind.IMPORT, session=session)
            if shas:
                store.photos.set_article_photos(article.id, shas, session=session)
            article_id = article.id
        return ImportOutcome(path, store.get_article(article_id), None, tuple(dict.fromkeys(warnings)))
    except DayuanError as exc:
        message = str(exc)
        if not message.startswith(str(path)):
            message = f"{path}: {message}"
        return ImportOutcome(path, None, message)
    except Exception as exc:  # noqa: BLE001 - the batch must go on; the log keeps the traceback
        return ImportOutcome(path, None, unexpected_failure(path, exc))


def _store_photo(store: Store, session, photo: PagePhoto, caption: str, warnings: list[str]) -> str:
    """Add one photo of the page (once per sha256) under its old web name when that is still free."""
    web_name = photo.web_name
    if web_name and session.scalar(select(Photo.sha256).where(Photo.web_name == web_name, Photo.sha256 != photo.sha256)):
        warnings.append(f"{photo.path.name}: its address name {web_name} belongs to another photo; it gets a new one")
        web_name = None
    record = store_photo_file(store, photo.file, caption=caption, photographer=photo.photographer,
                              original_name=photo.path.name, web_name=web_name, session=session)
    if (record.caption, record.photographer) != (caption, photo.photographer):
        warnings.append(f"{photo.path.name} is already in the photo library; its caption there is kept")
    return record.sha256


def import_portal_pages(
    store: Store, paths: Iterable[Path], *, create_channels: bool = False, site: SiteSettings | None = None
) -> list[ImportOutcome]:
    """Import each page on its own: a failing page changes nothing, the others still import."""
    site = site or load_site_settings(store.db)
    return [import_portal_page(store, Path(p), create_channels=create_channels, site=site) for p in paths]
