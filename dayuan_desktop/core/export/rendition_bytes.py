"""Web renditions of photos for the export and the preview: their bytes and their place in the site."""

from __future__ import annotations

from dayuan_desktop.core.photos.renditions import (
    RENDITION_FORMAT_VERSION,
    RenditionText,
    known_rendition_format,
    make_web_rendition,
)
from dayuan_desktop.core.render import rendition_path_for

__all__ = ["RENDITION_FORMAT_VERSION", "make_rendition", "rendition_site_path"]


def make_rendition(original: bytes, max_width: int, text: RenditionText | None = None) -> bytes:
    """The photo's web rendition with its long side at most ``max_width`` px (never enlarged).

    Upright, sRGB, progressive JPEG at quality 85 (PNG for transparent graphics), without
    GPS or camera metadata, carrying ``text`` (caption, photographer, copyright) or, when
    None, what the original file itself says (see
    :func:`dayuan_desktop.core.photos.make_web_rendition`).
    """
    return make_web_rendition(original, long_side=max_width, text=text).data


def rendition_site_path(photo, long_side: int, rendition_format: str | None = None) -> str | None:
    """Where a photo's rendition lives in the site: the one decision export and preview share.

    ``photo`` is anything with ``format``, ``web_name`` and ``width`` (a photo record or a
    published photo row). The extension says the rendition's format: a JPEG original always
    gives a JPEG; any other original gives what its rendition turned out to be
    (``rendition_format``, ``"JPEG"`` or ``"PNG"``, from the rendition cache or a rendition
    just made). None when that is not known yet: the rendition has to be made first.
    """
    fmt = known_rendition_format(photo.format) or rendition_format
    if fmt is None:
        return None
    return rendition_path_for(photo.web_name, photo.width, long_side, ".png" if fmt == "PNG" else ".jpg")
