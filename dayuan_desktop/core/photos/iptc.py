"""IPTC IIM (the "IPTC" panel of Photo Mechanic): read from a JPEG's APP13 Photoshop resource.

Pillow can neither write IPTC nor keep it on re-save, and pyexiv2 is GPL-3, so the few
structures involved are parsed here: JPEG marker segments, Photoshop ``8BIM`` image
resources (resource 0x0404 holds the IIM), and the IIM datasets themselves. Every length
is checked against what is really there; a damaged block is skipped, never trusted.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

_PHOTOSHOP = b"Photoshop 3.0\x00"
_IIM_RESOURCE = 0x0404
_UTF8_MARKERS = (b"\x1b%G", b"\x1b%/I")  # ISO 2022 escapes for UTF-8 in dataset 1:90
_MAX_DATASETS = 10_000


@dataclass(frozen=True)
class IptcFields:
    """The newsroom datasets of record 2, decoded to text."""

    caption: str = ""  # 2:120
    bylines: tuple[str, ...] = ()  # 2:80
    credit: str = ""  # 2:110
    copyright: str = ""  # 2:116
    keywords: tuple[str, ...] = ()  # 2:25
    date: str = ""  # 2:55 CCYYMMDD
    time: str = ""  # 2:60 HHMMSS±HHMM


def jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(marker, payload) of each JPEG marker segment before the image data starts."""
    if data[:2] != b"\xff\xd8":
        return
    pos, end = 2, len(data)
    while pos + 4 <= end:
        if data[pos] != 0xFF:
            return  # not at a marker: a damaged file; what was read so far stands
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more metadata
            return
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if length < 2 or pos + 2 + length > end:
            return
        yield marker, data[pos + 4 : pos + 2 + length]
        pos += 2 + length


def photoshop_iim(data: bytes) -> bytes | None:
    """The IIM block (8BIM resource 0x0404) of a JPEG's APP13 segments, if there is one."""
    # A large IPTC block is split over several APP13 segments, each starting with the signature.
    payload = b"".join(seg[len(_PHOTOSHOP):] for marker, seg in jpeg_segments(data)
                       if marker == 0xED and seg.startswith(_PHOTOSHOP))
    return _resource(payload, _IIM_RESOURCE) if payload else None


def _resource(block: bytes, wanted: int) -> bytes | None:
    pos, end = 0, len(block)
    while pos + 12 <= end and block[pos : pos + 4] == b"8BIM":
        (resource_id,) = struct.unpack_from(">H", block, pos + 4)
        name_length = block[pos + 6]
        pos += 6 + name_length + 1
        pos += pos % 2  # the Pascal name (length byte included) is padded to an even size
        if pos + 4 > end:
            return None
        (size,) = struct.unpack_from(">I", block, pos)
        pos += 4
        if pos + size > end:
            return None
        if resource_id == wanted:
            return block[pos : pos + size]
        pos += size + size % 2
    return None


def iim_datasets(iim: bytes) -> list[tuple[int, int, bytes]]:
    """(record, dataset, value) of every well-formed dataset, in order."""
    found: list[tuple[int, int, bytes]] = []
    pos, end = 0, len(iim)
    while pos + 5 <= end and iim[pos] == 0x1C and len(found) < _MAX_DATASETS:
        record, dataset = iim[pos + 1], iim[pos + 2]
        (length,) = struct.unpack_from(">H", iim, pos + 3)
        pos += 5
        if length & 0x8000:  # extended dataset: the low bits say how many bytes hold the length
            count = length & 0x7FFF
            if count > 4 or pos + count > end:
                break
            length = int.from_bytes(iim[pos : pos + count], "big")
            pos += count
        if pos + length > end:
            break
        found.append((record, dataset, iim[pos : pos + length]))
        pos += length
    return found


def decode_iim_text(value: bytes, utf8: bool) -> str:
    """IIM text: UTF-8 when 1:90 says so; otherwise UTF-8 if valid, then GB18030 (older Chinese tools)."""
    if utf8:
        return value.decode("utf-8", errors="replace")
    return decode_legacy_text(value)


def decode_legacy_text(value: bytes) -> str:
    """Text of unknown encoding from a Chinese newsroom: UTF-8 if valid, then GB18030, else UTF-8 with ?."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return value.decode(encoding)
        except UnicodeDecodeError:
            continue
    return value.decode("utf-8", errors="replace")


def parse_iim(iim: bytes) -> IptcFields:
    """The newsroom fields of an IIM block."""
    datasets = iim_datasets(iim)
    utf8 = any(record == 1 and number == 90 and value.strip() in _UTF8_MARKERS for record, number, value in datasets)
    values: dict[int, list[str]] = {}
    for record, number, value in datasets:
        if record == 2 and number in (25, 55, 60, 80, 110, 116, 120):
            text = decode_iim_text(value, utf8).strip("\x00 ")
            if text:
                values.setdefault(number, []).append(text)

    def one(number: int) -> str:
        return values.get(number, [""])[0]

    return IptcFields(
        caption=one(120), bylines=tuple(values.get(80, ())), credit=one(110), copyright=one(116),
        keywords=tuple(values.get(25, ())), date=one(55), time=one(60),
    )
