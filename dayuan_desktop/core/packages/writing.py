"""Writing a package: per article its ninjs 3.3 document and Markdown, each photo once, and a manifest.

The zip is written under a temporary name beside the target and renamed when complete, so the
target is either the old file or the whole new package, never a part of one.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dayuan_desktop import __version__
from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.interchange.markdown_files import render_markdown_article
from dayuan_desktop.core.packages.manifest import (
    MANIFEST_NAME,
    ManifestFile,
    article_paths,
    manifest_json,
    photo_path,
)
from dayuan_desktop.core.packages.ninjs import article_to_ninjs
from dayuan_desktop.core.packages.ninjs_schema import ninjs_json
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.render import render_body

Progress = Callable[[int, int, str], None]
# Regular file, rw-r--r--: what a reader's symlink check expects to see.
_REGULAR_FILE_ATTR = (0o100644 & 0xFFFF) << 16


class PackageCancelled(DayuanError):
    """The package was cancelled; nothing was written."""


@dataclass(frozen=True)
class PackageSummary:
    """What a written package holds."""

    path: Path
    articles: int
    photos: int
    size: int


def articles_to_package(store, *, articles: Sequence[ArticleRecord] | None = None,
                        since: datetime | None = None) -> list[ArticleRecord]:
    """The given articles, or every article (trashed ones too: trash travels as trash) changed since ``since``."""
    chosen: Iterable[ArticleRecord] = articles if articles is not None else store.all_articles(include_trashed=True)
    return [a for a in chosen if since is None or a.updated_at >= since]


class _PackageWriter:
    """Adds files to an open zip, remembering each one's sha256 and size for the manifest."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.files: list[ManifestFile] = []

    def add(self, name: str, data: bytes, *, compress: bool = True) -> None:
        info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # same bytes for the same content
        info.external_attr = _REGULAR_FILE_ATTR
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self.archive.writestr(info, data)
        if name != MANIFEST_NAME:
            self.files.append(ManifestFile(name, hashlib.sha256(data).hexdigest(), len(data)))


def _add_article(writer: _PackageWriter, store, article: ArticleRecord, channels: dict[str, str],
                 site_timezone: str, photos_done: set[str]) -> None:
    hrefs = {link.photo.sha256: photo_path(link.photo.sha256, link.photo.format) for link in article.photos}
    for link in article.photos:
        if link.photo.sha256 not in photos_done:  # each photo once, however many articles use it
            # JPEG/PNG/WebP are compressed already: stored as they are.
            writer.add(hrefs[link.photo.sha256], store.photos.photo_bytes(link.photo.sha256), compress=False)
            photos_done.add(link.photo.sha256)
    photos = {link.photo.sha256: link.photo for link in article.photos}
    body_html = render_body(article.body, photos, lambda photo: hrefs[photo.sha256])
    document = article_to_ninjs(article, body_html, hrefs, channels.get(article.channel_path or ""))
    ninjs_name, markdown_name = article_paths(article.uuid)
    writer.add(ninjs_name, ninjs_json(document))
    markdown_links = {sha: f"../{href}" for sha, href in hrefs.items()}  # from articles/ to photos/
    writer.add(markdown_name, render_markdown_article(article, markdown_links, site_timezone=site_timezone)
               .encode("utf-8"))


def write_package(
    store,
    out: Path,
    articles: Sequence[ArticleRecord],
    *,
    site_timezone: str = "Asia/Shanghai",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> PackageSummary:
    """Write ``articles`` with their photos and a manifest to the zip ``out`` (atomically)."""
    out = Path(out)
    channels = {channel.path: channel.name for channel in store.list_channels()}
    # Not mkstemp: its file is private (0600); the package gets the permissions any new file gets.
    temporary = out.with_name(f".{out.name}.{secrets.token_hex(6)}.partial")
    try:
        with open(temporary, "xb") as target, zipfile.ZipFile(target, "w") as archive:
            writer = _PackageWriter(archive)
            photos_done: set[str] = set()
            for done, article in enumerate(articles):
                if cancel is not None and cancel.is_set():
                    raise PackageCancelled("package cancelled; nothing was written")
                _add_article(writer, store, article, channels, site_timezone, photos_done)
                if progress is not None:
                    progress(done + 1, len(articles), article.title)
            listed = [(a.uuid, *article_paths(a.uuid)) for a in articles]
            writer.add(MANIFEST_NAME, manifest_json(writer.files, listed, f"dayuan-desktop {__version__}",
                                                     store.database_id))
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return PackageSummary(out, len(articles), len(photos_done), out.stat().st_size)
