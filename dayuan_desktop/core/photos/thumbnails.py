"""Thumbnails for the photo panel: 256 px on the long side, cached on disk by the photo's hash.

JPEGs are decoded at reduced scale (libjpeg's DCT scaling, "draft"), several times faster
than a full decode. The cache is disposable: a missing, truncated or otherwise unreadable
cache file is simply made again.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.photos.decoding import damaged, load_first_frame, open_image
from dayuan_desktop.core.photos.metadata import read_metadata
from dayuan_desktop.core.photos.pixels import apply_orientation, draft_box, resize_within, to_srgb, uses_alpha

THUMBNAIL_SIZE = 256
THUMBNAIL_VERSION = 1  # bump when thumbnails are made differently: old cache files are then ignored


def make_thumbnail(original: bytes, size: int = THUMBNAIL_SIZE, name: str = "photo") -> bytes:
    """A small upright sRGB picture of the photo: JPEG, or PNG when it has transparency."""
    with open_image(original, name) as image:
        load_first_frame(image, name, draft_box(*image.size, size))
        orientation = read_metadata(image, original).orientation
        try:
            frame = resize_within(apply_orientation(to_srgb(image), orientation), size)
            if frame is image:  # nothing to change: copy, the file's image is closed on leaving
                frame = image.copy()
        except Exception as exc:  # a pixel operation failing on a hostile file: still just "damaged"
            raise damaged(name, exc) from None
    frame.info = {}
    buffer = io.BytesIO()
    if uses_alpha(frame):
        frame.save(buffer, "PNG")
    else:
        frame.convert("RGB" if frame.mode != "L" else "L").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class ThumbnailCache:
    """Thumbnails under ``cache_dir/thumbnails``, one file per photo hash and size."""

    def __init__(self, cache_dir: Path, size: int = THUMBNAIL_SIZE) -> None:
        self.folder = Path(cache_dir) / "thumbnails"
        self.size = size

    def path_for(self, sha256: str) -> Path:
        """Where the thumbnail of the photo with this hash is kept."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValidationError(f"{sha256!r} is not a photo hash")
        return self.folder / sha256[:2] / f"{sha256}-{self.size}-v{THUMBNAIL_VERSION}"

    def cached(self, sha256: str) -> bytes | None:
        """The thumbnail's bytes when the cache has a sound one, else None (nothing is made: cheap
        enough for the UI thread, which then has :meth:`get` run in the background)."""
        return _readable(self.path_for(sha256))

    def get(self, sha256: str, original: bytes | Callable[[], bytes]) -> bytes:
        """The thumbnail's bytes: from the cache when it is sound, otherwise made (and cached).

        ``original`` is the photo's bytes or a function returning them (only called when
        the thumbnail has to be made, e.g. ``lambda: store.photos.photo_bytes(sha)``).
        """
        path = self.path_for(sha256)
        cached = _readable(path)
        if cached is not None:
            return cached
        data = make_thumbnail(original() if callable(original) else original, self.size)
        self._write(path, data)
        return data

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside, then renamed: a reader never sees half a file, even across processes.
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except OSError:
            pass  # a full or read-only cache folder only costs speed; the thumbnail is still returned


def _readable(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as image:
            image.load()  # a 256 px picture decodes in about a millisecond
    except Exception:  # any decoding failure means the cache file is bad: make it again
        return None
    return data
