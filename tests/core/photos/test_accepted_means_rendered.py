"""Every file ``read_photo`` accepts gets a web rendition: an import never lets in a photo the export cannot use."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dayuan_desktop.core.photos import make_web_rendition, read_photo

MODES = ("1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV",
         "I", "I;16", "I;16B", "I;16L", "F")
FORMATS = ("TIFF", "PNG", "WEBP", "GIF", "JPEG")


def _files() -> list[tuple[str, bytes]]:
    files = []
    for mode in MODES:
        for fmt in FORMATS:
            buffer = io.BytesIO()
            try:
                Image.new(mode, (300, 200)).save(buffer, fmt)
            except (OSError, ValueError, KeyError):
                continue  # Pillow cannot write this mode in this format: no such file to meet
            files.append((f"{mode}-{fmt}", buffer.getvalue()))
    return files


@pytest.mark.parametrize(("name", "data"), _files(), ids=[name for name, _ in _files()])
def test_an_accepted_file_has_a_rendition(name, data):
    photo = read_photo(data, name=name)
    rendition = make_web_rendition(data, name=name)
    assert (rendition.width, rendition.height) == (photo.width, photo.height)


def test_a_big_endian_16_bit_tiff_keeps_its_grey_level():
    buffer = io.BytesIO()
    Image.new("I;16B", (300, 200), 40000).save(buffer, "TIFF")
    assert buffer.getvalue()[:2] == b"MM"  # written as a Mac tool writes it
    rendition = make_web_rendition(buffer.getvalue())
    grey = Image.open(io.BytesIO(rendition.data)).convert("L").getpixel((150, 100))
    assert abs(grey - 40000 // 256) <= 2
