"""One file of a batch import made ready for the writer, in a worker process.

Everything about a file that needs no database runs here: reading and parsing it (Markdown
or a portal page), checking its values, and making its search-index entry (the costliest
part: ~1.9 ms of Python for a 2,000-character article). The writer process is then left
with the inserts alone (``import_writer``).

A portal page's photos are read and checked here too, and their web renditions made and
kept in the rendition cache (``import_prepare_page``), so the writer only stores them.

A file this path does not take whole (a Markdown file with photos, or one naming a uuid of its
own: an update, a merge or a conflict copy) comes back as ``slow``: the writer imports it
exactly as a one-file import does. A file that cannot be imported comes back with its
one-line error.
"""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.interchange import PAGE_SUFFIXES
from dayuan_desktop.core.search.text import joined_text
from dayuan_desktop.core.search.tokens import index_tokens, text_hash
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.validation import check_article_values

if TYPE_CHECKING:
    from dayuan_desktop.core.interchange.portal_page_reader import MirrorContext
    from dayuan_desktop.core.photos.importing import IncomingPhoto

# uuid5 namespace of the uuids given to files without one: uuid5(this, "<database id>:<sha256>").
FILE_UUID_NAMESPACE = uuid_module.UUID("5b0e4bd2-6a8e-4b8c-9f5e-4709d0c2a020")


@dataclass(frozen=True)
class ImportItem:
    """One file to import; ``channel`` is used when the file itself names none; ``mirror``: where a
    page of a mirrored site sits (``import DIR``; see ``site_mirror``)."""

    path: Path
    channel: str | None = None
    mirror: MirrorContext | None = None


@dataclass(frozen=True)
class PrepareOptions:
    """What a worker needs to read files (sent once per chunk; small and picklable)."""

    database_id: str
    dialect: str
    site_timezone: str = "Asia/Shanghai"
    site: SiteSettings | None = None
    allow_outside: bool = False
    renditions: tuple[Path, int] | None = None  # (cache folder, long side): make photos' web renditions


@dataclass
class Prepared:
    """A file read and checked: ``values`` ready to insert, or ``slow``, or ``error``."""

    item: ImportItem
    values: dict = field(default_factory=dict)  # checked (check_article_values), uuid included
    file_uuid: bool = False  # the uuid was made from the file's bytes (the file names none)
    warnings: tuple[str, ...] = ()
    index_entry: tuple = ()  # SQLite: (tokens, hash); PostgreSQL: (normalised text,)
    photos: tuple[IncomingPhoto, ...] = ()  # a portal page's photos, read and checked, in page order
    slow: bool = False
    error: str | None = None


def file_uuid(database_id: str, data: bytes) -> str:
    """The uuid a file without one gets: the same file imported into the same database again
    names the same article, so a re-run after an interruption skips what came in already."""
    return str(uuid_module.uuid5(FILE_UUID_NAMESPACE, f"{database_id}:{hashlib.sha256(data).hexdigest()}"))


def prepare_items(items: list[ImportItem], options: PrepareOptions) -> list[Prepared]:
    """Prepare a chunk of files (what a worker is sent); never raises for one file's fault."""
    return [prepare_item(item, options) for item in items]


def prepare_item(item: ImportItem, options: PrepareOptions) -> Prepared:
    """Read, parse and check one file; its failure is its own one-line error."""
    from dayuan_desktop.core.interchange.markdown_files import unexpected_failure

    path = Path(item.path)
    try:
        return _prepare(ImportItem(path, item.channel, item.mirror), options)
    except DayuanError as exc:
        message = str(exc)
        return Prepared(item, error=message if message.startswith(str(path)) else f"{path}: {message}")
    except Exception as exc:  # noqa: BLE001 - the batch must go on; the log keeps the traceback
        return Prepared(item, error=unexpected_failure(path, exc))


def _prepare(item: ImportItem, options: PrepareOptions) -> Prepared:
    photos: tuple[IncomingPhoto, ...] = ()
    if item.path.suffix.lower() in PAGE_SUFFIXES:
        from dayuan_desktop.core.interchange.import_prepare_page import TooLarge, read_page

        try:
            values, warnings, photos = read_page(item, options)
        except TooLarge:
            return Prepared(item, slow=True)
    else:
        from dayuan_desktop.core.interchange.markdown_files import read_markdown_article

        parsed = read_markdown_article(item.path, site_timezone=options.site_timezone)
        if parsed.photos or parsed.values.get("uuid"):
            return Prepared(item, slow=True)
        values, warnings = {**parsed.values, "body": parsed.body}, parsed.warnings
    if item.channel and not values.get("channel_path"):
        values["channel_path"] = item.channel
    own_uuid = not values.get("uuid")
    if own_uuid:
        values["uuid"] = file_uuid(options.database_id, item.path.read_bytes())
    clean = check_article_values(values)
    captions = photo_texts([(photo.file.sha256, photo.caption, photo.photographer) for photo in photos])
    return Prepared(item, clean, own_uuid, tuple(warnings), index_entry(clean, options.dialect, captions), photos)


def photo_texts(photos: list[tuple[str, str, str]]) -> list[str]:
    """The searched texts of an article's photos, (sha256, caption, photographer) in page order:
    each photo once (as it is linked), its caption then its photographer, as the index reads them."""
    seen: dict[str, tuple[str, str]] = {}
    for sha, caption, photographer in photos:
        seen.setdefault(sha, (caption, photographer))
    return [text for pair in seen.values() for text in pair]


def search_fields(values: dict, captions: list[str] = ()) -> list[str]:
    """A new article's searched fields in the index's order (title, subtitle, summary, body, tags,
    then its photos' captions and photographers, see :func:`photo_texts`)."""
    return [values.get("title", ""), values.get("subtitle", ""), values.get("summary", ""),
            values.get("body", ""), *values.get("tags", []), *captions]


def index_entry(values: dict, dialect: str, captions: list[str] = ()) -> tuple:
    """What the writer puts in the search index for a new article (``captions``: see :func:`photo_texts`)."""
    indexed = joined_text(search_fields(values, captions))
    if dialect == "sqlite":
        return index_tokens(*indexed), text_hash(*indexed)
    return (indexed.text,)
