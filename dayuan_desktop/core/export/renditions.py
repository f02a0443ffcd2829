"""Web renditions of photos for the export (a plain resize; the photo pipeline refines it)."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

RENDITION_FORMAT_VERSION = 1


def make_rendition(original: bytes, max_width: int) -> bytes:
    """The original scaled to at most ``max_width`` pixels wide, as a progressive JPEG (quality 85)."""
    with Image.open(io.BytesIO(original)) as image:
        if image.format == "JPEG":
            image.draft("RGB", (max_width, max_width * 4))
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            converted = image.convert("RGBA")
            background.paste(converted, mask=converted.getchannel("A"))
            image = background
        if image.width > max_width:
            height = max(1, round(image.height * max_width / image.width))
            image = image.resize((max_width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=85, progressive=True, optimize=True)
        return buffer.getvalue()
