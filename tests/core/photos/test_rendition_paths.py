"""The one decision of a rendition's path in the site (export, page workers, preview and renderer)."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from dayuan_desktop.core.photos.rendition_paths import known_rendition_format, rendition_site_path


class Photo(NamedTuple):
    format: str
    web_name: str = "2022/12/3b1f0c9e2d4a5f60"
    width: int = 1600


def test_a_jpeg_is_always_a_jpg_whatever_is_said_of_its_rendition():
    for said in (None, "JPEG", "PNG"):
        assert rendition_site_path(Photo("JPEG"), 1200, said) == "uploads/2022/12/3b1f0c9e2d4a5f60-1200.jpg"
    assert rendition_site_path(Photo("MPO"), 1200) == "uploads/2022/12/3b1f0c9e2d4a5f60-1200.jpg"


@pytest.mark.parametrize("original", ["PNG", "GIF", "WEBP", "TIFF"])
def test_any_other_original_is_named_by_what_its_rendition_turned_out_to_be(original):
    assert known_rendition_format(original) is None
    assert rendition_site_path(Photo(original), 1200) is None  # to be made first
    assert rendition_site_path(Photo(original), 1200, "PNG").endswith("-1200.png")
    assert rendition_site_path(Photo(original), 1200, "JPEG").endswith("-1200.jpg")
    # What a page links while it is not made (or cannot be): the JPEG name, as the export does.
    assert rendition_site_path(Photo(original), 1200, provisional=True).endswith("-1200.jpg")
    assert rendition_site_path(Photo(original), 1200, "PNG", provisional=True).endswith("-1200.png")


def test_the_width_in_the_name_is_capped_at_the_rendition_width():
    assert rendition_site_path(Photo("JPEG", width=800), 1200) == "uploads/2022/12/3b1f0c9e2d4a5f60-800.jpg"
    assert rendition_site_path(Photo("JPEG", width=0), 1200) == "uploads/2022/12/3b1f0c9e2d4a5f60-1200.jpg"


def test_a_format_no_rendition_has_is_refused():
    with pytest.raises(ValueError, match="JPEG or PNG"):
        rendition_site_path(Photo("PNG"), 1200, "WEBP")
