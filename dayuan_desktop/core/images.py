"""Minimal image identification for imports (the full photo pipeline builds on this)."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from dayuan_desktop.core.errors import ValidationError

SUPPORTED_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "GIF")
MAX_PHOTO_BYTES = 200 * 1024 * 1024
MAX_PIXELS = 250_000_000  # ~ a 20,000 x 12,500 panorama; above this decoding could exhaust memory


@dataclass(frozen=True)
class ImageInfo:
    """What an import needs to know about an image file."""

    format: str
    width: int
    height: int


def probe_image(data: bytes, name: str = "image") -> ImageInfo:
    """Identify an image from its bytes, or raise ValidationError saying why it cannot be used."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ValidationError(f"{name} is empty (0 bytes)")
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(f"{name} is {len(data) / 1e6:.0f} MB; photos over {MAX_PHOTO_BYTES // 2**20} MB are refused")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                fmt = (image.format or "").upper()
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        f"{name} declares {width}x{height} pixels; images over {MAX_PIXELS:,} pixels are refused"
                    )
                image.verify()
            # verify() does not decode pixels; a cheap reduced decode catches truncated files.
            with Image.open(io.BytesIO(data)) as image:
                if image.format == "JPEG":
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except ValidationError:
        raise
    except UnidentifiedImageError:
        raise ValidationError(f"{name} is not an image file Dayuan Desktop can read") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(f"{name} is refused as a decompression bomb: {exc}") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"{name} is damaged: {exc}") from None
    if fmt not in SUPPORTED_FORMATS:
        raise ValidationError(f"{name} is a {fmt or 'unknown'} image; convert it to JPEG or PNG")
    return ImageInfo(format=fmt, width=width, height=height)
