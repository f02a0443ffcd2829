"""The site folder as it is now: every file's path, size and sha256.

Hashes come from the bytes, not from the export's manifest: a file changed in the folder by
hand must still go up (comparing sizes only, or trusting a stale list, is how a replaced
photo of the same size never reaches the server). A small cache of ``(size, mtime_ns, inode,
ctime_ns) → sha256`` per site folder (the inode: the export replaces a file by renaming a new one
in; the change time: a file rewritten in place and given its old mtime back, as ``cp -p``,
``rsync -t`` or ``touch -r`` do, gets a new ctime that no program can set) keeps a second scan
of 20,000 files to a round of ``stat`` calls. A scan appends what changed to the cache; the
whole cache is rewritten only when much changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop.core.export_names import (  # not core.export: it loads the renderer
    MANIFEST_NAME,
    TEMP_MARK,
)
from dayuan_desktop.core.publishing.targets import PublishError

PART_SUFFIX = ".dayuan-part"  # the temporary name of a file on its way to the server
_CHUNK = 1 << 20
SETTLE_NS = 2_000_000_000  # files changed this recently are hashed again next time
FOLD_CHANGES, FOLD_BYTES = 2000, 1 << 20  # the cache's appended changes are folded in beyond these
# Where the system has them (not Windows): list an open folder and stat its files relative to it.
_AT_CALLS = os.stat in os.supports_dir_fd and os.scandir in os.supports_fd
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


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


def scan_site(site: Path, cache_file: Path | None = None,
              unsettled: list[tuple[str, str, list]] | None = None) -> dict[str, SiteFile]:
    """Every publishable file under ``site`` (symlinks are not followed, nor published).

    Files written too recently for their hash to be kept go onto ``unsettled`` (when given),
    for :func:`settle_cache` at the end of the run.
    """
    if not site.is_dir():
        raise PublishError(f"the site folder {site} does not exist or is not a folder")
    cache = _load_cache(cache_file)
    settled = time.time_ns() - SETTLE_NS
    found: dict[str, SiteFile] = {}
    fresh: dict[str, list] = {}
    pending = [(str(site), "")]
    while pending:
        folder, prefix = pending.pop()
        for name, stat in _folder_entries(folder, pending, prefix):
            path = prefix + name
            cached = cache.get(path)
            # Inline rather than a helper: this runs for every file of the site.
            if (type(cached) is list and len(cached) == 5 and cached[0] == stat.st_size
                    and cached[1] == stat.st_mtime_ns and cached[2] == stat.st_ino and cached[3] == stat.st_ctime_ns
                    and type(cached[4]) is str and len(cached[4]) == 64):
                digest = cached[4]
                if stat.st_ctime_ns < settled:  # unchanged: the cache's own entry, no new list
                    found[path] = SiteFile(path, stat.st_size, digest)
                    fresh[path] = cached
                    continue
            else:
                local = os.path.join(folder, name)
                try:
                    digest = file_sha256(local)
                except OSError as exc:
                    raise PublishError(f"cannot read {local}: {exc.strerror}") from None
            found[path] = SiteFile(path, stat.st_size, digest)
            # A file changed just now may change again within the file system's clock tick with
            # the same size and time (an edit in place): its hash is not kept, so it is read again.
            fresh[path] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns,
                           digest if max(stat.st_mtime_ns, stat.st_ctime_ns) < settled else ""]
            if unsettled is not None and not fresh[path][4]:
                unsettled.append((os.path.join(folder, name), path, fresh[path]))
    if cache_file is not None:
        _save_cache(cache_file, fresh, cache)
    return found  # in the folders' order: the plan sorts what it sends


def _folder_entries(folder: str, pending: list[tuple[str, str]], prefix: str):
    """The publishable files of one folder with their ``lstat``; subfolders go onto ``pending``.

    scandir tells folders and links apart for free (d_type); each file then costs one
    ``fstatat`` relative to the open folder, which spares the kernel walking the whole path
    again (a third less system time over 13,500 files here).
    """
    try:
        descriptor = os.open(folder, _FOLDER_FLAGS) if _AT_CALLS else None
        try:
            with os.scandir(descriptor if descriptor is not None else folder) as listing:
                entries = list(listing)
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((os.path.join(folder, entry.name), prefix + entry.name + "/"))
                elif is_publishable(entry.name) and "\n" not in entry.name and not entry.is_symlink():
                    stat = (os.stat(entry.name, dir_fd=descriptor, follow_symlinks=False) if descriptor is not None
                            else entry.stat(follow_symlinks=False))
                    yield entry.name, stat
        finally:
            if descriptor is not None:
                os.close(descriptor)
    except OSError as exc:
        raise PublishError(f"cannot read {exc.filename or folder}: {exc.strerror}") from None


def _changes_file(cache_file: Path) -> Path:
    return cache_file.with_suffix(".changes")


def _load_cache(cache_file: Path | None) -> dict[str, list]:
    """The cache: its snapshot, then the changes appended since (a bad line is skipped)."""
    if cache_file is None:
        return {}
    try:
        data = json.loads(cache_file.read_bytes())
        entries = data if isinstance(data, dict) else {}
    except (OSError, ValueError, RecursionError):  # missing or damaged: everything is hashed again
        entries = {}
    try:
        lines = _changes_file(cache_file).read_bytes().split(b"\n")
    except OSError:
        return entries
    for line in lines:
        try:
            change = json.loads(line)
        except (ValueError, RecursionError):  # torn or damaged: that file is hashed again
            continue
        if isinstance(change, list) and change and isinstance(change[0], str):
            if len(change) == 6:
                entries[change[0]] = change[1:]
            else:
                entries.pop(change[0], None)
    return entries


def _save_cache(cache_file: Path, entries: dict[str, list], before: dict[str, list]) -> None:
    """Append what changed since ``before``; rewrite the whole cache only when much changed (a
    13,500-entry rewrite after every one-article publish was a tenth of its CPU time here)."""
    changed = [[path, *entry] for path, entry in entries.items() if before.get(path) is not entry]
    changed += [[path] for path in before.keys() - entries.keys()]
    if not changed and cache_file.exists():
        return
    changes = _changes_file(cache_file)
    try:
        if cache_file.exists() and len(changed) <= max(FOLD_CHANGES, len(entries) // 4) and (
                not changes.exists() or changes.stat().st_size < FOLD_BYTES):
            with open(changes, "ab") as handle:
                handle.write(b"".join(json.dumps(change, separators=(",", ":")).encode() + b"\n"
                                      for change in changed))
            return
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, cache_file)
        changes.unlink(missing_ok=True)
    except OSError:  # only a cache: the next scan hashes again
        pass


def settle_cache(cache_file: Path | None, unsettled: list[tuple[str, str, list]]) -> int:
    """Hash again, and this time keep, the files a scan found too freshly written, now that they
    have settled; how many were kept.

    Right after an export most pages are younger than :data:`SETTLE_NS`, so the first publish
    kept no hash for them and the next publish read them all again (~0.3 s of a one-article
    publish of 10,000 articles here). A first publish takes long enough for them to settle: a
    file whose stamps are now old, and equal before and after it is read, has the bytes read
    (any later write gives it a new ctime).
    """
    if cache_file is None or not unsettled:
        return 0
    settled = time.time_ns() - SETTLE_NS
    kept = []
    for local, path, entry in unsettled:
        if max(entry[1], entry[3]) >= settled:
            continue
        try:
            before = os.stat(local, follow_symlinks=False)
            digest = file_sha256(local)
            after = os.stat(local, follow_symlinks=False)
        except OSError:
            continue
        if _stamps(before) == _stamps(after) == tuple(entry[:4]):
            kept.append([path, *entry[:4], digest])
    if kept:
        try:
            with open(_changes_file(cache_file), "ab") as handle:
                handle.write(b"".join(json.dumps(change, separators=(",", ":")).encode() + b"\n" for change in kept))
        except OSError:  # only a cache
            return 0
    return len(kept)


def _stamps(stat: os.stat_result) -> tuple[int, int, int, int]:
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns
