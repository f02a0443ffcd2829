"""Writing inside the output folder only, each file atomically (temporary name, then rename)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from dayuan_desktop.core.errors import DayuanError, ValidationError
from dayuan_desktop.core.export_names import TEMP_MARK

_RELATIVE = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")  # segments of these characters, none empty
_DOT_SEGMENTS = frozenset((".", ".."))
# O_NONBLOCK: opening a FIFO planted at a site path must not wait for a writer (it is then
# found not to be a regular file); reads of regular files are not affected.
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_BINARY", 0))


_REASONS = {
    errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up", errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied", errno.EPERM: "permission denied", errno.EFBIG: "the file is too large",
}


class RefusedPath(ValidationError):
    """A site path the export will not write through (a symbolic link planted in the folder):
    that one file is skipped and reported, the rest of the export goes on."""


class WriteError(DayuanError, OSError):
    """The export folder cannot be written (full, read-only, no permission): one line saying what and where.

    Still an OSError (errno, strerror, filename = the path), so the window words it in its
    own language; the command line prints ``str()``.
    """

    def __init__(self, what: str, exc: OSError) -> None:
        super().__init__(exc.errno, exc.strerror, what)
        reason = _REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()
        detail = f" ({exc.strerror})" if exc.strerror and exc.strerror.lower() != reason else ""
        self.message = f"cannot write {what}: {reason}{detail}"

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # the page worker's errors cross a process boundary
        return (WriteError, (self.filename, OSError(self.errno, self.strerror)))


def write_error(what: str, exc: OSError) -> WriteError:
    """The one-line error for an OSError met while writing ``what`` (a path)."""
    return WriteError(what, exc)


class OutputFolder:
    """The export's target folder; refuses any path that would land outside it."""

    def __init__(self, root: Path) -> None:
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise ValidationError(f"export target {root} exists and is not a folder")
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValidationError(f"cannot create the export folder {root}: {exc.strerror}") from None
        self.root = root.resolve()
        self._root_prefix = os.path.join(str(self.root), "")  # ends in the separator
        self._checked_dirs: set[str] = set()
        self._made_dirs: set[str] = set()
        self._listing: set[str] | None = None
        self._symlinks: set[str] = set()  # symbolic links found by the last listing
        self._temp_prefix = f"{TEMP_MARK}{os.getpid()}-"

    def path_for(self, relative: str) -> Path:
        """The absolute path of a site file, after checking it stays inside the folder."""
        return Path(self._checked_path(relative))

    def _checked_path(self, relative: str) -> str:
        """:meth:`path_for` as a string: built and checked without pathlib, which cost ~40 µs a
        file of a full export (two calls for each of its 20,000 files at 10,000 articles)."""
        if not isinstance(relative, str) or not relative or "\\" in relative or "\x00" in relative:
            raise ValidationError(f"refusing to write {relative!r}: not a plain relative path")
        if not _RELATIVE.fullmatch(relative) or not _DOT_SEGMENTS.isdisjoint(relative.split("/")):
            raise ValidationError(f"refusing to write {relative!r}: it would leave the export folder")
        target = self._root_prefix + (relative if os.sep == "/" else relative.replace("/", os.sep))
        directory = relative.rpartition("/")[0]
        if directory not in self._checked_dirs:
            # A symlink planted inside the folder must not lead writes elsewhere. Each folder is
            # checked once per export; an export site has thousands of files in a few folders.
            parent = Path(target).parent
            while True:
                if parent.is_symlink() or (parent.exists() and not parent.resolve().is_relative_to(self.root)):
                    raise RefusedPath(
                        f"refusing to write {relative!r}: {parent} leads outside the export folder"
                    )
                if parent == self.root:
                    break
                parent = parent.parent
            self._checked_dirs.add(directory)
        # With a listing at hand its symlinks are known; one planted since is replaced by the
        # rename, never written through.
        if relative in self._symlinks if self._listing is not None else os.path.islink(target):
            raise RefusedPath(f"refusing to write {relative!r}: it is a symbolic link")
        return target

    def write(self, relative: str, data: bytes) -> None:
        """Write a file so that readers see either the old or the new content, never a part.

        Raises :class:`WriteError` (what and where, one line) when the disk is full, read-only
        or not ours; the temporary file is removed and the old file stays as it was.
        """
        target = self._target(relative)
        temporary = self._temporary_for(target)
        try:
            handle = _create_exclusive(temporary)
        except OSError as exc:
            raise write_error(target, exc) from None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            os.close(handle)
            handle = -1
            os.replace(temporary, target)
        except BaseException as exc:
            if handle >= 0:
                os.close(handle)
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if isinstance(exc, OSError):
                raise write_error(target, exc) from None
            raise
        if self._listing is not None:
            self._listing.add(relative)

    def link_or_write(self, relative: str, source: Path | None, data: bytes | Callable[[], bytes]) -> bool:
        """Put ``data`` at ``relative`` as a hard link to ``source`` (a file holding exactly those
        bytes, e.g. a cached rendition) when the file system allows, else write it; atomically
        either way. True when linked. ``data`` may be a function giving the bytes (called only
        when they have to be written).
        """
        if source is None:
            self.write(relative, data() if callable(data) else data)
            return False
        target = self._target(relative)
        try:
            if self._listing is not None and relative not in self._listing:
                # Nothing there: a link made at the final name appears whole or not at all.
                try:
                    os.link(source, target)
                except FileExistsError:  # put there since the folder was listed: replace it as below
                    self._link_replacing(source, target)
            else:
                self._link_replacing(source, target)
        except OSError:  # another file system (EXDEV), no hard links (FAT, some shares), source gone…
            self.write(relative, data() if callable(data) else data)
            return False
        if self._listing is not None:
            self._listing.add(relative)
        return True

    def _link_replacing(self, source: Path, target: str) -> None:
        temporary = self._temporary_for(target)
        try:
            os.link(source, temporary)
        except FileExistsError:  # a leftover, or a planted symlink: removed, never followed
            os.unlink(temporary)
            os.link(source, temporary)
        os.replace(temporary, target)

    def _target(self, relative: str) -> str:
        """The checked absolute path of a file about to be written, its folder made (once per export)."""
        target = self._checked_path(relative)
        directory = relative.rpartition("/")[0]
        if directory not in self._made_dirs:
            try:
                os.makedirs(os.path.dirname(target), exist_ok=True)
            except OSError as exc:
                raise write_error(os.path.dirname(target), exc) from None
            self._made_dirs.add(directory)
        return target

    def _temporary_for(self, target: str) -> str:
        folder, _, name = target.rpartition(os.sep)
        return f"{folder}{os.sep}{self._temp_prefix}{name}"

    def read(self, relative: str) -> bytes | None:
        """A file's current bytes, or None when it is not there."""
        try:
            return self.path_for(relative).read_bytes()
        except FileNotFoundError:
            return None

    def already_holds(self, relative: str, digest: str, recorded: str, same_as: Path | None = None) -> bool:
        """Whether the file at ``relative`` already holds bytes of this sha256, going by the
        manifest's record of it (``recorded``; checked for presence only) or, with no record
        (empty), by the bytes on disk (see :meth:`holds_content`)."""
        if recorded:
            return recorded == digest and self.exists(relative)
        return self.exists(relative) and self.holds_content(relative, digest, same_as)

    def holds_content(self, relative: str, digest: str, same_as: Path | None = None) -> bool:
        """Whether the file at ``relative`` holds bytes of this sha256 (read from disk; a symbolic
        link there is never followed). ``same_as``: a file known to hold those bytes, such as a
        cached rendition; a hard link to it holds them without reading either.

        For files the manifest has no record of (it was lost or damaged): the export then
        renders them again but rewrites none that are already right.
        """
        if relative in self._symlinks:
            return False
        try:
            handle = os.open(self.path_for(relative), _READ_FLAGS)
        except OSError:  # missing, a folder, unreadable, or a link (O_NOFOLLOW)
            return False
        try:
            status = os.fstat(handle)
            if not stat.S_ISREG(status.st_mode):
                return False
            if same_as is not None:
                with contextlib.suppress(OSError):
                    source = os.stat(same_as)
                    if (source.st_ino, source.st_dev) == (status.st_ino, status.st_dev):
                        return True
            found = hashlib.sha256()
            while chunk := os.read(handle, 1 << 20):
                found.update(chunk)
            return found.hexdigest() == digest
        finally:
            os.close(handle)

    def exists(self, relative: str) -> bool:
        """Whether the site file is there (a folder listing taken once per export when available)."""
        if self._listing is not None:
            return relative in self._listing
        return self.path_for(relative).is_file()

    def remove(self, relative: str) -> bool:
        """Delete a file the export wrote before; True when something was removed."""
        target = self.path_for(relative)
        if self._listing is not None:
            self._listing.discard(relative)
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        self._checked_dirs.clear()  # folders below may be removed and re-created (or replaced)
        self._made_dirs.clear()
        parent = target.parent
        while parent != self.root:  # tidy folders the export emptied
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
        return True

    def clean_temporaries(self) -> int:
        """Remove temporary files left by an export that was killed; returns how many.

        The same walk lists every file, so the export's thousands of existence checks that
        follow cost no system call each (see :meth:`exists`).
        """
        count = 0
        listing, symlinks = set(), set()
        pending = [("", str(self.root))]
        while pending:
            prefix, folder = pending.pop()
            with os.scandir(folder) as entries:  # d_type: no extra system call per file
                for entry in entries:
                    relative = prefix + entry.name
                    if entry.is_symlink():
                        symlinks.add(relative)  # never listed: writing there is refused by path_for
                        continue
                    if entry.is_dir():
                        pending.append((relative + "/", entry.path))
                    elif entry.name.startswith(TEMP_MARK):
                        try:
                            os.unlink(entry.path)
                        except OSError as exc:  # a read-only folder: say so before anything is rendered
                            raise write_error(entry.path, exc) from None
                        count += 1
                    else:
                        listing.add(relative)
        self._listing, self._symlinks = listing, symlinks
        return count


def _create_exclusive(path: str) -> int:
    """A new file opened for writing; whatever sits at ``path`` (a leftover, or a planted symlink)
    is removed, not followed: O_EXCL refuses to open through a link put back meanwhile."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        return os.open(path, flags, 0o666)
    except FileExistsError:
        os.unlink(path)
        return os.open(path, flags, 0o666)
