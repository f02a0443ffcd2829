"""Real photo files for the photo tests, made here: JPEGs with XMP, IPTC (spliced in as APP13),
EXIF and GPS; hand-built TIFF and ICC profiles for what Pillow cannot write."""

from __future__ import annotations

import io
import struct
from xml.sax.saxutils import escape

from PIL import Image

GPS = {1: "N", 2: (39.0, 54.0, 12.5), 3: "E", 4: (113.0, 18.0, 7.25)}  # Datong, Shanxi


def save(image: Image.Image, fmt: str = "JPEG", **params) -> bytes:
    """The image saved to bytes."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def exif_bytes(
    *, orientation: int | None = None, gps: bool = False, artist: str | bytes | None = None,
    description: str | bytes | None = None, copyright: str | bytes | None = None, make: str | None = None,
    taken: str | None = None, offset: str | None = None, xp: dict[int, str] | None = None,
) -> bytes:
    """An EXIF block (text given as ``bytes`` is written raw, e.g. UTF-8 as phones do)."""
    exif = Image.Exif()
    for tag, value in ((0x0112, orientation), (0x013B, artist), (0x010E, description), (0x8298, copyright),
                       (0x010F, make)):
        if value is not None:
            exif[tag] = value
    for tag, text in (xp or {}).items():
        exif[tag] = text.encode("utf-16-le") + b"\x00\x00"
    if gps:
        exif[0x8825] = dict(GPS)
    if taken is not None:
        exif_ifd = {0x9003: taken}
        if offset is not None:
            exif_ifd[0x9011] = offset
        exif[0x8769] = exif_ifd
    return exif.tobytes()


def jpeg(width: int = 1600, height: int = 1200, color=(170, 40, 40), *, mode: str = "RGB", **params) -> bytes:
    """A JPEG of one colour (``params`` go to Pillow's save: exif, xmp, icc_profile, comment…)."""
    return save(Image.new(mode, (width, height), color), "JPEG", quality=90, **params)


def xmp_packet(
    *, description: str | None = None, creator: str | None = None, credit: str | None = None,
    rights: str | None = None, subjects: tuple[str, ...] = (), date: str | None = None, gps: bool = False,
    doctype: str = "",
) -> bytes:
    """An XMP packet as Lightroom/Photo Mechanic write it: some values as attributes, some as elements."""
    attributes = []
    if credit is not None:
        attributes.append(f'photoshop:Credit="{escape(credit)}"')
    if date is not None:
        attributes.append(f'photoshop:DateCreated="{date}"')
    if gps:
        attributes.append('exif:GPSLatitude="39,54.2N" exif:GPSLongitude="113,18.1E"')
    elements = []
    if description is not None:
        elements.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(description)}</rdf:li>'
                        "</rdf:Alt></dc:description>")
    if creator is not None:
        elements.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(creator)}</rdf:li></rdf:Seq></dc:creator>")
    if rights is not None:
        elements.append(f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{escape(rights)}</rdf:li></rdf:Alt>'
                        "</dc:rights>")
    if subjects:
        items = "".join(f"<rdf:li>{escape(s)}</rdf:li>" for s in subjects)
        elements.append(f"<dc:subject><rdf:Bag>{items}</rdf:Bag></dc:subject>")
    return (
        f'{doctype}<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Photo Mechanic 6"'
        f' {" ".join(attributes)}>\n   {"".join(elements)}\n  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n'
        '<?xpacket end="w"?>'
    ).encode()


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">&lol9;</rdf:li></rdf:Alt></dc:description>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
).encode("utf-8")

EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">&secret;</rdf:li></rdf:Alt></dc:description>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


# -- IPTC IIM in a JPEG APP13 segment (Pillow cannot write it) ------------------------------------
def iim(*datasets: tuple[int, int, bytes]) -> bytes:
    """IIM datasets: 0x1C, record, dataset number, 2-byte length, value."""
    return b"".join(struct.pack(">BBBH", 0x1C, record, number, len(value)) + value
                    for record, number, value in datasets)


def iptc_block(caption: str, byline: str, *, encoding: str = "utf-8", utf8_marker: bool = True,
               keywords: tuple[str, ...] = (), credit: str = "", copyright: str = "",
               date: str = "", time: str = "") -> bytes:
    """An IIM block as Photo Mechanic writes it (record 1:90 says UTF-8 unless told not to)."""
    sets = [(1, 90, b"\x1b%G")] if utf8_marker else []
    sets.append((2, 0, b"\x00\x04"))
    sets += [(2, 120, caption.encode(encoding)), (2, 80, byline.encode(encoding))]
    sets += [(2, 25, k.encode(encoding)) for k in keywords]
    for number, text in ((110, credit), (116, copyright), (55, date), (60, time)):
        if text:
            sets.append((2, number, text.encode(encoding)))
    return iim(*sets)


def app13(iim_bytes: bytes, *, resource_name: bytes = b"") -> bytes:
    """An APP13 segment: "Photoshop 3.0", one 8BIM resource 0x0404 holding the IIM."""
    name = bytes([len(resource_name)]) + resource_name
    name += b"\x00" * (len(name) % 2)  # Pascal string padded to even length
    data = iim_bytes + b"\x00" * (len(iim_bytes) % 2)
    payload = b"Photoshop 3.0\x00" + b"8BIM" + struct.pack(">H", 0x0404) + name + struct.pack(">I", len(iim_bytes))
    payload += data
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def splice_after_soi(jpeg_bytes: bytes, segment: bytes) -> bytes:
    """The JPEG with ``segment`` inserted right after its start-of-image marker."""
    assert jpeg_bytes[:2] == b"\xff\xd8"
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def with_iptc(jpeg_bytes: bytes, iim_bytes: bytes) -> bytes:
    """The JPEG with an IPTC APP13 segment."""
    return splice_after_soi(jpeg_bytes, app13(iim_bytes))


# -- formats Pillow does not write ---------------------------------------------------------------
def tiff_16bit_rgb(width: int = 64, height: int = 8) -> bytes:
    """An uncompressed 48-bit (16 bits per channel) RGB TIFF, a horizontal grey ramp."""
    row = b"".join(struct.pack("<HHH", *(((x * 65535) // (width - 1),) * 3)) for x in range(width))
    pixels = row * height
    entries = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 3, None), (259, 3, 1, 1), (262, 3, 1, 2),
               (273, 4, 1, None), (277, 3, 1, 3), (278, 3, 1, height), (279, 4, 1, len(pixels)), (284, 3, 1, 1)]
    ifd_size = 2 + len(entries) * 12 + 4
    bits_at = 8 + ifd_size
    data_at = bits_at + 6
    out = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        value = bits_at if tag == 258 else data_at if tag == 273 else value
        packed = struct.pack("<HH", value, 0) if kind == 3 and count == 1 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, count) + packed
    return out + struct.pack("<I", 0) + struct.pack("<HHH", 16, 16, 16) + pixels


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def rgb_icc_profile(red, green, blue, description: str = "Test RGB") -> bytes:
    """A minimal ICC v2 matrix/TRC display profile with these D50 primaries (gamma 2.2)."""
    def xyz(values) -> bytes:
        return b"XYZ \x00\x00\x00\x00" + b"".join(_s15(v) for v in values)

    text = description.encode("ascii") + b"\x00"
    desc = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(text)) + text + b"\x00" * 8 + b"\x00" * 3 + b"\x00" * 67
    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, 0x0233) + b"\x00\x00"
    tags = [(b"desc", desc), (b"wtpt", xyz((0.9642, 1.0, 0.8249))), (b"rXYZ", xyz(red)), (b"gXYZ", xyz(green)),
            (b"bXYZ", xyz(blue)), (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
            (b"cprt", b"text\x00\x00\x00\x00No copyright\x00\x00\x00\x00")]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data + b"\x00" * (-len(data) % 4)
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + b"\x00" * 12
              + b"acsp" + b"\x00" * 24 + b"\x00" * 4 + xyz((0.9642, 1.0, 0.8249))[8:] + b"\x00" * 4
              + b"\x00" * 16 + b"\x00" * 28)
    assert len(header) == 128, len(header)
    return header + struct.pack(">I", len(tags)) + table + body


SRGB_D50 = {"red": (0.4361, 0.2225, 0.0139), "green": (0.3851, 0.7169, 0.0971), "blue": (0.1431, 0.0606, 0.7141)}


def swapped_primaries_profile() -> bytes:
    """A profile whose "red" channel is sRGB's blue and vice versa: colour management must show."""
    return rgb_icc_profile(SRGB_D50["blue"], SRGB_D50["green"], SRGB_D50["red"], "Swapped primaries test")


def corner_marked(width: int = 400, height: int = 300) -> Image.Image:
    """Grey with a red top-left quarter: where the red ends up shows how a picture was turned."""
    image = Image.new("RGB", (width, height), (128, 128, 128))
    image.paste((255, 0, 0), (0, 0, width // 2, height // 2))
    return image


def stored_for_orientation(upright: Image.Image, orientation: int) -> Image.Image:
    """What a camera stores so that applying ``orientation`` gives ``upright`` (the inverse transform)."""
    inverse = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
               4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90,
               7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_270}
    return upright.transpose(inverse[orientation]) if orientation in inverse else upright.copy()


def near(pixel, expected, tolerance: int = 24) -> bool:
    """Whether two colours are within ``tolerance`` per channel (JPEG is lossy)."""
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))
