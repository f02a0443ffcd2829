"""Reading a photo file (checked, identified, described) and storing it once, by its sha256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from dayuan_desktop.core.captions import compose_caption, separate_byline
from dayuan_desktop.core.files import read_regular_file
from dayuan_desktop.core.photos.checks import PhotoProblem, photo_problems
from dayuan_desktop.core.photos.decoding import (
    ALLOWED_FORMATS,
    MAX_FILE_BYTES,
    file_too_big,
    frame_count,
    load_first_frame,
    open_image,
)
from dayuan_desktop.core.photos.metadata import LIMITS, PhotoMetadata, clean_text, read_metadata
from dayuan_desktop.core.photos.pixels import displayed_size
from dayuan_desktop.core.records import PhotoRecord

PhotoBytesOrPath = bytes | str | Path


@dataclass(frozen=True)
class PhotoFile:
    """A photo file that passed every check: its unchanged bytes and what it says about itself."""

    data: bytes = field(repr=False)
    sha256: str
    name: str
    format: str  # JPEG, PNG, WEBP, TIFF or GIF
    width: int  # as shown, after EXIF orientation
    height: int
    metadata: PhotoMetadata
    frames: int = 1
    notes: tuple[str, ...] = ()  # said to the editor: first frame only, 16-bit reduced, CMYK converted…

    @property
    def taken_at(self) -> datetime | None:
        """When the photo was taken (aware), if the file says."""
        return self.metadata.taken_at

    def text(self, caption: str | None = None, photographer: str | None = None) -> tuple[str, str]:
        """(caption, photographer) to store: given values win over the file's; a byline typed into
        the file's caption is moved out of it."""
        file_caption, file_photographer = separate_byline(self.metadata.caption, self.metadata.photographer)
        return (
            clean_text(caption, LIMITS["caption"]) if caption is not None else file_caption,
            clean_text(photographer, LIMITS["photographer"]) if photographer is not None else file_photographer,
        )

    def problems(self, caption: str | None = None, photographer: str | None = None) -> list[PhotoProblem]:
        """The editor's checklist for this photo with these (or the file's) caption and photographer."""
        text, name = self.text(caption, photographer)
        return photo_problems(text, name, self.width, gps=self.metadata.gps)

    def composed_caption(self, caption: str | None = None, photographer: str | None = None) -> str:
        """The caption line in house style, ``图为……。某某摄``."""
        return compose_caption(*self.text(caption, photographer))


def read_source(source: PhotoBytesOrPath, name: str | None = None) -> tuple[bytes, str]:
    """The bytes of a file (size checked before reading) or of given bytes, and a name for messages."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), name or "photo"
    path = Path(source)
    label = name or path.name
    # Only a regular file, opened without blocking: a pipe or /dev/zero never hangs or fills memory.
    data = read_regular_file(path, MAX_FILE_BYTES, label=label, too_big=file_too_big)
    return data, label


def read_photo(source: PhotoBytesOrPath, *, name: str | None = None, zone: str = "Asia/Shanghai") -> PhotoFile:
    """Read and check a photo file (path or bytes) or raise :class:`ValidationError` saying why not.

    The whole first frame is decoded once (JPEG at 1/8 scale, which still reads every
    byte), so a truncated or damaged file is refused here, not at export time. Dates
    without a time zone are taken to be in ``zone``.
    """
    data, label = read_source(source, name)
    with open_image(data, label) as image:
        fmt = ALLOWED_FORMATS[image.format]
        raw_width, raw_height = image.size
        mode = image.mode
        frames = frame_count(image, label, strict=fmt == "TIFF")
        bits = getattr(image, "tag_v2", {}).get(258) if fmt == "TIFF" else None
        load_first_frame(image, label, draft_box=(max(1, raw_width // 8), max(1, raw_height // 8)))
        # After loading: a PNG may keep its XMP after the pixel data.
        metadata = read_metadata(image, data, zone=zone)
    width, height = displayed_size(raw_width, raw_height, metadata.orientation)
    notes = list(metadata.notes)
    if frames > 1:
        what = "multi-page TIFF" if fmt == "TIFF" else f"animated {fmt}"
        notes.append(f"{what} with {frames} frames: only the first is used")
    if mode.startswith("I;16") or (isinstance(bits, tuple) and 16 in bits) or bits == 16:
        notes.append("16 bits per channel: reduced to 8 bits for the web")
    if mode == "CMYK":
        notes.append("CMYK colours: converted to sRGB for the web")
    return PhotoFile(
        data=data, sha256=hashlib.sha256(data).hexdigest(), name=label, format=fmt, width=width, height=height,
        metadata=metadata, frames=frames, notes=tuple(notes),
    )


@dataclass(frozen=True)
class IncomingPhoto:
    """A read photo file on its way into the library, with the texts and names to store it under."""

    file: PhotoFile
    caption: str
    photographer: str
    original_name: str
    web_name: str | None = None  # the address name wanted; a new one is made when another photo has it
    replace_caption: bool = False  # a photo already stored takes this caption too (``photo add --caption``)
    replace_photographer: bool = False

    @classmethod
    def of_file(cls, file: PhotoFile, caption: str | None = None, photographer: str | None = None) -> IncomingPhoto:
        """The file's own texts (a byline moved out of its caption), except those given, which win
        over the file's and also replace those of a photo already stored."""
        text, by = file.text(caption, photographer)
        return cls(file, text, by, clean_text(file.name, 500), replace_caption=caption is not None,
                   replace_photographer=photographer is not None)


class StoredPhoto(NamedTuple):
    """What :func:`store_incoming` stored (or found) for one incoming photo."""

    record: PhotoRecord
    web_name_refused: bool  # the wanted address name belongs to another photo: this one got a new name


def store_incoming(store, item: IncomingPhoto, *, session) -> StoredPhoto:
    """Store an incoming photo once (by sha256), in the caller's transaction.

    The one place a read :class:`PhotoFile` becomes ``store.photos.add_photo``'s arguments. A
    photo already stored keeps its texts (an editor may have corrected them) unless the
    incoming photo says to replace them.
    """
    meta, web_name = item.file.metadata, item.web_name
    refused = bool(web_name) and store.photos.web_name_used_by_other(web_name, item.file.sha256, session=session)
    record = store.photos.add_photo(
        item.file.data, format=item.file.format, width=item.file.width, height=item.file.height,
        caption=item.caption, photographer=item.photographer, original_name=item.original_name,
        web_name=None if refused else web_name, credit=meta.credit, copyright=meta.copyright,
        keywords=list(meta.keywords), taken_at=meta.taken_at, session=session,
    )
    caption = item.caption if item.replace_caption and record.caption != item.caption else None
    photographer = item.photographer if item.replace_photographer and record.photographer != item.photographer else None
    if caption is not None or photographer is not None:
        record = store.photos.set_photo_text(record.sha256, caption=caption, photographer=photographer, session=session)
    return StoredPhoto(record, refused)


@dataclass(frozen=True)
class ImportedPhoto:
    """A photo as stored, with the file it came from and the editor's checklist."""

    photo: PhotoRecord
    file: PhotoFile
    problems: tuple[PhotoProblem, ...]

    @classmethod
    def of(cls, photo: PhotoRecord, file: PhotoFile) -> ImportedPhoto:
        """The stored photo with its file and the checklist for its stored texts."""
        return cls(photo, file, tuple(photo_problems(photo.caption, photo.photographer, photo.width,
                                                     gps=file.metadata.gps)))


def import_photo(
    store,
    source: PhotoBytesOrPath | PhotoFile,
    caption: str | None = None,
    photographer: str | None = None,
    *,
    name: str | None = None,
    zone: str = "Asia/Shanghai",
) -> ImportedPhoto:
    """Store a photo in the library only (attached to no article), in its own transaction.

    Given caption/photographer override the file's (see :meth:`IncomingPhoto.of_file`). The
    file is checked completely before anything is written, so a bad file stores nothing.
    Photos for an article come in through ``core.photos.incoming.bring_in_photos``.
    """
    file = source if isinstance(source, PhotoFile) else read_photo(source, name=name, zone=zone)
    with store.db.session(write=True) as session:
        stored = store_incoming(store, IncomingPhoto.of_file(file, caption, photographer), session=session)
    return ImportedPhoto.of(stored.record, file)
