"""A portal page of a batch import made ready in a worker process: parsed, photos read, renditions made.

Before, a page with photos was imported on its own (``import_portal_page``): read, stored and
committed, then its photos' web renditions made in the importing process, one page after the
other. Here a worker reads the page and its images (each checked as the one-page import checks
it: inside the site or mirror, a regular file, a photo Pillow decodes whole) and makes each
photo's web rendition into the rendition cache under the key the export will ask for (the
photo's texts as the library will hold them), so the one writer is left with the inserts and
finds the renditions made. A rendition that cannot be made now is made (or reported) after
the commit, as before; one made for a page that then fails is an unused cache entry.

A page whose photos are large (camera originals rather than a site's web-sized images) is
left to the one-page import (``slow``): the pages read ahead of the writer carry their photos'
bytes, and ~250 of them with 20 MB each would hold gigabytes.
"""

from __future__ import annotations

from pathlib import Path

from dayuan_desktop.core.interchange.import_prepare import ImportItem, PrepareOptions
from dayuan_desktop.core.interchange.portal_page_reader import PagePhoto, photo_captions, read_portal_page
from dayuan_desktop.core.logs import log
from dayuan_desktop.core.photos.importing import IncomingPhoto

# A page's photos up to this many bytes in all are read in the worker and written in a batch;
# with CHUNK × (IN_FLIGHT + 1) = 250 pages ahead of the writer that bounds them to ~500 MB.
BATCHED_PHOTO_BYTES = 2 * 1024 * 1024


class TooLarge(Exception):
    """The page's photos are too large to carry to the writer: import it on its own."""


def read_page(item: ImportItem, options: PrepareOptions) -> tuple[dict, list[str], tuple[IncomingPhoto, ...]]:
    """The page's article values, warnings and photos (as ``import_portal_page`` stores them);
    :class:`TooLarge` for a page to import on its own."""
    page = read_portal_page(item.path, site=options.site, allow_outside=options.allow_outside, mirror=item.mirror)
    if sum(len(photo.file.data) for photo in {p.sha256: p for p in page.photos}.values()) > BATCHED_PHOTO_BYTES:
        raise TooLarge
    captions = photo_captions(page.photos)
    photos = tuple(IncomingPhoto(photo.file, caption, photo.photographer, photo.path.name, web_name=photo.web_name)
                   for photo, caption in zip(page.photos, captions, strict=True))
    if options.renditions is not None and page.photos:
        make_renditions(page.photos, captions, *options.renditions)
    return dict(page.values), list(page.warnings), photos


def make_renditions(photos: list[PagePhoto], captions: list[str], cache_dir: Path, long_side: int) -> None:
    """Each photo's web rendition into the cache, unless there; never raises (the writer's check
    after the commit makes, or reports, what is missing)."""
    from dayuan_desktop.core.photos.parallel import render_one
    from dayuan_desktop.core.photos.rendition_cache import RenditionCache, rendition_key
    from dayuan_desktop.core.photos.renditions import Rendition, RenditionText

    cache = RenditionCache(cache_dir)
    done: set[str] = set()
    for photo, caption in zip(photos, captions, strict=True):
        if photo.sha256 in done:
            continue
        done.add(photo.sha256)
        text = RenditionText.of_photo(photo.record(caption))  # the texts the library will store
        key = rendition_key(photo.sha256, long_side, text)
        try:
            if cache.lookup(key) is None:
                made = render_one(photo.file.data, long_side, text)
                if isinstance(made, Rendition):
                    cache.put(key, made)
        except Exception as exc:  # noqa: BLE001 - a full disk, a cache folder gone: made after the commit
            log.warning("web rendition of %s not made in the import worker: %s", photo.path, exc)
