"""The site folder as it is now: every file's path, size and sha256.

Hashes come from the bytes, not from the export's manifest: a file changed in the folder by
hand must still go up (comparing sizes only, or trusting a stale list, is how a replaced
photo of the same size never reaches the server). A small cache of ``(size, mtime_ns, inode) →
sha256`` per site folder (the inode too: the export replaces a file by renaming a new one in) keeps a second scan of 20,000 files to a round of ``stat`` calls.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop.core.publishing.targets import PublishError

# The export's own files, as core/export names them (manifest.MANIFEST_NAME, output.TEMP_MARK).
# Copied, not imported: importing core.export loads the renderer (~4 s on a loaded machine),
# which a publish never needs. A test checks that the names agree.
MANIFEST_NAME = ".dayuan-export.json"
TEMP_MARK = ".dayuan-tmp-"
PART_SUFFIX = ".dayuan-part"  # the temporary name of a file on its way to the server
_CHUNK = 1 << 20


@dataclass(frozen=True)
class SiteFile:
    """One file of the site: its path relative to the site folder ("/" separated), size and hash."""

    path: str
    size: int
    sha256: str


def file_sha256(path: Path | str) -> str:
    """sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def is_publishable(name: str) -> bool:
    """Whether a file name belongs to the site (not the manifest, not a temporary of ours or the export's)."""
    return not (name == MANIFEST_NAME or name.startswith(TEMP_MARK) or name.endswith(PART_SUFFIX))


def scan_site(site: Path, cache_file: Path | None = None) -> dict[str, SiteFile]:
    """Every publishable file under ``site`` (symlinks are not followed, nor published)."""
    if not site.is_dir():
        raise PublishError(f"the site folder {site} does not exist or is not a folder")
    cache = _load_cache(cache_file)
    found: dict[str, SiteFile] = {}
    fresh: dict[str, list] = {}
    pending = [(str(site), "")]
    while pending:  # scandir: one lstat per file (d_type tells folders and links apart for free)
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            raise PublishError(f"cannot read the folder {folder}: {exc.strerror}") from None
        for entry in entries:
            path = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, path + "/"))
                continue
            if not is_publishable(entry.name) or "\n" in entry.name or entry.is_symlink():
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
                cached = cache.get(path)
                digest = cached[3] if _cached_matches(cached, stat) else file_sha256(entry.path)
            except OSError as exc:
                raise PublishError(f"cannot read {entry.path}: {exc.strerror}") from None
            found[path] = SiteFile(path, stat.st_size, digest)
            fresh[path] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, digest]
    if cache_file is not None and fresh != cache:
        _save_cache(cache_file, fresh)
    return dict(sorted(found.items()))


def _cached_matches(cached: object, stat: os.stat_result) -> bool:
    """Whether a cache entry (possibly damaged by hand) still describes the file."""
    return (isinstance(cached, list) and len(cached) == 4 and cached[:3] == [stat.st_size, stat.st_mtime_ns, stat.st_ino]
            and isinstance(cached[3], str) and len(cached[3]) == 64)


def _load_cache(cache_file: Path | None) -> dict[str, list]:
    if cache_file is None:
        return {}
    try:
        data = json.loads(cache_file.read_bytes())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):  # missing or damaged: everything is hashed again
        return {}


def _save_cache(cache_file: Path, entries: dict[str, list]) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, cache_file)
    except OSError:  # only a cache: the next scan hashes again
        pass
