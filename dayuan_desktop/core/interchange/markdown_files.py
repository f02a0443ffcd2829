"""Articles as Markdown files with YAML front matter, as Hugo and Jekyll write them.

Front matter keys: ``title, subtitle, author, source, date, tags, channel, number, status,
summary`` (plus ``uuid``, written by export so an article keeps its identity across
machines). An image alone on a line, ``![caption](relative/path.jpg "photographer")``,
is imported as a photo of the article and then referred to as ``photo:<sha256>``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from dayuan_desktop.core.errors import DayuanError, NotFoundError, ValidationError
from dayuan_desktop.core.files import read_limited
from dayuan_desktop.core.models import RevisionKind
from dayuan_desktop.core.paragraph_indent import strip_markdown_indents
from dayuan_desktop.core.photos import read_photo
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.store import Store

MAX_FILE_BYTES = 20 * 1024 * 1024
FRONT_MATTER_KEYS = ("title", "subtitle", "author", "source", "date", "tags", "channel", "number", "status", "summary")
EXTRA_KEYS = ("uuid",)
_FIELD_FOR_KEY = {"date": "published_at", "channel": "channel_path"}
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


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file of a batch import."""

    path: Path
    article: ArticleRecord | None
    error: str | None
    warnings: tuple[str, ...] = ()

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
    meta, body = _split_front_matter(path, source)
    body = strip_markdown_indents(body)  # "　　" at a paragraph's start: the page does not show it either
    values, warnings = _values_from_front_matter(path, meta, ZoneInfo(site_timezone))
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
    return ParsedMarkdownArticle(values=values, body=body, photos=photos, warnings=warnings)


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


def _split_front_matter(path: Path, source: str) -> tuple[dict, str]:
    text = source.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise ValidationError(f"{path}: no front matter (the file must start with a '---' line)")
    end = re.search(r"^(---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if end is None:
        raise ValidationError(f"{path}: the front matter has no closing '---' line")
    try:
        meta = yaml.safe_load(text[4 : 4 + end.start()]) or {}
    except yaml.YAMLError as exc:
        raise ValidationError(f"{path}: the front matter is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise ValidationError(f"{path}: the front matter must be 'key: value' lines, not a {type(meta).__name__}")
    body = text[4 + end.end() :].lstrip("\n")
    return meta, body


def _values_from_front_matter(path: Path, meta: dict, zone: ZoneInfo) -> tuple[dict, list[str]]:
    warnings = []
    values: dict = {}
    for key, value in meta.items():
        if key not in FRONT_MATTER_KEYS and key not in EXTRA_KEYS:
            warnings.append(f"front matter key '{key}' is not used")
            continue
        name = _FIELD_FOR_KEY.get(str(key), str(key))
        try:
            values[name] = _coerce(name, value, zone)
        except ValidationError as exc:
            raise ValidationError(f"{path}: front matter '{key}': {exc}") from None
    if not values.get("title"):
        raise ValidationError(f"{path}: front matter needs a 'title'")
    return values, warnings


def _coerce(name: str, value, zone: ZoneInfo):
    if name == "published_at":
        return _datetime(value, zone)
    if name == "tags" and isinstance(value, str):
        return [t for t in re.split(r"[,，、\s]+", value) if t]
    if name == "number" and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def _datetime(value, zone: ZoneInfo) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(f"{value!r} is not a date such as 2022-12-13 14:46:28") from None
    else:
        raise ValidationError(f"must be a date such as 2022-12-13 14:46:28, not {type(value).__name__}")
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def import_markdown_file(
    store: Store, path: Path, *, create_channels: bool = False, site_timezone: str = "Asia/Shanghai"
) -> ImportOutcome:
    """Import one file in one transaction: the article and its photos, or nothing."""
    path = Path(path)
    try:
        parsed = read_markdown_article(path, site_timezone=site_timezone)
        photo_files = [_read_photo(ref, site_timezone) for ref in parsed.photos]
        with store.db.session(write=True) as session:
            channel = parsed.values.get("channel_path")
            if channel and create_channels:
                store.create_channel(channel, session=session)
            shas = []
            for ref, (data, info) in zip(parsed.photos, photo_files, strict=True):
                # The Markdown line's caption/photographer win; the file's own fill what the line leaves out.
                caption, photographer = info.text(ref.caption or None, ref.photographer or None)
                meta = info.metadata
                photo = store.add_photo(
                    data, format=info.format, width=info.width, height=info.height, caption=caption,
                    photographer=photographer, original_name=ref.path.name, credit=meta.credit,
                    copyright=meta.copyright, keywords=meta.keywords, taken_at=meta.taken_at, session=session,
                )
                shas.append(photo.sha256)
            values = {**parsed.values, "body": link_photos(parsed.body, parsed.photos, shas)}
            [article] = store.create_articles([values], kind=RevisionKind.IMPORT, session=session)
            if shas:
                store.set_article_photos(article.id, shas, session=session)
            article_id = article.id
        return ImportOutcome(path, store.get_article(article_id), None, tuple(parsed.warnings))
    except DayuanError as exc:
        message = str(exc)
        if not message.startswith(str(path)):
            message = f"{path}: {message}"
        return ImportOutcome(path, None, message)


def _read_photo(ref: PhotoReference, site_timezone: str):
    try:
        data = ref.path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"image '{ref.path.name}' (line {ref.line}) not found at {ref.path}") from None
    except OSError as exc:
        raise ValidationError(f"image '{ref.path.name}' (line {ref.line}) cannot be read: {exc.strerror}") from None
    return data, read_photo(data, name=f"image '{ref.path.name}' (line {ref.line})", zone=site_timezone)


def import_markdown_files(
    store: Store, paths: Iterable[Path], *, create_channels: bool = False, site_timezone: str = "Asia/Shanghai"
) -> list[ImportOutcome]:
    """Import each file on its own: a failing file changes nothing, the others still import."""
    return [
        import_markdown_file(store, Path(p), create_channels=create_channels, site_timezone=site_timezone)
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
                _atomic_write(target, store.photo_bytes(link.photo.sha256))
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
