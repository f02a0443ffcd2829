"""The photo pipeline: import with the file's caption and byline, checks, thumbnails, web renditions.

One job per module: ``decoding`` (safe opening), ``xmp``/``iptc``/``metadata`` (what the
file says), ``checks`` (the editor's problems list), ``pixels`` (orientation, sRGB),
``importing``/``attaching``/``incoming`` (into the store: ``incoming.bring_in_photos`` is the one
use case), ``thumbnails``, ``renditions``, ``parallel``
(renditions on all cores) and ``rendition_cache`` (renditions kept between exports).

The names below are imported on first use (PEP 562), not with the package: a rendition
worker process imports ``photos.parallel``, which needs Pillow but not the database, and
importing ``importing``/``attaching`` (SQLAlchemy models) cost each spawned worker ~0.7 s of
CPU before its first photo.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "photo_line": "attaching", "AttachedPhotos": "attaching", "attach_photos": "attaching",
    "AddedPhotos": "incoming", "add_photos_to_article": "incoming", "bring_in_photos": "incoming",
    "IncomingPhoto": "importing", "NewArticle": "incoming", "WebRenditions": "incoming",
    "PhotoProblem": "checks", "photo_problems": "checks",
    "MAX_FILE_BYTES": "decoding", "MAX_PIXELS": "decoding",
    "ImportedPhoto": "importing", "PhotoFile": "importing", "import_photo": "importing", "read_photo": "importing",
    "PhotoMetadata": "metadata", "read_metadata": "metadata",
    "make_renditions": "parallel",
    "CachedRendition": "rendition_cache", "RenditionCache": "rendition_cache", "rendition_key": "rendition_cache",
    "Rendition": "renditions", "RenditionText": "renditions", "make_web_rendition": "renditions",
    "ThumbnailCache": "thumbnails", "make_thumbnail": "thumbnails",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # next time without this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

