"""Zip entries checked before they are read, and read without trusting their headers.

Names must be relative, without ``..``, and not links; declared sizes and counts must be within
the limits; each entry is then inflated here (stored or deflated only), counting the bytes it
really yields, so an entry whose header understates its size stops at the declared size instead
of filling the disk.
"""

from __future__ import annotations

import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from dayuan_desktop.core.packages.limits import PackageError, PackageLimits

_CHUNK = 256 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature … file name length, extra field length
_DRIVE = re.compile(r"^[A-Za-z]:")


def _shown(name: str) -> str:
    return repr(name[:100])


def check_name(info: zipfile.ZipInfo) -> None:
    """Refuse an absolute path, a ``..`` step, a link, an encrypted entry or an unknown compression."""
    name = info.filename
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise PackageError(f"the package holds a file with an absolute path, {_shown(name)}: refused")
    if ".." in re.split(r"[/\\]", name) or "\x00" in name:
        raise PackageError(f"the package holds a file whose path leaves its folder, {_shown(name)}: refused")
    mode = info.external_attr >> 16
    # The upper bits are the Unix st_mode; judged whatever system the entry claims to come from.
    if stat.S_ISLNK(mode):
        raise PackageError(f"the package holds a link, {_shown(name)}: refused")
    if info.flag_bits & 0x1:
        raise PackageError(f"the package holds an encrypted file, {_shown(name)}: refused")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageError(f"{_shown(name)} uses compression method {info.compress_type}; "
                           "a package uses only stored and deflated files")


def check_entries(infos: list[zipfile.ZipInfo], limits: PackageLimits) -> None:
    """Every check that needs only the central directory, for every entry, before any is read."""
    if len(infos) > limits.max_entries:
        raise PackageError(f"the package holds {len(infos):,} files; the limit is {limits.max_entries:,}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        check_name(info)
        if info.filename in seen:
            raise PackageError(f"the package holds {_shown(info.filename)} twice: refused")
        seen.add(info.filename)
        limit = limits.for_name(info.filename)
        if info.file_size > limit:
            raise PackageError(f"{_shown(info.filename)} declares {info.file_size:,} bytes; the limit is "
                               f"{limit:,} (a zip bomb?): refused")
        total += info.file_size
    if total > limits.max_total_bytes:
        raise PackageError(f"the package declares {total:,} bytes in all; the limit is "
                           f"{limits.max_total_bytes:,} (a zip bomb?): refused")


def _data_start(raw: BinaryIO, info: zipfile.ZipInfo) -> int:
    raw.seek(info.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise PackageError(f"{_shown(info.filename)}: the package is damaged or cut short (no local header)")
    fields = _LOCAL_HEADER.unpack(header)
    return info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1]


def _compressed_chunks(raw: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    raw.seek(_data_start(raw, info))
    left = info.compress_size
    while left > 0:
        chunk = raw.read(min(_CHUNK, left))
        if not chunk:
            raise PackageError(f"{_shown(info.filename)}: the package is cut short")
        left -= len(chunk)
        yield chunk


def _inflated(raw: BinaryIO, info: zipfile.ZipInfo, allowed: int) -> Iterator[bytes]:
    """The entry's real bytes, never more than ``allowed`` + 1 of them held (the +1 shows a liar)."""
    if info.compress_type == zipfile.ZIP_STORED:
        yield from _compressed_chunks(raw, info)
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for chunk in _compressed_chunks(raw, info):
            pending = chunk
            while pending:
                data = inflater.decompress(pending, max(1, allowed + 1 - produced))
                produced += len(data)
                yield data
                if produced > allowed:
                    return
                pending = inflater.unconsumed_tail
        tail = inflater.flush()
    except zlib.error as exc:
        raise PackageError(f"{_shown(info.filename)}: the package is damaged ({exc})") from None
    if tail:
        yield tail
    if not inflater.eof:
        raise PackageError(f"{_shown(info.filename)}: the package is damaged or cut short")


def read_entry(raw: BinaryIO, info: zipfile.ZipInfo, limits: PackageLimits) -> Iterator[bytes]:
    """Stream one entry's bytes, refusing more than it declares or than its limit, and a wrong CRC."""
    allowed = min(info.file_size, limits.for_name(info.filename))
    size, crc = 0, 0
    for data in _inflated(raw, info, allowed):
        size += len(data)
        if size > allowed:
            raise PackageError(f"{_shown(info.filename)} inflates to more than the {allowed:,} bytes it "
                               "declares (a zip bomb?): refused")
        crc = zlib.crc32(data, crc)
        yield data
    if size != info.file_size or crc != info.CRC:
        raise PackageError(f"{_shown(info.filename)}: the package is damaged (size or checksum does not match)")
