"""Web renditions: upright, sRGB, at most 1,200 px on the long side, with credit and without GPS.

A rendition is a pure function of the original bytes, the size and the texts it carries:
same inputs, same bytes, so an incremental export rewrites nothing that did not change.
Nothing of the original's metadata is copied (no GPS, camera data, maker notes, embedded
thumbnail, colour profile or comment); a new minimal XMP packet and EXIF Artist/Copyright
are written instead, so the credit travels with the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dayuan_desktop.core.captions import separate_byline
from dayuan_desktop.core.errors import ValidationError

if TYPE_CHECKING:
    from PIL import Image

# Pillow and the decoding, metadata and pixel modules built on it are imported by
# make_web_rendition itself: an export with nothing to make reads only this module's
# version, texts and keys, and starts ~20 ms sooner without them (issue 20).

DEFAULT_LONG_SIDE = 1200
JPEG_QUALITY = 85
# Bump whenever make_web_rendition makes different bytes from the same inputs: cached and
# exported renditions keyed with an older version are then made again.
# 2: long side bounded (was width), sRGB, PNG kept for graphics, XMP/EXIF credit, no GPS.
RENDITION_FORMAT_VERSION = 2
RenditionProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class RenditionText:
    """The texts a rendition carries (as XMP; photographer and copyright also as EXIF)."""

    caption: str = ""
    photographer: str = ""
    copyright: str = ""
    credit: str = ""


    @classmethod
    def of_library(cls, caption: str, photographer: str, copyright: str = "", credit: str = "") -> RenditionText:
        """The texts as the photo library holds them (a byline typed into the caption is moved out)."""
        if caption.rstrip().endswith("摄"):  # only then can it hold a byline; export plans 10,000 of these
            caption, photographer = separate_byline(caption, photographer)
        return cls(caption, photographer, copyright, credit)

    @classmethod
    def of_photo(cls, photo) -> RenditionText:
        """The texts of a photo record (anything with caption, photographer, copyright and credit)."""
        return cls.of_library(photo.caption, photo.photographer, photo.copyright, photo.credit)

    def key(self) -> str:
        """The texts as one string for input keys (changes whenever any of them does)."""
        return "\x1f".join((self.caption, self.photographer, self.copyright, self.credit))


@dataclass(frozen=True)
class Rendition:
    """A web rendition: its bytes, ``JPEG`` or ``PNG``, and its pixel size."""

    data: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        """``.jpg`` or ``.png``."""
        return ".png" if self.format == "PNG" else ".jpg"


def _temporary_file():
    """An anonymous temporary file (tempfile imported here, as Pillow is: an export of cached
    renditions makes none, and tempfile brings shutil, random and more along)."""
    import tempfile

    return tempfile.TemporaryFile()


def make_web_rendition(
    original: bytes, *, long_side: int = DEFAULT_LONG_SIDE, text: RenditionText | None = None, name: str = "photo"
) -> Rendition:
    """The web rendition of a photo's original bytes.

    ``text`` defaults to what the original itself says (its caption, photographer and
    copyright). A PNG or GIF with transparency, or a graphic (palette or at most 256
    colours), stays PNG; everything else becomes a progressive, optimised JPEG at quality 85.
    """
    from PIL.PngImagePlugin import PngInfo

    from dayuan_desktop.core.photos.decoding import damaged, load_first_frame, open_image
    from dayuan_desktop.core.photos.metadata import read_metadata
    from dayuan_desktop.core.photos.pixels import (
        apply_orientation,
        draft_box,
        resize_within,
        to_srgb,
        uses_alpha,
    )
    from dayuan_desktop.core.photos.xmp import build_xmp

    if long_side < 1:
        raise ValidationError(f"a rendition needs a positive size, not {long_side}")
    with open_image(original, name) as image:
        source_format = image.format
        load_first_frame(image, name, draft_box(*image.size, long_side))
        meta = read_metadata(image, original)
        if text is None:
            caption, photographer = separate_byline(meta.caption, meta.photographer)
            text = RenditionText(caption, photographer, meta.copyright, meta.credit)
        try:
            graphic = source_format in ("PNG", "GIF") and _is_graphic(image)
            frame = resize_within(apply_orientation(to_srgb(image), meta.orientation), long_side)
            if frame is image:  # nothing to change: copy, the file's image is closed on leaving
                frame = image.copy()
        except ValidationError:
            raise
        except Exception as exc:  # a pixel operation failing on a hostile file: still just "damaged"
            raise damaged(name, exc) from None
    as_png = graphic or uses_alpha(frame)
    if not as_png and frame.mode not in ("RGB", "L"):
        frame = frame.convert("RGB")  # opaque RGBA
    frame.info = {}  # nothing of the original (comment, dpi, profile) may leak into the saved file
    exif = _exif(text)
    xmp = build_xmp(caption=text.caption, photographer=text.photographer, copyright=text.copyright,
                    credit=text.credit)
    # Encoded into a real (temporary) file, not a BytesIO: Pillow then encodes with the GIL released.
    # Into memory it holds the GIL for the whole progressive encode (60-200 ms at 1,200 px), which
    # stalls the window's UI thread while a pasted or imported photo gets its rendition.
    with _temporary_file() as buffer:
        if as_png:
            info = PngInfo()
            info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"), zip=False)
            frame.save(buffer, "PNG", pnginfo=info, exif=exif, optimize=True)
        else:
            frame.save(buffer, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True, exif=exif, xmp=xmp)
        buffer.seek(0)
        data = buffer.read()
    return Rendition(data, "PNG" if as_png else "JPEG", frame.width, frame.height)


def _is_graphic(image: Image.Image) -> bool:
    """A logo, chart or screenshot rather than a photograph: palette, transparency or few colours."""
    if image.mode in ("P", "PA", "1") or "transparency" in image.info:
        return True
    if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255:
        return True  # really transparent somewhere
    return image.mode in ("RGB", "RGBA", "L", "LA") and image.getcolors(256) is not None


def _exif(text: RenditionText) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    # EXIF "ASCII" fields hold UTF-8 in practice (phones, exiftool); Pillow would turn 中文 into "??".
    if text.photographer:
        exif[0x013B] = text.photographer.encode("utf-8")
    if text.copyright:
        exif[0x8298] = text.copyright.encode("utf-8")
    return exif.tobytes() if len(exif) else b""
