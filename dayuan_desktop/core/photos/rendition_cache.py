"""Web renditions kept between exports, outside any export folder (under the user cache folder).

Making a rendition decodes and resizes a camera original (tens of milliseconds per photo);
a site of 10,000 photos spent almost all of a full export doing that, again for every new
export folder. Here each rendition is made once and kept.

An entry is addressed by :func:`rendition_key`, a digest of everything the rendition is
made from: the photo's sha256, the long side, the texts it carries (the library's caption,
photographer, copyright and credit) and ``RENDITION_FORMAT_VERSION``. Same inputs, same
entry; an edited caption gives another key, so the old entry is simply never asked for.

Each entry is two files, each written to a temporary name and renamed: the rendition's exact
bytes (which an export may hard-link), then a small JSON record of their format, pixel size
and sha256. A missing record, an unreadable one, or bytes that do not match its sha256 (a
truncated file, or a hard-linked copy someone edited in place) make the entry count as
absent, and the rendition is made again. Like the thumbnail cache it is disposable.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.photos.renditions import RENDITION_FORMAT_VERSION, Rendition, RenditionText

CACHE_FOLDER = "renditions"
_RECORD_FORMAT = 1
_HEX = frozenset("0123456789abcdef")


def rendition_key(sha256: str, long_side: int, text: RenditionText) -> str:
    """The digest of everything a rendition is made from (64 hex digits)."""
    if len(sha256) != 64 or not _HEX.issuperset(sha256):
        raise ValidationError(f"{sha256!r} is not a photo hash")
    parts = ("rendition", str(RENDITION_FORMAT_VERSION), sha256, str(long_side), text.key())
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedRendition:
    """A rendition as the cache holds it; ``path`` is None when it could not be kept on disk."""

    key: str
    data: bytes
    format: str
    width: int
    height: int
    path: Path | None
    sha256: str  # of ``data`` (checked when read from disk), so callers need not hash it again

    @property
    def extension(self) -> str:
        """``.jpg`` or ``.png``."""
        return ".png" if self.format == "PNG" else ".jpg"


class RenditionCache:
    """Renditions under ``cache_dir/renditions``, one entry per :func:`rendition_key`."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = Path(cache_dir) / CACHE_FOLDER

    def _paths(self, key: str) -> tuple[Path, Path]:
        if len(key) != 64 or not _HEX.issuperset(key):
            raise ValidationError(f"{key!r} is not a rendition key")
        shard = self.folder / key[:2]
        return shard / f"{key}.img", shard / f"{key}.json"

    def lookup(self, key: str) -> CachedRendition | None:
        """The entry when it is there and sound, otherwise None (then make it and :meth:`put` it)."""
        data_path, record_path = self._paths(key)
        try:
            record = json.loads(record_path.read_bytes())
            data = data_path.read_bytes()
        except (OSError, ValueError):
            return None
        digest = hashlib.sha256(data).hexdigest()
        try:
            if record["v"] != _RECORD_FORMAT or record["sha256"] != digest:
                return None  # written by another version, or the bytes were damaged or edited
            fmt, width, height = record["format"], int(record["width"]), int(record["height"])
        except (KeyError, TypeError, ValueError):
            return None
        if fmt not in ("JPEG", "PNG"):
            return None
        return CachedRendition(key, data, fmt, width, height, data_path, digest)

    def put(self, key: str, rendition: Rendition) -> CachedRendition:
        """Keep a rendition; a full or read-only cache folder only costs speed (``path`` is then None)."""
        data_path, record_path = self._paths(key)
        digest = hashlib.sha256(rendition.data).hexdigest()
        record = {"v": _RECORD_FORMAT, "format": rendition.format, "width": rendition.width,
                  "height": rendition.height, "sha256": digest}
        try:
            data_path.parent.mkdir(parents=True, exist_ok=True)
            # Bytes first, record last: a reader that finds the record finds the bytes it describes.
            _write_atomically(data_path, rendition.data)
            _write_atomically(record_path, json.dumps(record).encode("ascii"))
            kept: Path | None = data_path
        except OSError:
            kept = None
        return CachedRendition(key, rendition.data, rendition.format, rendition.width, rendition.height, kept, digest)

    def get(self, key: str, make: Callable[[], Rendition]) -> CachedRendition:
        """The entry, made with ``make()`` and kept when it is missing or damaged."""
        return self.lookup(key) or self.put(key, make())


def _write_atomically(path: Path, data: bytes) -> None:
    # Written beside, then renamed: another process (a second export) never sees half a file.
    # Mode 0666 less the umask, like any file the export writes (mkstemp's 0600 would follow
    # a hard link into the site, and the web server could not read the photo).
    temporary = path.with_name(f".tmp-{uuid.uuid4().hex}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
