"""Real photo files for the panel tests: JPEGs with captions and bylines as cameras and
Photo Mechanic write them, camera-size files, and files that cannot be imported."""

from __future__ import annotations

import struct
from pathlib import Path

from tests.core.photos.photokit import jpeg, splice_after_soi, xmp_packet


def captioned_jpeg(path: Path, caption: str, byline: str, *, width: int = 1600, height: int = 1067,
                   color=(170, 40, 40), gps: bool = False, credit: str | None = None) -> Path:
    """A JPEG whose XMP carries a caption, a byline (and maybe a credit and a GPS position)."""
    path.write_bytes(jpeg(width, height, color, xmp=xmp_packet(description=caption, creator=byline, gps=gps,
                                                               credit=credit)))
    return path


def comment_segment(text: str) -> bytes:
    """A JPEG COM segment: makes otherwise equal files different (another sha256)."""
    payload = text.encode()
    return b"\xff\xfe" + struct.pack(">H", len(payload) + 2) + payload


def camera_batch(folder: Path, count: int, width: int = 6000, height: int = 4000) -> list[Path]:
    """``count`` camera-size JPEGs (24 MP), each a different file."""
    base = jpeg(width, height, (60, 110, 150), xmp=xmp_packet(description="太原汾河公园", creator="李明"))
    paths = []
    for n in range(count):
        path = folder / f"DSC_{n:04d}.JPG"
        path.write_bytes(splice_after_soi(base, comment_segment(f"frame {n}")))
        paths.append(path)
    return paths


def broken_files(folder: Path) -> list[Path]:
    """A truncated JPEG and a text file posing as one."""
    truncated = folder / "truncated.jpg"
    truncated.write_bytes(jpeg(800, 600)[:300])
    text = folder / "notes.jpg"
    text.write_text("采访提纲", encoding="utf-8")
    return [truncated, text]
