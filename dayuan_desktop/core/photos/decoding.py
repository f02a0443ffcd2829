"""Opening untrusted image bytes: format allowlist, size and pixel limits, first frame, clear errors.

Every photo file comes from outside (cameras, phones, e-mail), so nothing here trusts a
header: the byte size is checked before anything is parsed, only the decoders of the
allowed formats are ever run, and the declared pixel count is checked before any pixels
are decoded (a 50 KB PNG can declare 100,000 × 100,000 pixels).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, UnidentifiedImageError

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.photos.libtiff_log import route_libtiff_messages

route_libtiff_messages()  # libtiff's complaints about a damaged TIFF go to the log, not to stderr

# Pillow's format name → the format recorded for the photo (an MPO is a camera JPEG with a
# second picture, e.g. a depth map, appended; it is a JPEG to everyone else).
ALLOWED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "TIFF": "TIFF", "GIF": "GIF"}
_PILLOW_PLUGINS = ("JPEG", "PNG", "WEBP", "TIFF", "GIF")  # MPO is found by the JPEG plugin
MAX_FILE_BYTES = 80 * 2**20  # a 24-megapixel camera JPEG is 10–25 MB; an 8-bit TIFF of it 72 MB
MAX_PIXELS = 120_000_000  # a 100-megapixel medium-format frame fits; RGB of this is ~360 MB in memory
SUPPORTED_TEXT = "JPEG, PNG, WebP, TIFF or GIF"

# Formats people do send, recognised by their first bytes so the message can say what to do.
_FTYP_BRANDS = {
    b"heic": "HEIC", b"heix": "HEIC", b"hevc": "HEIC", b"hevx": "HEIC", b"heim": "HEIC", b"heis": "HEIC",
    b"mif1": "HEIF", b"msf1": "HEIF", b"avif": "AVIF", b"avis": "AVIF", b"crx ": "Canon CR3 raw",
}
_MAGIC = (
    (0, b"BM", "BMP"),
    (0, b"8BPS", "Photoshop PSD"),
    (0, b"%PDF", "PDF"),
    (0, b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (0, b"\xff\x4f\xff\x51", "JPEG 2000"),
    (0, b"\xff\x0a", "JPEG XL"),
    (0, b"\x00\x00\x00\x0cJXL ", "JPEG XL"),
    (0, b"II*\x00\x10\x00\x00\x00CR", "Canon CR2 raw"),
    (0, b"FUJIFILMCCD-RAW", "Fujifilm RAF raw"),
    (0, b"IIRO", "Olympus ORF raw"),
    (0, b"IIU\x00", "Panasonic RW2 raw"),
    (0, b"\x00\x00\x01\x00", "Windows icon"),
)


def file_too_big(name: str, size: int) -> ValidationError:
    """The error for a file over :data:`MAX_FILE_BYTES` (checked before the file is read)."""
    return ValidationError(
        f"{name} is {size / 2**20:.0f} MB; photos over {MAX_FILE_BYTES // 2**20} MB are refused "
        "(export a JPEG of at most that size)"
    )


def unsupported_kind(data: bytes) -> str | None:
    """The name of a known but unsupported format the bytes start with, if any."""
    if data[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(data[8:12], "HEIF/MP4 container")
    head = data[:32].lstrip()
    if head.startswith((b"<svg", b"<?xml")):
        return "SVG/XML"
    for offset, magic, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return kind
    return None


def damaged(name: str, exc: BaseException) -> ValidationError:
    """The error for a file whose decoder failed; the decoder's reason is kept for support."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ValidationError(f"{name} is damaged and cannot be decoded ({reason[:120]})")


def _bomb(name: str, width: int, height: int) -> ValidationError:
    return ValidationError(
        f"{name} declares {width}×{height} pixels ({width * height / 1e6:,.0f} megapixels); images over "
        f"{MAX_PIXELS // 1_000_000} megapixels are refused as a possible decompression bomb"
    )


@contextmanager
def open_image(data: bytes, name: str = "image") -> Iterator[Image.Image]:
    """The image in ``data``, opened (header only) and checked, or a :class:`ValidationError`.

    Checks: not empty, at most :data:`MAX_FILE_BYTES`, an allowed format (others get a
    "not supported, convert to JPEG" message), at most :data:`MAX_PIXELS`.
    """
    if not data:
        raise ValidationError(f"{name} is empty (0 bytes)")
    if len(data) > MAX_FILE_BYTES:
        raise file_too_big(name, len(data))
    kind = unsupported_kind(data)
    if kind is not None:
        raise ValidationError(f"{name} is a {kind} file, which is not supported: convert it to JPEG")
    try:
        with warnings.catch_warnings():
            # Our own pixel limit applies below; Pillow's warning threshold (89 MP) is lower than it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Pillow warns about damaged EXIF while opening; metadata.read_metadata reports that as a note.
            warnings.simplefilter("ignore", UserWarning)
            image = Image.open(io.BytesIO(data), formats=_PILLOW_PLUGINS)
    except UnidentifiedImageError:
        raise ValidationError(f"{name} is not an image file Dayuan Desktop can read ({SUPPORTED_TEXT})") from None
    except Image.DecompressionBombError as exc:
        raise ValidationError(f"{name} is refused as a possible decompression bomb: {exc}") from None
    except Exception as exc:  # Pillow's parsers raise many types on hostile headers; all mean "damaged"
        raise damaged(name, exc) from None
    try:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise ValidationError(f"{name} declares an empty picture ({width}×{height} pixels)")
        if width * height > MAX_PIXELS:
            raise _bomb(name, width, height)
        if image.format == "TIFF":
            _refuse_camera_raw(image, name)
        yield image
    finally:
        image.close()


def _refuse_camera_raw(image: Image.Image, name: str) -> None:
    # Raw files (DNG, NEF, ARW…) are TIFF inside; Pillow would show their small preview.
    tags = getattr(image, "tag_v2", {})
    if 50706 in tags:  # DNGVersion
        raise ValidationError(f"{name} is a DNG raw file, which is not supported: convert it to JPEG")
    subfile = tags.get(254, 0)
    if isinstance(subfile, int) and subfile & 1:  # the first picture is a reduced-size preview
        raise ValidationError(f"{name} looks like a camera raw file, which is not supported: convert it to JPEG")


def load_first_frame(image: Image.Image, name: str, draft_box: tuple[int, int] | None = None) -> Image.Image:
    """Decode the first frame (a JPEG at reduced scale when ``draft_box`` is given)."""
    try:
        if image.tell() != 0:  # not n_frames: counting walks every page, and a damaged later page raised
            image.seek(0)
        if draft_box is not None and image.format in ("JPEG", "MPO"):
            image.draft(None, draft_box)  # DCT scaling: decodes 1/2, 1/4 or 1/8 of the pixels
        image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(f"{name} is refused as a possible decompression bomb: {exc}") from None
    except Exception as exc:  # truncated data, bad Huffman tables, broken zlib…: Pillow raises many types
        raise damaged(name, exc) from None
    return image


def frame_count(image: Image.Image, name: str = "image", *, strict: bool = False) -> int:
    """How many frames (pages, animation frames) the file holds; 1 when it cannot tell.

    ``strict``: a page that cannot be read makes the file damaged (a :class:`ValidationError`)
    instead. A TIFF's pages are a chain of directories; one that is broken is a damaged file
    (the photographer's tool wrote it badly), not an animation's tail.
    """
    try:
        return max(1, int(getattr(image, "n_frames", 1)))
    except Exception as exc:  # counting GIF frames parses the whole file; a damaged tail is not our concern
        if strict:
            raise damaged(name, exc) from None
        return 1
