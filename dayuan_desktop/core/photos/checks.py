"""The problems an editor must see before a photo is published."""

from __future__ import annotations

from dataclasses import dataclass

from dayuan_desktop.core.captions import byline_name, caption_text

MAX_CAPTION_CHARS = 120
MIN_WIDTH = 800


@dataclass(frozen=True)
class PhotoProblem:
    """One problem: a stable ``code`` (for the window's translations and tests) and an English message."""

    code: str
    message: str


def photo_problems(caption: str, photographer: str, width: int, *, gps: bool = False) -> list[PhotoProblem]:
    """What is wrong with a photo for the portal, most serious first; empty when nothing is.

    ``width`` is the width as shown (after EXIF orientation). The caption's length is
    counted as the house style prints it (without ``图为`` and the closing ``。``).
    """
    problems = []
    text = caption_text(caption)
    if not text:
        problems.append(PhotoProblem("missing_caption", "missing caption"))
    if not byline_name(photographer):
        problems.append(PhotoProblem("missing_photographer", "missing photographer"))
    if len(text) > MAX_CAPTION_CHARS:
        problems.append(PhotoProblem(
            "caption_too_long", f"caption is {len(text)} characters; at most {MAX_CAPTION_CHARS} fit the portal"
        ))
    if 0 < width < MIN_WIDTH:
        problems.append(PhotoProblem(
            "too_narrow", f"image is {width} px wide; at least {MIN_WIDTH} px are needed for the article column"
        ))
    if gps:
        problems.append(PhotoProblem(
            "gps_present", "GPS position present (it will be removed from every published copy)"
        ))
    return problems
