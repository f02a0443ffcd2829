"""Reading a user's file with the checks every importer needs (missing, empty, too large)."""

from __future__ import annotations

from pathlib import Path

from dayuan_desktop.core.errors import ValidationError


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path``; a clear ValidationError naming the file when missing, empty or over ``limit``."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ValidationError(f"{path}: file not found") from None
    if size == 0:
        raise ValidationError(f"{path}: the file is empty")
    if size > limit:
        raise ValidationError(f"{path}: the file is {size / 2**20:.1f} MB; the limit is {limit // 2**20} MB")
    return path.read_bytes()
