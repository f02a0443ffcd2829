"""Articles as Markdown files with YAML front matter, as Hugo and Jekyll write them.

Front matter keys: ``title, subtitle, author, source, date, tags, channel, number, status,
summary`` (plus ``uuid``, written by export so an article keeps its identity across
machines). An image alone on a line, ``![caption](relative/path.jpg "photographer")``,
is imported as a photo of the article and then referred to as ``photo:<sha256>``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from dayuan_desktop.core.errors import DayuanError, ValidationError
from dayuan_desktop.core.files import read_limited, read_regular_file
from dayuan_desktop.core.interchange.front_matter import split_front_matter, values_from_front_matter
from dayuan_desktop.core.interchange.import_folder import image_inside_folder
from dayuan_desktop.core.logs import log
from dayuan_desktop.core.paragraph_indent import strip_markdown_indents
from dayuan_desktop.core.photos import read_photo
from dayuan_desktop.core.photos.decoding import MAX_FILE_BYTES as MAX_PHOTO_BYTES
from dayuan_desktop.core.photos.decoding import file_too_big
from dayuan_desktop.core.photos.importing import IncomingPhoto
from dayuan_desktop.core.photos.incoming import NewArticle, PhotosIn, WebRenditions, bring_in_photos
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.store import Store

MAX_FILE_BYTES = 20 * 1024 * 1024
_IMAGE_LINE = re.compile(
    r"^[ \t]*!\[(?P<alt>[^\]\n]*)\]\((?P<src><[^>\n]+>|[^\s)]+)(?:[ \t]+\"(?P<title>[^\"\n]*)\")?\)[ \t]*$",
    re.MULTILINE,
)
_PHOTO_EXT = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "TIFF": ".tif", "GIF": ".gif"}


@dataclass
class PhotoReference:
    """An image line of a Markdown body that points at a local file."""

    path: Path
    caption: str
    photographer: str
    line: int


@dataclass
class ParsedMarkdownArticle:
    """A Markdown article read from disk, before it is stored."""

    values: dict
    body: str
    photos: list[PhotoReference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    version: int | None = None  # the stored version the file was exported from (``version:``)


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file of a batch import."""

    path: Path
    article: ArticleRecord | None
    error: str | None
    warnings: tuple[str, ...] = ()
    not_rendered: tuple[tuple[str, str], ...] = ()  # (sha256, why) of photos without a web rendition yet
    duplicate: bool = False  # failed because the article is already in the database
    already: bool = False  # imported before from the same file: nothing changed (counts as imported)

    @property
    def ok(self) -> bool:
        return self.error is None


def read_markdown_article(path: Path, *, site_timezone: str = "Asia/Shanghai") -> ParsedMarkdownArticle:
    """Parse one Markdown file; raises ValidationError naming the file and the problem."""
    path = Path(path)
    raw = read_limited(path, MAX_FILE_BYTES)
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            raw.decode("gb18030")
            hint = " (it looks like GBK/GB18030: save it as UTF-8)"
        except UnicodeDecodeError:
            pass
        raise ValidationError(f"{path}: not UTF-8 text, byte 0x{raw[exc.start]:02x} at offset {exc.start}{hint}") from None
    meta, body = split_front_matter(path, source)
    body = strip_markdown_indents(body)  # "　　" at a paragraph's start: the page does not show it either
    version = exported_version(path, meta.pop("version", None))
    values, warnings = values_from_front_matter(path, meta, ZoneInfo(site_timezone))
    photos: list[PhotoReference] = []
    for match in _IMAGE_LINE.finditer(body):
        src = match.group("src").strip("<>")
        line = _line_of(body, match.start())
        if _is_remote(src):
            warnings.append(f"line {line}: remote image {src} left as a link")
        elif not src.startswith("photo:"):
            photos.append(
                PhotoReference(
                    path=(path.parent / src).resolve(),
                    caption=match.group("alt").strip(),
                    photographer=(match.group("title") or "").strip(),
                    line=line,
                )
            )
    return ParsedMarkdownArticle(values=values, body=body, photos=photos, warnings=warnings, version=version)


def exported_version(path: Path, value) -> int | None:
    """The front matter's ``version`` (written by export-md), checked: a positive whole number or absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"{path}: front matter 'version': {value!r:.40} is not a whole number such as 3")
    return value


def _is_remote(src: str) -> bool:
    return re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE) is not None and not src.startswith("photo:")


def link_photos(body: str, photos: Sequence[PhotoReference], shas: Sequence[str]) -> str:
    """Replace each local image line (in order) by a ``photo:<sha256>`` reference."""
    replacements = iter(zip(photos, shas, strict=True))

    def replace(match: re.Match) -> str:
        src = match.group("src").strip("<>")
        if _is_remote(src) or src.startswith("photo:"):
            return match.group(0)
        ref, sha = next(replacements)
        return f"![{ref.caption}](photo:{sha})"

    return _IMAGE_LINE.sub(replace, body)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def import_markdown_file(
    store: Store,
    path: Path,
    *,
    create_channels: bool = False,
    site_timezone: str = "Asia/Shanghai",
    allow_outside: bool = False,
    renditions: WebRenditions | None = None,
    new_uuid: str | None = None,
    channel: str | None = None,
) -> ImportOutcome:
    """Import one file in one transaction: the article and its photos, or nothing.

    Images are read only from the file's folder and below unless ``allow_outside``. Any
    failure, even one nobody foresaw, is this file's one-line error: a batch goes on. With
    ``renditions``, the photos' web renditions are made after the import. ``new_uuid``: the
    new article's uuid when the file names none (see ``import_prepare.file_uuid``);
    ``channel``: its channel when the file names none.
    """
    path = Path(path)
    try:
        parsed = read_markdown_article(path, site_timezone=site_timezone)
        if channel and not parsed.values.get("channel_path"):
            parsed.values["channel_path"] = channel
        photo_files = [_read_photo(ref, path.parent, site_timezone, allow_outside) for ref in parsed.photos]
        if parsed.values.get("uuid"):  # an article exported earlier: update it (or keep a conflict copy)
            from dayuan_desktop.core.interchange.markdown_update import update_existing

            updated = update_existing(store, parsed, photo_files, create_channels)
            if updated is not None:
                article_id, notes = updated
                return ImportOutcome(path, store.get_article(article_id), None, (*parsed.warnings, *notes))
        if new_uuid and not parsed.values.get("uuid"):
            parsed.values["uuid"] = new_uuid
        came = _store_article(store, parsed, photo_files, create_channels, renditions)
        return ImportOutcome(path, store.get_article(came.article.id), None, tuple(parsed.warnings),
                             not_rendered(came))
    except DayuanError as exc:
        return ImportOutcome(path, None, _naming(path, str(exc)))
    except Exception as exc:  # noqa: BLE001 - the batch must go on; the log keeps the traceback
        return ImportOutcome(path, None, unexpected_failure(path, exc))


def _store_article(
    store: Store, parsed: ParsedMarkdownArticle, photo_files: list, create_channels: bool, renditions
) -> PhotosIn:
    # The Markdown line's caption/photographer win; the file's own fill what the line leaves out.
    incoming = [IncomingPhoto(info, *info.text(ref.caption or None, ref.photographer or None), ref.path.name)
                for ref, (_data, info) in zip(parsed.photos, photo_files, strict=True)]
    values = {**parsed.values, "body": link_photos(parsed.body, parsed.photos, [p.file.sha256 for p in incoming])}
    return bring_in_photos(store, NewArticle(values, create_channel=create_channels), incoming, renditions=renditions)


def not_rendered(came: PhotosIn) -> tuple[tuple[str, str], ...]:
    """(sha256, why) of the photos that came in without a web rendition (the export makes it)."""
    return tuple(came.renditions.failed.items()) if came.renditions is not None else ()


def _naming(path: Path, message: str) -> str:
    return message if message.startswith(str(path)) else f"{path}: {message}"


def unexpected_failure(path: Path, exc: BaseException) -> str:
    """One line for a file whose import failed in a way no check foresaw (the traceback goes to the log)."""
    log.error("import of %s failed", path, exc_info=exc)
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    reason = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return f"{path}: cannot be imported ({reason}); nothing of it was stored"


def _read_photo(ref: PhotoReference, folder: Path, site_timezone: str, allow_outside: bool):
    label = f"image '{ref.path.name}' (line {ref.line})"
    resolved = image_inside_folder(ref.path, folder, what=label, allow_outside=allow_outside)
    # Only a regular file, without blocking (a pipe, /dev/zero), within the photo size limit.
    data = read_regular_file(resolved, MAX_PHOTO_BYTES, label=label, too_big=file_too_big, no_symlink=True)
    return data, read_photo(data, name=label, zone=site_timezone)


def import_markdown_files(
    store: Store,
    paths: Iterable[Path],
    *,
    create_channels: bool = False,
    site_timezone: str = "Asia/Shanghai",
    allow_outside: bool = False,
) -> list[ImportOutcome]:
    """Import each file on its own: a failing file changes nothing, the others still import."""
    return [
        import_markdown_file(
            store, Path(p), create_channels=create_channels, site_timezone=site_timezone, allow_outside=allow_outside
        )
        for p in paths
    ]


# -- export ------------------------------------------------------------------------------


def markdown_file_name(article: ArticleRecord) -> str:
    """``4709.md`` for a numbered article, ``<uuid>.md`` for one not yet published."""
    return f"{article.number}.md" if article.number is not None else f"{article.uuid}.md"


def render_markdown_article(article: ArticleRecord, photo_paths: dict[str, str], *, site_timezone: str) -> str:
    """The text of one exported Markdown file (front matter, then the body)."""
    meta: dict = {"title": article.title}
    if article.subtitle:
        meta["subtitle"] = article.subtitle
    if article.author:
        meta["author"] = article.author
    if article.source:
        meta["source"] = article.source
    if article.published_at is not None:
        meta["date"] = article.published_at.astimezone(ZoneInfo(site_timezone)).isoformat()
    if article.tags:
        meta["tags"] = list(article.tags)
    if article.channel_path:
        meta["channel"] = article.channel_path
    if article.number is not None:
        meta["number"] = article.number
    meta["status"] = article.status
    if article.summary:
        meta["summary"] = article.summary
    meta["uuid"] = article.uuid
    meta["version"] = article.version  # import compares it: an article changed since is a conflict
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    photos = {link.photo.sha256: link.photo for link in article.photos}

    def image_line(match: re.Match) -> str:
        src = match.group("src").strip("<>")
        if not src.startswith("photo:") or src[6:] not in photo_paths:
            return match.group(0)
        sha = src[6:]
        photo = photos.get(sha)
        caption = (photo.caption if photo and photo.caption else match.group("alt")).replace("]", "］")
        credit = (photo.photographer if photo else "").replace('"', "”")
        title = f' "{credit}"' if credit else ""
        return f"![{caption}]({photo_paths[sha]}{title})"

    return f"---\n{front}---\n\n{_IMAGE_LINE.sub(image_line, article.body)}"


def export_markdown(
    store: Store,
    out_dir: Path,
    *,
    articles: Sequence[ArticleRecord] | None = None,
    site_timezone: str = "Asia/Shanghai",
) -> list[Path]:
    """Write articles as Markdown files with their photos in ``out_dir/photos``; returns the files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for article in articles if articles is not None else store.all_articles():
        photo_paths = {}
        for link in article.photos:
            ext = _PHOTO_EXT.get(link.photo.format, ".img")
            relative = f"photos/{link.photo.sha256[:16]}{ext}"
            target = out_dir / relative
            if not target.exists():
                _atomic_write(target, store.photos.photo_bytes(link.photo.sha256))
            photo_paths[link.photo.sha256] = relative
        target = out_dir / markdown_file_name(article)
        _atomic_write(target, render_markdown_article(article, photo_paths, site_timezone=site_timezone).encode("utf-8"))
        written.append(target)
    return written


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)
