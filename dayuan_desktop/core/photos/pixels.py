"""Pixels for the web: EXIF orientation, colour converted to sRGB, alpha kept only when used.

Thumbnails and renditions both go through here, so what an editor sees in the photo
panel is what the site will show.
"""

from __future__ import annotations

import io
import threading

from PIL import Image, ImageCms

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")
_local = threading.local()


def displayed_size(width: int, height: int, orientation: int) -> tuple[int, int]:
    """The size as shown once the EXIF orientation is applied (5–8 swap the sides)."""
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def apply_orientation(image: Image.Image, orientation: int) -> Image.Image:
    """The image turned upright as the EXIF orientation (1–8) says."""
    method = _TRANSPOSE.get(orientation)
    return image.transpose(method) if method is not None else image


def _srgb_profile() -> ImageCms.ImageCmsProfile:
    profile = getattr(_local, "srgb", None)
    if profile is None:  # lcms objects are built per thread and never pickled to workers
        profile = _local.srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return profile


def _convert_with_profile(image: Image.Image, icc: bytes, out_mode: str) -> Image.Image | None:
    """``image`` converted from its embedded ICC profile to sRGB, or None when the profile is unusable."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(source) or "").lower().replace(" ", ""):
            return None  # already sRGB (most cameras and phones): converting would only add rounding
        return ImageCms.profileToProfile(
            image, source, _srgb_profile(), renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode=out_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a damaged or mismatched profile: fall back to the plain conversion


def to_srgb(image: Image.Image) -> Image.Image:
    """The image in a web mode: ``RGB``, ``RGBA`` or ``L``, colours in sRGB.

    CMYK and ICC-profiled inputs are converted with LittleCMS (ImageCms); a CMYK file
    without a profile gets Pillow's plain conversion; 16-bit greys are scaled, not clipped;
    palette images become RGB, or RGBA when they have a transparent colour.
    """
    icc = image.info.get("icc_profile") or None
    mode = image.mode
    if mode in _SIXTEEN_BIT:
        if mode not in ("I;16", "I"):  # Pillow's point() takes only these; big-endian TIFFs (Mac) are I;16B
            image = image.convert("I")
        return image.point(lambda value: value / 256, "L")  # Pillow's convert("L") would clip at 255
    if mode == "F":
        return image.convert("L")
    if mode == "1":
        return image.convert("L")
    if mode in ("P", "PA"):
        transparent = mode == "PA" or "transparency" in image.info
        image, mode = image.convert("RGBA" if transparent else "RGB"), ("RGBA" if transparent else "RGB")
    elif mode in ("LA", "La", "RGBa") or (mode in ("RGB", "L") and "transparency" in image.info):
        image, mode = image.convert("RGBA"), "RGBA"  # a tRNS colour key becomes real alpha
    elif mode == "LAB":
        lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
        return ImageCms.profileToProfile(image, lab, _srgb_profile(), outputMode="RGB")
    if mode == "CMYK":
        converted = _convert_with_profile(image, icc, "RGB") if icc else None
        return converted if converted is not None else image.convert("RGB")
    if mode in ("RGB", "RGBA"):
        converted = _convert_with_profile(image, icc, mode) if icc else None
        return converted if converted is not None else image
    if mode == "L":
        return image
    return image.convert("RGB")  # YCbCr, HSV and other rarities


def uses_alpha(image: Image.Image) -> bool:
    """True when the image has an alpha channel that is not fully opaque everywhere."""
    if image.mode != "RGBA":
        return False
    low, _high = image.getchannel("A").getextrema()
    return low < 255


def resize_within(image: Image.Image, long_side: int) -> Image.Image:
    """Scaled (never enlarged) so its longer side is at most ``long_side``; Lanczos, deterministic."""
    width, height = image.size
    longest = max(width, height)
    if longest <= long_side:
        return image
    scale = long_side / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if image.mode == "RGBA":
        # Premultiplied while filtering, so transparent pixels' colour does not bleed into the edges.
        return image.convert("RGBa").resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0).convert("RGBA")
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def draft_box(width: int, height: int, long_side: int) -> tuple[int, int]:
    """The size to ask a JPEG decoder for so the drafted picture is still at least ``long_side`` long."""
    longest = max(width, height, 1)
    if longest <= long_side:
        return width, height
    scale = long_side / longest
    return max(1, int(width * scale + 1)), max(1, int(height * scale + 1))
