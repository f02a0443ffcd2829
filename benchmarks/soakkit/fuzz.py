"""Fuzzed photo files, made from Pillow seeds: deterministic for a seed, any number of them.

Each mutant starts as a real photo Pillow writes (JPEG with EXIF, XMP and IPTC; PNG with
XMP; TIFF, 8 and 16 bits; WebP) and is then damaged one way: byte flips, truncation, a
duplicated chunk, a huge declared size (with a valid PNG CRC, so the size is what is read),
or a hostile metadata packet (XMP entity bombs, deep nesting, foreign encodings, absurd field
values; EXIF and IPTC with lengths pointing past the end).
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

KINDS = ("flip", "truncate", "duplicate", "huge", "xmp", "exif", "iptc")


@dataclass(frozen=True)
class Mutant:
    name: str  # e.g. "0042-jpeg-huge.jpg": index, base format, mutation
    data: bytes
    kind: str


def _xmp(fields: str, head: str = "") -> bytes:
    return (f'{head}<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
            f'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" {fields}</rdf:Description></rdf:RDF></x:xmpmeta>'
            '<?xpacket end="w"?>').encode()


def hostile_xmp(rng: random.Random) -> bytes:
    """One XMP packet of the kinds seen to break readers."""
    choice = rng.randrange(8)
    if choice == 0:  # entity expansion bomb
        entities = '<!ENTITY e0 "lol">' + "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 12))
        return f'<?xml version="1.0"?><!DOCTYPE x [{entities}]><x>&e11;</x>'.encode()
    if choice == 1:  # nesting 20,000 deep
        return b"<a>" * 20_000 + b"</a>" * 20_000
    if choice == 2:
        return _xmp('tiff:Orientation="\u00b2">')
    if choice == 3:
        return _xmp(f'tiff:Orientation="{"9" * 5000}">')
    if choice == 4:
        return _xmp('><dc:title>图为</dc:title>', head='<?xml version="1.0" encoding="GB18030"?>')
    if choice == 5:  # a huge caption
        return _xmp(f'><dc:description><rdf:Alt><rdf:li>{"图" * 200_000}</rdf:li></rdf:Alt></dc:description>')
    if choice == 6:  # external entity
        return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]><x>&f;</x>'
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))  # not XML at all


def _iptc_block(rng: random.Random) -> bytes:
    """An APP13 Photoshop block whose IPTC records claim more bytes than there are."""
    records = b"\x1c\x02\x78" + struct.pack(">H", rng.choice([0x7FFF, 0xFFFF, 40])) + "图为测试".encode()
    if rng.random() < 0.5:  # extended-length record
        records += b"\x1c\x02\x50\x80\x04" + struct.pack(">I", 0xFFFFFFF0) + b"x"
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(records) + rng.choice([0, 1000])) + records
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", min(len(payload) + 2, 0xFFFF)) + payload


def _base(rng: random.Random, index: int, *, with_xmp: bool = True) -> tuple[str, bytes]:
    size = (rng.randrange(16, 400), rng.randrange(16, 300))
    image = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image.paste(Image.frombytes("RGB", (8, 8), rng.randbytes(192)), (0, 0))
    fmt = rng.choice(("jpeg", "jpeg", "jpeg", "png", "tiff", "tiff16", "webp"))
    buffer = io.BytesIO()
    if fmt == "jpeg":
        exif = Image.Exif()
        exif[0x010E] = f"图为测试照片{index}"  # ImageDescription
        exif[0x013B] = "摄影记者"  # Artist
        exif[0x0112] = rng.choice([1, 6, 8])
        xmp = _xmp(f'><dc:title>测试{index}</dc:title>') if with_xmp else b""  # a hostile one replaces it
        image.save(buffer, "JPEG", quality=70, exif=exif, xmp=xmp)
    elif fmt == "png":
        from PIL import PngImagePlugin

        info = PngImagePlugin.PngInfo()
        if with_xmp:
            info.add_itxt("XML:com.adobe.xmp", _xmp(f'><dc:title>测试{index}</dc:title>').decode())
        image.save(buffer, "PNG", pnginfo=info)
    elif fmt == "tiff":
        image.save(buffer, "TIFF", compression=rng.choice(["raw", "tiff_lzw", "tiff_deflate"]))
    elif fmt == "tiff16":
        image.convert("I;16").save(buffer, "TIFF")
    else:
        image.save(buffer, "WEBP", quality=60)
    return fmt, buffer.getvalue()


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randrange(1, 12)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _duplicate(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    piece = data[start:start + rng.randrange(1, 2_000)]
    where = rng.randrange(len(data))
    return data[:where] + piece * rng.randrange(1, 4) + data[where:]


def _huge(fmt: str, data: bytes) -> bytes:
    if fmt == "png":  # IHDR width/height, with its CRC made right
        ihdr = bytearray(data[12:29])
        ihdr[4:12] = struct.pack(">II", 0x7FFF_FFFF, 0x7FFF_FFFF)
        return data[:12] + bytes(ihdr) + struct.pack(">I", zlib.crc32(bytes(ihdr))) + data[33:]
    if fmt == "jpeg":  # the frame header's height and width
        at = data.find(b"\xff\xc0")
        if at > 0:
            return data[:at + 5] + struct.pack(">HH", 0xFFFF, 0xFFFF) + data[at + 9:]
    if fmt.startswith("tiff"):  # ImageWidth/ImageLength entries of the first directory
        out = bytearray(data)
        for tag in (b"\x00\x01\x03\x00", b"\x01\x01\x03\x00"):
            at = out.find(tag)
            if at > 0:
                out[at + 8:at + 10] = b"\xff\xff"
        return bytes(out)
    return data[:26] + struct.pack("<HH", 0x3FFF, 0x3FFF) + data[30:]  # WebP VP8 frame size


def _with_metadata(fmt: str, data: bytes, segment: bytes) -> bytes:
    if fmt == "jpeg":  # right after SOI
        return data[:2] + segment + data[2:]
    if fmt == "png":  # an iTXt chunk after IHDR
        chunk = b"iTXt" + segment
        return data[:33] + struct.pack(">I", len(segment)) + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]
    return data + segment  # TIFF/WebP: trailing junk a reader must ignore


def mutate(rng: random.Random, fmt: str, data: bytes, kind: str) -> bytes:
    """``data`` (a ``fmt`` file) damaged the ``kind`` way."""
    if kind == "flip":
        return _flip(rng, data)
    if kind == "truncate":
        return data[:rng.randrange(0, len(data))]
    if kind == "duplicate":
        return _duplicate(rng, data)
    if kind == "huge":
        return _huge(fmt, data)
    if kind == "xmp":
        packet = hostile_xmp(rng)
        if fmt == "jpeg":
            payload = b"http://ns.adobe.com/xap/1.0/\x00" + packet[:65_000]
            return _with_metadata(fmt, data, b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload)
        if fmt == "png":
            return _with_metadata(fmt, data, b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + packet)
        return data + packet
    if kind == "exif" and fmt == "jpeg":
        exif = b"Exif\x00\x00II*\x00\x08\x00\x00\x00" + struct.pack("<H", 2)
        exif += struct.pack("<HHII", 0x010E, 2, 0x7FFF_FFFF, 0x1000)  # description: 2 GB past the end
        exif += struct.pack("<HHII", 0x0112, 3, 1, rng.choice([0, 9, 0xFFFF]))  # orientation out of range
        return _with_metadata(fmt, data, b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif)
    if kind == "iptc" and fmt == "jpeg":
        return _with_metadata(fmt, data, _iptc_block(rng))
    return _flip(rng, data)  # EXIF/IPTC mutations of non-JPEG files: flip bytes instead


def mutants(seed: int, count: int) -> Iterator[Mutant]:
    """``count`` damaged photo files, the same for the same seed."""
    rng = random.Random(seed)
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        fmt, data = _base(rng, index, with_xmp=kind != "xmp")
        extension = {"jpeg": "jpg", "tiff16": "tif", "tiff": "tif"}.get(fmt, fmt)
        yield Mutant(f"{index:04d}-{fmt}-{kind}.{extension}", mutate(rng, fmt, data, kind), kind)
