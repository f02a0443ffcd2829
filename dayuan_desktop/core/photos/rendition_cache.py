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

import contextlib
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.photos.renditions import RENDITION_FORMAT_VERSION, Rendition, RenditionText

CACHE_FOLDER = "renditions"
_RECORD_FORMAT = 2  # 2: size, modification time and a sampled digest, so a lookup need not read the file
_SAMPLE = 16 * 1024
_HEX = frozenset("0123456789abcdef")
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
TEMP_PREFIX = ".tmp-"
# A temporary file lives for one write (milliseconds, seconds for a huge rendition on a slow
# disk); one this old was left by a process that was killed, never by one still writing.
STALE_TEMPORARY_SECONDS = 3600


def rendition_key(sha256: str, long_side: int, text: RenditionText) -> str:
    """The digest of everything a rendition is made from (64 hex digits)."""
    if len(sha256) != 64 or not _HEX.issuperset(sha256):
        raise ValidationError(f"{sha256!r} is not a photo hash")
    parts = ("rendition", str(RENDITION_FORMAT_VERSION), sha256, str(long_side), text.key())
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedRendition:
    """A rendition as the cache holds it; ``path`` is None when it could not be kept on disk.

    Found in the cache, its bytes are read only when asked for (an export hard-links the file
    and needs only ``sha256``): reading and hashing 10,000 renditions was a fifth of a full
    export into a new folder.
    """

    key: str
    format: str
    width: int
    height: int
    path: Path | None
    sha256: str  # of the bytes (recorded when kept, checked when read), so callers need not hash them
    kept_data: bytes | None = field(default=None, repr=False)  # the bytes, when known without reading

    @property
    def data(self) -> bytes:
        """The rendition's bytes (read from the cache file and checked against ``sha256`` when needed)."""
        if self.kept_data is not None:
            return self.kept_data
        if self.path is None:
            raise ValidationError("a rendition without bytes or a file")
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ValidationError(f"the cached rendition {self.path.name} changed while in use; export again")
        return data

    @property
    def extension(self) -> str:
        """``.jpg`` or ``.png``."""
        return ".png" if self.format == "PNG" else ".jpg"


class RenditionCache:
    """Renditions under ``cache_dir/renditions``, one entry per :func:`rendition_key`."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = Path(cache_dir) / CACHE_FOLDER

    def remove_stale_temporaries(self, older_than: float = STALE_TEMPORARY_SECONDS) -> int:
        """Delete temporary files a killed process left in the cache (older than ``older_than``
        seconds, so a write still under way in another process is never touched); returns how many."""
        removed = 0
        cutoff = time.time() - older_than
        try:
            shards = [entry.path for entry in os.scandir(self.folder) if entry.is_dir(follow_symlinks=False)]
        except OSError:  # no cache yet, or unreadable: nothing to tidy
            return 0
        for shard in shards:
            with contextlib.suppress(OSError), os.scandir(shard) as entries:
                for entry in entries:
                    if not entry.name.startswith(TEMP_PREFIX) or not entry.is_file(follow_symlinks=False):
                        continue
                    with contextlib.suppress(OSError):
                        if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                            os.unlink(entry.path)
                            removed += 1
        return removed

    def _paths(self, key: str) -> tuple[Path, Path]:
        if len(key) != 64 or not _HEX.issuperset(key):
            raise ValidationError(f"{key!r} is not a rendition key")
        shard = self.folder / key[:2]
        return shard / f"{key}.img", shard / f"{key}.json"

    def lookup(self, key: str) -> CachedRendition | None:
        """The entry when it is there and sound, otherwise None (then make it and :meth:`put` it).

        Sound means: the record's size and modification time are the file's, and a digest of
        its first and last 16 KB is the one recorded. That catches a truncated, rewritten or
        edited file without reading all of it (see :class:`CachedRendition`); the full sha256 is
        checked whenever the bytes themselves are read.
        """
        data_path, record_path = self._paths(key)
        try:
            record = json.loads(_read_small(record_path))
            if record.get("v") == 1:
                return self._upgrade(key, record, data_path, record_path)
            if record["v"] != _RECORD_FORMAT:
                return None  # written by another version
            # Checked through one open file: an export looks up 10,000 renditions, and each
            # system call spared is felt.
            handle = os.open(data_path, _READ_FLAGS)
            try:
                stat = os.fstat(handle)
                if record["size"] != stat.st_size or record["mtime_ns"] != stat.st_mtime_ns:
                    return None  # the file was changed since
                if record["sample"] != _sample_digest(handle, stat.st_size):
                    return None
            finally:
                os.close(handle)
            fmt, width, height, digest = record["format"], int(record["width"]), int(record["height"]), record["sha256"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if fmt not in ("JPEG", "PNG") or not isinstance(digest, str):
            return None
        return CachedRendition(key, fmt, width, height, data_path, digest)

    def _upgrade(self, key: str, record: dict, data_path: Path, record_path: Path) -> CachedRendition | None:
        """An entry with a first-format record (no size, time or sample): checked in full, then recorded anew."""
        data = data_path.read_bytes()
        if record.get("sha256") != hashlib.sha256(data).hexdigest() or record.get("format") not in ("JPEG", "PNG"):
            return None
        rendition = Rendition(data, record["format"], int(record["width"]), int(record["height"]))
        with contextlib.suppress(OSError):  # a read-only cache: checked in full again next time
            _write_atomically(record_path, json.dumps(self._record(data_path, rendition, record["sha256"])).encode("ascii"))
        return CachedRendition(key, rendition.format, rendition.width, rendition.height, data_path, record["sha256"], data)

    @staticmethod
    def _record(data_path: Path, rendition: Rendition, digest: str) -> dict:
        handle = os.open(data_path, _READ_FLAGS)
        try:
            stat = os.fstat(handle)
            sample = _sample_digest(handle, stat.st_size)
        finally:
            os.close(handle)
        return {"v": _RECORD_FORMAT, "format": rendition.format, "width": rendition.width,
                "height": rendition.height, "sha256": digest, "size": stat.st_size,
                "mtime_ns": stat.st_mtime_ns, "sample": sample}

    def put(self, key: str, rendition: Rendition) -> CachedRendition:
        """Keep a rendition; a full or read-only cache folder only costs speed (``path`` is then None)."""
        data_path, record_path = self._paths(key)
        digest = hashlib.sha256(rendition.data).hexdigest()
        try:
            data_path.parent.mkdir(parents=True, exist_ok=True)
            # Bytes first, record last: a reader that finds the record finds the bytes it describes.
            _write_atomically(data_path, rendition.data)
            _write_atomically(record_path, json.dumps(self._record(data_path, rendition, digest)).encode("ascii"))
            kept: Path | None = data_path
        except OSError:
            kept = None
        return CachedRendition(key, rendition.format, rendition.width, rendition.height, kept, digest, rendition.data)

    def get(self, key: str, make: Callable[[], Rendition]) -> CachedRendition:
        """The entry, made with ``make()`` and kept when it is missing or damaged."""
        return self.lookup(key) or self.put(key, make())


def _sample_digest(handle: int, size: int) -> str:
    """sha256 of an open file's first and last 16 KB (all of it when smaller than 32 KB)."""
    head = _read_at(handle, 0, min(size, _SAMPLE))
    tail = _read_at(handle, size - _SAMPLE, _SAMPLE) if size > 2 * _SAMPLE else _read_at(handle, len(head), size)
    return hashlib.sha256(head + b"\0" + tail).hexdigest()


def _read_at(handle: int, offset: int, count: int) -> bytes:
    """Up to ``count`` bytes from ``offset`` (fewer only at the end of the file)."""
    chunks = []
    while count > 0:
        if hasattr(os, "pread"):
            chunk = os.pread(handle, count, offset)
        else:  # Windows
            os.lseek(handle, offset, os.SEEK_SET)
            chunk = os.read(handle, count)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _read_small(path: Path) -> bytes:
    """A small file's bytes with as few system calls as it takes (a record is a few hundred bytes)."""
    handle = os.open(path, _READ_FLAGS)
    try:
        chunks = [os.read(handle, 1 << 16)]
        while len(chunks[-1]) == 1 << 16:  # a short read of a regular file is its end
            chunks.append(os.read(handle, 1 << 16))
        return b"".join(chunks)
    finally:
        os.close(handle)


def _write_atomically(path: Path, data: bytes) -> None:
    # Written beside, then renamed: another process (a second export) never sees half a file.
    # Mode 0666 less the umask, like any file the export writes (mkstemp's 0600 would follow
    # a hard link into the site, and the web server could not read the photo).
    temporary = path.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
