"""XMP packets: read the newsroom fields with defusedxml, write a small deterministic packet.

Photo Mechanic, Lightroom and phones write XMP as UTF-8 RDF/XML. The reader refuses any
DTD (and so every entity trick: "billion laughs", external entities) instead of expanding
it, and never fetches anything.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
XMP_BASIC = "http://ns.adobe.com/xap/1.0/"
EXIF = "http://ns.adobe.com/exif/1.0/"
TIFF = "http://ns.adobe.com/tiff/1.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_XMP_BYTES = 1 * 2**20  # a real packet is a few KB; JPEG caps one at 64 KB


class XmpRefused(ValueError):
    """The packet was not read: hostile (a DTD or entities), too large, or not well-formed XML."""


@dataclass(frozen=True)
class XmpFields:
    """What the newsroom uses from an XMP packet (raw text; cleaning happens in ``metadata``)."""

    description: str = ""
    creators: tuple[str, ...] = ()
    credit: str = ""
    rights: str = ""
    subjects: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # photoshop:DateCreated, exif:DateTimeOriginal, xmp:CreateDate, in that order
    gps: bool = False
    orientation: int | None = None
    extra: tuple[str, ...] = field(default=())  # other properties present (what a rendition drops)
    notes: tuple[str, ...] = ()  # damaged fields that were skipped (said to the editor)


def parse_xmp(packet: bytes | str) -> XmpFields:
    """The newsroom fields of an XMP packet, or :class:`XmpRefused` saying why it was not read."""
    data = packet.encode("utf-8") if isinstance(packet, str) else bytes(packet)
    if len(data) > MAX_XMP_BYTES:
        raise XmpRefused(f"XMP packet of {len(data):,} bytes is larger than {MAX_XMP_BYTES:,}")
    root = _parse_root(data.strip(b"\x00 \t\r\n"))
    descriptions = list(root.iter(f"{{{RDF}}}Description"))

    def first(ns: str, name: str) -> list[str]:
        for description in descriptions:
            values = _property(description, ns, name)
            if values:
                return values
        return []

    dates = tuple(
        value
        for ns, name in ((PHOTOSHOP, "DateCreated"), (EXIF, "DateTimeOriginal"), (XMP_BASIC, "CreateDate"))
        for value in first(ns, name)[:1]
    )
    notes: list[str] = []
    orientation = _orientation(first(TIFF, "Orientation"), notes)
    return XmpFields(
        description=(first(DC, "description") or [""])[0],
        creators=tuple(first(DC, "creator")),
        credit=(first(PHOTOSHOP, "Credit") or [""])[0],
        rights=(first(DC, "rights") or [""])[0],
        subjects=tuple(first(DC, "subject")),
        dates=dates,
        gps=bool(first(EXIF, "GPSLatitude") or first(EXIF, "GPSLongitude")),
        orientation=orientation,
        extra=tuple(sorted({_local_name(key) for d in descriptions for key in _keys(d)} - _KEPT)),
        notes=tuple(notes),
    )


_ENCODING_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")


def _parse_root(data: bytes) -> Element:
    """The packet's XML tree; a DTD, entities or broken XML raise :class:`XmpRefused`."""
    try:
        try:
            return SafeElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException:
            raise  # a ValueError too, but never a reason to try again
        except (ValueError, LookupError) as exc:
            # expat reads only UTF-8/16, Latin-1 and ASCII ("multi-byte encodings are not supported"):
            # a packet declaring GB18030 or Big5 is decoded here and parsed as text instead.
            text = _decoded_by_declaration(data)
            if text is None:
                raise XmpRefused(f"XMP cannot be read ({str(exc)[:80]})") from None
            return SafeElementTree.fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmpRefused(f"XMP refused: it declares a DTD or entities (a possible XML bomb): {exc}") from None
    except SafeElementTree.ParseError as exc:
        raise XmpRefused(f"XMP is not well-formed XML ({exc})") from None
    except (ValueError, LookupError, UnicodeError) as exc:
        raise XmpRefused(f"XMP cannot be read ({str(exc)[:80]})") from None


def _decoded_by_declaration(data: bytes) -> str | None:
    """The packet as text in the encoding its XML declaration names; None when that is unknown or wrong."""
    match = _ENCODING_DECLARATION.match(data)
    if match is None:
        return None
    try:
        return data.decode(codecs.lookup(match.group(1).decode("ascii")).name)
    except (LookupError, UnicodeDecodeError):
        return None


def _orientation(values: list[str], notes: list[str]) -> int | None:
    """``tiff:Orientation`` as 1–8; anything else (``²``, a 5,000-digit number) is skipped with a note."""
    if not values:
        return None
    value = values[0].strip()
    if re.fullmatch(r"[1-8]", value, re.ASCII):
        return int(value)
    shown = value if len(value) <= 12 else value[:12] + "…"
    notes.append(f"XMP tiff:Orientation ignored: {shown!r} is not an orientation (1–8)")
    return None


_KEPT = {"description", "creator", "rights", "Credit", "about"}


def _keys(description: Element) -> list[str]:
    return [*description.attrib, *(child.tag for child in description)]


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _property(description: Element, ns: str, name: str) -> list[str]:
    """A property's values, whether written as an attribute or as an element (simple, Alt, Seq or Bag)."""
    qualified = f"{{{ns}}}{name}"
    if qualified in description.attrib:
        return [description.attrib[qualified]]
    element = description.find(qualified)
    if element is None:
        return []
    alt = element.find(f"{{{RDF}}}Alt")
    if alt is not None:
        items = alt.findall(f"{{{RDF}}}li")
        # x-default first, then Chinese, then whatever comes first.
        for wanted in ("x-default", "zh"):
            for item in items:
                if (item.get(XML_LANG) or "").lower().startswith(wanted):
                    return [_text(item)]
        return [_text(items[0])] if items else []
    for container in ("Seq", "Bag"):
        found = element.find(f"{{{RDF}}}{container}")
        if found is not None:
            return [text for text in (_text(item) for item in found.findall(f"{{{RDF}}}li")) if text]
    text = _text(element)
    return [text] if text else []


def _text(element: Element) -> str:
    return "".join(element.itertext()).strip()


def build_xmp(*, caption: str = "", photographer: str = "", copyright: str = "", credit: str = "") -> bytes:
    """A minimal XMP packet with the caption, photographer, copyright and credit.

    Deterministic (no dates, no instance IDs), so a rendition's bytes depend only on its
    inputs; empty fields are left out.
    """
    props = []
    if caption:
        props.append(_alt("dc:description", caption))
    if photographer:
        props.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(photographer)}</rdf:li></rdf:Seq></dc:creator>")
    if copyright:
        props.append(_alt("dc:rights", copyright))
    if credit:
        props.append(f"<photoshop:Credit>{escape(credit)}</photoshop:Credit>")
    body = "".join(props)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:dc="{DC}" xmlns:photoshop="{PHOTOSHOP}">{body}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    ).encode()


def _alt(tag: str, text: str) -> str:
    return f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt></{tag}>'
