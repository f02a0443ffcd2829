"""Minimal image identification (kept for callers of ``probe_image``; the checks live in core.photos)."""

from __future__ import annotations

from dataclasses import dataclass

from dayuan_desktop.core.photos.decoding import ALLOWED_FORMATS, MAX_FILE_BYTES, MAX_PIXELS

SUPPORTED_FORMATS = tuple(dict.fromkeys(ALLOWED_FORMATS.values()))
MAX_PHOTO_BYTES = MAX_FILE_BYTES
__all__ = ["MAX_PHOTO_BYTES", "MAX_PIXELS", "SUPPORTED_FORMATS", "ImageInfo", "probe_image"]


@dataclass(frozen=True)
class ImageInfo:
    """What an import needs to know about an image file."""

    format: str
    width: int  # as shown, after EXIF orientation
    height: int


def probe_image(data: bytes, name: str = "image") -> ImageInfo:
    """Identify an image from its bytes, or raise ValidationError saying why it cannot be used."""
    from dayuan_desktop.core.photos.importing import read_photo

    photo = read_photo(data, name=name)
    return ImageInfo(format=photo.format, width=photo.width, height=photo.height)
