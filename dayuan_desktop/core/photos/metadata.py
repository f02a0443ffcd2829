"""What a photo file says about itself: caption, photographer, credit, copyright, keywords, date, GPS.

Sources are read in the order the newsroom trusts them, first found wins: XMP (what Photo
Mechanic and Lightroom write), then IPTC IIM (older tools), then EXIF (cameras and phones).
A damaged or hostile source is skipped with a note; it never stops the import.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from PIL import Image

from dayuan_desktop.core.photos.iptc import IptcFields, decode_legacy_text, parse_iim, photoshop_iim
from dayuan_desktop.core.photos.xmp import XmpFields, XmpRefused, parse_xmp

# Column sizes of the photos table (PostgreSQL enforces them) and sane bounds for the rest.
LIMITS = {"caption": 2000, "photographer": 200, "credit": 200, "copyright": 500, "keyword": 100}
MAX_KEYWORDS = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufeff]+")
# Cameras fill ImageDescription with their own name; that is not a caption.
_PLACEHOLDERS = {"olympus digital camera", "sony dsc", "digital camera", "default", "image", "dcim",
                 "samsung", "camera", "photo", "picture"}
_EXIF_KEPT = {0x013B, 0x8298, 0x0112, 0x8769, 0x8825}  # Artist, Copyright, Orientation, IFD pointers


@dataclass(frozen=True)
class PhotoMetadata:
    """Clean text values (empty when absent) and where each came from (``sources``)."""

    caption: str = ""
    photographer: str = ""
    credit: str = ""
    copyright: str = ""
    keywords: tuple[str, ...] = ()
    taken_at: datetime | None = None
    gps: bool = False
    orientation: int = 1
    sources: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # sources skipped as damaged or hostile
    dropped: tuple[str, ...] = ()  # what a web rendition leaves out


def clean_text(value: object, limit: int) -> str:
    """One line of text: control characters and runs of white space become one space; cut at ``limit``."""
    if isinstance(value, bytes):
        value = decode_legacy_text(value)
    text = " ".join(_CONTROL.sub(" ", str(value or "")).split())
    return text[:limit].rstrip()


def exif_text(value: object) -> str:
    """An EXIF ASCII value as text. Phones write UTF-8 (or GB18030) into these "ASCII" fields and
    Pillow decodes them as Latin-1, so such text is re-decoded."""
    if isinstance(value, tuple):  # BYTE/UNDEFINED arrays
        value = bytes(v for v in value if isinstance(v, int) and 0 <= v < 256)
    if isinstance(value, bytes):
        return decode_legacy_text(value.rstrip(b"\x00"))
    if isinstance(value, str) and any(ord(c) > 127 for c in value) and all(ord(c) < 256 for c in value):
        return decode_legacy_text(value.encode("latin-1"))
    return str(value) if isinstance(value, str) else ""


def _xp_text(value: object) -> str:
    """Windows' XP* fields: UTF-16LE in a BYTE array."""
    if isinstance(value, tuple):
        value = bytes(v for v in value if isinstance(v, int) and 0 <= v < 256)
    if not isinstance(value, bytes):
        return ""
    return value.decode("utf-16-le", errors="replace").split("\x00")[0]


def _parse_date(text: str, zone: ZoneInfo, offset: str = "") -> datetime | None:
    """ISO 8601 (XMP), ``YYYY:MM:DD HH:MM:SS`` (EXIF) or ``YYYYMMDD`` + ``HHMMSS±HHMM`` (IPTC)."""
    text = text.strip().rstrip("\x00")
    match = re.match(r"^(\d{4})[:-]?(\d{2})[:-]?(\d{2})(?:[T ]?(\d{2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?)?"
                     r"\s*(Z|[+-]\d{2}:?\d{2})?$", text)
    if not match:
        return None
    year, month, day, hour, minute, second, tz = match.groups()
    tz = tz or offset.strip() or None
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None  # "0000:00:00 00:00:00" and other impossible dates
    if not 1900 <= moment.year <= 2100:
        return None
    if tz in ("Z", "z"):
        return moment.replace(tzinfo=UTC)
    if tz and re.fullmatch(r"[+-]\d{2}:?\d{2}", tz):
        sign = -1 if tz[0] == "-" else 1
        hours, minutes = int(tz[1:3]), int(tz[-2:])
        if hours < 24 and minutes < 60:
            return moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    return moment.replace(tzinfo=zone)  # no zone in the file: the newsroom's own


def read_metadata(image: Image.Image, data: bytes, *, zone: str = "Asia/Shanghai") -> PhotoMetadata:
    """The metadata of an opened image (``data`` are its bytes, for the IPTC block).

    Each source is read on its own (a damaged one becomes a note and the others still count),
    then merged: XMP first, then IPTC, then EXIF, field by field.
    """
    notes: list[str] = []
    dropped: list[str] = []
    xmp = _read_xmp(image, notes, dropped)
    iptc = _read_iptc(image, data, notes, dropped)
    base, gps_ifd, exif_ifd = _read_exif(image, notes)
    sources: dict[str, str] = {}
    caption, photographer, credit, copyright = _merged_texts(xmp, iptc, base, sources)
    keywords, label = _keywords(xmp, iptc, _xp_text(base.get(0x9C9E)))
    if keywords:
        sources["keywords"] = label
    taken_at = _taken_at(xmp, iptc, exif_ifd, ZoneInfo(zone), sources)
    gps = xmp.gps or any(tag in gps_ifd for tag in (1, 2, 3, 4))
    orientation = base.get(0x0112) or xmp.orientation or 1
    orientation = orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1
    if gps:
        dropped.insert(0, "GPS position")
    dropped += _dropped_besides_texts(image, base, exif_ifd)
    return PhotoMetadata(
        caption=caption, photographer=photographer, credit=credit, copyright=copyright, keywords=keywords,
        taken_at=taken_at, gps=gps, orientation=orientation, sources=sources, notes=tuple(notes),
        dropped=tuple(dropped),
    )


def _read_xmp(image: Image.Image, notes: list[str], dropped: list[str]) -> XmpFields:
    """The image's XMP packet, or empty fields when it has none or it is refused (said in ``notes``)."""
    xmp = XmpFields()
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if packet:
        try:
            xmp = parse_xmp(packet)
            notes += xmp.notes
        except XmpRefused as exc:
            notes.append(f"XMP ignored: {exc}")
        except Exception as exc:  # a packet of an unexpected type or shape: skip it, keep the photo
            notes.append(f"XMP ignored: it is damaged ({type(exc).__name__})")
        dropped.append("the XMP packet (its caption, photographer, credit and copyright are rewritten)")
    return xmp


def _read_iptc(image: Image.Image, data: bytes, notes: list[str], dropped: list[str]) -> IptcFields:
    """The image's IPTC record (JPEG: Photoshop's APP13 block; TIFF: its IPTC-NAA tag), or empty fields."""
    try:
        iim = photoshop_iim(data) if image.format in ("JPEG", "MPO") else _tiff_iim(image)
        if iim:
            iptc = parse_iim(iim)
            dropped.append("the IPTC record (its caption, byline and copyright are rewritten as XMP)")
            return iptc
    except Exception as exc:  # hand-rolled parser on hostile bytes: skip the block, keep the photo
        notes.append(f"IPTC ignored: it is damaged ({type(exc).__name__})")
    return IptcFields()


def _read_exif(image: Image.Image, notes: list[str]) -> tuple[dict, dict, dict]:
    """The image's EXIF as (base IFD, GPS IFD, EXIF IFD); all empty when it is damaged (said in ``notes``)."""
    try:
        with warnings.catch_warnings(record=True) as complaints:
            warnings.simplefilter("always")  # Pillow warns (not raises) about some damage: say it once, as a note
            raw = image.info.get("exif")
            if isinstance(raw, bytes) and raw:
                exif = Image.Exif()  # parsed afresh, so its complaints are heard here
                exif.load(raw)
            else:
                exif = image.getexif()
            base = dict(exif)
            if exif is not None and not raw and 0x0112 not in getattr(image, "tag_v2", {}):
                # Pillow copies XMP's tiff:Orientation into EXIF by its first digit ("7" of a 5,000-digit
                # number); XMP is read (and checked) by _read_xmp instead.
                base.pop(0x0112, None)
            gps_ifd = dict(exif.get_ifd(0x8825)) if 0x8825 in base else {}
            exif_ifd = dict(exif.get_ifd(0x8769)) if 0x8769 in base else {}
        if complaints:
            notes.append(f"EXIF partly damaged: {str(complaints[0].message).strip()[:100]}")
    except Exception as exc:  # Pillow's TIFF-structure parser raises many types on a damaged EXIF block
        notes.append(f"EXIF ignored: it is damaged ({type(exc).__name__})")
        return {}, {}, {}
    return base, gps_ifd, exif_ifd


def _merged_texts(xmp: XmpFields, iptc: IptcFields, base: dict, sources: dict[str, str]) -> tuple[str, str, str, str]:
    """Caption, photographer, credit and copyright: each from the first source that has it (noted in ``sources``)."""

    def pick(name: str, limit: int, *candidates: tuple[str, object]) -> str:
        for label, raw in candidates:
            text = clean_text(raw, limit)
            if text and not (name == "caption" and text.lower() in _PLACEHOLDERS):
                sources[name] = label
                return text
        return ""

    caption = pick("caption", LIMITS["caption"],
                   ("XMP dc:description", xmp.description), ("IPTC 2:120", iptc.caption),
                   ("EXIF ImageDescription", exif_text(base.get(0x010E))),
                   ("EXIF XPTitle", _xp_text(base.get(0x9C9B))), ("EXIF XPSubject", _xp_text(base.get(0x9C9F))))
    photographer = pick("photographer", LIMITS["photographer"],
                        ("XMP dc:creator", "、".join(xmp.creators)), ("IPTC 2:80", "、".join(iptc.bylines)),
                        ("EXIF Artist", exif_text(base.get(0x013B))), ("EXIF XPAuthor", _xp_text(base.get(0x9C9D))))
    credit = pick("credit", LIMITS["credit"], ("XMP photoshop:Credit", xmp.credit), ("IPTC 2:110", iptc.credit))
    copyright = pick("copyright", LIMITS["copyright"], ("XMP dc:rights", xmp.rights),
                     ("IPTC 2:116", iptc.copyright),
                     ("EXIF Copyright", exif_text(base.get(0x8298))))
    return caption, photographer, credit, copyright


def _dropped_besides_texts(image: Image.Image, base: dict, exif_ifd: dict) -> list[str]:
    """What else the web rendition leaves out: camera EXIF fields, the colour profile, the comment."""
    dropped: list[str] = []
    camera = sorted(str(tag) for tag in base if tag not in _EXIF_KEPT) + [str(t) for t in exif_ifd]
    if camera:
        fields = "field" if len(camera) == 1 else "fields"
        dropped.append(f"{len(camera)} other EXIF {fields} (camera, lens, exposure, serial numbers, maker notes)")
    if image.info.get("icc_profile"):
        dropped.append("the embedded colour profile (pixels are converted to sRGB)")
    if image.info.get("comment"):
        dropped.append("the embedded comment")
    return dropped


def _tiff_iim(image: Image.Image) -> bytes | None:
    value = getattr(image, "tag_v2", {}).get(33723)  # IPTC-NAA, written by Photoshop into TIFFs
    return value if isinstance(value, bytes) else None


def _keywords(xmp: XmpFields, iptc: IptcFields, xp: str) -> tuple[tuple[str, ...], str]:
    for label, values in (("XMP dc:subject", xmp.subjects), ("IPTC 2:25", iptc.keywords),
                          ("EXIF XPKeywords", tuple(xp.split(";")))):
        cleaned = [clean_text(v, LIMITS["keyword"]) for v in values]
        unique = tuple(dict.fromkeys(v for v in cleaned if v))[:MAX_KEYWORDS]
        if unique:
            return unique, label
    return (), ""


def _taken_at(xmp: XmpFields, iptc: IptcFields, exif_ifd, tz: ZoneInfo, sources: dict[str, str]) -> datetime | None:
    candidates = [("XMP", text, "") for text in xmp.dates]
    if iptc.date:
        candidates.append(("IPTC 2:55/2:60", f"{iptc.date}{iptc.time[:6]}", iptc.time[6:]))
    for tag, offset_tag, name in ((0x9003, 0x9011, "DateTimeOriginal"), (0x9004, 0x9012, "DateTimeDigitized")):
        candidates.append((f"EXIF {name}", exif_text(exif_ifd.get(tag)), exif_text(exif_ifd.get(offset_tag))))
    for label, text, offset in candidates:
        moment = _parse_date(clean_text(text, 64), tz, offset) if text else None
        if moment is not None:
            sources["taken_at"] = label
            return moment
    return None
