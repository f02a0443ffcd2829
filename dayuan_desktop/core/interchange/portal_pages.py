"""Import of portal article pages (our own exports, and pages of the live portal's shape).

``dayuan-desktop import page.html``: each page becomes an article with its photos and their
captions, in one transaction (the article and its photos, or nothing). What a page says
and how it is read is in ``portal_page_reader``; how its body becomes Markdown again in
``html_to_markdown``. Importing an exported page and exporting it again gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from dayuan_desktop.core.errors import DayuanError, DuplicateError
from dayuan_desktop.core.interchange import PAGE_SUFFIXES
from dayuan_desktop.core.interchange.markdown_files import ImportOutcome, not_rendered, unexpected_failure
from dayuan_desktop.core.interchange.portal_page_reader import (
    MAX_PAGE_BYTES,
    MirrorContext,
    ParsedPortalPage,
    photo_captions,
    read_portal_page,
)
from dayuan_desktop.core.photos.importing import IncomingPhoto, StoredPhoto
from dayuan_desktop.core.photos.incoming import NewArticle, WebRenditions, bring_in_photos
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
    renditions: WebRenditions | None = None,
    new_uuid: str | None = None,
    channel: str | None = None,
    mirror: MirrorContext | None = None,
    channel_names: Mapping[str, str] | None = None,
) -> ImportOutcome:
    """Import one page in one transaction: the article and its photos, or nothing.

    Any failure, even one nobody foresaw, is this page's one-line error: a batch goes on.
    Photos keep their old address names when still free. With ``renditions``, the photos'
    web renditions are made after the import. ``new_uuid``/``channel``: the new article's uuid and
    channel when the page names none. A page of a mirrored site (``import DIR``) comes with its
    ``mirror`` context; ``channel_names`` name the channels it creates.
    """
    path = Path(path)
    try:
        parsed = read_portal_page(path, site=site or load_site_settings(store.db), allow_outside=allow_outside,
                                  mirror=mirror)
        if channel and not parsed.values.get("channel_path"):
            parsed.values["channel_path"] = channel
        if new_uuid and not parsed.values.get("uuid"):
            parsed.values["uuid"] = new_uuid
        incoming = [IncomingPhoto(photo.file, caption, photo.photographer, photo.path.name, web_name=photo.web_name)
                    for photo, caption in zip(parsed.photos, photo_captions(parsed.photos), strict=True)]
        new = NewArticle(parsed.values, create_channel=create_channels, channel_names=channel_names or {})
        came = bring_in_photos(store, new, incoming, renditions=renditions)
        warnings = list(parsed.warnings) + photo_warnings(incoming, came.stored)
        return ImportOutcome(path, store.get_article(came.article.id), None, tuple(dict.fromkeys(warnings)),
                             not_rendered(came))
    except DayuanError as exc:  # a duplicate too, marked so a folder's import can count it apart
        message = str(exc)
        if not message.startswith(str(path)):
            message = f"{path}: {message}"
        return ImportOutcome(path, None, message, duplicate=isinstance(exc, DuplicateError))
    except Exception as exc:  # noqa: BLE001 - the batch must go on; the log keeps the traceback
        return ImportOutcome(path, None, unexpected_failure(path, exc))


def photo_warnings(incoming: Sequence[IncomingPhoto], stored: Sequence[StoredPhoto]) -> list[str]:
    """A page's photo whose old address name another photo has, or whose library caption is kept."""
    warnings = []
    for photo, (record, refused) in zip(incoming, stored, strict=True):
        if refused:
            warnings.append(f"{photo.original_name}: its address name {photo.web_name} belongs to another photo; "
                            "it gets a new one")
        if (record.caption, record.photographer) != (photo.caption, photo.photographer):
            warnings.append(f"{photo.original_name} is already in the photo library; its caption there is kept")
    return warnings


def import_portal_pages(
    store: Store, paths: Iterable[Path], *, create_channels: bool = False, site: SiteSettings | None = None
) -> list[ImportOutcome]:
    """Import each page on its own: a failing page changes nothing, the others still import."""
    site = site or load_site_settings(store.db)
    return [import_portal_page(store, Path(p), create_channels=create_channels, site=site) for p in paths]
