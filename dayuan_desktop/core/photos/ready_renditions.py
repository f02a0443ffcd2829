"""Web renditions made when photos come in, so that an export only copies them.

A rendition (decode a camera original, resize, encode a progressive JPEG) costs tens of
milliseconds per photo, tens of times what rendering the article page costs. Made during an
export, renditions were nearly all of a full export's time. Photographers import photos
one or a few at a time, in a background job, long before the site is exported: that is
when the rendition is made here and kept in the :class:`RenditionCache` under the same key
the export asks for (photo hash, long side and the library's texts). An edited caption
gives a new key; the caption form prepares that one after saving.

The photo panel's thumbnail is then made from the rendition (an upright sRGB JPEG of
1,200 px, a few milliseconds to decode at 1/4 scale) instead of from the original: for a
24-megapixel camera file that saves a second decode of every coefficient of the original,
which DCT scaling cannot skip (see docs/decisions.md, Thumbnails).

Nothing here is required for correctness: the export makes whatever is missing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dayuan_desktop.core.errors import NotFoundError
from dayuan_desktop.core.photos.parallel import stream_renditions
from dayuan_desktop.core.photos.rendition_cache import RenditionCache, rendition_key
from dayuan_desktop.core.photos.renditions import RenditionText
from dayuan_desktop.core.photos.thumbnails import ThumbnailCache
from dayuan_desktop.core.records import PhotoRecord


@dataclass
class ReadyReport:
    """What :func:`prepare_renditions` did."""

    made: int = 0  # renditions made now
    already: int = 0  # found in the cache
    failed: dict[str, str] = field(default_factory=dict)  # sha256 → why (the export will say it again)


def prepare_renditions(
    store,
    cache_dir: Path,
    sha256s: Iterable[str],
    *,
    long_side: int,
    workers: int | None = 1,
    progress: Callable[[int, int], None] | None = None,
    thumbnails: ThumbnailCache | None = None,
    originals: Mapping[str, bytes] | None = None,
) -> ReadyReport:
    """Make and keep the web renditions the export will ask for, for these photos.

    ``workers`` is the number of processes (1, the default, works in this thread: imports
    bring a few photos; a bulk import may pass None for one per core). ``progress(done,
    total)`` is called after each photo. A photo that cannot be rendered is listed in
    ``failed``, never raised: the import it follows has already succeeded. With
    ``thumbnails``, each photo's missing thumbnail is made from its rendition when that is at
    least the thumbnail's size. ``originals`` (sha256 → bytes) are photos the caller holds
    already (an import that just read the file), so they are not read from the store again.
    """
    cache = RenditionCache(cache_dir)
    report = ReadyReport()
    missing: list[tuple[PhotoRecord, str, RenditionText]] = []
    for sha in dict.fromkeys(sha256s):
        try:
            photo = store.photos.get_photo(sha)
        except NotFoundError:
            report.failed[sha] = "not in the photo library"
            continue
        text = RenditionText.of_photo(photo)  # the library's texts, as the export uses
        key = rendition_key(sha, long_side, text)
        found = cache.lookup(key)
        if found is not None:
            report.already += 1
            _thumbnail_from(thumbnails, sha, lambda found=found: found.data, long_side)
        else:
            missing.append((photo, key, text))
    total = len(missing)
    made = stream_renditions(
        missing, lambda job: _original(store, originals, job[0].sha256), lambda job: job[2],
        long_side=long_side, workers=workers,
    )
    for done, ((photo, key, _text), result) in enumerate(made, start=1):
        if isinstance(result, Exception):
            report.failed[photo.sha256] = str(result)
        else:
            cache.put(key, result)
            report.made += 1
            _thumbnail_from(thumbnails, photo.sha256, result.data, long_side)
        if progress is not None:
            progress(done, total)
    return report


def _original(store, originals: Mapping[str, bytes] | None, sha256: str) -> bytes:
    held = originals.get(sha256) if originals else None
    return held if held is not None else store.photos.photo_bytes(sha256)


def _thumbnail_from(
    thumbnails: ThumbnailCache | None, sha256: str, rendition: bytes | Callable[[], bytes], long_side: int
) -> None:
    if thumbnails is None or long_side < thumbnails.size:
        return  # a rendition smaller than a thumbnail: the panel makes it from the original
    # Already upright and sRGB; a thumbnail that cannot be made is made later from the original.
    # A cached rendition's bytes are read only when the thumbnail is not there yet.
    with contextlib.suppress(Exception):
        thumbnails.get(sha256, rendition)
