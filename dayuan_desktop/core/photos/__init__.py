"""The photo pipeline: import with the file's caption and byline, checks, thumbnails, web renditions.

One job per module: ``decoding`` (safe opening), ``xmp``/``iptc``/``metadata`` (what the
file says), ``checks`` (the editor's problems list), ``pixels`` (orientation, sRGB),
``importing``/``attaching`` (into the store), ``thumbnails``, ``renditions``, ``parallel``
(renditions on all cores) and ``rendition_cache`` (renditions kept between exports).
"""

from __future__ import annotations

from dayuan_desktop.core.photos.attaching import AddedPhotos, add_photos_to_article, photo_line
from dayuan_desktop.core.photos.checks import PhotoProblem, photo_problems
from dayuan_desktop.core.photos.decoding import MAX_FILE_BYTES, MAX_PIXELS
from dayuan_desktop.core.photos.importing import ImportedPhoto, PhotoFile, import_photo, read_photo
from dayuan_desktop.core.photos.metadata import PhotoMetadata, read_metadata
from dayuan_desktop.core.photos.parallel import make_renditions
from dayuan_desktop.core.photos.rendition_cache import CachedRendition, RenditionCache, rendition_key
from dayuan_desktop.core.photos.renditions import Rendition, RenditionText, make_web_rendition
from dayuan_desktop.core.photos.thumbnails import ThumbnailCache, make_thumbnail

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "AddedPhotos",
    "CachedRendition",
    "ImportedPhoto",
    "PhotoFile",
    "PhotoMetadata",
    "PhotoProblem",
    "Rendition",
    "RenditionCache",
    "RenditionText",
    "ThumbnailCache",
    "add_photos_to_article",
    "import_photo",
    "make_renditions",
    "make_thumbnail",
    "make_web_rendition",
    "photo_line",
    "photo_problems",
    "read_metadata",
    "read_photo",
    "rendition_key",
]
