"""Web renditions of photos for the export and the preview: their bytes and their place in the site
(the place decided by :mod:`dayuan_desktop.core.photos.rendition_paths`, re-exported here)."""

from __future__ import annotations

from dayuan_desktop.core.photos.rendition_paths import rendition_site_path
from dayuan_desktop.core.photos.renditions import RENDITION_FORMAT_VERSION, RenditionText, make_web_rendition

__all__ = ["RENDITION_FORMAT_VERSION", "make_rendition", "rendition_site_path"]


def make_rendition(original: bytes, max_width: int, text: RenditionText | None = None) -> bytes:
    """The photo's web rendition with its long side at most ``max_width`` px (never enlarged).

    Upright, sRGB, progressive JPEG at quality 85 (PNG for transparent graphics), without
    GPS or camera metadata, carrying ``text`` (caption, photographer, copyright) or, when
    None, what the original file itself says (see
    :func:`dayuan_desktop.core.photos.make_web_rendition`).
    """
    return make_web_rendition(original, long_side=max_width, text=text).data

