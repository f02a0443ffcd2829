"""Reading a user's file safely: only regular files, never blocking, never more than a limit.

Every place that reads a file a person (or a file they import) names goes through
:func:`read_regular_file`: the Markdown import and its image lines, the portal page import
and its photos, and ``photo add``. A named pipe would block a plain ``open()`` forever, and
``/dev/zero`` or ``/dev/urandom`` would be read until memory runs out, so the file is opened
with ``O_NONBLOCK`` and its type is checked on the open descriptor (``fstat``), which also
covers a file swapped for a pipe between a check and the open. ``no_symlink`` adds
``O_NOFOLLOW`` for paths that were resolved and checked against a folder first, so a link
planted after the check is refused instead of followed.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from dayuan_desktop.core.errors import DayuanError, NotFoundError, ValidationError

_CHUNK = 1 << 20
_KINDS = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"),
)


def _over_limit(label: str, size: int, limit: int) -> DayuanError:
    return ValidationError(f"{label} is {size / 2**20:.1f} MB; the limit is {limit // 2**20} MB")


def _not_regular(label: str, mode: int) -> ValidationError:
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    return ValidationError(f"{label} is not a regular file ({kind}); only files can be read")


def read_regular_file(
    path: Path,
    limit: int,
    *,
    label: str | None = None,
    too_big: Callable[[str, int], DayuanError] | None = None,
    no_symlink: bool = False,
) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises :class:`NotFoundError` or :class:`ValidationError` (one line, starting with
    ``label``, by default the path) for a missing file, a folder, a pipe, a device, a
    socket, a file over the limit (``too_big`` makes that message) or a read error.
    """
    path = Path(path)
    label = label or str(path)
    too_big = too_big or (lambda name, size: _over_limit(name, size, limit))
    try:
        before = os.stat(path, follow_symlinks=not no_symlink)
    except FileNotFoundError:
        raise NotFoundError(_missing(label, path)) from None
    except OSError as exc:
        raise ValidationError(f"{label} cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(before.st_mode):  # refused before opening: opening some devices has effects
        raise _not_regular(label, before.st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    if no_symlink:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise NotFoundError(_missing(label, path)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and no_symlink:
            raise ValidationError(f"{label} became a symbolic link while it was being read; not followed") from None
        raise ValidationError(f"{label} cannot be read: {exc.strerror or exc}") from None
    try:
        return _read_descriptor(descriptor, label, limit, too_big)
    finally:
        os.close(descriptor)


def _missing(label: str, path: Path) -> str:
    return f"{label} not found" if label == str(path) else f"{label} not found at {path}"


def _read_descriptor(descriptor: int, label: str, limit: int, too_big) -> bytes:
    info = os.fstat(descriptor)  # the file actually opened, whatever the path pointed at before
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(label, info.st_mode)
    if info.st_size > limit:
        raise too_big(label, info.st_size)  # refused before a single byte is read
    chunks, total = [], 0
    try:
        while total <= limit:  # bounded even if the file grows while it is read
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise ValidationError(f"{label} cannot be read: {exc.strerror or exc}") from None
    if total > limit:
        raise too_big(label, total)
    return b"".join(chunks)


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path``; a clear ValidationError naming the file when missing, empty, over ``limit``
    or not a regular file (a folder, a pipe, a device)."""
    data = read_regular_file(path, limit)
    if not data:
        raise ValidationError(f"{path}: the file is empty")
    return data
