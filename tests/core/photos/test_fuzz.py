"""Mutated JPEG and PNG bytes: every outcome is a clear ValidationError or a correct result.

Never another exception, and never a hang (each example runs under an alarm).
"""

from __future__ import annotations

import hashlib
import io
import signal
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.photos import make_thumbnail, make_web_rendition, read_photo
from tests.core.photos.photokit import exif_bytes, iptc_block, save, with_iptc, xmp_packet

_XMP = xmp_packet(description="城墙夜景", creator="马向英", subjects=("大同",), date="2022-12-13T14:46:28")


def _jpeg() -> bytes:
    picture = Image.merge("RGB", [Image.effect_noise((96, 64), s) for s in (30, 40, 50)])
    data = save(picture, "JPEG", quality=80, exif=exif_bytes(orientation=6, gps=True, artist=b"Ma"), xmp=_XMP)
    return with_iptc(data, iptc_block("城墙", "马向英", keywords=("大同",)))


def _png() -> bytes:
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", _XMP.decode("utf-8"))
    picture = Image.new("RGBA", (80, 60), (20, 90, 160, 120))
    picture.paste((200, 10, 10, 255), (10, 10, 40, 40))
    return save(picture, "PNG", pnginfo=info, exif=exif_bytes(orientation=3))


BASES = {"jpeg": _jpeg(), "png": _png()}


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(BASES[draw(st.sampled_from(sorted(BASES)))])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        # Headers and metadata sit in the first ~1.5 KB: aim there more often than at pixel data.
        limit = len(data) - 1 if draw(st.booleans()) else min(len(data) - 1, 1500)
        pos = draw(st.integers(0, limit))
        op = draw(st.sampled_from(["flip", "set", "truncate", "insert", "delete", "duplicate"]))
        if op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[pos] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, 0x1C, 0xD9, 0xDA]))
        elif op == "truncate":
            del data[pos:]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        else:
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 64))]
    return bytes(data)


@contextmanager
def no_hang(seconds: int = 20):
    def fail(signum, frame):
        raise AssertionError(f"took more than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _clear(error: ValidationError) -> None:
    message = str(error)
    assert message and "\n" not in message and len(message) < 400


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_jpeg_and_png_give_a_clear_error_or_a_correct_result(data: bytes):
    with no_hang():
        try:
            photo = read_photo(data)
        except ValidationError as error:
            _clear(error)
            return
        assert photo.sha256 == hashlib.sha256(data).hexdigest() and photo.data == data
        assert photo.format in ("JPEG", "PNG", "WEBP", "TIFF", "GIF")
        assert photo.width > 0 and photo.height > 0
        assert isinstance(photo.composed_caption(), str) and isinstance(photo.problems(), list)
        for make in (make_web_rendition, make_thumbnail):
            try:
                result = make(data)
            except ValidationError as error:  # decodable at one scale but not another: still clear
                _clear(error)
                continue
            out = result.data if hasattr(result, "data") else result
            with Image.open(io.BytesIO(out)) as image:
                image.load()
                assert 0 < max(image.size) <= 1200
