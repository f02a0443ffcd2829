"""Where a photo's web rendition lives in the site: the one decision export and preview share.

Pages link renditions by path, so a preview page is the exported page byte for byte only if
both name every rendition alike: :func:`rendition_site_path` is the only place that decides,
for the export's planner and page workers, the preview and the portal renderer alike.

Standard library only: the renderer, the page worker process and the UI's preview import it,
and none of them should pay for Pillow to build a path.
"""

from __future__ import annotations

from typing import Literal, Protocol, overload


class PhotoName(Protocol):
    """What naming a rendition needs of a photo (a photo record, a published photo row…)."""

    @property
    def format(self) -> str: ...  # the original's: JPEG, PNG, WEBP, TIFF or GIF

    @property
    def web_name(self) -> str: ...  # e.g. "2022/12/3b1f0c9e2d4a5f60"

    @property
    def width(self) -> int: ...  # of the original, in pixels (0 when unknown)


def known_rendition_format(original_format: str) -> str | None:
    """The rendition's format when the original's format alone decides it, else None.

    A JPEG has no transparency and is never a graphic here, so its rendition is always a
    JPEG; a PNG, GIF, WebP or TIFF becomes a PNG or a JPEG depending on its pixels.
    """
    return "JPEG" if original_format.upper() in ("JPEG", "MPO") else None


@overload
def rendition_site_path(
    photo: PhotoName, long_side: int, rendition_format: str | None = None, *, provisional: Literal[True]
) -> str: ...


@overload
def rendition_site_path(
    photo: PhotoName, long_side: int, rendition_format: str | None = None, *, provisional: bool = False
) -> str | None: ...


def rendition_site_path(
    photo: PhotoName, long_side: int, rendition_format: str | None = None, *, provisional: bool = False
) -> str | None:
    """``uploads/<yyyy>/<mm>/<hash>-<width>.jpg`` (or ``.png``): where a photo's rendition lives.

    The extension says the rendition's format: a JPEG original always gives a JPEG; any other
    gives what its rendition turned out to be (``rendition_format``, ``"JPEG"`` or ``"PNG"``,
    from the rendition cache or a rendition just made). When that is not known yet the
    rendition has to be made first, and the answer is None; with ``provisional`` it is the
    JPEG path instead, which a page links for a photo whose rendition is not made yet (the
    preview renders again once it is) or cannot be made (the export names the photo in a
    warning). The number in the name is the original's width, at most ``long_side``.
    """
    fmt = known_rendition_format(photo.format) or rendition_format
    if fmt is None and not provisional:
        return None
    if fmt not in (None, "JPEG", "PNG"):
        raise ValueError(f"a rendition is JPEG or PNG, not {fmt!r}")
    shown = min(photo.width, long_side) if photo.width else long_side
    return f"uploads/{photo.web_name}-{shown}{'.png' if fmt == 'PNG' else '.jpg'}"
